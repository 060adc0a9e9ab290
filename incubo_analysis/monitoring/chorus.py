"""Chorus extracts: read the credits booked on the contract's activity, cross-check them with the workbook.

The credits of the contract are booked in Chorus on the activity (référentiel de programmation)
``034901011101`` "PREF IncubO Dép SIC" of BOP 0349-CDBU-DR31 (contract, annex I). The officer can
drop a restitution extract of Chorus (INFOCENTRE) next to her workbook: :func:`read_chorus_extract`
reads it, :func:`credits_crosscheck` compares it with the FTAP credits she declared.

There is no public specification of those extracts, so **how to read one is configuration**:
``params/chorus_mapping.yaml`` (:func:`load_chorus_mapping`) holds the header names of each
column (with aliases), where the table's header line is (a line number, or ``auto``: the first
line holding all the required header names), the encodings, the delimiter, the date format, the
null marker, the decimal and thousands separators, the amount unit, the code prefixes to strip,
how AE and CP are told apart (a credit column, two amount columns, or one credit for the whole
file), the activity filter and the amount-type rules (which codes count for which credit, with
which sign). Another layout is a change of that file, not of this code. The defaults and the
real-world facts they rest on are logged in ``docs/assumptions.md`` (family K).

Reading is strict: a missing column, an unparsable date or amount, an unknown credit or amount
type is a :class:`ChorusError` naming the file, the line, the column (as headed in the file), the
value found and what was expected, in French by default. Every line on the contract's activity
is checked; lines on other activities are only counted (an extract covers a whole BOP, whose other
lines may use the columns differently, e.g. ``#`` for a date not yet known).

Examples
--------
>>> from incubo_analysis.paths import EXAMPLE_CHORUS
>>> chorus = read_chorus_extract(EXAMPLE_CHORUS)
>>> sorted(chorus["credit"].unique())
['AE', 'CP']
>>> chorus["activity"].unique().tolist()
['034901011101']
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd
import yaml

from incubo_analysis.contract.schema import quarter_code
from incubo_analysis.errors import InputError, ParameterError
from incubo_analysis.labels import LANGS, check_lang, fmt_keur, label
from incubo_analysis.paths import CHORUS_MAPPING, shown_path

__all__ = [
    "ChorusError",
    "ChorusMapping",
    "CHORUS_COLUMNS",
    "CROSSCHECK_COLUMNS",
    "CREDITS",
    "MAX_CHORUS_BYTES",
    "load_chorus_mapping",
    "read_chorus_extract",
    "credits_crosscheck",
    "chorus_summary",
]

#: Columns of :func:`read_chorus_extract` (``line``: line of the file, 1-based).
CHORUS_COLUMNS: tuple[str, ...] = (
    "year", "quarter", "credit", "amount_keur", "financial_centre", "functional_domain", "activity",
    "amount_type", "posting_date", "document", "line",
)
#: Columns of :func:`credits_crosscheck`.
CROSSCHECK_COLUMNS: tuple[str, ...] = (
    "year", "quarter", "credit", "workbook_keur", "chorus_keur", "difference_keur", "flagged",
)
CREDITS: tuple[str, ...] = ("AE", "CP")
#: Largest extract read (bytes): a year of a BOP's lines is a few MB.
MAX_CHORUS_BYTES = 100_000_000

_OUTPUT_COLUMNS = ("financial_centre", "functional_domain", "activity", "amount_type", "posting_date",
                   "document", "amount", "credit")
_CREDIT_FROM = ("column", "amount_columns", "fixed")
_UNITS = {"EUR": 1000.0, "kEUR": 1.0}
_TRAILING_MINUS = re.compile(r"^(\d[\d.,]*)-$")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


class ChorusError(InputError):
    """A Chorus extract (or its mapping) cannot be read: located message, exit code 2."""


# --------------------------------------------------------------------------------------
# Messages
# --------------------------------------------------------------------------------------


def _texts(key: str, /, **fields: Any) -> dict[str, str]:
    """The message ``key`` in every language; a callable field is called with the language."""
    return {lang: label(key, lang).format(**{k: (v(lang) if callable(v) else v) for k, v in fields.items()})
            for lang in LANGS}


def _what(key: str, /, **fields: Any) -> Callable[[str], str]:
    return lambda lang: label(key, lang).format(**fields)


def _raise(cls: type[InputError], key: str, /, **fields: Any) -> NoReturn:
    texts = _texts(key, **fields)
    raise cls(texts["en"], texts=texts)


def _clip(value: object, limit: int = 40) -> str:
    text = str(value).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _norm(text: object) -> str:
    """Compare header names and codes ignoring case, accents and spacing."""
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"\s+", " ", s).strip().casefold()


# --------------------------------------------------------------------------------------
# The mapping (params/chorus_mapping.yaml)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    names: tuple[str, ...]
    occurrence: int = 1
    required: bool = True


@dataclass(frozen=True)
class _Rule:
    label: str
    counts_for: frozenset[str]
    sign: int = 1


@dataclass(frozen=True)
class ChorusMapping:
    """How to read a Chorus extract (loaded by :func:`load_chorus_mapping`; see the module docstring).

    Attributes mirror ``params/chorus_mapping.yaml``: ``file`` section (``encodings``, ``delimiter``,
    ``sheet``, ``header_line`` — ``None`` for ``auto`` —, ``header_search_lines``, ``footer_markers``),
    ``values`` section (``date_format``, ``null_markers``, ``decimal``, ``thousands``, ``amount_unit``,
    ``strip_prefixes``), ``columns`` (output column → accepted header names), ``credit_from``
    with ``credit_values`` / ``credit_amount_columns`` / ``credit_fixed``, ``activities`` (the
    activity filter), ``amount_type_rules`` (code → rule) and ``unknown_amount_type``.
    """

    source: str
    encodings: tuple[str, ...]
    delimiter: str
    sheet: str | None
    header_line: int | None
    header_search_lines: int
    footer_markers: tuple[str, ...]
    date_format: str
    null_markers: tuple[str, ...]
    decimal: str
    thousands: tuple[str, ...]
    amount_unit: str
    strip_prefixes: tuple[str, ...]
    columns: Mapping[str, _Column]
    credit_from: str
    credit_values: Mapping[str, tuple[str, ...]]
    credit_amount_columns: Mapping[str, _Column]
    credit_fixed: str | None
    activities: tuple[str, ...]
    amount_type_rules: Mapping[str, _Rule] = field(default_factory=dict)
    unknown_amount_type: str = "error"

    def needed_columns(self) -> dict[str, _Column]:
        """The columns to find in the header: ``columns`` for this credit layout (``amount:AE``…)."""
        skip = {"amount", "credit"} if self.credit_from == "amount_columns" else set()
        if self.credit_from == "fixed":
            skip = {"credit"}
        needed = {name: spec for name, spec in self.columns.items() if name not in skip}
        if self.credit_from == "amount_columns":
            needed.update({f"amount:{c}": spec for c, spec in self.credit_amount_columns.items()})
        return needed


class _MappingReader:
    """Validate the raw YAML of a mapping, naming the key of every problem."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, what: Callable[[str], str], value: object) -> NoReturn:
        _raise(ParameterError, "chorus.map.bad_value", file=self.source, key=key, what=what, value=_clip(value))

    def section(self, raw: Mapping[str, Any], key: str, allowed: Sequence[str], *,
                required: bool = True) -> dict[str, Any]:
        value = raw.get(key) if key else raw
        if value is None and not required:
            return {}
        if value is None:
            _raise(ParameterError, "chorus.map.missing_key", file=self.source, key=key)
        if not isinstance(value, Mapping):
            self.fail(key or "/", _what("chorus.what.mapping"), value)
        for k in value:
            if str(k) not in allowed:
                where = f"{key}.{k}" if key else str(k)
                _raise(ParameterError, "chorus.map.unknown_key", file=self.source, key=where,
                       keys=", ".join(allowed))
        return dict(value)

    def text(self, value: object, key: str, *, empty_ok: bool = False) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int) or (not empty_ok and str(value) == ""):
            self.fail(key, _what("chorus.what.text"), value)
        return str(value)

    def texts(self, value: object, key: str, *, empty_ok: bool = False) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items:
            self.fail(key, _what("chorus.what.list"), value)
        return tuple(self.text(v, f"{key}[{i}]", empty_ok=empty_ok) for i, v in enumerate(items))

    def integer(self, value: object, key: str, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(key, _what("chorus.what.int", low=low, high=high), value)
        return int(value)

    def one_of(self, value: object, key: str, choices: Sequence[str]) -> str:
        if value not in choices:
            self.fail(key, _what("chorus.what.one_of", choices=", ".join(choices)), value)
        return str(value)

    def column(self, value: object, key: str) -> _Column:
        if not isinstance(value, Mapping):
            return _Column(self.texts(value, key))
        spec = self.section({key: value}, key, ("names", "occurrence", "required"))
        if "names" not in spec:
            _raise(ParameterError, "chorus.map.missing_key", file=self.source, key=f"{key}.names")
        required = spec.get("required", True)
        if not isinstance(required, bool):
            self.fail(f"{key}.required", _what("chorus.what.bool"), required)
        return _Column(self.texts(spec["names"], f"{key}.names"),
                       self.integer(spec.get("occurrence", 1), f"{key}.occurrence", 1, 20), required)

    def rule(self, code: object, value: object) -> tuple[str, _Rule]:
        key = f"amount_types.rules.{code}"
        spec = self.section({key: value}, key, ("label", "counts_for", "sign"))
        counts = spec.get("counts_for", [])
        if not isinstance(counts, list) or any(c not in CREDITS for c in counts):
            self.fail(f"{key}.counts_for", _what("chorus.what.credits"), counts)
        sign = spec.get("sign", 1)
        if sign not in (1, -1) or isinstance(sign, bool):
            self.fail(f"{key}.sign", _what("chorus.what.one_of", choices="1, -1"), sign)
        return _code(self.text(code, key)), _Rule(str(spec.get("label", "")), frozenset(counts), int(sign))


_TOP_KEYS = ("file", "values", "columns", "credit", "activity_filter", "amount_types")
_FILE_KEYS = ("encodings", "delimiter", "sheet", "header_line", "header_search_lines", "footer_markers")
_VALUE_KEYS = ("date_format", "null_markers", "decimal", "thousands", "amount_unit", "strip_prefixes")
_CREDIT_KEYS = ("from", "values", "amount_columns", "fixed")


def _code(value: object) -> str:
    """An amount-type code as compared: ``"0100"``, ``100`` and ``100.0`` are ``"100"``."""
    text = str(value).strip()
    if re.fullmatch(r"\d+(\.0+)?", text):
        return str(int(float(text)))
    return _norm(text)


def load_chorus_mapping(path: str | os.PathLike[str] | None = None, *, lang: str = "fr") -> ChorusMapping:
    """Load and validate a Chorus mapping file (default ``params/chorus_mapping.yaml``).

    Parameters
    ----------
    path : path, optional
        The YAML file.
    lang : {"fr", "en"}
        Kept for symmetry with the readers (messages carry both languages).

    Returns
    -------
    ChorusMapping

    Raises
    ------
    ParameterError
        Unreadable YAML, an unknown or missing key, a value of the wrong kind: the message names the
        file and the key (``columns.activity.names[0]``…).

    Examples
    --------
    >>> load_chorus_mapping().activities
    ('034901011101',)
    """
    check_lang(lang)
    p = Path(path) if path is not None else CHORUS_MAPPING
    source = shown_path(p)
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        _raise(ParameterError, "chorus.err.no_file", file=source)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        _raise(ParameterError, "chorus.map.not_yaml", file=source, reason=_clip(str(exc).splitlines()[0], 80))
    r = _MappingReader(source)
    top = r.section(raw if raw is not None else {}, "", _TOP_KEYS)
    for key in _TOP_KEYS:
        if key not in top:
            _raise(ParameterError, "chorus.map.missing_key", file=source, key=key)
    return ChorusMapping(source=source, **_file_section(r, top), **_value_section(r, top),
                         columns=_columns_section(r, top), **_credit_section(r, top),
                         activities=r.texts(top["activity_filter"], "activity_filter"),
                         **_amount_types_section(r, top))


def _file_section(r: _MappingReader, top: Mapping[str, Any]) -> dict[str, Any]:
    s = r.section(top, "file", _FILE_KEYS)
    header = s.get("header_line", "auto")
    sheet = s.get("sheet")
    delimiter = r.text(s.get("delimiter", ";"), "file.delimiter")
    if len(delimiter) != 1:
        r.fail("file.delimiter", _what("chorus.what.char"), delimiter)
    return {
        "encodings": r.texts(s.get("encodings", ["utf-8-sig"]), "file.encodings"),
        "delimiter": delimiter,
        "sheet": None if sheet is None else r.text(sheet, "file.sheet"),
        "header_line": None if header == "auto" else r.integer(header, "file.header_line", 1, 1000),
        "header_search_lines": r.integer(s.get("header_search_lines", 40), "file.header_search_lines", 1, 1000),
        "footer_markers": r.texts(s.get("footer_markers") or [""], "file.footer_markers", empty_ok=True),
    }


def _value_section(r: _MappingReader, top: Mapping[str, Any]) -> dict[str, Any]:
    s = r.section(top, "values", _VALUE_KEYS)
    decimal = r.one_of(s.get("decimal", ","), "values.decimal", [",", "."])
    thousands = r.texts(s.get("thousands") or [""], "values.thousands", empty_ok=True)
    if decimal in thousands:
        r.fail("values.thousands", _what("chorus.what.thousands", decimal=decimal), list(thousands))
    fmt = r.text(s.get("date_format", "%d.%m.%Y"), "values.date_format")
    try:
        dt.datetime.strptime(dt.date(2021, 12, 31).strftime(fmt), fmt)
    except ValueError:
        r.fail("values.date_format", _what("chorus.what.date_format"), fmt)
    return {
        "date_format": fmt,
        "null_markers": tuple(_norm(v) for v in r.texts(s.get("null_markers", ["#", ""]), "values.null_markers",
                                                        empty_ok=True)),
        "decimal": decimal,
        "thousands": tuple(t for t in thousands if t),
        "amount_unit": r.one_of(s.get("amount_unit", "EUR"), "values.amount_unit", list(_UNITS)),
        "strip_prefixes": tuple(p for p in r.texts(s.get("strip_prefixes") or [""], "values.strip_prefixes",
                                                   empty_ok=True) if p),
    }


def _columns_section(r: _MappingReader, top: Mapping[str, Any]) -> dict[str, _Column]:
    s = r.section(top, "columns", _OUTPUT_COLUMNS)
    for key in ("activity", "posting_date"):
        if key not in s:
            _raise(ParameterError, "chorus.map.missing_key", file=r.source, key=f"columns.{key}")
    return {name: r.column(value, f"columns.{name}") for name, value in s.items()}


def _credit_section(r: _MappingReader, top: Mapping[str, Any]) -> dict[str, Any]:
    s = r.section(top, "credit", _CREDIT_KEYS)
    mode = r.one_of(s.get("from"), "credit.from", _CREDIT_FROM)
    values = r.section(s, "values", CREDITS, required=mode == "column")
    amounts = r.section(s, "amount_columns", CREDITS, required=mode == "amount_columns")
    fixed = s.get("fixed")
    if mode == "fixed":
        fixed = r.one_of(fixed, "credit.fixed", CREDITS)
    need = {"column": ("amount", "credit"), "fixed": ("amount",), "amount_columns": ()}[mode]
    columns = top["columns"]
    for key in need:
        if key not in columns:
            _raise(ParameterError, "chorus.map.missing_key", file=r.source, key=f"columns.{key}")
    for credit in CREDITS:
        if mode == "column" and credit not in values:
            _raise(ParameterError, "chorus.map.missing_key", file=r.source, key=f"credit.values.{credit}")
        if mode == "amount_columns" and credit not in amounts:
            _raise(ParameterError, "chorus.map.missing_key", file=r.source, key=f"credit.amount_columns.{credit}")
    return {
        "credit_from": mode,
        "credit_values": {c: r.texts(v, f"credit.values.{c}") for c, v in values.items()},
        "credit_amount_columns": {c: r.column(v, f"credit.amount_columns.{c}") for c, v in amounts.items()},
        "credit_fixed": fixed if mode == "fixed" else None,
    }


def _amount_types_section(r: _MappingReader, top: Mapping[str, Any]) -> dict[str, Any]:
    s = r.section(top, "amount_types", ("unknown", "rules"))
    rules = s.get("rules") or {}
    if not isinstance(rules, Mapping):
        r.fail("amount_types.rules", _what("chorus.what.mapping"), rules)
    return {
        "amount_type_rules": dict(r.rule(code, value) for code, value in rules.items()),
        "unknown_amount_type": r.one_of(s.get("unknown", "error"), "amount_types.unknown", ["error", "ignore"]),
    }


# --------------------------------------------------------------------------------------
# Reading the extract
# --------------------------------------------------------------------------------------


def _raw_rows(path: Path, mapping: ChorusMapping, source: str) -> list[tuple[int, list[Any]]]:
    """The rows of the file: ``(line number, cells)``; xlsx by its content, anything else as CSV."""
    try:
        size = path.stat().st_size
        if size > MAX_CHORUS_BYTES:
            _raise(ChorusError, "chorus.err.too_big", file=source, size=size, cap=MAX_CHORUS_BYTES)
        with path.open("rb") as fh:
            head = fh.read(4)
    except FileNotFoundError:
        _raise(ChorusError, "chorus.err.no_file", file=source)
    except OSError as exc:
        _raise(ChorusError, "chorus.err.unreadable", file=source, reason=_clip(exc.strerror or exc, 60))
    if head == b"PK\x03\x04":
        return _xlsx_rows(path, mapping, source)
    return _csv_rows(path.read_bytes(), mapping, source)


def _csv_rows(data: bytes, mapping: ChorusMapping, source: str) -> list[tuple[int, list[Any]]]:
    text = None
    for encoding in mapping.encodings:
        try:
            text = data.decode(encoding)
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if text is None:
        _raise(ChorusError, "chorus.err.encoding", file=source, encodings=", ".join(mapping.encodings))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=mapping.delimiter)
    try:
        return [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        _raise(ChorusError, "chorus.err.unreadable", file=source, reason=_clip(exc, 60))
    raise AssertionError  # pragma: no cover


def _xlsx_rows(path: Path, mapping: ChorusMapping, source: str) -> list[tuple[int, list[Any]]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure of the zip/XML layers is a located input error
        _raise(ChorusError, "chorus.err.unreadable", file=source, reason=_clip(f"{type(exc).__name__}: {exc}", 60))
    try:
        if mapping.sheet is not None and mapping.sheet not in wb.sheetnames:
            _raise(ChorusError, "chorus.err.sheet", file=source, sheet=mapping.sheet, sheets=", ".join(wb.sheetnames))
        ws = wb[mapping.sheet] if mapping.sheet is not None else wb.worksheets[0]
        return [(n, ["" if v is None else v for v in row])
                for n, row in enumerate(ws.iter_rows(values_only=True), start=1)]
    finally:
        wb.close()


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _find_header(rows: list[tuple[int, list[Any]]], mapping: ChorusMapping,
                 source: str) -> tuple[int, list[Any], dict[str, int]]:
    """Position of the header row in ``rows``, its cells, and output column → cell index."""
    needed = mapping.needed_columns()
    if mapping.header_line is not None:
        for pos, (line, cells) in enumerate(rows):
            if line == mapping.header_line:
                found = _match_header(cells, needed)
                _check_found(found, needed, cells, line, source)
                return pos, cells, found
        _raise(ChorusError, "chorus.err.no_header", file=source, n=mapping.header_line,
               columns=_expected(needed))
    for pos, (line, cells) in enumerate(rows):
        if line > mapping.header_search_lines:
            break
        found = _match_header(cells, needed)
        if all(name in found for name, spec in needed.items() if spec.required):
            return pos, cells, found
    _raise(ChorusError, "chorus.err.no_header", file=source, n=mapping.header_search_lines,
           columns=_expected(needed))
    raise AssertionError  # pragma: no cover


def _expected(needed: Mapping[str, _Column]) -> str:
    return ", ".join(f"« {spec.names[0]} »" for spec in needed.values() if spec.required)


def _match_header(cells: Sequence[Any], needed: Mapping[str, _Column]) -> dict[str, int]:
    normalised = [_norm(_cell_text(c)) for c in cells]
    found: dict[str, int] = {}
    for name, spec in needed.items():
        aliases = {_norm(n) for n in spec.names}
        hits = [i for i, c in enumerate(normalised) if c in aliases]
        if len(hits) >= spec.occurrence:
            found[name] = hits[spec.occurrence - 1]
    return found


def _check_found(found: Mapping[str, int], needed: Mapping[str, _Column], cells: Sequence[Any],
                 line: int, source: str) -> None:
    problems = [
        _texts("chorus.err.missing_column", file=source, line=line, column=spec.names[0],
               names=", ".join(f"« {n} »" for n in spec.names))
        for name, spec in needed.items() if spec.required and name not in found
    ]
    if problems:
        raise ChorusError(problems[0]["en"], texts=problems[0])


@dataclass
class _LineParser:
    """Turn one data line into records ``{credit, amount_keur, codes…}``, collecting located problems."""

    mapping: ChorusMapping
    source: str
    header: Sequence[Any]
    found: Mapping[str, int]
    lang: str
    problems: list[str] = field(default_factory=list)
    on_activity: int = 0

    def cell(self, line_cells: Sequence[Any], name: str) -> Any:
        i = self.found.get(name)
        if i is None or i >= len(line_cells):
            return ""
        value = line_cells[i]
        return "" if isinstance(value, str) and _norm(value) in self.mapping.null_markers else value

    def problem(self, line: int, name: str, what: Callable[[str], str], value: object) -> None:
        column = _cell_text(self.header[self.found[name]])
        self.problems.append(label("chorus.err.cell", self.lang).format(
            file=self.source, line=line, column=column, what=what(self.lang), value=_clip(value)))

    def code(self, cells: Sequence[Any], name: str) -> str:
        text = _cell_text(self.cell(cells, name))
        for prefix in self.mapping.strip_prefixes:
            if text.startswith(prefix):
                return text[len(prefix):]
        return text

    def date(self, line: int, cells: Sequence[Any]) -> dt.date | None:
        value = self.cell(cells, "posting_date")
        if isinstance(value, dt.datetime | dt.date):
            return value.date() if isinstance(value, dt.datetime) else value
        try:
            return dt.datetime.strptime(_cell_text(value), self.mapping.date_format).date()
        except ValueError:
            fmt = dt.date(2021, 12, 31).strftime(self.mapping.date_format)
            self.problem(line, "posting_date", _what("chorus.what.date", format=fmt), value)
            return None

    def amount(self, line: int, cells: Sequence[Any], name: str, *, blank_ok: bool = False) -> float | None:
        """Amount of column ``name`` in k€ (None when blank and ``blank_ok``, or on a problem)."""
        value = self.cell(cells, name)
        number = _parse_amount(value, self.mapping)
        if number is None and blank_ok and _cell_text(value) == "":
            return None
        if number is None:
            self.problem(line, name, _what("chorus.what.amount", decimal=self.mapping.decimal), value)
            return None
        return number / _UNITS[self.mapping.amount_unit]

    def credit(self, line: int, cells: Sequence[Any]) -> str | None:
        value = _norm(_cell_text(self.cell(cells, "credit")))
        for credit, aliases in self.mapping.credit_values.items():
            if value in {_norm(a) for a in aliases}:
                return credit
        allowed = ", ".join(a for aliases in self.mapping.credit_values.values() for a in aliases)
        self.problem(line, "credit", _what("chorus.what.credit", values=allowed), self.cell(cells, "credit"))
        return None

    def rule(self, line: int, cells: Sequence[Any]) -> tuple[str, _Rule | None] | None:
        """``(code, rule)``: rule None for an ignored unknown code; None on a problem."""
        if "amount_type" not in self.found:
            return "", _Rule("", frozenset(CREDITS))
        raw = self.cell(cells, "amount_type")
        code = _code(raw) if _cell_text(raw) else ""
        rule = self.mapping.amount_type_rules.get(code)
        if rule is None and self.mapping.unknown_amount_type == "error":
            codes = ", ".join(self.mapping.amount_type_rules)
            self.problem(line, "amount_type", _what("chorus.what.amount_type", codes=codes), raw)
            return None
        return code, rule

    def amounts(self, line: int, cells: Sequence[Any]) -> list[tuple[str, float]] | None:
        """``[(credit, k€)]`` of the line according to the mapping's credit layout."""
        mode = self.mapping.credit_from
        if mode == "amount_columns":
            pairs = [(c, self.amount(line, cells, f"amount:{c}", blank_ok=True)) for c in CREDITS]
            kept = [(c, x) for c, x in pairs if x is not None]
            if not kept and all(_cell_text(self.cell(cells, f"amount:{c}")) == "" for c in CREDITS):
                self.problem(line, "amount:AE", _what("chorus.what.any_amount"), "")
            return kept or None
        credit = self.credit(line, cells) if mode == "column" else self.mapping.credit_fixed
        x = self.amount(line, cells, "amount")
        return None if credit is None or x is None else [(credit, x)]

    def records(self, line: int, cells: Sequence[Any]) -> list[dict[str, Any]]:
        activity = self.code(cells, "activity")
        if activity not in self.mapping.activities:
            return []  # another activity: not read further
        self.on_activity += 1
        before = len(self.problems)
        day = self.date(line, cells)
        rule = self.rule(line, cells)
        amounts = self.amounts(line, cells)
        if len(self.problems) > before or day is None or rule is None or amounts is None:
            return []
        code, how = rule
        codes = {name: self.code(cells, name) for name in ("financial_centre", "functional_domain", "document")}
        return [
            {"year": day.year, "quarter": (day.month - 1) // 3 + 1, "credit": credit,
             "amount_keur": x * (how.sign if how else 1), **codes, "activity": activity, "amount_type": code,
             "posting_date": pd.Timestamp(day), "line": line, "_counted": how is not None and credit in how.counts_for}
            for credit, x in amounts
        ]


def _parse_amount(value: Any, mapping: ChorusMapping) -> float | None:
    """A number from a cell: a number as is, else text with the mapping's separators (None if not one)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = _cell_text(value).replace("\u2013", "-").replace("\u2212", "-")
    for sep in mapping.thousands:
        text = text.replace(sep, "")
    text = text.replace(" ", "") if " " not in mapping.thousands else text
    trailing = _TRAILING_MINUS.match(text)
    if trailing:  # SAP style "1234,56-"
        text = "-" + trailing.group(1)
    text = text.replace(mapping.decimal, ".")
    if not _PLAIN_NUMBER.match(text):
        return None
    return float(text)


def _is_skipped(cells: Sequence[Any], mapping: ChorusMapping) -> bool:
    """A blank line (every cell empty or a null marker) or a footer line (total…)."""
    texts = [_norm(_cell_text(c)) for c in cells]
    filled = [t for t in texts if t and t not in mapping.null_markers]
    if not filled:
        return True
    first = next(t for t in texts if t)
    return any(m and first.startswith(_norm(m)) for m in mapping.footer_markers)


def read_chorus_extract(path: str | os.PathLike[str], *, mapping: ChorusMapping | str | os.PathLike[str] | None = None,
                        lang: str = "fr") -> pd.DataFrame:
    """Read a Chorus (INFOCENTRE) extract: the credits booked on the contract's activity.

    Parameters
    ----------
    path : path
        The extract: CSV (any of the mapping's encodings and its delimiter) or xlsx (the
        mapping's sheet, else the first).
    mapping : ChorusMapping or path, optional
        How to read it (default ``params/chorus_mapping.yaml``, see :func:`load_chorus_mapping`).
    lang : {"fr", "en"}
        Language of the problems listed in the error (the headline carries both).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CHORUS_COLUMNS`, one row per line and credit of the extract that is on an
        activity of the mapping's filter and whose amount type counts for that credit:
        ``year``, ``quarter`` (1–4, of the posting date), ``credit`` (``AE``/``CP``),
        ``amount_keur`` (k€, signed: corrections are negative; times the rule's sign), the codes
        as read (``financial_centre``, ``functional_domain``, ``activity``, ``amount_type`` — ``""``
        when the layout has none —, ``document``; prefixes stripped, null marker read as ``""``),
        ``posting_date`` (datetime64) and ``line`` (line of the file). ``frame.attrs["chorus_lines"]``
        holds the counts ``read`` (data lines), ``activity`` (lines on the activity) and ``kept`` (rows);
        ``frame.attrs["chorus_activities"]`` the activity filter.

    Raises
    ------
    ChorusError
        No file, unreadable file, no header line, a missing column, or bad cells (every problem
        listed: file, line, column as headed, value, what was expected).
    ParameterError
        A bad mapping file.
    """
    check_lang(lang)
    m = mapping if isinstance(mapping, ChorusMapping) else load_chorus_mapping(mapping, lang=lang)
    p = Path(path)
    source = shown_path(p)
    rows = _raw_rows(p, m, source)
    pos, header, found = _find_header(rows, m, source)
    parser = _LineParser(m, source, header, found, lang)
    records: list[dict[str, Any]] = []
    read = 0
    for line, cells in rows[pos + 1:]:
        if _is_skipped(cells, m):
            continue
        read += 1
        records.extend(parser.records(line, cells))
    if parser.problems:
        texts = _texts("chorus.err.headline", file=source, n=len(parser.problems))
        raise ChorusError(texts["en"], parser.problems, texts=texts)
    frame = _frame(records, {"read": read, "activity": parser.on_activity})
    frame.attrs["chorus_activities"] = list(m.activities)
    return frame


def _frame(records: list[dict[str, Any]], counts: dict[str, int]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=[*CHORUS_COLUMNS, "_counted"])
    kept = frame.loc[frame["_counted"].astype(bool)].drop(columns="_counted")
    kept = kept.astype({"year": "int64", "quarter": "int64", "amount_keur": "float64", "line": "int64",
                        "posting_date": "datetime64[ns]"})
    for col in ("credit", "financial_centre", "functional_domain", "activity", "amount_type", "document"):
        kept[col] = kept[col].astype("str")
    kept = kept.sort_values(["posting_date", "line", "credit"], kind="stable").reset_index(drop=True)
    kept.attrs["chorus_lines"] = {**counts, "kept": len(kept)}
    return kept


# --------------------------------------------------------------------------------------
# Cross-check with the workbook
# --------------------------------------------------------------------------------------


def credits_crosscheck(actuals: Any, chorus: pd.DataFrame, *, threshold_keur: float = 1.0) -> pd.DataFrame:
    """Compare the workbook's FTAP credits with the credits booked in Chorus, quarter by quarter.

    Parameters
    ----------
    actuals : Actuals or pandas.DataFrame
        The officer's workbook (:func:`~incubo_analysis.monitoring.reader.read_actuals`) or its
        ``credits`` table (``source``, ``year``, ``quarter``, ``ae_keur``, ``cp_keur``).
    chorus : pandas.DataFrame
        :func:`read_chorus_extract` (``year``, ``quarter``, ``credit``, ``amount_keur``).
    threshold_keur : float
        A difference whose absolute value is strictly above it is ``flagged`` (k€, default 1.0).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CROSSCHECK_COLUMNS`, one row per year × quarter × credit present on either
        side (sorted): ``workbook_keur`` (FTAP credits of the workbook summed over axes and budget
        titles; NaN when the workbook has no FTAP row for it), ``chorus_keur`` (NaN when Chorus has
        no kept line for it), ``difference_keur`` = Chorus − workbook (a missing side counts as 0),
        rounded to 10⁻⁶ k€, and ``flagged``.

    Examples
    --------
    >>> wb = pd.DataFrame({"source": ["FTAP", "cofinancing"], "year": [2019, 2019], "quarter": [1, 1],
    ...                    "ae_keur": [10.0, 5.0], "cp_keur": [2.0, 5.0]})
    >>> ch = pd.DataFrame({"year": [2019, 2019], "quarter": [1, 1], "credit": ["AE", "CP"],
    ...                    "amount_keur": [10.0, 3.5]})
    >>> credits_crosscheck(wb, ch)[["credit", "difference_keur", "flagged"]].values.tolist()
    [['AE', 0.0, False], ['CP', 1.5, True]]
    """
    if isinstance(threshold_keur, bool) or not isinstance(threshold_keur, int | float) \
            or not math.isfinite(threshold_keur) or threshold_keur < 0:
        _raise(ParameterError, "chorus.map.bad_value", file="credits_crosscheck", key="threshold_keur",
               what=_what("chorus.what.threshold"), value=threshold_keur)
    credits = actuals.credits if hasattr(actuals, "credits") else actuals
    keys = ["year", "quarter", "credit"]
    ftap = credits.loc[credits["source"] == "FTAP", ["year", "quarter", "ae_keur", "cp_keur"]]
    wb = ftap.rename(columns={"ae_keur": "AE", "cp_keur": "CP"}).melt(
        id_vars=["year", "quarter"], value_vars=list(CREDITS), var_name="credit", value_name="workbook_keur")
    wb = wb.groupby(keys, as_index=False)["workbook_keur"].sum()
    ch = chorus.groupby(keys, as_index=False)["amount_keur"].sum().rename(columns={"amount_keur": "chorus_keur"})
    out = wb.merge(ch, how="outer", on=keys)
    out["difference_keur"] = out["chorus_keur"].fillna(0.0) - out["workbook_keur"].fillna(0.0)
    for col in ("workbook_keur", "chorus_keur", "difference_keur"):
        out[col] = out[col].astype("float64").round(6) + 0.0  # + 0.0: no negative zero
    out["flagged"] = out["difference_keur"].abs() > threshold_keur
    out = out.astype({"year": "int64", "quarter": "int64", "credit": "str", "flagged": "bool"})
    return out.sort_values(keys, kind="stable").reset_index(drop=True)[list(CROSSCHECK_COLUMNS)]


def chorus_summary(chorus: pd.DataFrame, *, source: str = "", crosscheck: pd.DataFrame | None = None,
                   actuals_source: str = "", threshold_keur: float = 1.0, lang: str = "fr") -> str:
    """The short console summary of ``incubo check --chorus``: lines kept, AE/CP by year, differences.

    Parameters
    ----------
    chorus : pandas.DataFrame
        :func:`read_chorus_extract` (its ``attrs["chorus_lines"]`` counts are shown when present).
    source, actuals_source : str
        File names shown.
    crosscheck : pandas.DataFrame, optional
        :func:`credits_crosscheck`; its flagged rows are listed.
    threshold_keur : float
        The threshold used for ``crosscheck`` (k€, shown).
    lang : {"fr", "en"}

    Returns
    -------
    str
    """
    counts = chorus.attrs.get("chorus_lines", {"read": len(chorus), "activity": len(chorus), "kept": len(chorus)})
    codes = ", ".join(chorus.attrs.get("chorus_activities") or sorted(chorus["activity"].unique())) or "–"
    lines = [label("chorus.summary.title", lang).format(file=source),
             label("chorus.summary.lines", lang).format(code=codes, **counts)]
    if chorus.empty:
        lines.append(label("chorus.summary.nothing", lang))
    else:
        lines.append(label("chorus.summary.by_year", lang))
        table = chorus.pivot_table(index="year", columns="credit", values="amount_keur", aggfunc="sum")
        for year, row in table.iterrows():
            lines.append(label("chorus.summary.year", lang).format(
                year=year, ae=fmt_keur(row.get("AE"), lang=lang), cp=fmt_keur(row.get("CP"), lang=lang)))
    if crosscheck is not None:
        lines.extend(_crosscheck_lines(crosscheck, actuals_source, threshold_keur, lang))
    return "\n".join(lines)


def _crosscheck_lines(crosscheck: pd.DataFrame, source: str, threshold_keur: float, lang: str) -> list[str]:
    flagged = crosscheck.loc[crosscheck["flagged"]]
    threshold = fmt_keur(threshold_keur, lang=lang)
    if flagged.empty:
        return [label("chorus.summary.no_difference", lang).format(file=source, threshold=threshold)]
    out = [label("chorus.summary.crosscheck", lang).format(file=source, n=len(flagged), threshold=threshold)]
    for row in flagged.itertuples(index=False):
        quarter = quarter_code(pd.Period(year=int(row.year), quarter=int(row.quarter), freq="Q"))
        out.append(label("chorus.summary.difference", lang).format(
            quarter=quarter, credit=row.credit, workbook=fmt_keur(row.workbook_keur, 2, lang=lang),
            chorus=fmt_keur(row.chorus_keur, 2, lang=lang), difference=fmt_keur(row.difference_keur, 2, lang=lang)))
    return out

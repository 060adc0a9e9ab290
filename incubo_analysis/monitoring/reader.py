"""The strict reader of the officer's actuals workbook (the template is :mod:`.template`).

The workbook has three data sheets, each with its header in row 1 and one
record per row below:

``savings``
    ``lever``, ``year``, ``etp_freed`` (FTE actually freed in that year,
    phasing included, >= 0), ``unit_cost_keur`` (k€ per FTE and year; blank =
    the plan's unit cost), ``explanation`` (free text: the reason for a gap).
``credits``
    ``axis`` (1-4), ``title`` (T2/T3/T6), ``source`` (FTAP/cofinancing),
    ``year``, ``quarter`` (1-4), ``ae_keur``, ``cp_keur`` (k€ consumed in that
    quarter).
``indicators``
    ``indicator`` (an id of :func:`incubo_analysis.contract.loaders.load_indicator_targets`),
    ``year``, ``value`` (level reached at the end of that year), ``comment``.

plus a ``README`` sheet (instructions in French) and a hidden ``lists`` sheet
holding the drop-down lists. Extra columns and extra sheets are ignored by the
reader, so the template (:mod:`incubo_analysis.monitoring.template`) shows the
planned figures beside the input cells.

Reading rules (see also ``docs/assumptions.md`` section 4):

- header names are matched case-insensitively, and runs of spaces, hyphens
  and underscores are equivalent (``"Unit Cost KEUR "`` is ``unit_cost_keur``);
  sheet names likewise;
- a row whose cells in the required columns are all blank is skipped; so is a
  row whose *value* cells are all blank (the template pre-fills the key
  columns: such a row means "nothing reported"), unless its free-text cell is
  filled (then the missing value is reported as a problem);
- in ``credits``, a blank ``ae_keur`` or ``cp_keur`` is read as 0 when the
  other one is filled;
- codes are matched case-insensitively (``"ftap"`` is ``FTAP``); years, axes
  and quarters may be integral floats (``2019.0``) but not ``2019.5``; a
  number stored as text is refused;
- formulas are read through the values cached by the spreadsheet program; a
  formula with no cached value (a file written by a program that does not
  compute) is refused, never read as 0.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from incubo_analysis.contract.schema import AXES, CONTRACT_YEARS, LEVERS, SOURCES, TITLES
from incubo_analysis.errors import ActualsError
from incubo_analysis.io import sha256_file

__all__ = [
    "Actuals",
    "read_actuals",
    "SAVINGS_ACTUALS_COLUMNS",
    "CREDITS_ACTUALS_COLUMNS",
    "INDICATORS_ACTUALS_COLUMNS",
    "DATA_SHEETS",
]

SAVINGS_ACTUALS_COLUMNS: tuple[str, ...] = (
    "lever", "year", "etp_freed", "unit_cost_keur", "explanation",
)
CREDITS_ACTUALS_COLUMNS: tuple[str, ...] = (
    "axis", "title", "source", "year", "quarter", "ae_keur", "cp_keur",
)
INDICATORS_ACTUALS_COLUMNS: tuple[str, ...] = ("indicator", "year", "value", "comment")

DATA_SHEETS: dict[str, tuple[str, ...]] = {
    "savings": SAVINGS_ACTUALS_COLUMNS,
    "credits": CREDITS_ACTUALS_COLUMNS,
    "indicators": INDICATORS_ACTUALS_COLUMNS,
}

# Which columns form the key of a record, which hold the reported values and
# which hold free text (see the module docstring for the blank-row rule).
_KEYS: dict[str, tuple[str, ...]] = {
    "savings": ("lever", "year"),
    "credits": ("axis", "title", "source", "year", "quarter"),
    "indicators": ("indicator", "year"),
}
_VALUES: dict[str, tuple[str, ...]] = {
    "savings": ("etp_freed", "unit_cost_keur"),
    "credits": ("ae_keur", "cp_keur"),
    "indicators": ("value",),
}
_TEXTS: dict[str, tuple[str, ...]] = {
    "savings": ("explanation",),
    "credits": (),
    "indicators": ("comment",),
}

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # an actuals workbook is a few hundred kB
_EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)


# --------------------------------------------------------------------------- #
# The result object
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class Actuals:
    """The three tidy tables of a validated actuals workbook.

    Attributes
    ----------
    savings : pandas.DataFrame
        ``lever`` (str), ``year`` (int), ``etp_freed`` (float, FTE),
        ``unit_cost_keur`` (float, k€ per FTE and year; NaN = the plan's),
        ``explanation`` (str, "" when blank). One row per lever × year.
    credits : pandas.DataFrame
        ``axis`` (int), ``title``, ``source`` (str), ``year``, ``quarter``
        (int), ``ae_keur``, ``cp_keur`` (float, k€ consumed in the quarter).
    indicators : pandas.DataFrame
        ``indicator`` (str), ``year`` (int), ``value`` (float, level at the
        end of the year; shares as 0-1), ``comment`` (str).
    path : pathlib.Path
        The workbook read.
    sha256 : str
        SHA-256 of the workbook's bytes (provenance).
    """

    savings: pd.DataFrame
    credits: pd.DataFrame
    indicators: pd.DataFrame
    path: Path
    sha256: str

    @property
    def years(self) -> tuple[int, ...]:
        """Sorted years present in any of the three tables."""
        years: set[int] = set()
        for frame in (self.savings, self.credits, self.indicators):
            years.update(int(y) for y in frame["year"])
        return tuple(sorted(years))


def _empty_frames() -> dict[str, pd.DataFrame]:
    return {
        "savings": _frame([], "savings"),
        "credits": _frame([], "credits"),
        "indicators": _frame([], "indicators"),
    }


_DTYPES: dict[str, dict[str, str]] = {
    "savings": {"lever": "str", "year": "int64", "etp_freed": "float64",
                "unit_cost_keur": "float64", "explanation": "str"},
    "credits": {"axis": "int64", "title": "str", "source": "str", "year": "int64",
                "quarter": "int64", "ae_keur": "float64", "cp_keur": "float64"},
    "indicators": {"indicator": "str", "year": "int64", "value": "float64", "comment": "str"},
}


def _frame(records: list[dict[str, Any]], sheet: str) -> pd.DataFrame:
    cols = DATA_SHEETS[sheet]
    frame = pd.DataFrame.from_records(records, columns=list(cols))
    return frame.astype(_DTYPES[sheet])


# --------------------------------------------------------------------------- #
# Normalisation helpers
# --------------------------------------------------------------------------- #
def _norm_name(value: object) -> str:
    """Normalise a header or sheet name: lower case, spaces/hyphens/underscores → ``_``.

    Examples
    --------
    >>> _norm_name("Unit Cost KEUR ")
    'unit_cost_keur'
    >>> _norm_name("etp-freed")
    'etp_freed'
    """
    text = str(value).replace("\xa0", " ").strip().lower()
    return re.sub(r"[\s_\-]+", "_", text).strip("_")


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _show(value: object) -> str:
    """Render a cell value for a message: type-revealing and short."""
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f"text {text!r}"
    if isinstance(value, bool):
        return f"a boolean ({value})"
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return f"a date ({value})"
    return repr(value)


def _number(value: object) -> tuple[float | None, str | None]:
    """Return ``(float, None)`` or ``(None, description of what was found)``."""
    if isinstance(value, bool):
        return None, _show(value)
    if isinstance(value, (int, float)):
        x = float(value)
        if not math.isfinite(x):
            return None, repr(value)
        return x, None
    if isinstance(value, str) and value.strip() in _EXCEL_ERRORS:
        return None, f"the spreadsheet error {value.strip()}"
    if isinstance(value, str):
        hint = ""
        if re.fullmatch(r"\s*-?[\d\s]+([.,]\d+)?\s*", value):
            hint = " (a number stored as text: retype it as a number)"
        return None, _show(value) + hint
    return None, _show(value)


# --------------------------------------------------------------------------- #
# Container checks (before openpyxl parses anything)
# --------------------------------------------------------------------------- #
def _check_container(path: Path, label: str) -> None:
    """Refuse anything that is not a plain, well-formed, entity-free xlsx zip."""
    _check_file(path, label)
    try:
        with zipfile.ZipFile(path) as zf:
            _check_members(zf, label)
    except zipfile.BadZipFile as exc:
        raise ActualsError(
            f"{label}: truncated or corrupt xlsx workbook (the zip archive cannot be read: {exc}); "
            "expected a complete .xlsx file"
        ) from None
    except (zipfile.LargeZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise ActualsError(
            f"{label}: truncated or corrupt xlsx workbook ({type(exc).__name__}: {exc})"
        ) from None


def _check_file(path: Path, label: str) -> None:
    """Refuse a missing, empty or non-file path, and a file that is not a zip archive."""
    if not path.exists():
        raise ActualsError(f"{label}: file not found (expected an .xlsx actuals workbook)")
    if not path.is_file():
        raise ActualsError(f"{label}: not a file (expected an .xlsx actuals workbook)")
    if path.stat().st_size == 0:
        raise ActualsError(f"{label}: empty file (0 bytes), expected an .xlsx workbook")
    with open(path, "rb") as fh:
        head = fh.read(512)
    if head.startswith(_OLE2_MAGIC):
        raise ActualsError(
            f"{label}: found an OLE2 compound file (magic bytes D0 CF 11 E0): a "
            "password-protected or old .xls workbook; expected an unprotected .xlsx "
            "(remove the password, or save it as 'Classeur Excel (.xlsx)')"
        )
    if not head.startswith(_ZIP_MAGIC):
        kind = "a text file (a CSV renamed .xlsx?)" if _looks_like_text(head) else "an unknown binary file"
        raise ActualsError(
            f"{label}: not an xlsx workbook: found {kind}, starting {head[:16]!r}; "
            "expected an .xlsx file (a zip archive starting with 'PK')"
        )


def _check_members(zf: zipfile.ZipFile, label: str) -> None:
    """Refuse a zip that is not a workbook, would expand too much, or carries unsafe XML."""
    infos = zf.infolist()
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ActualsError(
            f"{label}: a zip archive but not an xlsx workbook "
            "(no [Content_Types].xml or xl/workbook.xml; an .ods or another format?); "
            "expected an .xlsx workbook"
        )
    total = sum(i.file_size for i in infos)
    if total > _MAX_UNCOMPRESSED_BYTES:
        raise ActualsError(
            f"{label}: the workbook would expand to {total} bytes "
            f"(more than {_MAX_UNCOMPRESSED_BYTES}); refused as a possible zip bomb"
        )
    for info in infos:
        _check_part(zf, info, label)


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            head.decode("cp1252")
        except UnicodeDecodeError:  # pragma: no cover - cp1252 decodes nearly anything
            return False
    return b"\x00" not in head


def _check_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> None:
    """Parse one XML part with defusedxml: entity declarations and DTD tricks are refused."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    name = info.filename
    if name.endswith("/"):
        return
    data = zf.read(info)  # checks the CRC: a corrupt member raises BadZipFile
    lowered = name.lower()
    if b"<!entity" in data[:65536].lower():
        raise ActualsError(
            f"{label}: part {name} declares XML entities (a possible entity bomb); "
            "refused: expected a workbook saved by Excel or LibreOffice"
        )
    if not (lowered.endswith(".xml") or lowered.endswith(".rels")):
        return
    try:
        fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ActualsError(
            f"{label}: part {name} carries forbidden XML ({type(exc).__name__}: a possible "
            "entity bomb or external entity); refused"
        ) from None
    except ParseError as exc:
        raise ActualsError(
            f"{label}: part {name} is not well-formed XML ({exc}): truncated or corrupt workbook"
        ) from None


def _load(path: Path, label: str, *, data_only: bool) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(path, data_only=data_only, read_only=False)
    except ActualsError:  # pragma: no cover
        raise
    except Exception as exc:  # noqa: BLE001 - the file boundary: any parser failure is bad input
        raise ActualsError(
            f"{label}: cannot be read as an xlsx workbook ({type(exc).__name__}: {exc})"
        ) from None


# --------------------------------------------------------------------------- #
# The reader
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class _Codes:
    years: tuple[int, int]
    indicators: dict[str, str]  # id -> unit
    indicator_order: tuple[str, ...]


def _codes(scenario: Any | None) -> _Codes:
    from incubo_analysis.contract.loaders import load_indicator_targets

    last = max(CONTRACT_YEARS)
    if scenario is not None:
        last = max(last, int(scenario.horizon_end))
    targets = load_indicator_targets()
    order = tuple(dict.fromkeys(str(i) for i in targets["indicator"]))
    units = {str(i): str(u) for i, u in zip(targets["indicator"], targets["unit"], strict=True)}
    return _Codes(years=(min(CONTRACT_YEARS), last), indicators=units, indicator_order=order)


def read_actuals(path: str | os.PathLike[str], *, scenario: Any | None = None) -> Actuals:
    """Read and validate the officer's actuals workbook.

    Parameters
    ----------
    path : path
        The ``.xlsx`` workbook (made from :func:`write_actuals_template`, saved by
        Excel or LibreOffice).
    scenario : Scenario, optional
        Only its ``horizon_end`` is used: years are accepted from 2018 to
        ``max(2022, horizon_end)``. Default: 2018-2022.

    Returns
    -------
    Actuals
        The three tidy tables, sorted by their keys, plus the file's path and
        SHA-256.

    Raises
    ------
    ActualsError
        With every problem found, each naming the sheet and cell (``savings!C7``),
        the value found and what was expected; or a single message when the
        file is not a readable, safe xlsx workbook.
    """
    path = Path(path)
    label = str(path)
    _check_container(path, label)
    codes = _codes(scenario)
    wb_values = _load(path, label, data_only=True)
    wb_formulas = _load(path, label, data_only=False)
    problems: list[str] = []
    frames = _empty_frames()
    try:
        sheet_by_norm: dict[str, str] = {}
        for name in wb_values.sheetnames:
            sheet_by_norm.setdefault(_norm_name(name), name)
        for sheet, columns in DATA_SHEETS.items():
            real = sheet_by_norm.get(sheet)
            if real is None:
                problems.append(
                    f"sheet {sheet!r} is missing (found sheets: {', '.join(map(repr, wb_values.sheetnames))}); "
                    f"expected a sheet {sheet!r} with columns {', '.join(columns)}"
                )
                continue
            records = _read_sheet(sheet, real, wb_values[real], wb_formulas[real], codes, problems)
            if records is not None:
                frames[sheet] = _sort(_frame(records, sheet), sheet, codes)
    finally:
        wb_values.close()
        wb_formulas.close()
    if problems:
        n = len(problems)
        raise ActualsError(f"{label}: {n} problem{'s' if n > 1 else ''}", problems=problems)
    return Actuals(
        savings=frames["savings"],
        credits=frames["credits"],
        indicators=frames["indicators"],
        path=path,
        sha256=sha256_file(path),
    )


def _sort(frame: pd.DataFrame, sheet: str, codes: _Codes) -> pd.DataFrame:
    if frame.empty:
        return frame.reset_index(drop=True)
    if sheet == "savings":
        order = {lever: i for i, lever in enumerate(LEVERS)}
        key = frame["lever"].map(order)
        return (frame.assign(_k=key).sort_values(["_k", "year"], kind="stable")
                .drop(columns="_k").reset_index(drop=True))
    if sheet == "indicators":
        order = {ind: i for i, ind in enumerate(codes.indicator_order)}
        key = frame["indicator"].map(order)
        return (frame.assign(_k=key).sort_values(["_k", "year"], kind="stable")
                .drop(columns="_k").reset_index(drop=True))
    return frame.sort_values(list(_KEYS["credits"]), kind="stable").reset_index(drop=True)

def _read_sheet(
    sheet: str,
    real: str,
    ws_values: Any,
    ws_formulas: Any,
    codes: _Codes,
    problems: list[str],
) -> list[dict[str, Any]] | None:
    """Read one data sheet; append located problems; return the records (None if unusable)."""
    header = _header(sheet, real, ws_values, problems)
    if header is None:
        return None
    records: list[dict[str, Any]] = []
    first_row: dict[tuple[Any, ...], int] = {}
    for row in range(2, (ws_values.max_row or 1) + 1):
        cells = _Row(sheet, real, row, header, ws_values, ws_formulas, problems)
        if cells.unusable():
            continue
        record = _PARSERS[sheet](cells, codes)
        if record is None:
            continue
        key = tuple(record[k] for k in _KEYS[sheet])
        if key in first_row:
            shown = ", ".join(f"{k}={v}" for k, v in zip(_KEYS[sheet], key, strict=True))
            problems.append(
                f"{real}!{row}: duplicate key ({shown}) already on row {first_row[key]}; "
                "expected one row per " + " × ".join(_KEYS[sheet])
            )
            continue
        first_row[key] = row
        records.append(record)
    return records


def _header(sheet: str, real: str, ws_values: Any, problems: list[str]) -> dict[str, int] | None:
    """Map each required column name to its 1-based column index (None if one is missing)."""
    from openpyxl.utils import get_column_letter

    required = DATA_SHEETS[sheet]
    header: dict[str, int] = {}
    seen_at: dict[str, str] = {}
    max_col = ws_values.max_column or 0
    found: list[str] = []
    for col in range(1, max_col + 1):
        raw = ws_values.cell(row=1, column=col).value
        if _is_blank(raw):
            continue
        found.append(str(raw))
        name = _norm_name(raw)
        if name not in required:
            continue
        ref = f"{get_column_letter(col)}1"
        if name in header:
            problems.append(
                f"{real}!{ref}: column {name!r} appears twice (already at {seen_at[name]}); "
                "expected each column once"
            )
            continue
        header[name] = col
        seen_at[name] = ref
    missing = [c for c in required if c not in header]
    for name in missing:
        problems.append(
            f"{real}!1: required column {name!r} is missing from the header row "
            f"(found: {', '.join(map(repr, found)) or 'nothing'}); expected columns "
            f"{', '.join(required)}"
        )
    return None if missing else header


class _Row:
    """The required cells of one data row, and the checks that turn them into typed values.

    Every check appends a located problem (``savings!C7 (etp_freed): found ...;
    expected ...``) to ``problems`` and returns None when the cell is refused.
    """

    def __init__(self, sheet: str, real: str, row: int, header: dict[str, int],
                 ws_values: Any, ws_formulas: Any, problems: list[str]) -> None:
        from openpyxl.utils import get_column_letter

        self.sheet, self.row, self.problems = sheet, row, problems
        required = DATA_SHEETS[sheet]
        self.cells = {name: ws_values.cell(row=row, column=header[name]).value for name in required}
        self.ref = {name: f"{real}!{get_column_letter(header[name])}{row}" for name in required}
        self.formulas = {
            name: ws_formulas.cell(row=row, column=header[name]).value
            for name in required
            if self.cells[name] is None and ws_formulas.cell(row=row, column=header[name]).data_type == "f"
        }

    def unusable(self) -> bool:
        """True for a row to skip: uncached formulas (reported), blank, or no value reported."""
        for name, formula in self.formulas.items():
            self.problems.append(
                f"{self.ref[name]} ({name}): a formula ({str(formula)[:40]}) with no cached value; "
                "expected a computed value: open the workbook in Excel or LibreOffice, "
                "let it recalculate, and save it"
            )
        if self.formulas or all(_is_blank(v) for v in self.cells.values()):
            return True
        if not all(_is_blank(self.cells[c]) for c in _VALUES[self.sheet]):
            return False
        texts = [c for c in _TEXTS[self.sheet] if not _is_blank(self.cells[c])]
        if texts:  # pre-filled keys and a comment, but no value
            first_value = _VALUES[self.sheet][0]
            self.problems.append(
                f"{self.ref[first_value]} ({first_value}): blank, but {texts[0]!r} is filled "
                f"on row {self.row}; expected a value (or clear the row: a row with no value "
                "means nothing reported)"
            )
        return True  # pre-filled keys, nothing reported

    def bad(self, name: str, found: str, expected: str) -> None:
        """Record a refused cell."""
        self.problems.append(f"{self.ref[name]} ({name}): found {found}; expected {expected}")

    def code(self, name: str, allowed: Sequence[str], *, fold: str = "name") -> str | None:
        """A code of ``allowed``, matched case-insensitively (``fold="upper"``: upper-cased)."""
        value = self.cells[name]
        expected = "one of " + ", ".join(allowed)
        if _is_blank(value):
            self.bad(name, "a blank cell", expected)
            return None
        if not isinstance(value, str):
            self.bad(name, _show(value), expected)
            return None
        lookup = {(_norm_name(a) if fold == "name" else a.strip().upper()): a for a in allowed}
        probe = _norm_name(value) if fold == "name" else value.strip().upper()
        if probe not in lookup:
            self.bad(name, f"unknown {name} {value.strip()!r}", expected)
            return None
        return lookup[probe]

    def integer(self, name: str, low: int, high: int, what: str) -> int | None:
        """A whole number from ``low`` to ``high`` (an integral float such as 2019.0 is accepted)."""
        value = self.cells[name]
        expected = f"{what} from {low} to {high}"
        if _is_blank(value):
            self.bad(name, "a blank cell", expected)
            return None
        x, found = _number(value)
        if x is None:
            self.bad(name, found or _show(value), expected)
            return None
        if not x.is_integer():
            self.bad(name, repr(value), f"a whole number: {expected}")
            return None
        if not low <= x <= high:
            self.bad(name, repr(int(x)), expected)
            return None
        return int(x)

    def amount(self, name: str, what: str, *, required: bool, positive: bool = False) -> float | None:
        """A number >= 0 (> 0 if ``positive``); NaN for a blank cell that is not ``required``."""
        value = self.cells[name]
        expected = f"{what} {'> 0' if positive else '>= 0'}"
        if _is_blank(value):
            if required:
                self.bad(name, "a blank cell", expected)
            return math.nan
        x, found = _number(value)
        if x is None:
            self.bad(name, found or _show(value), f"a number: {expected}")
            return None
        if x < 0 or (positive and x == 0):
            self.bad(name, repr(value), expected)
            return None
        return x

    def text(self, name: str) -> str:
        """Free text, stripped; "" for a blank cell; ``12.0`` typed as a number reads "12"."""
        value = self.cells[name]
        if _is_blank(value):
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def indicator_value(self, indicator: str | None, units: dict[str, str]) -> float | None:
        """The level reached: a number; a share at most 1; >= 0 unless a share of reduction."""
        value = self.cells["value"]
        x, found = _number(value)
        if x is None:
            self.bad("value", found or _show(value), "a number")
            return None
        if indicator is None:
            return x
        unit = units.get(indicator, "")
        if unit == "share" and x > 1:
            self.bad("value", repr(value), f"a share from 0 to 1 for {indicator} (type 0.75 or 75 % for 75 %)")
            return None
        if x < 0 and not (unit == "share" and "reduction" in indicator):
            self.bad("value", repr(value), f"a value >= 0 for {indicator}")
            return None
        return x


def _checked(row: _Row, record: dict[str, Any], before: int) -> dict[str, Any] | None:
    """``record``, or None if reading it added a problem."""
    return None if len(row.problems) > before else record


def _parse_savings(row: _Row, codes: _Codes) -> dict[str, Any] | None:
    before = len(row.problems)
    low, high = codes.years
    record = {
        "lever": row.code("lever", LEVERS),
        "year": row.integer("year", low, high, "a contract year"),
        "etp_freed": row.amount("etp_freed", "a number of FTE", required=True),
        "unit_cost_keur": row.amount("unit_cost_keur", "a unit cost in k€ per FTE and year (or blank)",
                                     required=False, positive=True),
        "explanation": row.text("explanation"),
    }
    return _checked(row, record, before)


def _parse_credits(row: _Row, codes: _Codes) -> dict[str, Any] | None:
    before = len(row.problems)
    low, high = codes.years
    record = {
        "axis": row.integer("axis", min(AXES), max(AXES), "an axis"),
        "title": row.code("title", TITLES, fold="upper"),
        "source": row.code("source", SOURCES),
        "year": row.integer("year", low, high, "a contract year"),
        "quarter": row.integer("quarter", 1, 4, "a quarter"),
    }
    for name in ("ae_keur", "cp_keur"):
        x = row.amount(name, "an amount in k€", required=False)
        # One of the two is filled (blank-value rows were skipped): blank other = 0.
        record[name] = 0.0 if x is not None and math.isnan(x) else x
    return _checked(row, record, before)


def _parse_indicators(row: _Row, codes: _Codes) -> dict[str, Any] | None:
    before = len(row.problems)
    low, high = codes.years
    indicator = row.code("indicator", codes.indicator_order)
    record = {
        "indicator": indicator,
        "year": row.integer("year", low, high, "a contract year"),
        "value": row.indicator_value(indicator, codes.indicators),
        "comment": row.text("comment"),
    }
    return _checked(row, record, before)


_PARSERS = {"savings": _parse_savings, "credits": _parse_credits, "indicators": _parse_indicators}

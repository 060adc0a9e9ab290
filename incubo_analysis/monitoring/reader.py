"""The strict reader of the officer's actuals workbook (the template is :mod:`.template`).

The workbook has six data sheets, each with its header in row 1 and one
record per row below (named here by their codes; the template writes them in
French, "Économies", "Crédits", "Indicateurs", "Jalons", "Risques", "Délais de
référence", with headers such as "ETP libérés",
or in English, and the reader accepts the French label, the English label or the
code of every sheet, header and coded value):

``savings``
    ``lever``, ``year``, ``etp_freed`` (FTE actually freed in that year,
    phasing included, >= 0), ``unit_cost_keur`` (k€ per FTE and year; blank =
    the plan's unit cost), ``explanation`` (free text: the reason for a gap), and
    the ledger columns (optional, blank in older workbooks) ``nature`` (code),
    ``programme``, ``justificatif`` (free text).
``credits``
    ``axis`` (1-4), ``title`` (T2/T3/T6), ``source`` (FTAP/cofinancing),
    ``year``, ``quarter`` (1-4), ``ae_keur``, ``cp_keur`` (k€ consumed in that
    quarter).
``indicators``
    ``indicator`` (an id of :func:`incubo_analysis.contract.loaders.load_indicator_targets`),
    ``year``, ``value`` (level reached at the end of that year), ``comment``.
``milestones``, ``risks``, ``reference_delays`` (optional sheets, empty when absent)
    parsed by :mod:`incubo_analysis.monitoring.reader_sheets`: see :class:`Actuals`.

plus an instructions sheet ("Lisez-moi") and a hidden sheet holding the drop-down
lists. Extra columns and extra sheets are ignored by the
reader, so the template (:mod:`incubo_analysis.monitoring.template`) shows the
planned figures beside the input cells.

Reading rules (see also ``docs/assumptions.md`` section 4):

- sheet names, headers and coded values are compared ignoring case, accents,
  spacing and punctuation (``"Unit Cost KEUR "`` is ``unit_cost_keur``, ``"Économies"``
  is ``economies``), against the code, the French label and the English label
  (:func:`incubo_analysis.monitoring.template.value_lists`,
  :func:`~incubo_analysis.monitoring.template.column_header`); an axis may also be
  ``2``, ``"2"`` or any text starting "Axe 2" / "Axis 2";
- messages are in French by default (``lang="en"`` for English), from the label
  table (keys ``wb.msg.*``), and name each sheet as it is named in the file;
- a row whose cells in the required columns are all blank is skipped; so is a
  row whose *value* cells are all blank (the template pre-fills the key
  columns: such a row means "nothing reported"), unless its free-text cell is
  filled (then the missing value is reported as a problem);
- in ``credits``, a blank ``ae_keur`` or ``cp_keur`` is read as 0 when the
  other one is filled;
- years, axes and quarters may be integral floats (``2019.0``) but not ``2019.5``; a
  number stored as text is refused;
- formulas are read through the values cached by the spreadsheet program; a
  formula with no cached value (a file written by a program that does not
  compute) is refused, never read as 0;
- bounded work (assumptions A17-A19): sheets are streamed (only the rows present
  in the file are visited), at most :data:`ROW_CAP` data rows per sheet, no row
  beyond :data:`EXCEL_MAX_ROW`; numbers within generous domain bounds
  (:data:`MAX_FTE`, :data:`MAX_UNIT_COST_KEUR`, :data:`MAX_AMOUNT_KEUR`,
  :data:`MAX_INDICATOR_VALUE`); two sheets whose names normalise alike are
  refused; any failure of the zip or XML layers is an :class:`ActualsError`
  naming the part or sheet.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import math
import os
import pyexpat
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from pyexpat import ExpatError
from typing import Any

import pandas as pd

from incubo_analysis.contract.schema import AXES, CONTRACT_YEARS, LEVERS
from incubo_analysis.errors import ActualsError
from incubo_analysis.io import sha256_file
from incubo_analysis.labels import check_lang, format_value, label
from incubo_analysis.monitoring.reader_sheets import (
    MAX_DATE,
    MIN_DATE,
    format_workbook_date,
    parse_milestone_row,
    parse_reference_delay_row,
    parse_risk_row,
    parse_workbook_date,
)
from incubo_analysis.monitoring.template import column_header

__all__ = [
    "Actuals",
    "read_actuals",
    "SAVINGS_ACTUALS_COLUMNS",
    "CREDITS_ACTUALS_COLUMNS",
    "INDICATORS_ACTUALS_COLUMNS",
    "MILESTONES_ACTUALS_COLUMNS",
    "RISKS_ACTUALS_COLUMNS",
    "REFERENCE_DELAYS_COLUMNS",
    "DATA_SHEETS",
    "OPTIONAL_SHEETS",
    "ROW_CAP",
    "EXCEL_MAX_ROW",
    "MAX_FTE",
    "MAX_UNIT_COST_KEUR",
    "MAX_AMOUNT_KEUR",
    "MAX_INDICATOR_VALUE",
]

SAVINGS_ACTUALS_COLUMNS: tuple[str, ...] = (
    "lever", "year", "etp_freed", "unit_cost_keur", "explanation", "nature", "programme", "justificatif",
)
CREDITS_ACTUALS_COLUMNS: tuple[str, ...] = (
    "axis", "title", "source", "year", "quarter", "ae_keur", "cp_keur",
)
INDICATORS_ACTUALS_COLUMNS: tuple[str, ...] = ("indicator", "year", "value", "comment")
MILESTONES_ACTUALS_COLUMNS: tuple[str, ...] = ("milestone_id", "done_on", "forecast_on", "comment")
RISKS_ACTUALS_COLUMNS: tuple[str, ...] = (
    "risk_id", "axis", "description", "probability", "impact", "mitigation", "owner", "status",
    "identified_on", "closed_on",
)
REFERENCE_DELAYS_COLUMNS: tuple[str, ...] = ("demarche", "reference_days", "source")

DATA_SHEETS: dict[str, tuple[str, ...]] = {
    "savings": SAVINGS_ACTUALS_COLUMNS,
    "credits": CREDITS_ACTUALS_COLUMNS,
    "indicators": INDICATORS_ACTUALS_COLUMNS,
    "milestones": MILESTONES_ACTUALS_COLUMNS,
    "risks": RISKS_ACTUALS_COLUMNS,
    "reference_delays": REFERENCE_DELAYS_COLUMNS,
}
#: The data sheets a workbook may lack (older workbooks): read as empty tables.
OPTIONAL_SHEETS: frozenset[str] = frozenset({"milestones", "risks", "reference_delays"})
# Columns a sheet may lack (older workbooks): read as blank cells.
_OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {"savings": ("nature", "programme", "justificatif")}
# Free-text keys: two rows whose keys differ only in case, accents, spacing or punctuation are duplicates.
_FREE_KEYS: frozenset[str] = frozenset({"risk_id", "demarche"})

# Which columns form the key of a record, which hold the reported values and
# which hold free text (see the module docstring for the blank-row rule).
_KEYS: dict[str, tuple[str, ...]] = {
    "savings": ("lever", "year"),
    "credits": ("axis", "title", "source", "year", "quarter"),
    "indicators": ("indicator", "year"),
    "milestones": ("milestone_id",),
    "risks": ("risk_id",),
    "reference_delays": ("demarche",),
}
_VALUES: dict[str, tuple[str, ...]] = {
    "savings": ("etp_freed", "unit_cost_keur"),
    "credits": ("ae_keur", "cp_keur"),
    "indicators": ("value",),
    "milestones": ("done_on", "forecast_on", "comment"),  # a comment alone is a report
    "risks": RISKS_ACTUALS_COLUMNS,  # nothing pre-filled: any filled cell makes a record
    "reference_delays": REFERENCE_DELAYS_COLUMNS,
}
_TEXTS: dict[str, tuple[str, ...]] = {
    "savings": ("explanation", "nature", "programme", "justificatif"),
    "credits": (),
    "indicators": ("comment",),
    "milestones": (),
    "risks": (),
    "reference_delays": (),
}

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
# Bounded work (docs/assumptions.md): an actuals workbook is a few hundred kB; ROW_CAP
# records of ~10 cells on each sheet stay far below this expanded size.
_MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
ROW_CAP = 10_000  # data rows read per sheet (rows 2 to 10 001)
EXCEL_MAX_ROW = 1_048_576  # the last row of an Excel or LibreOffice sheet
_MAX_TEXT = 32_767  # characters in one spreadsheet cell
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")

# Domain bounds of the workbook's numbers (generous: any larger value is a typo or an attack,
# and would make the variance and the report overflow; see docs/assumptions.md).
MAX_FTE = 10_000.0  # etp_freed, FTE freed in one year by one lever
MAX_UNIT_COST_KEUR = 10_000.0  # unit_cost_keur, k€ per FTE and year
MAX_AMOUNT_KEUR = 1.0e7  # ae_keur, cp_keur: k€ consumed in one quarter on one line
MAX_INDICATOR_VALUE = 1.0e9  # |value| of an indicator (counts, days, shares)
_EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)


# --------------------------------------------------------------------------- #
# The result object
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class Actuals:
    """The tidy tables of a validated actuals workbook.

    Attributes
    ----------
    savings : pandas.DataFrame
        ``lever`` (str), ``year`` (int), ``etp_freed`` (float, FTE),
        ``unit_cost_keur`` (float, k€ per FTE and year; NaN = the plan's),
        ``explanation`` (str, "" when blank), ``nature`` (str: ``post_cut``,
        ``non_replacement``, ``redeployment``, ``productivity``; "" when blank),
        ``programme`` (str, budget programme or BOP code as typed; "" when blank),
        ``justificatif`` (str, reference of the evidence; "" when blank). One row per
        lever × year.
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
    milestones : pandas.DataFrame
        Sheet "Jalons": ``milestone_id`` (str, an id of
        :func:`incubo_analysis.contract.loaders.load_milestones`), ``done_on`` (date
        reached), ``forecast_on`` (revised due date; both datetime64[ns], NaT when
        blank), ``comment`` (str). One row per milestone reported, in annex III order.
    risks : pandas.DataFrame
        Sheet "Risques": ``risk_id`` (str), ``axis`` (int 1-4), ``description``
        (str), ``probability``, ``impact`` (int 1-4), ``mitigation``, ``owner`` (str),
        ``status`` (``open`` / ``closed``), ``identified_on``, ``closed_on``
        (datetime64[ns]; NaT while open). One row per risk.
    reference_delays : pandas.DataFrame
        Sheet "Délais de référence": ``demarche`` (str), ``reference_days`` (float > 0,
        processing time before dematerialisation, days), ``source`` (str).

    The last three are empty tables (with these columns) when the sheet is absent,
    and default to empty tables so that an ``Actuals`` can be built from the first five.
    """

    savings: pd.DataFrame
    credits: pd.DataFrame
    indicators: pd.DataFrame
    path: Path
    sha256: str
    milestones: pd.DataFrame = field(default_factory=lambda: _frame([], "milestones"))
    risks: pd.DataFrame = field(default_factory=lambda: _frame([], "risks"))
    reference_delays: pd.DataFrame = field(default_factory=lambda: _frame([], "reference_delays"))

    @property
    def years(self) -> tuple[int, ...]:
        """Sorted years present in any of the three tables."""
        years: set[int] = set()
        for frame in (self.savings, self.credits, self.indicators):
            years.update(int(y) for y in frame["year"])
        return tuple(sorted(years))


def _empty_frames() -> dict[str, pd.DataFrame]:
    return {sheet: _frame([], sheet) for sheet in DATA_SHEETS}


_DTYPES: dict[str, dict[str, str]] = {
    "savings": {"lever": "str", "year": "int64", "etp_freed": "float64", "unit_cost_keur": "float64",
                "explanation": "str", "nature": "str", "programme": "str", "justificatif": "str"},
    "credits": {"axis": "int64", "title": "str", "source": "str", "year": "int64",
                "quarter": "int64", "ae_keur": "float64", "cp_keur": "float64"},
    "indicators": {"indicator": "str", "year": "int64", "value": "float64", "comment": "str"},
    "milestones": {"milestone_id": "str", "done_on": "datetime64[ns]", "forecast_on": "datetime64[ns]",
                   "comment": "str"},
    "risks": {"risk_id": "str", "axis": "int64", "description": "str", "probability": "int64", "impact": "int64",
              "mitigation": "str", "owner": "str", "status": "str", "identified_on": "datetime64[ns]",
              "closed_on": "datetime64[ns]"},
    "reference_delays": {"demarche": "str", "reference_days": "float64", "source": "str"},
}


def _frame(records: list[dict[str, Any]], sheet: str) -> pd.DataFrame:
    cols = DATA_SHEETS[sheet]
    frame = pd.DataFrame.from_records(records, columns=list(cols))
    return frame.astype(_DTYPES[sheet])


# --------------------------------------------------------------------------- #
# Normalisation helpers
# --------------------------------------------------------------------------- #
def _norm_name(value: object) -> str:
    """Normalise a header, sheet name or coded value: case, accents, spacing and punctuation ignored.

    Examples
    --------
    >>> _norm_name("Unit Cost KEUR ")
    'unit_cost_keur'
    >>> _norm_name("etp-freed")
    'etp_freed'
    >>> _norm_name(" Économies "), _norm_name("Coût unitaire (k€/ETP)")
    ('economies', 'cout_unitaire_k_etp')
    """
    text = unicodedata.normalize("NFKD", str(value).replace("\xa0", " ").lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


def _t(message: str, lang: str, /, **fields: object) -> str:
    """The message ``message`` (a key of the label table) in ``lang``, its fields filled."""
    return label(message, lang).format(**fields)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _show(value: object, lang: str) -> str:
    """Render a cell value for a message: type-revealing and short."""
    if isinstance(value, str):
        return _t("wb.found.text", lang, text=_clip(value))
    if isinstance(value, bool):
        return _t("wb.found.boolean", lang, value=label("wb.found.true" if value else "wb.found.false", lang))
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return _t("wb.found.date", lang, value=value)
    if isinstance(value, int) and abs(value) >= 10**15:
        return _t("wb.found.huge", lang, digits=f"{value.bit_length() * 0.30103:.0f}")
    text = repr(value)
    if lang == "fr" and isinstance(value, float) and math.isfinite(value):
        text = text.replace(".", ",")
    return text if len(text) <= 40 else text[:37] + "..."


def _clip(text: str, limit: int = 40) -> str:
    """``text`` quoted and cut to ``limit`` characters (messages never show a whole long value)."""
    return repr(_cut(text, limit))


def _cut(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _number(value: object, lang: str) -> tuple[float | None, str | None]:
    """Return ``(float, None)`` or ``(None, description of what was found)``."""
    if isinstance(value, bool):
        return None, _show(value, lang)
    if isinstance(value, (int, float)):
        try:
            x = float(value)
        except OverflowError:
            return None, _show(value, lang)
        if not math.isfinite(x):
            return None, repr(value)
        return x, None
    if isinstance(value, str) and value.strip() in _EXCEL_ERRORS:
        return None, _t("wb.found.excel_error", lang, error=value.strip())
    if isinstance(value, str):
        hint = ""
        if re.fullmatch(r"\s*-?[\d\s]+([.,]\d+)?\s*", value):
            hint = label("wb.found.number_as_text", lang)
        return None, _show(value, lang) + hint
    return None, _show(value, lang)


# --------------------------------------------------------------------------- #
# Container checks (before openpyxl parses anything)
# --------------------------------------------------------------------------- #
def _check_container(path: Path, where: str, lang: str) -> None:
    """Refuse anything that is not a plain, well-formed, entity-free xlsx zip."""
    _check_file(path, where, lang)
    try:
        with zipfile.ZipFile(path) as zf:
            _check_members(zf, where, lang)
    except zipfile.BadZipFile as exc:
        raise ActualsError(_t("wb.msg.bad_zip", lang, path=where, reason=_short(exc))) from None
    except (zipfile.LargeZipFile, zlib.error, EOFError, OSError, NotImplementedError,
            RuntimeError, ValueError) as exc:
        raise ActualsError(
            _t("wb.msg.corrupt", lang, path=where, reason=f"{type(exc).__name__}: {_short(exc)}")
        ) from None


def _short(exc: BaseException, limit: int = 80) -> str:
    """The first line of an exception's text, at most ``limit`` characters."""
    lines = str(exc).strip().splitlines()
    return _cut(lines[0] if lines else type(exc).__name__, limit)


def _check_file(path: Path, where: str, lang: str) -> None:
    """Refuse a missing, empty or non-file path, and a file that is not a zip archive."""
    if not path.exists():
        raise ActualsError(_t("wb.msg.not_found", lang, path=where))
    if not path.is_file():
        raise ActualsError(_t("wb.msg.not_a_file", lang, path=where))
    if path.stat().st_size == 0:
        raise ActualsError(_t("wb.msg.empty_file", lang, path=where))
    with open(path, "rb") as fh:
        head = fh.read(512)
    if head.startswith(_OLE2_MAGIC):
        raise ActualsError(_t("wb.msg.ole2", lang, path=where))
    if not head.startswith(_ZIP_MAGIC):
        kind = label("wb.msg.kind_text" if _looks_like_text(head) else "wb.msg.kind_binary", lang)
        raise ActualsError(_t("wb.msg.not_zip", lang, path=where, kind=kind, head=repr(head[:16])))


def _check_members(zf: zipfile.ZipFile, where: str, lang: str) -> None:
    """Refuse a zip that is not a workbook, would expand too much, or carries unsafe XML."""
    infos = zf.infolist()
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ActualsError(_t("wb.msg.not_workbook", lang, path=where))
    total = sum(i.file_size for i in infos)
    if total > _MAX_UNCOMPRESSED_BYTES:
        raise ActualsError(_t("wb.msg.too_big", lang, path=where, size=total,
                              limit=_MAX_UNCOMPRESSED_BYTES, cap=ROW_CAP))
    for info in infos:
        if info.flag_bits & 0x1:
            raise ActualsError(_t("wb.msg.encrypted", lang, path=where, part=_cut(info.filename)))
    for info in infos:
        _check_part(zf, info, where, lang)


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            head.decode("cp1252")
        except UnicodeDecodeError:  # pragma: no cover - cp1252 decodes nearly anything
            return False
    return b"\x00" not in head


def _check_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, lang: str) -> None:
    """Stream one part: entity declarations and DTD tricks are refused (defusedxml), CRC checked.

    The XML is parsed incrementally by expat (nothing kept), so memory stays small
    whatever the part's size; a part that is not XML is read through for its CRC.
    """
    from defusedxml import DefusedXmlException

    name = info.filename
    if name.endswith("/"):
        return
    with zf.open(info) as fh:
        head = fh.read(65536)
        if b"<!entity" in head.lower():
            raise ActualsError(_t("wb.msg.entities", lang, path=where, part=_cut(name)))
    lowered = name.lower()
    if not (lowered.endswith(".xml") or lowered.endswith(".rels")):
        with zf.open(info) as fh:  # reading to the end checks the CRC
            while fh.read(1 << 20):
                pass
        return
    try:
        with zf.open(info) as fh:
            _scan_xml(fh)
    except DefusedXmlException as exc:
        raise ActualsError(_t("wb.msg.forbidden_xml", lang, path=where, part=_cut(name),
                              reason=type(exc).__name__)) from None
    except ExpatError as exc:
        raise ActualsError(_t("wb.msg.bad_xml", lang, path=where, part=_cut(name), reason=_short(exc))) from None


def _scan_xml(fh: Any) -> None:
    """Parse an XML stream with expat, refusing entity declarations and external references.

    The guards are defusedxml's (its exceptions, the handlers its parsers install); no
    element handler is set, so expat runs at C speed and keeps nothing in memory.
    """
    from defusedxml import EntitiesForbidden, ExternalReferenceForbidden

    def entity_decl(name: str, _is_param: object, value: object, base: object, sysid: object,
                    pubid: object, notation: object) -> None:
        raise EntitiesForbidden(name, value, base, sysid, pubid, notation)

    def unparsed_entity_decl(name: str, base: object, sysid: object, pubid: object, notation: object) -> None:
        raise EntitiesForbidden(name, None, base, sysid, pubid, notation)

    def external_ref(context: object, base: object, sysid: object, pubid: object) -> None:
        raise ExternalReferenceForbidden(context, base, sysid, pubid)

    parser = pyexpat.ParserCreate()
    parser.EntityDeclHandler = entity_decl
    parser.UnparsedEntityDeclHandler = unparsed_entity_decl
    parser.ExternalEntityRefHandler = external_ref
    while chunk := fh.read(1 << 20):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


# The steps of openpyxl's ExcelReader.read (the part each reads is ``label("wb.part.<step>")``).
_LOAD_STEPS: tuple[str, ...] = (
    "read_manifest", "read_strings", "read_workbook", "read_properties", "read_custom", "read_theme",
    "apply_stylesheet", "read_worksheets", "assign_names",
)


def _load(path: Path, where: str, lang: str) -> Any:
    """Open the workbook in openpyxl's read-only mode (sheets are streamed later).

    openpyxl's own loading steps are run one by one so that a failure names the part
    being read, with a short reason.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    step_part = "zip"
    reader = None
    try:
        reader = ExcelReader(path, read_only=True, data_only=True, keep_links=False)
        for step in _LOAD_STEPS:
            step_part = step
            if step == "apply_stylesheet":
                apply_stylesheet(reader.archive, reader.wb)
            elif step == "assign_names":
                reader.parser.assign_names()
            else:
                getattr(reader, step)()
    except Exception as exc:  # noqa: BLE001 - the file boundary: any parser failure is bad input
        if reader is not None:
            reader.archive.close()
        raise ActualsError(_t("wb.msg.unloadable", lang, path=where, part=label(f"wb.part.{step_part}", lang),
                              reason=f"{type(exc).__name__}: {_short(exc)}")) from None
    return reader.wb


# --------------------------------------------------------------------------- #
# The reader
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class _Codes:
    """What a sheet is checked against, and the language of the messages."""

    years: tuple[int, int]
    indicators: dict[str, str]  # id -> unit
    indicator_order: tuple[str, ...]
    lang: str
    aliases: dict[str, dict[str, Any]]  # column -> {normalised name: code}
    shown: dict[str, dict[Any, str]]  # column -> {code: value as the template writes it in ``lang``}
    sheets: dict[str, frozenset[str]]  # data sheet -> normalised names accepted
    headers: dict[str, dict[str, str]]  # data sheet -> {normalised header: column}
    milestones: dict[str, str]  # normalised id or action as printed -> milestone id
    milestone_ids: tuple[str, ...]  # in annex III order


def _codes(scenario: Any | None, lang: str = "fr") -> _Codes:
    from incubo_analysis.contract.loaders import load_indicator_targets
    from incubo_analysis.monitoring.template import value_lists

    last = max(CONTRACT_YEARS)
    if scenario is not None:
        last = max(last, int(scenario.horizon_end))
    targets = load_indicator_targets()
    order = tuple(dict.fromkeys(str(i) for i in targets["indicator"]))
    units = {str(i): str(u) for i, u in zip(targets["indicator"], targets["unit"], strict=True)}
    lists = {lg: value_lists(targets, lg) for lg in ("fr", "en")}
    aliases: dict[str, dict[str, Any]] = {}
    for column, shown in lists["fr"].items():
        names: dict[str, Any] = {}
        for code in shown:
            forms = {str(code), lists["fr"][column][code], lists["en"][column][code]}
            forms |= {label(code, lg, short=sh) for lg in ("fr", "en") for sh in (False, True)}
            names.update({_norm_name(f): code for f in forms})
        aliases[column] = names
    sheets = {sheet: frozenset({sheet} | {_norm_name(label(f"wb.sheet.{sheet}", lg)) for lg in ("fr", "en")})
              for sheet in DATA_SHEETS}
    headers = {sheet: {form: column for column in columns for form in _header_forms(sheet, column)}
               for sheet, columns in DATA_SHEETS.items()}
    milestones, ids = _milestone_aliases()
    return _Codes(years=(min(CONTRACT_YEARS), last), indicators=units, indicator_order=order, lang=lang,
                  aliases=aliases, shown=lists[lang], sheets=sheets, headers=headers, milestones=milestones,
                  milestone_ids=ids)


def _header_forms(sheet: str, column: str) -> set[str]:
    """The normalised headers accepted for ``column``: its code, its French and English headers
    (also without their final parenthesis: "Probabilité" for "Probabilité (1–4)")."""
    texts = [label(key, lg) for key in (f"wb.col.{sheet}.{column}", column) for lg in ("fr", "en")]
    texts += [re.sub(r"\s*\([^()]*\)\s*$", "", text) for text in texts]
    forms = {_norm_name(text) for text in texts} | {column}
    return forms - {""}


def _milestone_aliases() -> tuple[dict[str, str], tuple[str, ...]]:
    """Normalised milestone id and action as printed -> id (an action printed twice maps to none)."""
    from incubo_analysis.contract.loaders import load_milestones

    table = load_milestones()
    ids = tuple(str(i) for i in table["milestone_id"])
    actions = [_norm_name(a) for a in table["action"]]
    aliases = {_norm_name(i): i for i in ids}
    for milestone_id, action in zip(ids, actions, strict=True):
        if action and actions.count(action) == 1 and action not in aliases:
            aliases[action] = milestone_id
    return aliases, ids


def read_actuals(path: str | os.PathLike[str], *, scenario: Any | None = None, lang: str = "fr") -> Actuals:
    """Read and validate the officer's actuals workbook (French or English).

    The work is bounded whatever the file: the container is checked part by part
    (streamed), the sheets are streamed in openpyxl's read-only mode and only the
    rows present in the file are visited; data beyond :data:`ROW_CAP` rows is refused.
    Sheet names, headers and coded values are accepted in French (the template's
    labels), in English, or as the library's codes; the tables returned always hold
    the codes.

    Parameters
    ----------
    path : path
        The ``.xlsx`` workbook (made from :func:`write_actuals_template`, saved by
        Excel or LibreOffice).
    scenario : Scenario, optional
        Only its ``horizon_end`` is used: years are accepted from 2018 to
        ``max(2022, horizon_end)``. Default: 2018-2022.
    lang : {"fr", "en"}
        Language of the error messages (French by default).

    Returns
    -------
    Actuals
        The three tidy tables, sorted by their keys, plus the file's path and
        SHA-256.

    Raises
    ------
    ActualsError
        With every problem found, each naming the sheet (as named in the file) and
        cell (``Économies!C7``), the value found and what was expected; or a single
        message when the file is not a readable, safe xlsx workbook.
    """
    check_lang(lang)
    path = Path(path)
    where = str(path)
    _check_container(path, where, lang)
    codes = _codes(scenario, lang)
    wb = _load(path, where, lang)
    problems: list[str] = []
    try:
        frames = _read_sheets(wb, codes, problems)
    finally:
        wb.close()
    if problems:
        n = len(problems)
        key = "wb.msg.headline_plural" if n > 1 else "wb.msg.headline"
        raise ActualsError(_t(key, lang, path=where, n=n), problems=problems)
    return Actuals(
        savings=frames["savings"],
        credits=frames["credits"],
        indicators=frames["indicators"],
        path=path,
        sha256=sha256_file(path),
        milestones=frames["milestones"],
        risks=frames["risks"],
        reference_delays=frames["reference_delays"],
    )


def _read_sheets(wb: Any, codes: _Codes, problems: list[str]) -> dict[str, pd.DataFrame]:
    """The tables (empty when their sheet is unusable or, for an optional sheet, absent); problems appended."""
    frames = _empty_frames()
    names = list(wb.sheetnames)
    for sheet in DATA_SHEETS:
        real = _data_sheet_name(sheet, names, codes, problems)
        if real is None:
            continue
        records = _read_sheet(sheet, real, wb[real], codes, problems)
        if records is not None:
            frames[sheet] = _sort(_frame(records, sheet), sheet, codes)
    return frames


def _data_sheet_name(sheet: str, names: list[str], codes: _Codes, problems: list[str]) -> str | None:
    """The real name of data sheet ``sheet``; None (and a problem) if missing or two read alike."""
    lang = codes.lang
    reals = [name for name in names if _norm_name(name) in codes.sheets[sheet]]
    if len(reals) == 1:
        return reals[0]
    if not reals and sheet in OPTIONAL_SHEETS:
        return None  # an older workbook: nothing reported
    shown = repr(label(f"wb.sheet.{sheet}", lang))
    if not reals:
        columns = ", ".join(column_header(sheet, c, lang) for c in _required(sheet))
        problems.append(_t("wb.msg.sheet_missing", lang, sheet=shown, found=_listing(names, lang),
                           columns=columns))
    else:
        problems.append(_t("wb.msg.sheets_alike", lang, sheet=shown,
                           sheets=", ".join(_clip(r) for r in reals)))
    return None


def _listing(items: Sequence[object], lang: str, limit: int = 12, width: int = 40) -> str:
    """Short comma-separated reprs of ``items`` (at most ``limit`` shown, each cut to ``width``)."""
    shown = ", ".join(_clip(str(i), width) for i in items[:limit])
    if len(items) > limit:
        shown += f", ... ({_t('wb.msg.in_all', lang, n=len(items))})"
    return shown or label("wb.msg.nothing", lang)


def _required(sheet: str) -> tuple[str, ...]:
    """The columns a sheet's header must hold (the optional ones of older workbooks left out)."""
    optional = _OPTIONAL_COLUMNS.get(sheet, ())
    return tuple(c for c in DATA_SHEETS[sheet] if c not in optional)


def _sort(frame: pd.DataFrame, sheet: str, codes: _Codes) -> pd.DataFrame:
    """Rows in key order: levers, indicators and milestones in the contract's order, risks by identifier."""
    if frame.empty:
        return frame.reset_index(drop=True)
    orders = {"savings": ("lever", LEVERS, ["_k", "year"]),
              "indicators": ("indicator", codes.indicator_order, ["_k", "year"]),
              "milestones": ("milestone_id", codes.milestone_ids, ["_k"])}
    if sheet in orders:
        column, sequence, by = orders[sheet]
        key = frame[column].map({code: i for i, code in enumerate(sequence)})
    elif sheet == "risks":  # natural order: R2 before R10
        key, by = frame["risk_id"].map(_natural_key), ["_k"]
    elif sheet == "reference_delays":
        key, by = frame["demarche"].map(_norm_name), ["_k"]
    else:
        return frame.sort_values(list(_KEYS[sheet]), kind="stable").reset_index(drop=True)
    return frame.assign(_k=key).sort_values(by, kind="stable").drop(columns="_k").reset_index(drop=True)


def _natural_key(text: str) -> str:
    """A sort key where runs of digits compare as numbers (``R2`` < ``R10``).

    Examples
    --------
    >>> sorted(["R10", "R2", "r1"], key=_natural_key)
    ['r1', 'R2', 'R10']
    """
    return re.sub(r"\d+", lambda m: m.group(0).zfill(12), _norm_name(text))


# --------------------------------------------------------------------------- #
# Streaming the rows of a sheet
# --------------------------------------------------------------------------- #
class _Unreadable(Exception):
    """openpyxl failed while parsing a sheet's XML (becomes one located problem)."""


def _stream_rows(ws: Any, *, data_only: bool) -> Iterator[tuple[int, dict[int, dict[str, Any]]]]:
    """Yield ``(row number, {column: cell})`` for each row element present in the sheet's XML.

    Only the rows written in the file are visited (no filler for the missing ones, unlike
    ``iter_rows``): a stray cell on row 1 048 576 costs one row, not a million. ``data_only``
    gives the values cached by the spreadsheet program (True) or the formulas (False).
    Any parser failure is raised as :class:`_Unreadable`.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    parent = ws.parent
    src = ws._get_source()
    try:
        parser = WorkSheetParser(src, ws._shared_strings, data_only=data_only, epoch=parent.epoch,
                                 date_formats=parent._date_formats,
                                 timedelta_formats=parent._timedelta_formats)
        rows = parser.parse()
        while True:
            try:
                idx, cells = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # noqa: BLE001 - the file boundary: any parser failure is bad input
                raise _Unreadable(f"{type(exc).__name__}: {_short(exc)}") from None
            yield idx, {cell["column"]: cell for cell in cells}
    finally:
        src.close()


def _has_formulas(ws: Any) -> bool:
    """True if the sheet's XML holds a formula element (scanned in C, chunk by chunk).

    The second, formula-reading pass over the sheet (which finds formulas with no cached
    value) is skipped when there is none: the usual case, and half the work.
    """
    tail = b""
    with ws._get_source() as src:
        while chunk := src.read(1 << 20):
            if _FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-32:]
    return False


def _read_sheet(sheet: str, real: str, ws: Any, codes: _Codes,
                problems: list[str]) -> list[dict[str, Any]] | None:
    """Read one data sheet; append located problems; return the records (None if unusable)."""
    reader = _SheetReader(sheet, real, codes, problems)
    formulas = _stream_rows(ws, data_only=False) if _has_formulas(ws) else itertools.repeat((0, {}))
    pairs = zip(_stream_rows(ws, data_only=True), formulas, strict=False)
    try:
        for (idx, values), (_idx, formulas) in pairs:
            if not reader.take(idx, values, formulas):
                break
    except _Unreadable as exc:
        problems.append(_t("wb.msg.unreadable_sheet", codes.lang, sheet=real,
                           part=_cut(str(ws._worksheet_path)), row=reader.last, reason=exc))
        return None
    return reader.finish()


class _SheetReader:
    """Turn the streamed rows of one sheet into records, with the row cap and the checks."""

    def __init__(self, sheet: str, real: str, codes: _Codes, problems: list[str]) -> None:
        self.sheet, self.real, self.codes, self.problems = sheet, real, codes, problems
        self.header: dict[str, int] | None = None
        self.header_read = False
        self.last = 0
        self.records: list[dict[str, Any]] = []
        self.first_row: dict[tuple[Any, ...], int] = {}

    def take(self, idx: int, values: dict[int, dict[str, Any]], formulas: dict[int, dict[str, Any]]) -> bool:
        """Process one row; False to stop reading the sheet."""
        self.last = idx
        if idx > EXCEL_MAX_ROW:
            self.problems.append(_t("wb.msg.beyond_excel", self.codes.lang, ref=self._ref(idx, values), row=idx,
                                    last=EXCEL_MAX_ROW))
            return False
        if not self.header_read:
            self.header_read = True
            self.header = _header(self.sheet, self.real, values if idx == 1 else {}, self.codes, self.problems)
            if self.header is None or idx == 1:
                return self.header is not None
        assert self.header is not None
        row = _Row(self.sheet, self.real, idx, self.header, values, formulas, self.problems, self.codes.lang)
        if idx > ROW_CAP + 1:
            return self._beyond_cap(row)
        if not row.unusable():
            self._add(row)
        return True

    def _beyond_cap(self, row: _Row) -> bool:
        """A row past the cap: ignored if its required cells are blank, else refused (stop)."""
        filled = [name for name, value in row.cells.items() if not _is_blank(value) or name in row.formulas]
        if not filled:
            return True
        self.problems.append(_t("wb.msg.beyond_cap", self.codes.lang, ref=row.ref[filled[0]],
                                column=row.header_text(filled[0]), row=row.row, cap=ROW_CAP, last=ROW_CAP + 1))
        return False

    def _add(self, row: _Row) -> None:
        record = _PARSERS[self.sheet](row, self.codes)
        if record is None:
            return
        keys = _KEYS[self.sheet]
        key = tuple(_norm_name(record[k]) if k in _FREE_KEYS else record[k] for k in keys)
        if key in self.first_row:
            lang = self.codes.lang
            shown = ", ".join(f"{row.header_text(k)} = {self.codes.shown.get(k, {}).get(record[k], record[k])}"
                              for k in keys)
            self.problems.append(_t("wb.msg.duplicate", lang, ref=f"{self.real}!{row.row}", record=shown,
                                    first=self.first_row[key],
                                    per=" × ".join(row.header_text(k) for k in keys)))
            return
        self.first_row[key] = row.row
        self.records.append(record)

    def finish(self) -> list[dict[str, Any]] | None:
        """The records, or None when the header is unusable (a sheet with no row at all too)."""
        if not self.header_read:
            self.header_read = True
            self.header = _header(self.sheet, self.real, {}, self.codes, self.problems)
        return None if self.header is None else self.records

    def _ref(self, idx: int, values: dict[int, dict[str, Any]]) -> str:
        from openpyxl.utils import get_column_letter

        if not values:
            return f"{self.real}!{idx}"
        return f"{self.real}!{get_column_letter(min(values))}{idx}"


def _header(sheet: str, real: str, cells: dict[int, dict[str, Any]], codes: _Codes,
            problems: list[str]) -> dict[str, int] | None:
    """Map each required column name to its 1-based column index (None if one is missing).

    A header is accepted as the column's code (``etp_freed``) or its French or English
    header (``ETP libérés``, ``FTE freed``), case, accents, spacing and punctuation ignored.
    """
    from openpyxl.utils import get_column_letter

    lang = codes.lang
    required = _required(sheet)
    header: dict[str, int] = {}
    seen_at: dict[str, str] = {}
    found: list[str] = []
    for col in sorted(cells):
        raw = cells[col]["value"]
        if _is_blank(raw):
            continue
        found.append(str(raw))
        name = codes.headers[sheet].get(_norm_name(raw))
        if name is None:
            continue
        ref = f"{get_column_letter(col)}1"
        if name in header:
            problems.append(_t("wb.msg.column_twice", lang, ref=f"{real}!{ref}", first=seen_at[name],
                               column=repr(column_header(sheet, name, lang))))
            continue
        header[name] = col
        seen_at[name] = ref
    missing = [c for c in required if c not in header]
    for name in missing:
        problems.append(_t("wb.msg.column_missing", lang, sheet=real, column=repr(column_header(sheet, name, lang)),
                           found=_listing(found, lang),
                           columns=", ".join(column_header(sheet, c, lang) for c in required)))
    return None if missing else header


class _Row:
    """The required cells of one data row, and the checks that turn them into typed values.

    Every check appends a located problem (``Économies!C7 (ETP libérés) : trouvé ... ;
    attendu ...``) to ``problems`` and returns None when the cell is refused.
    """

    def __init__(self, sheet: str, real: str, row: int, header: dict[str, int],
                 values: dict[int, dict[str, Any]], formulas: dict[int, dict[str, Any]],
                 problems: list[str], lang: str) -> None:
        from openpyxl.utils import get_column_letter

        self.sheet, self.row, self.problems, self.lang = sheet, row, problems, lang
        present = [name for name in DATA_SHEETS[sheet] if name in header]
        # an optional column the sheet lacks reads as a blank cell
        self.cells = {name: values.get(header[name], {}).get("value") if name in header else None
                      for name in DATA_SHEETS[sheet]}
        self.ref = {name: f"{real}!{get_column_letter(header[name])}{row}" for name in present}
        self.formulas = {
            name: formulas[header[name]]["value"]
            for name in present
            if self.cells[name] is None and formulas.get(header[name], {}).get("data_type") == "f"
        }

    def header_text(self, name: str) -> str:
        """The template's header of column ``name`` in the messages' language."""
        return column_header(self.sheet, name, self.lang)

    def unusable(self) -> bool:
        """True for a row to skip: uncached formulas (reported), blank, or no value reported."""
        for name, formula in self.formulas.items():
            self.problems.append(_t("wb.msg.uncached_formula", self.lang, ref=self.ref[name],
                                    column=self.header_text(name), formula=str(formula)[:40]))
        if self.formulas or all(_is_blank(v) for v in self.cells.values()):
            return True
        if not all(_is_blank(self.cells[c]) for c in _VALUES[self.sheet]):
            return False
        texts = [c for c in _TEXTS[self.sheet] if not _is_blank(self.cells[c])]
        if texts:  # pre-filled keys and a comment, but no value
            first_value = _VALUES[self.sheet][0]
            self.problems.append(_t("wb.msg.value_missing", self.lang, ref=self.ref[first_value],
                                    column=self.header_text(first_value), text=repr(self.header_text(texts[0])),
                                    row=self.row))
        return True  # pre-filled keys, nothing reported

    def bad(self, name: str, found: str, expected: str) -> None:
        """Record a refused cell."""
        self.problems.append(_t("wb.msg.bad_cell", self.lang, ref=self.ref[name], column=self.header_text(name),
                                found=found, expected=expected))

    def code(self, name: str, codes: _Codes) -> Any | None:
        """A code of column ``name``, from the code itself or its French or English label."""
        value = self.cells[name]
        shown = list(codes.shown[name].values())
        expected = _t("wb.expect.one_of", self.lang, values=_listing(shown, self.lang, limit=25, width=70))
        if _is_blank(value):
            self.bad(name, label("wb.found.blank", self.lang), expected)
            return None
        if name == "axis" and not isinstance(value, str):
            return self.integer("axis", min(AXES), max(AXES), label("wb.what.axis", self.lang))
        if not isinstance(value, str):
            self.bad(name, _show(value, self.lang), expected)
            return None
        probe = _norm_name(value)
        if name == "axis":
            match = re.fullmatch(r"(?:(?:axe|axis)_)?([0-9]+)(?:_.*)?", probe)
            if match and int(match.group(1)) in AXES:
                return int(match.group(1))
        if probe not in codes.aliases[name]:
            self.bad(name, _t("wb.found.unknown", self.lang, column=self.header_text(name),
                              value=_clip(value.strip())), expected)
            return None
        return codes.aliases[name][probe]

    def integer(self, name: str, low: int, high: int, what: str) -> int | None:
        """A whole number from ``low`` to ``high`` (an integral float such as 2019.0 is accepted)."""
        value = self.cells[name]
        expected = _t("wb.expect.range", self.lang, what=what, low=low, high=high)
        if _is_blank(value):
            self.bad(name, label("wb.found.blank", self.lang), expected)
            return None
        x, found = _number(value, self.lang)
        if x is None:
            self.bad(name, found or _show(value, self.lang), expected)
            return None
        if not x.is_integer():
            self.bad(name, _show(value, self.lang), _t("wb.expect.whole", self.lang, expected=expected))
            return None
        if not low <= x <= high:
            self.bad(name, repr(int(x)) if abs(x) < 1e15 else _show(value, self.lang), expected)
            return None
        return int(x)

    def amount(self, name: str, what: str, high: float, *, required: bool,
               positive: bool = False) -> float | None:
        """A number >= 0 (> 0 if ``positive``) and <= ``high``; NaN for a blank cell not ``required``."""
        value = self.cells[name]
        expected = _t("wb.expect.positive" if positive else "wb.expect.nonneg", self.lang, what=what)
        if _is_blank(value):
            if required:
                self.bad(name, label("wb.found.blank", self.lang), expected)
            return math.nan
        x, found = _number(value, self.lang)
        if x is None:
            self.bad(name, found or _show(value, self.lang), _t("wb.expect.number_of", self.lang, expected=expected))
            return None
        if x < 0 or (positive and x == 0):
            self.bad(name, _show(value, self.lang), expected)
            return None
        if x > high:
            self.bad(name, _show(value, self.lang),
                     _t("wb.expect.bound", self.lang, what=what, high=format_value(high, "number", self.lang)))
            return None
        return x

    def text(self, name: str) -> str:
        """Free text, stripped; "" for a blank cell; ``12.0`` typed as a number reads "12"."""
        value = self.cells[name]
        if _is_blank(value):
            return ""
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            value = int(value)
        text = str(value).strip()
        if len(text) > _MAX_TEXT:
            self.bad(name, _t("wb.found.long_text", self.lang, n=len(text)),
                     _t("wb.expect.max_text", self.lang, n=_MAX_TEXT))
            return ""
        return text

    def blank(self, name: str) -> bool:
        """True when the cell of column ``name`` is blank (or its optional column absent)."""
        return _is_blank(self.cells[name])

    def required_text(self, name: str, what: str) -> str | None:
        """Free text that must not be blank (an identifier, a description, a name)."""
        if self.blank(name):
            self.bad(name, label("wb.found.blank", self.lang), _t("wb.expect.text", self.lang, what=what))
            return None
        return self.text(name)

    def optional_code(self, name: str, codes: _Codes) -> str | None:
        """A code of column ``name``; "" for a blank cell."""
        return "" if self.blank(name) else self.code(name, codes)

    def date(self, name: str, *, required: bool) -> pd.Timestamp | None:
        """A day (a spreadsheet date, ``2020-09-30`` or ``30/09/2020``); NaT for a blank cell not required."""
        value = self.cells[name]
        expected = label("wb.expect.date", self.lang)
        if _is_blank(value):
            if required:
                self.bad(name, label("wb.found.blank", self.lang), expected)
                return None
            return pd.NaT
        day = parse_workbook_date(value)
        if day is None:
            self.bad(name, _show(value, self.lang), expected)
            return None
        if not MIN_DATE <= day <= MAX_DATE:
            self.bad(name, _t("wb.found.date", self.lang, value=format_workbook_date(day, self.lang)),
                     _t("wb.expect.date_range", self.lang, low=format_workbook_date(MIN_DATE, self.lang),
                        high=format_workbook_date(MAX_DATE, self.lang)))
            return None
        return pd.Timestamp(day)

    def milestone(self, codes: _Codes) -> str | None:
        """A milestone id of annex III, from the id (``J07``, ``j7``, ``J07 – …``) or the action as printed."""
        value = self.cells["milestone_id"]
        ids = codes.milestone_ids or ("?",)
        expected = _t("wb.expect.milestone", self.lang, first=ids[0], last=ids[-1])
        if _is_blank(value) or not isinstance(value, str):
            found = label("wb.found.blank", self.lang) if _is_blank(value) else _show(value, self.lang)
            self.bad("milestone_id", found, expected)
            return None
        probe = _norm_name(value)
        found_id = codes.milestones.get(probe)
        match = re.fullmatch(r"j0*([0-9]{1,4})(?:_.*)?", probe)
        if found_id is None and match:
            found_id = codes.milestones.get(f"j{int(match.group(1)):02d}")
        if found_id is None:
            self.bad("milestone_id", _t("wb.found.unknown", self.lang, column=self.header_text("milestone_id"),
                                        value=_clip(value.strip())), expected)
        return found_id

    def indicator_value(self, indicator: str | None, codes: _Codes) -> float | None:
        """The level reached: a number; a share at most 1; >= 0 unless a share of reduction."""
        value = self.cells["value"]
        x, found = _number(value, self.lang)
        if x is None:
            self.bad("value", found or _show(value, self.lang), label("wb.expect.number", self.lang))
            return None
        if abs(x) > MAX_INDICATOR_VALUE:
            bound = format_value(MAX_INDICATOR_VALUE, "number", self.lang)
            self.bad("value", _show(value, self.lang),
                     _t("wb.expect.value_bound", self.lang, low=f"-{bound}", high=bound))
            return None
        if indicator is None:
            return x
        unit = codes.indicators.get(indicator, "")
        shown = codes.shown["indicator"].get(indicator, indicator)
        if unit == "share" and x > 1:
            self.bad("value", _show(value, self.lang), _t("wb.expect.share", self.lang, indicator=shown))
            return None
        if x < 0 and not (unit == "share" and "reduction" in indicator):
            self.bad("value", _show(value, self.lang), _t("wb.expect.nonneg_for", self.lang, indicator=shown))
            return None
        return x


def _checked(row: _Row, record: dict[str, Any], before: int) -> dict[str, Any] | None:
    """``record``, or None if reading it added a problem."""
    return None if len(row.problems) > before else record


def _parse_savings(row: _Row, codes: _Codes) -> dict[str, Any] | None:
    before = len(row.problems)
    low, high = codes.years
    lang = codes.lang
    record = {
        "lever": row.code("lever", codes),
        "year": row.integer("year", low, high, label("wb.what.year", lang)),
        "etp_freed": row.amount("etp_freed", label("wb.what.fte", lang), MAX_FTE, required=True),
        "unit_cost_keur": row.amount("unit_cost_keur", label("wb.what.unit_cost", lang),
                                     MAX_UNIT_COST_KEUR, required=False, positive=True),
        "explanation": row.text("explanation"),
        "nature": row.optional_code("nature", codes),
        "programme": _programme(row),
        "justificatif": row.text("justificatif"),
    }
    return _checked(row, record, before)


def _programme(row: _Row) -> str:
    """The programme or BOP code as typed; a whole number typed as a number gets back its leading zeros
    (the spreadsheet turned "0307" into 307): at least four digits, as Chorus writes programmes."""
    value = row.cells["programme"]
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) \
            and float(value).is_integer() and 0 < value < 10_000:
        return f"{int(value):04d}"
    return row.text("programme")


def _parse_credits(row: _Row, codes: _Codes) -> dict[str, Any] | None:
    before = len(row.problems)
    low, high = codes.years
    lang = codes.lang
    record = {
        "axis": row.code("axis", codes),
        "title": row.code("title", codes),
        "source": row.code("source", codes),
        "year": row.integer("year", low, high, label("wb.what.year", lang)),
        "quarter": row.integer("quarter", 1, 4, label("wb.what.quarter", lang)),
    }
    for name in ("ae_keur", "cp_keur"):
        x = row.amount(name, label("wb.what.amount", lang), MAX_AMOUNT_KEUR, required=False)
        # One of the two is filled (blank-value rows were skipped): blank other = 0.
        record[name] = 0.0 if x is not None and math.isnan(x) else x
    return _checked(row, record, before)


def _parse_indicators(row: _Row, codes: _Codes) -> dict[str, Any] | None:
    before = len(row.problems)
    low, high = codes.years
    indicator = row.code("indicator", codes)
    record = {
        "indicator": indicator,
        "year": row.integer("year", low, high, label("wb.what.year", codes.lang)),
        "value": row.indicator_value(indicator, codes),
        "comment": row.text("comment"),
    }
    return _checked(row, record, before)


_PARSERS = {"savings": _parse_savings, "credits": _parse_credits, "indicators": _parse_indicators,
            "milestones": parse_milestone_row, "risks": parse_risk_row,
            "reference_delays": parse_reference_delay_row}

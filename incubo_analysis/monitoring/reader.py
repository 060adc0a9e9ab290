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
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from pyexpat import ExpatError
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
    "ROW_CAP",
    "EXCEL_MAX_ROW",
    "MAX_FTE",
    "MAX_UNIT_COST_KEUR",
    "MAX_AMOUNT_KEUR",
    "MAX_INDICATOR_VALUE",
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
        return f"text {_clip(value)}"
    if isinstance(value, bool):
        return f"a boolean ({value})"
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return f"a date ({value})"
    if isinstance(value, int) and abs(value) >= 10**15:
        return f"a whole number of about {value.bit_length() * 0.30103:.0f} digits"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _clip(text: str, limit: int = 40) -> str:
    """``repr`` of ``text`` cut to ``limit`` characters (messages never show a whole long value)."""
    return repr(_cut(text, limit))


def _cut(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _number(value: object) -> tuple[float | None, str | None]:
    """Return ``(float, None)`` or ``(None, description of what was found)``."""
    if isinstance(value, bool):
        return None, _show(value)
    if isinstance(value, (int, float)):
        try:
            x = float(value)
        except OverflowError:
            return None, _show(value)
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
            f"{label}: truncated or corrupt xlsx workbook (the zip archive cannot be read: {_short(exc)}); "
            "expected a complete .xlsx file"
        ) from None
    except (zipfile.LargeZipFile, zlib.error, EOFError, OSError, NotImplementedError,
            RuntimeError, ValueError) as exc:
        raise ActualsError(
            f"{label}: truncated or corrupt xlsx workbook ({type(exc).__name__}: {_short(exc)})"
        ) from None


def _short(exc: BaseException, limit: int = 80) -> str:
    """The first line of an exception's text, at most ``limit`` characters."""
    lines = str(exc).strip().splitlines()
    return _cut(lines[0] if lines else type(exc).__name__, limit)


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
            f"(more than {_MAX_UNCOMPRESSED_BYTES}); refused as a possible zip bomb "
            f"or a workbook far beyond {ROW_CAP} rows per sheet"
        )
    for info in infos:
        if info.flag_bits & 0x1:
            raise ActualsError(
                f"{label}: part {_cut(info.filename)} is flagged as encrypted in the zip archive; "
                "expected an unprotected .xlsx workbook saved by Excel or LibreOffice"
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
            raise ActualsError(
                f"{label}: part {_cut(name)} declares XML entities (a possible entity bomb); "
                "refused: expected a workbook saved by Excel or LibreOffice"
            )
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
        raise ActualsError(
            f"{label}: part {_cut(name)} carries forbidden XML ({type(exc).__name__}: a possible "
            "entity bomb or external entity); refused"
        ) from None
    except ExpatError as exc:
        raise ActualsError(
            f"{label}: part {_cut(name)} is not well-formed XML ({_short(exc)}): "
            "truncated or corrupt workbook"
        ) from None


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


# The steps of openpyxl's ExcelReader.read, each with the part it reads (for the message).
_LOAD_STEPS: tuple[tuple[str, str], ...] = (
    ("read_manifest", "part [Content_Types].xml"),
    ("read_strings", "the shared strings part (xl/sharedStrings.xml)"),
    ("read_workbook", "part xl/workbook.xml, its relationships or its entry in [Content_Types].xml"),
    ("read_properties", "the document properties (docProps/core.xml)"),
    ("read_custom", "the custom properties (docProps/custom.xml)"),
    ("read_theme", "the theme (xl/theme/theme1.xml)"),
    ("apply_stylesheet", "the styles part (xl/styles.xml)"),
    ("read_worksheets", "the worksheet parts (xl/worksheets/*.xml)"),
    ("assign_names", "the defined names of xl/workbook.xml"),
)


def _load(path: Path, label: str) -> Any:
    """Open the workbook in openpyxl's read-only mode (sheets are streamed later).

    openpyxl's own loading steps are run one by one so that a failure names the part
    being read, with a short reason.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    step_part = "the zip archive"
    reader = None
    try:
        reader = ExcelReader(path, read_only=True, data_only=True, keep_links=False)
        for step, part in _LOAD_STEPS:
            step_part = part
            if step == "apply_stylesheet":
                apply_stylesheet(reader.archive, reader.wb)
            elif step == "assign_names":
                reader.parser.assign_names()
            else:
                getattr(reader, step)()
    except Exception as exc:  # noqa: BLE001 - the file boundary: any parser failure is bad input
        if reader is not None:
            reader.archive.close()
        raise ActualsError(
            f"{label}: cannot be read as an xlsx workbook: {step_part} is invalid "
            f"({type(exc).__name__}: {_short(exc)}); expected a workbook saved by Excel or LibreOffice"
        ) from None
    return reader.wb


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

    The work is bounded whatever the file: the container is checked part by part
    (streamed), the sheets are streamed in openpyxl's read-only mode and only the
    rows present in the file are visited; data beyond :data:`ROW_CAP` rows is refused.

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
    wb = _load(path, label)
    problems: list[str] = []
    try:
        frames = _read_sheets(wb, codes, problems)
    finally:
        wb.close()
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


def _read_sheets(wb: Any, codes: _Codes, problems: list[str]) -> dict[str, pd.DataFrame]:
    """The three tables (empty when their sheet is unusable); problems appended."""
    frames = _empty_frames()
    names = list(wb.sheetnames)
    for sheet in DATA_SHEETS:
        real = _data_sheet_name(sheet, names, problems)
        if real is None:
            continue
        records = _read_sheet(sheet, real, wb[real], codes, problems)
        if records is not None:
            frames[sheet] = _sort(_frame(records, sheet), sheet, codes)
    return frames


def _data_sheet_name(sheet: str, names: list[str], problems: list[str]) -> str | None:
    """The real name of data sheet ``sheet``; None (and a problem) if missing or two read alike."""
    reals = [name for name in names if _norm_name(name) == sheet]
    columns = DATA_SHEETS[sheet]
    if len(reals) == 1:
        return reals[0]
    if not reals:
        problems.append(
            f"sheet {sheet!r} is missing (found sheets: {_listing(names)}); "
            f"expected a sheet {sheet!r} with columns {', '.join(columns)}"
        )
    else:
        problems.append(
            f"sheets {' and '.join(_clip(r) for r in reals)} both read as {sheet!r} (sheet names "
            "are compared ignoring case, spaces, hyphens and underscores); expected exactly one "
            f"sheet {sheet!r}: rename or delete the other"
        )
    return None


def _listing(items: Sequence[object], limit: int = 12) -> str:
    """Short comma-separated reprs of ``items`` (at most ``limit`` shown)."""
    shown = ", ".join(_clip(str(i)) for i in items[:limit])
    if len(items) > limit:
        shown += f", ... ({len(items)} in all)"
    return shown or "nothing"


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
        problems.append(
            f"{real}: the sheet's XML ({_cut(str(ws._worksheet_path))}) cannot be read after row "
            f"{reader.last} ({exc}); expected a workbook saved by Excel or LibreOffice"
        )
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
            self.problems.append(
                f"{self._ref(idx, values)}: row {idx} is beyond the last row a spreadsheet can hold "
                f"({EXCEL_MAX_ROW}); expected a workbook saved by Excel or LibreOffice"
            )
            return False
        if not self.header_read:
            self.header_read = True
            self.header = _header(self.sheet, self.real, values if idx == 1 else {}, self.problems)
            if self.header is None or idx == 1:
                return self.header is not None
        assert self.header is not None
        row = _Row(self.sheet, self.real, idx, self.header, values, formulas, self.problems)
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
        self.problems.append(
            f"{row.ref[filled[0]]} ({filled[0]}): data on row {row.row}, beyond the {ROW_CAP} data rows "
            f"a sheet may hold (rows 2 to {ROW_CAP + 1}); expected at most {ROW_CAP} records per sheet "
            "(stray cells far below the table: delete those rows)"
        )
        return False

    def _add(self, row: _Row) -> None:
        record = _PARSERS[self.sheet](row, self.codes)
        if record is None:
            return
        keys = _KEYS[self.sheet]
        key = tuple(record[k] for k in keys)
        if key in self.first_row:
            shown = ", ".join(f"{k}={v}" for k, v in zip(keys, key, strict=True))
            self.problems.append(
                f"{self.real}!{row.row}: duplicate key ({shown}) already on row {self.first_row[key]}; "
                "expected one row per " + " × ".join(keys)
            )
            return
        self.first_row[key] = row.row
        self.records.append(record)

    def finish(self) -> list[dict[str, Any]] | None:
        """The records, or None when the header is unusable (a sheet with no row at all too)."""
        if not self.header_read:
            self.header_read = True
            self.header = _header(self.sheet, self.real, {}, self.problems)
        return None if self.header is None else self.records

    def _ref(self, idx: int, values: dict[int, dict[str, Any]]) -> str:
        from openpyxl.utils import get_column_letter

        if not values:
            return f"{self.real}!{idx}"
        return f"{self.real}!{get_column_letter(min(values))}{idx}"


def _header(sheet: str, real: str, cells: dict[int, dict[str, Any]],
            problems: list[str]) -> dict[str, int] | None:
    """Map each required column name to its 1-based column index (None if one is missing)."""
    from openpyxl.utils import get_column_letter

    required = DATA_SHEETS[sheet]
    header: dict[str, int] = {}
    seen_at: dict[str, str] = {}
    found: list[str] = []
    for col in sorted(cells):
        raw = cells[col]["value"]
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
            f"(found: {_listing(found)}); expected columns {', '.join(required)}"
        )
    return None if missing else header


class _Row:
    """The required cells of one data row, and the checks that turn them into typed values.

    Every check appends a located problem (``savings!C7 (etp_freed): found ...;
    expected ...``) to ``problems`` and returns None when the cell is refused.
    """

    def __init__(self, sheet: str, real: str, row: int, header: dict[str, int],
                 values: dict[int, dict[str, Any]], formulas: dict[int, dict[str, Any]],
                 problems: list[str]) -> None:
        from openpyxl.utils import get_column_letter

        self.sheet, self.row, self.problems = sheet, row, problems
        required = DATA_SHEETS[sheet]
        self.cells = {name: values.get(header[name], {}).get("value") for name in required}
        self.ref = {name: f"{real}!{get_column_letter(header[name])}{row}" for name in required}
        self.formulas = {
            name: formulas[header[name]]["value"]
            for name in required
            if self.cells[name] is None and formulas.get(header[name], {}).get("data_type") == "f"
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
            self.bad(name, f"unknown {name} {_clip(value.strip())}", expected)
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
            self.bad(name, _show(value), f"a whole number: {expected}")
            return None
        if not low <= x <= high:
            self.bad(name, repr(int(x)) if abs(x) < 1e15 else _show(value), expected)
            return None
        return int(x)

    def amount(self, name: str, what: str, high: float, *, required: bool,
               positive: bool = False) -> float | None:
        """A number >= 0 (> 0 if ``positive``) and <= ``high``; NaN for a blank cell not ``required``."""
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
            self.bad(name, _show(value), expected)
            return None
        if x > high:
            self.bad(name, _show(value), f"{what} <= {high:g} (the domain bound: surely a typo)")
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
            self.bad(name, f"a text of {len(text)} characters",
                     f"at most {_MAX_TEXT} characters (the limit of a spreadsheet cell)")
            return ""
        return text

    def indicator_value(self, indicator: str | None, units: dict[str, str]) -> float | None:
        """The level reached: a number; a share at most 1; >= 0 unless a share of reduction."""
        value = self.cells["value"]
        x, found = _number(value)
        if x is None:
            self.bad("value", found or _show(value), "a number")
            return None
        if abs(x) > MAX_INDICATOR_VALUE:
            self.bad("value", _show(value), f"a number from {-MAX_INDICATOR_VALUE:g} to "
                     f"{MAX_INDICATOR_VALUE:g} (the domain bound: surely a typo)")
            return None
        if indicator is None:
            return x
        unit = units.get(indicator, "")
        if unit == "share" and x > 1:
            self.bad("value", _show(value), f"a share from 0 to 1 for {indicator} (type 0.75 or 75 % for 75 %)")
            return None
        if x < 0 and not (unit == "share" and "reduction" in indicator):
            self.bad("value", _show(value), f"a value >= 0 for {indicator}")
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
        "etp_freed": row.amount("etp_freed", "a number of FTE", MAX_FTE, required=True),
        "unit_cost_keur": row.amount("unit_cost_keur", "a unit cost in k€ per FTE and year (or blank)",
                                     MAX_UNIT_COST_KEUR, required=False, positive=True),
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
        x = row.amount(name, "an amount in k€", MAX_AMOUNT_KEUR, required=False)
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

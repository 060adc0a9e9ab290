"""The actuals workbook: the template the officer fills, and its strict reader.

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
reader, so the template shows the planned figures beside the input cells.

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

import contextlib
import datetime as _dt
import io
import math
import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from incubo_analysis.contract.schema import AXES, CONTRACT_YEARS, LEVERS, SOURCES, TITLES
from incubo_analysis.errors import ActualsError
from incubo_analysis.io import sha256_file

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl import Workbook

__all__ = [
    "Actuals",
    "read_actuals",
    "write_actuals_template",
    "template_workbook",
    "save_workbook_deterministic",
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
_FIXED_TIMESTAMP = _dt.datetime(2018, 1, 1, 0, 0, 0)
_TEMPLATE_ROWS = 1000  # data validation and formats cover rows 2..this


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
    if not path.exists():
        raise ActualsError(f"{label}: file not found (expected an .xlsx actuals workbook)")
    if not path.is_file():
        raise ActualsError(f"{label}: not a file (expected an .xlsx actuals workbook)")
    size = path.stat().st_size
    if size == 0:
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
    try:
        with zipfile.ZipFile(path) as zf:
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
    except zipfile.BadZipFile as exc:
        raise ActualsError(
            f"{label}: truncated or corrupt xlsx workbook (the zip archive cannot be read: {exc}); "
            "expected a complete .xlsx file"
        ) from None
    except (zipfile.LargeZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise ActualsError(
            f"{label}: truncated or corrupt xlsx workbook ({type(exc).__name__}: {exc})"
        ) from None


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
    units = {str(i): str(u) for i, u in zip(targets["indicator"], targets["unit"])}
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
    from openpyxl.utils import get_column_letter

    required = DATA_SHEETS[sheet]
    # Header row: map normalised names to column indexes (1-based).
    header: dict[str, int] = {}
    seen_at: dict[str, str] = {}
    max_col = ws_values.max_column or 0
    for col in range(1, max_col + 1):
        raw = ws_values.cell(row=1, column=col).value
        if _is_blank(raw):
            continue
        name = _norm_name(raw)
        if name in required:
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
    if missing:
        found = [str(ws_values.cell(row=1, column=c).value) for c in range(1, max_col + 1)
                 if not _is_blank(ws_values.cell(row=1, column=c).value)]
        for name in missing:
            problems.append(
                f"{real}!1: required column {name!r} is missing from the header row "
                f"(found: {', '.join(map(repr, found)) or 'nothing'}); expected columns "
                f"{', '.join(required)}"
            )
        return None

    records: list[dict[str, Any]] = []
    first_row: dict[tuple[Any, ...], int] = {}
    for row in range(2, (ws_values.max_row or 1) + 1):
        cells: dict[str, Any] = {}
        uncached: list[str] = []
        for name in required:
            col = header[name]
            value = ws_values.cell(row=row, column=col).value
            if value is None:
                fcell = ws_formulas.cell(row=row, column=col)
                if fcell.data_type == "f":
                    uncached.append(name)
            cells[name] = value
        ref = {name: f"{real}!{get_column_letter(header[name])}{row}" for name in required}
        if uncached:
            for name in uncached:
                formula = ws_formulas.cell(row=row, column=header[name]).value
                problems.append(
                    f"{ref[name]} ({name}): a formula ({str(formula)[:40]}) with no cached value; "
                    "expected a computed value: open the workbook in Excel or LibreOffice, "
                    "let it recalculate, and save it"
                )
            continue
        if all(_is_blank(cells[c]) for c in required):
            continue  # a blank row
        values_blank = all(_is_blank(cells[c]) for c in _VALUES[sheet])
        if values_blank:
            texts = [c for c in _TEXTS[sheet] if not _is_blank(cells[c])]
            if texts:
                first_value = _VALUES[sheet][0]
                problems.append(
                    f"{ref[first_value]} ({first_value}): blank, but {texts[0]!r} is filled "
                    f"on row {row}; expected a value (or clear the row: a row with no value "
                    "means nothing reported)"
                )
            continue  # pre-filled keys, nothing reported
        record = _parse_record(sheet, cells, ref, codes, problems)
        if record is None:
            continue
        key = tuple(record[k] for k in _KEYS[sheet])
        if key in first_row:
            shown = ", ".join(f"{k}={v}" for k, v in zip(_KEYS[sheet], key))
            problems.append(
                f"{real}!{row}: duplicate key ({shown}) already on row {first_row[key]}; "
                "expected one row per " + " × ".join(_KEYS[sheet])
            )
            continue
        first_row[key] = row
        records.append(record)
    return records


def _parse_record(
    sheet: str,
    cells: dict[str, Any],
    ref: dict[str, str],
    codes: _Codes,
    problems: list[str],
) -> dict[str, Any] | None:
    before = len(problems)
    rec: dict[str, Any] = {}

    def bad(name: str, found: str, expected: str) -> None:
        problems.append(f"{ref[name]} ({name}): found {found}; expected {expected}")

    def code(name: str, allowed: Sequence[str], *, fold: str = "name") -> str | None:
        value = cells[name]
        expected = "one of " + ", ".join(allowed)
        if _is_blank(value):
            bad(name, "a blank cell", expected)
            return None
        if not isinstance(value, str):
            bad(name, _show(value), expected)
            return None
        lookup = {(_norm_name(a) if fold == "name" else a.strip().upper()): a for a in allowed}
        probe = _norm_name(value) if fold == "name" else value.strip().upper()
        if probe not in lookup:
            bad(name, f"unknown {name} {value.strip()!r}", expected)
            return None
        return lookup[probe]

    def integer(name: str, low: int, high: int, what: str) -> int | None:
        value = cells[name]
        expected = f"{what} from {low} to {high}"
        if _is_blank(value):
            bad(name, "a blank cell", expected)
            return None
        x, found = _number(value)
        if x is None:
            bad(name, found or _show(value), expected)
            return None
        if not x.is_integer():
            bad(name, repr(value), f"a whole number: {expected}")
            return None
        if not low <= x <= high:
            bad(name, repr(int(x)), expected)
            return None
        return int(x)

    def amount(name: str, what: str, *, required: bool, positive: bool = False) -> float | None:
        value = cells[name]
        sign = "> 0" if positive else ">= 0"
        expected = f"{what} {sign}"
        if _is_blank(value):
            if required:
                bad(name, "a blank cell", expected)
            return math.nan
        x, found = _number(value)
        if x is None:
            bad(name, found or _show(value), f"a number: {expected}")
            return None
        if x < 0 or (positive and x == 0):
            bad(name, repr(value), expected)
            return None
        return x

    def text(name: str) -> str:
        value = cells[name]
        if _is_blank(value):
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    low, high = codes.years
    if sheet == "savings":
        rec["lever"] = code("lever", LEVERS)
        rec["year"] = integer("year", low, high, "a contract year")
        rec["etp_freed"] = amount("etp_freed", "a number of FTE", required=True)
        rec["unit_cost_keur"] = amount("unit_cost_keur", "a unit cost in k€ per FTE and year (or blank)",
                                       required=False, positive=True)
        rec["explanation"] = text("explanation")
    elif sheet == "credits":
        rec["axis"] = integer("axis", min(AXES), max(AXES), "an axis")
        rec["title"] = code("title", TITLES, fold="upper")
        rec["source"] = code("source", SOURCES)
        rec["year"] = integer("year", low, high, "a contract year")
        rec["quarter"] = integer("quarter", 1, 4, "a quarter")
        ae = amount("ae_keur", "an amount in k€", required=False)
        cp = amount("cp_keur", "an amount in k€", required=False)
        # One of the two is filled (blank-value rows were skipped): blank other = 0.
        rec["ae_keur"] = 0.0 if ae is not None and math.isnan(ae) else ae
        rec["cp_keur"] = 0.0 if cp is not None and math.isnan(cp) else cp
    else:
        indicator = code("indicator", codes.indicator_order)
        rec["indicator"] = indicator
        rec["year"] = integer("year", low, high, "a contract year")
        value = cells["value"]
        x, found = _number(value)
        if x is None:
            bad("value", found or _show(value), "a number")
        elif indicator is not None:
            unit = codes.indicators.get(indicator, "")
            if unit == "share" and x > 1:
                bad("value", repr(value),
                    f"a share from 0 to 1 for {indicator} (type 0.75 or 75 % for 75 %)")
                x = None
            elif x < 0 and not (unit == "share" and "reduction" in indicator):
                bad("value", repr(value), f"a value >= 0 for {indicator}")
                x = None
        rec["value"] = x
        rec["comment"] = text("comment")
    if len(problems) > before:
        return None
    return rec


# --------------------------------------------------------------------------- #
# The template writer
# --------------------------------------------------------------------------- #
_README_FR = [
    ("Classeur des réalisations du projet Incub-O (contrat de transformation FTAP, 2018)", "title"),
    ("", None),
    ("À quoi sert ce classeur", "h"),
    ("Chaque année (économies, §7 du contrat) et chaque trimestre (crédits et indicateurs, §5.1), "
     "saisissez ici les réalisations. La commande « incubo check --actuals FICHIER.xlsx » vérifie le "
     "classeur et indique la feuille et la cellule de chaque erreur ; « incubo report » produit ensuite "
     "le rapport annuel.", None),
    ("", None),
    ("Règles générales", "h"),
    ("• Ne renommez pas les feuilles savings, credits, indicators ni les en-têtes de la ligne 1 "
     "(les colonnes grisées à droite sont indicatives : elles peuvent être modifiées ou supprimées).", None),
    ("• Une ligne par enregistrement. Les colonnes clés (levier, année, axe…) sont pré-remplies : "
     "saisissez seulement les valeurs. Une ligne dont les valeurs sont vides signifie « rien à déclarer » "
     "et est ignorée ; vous pouvez aussi ajouter ou supprimer des lignes.", None),
    ("• Montants en milliers d'euros (k€), nombres positifs ; ETP en équivalents temps plein ; "
     "taux entre 0 et 1 (75 % s'écrit 0,75 ou 75 %).", None),
    ("• Saisissez des nombres, pas du texte (« 12,5 » aligné à gauche est du texte). Les formules "
     "sont acceptées si le tableur les a calculées (enregistrez le fichier depuis Excel ou LibreOffice).", None),
    ("• Pas de doublon : une seule ligne par levier × année, par axe × titre × source × année × trimestre, "
     "par indicateur × année.", None),
    ("", None),
    ("Feuille savings (économies réalisées, une ligne par levier et par année)", "h"),
    ("• etp_freed : ETP effectivement libérés dans l'année (montée en charge comprise), ≥ 0.", None),
    ("• unit_cost_keur : coût annuel d'un ETP en k€ ; laisser vide pour appliquer celui du plan.", None),
    ("• explanation : la raison de l'écart au prévu. Obligatoire (§7 du contrat) dès que l'écart "
     "dépasse 10 % : le rapport signale les écarts non expliqués.", None),
    ("• Colonnes grisées : ETP, coût unitaire et montant prévus par le contrat pour comparaison.", None),
    ("", None),
    ("Feuille credits (crédits consommés, une ligne par axe, titre, source, année et trimestre)", "h"),
    ("• ae_keur, cp_keur : autorisations d'engagement et crédits de paiement consommés dans le trimestre "
     "(pas en cumul), en k€. Si une seule des deux est saisie, l'autre vaut 0.", None),
    ("• title : T2 (personnel), T3 (fonctionnement), T6 (intervention) ; source : FTAP ou cofinancing.", None),
    ("• Colonnes grisées : le montant annuel prévu par le plan de financement (sur la ligne du 1er trimestre).", None),
    ("", None),
    ("Feuille indicators (indicateurs d'avancement et de résultat, une ligne par indicateur et par année)", "h"),
    ("• value : niveau atteint en fin d'année (cumul depuis le début du projet pour les nombres ; "
     "taux entre 0 et 1). comment : précision libre.", None),
    ("• Colonnes grisées : la cible du contrat, l'unité et le libellé de l'indicateur.", None),
]


def write_actuals_template(path: str | os.PathLike[str], *, scenario: Any | None = None) -> Path:
    """Write the empty actuals workbook the officer fills.

    The key columns are pre-filled (lever × year of the plan; axis × title ×
    source × year × quarter of the financing plan; indicator × year of the
    targets) with the planned figures in grey columns beside them, so the
    officer only types numbers. The file is written atomically and its bytes
    do not depend on the time of writing.

    Parameters
    ----------
    path : path
        Destination ``.xlsx`` file (replaced if it exists).
    scenario : Scenario, optional
        The plan shown beside the input cells (default: the contract baseline,
        :func:`incubo_analysis.model.params.baseline`).

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    wb = template_workbook(scenario)
    return save_workbook_deterministic(wb, path)


def _plan_tables(scenario: Any | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, tuple[int, int]]:
    from incubo_analysis.contract.loaders import load_financing_plan, load_indicator_targets
    from incubo_analysis.model.savings import planned_savings

    if scenario is None:
        from incubo_analysis.model.params import baseline

        scenario = baseline()
    plan = planned_savings(scenario)
    fin = (load_financing_plan()
           .groupby(["axis", "title", "source", "year", "credit"], as_index=False)["amount_keur"].sum())
    targets = load_indicator_targets()
    years = (min(CONTRACT_YEARS), max(max(CONTRACT_YEARS), int(scenario.horizon_end)))
    return plan, fin, targets, years


def template_workbook(scenario: Any | None, *, fictitious: bool = False) -> Workbook:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    plan, fin, targets, (y0, y1) = _plan_tables(scenario)
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="1F4E79")
    head_font = Font(bold=True, color="FFFFFF")
    info_fill = PatternFill("solid", fgColor="E7E6E6")
    info_head_fill = PatternFill("solid", fgColor="7F7F7F")
    input_fill = PatternFill("solid", fgColor="FFF2CC")
    info_font = Font(italic=True, color="595959")
    fmt_keur = "#,##0.0"
    fmt_etp = "0.00"
    last = _TEMPLATE_ROWS

    wb = Workbook()
    readme = wb.active
    readme.title = "README"
    row = 1
    if fictitious:
        readme.cell(row=1, column=1, value="DONNÉES FICTIVES (exemple synthétique) — FICTIF — ne pas utiliser "
                    "comme réalisations réelles du projet").font = Font(bold=True, color="C00000", size=14)
        row = 3
    for text, style in _README_FR:
        cell = readme.cell(row=row, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if style == "title":
            cell.font = Font(bold=True, size=14)
        elif style == "h":
            cell.font = bold
        row += 1
    readme.column_dimensions["A"].width = 120

    lists = wb.create_sheet("lists")
    code_lists: dict[str, list[Any]] = {
        "lever": list(LEVERS),
        "axis": list(AXES),
        "title": list(TITLES),
        "source": list(SOURCES),
        "year": list(range(y0, y1 + 1)),
        "quarter": [1, 2, 3, 4],
        "indicator": list(dict.fromkeys(str(i) for i in targets["indicator"])),
    }
    list_ref: dict[str, str] = {}
    for j, (name, items) in enumerate(code_lists.items(), start=1):
        letter = get_column_letter(j)
        lists.cell(row=1, column=j, value=name).font = bold
        for i, item in enumerate(items, start=2):
            lists.cell(row=i, column=j, value=item)
        list_ref[name] = f"lists!${letter}$2:${letter}${len(items) + 1}"
    lists.sheet_state = "hidden"

    def sheet(title: str, columns: list[tuple[str, int, str | None, bool]]) -> Any:
        ws = wb.create_sheet(title)
        for j, (name, width, fmt, is_input) in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=j, value=name)
            cell.font = head_font if is_input else Font(bold=True, color="FFFFFF", italic=True)
            cell.fill = head_fill if is_input else info_head_fill
            ws.column_dimensions[get_column_letter(j)].width = width
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"
        return ws

    def validate(ws: Any, column: int, name: str, *, kind: str = "list", prompt: str = "") -> None:
        letter = get_column_letter(column)
        if kind == "list":
            dv = DataValidation(type="list", formula1=f"={list_ref[name]}", allow_blank=True)
            dv.error = f"Choisissez une valeur de la liste ({name})."
        elif kind == "nonneg":
            dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
            dv.error = "Saisissez un nombre positif ou nul."
        elif kind == "positive":
            dv = DataValidation(type="decimal", operator="greaterThan", formula1="0", allow_blank=True)
            dv.error = "Saisissez un nombre strictement positif (ou laissez vide)."
        else:  # "number"
            dv = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15",
                                allow_blank=True)
            dv.error = "Saisissez un nombre."
        dv.errorTitle = "Valeur refusée"
        dv.showErrorMessage = True
        if prompt:
            dv.promptTitle = name
            dv.prompt = prompt
            dv.showInputMessage = True
        dv.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(dv)

    def style_row(ws: Any, r: int, formats: Sequence[str | None], inputs: Sequence[bool]) -> None:
        for j, (fmt, is_input) in enumerate(zip(formats, inputs), start=1):
            cell = ws.cell(row=r, column=j)
            if fmt:
                cell.number_format = fmt
            if is_input:
                cell.fill = input_fill
            else:
                cell.fill = info_fill
                cell.font = info_font

    # savings ---------------------------------------------------------------
    s_cols = [
        ("lever", 26, None, True), ("year", 8, "0", True), ("etp_freed", 12, fmt_etp, True),
        ("unit_cost_keur", 16, fmt_keur, True), ("explanation", 60, None, True),
        ("planned_etp", 13, fmt_etp, False), ("planned_unit_cost_keur", 22, fmt_keur, False),
        ("planned_keur", 14, fmt_keur, False),
    ]
    ws = sheet("savings", s_cols)
    validate(ws, 1, "lever", prompt="Levier d'économies (liste)")
    validate(ws, 2, "year", prompt="Année")
    validate(ws, 3, "etp_freed", kind="nonneg", prompt="ETP libérés dans l'année, ≥ 0")
    validate(ws, 4, "unit_cost_keur", kind="positive", prompt="k€ par ETP et par an ; vide = coût du plan")
    s_plan = plan[plan["planned_etp"] > 0].copy()
    s_plan["_k"] = s_plan["lever"].map({lv: i for i, lv in enumerate(LEVERS)})
    s_plan = s_plan.sort_values(["_k", "year"], kind="stable")
    r = 2
    for rec in s_plan.itertuples(index=False):
        ws.cell(row=r, column=1, value=str(rec.lever))
        ws.cell(row=r, column=2, value=int(rec.year))
        ws.cell(row=r, column=6, value=float(rec.planned_etp))
        ws.cell(row=r, column=7, value=float(rec.unit_cost_keur))
        ws.cell(row=r, column=8, value=float(rec.planned_etp) * float(rec.unit_cost_keur))
        r += 1
    for rr in range(2, max(r, 2) + 20):
        style_row(ws, rr, [c[2] for c in s_cols], [c[3] for c in s_cols])
        ws.cell(row=rr, column=5).alignment = Alignment(wrap_text=True, vertical="top")

    # credits ---------------------------------------------------------------
    c_cols = [
        ("axis", 6, "0", True), ("title", 7, None, True), ("source", 13, None, True), ("year", 8, "0", True),
        ("quarter", 9, "0", True), ("ae_keur", 12, fmt_keur, True), ("cp_keur", 12, fmt_keur, True),
        ("planned_ae_keur_year", 22, fmt_keur, False), ("planned_cp_keur_year", 22, fmt_keur, False),
    ]
    ws = sheet("credits", c_cols)
    validate(ws, 1, "axis", prompt="Axe 1 à 4")
    validate(ws, 2, "title", prompt="T2 personnel, T3 fonctionnement, T6 intervention")
    validate(ws, 3, "source", prompt="FTAP ou cofinancing")
    validate(ws, 4, "year", prompt="Année")
    validate(ws, 5, "quarter", prompt="Trimestre 1 à 4")
    validate(ws, 6, "ae_keur", kind="nonneg", prompt="AE consommées dans le trimestre, k€, ≥ 0")
    validate(ws, 7, "cp_keur", kind="nonneg", prompt="CP consommés dans le trimestre, k€, ≥ 0")
    wide = fin.pivot_table(index=["axis", "title", "source", "year"], columns="credit",
                           values="amount_keur", aggfunc="sum", fill_value=0.0).reset_index()
    for credit in ("AE", "CP"):
        if credit not in wide.columns:
            wide[credit] = 0.0
    wide = wide[(wide["AE"] > 0) | (wide["CP"] > 0)].sort_values(["axis", "title", "source", "year"])
    r = 2
    for rec in wide.itertuples(index=False):
        for q in (1, 2, 3, 4):
            ws.cell(row=r, column=1, value=int(rec.axis))
            ws.cell(row=r, column=2, value=str(rec.title))
            ws.cell(row=r, column=3, value=str(rec.source))
            ws.cell(row=r, column=4, value=int(rec.year))
            ws.cell(row=r, column=5, value=q)
            if q == 1:
                ws.cell(row=r, column=8, value=float(rec.AE))
                ws.cell(row=r, column=9, value=float(rec.CP))
            r += 1
    for rr in range(2, max(r, 2) + 20):
        style_row(ws, rr, [c[2] for c in c_cols], [c[3] for c in c_cols])

    # indicators ------------------------------------------------------------
    i_cols = [
        ("indicator", 34, None, True), ("year", 8, "0", True), ("value", 12, "General", True),
        ("comment", 50, None, True), ("target", 10, "General", False), ("unit", 8, None, False),
        ("label", 60, None, False),
    ]
    ws = sheet("indicators", i_cols)
    validate(ws, 1, "indicator", prompt="Identifiant de l'indicateur (liste)")
    validate(ws, 2, "year", prompt="Année")
    validate(ws, 3, "value", kind="number", prompt="Niveau en fin d'année ; taux entre 0 et 1")
    r = 2
    for rec in targets.itertuples(index=False):
        ws.cell(row=r, column=1, value=str(rec.indicator))
        ws.cell(row=r, column=2, value=int(rec.year))
        ws.cell(row=r, column=5, value=float(rec.target))
        ws.cell(row=r, column=6, value=str(rec.unit))
        ws.cell(row=r, column=7, value=str(rec.label))
        if str(rec.unit) == "share":
            ws.cell(row=r, column=3).number_format = "0%"
            ws.cell(row=r, column=5).number_format = "0%"
        r += 1
    for rr in range(2, max(r, 2) + 20):
        style_row(ws, rr, [None, "0", None, None, None, None, None], [c[3] for c in i_cols])

    wb.move_sheet("lists", offset=len(wb.sheetnames) - 1 - wb.sheetnames.index("lists"))
    wb.active = 0
    wb.properties.creator = "incubo-analysis"
    wb.properties.lastModifiedBy = "incubo-analysis"
    wb.properties.created = _FIXED_TIMESTAMP
    wb.properties.modified = _FIXED_TIMESTAMP
    return wb


def save_workbook_deterministic(wb: Workbook, path: str | os.PathLike[str]) -> Path:
    """Save an openpyxl workbook atomically, with bytes independent of the clock.

    openpyxl stamps ``docProps/core.xml`` with the current time and the zip
    entries with the current date; both are replaced by 2018-01-01.

    Parameters
    ----------
    wb : openpyxl.Workbook
        The workbook.
    path : path
        Destination (written to a temporary file beside it, then renamed).

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    path = Path(path)
    buf = io.BytesIO()
    wb.save(buf)
    stamp = _FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIMESTAMP.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            zout.writestr(zi, data)
    _atomic_write_bytes(path, out.getvalue())
    return path


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    parent = path.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise

"""The formatted Excel annex of the annual report (``incubo_report_YEAR.xlsx``).

One workbook, one table per sheet, written cell by cell with openpyxl (never with
``pandas.to_excel``, which turns any text starting with ``=`` into a live formula):

=========================  ==========================  ===========================================
sheet (``lang="fr"``)      sheet (``lang="en"``)       content
=========================  ==========================  ===========================================
Synthèse                   Summary                     key figures of the year (caller's frame)
Économies                  Savings                     savings variance per lever × year
Économies cumulées         Cumulated savings           the same, cumulated to date (+ total)
Économies par programme    Savings by programme        realised savings split by budget programme
Crédits                    Credits                     credits consumed vs plan (AE / CP)
Crédits trimestriels       Quarterly credits           quarterly cumulated consumption
Indicateurs                Indicators                  indicators vs targets, RAG status
Rapprochement              Reconciliation              the contract checked against itself
Hypothèses                 Assumptions                 the assumptions log (docs/assumptions.md)
Provenance                 Provenance                  input hashes, parameters, package version
=========================  ==========================  ===========================================

Layout of every sheet: a title in row 1 (``A1``), the column headers in row
:data:`HEADER_ROW` (bold, filled, auto filter, frozen), one record per row from
:data:`FIRST_DATA_ROW`. Read one back with
``pandas.read_excel(path, sheet_name=..., header=HEADER_ROW - 1, engine="openpyxl")``.

Formatting rules, keyed on the *raw* column names of the tidy tables:

- amounts ``*_keur``: ``#,##0.0 "k€"`` (:data:`~incubo_analysis.outputs.labels.EXCEL_KEUR_FORMAT`;
  Excel and LibreOffice display it with the reader's separators: ``1 824,0 k€`` in French);
  variances and effects (and the reconciliation's ``difference``) show negatives in red;
- shares 0–1 (``variance_pct``, ``consumption_rate``, ``share_of_budget``, ``attainment``,
  ``share``, ``cumulated_share_of_budget``): percent with one decimal;
- years and quarters: plain integers (no thousands separator); FTE: two decimals;
- columns whose rows carry their own unit (``value`` of the summary, ``stated`` /
  ``computed`` / ``difference`` of the reconciliation, ``target`` / ``actual`` of the
  indicators) are formatted row by row from that unit;
- coded values are translated (levers, axes, titles, sources, credits, statuses,
  programmes, check families), booleans become ``oui`` / ``non``;
- ``status`` cells are filled green / amber / red (``ok`` / ``rounding`` / ``mismatch`` of
  the reconciliation likewise); a ``True`` in ``explanation_missing`` is highlighted together
  with its (blank) explanation cell; rows whose lever is ``total`` are bold.

Every text cell is stored as a string (``t="inlineStr"``), never as a formula; a text that
would start a formula in a spreadsheet (``=``, ``+``, ``-``, ``@``, tab, carriage return)
also gets Excel's quote prefix, so it stays text even when the reader edits the cell.

The workbook is deterministic to the byte: fixed document properties (created and modified
2018-01-01, author ``incubo-analysis``), fixed zip entry dates, entries in a fixed order, and
floats rounded to 1e-9 (as :func:`incubo_analysis.io.write_csv` does) so that floating-point
noise never changes a file.
"""

from __future__ import annotations

import copy
import datetime as _dt
import io
import math
import os
import re
import zipfile
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from incubo_analysis.errors import ParameterError, SchemaError
from incubo_analysis.outputs.labels import CODED_COLUMNS, EXCEL_KEUR_FORMAT, check_lang, has_label, label
from incubo_analysis.paths import DOCS_DIR, ROOT

__all__ = [
    "HEADER_ROW",
    "FIRST_DATA_ROW",
    "SHEETS",
    "FIXED_DATETIME",
    "ASSUMPTIONS_COLUMNS",
    "sheet_names",
    "workbook_filename",
    "assumptions_table",
    "write_report_workbook",
]

#: Row of the column headers (row 1 holds the sheet's title).
HEADER_ROW = 2
#: First row of data.
FIRST_DATA_ROW = HEADER_ROW + 1

#: Fixed document date (created and modified): no timestamp in a generated file.
FIXED_DATETIME = _dt.datetime(2018, 1, 1, 0, 0, 0)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold
_AUTHOR = "incubo-analysis"

#: Sheets in workbook order: key (the keyword argument of :func:`write_report_workbook`)
#: -> (French name, English name, French title, English title).
SHEETS: dict[str, tuple[str, str, str, str]] = {
    "summary": ("Synthèse", "Summary",
                "Chiffres clés de l'année", "Key figures of the year"),
    "savings_variance": ("Économies", "Savings",
                         "Économies prévues et réalisées, par levier et par année",
                         "Planned and actual savings, by lever and year"),
    "savings_cumulative": ("Économies cumulées", "Cumulated savings",
                           "Économies prévues et réalisées, cumulées depuis le début du contrat",
                           "Planned and actual savings, cumulated since the start of the contract"),
    "savings_by_programme": ("Économies par programme", "Savings by programme",
                             "Économies réalisées réparties par programme budgétaire "
                             "(répartition indicative du contrat : un tiers chacun)",
                             "Realised savings split by budget programme "
                             "(the contract's indicative split: one third each)"),
    "credits_variance": ("Crédits", "Credits",
                         "Crédits consommés et prévus, par axe, titre, source, année et nature (AE / CP)",
                         "Appropriations consumed vs planned, by axis, title, source, year and type (AE / CP)"),
    "credits_quarterly": ("Crédits trimestriels", "Quarterly credits",
                          "Consommation trimestrielle et cumulée des crédits, par axe",
                          "Quarterly and cumulated consumption of appropriations, by axis"),
    "indicators": ("Indicateurs", "Indicators",
                   "Indicateurs : réalisé, cible, taux d'atteinte et statut",
                   "Indicators: actual, target, attainment and status"),
    "reconciliation": ("Rapprochement", "Reconciliation",
                       "Rapprochement du contrat : montants affichés et recalculés",
                       "Contract reconciliation: stated and recomputed figures"),
    "assumptions": ("Hypothèses", "Assumptions",
                    "Journal des hypothèses (docs/assumptions.md)",
                    "Assumptions log (docs/assumptions.md)"),
    "provenance": ("Provenance", "Provenance",
                   "Provenance : empreintes des fichiers d'entrée, paramètres, version",
                   "Provenance: input file hashes, parameters, version"),
}

#: Columns of :func:`assumptions_table`.
ASSUMPTIONS_COLUMNS: tuple[str, ...] = ("section", "id", "assumption", "source", "relied_on_by")

# ----------------------------------------------------------------------------- labels
# Labels missing from incubo_analysis.outputs.labels (kept here, used only when labels.py has none).
_EXTRA_LABELS: dict[Hashable, tuple[str, str]] = {
    # budget programmes of variance.savings_by_programme
    "interieur": ("Ministère de l'Intérieur", "Ministry of the Interior"),
    "dreal": ("DREAL", "DREAL"),
    "other_bops": ("Autres BOP", "Other programmes (BOP)"),
    "total": ("Total", "Total"),
    # reconciliation families
    "financing_total_vs_lines": ("Plan de financement : total affiché / somme des lignes",
                                 "Financing plan: printed total vs sum of lines"),
    "financing_total_vs_subtotals": ("Plan de financement : total affiché / sous-totaux affichés",
                                     "Financing plan: printed total vs printed subtotals"),
    "savings_total_vs_lines": ("Économies : total affiché / somme des leviers",
                               "Savings: printed total vs sum of levers"),
    "savings_lever_vs_etp": ("Économies : levier / ETP × coût unitaire",
                             "Savings: lever vs FTE × unit cost"),
    "text_vs_tables": ("Texte / tableaux", "Text vs tables"),
    # units
    "count": ("nombre", "count"),
    "keur": ("k€", "k€"),
    # column names
    "family": ("Famille de contrôle", "Check family"),
    "section": ("Section", "Section"),
    "key": ("Clé", "Key"),
    "indicator_label": ("Indicateur", "Indicator"),
}
# Column headers specific to one sheet (the same raw name means something else there).
_SHEET_HEADERS: dict[str, dict[str, tuple[str, str]]] = {
    "reconciliation": {"section": ("Section du contrat", "Contract section")},
    "assumptions": {
        "section": ("Section du journal", "Log section"),
        "id": ("N°", "No."),
        "assumption": ("Hypothèse", "Assumption"),
        "source": ("Source", "Source"),
        "relied_on_by": ("Utilisée par", "Relied on by"),
    },
    "provenance": {"key": ("Clé", "Key"), "value": ("Valeur", "Value")},
}
_TRANSLATED_COLUMNS = frozenset({*CODED_COLUMNS, "programme", "family"})
_NUMERIC_CODED_COLUMNS = frozenset({"axis"})  # a number elsewhere (a target of 1) stays a number

# ----------------------------------------------------------------------------- formats
_KEUR = EXCEL_KEUR_FORMAT  # '#,##0.0 "k€"'
_KEUR_SIGNED = f'{_KEUR};[Red]-{_KEUR}'
_KEUR_PRECISE = '#,##0.0# "k€"'  # the contract prints a few k€ to 0.01 (106,88)
_KEUR_PRECISE_SIGNED = f"{_KEUR_PRECISE};[Red]-{_KEUR_PRECISE}"
_PCT = "0.0%"
_PCT_SIGNED = "0.0%;[Red]-0.0%"
_INT = "0"  # years, quarters: never a thousands separator
_COUNT = "#,##0"
_FTE = "0.00"
_NUMBER = "#,##0.0##"

_PCT_COLUMNS = frozenset({"variance_pct", "consumption_rate", "share_of_budget", "attainment", "share",
                          "cumulated_share_of_budget", "realisation_rate", "discount_rate",
                          "unit_cost_growth", "probability"})
_SIGNED_COLUMNS = frozenset({"variance_keur", "volume_effect_keur", "price_effect_keur", "variance_pct",
                             "difference"})
_FTE_COLUMNS = frozenset({"etp", "etp_freed", "planned_etp", "actual_etp"})
_INT_COLUMNS = frozenset({"year", "quarter", "axis", "base_year", "horizon_end"})
# Columns formatted row by row from a unit.
_UNIT_VALUE_COLUMNS = frozenset({"value", "stated", "computed", "difference", "target", "actual"})
_UNIT_ALIASES: dict[str, str] = {
    "k€": "keur", "keur": "keur", "k€/an": "keur", "k€/etp/an": "keur", "k€/fte/year": "keur",
    "share": "share", "part": "share", "%": "share", "taux": "share", "rate": "share",
    "etp": "fte", "fte": "fte",
    "year": "year", "année": "year", "an": "year", "years": "year",
    "count": "count", "nombre": "count",
}

# ----------------------------------------------------------------------------- styles
_HEADER_FILL = PatternFill("solid", start_color="FF1F4E79", end_color="FF1F4E79")
_FONT = "Calibri"  # openpyxl's default; named so that LibreOffice does not fall back to a serif
_HEADER_FONT = Font(name=_FONT, size=11, bold=True, color="FFFFFFFF")
_TITLE_FONT = Font(name=_FONT, size=13, bold=True, color="FF1F4E79")
_BOLD = Font(name=_FONT, size=11, bold=True)
_NOTE_FONT = Font(name=_FONT, size=11, italic=True, color="FF7F7F7F")
# Excel's "Good / Neutral / Bad" cell styles: fill and font colours.
_RAG: dict[str, tuple[str, str]] = {
    "green": ("FFC6EFCE", "FF006100"),
    "amber": ("FFFFEB9C", "FF9C5700"),
    "red": ("FFFFC7CE", "FF9C0006"),
}
_STATUS_RAG = {"green": "green", "amber": "amber", "red": "red",
               "ok": "green", "rounding": "amber", "mismatch": "red"}
_MISSING_FILL = PatternFill("solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
_MISSING_FONT = Font(name=_FONT, size=11, bold=True, color="FF9C0006")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FONTS: dict[str, Font] = {
    "title": _TITLE_FONT, "header": _HEADER_FONT, "bold": _BOLD, "note": _NOTE_FONT,
    "missing": _MISSING_FONT,
    **{rag: Font(name=_FONT, size=11, bold=True, color=font) for rag, (_, font) in _RAG.items()},
}
_FILLS: dict[str, PatternFill] = {
    "header": _HEADER_FILL, "missing": _MISSING_FILL,
    **{rag: PatternFill("solid", start_color=fill, end_color=fill) for rag, (fill, _) in _RAG.items()},
}
_ALIGNS: dict[str, Alignment] = {
    "header": Alignment(wrap_text=True, vertical="center"),
    "wrap": Alignment(wrap_text=True, vertical="top"),
    "top": Alignment(vertical="top"),
}

_MIN_WIDTH = 8
_MAX_WIDTH = 60
_LINE_HEIGHT = 15.0  # points per line of 11-pt text (Excel's default row height)
_CHARS_PER_LINE = 72  # average characters of proportional text per line of a _MAX_WIDTH column


def sheet_names(lang: str = "fr") -> list[str]:
    """The sheet names of the annex, in workbook order.

    Parameters
    ----------
    lang : {"fr", "en"}

    Examples
    --------
    >>> sheet_names()[:3]
    ['Synthèse', 'Économies', 'Économies cumulées']
    >>> sheet_names("en")[-1]
    'Provenance'
    """
    idx = check_lang(lang)
    return [names[idx] for names in SHEETS.values()]


def workbook_filename(year: int) -> str:
    """The annex's file name for a report year.

    Examples
    --------
    >>> workbook_filename(2021)
    'incubo_report_2021.xlsx'
    """
    return f"incubo_report_{_check_year(year)}.xlsx"


# ============================================================================ assumptions
_HEADING_RE = re.compile(r"^\s{0,3}#{2,6}\s+(?P<text>.+?)\s*#*\s*$")
_SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_HEADER_ALIASES: dict[str, str] = {
    "#": "id", "id": "id", "no": "id", "n°": "id",
    "assumption": "assumption", "assumptions": "assumption",
    "source": "source", "sources": "source",
    "relied on by": "relied_on_by", "relied_on_by": "relied_on_by", "used by": "relied_on_by",
}


def _split_row(line: str) -> list[str]:
    """Cells of a markdown table row (``\\|`` is a literal pipe)."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    cells = re.split(r"(?<!\\)\|", text)
    return [c.strip().replace("\\|", "|") for c in cells]


def _plain(text: str) -> str:
    """Markdown inline text as plain text: code spans, emphasis, links and escapes removed.

    Examples
    --------
    >>> _plain("**\\"1,3 M€\\"** matches `savings_total_keur`, *not* _this_ [doc](a.md)")
    '"1,3 M€" matches savings_total_keur, not this doc'
    >>> _plain("snake_case_name stays; 2 * 3 * 4 too")
    'snake_case_name stays; 2 * 3 * 4 too'
    """
    code_spans: list[str] = []

    def keep_code(match: re.Match[str]) -> str:
        code_spans.append(match.group(2).strip())
        return f"\x00{len(code_spans) - 1}\x00"

    text = re.sub(r"(`+)(.+?)\1", keep_code, text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images: their text
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE)
    for mark in ("***", "___", "**", "__"):
        m = re.escape(mark)
        text = re.sub(rf"{m}(?=\S)(.+?)(?<=\S){m}", r"\1", text)
    text = re.sub(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])", r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|~<>\"])", r"\1", text)  # backslash escapes
    text = re.sub(r"\x00(\d+)\x00", lambda m: code_spans[int(m.group(1))], text)
    return text.strip()


def assumptions_table(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The assumptions log as a table, parsed from its markdown (``docs/assumptions.md``).

    Every markdown table whose header has an ``assumption`` column is read; its rows take
    the section of the nearest heading above them (``## 1. Contract transcription ...``).
    Markdown emphasis, code spans and links are reduced to their text.

    Parameters
    ----------
    path : path, optional
        The markdown file (default: ``docs/assumptions.md`` of the project).

    Returns
    -------
    pandas.DataFrame
        One row per assumption, in file order, string columns ``section`` (the heading's
        text, e.g. ``"1. Contract transcription (data/raw/contract)"``), ``id`` (``"C1"``),
        ``assumption``, ``source`` and ``relied_on_by`` (empty string when the table has
        no such column).

    Raises
    ------
    SchemaError
        When the file is missing or unreadable, when an assumptions table has no ``#``
        (id) column, or when a row's number of cells differs from its header's (message:
        file, line, cells found and expected).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> md = pathlib.Path(tempfile.mkdtemp()) / "a.md"
    >>> _ = md.write_text(
    ...     "## 2. Savings\\n\\n| # | assumption | source | relied on by |\\n|---|---|---|---|\\n"
    ...     "| S1 | Unit cost is **57 k€** per `etp` | contract § 3 | savings |\\n", encoding="utf-8")
    >>> assumptions_table(md).iloc[0].tolist()
    ['2. Savings', 'S1', 'Unit cost is 57 k€ per etp', 'contract § 3', 'savings']
    """
    path = Path(DOCS_DIR / "assumptions.md" if path is None else path)
    shown = _shown_path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise SchemaError(f"{shown}: file not found; expected the assumptions log (markdown)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(f"{shown}: cannot be read as UTF-8 text ({exc.__class__.__name__}: {exc})") from None

    rows: list[dict[str, str]] = []
    problems: list[str] = []
    section = ""
    columns: list[str] | None = None  # normalised header of the current assumptions table
    in_fence = False
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
            columns = None
            i += 1
            continue
        if in_fence:
            i += 1
            continue
        heading = _HEADING_RE.match(line)
        if heading:
            section = _plain(heading.group("text"))
            columns = None
            i += 1
            continue
        if not stripped.startswith("|"):
            columns = None
            i += 1
            continue
        if columns is None:
            # a table starts: header row followed by a separator row
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if _SEPARATOR_RE.match(nxt):
                header = [_plain(c).lower() for c in _split_row(line)]
                names = [_HEADER_ALIASES.get(h, h) for h in header]
                if "assumption" in names:
                    if "id" not in names:
                        problems.append(f"{shown}, line {i + 1}: assumptions table without an id "
                                        f"column; found header {header}, expected '#' first")
                    columns = names
                else:
                    columns = []  # another kind of table: skipped
                i += 2
                continue
            i += 1
            continue
        if columns:
            cells = _split_row(line)
            if len(cells) != len(columns):
                problems.append(f"{shown}, line {i + 1}: {len(cells)} cells, expected {len(columns)} "
                                f"({' | '.join(columns)})")
            elif "id" in columns:
                record = {name: _plain(cell) for name, cell in zip(columns, cells)}
                if any(record.values()):
                    rows.append({
                        "section": section,
                        "id": record.get("id", ""),
                        "assumption": record.get("assumption", ""),
                        "source": record.get("source", ""),
                        "relied_on_by": record.get("relied_on_by", ""),
                    })
        i += 1
    if problems:
        if len(problems) == 1:
            raise SchemaError(problems[0])
        raise SchemaError(f"{shown}: {len(problems)} malformed assumptions table rows", problems)
    return pd.DataFrame(
        {c: pd.Series([r[c] for r in rows], dtype="str") for c in ASSUMPTIONS_COLUMNS}
    )


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# ============================================================================ workbook
def _check_year(year: Any) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ParameterError(f"year: expected a calendar year (int, 2000-2100), got {year!r}")
    return int(year)


def _text(key: Any, lang: str, *, short: bool = True) -> str:
    """Label of a code or column name: labels.py first, then this module's extras."""
    if has_label(key):
        return label(key, lang, short=short)
    try:
        found = _EXTRA_LABELS.get(key)
    except TypeError:  # unhashable
        found = None
    return found[0 if lang == "fr" else 1] if found else str(key)


def _header(column: Any, sheet: str, lang: str) -> str:
    idx = 0 if lang == "fr" else 1
    specific = _SHEET_HEADERS.get(sheet, {})
    if column in specific:
        return specific[column][idx]
    return _text(column, lang, short=False)


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return isinstance(value, float) and math.isnan(value)
    except TypeError:  # pragma: no cover
        return False


def _python(value: Any) -> Any:
    """A plain Python value: numpy scalars unwrapped, NaN/NA/inf -> None, floats rounded."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (TypeError, ValueError):  # pragma: no cover
            pass
    if _is_missing(value):
        return None
    if isinstance(value, float):
        if math.isinf(value):
            return None
        return round(value, 9) + 0.0  # floating noise out, no negative zero
    return value


def _unit_kind(unit: Any) -> str | None:
    if not isinstance(unit, str):
        return None
    return _UNIT_ALIASES.get(unit.strip().lower())


def _key_kind(key: Any) -> str | None:
    """Unit of a summary row guessed from a metric / indicator key."""
    if not isinstance(key, str):
        return None
    if key.endswith("_keur"):
        return "keur"
    if "year" in key:
        return "year"
    if key in _PCT_COLUMNS or key.endswith(("_rate", "_share", "_pct", "satisfaction", "_reduction")):
        return "share"
    if key.startswith("etp"):
        return "fte"
    return None


def _kind_format(kind: str | None, value: Any, *, signed: bool, precise: bool) -> str:
    if kind == "keur":
        if precise:
            return _KEUR_PRECISE_SIGNED if signed else _KEUR_PRECISE
        return _KEUR_SIGNED if signed else _KEUR
    if kind == "share":
        return _PCT_SIGNED if signed else _PCT
    if kind == "fte":
        return _FTE
    if kind == "year":
        return _INT
    if kind == "count":
        return _COUNT if isinstance(value, int) or float(value).is_integer() else _NUMBER
    if isinstance(value, int) or float(value).is_integer():
        return _COUNT
    return _NUMBER


def _column_format(column: str, value: Any) -> str:
    """Number format of a value in a column with no row unit."""
    if column in _INT_COLUMNS or column.endswith("_year") or column.startswith("year"):
        return _INT
    if column in _PCT_COLUMNS or column.endswith(("_rate", "_share", "_pct")):
        return _PCT_SIGNED if column in _SIGNED_COLUMNS else _PCT
    if column.endswith("_keur"):
        return _KEUR_SIGNED if column in _SIGNED_COLUMNS else _KEUR
    if column in _FTE_COLUMNS or column.endswith("_etp"):
        return _FTE
    if column in _SIGNED_COLUMNS:
        return f"{_NUMBER};[Red]-{_NUMBER}"
    if isinstance(value, int) or float(value).is_integer():
        return _COUNT
    return _NUMBER


def _set_text(cell: Any, text: str) -> bool:
    """Store ``text`` as a string cell, never as a formula; True when it needs a quote prefix."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.value = text
    cell.data_type = "s"  # openpyxl made "=..." a formula ("f"): force a string
    return text.startswith(_FORMULA_STARTS)


class _Styles:
    """Cell styles of one workbook, built once per combination and then copied.

    Setting ``cell.font`` / ``fill`` / ``alignment`` / ``number_format`` looks the style
    up in the workbook's indexed lists each time (most of the writing time for thousands
    of cells); the combined style array of a combination is the same, so it is cached.
    """

    def __init__(self) -> None:
        self._cache: dict[tuple, Any] = {}

    def apply(self, cell: Any, *, fmt: str | None = None, font: str | None = None,
              fill: str | None = None, align: str | None = None, quote: bool = False) -> None:
        key = (fmt, font, fill, align, quote)
        cached = self._cache.get(key)
        if cached is not None:
            cell._style = copy.copy(cached)
            return
        if fmt is not None:
            cell.number_format = fmt
        if font is not None:
            cell.font = _FONTS[font]
        if fill is not None:
            cell.fill = _FILLS[fill]
        if align is not None:
            cell.alignment = _ALIGNS[align]
        if quote:
            cell.quotePrefix = True  # Excel keeps the text a text even when the reader edits it
        self._cache[key] = copy.copy(cell._style)


def _normalise_frame(frame: Any, name: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"write_report_workbook: {name} must be a pandas DataFrame, got {type(frame).__name__}")
    out = frame
    if isinstance(out.index, pd.MultiIndex) or out.index.name is not None:
        out = out.reset_index()
    if isinstance(out.columns, pd.MultiIndex):
        out = out.copy()
        out.columns = [" – ".join(str(p) for p in col if str(p)) for col in out.columns]
    return out


def _row_kinds(frame: pd.DataFrame, sheet: str, unit_lookup: Mapping[str, str] | None) -> list[str | None] | None:
    """Per-row unit kind, for the columns formatted row by row; None when rows carry no unit."""
    if "unit" in frame.columns:
        units = [_unit_kind(u) for u in frame["unit"].tolist()]
        if sheet == "summary":
            keys = next((frame[c].tolist() for c in ("metric", "indicator", "key") if c in frame.columns), None)
            if keys is not None:
                units = [u if u is not None else _key_kind(k) for u, k in zip(units, keys)]
        return units
    if sheet == "indicators" and "indicator" in frame.columns and unit_lookup:
        return [_unit_kind(unit_lookup.get(str(k))) for k in frame["indicator"].tolist()]
    if sheet == "summary":
        for c in ("metric", "indicator", "key"):
            if c in frame.columns:
                return [_key_kind(k) for k in frame[c].tolist()]
    return None


def _write_table(
    ws: Worksheet,
    frame: pd.DataFrame,
    *,
    sheet: str,
    title: str,
    lang: str,
    styles: _Styles,
    unit_lookup: Mapping[str, str] | None = None,
) -> None:
    columns = [str(c) for c in frame.columns]
    ncols = max(len(columns), 1)
    widths = [0] * ncols

    title_cell = ws.cell(row=1, column=1)
    styles.apply(title_cell, font="title", quote=_set_text(title_cell, title))

    for j, col in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=j)
        text = _header(col, sheet, lang)
        styles.apply(cell, font="header", fill="header", align="header", quote=_set_text(cell, text))
        widths[j - 1] = max(min(max((len(w) for w in text.split()), default=0), 30), min(len(text), 24))

    row_kinds = _row_kinds(frame, sheet, unit_lookup)
    precise = sheet == "reconciliation"
    raw_columns = [frame.iloc[:, j].tolist() for j in range(len(columns))]  # by position
    nrows = len(frame)
    missing_flags = raw_columns[columns.index("explanation_missing")] if "explanation_missing" in columns else None
    lever_codes = raw_columns[columns.index("lever")] if "lever" in columns else None

    for i in range(nrows):
        r = FIRST_DATA_ROW + i
        lines = 1
        flagged = missing_flags is not None and _python(missing_flags[i]) is True
        is_total = lever_codes is not None and lever_codes[i] == "total"
        for j, col in enumerate(columns, start=1):
            raw = _python(raw_columns[j - 1][i])
            if raw is None or raw == "":
                if not (flagged and col == "explanation"):
                    continue  # an empty cell: nothing to write
                cell = ws.cell(row=r, column=j)
                styles.apply(cell, font="missing", fill="missing")
                continue
            cell = ws.cell(row=r, column=j)
            fmt = None
            quote = False
            if isinstance(raw, (int, float)) and not isinstance(raw, bool) and not (
                    col in _NUMERIC_CODED_COLUMNS and has_label(raw)):
                cell.value = raw
                if row_kinds is not None and col in _UNIT_VALUE_COLUMNS:
                    fmt = _kind_format(row_kinds[i], raw, signed=col in _SIGNED_COLUMNS, precise=precise)
                else:
                    fmt = _column_format(col, raw)
                shown = _approx_shown(raw, fmt)
            else:
                translate = isinstance(raw, bool) or col in _TRANSLATED_COLUMNS
                shown = _text(raw, lang) if translate else str(raw)
                quote = _set_text(cell, shown)
            font = fill = None
            if col == "status" and isinstance(raw, str) and raw in _STATUS_RAG:
                font = fill = _STATUS_RAG[raw]
            elif flagged and col in ("explanation_missing", "explanation"):
                font = fill = "missing"
            elif is_total:
                font = "bold"
            parts = shown.split("\n")
            longest = max(len(part) for part in parts)
            if longest > _MAX_WIDTH or len(parts) > 1:
                align = "wrap"
                # spreadsheets do not always fit row heights on opening: set it
                lines = max(lines, sum(max(1, math.ceil(len(p) / _CHARS_PER_LINE)) for p in parts))
            else:
                align = "top"
            styles.apply(cell, fmt=fmt, font=font, fill=fill, align=align, quote=quote)
            widths[j - 1] = max(widths[j - 1], min(longest, _MAX_WIDTH))
        if lines > 1:
            ws.row_dimensions[r].height = _LINE_HEIGHT * lines

    last_col = get_column_letter(ncols)
    if nrows == 0:
        note = ws.cell(row=FIRST_DATA_ROW, column=1)
        styles.apply(note, font="note",
                     quote=_set_text(note, "(aucune donnée)" if lang == "fr" else "(no data)"))
    if columns:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{HEADER_ROW + max(nrows, 1)}"
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    for j in range(1, ncols + 1):
        ws.column_dimensions[get_column_letter(j)].width = max(_MIN_WIDTH, widths[j - 1] + 2)
    ws.row_dimensions[1].height = 20
    # printing: landscape, one page wide, headers repeated
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _approx_shown(value: float | int, fmt: str) -> str:
    """Approximate displayed text of a number (for column widths only)."""
    if fmt == _INT:
        return str(int(value))
    if fmt == _COUNT:
        return f"{value:,.0f}"
    if "%" in fmt:
        return f"{value * 100:,.1f} %"
    if "k€" in fmt:
        return f"{value:,.2f} k€"
    return f"{value:,.3f}"


def _provenance_frame(provenance: Mapping[str, Any]) -> pd.DataFrame:
    if not isinstance(provenance, Mapping):
        raise TypeError(f"write_report_workbook: provenance must be a mapping, got {type(provenance).__name__}")
    keys = [str(k) for k in provenance]
    values = ["" if _is_missing(v) else str(v) for v in provenance.values()]
    return pd.DataFrame({"key": pd.Series(keys, dtype="str"), "value": pd.Series(values, dtype="str")})


def _indicator_units() -> dict[str, str]:
    """Unit of each contract indicator (count / share / keur), for row-wise formats."""
    from incubo_analysis.contract.loaders import load_indicator_targets
    from incubo_analysis.errors import InputError

    try:
        targets = load_indicator_targets()
    except InputError:  # the report validated the contract first; here only formats depend on it
        return {}
    return {str(k): str(u) for k, u in zip(targets["indicator"], targets["unit"])}


def _deterministic_zip(data: bytes) -> bytes:
    """Re-pack an xlsx with fixed entry dates and attributes (byte-identical output)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 0
            fixed.external_attr = 0
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_report_workbook(
    path: str | os.PathLike[str],
    *,
    year: int,
    summary: pd.DataFrame,
    savings_variance: pd.DataFrame,
    savings_cumulative: pd.DataFrame,
    savings_by_programme: pd.DataFrame,
    credits_variance: pd.DataFrame,
    credits_quarterly: pd.DataFrame,
    indicators: pd.DataFrame,
    reconciliation: pd.DataFrame,
    assumptions: pd.DataFrame,
    provenance: Mapping[str, str],
    lang: str = "fr",
) -> Path:
    """Write the Excel annex of the annual report.

    Parameters
    ----------
    path : path
        The workbook to write (the caller names it, normally
        ``<out>/incubo_report_<year>.xlsx``: :func:`workbook_filename`); its folder must
        exist. Written directly: atomicity is the caller's (the report folder is built in
        a temporary folder).
    year : int
        The report year (shown in the sheet titles).
    summary : DataFrame
        Key figures of the year, any tidy frame, e.g. columns ``indicator_label``,
        ``value``, ``unit``; with a ``unit`` column (``k€``, ``share``/``part``/``%`` for a
        share 0–1, ``ETP``, ``année``/``year``, ``count``...) each ``value`` is formatted
        by its unit; without one, from a ``metric`` / ``indicator`` key when present.
    savings_variance : DataFrame
        :func:`incubo_analysis.monitoring.variance.savings_variance` (k€, FTE, shares).
    savings_cumulative : DataFrame
        :func:`incubo_analysis.monitoring.variance.savings_variance_cumulative`.
    savings_by_programme : DataFrame
        :func:`incubo_analysis.monitoring.variance.savings_by_programme`.
    credits_variance : DataFrame
        :func:`incubo_analysis.monitoring.variance.credits_variance`.
    credits_quarterly : DataFrame
        :func:`incubo_analysis.monitoring.variance.credits_quarterly`.
    indicators : DataFrame
        :func:`incubo_analysis.monitoring.variance.indicator_status` (``target`` / ``actual``
        formatted by the indicator's unit: from a ``unit`` column when present, else from
        the contract's targets).
    reconciliation : DataFrame
        :func:`incubo_analysis.contract.reconcile.reconcile_contract` (``stated`` / ``computed`` /
        ``difference`` formatted by the row's ``unit``).
    assumptions : DataFrame
        :func:`assumptions_table`.
    provenance : Mapping[str, str]
        Key → value, in the order given (input file SHA-256, parameters, package
        version). No timestamps: two runs must give the same workbook.
    lang : {"fr", "en"}
        Sheet names, titles, headers and coded values in French (default) or English.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ParameterError
        When ``lang`` is not ``"fr"``/``"en"`` or ``year`` is not a calendar year.
    TypeError
        When a table is not a DataFrame or ``provenance`` not a mapping (a programming
        error, not a user one).

    Notes
    -----
    Frames are not modified. Missing values (NaN, NA, ±inf) give empty cells. The result
    is byte-identical for identical inputs.
    """
    idx = check_lang(lang)
    year = _check_year(year)
    tables = {
        "summary": summary,
        "savings_variance": savings_variance,
        "savings_cumulative": savings_cumulative,
        "savings_by_programme": savings_by_programme,
        "credits_variance": credits_variance,
        "credits_quarterly": credits_quarterly,
        "indicators": indicators,
        "reconciliation": reconciliation,
        "assumptions": assumptions,
    }
    frames = {key: _normalise_frame(frame, key) for key, frame in tables.items()}
    frames["provenance"] = _provenance_frame(provenance)
    unit_lookup = None
    if "unit" not in frames["indicators"].columns and len(frames["indicators"]):
        unit_lookup = _indicator_units()

    wb = Workbook()
    wb.remove(wb.active)
    styles = _Styles()
    for key, (fr_name, en_name, fr_title, en_title) in SHEETS.items():
        name = (fr_name, en_name)[idx]
        title = (fr_title, en_title)[idx]
        ws = wb.create_sheet(title=name)
        _write_table(ws, frames[key], sheet=key, title=f"Incub-O – {year} – {title}", lang=lang,
                     styles=styles, unit_lookup=unit_lookup if key == "indicators" else None)
    wb.active = 0

    props = wb.properties
    props.creator = _AUTHOR
    props.lastModifiedBy = _AUTHOR
    props.created = FIXED_DATETIME
    props.modified = FIXED_DATETIME
    props.title = (f"Incub-O – rapport annuel {year} – annexe", f"Incub-O – annual report {year} – annex")[idx]
    props.language = lang

    buffer = io.BytesIO()
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()  # not save_workbook(): it stamps "modified" with now()
    path = Path(path)
    path.write_bytes(_deterministic_zip(buffer.getvalue()))
    return path

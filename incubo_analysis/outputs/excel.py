"""The formatted Excel annex of the annual report (``incubo_report_YEAR.xlsx``).

One workbook, one table per sheet, written cell by cell with openpyxl (never with
``pandas.to_excel``, which turns any text starting with ``=`` into a live formula):

=========================  ==========================  ===========================================
sheet (``lang="fr"``)      sheet (``lang="en"``)       content
=========================  ==========================  ===========================================
Synthèse                   Summary                     key figures of the year (caller's frame)
Économies                  Savings                     savings variance per lever × year
Économies cumulées         Cumulated savings           the same, cumulated to date (+ total)
Économies par programme    Savings by programme        realised savings by budget programme (observed / thirds)
Économies par              Savings by evidence         documented budget savings, productivity gains,
justification                                          undocumented savings (year and cumulated)
Crédits                    Credits                     credits consumed vs plan (AE / CP)
Crédits trimestriels       Quarterly credits           quarterly cumulated consumption
Indicateurs                Indicators                  indicators vs targets, RAG status
Délais de traitement       Processing times            with DS exports only: per démarche × quarter
Contrôle Chorus            Chorus cross-check          with a Chorus extract only: FTAP credits vs Chorus
Rapprochement              Reconciliation              the contract checked against itself
Hypothèses                 Assumptions                 the assumptions log (docs/assumptions.yaml)
Provenance                 Provenance                  input hashes, parameters, package version
=========================  ==========================  ===========================================

Layout of every sheet: a title in row 1 (``A1``), the column headers in row
:data:`HEADER_ROW` (bold, filled, auto filter, frozen), one record per row from
:data:`FIRST_DATA_ROW`. Read one back with
``pandas.read_excel(path, sheet_name=..., header=HEADER_ROW - 1, engine="openpyxl")``.

Formatting rules, keyed on the *raw* column names of the tidy tables:

- a unit is shown once: amounts ``*_keur`` are ``#,##0.0`` under a header that says
  ``(k€)``, or beside a ``unit`` column that says ``k€``; only where neither does (an
  indicator's target in k€) the format carries it (:data:`~incubo_analysis.labels.EXCEL_KEUR_FORMAT`).
  Excel and LibreOffice display formats with the reader's separators (``1 824,0`` in French);
  variances and effects (and the reconciliation's ``difference``) show negatives in red;
- the same rounding as the HTML report: k€ to one decimal, ROI (unit ``ratio``) to two;
- shares 0–1 (``variance_pct``, ``consumption_rate``, ``share_of_budget``, ``attainment``,
  ``share``, ``cumulated_share_of_budget``): ``0.0 %`` (the header repeats no ``%``, a
  ``unit`` cell stays empty);
- years and quarters: plain integers (no thousands separator); FTE: two decimals;
- columns whose rows carry their own unit (``value`` of the summary, ``stated`` /
  ``computed`` / ``difference`` of the reconciliation, ``target`` / ``actual`` of the
  indicators) are formatted row by row from that unit;
- coded values are translated (levers, axes, titles, sources, credits, statuses,
  programmes, check families), booleans become ``oui`` / ``non``; provenance keys are
  words (``command`` → ``Commande``), the scenario its label, the threshold a percentage;
- the assumptions sheet is written from ``docs/assumptions.yaml`` in the workbook's
  language (:func:`assumptions_table`), a code span naming a labelled code shown as its label;
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

import contextlib
import copy
import datetime as _dt
import io
import math
import os
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from incubo_analysis.contract.reconcile import checks_in_language
from incubo_analysis.errors import ParameterError, SchemaError
from incubo_analysis.labels import (
    CODED_COLUMNS,
    EXCEL_KEUR_FORMAT,
    check_lang,
    format_value,
    has_label,
    is_missing,
    label,
    normalise_unit,
)
from incubo_analysis.paths import DOCS_DIR, ROOT

__all__ = [
    "provenance_key",
    "HEADER_ROW",
    "FIRST_DATA_ROW",
    "SHEETS",
    "OPTIONAL_SHEETS",
    "FIXED_DATETIME",
    "ASSUMPTIONS_COLUMNS",
    "sheet_names",
    "workbook_filename",
    "ASSUMPTIONS_SOURCE",
    "load_assumptions",
    "assumptions_table",
    "write_report_workbook",
    "write_tables_workbook",
]

#: Row of the column headers (row 1 holds the sheet's title).
HEADER_ROW = 2
#: First row of data.
FIRST_DATA_ROW = HEADER_ROW + 1

#: Fixed document date (created and modified): no timestamp in a generated file.
FIXED_DATETIME = _dt.datetime(2018, 1, 1, 0, 0, 0)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold
_AUTHOR = "incubo-analysis"

#: Sheets in workbook order, by key (the keyword argument of :func:`write_report_workbook`);
#: their names and titles are the labels ``sheet.<key>`` and ``sheet.<key>.title``.
SHEETS: tuple[str, ...] = (
    "summary", "savings_variance", "savings_cumulative", "savings_by_programme", "savings_by_evidence",
    "credits_variance", "credits_quarterly", "indicators", "reconciliation", "assumptions", "provenance",
)
#: Sheets written only when their table is given (the real sources), after ``indicators``.
OPTIONAL_SHEETS: tuple[str, ...] = ("processing_times", "credits_crosscheck")

#: Columns of :func:`assumptions_table`.
ASSUMPTIONS_COLUMNS: tuple[str, ...] = ("section", "id", "assumption", "source", "relied_on_by")

# ----------------------------------------------------------------------------- labels
# Every text comes from incubo_analysis.labels; a header specific to one sheet (the
# same raw name means something else there) is the label "header.<sheet>.<column>".
_TRANSLATED_COLUMNS = frozenset({*CODED_COLUMNS, "programme", "family"})
_NUMERIC_CODED_COLUMNS = frozenset({"axis"})  # a number elsewhere (a target of 1) stays a number
# Codes of the savings ledger, labelled ``<prefix><code>`` (the nature of a saving, its class, the
# basis of a programme split row); a value without a label is written as it is.
_PREFIXED_CODES: dict[str, str] = {"nature": "ledger.nature.", "saving_class": "ledger.class.",
                                   "basis": "ledger.basis."}

# ----------------------------------------------------------------------------- formats
# k€ amounts carry the unit in their format (EXCEL_KEUR_FORMAT, '#,##0.0 "k€"') only where
# neither the column header ("Prévu (k€)") nor a unit column says it: _Table.unit_free.
_KEUR = EXCEL_KEUR_FORMAT
_KEUR_SIGNED = f'{_KEUR};[Red]-{_KEUR}'
_KEUR_PRECISE = '#,##0.0# "k€"'  # the contract prints a few k€ to 0.01 (106,88)
_KEUR_PRECISE_SIGNED = f"{_KEUR_PRECISE};[Red]-{_KEUR_PRECISE}"
_KEUR_CENTS = '#,##0.00 "k€"'  # the Chorus cross-check: differences of a few euros must add up
_KEUR_CENTS_SIGNED = f"{_KEUR_CENTS};[Red]-{_KEUR_CENTS}"
_CENTS_COLUMNS = frozenset({"workbook_keur", "chorus_keur", "difference_keur"})
_KEUR_SUFFIX = ' "k€"'
_PCT = "0.0 %"  # one decimal, as the HTML report
_PCT_SIGNED = "0.0 %;[Red]-0.0 %"
_RATIO = "0.00"  # ROI: two decimals, as the HTML report (3,14)
_INT = "0"  # years, quarters: never a thousands separator
_COUNT = "#,##0"
_FTE = "0.00"
_NUMBER = "#,##0.0##"

_PCT_COLUMNS = frozenset({"variance_pct", "consumption_rate", "share_of_budget", "attainment", "share",
                          "cumulated_share_of_budget", "realisation_rate", "discount_rate",
                          "unit_cost_growth", "probability"})
_SIGNED_COLUMNS = frozenset({"variance_keur", "volume_effect_keur", "price_effect_keur", "variance_pct",
                             "difference", "difference_keur"})
_FTE_COLUMNS = frozenset({"etp", "etp_freed", "planned_etp", "actual_etp"})
_INT_COLUMNS = frozenset({"year", "quarter", "axis", "base_year", "horizon_end", "risk_probability", "impact",
                          "score"})
# Columns formatted row by row from a unit.
_UNIT_VALUE_COLUMNS = frozenset({"value", "stated", "computed", "difference", "target", "actual"})
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
    check_lang(lang)
    return [label(f"sheet.{key}", lang) for key in SHEETS]


def workbook_filename(year: int) -> str:
    """The annex's file name for a report year.

    Examples
    --------
    >>> workbook_filename(2021)
    'incubo_report_2021.xlsx'
    """
    return f"incubo_report_{_check_year(year)}.xlsx"


# ============================================================================ assumptions
#: The one source of the assumptions log (docs/assumptions.md is generated from it).
ASSUMPTIONS_SOURCE: Path = DOCS_DIR / "assumptions.yaml"
_ENTRY_FIELDS = ("assumption", "source", "relied_on_by")
_ID_RE = re.compile(r"^[A-Z][0-9]{1,3}$")
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")  # code spans that may be codes of the label table


def _plain(text: str, lang: str | None = None) -> str:
    """Markdown inline text as plain text: code spans, emphasis, links and escapes removed.

    With ``lang``, a code span naming a code of the label table (a parameter, a metric, a
    status...) becomes its label in that language: the workbook's reader meets no code name.

    Examples
    --------
    >>> _plain("**\\"1,3 M€\\"** matches `savings_total_keur`, *not* _this_ [doc](a.md)")
    '"1,3 M€" matches savings_total_keur, not this doc'
    >>> _plain("snake_case_name stays; 2 * 3 * 4 too")
    'snake_case_name stays; 2 * 3 * 4 too'
    >>> _plain("`realisation_rate` in [0, 1]", "fr")
    'Taux de réalisation in [0, 1]'
    """
    code_spans: list[str] = []

    def keep_code(match: re.Match[str]) -> str:
        code = match.group(2).strip()
        code_spans.append(label(code, lang) if lang is not None and _CODE_RE.match(code) and has_label(code)
                          else code)
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


def _bilingual(node: Any, where: str, problems: list[str], *, listed: bool = False) -> None:
    """Check that ``node`` is ``{en: ..., fr: ...}`` with two non-empty texts (or lists of texts)."""
    if not isinstance(node, Mapping) or set(node) != {"en", "fr"}:
        problems.append(f"{where}: expected a mapping with exactly the keys en and fr, got {node!r:.80}")
        return
    for lang_key in ("en", "fr"):
        value = node[lang_key]
        texts = value if listed and isinstance(value, list) else [value]
        if not texts or not all(isinstance(t, str) and t.strip() for t in texts):
            problems.append(f"{where}.{lang_key}: expected a non-empty text, got {value!r:.80}")


def _check_assumptions(doc: Any, shown: str) -> list[str]:
    """Problems of the assumptions source (empty when it is well formed)."""
    if not isinstance(doc, Mapping) or not isinstance(doc.get("sections"), list):
        return [f"{shown}: expected a mapping with title, intro and a list of sections"]
    problems: list[str] = []
    for key in ("title", "intro"):
        _bilingual(doc.get(key), f"{shown}: {key}", problems)
    seen: set[str] = set()
    for s, section in enumerate(doc["sections"]):
        where = f"{shown}: sections[{s}]"
        if not isinstance(section, Mapping) or not isinstance(section.get("tables"), list):
            problems.append(f"{where}: expected a mapping with a heading and a list of tables")
            continue
        _bilingual(section.get("heading"), f"{where}.heading", problems)
        if "text" in section:
            _bilingual(section["text"], f"{where}.text", problems)
        for t, table in enumerate(section["tables"]):
            _check_table(table, f"{where}.tables[{t}]", seen, problems)
    return problems


def _check_table(table: Any, where: str, seen: set[str], problems: list[str]) -> None:
    if not isinstance(table, Mapping) or not isinstance(table.get("entries"), list):
        problems.append(f"{where}: expected a mapping with a list of entries")
        return
    if "caption" in table:
        _bilingual(table["caption"], f"{where}.caption", problems)
    if "columns" in table:
        _bilingual(table["columns"], f"{where}.columns", problems, listed=True)
    for e, entry in enumerate(table["entries"]):
        _check_entry(entry, f"{where}.entries[{e}]", seen, problems)


def _check_entry(entry: Any, where: str, seen: set[str], problems: list[str]) -> None:
    entry_id = entry.get("id") if isinstance(entry, Mapping) else None
    if not isinstance(entry_id, str) or not _ID_RE.match(entry_id):
        problems.append(f"{where}: expected an id such as C1, got {entry_id!r}")
        return
    if entry_id in seen:
        problems.append(f"{where}: id {entry_id} defined twice")
    seen.add(entry_id)
    extra = set(entry) - {"id", *_ENTRY_FIELDS}
    if extra:
        problems.append(f"{where} ({entry_id}): unknown keys {', '.join(sorted(map(str, extra)))}")
    for field in _ENTRY_FIELDS:
        _bilingual(entry.get(field), f"{where} ({entry_id}).{field}", problems)


def load_assumptions(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The assumptions log as written in its source (``docs/assumptions.yaml``), checked.

    Parameters
    ----------
    path : path, optional
        The YAML source (default: :data:`ASSUMPTIONS_SOURCE`).

    Returns
    -------
    dict
        ``title``, ``intro`` and ``sections``; every text is a mapping ``{"en": ..., "fr": ...}``
        (inline markdown); each section has a ``heading``, an optional ``text`` and its
        ``tables``, each with an optional ``caption`` and ``columns`` and its ``entries``
        (``id``, ``assumption``, ``source``, ``relied_on_by``).

    Raises
    ------
    SchemaError
        When the file is missing, unreadable or not YAML, or when an entry lacks a language,
        a field or a well-formed unique id (every problem is listed).
    """
    import yaml

    path = Path(ASSUMPTIONS_SOURCE if path is None else path)
    shown = _shown_path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SchemaError(f"{shown}: file not found; expected the assumptions log (YAML)") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SchemaError(f"{shown}: cannot be read as UTF-8 YAML ({exc.__class__.__name__}: {exc})") from None
    problems = _check_assumptions(doc, shown)
    if len(problems) == 1:
        raise SchemaError(problems[0])
    if problems:
        raise SchemaError(f"{shown}: {len(problems)} problems in the assumptions log", problems)
    return dict(doc)


def assumptions_table(path: str | os.PathLike[str] | None = None, lang: str | None = None) -> pd.DataFrame:
    """The assumptions log as a table, one row per entry, from its source (``docs/assumptions.yaml``).

    Markdown emphasis, code spans and links are reduced to their text.

    Parameters
    ----------
    path : path, optional
        The YAML source (default: :data:`ASSUMPTIONS_SOURCE`).
    lang : {"fr", "en"}, optional
        The language of the texts. None (default) gives both: the English columns
        :data:`ASSUMPTIONS_COLUMNS` plus ``section_fr``, ``assumption_fr``, ``source_fr`` and
        ``relied_on_by_fr``, so that :func:`write_report_workbook` shows the sheet in the
        workbook's language.

    Returns
    -------
    pandas.DataFrame
        One row per entry, in file order, string columns ``section`` (the heading, e.g.
        ``"1. Contract transcription (data/raw/contract)"``), ``id`` (``"C1"``), ``assumption``,
        ``source`` and ``relied_on_by``.

    Raises
    ------
    SchemaError
        As :func:`load_assumptions`.
    ParameterError
        When ``lang`` is not None, ``"fr"`` or ``"en"``.

    Examples
    --------
    >>> table = assumptions_table(lang="fr")
    >>> table.loc[table["id"] == "C7", ["section", "relied_on_by"]].iloc[0].tolist()
    ['1. Transcription du contrat (data/raw/contract)', "plan d'économies"]
    """
    if lang is not None:
        check_lang(lang)
    doc = load_assumptions(path)
    langs = ("en", "fr") if lang is None else (lang,)
    rows = []
    for section in doc["sections"]:
        for table in section["tables"]:
            for entry in table["entries"]:
                row = {"id": entry["id"]}
                for code in langs:
                    suffix = "_fr" if lang is None and code == "fr" else ""
                    row["section" + suffix] = _plain(section["heading"][code], code)
                    row.update({f + suffix: _plain(entry[f][code], code) for f in _ENTRY_FIELDS})
                rows.append(row)
    columns = list(ASSUMPTIONS_COLUMNS)
    if lang is None:
        columns += [f"{c}_fr" for c in ASSUMPTIONS_COLUMNS if c != "id"]
    return pd.DataFrame({c: pd.Series([r[c] for r in rows], dtype="str") for c in columns})


def _assumptions_in(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The assumptions sheet's frame in ``lang``: the ``*_fr`` twins chosen or dropped."""
    twins = [c for c in frame.columns if isinstance(c, str) and c.endswith("_fr")]
    if not twins:
        return frame
    if lang == "fr":
        frame = frame.drop(columns=[c[:-3] for c in twins if c[:-3] in frame.columns])
        return frame.rename(columns={c: c[:-3] for c in twins})[list(ASSUMPTIONS_COLUMNS)]
    return frame.drop(columns=twins)


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
    """Label of a code or column name (the key itself when it has none)."""
    return label(key, lang, short=short)


def _header(column: Any, sheet: str, lang: str, headers: Mapping[str, str] | None = None) -> str:
    """A column's header: the caller's, else the sheet's own label, else the annex's, else the table's."""
    if headers and column in headers:
        return headers[column]
    for key in (f"header.{sheet}.{column}", f"header.excel.{column}"):
        if has_label(key):
            return label(key, lang)
    return label(column, lang)


#: Units a ``unit`` column does not show: the cell's format says it (``%``) or it has none.
_UNSHOWN_UNITS = frozenset({"share", "ratio", "count", "number", "year"})


def _unit_text(unit: Any, lang: str) -> str:
    """The text of a ``unit`` cell: ``k€``, ``ETP``...; empty for shares, ratios, counts, years.

    Examples
    --------
    >>> [_unit_text(u, "fr") for u in ("k€", "share", "ratio", "ETP", "k€/ETP/an")]
    ['k€', '', '', 'ETP', 'k€/ETP/an']
    >>> _unit_text("k€/ETP/an", "en")
    'k€/FTE/year'
    """
    if normalise_unit(unit) in _UNSHOWN_UNITS:
        return ""
    key = f"excel.unit.{unit}"
    return label(key, lang) if has_label(key) else str(unit)


def _python(value: Any) -> Any:
    """A plain Python value: numpy scalars unwrapped, NaN/NA/inf -> None, floats rounded."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        with contextlib.suppress(TypeError, ValueError):
            value = value.item()
    if is_missing(value):
        return None
    if isinstance(value, float):
        if math.isinf(value):
            return None
        return round(value, 9) + 0.0  # floating noise out, no negative zero
    return value


_UNIT_KINDS = frozenset({"keur", "share", "etp", "fte", "year", "count", "ratio"})  # units with a format of their own


def _unit_kind(unit: Any) -> str | None:
    kind = normalise_unit(unit)
    return kind if kind in _UNIT_KINDS else None


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
        return "etp"
    return None


def _kind_format(kind: str | None, value: Any, *, signed: bool, precise: bool) -> str:
    if kind == "keur":
        if precise:
            return _KEUR_PRECISE_SIGNED if signed else _KEUR_PRECISE
        return _KEUR_SIGNED if signed else _KEUR
    if kind == "share":
        return _PCT_SIGNED if signed else _PCT
    if kind in ("etp", "fte"):
        return _FTE
    if kind == "ratio":
        return _RATIO
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
    if column in _CENTS_COLUMNS:
        return _KEUR_CENTS_SIGNED if column in _SIGNED_COLUMNS else _KEUR_CENTS
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
                units = [u if u is not None else _key_kind(k) for u, k in zip(units, keys, strict=True)]
        return units
    if sheet == "indicators" and "indicator" in frame.columns and unit_lookup:
        return [_unit_kind(unit_lookup.get(str(k))) for k in frame["indicator"].tolist()]
    if sheet == "summary":
        for c in ("metric", "indicator", "key"):
            if c in frame.columns:
                return [_key_kind(k) for k in frame[c].tolist()]
    return None


class _Table:
    """What the cells of one sheet's rows need to know: its columns, units, language, styles."""

    def __init__(self, ws: Worksheet, frame: pd.DataFrame, *, sheet: str, lang: str, styles: _Styles,
                 unit_lookup: Mapping[str, str] | None, headers: Mapping[str, str] | None = None) -> None:
        self.ws, self.sheet, self.lang, self.styles = ws, sheet, lang, styles
        self.headers = headers
        self.columns = [str(c) for c in frame.columns]
        self.widths = [0] * max(len(self.columns), 1)
        self.row_kinds = _row_kinds(frame, sheet, unit_lookup)
        self.precise = sheet == "reconciliation"
        self.raw_columns = [frame.iloc[:, j].tolist() for j in range(len(self.columns))]  # by position
        self.nrows = len(frame)
        # a column whose header or whose row's unit cell says "k€" gets a plain number format
        self.unit_free = ["k€" in _header(c, sheet, lang, headers) or "unit" in self.columns for c in self.columns]

    def column(self, name: str) -> list[Any] | None:
        return self.raw_columns[self.columns.index(name)] if name in self.columns else None

    def write_header(self, title: str) -> None:
        title_cell = self.ws.cell(row=1, column=1)
        self.styles.apply(title_cell, font="title", quote=_set_text(title_cell, title))
        for j, col in enumerate(self.columns, start=1):
            cell = self.ws.cell(row=HEADER_ROW, column=j)
            text = _header(col, self.sheet, self.lang, self.headers)
            self.styles.apply(cell, font="header", fill="header", align="header", quote=_set_text(cell, text))
            self.widths[j - 1] = max(min(max((len(w) for w in text.split()), default=0), 30), min(len(text), 24))

    def write_rows(self) -> None:
        missing_flags = self.column("explanation_missing")
        lever_codes = self.column("lever")
        for i in range(self.nrows):
            flagged = missing_flags is not None and _python(missing_flags[i]) is True
            is_total = lever_codes is not None and lever_codes[i] == "total"
            lines = max((self._write_cell(i, j, flagged, is_total) for j in range(len(self.columns))), default=1)
            if lines > 1:
                self.ws.row_dimensions[FIRST_DATA_ROW + i].height = _LINE_HEIGHT * lines

    def _write_cell(self, i: int, j: int, flagged: bool, is_total: bool) -> int:
        """Write the cell of row ``i``, column ``j``; return the number of text lines it needs."""
        col = self.columns[j]
        raw = _python(self.raw_columns[j][i])
        if raw is None or raw == "" or (col == "unit" and _unit_text(raw, self.lang) == ""):
            if flagged and col == "explanation":  # the missing explanation is highlighted
                self.styles.apply(self.ws.cell(row=FIRST_DATA_ROW + i, column=j + 1), font="missing", fill="missing")
            return 1
        cell = self.ws.cell(row=FIRST_DATA_ROW + i, column=j + 1)
        fmt, shown, quote = self._value(cell, raw, col, i)
        font = fill = None
        if col == "status" and isinstance(raw, str) and raw in _STATUS_RAG:
            font = fill = _STATUS_RAG[raw]
        elif col == "flagged" and raw is True:  # a Chorus cross-check difference over the threshold
            font = fill = "red"
        elif flagged and col in ("explanation_missing", "explanation"):
            font = fill = "missing"
        elif is_total:
            font = "bold"
        parts = shown.split("\n")
        longest = max(len(part) for part in parts)
        wrap = longest > _MAX_WIDTH or len(parts) > 1
        self.styles.apply(cell, fmt=fmt, font=font, fill=fill, align="wrap" if wrap else "top", quote=quote)
        self.widths[j] = max(self.widths[j], min(longest, _MAX_WIDTH))
        # spreadsheets do not always fit row heights on opening: the caller sets it
        return sum(max(1, math.ceil(len(p) / _CHARS_PER_LINE)) for p in parts) if wrap else 1

    def _value(self, cell: Any, raw: Any, col: str, i: int) -> tuple[str | None, str, bool]:
        """Store ``raw`` in ``cell``: (number format, text shown, quote prefix needed)."""
        if isinstance(raw, (int, float)) and not isinstance(raw, bool) and not (
                col in _NUMERIC_CODED_COLUMNS and has_label(raw)):
            cell.value = raw
            if self.row_kinds is not None and col in _UNIT_VALUE_COLUMNS:
                fmt = _kind_format(self.row_kinds[i], raw, signed=col in _SIGNED_COLUMNS, precise=self.precise)
            else:
                fmt = _column_format(col, raw)
            if self.unit_free[self.columns.index(col)]:
                fmt = fmt.replace(_KEUR_SUFFIX, "")
            return fmt, _approx_shown(raw, fmt), False
        if col == "unit":
            shown = _unit_text(raw, self.lang)
        elif col in _PREFIXED_CODES and has_label(_PREFIXED_CODES[col] + str(raw)):
            shown = label(_PREFIXED_CODES[col] + str(raw), self.lang)
        elif isinstance(raw, bool) or col in _TRANSLATED_COLUMNS:
            shown = _text(raw, self.lang)
        else:
            shown = str(raw)
        return None, shown, _set_text(cell, shown)

    def finish(self) -> None:
        """The empty-table note, filter, frozen header, column widths and page setup."""
        ws, ncols = self.ws, len(self.widths)
        if self.nrows == 0:
            note = ws.cell(row=FIRST_DATA_ROW, column=1)
            self.styles.apply(note, font="note", quote=_set_text(note, label("no_data", self.lang)))
        if self.columns:
            ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(ncols)}{HEADER_ROW + max(self.nrows, 1)}"
        ws.freeze_panes = f"A{FIRST_DATA_ROW}"
        for j in range(1, ncols + 1):
            ws.column_dimensions[get_column_letter(j)].width = max(_MIN_WIDTH, self.widths[j - 1] + 2)
        ws.row_dimensions[1].height = 20
        # printing: landscape, one page wide, headers repeated
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _write_table(
    ws: Worksheet,
    frame: pd.DataFrame,
    *,
    sheet: str,
    title: str,
    lang: str,
    styles: _Styles,
    unit_lookup: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> None:
    table = _Table(ws, frame, sheet=sheet, lang=lang, styles=styles, unit_lookup=unit_lookup, headers=headers)
    table.write_header(title)
    table.write_rows()
    table.finish()


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


#: Libraries whose version the report's provenance records (``provenance.version``).
_VERSIONED = frozenset({"pandas", "numpy", "matplotlib", "papermill", "openpyxl", "nbconvert"})


def provenance_key(key: str, lang: str) -> str:
    """A provenance key in words: ``command`` → ``Commande``, ``sha256 FILE`` → ``Empreinte SHA-256 : FILE``.

    Examples
    --------
    >>> provenance_key("explanation_threshold", "fr"), provenance_key("pandas", "en")
    ("Seuil d'explication des écarts", 'pandas version')
    >>> provenance_key("sha256 data/raw/contract/savings.csv", "fr")
    'Empreinte SHA-256 : data/raw/contract/savings.csv'
    """
    if key.startswith("sha256 "):
        return label("provenance.sha256", lang).format(path=key[len("sha256 "):])
    specific = f"provenance.{key}"
    if has_label(specific):
        return label(specific, lang)
    if key in _VERSIONED:
        return label("provenance.version", lang).format(name=key)
    return key


def _provenance_value(key: str, value: str, lang: str) -> str:
    """A provenance value in words: the language's name, the scenario's label, a threshold in %."""
    if key == "lang" and has_label(f"provenance.lang.{value}"):
        return label(f"provenance.lang.{value}", lang)
    if key == "scenario" and has_label(value):
        return label(value, lang)
    if key == "explanation_threshold":
        with contextlib.suppress(ValueError):
            return format_value(float(value), "share", lang, decimals=1)
    return value


def _provenance_frame(provenance: Mapping[str, Any], lang: str) -> pd.DataFrame:
    if not isinstance(provenance, Mapping):
        raise TypeError(f"write_report_workbook: provenance must be a mapping, got {type(provenance).__name__}")
    keys = [provenance_key(str(k), lang) for k in provenance]
    values = ["" if is_missing(v) else _provenance_value(str(k), str(v), lang) for k, v in provenance.items()]
    return pd.DataFrame({"key": pd.Series(keys, dtype="str"), "value": pd.Series(values, dtype="str")})


def _indicator_units() -> dict[str, str]:
    """Unit of each contract indicator (count / share / keur), for row-wise formats."""
    from incubo_analysis.contract.loaders import load_indicator_targets
    from incubo_analysis.errors import InputError

    try:
        targets = load_indicator_targets()
    except InputError:  # the report validated the contract first; here only formats depend on it
        return {}
    return {str(k): str(u) for k, u in zip(targets["indicator"], targets["unit"], strict=True)}


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


def _frames_in(tables: Mapping[str, pd.DataFrame], lang: str) -> dict[str, pd.DataFrame]:
    """The sheets' frames, normalised; the assumptions and the reconciliation's descriptions in ``lang``."""
    frames = {key: _normalise_frame(frame, key) for key, frame in tables.items()}
    frames["assumptions"] = _assumptions_in(frames["assumptions"], lang)
    frames["reconciliation"] = checks_in_language(frames["reconciliation"], lang)
    return frames


def write_report_workbook(
    path: str | os.PathLike[str], *, year: int, summary: pd.DataFrame, savings_variance: pd.DataFrame,
    savings_cumulative: pd.DataFrame, savings_by_programme: pd.DataFrame, credits_variance: pd.DataFrame,
    credits_quarterly: pd.DataFrame, indicators: pd.DataFrame, reconciliation: pd.DataFrame,
    assumptions: pd.DataFrame, provenance: Mapping[str, str], lang: str = "fr",
    savings_by_evidence: pd.DataFrame | None = None, processing_times: pd.DataFrame | None = None,
    credits_crosscheck: pd.DataFrame | None = None) -> Path:
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
    savings_variance, savings_cumulative, savings_by_programme, credits_variance, credits_quarterly : DataFrame
        The frames of :mod:`incubo_analysis.monitoring.variance` (``savings_variance``,
        ``savings_variance_cumulative``, ``savings_by_programme``, ``credits_variance``, ``credits_quarterly``).
        The savings sheet shows the ledger's columns when present: ``nature`` (in words),
        ``programme``, ``documented`` (oui / non) and ``justificatif`` (the user's text, always
        stored as text).
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
        Key → value, in order (input SHA-256, parameters, versions); no timestamp.
    lang : {"fr", "en"}
        Sheet names, titles, headers and coded values in French (default) or English.
    savings_by_evidence : DataFrame, optional
        :func:`incubo_analysis.monitoring.variance.savings_by_evidence` (documented budget
        savings, productivity gains, undocumented savings per year); default: computed from
        ``savings_variance``.
    processing_times, credits_crosscheck : DataFrame, optional
        With ``--ds-export`` / ``--chorus``: each its sheet after the indicators (:data:`OPTIONAL_SHEETS`).

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ParameterError
        ``lang`` not ``"fr"``/``"en"`` or ``year`` not a calendar year.
    TypeError
        When a table is not a DataFrame or ``provenance`` not a mapping (a programming error).

    Notes
    -----
    Frames are not modified. Missing values (NaN, NA, ±inf) give empty cells. Byte-identical for identical inputs.
    """
    check_lang(lang)
    year = _check_year(year)
    tables = {
        "summary": summary, "savings_variance": savings_variance, "savings_cumulative": savings_cumulative,
        "savings_by_programme": savings_by_programme, "savings_by_evidence": _evidence(
            savings_by_evidence, savings_variance), "credits_variance": credits_variance,
        "credits_quarterly": credits_quarterly, "indicators": indicators, "reconciliation": reconciliation,
        "assumptions": assumptions}
    sources = zip(OPTIONAL_SHEETS, (processing_times, credits_crosscheck), strict=True)
    tables.update({key: frame for key, frame in sources if frame is not None})
    frames = _frames_in(tables, lang)
    frames["provenance"] = _provenance_frame(provenance, lang)
    path = Path(path)
    path.write_bytes(_deterministic_zip(_workbook_bytes(_build_workbook(frames, year, lang))))
    return path


def _evidence(evidence: pd.DataFrame | None, savings_variance: Any) -> Any:
    """The evidence sheet's frame: the caller's, else computed from the savings variance."""
    if evidence is not None or not isinstance(savings_variance, pd.DataFrame):
        return evidence
    from incubo_analysis.monitoring.variance import savings_by_evidence

    if not {"year", "actual_keur"} <= set(savings_variance.columns):
        return pd.DataFrame()
    return savings_by_evidence(savings_variance)


def _build_workbook(frames: Mapping[str, pd.DataFrame], year: int, lang: str) -> Workbook:
    """The annex in memory: one sheet per key of :data:`SHEETS`, fixed document properties."""
    unit_lookup = None
    if "unit" not in frames["indicators"].columns and len(frames["indicators"]):
        unit_lookup = _indicator_units()
    wb = Workbook()
    wb.remove(wb.active)
    styles = _Styles()
    at = SHEETS.index("indicators") + 1
    keys = [*SHEETS[:at], *(k for k in OPTIONAL_SHEETS if k in frames), *SHEETS[at:]]
    for key in keys:
        ws = wb.create_sheet(title=label(f"sheet.{key}", lang))
        title = label("sheet.title", lang).format(year=year, title=label(f"sheet.{key}.title", lang))
        _write_table(ws, frames[key], sheet=key, title=title, lang=lang,
                     styles=styles, unit_lookup=unit_lookup if key == "indicators" else None)
    wb.active = 0
    props = wb.properties
    props.creator = _AUTHOR
    props.lastModifiedBy = _AUTHOR
    props.created = FIXED_DATETIME
    props.modified = FIXED_DATETIME
    props.title = label("workbook.title", lang).format(year=year)
    props.language = lang
    return wb


def _workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()  # not save_workbook(): it stamps "modified" with now()
    return buffer.getvalue()


def write_tables_workbook(path: str | os.PathLike[str], sheets: list[tuple[str, str, pd.DataFrame]], *,
                          provenance: Mapping[str, str], title: str, lang: str = "fr",
                          headers: Mapping[str, str] | None = None) -> Path:
    """Write titled tables formatted like the annual annex, then a provenance sheet (the quarterly pack's).

    Parameters
    ----------
    path : path
        The workbook (its folder must exist; atomicity is the caller's).
    sheets : list of (name, title, frame)
        One sheet per table, in order: its name (≤ 31 characters), the title of row 1 and the
        tidy frame (raw column names: formats follow the annex's rules, coded values are
        translated, ``status`` green / amber / red coloured).
    provenance : Mapping[str, str]
        Key → value (:func:`provenance_key` words the keys); its sheet comes last.
    title : str
        The document's title (properties).
    lang : {"fr", "en"}
    headers : Mapping[str, str], optional
        Header texts by raw column name, used before the label table.

    Returns
    -------
    pathlib.Path
        ``path``; byte-identical for identical inputs.
    """
    check_lang(lang)
    wb = Workbook()
    wb.remove(wb.active)
    styles = _Styles()
    frames = [(name, sheet_title, _normalise_frame(frame, name)) for name, sheet_title, frame in sheets]
    frames.append((label("sheet.provenance", lang), label("sheet.provenance.title", lang),
                   _provenance_frame(provenance, lang)))
    for name, sheet_title, frame in frames:
        ws = wb.create_sheet(title=name)
        _write_table(ws, frame, sheet="tables", title=sheet_title, lang=lang, styles=styles, headers=headers)
    wb.active = 0
    props = wb.properties
    props.creator = props.lastModifiedBy = _AUTHOR
    props.created = props.modified = FIXED_DATETIME
    props.title = title
    props.language = lang
    path = Path(path)
    path.write_bytes(_deterministic_zip(_workbook_bytes(wb)))
    return path

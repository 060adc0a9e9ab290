"""The actuals workbook template the officer fills (read back by :mod:`.reader`).

:func:`write_actuals_template` writes the six data sheets described in
:mod:`incubo_analysis.monitoring.reader` with their key columns pre-filled
from the plan (levers, financing groups, indicators, annex III milestones) and the
planned figures in grey columns beside the input cells, an instructions sheet and a
hidden lists sheet feeding the drop-down lists, in French by default ("Lisez-moi",
"Économies", "Crédits", "Indicateurs", "Jalons", "Risques", "Délais de référence", "Listes")
or in English (``lang="en"``); every text comes from the label table
(:mod:`incubo_analysis.labels`, keys ``wb.*``). The bytes do not depend on the time of writing
(:func:`incubo_analysis.io.save_workbook_deterministic`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from incubo_analysis.contract.schema import AXES, CONTRACT_YEARS, LEVERS, SOURCES, TITLES
from incubo_analysis.io import FIXED_TIMESTAMP, save_workbook_deterministic
from incubo_analysis.labels import check_lang, label

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl import Workbook

__all__ = ["write_actuals_template", "template_workbook", "value_lists", "column_header", "SAVINGS_NATURES",
           "RISK_STATUSES"]

#: Codes of the "nature" of a saving: budget savings (a post cut, a departure not replaced) then
#: productivity gains (agents redeployed, time freed).
SAVINGS_NATURES: tuple[str, ...] = ("post_cut", "non_replacement", "redeployment", "productivity")
#: Codes of a risk's status.
RISK_STATUSES: tuple[str, ...] = ("open", "closed")

_TEMPLATE_ROWS = 1000  # data validation and formats cover rows 2..this
_FMT_KEUR = "#,##0.0"
_FMT_ETP = "0.00"
_FMT_DATE = "dd/mm/yyyy"
_FMT_TEXT = "@"  # a programme code typed 0307 keeps its leading zero

# Column specs of the data sheets: (column code, width, number format, is an input
# column). Input columns come first, in the order the reader expects; the grey
# columns after them show the plan. Headers are ``label("wb.col.<sheet>.<code>", lang)``.
_Column = tuple[str, int, "str | None", bool]
_SAVINGS_COLUMNS: list[_Column] = [
    ("lever", 44, None, True), ("year", 8, "0", True), ("etp_freed", 12, _FMT_ETP, True),
    ("unit_cost_keur", 14, _FMT_KEUR, True), ("explanation", 60, None, True),
    ("nature", 22, None, True), ("programme", 12, _FMT_TEXT, True), ("justificatif", 40, None, True),
    ("planned_etp", 11, _FMT_ETP, False), ("planned_unit_cost_keur", 16, _FMT_KEUR, False),
    ("planned_keur", 14, _FMT_KEUR, False),
]
_CREDITS_COLUMNS: list[_Column] = [
    ("axis", 40, None, True), ("title", 18, None, True), ("source", 15, None, True), ("year", 8, "0", True),
    ("quarter", 10, "0", True), ("ae_keur", 13, _FMT_KEUR, True), ("cp_keur", 13, _FMT_KEUR, True),
    ("planned_ae_keur_year", 16, _FMT_KEUR, False), ("planned_cp_keur_year", 16, _FMT_KEUR, False),
]
_INDICATORS_COLUMNS: list[_Column] = [
    ("indicator", 62, None, True), ("year", 8, "0", True), ("value", 12, "General", True),
    ("comment", 50, None, True), ("target", 10, "General", False), ("unit", 9, None, False),
    ("label", 62, None, False),
]
_MILESTONES_COLUMNS: list[_Column] = [
    ("milestone_id", 9, None, True), ("action", 70, None, False), ("planned_end", 12, None, False),
    ("done_on", 14, _FMT_DATE, True), ("forecast_on", 14, _FMT_DATE, True), ("comment", 50, None, True),
]
_RISKS_COLUMNS: list[_Column] = [
    ("risk_id", 11, None, True), ("axis", 30, None, True), ("description", 50, None, True),
    ("probability", 12, "0", True), ("impact", 10, "0", True), ("mitigation", 45, None, True),
    ("owner", 20, None, True), ("status", 9, None, True), ("identified_on", 14, _FMT_DATE, True),
    ("closed_on", 14, _FMT_DATE, True),
]
_REFERENCE_DELAYS_COLUMNS: list[_Column] = [
    ("demarche", 55, None, True), ("reference_days", 14, "0", True), ("source", 60, None, True),
]
# The indicators' value cells take the format of the indicator's unit (set when filling).
_INDICATORS_ROW_FORMATS: list[str | None] = [None, "0", None, None, None, None, None]

# Input checks of the data sheets: (column, list or value name, kind). ``kind`` is
# "list" (a drop-down of the lists sheet), "nonneg" (>= 0), "positive" (> 0) or
# "number"; the prompt is ``label("wb.prompt.<name>", lang)``.
_Check = tuple[int, str, str]
# A pre-filled row: column (1-based) -> value, and column -> number format.
_PlanRow = tuple[dict[int, Any], dict[int, str]]
_SAVINGS_CHECKS: list[_Check] = [
    (1, "lever", "list"), (2, "year", "list"), (3, "etp_freed", "nonneg"), (4, "unit_cost_keur", "positive"),
    (6, "nature", "list"),
]
_CREDITS_CHECKS: list[_Check] = [
    (1, "axis", "list"), (2, "title", "list"), (3, "source", "list"), (4, "year", "list"),
    (5, "quarter", "list"), (6, "ae_keur", "nonneg"), (7, "cp_keur", "nonneg"),
]
_INDICATORS_CHECKS: list[_Check] = [(1, "indicator", "list"), (2, "year", "list"), (3, "value", "number")]
_MILESTONES_CHECKS: list[_Check] = [(1, "milestone_id", "list"), (4, "done_on", "date"), (5, "forecast_on", "date")]
_RISKS_CHECKS: list[_Check] = [
    (2, "axis", "list"), (4, "probability", "score"), (5, "impact", "score"), (8, "status", "list"),
    (9, "identified_on", "date"), (10, "closed_on", "date"),
]
_REFERENCE_DELAYS_CHECKS: list[_Check] = [(2, "reference_days", "positive")]
# validation keyword arguments per value kind (the message is label("wb.rule.<kind>")); dates
# from 2000-01-01 (serial 36526) to 2099-12-31 (serial 73415), the reader's bounds.
_VALUE_RULES: dict[str, dict[str, str]] = {
    "nonneg": {"type": "decimal", "operator": "greaterThanOrEqual", "formula1": "0"},
    "positive": {"type": "decimal", "operator": "greaterThan", "formula1": "0"},
    "number": {"type": "decimal", "operator": "between", "formula1": "-1E+15", "formula2": "1E+15"},
    "date": {"type": "date", "operator": "between", "formula1": "36526", "formula2": "73415"},
    "score": {"type": "whole", "operator": "between", "formula1": "1", "formula2": "4"},
}

# The Lisez-moi sheet: (label key, style) with style "title", "h" (a heading), None
# (a paragraph) or "gap" (an empty spacer row).
_README: list[tuple[str, str | None]] = [
    ("wb.readme.title", "title"), ("", "gap"),
    ("wb.readme.h.purpose", "h"), ("wb.readme.purpose", None), ("", "gap"),
    ("wb.readme.h.rules", "h"), ("wb.readme.rule.names", None), ("wb.readme.rule.rows", None),
    ("wb.readme.rule.units", None), ("wb.readme.rule.numbers", None), ("wb.readme.rule.duplicates", None),
    ("", "gap"),
    ("wb.readme.h.savings", "h"), ("wb.readme.savings.etp", None), ("wb.readme.savings.cost", None),
    ("wb.readme.savings.explanation", None), ("wb.readme.savings.nature", None), ("wb.readme.savings.grey", None),
    ("", "gap"),
    ("wb.readme.h.credits", "h"), ("wb.readme.credits.amounts", None), ("wb.readme.credits.codes", None),
    ("wb.readme.credits.grey", None), ("", "gap"),
    ("wb.readme.h.indicators", "h"), ("wb.readme.indicators.value", None),
    ("wb.readme.indicators.grey", None), ("", "gap"),
    ("wb.readme.h.followup", "h"), ("wb.readme.milestones", None), ("wb.readme.risks", None),
    ("wb.readme.references", None), ("", "gap"),
    ("wb.readme.h.english", "h"), ("wb.readme.english", None),
]
_README_WIDTH = 74  # characters: fits an A4 portrait page with 1.5 cm margins
_README_CHARS_PER_LINE = 92  # wrapped characters per line at 10 pt in that width (estimate)


def write_actuals_template(path: str | os.PathLike[str], *, scenario: Any | None = None,
                          lang: str = "fr") -> Path:
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
    lang : {"fr", "en"}
        Language of the sheet names, headers, drop-down values and instructions
        (the reader accepts both).

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    wb = template_workbook(scenario, lang=lang)
    return save_workbook_deterministic(wb, path)


def template_workbook(scenario: Any | None, *, fictitious: bool = False, lang: str = "fr") -> Workbook:
    """Build the template in memory (save it with :func:`~incubo_analysis.io.save_workbook_deterministic`).

    Parameters
    ----------
    scenario : Scenario or None
        The plan shown beside the input cells (None: the contract baseline).
        Its ``horizon_end`` extends the years of the drop-down list.
    fictitious : bool
        Head the instructions with a FICTIF banner (the synthetic example of ``tools/``).
    lang : {"fr", "en"}
        Language of the workbook.

    Returns
    -------
    openpyxl.Workbook
        Sheets "Lisez-moi", "Économies", "Crédits", "Indicateurs", "Jalons", "Risques",
        "Délais de référence" and the hidden "Listes" (English: "Read me", "Savings",
        "Credits", "Indicators", "Milestones", "Risks", "Reference delays", "Lists");
        document properties dated :data:`~incubo_analysis.io.FIXED_TIMESTAMP`.
    """
    from openpyxl import Workbook

    from incubo_analysis.contract.loaders import load_milestones

    check_lang(lang)
    plan, fin, targets, years = _plan_tables(scenario)
    milestones = load_milestones()
    values = value_lists(targets, lang)
    st = _Styles.make()
    wb = Workbook()
    _write_readme(wb.active, st, fictitious=fictitious, lang=lang)
    ids = [str(i) for i in milestones["milestone_id"]]
    list_ref = _write_lists(wb, {**values, "milestone_id": {i: i for i in ids}}, years, st, lang)
    indicator_columns = [c for c in _INDICATORS_COLUMNS if lang == "en" or c[0] != "label"]
    sheets = (
        ("savings", _SAVINGS_COLUMNS, _SAVINGS_CHECKS, _savings_rows(plan, values), None, (5, 8)),
        ("credits", _CREDITS_COLUMNS, _CREDITS_CHECKS, _credits_rows(fin, values), None, ()),
        ("indicators", indicator_columns, _INDICATORS_CHECKS, _indicators_rows(targets, values, lang),
         _INDICATORS_ROW_FORMATS[: len(indicator_columns)], (4,)),
        ("milestones", _MILESTONES_COLUMNS, _MILESTONES_CHECKS, _milestones_rows(milestones), None, (2, 6)),
        ("risks", _RISKS_COLUMNS, _RISKS_CHECKS, [], None, (3, 6)),
        ("reference_delays", _REFERENCE_DELAYS_COLUMNS, _REFERENCE_DELAYS_CHECKS, [], None, (1, 3)),
    )
    for sheet, columns, checks, rows, row_formats, wraps in sheets:
        _write_data_sheet(wb, _DataSheet(sheet, columns, checks, lang), list_ref, st,
                          rows=rows, row_formats=row_formats, wrap_columns=wraps)
    lists = label("wb.sheet.lists", lang)
    wb.move_sheet(lists, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(lists))
    wb.active = 0
    wb.properties.creator = "incubo-analysis"
    wb.properties.lastModifiedBy = "incubo-analysis"
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    return wb


def column_header(sheet: str, column: str, lang: str = "fr") -> str:
    """The header of a column of a data sheet in the template (``"ETP libérés"`` for ``etp_freed``).

    Parameters
    ----------
    sheet : str
        ``"savings"``, ``"credits"``, ``"indicators"``, ``"milestones"``, ``"risks"`` or
        ``"reference_delays"``.
    column : str
        The column's code (the library's column name).
    lang : {"fr", "en"}
        Language.

    Returns
    -------
    str
        The header, units included.

    Examples
    --------
    >>> column_header("savings", "unit_cost_keur")
    'Coût unitaire (k€/ETP)'
    """
    return label(f"wb.col.{sheet}.{column}", lang)


def value_lists(targets: pd.DataFrame, lang: str = "fr") -> dict[str, dict[Any, str]]:
    """The drop-down value of each code of the coded columns, in ``lang``.

    Levers and axes by their label (``"Dématérialisation des procédures"``,
    ``"Axe 2 – Accélération (incubation)"``), titles by their short label
    (``"T2 – personnel"``), sources ``"FTAP"`` / ``"Cofinancement"``, indicators by
    the contract's wording in French (the ``label`` column of ``targets``) and by
    their English label in English, natures of savings (``"Non-remplacement"``) and
    risk statuses (``"ouvert"`` / ``"clos"``).

    Parameters
    ----------
    targets : DataFrame
        :func:`incubo_analysis.contract.loaders.load_indicator_targets`.
    lang : {"fr", "en"}
        Language.

    Returns
    -------
    dict
        Column code (``lever``, ``axis``, ``title``, ``source``, ``indicator``,
        ``nature``, ``status``) -> {code: value shown in the workbook}, in the codes' order.
    """
    wording = dict(zip(targets["indicator"].astype(str), targets["label"].astype(str), strict=True))
    return {
        "lever": {lv: label(lv, lang) for lv in LEVERS},
        "axis": {ax: label(ax, lang) for ax in AXES},
        "title": {t: label(t, lang, short=True) for t in TITLES},
        "source": {s: label(f"wb.value.{s}", lang) for s in SOURCES},
        "indicator": {i: (w if lang == "fr" else label(i, lang)) for i, w in wording.items()},
        "nature": {n: label(f"wb.value.{n}", lang) for n in SAVINGS_NATURES},
        "status": {s: label(f"wb.value.{s}", lang) for s in RISK_STATUSES},
    }


def _plan_tables(scenario: Any | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, tuple[int, int]]:
    """Planned savings, financing plan (summed by key), indicator targets, and the years offered."""
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


@dataclass(frozen=True)
class _Styles:
    """The template's fonts and fills (openpyxl is imported only when a template is built)."""

    bold: Any
    head_fill: Any
    head_font: Any
    info_head_fill: Any
    info_head_font: Any
    info_fill: Any
    info_font: Any
    input_fill: Any

    @classmethod
    def make(cls) -> _Styles:
        from openpyxl.styles import Font, PatternFill

        return cls(
            bold=Font(bold=True),
            head_fill=PatternFill("solid", fgColor="1F4E79"),
            head_font=Font(name="Calibri", bold=True, color="FFFFFF"),
            info_head_fill=PatternFill("solid", fgColor="7F7F7F"),
            info_head_font=Font(name="Calibri", bold=True, color="FFFFFF", italic=True),
            info_fill=PatternFill("solid", fgColor="E7E6E6"),
            info_font=Font(name="Calibri", italic=True, color="595959"),
            input_fill=PatternFill("solid", fgColor="FFF2CC"),
        )


def _write_readme(readme: Any, st: _Styles, *, fictitious: bool, lang: str) -> None:
    """The instructions, laid out for the screen and for print (A4 portrait, one column wide)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.properties import PageSetupProperties

    readme.title = label("wb.sheet.readme", lang)
    lines: list[tuple[str, str | None]] = list(_README)
    if fictitious:
        lines[:0] = [("wb.readme.fictitious", "banner"), ("", "gap")]
    fonts = {"title": Font(name="Calibri", bold=True, size=14),
             "h": Font(name="Calibri", bold=True, size=11, color="1F4E79"),
             "banner": Font(name="Calibri", bold=True, size=12, color="C00000"),
             None: Font(name="Calibri", size=10)}
    for row, (key, style) in enumerate(lines, start=1):
        if style == "gap":
            readme.row_dimensions[row].height = 8
            continue
        text = label(key, lang)
        cell = readme.cell(row=row, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = fonts.get(style, fonts[None])
        per_line = _README_CHARS_PER_LINE * {"title": 0.7, "banner": 0.7, "h": 0.8}.get(style, 1.0)
        n_lines = max(1, math.ceil(len(text) / per_line))
        readme.row_dimensions[row].height = (19 if style in ("title", "banner") else 14) * n_lines + 3
    readme.column_dimensions["A"].width = _README_WIDTH
    readme.sheet_view.showGridLines = False
    readme.page_setup.orientation = "portrait"
    readme.page_setup.paperSize = readme.PAPERSIZE_A4
    readme.page_setup.fitToWidth = 1
    readme.page_setup.fitToHeight = 2  # at most 2 pages (LibreOffice ignores 0 = "automatic")
    readme.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    readme.page_margins.left = readme.page_margins.right = 0.6
    readme.page_margins.top = readme.page_margins.bottom = 0.7


def _write_lists(wb: Any, values: dict[str, dict[Any, str]], years: tuple[int, int], st: _Styles,
                 lang: str) -> dict[str, str]:
    """Write the hidden lists sheet; return the range of each list (``'Listes'!$A$2:$A$5``)."""
    from openpyxl.utils import get_column_letter, quote_sheetname

    y0, y1 = years
    shown: dict[str, list[Any]] = {
        "lever": list(values["lever"].values()),
        "axis": list(values["axis"].values()),
        "title": list(values["title"].values()),
        "source": list(values["source"].values()),
        "year": list(range(y0, y1 + 1)),
        "quarter": [1, 2, 3, 4],
        "indicator": list(values["indicator"].values()),
        "nature": list(values["nature"].values()),
        "status": list(values["status"].values()),
        "milestone_id": list(values["milestone_id"].values()),
    }
    heads = {"lever": "savings", "year": "savings", "indicator": "indicators", "nature": "savings",
             "status": "risks", "milestone_id": "milestones"}
    name = label("wb.sheet.lists", lang)
    lists = wb.create_sheet(name)
    list_ref: dict[str, str] = {}
    for j, (key, items) in enumerate(shown.items(), start=1):
        letter = get_column_letter(j)
        lists.cell(row=1, column=j, value=column_header(heads.get(key, "credits"), key, lang)).font = st.bold
        for i, item in enumerate(items, start=2):
            lists.cell(row=i, column=j, value=item)
        list_ref[key] = f"{quote_sheetname(name)}!${letter}$2:${letter}${len(items) + 1}"
    lists.sheet_state = "hidden"
    return list_ref


@dataclass(frozen=True)
class _DataSheet:
    """What defines one data sheet: its code, columns, input checks and language."""

    sheet: str
    columns: list[_Column]
    checks: list[_Check]
    lang: str


def _write_data_sheet(
    wb: Any,
    spec: _DataSheet,
    list_ref: dict[str, str],
    st: _Styles,
    *,
    rows: list[_PlanRow],
    row_formats: list[str | None] | None,
    wrap_columns: tuple[int, ...] = (),
) -> None:
    """One data sheet: header, input checks, pre-filled rows, styled cells.

    ``rows`` are written from row 2; the styles cover them and 20 rows more.
    Each is ``(values, formats)``: column (1-based) -> value, and column ->
    number format of a cell that differs from its column's.
    ``row_formats`` (default: the columns' formats) are the number formats of
    the styled cells; ``wrap_columns`` (1-based) wrap their text.
    """
    from openpyxl.styles import Alignment

    ws = _sheet_header(wb, spec, st)
    for column, name, kind in spec.checks:
        _add_check(ws, column, name, list_ref, kind=kind, lang=spec.lang)
    for r, (values, cell_formats) in enumerate(rows, start=2):
        for column, value in values.items():
            if column <= len(spec.columns):
                ws.cell(row=r, column=column, value=value)
        for column, fmt in cell_formats.items():
            ws.cell(row=r, column=column).number_format = fmt
    formats = row_formats if row_formats is not None else [c[2] for c in spec.columns]
    inputs = [c[3] for c in spec.columns]
    for rr in range(2, len(rows) + 2 + 20):
        _style_row(ws, rr, formats, inputs, st)
        for column in wrap_columns:
            ws.cell(row=rr, column=column).alignment = Alignment(wrap_text=True, vertical="top")
    _fit_rows(ws, spec, rows, wrap_columns)


def _fit_rows(ws: Any, spec: _DataSheet, rows: list[_PlanRow], wrap_columns: tuple[int, ...]) -> None:
    """Row heights that show the wrapped pre-filled texts whole, every cell of such a row aligned on top."""
    from openpyxl.styles import Alignment

    widths = {j: c[1] for j, c in enumerate(spec.columns, start=1)}
    for r, (values, _formats) in enumerate(rows, start=2):
        lines = max((_wrapped_lines(values.get(c), widths.get(c, 10)) for c in wrap_columns), default=1)
        if lines > 1:  # a fixed height would draw the wrapped lines over the next row (LibreOffice)
            ws.row_dimensions[r].height = 12.5 * lines + 2
            for column in widths:
                cell = ws.cell(row=r, column=column)
                cell.alignment = Alignment(wrap_text=column in wrap_columns, vertical="top")


def _wrapped_lines(value: object, width: float) -> int:
    """Lines a text takes once wrapped in a column ``width`` characters wide (an estimate, words kept whole)."""
    import textwrap

    if value is None or not str(value).strip():
        return 1
    return max(1, len(textwrap.wrap(str(value), width=max(4, int(width * 1.3)))))


def _sheet_header(wb: Any, spec: _DataSheet, st: _Styles) -> Any:
    """Create a data sheet with its header row: dark for input columns, grey for the plan's."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    ws = wb.create_sheet(label(f"wb.sheet.{spec.sheet}", spec.lang))
    for j, (code, width, _fmt, is_input) in enumerate(spec.columns, start=1):
        cell = ws.cell(row=1, column=j, value=column_header(spec.sheet, code, spec.lang))
        cell.font = st.head_font if is_input else st.info_head_font
        cell.fill = st.head_fill if is_input else st.info_head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(j)].width = width
    lines = max(_wrapped_lines(column_header(spec.sheet, code, spec.lang), width * 0.65)
                for code, width, _fmt, _is_input in spec.columns)
    ws.row_dimensions[1].height = max(32, 13.5 * lines + 4)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(spec.columns))}{_TEMPLATE_ROWS}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"
    return ws


def _add_check(ws: Any, column: int, name: str, list_ref: dict[str, str], *, kind: str, lang: str) -> None:
    """Add a drop-down list or a number check on rows 2.._TEMPLATE_ROWS of one column."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = get_column_letter(column)
    if kind == "list":
        dv = DataValidation(type="list", formula1=f"={list_ref[name]}", allow_blank=True)
    else:
        dv = DataValidation(allow_blank=True, **_VALUE_RULES[kind])
    dv.error = label(f"wb.rule.{kind}", lang)
    dv.errorTitle = label("wb.rule.title", lang)
    dv.showErrorMessage = True
    dv.promptTitle = ws.cell(row=1, column=column).value
    dv.prompt = label(f"wb.prompt.{name}", lang)
    dv.showInputMessage = True
    dv.add(f"{letter}2:{letter}{_TEMPLATE_ROWS}")
    ws.add_data_validation(dv)


def _style_row(ws: Any, r: int, formats: Sequence[str | None], inputs: Sequence[bool], st: _Styles) -> None:
    """Number formats, and the yellow (input) or grey (plan) look of one row's cells."""
    for j, (fmt, is_input) in enumerate(zip(formats, inputs, strict=True), start=1):
        cell = ws.cell(row=r, column=j)
        if fmt:
            cell.number_format = fmt
        if is_input:
            cell.fill = st.input_fill
        else:
            cell.fill = st.info_fill
            cell.font = st.info_font


def _savings_rows(plan: pd.DataFrame, values: dict[str, dict[Any, str]]) -> list[_PlanRow]:
    """Lever × year of the plan (FTE > 0), in lever order, with the planned FTE, unit cost and k€."""
    s_plan = plan[plan["planned_etp"] > 0].copy()
    s_plan["_k"] = s_plan["lever"].map({lv: i for i, lv in enumerate(LEVERS)})
    s_plan = s_plan.sort_values(["_k", "year"], kind="stable")
    return [
        ({1: values["lever"][str(rec.lever)], 2: int(rec.year), 9: float(rec.planned_etp),
          10: float(rec.unit_cost_keur), 11: float(rec.planned_etp) * float(rec.unit_cost_keur)}, {})
        for rec in s_plan.itertuples(index=False)
    ]


def _credits_rows(fin: pd.DataFrame, values: dict[str, dict[Any, str]]) -> list[_PlanRow]:
    """Axis × title × source × year × quarter of the plan; the year's AE and CP (k€) on quarter 1."""
    wide = fin.pivot_table(index=["axis", "title", "source", "year"], columns="credit",
                           values="amount_keur", aggfunc="sum", fill_value=0.0).reset_index()
    for credit in ("AE", "CP"):
        if credit not in wide.columns:
            wide[credit] = 0.0
    wide = wide[(wide["AE"] > 0) | (wide["CP"] > 0)].sort_values(["axis", "title", "source", "year"])
    rows: list[_PlanRow] = []
    for rec in wide.itertuples(index=False):
        for q in (1, 2, 3, 4):
            shown: dict[int, Any] = {1: values["axis"][int(rec.axis)], 2: values["title"][str(rec.title)],
                                     3: values["source"][str(rec.source)], 4: int(rec.year), 5: q}
            if q == 1:
                shown.update({8: float(rec.AE), 9: float(rec.CP)})
            rows.append((shown, {}))
    return rows


def _indicators_rows(targets: pd.DataFrame, values: dict[str, dict[Any, str]], lang: str) -> list[_PlanRow]:
    """Indicator × year of the targets with target, unit (and the contract's wording in English)."""
    rows: list[_PlanRow] = []
    for rec in targets.itertuples(index=False):
        unit = str(rec.unit)
        shown = {1: values["indicator"][str(rec.indicator)], 2: int(rec.year), 5: float(rec.target),
                 6: label(f"wb.unit.{unit}", lang), 7: str(rec.label)}
        rows.append((shown, {3: "0%", 5: "0%"} if unit == "share" else {}))
    return rows


def _milestones_rows(milestones: pd.DataFrame) -> list[_PlanRow]:
    """One row per milestone of annex III: its id, its action as printed and its planned end quarter."""
    rows: list[_PlanRow] = []
    for rec in milestones.itertuples(index=False):
        shown: dict[int, Any] = {1: str(rec.milestone_id), 2: str(rec.action)}
        if str(rec.planned_end):
            shown[3] = str(rec.planned_end)
        rows.append((shown, {}))
    return rows

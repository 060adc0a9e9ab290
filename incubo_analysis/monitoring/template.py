"""The actuals workbook template the officer fills (read back by :mod:`.reader`).

:func:`write_actuals_template` writes the three data sheets described in
:mod:`incubo_analysis.monitoring.reader` with their key columns pre-filled
from the plan and the planned figures in grey columns beside the input cells,
a French ``README`` sheet and a hidden ``lists`` sheet feeding the drop-down
lists. The bytes do not depend on the time of writing
(:func:`incubo_analysis.io.save_workbook_deterministic`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from incubo_analysis.contract.schema import AXES, CONTRACT_YEARS, LEVERS, SOURCES, TITLES
from incubo_analysis.io import FIXED_TIMESTAMP, save_workbook_deterministic

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl import Workbook

__all__ = ["write_actuals_template", "template_workbook"]

_TEMPLATE_ROWS = 1000  # data validation and formats cover rows 2..this
_FMT_KEUR = "#,##0.0"
_FMT_ETP = "0.00"

# Column specs of the data sheets: (header, width, number format, is an input
# column). Input columns come first, in the order the reader expects; the grey
# columns after them show the plan.
_Column = tuple[str, int, "str | None", bool]
_SAVINGS_COLUMNS: list[_Column] = [
    ("lever", 26, None, True), ("year", 8, "0", True), ("etp_freed", 12, _FMT_ETP, True),
    ("unit_cost_keur", 16, _FMT_KEUR, True), ("explanation", 60, None, True),
    ("planned_etp", 13, _FMT_ETP, False), ("planned_unit_cost_keur", 22, _FMT_KEUR, False),
    ("planned_keur", 14, _FMT_KEUR, False),
]
_CREDITS_COLUMNS: list[_Column] = [
    ("axis", 6, "0", True), ("title", 7, None, True), ("source", 13, None, True), ("year", 8, "0", True),
    ("quarter", 9, "0", True), ("ae_keur", 12, _FMT_KEUR, True), ("cp_keur", 12, _FMT_KEUR, True),
    ("planned_ae_keur_year", 22, _FMT_KEUR, False), ("planned_cp_keur_year", 22, _FMT_KEUR, False),
]
_INDICATORS_COLUMNS: list[_Column] = [
    ("indicator", 34, None, True), ("year", 8, "0", True), ("value", 12, "General", True),
    ("comment", 50, None, True), ("target", 10, "General", False), ("unit", 8, None, False),
    ("label", 60, None, False),
]
# The indicators' value cells take the format of the indicator's unit (set when filling).
_INDICATORS_ROW_FORMATS: list[str | None] = [None, "0", None, None, None, None, None]

# Input checks of the data sheets: (column, list or value name, kind, prompt).
# ``kind`` is "list" (a drop-down of the ``lists`` sheet), "nonneg" (>= 0),
# "positive" (> 0) or "number".
_Check = tuple[int, str, str, str]
# A pre-filled row: column (1-based) -> value, and column -> number format.
_PlanRow = tuple[dict[int, Any], dict[int, str]]
_SAVINGS_CHECKS: list[_Check] = [
    (1, "lever", "list", "Levier d'économies (liste)"),
    (2, "year", "list", "Année"),
    (3, "etp_freed", "nonneg", "ETP libérés dans l'année, ≥ 0"),
    (4, "unit_cost_keur", "positive", "k€ par ETP et par an ; vide = coût du plan"),
]
_CREDITS_CHECKS: list[_Check] = [
    (1, "axis", "list", "Axe 1 à 4"),
    (2, "title", "list", "T2 personnel, T3 fonctionnement, T6 intervention"),
    (3, "source", "list", "FTAP ou cofinancing"),
    (4, "year", "list", "Année"),
    (5, "quarter", "list", "Trimestre 1 à 4"),
    (6, "ae_keur", "nonneg", "AE consommées dans le trimestre, k€, ≥ 0"),
    (7, "cp_keur", "nonneg", "CP consommés dans le trimestre, k€, ≥ 0"),
]
_INDICATORS_CHECKS: list[_Check] = [
    (1, "indicator", "list", "Identifiant de l'indicateur (liste)"),
    (2, "year", "list", "Année"),
    (3, "value", "number", "Niveau en fin d'année ; taux entre 0 et 1"),
]
# (validation keyword arguments, error message) per value kind
_VALUE_RULES: dict[str, tuple[dict[str, str], str]] = {
    "nonneg": ({"operator": "greaterThanOrEqual", "formula1": "0"}, "Saisissez un nombre positif ou nul."),
    "positive": ({"operator": "greaterThan", "formula1": "0"},
                 "Saisissez un nombre strictement positif (ou laissez vide)."),
    "number": ({"operator": "between", "formula1": "-1E+15", "formula2": "1E+15"}, "Saisissez un nombre."),
}

# The README sheet: (text, style) with style "title", "h" (a heading) or None.
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


def template_workbook(scenario: Any | None, *, fictitious: bool = False) -> Workbook:
    """Build the template in memory (save it with :func:`~incubo_analysis.io.save_workbook_deterministic`).

    Parameters
    ----------
    scenario : Scenario or None
        The plan shown beside the input cells (None: the contract baseline).
        Its ``horizon_end`` extends the years of the drop-down list.
    fictitious : bool
        Head the README with a FICTIF banner (the synthetic example of ``tools/``).

    Returns
    -------
    openpyxl.Workbook
        Sheets ``README``, ``savings``, ``credits``, ``indicators`` and the
        hidden ``lists``; document properties dated :data:`~incubo_analysis.io.FIXED_TIMESTAMP`.
    """
    from openpyxl import Workbook

    plan, fin, targets, years = _plan_tables(scenario)
    st = _Styles.make()
    wb = Workbook()
    _write_readme(wb.active, st, fictitious=fictitious)
    list_ref = _write_lists(wb, targets, years, st)
    _write_data_sheet(wb, "savings", _SAVINGS_COLUMNS, _SAVINGS_CHECKS, list_ref, st,
                      rows=_savings_rows(plan), row_formats=None, wrap_column=5)
    _write_data_sheet(wb, "credits", _CREDITS_COLUMNS, _CREDITS_CHECKS, list_ref, st,
                      rows=_credits_rows(fin), row_formats=None)
    _write_data_sheet(wb, "indicators", _INDICATORS_COLUMNS, _INDICATORS_CHECKS, list_ref, st,
                      rows=_indicators_rows(targets), row_formats=_INDICATORS_ROW_FORMATS)
    wb.move_sheet("lists", offset=len(wb.sheetnames) - 1 - wb.sheetnames.index("lists"))
    wb.active = 0
    wb.properties.creator = "incubo-analysis"
    wb.properties.lastModifiedBy = "incubo-analysis"
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    return wb


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
            head_font=Font(bold=True, color="FFFFFF"),
            info_head_fill=PatternFill("solid", fgColor="7F7F7F"),
            info_head_font=Font(bold=True, color="FFFFFF", italic=True),
            info_fill=PatternFill("solid", fgColor="E7E6E6"),
            info_font=Font(italic=True, color="595959"),
            input_fill=PatternFill("solid", fgColor="FFF2CC"),
        )


def _write_readme(readme: Any, st: _Styles, *, fictitious: bool) -> None:
    """The French instructions (with a FICTIF banner for the synthetic example)."""
    from openpyxl.styles import Alignment, Font

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
            cell.font = st.bold
        row += 1
    readme.column_dimensions["A"].width = 120


def _write_lists(wb: Any, targets: pd.DataFrame, years: tuple[int, int], st: _Styles) -> dict[str, str]:
    """Write the hidden ``lists`` sheet; return the range of each list (``lists!$A$2:$A$5``)."""
    from openpyxl.utils import get_column_letter

    y0, y1 = years
    code_lists: dict[str, list[Any]] = {
        "lever": list(LEVERS),
        "axis": list(AXES),
        "title": list(TITLES),
        "source": list(SOURCES),
        "year": list(range(y0, y1 + 1)),
        "quarter": [1, 2, 3, 4],
        "indicator": list(dict.fromkeys(str(i) for i in targets["indicator"])),
    }
    lists = wb.create_sheet("lists")
    list_ref: dict[str, str] = {}
    for j, (name, items) in enumerate(code_lists.items(), start=1):
        letter = get_column_letter(j)
        lists.cell(row=1, column=j, value=name).font = st.bold
        for i, item in enumerate(items, start=2):
            lists.cell(row=i, column=j, value=item)
        list_ref[name] = f"lists!${letter}$2:${letter}${len(items) + 1}"
    lists.sheet_state = "hidden"
    return list_ref


def _write_data_sheet(
    wb: Any,
    title: str,
    columns: list[_Column],
    checks: list[_Check],
    list_ref: dict[str, str],
    st: _Styles,
    *,
    rows: list[_PlanRow],
    row_formats: list[str | None] | None,
    wrap_column: int | None = None,
) -> None:
    """One data sheet: header, input checks, pre-filled rows, styled cells.

    ``rows`` are written from row 2; the styles cover them and 20 rows more.
    Each is ``(values, formats)``: column (1-based) -> value, and column ->
    number format of a cell that differs from its column's.
    ``row_formats`` (default: the columns' formats) are the number formats of
    the styled cells.
    """
    from openpyxl.styles import Alignment

    ws = _sheet_header(wb, title, columns, st)
    for column, name, kind, prompt in checks:
        _add_check(ws, column, name, list_ref, kind=kind, prompt=prompt)
    for r, (values, cell_formats) in enumerate(rows, start=2):
        for column, value in values.items():
            ws.cell(row=r, column=column, value=value)
        for column, fmt in cell_formats.items():
            ws.cell(row=r, column=column).number_format = fmt
    formats = row_formats if row_formats is not None else [c[2] for c in columns]
    inputs = [c[3] for c in columns]
    for rr in range(2, len(rows) + 2 + 20):
        _style_row(ws, rr, formats, inputs, st)
        if wrap_column is not None:
            ws.cell(row=rr, column=wrap_column).alignment = Alignment(wrap_text=True, vertical="top")


def _sheet_header(wb: Any, title: str, columns: list[_Column], st: _Styles) -> Any:
    """Create a data sheet with its header row: dark for input columns, grey for the plan's."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    for j, (name, width, _fmt, is_input) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=j, value=name)
        cell.font = st.head_font if is_input else st.info_head_font
        cell.fill = st.head_fill if is_input else st.info_head_fill
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{_TEMPLATE_ROWS}"
    return ws


def _add_check(ws: Any, column: int, name: str, list_ref: dict[str, str], *, kind: str, prompt: str) -> None:
    """Add a drop-down list or a number check on rows 2.._TEMPLATE_ROWS of one column."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = get_column_letter(column)
    if kind == "list":
        dv = DataValidation(type="list", formula1=f"={list_ref[name]}", allow_blank=True)
        dv.error = f"Choisissez une valeur de la liste ({name})."
    else:
        rule, error = _VALUE_RULES[kind]
        dv = DataValidation(type="decimal", allow_blank=True, **rule)
        dv.error = error
    dv.errorTitle = "Valeur refusée"
    dv.showErrorMessage = True
    if prompt:
        dv.promptTitle = name
        dv.prompt = prompt
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


def _savings_rows(plan: pd.DataFrame) -> list[_PlanRow]:
    """Lever × year of the plan (FTE > 0), in lever order, with the planned FTE, unit cost and k€."""
    s_plan = plan[plan["planned_etp"] > 0].copy()
    s_plan["_k"] = s_plan["lever"].map({lv: i for i, lv in enumerate(LEVERS)})
    s_plan = s_plan.sort_values(["_k", "year"], kind="stable")
    return [
        ({1: str(rec.lever), 2: int(rec.year), 6: float(rec.planned_etp), 7: float(rec.unit_cost_keur),
          8: float(rec.planned_etp) * float(rec.unit_cost_keur)}, {})
        for rec in s_plan.itertuples(index=False)
    ]


def _credits_rows(fin: pd.DataFrame) -> list[_PlanRow]:
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
            values: dict[int, Any] = {1: int(rec.axis), 2: str(rec.title), 3: str(rec.source), 4: int(rec.year), 5: q}
            if q == 1:
                values.update({8: float(rec.AE), 9: float(rec.CP)})
            rows.append((values, {}))
    return rows


def _indicators_rows(targets: pd.DataFrame) -> list[_PlanRow]:
    """Indicator × year of the targets with target, unit and label; shares formatted as %."""
    return [
        ({1: str(rec.indicator), 2: int(rec.year), 5: float(rec.target), 6: str(rec.unit), 7: str(rec.label)},
         {3: "0%", 5: "0%"} if str(rec.unit) == "share" else {})
        for rec in targets.itertuples(index=False)
    ]

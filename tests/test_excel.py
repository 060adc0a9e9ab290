"""The Excel annex (incubo_analysis.outputs.excel): layout, labels, formats, formula safety, determinism.

Every table is a small hand-made frame with the columns documented by variance.py /
reconcile.py; expected values are worked out in the comments, never read from the output.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from incubo_analysis.errors import ParameterError
from incubo_analysis.labels import label
from incubo_analysis.outputs.excel import (
    FIRST_DATA_ROW,
    HEADER_ROW,
    sheet_names,
    workbook_filename,
    write_report_workbook,
)

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

SHEETS_FR = [
    "Synthèse", "Économies", "Économies cumulées", "Économies par programme",
    "Économies par justification", "Crédits",
    "Crédits trimestriels", "Indicateurs", "Rapprochement", "Hypothèses", "Provenance",
]
SHEETS_EN = [
    "Summary", "Savings", "Cumulated savings", "Savings by programme",
    "Savings by evidence", "Credits",
    "Quarterly credits", "Indicators", "Reconciliation", "Assumptions", "Provenance",
]
# k€ amounts: the unit is in the header ("Prévu (k€)") or the unit column, not in the format;
# the format carries "k€" only where neither does (KEUR_UNIT).
KEUR = "#,##0.0"
KEUR_SIGNED = "#,##0.0;[Red]-#,##0.0"
KEUR_UNIT = '#,##0.0 "k€"'
PCT = "0.0 %"
PCT_SIGNED = "0.0 %;[Red]-0.0 %"

# Texts a spreadsheet would take for formulas (or formula-like input): must stay text.
INJECTIONS = ["=SUM(A1:A9)", "+33 6 12", "-1", "@cmd", "\tx", '=HYPERLINK("http://x","y")']

RAG_FILL = {"green": "FFC6EFCE", "amber": "FFFFEB9C", "red": "FFFFC7CE"}


# ----------------------------------------------------------------------------- inputs
def _savings_variance() -> pd.DataFrame:
    # Issue 4's case: 2.0 FTE freed instead of 2.5, at 58 k€ instead of 57:
    # planned 2.5 × 57 = 142.5, actual 2.0 × 58 = 116.0, variance -26.5
    # = volume (2.0 - 2.5) × 57 = -28.5 + price 2.0 × (58 - 57) = +2.0; pct -26.5 / 142.5.
    # user_support 2020: 0.75 FTE × 57 = 42.75 planned, 0.80 × 57 = 45.6 actual: +2.85 (+6.7 %).
    return pd.DataFrame({
        "lever": ["dematerialisation", "user_support"],
        "year": np.array([2019, 2020], dtype="int64"),
        "planned_etp": [2.5, 0.75],
        "actual_etp": [2.0, 0.80],
        "planned_keur": [142.5, 42.75],
        "actual_keur": [116.0, 45.6],
        "variance_keur": [-26.5, 2.85],
        "variance_pct": [-26.5 / 142.5, 2.85 / 42.75],
        "volume_effect_keur": [-28.5, 2.85],
        "price_effect_keur": [2.0, 0.0],
        "explanation": ["", "=SUM(A1:A9)"],
        "explanation_missing": [True, False],
    })


def _savings_cumulative() -> pd.DataFrame:
    return pd.DataFrame({
        "lever": ["dematerialisation", "total"],
        "year": [2019, 2019],
        "planned_keur": [142.5, 142.5],
        "actual_keur": [116.0, 116.0],
        "variance_keur": [-26.5, -26.5],
        "variance_pct": [-26.5 / 142.5, -26.5 / 142.5],
        "volume_effect_keur": [-28.5, -28.5],
        "price_effect_keur": [2.0, 2.0],
    })


def _programmes() -> pd.DataFrame:
    # 2019 realised 116.0 k€ split in thirds: 116 / 3 = 38.666... each.
    return pd.DataFrame({
        "year": [2019] * 3,
        "programme": ["interieur", "dreal", "other_bops"],
        "share": [1 / 3] * 3,
        "actual_keur": [116.0 / 3] * 3,
    })


def _credits() -> pd.DataFrame:
    # Axis 1, T3, FTAP, 2019, CP: planned 100, actual 80 → variance -20, rate 0.8,
    # share of the 2 680 k€ CP budget 80 / 2680.
    return pd.DataFrame({
        "axis": [1, 2],
        "title": ["T3", "T2"],
        "source": ["FTAP", "cofinancing"],
        "year": [2019, 2019],
        "credit": ["CP", "AE"],
        "planned_keur": [100.0, 50.0],
        "actual_keur": [80.0, 0.0],
        "variance_keur": [-20.0, -50.0],
        "consumption_rate": [0.8, 0.0],
        "share_of_budget": [80 / 2680, 0.0],
    })


def _quarterly() -> pd.DataFrame:
    return pd.DataFrame({
        "axis": [1, 1],
        "year": [2019, 2019],
        "quarter": [1, 2],
        "credit": ["CP", "CP"],
        "actual_keur": [30.0, 50.0],
        "cumulated_keur": [30.0, 80.0],
        "cumulated_share_of_budget": [30 / 2680, 80 / 2680],
    })


def _indicators() -> pd.DataFrame:
    # attainment = actual / target: 31/30 ≥ 0.95 green; 0.42/0.60 = 0.70 < 0.75 red;
    # 700/750 = 0.933 amber; 1803.65/1300 green.
    return pd.DataFrame({
        "indicator": ["axis1_procedures_prototyped", "axis1_deployment_rate", "axis3_agents_trained",
                      "savings_total_keur"],
        "year": [2019, 2020, 2019, 2021],
        "target": [30.0, 0.60, 750.0, 1300.0],
        "actual": [31.0, 0.42, 700.0, 1803.65],
        "attainment": [31 / 30, 0.42 / 0.60, 700 / 750, 1803.65 / 1300],
        "status": ["green", "red", "amber", "green"],
    })


def _reconciliation() -> pd.DataFrame:
    return pd.DataFrame({
        "check": ["Axe 1 · Total T2 · 2018 AE : somme des lignes", "Axe 1 · Total T3 · 2020 CP",
                  "Part FTAP (46 %)"],
        "stated": [40.0, 134.0, 0.46],
        "computed": [39.0, 133.5, 1235 / 2680],
        "difference": [1.0, 0.5, 0.46 - 1235 / 2680],
        "status": ["mismatch", "rounding", "ok"],
        "family": ["financing_total_vs_lines", "financing_total_vs_lines", "text_vs_tables"],
        "section": ["2", "2", "3"],
        "unit": ["k€", "k€", "part"],
        "year": pd.array([2018, 2020, None], dtype="Int64"),
        "credit": ["AE", "CP", ""],
    })


def _assumptions() -> pd.DataFrame:
    return pd.DataFrame({
        "section": ["5. Report"] * 3,
        "id": ["X1", "X2", "X3"],
        "assumption": ["+33 6 12", "-1", "@cmd"],
        "source": ["\tx", "issue 5", '=HYPERLINK("http://x","y")'],
        "relied_on_by": ["report", "report", "report"],
    })


def _summary() -> pd.DataFrame:
    return pd.DataFrame({
        "indicator_label": ["Économies réalisées", "Taux de réalisation", "Retour sur investissement",
                            "ETP libérés", "Projets incubés"],
        "value": [1803.65, 0.88, 2021, 17.5, 11],
        "unit": ["k€", "share", "année", "ETP", "count"],
    })


def _inputs(**over) -> dict:
    kw = dict(
        year=2021,
        summary=_summary(),
        savings_variance=_savings_variance(),
        savings_cumulative=_savings_cumulative(),
        savings_by_programme=_programmes(),
        credits_variance=_credits(),
        credits_quarterly=_quarterly(),
        indicators=_indicators(),
        reconciliation=_reconciliation(),
        assumptions=_assumptions(),
        provenance={"sha256 data/a.xlsx": "ab" * 32, "incubo-analysis": "0.1.0", "comment": "=1+1",
                    "scenario": "baseline", "explanation_threshold": "0.1", "lang": "fr", "pandas": "2.2"},
    )
    kw.update(over)
    return kw


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("xl") / workbook_filename(2021)
    return write_report_workbook(path, **_inputs())


@pytest.fixture(scope="module")
def wb(written):
    return openpyxl.load_workbook(written, data_only=False)


def _header(ws) -> list:
    return [c.value for c in ws[HEADER_ROW]]


def _col(ws, header: str) -> int:
    return _header(ws).index(header) + 1


def _cell(ws, row: int, header: str):
    """Data row ``row`` (0-based) of the column titled ``header``."""
    return ws.cell(row=FIRST_DATA_ROW + row, column=_col(ws, header))


# ----------------------------------------------------------------------------- layout
def test_file_name_and_sheets_in_order(written, wb):
    assert written.name == "incubo_report_2021.xlsx"
    assert wb.sheetnames == SHEETS_FR
    assert sheet_names() == SHEETS_FR and sheet_names("en") == SHEETS_EN


def test_english_workbook(tmp_path):
    path = write_report_workbook(tmp_path / "en.xlsx", lang="en", **_inputs())
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == SHEETS_EN
    ws = wb["Savings"]
    assert _header(ws)[:3] == ["Lever", "Year", "Planned FTE"]
    assert _cell(ws, 0, "Lever").value == "Dematerialisation"
    assert [_cell(wb["Indicators"], i, "Status").value for i in range(4)] == ["green", "red", "amber", "green"]


def test_titles_headers_frozen_and_filtered(wb):
    for name in SHEETS_FR:
        ws = wb[name]
        assert ws["A1"].value.startswith("Incub-O – 2021 – "), name
        assert ws.freeze_panes == f"A{FIRST_DATA_ROW}", name
        head = ws.cell(row=HEADER_ROW, column=1)
        assert head.font.bold and head.fill.fgColor.rgb == "FF1F4E79", name
        assert ws.auto_filter.ref.startswith(f"A{HEADER_ROW}:"), name
    # the savings table: 12 columns (A..L), 2 data rows → filter over A2:L4
    assert wb["Économies"].auto_filter.ref == "A2:L4"


def test_french_headers_and_translated_codes(wb):
    ws = wb["Économies"]
    assert _header(ws) == [
        "Levier", "Année", "ETP prévus", "ETP réalisés", "Prévu (k€)", "Réalisé (k€)", "Écart (k€)",
        "Écart relatif", "Effet volume (k€)", "Effet prix (k€)", "Explication de l'écart",
        "Explication manquante",
    ]
    assert _cell(ws, 0, "Levier").value == "Dématérialisation"
    assert _cell(ws, 1, "Levier").value == "Accompagnement des usagers"
    assert [_cell(ws, i, "Explication manquante").value for i in range(2)] == ["oui", "non"]
    cr = wb["Crédits"]
    assert [_cell(cr, i, "Source de financement").value for i in range(2)] == ["FTAP", "Cofinancements"]
    assert _cell(cr, 0, "Axe").value == "Axe 1 – Simplification"
    assert _cell(cr, 0, "Titre").value == "T3 – fonctionnement"
    ind = wb["Indicateurs"]
    assert [_cell(ind, i, "Statut").value for i in range(4)] == ["vert", "rouge", "orange", "vert"]
    prog = wb["Économies par programme"]
    assert [_cell(prog, i, "Programme budgétaire").value for i in range(3)] == [
        "Ministère de l'Intérieur", "DREAL", "Autres BOP"]
    rec = wb["Rapprochement"]
    assert [_cell(rec, i, "Statut").value for i in range(3)] == ["écart", "arrondi", "ok"]
    assert _header(wb["Hypothèses"]) == ["Section du journal", "N°", "Hypothèse", "Source", "Utilisée par"]
    assert _header(wb["Provenance"]) == ["Clé", "Valeur"]
    assert _cell(wb["Économies cumulées"], 1, "Levier").value == "Total"
    assert _cell(wb["Économies cumulées"], 1, "Levier").font.bold


def test_numbers_stay_numbers_with_formats(wb):
    ws = wb["Économies"]
    planned = _cell(ws, 0, "Prévu (k€)")
    assert planned.value == 142.5 and planned.number_format == KEUR
    assert _cell(ws, 0, "Réalisé (k€)").number_format == KEUR
    variance = _cell(ws, 0, "Écart (k€)")
    assert variance.value == -26.5 and variance.number_format == KEUR_SIGNED
    assert _cell(ws, 0, "Effet volume (k€)").value == -28.5
    assert _cell(ws, 0, "Effet prix (k€)").value == 2.0
    pct = _cell(ws, 0, "Écart relatif")
    assert math.isclose(pct.value, -26.5 / 142.5, abs_tol=1e-9) and pct.number_format == PCT_SIGNED
    year = _cell(ws, 0, "Année")
    assert year.value == 2019 and year.number_format == "0"  # no thousands separator
    assert _cell(ws, 0, "ETP prévus").number_format == "0.00"
    cr = wb["Crédits"]
    assert _cell(cr, 0, "Taux de consommation").number_format == PCT
    assert math.isclose(_cell(cr, 0, "Part du budget global").value, 80 / 2680, abs_tol=1e-9)
    assert _cell(cr, 0, "Part du budget global").number_format == PCT
    q = wb["Crédits trimestriels"]
    assert _cell(q, 1, "Trimestre").number_format == "0"
    assert _cell(q, 1, "Cumul en part du budget global").number_format == PCT
    prog = wb["Économies par programme"]
    assert _cell(prog, 0, "Part").number_format == PCT
    assert math.isclose(_cell(prog, 0, "Réalisé (k€)").value, 116 / 3, abs_tol=1e-9)


def test_row_units_drive_formats(wb):
    s = wb["Synthèse"]
    formats = [_cell(s, i, "Valeur").number_format for i in range(5)]
    assert formats == [KEUR, PCT, "0", "0.00", "#,##0"]
    # the unit column shows k€ and ETP; a share (its format says %), a year, a count: nothing
    assert [_cell(s, i, "Unité").value for i in range(5)] == ["k€", None, None, "ETP", None]
    assert _cell(s, 2, "Valeur").value == 2021
    # indicators without a unit column: units from the contract's targets
    ind = wb["Indicateurs"]
    # "Cible" says no unit: the k€ indicator's format carries it
    assert [_cell(ind, i, "Cible").number_format for i in range(4)] == ["#,##0", PCT, "#,##0", KEUR_UNIT]
    assert _cell(ind, 1, "Cible").value == 0.6
    assert _cell(ind, 0, "Taux d'atteinte").number_format == PCT
    rec = wb["Rapprochement"]
    assert _cell(rec, 0, "Montant affiché").number_format == "#,##0.0#"
    assert _cell(rec, 0, "Unité").value == "k€"
    assert _cell(rec, 2, "Montant affiché").number_format == PCT
    assert _cell(rec, 2, "Unité").value is None
    assert _cell(rec, 0, "Différence").number_format.endswith(";[Red]-#,##0.0#")
    assert _cell(rec, 2, "Année").value is None  # <NA> → empty cell


# ----------------------------------------------------------------------------- colours
def test_rag_fills(wb):
    ind = wb["Indicateurs"]
    fills = [_cell(ind, i, "Statut").fill.fgColor.rgb for i in range(4)]
    assert fills == [RAG_FILL["green"], RAG_FILL["red"], RAG_FILL["amber"], RAG_FILL["green"]]
    rec = wb["Rapprochement"]
    assert [_cell(rec, i, "Statut").fill.fgColor.rgb for i in range(3)] == [
        RAG_FILL["red"], RAG_FILL["amber"], RAG_FILL["green"]]
    # the year next to a status is not coloured
    assert _cell(ind, 0, "Année").fill.fill_type is None


def test_missing_explanation_highlighted(wb):
    ws = wb["Économies"]
    flagged = [_cell(ws, 0, "Explication manquante"), _cell(ws, 0, "Explication de l'écart")]
    assert all(c.fill.fgColor.rgb == "FFFFC7CE" for c in flagged)
    assert flagged[0].font.bold
    assert _cell(ws, 1, "Explication manquante").fill.fill_type is None
    assert _cell(ws, 1, "Explication de l'écart").fill.fill_type is None


# ----------------------------------------------------------------------------- formula safety
def _all_text_cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    yield ws.title, cell


def test_user_text_is_never_a_formula(written, wb):
    found = {}
    for sheet, cell in _all_text_cells(wb):
        assert cell.data_type == "s", (sheet, cell.coordinate, cell.value)
        if cell.value in INJECTIONS or cell.value == "=1+1":
            found[cell.value] = cell
    assert set(found) == {*INJECTIONS, "=1+1"}  # each stored verbatim
    assert all(c.quotePrefix for c in found.values())
    assert found["=SUM(A1:A9)"].parent.title == "Économies"
    with zipfile.ZipFile(written) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert len(sheets) == len(SHEETS_FR) == 11
        for name in sheets:
            assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name


def test_the_formula_check_can_fail(tmp_path):
    """Control: openpyxl left alone stores '=SUM(...)' as a formula, which the checks above see."""
    wb = openpyxl.Workbook()
    wb.active["A1"] = "=SUM(A1:A9)"
    wb.save(tmp_path / "naive.xlsx")
    back = openpyxl.load_workbook(tmp_path / "naive.xlsx")
    assert back.active["A1"].data_type == "f"
    with zipfile.ZipFile(tmp_path / "naive.xlsx") as z:
        assert b"<f>" in z.read("xl/worksheets/sheet1.xml")


# ----------------------------------------------------------------------------- determinism
def test_byte_identical_and_fixed_properties(tmp_path, written, wb):
    again = write_report_workbook(tmp_path / "again.xlsx", **_inputs())
    assert again.read_bytes() == written.read_bytes()
    props = wb.properties
    assert props.creator == "incubo-analysis" and props.lastModifiedBy == "incubo-analysis"
    assert props.created.year == 2018 and props.modified.year == 2018
    with zipfile.ZipFile(written) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_float_noise_does_not_change_the_file(tmp_path):
    noisy = _savings_variance()
    noisy.loc[0, "planned_keur"] = 142.5 + 1e-13  # what a different summation order gives
    a = write_report_workbook(tmp_path / "a.xlsx", **_inputs())
    b = write_report_workbook(tmp_path / "b.xlsx", **_inputs(savings_variance=noisy))
    assert a.read_bytes() == b.read_bytes()


def test_inputs_are_not_modified(tmp_path):
    kw = _inputs()
    before = {k: v.copy(deep=True) for k, v in kw.items() if isinstance(v, pd.DataFrame)}
    write_report_workbook(tmp_path / "p.xlsx", **kw)
    for key, frame in before.items():
        pd.testing.assert_frame_equal(kw[key], frame)


# ----------------------------------------------------------------------------- edge cases
def test_missing_values_and_empty_tables(tmp_path):
    sv = _savings_variance()
    sv.loc[0, "variance_pct"] = float("nan")
    sv.loc[1, "variance_pct"] = float("inf")
    empty = _quarterly().iloc[0:0]
    path = write_report_workbook(tmp_path / "e.xlsx", **_inputs(savings_variance=sv, credits_quarterly=empty))
    wb = openpyxl.load_workbook(path)
    ws = wb["Économies"]
    assert _cell(ws, 0, "Écart relatif").value is None and _cell(ws, 1, "Écart relatif").value is None
    q = wb["Crédits trimestriels"]
    assert _header(q)[:3] == ["Axe", "Année", "Trimestre"]
    assert q.cell(row=FIRST_DATA_ROW, column=1).value == "(aucune donnée)"
    assert q.max_row == FIRST_DATA_ROW


def test_provenance_in_order(wb):
    ws = wb["Provenance"]
    rows = [(ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value)
            for r in range(FIRST_DATA_ROW, ws.max_row + 1)]
    assert rows == [
        ("Empreinte SHA-256 : data/a.xlsx", "ab" * 32), ("Version d'incubo-analysis", "0.1.0"),
        ("comment", "=1+1"), ("Scénario du prévu", "Référence (contrat)"),
        ("Seuil d'explication des écarts", "10,0\u202f%"), ("Langue", "français"), ("Version de pandas", "2.2"),
    ]


def test_provenance_in_english(tmp_path):
    ws = openpyxl.load_workbook(write_report_workbook(tmp_path / "en.xlsx", lang="en", **_inputs()))["Provenance"]
    rows = [(ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value)
            for r in range(FIRST_DATA_ROW, ws.max_row + 1)]
    assert rows[3:] == [("Plan scenario", "Baseline (contract)"), ("Gap explanation threshold", "10.0%"),
                        ("Language", "French"), ("pandas version", "2.2")]


@pytest.mark.parametrize("bad", [{"lang": "de"}, {"year": "2021"}, {"year": 21}, {"year": True}])
def test_bad_parameters_are_refused(tmp_path, bad):
    with pytest.raises(ParameterError, match="lang|year"):
        write_report_workbook(tmp_path / "x.xlsx", **_inputs(**bad))
    assert not (tmp_path / "x.xlsx").exists()


def test_wrong_types_are_programming_errors(tmp_path):
    with pytest.raises(TypeError, match="indicators must be a pandas DataFrame"):
        write_report_workbook(tmp_path / "x.xlsx", **_inputs(indicators=[1, 2]))
    with pytest.raises(TypeError, match="provenance must be a mapping"):
        write_report_workbook(tmp_path / "x.xlsx", **_inputs(provenance=[("a", "b")]))


# ----------------------------------------------------------------------------- a real spreadsheet
@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_shows_formats_and_text(tmp_path, written):
    """LibreOffice opens the annex, shows the k€ / % / year formats and the formulas as text."""
    out = tmp_path / "csv"
    out.mkdir()
    # all sheets, UTF-8, "save cell contents as shown"
    fltr = "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,true,false,false,-1"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", fltr,
         "--outdir", str(out), str(written)],
        check=True, capture_output=True, timeout=180, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                                                           "LANG": "C.UTF-8"},
    )
    savings = (out / f"{written.stem}-Économies.csv").read_text(encoding="utf-8").splitlines()
    assert savings[1].startswith("Levier,Année,ETP prévus")
    # 142.5 k€ planned, -26.5 k€ variance (the header says k€, the cell does not repeat it),
    # -18.6 % (= -26.5 / 142.5), year without separator
    assert re.match(r'^Dématérialisation,2019,2[.,]50,2[.,]00,"?142[.,]5"?,"?116[.,]0"?,'
                    r'"?-26[.,]5"?,"?-18[.,]6 ?%"?', savings[2]), savings[2]
    assert '"=SUM(A1:A9)"' in savings[3] or ",=SUM(A1:A9)," in savings[3]
    provenance = (out / f"{written.stem}-Provenance.csv").read_text(encoding="utf-8")
    assert "comment,=1+1" in provenance  # shown as typed, not computed to 2
    summary = (out / f"{written.stem}-Synthèse.csv").read_text(encoding="utf-8").splitlines()
    assert re.search(r"1.?803[.,]7\"?,k€$", summary[2]) and "2021" in summary[4]
    assert "k€ k€" not in summary[2]


def test_control_characters_dropped_and_long_text_wrapped(tmp_path):
    sv = _savings_variance()
    sv.loc[0, "explanation"] = "bell\x07 here"  # U+0007 cannot be stored in XML
    sv.loc[1, "explanation"] = "x" * 150  # 150 characters: wrapped in the 60-wide column
    path = write_report_workbook(tmp_path / "c.xlsx", **_inputs(savings_variance=sv))
    ws = openpyxl.load_workbook(path)["Économies"]
    assert _cell(ws, 0, "Explication de l'écart").value == "bell here"
    long = _cell(ws, 1, "Explication de l'écart")
    assert long.value == "x" * 150 and long.alignment.wrap_text
    col = long.column_letter
    assert ws.column_dimensions[col].width == 62  # capped at 60 + 2
    # 150 characters at 72 per line: 3 lines of 15 points
    assert ws.row_dimensions[FIRST_DATA_ROW + 1].height == 45


# ----------------------------------------------------------------------------- the real annex
def _code_names(lang: str) -> set[str]:
    """Code names a reader must not meet: levers, sources, metrics, parameter keys, indicators, statuses.

    In English, codes that are plain English words (``green``, ``mismatch``, ``phasing``...) are
    words, not code names: only snake_case codes and the French-only ``etp`` are kept.
    """
    from incubo_analysis.contract.loaders import load_indicator_targets
    from incubo_analysis.contract.schema import LEVERS, RECONCILIATION_STATUSES, SOURCES
    from incubo_analysis.model.appraisal import METRICS
    from incubo_analysis.model.params import PARAMETER_KEYS
    from incubo_analysis.monitoring.variance import STATUSES

    codes = {*LEVERS, *SOURCES, *METRICS, *PARAMETER_KEYS, *load_indicator_targets()["indicator"],
             *RECONCILIATION_STATUSES, *STATUSES, "actual_keur", "interieur", "dreal", "other_bops",
             "explanation_threshold", "command", "sha256"}
    codes -= {"FTAP", "ok", "year", "share", "description"}  # words of both languages
    if lang == "en":
        codes = {c for c in codes if "_" in c} | {"cofinancing", "etp", "interieur", "dreal", "sha256"}
    return codes


@pytest.fixture(scope="module")
def real_annexes(tmp_path_factory):
    """The annex of the shipped example (2021), in French and in English, as the report writes it."""
    import dataclasses

    from incubo_analysis.monitoring.annual import report_tables, validate_report_inputs
    from incubo_analysis.outputs.excel import assumptions_table
    from incubo_analysis.outputs.report import provenance, summary_table
    from incubo_analysis.paths import EXAMPLE_ACTUALS

    folder = tmp_path_factory.mktemp("annex")
    base = validate_report_inputs(year=2021, actuals=EXAMPLE_ACTUALS, scenario=None)
    books = {}
    for lang in ("fr", "en"):
        inputs = dataclasses.replace(base, lang=lang)
        tables = report_tables(inputs)
        keys = ("savings_variance", "savings_cumulative", "savings_by_programme", "credits_variance",
                "credits_quarterly", "indicators", "reconciliation")
        path = write_report_workbook(
            folder / f"{lang}.xlsx", year=2021, summary=summary_table(inputs, tables),
            **{k: tables[k] for k in keys}, assumptions=assumptions_table(),
            provenance=provenance(inputs), lang=lang)
        books[lang] = openpyxl.load_workbook(path)
    return books


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_code_name_in_the_annex(real_annexes, lang):
    codes = _code_names(lang)
    pattern = re.compile(r"(?<![\w.])(" + "|".join(sorted(map(re.escape, codes), key=len, reverse=True))
                         + r")(?!\w|\.\w)")
    found = [(sheet, cell.coordinate, match) for sheet, cell in _all_text_cells(real_annexes[lang])
             for match in pattern.findall(cell.value)]
    assert found == []


def test_the_check_can_find_a_code_name():
    """Control: the pattern of the test above does find a code in a text."""
    codes = _code_names("fr")
    assert {"digital_tools_and_data", "cofinancing", "realisation_rate", "npv_keur", "mismatch"} <= codes
    pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, codes)) + r")(?!\w|\.\w)")
    assert pattern.findall("levier digital_tools_and_data (4 ETP)") == ["digital_tools_and_data"]
    assert pattern.findall("params/uncertainty.yaml, Dématérialisation") == []


ENGLISH_WORDS = ("Key", "Value", "Unit", "Check", "Status", "Share", "Lever", "Planned", "Actual", "Variance",
                 "Assumption", "Relied", "Command", "command", "threshold", "Stated", "Computed", "Year")


def test_french_annex_headers_and_keys_are_french(real_annexes):
    wb = real_annexes["fr"]
    assert wb.sheetnames == SHEETS_FR
    texts = [c.value for ws in wb.worksheets for c in ws[HEADER_ROW] if isinstance(c.value, str)]
    texts += [ws.cell(row=r, column=1).value for ws in (wb["Provenance"], wb["Synthèse"])
              for r in range(FIRST_DATA_ROW, ws.max_row + 1)]
    words = {w for text in texts for w in re.findall(r"[^\W\d_]+", text)}
    assert words.isdisjoint(ENGLISH_WORDS), sorted(words & set(ENGLISH_WORDS))
    prov = {wb["Provenance"].cell(row=r, column=1).value: wb["Provenance"].cell(row=r, column=2).value
            for r in range(FIRST_DATA_ROW, wb["Provenance"].max_row + 1)}
    assert prov["Commande"].startswith("incubo report --year 2021")
    assert prov["Scénario du prévu"] == "Référence (contrat)"
    assert prov["Seuil d'explication des écarts"] == "10,0\u202f%"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_unit_shown_twice(real_annexes, lang):
    unit_header = label("unit", lang)
    for ws in real_annexes[lang].worksheets:
        headers = [c.value or "" for c in ws[HEADER_ROW]]
        has_unit_column = unit_header in headers
        for row in ws.iter_rows(min_row=FIRST_DATA_ROW):
            for cell in row:
                if "k€" in cell.number_format:
                    assert "k€" not in headers[cell.column - 1], (ws.title, cell.coordinate)
                    assert not has_unit_column, (ws.title, cell.coordinate)
    # a share is a percentage of one decimal, with no unit text beside it
    s = real_annexes[lang].worksheets[0]
    shares = [r for r in range(FIRST_DATA_ROW, s.max_row + 1) if "%" in s.cell(row=r, column=2).number_format]
    assert shares and all(s.cell(row=r, column=2).number_format == PCT for r in shares)
    assert all(s.cell(row=r, column=3).value is None for r in shares)


def test_same_rounding_as_the_html(real_annexes):
    s = real_annexes["fr"]["Synthèse"]
    rows = {s.cell(row=r, column=1).value: s.cell(row=r, column=2) for r in range(FIRST_DATA_ROW, s.max_row + 1)}
    roi = rows["ROI sur crédits FTAP (scénario)"]
    assert roi.number_format == "0.00" and round(roi.value, 2) == 3.14  # 3,14 as in the HTML, not 3,138
    assert rows["Économies prévues 2021"].number_format == KEUR  # k€ to one decimal
    assert rows["Économies prévues 2021"].value == 1140


def test_reconciliation_worded_with_labels(real_annexes):
    rec = real_annexes["fr"]["Rapprochement"]
    checks = [rec.cell(row=r, column=1).value for r in range(FIRST_DATA_ROW, rec.max_row + 1)]
    lever = next(c for c in checks if "levier Outils numériques et donnée" in c)
    assert "(4\u00a0ETP)" in lever and "phasage (" in lever and re.search(r"\d,\d\u202f%\)$", lever), lever
    assert not any("A1-T2" in c for c in checks)  # printed subtotals by their printed label


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_assumptions_sheet_has_every_entry(real_annexes, lang):
    from incubo_analysis.outputs.excel import load_assumptions

    doc = load_assumptions()
    ids = [e["id"] for s in doc["sections"] for t in s["tables"] for e in t["entries"]]
    ws = real_annexes[lang][SHEETS_FR[9] if lang == "fr" else SHEETS_EN[9]]  # Hypothèses / Assumptions
    assert ws.max_row - HEADER_ROW == len(ids)
    assert [ws.cell(row=r, column=2).value for r in range(FIRST_DATA_ROW, ws.max_row + 1)] == ids
    first = ws.cell(row=FIRST_DATA_ROW, column=3).value
    assert first.startswith("Les montants sont transcrits" if lang == "fr" else "Amounts are transcribed")


def test_total_is_capitalised(real_annexes):
    ws = real_annexes["fr"]["Économies cumulées"]
    levers = {ws.cell(row=r, column=1).value for r in range(FIRST_DATA_ROW, ws.max_row + 1)}
    assert "Total" in levers and "total" not in levers

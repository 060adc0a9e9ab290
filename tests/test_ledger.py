"""The savings ledger: documented budget savings, productivity gains, undocumented savings, programmes.

A hand-made ledger of six rows (two years) mixing natures, programmes and missing
justificatifs; every expected figure is worked out by hand in the comments (FTE × unit
cost, then sums), never taken from the code's output.

    row  lever                 year  FTE   k€/FTE  k€     nature           programme  justificatif     class
    1    dematerialisation     2020  3.0   57      171.0  post_cut         0307       SE 2020 BOP 307  documented_budget
    2    process_optimisation  2020  1.0   57       57.0  non_replacement  0354       "   " (blank)    undocumented
    3    user_support          2020  0.5   60       30.0  redeployment     (blank)    (blank)          productivity
    4    dematerialisation     2021  10.0  58      580.0  non_replacement  0307       CR DG 2021-03    documented_budget
    5    digital_tools_a._d.   2021  2.0   57      114.0  productivity     0354       Note DSAF        productivity
    6    user_support          2021  1.5   57       85.5  (blank)          (blank)    =Compte rendu    undocumented

2020: documented 171.0, productivity 30.0, undocumented 57.0; total 171 + 30 + 57 = 258.0.
2021: documented 580.0, productivity 114.0, undocumented 85.5; total 580 + 114 + 85.5 = 779.5.
Cumulated to 2021: documented 171 + 580 = 751.0, productivity 30 + 114 = 144.0,
undocumented 57 + 85.5 = 142.5; total 258 + 779.5 = 1 037.5.
"""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from incubo_analysis.errors import ParameterError
from incubo_analysis.labels import label
from incubo_analysis.model.params import baseline
from incubo_analysis.monitoring.reader import Actuals
from incubo_analysis.monitoring.variance import (
    EVIDENCE_COLUMNS,
    PROGRAMME_COLUMNS,
    SAVING_CLASSES,
    SAVINGS_VARIANCE_COLUMNS,
    classify_savings,
    savings_by_evidence,
    savings_by_programme,
    savings_variance,
    savings_variance_cumulative,
)

NAN = float("nan")
OLD_COLUMNS = ["lever", "year", "etp_freed", "unit_cost_keur", "explanation"]
LEDGER = [
    # lever, year, FTE, k€/FTE, explanation, nature, programme, justificatif
    ("dematerialisation", 2020, 3.0, 57.0, "", "post_cut", "0307", "SE 2020 BOP 307"),
    ("process_optimisation", 2020, 1.0, 57.0, "", "non_replacement", "0354", "   "),
    ("user_support", 2020, 0.5, 60.0, "", "redeployment", "", ""),
    ("dematerialisation", 2021, 10.0, 58.0, "", "non_replacement", "0307", "CR DG 2021-03"),
    ("digital_tools_and_data", 2021, 2.0, 57.0, "", "productivity", "0354", "Note DSAF"),
    ("user_support", 2021, 1.5, 57.0, "", "", "", "=Compte rendu"),
]


def ledger_frame(rows=LEDGER, *, with_ledger: bool = True) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[*OLD_COLUMNS, "nature", "programme", "justificatif"]).astype(
        {"lever": "str", "year": "int64", "etp_freed": "float64", "unit_cost_keur": "float64",
         "explanation": "str", "nature": "str", "programme": "str", "justificatif": "str"})
    return frame if with_ledger else frame.loc[:, OLD_COLUMNS]


def actuals(frame: pd.DataFrame) -> Actuals:
    return Actuals(frame, pd.DataFrame(columns=["axis", "title", "source", "year", "quarter", "ae_keur", "cp_keur"]),
                   pd.DataFrame(columns=["indicator", "year", "value", "comment"]), path=None, sha256="")


@pytest.fixture(scope="module")
def variance():
    return savings_variance(actuals(ledger_frame()), baseline())


def by_class(frame: pd.DataFrame, column: str) -> dict[str, float]:
    return dict(zip(frame["saving_class"], frame[column], strict=True))


# --------------------------------------------------------------------------- the variance's ledger columns
def test_variance_appends_the_ledger_columns(variance):
    old = ["lever", "year", "planned_etp", "actual_etp", "planned_keur", "actual_keur", "variance_keur",
           "variance_pct", "volume_effect_keur", "price_effect_keur", "explanation", "explanation_missing"]
    assert list(variance.columns) == list(SAVINGS_VARIANCE_COLUMNS) == [
        *old, "nature", "programme", "documented", "justificatif"]
    demat = variance[(variance["lever"] == "dematerialisation") & (variance["year"] == 2021)].iloc[0]
    assert (demat["nature"], demat["programme"], bool(demat["documented"])) == ("non_replacement", "0307", True)
    # the justificatif made of spaces is blank: a budget nature without evidence is not documented
    po = variance[variance["lever"] == "process_optimisation"].iloc[0]
    assert po["justificatif"] == "" and not po["documented"]
    # documented rows: 1 and 4 only
    assert variance["documented"].dtype == bool and int(variance["documented"].sum()) == 2


def test_classes_of_the_six_rows(variance):
    classes = dict(zip(zip(variance["lever"], variance["year"], strict=True), classify_savings(variance), strict=True))
    assert classes == {
        ("dematerialisation", 2020): "documented_budget", ("process_optimisation", 2020): "undocumented",
        ("user_support", 2020): "productivity", ("dematerialisation", 2021): "documented_budget",
        ("digital_tools_and_data", 2021): "productivity", ("user_support", 2021): "undocumented",
    }
    # without the documented column, the same classes from nature and justificatif
    assert classify_savings(variance.drop(columns="documented")).tolist() == classify_savings(variance).tolist()


# --------------------------------------------------------------------------- documented / productivity / undocumented
def test_evidence_split_of_each_year_and_cumulated(variance):
    e = savings_by_evidence(variance)
    assert list(e.columns) == list(EVIDENCE_COLUMNS)
    assert e["saving_class"].tolist() == list(SAVING_CLASSES) * 2 and e["year"].tolist() == [2020] * 3 + [2021] * 3
    y20, y21 = e[e["year"] == 2020], e[e["year"] == 2021]
    assert by_class(y20, "actual_keur") == pytest.approx(
        {"documented_budget": 171.0, "productivity": 30.0, "undocumented": 57.0})
    assert by_class(y21, "actual_keur") == pytest.approx(
        {"documented_budget": 580.0, "productivity": 114.0, "undocumented": 85.5})
    # FTE 2021: 10 documented, 2 productivity, 1.5 undocumented
    assert by_class(y21, "actual_etp") == pytest.approx({"documented_budget": 10.0, "productivity": 2.0,
                                                         "undocumented": 1.5})
    # shares of 2021: 580 / 779.5, 114 / 779.5, 85.5 / 779.5
    assert by_class(y21, "share") == pytest.approx({"documented_budget": 580 / 779.5, "productivity": 114 / 779.5,
                                                    "undocumented": 85.5 / 779.5})
    assert by_class(y21, "cum_actual_keur") == pytest.approx(
        {"documented_budget": 751.0, "productivity": 144.0, "undocumented": 142.5})
    assert by_class(y21, "cum_share") == pytest.approx(
        {"documented_budget": 751 / 1037.5, "productivity": 144 / 1037.5, "undocumented": 142.5 / 1037.5})


def test_evidence_of_one_year_keeps_the_cumulated_columns(variance):
    e = savings_by_evidence(variance, year=2021)
    assert e["year"].tolist() == [2021] * 3
    assert e["cum_actual_keur"].sum() == pytest.approx(1037.5)  # 258 + 779.5
    # a year with nothing reported: zeros, the cumulated sums carried (2022 > 2021)
    later = savings_by_evidence(variance, year=2022)
    assert later["actual_keur"].tolist() == [0.0] * 3 and later["share"].isna().all()
    assert by_class(later, "cum_actual_keur") == pytest.approx(
        {"documented_budget": 751.0, "productivity": 144.0, "undocumented": 142.5})


# --------------------------------------------------------------------------- programmes: observed, thirds for the rest
def test_programme_split_is_observed_and_thirds_only_for_rows_without_one(variance):
    p = savings_by_programme(variance)
    assert list(p.columns) == list(PROGRAMME_COLUMNS) == ["year", "programme", "share", "actual_keur", "basis"]
    got = [(y, prog, round(k, 9), basis) for y, prog, k, basis
           in zip(p["year"], p["programme"], p["actual_keur"], p["basis"], strict=True)]
    # 2020: 0307 = row 1 = 171.0; 0354 = row 2 = 57.0 (a programme without evidence is still observed);
    #       no programme: row 3 = 30.0 -> 10.0 each third.
    # 2021: 0307 = row 4 = 580.0; 0354 = row 5 = 114.0; no programme: row 6 = 85.5 -> 28.5 each third.
    assert got == [
        (2020, "0307", 171.0, "observed"), (2020, "0354", 57.0, "observed"),
        (2020, "interieur", 10.0, "indicative_thirds"), (2020, "dreal", 10.0, "indicative_thirds"),
        (2020, "other_bops", 10.0, "indicative_thirds"),
        (2021, "0307", 580.0, "observed"), (2021, "0354", 114.0, "observed"),
        (2021, "interieur", 28.5, "indicative_thirds"), (2021, "dreal", 28.5, "indicative_thirds"),
        (2021, "other_bops", 28.5, "indicative_thirds"),
    ]
    # shares of the year's realised total: 171 / 258 and 28.5 / 779.5
    assert p["share"].iloc[0] == pytest.approx(171 / 258) and p["share"].iloc[-1] == pytest.approx(28.5 / 779.5)
    assert p.groupby("year")["share"].sum().tolist() == pytest.approx([1.0, 1.0])


def test_a_year_where_every_row_names_its_programme_has_no_thirds():
    # 2021 rows 4 and 5 only: 580 on 0307, 114 on 0354, nothing to split in thirds
    v = savings_variance(actuals(ledger_frame(LEDGER[3:5])))
    p = savings_by_programme(v)
    assert p["programme"].tolist() == ["0307", "0354"] and set(p["basis"]) == {"observed"}
    assert p["actual_keur"].tolist() == pytest.approx([580.0, 114.0])


# --------------------------------------------------------------------------- old workbooks (no ledger columns)
def test_old_frames_read_as_undocumented_with_the_programme_unknown():
    v = savings_variance(actuals(ledger_frame(with_ledger=False)), baseline())
    assert list(v.columns) == list(SAVINGS_VARIANCE_COLUMNS)
    assert set(v["nature"]) == {""} and set(v["programme"]) == {""} and set(v["justificatif"]) == {""}
    assert not v["documented"].any()
    e = savings_by_evidence(v, year=2021)
    # everything realised in 2021 is undocumented: 779.5; cumulated 1 037.5
    assert by_class(e, "actual_keur") == pytest.approx({"documented_budget": 0.0, "productivity": 0.0,
                                                        "undocumented": 779.5})
    assert by_class(e, "cum_actual_keur")["undocumented"] == pytest.approx(1037.5)
    p = savings_by_programme(v)
    # all in thirds, as before the ledger: 779.5 / 3 = 259.8333 in 2021
    assert set(p["basis"]) == {"indicative_thirds"} and p["share"].tolist() == pytest.approx([1 / 3] * 6)
    assert p.loc[p["year"] == 2021, "actual_keur"].tolist() == pytest.approx([779.5 / 3] * 3)


def test_a_variance_frame_without_the_ledger_columns():
    # an older caller's frame: only year and actual_keur
    v = pd.DataFrame({"year": [2021, 2021], "actual_keur": [100.0, 50.0]})
    assert by_class(savings_by_evidence(v), "actual_keur") == {"documented_budget": 0.0, "productivity": 0.0,
                                                               "undocumented": 150.0}
    assert savings_by_evidence(v)["actual_etp"].isna().all()  # no FTE given: not invented
    with pytest.raises(ParameterError, match="actual_keur"):
        savings_by_evidence(pd.DataFrame({"year": [2021]}))


def test_empty_savings():
    v = savings_variance(actuals(ledger_frame([])))
    assert v.empty and list(v.columns) == list(SAVINGS_VARIANCE_COLUMNS) and v["documented"].dtype == bool
    assert savings_by_evidence(v).empty and list(savings_by_evidence(v).columns) == list(EVIDENCE_COLUMNS)
    assert savings_by_programme(v).empty


# --------------------------------------------------------------------------- several ledger rows for one lever-year
def test_several_rows_of_one_lever_year_share_its_plan():
    # dematerialisation 2021: plan 20 FTE × 62.5 % = 12.5 FTE at 57 = 712.5 k€. Two ledger rows: 8 FTE
    # post cut (documented) and 4 FTE productivity -> planned FTE shared 12.5 × 8/12 = 8.3333 and 12.5 × 4/12.
    rows = [("dematerialisation", 2021, 8.0, NAN, "", "post_cut", "0307", "SE 2021"),
            ("dematerialisation", 2021, 4.0, NAN, "", "productivity", "", "")]
    v = savings_variance(actuals(ledger_frame(rows)), baseline())
    assert v["planned_etp"].tolist() == pytest.approx([12.5 * 8 / 12, 12.5 * 4 / 12])
    assert v["planned_keur"].sum() == pytest.approx(712.5)
    # actual 12 × 57 = 684; variance 684 - 712.5 = -28.5 = volume (12 - 12.5) × 57
    assert v["variance_keur"].sum() == pytest.approx(-28.5) and v["volume_effect_keur"].sum() == pytest.approx(-28.5)
    c = savings_variance_cumulative(v)
    assert c["lever"].tolist() == ["dematerialisation", "total"]  # one row per lever-year
    assert c["actual_keur"].tolist() == pytest.approx([684.0, 684.0])
    assert by_class(savings_by_evidence(v), "actual_keur") == pytest.approx(
        {"documented_budget": 456.0, "productivity": 228.0, "undocumented": 0.0})  # 8 × 57, 4 × 57


# --------------------------------------------------------------------------- errors
def test_an_unknown_nature_is_refused_in_both_languages():
    rows = [("dematerialisation", 2021, 1.0, NAN, "", "suppression", "", "")]
    with pytest.raises(ParameterError) as exc:
        savings_variance(actuals(ledger_frame(rows)))
    assert "'suppression'" in exc.value.message_in("fr") and "attendu" in exc.value.message_in("fr")
    assert "expected one of post_cut" in exc.value.message_in("en")


# --------------------------------------------------------------------------- labels
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_code_and_column_has_a_label(lang):
    for key in [*(f"ledger.class.{c}" for c in SAVING_CLASSES), "ledger.nature.post_cut",
                "ledger.nature.non_replacement", "ledger.nature.redeployment", "ledger.nature.productivity",
                "ledger.basis.observed", "ledger.basis.indicative_thirds", *SAVINGS_VARIANCE_COLUMNS,
                *EVIDENCE_COLUMNS, *PROGRAMME_COLUMNS]:
        assert label(key, lang) != key, key


def test_the_difference_in_one_sentence():
    fr = label("ledger.difference")
    assert "schéma d'emplois" in fr and "gain de productivité" in fr and "sans réduire le budget" in fr
    assert "productivity gain frees agents' time without a budget cut" in label("ledger.difference", "en")


# --------------------------------------------------------------------------- the report's CSV, annex and Synthèse
@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The report's tables, CSV files and Excel annex for the ledger (2021), without the notebooks."""
    from incubo_analysis.monitoring.annual import ReportInputs
    from incubo_analysis.outputs import report as R
    from incubo_analysis.paths import BASELINE_PARAMS

    folder = tmp_path_factory.mktemp("ledger")
    inputs = ReportInputs(2021, folder / "ledger.xlsx", BASELINE_PARAMS, actuals(ledger_frame()), baseline(),
                          shown={"actuals": "ledger.xlsx", "scenario": "params/baseline.yaml"})
    summary, _prov, tables = R._write_tables(inputs, folder)
    return inputs, folder, summary, tables


def test_the_csv_carries_the_ledger_columns(written):
    _inputs, folder, _summary, _tables = written
    csv = pd.read_csv(folder / "savings_variance.csv", keep_default_na=False, dtype=str)
    assert list(csv.columns) == list(SAVINGS_VARIANCE_COLUMNS)
    row = csv[(csv["lever"] == "dematerialisation") & (csv["year"] == "2021")].iloc[0]
    assert (row["nature"], row["programme"], row["documented"]) == ("non_replacement", "0307", "True")
    assert row["justificatif"] == "CR DG 2021-03"
    # user text that a spreadsheet would run stays inert in the CSV
    assert not csv["justificatif"].astype(str).str.startswith("=").any()


def test_the_annex_shows_the_ledger_in_french(written):
    _inputs, folder, _summary, _tables = written
    wb = openpyxl.load_workbook(folder / "incubo_report_2021.xlsx")
    ws = wb["Économies"]
    head = [c.value for c in ws[2]]
    rows = [dict(zip(head, (c for c in r), strict=True)) for r in ws.iter_rows(min_row=3)]
    demat = next(r for r in rows if r["Levier"].value == "Dématérialisation" and r["Année"].value == 2021)
    assert demat[label("nature")].value == "Non-remplacement"
    assert demat[label("programme")].value == "0307" and demat[label("programme")].data_type == "s"
    assert demat[label("documented")].value == "oui"
    hostile = next(r for r in rows if r[label("justificatif")].value == "=Compte rendu")
    assert hostile[label("justificatif")].data_type == "s" and hostile[label("justificatif")].quotePrefix
    ev = wb[label("sheet.savings_by_evidence")]
    values = [[c.value for c in r] for r in ev.iter_rows(min_row=3)]
    # 2021 rows: 580 / 114 / 85.5 k€ under their French labels
    assert [(v[1], v[3]) for v in values if v[0] == 2021] == [
        ("Économies budgétaires documentées", 580), ("Gains de productivité (sans économie budgétaire)", 114),
        ("Économies non documentées", 85.5)]
    prog = [[c.value for c in r] for r in wb["Économies par programme"].iter_rows(min_row=3)]
    assert (prog[5][0], prog[5][1], prog[5][3], prog[5][4]) == (2021, "0307", 580, "Observée")
    assert prog[8][1:5:3] == ["DREAL", "Tiers indicatifs (contrat § 3)"]


def test_the_synthesis_separates_budget_savings_from_productivity(written):
    from incubo_analysis.outputs import report as R

    inputs, _folder, summary, tables = written
    values = dict(zip(summary["indicator_label"], summary["value"], strict=True))
    assert values["Économies budgétaires documentées 2021"] == pytest.approx(580.0)
    assert values["Gains de productivité 2021 (sans économie budgétaire)"] == pytest.approx(114.0)
    assert values["Économies non documentées 2021"] == pytest.approx(85.5)
    html = R.synthesis_html(inputs, tables)
    # the card: 580,0 k€ documented; 114,0 k€ productivity and 85,5 k€ undocumented beneath
    assert "Économies budgétaires documentées 2021" in html and "580,0\u00a0k€" in html
    assert "productivité 114,0\u00a0k€ · non documentées 85,5\u00a0k€" in html


# --------------------------------------------------------------------------- the shipped example workbook
def test_the_example_workbook_ledger():
    """The FICTIF example's ledger (tools/example_actuals.py), classes and programmes worked out by hand."""
    from incubo_analysis.monitoring.reader import read_actuals
    from incubo_analysis.paths import EXAMPLE_ACTUALS

    v = savings_variance(read_actuals(EXAMPLE_ACTUALS))
    e = savings_by_evidence(v, year=2021)
    # 2021 documented: dematerialisation 11 × 58 = 638 (post cut, schéma d'emplois 2021)
    # + digital_tools_and_data 2.6 × 57 = 148.2 (post cut, SE-2021-11) + user_support 1.9 × 57 = 108.3
    # (non-replacement, dialogue de gestion) = 894.5; undocumented: process_optimisation 2.75 × 57 = 156.75
    # (a non-replacement without justificatif); no productivity gain in 2021.
    assert by_class(e, "actual_keur") == pytest.approx(
        {"documented_budget": 894.5, "productivity": 0.0, "undocumented": 156.75})
    p = savings_by_programme(v)
    p19 = p[p["year"] == 2019]
    # 2019: 0307 = dematerialisation 2.5 × 57 + process_optimisation 0.6 × 57 = 142.5 + 34.2 = 176.7;
    # no programme: digital 0.5 × 57 + user_support 0.4 × 57 = 28.5 + 22.8 = 51.3 -> 17.1 each third
    assert p19["programme"].tolist() == ["0307", "interieur", "dreal", "other_bops"]
    assert p19["actual_keur"].tolist() == pytest.approx([176.7, 17.1, 17.1, 17.1])
    assert p19["basis"].tolist() == ["observed"] + ["indicative_thirds"] * 3

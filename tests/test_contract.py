"""Contract loaders: shapes, values checked by hand against the printed contract, error paths."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from incubo_analysis.contract.loaders import (
    load_contract,
    load_financing_plan,
    load_financing_totals,
    load_indicator_targets,
    load_savings_plan,
    load_savings_table,
    load_text_figures,
)
from incubo_analysis.errors import SchemaError

# --- shapes and codes -------------------------------------------------------------------------


def test_financing_plan_is_tidy_with_fixed_columns():
    plan = load_financing_plan()
    assert list(plan.columns)[:7] == ["axis", "title", "source", "line", "year", "credit", "amount_keur"]
    # 42 printed expense lines (9 + 10 + 14 + 9, counted in the seed) x 5 years x 2 credits
    assert len(plan) == 42 * 5 * 2
    assert set(plan["axis"]) == {1, 2, 3, 4}
    assert set(plan["title"]) == {"T2", "T3", "T6"}
    assert set(plan["source"]) == {"FTAP", "cofinancing"}
    assert set(plan["year"]) == {2018, 2019, 2020, 2021, 2022}
    assert set(plan["credit"]) == {"AE", "CP"}
    assert plan["axis"].dtype == "int64" and plan["year"].dtype == "int64"
    assert plan["amount_keur"].dtype == "float64"
    # zeros included: every line has all ten cells
    assert plan.groupby("line_id").size().eq(10).all()


def test_lines_per_axis_as_printed():
    plan = load_financing_plan()
    per_axis = plan.drop_duplicates("line_id").groupby("axis").size().to_dict()
    # Counted in the seed: axis 1: 4 T2 + 5 T3; axis 2: 4 T2 + 6 T3; axis 3: 5 T2 + 7 T3 + 2 T6;
    # axis 4: 4 T2 + 4 T3 + 1 T6.
    assert per_axis == {1: 9, 2: 10, 3: 14, 4: 9}


@pytest.mark.parametrize(
    "axis, euros",
    [(1, 405_500), (2, 321_500), (3, 230_500), (4, 277_500)],  # contract § 2, text
)
def test_ftap_request_per_axis_matches_text(axis, euros):
    plan = load_financing_plan()
    cp = plan[(plan.source == "FTAP") & (plan.credit == "CP") & (plan.axis == axis)]
    assert cp["amount_keur"].sum() == pytest.approx(euros / 1000)


def test_referents_are_carried_by_their_dont_lines():
    plan = load_financing_plan()
    a1 = plan[(plan.axis == 1) & (plan.year == 2019) & (plan.credit == "CP")]
    refs = a1[a1["line"].str.contains("référents")]
    # printed: "dont ... directions régionales (28%)" 16, "dont ... Ministère de l'Intérieur (72%)" 41
    assert sorted(refs["amount_keur"]) == [16.0, 41.0]
    assert refs["line"].str.contains("1,8 ETP des référents innovations").all()


def test_typos_corrected_in_line_but_kept_in_raw():
    plan = load_financing_plan()
    assert not plan["line"].str.contains("Locatbn|Prestatons|informaton|directons").any()
    raw = (Path(__file__).parents[1] / "data/raw/contract/financing_lines.csv").read_text(encoding="utf-8")
    assert "Locatbn de salles" in raw and "Prestatons externes" in raw


def test_blank_cells_read_as_zero():
    plan = load_financing_plan()
    # Axis 1 "Location de salles" prints nothing for 2018 and 2022
    loc = plan[(plan.line_id == "A1-T3-02")]
    assert loc.loc[loc.year == 2018, "amount_keur"].tolist() == [0.0, 0.0]
    assert loc.loc[loc.year == 2019, "amount_keur"].tolist() == [1.0, 1.0]


def test_savings_plan_as_printed():
    s = load_savings_plan()
    assert list(s.columns) == ["lever", "etp", "year", "amount_keur"]
    assert s.drop_duplicates("lever").set_index("lever")["etp"].to_dict() == {
        "dematerialisation": 20.0, "process_optimisation": 5.0,
        "digital_tools_and_data": 4.0, "user_support": 3.0,
    }
    cell = s[(s.lever == "process_optimisation") & (s.year == 2020)]["amount_keur"].item()
    assert cell == 106.88  # printed rounding kept (5 x 57 x 0.375 = 106.875)
    assert s[s.year == 2022]["amount_keur"].sum() == 32 * 57  # 1 824 k€ run rate
    assert s[s.year == 2018]["amount_keur"].eq(0).all()


def test_savings_table_has_printed_decimals():
    t = load_savings_table()
    cell = t[(t.lever == "user_support") & (t.year == 2021) & (t.credit == "AE")]
    assert cell["amount_keur"].item() == 106.88 and cell["decimals"].item() == 2


def test_indicator_targets():
    t = load_indicator_targets()
    assert list(t.columns)[:5] == ["indicator", "axis", "year", "target", "unit"]
    progress = {
        "axis1_procedures_prototyped": [30, 60, 100],
        "axis1_deployment_rate": [0.30, 0.60, 1.00],
        "axis2_projects_incubated": [3, 7, 10],
        "axis3_agents_trained": [750, 1500, 2500],
        "axis4_experiments_launched": [2, 4, 5],
    }
    for ind, targets in progress.items():
        rows = t[t.indicator == ind].sort_values("year")
        assert rows["year"].tolist() == [2019, 2020, 2021], ind
        assert rows["target"].tolist() == pytest.approx(targets), ind
    assert t.loc[t.indicator == "axis1_deployment_rate", "unit"].eq("share").all()
    results = t[t.kind == "result"]
    assert results["year"].eq(2021).all()
    assert results.loc[results.indicator.str.contains("satisfaction"), "target"].eq(0.75).all()
    assert pd.isna(t.loc[t.indicator == "savings_total_keur", "axis"].item())


def test_text_figures():
    f = load_text_figures().set_index("figure")
    assert f.loc["savings_etp", "value"] == 32
    assert f.loc["savings_unit_cost", "value"] == 57
    assert f.loc["savings_split_dreal", "value"] == pytest.approx(1 / 3)
    assert f.loc["axis3_scope_agents", "value"] == 8000
    assert f.loc["global_cost", "precision"] == "0.1"


def test_loaders_return_copies():
    a = load_financing_plan()
    a.loc[:, "amount_keur"] = -1.0
    assert load_financing_plan()["amount_keur"].ge(0).all()


# --- error paths: a damaged raw file names file, line and column -------------------------------


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_missing_column(contract_copy):
    _edit(contract_copy / "financing_lines.csv", "2019_CP", "2019_XX")
    with pytest.raises(SchemaError, match=r"financing_lines\.csv: missing column '2019_CP'"):
        load_financing_plan(contract_copy)


def test_text_in_amount(contract_copy):
    # line 2 of the file is A1-T2-01: "…,11,11,22,22,…"
    _edit(contract_copy / "financing_lines.csv", ",11,11,22,22,22,22,22,22,0,0", ",11,11,22,abc,22,22,22,22,0,0")
    with pytest.raises(SchemaError) as exc:
        load_financing_plan(contract_copy)
    msg = str(exc.value)
    assert "financing_lines.csv: line 2, column '2019_CP'" in msg and "'abc'" in msg


def test_french_decimal_comma_is_refused_in_amount(contract_copy):
    _edit(contract_copy / "savings_plan.csv", "106.88", '"106,88"')
    with pytest.raises(SchemaError, match=r"savings_plan\.csv: line 3, column '2020_AE'.*dot"):
        load_savings_plan(contract_copy)


def test_negative_amount(contract_copy):
    _edit(contract_copy / "financing_lines.csv", ",0,0,72,72,", ",0,0,-72,72,")
    with pytest.raises(SchemaError, match=r"line 3, column '2019_AE': expected an amount >= 0"):
        load_financing_plan(contract_copy)


def test_unknown_axis(contract_copy):
    _edit(contract_copy / "financing_lines.csv", "A1-T2-01,1,T2", "A1-T2-01,5,T2")
    with pytest.raises(SchemaError, match=r"line 2, column 'axis': expected one of 1, 2, 3, 4, got '5'"):
        load_financing_plan(contract_copy)


def test_unknown_title(contract_copy):
    _edit(contract_copy / "financing_lines.csv", "A1-T2-01,1,T2", "A1-T2-01,1,T5")
    with pytest.raises(SchemaError, match=r"line 2, column 'title': expected one of T2, T3, T6, got 'T5'"):
        load_financing_plan(contract_copy)


def test_unknown_source(contract_copy):
    _edit(contract_copy / "financing_lines.csv", "A1-T2-01,1,T2,cofinancing", "A1-T2-01,1,T2,region")
    with pytest.raises(SchemaError, match=r"column 'source'"):
        load_financing_plan(contract_copy)


def test_duplicate_line(contract_copy):
    path = contract_copy / "financing_lines.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines + [lines[1].replace("A1-T2-01", "A1-T2-99")]), encoding="utf-8")
    with pytest.raises(SchemaError, match=rf"line {len(lines) + 1}, column .*duplicate line"):
        load_financing_plan(contract_copy)


def test_duplicate_indicator_year(contract_copy):
    path = contract_copy / "indicators.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines + [lines[1]]), encoding="utf-8")
    with pytest.raises(SchemaError, match=r"indicators\.csv: line \d+, column 'year': duplicate"):
        load_indicator_targets(contract_copy)


def test_unknown_lever(contract_copy):
    _edit(contract_copy / "savings_plan.csv", "user_support,", "user_help,")
    with pytest.raises(SchemaError, match=r"savings_plan\.csv: line 5, column 'lever'"):
        load_savings_plan(contract_copy)


def test_missing_file(contract_copy):
    (contract_copy / "financing_totals.csv").unlink()
    with pytest.raises(SchemaError, match=r"financing_totals\.csv: file not found"):
        load_financing_totals(contract_copy)


def test_empty_file(contract_copy):
    (contract_copy / "indicators.csv").write_text("", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"indicators\.csv: not a readable CSV"):
        load_indicator_targets(contract_copy)


def test_not_utf8(contract_copy):
    path = contract_copy / "text_figures.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    with pytest.raises(SchemaError, match=r"text_figures\.csv: not UTF-8"):
        load_text_figures(contract_copy)


def test_bad_precision(contract_copy):
    _edit(contract_copy / "text_figures.csv", "MEUR,0.1", "MEUR,about")
    with pytest.raises(SchemaError, match=r"column 'precision'"):
        load_text_figures(contract_copy)


def test_load_contract_reports_first_damaged_file(contract_copy):
    _edit(contract_copy / "savings_totals.csv", "1140,1140", "1140,x")
    with pytest.raises(SchemaError, match=re.escape("savings_totals.csv")):
        load_contract(contract_copy)

"""The quarterly computations against hand computation: credits to date and restes à payer,
envelopes and tranches, the risk register at a quarter's end, indicators against their
intermediate targets, savings to date, the quarter's bounds."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from incubo_analysis.errors import ParameterError, SchemaError
from incubo_analysis.monitoring.quarterly import (
    CREDITS_TO_DATE_COLUMNS,
    RISKS_COLUMNS,
    check_quarter,
    credits_to_date,
    envelope_consumption,
    indicators_at_quarter,
    risk_counts,
    risk_matrix,
    risk_register,
    savings_to_date,
    top_risks,
    tranche_status,
)
from incubo_analysis.paths import EXAMPLE_ACTUALS


def _plan() -> pd.DataFrame:
    """Two groups. (1, T3, FTAP): 2019 AE 200 / CP 100, 2020 AE 100 / CP 200.
    (2, T2, cofinancing): 50 AE and 50 CP each year. A third group planned at 0 throughout.
    Global budget: AE 200 + 100 + 50 + 50 = 400 k€; CP 100 + 200 + 50 + 50 = 400 k€."""
    rows = []
    for year, ae, cp in ((2019, 200.0, 100.0), (2020, 100.0, 200.0)):
        rows += [(1, "T3", "FTAP", year, "AE", ae), (1, "T3", "FTAP", year, "CP", cp)]
        rows += [(2, "T2", "cofinancing", year, "AE", 50.0), (2, "T2", "cofinancing", year, "CP", 50.0)]
        rows += [(4, "T6", "FTAP", year, "AE", 0.0), (4, "T6", "FTAP", year, "CP", 0.0)]
    return pd.DataFrame(rows, columns=["axis", "title", "source", "year", "credit", "amount_keur"])


def _credits() -> pd.DataFrame:
    rows = [
        (1, "T3", "FTAP", 2019, 1, 80.0, 30.0),
        (1, "T3", "FTAP", 2019, 3, 60.0, 50.0),
        (1, "T3", "FTAP", 2020, 1, 40.0, 70.0),
        (1, "T3", "FTAP", 2020, 3, 10.0, 10.0),  # after 2020T2: not counted at 2020T2
        (2, "T2", "cofinancing", 2019, 2, 20.0, 20.0),
    ]
    return pd.DataFrame(rows, columns=["axis", "title", "source", "year", "quarter", "ae_keur", "cp_keur"])


def _row(frame: pd.DataFrame, axis: int, credit: str) -> pd.Series:
    return frame[(frame["axis"] == axis) & (frame["credit"] == credit)].iloc[0]


def test_credits_to_date_restes_a_payer_and_shares_by_hand():
    t = credits_to_date(_credits(), "2020T2", financing_plan=_plan())
    assert tuple(t.columns) == CREDITS_TO_DATE_COLUMNS
    assert sorted(set(t["axis"])) == [1, 2]  # the group planned at 0 and never consumed is left out
    ae, cp = _row(t, 1, "AE"), _row(t, 1, "CP")
    # AE 80 + 60 + 40 = 180, CP 30 + 50 + 70 = 150 (the 2020T3 row is after the quarter)
    assert ae["actual_keur"] == pytest.approx(180.0) and cp["actual_keur"] == pytest.approx(150.0)
    # planned: 2019 and the whole 2020 envelope: AE 200 + 100 = 300, CP 100 + 200 = 300
    assert ae["planned_keur"] == pytest.approx(300.0) and cp["planned_keur"] == pytest.approx(300.0)
    # share of the global budget: 180 / 400 = 45 %, 150 / 400 = 37.5 %
    assert ae["share_of_budget"] == pytest.approx(0.45) and cp["share_of_budget"] == pytest.approx(0.375)
    # restes à payer: 180 - 150 = 30 on the AE row, blank on the CP row
    assert ae["remaining_to_pay_keur"] == pytest.approx(30.0) and math.isnan(cp["remaining_to_pay_keur"])
    # group 2: AE 20 - CP 20 = 0; share 20 / 400 = 5 %
    assert _row(t, 2, "AE")["remaining_to_pay_keur"] == pytest.approx(0.0)
    assert _row(t, 2, "CP")["share_of_budget"] == pytest.approx(0.05)
    assert t["remaining_to_pay_keur"].sum() == pytest.approx(30.0)


def test_credits_to_date_at_an_earlier_quarter():
    t = credits_to_date(_credits(), "2019T4", financing_plan=_plan())
    # 2019 only: AE 80 + 60 = 140, CP 30 + 50 = 80, restes à payer 60; planned AE 200, CP 100
    assert _row(t, 1, "AE")[["planned_keur", "actual_keur", "remaining_to_pay_keur"]].tolist() == [200.0, 140.0,
                                                                                                  60.0]
    assert _row(t, 1, "CP")["planned_keur"] == 100.0


def test_credits_to_date_without_any_credit_reported():
    empty = _credits().iloc[0:0]
    t = credits_to_date(empty, "2019T1", financing_plan=_plan())
    assert t["actual_keur"].sum() == 0 and t["remaining_to_pay_keur"].fillna(0).sum() == 0
    assert len(t) == 4  # the two planned groups × AE / CP


def test_envelopes_and_tranches_by_hand():
    env = envelope_consumption(_credits(), "2020T2", financing_plan=_plan())
    cof19 = env[(env["year"] == 2019) & (env["source"] == "cofinancing") & (env["credit"] == "AE")].iloc[0]
    assert cof19["planned_keur"] == 50.0 and cof19["actual_keur"] == 20.0 and cof19["consumption_rate"] == 0.4
    tr = tranche_status(_credits(), "2020T2", financing_plan=_plan())
    # 2019: tranche 200, AE 140 consumed (70 %), 60 left; 2020: tranche 100, 40 consumed by 2020T2 (40 %)
    assert tr["year"].tolist() == [2019, 2020]
    assert tr["actual_keur"].tolist() == [140.0, 40.0]
    assert tr["consumption_rate"].tolist() == pytest.approx([0.7, 0.4])
    assert tr["remaining_keur"].tolist() == [60.0, 60.0]


def _risks() -> pd.DataFrame:
    rows = [
        ("R1", 1, 3, 4, "closed", "2019-02-01", "2020-11-15"),  # closed after 2020T3: open then
        ("R2", 2, 2, 2, "open", "2020-08-01", None),  # new in 2020T3
        ("R3", 3, 4, 4, "closed", "2019-05-01", "2020-07-10"),  # closed in 2020T3
        ("R4", 1, 4, 4, "open", "2020-12-01", None),  # identified after the quarter: not known then
        ("R5", 4, 1, 1, "closed", "2019-01-10", "2020-01-20"),  # closed before the quarter
        ("R6", 2, 3, 4, "open", "2020-09-30", None),  # identified on the quarter's last day: new
    ]
    frame = pd.DataFrame(rows, columns=["risk_id", "axis", "probability", "impact", "status", "identified_on",
                                        "closed_on"])
    frame["identified_on"] = pd.to_datetime(frame["identified_on"])
    frame["closed_on"] = pd.to_datetime(frame["closed_on"])
    for col in ("description", "mitigation", "owner"):
        frame[col] = ""
    return frame


def test_risk_register_at_the_quarter_end():
    reg = risk_register(_risks(), "2020T3")
    assert set(RISKS_COLUMNS) <= set(reg.columns)
    assert "R4" not in set(reg["risk_id"])
    status = dict(zip(reg["risk_id"], reg["status"], strict=True))
    assert status == {"R1": "open", "R2": "open", "R3": "closed", "R5": "closed", "R6": "open"}
    score = dict(zip(reg["risk_id"], reg["score"], strict=True))
    assert score["R1"] == 12 and score["R2"] == 4 and score["R3"] == 16  # 3 × 4, 2 × 2, 4 × 4
    # open first by score: R1 and R6 both 12 and impact 4 (then by id), R2 4; then the closed ones
    assert reg["risk_id"].tolist()[:3] == ["R1", "R6", "R2"]
    assert risk_counts(reg) == {"new": 2, "open": 3, "closed": 1, "top_score": 12}
    assert top_risks(reg, 2)["risk_id"].tolist() == ["R1", "R6"]


def test_risk_matrix_counts_open_risks():
    m = risk_matrix(risk_register(_risks(), "2020T3"))
    assert m.index.tolist() == [4, 3, 2, 1] and m.columns.tolist() == [1, 2, 3, 4]
    assert m.loc[3, 4] == 2 and m.loc[2, 2] == 1  # R1 and R6; R2
    assert m.loc[4, 4] == 0  # R3 is closed at the end of 2020T3
    assert int(m.to_numpy().sum()) == 3


def test_risk_register_a_year_later_and_empty():
    reg = risk_register(_risks(), "2021T1")
    assert dict(zip(reg["risk_id"], reg["status"], strict=True))["R1"] == "closed"
    assert risk_counts(reg) == {"new": 0, "open": 3, "closed": 0, "top_score": 16}  # R2, R4 (4 × 4), R6
    empty = risk_register(_risks().iloc[0:0], "2020T3")
    assert empty.empty and int(risk_matrix(empty).to_numpy().sum()) == 0
    assert risk_counts(empty)["top_score"] == 0


def _indicators(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["indicator", "year", "value", "comment"])


def test_indicators_against_intermediate_targets():
    ind = _indicators([("axis1_procedures_prototyped", 2019, 20.0, ""),
                       ("axis2_projects_incubated", 2019, 3.0, "")])
    t = indicators_at_quarter(ind, "2020T1").set_index("indicator")
    # procedures: from 30 (end 2019) to 60 (end 2020), a quarter in: 30 + 30 / 4 = 37.5; 20 / 37.5 = 53 % red
    assert t.loc["axis1_procedures_prototyped", "target"] == pytest.approx(37.5)
    assert t.loc["axis1_procedures_prototyped", "status"] == "red"
    # projects: 3 + (7 - 3) / 4 = 4; 3 / 4 = 75 % amber (the amber threshold included)
    assert t.loc["axis2_projects_incubated", "target"] == pytest.approx(4.0)
    assert t.loc["axis2_projects_incubated", "status"] == "amber"
    # agents trained not reported while a target runs: red
    assert t.loc["axis3_agents_trained", "status"] == "red"
    # a satisfaction rate (one end-2021 target) not yet reported in 2020: not due
    assert t.loc["axis1_user_satisfaction", "status"] == "not_due"
    first = indicators_at_quarter(ind.iloc[0:0], "2019T1").set_index("indicator")
    assert first.loc["axis1_procedures_prototyped", "target"] == pytest.approx(7.5)  # 0 + 30 / 4


def test_indicators_after_the_last_target_and_before_the_first():
    ind = _indicators([("axis4_experiments_launched", 2021, 5.0, "")])
    t = indicators_at_quarter(ind, "2022T2").set_index("indicator")
    assert t.loc["axis4_experiments_launched", ["target", "status"]].tolist() == [5.0, "green"]
    early = indicators_at_quarter(ind, "2018T4").set_index("indicator")
    assert early.loc["axis4_experiments_launched", "status"] == "not_due"  # the 2021 value is in the future


def test_savings_to_date_complete_years_only():
    v = pd.DataFrame({"lever": ["dematerialisation", "dematerialisation", "user_support"],
                      "year": [2019, 2020, 2020], "planned_keur": [142.5, 285.0, 28.5],
                      "actual_keur": [116.0, 300.0, 28.5]})
    t = savings_to_date(v, "2020T3").set_index("lever")
    # 2019 only (2020 is not complete at 2020T3): 116 against 142.5, gap -26.5 (-18.6 %)
    assert t.loc["total", ["planned_keur", "actual_keur", "variance_keur"]].tolist() == [142.5, 116.0, -26.5]
    assert t.loc["total", "variance_pct"] == pytest.approx(-26.5 / 142.5)
    t4 = savings_to_date(v, "2020T4").set_index("lever")
    # at T4 the year counts: 142.5 + 285 + 28.5 = 456 planned, 116 + 300 + 28.5 = 444.5 realised
    assert t4.loc["total", ["planned_keur", "actual_keur"]].tolist() == [456.0, 444.5]
    assert t4["last_year"].tolist() == [2020, 2020, 2020]


def test_check_quarter_bounds_and_forms():
    assert str(check_quarter("2020Q3")) == "2020Q3" and str(check_quarter("2020-T3")) == "2020Q3"
    with pytest.raises(ParameterError) as exc:
        check_quarter("2018T2")
    assert "2018T3" in exc.value.message_in("fr") and "hors du contrat" in exc.value.message_in("fr")
    with pytest.raises(ParameterError):
        check_quarter("2023T1")
    with pytest.raises(SchemaError) as bad:
        check_quarter("2020T5")
    assert "trimestre attendu" in bad.value.message_in("fr")


@pytest.mark.parametrize("quarter", ["2020T3", "2021T4"])
def test_restes_a_payer_card_warns_when_cp_exceed_ae(quarter):
    from incubo_analysis.monitoring.quarterly import quarterly_tables, validate_quarterly_inputs
    from incubo_analysis.monitoring.reader import read_actuals
    from incubo_analysis.outputs.quarterly import quarterly_cards_html

    # independent sum on the workbook: AE consumed minus CP paid, every line, up to the quarter's end
    credits = read_actuals(EXAMPLE_ACTUALS).credits
    year, q = int(quarter[:4]), int(quarter[-1])
    upto = credits[(credits["year"] < year) | ((credits["year"] == year) & (credits["quarter"] <= q))]
    rap = float(upto["ae_keur"].sum() - upto["cp_keur"].sum())
    inputs = validate_quarterly_inputs(quarter=quarter, actuals=EXAMPLE_ACTUALS)
    tables = quarterly_tables(inputs)
    assert tables["credits_to_date"]["remaining_to_pay_keur"].sum() == pytest.approx(rap)
    html = quarterly_cards_html(inputs, tables)
    assert ("plus de CP payés que d" in html) == (rap < 0)  # (the apostrophe is escaped in HTML)

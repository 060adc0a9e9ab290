"""Plan versus actual: expected values worked out by hand (arithmetic in the comments)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incubo_analysis.errors import ParameterError
from incubo_analysis.model.params import baseline
from incubo_analysis.monitoring.reader import Actuals
from incubo_analysis.monitoring.variance import (
    CREDITS_QUARTERLY_COLUMNS,
    CREDITS_VARIANCE_COLUMNS,
    INDICATOR_STATUS_COLUMNS,
    SAVINGS_CUMULATIVE_COLUMNS,
    SAVINGS_VARIANCE_COLUMNS,
    credits_quarterly,
    credits_variance,
    indicator_status,
    savings_by_programme,
    savings_variance,
    savings_variance_cumulative,
)

NAN = float("nan")


def savings_frame(rows):
    """rows: (lever, year, etp_freed, unit_cost_keur or NaN, explanation)."""
    return pd.DataFrame(rows, columns=["lever", "year", "etp_freed", "unit_cost_keur", "explanation"]).astype(
        {"lever": "str", "year": "int64", "etp_freed": "float64", "unit_cost_keur": "float64",
         "explanation": "str"})


def credits_frame(rows):
    return pd.DataFrame(rows, columns=["axis", "title", "source", "year", "quarter", "ae_keur", "cp_keur"]).astype(
        {"axis": "int64", "title": "str", "source": "str", "year": "int64", "quarter": "int64",
         "ae_keur": "float64", "cp_keur": "float64"})


def indicators_frame(rows):
    return pd.DataFrame(rows, columns=["indicator", "year", "value", "comment"]).astype(
        {"indicator": "str", "year": "int64", "value": "float64", "comment": "str"})


def actuals(savings=(), credits=(), indicators=()):
    return Actuals(savings=savings_frame(list(savings)), credits=credits_frame(list(credits)),
                   indicators=indicators_frame(list(indicators)), path=None, sha256="")


def row(frame, **key):
    mask = np.ones(len(frame), dtype=bool)
    for k, v in key.items():
        mask &= (frame[k] == v).to_numpy()
    assert mask.sum() == 1, (key, mask.sum())
    return frame.loc[mask].iloc[0]


# --------------------------------------------------------------------------- #
# Savings
# --------------------------------------------------------------------------- #
def test_issue_case_volume_and_price():
    # Plan (baseline): dematerialisation 2019 = 20 FTE x 12.5 % = 2.5 FTE at 57 k€ = 142.5 k€.
    # Actual: 2.0 FTE at 58 k€ = 116 k€. Variance 116 - 142.5 = -26.5 k€
    # = volume (2.0 - 2.5) x 57 = -28.5  +  price 2.0 x (58 - 57) = +2.0.
    a = actuals([("dematerialisation", 2019, 2.0, 58.0, "")])
    v = savings_variance(a, baseline())
    assert list(v.columns) == list(SAVINGS_VARIANCE_COLUMNS)
    r = v.iloc[0]
    assert (r.planned_etp, r.actual_etp) == (2.5, 2.0)
    assert (r.planned_keur, r.actual_keur) == (142.5, 116.0)
    assert r.variance_keur == -26.5
    assert r.volume_effect_keur == -28.5 and r.price_effect_keur == 2.0
    assert r.variance_pct == pytest.approx(-26.5 / 142.5)
    assert bool(r.explanation_missing)  # |-18.6 %| > 10 % and no explanation


def test_blank_unit_cost_takes_the_plans():
    # user_support 2019: plan 3 x 12.5 % = 0.375 FTE; 0.4 FTE at the plan's 57 k€ = 22.8 k€.
    # volume (0.4 - 0.375) x 57 = 1.425; price 0.
    v = savings_variance(actuals([("user_support", 2019, 0.4, NAN, "")]))
    r = v.iloc[0]
    assert r.actual_keur == pytest.approx(22.8, abs=1e-12)
    assert r.volume_effect_keur == pytest.approx(1.425, abs=1e-12)
    assert r.price_effect_keur == 0.0
    assert not r.explanation_missing  # +6.7 %


def test_planned_unit_cost_grows_with_the_scenario():
    # 1.5 %/year from 2018: 2020 unit cost 57 x 1.015^2 = 58.722825 k€.
    # Plan 7.5 FTE -> 440.4211875 k€; actual 5 FTE at the plan's cost -> 293.614125 k€.
    gvt = baseline().model_copy(update={"unit_cost_growth": 0.015})
    r = savings_variance(actuals([("dematerialisation", 2020, 5.0, NAN, "retard")]), gvt).iloc[0]
    assert r.planned_keur == pytest.approx(7.5 * 58.722825, rel=1e-12)
    assert r.actual_keur == pytest.approx(5.0 * 58.722825, rel=1e-12)
    assert r.price_effect_keur == 0.0
    assert not r.explanation_missing  # -33 % but explained


def test_only_reported_lever_years_are_compared():
    a = actuals([("user_support", 2021, 1.0, NAN, ""), ("dematerialisation", 2019, 2.5, NAN, "")])
    v = savings_variance(a)
    assert list(zip(v["lever"], v["year"], strict=True)) == [("dematerialisation", 2019), ("user_support", 2021)]


def test_threshold_parameter_and_explanations():
    a = actuals([("dematerialisation", 2019, 2.0, 58.0, ""), ("user_support", 2019, 0.2, NAN, "  ")])
    # dematerialisation -18.6 %; user_support (0.2 - 0.375) / 0.375 = -46.7 % (whitespace = blank)
    assert savings_variance(a, threshold=0.10)["explanation_missing"].tolist() == [True, True]
    assert savings_variance(a, threshold=0.20)["explanation_missing"].tolist() == [False, True]
    explained = actuals([("dematerialisation", 2019, 2.0, 58.0, "retard de la vague")])
    assert savings_variance(explained)["explanation_missing"].tolist() == [False]
    with pytest.raises(ParameterError, match="threshold"):
        savings_variance(a, threshold=-0.1)


def test_nothing_planned_but_something_freed():
    # 2018: nothing planned (0 FTE); 1 FTE at 57 k€ -> variance +57 k€, all volume; % undefined,
    # flagged: any non-zero gap against a zero plan needs its explanation.
    r = savings_variance(actuals([("dematerialisation", 2018, 1.0, NAN, "")])).iloc[0]
    assert (r.planned_keur, r.actual_keur, r.variance_keur, r.volume_effect_keur) == (0.0, 57.0, 57.0, 57.0)
    assert math.isnan(r.variance_pct)
    assert r.explanation_missing


def test_empty_savings_give_an_empty_frame():
    v = savings_variance(actuals())
    assert v.empty and list(v.columns) == list(SAVINGS_VARIANCE_COLUMNS)


levers = st.sampled_from(["dematerialisation", "process_optimisation", "digital_tools_and_data", "user_support"])
amounts = st.floats(min_value=0.0, max_value=1e4, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(lever=levers, year=st.integers(2018, 2022), etp=amounts,
       cost=st.one_of(st.just(NAN), st.floats(min_value=0.01, max_value=500.0)),
       plan_cost=st.floats(min_value=1.0, max_value=500.0), realisation=st.floats(0.0, 1.0))
def test_volume_plus_price_is_the_variance(lever, year, etp, cost, plan_cost, realisation):
    scenario = baseline().model_copy(update={"unit_cost_keur": plan_cost, "realisation_rate": realisation})
    r = savings_variance(actuals([(lever, year, etp, cost, "")]), scenario).iloc[0]
    # the decomposition adds up exactly ...
    assert r.volume_effect_keur + r.price_effect_keur == r.variance_keur
    # ... and the variance is actual - planned, computed independently here:
    fte = {"dematerialisation": 20, "process_optimisation": 5, "digital_tools_and_data": 4, "user_support": 3}
    share = {2018: 0.0, 2019: 0.125, 2020: 0.375, 2021: 0.625, 2022: 1.0}[year]
    planned = fte[lever] * realisation * share * plan_cost
    actual = etp * (plan_cost if math.isnan(cost) else cost)
    assert r.planned_keur == pytest.approx(planned, rel=1e-12, abs=1e-9)
    assert r.actual_keur == pytest.approx(actual, rel=1e-12, abs=1e-9)
    assert r.variance_keur == pytest.approx(actual - planned, rel=1e-9, abs=1e-9)


def test_cumulative_to_date():
    # dematerialisation: 2019 plan 142.5 / actual 2.0 x 58 = 116; 2020 plan 427.5 / actual 5 x 57 = 285.
    # user_support 2020: plan 1.125 x 57 = 64.125 / actual 1.0 x 57 = 57.
    a = actuals([("dematerialisation", 2019, 2.0, 58.0, "x"), ("dematerialisation", 2020, 5.0, NAN, "x"),
                 ("user_support", 2020, 1.0, NAN, "")])
    c = savings_variance_cumulative(savings_variance(a))
    assert list(c.columns) == list(SAVINGS_CUMULATIVE_COLUMNS)
    d20 = row(c, lever="dematerialisation", year=2020)
    assert (d20.planned_keur, d20.actual_keur) == (142.5 + 427.5, 116.0 + 285.0)
    assert d20.variance_keur == pytest.approx(401.0 - 570.0)
    assert d20.volume_effect_keur == pytest.approx(-28.5 + (5.0 - 7.5) * 57)
    assert d20.price_effect_keur == pytest.approx(2.0)
    assert d20.variance_pct == pytest.approx(-169.0 / 570.0)
    t19, t20 = row(c, lever="total", year=2019), row(c, lever="total", year=2020)
    assert (t19.planned_keur, t19.actual_keur) == (142.5, 116.0)
    assert t20.planned_keur == pytest.approx(142.5 + 427.5 + 64.125)
    assert t20.actual_keur == pytest.approx(116.0 + 285.0 + 57.0)
    assert c["lever"].tolist() == ["dematerialisation", "dematerialisation", "user_support", "total", "total"]
    with pytest.raises(ParameterError, match="actual_keur"):
        savings_variance_cumulative(pd.DataFrame({"lever": [], "year": []}))


# --------------------------------------------------------------------------- #
# Credits
# --------------------------------------------------------------------------- #
PLAN = pd.DataFrame(
    [
        (1, "T3", "FTAP", "a", 2019, "AE", 100.0), (1, "T3", "FTAP", "b", 2019, "AE", 50.0),
        (1, "T3", "FTAP", "a", 2019, "CP", 80.0), (1, "T3", "FTAP", "b", 2019, "CP", 0.0),
        (1, "T3", "FTAP", "a", 2020, "AE", 60.0), (1, "T3", "FTAP", "a", 2020, "CP", 90.0),
        (2, "T2", "cofinancing", "c", 2018, "AE", 10.0), (2, "T2", "cofinancing", "c", 2018, "CP", 10.0),
        (2, "T2", "cofinancing", "c", 2019, "AE", 20.0), (2, "T2", "cofinancing", "c", 2019, "CP", 20.0),
        (2, "T2", "cofinancing", "c", 2020, "AE", 0.0), (2, "T2", "cofinancing", "c", 2020, "CP", 0.0),
    ],
    columns=["axis", "title", "source", "line", "year", "credit", "amount_keur"],
)
# Budget over the contract: AE 100 + 50 + 60 + 10 + 20 = 240; CP 80 + 90 + 10 + 20 = 200.
CREDITS = [
    (1, "T3", "FTAP", 2019, 1, 70.0, 20.0),
    (1, "T3", "FTAP", 2019, 2, 30.0, 40.0),
    (1, "T3", "FTAP", 2020, 1, 10.0, 5.0),
    (3, "T6", "FTAP", 2019, 4, 5.0, 5.0),  # a group with no plan
]


def test_credits_variance_by_hand():
    plan_before = PLAN.copy()
    v = credits_variance(actuals(credits=CREDITS), financing_plan=PLAN)
    pd.testing.assert_frame_equal(PLAN, plan_before)  # pure
    assert list(v.columns) == list(CREDITS_VARIANCE_COLUMNS)
    # Years 2019-2020 (reported); axis 2 in 2018 (before) and 2020 (plan 0, nothing reported) left out:
    # axis 1 x {2019, 2020} x {AE, CP} = 4, axis 2 x 2019 x 2 = 2, axis 3 (unplanned) x 2019 x 2 = 2 -> 8.
    assert len(v) == 8
    r = row(v, axis=1, year=2019, credit="AE")
    assert (r.planned_keur, r.actual_keur, r.variance_keur) == (150.0, 100.0, -50.0)
    assert r.consumption_rate == pytest.approx(100 / 150)
    assert r.share_of_budget == pytest.approx(100 / 240)
    r = row(v, axis=1, year=2019, credit="CP")
    assert (r.planned_keur, r.actual_keur, r.consumption_rate) == (80.0, 60.0, 0.75)
    assert r.share_of_budget == pytest.approx(60 / 200)
    r = row(v, axis=1, year=2020, credit="CP")
    assert (r.planned_keur, r.actual_keur) == (90.0, 5.0)
    r = row(v, axis=2, year=2019, credit="AE")  # planned, nothing reported: actual 0
    assert (r.planned_keur, r.actual_keur, r.variance_keur, r.consumption_rate) == (20.0, 0.0, -20.0, 0.0)
    r = row(v, axis=3, year=2019, credit="CP")  # reported, not planned
    assert (r.planned_keur, r.actual_keur) == (0.0, 5.0)
    assert math.isnan(r.consumption_rate)
    assert r.share_of_budget == pytest.approx(5 / 200)
    assert list(zip(v["axis"], v["year"], v["credit"], strict=True)) == [
        (1, 2019, "AE"), (1, 2019, "CP"), (1, 2020, "AE"), (1, 2020, "CP"),
        (2, 2019, "AE"), (2, 2019, "CP"), (3, 2019, "AE"), (3, 2019, "CP")]


def test_credits_variance_against_the_real_plan():
    # Axis 1, T3, FTAP, 2019 from the contract: 160 + 1 + 2.5 + 5 + 2.5 = 171 k€ of AE.
    v = credits_variance(actuals(credits=[(1, "T3", "FTAP", 2019, 1, 85.5, 0.0)]))
    r = row(v, axis=1, title="T3", source="FTAP", year=2019, credit="AE")
    assert r.planned_keur == 171.0 and r.consumption_rate == 0.5


def test_credits_quarterly_by_hand():
    q = credits_quarterly(actuals(credits=CREDITS), financing_plan=PLAN)
    assert list(q.columns) == list(CREDITS_QUARTERLY_COLUMNS)
    # quarters 2019Q1 .. 2020Q1 = 5, for 4 axes x 2 credits
    assert len(q) == 5 * 4 * 2
    a1 = q[(q["axis"] == 1) & (q["credit"] == "AE")]
    assert list(zip(a1["year"], a1["quarter"], strict=True)) == [(2019, 1), (2019, 2), (2019, 3), (2019, 4), (2020, 1)]
    assert a1["actual_keur"].tolist() == [70.0, 30.0, 0.0, 0.0, 10.0]
    assert a1["cumulated_keur"].tolist() == [70.0, 100.0, 100.0, 100.0, 110.0]
    assert a1["cumulated_share_of_budget"].tolist() == pytest.approx([70 / 240, 100 / 240, 100 / 240,
                                                                     100 / 240, 110 / 240])
    a3 = q[(q["axis"] == 3) & (q["credit"] == "CP")]
    assert a3["cumulated_keur"].tolist() == [0.0, 0.0, 0.0, 5.0, 5.0]
    assert q.loc[q["axis"] == 2, "actual_keur"].eq(0).all()


def test_credits_empty():
    assert credits_variance(actuals(), financing_plan=PLAN).empty
    assert credits_quarterly(actuals(), financing_plan=PLAN).empty


# --------------------------------------------------------------------------- #
# Indicators
# --------------------------------------------------------------------------- #
TARGETS = pd.DataFrame({
    "indicator": ["A", "A", "B", "C"],
    "axis": pd.array([1, 1, 1, 2], dtype="Int64"),
    "year": [2019, 2020, 2021, 2019],
    "target": [10.0, 20.0, 0.75, 4.0],
    "unit": ["count", "count", "share", "count"],
})


def test_indicator_status_thresholds():
    # A 2019: 9.5 / 10 = 0.95 -> green (>= 0.95); A 2020: 15 / 20 = 0.75 -> amber (>= 0.75);
    # C 2019: 2.9 / 4 = 0.725 -> red. B's target is for 2021: not yet due (last closed year 2020).
    a = actuals(savings=[("dematerialisation", 2020, 1.0, NAN, "")],
                indicators=[("A", 2019, 9.5, ""), ("A", 2020, 15.0, ""), ("C", 2019, 2.9, "")])
    s = indicator_status(a, targets=TARGETS)
    assert list(s.columns) == list(INDICATOR_STATUS_COLUMNS)
    assert list(zip(s["indicator"], s["year"], s["status"], strict=True)) == [
        ("A", 2019, "green"), ("A", 2020, "amber"), ("C", 2019, "red")]
    assert s["attainment"].tolist() == pytest.approx([0.95, 0.75, 0.725])
    # Stricter thresholds move A 2019 to amber and A 2020 to red.
    s2 = indicator_status(a, targets=TARGETS, green=0.99, amber=0.8)
    assert s2["status"].tolist() == ["amber", "red", "red"]


def test_indicator_due_but_not_reported_is_red():
    a = actuals(savings=[("dematerialisation", 2021, 1.0, NAN, "")], indicators=[("A", 2019, 10.0, "")])
    s = indicator_status(a, targets=TARGETS)
    b = row(s, indicator="B", year=2021)
    assert math.isnan(b.actual) and math.isnan(b.attainment) and b.status == "red"
    assert set(s["status"]) <= {"green", "amber", "red"}
    assert len(s) == 4  # every target up to 2021


def test_indicator_status_rejects_bad_thresholds():
    with pytest.raises(ParameterError, match="amber <= green"):
        indicator_status(actuals(), green=0.7, amber=0.8, targets=TARGETS)


def test_indicator_status_with_the_contract_targets():
    # axis3_agents_trained 2020: 1 600 / 1 500 = 1.067 -> green; axis1_processing_time_reduction
    # 2021: 0.35 / 0.50 = 0.70 -> red (a reduction: higher is better).
    a = actuals(indicators=[("axis3_agents_trained", 2020, 1600.0, ""),
                            ("axis1_processing_time_reduction", 2021, 0.35, "")])
    s = indicator_status(a)
    assert row(s, indicator="axis3_agents_trained", year=2020).status == "green"
    r = row(s, indicator="axis1_processing_time_reduction", year=2021)
    assert r.attainment == pytest.approx(0.7) and r.status == "red"


# --------------------------------------------------------------------------- #
# Programmes
# --------------------------------------------------------------------------- #
def test_savings_by_programme_thirds():
    # 2019: 2.0 x 58 + 0.4 x 57 = 116 + 22.8 = 138.8 k€ -> 46.2667 k€ each.
    a = actuals([("dematerialisation", 2019, 2.0, 58.0, "x"), ("user_support", 2019, 0.4, NAN, "")])
    p = savings_by_programme(a)
    # an old workbook (no ledger columns): every row split in thirds, labelled so
    assert list(p.columns) == ["year", "programme", "share", "actual_keur", "basis"]
    assert p["programme"].tolist() == ["interieur", "dreal", "other_bops"]
    assert set(p["basis"]) == {"indicative_thirds"}
    assert p["share"].tolist() == pytest.approx([1 / 3] * 3)
    assert p["actual_keur"].tolist() == pytest.approx([138.8 / 3] * 3)
    assert p["actual_keur"].sum() == pytest.approx(138.8)
    same = savings_by_programme(savings_variance(a))
    pd.testing.assert_frame_equal(p, same)
    with pytest.raises(ParameterError, match="actual_keur"):
        savings_by_programme(pd.DataFrame({"year": [2019]}))


def test_functions_do_not_modify_their_inputs():
    a = actuals([("dematerialisation", 2019, 2.0, 58.0, "")], CREDITS, [("A", 2019, 9.5, "")])
    copies = [a.savings.copy(), a.credits.copy(), a.indicators.copy()]
    v = savings_variance(a)
    v_copy = v.copy()
    savings_variance_cumulative(v)
    savings_by_programme(v)
    credits_variance(a, financing_plan=PLAN)
    credits_quarterly(a, financing_plan=PLAN)
    indicator_status(a, targets=TARGETS)
    for before, after in zip(copies, [a.savings, a.credits, a.indicators], strict=True):
        pd.testing.assert_frame_equal(before, after)
    pd.testing.assert_frame_equal(v, v_copy)


def test_example_workbook_variance():
    """The FICTIF example's figures, recomputed by hand from tools/example_actuals.py."""
    from incubo_analysis.monitoring.reader import read_actuals
    from incubo_analysis.paths import EXAMPLE_ACTUALS

    a = read_actuals(EXAMPLE_ACTUALS)
    v = savings_variance(a)
    # dematerialisation 2021: 11 FTE at 58 = 638 vs 12.5 x 57 = 712.5 -> -74.5 k€
    # = volume (11 - 12.5) x 57 = -85.5 + price 11 x (58 - 57) = +11.
    r = row(v, lever="dematerialisation", year=2021)
    assert (r.actual_keur, r.planned_keur) == (638.0, 712.5)
    assert r.volume_effect_keur == -85.5 and r.price_effect_keur == 11.0
    # the only unexplained gap beyond 10 %: process_optimisation 2021, 2.75 vs 3.125 FTE = -12 %
    flagged = v[v["explanation_missing"]]
    assert list(zip(flagged["lever"], flagged["year"], strict=True)) == [("process_optimisation", 2021)]
    assert flagged["variance_pct"].iloc[0] == pytest.approx(-0.12)
    s = indicator_status(a)
    assert set(s["status"]) == {"green", "amber", "red"}

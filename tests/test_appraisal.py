"""Appraisal metrics: outside oracles (Green Book 2003 Box 15, numpy-financial) and hand values."""

from __future__ import annotations

import math

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest

from incubo_analysis.contract.loaders import load_financing_plan
from incubo_analysis.model.appraisal import (
    METRICS,
    cashflows,
    cost_plan,
    discount_factors,
    metrics,
    present_value,
)
from incubo_analysis.model.params import baseline, scenario_from_mapping


def _plan(cp_by_year: dict[int, float], source: str = "FTAP", ae_year: int | None = None) -> pd.DataFrame:
    """A minimal financing plan: one line, CP by year (k€); AE = CP unless ``ae_year``."""
    rows = []
    for y, v in cp_by_year.items():
        rows.append({"source": source, "year": y, "credit": "CP", "amount_keur": float(v)})
        ae = float(v) if ae_year is None else (float(sum(cp_by_year.values())) if y == ae_year else 0.0)
        rows.append({"source": source, "year": y, "credit": "AE", "amount_keur": ae})
    return pd.DataFrame(rows)


def _value(df: pd.DataFrame, metric: str, scenario: str | None = None) -> float:
    sel = df["metric"] == metric
    if scenario is not None:
        sel &= df["scenario"] == scenario
    return float(df.loc[sel, "value"].iloc[0])


# --------------------------------------------------------------------------- #
# Green Book (2003) Box 15: cost £1m at t = 0, staff savings for 10 years at 3.5 %
# --------------------------------------------------------------------------- #


def _box15(annual_saving_k: float):
    # savings from year 1 to 10 (phasing reaches 100 % in year 1), cost at t = 0 (year 0)
    s = scenario_from_mapping({
        "name": "box15", "base_year": 2000, "horizon_end": 2010, "phasing": {2001: 1.0},
        "etp": {"dematerialisation": 1, "process_optimisation": 0, "digital_tools_and_data": 0,
                "user_support": 0},
        "unit_cost_keur": annual_saving_k, "discount_rate": 0.035,
    })
    return metrics(s, plan=_plan({2000: 1000.0}))


def test_green_book_box15_npv_plus_247k():
    # 15 staff: £150k a year; NPV = 150 x (1 - 1.035^-10) / 0.035 - 1000 = +247.5 (printed +£247k)
    annuity = (1 - 1.035**-10) / 0.035
    assert 150 * annuity - 1000 == pytest.approx(247.49, abs=0.01)
    assert math.floor(_value(_box15(150.0), "npv_keur")) == 247


def test_green_book_box15_ten_staff_minus_168k():
    # 10 staff instead of 15: £100k a year; NPV = 100 x 8.3166 - 1000 = -168.3 (printed -£168k)
    assert round(_value(_box15(100.0), "npv_keur")) == -168


def test_present_value_box15():
    assert round(present_value([-1000] + [150] * 10, range(11), 0, 0.035)) == 247


def test_npv_matches_numpy_financial_t0_convention():
    # numpy_financial.npv discounts nothing at t = 0: our base year is its first cash flow
    cf = cashflows(baseline())
    net = (cf["savings_keur"] - cf["cost_total_keur"]).to_numpy()
    assert _value(metrics(baseline()), "npv_keur") == pytest.approx(npf.npv(0.032, net), rel=1e-12)


def test_npv_matches_numpy_financial_other_rate_and_horizon():
    s = baseline().replace(discount_rate=0.035, horizon_end=2026, realisation_rate=0.8)
    cf = cashflows(s)
    net = (cf["savings_keur"] - cf["cost_total_keur"]).to_numpy()
    assert _value(metrics(s), "npv_keur") == pytest.approx(npf.npv(0.035, net), rel=1e-12)


def test_discount_factors():
    np.testing.assert_allclose(discount_factors([2018, 2020], 2018, 0.045), [1.0, 1 / 1.045**2])


# --------------------------------------------------------------------------- #
# the contract baseline, by hand
# --------------------------------------------------------------------------- #

# FTAP CP per year, summed by hand from the contract's FTAP lines (section 2):
# 2019: 171 + 108 + 36 + 50 + 85 + 25 = 475; 2020: 133.5 + 105.5 + 58.5 + 50 + 82.5 + 25 = 455;
# 2021: 101 + 108 + 36 + 60 = 305; total 1 235 k€ (405.5 + 321.5 + 230.5 + 277.5).
FTAP_CP = {2018: 0.0, 2019: 475.0, 2020: 455.0, 2021: 305.0, 2022: 0.0}
SAVINGS = {2018: 0.0, 2019: 228.0, 2020: 684.0, 2021: 1140.0, 2022: 1824.0}


def _all_cp() -> float:
    plan = load_financing_plan()
    return float(plan.loc[plan["credit"] == "CP", "amount_keur"].sum())


def test_baseline_metrics_by_hand():
    m = metrics(baseline())
    assert list(m.columns) == ["scenario", "metric", "value"]
    assert list(m["metric"]) == list(METRICS)
    assert _value(m, "total_savings_keur") == 3876.0  # 228 + 684 + 1140 + 1824
    assert _value(m, "run_rate_keur") == 1824.0
    assert _value(m, "roi_ftap") == pytest.approx(3876 / 1235)  # 3.14
    assert _value(m, "roi_total") == pytest.approx(3876 / _all_cp())
    # cumulated savings 912 < cumulated FTAP CP 930 in 2020; 2052 >= 1235 in 2021
    assert _value(m, "payback_year_ftap") == 2021
    # 2021: 2052 < all CP to date (> 2 600 k€); 2022: 3876 >= all CP
    assert _value(m, "payback_year_total") == 2022
    # doctrine, commitment reading: FTAP money committed in 2018 (AE) -> savings of 2021 / FTAP CP = 1140 / 1235;
    # (every reading: tests/test_doctrine.py); no verdict metric and no alias any more
    assert _value(m, "ftap_doctrine_ratio_commitment") == pytest.approx(1140 / 1235)
    assert not {"ftap_doctrine_ratio", "ftap_doctrine_met"} & set(m["metric"])
    assert "ftap_doctrine_met" not in set(m["metric"]) and "ftap_doctrine_year" not in set(m["metric"])


def test_cost_plan_ftap_by_year():
    c = cost_plan()
    got = dict(zip(c.years.tolist(), c.ftap_cp.tolist(), strict=True))
    assert got == FTAP_CP
    assert c.first_ftap_commitment == 2018


def test_cashflows_columns_and_cumulated_sums():
    cf = cashflows(baseline())
    assert list(cf.columns) == ["year", "savings_keur", "cost_ftap_keur", "cost_total_keur", "discount_factor",
                                "cum_savings_keur", "cum_cost_ftap_keur", "cum_cost_total_keur", "cost_running_keur"]
    assert cf["year"].tolist() == [2018, 2019, 2020, 2021, 2022]
    assert cf["savings_keur"].tolist() == list(SAVINGS.values())
    assert cf["cost_ftap_keur"].tolist() == list(FTAP_CP.values())
    assert cf["cum_savings_keur"].tolist() == [0, 228, 912, 2052, 3876]
    assert cf["cum_cost_ftap_keur"].tolist() == [0, 475, 930, 1235, 1235]
    assert cf["cost_total_keur"].iloc[-1] == 0.0  # no cost in 2022
    assert cf["discount_factor"].iloc[2] == pytest.approx(1 / 1.032**2)  # 3.2 %, two years after 2018
    assert cf["cost_running_keur"].tolist() == [0.0] * 5


def test_costs_after_the_plan_are_zero():
    cf = cashflows(baseline().replace(horizon_end=2026))
    assert cf["cost_total_keur"].iloc[5:].tolist() == [0.0] * 4


def test_roi_ftap_reading_flatters_the_project():
    m = metrics(baseline())
    assert _value(m, "roi_ftap") > _value(m, "roi_total")


# --------------------------------------------------------------------------- #
# payback rules, on minimal plans
# --------------------------------------------------------------------------- #


def test_payback_waits_until_money_has_been_spent():
    # no cost before 2020: 2018-2019 (0 >= 0) must not count as payback
    s = scenario_from_mapping({"phasing": {2019: 1.0}, "etp": {"dematerialisation": 1, "process_optimisation": 0,
                               "digital_tools_and_data": 0, "user_support": 0}, "unit_cost_keur": 100})
    m = metrics(s, plan=_plan({2018: 0, 2019: 0, 2020: 150, 2021: 0, 2022: 0}))
    # cumulated savings 2020: 100 + 100 = 200 >= 150
    assert _value(m, "payback_year_ftap") == 2020


def test_payback_is_nan_when_never_within_horizon():
    m = metrics(baseline().replace(realisation_rate=0.1))  # 387.6 k€ < 1 235
    assert math.isnan(_value(m, "payback_year_ftap"))
    assert math.isnan(_value(m, "payback_year_total"))


def test_payback_on_the_year_savings_equal_costs():
    s = scenario_from_mapping({"phasing": {2019: 1.0}, "etp": {"dematerialisation": 1, "process_optimisation": 0,
                               "digital_tools_and_data": 0, "user_support": 0}, "unit_cost_keur": 100})
    m = metrics(s, plan=_plan({2019: 200}))
    assert _value(m, "payback_year_ftap") == 2020  # 100, then 200 = 200


# --------------------------------------------------------------------------- #
# switching values: checked by re-evaluating the model at the value found
# --------------------------------------------------------------------------- #


def test_switching_values_zero_the_npv_and_bring_roi_to_one():
    b = baseline()
    m = metrics(b)
    r = _value(m, "switch_realisation_npv0")
    u = _value(m, "switch_unit_cost_npv0")
    d = _value(m, "switch_delay_npv0")
    assert 0 < r < 1 and 0 < u < 57 and 0 < d < 1
    for s in (b.replace(realisation_rate=r), b.replace(unit_cost_keur=u), b.replace(delay_years=d)):
        assert _value(metrics(s), "npv_keur") == pytest.approx(0.0, abs=1e-6)
    r1 = _value(m, "switch_realisation_roi1")
    assert r1 == pytest.approx(_all_cp() / 3876)  # roi_total = 3876 r / all CP = 1
    for s in (b.replace(realisation_rate=r1), b.replace(unit_cost_keur=_value(m, "switch_unit_cost_roi1")),
              b.replace(delay_years=_value(m, "switch_delay_roi1"))):
        assert _value(metrics(s), "roi_total") == pytest.approx(1.0, abs=1e-9)


def test_switching_values_nan_when_out_of_range():
    # optimism bias: NPV < 0 even at full realisation and no extra delay
    m = metrics(scenario_from_mapping({"delay_years": 2.16, "realisation_rate": 0.8}))
    assert math.isnan(_value(m, "switch_realisation_npv0"))
    assert _value(m, "npv_keur") < 0
    assert _value(m, "switch_delay_npv0") < 2.16  # the delay at which NPV = 0 is below the one assumed


def test_switching_delay_is_nan_when_no_savings():
    m = metrics(baseline().replace(realisation_rate=0.0))
    assert math.isnan(_value(m, "switch_delay_npv0"))
    assert math.isnan(_value(m, "switch_unit_cost_npv0"))


# --------------------------------------------------------------------------- #
# batch, purity, display
# --------------------------------------------------------------------------- #


def test_batch_equals_one_by_one():
    scen = [baseline(), baseline().replace(name="late", delay_years=1, discount_rate=0.035),
            baseline().replace(name="long", horizon_end=2026, unit_cost_growth=0.015)]
    batch = metrics(scen)
    for s in scen:
        one = metrics(s)
        got = batch.loc[batch["scenario"] == s.name, "value"].to_numpy()
        np.testing.assert_allclose(got, one["value"].to_numpy(), rtol=1e-9, equal_nan=True)


def test_metrics_do_not_modify_the_plan_given():
    plan = load_financing_plan()
    before = plan.copy()
    metrics(baseline(), plan=plan)
    pd.testing.assert_frame_equal(plan, before)


def test_metrics_display_table_wide_in_french_and_english():
    """The display of the metrics lives in outputs (model does not import outputs)."""
    from incubo_analysis.outputs.tables import metrics_comparison

    t = metrics_comparison(metrics([baseline(), baseline().replace(name="realisation_75", realisation_rate=0.75)]))
    assert t.shape == (len(METRICS), 2)
    # baseline NPV at 3.2 %: -184 - 674/1.032 - 188/1.032^2 + 418/1.032^3 + 1824/1.032^4 = 974.76 (k€)
    assert t.loc["VAN (k€)"].iloc[0].startswith("974,8")
    te = metrics_comparison(metrics(baseline()), lang="en")
    assert "NPV (k€)" in te.index

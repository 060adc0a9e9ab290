"""Monte Carlo and tornado: reproducibility, degenerate distributions as oracles, hand values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incubo_analysis.errors import ParameterError
from incubo_analysis.model.appraisal import CORE_METRICS, metrics
from incubo_analysis.model.params import Triangular, baseline, load_scenario, scenario_from_mapping
from incubo_analysis.model.uncertainty import BLOCK, _discrete_stats, monte_carlo, tornado
from incubo_analysis.paths import PARAMS_DIR

UNCERTAIN = load_scenario(PARAMS_DIR / "uncertainty.yaml")


def _with(unc: dict, **kw):
    return scenario_from_mapping({"name": "u", "uncertainty": unc, **kw})


def test_result_frames_have_the_fixed_columns():
    r = monte_carlo(UNCERTAIN, 2000, 1)
    assert list(r.summary.columns) == ["metric", "mean", "p10", "p50", "p90"]
    assert list(r.summary["metric"]) == list(CORE_METRICS)
    assert list(r.savings.columns) == ["year", "mean", "p10", "p50", "p90",
                                       "cum_mean", "cum_p10", "cum_p50", "cum_p90"]
    assert r.savings["year"].tolist() == [2018, 2019, 2020, 2021, 2022]
    assert list(r.probabilities.columns) == ["target", "target_keur", "probability"]
    assert r.probabilities["target"].tolist() == ["ftap_money", "contract_1_3_meur", "all_public_money"]
    assert r.probabilities["target_keur"].iloc[:2].tolist() == [1235.0, 1300.0]


def test_same_seed_same_results_whatever_the_chunk_and_threads():
    n = BLOCK + 123  # two blocks, the last one partial
    a = monte_carlo(UNCERTAIN, n, 7)
    b = monte_carlo(UNCERTAIN, n, 7, chunk=BLOCK, workers=2)
    c = monte_carlo(UNCERTAIN, n, 7, chunk=10 * BLOCK, workers=1)
    for x in (b, c):
        pd.testing.assert_frame_equal(a.summary, x.summary, check_exact=True)
        pd.testing.assert_frame_equal(a.savings, x.savings, check_exact=True)
        pd.testing.assert_frame_equal(a.probabilities, x.probabilities, check_exact=True)


def test_other_seed_other_results():
    a = monte_carlo(UNCERTAIN, 5000, 1).summary
    b = monte_carlo(UNCERTAIN, 5000, 2).summary
    assert not a.equals(b)


@pytest.mark.parametrize("extra", [{}, {"horizon_end": 2019}, {"horizon_end": 2026, "discount_rate": 0.035}])
def test_degenerate_distribution_reproduces_the_deterministic_metrics(extra):
    # realisation fixed at 0.75 through a zero-width uniform: every draw is the 75 % scenario
    s = _with({"realisation_rate": {"dist": "uniform", "low": 0.75, "high": 0.75}}, **extra)
    r = monte_carlo(s, 1000, 3).summary.set_index("metric")
    det = metrics(baseline().replace(name="r75", realisation_rate=0.75, **extra)).set_index("metric")["value"]
    for m in CORE_METRICS:
        for col in ("mean", "p10", "p50", "p90"):
            if math.isnan(det[m]):
                assert math.isnan(r.loc[m, col])
            else:
                assert r.loc[m, col] == pytest.approx(det[m], rel=1e-12), (m, col)


def test_uniform_realisation_percentiles_by_hand():
    # total savings = 3 876 x realisation, realisation ~ U(0.5, 1):
    # P10 = 3876 x 0.55 = 2131.8, P50 = 3876 x 0.75 = 2907, P90 = 3876 x 0.95 = 3682.2
    s = _with({"realisation_rate": {"dist": "uniform", "low": 0.5, "high": 1.0}})
    r = monte_carlo(s, 200_000, 11).summary.set_index("metric").loc["total_savings_keur"]
    assert r["p10"] == pytest.approx(2131.8, rel=0.005)
    assert r["p50"] == pytest.approx(2907.0, rel=0.005)
    assert r["p90"] == pytest.approx(3682.2, rel=0.005)
    assert r["mean"] == pytest.approx(2907.0, rel=0.005)


def test_discrete_realisation_probability_by_hand():
    # realisation 0.5 (weight 1) or 1.0 (weight 3): all public money is reached only at 1.0
    # (0.5 x 3876 = 1938 < all CP; 3876 >= all CP): probability 3/4
    s = _with({"realisation_rate": {"dist": "discrete", "values": [0.5, 1.0], "weights": [1, 3]}})
    p = monte_carlo(s, 40_000, 5).probabilities.set_index("target")["probability"]
    assert p["all_public_money"] == pytest.approx(0.75, abs=0.015)  # sd = sqrt(.75 x .25 / 40000) = 0.002
    assert p["ftap_money"] == 1.0  # 1938 >= 1235 in every draw


def test_normal_draws_are_clipped_to_the_domain():
    s = _with({"realisation_rate": {"dist": "normal", "mean": 1.0, "sd": 0.5}})
    r = monte_carlo(s, 20_000, 9).summary.set_index("metric")
    assert r.loc["total_savings_keur", "p90"] <= 3876.0 + 1e-9  # realisation <= 1
    assert r.loc["total_savings_keur", "p10"] >= 0.0


def test_triangular_percentiles_by_hand():
    d = Triangular(dist="triangular", low=50, mode=57, high=62)
    lo, hi = d.p10_p90()
    # P10 = a + sqrt(0.1 (b - a)(c - a)) = 50 + sqrt(0.1 x 12 x 7); P90 = b - sqrt(0.1 (b - a)(b - c))
    assert lo == pytest.approx(50 + math.sqrt(8.4))
    assert hi == pytest.approx(62 - math.sqrt(0.1 * 12 * 5))


def test_payback_quantile_is_nan_when_too_many_draws_never_pay_back():
    # realisation 0.1 (never pays back FTAP money) in 50 % of draws
    s = _with({"realisation_rate": {"dist": "discrete", "values": [0.1, 1.0]}})
    r = monte_carlo(s, 10_000, 4).summary.set_index("metric").loc["payback_year_ftap"]
    assert r["p10"] == 2021.0
    assert math.isnan(r["p90"])
    assert r["mean"] == 2021.0  # mean over the draws that pay back


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(2019, 2026), min_size=1, max_size=60))
def test_discrete_quantiles_equal_numpy_quantiles(values):
    row = np.asarray(values, dtype=float)
    mean, p10, p50, p90 = _discrete_stats(row)
    np.testing.assert_allclose([p10, p50, p90], np.quantile(row, [0.1, 0.5, 0.9]), rtol=0, atol=1e-9)
    assert mean == pytest.approx(row.mean())


def test_monte_carlo_refusals():
    with pytest.raises(ParameterError, match="uncertainty"):
        monte_carlo(baseline(), 100, 1)
    with pytest.raises(ParameterError, match="draws"):
        monte_carlo(UNCERTAIN, 0, 1)
    with pytest.raises(ParameterError, match="seed"):
        monte_carlo(UNCERTAIN, 10, -1)


# --------------------------------------------------------------------------- #
# tornado
# --------------------------------------------------------------------------- #


def test_tornado_columns_order_and_values():
    t = tornado(UNCERTAIN)
    assert list(t.columns) == ["parameter", "low", "high", "metric", "base_value",
                               "value_at_low", "value_at_high", "swing"]
    assert set(t["parameter"]) == set(UNCERTAIN.uncertainty)
    assert t["swing"].is_monotonic_decreasing
    base = metrics(UNCERTAIN).set_index("metric")["value"]["npv_keur"]
    assert (t["base_value"] == base).all()
    row = t.set_index("parameter").loc["realisation_rate"]
    assert (row["low"], row["high"]) == pytest.approx((0.55, 0.95))  # P10 / P90 of U(0.5, 1)
    at_low = metrics(UNCERTAIN.replace(realisation_rate=0.55)).set_index("metric")["value"]["npv_keur"]
    assert row["value_at_low"] == pytest.approx(at_low)
    assert row["swing"] == pytest.approx(abs(row["value_at_high"] - row["value_at_low"]))


def test_tornado_discrete_delay_uses_lower_quantiles():
    # delay 0 / 0.5 / 1 / 2 with weights 0.4 / 0.3 / 0.2 / 0.1: P10 = 0, P90 = 1
    row = tornado(UNCERTAIN).set_index("parameter").loc["delay_years"]
    assert (row["low"], row["high"]) == (0.0, 1.0)


def test_tornado_on_lever_fte_and_other_metric():
    s = _with({"etp.dematerialisation": {"dist": "uniform", "low": 10, "high": 20}})
    t = tornado(s, "total_savings_keur")
    # P10 = 11, P90 = 19 FTE: total savings change by 8 FTE x 57 k€ x (0.125 + 0.375 + 0.625 + 1) = 969
    assert t["swing"].iloc[0] == pytest.approx(8 * 57 * 2.125)


def test_tornado_refusals():
    with pytest.raises(ParameterError, match="uncertainty"):
        tornado(baseline())
    with pytest.raises(ParameterError, match="metric"):
        tornado(UNCERTAIN, "irr")


@pytest.mark.parametrize("unc,extra", [
    (None, {}),
    (None, {"lever_delay_years": {"dematerialisation": 1}, "horizon_end": 2026}),
    ({"etp.user_support": {"dist": "uniform", "low": 0, "high": 6},
      "discount_rate": {"dist": "uniform", "low": 0.02, "high": 0.06}}, {"base_year": 2017, "horizon_end": 2019}),
])
def test_year_major_kernel_equals_the_reference_model(unc, extra):
    # the Monte Carlo kernel and savings.annual_totals / appraisal.metrics_arrays agree draw by draw
    from incubo_analysis.model.appraisal import cost_plan, metrics_arrays
    from incubo_analysis.model.params import UNCERTAIN_PARAMETERS
    from incubo_analysis.model.savings import annual_totals, scenario_arrays
    from incubo_analysis.model.uncertainty import (
        _npv_year_major,
        _payback_year_major,
        _with_draws,
        _year_major_totals,
        sample,
    )

    s = _with(unc or dict(UNCERTAIN.uncertainty), **extra)
    costs = cost_plan()
    base = scenario_arrays(s, hi_year=costs.first_ftap_commitment + 3)
    rng = np.random.default_rng(0)
    n = 500
    drawn = {p: sample(d, rng, n, UNCERTAIN_PARAMETERS[p]) for p, d in s.uncertainty.items()}
    grid = np.arange(s.base_year, max(s.horizon_end, costs.first_ftap_commitment + 3) + 1)
    fast = _year_major_totals(base, drawn, n, grid)
    ref_arrays = _with_draws(base, drawn, n)
    ref = annual_totals(ref_arrays, grid)
    np.testing.assert_allclose(fast.T, ref, rtol=1e-12, atol=1e-9)
    m = metrics_arrays(ref_arrays, costs, totals=ref, years=grid)
    horizon = np.arange(s.base_year, s.horizon_end + 1)
    ny = horizon.size
    f, t = costs.on(horizon)
    cum = np.cumsum(fast[:ny], axis=0)
    rate = drawn.get("discount_rate", s.discount_rate)
    np.testing.assert_allclose(_npv_year_major(fast[:ny], t, rate, (horizon - s.base_year).astype(float)),
                               m["npv_keur"], rtol=1e-10, atol=1e-7)
    np.testing.assert_array_equal(_payback_year_major(cum, np.cumsum(f), horizon), m["payback_year_ftap"])
    np.testing.assert_array_equal(_payback_year_major(cum, np.cumsum(t), horizon), m["payback_year_total"])


# --------------------------------------------------------------------------- #
# draws cap by memory (issue 9, deliverable 3)
# --------------------------------------------------------------------------- #


def test_memory_model_bounds_the_measured_peak():
    import tracemalloc

    from incubo_analysis.model.uncertainty import bytes_per_draw, memory_bytes

    assert bytes_per_draw(5) == 8 * (2 * 5 + 6)
    for s in (UNCERTAIN, UNCERTAIN.replace(base_year=2000, horizon_end=2010)):  # the second: doctrine year after
        monte_carlo(s, 100, 1)  # warm caches (contract plan) outside the measure
        tracemalloc.start()
        try:
            monte_carlo(s, 3 * BLOCK, 1)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak <= memory_bytes(s, 3 * BLOCK)
        # not a loose bound either: the per-draw stores are most of it
        assert peak >= 3 * BLOCK * 8 * 2 * len(s.years)


def test_max_draws_follows_the_horizon_and_the_budget():
    from incubo_analysis.model.uncertainty import MAX_DRAWS, MEMORY_BUDGET_MIB, max_draws, memory_bytes

    short, long_ = max_draws(UNCERTAIN), max_draws(UNCERTAIN.replace(horizon_end=2118))
    assert 0 < long_ < short <= MAX_DRAWS
    for s, cap in ((UNCERTAIN, short), (UNCERTAIN.replace(horizon_end=2118), long_)):
        assert memory_bytes(s, cap) <= MEMORY_BUDGET_MIB * 2**20 < memory_bytes(s, cap + 1)


def test_monte_carlo_refuses_draws_above_the_cap_before_allocating():
    from incubo_analysis.model.uncertainty import max_draws

    s = UNCERTAIN.replace(horizon_end=2118)
    with pytest.raises(ParameterError, match=r"draws: expected at most .* MiB"):
        monte_carlo(s, max_draws(s) + 1, 1)


def test_notebook_draws_parameter_is_capped():
    # notebook 03: `papermill -p draws 1000000000` tried 30 GiB; workflow.uncertainty_analysis
    # (what the notebook calls with its `draws`) now stops at once with the cap
    import time

    from incubo_analysis.model.uncertainty import max_draws
    from incubo_analysis.outputs.workflow import uncertainty_analysis

    t0 = time.perf_counter()
    cap = max_draws(UNCERTAIN)
    with pytest.raises(ParameterError, match=rf"draws \(notebook parameter\): expected at most {cap:_}"):
        uncertainty_analysis(baseline(), draws=1_000_000_000)
    assert time.perf_counter() - t0 < 5  # refused before any draw (a generous guard, not a speed test)
    for bad in (0, -3, True, 2.5):
        with pytest.raises(ParameterError, match="draws"):
            uncertainty_analysis(UNCERTAIN, draws=bad)

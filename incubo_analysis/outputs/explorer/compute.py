"""The explorer's model calls: one scenario's savings, cumulated cash flows and metrics, fast.

Only the one explored scenario is computed; its delay switching values come from the
library's bisection run on the exact piecewise-linear interpolation of the model
between delay breakpoints (:func:`switching_values_one`, about 1 ms instead of about
17 ms, same values).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from incubo_analysis.model import appraisal, params, savings

__all__ = ["ScenarioState", "compute_state", "switching_values_one"]


@dataclass(frozen=True)
class ScenarioState:
    """What the explorer shows of one scenario (arrays over its years).

    Attributes
    ----------
    years : ndarray of int
        Years from the base year to the horizon end.
    values : ndarray, shape (levers, years)
        Savings by lever (:data:`~incubo_analysis.contract.schema.LEVERS` order) and year, k€.
    cum_savings, cum_ftap, cum_total : ndarray
        Cumulated savings, FTAP CP and total CP (all sources) by year, k€.
    metrics : dict
        :data:`~incubo_analysis.model.appraisal.METRICS` name -> value (k€, ratios, years; NaN when undefined).
    """

    years: np.ndarray
    values: np.ndarray
    cum_savings: np.ndarray
    cum_ftap: np.ndarray
    cum_total: np.ndarray
    metrics: dict[str, float]


def compute_state(scenario: params.Scenario, costs: appraisal.CostPlan) -> ScenarioState:
    """Savings by lever and year, cumulated cash flows and metrics of one scenario.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.
    costs : CostPlan
        The financing plan's costs (:func:`incubo_analysis.model.appraisal.cost_plan`).

    Returns
    -------
    ScenarioState
    """
    a = savings.scenario_arrays(scenario, hi_year=costs.first_ftap_commitment + 3)
    years = np.asarray(scenario.years, dtype=np.int64)
    values = savings.savings_array(a, years)[0]  # (levers, years), k€
    m = appraisal.metrics_arrays(a, costs)
    m.update(switching_values_one(a, costs))
    ftap, total = costs.on(years)
    return ScenarioState(
        years=years,
        values=values,
        cum_savings=np.cumsum(values.sum(axis=0)),
        cum_ftap=np.cumsum(ftap),
        cum_total=np.cumsum(total),
        metrics={k: float(m[k][0]) for k in appraisal.METRICS},
    )


def _bisect(grid: np.ndarray, values: np.ndarray, hi: float) -> float:
    """The library's delay bisection on the linear interpolation of ``values`` over ``grid`` (years)."""
    lo, top = 0.0, hi
    first, last = float(np.interp(lo, grid, values)), float(np.interp(top, grid, values))
    valid = first >= 0 and last < 0  # NaN compares False, as in the library
    for _ in range(appraisal.BISECTION_STEPS):
        mid = 0.5 * (lo + top)
        if float(np.interp(mid, grid, values)) >= 0:
            lo = mid
        else:
            top = mid
    return 0.5 * (lo + top) if valid else float("nan")


def switching_values_one(a: savings.ScenarioArrays, costs: appraisal.CostPlan) -> dict[str, np.ndarray]:
    """:func:`~incubo_analysis.model.appraisal.switching_values` of ONE scenario, its delay bisection made cheap.

    Savings depend on the delay only through the phasing shares, linear
    interpolations of the phasing table at ``year - delay - lever delay``: between two
    consecutive breakpoints (delays ``k - lever delay`` modulo 1) the gaps that the
    bisection tests (PV of savings - PV of cost, k€; total savings / total CP - 1) are
    linear in the delay. They are evaluated exactly at every breakpoint of
    ``[0, horizon_end - base_year + 1]`` (years) in one vectorised call, and the
    library's bisection (same steps, same tests) then runs on their linear
    interpolation, which equals the model there: same values as the library (tests
    compare them). Several rows: the library's own function.
    """
    if a.n != 1:
        return appraisal.switching_values(a, costs)
    pv_s, pv_c, tot_s, tot_c = appraisal.present_value_parts(a, costs)
    out = appraisal.closed_form_switching_values(a, pv_s, pv_c, tot_s, tot_c)
    hi = float(a.horizon_end[0] - a.base_year[0] + 1)
    offsets = np.unique(np.concatenate([[0.0], np.mod(-a.lever_delay.reshape(-1), 1.0)]))
    grid = (np.arange(0.0, hi + 1.0)[:, None] + offsets[None, :]).reshape(-1)
    grid = np.unique(np.concatenate([grid[grid <= hi], [hi]]))
    m = grid.size
    rep = {
        f: np.repeat(getattr(a, f), m, axis=0)
        for f in ("etp", "realisation", "unit_cost", "growth", "base_year", "horizon_end", "discount_rate")
    }
    ps, _pc, ts, _tc = appraisal.present_value_parts(replace(a, delay=grid, **rep), costs)
    npv = ps - float(pv_c[0])
    tc = float(tot_c[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        roi = ts / tc - 1.0 if tc > 0 else np.full(m, np.nan)
    out["switch_delay_npv0"] = np.array([_bisect(grid, npv, hi)])
    out["switch_delay_roi1"] = np.array([_bisect(grid, roi, hi)])
    return out

"""Appraisal of savings scenarios: NPV, ROI both ways, payback, FTAP doctrine, switching values.

Conventions
-----------
* Amounts in k€. Savings come from :mod:`incubo_analysis.model.savings`; costs are
  the payment appropriations (CP) of the contract's financing plan
  (:func:`incubo_analysis.contract.loaders.load_financing_plan`): FTAP lines for the
  FTAP ratios, FTAP + co-financing lines for the NPV and the total ratios.
  Only years ``base_year .. horizon_end`` are counted; the plan has no cost
  after 2022.
* Discounting: the amount of year *t* is weighted ``1 / (1 + r) ** (t - base_year)``:
  the base year is *t = 0* and is not discounted, as in ``numpy_financial.npv``
  (whose first cash flow is at t = 0) and in the Green Book (2003) Box 15
  example (cost at t = 0, savings at the end of years 1..10). A spreadsheet's
  ``NPV()`` discounts its first value by one period: it is *not* this convention.
* ``roi_ftap`` = total savings / FTAP CP; ``roi_total`` = total savings / all CP
  (undiscounted, over the horizon). The Cour des comptes found the FTAP's ratio
  worth 1.5 on FTAP money but 0.53 on all public money: both are shown.
* Payback year: the first year, once that money has begun to be spent
  (cumulated CP > 0), in which cumulated savings reach cumulated CP; NaN when
  never within the horizon.
* FTAP doctrine ("un euro engagé entraîne un euro d'économie au bout de trois
  ans"): ``ftap_doctrine_ratio`` = savings of the year ``Y0 + 3`` / FTAP CP
  over the horizon, where ``Y0`` is the first year with FTAP money committed
  (FTAP AE > 0: 2018 in the contract, so 2021); ``ftap_doctrine_met`` = 1.0
  when the ratio >= 1, else 0.0; ``ftap_doctrine_year`` = ``Y0 + 3``. The model
  is evaluated in that year even if it lies after ``horizon_end``.
* Switching values (NaN when no value in range): the realisation rate in
  [0, 1], the unit cost (k€/FTE in ``base_year``, >= 0) and the
  value of ``delay_years`` (in [0, horizon length + 1], fractional; lever delays kept)
  at which ``npv_keur`` = 0, resp. ``roi_total`` = 1. Savings are linear in the
  realisation rate and the unit cost (closed form); they fall with the delay
  (the phasing is non-decreasing), so the delay is found by bisection.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from incubo_analysis.model.params import Scenario
from incubo_analysis.model.savings import ScenarioArrays, annual_totals, as_scenario_list, scenario_arrays

__all__ = [
    "METRICS",
    "CORE_METRICS",
    "SWITCH_METRICS",
    "CostPlan",
    "cost_plan",
    "discount_factors",
    "present_value",
    "cashflows",
    "metrics",
    "metrics_arrays",
    "metric_values",
    "contract_stamp",
    "switching_values",
    "present_value_parts", "BISECTION_STEPS",
]

#: Metrics computed per draw (Monte Carlo) and per scenario.
CORE_METRICS: tuple[str, ...] = (
    "total_savings_keur",
    "run_rate_keur",
    "npv_keur",
    "roi_ftap",
    "roi_total",
    "payback_year_ftap",
    "payback_year_total",
    "ftap_doctrine_year",
    "ftap_doctrine_ratio",
    "ftap_doctrine_met",
)
#: Switching values (per scenario only; not computed per Monte Carlo draw).
SWITCH_METRICS: tuple[str, ...] = (
    "switch_realisation_npv0",
    "switch_unit_cost_npv0",
    "switch_delay_npv0",
    "switch_realisation_roi1",
    "switch_unit_cost_roi1",
    "switch_delay_roi1",
)
#: Every metric of :func:`metrics`, in output order.
METRICS: tuple[str, ...] = CORE_METRICS + SWITCH_METRICS

_BISECTION_STEPS = 60


@dataclass(frozen=True)
class CostPlan:
    """Project costs by year, k€ (CP), from the financing plan.

    Attributes
    ----------
    years : ndarray of int
    ftap_cp, total_cp : ndarray
        FTAP CP and all CP (FTAP + co-financing) of each year.
    first_ftap_commitment : int
        First year with FTAP AE > 0 (FTAP money committed).
    """

    years: np.ndarray
    ftap_cp: np.ndarray
    total_cp: np.ndarray
    first_ftap_commitment: int

    def on(self, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """FTAP and total CP on ``years`` (0 for years outside the plan)."""
        years = np.asarray(years, dtype=np.int64)
        pos = np.searchsorted(self.years, years)
        pos_c = np.clip(pos, 0, len(self.years) - 1)
        inside = (pos < len(self.years)) & (self.years[pos_c] == years)
        return (np.where(inside, self.ftap_cp[pos_c], 0.0), np.where(inside, self.total_cp[pos_c], 0.0))


def cost_plan(plan: pd.DataFrame | None = None) -> CostPlan:
    """Aggregate a financing plan (columns ``source``, ``year``, ``credit``, ``amount_keur``).

    Parameters
    ----------
    plan : DataFrame, optional
        Default: :func:`incubo_analysis.contract.loaders.load_financing_plan`.

    Examples
    --------
    >>> c = cost_plan()
    >>> float(c.ftap_cp.sum()), c.first_ftap_commitment
    (1235.0, 2018)
    """
    if plan is None:
        return _contract_cost_plan(contract_stamp())
    return _aggregate(plan)


def contract_stamp() -> tuple[tuple[str, int, int], ...]:
    """Identity of the contract files (name, mtime in ns, size in bytes).

    The cache key of everything derived from the contract files (the default
    cost plan, the contract's savings target): an edited file changes it.
    """
    from incubo_analysis.paths import CONTRACT_DIR

    out = []
    for p in sorted(CONTRACT_DIR.glob("*.csv")):
        st = p.stat()
        out.append((p.name, st.st_mtime_ns, st.st_size))
    return tuple(out)


@functools.lru_cache(maxsize=4)
def _contract_cost_plan(stamp: tuple) -> CostPlan:
    from incubo_analysis.contract.loaders import load_financing_plan

    return _aggregate(load_financing_plan())


def _aggregate(plan: pd.DataFrame) -> CostPlan:
    cp = plan.loc[plan["credit"] == "CP"]
    years = np.array(sorted(set(plan["year"].astype(int))), dtype=np.int64)
    total = cp.groupby("year")["amount_keur"].sum().reindex(years, fill_value=0.0)
    ftap = cp.loc[cp["source"] == "FTAP"].groupby("year")["amount_keur"].sum().reindex(years, fill_value=0.0)
    ae = plan.loc[(plan["credit"] == "AE") & (plan["source"] == "FTAP") & (plan["amount_keur"] > 0), "year"]
    if len(ae):
        first = int(ae.min())
    else:  # no AE given: the first year FTAP CP is paid
        paid = ftap[ftap > 0]
        first = int(paid.index.min()) if len(paid) else int(years.min())
    arrays = [years.copy(), ftap.to_numpy(dtype=float, copy=True), total.to_numpy(dtype=float, copy=True)]
    for arr in arrays:
        arr.flags.writeable = False  # the default plan is cached and shared
    return CostPlan(years=arrays[0], ftap_cp=arrays[1], total_cp=arrays[2], first_ftap_commitment=first)


def discount_factors(years: Iterable[int], base_year: int, rate: float) -> np.ndarray:
    """Weights ``1 / (1 + rate) ** (year - base_year)`` (base year undiscounted).

    Examples
    --------
    >>> discount_factors([2018, 2019, 2020], 2018, 0.045).round(6).tolist()
    [1.0, 0.956938, 0.91573]
    """
    years = np.asarray(list(years), dtype=float)
    return np.power(1.0 + rate, -(years - base_year))


def present_value(amounts: Iterable[float], years: Iterable[int], base_year: int, rate: float) -> float:
    """Present value in ``base_year`` of ``amounts`` paid in ``years`` (same unit as amounts).

    Examples
    --------
    Green Book (2003) Box 15: -£1m at t = 0, +£150k a year for 10 years, 3.5 %:

    >>> round(present_value([-1000] + [150] * 10, range(11), 0, 0.035))
    247
    """
    amounts = np.asarray(list(amounts), dtype=float)
    return float(np.sum(amounts * discount_factors(years, base_year, rate)))


def _grid(a: ScenarioArrays, costs: CostPlan) -> np.ndarray:
    lo = int(a.base_year.min())
    hi = int(max(a.horizon_end.max(), costs.first_ftap_commitment + 3))
    return np.arange(lo, hi + 1, dtype=np.int64)


def metrics_arrays(a: ScenarioArrays, costs: CostPlan, *, totals: np.ndarray | None = None,
                   years: np.ndarray | None = None, keep_cumulated: bool = False) -> dict[str, np.ndarray]:
    """Core metrics (:data:`CORE_METRICS`) of every row of ``a``, vectorised.

    Parameters
    ----------
    a : ScenarioArrays
    costs : CostPlan
    totals, years : ndarray, optional
        Savings per row and year (n, Y) on ``years`` if already computed;
        ``years`` must be consecutive and cover every row's horizon and the
        doctrine year.
    keep_cumulated : bool
        Also return ``"_cumulated"``: savings cumulated from ``base_year``
        (n, horizon years) when every row shares the same horizon.

    Returns
    -------
    dict metric -> ndarray (n,)
    """
    if years is None:
        years = _grid(a, costs)
    years = np.asarray(years, dtype=np.int64)
    if totals is None:
        totals = annual_totals(a, years)
    n = totals.shape[0]
    dyear = costs.first_ftap_commitment + 3
    dsav = totals[:, int(dyear - years[0])]
    b0, e0 = int(a.base_year[0]), int(a.horizon_end[0])
    if np.all(a.base_year == b0) and np.all(a.horizon_end == e0):
        h = _shared_horizon(a, costs, totals, years, keep_cumulated=keep_cumulated)
    else:
        h = _row_horizons(a, costs, totals, years)
    out: dict[str, np.ndarray] = {"_cumulated": h.cumulated} if h.cumulated is not None else {}
    with np.errstate(divide="ignore", invalid="ignore"):
        roi_f = np.where(h.sum_ftap > 0, h.total_savings / h.sum_ftap, np.nan)
        roi_t = np.where(h.sum_total > 0, h.total_savings / h.sum_total, np.nan)
        ratio = np.where(h.sum_ftap > 0, dsav / h.sum_ftap, np.nan)
    out.update({
        "total_savings_keur": h.total_savings,
        "run_rate_keur": h.run_rate,
        "npv_keur": h.npv,
        "roi_ftap": roi_f,
        "roi_total": roi_t,
        "payback_year_ftap": h.payback_ftap,
        "payback_year_total": h.payback_total,
        "ftap_doctrine_year": np.full(n, float(dyear)),
        "ftap_doctrine_ratio": ratio,
        "ftap_doctrine_met": np.where(np.isnan(ratio), np.nan, (ratio >= 1.0 - 1e-12).astype(float)),
    })
    return out


@dataclass(frozen=True)
class _HorizonSums:
    """Per-row sums over each row's horizon (k€; years for the paybacks, NaN if never reached)."""

    total_savings: np.ndarray
    sum_ftap: np.ndarray
    sum_total: np.ndarray
    npv: np.ndarray
    run_rate: np.ndarray
    payback_ftap: np.ndarray
    payback_total: np.ndarray
    cumulated: np.ndarray | None = None


def _shared_horizon(a: ScenarioArrays, costs: CostPlan, totals: np.ndarray, years: np.ndarray, *,
                    keep_cumulated: bool) -> _HorizonSums:
    """Horizon sums when every row has the same ``base_year`` and ``horizon_end``: column slices."""
    n = totals.shape[0]
    ftap, total = costs.on(years)
    b0, e0 = int(a.base_year[0]), int(a.horizon_end[0])
    i0, i1 = b0 - int(years[0]), e0 - int(years[0]) + 1
    s = totals[:, i0:i1]
    c_f, c_t = ftap[i0:i1], total[i0:i1]
    expo = (years[i0:i1] - b0).astype(float)
    rate = a.discount_rate
    if np.all(rate == rate[0]):
        df = np.power(1.0 + rate[0], -expo)
        npv = s @ df - float(c_t @ df)
    else:
        df = np.power(1.0 + rate[:, None], -expo[None, :])
        npv = ((s - c_t[None, :]) * df).sum(axis=1)
    cum_s = np.cumsum(s, axis=1)
    hyears = years[i0:i1]

    def payback(c: np.ndarray) -> np.ndarray:
        cum_c = np.cumsum(c)
        res = np.full(n, np.nan)
        for j in range(len(hyears) - 1, -1, -1):  # a loop over years, not scenarios
            if cum_c[j] > 0:
                res[cum_s[:, j] >= cum_c[j] - 1e-9] = float(hyears[j])
        return res

    return _HorizonSums(
        total_savings=s.sum(axis=1), sum_ftap=np.full(n, c_f.sum()), sum_total=np.full(n, c_t.sum()),
        npv=npv, run_rate=s[:, -1].copy(), payback_ftap=payback(c_f), payback_total=payback(c_t),
        cumulated=cum_s if keep_cumulated else None,
    )


def _row_horizons(a: ScenarioArrays, costs: CostPlan, totals: np.ndarray, years: np.ndarray) -> _HorizonSums:
    """Horizon sums when rows have different horizons: years outside a row's horizon are masked."""
    n = totals.shape[0]
    ftap, total = costs.on(years)
    inside = (years[None, :] >= a.base_year[:, None]) & (years[None, :] <= a.horizon_end[:, None])
    s = np.where(inside, totals, 0.0)
    c_f2 = np.where(inside, ftap[None, :], 0.0)
    c_t2 = np.where(inside, total[None, :], 0.0)
    expo = (years[None, :] - a.base_year[:, None]).astype(float)
    df = np.power(1.0 + a.discount_rate[:, None], -expo)
    cum_s = np.cumsum(s, axis=1)

    def payback(c2: np.ndarray) -> np.ndarray:
        cum_c = np.cumsum(c2, axis=1)
        ok = inside & (cum_c > 0) & (cum_s >= cum_c - 1e-9)
        first = np.argmax(ok, axis=1)
        return np.where(ok.any(axis=1), years[first].astype(float), np.nan)

    return _HorizonSums(
        total_savings=s.sum(axis=1), sum_ftap=c_f2.sum(axis=1), sum_total=c_t2.sum(axis=1),
        npv=((s - c_t2) * df).sum(axis=1),
        run_rate=totals[np.arange(n), (a.horizon_end - years[0]).astype(np.int64)],
        payback_ftap=payback(c_f2), payback_total=payback(c_t2),
    )


def _pv_parts(a: ScenarioArrays, costs: CostPlan) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """PV of savings, PV of total cost, total savings, total CP per row."""
    years = _grid(a, costs)
    totals = annual_totals(a, years)
    _, total = costs.on(years)
    inside = (years[None, :] >= a.base_year[:, None]) & (years[None, :] <= a.horizon_end[:, None])
    df = np.power(1.0 + a.discount_rate[:, None], -(years[None, :] - a.base_year[:, None]).astype(float))
    s = np.where(inside, totals, 0.0)
    c = np.where(inside, total[None, :], 0.0)
    return (s * df).sum(1), (c * df).sum(1), s.sum(1), c.sum(1)


def closed_form_switching_values(a: ScenarioArrays, pv_s: np.ndarray, pv_c: np.ndarray,
                                 tot_s: np.ndarray, tot_c: np.ndarray) -> dict[str, np.ndarray]:
    """Switching values of the realisation rate and the unit cost (closed form).

    Savings are proportional to both, so the value at which the NPV falls to 0 (PV of
    savings = PV of cost) or the total ROI to 1 is a ratio; NaN outside the domain
    (realisation in [0, 1], unit cost >= 0). ``pv_s, pv_c, tot_s, tot_c`` come from
    :func:`_pv_parts`.
    """
    out: dict[str, np.ndarray] = {}
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        base_s_pv = np.where(a.realisation > 0, pv_s / a.realisation, np.nan)  # PV at realisation 1
        base_s_tot = np.where(a.realisation > 0, tot_s / a.realisation, np.nan)
        r_npv = pv_c / base_s_pv
        r_roi = tot_c / base_s_tot
        out["switch_realisation_npv0"] = np.where((r_npv >= 0) & (r_npv <= 1), r_npv, np.nan)
        out["switch_realisation_roi1"] = np.where((r_roi >= 0) & (r_roi <= 1), r_roi, np.nan)
        u_npv = np.where(pv_s > 0, a.unit_cost * pv_c / pv_s, np.nan)
        u_roi = np.where(tot_s > 0, a.unit_cost * tot_c / tot_s, np.nan)
        # NaN, not inf, when the savings are so small (denormal inputs) that the ratio overflows
        out["switch_unit_cost_npv0"] = np.where(np.isfinite(u_npv) & (u_npv >= 0), u_npv, np.nan)
        out["switch_unit_cost_roi1"] = np.where(np.isfinite(u_roi) & (u_roi >= 0), u_roi, np.nan)
    return out


def switching_values(a: ScenarioArrays, costs: CostPlan) -> dict[str, np.ndarray]:
    """Switching values (:data:`SWITCH_METRICS`) of every row of ``a``; NaN when none in range."""
    pv_s, pv_c, tot_s, tot_c = _pv_parts(a, costs)
    out = closed_form_switching_values(a, pv_s, pv_c, tot_s, tot_c)

    # delay: bisection on the value of delay_years, vectorised over rows
    hi_delay = (a.horizon_end - a.base_year + 1).astype(float)

    def gap(delay: np.ndarray, which: str) -> np.ndarray:
        ps, pc, ts, tc = _pv_parts(replace(a, delay=delay), costs)
        if which == "npv":
            return ps - pc
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(tc > 0, ts / tc - 1.0, np.nan)

    for which, key in (("npv", "switch_delay_npv0"), ("roi", "switch_delay_roi1")):
        lo = np.zeros_like(hi_delay)
        hi = hi_delay.copy()
        valid = (gap(lo, which) >= 0) & (gap(hi, which) < 0)
        for _ in range(_BISECTION_STEPS):
            mid = 0.5 * (lo + hi)
            pos = gap(mid, which) >= 0
            lo = np.where(pos, mid, lo)
            hi = np.where(pos, hi, mid)
        out[key] = np.where(valid, 0.5 * (lo + hi), np.nan)
    return out


def metric_values(scenarios: Scenario | Iterable[Scenario], plan: pd.DataFrame | None = None) -> dict[str, np.ndarray]:
    """Every metric of :data:`METRICS` for each scenario, as arrays (the numbers behind :func:`metrics`).

    Parameters
    ----------
    scenarios : Scenario or iterable of Scenario
    plan : DataFrame, optional
        Financing plan (default: the contract's).

    Returns
    -------
    dict metric -> ndarray (n,)
        One value per scenario, in order (units as in :func:`metrics`).
    """
    scenarios = as_scenario_list(scenarios)
    costs = cost_plan(plan)
    a = scenario_arrays(scenarios, hi_year=costs.first_ftap_commitment + 3)
    out = metrics_arrays(a, costs)
    out.update(switching_values(a, costs))
    return out


def metrics(scenarios: Scenario | Iterable[Scenario], *, plan: pd.DataFrame | None = None) -> pd.DataFrame:
    """Appraisal metrics of each scenario, tidy.

    Parameters
    ----------
    scenarios : Scenario or iterable of Scenario
    plan : DataFrame, optional
        Financing plan (default: the contract's).

    Returns
    -------
    DataFrame
        Columns ``scenario``, ``metric`` (see :data:`METRICS`), ``value``
        (k€ for ``*_keur``, ratios, years, shares, k€/FTE or years for the
        switching values; NaN when undefined).

    Examples
    --------
    >>> from incubo_analysis.model.params import baseline
    >>> m = metrics(baseline()).set_index("metric")["value"]
    >>> float(m["total_savings_keur"]), float(m["payback_year_ftap"]), round(float(m["roi_ftap"]), 3)
    (3876.0, 2021.0, 3.138)
    """
    sc = as_scenario_list(scenarios)
    values = metric_values(sc, plan)
    names = [s.name for s in sc]
    rows_s, rows_m, rows_v = [], [], []
    for i, name in enumerate(names):
        for m in METRICS:
            rows_s.append(name)
            rows_m.append(m)
            rows_v.append(float(values[m][i]))
    return pd.DataFrame(
        {
            "scenario": pd.array(rows_s, dtype="string"),
            "metric": pd.array(rows_m, dtype="string"),
            "value": np.array(rows_v, dtype=float),
        }
    )


def cashflows(scenario: Scenario, *, plan: pd.DataFrame | None = None) -> pd.DataFrame:
    """Yearly savings and costs of one scenario, with discount factors and cumulated sums.

    Returns
    -------
    DataFrame
        One row per year ``base_year .. horizon_end``: ``year``, ``savings_keur``,
        ``cost_ftap_keur`` (FTAP CP), ``cost_total_keur`` (all CP),
        ``discount_factor`` (1 / (1 + r)^(year - base_year)), ``cum_savings_keur``,
        ``cum_cost_ftap_keur``, ``cum_cost_total_keur`` (k€).

    Examples
    --------
    >>> from incubo_analysis.model.params import baseline
    >>> cashflows(baseline())["cum_savings_keur"].tolist()
    [0.0, 228.0, 912.0, 2052.0, 3876.0]
    """
    costs = cost_plan(plan)
    years = np.asarray(scenario.years, dtype=np.int64)
    a = scenario_arrays(scenario)
    s = annual_totals(a, years)[0]
    f, t = costs.on(years)
    return pd.DataFrame(
        {
            "year": years,
            "savings_keur": s,
            "cost_ftap_keur": f,
            "cost_total_keur": t,
            "discount_factor": discount_factors(years, scenario.base_year, scenario.discount_rate),
            "cum_savings_keur": np.cumsum(s),
            "cum_cost_ftap_keur": np.cumsum(f),
            "cum_cost_total_keur": np.cumsum(t),
        }
    )


#: Steps of the delay bisection of :func:`switching_values` (a search elsewhere that must
#: give the same values runs the same number of steps).
BISECTION_STEPS: int = _BISECTION_STEPS


def present_value_parts(a: ScenarioArrays, costs: CostPlan) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Present values and totals over each row's horizon, the inputs of the switching values.

    Parameters
    ----------
    a : ScenarioArrays
        Scenarios, one per row (:func:`incubo_analysis.model.savings.scenario_arrays`).
    costs : CostPlan
        Cost plan (:func:`cost_plan`).

    Returns
    -------
    tuple of four arrays, one value per row (k€)
        PV of savings, PV of the total cost (all CP), total savings and total CP, from
        the base year to the horizon end, discounted at each row's rate to its base year.
    """
    return _pv_parts(a, costs)

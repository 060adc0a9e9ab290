"""Appraisal of savings scenarios: NPV, ROI both ways, payback, FTAP doctrine readings, switching values.

Conventions
-----------
* Amounts in k€. Savings come from :mod:`incubo_analysis.model.savings`; costs are
  the payment appropriations (CP) of the contract's financing plan
  (:func:`incubo_analysis.contract.loaders.load_financing_plan`): FTAP lines for the
  FTAP ratios, FTAP + co-financing lines for the NPV and the total ratios.
  Only years ``base_year .. horizon_end`` are counted; the plan has no cost
  after 2022. A scenario's ``running_costs_keur`` (years after the plan) are
  added to all CP (NPV, ``roi_total``, ``payback_year_total``), never to FTAP CP.
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
* FTAP doctrine: the texts say "un euro investi... un euro pérenne
  d'économies au bout de trois ans" (RAP 2019 programme 349; Sénat PLF 2019),
  "un euro engagé" (Sénat PLF 2021), "1 € d'économie pour 1 € investi sur trois
  ans" (Cour des comptes 2025); none fixes the start year nor run rate vs
  cumulated, so every reading is computed (:data:`DOCTRINE_METRICS`), no verdict:
  ``ftap_doctrine_ratio_commitment`` = savings of the year ``Y0 + 3``,
  ``Y0`` the first year with FTAP AE > 0 (2018, so 2021);
  ``ftap_doctrine_ratio_first_payment`` = savings of ``P0 + 3``, ``P0`` the first
  year with FTAP CP > 0 (2019, so 2022); ``ftap_doctrine_ratio_cumulated`` =
  savings of ``Y0 + 1 .. Y0 + 3`` (2019-2021); each over the plan's FTAP CP
  (1 235 k€), and with the suffix ``_all_money`` over all the plan's CP (2 680 k€).
  The denominators are the whole plan's (the money invested), whatever the
  horizon, and the model is evaluated in those years even outside
  ``base_year .. horizon_end``. No reading is a verdict: the texts do not fix one.
* ``npv_1_2pct_keur``, ``npv_3_2pct_keur``, ``npv_4_5pct_keur``: the NPV at the
  rates of :data:`REFERENCE_RATES` whatever the scenario's rate (France
  Stratégie 2021: 1.2 % risk-free, 3.2 % reference; 4.5 %: Quinet 2013).
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
from incubo_analysis.model.savings import (
    ScenarioArrays,
    annual_totals,
    as_scenario_list,
    running_costs_array,
    scenario_arrays,
)

__all__ = [
    "METRICS",
    "CORE_METRICS",
    "SWITCH_METRICS",
    "DOCTRINE_READINGS",
    "DOCTRINE_METRICS",
    "RATE_METRICS",
    "REFERENCE_RATES",
    "doctrine_ratios",
    "doctrine_readings",
    "npv_by_rate",
    "horizon_cost_note",
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

#: Readings of the FTAP doctrine (see the module docstring).
DOCTRINE_READINGS: tuple[str, ...] = ("commitment", "first_payment", "cumulated")
#: The doctrine ratios: each reading over FTAP CP, then over all public money.
DOCTRINE_METRICS: tuple[str, ...] = (
    *(f"ftap_doctrine_ratio_{r}" for r in DOCTRINE_READINGS),
    *(f"ftap_doctrine_ratio_{r}_all_money" for r in DOCTRINE_READINGS),
)
#: Discount rates of :func:`npv_by_rate` and of :data:`RATE_METRICS`: France Stratégie 2021
#: risk-free rate (1.2 %) and reference rate (1.2 % + 2 % x beta, beta = 1: 3.2 %); the
#: former reference rate (Quinet 2013, 4.5 %).
REFERENCE_RATES: tuple[float, ...] = (0.012, 0.032, 0.045)
#: NPV at each rate of :data:`REFERENCE_RATES` (k€), per scenario (not per Monte Carlo draw).
RATE_METRICS: tuple[str, ...] = ("npv_1_2pct_keur", "npv_3_2pct_keur", "npv_4_5pct_keur")
#: Metrics computed per draw (Monte Carlo) and per scenario.
CORE_METRICS: tuple[str, ...] = (
    "total_savings_keur",
    "run_rate_keur",
    "npv_keur",
    "roi_ftap",
    "roi_total",
    "payback_year_ftap",
    "payback_year_total",
    *DOCTRINE_METRICS,
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
METRICS: tuple[str, ...] = CORE_METRICS + RATE_METRICS + SWITCH_METRICS

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
    first_ftap_payment : int
        First year with FTAP CP > 0 (FTAP money paid); ``first_ftap_commitment`` when none.
    """

    years: np.ndarray
    ftap_cp: np.ndarray
    total_cp: np.ndarray
    first_ftap_commitment: int
    first_ftap_payment: int | None = None

    def doctrine_years(self) -> dict[str, tuple[int, ...]]:
        """Years whose savings each doctrine reading counts (:data:`DOCTRINE_READINGS`).

        Examples
        --------
        >>> cost_plan().doctrine_years()
        {'commitment': (2021,), 'first_payment': (2022,), 'cumulated': (2019, 2020, 2021)}
        """
        y0 = self.first_ftap_commitment
        p0 = self.first_ftap_payment if self.first_ftap_payment is not None else y0
        return {"commitment": (y0 + 3,), "first_payment": (p0 + 3,), "cumulated": (y0 + 1, y0 + 2, y0 + 3)}

    @property
    def last_doctrine_year(self) -> int:
        """Latest year a doctrine reading counts."""
        return max(y for ys in self.doctrine_years().values() for y in ys)

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
    paid = ftap[ftap > 0]
    first_paid = int(paid.index.min()) if len(paid) else int(years.min())
    first = int(ae.min()) if len(ae) else first_paid  # no AE given: the first year FTAP CP is paid
    arrays = [years.copy(), ftap.to_numpy(dtype=float, copy=True), total.to_numpy(dtype=float, copy=True)]
    for arr in arrays:
        arr.flags.writeable = False  # the default plan is cached and shared
    return CostPlan(years=arrays[0], ftap_cp=arrays[1], total_cp=arrays[2], first_ftap_commitment=first,
                    first_ftap_payment=first_paid)


def discount_factors(years: Iterable[int], base_year: int, rate: float) -> np.ndarray:
    """Weights ``1 / (1 + rate) ** (year - base_year)`` (base year undiscounted).

    Examples
    --------
    >>> discount_factors([2018, 2019, 2020], 2018, 0.032).round(6).tolist()
    [1.0, 0.968992, 0.938946]
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
    hi = int(max(a.horizon_end.max(), costs.last_doctrine_year))
    return np.arange(lo, hi + 1, dtype=np.int64)


def doctrine_ratios(a: ScenarioArrays, costs: CostPlan) -> dict[str, np.ndarray]:
    """The six doctrine ratios (:data:`DOCTRINE_METRICS`) of every row of ``a``.

    Savings of the years of :meth:`CostPlan.doctrine_years` (the model evaluated there,
    inside the horizon or not) over the plan's FTAP CP, resp. all the plan's CP; NaN when
    that money is 0.

    Returns
    -------
    dict metric -> ndarray (n,)
    """
    yrs = costs.doctrine_years()
    grid = np.array(sorted({y for ys in yrs.values() for y in ys}), dtype=np.int64)
    tot = annual_totals(a, grid)
    col = {int(y): i for i, y in enumerate(grid)}
    money = {"": float(costs.ftap_cp.sum()), "_all_money": float(costs.total_cp.sum())}
    out: dict[str, np.ndarray] = {}
    for suffix, den in money.items():
        for reading, years in yrs.items():
            num = tot[:, [col[y] for y in years]].sum(axis=1)
            out[f"ftap_doctrine_ratio_{reading}{suffix}"] = num / den if den > 0 else np.full(num.shape, np.nan)
    return out


def _costs_on(a: ScenarioArrays, costs: CostPlan, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """FTAP CP (Y,) and all costs (1 or n, Y) on ``years``: the plan's CP plus the running costs."""
    ftap, total = costs.on(years)
    return ftap, total[None, :] + running_costs_array(a, years)


def metrics_arrays(a: ScenarioArrays, costs: CostPlan, *, totals: np.ndarray | None = None,
                   years: np.ndarray | None = None, keep_cumulated: bool = False) -> dict[str, np.ndarray]:
    """Core metrics (:data:`CORE_METRICS`), :data:`RATE_METRICS` of every row of ``a``.

    Parameters
    ----------
    a : ScenarioArrays
    costs : CostPlan
    totals, years : ndarray, optional
        Savings per row and year (n, Y) on ``years`` if already computed;
        ``years`` must be consecutive and cover every row's horizon.
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
    b0, e0 = int(a.base_year[0]), int(a.horizon_end[0])
    shared = np.all(a.base_year == b0) and np.all(a.horizon_end == e0)
    if shared and (a.running is None or a.running.shape[0] == 1):
        h = _shared_horizon(a, costs, totals, years, keep_cumulated=keep_cumulated)
    else:
        h = _row_horizons(a, costs, totals, years)
    out: dict[str, np.ndarray] = {"_cumulated": h.cumulated} if h.cumulated is not None else {}
    with np.errstate(divide="ignore", invalid="ignore"):
        roi_f = np.where(h.sum_ftap > 0, h.total_savings / h.sum_ftap, np.nan)
        roi_t = np.where(h.sum_total > 0, h.total_savings / h.sum_total, np.nan)
    out.update({
        "total_savings_keur": h.total_savings,
        "run_rate_keur": h.run_rate,
        "npv_keur": h.npv,
        "roi_ftap": roi_f,
        "roi_total": roi_t,
        "payback_year_ftap": h.payback_ftap,
        "payback_year_total": h.payback_total,
    })
    out.update(doctrine_ratios(a, costs))
    pv_s, pv_c = _pv_at(a, costs, REFERENCE_RATES, totals=totals, years=years)
    for name, ps, pc in zip(RATE_METRICS, pv_s, pv_c, strict=True):
        out[name] = ps - pc
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
    """Horizon sums when every row has the same horizon and running costs: column slices."""
    n = totals.shape[0]
    ftap, total = _costs_on(a, costs, years)
    total = total[0]
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
    ftap, total = _costs_on(a, costs, years)
    inside = (years[None, :] >= a.base_year[:, None]) & (years[None, :] <= a.horizon_end[:, None])
    s = np.where(inside, totals, 0.0)
    c_f2 = np.where(inside, ftap[None, :], 0.0)
    c_t2 = np.where(inside, total, 0.0)
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


def _pv_at(a: ScenarioArrays, costs: CostPlan, rates: Iterable[float] | None = None, *,
           totals: np.ndarray | None = None, years: np.ndarray | None = None) -> tuple[list, list]:
    """PV of savings and PV of all costs over each row's horizon, per rate (default: each row's own).

    Returns two lists (one item per rate) of arrays (n,), k€.
    """
    if years is None:
        years = _grid(a, costs)
    if totals is None:
        totals = annual_totals(a, years)
    _, total = _costs_on(a, costs, years)
    inside = (years[None, :] >= a.base_year[:, None]) & (years[None, :] <= a.horizon_end[:, None])
    s = np.where(inside, totals, 0.0)
    c = np.where(inside, total, 0.0)
    expo = (years[None, :] - a.base_year[:, None]).astype(float)
    pv_s, pv_c = [], []
    for r in ([a.discount_rate] if rates is None else [np.full(a.n, float(x)) for x in rates]):
        df = np.power(1.0 + r[:, None], -expo)
        pv_s.append((s * df).sum(1))
        pv_c.append((c * df).sum(1))
    return pv_s, pv_c


def _pv_parts(a: ScenarioArrays, costs: CostPlan) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """PV of savings, PV of total cost, total savings, total cost per row (running costs included)."""
    years = _grid(a, costs)
    totals = annual_totals(a, years)
    _, total = _costs_on(a, costs, years)
    inside = (years[None, :] >= a.base_year[:, None]) & (years[None, :] <= a.horizon_end[:, None])
    df = np.power(1.0 + a.discount_rate[:, None], -(years[None, :] - a.base_year[:, None]).astype(float))
    s = np.where(inside, totals, 0.0)
    c = np.where(inside, total, 0.0)
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
    a = scenario_arrays(scenarios, hi_year=costs.last_doctrine_year)
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
        ``cost_ftap_keur`` (FTAP CP), ``cost_total_keur`` (all CP and the running
        costs after the plan), ``discount_factor`` (1 / (1 + r)^(year - base_year)),
        ``cum_savings_keur``, ``cum_cost_ftap_keur``, ``cum_cost_total_keur``,
        ``cost_running_keur`` (the running costs alone; k€).

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
    run = running_costs_array(a, years)[0]
    t = t + run
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
            "cost_running_keur": run,
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


def npv_by_rate(scenarios: Scenario | Iterable[Scenario], rates: Iterable[float] = REFERENCE_RATES, *,
                plan: pd.DataFrame | None = None) -> pd.DataFrame:
    """NPV of each scenario at each discount rate (the scenario's own rate ignored).

    Parameters
    ----------
    scenarios : Scenario or iterable of Scenario
    rates : iterable of float
        Real annual rates (default :data:`REFERENCE_RATES`: 1.2 %, 3.2 %, 4.5 %).
    plan : DataFrame, optional
        Financing plan (default: the contract's).

    Returns
    -------
    DataFrame
        Columns ``scenario``, ``rate`` (0-1), ``npv_keur`` (k€, running costs included).

    Examples
    --------
    >>> from incubo_analysis.model.params import baseline
    >>> npv_by_rate(baseline(), [0.0])["npv_keur"].tolist()  # 3 876 k€ of savings - 2 680 k€ of CP
    [1196.0]
    """
    sc = as_scenario_list(scenarios)
    rates = [float(r) for r in rates]
    costs = cost_plan(plan)
    pv_s, pv_c = _pv_at(scenario_arrays(sc), costs, rates)
    return pd.DataFrame({
        "scenario": pd.array([s.name for _ in rates for s in sc], dtype="string"),
        "rate": np.repeat(rates, len(sc)).astype(float),
        "npv_keur": np.concatenate([ps - pc for ps, pc in zip(pv_s, pv_c, strict=True)]),
    })


def _years_text(years: tuple[int, ...]) -> str:
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def doctrine_readings(source: Scenario | pd.DataFrame, *, lang: str = "fr",
                      plan: pd.DataFrame | None = None) -> pd.DataFrame:
    """The six readings of the FTAP doctrine, each with its source: a display table.

    Parameters
    ----------
    source : Scenario or DataFrame
        A scenario, or the tidy :func:`metrics` of one scenario (its first scenario is read).
    lang : {"fr", "en"}
    plan : DataFrame, optional
        Financing plan (default: the contract's).

    Returns
    -------
    DataFrame
        One row per metric of :data:`DOCTRINE_METRICS` (index: the reading, in words),
        columns in ``lang``: money counted, savings years, savings (k€), money (k€), € saved
        per €, source of the reading. Values formatted as text; no verdict.

    Examples
    --------
    >>> from incubo_analysis.model.params import baseline
    >>> doctrine_readings(baseline(), lang="en").iloc[:, 4].tolist()
    ['0.92', '1.48', '1.66', '0.43', '0.68', '0.77']
    """
    from incubo_analysis.labels import format_value, label

    costs = cost_plan(plan)
    if isinstance(source, pd.DataFrame):
        first = source["scenario"].iloc[0]
        values = source.loc[source["scenario"] == first].set_index("metric")["value"]
    else:
        ratios = doctrine_ratios(scenario_arrays(source, hi_year=costs.last_doctrine_year), costs)
        values = pd.Series({k: float(v[0]) for k, v in ratios.items()})
    years = costs.doctrine_years()
    money = {"": ("appraisal.doctrine.ftap", float(costs.ftap_cp.sum())),
             "_all_money": ("appraisal.doctrine.all_money", float(costs.total_cp.sum()))}
    rows = []
    for suffix, (money_key, money_keur) in money.items():
        for reading in DOCTRINE_READINGS:
            ratio = float(values[f"ftap_doctrine_ratio_{reading}{suffix}"])
            rows.append([label(f"appraisal.doctrine.{reading}", lang), label(money_key, lang),
                         _years_text(years[reading]), format_value(ratio * money_keur, "number", lang, decimals=1),
                         format_value(money_keur, "number", lang, decimals=1),
                         format_value(ratio, "ratio", lang, decimals=2),
                         label(f"appraisal.doctrine.source.{reading}", lang)])
    cols = [label(f"appraisal.doctrine.{c}", lang)
            for c in ("reading", "money", "years", "savings_keur", "money_keur", "ratio", "source")]
    return pd.DataFrame(rows, columns=cols).set_index(cols[0])


def horizon_cost_note(scenario: Scenario, *, lang: str = "fr") -> str:
    """What the horizon counts after the financing plan: a sentence, or ``""`` within the plan.

    When ``horizon_end`` lies after :data:`~incubo_analysis.model.params.PLAN_LAST_YEAR`:
    without running costs, "the horizon counts savings without costs"; with them, their
    total and years.

    Examples
    --------
    >>> from incubo_analysis.model.params import baseline
    >>> horizon_cost_note(baseline()), horizon_cost_note(baseline().replace(horizon_end=2026), lang="en")[-41:]
    ('', 'the horizon counts savings without costs.')
    """
    from incubo_analysis.labels import format_value, label
    from incubo_analysis.model.params import PLAN_LAST_YEAR

    if scenario.horizon_end <= PLAN_LAST_YEAR:
        return ""
    if not scenario.running_costs_keur:
        return label("appraisal.no_running_costs", lang).format(
            first=scenario.base_year, last=scenario.horizon_end, plan=PLAN_LAST_YEAR)
    years = sorted(scenario.running_costs_keur)
    total = sum(scenario.running_costs_keur.values())
    return label("appraisal.running_costs", lang).format(
        total=format_value(total, "k€", lang, decimals=1), years=_years_text(tuple(years)))

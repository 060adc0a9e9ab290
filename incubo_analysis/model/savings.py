"""The FTE savings model, vectorised over scenarios.

Savings of lever *l* in year *t* (k€)::

    S[l, t] = etp[l] x realisation_rate x share(t - delay - lever_delay[l])
              x unit_cost_keur x (1 + unit_cost_growth) ** (t - base_year)

``share`` is the phasing step function (share of the run rate reached: the
share of the latest phasing year <= x, 0 before the first one, the last share
held after the last one). A fractional delay ``d = k + f`` (``k`` integer,
``0 <= f < 1``) interpolates linearly between the integer delays ``k`` and
``k + 1``: ``(1 - f) share(t - k) + f share(t - k - 1)``; an integer delay
shifts the series exactly.

Every function works on arrays with a leading scenario axis (one row per
scenario or per Monte Carlo draw): no Python loop over scenarios.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from incubo_analysis.contract.schema import LEVERS
from incubo_analysis.model.params import Scenario

__all__ = [
    "ScenarioArrays",
    "scenario_arrays",
    "phasing_share",
    "savings_array",
    "annual_totals",
    "savings_matrix",
    "savings_by_lever",
    "planned_savings",
    "as_scenario_list",
    "running_costs_array",
]


@dataclass(frozen=True)
class ScenarioArrays:
    """Scenario parameters as arrays with a leading scenario axis of length ``n``.

    Attributes
    ----------
    etp : ndarray (n, L)
        FTE at full run rate per lever (L = 4, order of ``schema.LEVERS``).
    realisation : ndarray (n,)
        Share (0-1) of the FTE really freed.
    unit_cost : ndarray (n,)
        Cost of one FTE in ``base_year``, k€/year.
    growth : ndarray (n,)
        Annual growth of the unit cost.
    delay : ndarray (n,)
        Global delay, years (fractional allowed).
    lever_delay : ndarray (n, L) or (1, L)
        Extra delay per lever, years.
    table : ndarray (n, J) or (1, J)
        Phasing share of years ``lo .. lo + J - 1`` (``table[:, 0] == 0``).
    lo : int
        First year of ``table`` (before every scenario's first phasing year).
    base_year, horizon_end : ndarray (n,) of int
    discount_rate : ndarray (n,)
    running : ndarray (n, J) or (1, J), or None
        Running costs after the plan (``running_costs_keur``), k€, on the years of
        ``table`` (``lo ..``); None when no row has any.
    """

    etp: np.ndarray
    realisation: np.ndarray
    unit_cost: np.ndarray
    growth: np.ndarray
    delay: np.ndarray
    lever_delay: np.ndarray
    table: np.ndarray
    lo: int
    base_year: np.ndarray
    horizon_end: np.ndarray
    discount_rate: np.ndarray
    running: np.ndarray | None = None

    @property
    def n(self) -> int:
        """Number of scenarios (rows)."""
        return int(self.etp.shape[0])


def as_scenario_list(scenarios: Scenario | Iterable[Scenario]) -> list[Scenario]:
    """One scenario or several, as a non-empty list.

    Raises
    ------
    ValueError
        An empty iterable.
    """
    if isinstance(scenarios, Scenario):
        return [scenarios]
    out = list(scenarios)
    if not out:
        raise ValueError("no scenario given")
    return out


def scenario_arrays(scenarios: Scenario | Iterable[Scenario], *, hi_year: int | None = None) -> ScenarioArrays:
    """Stack scenarios into :class:`ScenarioArrays`.

    Parameters
    ----------
    scenarios : Scenario or iterable of Scenario
    hi_year : int, optional
        Last year the phasing table must cover (default: the latest phasing
        year or horizon end; shares are held after the table anyway).
    """
    sc = as_scenario_list(scenarios)
    lo = min(min(s.phasing) for s in sc) - 1
    hi = max(max(max(s.phasing) for s in sc), max(s.horizon_end for s in sc), hi_year or lo)
    span = np.arange(lo, hi + 1)
    table = np.zeros((len(sc), span.size))
    for i, s in enumerate(sc):  # building inputs, not evaluating the model
        years = np.array(sorted(s.phasing))
        shares = np.array([s.phasing[y] for y in years])
        pos = np.searchsorted(years, span, side="right") - 1
        table[i] = np.where(pos >= 0, shares[np.clip(pos, 0, None)], 0.0)
    if np.all(table == table[:1]):
        table = table[:1]
    lever_delay = np.array([[s.lever_delay_years[lv] for lv in LEVERS] for s in sc], dtype=float)
    if np.all(lever_delay == lever_delay[:1]):
        lever_delay = lever_delay[:1]
    running = None
    if any(s.running_costs_keur for s in sc):
        running = np.zeros((len(sc), span.size))
        for i, s in enumerate(sc):
            for year, amount in s.running_costs_keur.items():
                running[i, year - lo] = amount  # years <= horizon_end <= hi (validated)
        if np.all(running == running[:1]):
            running = running[:1]
    return ScenarioArrays(
        etp=np.array([[s.etp[lv] for lv in LEVERS] for s in sc], dtype=float),
        realisation=np.array([s.realisation_rate for s in sc], dtype=float),
        unit_cost=np.array([s.unit_cost_keur for s in sc], dtype=float),
        growth=np.array([s.unit_cost_growth for s in sc], dtype=float),
        delay=np.array([s.delay_years for s in sc], dtype=float),
        lever_delay=lever_delay,
        table=table,
        lo=int(lo),
        base_year=np.array([s.base_year for s in sc], dtype=np.int64),
        horizon_end=np.array([s.horizon_end for s in sc], dtype=np.int64),
        discount_rate=np.array([s.discount_rate for s in sc], dtype=float),
        running=running,
    )


def running_costs_array(a: ScenarioArrays, years: Sequence[int] | np.ndarray) -> np.ndarray:
    """Running costs after the plan on ``years``, k€: ndarray (n, Y) or (1, Y) (zeros when none).

    Examples
    --------
    >>> from incubo_analysis.model.params import baseline
    >>> s = baseline().replace(horizon_end=2024, running_costs_keur={2024: 50})
    >>> running_costs_array(scenario_arrays(s), [2022, 2023, 2024]).tolist()
    [[0.0, 0.0, 50.0]]
    """
    years = np.asarray(years, dtype=np.int64)
    if a.running is None:
        return np.zeros((1, years.size))
    pos = years - a.lo
    inside = (pos >= 0) & (pos < a.running.shape[1])
    return np.where(inside[None, :], a.running[:, np.clip(pos, 0, a.running.shape[1] - 1)], 0.0)


def phasing_share(table: np.ndarray, lo: int, years: np.ndarray, delay: np.ndarray) -> np.ndarray:
    """Share of the run rate reached in ``years`` after ``delay``.

    Parameters
    ----------
    table : ndarray (n, J) or (1, J)
        Phasing share of years ``lo ..``; ``table[:, 0]`` must be 0.
    lo : int
        First year of ``table``.
    years : ndarray (Y,) of int
    delay : ndarray, shape (n, ...) broadcastable to (n, ..., 1)
        Delay in years (>= 0, fractional allowed).

    Returns
    -------
    ndarray, shape ``delay.shape + (Y,)``

    Examples
    --------
    >>> t = np.array([[0.0, 0.125, 0.375, 0.625, 1.0]])   # years 2018..2022
    >>> phasing_share(t, 2018, np.arange(2018, 2024), np.array([1.0]))
    array([[0.   , 0.   , 0.125, 0.375, 0.625, 1.   ]])
    >>> phasing_share(t, 2018, np.array([2021]), np.array([0.5]))
    array([[0.5]])
    """
    delay = np.asarray(delay, dtype=float)
    years = np.asarray(years, dtype=np.int64)
    if table.shape[0] == 1:
        # (1 - f) s(t - k) + f s(t - k - 1) is the linear interpolation of the
        # table at t - d; np.interp clamps to table[0] = 0 and holds the last share.
        span = np.arange(lo, lo + table.shape[1], dtype=float)
        return np.interp(years.astype(float) - delay[..., None], span, table[0])
    k = np.floor(delay)
    f = (delay - k)[..., None]
    ki = k.astype(np.int64)[..., None]
    j = table.shape[1]
    i0 = np.clip(years - lo - ki, 0, j - 1)
    i1 = np.clip(years - lo - ki - 1, 0, j - 1)
    rows = np.arange(table.shape[0]).reshape((-1,) + (1,) * (i0.ndim - 1))
    s0, s1 = table[rows, i0], table[rows, i1]
    if not np.any(f):
        return s0 + 0.0 * f  # broadcast to the full shape
    return s0 + f * (s1 - s0)


def _cost_factor(a: ScenarioArrays, years: np.ndarray) -> np.ndarray:
    """Unit cost in each year, k€/FTE: unit_cost x (1 + growth)^(t - base_year); shape (n, Y)."""
    expo = (years[None, :] - a.base_year[:, None]).astype(float)
    if not np.any(a.growth):
        return np.broadcast_to(a.unit_cost[:, None], expo.shape) * 1.0
    if years.size > 1 and np.all(np.diff(years) == 1):
        # consecutive years: one power, then a running product (cheaper than n x Y powers)
        g1 = 1.0 + a.growth
        out = np.empty(expo.shape)
        out[:, 0] = a.unit_cost * np.power(g1, expo[:, 0])
        for j in range(1, years.size):
            np.multiply(out[:, j - 1], g1, out=out[:, j])
        return out
    return a.unit_cost[:, None] * np.power(1.0 + a.growth[:, None], expo)


def savings_array(a: ScenarioArrays, years: Sequence[int] | np.ndarray) -> np.ndarray:
    """Savings per scenario, lever and year, k€: ndarray (n, L, Y).

    Examples
    --------
    >>> from incubo_analysis.model.params import baseline
    >>> savings_array(scenario_arrays(baseline()), [2021, 2022]).sum(axis=1)
    array([[1140., 1824.]])
    """
    years = np.asarray(years, dtype=np.int64)
    delay = a.delay[:, None] + a.lever_delay  # (n, L)
    share = phasing_share(a.table, a.lo, years, delay)  # (n, L, Y)
    fte = (a.etp * a.realisation[:, None])[:, :, None]
    return fte * share * _cost_factor(a, years)[:, None, :]


def annual_totals(a: ScenarioArrays, years: Sequence[int] | np.ndarray) -> np.ndarray:
    """Savings per scenario and year, all levers, k€: ndarray (n, Y).

    Uses one share per scenario when every lever has the same delay (the
    usual case), which keeps 10^6 Monte Carlo draws cheap.
    """
    years = np.asarray(years, dtype=np.int64)
    if a.lever_delay.shape[0] == 1 and np.all(a.lever_delay == a.lever_delay[0, 0]):
        share = phasing_share(a.table, a.lo, years, a.delay + a.lever_delay[0, 0])  # (n, Y)
        fte = a.etp.sum(axis=1) * a.realisation
        return fte[:, None] * share * _cost_factor(a, years)
    return savings_array(a, years).sum(axis=1)


def savings_matrix(
    scenarios: Scenario | Iterable[Scenario], years: Sequence[int] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Savings of a batch of scenarios, k€, as an array (scenario, lever, year).

    Parameters
    ----------
    scenarios : Scenario or iterable of Scenario
    years : sequence of int, optional
        Years to evaluate (default: from the earliest ``base_year`` to the
        latest ``horizon_end`` of the batch). The model is defined for any
        year: values outside a scenario's own horizon are not masked.

    Returns
    -------
    values : ndarray (n_scenarios, 4, n_years), k€
        Levers in the order of ``schema.LEVERS``.
    years : ndarray of int

    Examples
    --------
    >>> from incubo_analysis.model.params import baseline
    >>> m, y = savings_matrix([baseline()])
    >>> y.tolist(), m[0].sum(axis=0).tolist()
    ([2018, 2019, 2020, 2021, 2022], [0.0, 228.0, 684.0, 1140.0, 1824.0])
    """
    sc = as_scenario_list(scenarios)
    if years is None:
        years = np.arange(min(s.base_year for s in sc), max(s.horizon_end for s in sc) + 1)
    years = np.asarray(years, dtype=np.int64)
    a = scenario_arrays(sc, hi_year=int(years.max()) if years.size else None)
    return savings_array(a, years), years


def savings_by_lever(scenarios: Scenario | Iterable[Scenario]) -> pd.DataFrame:
    """Tidy savings of each scenario over its own years ``base_year .. horizon_end``.

    Returns
    -------
    DataFrame
        Columns ``scenario`` (name), ``lever``, ``year`` (int), ``amount_keur`` (k€).

    Examples
    --------
    >>> from incubo_analysis.model.params import baseline
    >>> df = savings_by_lever(baseline())
    >>> df.loc[df["year"] == 2020, "amount_keur"].tolist()
    [427.5, 106.875, 85.5, 64.125]
    """
    sc = as_scenario_list(scenarios)
    values, years = savings_matrix(sc)
    n, nl, ny = values.shape
    scen = np.repeat(np.array([s.name for s in sc], dtype=object), nl * ny)
    lever = np.tile(np.repeat(np.array(LEVERS, dtype=object), ny), n)
    year = np.tile(years, n * nl)
    base = np.repeat([s.base_year for s in sc], nl * ny)
    end = np.repeat([s.horizon_end for s in sc], nl * ny)
    keep = (year >= base) & (year <= end)
    df = pd.DataFrame(
        {
            "scenario": pd.array(scen[keep], dtype="string"),
            "lever": pd.array(lever[keep], dtype="string"),
            "year": year[keep].astype(np.int64),
            "amount_keur": values.reshape(-1)[keep].astype(float),
        }
    )
    return df.reset_index(drop=True)


def planned_savings(scenario: Scenario) -> pd.DataFrame:
    """Planned savings of one scenario, by lever and year, with their volume and price.

    Returns
    -------
    DataFrame
        One row per lever x year (``base_year .. horizon_end``), columns:
        ``lever``; ``year`` (int); ``planned_etp`` (FTE-equivalent freed that
        year = FTE x realisation x phasing share after delay); ``unit_cost_keur``
        (planned cost of one FTE that year, growth included, k€/FTE);
        ``amount_keur`` (= planned_etp x unit_cost_keur, k€).

    Examples
    --------
    >>> from incubo_analysis.model.params import baseline
    >>> p = planned_savings(baseline())
    >>> row = p.loc[(p["lever"] == "dematerialisation") & (p["year"] == 2020)].iloc[0]
    >>> float(row["planned_etp"]), float(row["unit_cost_keur"]), float(row["amount_keur"])
    (7.5, 57.0, 427.5)
    """
    a = scenario_arrays(scenario)
    years = np.asarray(scenario.years, dtype=np.int64)
    delay = a.delay[:, None] + a.lever_delay
    share = phasing_share(a.table, a.lo, years, delay)[0]  # (L, Y)
    fte = (a.etp[0] * a.realisation[0])[:, None] * share  # (L, Y)
    cost = _cost_factor(a, years)[0]  # (Y,)
    nl, ny = fte.shape
    return pd.DataFrame(
        {
            "lever": pd.array(np.repeat(np.array(LEVERS, dtype=object), ny), dtype="string"),
            "year": np.tile(years, nl),
            "planned_etp": fte.reshape(-1),
            "unit_cost_keur": np.tile(cost, nl),
            "amount_keur": (fte * cost[None, :]).reshape(-1),
        }
    )

"""The quarterly monitoring of the contract (§ 5, § 5.1, § 6): what ``incubo quarterly`` shows.

Every table is computed at the **end of a quarter** (``pandas.Period``, calendar
quarters; written ``2020T3``) from the officer's workbook and the contract:

- :func:`credits_to_date`: credits planned and consumed to date by axis, title, source and
  credit (AE / CP), in k€ and in % of the global budget, and the **restes à payer**
  (cumulated AE − cumulated CP); :func:`envelope_consumption`: each year's envelope;
  :func:`tranche_status`: FTAP AE of each year against that year's tranche (§ 6);
- :func:`risk_register`, :func:`risk_counts`, :func:`risk_matrix`, :func:`top_risks`: the
  risk register as it stood at the quarter's end (score = probability × impact);
- :func:`indicators_at_quarter`: the § 5.1 indicators against their intermediate target at
  the quarter's end; :func:`savings_to_date`: realised against planned savings of the
  complete years;
- :func:`milestones_at_quarter`: the annex III milestones (status per
  :func:`incubo_analysis.monitoring.milestones.milestone_status`).

:func:`validate_quarterly_inputs` checks every input first; :func:`quarterly_tables` computes
every table once (the pack's HTML, Excel, CSV files and notebook 06 all call it), with the tables
of the real sources when démarches-simplifiées exports or a Chorus extract are given
(:func:`incubo_analysis.monitoring.sources.source_tables` up to the quarter;
:func:`measured_indicators` puts the processing time measured on the exports in the indicators).
The reading choices are logged in ``docs/assumptions.md`` (section "Quarterly monitoring", Q1–Q10).
Amounts in k€ (float), shares 0–1, years int. Every function is pure.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from incubo_analysis.contract.schema import CREDITS, parse_quarter, quarter_code
from incubo_analysis.errors import ParameterError
from incubo_analysis.monitoring.sources import PROCESSING_TIME_INDICATOR, Sources, read_sources, source_tables
from incubo_analysis.monitoring.variance import rag_status
from incubo_analysis.paths import BASELINE_PARAMS, shown_path

__all__ = [
    "FIRST_QUARTER",
    "LAST_QUARTER",
    "CREDITS_TO_DATE_COLUMNS",
    "ENVELOPE_COLUMNS",
    "TRANCHE_COLUMNS",
    "RISKS_COLUMNS",
    "RISK_REGISTER_COLUMNS",
    "QUARTER_INDICATOR_COLUMNS",
    "SAVINGS_TO_DATE_COLUMNS",
    "MILESTONES_CSV_COLUMNS",
    "check_quarter",
    "credits_to_date",
    "envelope_consumption",
    "tranche_status",
    "risk_register",
    "risk_counts",
    "risk_matrix",
    "top_risks",
    "indicators_at_quarter",
    "savings_to_date",
    "milestones_at_quarter",
    "measured_indicators",
    "QuarterlyInputs",
    "validate_quarterly_inputs",
    "quarterly_tables",
]

#: The quarters a pack can be made for: the contract's (signed in 2018, plan to 2022).
FIRST_QUARTER = "2018T3"
LAST_QUARTER = "2022T4"

CREDITS_TO_DATE_COLUMNS: tuple[str, ...] = (
    "axis", "title", "source", "credit", "planned_keur", "actual_keur", "share_of_budget",
    "remaining_to_pay_keur",
)
ENVELOPE_COLUMNS: tuple[str, ...] = ("year", "source", "credit", "planned_keur", "actual_keur", "consumption_rate")
TRANCHE_COLUMNS: tuple[str, ...] = ("year", "tranche_keur", "actual_keur", "consumption_rate", "remaining_keur")
RISKS_COLUMNS: tuple[str, ...] = ("risk_id", "axis", "probability", "impact", "score", "status")
RISK_REGISTER_COLUMNS: tuple[str, ...] = (
    *RISKS_COLUMNS, "description", "mitigation", "owner", "identified_on", "closed_on", "new", "closed_in_quarter",
)
QUARTER_INDICATOR_COLUMNS: tuple[str, ...] = (
    "indicator", "kind", "target_year", "year_end_target", "target", "value_year", "actual", "attainment",
    "status",
)
SAVINGS_TO_DATE_COLUMNS: tuple[str, ...] = (
    "lever", "last_year", "planned_keur", "actual_keur", "variance_keur", "variance_pct",
)
MILESTONES_CSV_COLUMNS: tuple[str, ...] = ("milestone_id", "axis", "action", "planned_end", "done_on", "status")

_GROUP = ["axis", "title", "source"]
_RISK_INPUT = ("risk_id", "axis", "description", "probability", "impact", "mitigation", "owner", "status",
               "identified_on", "closed_on")


def _index(year: Any, quarter: Any) -> Any:
    """Quarters as consecutive integers (``year * 4 + quarter - 1``), scalar or Series."""
    return year * 4 + quarter - 1


def check_quarter(value: object, *, where: str = "--quarter") -> pd.Period:
    """A quarter of the contract, from ``2020T3`` / ``2020-T3`` / ``2020Q3`` or a Period.

    Parameters
    ----------
    value : str or pandas.Period
    where : str
        What the message names (an option, a notebook parameter).

    Returns
    -------
    pandas.Period
        A calendar quarter within :data:`FIRST_QUARTER`–:data:`LAST_QUARTER`.

    Raises
    ------
    SchemaError
        Not a quarter (:func:`incubo_analysis.contract.schema.parse_quarter`).
    ParameterError
        A quarter outside the contract (message in French and English).

    Examples
    --------
    >>> check_quarter("2020-T3")
    Period('2020Q3', 'Q-DEC')
    """
    period = parse_quarter(value, where=where)
    first, last = parse_quarter(FIRST_QUARTER), parse_quarter(LAST_QUARTER)
    if not first <= period <= last:
        code = quarter_code(period)
        texts = {"fr": f"{where} : trimestre {code} hors du contrat, attendu de {FIRST_QUARTER} à {LAST_QUARTER}",
                 "en": f"{where}: quarter {code} outside the contract, expected {FIRST_QUARTER} to {LAST_QUARTER}"}
        raise ParameterError(texts["en"], texts=texts)
    return period


# --------------------------------------------------------------------------- #
# Credits
# --------------------------------------------------------------------------- #
def _plan(financing_plan: pd.DataFrame | None) -> pd.DataFrame:
    """The plan summed per group × year × credit (k€)."""
    if financing_plan is None:
        from incubo_analysis.contract.loaders import load_financing_plan

        financing_plan = load_financing_plan()
    plan = financing_plan.groupby([*_GROUP, "year", "credit"], as_index=False)["amount_keur"].sum()
    return plan.rename(columns={"amount_keur": "planned_keur"}).astype(
        {"axis": "int64", "title": "str", "source": "str", "year": "int64", "credit": "str",
         "planned_keur": "float64"})


def _consumed(credits: pd.DataFrame, period: pd.Period) -> pd.DataFrame:
    """Credits consumed up to the end of ``period``, long: group × year × credit → ``actual_keur``."""
    cols = [*_GROUP, "year", "credit", "actual_keur"]
    upto = credits[_index(credits["year"], credits["quarter"]) <= _index(period.year, period.quarter)]
    parts = []
    for credit in CREDITS:
        part = upto.loc[:, [*_GROUP, "year"]].copy()
        part["credit"] = credit
        part["actual_keur"] = upto[f"{credit.lower()}_keur"].astype("float64")
        parts.append(part)
    long = pd.concat(parts, ignore_index=True) if len(upto) else pd.DataFrame(
        {c: pd.Series(dtype="float64") for c in cols})
    long = long.astype({"axis": "int64", "title": "str", "source": "str", "year": "int64", "credit": "str",
                        "actual_keur": "float64"})
    return long.groupby([*_GROUP, "year", "credit"], as_index=False)["actual_keur"].sum()


def credits_to_date(credits: pd.DataFrame, quarter: object, *,
                    financing_plan: pd.DataFrame | None = None) -> pd.DataFrame:
    """Credits planned and consumed to the end of ``quarter``, and the restes à payer.

    Parameters
    ----------
    credits : pandas.DataFrame
        ``Actuals.credits``: ``axis``, ``title``, ``source``, ``year``, ``quarter``,
        ``ae_keur``, ``cp_keur`` (k€ consumed in the quarter).
    quarter : str or pandas.Period
        The quarter (``"2020T3"``).
    financing_plan : pandas.DataFrame, optional
        :func:`incubo_analysis.contract.loaders.load_financing_plan` (default: loaded).

    Returns
    -------
    pandas.DataFrame
        :data:`CREDITS_TO_DATE_COLUMNS`, one row per group (axis, title, source) × credit,
        for every group with a plan or a consumption: ``planned_keur`` (the plan of every
        year up to the quarter's year, **the current year's whole annual plan included**:
        a year's envelope is open from its first quarter, assumption Q1; k€),
        ``actual_keur`` (consumed up to the quarter's end, k€), ``share_of_budget``
        (``actual_keur`` / the global budget of that credit, i.e. the total of the
        financing plan's lines over 2018–2022, as :func:`~incubo_analysis.monitoring.variance.credits_variance`;
        0–1), ``remaining_to_pay_keur`` (restes à payer = cumulated AE consumed − cumulated CP
        paid of the group, k€, **on the AE row only**, NaN on the CP row, so that the
        column sums to the total, assumption Q2). Sorted by axis, title, source, credit.

    Examples
    --------
    >>> cr = pd.DataFrame({"axis": [1, 1], "title": ["T3", "T3"], "source": ["FTAP", "FTAP"],
    ...                    "year": [2019, 2019], "quarter": [1, 2], "ae_keur": [100.0, 50.0],
    ...                    "cp_keur": [40.0, 30.0]})
    >>> plan = pd.DataFrame({"axis": [1, 1], "title": ["T3", "T3"], "source": ["FTAP", "FTAP"],
    ...                      "year": [2019, 2019], "credit": ["AE", "CP"], "amount_keur": [200.0, 100.0]})
    >>> t = credits_to_date(cr, "2019T1", financing_plan=plan)
    >>> t[["credit", "actual_keur", "share_of_budget", "remaining_to_pay_keur"]].values.tolist()
    [['AE', 100.0, 0.5, 60.0], ['CP', 40.0, 0.4, nan]]
    """
    period = parse_quarter(quarter)
    plan = _plan(financing_plan)
    budget = plan.groupby("credit")["planned_keur"].sum()
    planned = plan[plan["year"] <= period.year].groupby([*_GROUP, "credit"], as_index=False)["planned_keur"].sum()
    ever = plan.groupby([*_GROUP, "credit"], as_index=False)["planned_keur"].apply(lambda s: (s != 0).any())
    actual = _consumed(credits, period).groupby([*_GROUP, "credit"], as_index=False)["actual_keur"].sum()
    out = planned.merge(actual, on=[*_GROUP, "credit"], how="outer").fillna(
        {"planned_keur": 0.0, "actual_keur": 0.0})
    out = out.merge(ever.rename(columns={"planned_keur": "ever"}), on=[*_GROUP, "credit"], how="left")
    keep_group = (out["ever"].fillna(False).astype(bool) | (out["actual_keur"] != 0)).groupby(
        [out[c] for c in _GROUP]).transform("any")
    out = out[keep_group].drop(columns="ever")
    denom = out["credit"].map(budget).astype("float64")
    out["share_of_budget"] = (out["actual_keur"] / denom).where(denom != 0)
    wide = out.pivot_table(index=_GROUP, columns="credit", values="actual_keur", aggfunc="sum", fill_value=0.0)
    rap = (wide.get("AE", 0.0) - wide.get("CP", 0.0)).rename("rap").reset_index()
    out = out.merge(rap, on=_GROUP, how="left")
    out["remaining_to_pay_keur"] = out["rap"].where(out["credit"] == "AE")
    out = out.sort_values([*_GROUP, "credit"], kind="stable").reset_index(drop=True)
    return out.loc[:, list(CREDITS_TO_DATE_COLUMNS)].astype(
        {"axis": "int64", "title": "str", "source": "str", "credit": "str", "planned_keur": "float64",
         "actual_keur": "float64", "share_of_budget": "float64", "remaining_to_pay_keur": "float64"})


def envelope_consumption(credits: pd.DataFrame, quarter: object, *,
                         financing_plan: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each year's envelope (year × source × credit) and what was consumed in it to date.

    Parameters
    ----------
    credits, quarter, financing_plan
        As :func:`credits_to_date`.

    Returns
    -------
    pandas.DataFrame
        :data:`ENVELOPE_COLUMNS`: one row per year from the plan's first year to the
        quarter's year × source × credit: ``planned_keur`` (the year's plan, k€),
        ``actual_keur`` (consumed in that year up to the quarter's end, k€),
        ``consumption_rate`` (actual / planned, 0–1; NaN when nothing was planned).
    """
    period = parse_quarter(quarter)
    plan = _plan(financing_plan)
    plan = plan[plan["year"] <= period.year].groupby(["year", "source", "credit"], as_index=False)[
        "planned_keur"].sum()
    actual = _consumed(credits, period).groupby(["year", "source", "credit"], as_index=False)["actual_keur"].sum()
    out = plan.merge(actual, on=["year", "source", "credit"], how="outer").fillna(
        {"planned_keur": 0.0, "actual_keur": 0.0})
    out["consumption_rate"] = (out["actual_keur"] / out["planned_keur"]).where(out["planned_keur"] != 0)
    order = {"FTAP": 0, "cofinancing": 1}
    out = out.assign(_o=out["source"].map(order).fillna(2)).sort_values(["year", "_o", "credit"], kind="stable")
    return out.loc[:, list(ENVELOPE_COLUMNS)].reset_index(drop=True).astype(
        {"year": "int64", "source": "str", "credit": "str"})


def tranche_status(credits: pd.DataFrame, quarter: object, *,
                   financing_plan: pd.DataFrame | None = None) -> pd.DataFrame:
    """FTAP AE consumed each year against that year's tranche (contract § 6).

    The tranche of a year is the contract's FTAP AE of that year (the fund's secretariat
    decides each tranche from the plan; the decided amounts are not in the workbook:
    assumption Q3).

    Parameters
    ----------
    credits, quarter, financing_plan
        As :func:`credits_to_date`.

    Returns
    -------
    pandas.DataFrame
        :data:`TRANCHE_COLUMNS`, one row per year from the plan's first year to the
        quarter's year: ``tranche_keur`` (FTAP AE of the plan, k€), ``actual_keur`` (FTAP
        AE consumed in that year up to the quarter's end, k€), ``consumption_rate``
        (0–1; NaN for a zero tranche), ``remaining_keur`` (tranche − consumed, negative
        when the tranche is exceeded, k€).

    Examples
    --------
    >>> cr = pd.DataFrame({"axis": [1], "title": ["T3"], "source": ["FTAP"], "year": [2019],
    ...                    "quarter": [2], "ae_keur": [120.0], "cp_keur": [0.0]})
    >>> plan = pd.DataFrame({"axis": [1], "title": ["T3"], "source": ["FTAP"], "year": [2019],
    ...                      "credit": ["AE"], "amount_keur": [400.0]})
    >>> t = tranche_status(cr, "2019T2", financing_plan=plan)
    >>> int(t.loc[0, "year"]), t.iloc[0, 1:].tolist()
    (2019, [400.0, 120.0, 0.3, 280.0])
    """
    env = envelope_consumption(credits, quarter, financing_plan=financing_plan)
    ftap = env[(env["source"] == "FTAP") & (env["credit"] == "AE")]
    out = pd.DataFrame({
        "year": ftap["year"].astype("int64"),
        "tranche_keur": ftap["planned_keur"].astype("float64"),
        "actual_keur": ftap["actual_keur"].astype("float64"),
        "consumption_rate": ftap["consumption_rate"].astype("float64"),
    })
    out["remaining_keur"] = out["tranche_keur"] - out["actual_keur"]
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- #
# Risks
# --------------------------------------------------------------------------- #
def _empty_register() -> pd.DataFrame:
    dtypes = {"risk_id": "str", "axis": "int64", "probability": "int64", "impact": "int64", "score": "int64",
              "status": "str", "description": "str", "mitigation": "str", "owner": "str",
              "identified_on": "datetime64[ns]", "closed_on": "datetime64[ns]", "new": "bool",
              "closed_in_quarter": "bool"}
    return pd.DataFrame({c: pd.Series(dtype=dtypes[c]) for c in RISK_REGISTER_COLUMNS})


def risk_register(risks: pd.DataFrame, quarter: object) -> pd.DataFrame:
    """The risk register as it stood at the end of ``quarter``.

    Parameters
    ----------
    risks : pandas.DataFrame
        ``Actuals.risks``: ``risk_id``, ``axis`` (1–4), ``description``, ``probability``
        and ``impact`` (1–4), ``mitigation``, ``owner``, ``status`` (``open`` / ``closed``,
        as of the workbook), ``identified_on``, ``closed_on`` (dates, NaT when blank).
    quarter : str or pandas.Period

    Returns
    -------
    pandas.DataFrame
        :data:`RISK_REGISTER_COLUMNS`: the risks identified by the quarter's end (a blank
        identification date counts as known from the start), ``score`` = probability ×
        impact (1–16), ``status`` at the quarter's end (assumption Q4): ``closed`` when
        ``closed_on`` is on or before the end, or when the risk is closed without a date;
        ``open`` otherwise (a risk closed after the quarter was open then). ``new``: identified
        within the quarter; ``closed_in_quarter``: ``closed_on`` within it. Sorted open first,
        then by score (highest first), impact, ``risk_id``.

    Examples
    --------
    >>> r = pd.DataFrame({"risk_id": ["R1", "R2"], "axis": [1, 2], "description": ["", ""],
    ...     "probability": [3, 2], "impact": [4, 2], "mitigation": ["", ""], "owner": ["", ""],
    ...     "status": ["closed", "open"], "identified_on": pd.to_datetime(["2019-02-01", "2020-08-01"]),
    ...     "closed_on": pd.to_datetime(["2020-11-15", None])})
    >>> risk_register(r, "2020T3")[["risk_id", "score", "status", "new"]].values.tolist()
    [['R1', 12, 'open', False], ['R2', 4, 'open', True]]
    """
    period = parse_quarter(quarter)
    missing = [c for c in _RISK_INPUT if c not in risks.columns]
    if missing:
        raise ParameterError(f"risk_register: column(s) {', '.join(missing)} missing; expected Actuals.risks")
    if risks.empty:
        return _empty_register()
    start, end = period.start_time.normalize(), period.end_time.normalize()
    ident = pd.to_datetime(risks["identified_on"])
    closed_on = pd.to_datetime(risks["closed_on"])
    known = ident.isna() | (ident <= end)
    r = risks[known].copy()
    ident, closed_on = ident[known], closed_on[known]
    closed = (closed_on.notna() & (closed_on <= end)) | (closed_on.isna() & (r["status"].astype(str) == "closed"))
    out = pd.DataFrame({
        "risk_id": r["risk_id"].astype("str"), "axis": r["axis"].astype("int64"),
        "probability": r["probability"].astype("int64"), "impact": r["impact"].astype("int64"),
    })
    out["score"] = out["probability"] * out["impact"]
    out["status"] = np.where(closed, "closed", "open")
    for col in ("description", "mitigation", "owner"):
        out[col] = r[col].astype("str").fillna("")
    out["identified_on"] = ident.astype("datetime64[ns]")
    out["closed_on"] = closed_on.where(closed).astype("datetime64[ns]")
    out["new"] = ((ident >= start) & (ident <= end)).to_numpy(dtype=bool)
    out["closed_in_quarter"] = ((closed_on >= start) & (closed_on <= end)).to_numpy(dtype=bool)
    out = out.astype({"status": "str"})
    out = out.assign(_o=(out["status"] != "open")).sort_values(
        ["_o", "score", "impact", "risk_id"], ascending=[True, False, False, True], kind="stable")
    return out.drop(columns="_o").loc[:, list(RISK_REGISTER_COLUMNS)].reset_index(drop=True)


def risk_counts(register: pd.DataFrame) -> dict[str, int]:
    """Risks ``new``, ``open``, ``closed`` (in the quarter) and the ``top_score`` of the open ones.

    Parameters
    ----------
    register : pandas.DataFrame
        :func:`risk_register`.

    Returns
    -------
    dict
        ``new`` (identified in the quarter), ``open`` (open at its end), ``closed`` (closed
        in the quarter), ``top_score`` (highest score of the open risks, 0 when none).
    """
    open_ = register[register["status"] == "open"]
    return {"new": int(register["new"].sum()), "open": len(open_),
            "closed": int(register["closed_in_quarter"].sum()),
            "top_score": int(open_["score"].max()) if len(open_) else 0}


def risk_matrix(register: pd.DataFrame) -> pd.DataFrame:
    """The 4 × 4 probability × impact matrix: number of open risks in each cell.

    Parameters
    ----------
    register : pandas.DataFrame
        :func:`risk_register`.

    Returns
    -------
    pandas.DataFrame
        Index ``probability`` 4, 3, 2, 1 (top row: most likely), columns ``impact`` 1–4;
        counts (int) of the risks open at the quarter's end.

    Examples
    --------
    >>> reg = pd.DataFrame({"probability": [3, 3, 1], "impact": [4, 4, 2], "status": ["open", "open", "closed"]})
    >>> int(risk_matrix(reg).loc[3, 4]), int(risk_matrix(reg).to_numpy().sum())
    (2, 2)
    """
    open_ = register[register["status"] == "open"]
    counts = open_.groupby(["probability", "impact"]).size()
    grid = pd.DataFrame(0, index=pd.Index([4, 3, 2, 1], name="probability"),
                        columns=pd.Index([1, 2, 3, 4], name="impact"), dtype="int64")
    for (p, i), n in counts.items():
        grid.loc[int(p), int(i)] = int(n)
    return grid


def top_risks(register: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The ``n`` open risks of highest score (ties: higher impact, then ``risk_id``)."""
    return register[register["status"] == "open"].head(n).reset_index(drop=True)


# --------------------------------------------------------------------------- #
# Indicators and savings
# --------------------------------------------------------------------------- #
def _quarter_target(rows: pd.DataFrame, kind: str, period: pd.Period) -> tuple[int, float, float]:
    """(target year, year-end target, target at the quarter's end) of one indicator (assumption Q5)."""
    years = rows["year"].astype(int).tolist()
    targets = rows["target"].astype(float).tolist()
    by_year = dict(zip(years, targets, strict=True))
    y = period.year
    if kind != "progress":  # result indicators: one constant target
        return years[-1], targets[-1], targets[-1]
    if y > years[-1]:
        return years[-1], targets[-1], targets[-1]
    if y < years[0] - 1:
        return years[0], targets[0], 0.0
    target_year = min(t for t in years if t >= y)
    if target_year != y:  # the year before the first target: from 0 at the end of y-1
        return target_year, by_year[target_year], 0.0
    prev = by_year.get(y - 1, 0.0)
    return y, by_year[y], prev + (by_year[y] - prev) * period.quarter / 4


def indicators_at_quarter(indicators: pd.DataFrame, quarter: object, *, green: float = 0.95,
                          amber: float = 0.75, targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """The indicators against their intermediate target at the end of ``quarter``.

    Parameters
    ----------
    indicators : pandas.DataFrame
        ``Actuals.indicators``: ``indicator``, ``year``, ``value`` (level reached: the row
        of the current year holds the level reached so far, the officer updates it each
        quarter), ``comment``.
    quarter : str or pandas.Period
    green, amber : float
        The annual report's RAG thresholds (attainment shares 0–1).
    targets : pandas.DataFrame, optional
        :func:`incubo_analysis.contract.loaders.load_indicator_targets` (default: loaded).

    Returns
    -------
    pandas.DataFrame
        :data:`QUARTER_INDICATOR_COLUMNS`, one row per indicator in the contract's order:
        ``kind`` (progress / result), ``target_year`` and ``year_end_target`` (the next
        year-end target of the contract), ``target`` (the target at the quarter's end,
        assumption Q5: progress indicators linearly between the previous year-end target,
        0 at the end of 2018, and the current year's, by quarter; result indicators their
        one target), ``value_year`` (the year of the value used: the latest reported year up
        to the quarter's year, NaN when none), ``actual``, ``attainment`` (actual / target),
        ``status``: ``green`` / ``amber`` / ``red`` by the thresholds, ``red`` when nothing is
        reported although a target runs, ``not_due`` when no target runs yet (a result
        indicator before its target year with no value, any indicator before 2019).

    Examples
    --------
    Agents trained at 2020T2: half-way from 750 (end 2019) to 1 500 (end 2020) is 1 125;
    1 000 reported is 89 %, amber.

    >>> ind = pd.DataFrame({"indicator": ["axis3_agents_trained"], "year": [2020], "value": [1000.0],
    ...                     "comment": [""]})
    >>> t = indicators_at_quarter(ind, "2020T2")
    >>> t.loc[t.indicator == "axis3_agents_trained", ["target", "actual", "status"]].values.tolist()
    [[1125.0, 1000.0, 'amber']]
    """
    period = parse_quarter(quarter)
    if targets is None:
        from incubo_analysis.contract.loaders import load_indicator_targets

        targets = load_indicator_targets()
    reported = indicators[indicators["year"].astype(int) <= period.year].sort_values("year")
    latest = reported.groupby("indicator").tail(1).set_index("indicator")
    rows = []
    for ind, group in targets.groupby("indicator", sort=False):
        kind = str(group["kind"].iloc[0]) if "kind" in group.columns else "progress"
        t_year, t_end, target = _quarter_target(group.sort_values("year"), kind, period)
        has = ind in latest.index
        actual = float(latest.loc[ind, "value"]) if has else float("nan")
        rows.append((ind, kind, t_year, t_end, target, int(latest.loc[ind, "year"]) if has else np.nan, actual))
    out = pd.DataFrame(rows, columns=list(QUARTER_INDICATOR_COLUMNS[:7]))
    out["attainment"] = (out["actual"] / out["target"]).where(out["target"] != 0)
    att = out["attainment"]
    due = (out["target"] != 0) & ~((out["kind"] != "progress") & out["actual"].isna()
                                   & (out["target_year"] > period.year))
    out["status"] = np.where(due, rag_status(att, green=green, amber=amber), "not_due")
    return out.astype({"indicator": "str", "kind": "str", "target_year": "int64", "value_year": "float64",
                       "status": "str"})


def measured_indicators(indicators: pd.DataFrame, measured: pd.DataFrame | None, quarter: object, *,
                        green: float = 0.95, amber: float = 0.75) -> pd.DataFrame:
    """The indicators at the quarter with the processing time measured on the exports in place of the typed value.

    Parameters
    ----------
    indicators : pandas.DataFrame
        :func:`indicators_at_quarter`.
    measured : pandas.DataFrame or None
        ``processing_time_indicator`` of :func:`incubo_analysis.monitoring.sources.source_tables`
        (one row: ``value``, the share 0–1 of the démarches with a reference time whose median
        over the four quarters ending with ``quarter`` is at most half of it). None (no export)
        or a NaN value (no reference time in the workbook) leaves ``indicators`` unchanged.
    quarter : str or pandas.Period
    green, amber : float
        As :func:`indicators_at_quarter`.

    Returns
    -------
    pandas.DataFrame
        ``indicators`` where the row ``axis1_processing_time_reduction`` has ``actual`` = the
        measured share, ``value_year`` = the quarter's year, ``attainment`` = actual / target
        and ``status`` = ``not_due`` before its target year (as a result indicator with nothing
        typed), else green / amber / red by the thresholds (assumption Q9).

    Examples
    --------
    Two démarches out of three reach the 50 % reduction: 2/3 against the 0.5 target of
    end 2021 is 133 % (green) in 2021 and "not yet due" in 2020.

    >>> none = pd.DataFrame({"indicator": [], "year": [], "value": [], "comment": []})
    >>> m = pd.DataFrame({"value": [2 / 3]})
    >>> def row(quarter):
    ...     t = measured_indicators(indicators_at_quarter(none, quarter), m, quarter)
    ...     return t.loc[t.indicator == "axis1_processing_time_reduction"].iloc[0]
    >>> r = row("2021T4")
    >>> round(float(r["actual"]), 4), round(float(r["attainment"]), 4), r["status"], int(r["value_year"])
    (0.6667, 1.3333, 'green', 2021)
    >>> row("2020T3")["status"]
    'not_due'
    """
    if measured is None or measured.empty or pd.isna(measured["value"].iloc[0]):
        return indicators
    period = parse_quarter(quarter)
    out = indicators.copy()
    at = out.index[out["indicator"] == PROCESSING_TIME_INDICATOR]
    if not len(at):
        return out
    value = float(measured["value"].iloc[0])
    target = float(out.loc[at[0], "target"])
    attainment = value / target if target else float("nan")
    due = target != 0 and int(out.loc[at[0], "target_year"]) <= period.year
    status = rag_status(attainment, green=green, amber=amber) if due else "not_due"
    out.loc[at, ["actual", "value_year", "attainment"]] = [value, float(period.year), attainment]
    out.loc[at, "status"] = status
    return out


def savings_to_date(variance: pd.DataFrame, quarter: object) -> pd.DataFrame:
    """Realised against planned savings, cumulated over the complete years at the quarter's end.

    Parameters
    ----------
    variance : pandas.DataFrame
        :func:`incubo_analysis.monitoring.variance.savings_variance` (lever × reported year).
    quarter : str or pandas.Period

    Returns
    -------
    pandas.DataFrame
        :data:`SAVINGS_TO_DATE_COLUMNS`: one row per lever reported, then ``total``;
        ``last_year`` the last complete year (the year before the quarter's; the quarter's
        own year at T4: savings are an annual measure, assumption Q6), ``planned_keur`` and
        ``actual_keur`` summed over the reported years up to it (k€), ``variance_keur``,
        ``variance_pct`` (variance / planned, NaN when nothing planned). Only ``total``
        (zeros) when no complete year is reported.

    Examples
    --------
    >>> v = pd.DataFrame({"lever": ["user_support"] * 2, "year": [2019, 2020], "planned_keur": [100.0, 200.0],
    ...                   "actual_keur": [90.0, 250.0]})
    >>> savings_to_date(v, "2020T3")[["lever", "last_year", "actual_keur", "variance_keur"]].values.tolist()
    [['user_support', 2019, 90.0, -10.0], ['total', 2019, 90.0, -10.0]]
    """
    period = parse_quarter(quarter)
    last = period.year if period.quarter == 4 else period.year - 1
    sel = variance[(variance["year"] <= last) & (variance["lever"] != "total")]
    per = sel.groupby("lever", as_index=False, sort=False)[["planned_keur", "actual_keur"]].sum()
    total = pd.DataFrame({"lever": ["total"], "planned_keur": [float(sel["planned_keur"].sum())],
                          "actual_keur": [float(sel["actual_keur"].sum())]})
    out = pd.concat([per, total], ignore_index=True)
    out["last_year"] = last
    out["variance_keur"] = out["actual_keur"] - out["planned_keur"]
    out["variance_pct"] = (out["variance_keur"] / out["planned_keur"]).where(out["planned_keur"] != 0)
    return out.loc[:, list(SAVINGS_TO_DATE_COLUMNS)].astype(
        {"lever": "str", "last_year": "int64", "planned_keur": "float64", "actual_keur": "float64"})


def milestones_at_quarter(actuals: Any, quarter: object, *, milestones: pd.DataFrame | None = None) -> pd.DataFrame:
    """The annex III milestones' status at the end of ``quarter``, late ones first.

    Parameters
    ----------
    actuals : Actuals
        The workbook (its ``milestones``: the "Jalons" sheet; empty when the sheet is absent).
    quarter : str or pandas.Period
    milestones : pandas.DataFrame, optional
        :func:`incubo_analysis.contract.loaders.load_milestones` (default: loaded).

    Returns
    -------
    pandas.DataFrame
        :func:`incubo_analysis.monitoring.milestones.milestone_status` (``milestone_id``,
        ``axis``, ``action``, ``planned_end``, ``done_on``, ``status``, ...), sorted late first,
        then rescheduled, on time, done (stable within a status: annex III order).
    """
    from incubo_analysis.monitoring.milestones import MILESTONE_STATUS_COLUMNS, milestone_status

    period = parse_quarter(quarter)
    if milestones is None:
        from incubo_analysis.contract.loaders import load_milestones

        milestones = load_milestones()
    out = milestone_status(milestones, actuals.milestones, period)
    order = {"late": 0, "rescheduled": 1, "on_time": 2, "done": 3}
    out = out.assign(_o=out["status"].map(order).fillna(4)).sort_values("_o", kind="stable").drop(columns="_o")
    cols = [c for c in MILESTONE_STATUS_COLUMNS if c in out.columns]
    return out.loc[:, cols + [c for c in out.columns if c not in cols]].reset_index(drop=True)


# --------------------------------------------------------------------------- #
# Inputs and the one calculation path
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class QuarterlyInputs:
    """Validated inputs of one quarterly pack.

    Attributes
    ----------
    quarter : pandas.Period
        The quarter (calendar).
    actuals_path, scenario_path : Path
        The workbook and the plan scenario (absolute).
    actuals : Actuals
    scenario : Scenario
    lang : {"fr", "en"}
    green, amber : float
        RAG thresholds of the indicators (attainment shares 0–1), as the annual report.
    shown : Mapping
        ``actuals`` and ``scenario`` paths as shown to readers.
    sources : Sources
        The démarches-simplifiées exports and the Chorus extract, read and validated
        (:func:`incubo_analysis.monitoring.sources.read_sources`; empty when none is given).
    """

    quarter: pd.Period
    actuals_path: Path
    scenario_path: Path
    actuals: Any
    scenario: Any
    lang: str = "fr"
    green: float = 0.95
    amber: float = 0.75
    shown: Mapping[str, str] = field(default_factory=dict)
    sources: Sources = field(default_factory=Sources)

    @property
    def code(self) -> str:
        """The quarter as written in file names: ``2020T3``."""
        return quarter_code(self.quarter)


def validate_quarterly_inputs(*, quarter: object, actuals: str | os.PathLike[str],
                              scenario: str | os.PathLike[str] | None = None, lang: str = "fr",
                              out: str | os.PathLike[str] | None = None, green: float = 0.95,
                              amber: float = 0.75, ds_exports: Iterable[str | os.PathLike[str]] = (),
                              chorus: str | os.PathLike[str] | None = None,
                              chorus_mapping: str | os.PathLike[str] | None = None) -> QuarterlyInputs:
    """Check every input of the quarterly pack before anything is computed or written.

    Parameters
    ----------
    quarter : str or pandas.Period
        ``2020T3``, ``2020-T3`` or ``2020Q3``, within :data:`FIRST_QUARTER`–:data:`LAST_QUARTER`.
    actuals, scenario : path
        The officer's workbook; the plan scenario (None: ``params/baseline.yaml``).
    lang : {"fr", "en"}
    out : path, optional
        The output folder (must not be a file).
    green, amber : float
        Indicator thresholds (shares 0–1), ``amber <= green``.
    ds_exports : iterable of path
        démarches-simplifiées exports (xlsx, csv, ods; none by default).
    chorus, chorus_mapping : path, optional
        A Chorus extract and how to read it (default ``params/chorus_mapping.yaml``).

    Raises
    ------
    InputError
        A located message (French and English): the quarter, the scenario's file and key, the
        workbook's sheet and cell, an output path that is a file, a missing file, an export or
        an extract that cannot be read (file, row or line, column).
    """
    from incubo_analysis.contract.loaders import load_contract, load_milestones
    from incubo_analysis.model.params import load_scenario
    from incubo_analysis.monitoring.annual import check_run_options
    from incubo_analysis.monitoring.reader import read_actuals

    check_run_options(lang=lang, out=out, green=green, amber=amber)
    period = check_quarter(quarter)
    load_contract()
    load_milestones()  # raises SchemaError on a damaged transcription
    scenario_path = Path(scenario).resolve() if scenario else BASELINE_PARAMS
    scen = load_scenario(scenario_path)
    actuals_path = Path(actuals).resolve()
    act = read_actuals(actuals_path, scenario=scen, lang=lang)
    sources = read_sources(ds_exports=ds_exports, chorus=chorus, chorus_mapping=chorus_mapping, lang=lang)
    return QuarterlyInputs(period, actuals_path, scenario_path, act, scen, lang, green, amber,
                           {"actuals": shown_path(actuals_path), "scenario": shown_path(scenario_path)}, sources)


def quarterly_tables(inputs: QuarterlyInputs) -> dict[str, Any]:
    """Every table of the quarterly pack, from validated inputs (the one calculation path).

    Returns
    -------
    dict
        ``indicators`` (:func:`indicators_at_quarter`), ``milestones``
        (:func:`milestones_at_quarter`), ``risk_register``, ``risks`` (the register's
        :data:`RISKS_COLUMNS`), ``risk_matrix``, ``top_risks``, ``risk_counts`` (a dict),
        ``credits_to_date``, ``envelopes``, ``tranches``, ``savings_to_date``; with
        démarches-simplifiées exports also ``processing_times``, ``processing_time_reduction`` and
        ``processing_time_indicator``, with a Chorus extract ``credits_crosscheck``
        (:func:`incubo_analysis.monitoring.sources.source_tables` up to the quarter); the
        indicators then show the measured processing time (:func:`measured_indicators`).
    """
    from incubo_analysis.monitoring.variance import savings_variance

    q, act = inputs.quarter, inputs.actuals
    register = risk_register(act.risks, q)
    extra = source_tables(inputs.sources, act, as_of=q)
    indicators = indicators_at_quarter(act.indicators, q, green=inputs.green, amber=inputs.amber)
    return {
        "indicators": measured_indicators(indicators, extra.get("processing_time_indicator"), q,
                                          green=inputs.green, amber=inputs.amber),
        "milestones": milestones_at_quarter(act, q),
        "risk_register": register,
        "risks": register.loc[:, list(RISKS_COLUMNS)],
        "risk_matrix": risk_matrix(register),
        "top_risks": top_risks(register),
        "risk_counts": risk_counts(register),
        "credits_to_date": credits_to_date(act.credits, q),
        "envelopes": envelope_consumption(act.credits, q),
        "tranches": tranche_status(act.credits, q),
        "savings_to_date": savings_to_date(savings_variance(act, inputs.scenario), q),
        **extra,
    }

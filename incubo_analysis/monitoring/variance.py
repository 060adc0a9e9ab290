"""Plan versus actual: savings (volume / price), credits (AE / CP) and indicators.

Every function is pure: it takes an :class:`~incubo_analysis.monitoring.reader.Actuals`
(or a frame made by another function of this module) and returns a new tidy
frame; inputs are never modified. Amounts are in k€, FTE in full-time
equivalents, shares and rates as fractions (0-1).

Choices (also logged in ``docs/assumptions.md`` section 4 and "Savings ledger"):

- savings: only the lever × year rows reported in the actuals are compared; a
  planned lever-year with no actual row is "not yet reported" and left out
  (never counted as zero savings);
- credits: the years compared run from the first to the last year reported in
  the ``credits`` sheet; within them every planned group-year-credit with a
  non-zero plan gets a row (actual 0 when nothing was reported for it);
- indicators: the target years up to the last closed year (the last year of
  the ``savings`` or ``indicators`` sheets) are assessed; a target with no
  reported value is ``red``;
- savings ledger: a realised saving is a **documented budget saving** when its
  nature is a post cut or a non-replacement (visible in a programme's schéma
  d'emplois) and its justificatif is not blank; a **productivity gain** when
  its nature is a redeployment or a productivity gain (agents' time freed, no
  budget cut); **undocumented** otherwise (blank nature, or a budget nature
  without a justificatif). A savings frame without the ledger columns (an old
  workbook) reads as all undocumented, programme unknown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from incubo_analysis.contract.schema import CREDITS, LEVERS
from incubo_analysis.errors import ParameterError

if TYPE_CHECKING:  # pragma: no cover
    from incubo_analysis.monitoring.reader import Actuals

__all__ = [
    "SAVINGS_VARIANCE_COLUMNS",
    "SAVINGS_CUMULATIVE_COLUMNS",
    "CREDITS_VARIANCE_COLUMNS",
    "CREDITS_QUARTERLY_COLUMNS",
    "INDICATOR_STATUS_COLUMNS",
    "PROGRAMME_COLUMNS",
    "PROGRAMME_SHARES",
    "STATUSES",
    "BUDGET_NATURES",
    "PRODUCTIVITY_NATURES",
    "SAVING_CLASSES",
    "EVIDENCE_COLUMNS",
    "PROGRAMME_BASES",
    "savings_variance",
    "savings_variance_cumulative",
    "credits_variance",
    "credits_quarterly",
    "indicator_status",
    "rag_status",
    "savings_by_programme",
    "classify_savings",
    "savings_by_evidence",
]

SAVINGS_VARIANCE_COLUMNS: tuple[str, ...] = (
    "lever", "year", "planned_etp", "actual_etp", "planned_keur", "actual_keur",
    "variance_keur", "variance_pct", "volume_effect_keur", "price_effect_keur",
    "explanation", "explanation_missing", "nature", "programme", "documented", "justificatif",
)
SAVINGS_CUMULATIVE_COLUMNS: tuple[str, ...] = (
    "lever", "year", "planned_keur", "actual_keur", "variance_keur", "variance_pct",
    "volume_effect_keur", "price_effect_keur",
)
CREDITS_VARIANCE_COLUMNS: tuple[str, ...] = (
    "axis", "title", "source", "year", "credit", "planned_keur", "actual_keur",
    "variance_keur", "consumption_rate", "share_of_budget",
)
CREDITS_QUARTERLY_COLUMNS: tuple[str, ...] = (
    "axis", "year", "quarter", "credit", "actual_keur", "cumulated_keur",
    "cumulated_share_of_budget",
)
INDICATOR_STATUS_COLUMNS: tuple[str, ...] = (
    "indicator", "year", "target", "actual", "attainment", "status",
)
PROGRAMME_COLUMNS: tuple[str, ...] = ("year", "programme", "share", "actual_keur", "basis")
#: ``basis`` of a :func:`savings_by_programme` row: attributed by the ledger, or the contract's thirds.
PROGRAMME_BASES: tuple[str, ...] = ("observed", "indicative_thirds")
#: Natures of a budget saving (a post cut, a post not replaced: visible in a schéma d'emplois).
BUDGET_NATURES: tuple[str, ...] = ("post_cut", "non_replacement")
#: Natures of a productivity gain (agents redeployed, time freed: no budget cut).
PRODUCTIVITY_NATURES: tuple[str, ...] = ("redeployment", "productivity")
#: Classes of :func:`classify_savings`, in reading order.
SAVING_CLASSES: tuple[str, ...] = ("documented_budget", "productivity", "undocumented")
EVIDENCE_COLUMNS: tuple[str, ...] = (
    "year", "saving_class", "actual_etp", "actual_keur", "share", "cum_actual_keur", "cum_share",
)
_LEDGER_TEXTS: tuple[str, ...] = ("nature", "programme", "justificatif")
STATUSES: tuple[str, ...] = ("green", "amber", "red")

#: Contract §3: the savings "pourrai[en]t se répartir à raison d'un tiers pour le
#: ministère de l'Intérieur, un tiers pour la DREAL et un tiers sur l'ensemble
#: des autres BOP".
PROGRAMME_SHARES: dict[str, float] = {
    "interieur": 1.0 / 3.0,
    "dreal": 1.0 / 3.0,
    "other_bops": 1.0 / 3.0,
}

_TOTAL = "total"


# --------------------------------------------------------------------------- #
# Savings
# --------------------------------------------------------------------------- #
def _lever_order(frame: pd.DataFrame) -> pd.DataFrame:
    order = {lever: i for i, lever in enumerate((*LEVERS, _TOTAL))}
    key = frame["lever"].map(order).fillna(len(order))
    return (frame.assign(_k=key).sort_values(["_k", "year"], kind="stable")
            .drop(columns="_k").reset_index(drop=True))


def savings_variance(actuals: Actuals, scenario: Any | None = None, *, threshold: float = 0.10) -> pd.DataFrame:
    """Realised versus planned savings, per lever and year, split into volume and price.

    Parameters
    ----------
    actuals : Actuals
        The validated workbook (:func:`incubo_analysis.monitoring.reader.read_actuals`).
    scenario : Scenario, optional
        The plan (default: the contract baseline, :func:`incubo_analysis.model.params.baseline`).
    threshold : float, default 0.10
        A gap whose ``|variance_pct|`` exceeds this share must be explained
        (contract §7); when the explanation is blank, ``explanation_missing``
        is True.

    Returns
    -------
    pandas.DataFrame
        One row per row of the actuals' savings (normally one per lever ×
        year *reported*; a planned lever-year not reported is left out), sorted
        by lever then year, columns :data:`SAVINGS_VARIANCE_COLUMNS`:
        ``lever``, ``year``, ``planned_etp``, ``actual_etp`` (FTE),
        ``planned_keur``, ``actual_keur``, ``variance_keur`` (k€),
        ``variance_pct`` (variance / planned, a fraction; NaN when nothing was
        planned), ``volume_effect_keur``, ``price_effect_keur`` (k€),
        ``explanation`` (str), ``explanation_missing`` (bool), then the
        ledger: ``nature`` (code of :data:`BUDGET_NATURES` or
        :data:`PRODUCTIVITY_NATURES`, "" when blank), ``programme`` (str, ""
        when blank), ``documented`` (bool: a budget nature with a
        justificatif) and ``justificatif`` (str, the evidence's reference, ""
        when blank). A savings frame without the ledger columns (an old
        workbook) gives blanks and ``documented`` False.

    Notes
    -----
    With planned FTE :math:`e_p`, planned unit cost :math:`c_p` (k€/FTE, from
    the scenario, growth included), actual FTE :math:`e_a` and actual unit
    cost :math:`c_a` (the workbook's, or :math:`c_p` when left blank):

    - planned = :math:`e_p c_p`, actual = :math:`e_a c_a`;
    - volume effect = :math:`(e_a - e_p)\\,c_p`; price effect = :math:`e_a (c_a - c_p)`;
    - variance = volume + price (computed as that sum, so the two effects add
      up to the variance exactly; it equals actual − planned up to floating
      point rounding, about 1e-13 k€).

    When nothing was planned (``planned_keur`` = 0) any non-zero variance
    counts as beyond the threshold.

    Examples
    --------
    The issue's case: 2.0 FTE freed instead of 2.5, at 58 k€ instead of 57.

    >>> import pandas as pd
    >>> from incubo_analysis.monitoring.reader import Actuals
    >>> from incubo_analysis.model.params import baseline
    >>> sav = pd.DataFrame({"lever": ["dematerialisation"], "year": [2019], "etp_freed": [2.0],
    ...                     "unit_cost_keur": [58.0], "explanation": [""]})
    >>> a = Actuals(sav, pd.DataFrame(), pd.DataFrame(), path=None, sha256="")
    >>> v = savings_variance(a, baseline())
    >>> v.loc[0, ["planned_keur", "actual_keur", "variance_keur",
    ...           "volume_effect_keur", "price_effect_keur"]].tolist()
    [142.5, 116.0, -26.5, -28.5, 2.0]
    >>> bool(v.loc[0, "explanation_missing"])  # -18.6 % and no explanation
    True
    """
    if not (threshold >= 0 and np.isfinite(threshold)):
        raise ParameterError(f"savings_variance: threshold={threshold!r}; expected a share >= 0")
    if scenario is None:
        from incubo_analysis.model.params import baseline

        scenario = baseline()
    if actuals.savings.empty:
        return _empty(SAVINGS_VARIANCE_COLUMNS, {"lever": "str", "year": "int64", "explanation": "str",
                                                 "explanation_missing": "bool", "nature": "str",
                                                 "programme": "str", "documented": "bool",
                                                 "justificatif": "str"})
    return _lever_order(_savings_effects(_plan_beside_actuals(actuals.savings, scenario), threshold))


def _ledger_texts(act: pd.DataFrame) -> pd.DataFrame:
    """The ledger's text columns of a savings frame, blanks as ""; absent columns read as blank.

    Raises
    ------
    ParameterError
        When a ``nature`` is not one of the codes (or blank).
    """
    out: dict[str, pd.Series] = {}
    for col in _LEDGER_TEXTS:
        if col in act.columns:
            out[col] = act[col].astype("object").where(act[col].notna(), "").astype("str").str.strip()
        else:
            out[col] = pd.Series("", index=act.index, dtype="str")
    frame = pd.DataFrame(out, index=act.index)
    known = {"", *BUDGET_NATURES, *PRODUCTIVITY_NATURES}
    bad = [(i, v) for i, v in enumerate(frame["nature"].tolist()) if v not in known]
    if bad:
        from incubo_analysis.labels import label

        fields = {"value": bad[0][1], "row": bad[0][0], "more": len(bad) - 1,
                  "codes": ", ".join((*BUDGET_NATURES, *PRODUCTIVITY_NATURES))}
        texts = {lang: label("ledger.error.nature", lang).format(**fields) for lang in ("fr", "en")}
        raise ParameterError(texts["en"], texts=texts)
    return frame


def _plan_beside_actuals(act: pd.DataFrame, scenario: Any) -> pd.DataFrame:
    """Each reported row with its planned FTE and unit cost, blanks filled.

    Columns ``lever``, ``year``, ``explanation``, the ledger's ``nature``,
    ``programme``, ``justificatif`` (str, "" when blank or absent) and
    ``planned_etp``, ``actual_etp`` (FTE), ``planned_cost``, ``actual_cost``
    (k€ per FTE and year; a blank actual cost is the planned one). When a
    lever × year has several ledger rows, its planned FTE is shared among them
    in proportion to their actual FTE (equally when these are all 0), so the
    lever-year's planned total and effects are unchanged.
    """
    from incubo_analysis.model.savings import planned_savings

    plan = planned_savings(scenario)
    plan = pd.DataFrame({
        "lever": plan["lever"].astype("str"),
        "year": plan["year"].astype("int64"),
        "planned_etp": plan["planned_etp"].astype("float64"),
        "planned_cost": plan["unit_cost_keur"].astype("float64"),
    })
    df = pd.DataFrame({
        "lever": act["lever"].astype("str"),
        "year": act["year"].astype("int64"),
        "actual_etp": act["etp_freed"].astype("float64"),
        "actual_cost": act["unit_cost_keur"].astype("float64"),
        "explanation": act["explanation"].astype("str").fillna(""),
    }).join(_ledger_texts(act)).reset_index(drop=True)
    df = df.merge(plan, on=["lever", "year"], how="left", validate="many_to_one")
    # A reported year outside the plan's years (before base_year): nothing planned,
    # at the scenario's unit cost for that year.
    fallback = float(scenario.unit_cost_keur) * (1.0 + float(scenario.unit_cost_growth)) ** (
        df["year"] - int(scenario.base_year)).astype("float64")
    planned_cost = df["planned_cost"].fillna(fallback)
    group = df.groupby(["lever", "year"], sort=False)["actual_etp"]
    total, count = group.transform("sum"), group.transform("size").astype("float64")
    weight = (df["actual_etp"] / total).where(total > 0, 1.0 / count)
    return df.assign(planned_cost=planned_cost, planned_etp=df["planned_etp"].fillna(0.0) * weight,
                     actual_cost=df["actual_cost"].fillna(planned_cost))


def _savings_effects(df: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Planned, actual, variance, volume and price effects (k€) of :func:`_plan_beside_actuals` rows."""
    planned_etp, planned_cost = df["planned_etp"], df["planned_cost"]
    actual_etp, actual_cost = df["actual_etp"], df["actual_cost"]
    planned_keur = planned_etp * planned_cost
    actual_keur = actual_etp * actual_cost
    volume = (actual_etp - planned_etp) * planned_cost
    price = actual_etp * (actual_cost - planned_cost)
    variance = volume + price
    pct = (variance / planned_keur).where(planned_keur != 0)
    beyond = (pct.abs() > threshold) | ((planned_keur == 0) & (variance != 0))
    blank = df["explanation"].str.strip() == ""
    return pd.DataFrame({
        "lever": df["lever"],
        "year": df["year"],
        "planned_etp": planned_etp,
        "actual_etp": actual_etp,
        "planned_keur": planned_keur,
        "actual_keur": actual_keur,
        "variance_keur": variance,
        "variance_pct": pct.astype("float64"),
        "volume_effect_keur": volume,
        "price_effect_keur": price,
        "explanation": df["explanation"],
        "explanation_missing": (beyond & blank).astype("bool"),
        "nature": df["nature"],
        "programme": df["programme"],
        "documented": _documented(df["nature"], df["justificatif"]),
        "justificatif": df["justificatif"],
    })


def _documented(nature: pd.Series, justificatif: pd.Series) -> pd.Series:
    """A budget nature (post cut, non-replacement) with a justificatif that is not blank."""
    return (nature.isin(BUDGET_NATURES) & (justificatif.str.strip() != "")).astype("bool")


def savings_variance_cumulative(variance: pd.DataFrame) -> pd.DataFrame:
    """Savings variance cumulated to date, per lever and in total.

    Parameters
    ----------
    variance : pandas.DataFrame
        The output of :func:`savings_variance`.

    Returns
    -------
    pandas.DataFrame
        One row per lever × reported year, plus one row per year with
        ``lever`` = ``"total"`` (all levers), columns ``lever``, ``year``,
        ``planned_keur``, ``actual_keur``, ``variance_keur``,
        ``volume_effect_keur``, ``price_effect_keur`` (k€, each the sum over the
        *reported* years up to and including ``year``) and ``variance_pct``
        (cumulated variance / cumulated plan). FTE are not cumulated (a sum of
        FTE over years is not a number of FTE).

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.DataFrame({"lever": ["user_support", "user_support"], "year": [2019, 2020],
    ...     "planned_keur": [21.375, 64.125], "actual_keur": [22.8, 62.7],
    ...     "variance_keur": [1.425, -1.425], "volume_effect_keur": [1.425, -1.425],
    ...     "price_effect_keur": [0.0, 0.0]})
    >>> c = savings_variance_cumulative(v)
    >>> c.loc[c["year"] == 2020, ["lever", "planned_keur", "actual_keur", "variance_keur"]].values.tolist()
    [['user_support', 85.5, 85.5, 0.0], ['total', 85.5, 85.5, 0.0]]
    """
    values = ["planned_keur", "actual_keur", "variance_keur", "volume_effect_keur", "price_effect_keur"]
    missing = [c for c in ("lever", "year", *values) if c not in variance.columns]
    if missing:
        raise ParameterError(
            f"savings_variance_cumulative: column(s) {', '.join(missing)} missing; "
            "expected the output of savings_variance"
        )
    if variance.empty:
        return _empty(SAVINGS_CUMULATIVE_COLUMNS, {"lever": "str", "year": "int64"})
    base = variance.loc[:, ["lever", "year", *values]].copy()
    base["lever"] = base["lever"].astype("str")
    base["year"] = base["year"].astype("int64")
    # several ledger rows of one lever-year add up to that lever-year
    base = base.groupby(["lever", "year"], as_index=False, sort=True)[values].sum()
    per_lever = base.loc[:, ["lever", "year"]].copy()
    for col in values:
        per_lever[col] = base.groupby("lever", sort=False)[col].cumsum()
    annual = base.groupby("year", as_index=False)[values].sum().sort_values("year")
    total = annual.loc[:, ["year"]].copy()
    total.insert(0, "lever", _TOTAL)
    for col in values:
        total[col] = annual[col].cumsum()
    out = pd.concat([per_lever, total], ignore_index=True)
    out["variance_pct"] = (out["variance_keur"] / out["planned_keur"]).where(out["planned_keur"] != 0)
    out = out.loc[:, list(SAVINGS_CUMULATIVE_COLUMNS)]
    out["lever"] = out["lever"].astype("str")
    return _lever_order(out)


# --------------------------------------------------------------------------- #
# Credits
# --------------------------------------------------------------------------- #
_GROUP = ["axis", "title", "source"]


def _planned_credits(financing_plan: pd.DataFrame | None) -> pd.DataFrame:
    if financing_plan is None:
        from incubo_analysis.contract.loaders import load_financing_plan

        financing_plan = load_financing_plan()
    plan = financing_plan.groupby([*_GROUP, "year", "credit"], as_index=False)["amount_keur"].sum()
    return pd.DataFrame({
        "axis": plan["axis"].astype("int64"),
        "title": plan["title"].astype("str"),
        "source": plan["source"].astype("str"),
        "year": plan["year"].astype("int64"),
        "credit": plan["credit"].astype("str"),
        "planned_keur": plan["amount_keur"].astype("float64"),
    })


def _actual_credits_long(credits: pd.DataFrame) -> pd.DataFrame:
    """Quarterly credit rows in long form: one row per group × year × quarter × credit."""
    parts = []
    for credit in CREDITS:
        part = credits.loc[:, [*_GROUP, "year", "quarter"]].copy()
        part["credit"] = credit
        part["actual_keur"] = credits[f"{credit.lower()}_keur"].astype("float64")
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out["axis"] = out["axis"].astype("int64")
    out["year"] = out["year"].astype("int64")
    out["quarter"] = out["quarter"].astype("int64")
    for col in ("title", "source", "credit"):
        out[col] = out[col].astype("str")
    return out


def _budget_by_credit(plan: pd.DataFrame) -> dict[str, float]:
    totals = plan.groupby("credit")["planned_keur"].sum()
    return {c: float(totals.get(c, 0.0)) for c in CREDITS}


def credits_variance(actuals: Actuals, *, financing_plan: pd.DataFrame | None = None) -> pd.DataFrame:
    """Credits consumed versus the financing plan, per group, year and credit (AE / CP).

    Parameters
    ----------
    actuals : Actuals
        The validated workbook.
    financing_plan : pandas.DataFrame, optional
        The plan, as :func:`incubo_analysis.contract.loaders.load_financing_plan` returns
        it (default: loaded from the contract).

    Returns
    -------
    pandas.DataFrame
        Columns ``axis``, ``title``, ``source``, ``year``, ``credit``,
        ``planned_keur`` (plan summed over the financing lines of the group,
        k€), ``actual_keur`` (sum of the reported quarters, k€),
        ``variance_keur`` (actual − planned), ``consumption_rate`` (actual /
        planned; NaN when planned is 0) and ``share_of_budget`` (actual / the
        total planned over the whole contract 2018-2022 for that credit, all
        groups: "en % du budget global", contract §5.1). Years: from the first
        to the last year of the ``credits`` sheet. Rows: every group × year ×
        credit with a non-zero plan in those years (actual 0 when nothing was
        reported), plus every reported group-year-credit without a plan.
        Sorted by axis, title, source, year, credit.
    """
    plan = _planned_credits(financing_plan)
    budget = _budget_by_credit(plan)
    credits = actuals.credits
    if credits.empty:
        return _empty(CREDITS_VARIANCE_COLUMNS, {"axis": "int64", "title": "str", "source": "str",
                                                 "year": "int64", "credit": "str"})
    long = _actual_credits_long(credits)
    actual = long.groupby([*_GROUP, "year", "credit"], as_index=False)["actual_keur"].sum()
    y0, y1 = int(credits["year"].min()), int(credits["year"].max())
    plan_in = plan[(plan["year"] >= y0) & (plan["year"] <= y1) & (plan["planned_keur"] != 0)]
    out = plan_in.merge(actual, on=[*_GROUP, "year", "credit"], how="outer")
    out["planned_keur"] = out["planned_keur"].fillna(0.0)
    out["actual_keur"] = out["actual_keur"].fillna(0.0)
    out["variance_keur"] = out["actual_keur"] - out["planned_keur"]
    out["consumption_rate"] = (out["actual_keur"] / out["planned_keur"]).where(out["planned_keur"] != 0)
    denom = out["credit"].map(budget).astype("float64")
    out["share_of_budget"] = (out["actual_keur"] / denom).where(denom != 0)
    out = out.sort_values([*_GROUP, "year", "credit"], kind="stable").reset_index(drop=True)
    return out.loc[:, list(CREDITS_VARIANCE_COLUMNS)].astype(
        {"axis": "int64", "title": "str", "source": "str", "year": "int64", "credit": "str"})


def credits_quarterly(actuals: Actuals, *, financing_plan: pd.DataFrame | None = None) -> pd.DataFrame:
    """Quarter-by-quarter consumption per axis and credit, cumulated since the first reported quarter.

    Parameters
    ----------
    actuals : Actuals
        The validated workbook.
    financing_plan : pandas.DataFrame, optional
        The plan (default: loaded from the contract); only its totals per
        credit are used (the budget).

    Returns
    -------
    pandas.DataFrame
        One row per axis (1-4) × credit × quarter, for every quarter from the
        first to the last reported one (a quarter with nothing reported is 0),
        columns ``axis``, ``year``, ``quarter``, ``credit``, ``actual_keur``
        (consumed in the quarter, all titles and sources, k€),
        ``cumulated_keur`` (since the first reported quarter, k€) and
        ``cumulated_share_of_budget`` (``cumulated_keur`` / the total planned
        over the contract for that credit, all axes: summing the axes gives the
        share of the global budget consumed). Sorted by axis, credit, year, quarter.
    """
    from incubo_analysis.contract.schema import AXES

    plan = _planned_credits(financing_plan)
    budget = _budget_by_credit(plan)
    credits = actuals.credits
    if credits.empty:
        return _empty(CREDITS_QUARTERLY_COLUMNS, {"axis": "int64", "year": "int64", "quarter": "int64",
                                                  "credit": "str"})
    long = _actual_credits_long(credits)
    by_q = long.groupby(["axis", "year", "quarter", "credit"], as_index=False)["actual_keur"].sum()
    index = (credits["year"] * 4 + credits["quarter"] - 1).astype("int64")
    q0, q1 = int(index.min()), int(index.max())
    quarters = [(i // 4, i % 4 + 1) for i in range(q0, q1 + 1)]
    grid = pd.DataFrame(
        [(axis, y, q, credit) for axis in AXES for credit in CREDITS for (y, q) in quarters],
        columns=["axis", "year", "quarter", "credit"],
    ).astype({"axis": "int64", "year": "int64", "quarter": "int64", "credit": "str"})
    out = grid.merge(by_q, on=["axis", "year", "quarter", "credit"], how="left")
    out["actual_keur"] = out["actual_keur"].fillna(0.0)
    out["cumulated_keur"] = out.groupby(["axis", "credit"], sort=False)["actual_keur"].cumsum()
    denom = out["credit"].map(budget).astype("float64")
    out["cumulated_share_of_budget"] = (out["cumulated_keur"] / denom).where(denom != 0)
    return out.loc[:, list(CREDITS_QUARTERLY_COLUMNS)].reset_index(drop=True)


# --------------------------------------------------------------------------- #
# Indicators
# --------------------------------------------------------------------------- #
def indicator_status(
    actuals: Actuals,
    *,
    green: float = 0.95,
    amber: float = 0.75,
    targets: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Indicators versus their contract targets, with a green / amber / red status.

    Parameters
    ----------
    actuals : Actuals
        The validated workbook.
    green : float, default 0.95
        Attainment (actual / target) at or above which the status is ``green``.
    amber : float, default 0.75
        Attainment at or above which (and below ``green``) the status is
        ``amber``; below it, ``red``.
    targets : pandas.DataFrame, optional
        As :func:`incubo_analysis.contract.loaders.load_indicator_targets` returns them
        (default: loaded from the contract).

    Returns
    -------
    pandas.DataFrame
        One row per indicator × target year up to the last closed year (the
        last year of the ``savings`` or ``indicators`` sheets; none when both
        are empty), in the targets' order, columns ``indicator``, ``year``,
        ``target``, ``actual`` (NaN when not reported), ``attainment`` (actual /
        target; NaN when not reported) and ``status`` in {``green``, ``amber``,
        ``red``}; an indicator due but not reported is ``red`` (a missing report
        is itself a breach of contract §5).

    Notes
    -----
    Every indicator of the contract is "higher is better": counts and
    satisfaction rates, and ``axis1_processing_time_reduction`` which is the
    *reduction* of the processing time (0.50 = halved), not the time itself.
    Progress indicators are cumulated levels at year end, like their targets.

    Examples
    --------
    >>> import pandas as pd
    >>> from incubo_analysis.monitoring.reader import Actuals
    >>> ind = pd.DataFrame({"indicator": ["axis2_projects_incubated"] * 2, "year": [2019, 2020],
    ...                     "value": [3.0, 5.0], "comment": ["", ""]})
    >>> a = Actuals(pd.DataFrame({"year": []}), pd.DataFrame(), ind, path=None, sha256="")
    >>> s = indicator_status(a)
    >>> s.loc[s["indicator"] == "axis2_projects_incubated", ["year", "attainment", "status"]].values.tolist()
    [[2019, 1.0, 'green'], [2020, 0.7142857142857143, 'red']]
    """
    if not (np.isfinite(green) and np.isfinite(amber) and 0 <= amber <= green):
        raise ParameterError(
            f"indicator_status: green={green!r}, amber={amber!r}; expected 0 <= amber <= green"
        )
    if targets is None:
        from incubo_analysis.contract.loaders import load_indicator_targets

        targets = load_indicator_targets()
    years = [int(y) for y in actuals.savings["year"]] + [int(y) for y in actuals.indicators["year"]]
    dtypes = {"indicator": "str", "year": "int64", "status": "str"}
    if not years:
        return _empty(INDICATOR_STATUS_COLUMNS, dtypes)
    closed = max(years)
    due = targets.loc[targets["year"] <= closed, ["indicator", "year", "target"]]
    due = pd.DataFrame({
        "indicator": due["indicator"].astype("str"),
        "year": due["year"].astype("int64"),
        "target": due["target"].astype("float64"),
    })
    reported = pd.DataFrame({
        "indicator": actuals.indicators["indicator"].astype("str"),
        "year": actuals.indicators["year"].astype("int64"),
        "actual": actuals.indicators["value"].astype("float64"),
    })
    out = due.merge(reported, on=["indicator", "year"], how="left", validate="one_to_one")
    out["attainment"] = (out["actual"] / out["target"]).where(out["target"] != 0)
    out["status"] = rag_status(out["attainment"], green=green, amber=amber)
    return out.loc[:, list(INDICATOR_STATUS_COLUMNS)].reset_index(drop=True).astype(dtypes)


def rag_status(attainment: Any, *, green: float = 0.95, amber: float = 0.75) -> Any:
    """Green / amber / red of an attainment (actual / target, share 0–1); red when missing.

    Parameters
    ----------
    attainment : float or array-like
        Share of the target reached (NaN: not reported, which is red).
    green, amber : float
        Minimal attainment of a green / amber status.

    Returns
    -------
    str or numpy.ndarray of str
        ``"green"``, ``"amber"`` or ``"red"``, one per value.

    Examples
    --------
    >>> rag_status(0.95), rag_status(0.8), rag_status(float("nan"))
    ('green', 'amber', 'red')
    """
    att = np.asarray(attainment, dtype="float64")
    out = np.select([att >= green, att >= amber], ["green", "amber"], default="red")
    return str(out) if out.ndim == 0 else out


# --------------------------------------------------------------------------- #
# Programmes
# --------------------------------------------------------------------------- #
def _realised_rows(variance_or_actuals: pd.DataFrame | Actuals, where: str) -> pd.DataFrame:
    """The rows of a savings variance (computed from the actuals if given), the ``total`` lever out."""
    if isinstance(variance_or_actuals, pd.DataFrame):
        frame = variance_or_actuals
        missing = [c for c in ("year", "actual_keur") if c not in frame.columns]
        if missing:
            raise ParameterError(
                f"{where}: column(s) {', '.join(missing)} missing; expected the output of savings_variance"
            )
    else:
        frame = savings_variance(variance_or_actuals)
    if "lever" in frame.columns:
        frame = frame[frame["lever"] != _TOTAL]
    return frame


def _text_column(frame: pd.DataFrame, column: str) -> pd.Series:
    """A text column as str with blanks "" (all blank when the column is absent)."""
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype="str")
    col = frame[column]
    return col.astype("object").where(col.notna(), "").astype("str").str.strip()


def savings_by_programme(variance_or_actuals: pd.DataFrame | Actuals) -> pd.DataFrame:
    """Realised savings split by budget programme: observed where the ledger names one, else in thirds.

    Parameters
    ----------
    variance_or_actuals : pandas.DataFrame or Actuals
        The output of :func:`savings_variance` (its ``year``, ``actual_keur``
        and, when present, ``programme``), or an
        :class:`~incubo_analysis.monitoring.reader.Actuals` (then compared with
        the baseline plan first, blank unit costs taking the baseline's).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PROGRAMME_COLUMNS`: ``year``, ``programme``, ``share``
        (of the year's realised savings, all rows: 0-1; NaN when the year
        realised nothing), ``actual_keur`` (k€) and ``basis``. Per reported
        year, first one row per programme named in the ledger (``basis`` =
        ``observed``: the sum of its rows, programmes in alphabetical order),
        then, when some rows of the year name no programme, their sum split in
        thirds (``basis`` = ``indicative_thirds``; programmes ``interieur``,
        ``dreal``, ``other_bops``: codes labelled in :mod:`incubo_analysis.labels`).
        Without a ``programme`` column (an old workbook) every row is split in
        thirds, each ``share`` 1/3, as before the ledger.

    Notes
    -----
    Contract §3: the final split "ne pourra se constater qu'a posteriori" and
    "pourrait se répartir" in thirds: the observed split is the a posteriori
    one, the thirds only stand in for the rows whose programme is unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.DataFrame({"year": [2019, 2019], "actual_keur": [200.0, 28.0]})
    >>> savings_by_programme(v)["actual_keur"].tolist()
    [76.0, 76.0, 76.0]
    >>> v["programme"] = ["P176", ""]  # 200 observed on P176, 28 split in thirds
    >>> savings_by_programme(v)[["programme", "actual_keur", "basis"]].values.tolist()[:2]
    [['P176', 200.0, 'observed'], ['interieur', 9.333333333333332, 'indicative_thirds']]
    """
    frame = _realised_rows(variance_or_actuals, "savings_by_programme")
    base = pd.DataFrame({"year": frame["year"].astype("int64"),
                         "programme": _text_column(frame, "programme"),
                         "actual_keur": frame["actual_keur"].astype("float64")})
    rows = []
    for y, rows_y in base.groupby("year", sort=True):
        named = rows_y[rows_y["programme"] != ""]
        for programme, amount in named.groupby("programme", sort=True)["actual_keur"].sum().items():
            rows.append((int(y), str(programme), float(amount), "observed"))
        blank = rows_y[rows_y["programme"] == ""]
        if len(blank):
            unattributed = float(blank["actual_keur"].sum())
            rows += [(int(y), programme, unattributed * share, "indicative_thirds")
                     for programme, share in PROGRAMME_SHARES.items()]
    out = pd.DataFrame(rows, columns=["year", "programme", "actual_keur", "basis"])
    totals = out.groupby("year")["actual_keur"].transform("sum")
    out["share"] = (out["actual_keur"] / totals).where(totals != 0)
    return out.loc[:, list(PROGRAMME_COLUMNS)].astype(
        {"year": "int64", "programme": "str", "share": "float64", "actual_keur": "float64", "basis": "str"})


def classify_savings(variance: pd.DataFrame) -> pd.Series:
    """The class of each realised saving: documented budget saving, productivity gain or undocumented.

    Parameters
    ----------
    variance : pandas.DataFrame
        Rows of :func:`savings_variance` (or any savings frame with, when
        known, ``nature`` and ``justificatif`` or ``documented``).

    Returns
    -------
    pandas.Series
        One code of :data:`SAVING_CLASSES` per row (same index): ``documented_budget``
        when the row is documented (a post cut or non-replacement with a
        justificatif: the ``documented`` column when present), ``productivity``
        when its nature is a redeployment or a productivity gain (with or
        without a justificatif: no budget is cut), ``undocumented`` otherwise
        (blank nature, a budget nature without a justificatif, or a frame
        without the ledger columns).

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.DataFrame({"nature": ["post_cut", "post_cut", "redeployment", ""],
    ...                   "justificatif": ["SE 2020", "", "", "CR"]})
    >>> classify_savings(v).tolist()
    ['documented_budget', 'undocumented', 'productivity', 'undocumented']
    """
    nature = _text_column(variance, "nature")
    if "documented" in variance.columns:
        documented = variance["documented"].fillna(False).astype("bool")
    else:
        documented = _documented(nature, _text_column(variance, "justificatif"))
    classes = np.select([documented.to_numpy(), nature.isin(PRODUCTIVITY_NATURES).to_numpy()],
                        ["documented_budget", "productivity"], default="undocumented")
    return pd.Series(classes, index=variance.index, dtype="str", name="saving_class")


def savings_by_evidence(variance: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """Realised savings of each year (and cumulated) by class: documented budget, productivity, undocumented.

    A budget saving is visible in a programme's schéma d'emplois (a post cut or
    not replaced); a productivity gain frees agents' time without a budget cut;
    a saving with no nature, or a budget nature without a justificatif, is
    undocumented (:func:`classify_savings`).

    Parameters
    ----------
    variance : pandas.DataFrame
        The output of :func:`savings_variance` (``year``, ``actual_keur``,
        ``actual_etp`` when present, and the ledger columns when present: a
        frame without them reads as all undocumented). A ``total`` lever row is
        ignored.
    year : int, optional
        Keep the rows of this year only (the cumulated columns still run from
        the first reported year); default every reported year.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EVIDENCE_COLUMNS`: three rows per year, one per class of
        :data:`SAVING_CLASSES` in that order (0 when the class is empty):
        ``year``, ``saving_class``, ``actual_etp`` (FTE freed in the year),
        ``actual_keur`` (k€ realised in the year), ``share`` (of the year's
        realised savings, 0-1; NaN when the year realised nothing),
        ``cum_actual_keur`` (k€ realised from the first reported year to
        ``year``) and ``cum_share`` (of the cumulated realised savings).

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.DataFrame({"year": [2020, 2021, 2021], "actual_keur": [57.0, 114.0, 57.0],
    ...                   "nature": ["non_replacement", "productivity", ""],
    ...                   "justificatif": ["SE 2020", "", ""]})
    >>> e = savings_by_evidence(v, year=2021)
    >>> e[["saving_class", "actual_keur", "cum_actual_keur"]].values.tolist()
    [['documented_budget', 0.0, 57.0], ['productivity', 114.0, 114.0], ['undocumented', 57.0, 57.0]]
    """
    frame = _realised_rows(variance, "savings_by_evidence")
    base = pd.DataFrame({
        "year": frame["year"].astype("int64"),
        "saving_class": classify_savings(frame),
        "actual_etp": frame["actual_etp"].astype("float64") if "actual_etp" in frame.columns else np.nan,
        "actual_keur": frame["actual_keur"].astype("float64"),
    })
    years = sorted({int(y) for y in base["year"]} | ({int(year)} if year is not None else set()))
    if not years:
        return _empty(EVIDENCE_COLUMNS, {"year": "int64", "saving_class": "str"})
    grid = pd.DataFrame([(y, c) for y in years for c in SAVING_CLASSES], columns=["year", "saving_class"])
    sums = base.groupby(["year", "saving_class"], as_index=False)[["actual_etp", "actual_keur"]].sum(min_count=1)
    out = grid.astype({"year": "int64", "saving_class": "str"}).merge(sums, on=["year", "saving_class"], how="left")
    out["actual_keur"] = out["actual_keur"].fillna(0.0)
    if "actual_etp" in frame.columns:
        out["actual_etp"] = out["actual_etp"].fillna(0.0)
    out["cum_actual_keur"] = out.groupby("saving_class", sort=False)["actual_keur"].cumsum()
    for value, share in (("actual_keur", "share"), ("cum_actual_keur", "cum_share")):
        totals = out.groupby("year")[value].transform("sum")
        out[share] = (out[value] / totals).where(totals != 0)
    if year is not None:
        out = out[out["year"] == int(year)]
    return out.loc[:, list(EVIDENCE_COLUMNS)].reset_index(drop=True).astype(
        {"year": "int64", "saving_class": "str", "actual_etp": "float64"})


def _empty(columns: tuple[str, ...], dtypes: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "float64")) for c in columns})
    return frame

"""Display tables for the notebooks and the HTML report.

Each function takes the tidy frames of the library and returns a *display* frame:
French labels by default (``lang="en"`` for English), numbers already formatted
as text in the French way (``1 824,0 k€``, ``62 %``), so that what a reader sees —
and what nbval compares — is stable and exactly what is published. Never use
these frames for computation.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from incubo_analysis.contract.schema import LEVERS
from incubo_analysis.outputs import labels as L

__all__ = [
    "format_columns",
    "financing_by_axis",
    "reconciliation_counts",
    "reconciliation_mismatches",
    "scenario_parameters",
    "savings_by_year",
    "cashflow_table",
    "metrics_comparison",
    "montecarlo_summary",
    "montecarlo_probabilities",
    "tornado_table",
    "switching_values",
    "savings_variance_table",
    "missing_explanations",
    "savings_cumulative_table",
    "programme_split_table",
    "credits_by_axis",
    "credits_quarterly_table",
    "indicator_table",
    "savings_explanations",
]


#: Labels specific to the report tables (the shared vocabulary is in :mod:`labels`).
_EXTRA: dict[str, tuple[str, str]] = {
    "total": ("Total", "Total"),
    "all_axes": ("Ensemble des axes", "All axes"),
    "when": ("Années / crédits", "Years / credits"),
    "family": ("Famille de contrôles", "Family of checks"),
    "family.financing_total_vs_lines": ("Totaux du plan de financement vs lignes",
                                        "Financing-plan totals vs lines"),
    "family.financing_total_vs_subtotals": ("Totaux vs sous-totaux imprimés",
                                            "Totals vs printed subtotals"),
    "family.savings_total_vs_lines": ("Total des économies vs leviers", "Savings total vs levers"),
    "family.savings_lever_vs_etp": ("Économies par levier vs ETP × 57 k€ × phasage",
                                    "Savings per lever vs FTE × 57 k€ × phasing"),
    "family.text_vs_tables": ("Chiffres du texte vs tableaux", "Text figures vs tables"),
    "family.all": ("Ensemble", "All"),
    "status.ok": ("ok", "ok"),
    "status.rounding": ("arrondi", "rounding"),
    "status.mismatch": ("écart", "mismatch"),
    "target": ("Cible", "Target"),
    "target.ftap_money": ("Crédits FTAP (CP sur l'horizon)", "FTAP money (CP over the horizon)"),
    "target.contract_1_3_meur": ("« 1,3 M€ » du contrat (§ 5.2), cumulé fin 2021",
                                 "The contract's \"1.3 M€\" (§ 5.2), cumulated to end-2021"),
    "target.all_public_money": ("Ensemble des crédits publics (CP)", "All public money (CP)"),
    "probability": ("Probabilité d'atteinte", "Probability of reaching it"),
}


def _lab(key, lang: str = "fr", short: bool = False) -> str:
    if isinstance(key, str) and key in _EXTRA:
        return _EXTRA[key][0 if lang == "fr" else 1]
    return L.label(key, lang, short=short)


def _fmt(value, kind: str, lang: str) -> str:
    if kind == "keur":
        return L.fmt_keur(value, 1, lang)
    if kind == "keur0":
        return L.fmt_keur(value, 0, lang)
    if kind == "pct":
        return L.fmt_pct(value, 0, lang)
    if kind == "pct1":
        return L.fmt_pct(value, 1, lang)
    if kind == "etp":
        return L.fmt_number(value, 2, lang)
    if kind == "num1":
        return L.fmt_number(value, 1, lang)
    if kind == "num":
        return L.fmt_number(value, 0, lang)
    if kind == "year":
        return L.fmt_year(value, lang)
    if kind == "ratio":
        return L.fmt_number(value, 2, lang)
    if kind == "bool":
        return _lab(bool(value), lang) if not pd.isna(value) else L.MISSING
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def format_columns(frame: pd.DataFrame, kinds: Mapping[str, str], lang: str = "fr", *,
                   index: str | list[str] | None = None) -> pd.DataFrame:
    """Format the named columns as text, translate codes and headers.

    Parameters
    ----------
    frame : DataFrame
        Tidy or wide frame; not modified.
    kinds : mapping column → kind
        ``keur`` (k€, 1 decimal), ``keur0``, ``pct``, ``pct1``, ``etp`` (2 decimals),
        ``num``, ``num1``, ``year``, ``ratio`` (2 decimals), ``bool``, ``text``.
        Columns not named are kept (coded columns are translated by
        :func:`incubo_analysis.outputs.labels.relabel`).
    index : str or list, optional
        Columns to use as the (translated) index.

    Examples
    --------
    >>> df = pd.DataFrame({"lever": ["user_support"], "amount_keur": [1824.0]})
    >>> format_columns(df, {"amount_keur": "keur"}, "en").iloc[0].tolist()
    ['User support', '1,824.0\\xa0k€']
    """
    out = frame.copy()
    for col, kind in kinds.items():
        if col in out.columns:
            out[col] = [_fmt(v, kind, lang) for v in out[col].tolist()]
    out = L.relabel(out, lang)
    if index is not None:
        cols = [index] if isinstance(index, str) else list(index)
        out = out.set_index([_lab(c, lang) for c in cols])
    return out


def financing_by_axis(plan: pd.DataFrame, credit: str = "CP", lang: str = "fr") -> pd.DataFrame:
    """Financing plan per axis and source, one column per year plus the total (k€).

    Parameters
    ----------
    plan : DataFrame
        :func:`incubo_analysis.contract.loaders.load_financing_plan` frame.
    credit : {"AE", "CP"}
    """
    sel = plan[plan["credit"] == credit]
    wide = sel.pivot_table(index=["axis", "source"], columns="year", values="amount_keur",
                           aggfunc="sum", fill_value=0.0)
    total_axis = sel.pivot_table(index="axis", columns="year", values="amount_keur", aggfunc="sum",
                                 fill_value=0.0)
    rows = []
    for axis in sorted(sel["axis"].unique()):
        for source in ("FTAP", "cofinancing"):
            if (axis, source) in wide.index:
                rows.append((_lab(int(axis), lang, short=True), _lab(source, lang, short=True),
                             wide.loc[(axis, source)]))
        rows.append((_lab(int(axis), lang, short=True), _lab("total", lang), total_axis.loc[axis]))
    grand = sel.groupby("year")["amount_keur"].sum()
    for source in ("FTAP", "cofinancing"):
        rows.append((_lab("all_axes", lang), _lab(source, lang, short=True),
                     sel[sel["source"] == source].groupby("year")["amount_keur"].sum()
                     .reindex(grand.index, fill_value=0.0)))
    rows.append((_lab("all_axes", lang), _lab("total", lang), grand))
    years = list(grand.index)
    data = []
    for axis, source, series in rows:
        vals = [float(series.get(y, 0.0)) for y in years]
        data.append([axis, source, *[L.fmt_keur(v, 1, lang) for v in vals], L.fmt_keur(sum(vals), 1, lang)])
    cols = [_lab("axis", lang), _lab("source", lang), *[str(y) for y in years], _lab("total", lang)]
    return pd.DataFrame(data, columns=cols).set_index(cols[:2])


def reconciliation_counts(rec: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """Number of checks by family and status (ok / rounding / mismatch)."""
    counts = rec.pivot_table(index="family", columns="status", values="check", aggfunc="count",
                             fill_value=0).reindex(columns=["ok", "rounding", "mismatch"], fill_value=0)
    counts = counts.reindex(list(dict.fromkeys(rec["family"])))
    counts.loc["all"] = counts.sum()
    counts["total"] = counts.sum(axis=1)
    counts.index = [_lab(f"family.{i}", lang) for i in counts.index]
    counts.index.name = _lab("family", lang)
    counts.columns = [_lab(f"status.{c}" if c != "total" else "total", lang) for c in counts.columns]
    return counts.astype(int)


def reconciliation_mismatches(rec: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """The contract's inconsistencies, grouped over years/credits with the same figures."""
    from incubo_analysis.contract.reconcile import condense_mismatches

    groups = condense_mismatches(rec)
    rows = []
    for r in groups.itertuples(index=False):
        kind = "share" if r.unit == "part" else "keur"
        fmt = (lambda v: L.fmt_pct(v, 1, lang)) if kind == "share" else (lambda v: L.fmt_number(v, 1, lang))
        rows.append([r.check, r.when, fmt(r.stated), fmt(r.computed), fmt(r.difference),
                     "%" if kind == "share" else "k€"])
    cols = [_lab(c, lang) for c in ("check", "when", "stated", "computed", "difference", "unit")]
    return pd.DataFrame(rows, columns=cols).set_index(cols[0])


def scenario_parameters(scenario, lang: str = "fr") -> pd.DataFrame:
    """The parameters of one scenario, as a two-column table (parameter, value)."""
    rows = [
        ("name", scenario.name),
        ("unit_cost_keur", L.fmt_keur(scenario.unit_cost_keur, 1, lang)),
        ("unit_cost_growth", L.fmt_pct(scenario.unit_cost_growth, 1, lang)),
        ("realisation_rate", L.fmt_pct(scenario.realisation_rate, 0, lang)),
        ("delay_years", L.fmt_number(scenario.delay_years, 1, lang)),
        ("discount_rate", L.fmt_pct(scenario.discount_rate, 1, lang)),
        ("base_year", str(scenario.base_year)),
        ("horizon_end", str(scenario.horizon_end)),
    ]
    for lever in LEVERS:
        rows.append((f"etp.{lever}", L.fmt_number(scenario.etp[lever], 2, lang)))
    lever_delays = getattr(scenario, "lever_delay_years", None) or {}
    for lever in LEVERS:
        if lever_delays.get(lever, 0):
            rows.append((f"lever_delay_years.{lever}", L.fmt_number(lever_delays[lever], 1, lang)))
    phasing = "; ".join(f"{y} : {L.fmt_pct(s, 1, lang)}" for y, s in sorted(scenario.phasing.items()))
    rows.append(("phasing", phasing))
    frame = pd.DataFrame([(_lab(k, lang), v) for k, v in rows],
                         columns=[_lab("parameter", lang), _lab("value", lang)])
    return frame.set_index(frame.columns[0])


def savings_by_year(savings: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """Savings per lever (rows, plus a total row) and year (columns), k€."""
    wide = savings.pivot_table(index="lever", columns="year", values="amount_keur", aggfunc="sum")
    wide = wide.reindex([lv for lv in LEVERS if lv in wide.index])
    wide.loc["total"] = wide.sum()
    wide[_lab("total", lang)] = wide.sum(axis=1)
    out = wide.map(lambda v: L.fmt_keur(v, 1, lang))
    out.index = [_lab(i, lang, short=True) if i != "total" else _lab("total", lang) for i in out.index]
    out.index.name = _lab("lever", lang)
    out.columns = [str(c) for c in out.columns]
    return out


def cashflow_table(flows: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """Yearly savings, costs (FTAP and all CP) and their cumulated sums, k€."""
    cols = {"savings_keur": "keur", "cost_ftap_keur": "keur", "cost_total_keur": "keur",
            "cum_savings_keur": "keur", "cum_cost_ftap_keur": "keur", "cum_cost_total_keur": "keur",
            "discount_factor": "ratio", "year": "year"}
    keep = [c for c in ["year", *cols] if c in flows.columns]
    keep = list(dict.fromkeys(keep))
    return format_columns(flows[keep], cols, lang, index="year")


_METRIC_KIND = {
    "total_savings_keur": "keur", "run_rate_keur": "keur", "npv_keur": "keur",
    "roi_ftap": "ratio", "roi_total": "ratio", "payback_year_ftap": "year", "payback_year_total": "year",
    "switch_unit_cost_npv0": "keur", "switch_unit_cost_roi1": "keur",
    "switch_realisation_npv0": "pct", "switch_realisation_roi1": "pct",
    "switch_delay_npv0": "num1", "switch_delay_roi1": "num1",
}


def _metric_value(metric: str, value, lang: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return L.MISSING
    if metric.endswith("_met"):
        return _lab(bool(value), lang)
    kind = _METRIC_KIND.get(metric, "keur" if metric.endswith("_keur") else "ratio")
    return _fmt(value, kind, lang)


def metrics_comparison(metrics: pd.DataFrame, lang: str = "fr", *, only: list[str] | None = None) -> pd.DataFrame:
    """Metrics (rows) per scenario (columns), formatted; ``only`` keeps a subset in that order."""
    order_s = list(dict.fromkeys(metrics["scenario"]))
    order_m = only or list(dict.fromkeys(metrics["metric"]))
    sel = metrics[metrics["metric"].isin(order_m)]
    wide = sel.pivot(index="metric", columns="scenario", values="value").reindex(index=order_m, columns=order_s)
    out = pd.DataFrame({s: [_metric_value(m, wide.loc[m, s], lang) for m in wide.index] for s in order_s},
                       index=[_lab(m, lang) for m in wide.index])
    out.index.name = _lab("metric", lang)
    out.columns = [_lab(c, lang) for c in out.columns]
    return out


def montecarlo_summary(summary: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """Mean, P10, P50, P90 of every metric of a Monte Carlo run."""
    rows = []
    for r in summary.itertuples(index=False):
        cells = []
        for c in ("mean", "p10", "p50", "p90"):
            v = getattr(r, c)
            if r.metric.endswith("_met"):  # share of draws meeting the doctrine
                cells.append(L.MISSING if pd.isna(v) else L.fmt_pct(v, 0, lang))
            elif _METRIC_KIND.get(r.metric) == "year" and not pd.isna(v) and float(v) != int(v):
                cells.append(L.fmt_number(v, 1, lang))  # the mean of payback years
            else:
                cells.append(_metric_value(r.metric, v, lang))
        rows.append([_lab(r.metric, lang), *cells])
    cols = [_lab("metric", lang), _lab("mean", lang), "P10", "P50", "P90"]
    return pd.DataFrame(rows, columns=cols).set_index(cols[0])


def montecarlo_probabilities(probabilities: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """Probability that cumulated savings reach each target."""
    kinds = {"target_keur": "keur", "probability": "pct"}
    out = probabilities.copy()
    out["target"] = [_lab(f"target.{t}", lang) for t in out["target"]]
    return format_columns(out, kinds, lang, index="target")


def tornado_table(tornado: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """Tornado data: each uncertain parameter at its low and high value, and the metric's swing."""
    rows = []
    for r in tornado.itertuples(index=False):
        rows.append([_lab(r.parameter, lang), L.fmt_number(r.low, 3, lang), L.fmt_number(r.high, 3, lang),
                     _metric_value(r.metric, r.value_at_low, lang), _metric_value(r.metric, r.value_at_high, lang),
                     _metric_value(r.metric, r.swing, lang)])
    cols = [_lab(c, lang) for c in ("parameter", "low", "high", "value_at_low", "value_at_high", "swing")]
    return pd.DataFrame(rows, columns=cols).set_index(cols[0])


def switching_values(metrics: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """Switching values of each scenario: where the NPV falls to 0 and the total ROI to 1."""
    names = [m for m in dict.fromkeys(metrics["metric"]) if m.startswith("switch_")]
    return metrics_comparison(metrics, lang, only=names)


def _years_upto(frame: pd.DataFrame, year: int | None) -> pd.DataFrame:
    return frame if year is None else frame[frame["year"] <= year]


def savings_variance_table(variance: pd.DataFrame, year: int | None = None, lang: str = "fr") -> pd.DataFrame:
    """Planned vs actual savings per lever and year (to ``year``), with volume and price effects."""
    cols = ["lever", "year", "planned_etp", "actual_etp", "planned_keur", "actual_keur", "variance_keur",
            "variance_pct", "volume_effect_keur", "price_effect_keur", "explanation_missing"]
    kinds = {"planned_etp": "etp", "actual_etp": "etp", "planned_keur": "keur", "actual_keur": "keur",
             "variance_keur": "keur", "variance_pct": "pct", "volume_effect_keur": "keur",
             "price_effect_keur": "keur", "explanation_missing": "bool", "year": "year"}
    sel = _years_upto(variance, year)
    return format_columns(sel[[c for c in cols if c in sel.columns]], kinds, lang, index=["lever", "year"])


def missing_explanations(variance: pd.DataFrame, year: int | None = None, lang: str = "fr") -> pd.DataFrame:
    """Gaps beyond the threshold with no explanation (contract § 7 requires one)."""
    sel = _years_upto(variance, year)
    sel = sel[sel["explanation_missing"].astype(bool)]
    kinds = {"planned_keur": "keur", "actual_keur": "keur", "variance_keur": "keur", "variance_pct": "pct",
             "year": "year"}
    return format_columns(sel[["lever", "year", "planned_keur", "actual_keur", "variance_keur", "variance_pct"]],
                          kinds, lang, index=["lever", "year"])


def savings_explanations(variance: pd.DataFrame, year: int | None = None, lang: str = "fr") -> pd.DataFrame:
    """The officer's explanation of each gap (lever × year), as written in the actuals workbook."""
    sel = _years_upto(variance, year)
    sel = sel[sel["explanation"].fillna("").str.strip() != ""]
    kinds = {"variance_keur": "keur", "year": "year"}
    return format_columns(sel[["lever", "year", "variance_keur", "explanation"]], kinds, lang,
                          index=["lever", "year"])


def savings_cumulative_table(cumulative: pd.DataFrame, year: int | None = None, lang: str = "fr") -> pd.DataFrame:
    """Savings cumulated to date per lever (planned, actual, variance and its effects)."""
    sel = _years_upto(cumulative, year)
    if year is not None and "year" in sel.columns:
        sel = sel[sel["year"] == sel["year"].max()]
    kinds = {c: "keur" for c in sel.columns if c.endswith("_keur")}
    kinds.update({"variance_pct": "pct", "year": "year"})
    return format_columns(sel, kinds, lang, index=["lever", "year"] if "year" in sel.columns else "lever")


def programme_split_table(split: pd.DataFrame, year: int | None = None, lang: str = "fr") -> pd.DataFrame:
    """Realised savings split by budget programme (1/3 each, contract § 3)."""
    sel = _years_upto(split, year)
    kinds = {"share": "pct", "actual_keur": "keur", "year": "year"}
    return format_columns(sel, kinds, lang, index=["year", "programme"])


def credits_by_axis(credits: pd.DataFrame, year: int | None = None, credit: str = "CP",
                    lang: str = "fr") -> pd.DataFrame:
    """Credits consumed vs plan per axis and title for one credit, summed over sources, to ``year``."""
    sel = _years_upto(credits, year)
    sel = sel[sel["credit"] == credit]
    if year is not None:
        sel = sel[sel["year"] == year]
    grouped = sel.groupby(["axis", "title"], as_index=False)[["planned_keur", "actual_keur",
                                                              "variance_keur", "share_of_budget"]].sum()
    grouped["consumption_rate"] = np.where(grouped["planned_keur"] > 0,
                                           grouped["actual_keur"] / grouped["planned_keur"].where(
                                               grouped["planned_keur"] > 0), np.nan)
    kinds = {"planned_keur": "keur", "actual_keur": "keur", "variance_keur": "keur",
             "consumption_rate": "pct", "share_of_budget": "pct1"}
    return format_columns(grouped, kinds, lang, index=["axis", "title"])


def credits_quarterly_table(quarterly: pd.DataFrame, year: int | None = None, credit: str = "CP",
                            lang: str = "fr") -> pd.DataFrame:
    """Cumulated consumption per axis at the end of each quarter of ``year``."""
    sel = quarterly[quarterly["credit"] == credit]
    if year is not None:
        sel = sel[sel["year"] == year]
    kinds = {"actual_keur": "keur", "cumulated_keur": "keur", "cumulated_share_of_budget": "pct1",
             "year": "year"}
    return format_columns(sel.drop(columns="credit"), kinds, lang, index=["axis", "year", "quarter"])


def indicator_table(status: pd.DataFrame, year: int | None = None, lang: str = "fr") -> pd.DataFrame:
    """Indicators vs targets with their RAG status, to ``year``."""
    from incubo_analysis.contract.loaders import load_indicator_targets

    units = load_indicator_targets().drop_duplicates("indicator").set_index("indicator")["unit"].to_dict()
    sel = _years_upto(status, year)
    rows = []
    for r in sel.itertuples(index=False):
        unit = units.get(r.indicator, "count")
        fmt = {"share": lambda v: L.fmt_pct(v, 0, lang), "keur": lambda v: L.fmt_keur(v, 0, lang)}.get(
            unit, lambda v: L.fmt_number(v, 0, lang))
        rows.append([_lab(r.indicator, lang), str(r.year), fmt(r.target), fmt(r.actual),
                     L.fmt_pct(r.attainment, 0, lang), _lab(r.status, lang)])
    cols = [_lab(c, lang) for c in ("indicator", "year", "target", "actual", "attainment", "status")]
    return pd.DataFrame(rows, columns=cols).set_index(cols[:2])

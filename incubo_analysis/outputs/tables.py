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

from incubo_analysis import labels as L
from incubo_analysis.contract.reconcile import checks_in_language, condense_mismatches
from incubo_analysis.contract.schema import LEVERS

__all__ = [
    "format_columns",
    "financing_by_axis",
    "reconciliation_counts",
    "reconciliation_mismatches",
    "reconciliation_summary",
    "mismatch_unit",
    "scenario_parameters",
    "savings_by_year",
    "cashflow_table",
    "metrics_comparison",
    "montecarlo_summary",
    "montecarlo_probabilities",
    "tornado_table",
    "switching_values_table",
    "KINDS",
    "savings_variance_table",
    "missing_explanations",
    "savings_cumulative_table",
    "programme_split_table",
    "savings_evidence_table",
    "credits_by_axis",
    "credits_quarterly_table",
    "indicator_table",
    "processing_indicator_table",
    "processing_reduction_table",
    "crosscheck_table",
    "savings_explanations",
    "RAG_CELL_STYLES",
    "Titled",
    "titled",
]


#: Kinds of :func:`format_columns` → (unit of :func:`~incubo_analysis.labels.format_value`, decimals).
KINDS: dict[str, tuple[str, int | None]] = {
    "keur": ("keur", 1),
    "keur0": ("keur", 0),
    "pct": ("share", 0),
    "pct1": ("share", 1),
    "etp": ("number", 2),
    "num": ("number", 0),
    "num1": ("number", 1),
    "year": ("year", None),
    "ratio": ("ratio", 2),
    "bool": ("bool", None),
}


#: How a header (or a row's label, or the table's title) states a kind's unit; the cells then show
#: the bare number, the unit once (as the Excel annex does).
_UNIT_IN_HEADER: dict[str, tuple[str, ...]] = {
    "keur": ("(k€", "k€)"), "keur0": ("(k€", "k€)"), "pct": ("(%)",), "pct1": ("(%)",),
}


def _states_unit(header: object, kind: str) -> bool:
    """Whether ``header`` already states the unit of ``kind`` ("Prévu (k€)", "Écart (%)").

    Examples
    --------
    >>> _states_unit("Prévu (k€)", "keur"), _states_unit("Écart (%)", "pct"), _states_unit("2021", "keur")
    (True, True, False)
    """
    return isinstance(header, str) and any(mark in header for mark in _UNIT_IN_HEADER.get(kind, ()))


def _fmt(value, kind: str, lang: str, *, bare: bool = False) -> str:
    """A cell as text: a number through :func:`format_value`, any other value as it is.

    ``bare``: without the unit, for a column whose header states it (k€ and % kinds).
    """
    if kind in KINDS:
        unit, decimals = KINDS[kind]
        if bare and kind in _UNIT_IN_HEADER:
            shown = value if unit == "keur" or L.is_missing(value) else float(value) * 100.0
            return L.format_value(shown, "number", lang, decimals=decimals)
        return L.format_value(value, unit, lang, decimals=decimals)
    return "" if L.is_missing(value) else str(value)


def format_columns(frame: pd.DataFrame, kinds: Mapping[str, str], lang: str = "fr", *,
                   index: str | list[str] | None = None) -> pd.DataFrame:
    """Format the named columns as text, translate codes and headers.

    A column whose header states its unit ("Prévu (k€)", "Écart (%)") shows bare numbers:
    the unit is read once, in the header.

    Parameters
    ----------
    frame : DataFrame
        Tidy or wide frame; not modified.
    kinds : mapping column → kind
        ``keur`` (k€, 1 decimal), ``keur0``, ``pct``, ``pct1``, ``etp`` (2 decimals),
        ``num``, ``num1``, ``year``, ``ratio`` (2 decimals), ``bool``, ``text``.
        Columns not named are kept (coded columns are translated by
        :func:`incubo_analysis.labels.relabel`).
    index : str or list, optional
        Columns to use as the (translated) index.

    Examples
    --------
    >>> df = pd.DataFrame({"lever": ["user_support"], "amount_keur": [1824.0]})
    >>> format_columns(df, {"amount_keur": "keur"}, "en").iloc[0].tolist()  # header "Amount (k€)"
    ['User support', '1,824.0']
    """
    out = frame.copy()
    for col, kind in kinds.items():
        if col in out.columns:
            bare = _states_unit(L.label(col, lang), kind)
            out[col] = [_fmt(v, kind, lang, bare=bare) for v in out[col].tolist()]
    out = L.relabel(out, lang)
    if index is not None:
        cols = [index] if isinstance(index, str) else list(index)
        out = out.set_index([L.label(c, lang) for c in cols])
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
                rows.append((L.label(int(axis), lang, short=True), L.label(source, lang, short=True),
                             wide.loc[(axis, source)]))
        rows.append((L.label(int(axis), lang, short=True), L.label("total", lang), total_axis.loc[axis]))
    grand = sel.groupby("year")["amount_keur"].sum()
    for source in ("FTAP", "cofinancing"):
        rows.append((L.label("all_axes", lang), L.label(source, lang, short=True),
                     sel[sel["source"] == source].groupby("year")["amount_keur"].sum()
                     .reindex(grand.index, fill_value=0.0)))
    rows.append((L.label("all_axes", lang), L.label("total", lang), grand))
    years = list(grand.index)
    data = []
    for axis, source, series in rows:
        vals = [float(series.get(y, 0.0)) for y in years]
        data.append([axis, source, *[_fmt(v, "keur", lang, bare=True) for v in [*vals, sum(vals)]]])  # title: k€
    cols = [L.label("axis", lang), L.label("source", lang), *[str(y) for y in years], L.label("total", lang)]
    return pd.DataFrame(data, columns=cols).set_index(cols[:2])


def reconciliation_counts(rec: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """Number of checks by family and status (ok / rounding / mismatch)."""
    counts = rec.pivot_table(index="family", columns="status", values="check", aggfunc="count",
                             fill_value=0).reindex(columns=["ok", "rounding", "mismatch"], fill_value=0)
    counts = counts.reindex(list(dict.fromkeys(rec["family"])))
    counts.loc["all_families"] = counts.sum()
    counts["total"] = counts.sum(axis=1)
    counts.index = [L.label(i, lang) for i in counts.index]
    counts.index.name = L.label("family", lang)
    counts.columns = [L.label(c, lang) for c in counts.columns]
    return counts.astype(int)


def mismatch_unit(unit: str) -> str:
    """The :func:`~incubo_analysis.labels.format_value` unit of a reconciliation row's ``unit``.

    The reconciliation's figures are k€ (shown as plain numbers, the unit in its own column)
    or shares (``part``); both are shown with one decimal.

    Examples
    --------
    >>> mismatch_unit("part"), mismatch_unit("k€")
    ('share', 'number')
    """
    return "share" if unit == "part" else "number"


def reconciliation_mismatches(rec: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """The contract's inconsistencies, grouped over years/credits with the same figures, described in ``lang``."""
    groups = condense_mismatches(checks_in_language(rec, lang))
    rows = []
    for r in groups.itertuples(index=False):
        unit = mismatch_unit(r.unit)
        figures = [L.format_value(v, unit, lang, decimals=1) for v in (r.stated, r.computed, r.difference)]
        rows.append([r.check, r.when, *figures, L.label("percent" if unit == "share" else "keur", lang)])
    cols = [L.label(c, lang) for c in ("check", "when", "stated", "computed", "difference", "unit")]
    return pd.DataFrame(rows, columns=cols).set_index(cols[0])


def reconciliation_summary(rec: pd.DataFrame, *, width: int = 100, lang: str = "fr") -> str:
    """The text ``incubo check`` prints: counts by status, then the mismatches as a table.

    Mismatches of one printed total that repeat with the same figures over several years
    or credits are shown on one line (``2019-2021 AE/CP``); figures as in
    :func:`reconciliation_mismatches` (k€ and shares with one decimal). Headings and
    notes in ``lang`` (French by default), the checks described in ``lang`` too (the
    contract's printed labels quoted as printed).
    """
    counts = rec["status"].value_counts().reindex(["ok", "rounding", "mismatch"], fill_value=0)
    lines = [L.label("check.summary.counts", lang).format(
        n=len(rec), ok=counts["ok"], rounding=counts["rounding"], mismatch=counts["mismatch"])]
    groups = condense_mismatches(checks_in_language(rec, lang))
    if len(groups):
        head = {k: L.label(f"check.summary.{k}", lang) for k in ("check", "when", "stated", "computed", "difference")}
        lines.append("")
        lines.append(f"{head['check']:<{width}} {head['when']:>16} {head['stated']:>9} {head['computed']:>9} "
                     f"{head['difference']:>8}")
        for r in groups.itertuples(index=False):
            unit = mismatch_unit(r.unit)
            stated, computed, diff = (L.format_value(v, unit, lang, decimals=1)
                                      for v in (r.stated, r.computed, r.difference))
            lines.append(f"{r.check[:width]:<{width}} {r.when:>16} {stated:>9} {computed:>9} {diff:>8}")
        lines.append(L.label("check.summary.note", lang))
    return "\n".join(lines)


def scenario_parameters(scenario, lang: str = "fr") -> pd.DataFrame:
    """The parameters of one scenario, as a two-column table (parameter, value)."""
    rows = [
        ("name", scenario.name),
        ("unit_cost_keur", _fmt(scenario.unit_cost_keur, "keur", lang,
                                bare=_states_unit(L.label("unit_cost_keur", lang), "keur"))),
        ("unit_cost_growth", _fmt(scenario.unit_cost_growth, "pct1", lang)),
        ("realisation_rate", _fmt(scenario.realisation_rate, "pct", lang)),
        ("delay_years", _fmt(scenario.delay_years, "num1", lang)),
        ("discount_rate", _fmt(scenario.discount_rate, "pct1", lang)),
        ("base_year", str(scenario.base_year)),
        ("horizon_end", str(scenario.horizon_end)),
    ]
    for lever in LEVERS:
        rows.append((f"etp.{lever}", _fmt(scenario.etp[lever], "etp", lang)))
    lever_delays = getattr(scenario, "lever_delay_years", None) or {}
    for lever in LEVERS:
        if lever_delays.get(lever, 0):
            rows.append((f"lever_delay_years.{lever}", _fmt(lever_delays[lever], "num1", lang)))
    phasing = "; ".join(f"{y} : {_fmt(s, 'pct1', lang)}" for y, s in sorted(scenario.phasing.items()))
    rows.append(("phasing", phasing))
    frame = pd.DataFrame([(L.label(k, lang), v) for k, v in rows],
                         columns=[L.label("parameter", lang), L.label("value", lang)])
    return frame.set_index(frame.columns[0])


def savings_by_year(savings: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """Savings per lever (rows, plus a total row) and year (columns), k€."""
    wide = savings.pivot_table(index="lever", columns="year", values="amount_keur", aggfunc="sum")
    wide = wide.reindex([lv for lv in LEVERS if lv in wide.index])
    wide.loc["total"] = wide.sum()
    wide[L.label("total", lang)] = wide.sum(axis=1)
    out = wide.map(lambda v: _fmt(v, "keur", lang, bare=True))  # the title says (k€)
    out.index = [L.label(i, lang, short=True) if i != "total" else L.label("total", lang) for i in out.index]
    out.index.name = L.label("lever", lang)
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
    if L.is_missing(value):
        return L.label("missing", lang)
    if metric.endswith("_met"):
        return L.label(bool(value), lang)
    kind = _METRIC_KIND.get(metric, "keur" if metric.endswith("_keur") else "ratio")
    return _fmt(value, kind, lang, bare=_states_unit(L.label(metric, lang), kind))  # "VAN (k€)": bare


def metrics_comparison(metrics: pd.DataFrame, lang: str = "fr", *, only: list[str] | None = None) -> pd.DataFrame:
    """Metrics (rows) per scenario (columns), formatted; ``only`` keeps a subset in that order."""
    order_s = list(dict.fromkeys(metrics["scenario"]))
    order_m = only or list(dict.fromkeys(metrics["metric"]))
    sel = metrics[metrics["metric"].isin(order_m)]
    wide = sel.pivot(index="metric", columns="scenario", values="value").reindex(index=order_m, columns=order_s)
    out = pd.DataFrame({s: [_metric_value(m, wide.loc[m, s], lang) for m in wide.index] for s in order_s},
                       index=[L.label(m, lang) for m in wide.index])
    out.index.name = L.label("metric", lang)
    out.columns = [L.label(c, lang) for c in out.columns]
    return out


def montecarlo_summary(summary: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """Mean, P10, P50, P90 of every metric of a Monte Carlo run.

    Years (payback, doctrine) have no mean ("–"): their distribution reads from P10, P50
    and P90, shown as years ("–" where fewer draws than the percentile pay back).
    """
    rows = []
    for r in summary.itertuples(index=False):
        cells = []
        for c in ("mean", "p10", "p50", "p90"):
            v = getattr(r, c)
            if r.metric.endswith("_met"):  # share of draws meeting the doctrine
                cells.append(_fmt(v, "pct", lang))
            elif _METRIC_KIND.get(r.metric) == "year" and c == "mean":
                cells.append(L.label("missing", lang))  # a mean year reads as no year: see P10-P90
            else:
                cells.append(_metric_value(r.metric, v, lang))
        rows.append([L.label(r.metric, lang), *cells])
    cols = [L.label("metric", lang), L.label("mean", lang), "P10", "P50", "P90"]
    return pd.DataFrame(rows, columns=cols).set_index(cols[0])


def montecarlo_probabilities(probabilities: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """Probability that cumulated savings reach each target."""
    kinds = {"target_keur": "keur", "probability": "pct"}
    out = probabilities.copy()
    out["target"] = [L.label(f"target.{t}", lang) for t in out["target"]]
    return format_columns(out, kinds, lang, index="target")


def tornado_table(tornado: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """Tornado data: each uncertain parameter at its low and high value, and the metric's swing.

    Formatted as the tornado chart reads (:func:`incubo_analysis.outputs.plots.plot_tornado`):
    parameter values in their unit (55 %, 52,9 k€, 1 an), the metric in whole k€ from 100 k€.
    """
    from incubo_analysis.outputs.plots import metric_value_text, parameter_value_text

    rows = []
    for r in tornado.itertuples(index=False):
        rows.append([L.label(r.parameter, lang), parameter_value_text(r.parameter, r.low, lang),
                     parameter_value_text(r.parameter, r.high, lang),
                     *(metric_value_text(r.metric, v, lang) for v in (r.value_at_low, r.value_at_high, r.swing))])
    cols = [L.label(c, lang) for c in ("parameter", "low", "high", "value_at_low", "value_at_high", "swing")]
    return pd.DataFrame(rows, columns=cols).set_index(cols[0])


def switching_values_table(metrics: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
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
    if "lever" in sel.columns:  # the row of all levers reads "Total", not its code
        sel = sel.assign(lever=[L.label("total", lang) if v == "total" else v for v in sel["lever"]])
    kinds = {c: "keur" for c in sel.columns if c.endswith("_keur")}
    kinds.update({"variance_pct": "pct", "year": "year"})
    return format_columns(sel, kinds, lang, index=["lever", "year"] if "year" in sel.columns else "lever")


def programme_split_table(split: pd.DataFrame, year: int | None = None, lang: str = "fr") -> pd.DataFrame:
    """Realised savings by budget programme: observed where the ledger names one, else the thirds (§ 3)."""
    sel = _years_upto(split, year)
    if "basis" in sel.columns:
        sel = sel.assign(basis=[L.label(f"ledger.basis.{b}", lang) for b in sel["basis"]])
    kinds = {"share": "pct", "actual_keur": "keur", "year": "year"}
    return format_columns(sel, kinds, lang, index=["year", "programme"])


def savings_evidence_table(evidence: pd.DataFrame, year: int | None = None, lang: str = "fr") -> pd.DataFrame:
    """Realised savings of ``year`` and cumulated, by class: documented budget, productivity, undocumented.

    Parameters
    ----------
    evidence : DataFrame
        :func:`incubo_analysis.monitoring.variance.savings_by_evidence` (every year or one).
    year : int, optional
        The year shown (default: the last year of ``evidence``).

    Returns
    -------
    DataFrame
        One row per class and a total row (index: the class's label), columns FTE freed,
        realised (k€), share of the year, cumulated (k€) and share of the cumulated total.
    """
    if evidence.empty:
        return format_columns(evidence.drop(columns="year"), {}, lang)
    y = int(evidence["year"].max()) if year is None else int(year)
    sel = evidence[evidence["year"] == y]
    total = {"saving_class": "ledger.total", "actual_etp": sel["actual_etp"].sum(min_count=1),
             "actual_keur": sel["actual_keur"].sum(), "cum_actual_keur": sel["cum_actual_keur"].sum()}
    total["share"] = 1.0 if total["actual_keur"] else float("nan")
    total["cum_share"] = 1.0 if total["cum_actual_keur"] else float("nan")
    rows = pd.concat([sel.drop(columns="year"), pd.DataFrame([total])], ignore_index=True)
    rows["saving_class"] = [L.label(c if c == "ledger.total" else f"ledger.class.{c}", lang)
                            for c in rows["saving_class"]]
    kinds = {"actual_etp": "etp", "actual_keur": "keur", "share": "pct", "cum_actual_keur": "keur",
             "cum_share": "pct"}
    return format_columns(rows, kinds, lang, index="saving_class")


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
        unit = unit if unit in ("share", "keur") else "number"
        target, actual = (L.format_value(v, unit, lang, decimals=0) for v in (r.target, r.actual))
        rows.append([L.label(r.indicator, lang), str(r.year), target, actual,
                     _fmt(r.attainment, "pct", lang), L.label(r.status, lang)])
    cols = [L.label(c, lang) for c in ("indicator", "year", "target", "actual", "attainment", "status")]
    return pd.DataFrame(rows, columns=cols).set_index(cols[:2])


def processing_indicator_table(indicator: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """The processing-time indicator computed from the exports, one line per figure (two columns).

    ``indicator``: the ``processing_time_indicator`` table of
    :func:`~incubo_analysis.monitoring.annual.report_tables` (value, typed value, target, status…).
    """
    r = indicator.iloc[0]
    share = lambda v: _fmt(v, "pct", lang)  # noqa: E731
    items = [
        ("ds.ind.value", share(r["value"])),
        ("ds.ind.typed", share(r.get("typed_value"))),
        ("ds.ind.target", share(r["target"])),
        ("ds.ind.attainment", share(r.get("attainment"))),
        ("ds.ind.status", L.label(r["status"], lang) if r.get("status") else L.label("missing", lang)),
        ("ds.ind.references", L.label("ds.ind.references.value", lang).format(n=int(r["n_references"]),
                                                                              reached=int(r["n_reached"]))),
        ("ds.ind.demarches", str(int(r["n_demarches"]))),
    ]
    head = L.label("ds.ind.item", lang)
    frame = pd.DataFrame({head: [L.label(k, lang) for k, _ in items],
                          L.label("ds.ind.figure", lang): [v for _, v in items]}).set_index(head)
    frame.index.name = None  # one header line: the items name themselves
    return frame


def processing_reduction_table(reduction: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """Per démarche with a reference: the median of the four last quarters against the reference."""
    rows = []
    for r in reduction.itertuples(index=False):
        rows.append([r.demarche, _fmt(r.reference_days, "num", lang), r.reference_source, int(r.n_processed),
                     _fmt(r.median_days, "num1", lang), _fmt(r.reduction, "pct", lang),
                     L.format_value(bool(r.reached), "bool", lang)])
    cols = [L.label(f"ds.col.{c}", lang) for c in ("demarche", "reference_days", "reference_source",
                                                   "n_processed", "median_days", "reduction", "reached")]
    return pd.DataFrame(rows, columns=cols).set_index(cols[0])


def crosscheck_table(crosscheck: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """FTAP credits of the workbook against Chorus by quarter and credit; a flagged difference says so."""
    tick = L.label("chart.quarterly.tick", lang)
    rows = [[tick.format(year=int(r.year), quarter=int(r.quarter)), r.credit,
             *(L.format_value(v, "number", lang, decimals=2)  # Chorus books to the cent: 0.01 k€ shown
               for v in (r.workbook_keur, r.chorus_keur, r.difference_keur)),
             L.label("chorus.flag", lang) if r.flagged else ""]
            for r in crosscheck.itertuples(index=False)]
    cols = [L.label(c, lang) for c in ("quarter", "credit", "workbook_keur", "chorus_keur", "difference_keur")]
    cols.append(L.label("chorus.flag.column", lang))
    return pd.DataFrame(rows, columns=cols).set_index(cols[:2])


# ----------------------------------------------------------------------------- titled tables

#: Background and text colours of the RAG statuses in the HTML tables (DSFR greens, ambers, reds).
RAG_CELL_STYLES: dict[str, str] = {
    "green": "background:#B8FEC9;color:#18753C;font-weight:bold",
    "amber": "background:#FEECC2;color:#716043;font-weight:bold",
    "red": "background:#FFE9E9;color:#CE0500;font-weight:bold",
}


def _field_text(value: object, lang: str) -> str:
    """A caption field as text: shares (floats 0-1) as %, years and other values as they are."""
    if isinstance(value, float) and 0 <= value <= 1:
        return L.format_value(value, "share", lang, decimals=0)
    return str(value)


class Titled:
    """A display table with its title (period and credit) and an optional note under it.

    In the notebook and in the HTML report, the table is shown whole (no cell cut at
    pandas' ``max_colwidth``), RAG statuses coloured; its plain text (what nbval compares)
    is the title, the table and the note.

    Attributes
    ----------
    frame : DataFrame
        The display table (text cells).
    title, note : str
    """

    def __init__(self, frame: pd.DataFrame, title: str, note: str = "", lang: str = "fr",
                 styles: Mapping[str, str] | None = None) -> None:
        self.frame, self.title, self.note, self.lang = frame, title, note, lang
        self.styles = dict(styles or {})  # cell text -> CSS, beside the RAG statuses

    def _repr_html_(self) -> str:
        from html import escape

        html = self.frame.to_html(classes="dataframe", border=0, escape=True)
        cells = {L.label(status, self.lang): css for status, css in RAG_CELL_STYLES.items()} | self.styles
        for text, css in cells.items():
            html = html.replace(f"<td>{escape(text)}</td>", f'<td style="{css}">{escape(text)}</td>')
        note = f'<p style="font-size:90%;color:#3A3A3A">{escape(self.note)}</p>' if self.note else ""
        return f'<p style="font-weight:bold;margin:0.8em 0 0.3em">{escape(self.title)}</p>\n{html}\n{note}'

    def __repr__(self) -> str:
        with pd.option_context("display.max_colwidth", None, "display.width", 200):
            body = self.frame.to_string()
        return "\n".join(t for t in (self.title, body, self.note) if t)


def titled(frame: pd.DataFrame, key: str, lang: str = "fr", *, note: str | None = None,
           **fields: object) -> Titled:
    """``frame`` under the title of label ``table.KEY``, with the note of label ``NOTE``.

    Parameters
    ----------
    frame : DataFrame
        A display table of this module.
    key : str
        The title's label key without its ``table.`` prefix (``"credits_by_axis"``).
    lang : {"fr", "en"}
    note : str, optional
        Label key of a note shown under the table (``"note.rag"``).
    **fields
        Fields of both labels: ``year``, ``credit``, shares such as ``green=0.95`` (shown as %).

    Examples
    --------
    >>> t = titled(pd.DataFrame({"a": ["x"]}), "indicators", "en", note="note.rag", year=2021,
    ...            green=0.95, amber=0.75)
    >>> t.title
    'Indicators against their targets, to 2021'
    """
    texts = {k: _field_text(v, lang) for k, v in fields.items()}
    if "credit" in fields:
        texts["credit"] = str(fields["credit"])
    title = L.label(f"table.{key}", lang).format(**texts)
    return Titled(frame, title, L.label(note, lang).format(**texts) if note else "", lang)

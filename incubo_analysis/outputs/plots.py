"""Charts of the report: each function draws one chart and returns its matplotlib Axes.

Every function has the form ``plot_x(data, *, ax=None, lang="fr", **kw)``:

- it draws on ``ax`` when given (no new figure is created) and otherwise creates one
  figure with :func:`matplotlib.pyplot.subplots` (so a notebook shows it inline);
- it never saves, never shows, never selects a backend; the caller decides
  (``ax.figure.savefig("chart.png")`` gives a 200 dpi image ready for a slide);
- titles, axis labels and legends come from :mod:`incubo_analysis.labels` (French by
  default, English with ``lang="en"``); amounts are in k€ with the French number format
  on the axes (``1 824``);
- it never modifies the frame it is given;
- ``title=None`` draws the default title, ``title=""`` none (a slide has its own),
  any other string replaces it;
- a frame missing a required column, or holding an unknown code, raises
  :class:`~incubo_analysis.errors.SchemaError`; a bad option (unknown credit, metric,
  year, scenario...) raises :class:`~incubo_analysis.errors.ParameterError`.

The multi-panel :func:`plot_financing_by_axis` returns a 2 × 2 ndarray of Axes (one panel
per axis); every other function returns a single Axes. Bars and lines carry a ``gid``
(e.g. ``"T3|FTAP|CP|2019|1"``) naming what they show, for tests and for post-editing.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from incubo_analysis import labels as L
from incubo_analysis.contract import schema
from incubo_analysis.errors import ParameterError, SchemaError
from incubo_analysis.outputs import style as S

__all__ = [
    "metric_value_text",
    "parameter_value_text",
    "plot_financing_by_axis",
    "plot_savings_by_lever",
    "plot_cumulative_payback",
    "plot_scenario_comparison",
    "plot_tornado",
    "plot_montecarlo_fan",
    "plot_savings_variance",
    "plot_variance_waterfall",
    "plot_credits_consumption",
    "plot_credits_quarterly",
    "plot_indicator_progress",
]


_INDICATOR_ORDER: tuple[str, ...] = (
    "axis1_procedures_prototyped",
    "axis1_deployment_rate",
    "axis2_projects_incubated",
    "axis3_agents_trained",
    "axis4_experiments_launched",
    "axis1_processing_time_reduction",
    "axis1_user_satisfaction",
    "axis2_user_satisfaction",
    "axis3_agent_satisfaction",
    "axis4_user_satisfaction",
    "savings_total_keur",
)


# ----------------------------------------------------------------------------- helpers


_styled = S.styled_plot
_require = S.require_columns


def _check_codes(frame: pd.DataFrame, column: str, allowed: Iterable[Any], what: str) -> None:
    """Raise SchemaError when ``frame[column]`` holds a value outside ``allowed``."""
    allowed_set = set(allowed)
    for value in pd.unique(frame[column]):
        if pd.isna(value):
            raise SchemaError(
                f"{what}: column {column!r} has a missing value; expected one of {sorted(allowed_set, key=str)}"
            )
        plain = value.item() if hasattr(value, "item") else value
        if plain not in allowed_set:
            raise SchemaError(
                f"{what}: column {column!r} has unknown value {plain!r}; "
                f"expected one of {', '.join(map(str, sorted(allowed_set, key=str)))}"
            )


def _new_axes(ax: Axes | None, figsize: tuple[float, float] | None = None) -> Axes:
    if ax is not None:
        return ax
    _fig, new_ax = plt.subplots(figsize=figsize or S.FIGSIZE)
    return new_ax


def _set_title(ax: Axes, title: str | None, default: str) -> None:
    if title is None:
        title = default
    if title:
        ax.set_title(title)


def _decimals(value: float, max_decimals: int = 1) -> int:
    """Fewest decimals (≤ max_decimals) that show ``value`` exactly at that precision."""
    if not math.isfinite(value):
        return 0
    for d in range(max_decimals + 1):
        if abs(round(value, d) - value) < 1e-9 * max(1.0, abs(value)):
            return d
    return max_decimals


def _smart(value: float, lang: str, max_decimals: int = 1) -> str:
    """A number with as few decimals as it needs (up to ``max_decimals``)."""
    if L.is_missing(value):
        return L.label("missing", lang)
    return L.format_value(value, "number", lang, decimals=_decimals(float(value), max_decimals))


def _amount(value: float, lang: str) -> str:
    """An amount label in k€ (no unit): whole k€ from 100 k€ up, else up to one decimal."""
    if L.is_missing(value):
        return L.label("missing", lang)
    return L.format_value(value, "number", lang) if abs(float(value)) >= 100 else _smart(value, lang, 1)


def _signed(value: float, lang: str) -> str:
    """A change with its sign: ``+12,5`` / ``−28,5`` / ``0``."""
    text = _amount(value, lang)
    return "+" + text if value > 0 and any(c in "123456789" for c in text) else text


def _wrap(text: str, width: int = 16) -> str:
    return textwrap.fill(text, width=width, break_long_words=False)


def _pad_top(ax: Axes, factor: float = 0.12) -> None:
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, hi + (hi - lo) * factor)


def _year_ticks(ax: Axes, years: Sequence[int], axis: str = "x") -> None:
    locator = FixedLocator([float(y) for y in years])
    formatter = FuncFormatter(lambda v, _p: L.fmt_year(round(v)))
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(locator)
    target.set_major_formatter(formatter)


def _metric_kind(metric: str) -> str:
    """How a metric's values read: keur, ratio, year, share, years, bool or number."""
    if metric.startswith("payback_year") or metric.endswith("_year"):
        return "year"
    if metric.endswith("_keur"):
        return "keur"
    if metric.startswith(("roi_", "ftap_doctrine_ratio")):
        return "ratio"
    if metric.startswith("switch_realisation"):
        return "share"
    if metric.startswith("switch_unit_cost"):
        return "keur"
    if metric.startswith("switch_delay"):
        return "years"
    return "number"


def _years_text(value: float, lang: str) -> str:
    n = _smart(value, lang, 1)
    key = "chart.years" if abs(float(value)) < 2 else "chart.years_plural"
    return L.label(key, lang).format(n=n)


def metric_value_text(metric: str, value: Any, lang: str) -> str:
    """A metric's value on a chart: whole k€ from 100 k€ up, durations in years, else its unit."""
    kind = _metric_kind(metric)
    if L.is_missing(value):
        return L.format_value(None, "number", lang)
    if kind == "years":
        return _years_text(value, lang)
    if kind == "keur":
        return L.format_value(value, "keur", lang, decimals=0 if abs(float(value)) >= 100 else 1)
    return L.format_value(value, "ratio" if kind == "number" else kind, lang)


def _metric_formatter(metric: str, lang: str) -> FuncFormatter:
    kind = _metric_kind(metric)
    if kind == "keur":
        return L.keur_formatter(lang)
    if kind == "share":
        return L.pct_formatter(lang)
    return FuncFormatter(lambda v, _p: _smart(v, lang, 2))


def parameter_value_text(parameter: str, value: Any, lang: str) -> str:
    """A parameter value as the reader knows it (15 %, 57 k€, 1 an, 20 ETP)."""
    if L.is_missing(value):
        return L.label("missing", lang)
    value = float(value)
    name = str(parameter)
    head = name.split(".")[0]
    if head in ("realisation_rate", "unit_cost_growth", "discount_rate") or name.endswith(("_rate", "_share")):
        return L.format_value(value, "share", lang, decimals=_decimals(value * 100, 1))
    if head.endswith("_keur"):
        return L.format_value(value, "keur", lang, decimals=_decimals(value, 1))
    if head in ("delay_years", "lever_delay_years"):
        return _years_text(value, lang)
    if head == "etp":
        return f"{_smart(value, lang, 1)}{L.NBSP}{L.label('etp', lang)}"
    if head in ("base_year", "horizon_end"):
        return L.fmt_year(value, lang)
    return _smart(value, lang, 2)


def _legend_below(fig: Any, handles: list[Any], ncol: int) -> None:
    if fig.get_layout_engine() is not None:
        fig.legend(handles=handles, loc="outside lower center", ncol=ncol)
    else:
        fig.legend(handles=handles, loc="lower center", ncol=ncol)


# ----------------------------------------------------------------------------- 1. financing


@_styled
def plot_financing_by_axis(
    plan: pd.DataFrame,
    *,
    axes: Any = None,
    credit: str = "CP",
    lang: str = "fr",
    title: str | None = None,
) -> np.ndarray:
    """The financing plan: one panel per axis, bars per year stacked by budget title.

    Each bar is stacked by source then title: FTAP segments plain, co-financed segments
    hatched, one colour per title (T2, T3, T6); the total (k€) is printed on top. With
    ``credit="both"`` each year has two bars, AE (left, lighter) and CP (right). The
    panels share their y scale so that the axes compare at a glance.

    Parameters
    ----------
    plan : DataFrame
        :func:`incubo_analysis.contract.loaders.load_financing_plan` frame: ``axis`` (int 1–4),
        ``title`` (T2/T3/T6), ``source`` (FTAP/cofinancing), ``line``, ``year`` (int),
        ``credit`` (AE/CP), ``amount_keur`` (k€). Lines are summed.
    axes : array-like of 4 Axes, optional
        Where to draw the panels of axes 1, 2, 3, 4 (in this order, any shape). A 2 × 2
        figure is created when omitted.
    credit : {"CP", "AE", "both"}
        Which appropriations to show.
    lang : {"fr", "en"}
    title : str, optional
        Figure title (``""`` for none).

    Returns
    -------
    numpy.ndarray of Axes
        Shape (2, 2) when the figure is created here, else the shape of ``axes``.

    Raises
    ------
    SchemaError
        Missing column or unknown axis / title / source / credit code.
    ParameterError
        Unknown ``credit`` or fewer than 4 Axes given.
    """
    what = "financing plan"
    _require(plan, ("axis", "title", "source", "year", "credit", "amount_keur"), what)
    if credit not in ("AE", "CP", "both"):
        raise ParameterError(f"credit: expected 'AE', 'CP' or 'both', got {credit!r}")
    for col, allowed in (
        ("axis", schema.AXES), ("title", schema.TITLES), ("source", schema.SOURCES), ("credit", schema.CREDITS),
    ):
        _check_codes(plan, col, allowed, what)
    credits = list(schema.CREDITS) if credit == "both" else [credit]
    fig, grid = _financing_grid(axes)
    panels = list(grid.flat)
    sums = (
        plan.groupby(["axis", "credit", "year", "source", "title"], observed=True)["amount_keur"].sum()
    )
    years = sorted(int(y) for y in pd.unique(plan["year"]))
    ymax = 0.0
    for panel, axis_code in zip(panels, schema.AXES, strict=False):
        ymax = max(ymax, _financing_panel(panel, sums, axis_code, credits, years, lang))
    for panel in panels:
        panel.set_ylim(0, ymax * 1.18 if ymax > 0 else 1.0)
    _financing_legend_and_title(fig, credit, lang, title)
    return grid


def _financing_grid(axes: Any) -> tuple[Any, np.ndarray]:
    """The figure and the panels: a new 2 × 2 grid, or the Axes given (at least one per axis)."""
    if axes is None:
        fig, created = plt.subplots(2, 2, figsize=S.FIGSIZE_GRID, sharex=True, sharey=True)
        return fig, np.asarray(created, dtype=object)
    grid = np.asarray(axes, dtype=object)
    if grid.size < len(schema.AXES):
        raise ParameterError(f"axes: expected {len(schema.AXES)} Axes (one per axis), got {grid.size}")
    return grid.flat[0].figure, grid


def _financing_panel(panel: Axes, sums: pd.Series, axis_code: int, credits: list[str], years: list[int],
                     lang: str) -> float:
    """One axis's panel: a bar per year and credit stacked by source and title; returns the highest bar."""
    n = len(credits)
    width = 0.8 / n
    ymax = 0.0
    for k, cr in enumerate(credits):
        offset = (k - (n - 1) / 2) * width
        alpha = 0.55 if (n > 1 and cr == "AE") else 1.0
        for i, year in enumerate(years):
            bottom = _financing_stack(panel, sums, (axis_code, cr, year), i + offset, width, alpha)
            ymax = max(ymax, bottom)
            if bottom > 0:
                text = _smart(bottom, lang)
                if n > 1:
                    text = f"{cr}\n{text}"
                panel.annotate(
                    text, (i + offset, bottom), xytext=(0, 2), textcoords="offset points",
                    ha="center", va="bottom", fontsize=S.FONT_SIZE - (4 if n > 1 else 2),
                    color=S.NEUTRAL,
                )
    panel.set_title(L.label(axis_code, lang, short=True), fontsize=S.FONT_SIZE + 0.5)
    panel.set_xticks(range(len(years)), [L.fmt_year(y) for y in years])
    panel.yaxis.set_major_formatter(L.keur_formatter(lang))
    panel.set_ylabel(L.label("chart.ylabel_keur", lang))
    S.finish_axes(panel)
    return ymax


def _financing_stack(panel: Axes, sums: pd.Series, where: tuple[int, str, int], x: float, width: float,
                     alpha: float) -> float:
    """The segments of one bar (axis, credit, year), by source then title; returns its height."""
    axis_code, cr, year = where
    bottom = 0.0
    for source in schema.SOURCES:
        for title_code in schema.TITLES:
            value = float(sums.get((axis_code, cr, year, source, title_code), 0.0))
            if value == 0.0:
                continue
            (bar,) = panel.bar(
                x, value, width * 0.92, bottom=bottom,
                color=S.TITLE_COLORS[title_code], hatch=S.SOURCE_HATCHES[source],
                edgecolor="white", linewidth=0.6, alpha=alpha,
            )
            bar.set_gid(f"{title_code}|{source}|{cr}|{year}|{axis_code}")
            bottom += value
    return bottom


def _financing_legend_and_title(fig: Any, credit: str, lang: str, title: str | None) -> None:
    handles: list[Any] = [
        Patch(facecolor=S.TITLE_COLORS[t], label=L.label(t, lang, short=True)) for t in schema.TITLES
    ] + [
        Patch(facecolor="#8C8C8C", hatch=S.SOURCE_HATCHES[s], edgecolor="white", label=L.label(s, lang))
        for s in schema.SOURCES
    ]
    _legend_below(fig, handles, ncol=len(handles))
    credit_text = {"AE": L.label("AE", lang), "CP": L.label("CP", lang)}.get(credit, "AE / CP")
    default = L.label("chart.financing.title", lang).format(credit=credit_text) + " – k€"
    if title is None:
        title = default
    if title:
        fig.suptitle(title, x=0.01, ha="left")


# ----------------------------------------------------------------------------- 2. savings


def _select_scenario(frame: pd.DataFrame, scenario: str | None) -> tuple[pd.DataFrame, str | None]:
    if "scenario" not in frame.columns:
        if scenario is not None:
            raise ParameterError(f"scenario: {scenario!r} given but the frame has no 'scenario' column")
        return frame, None
    names = [str(s) for s in pd.unique(frame["scenario"])]
    if scenario is None:
        if len(names) != 1:
            raise ParameterError(
                f"scenario: the frame holds {len(names)} scenarios ({', '.join(names)}); pass scenario=NAME"
            )
        scenario = names[0]
    if scenario not in names:
        raise ParameterError(f"scenario: {scenario!r} not in the frame; scenarios found: {', '.join(names)}")
    return frame.loc[frame["scenario"] == scenario], scenario


@_styled
def plot_savings_by_lever(
    savings: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "fr",
    scenario: str | None = None,
    title: str | None = None,
) -> Axes:
    """Savings per year, stacked by lever, with the yearly total on top.

    Parameters
    ----------
    savings : DataFrame
        ``lever``, ``year`` (int), ``amount_keur`` (k€), optionally ``scenario``
        (the ``savings.csv`` of ``incubo scenario``, or the contract's savings plan).
    ax : Axes, optional
    lang : {"fr", "en"}
    scenario : str, optional
        Scenario to draw when the frame holds a ``scenario`` column with several values
        (required then).
    title : str, optional

    Returns
    -------
    Axes
        Bars carry ``gid = "lever|year"``.

    Raises
    ------
    SchemaError
        Missing column.
    ParameterError
        Several scenarios and no ``scenario``, or an unknown one.
    """
    _require(savings, ("lever", "year", "amount_keur"), "savings")
    data, scenario = _select_scenario(savings, scenario)
    table = data.pivot_table(index="year", columns="lever", values="amount_keur", aggfunc="sum", fill_value=0.0)
    levers = [lv for lv in schema.LEVERS if lv in table.columns] + [
        lv for lv in table.columns if lv not in schema.LEVERS
    ]
    years = [int(y) for y in table.index]
    ax = _new_axes(ax)
    bottom = np.zeros(len(years))
    for j, lever in enumerate(levers):
        values = table[lever].to_numpy(dtype=float)
        bars = ax.bar(
            years, values, 0.65, bottom=bottom, color=S.color_for(lever, S.LEVER_COLORS, j),
            edgecolor="white", linewidth=0.6, label=L.label(lever, lang, short=True),
        )
        for bar, year in zip(bars, years, strict=True):
            bar.set_gid(f"{lever}|{year}")
        bottom = bottom + values
    for year, total in zip(years, bottom, strict=True):
        if total != 0:
            ax.annotate(
                _amount(total, lang), (year, total), xytext=(0, 3), textcoords="offset points",
                ha="center", va="bottom", fontweight="bold", color=S.NEUTRAL,
            )
    _year_ticks(ax, years)
    ax.yaxis.set_major_formatter(L.keur_formatter(lang))
    ax.set_ylabel(L.label("chart.ylabel_keur", lang))
    _pad_top(ax)
    handles, names = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], names[::-1], loc="upper left")
    default = (
        L.label("chart.savings.title_scenario", lang).format(scenario=L.scenario_label(scenario, lang))
        if scenario is not None
        else L.label("chart.savings.title", lang)
    )
    _set_title(ax, title, default)
    S.finish_axes(ax)
    return ax


# ----------------------------------------------------------------------------- 3. payback


def _payback_year(years: np.ndarray, cum_savings: np.ndarray, cum_cost: np.ndarray) -> int | None:
    """First year, once the money has begun to be spent, where cumulated savings ≥ cost."""
    started = np.maximum.accumulate(cum_cost > 0)
    reached = started & (cum_savings >= cum_cost)
    idx = np.flatnonzero(reached)
    return int(years[idx[0]]) if idx.size else None


@_styled
def plot_cumulative_payback(
    cashflows: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "fr",
    title: str | None = None,
) -> Axes:
    """Cumulated savings against cumulated FTAP cost and total cost, payback years marked.

    The payback year of a cost is the first year, once that money has begun to be spent,
    in which cumulated savings reach its cumulated amount (the rule of
    ``payback_year_ftap`` / ``payback_year_total`` in :mod:`incubo_analysis.model.appraisal`),
    marked by a dotted vertical line and its year; "no payback within the horizon" is
    written when it never happens. Amounts are undiscounted (k€).

    Parameters
    ----------
    cashflows : DataFrame
        One scenario's cash flows, one row per year: ``year``, ``cum_savings_keur``,
        ``cum_cost_ftap_keur``, ``cum_cost_total_keur`` (k€; the frame of
        ``appraisal.cashflows`` also holds ``savings_keur``, ``cost_ftap_keur``,
        ``cost_total_keur``, ``discount_factor``, unused here).
    ax : Axes, optional
    lang : {"fr", "en"}
    title : str, optional

    Returns
    -------
    Axes
        Lines have gids ``cum_savings``, ``cum_cost_ftap``, ``cum_cost_total``; payback
        markers ``payback_ftap`` / ``payback_total``.
    """
    _require(cashflows, ("year", "cum_savings_keur", "cum_cost_ftap_keur", "cum_cost_total_keur"), "cashflows")
    data = cashflows.sort_values("year")
    years = data["year"].to_numpy(dtype=int)
    sav = data["cum_savings_keur"].to_numpy(dtype=float)
    ax = _new_axes(ax)
    series = (
        ("cum_cost_total", "cum_cost_total_keur", "cost_total", "chart.payback.cost_total", "^"),
        ("cum_cost_ftap", "cum_cost_ftap_keur", "cost_ftap", "chart.payback.cost_ftap", "s"),
        ("cum_savings", "cum_savings_keur", "savings", "chart.payback.savings", "o"),
    )
    for gid, col, colour, key, marker in series:
        (line,) = ax.plot(
            years, data[col].to_numpy(dtype=float), color=S.SERIES_COLORS[colour], marker=marker,
            label=L.label(key, lang), linewidth=3 if gid == "cum_savings" else 2.2,
        )
        line.set_gid(gid)
    notes = []
    for which, col, colour, y_frac in (
        ("ftap", "cum_cost_ftap_keur", "cost_ftap", 0.16), ("total", "cum_cost_total_keur", "cost_total", 0.06),
    ):
        year = _payback_year(years, sav, data[col].to_numpy(dtype=float))
        if year is None:
            notes.append(
                L.label("chart.payback.never", lang).format(which=L.label(f"chart.payback.which_{which}", lang))
            )
            continue
        line = ax.axvline(year, color=S.SERIES_COLORS[colour], linestyle=":", linewidth=1.8)
        line.set_gid(f"payback_{which}")
        ax.annotate(
            L.label(f"chart.payback.{which}", lang).format(year=L.fmt_year(year)),
            (year, y_frac), xycoords=("data", "axes fraction"), xytext=(-6, 0), textcoords="offset points",
            ha="right", va="bottom", color=S.SERIES_COLORS[colour], fontweight="bold",
            bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": "none", "alpha": 0.9},
        )
    if notes:
        ax.text(
            0.99, 0.28, "\n".join(notes), transform=ax.transAxes, ha="right", va="bottom",
            color=S.NEUTRAL, fontsize=S.FONT_SIZE - 1.5, style="italic",
        )
    _year_ticks(ax, [int(y) for y in years])
    ax.set_xlim(years.min() - 0.3, years.max() + 0.3)
    ax.yaxis.set_major_formatter(L.keur_formatter(lang))
    ax.set_ylabel(L.label("chart.ylabel_cum_keur", lang))
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    _set_title(ax, title, L.label("chart.payback.title", lang))
    S.finish_axes(ax, grid_axis="y")
    return ax


# ----------------------------------------------------------------------------- 4. scenarios


@_styled
def plot_scenario_comparison(
    metrics: pd.DataFrame,
    *,
    metric: str = "npv_keur",
    ax: Axes | None = None,
    lang: str = "fr",
    baseline: str | None = None,
    title: str | None = None,
) -> Axes:
    """One metric across scenarios: horizontal bars, the baseline on top and highlighted.

    Amount metrics (``*_keur``) read in k€ with a zero line; ROIs with a break-even line
    at 1; payback years are drawn as dots on a year scale (a bar from 0 would be
    meaningless). A scenario whose value is missing (e.g. no payback) shows ``–``.

    Parameters
    ----------
    metrics : DataFrame
        Tidy ``scenario``, ``metric``, ``value`` (``metrics.csv`` of ``incubo scenario``).
    metric : str
        Metric to compare (``npv_keur``, ``roi_total``, ``payback_year_ftap``...).
    ax : Axes, optional
    lang : {"fr", "en"}
    baseline : str, optional
        Scenario to highlight; default ``"baseline"`` if present, else the first one.
    title : str, optional

    Returns
    -------
    Axes
        Bars (or dots) carry ``gid = "scenario|NAME"``, top to bottom in the order of
        ``metrics`` with the baseline first.

    Raises
    ------
    ParameterError
        ``metric`` absent from the frame or unknown ``baseline``.
    SchemaError
        Missing column, or a scenario with several values for the metric.
    """
    names, values, baseline = _scenario_values(metrics, metric, baseline)
    order = [names.index(baseline)] + [i for i in range(len(names)) if names[i] != baseline]
    kind = _metric_kind(metric)
    ax = _new_axes(ax, (S.FIGSIZE[0], max(3.5, 1.2 + 0.6 * len(names))))
    n = len(order)
    finite = [v for v in values if math.isfinite(v)]
    for rank, i in enumerate(order):
        _scenario_mark(ax, n - 1 - rank, names[i], values[i], metric, is_base=names[i] == baseline,
                       finite=finite, lang=lang)
    ticks = [L.scenario_label(names[i], lang) for i in order]
    ax.set_yticks(range(n - 1, -1, -1), [_wrap(t, 28) for t in ticks])
    for tick, i in zip(ax.get_yticklabels(), order, strict=True):
        if names[i] == baseline:
            tick.set_fontweight("bold")
    ax.set_ylim(-0.6, n - 0.4)
    _scenario_scale(ax, metric, kind, finite, lang)
    ax.set_xlabel(L.label(metric, lang))
    _set_title(ax, title, L.label("chart.scenarios.title", lang).format(metric=L.label(metric, lang, short=True)))
    S.finish_axes(ax, grid_axis="x")
    ax.tick_params(axis="y", length=0)
    return ax


def _scenario_values(metrics: pd.DataFrame, metric: str, baseline: str | None) -> tuple[list[str], list[float], str]:
    """The scenarios' names and values of ``metric`` (NaN when missing) and the baseline's name."""
    _require(metrics, ("scenario", "metric", "value"), "metrics")
    rows = metrics.loc[metrics["metric"] == metric]
    if rows.empty:
        available = ", ".join(map(str, pd.unique(metrics["metric"])))
        raise ParameterError(f"metric: {metric!r} not in the metrics frame; metrics found: {available or 'none'}")
    if rows["scenario"].duplicated().any():
        dup = rows.loc[rows["scenario"].duplicated(), "scenario"].iloc[0]
        raise SchemaError(f"metrics: scenario {dup!r} has several rows for metric {metric!r}")
    names = [str(s) for s in rows["scenario"]]
    values = [float(v) if not L.is_missing(v) else math.nan for v in rows["value"]]
    if baseline is None:
        baseline = "baseline" if "baseline" in names else names[0]
    elif baseline not in names:
        raise ParameterError(f"baseline: {baseline!r} not among the scenarios ({', '.join(names)})")
    return names, values, baseline


def _scenario_mark(ax: Axes, y: int, name: str, value: float, metric: str, *, is_base: bool,
                   finite: list[float], lang: str) -> None:
    """One scenario's bar (or dot for a year) at height ``y``, and its value written beside it."""
    kind = _metric_kind(metric)
    colour = S.SERIES_COLORS["baseline" if is_base else "scenario"]
    if math.isfinite(value):
        if kind == "year":
            artist = ax.plot([value], [y], "o", color=colour, markersize=12)[0]
        else:
            artist = ax.barh(y, value, 0.6, color=colour)[0]
        artist.set_gid(f"scenario|{name}")
        x_text, ha = value, ("left" if value >= 0 or kind == "year" else "right")
    else:
        x_text, ha = (min(finite) - 1 if finite and kind == "year" else 0.0), "left"
    text = metric_value_text(metric, value, lang)
    if text == L.label("missing", lang) and kind == "year":
        text = L.label("chart.scenarios.never", lang)
    ax.annotate(
        text, (x_text, y), xytext=(8 if ha == "left" else -8, 0),
        textcoords="offset points", ha=ha, va="center",
        fontweight="bold" if is_base else "normal", color="#222222",
        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
    )


def _scenario_scale(ax: Axes, metric: str, kind: str, finite: list[float], lang: str) -> None:
    """The x scale: years, or amounts / ratios from zero (with the break-even line of an ROI)."""
    if kind == "year":
        lo = min(finite) if finite else 2018
        hi = max(finite) if finite else 2022
        ax.set_xlim(lo - 1, hi + 1.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: L.fmt_year(round(v))))
    else:
        lo = min(finite + [0.0])
        hi = max(finite + [0.0])
        span = (hi - lo) or 1.0
        ax.set_xlim(lo - (0.22 * span if lo < 0 else 0.0), hi + 0.22 * span)
        ax.axvline(0, color="#7F7F7F", linewidth=0.9)
        ax.xaxis.set_major_formatter(_metric_formatter(metric, lang))
    if kind == "ratio" and metric.startswith("roi_"):
        ax.axvline(1.0, color=S.SERIES_COLORS["target"], linestyle="--", linewidth=1.5)
        ax.annotate(
            L.label("chart.scenarios.threshold_roi", lang), (1.0, 1.0), xycoords=("data", "axes fraction"),
            xytext=(4, -2), textcoords="offset points", ha="left", va="top", color=S.SERIES_COLORS["target"],
            fontsize=S.FONT_SIZE - 2,
        )
        ax.set_xlim(min(ax.get_xlim()[0], 0.0), max(ax.get_xlim()[1], 1.25))


# ----------------------------------------------------------------------------- 5. tornado


@_styled
def plot_tornado(
    tornado: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "fr",
    metric: str | None = None,
    title: str | None = None,
) -> Axes:
    """Tornado chart: the metric with each parameter at its low and high value.

    One row per parameter, sorted by ``swing`` (largest on top); from the base value, one
    bar to the metric at the parameter's low value and one to the metric at its high
    value, each end annotated with the parameter value (15 %, 57 k€, 1 an...).

    Parameters
    ----------
    tornado : DataFrame
        ``parameter``, ``low``, ``high``, ``metric``, ``base_value``, ``value_at_low``,
        ``value_at_high``, ``swing`` (the output of ``uncertainty.tornado``).
    ax : Axes, optional
    lang : {"fr", "en"}
    metric : str, optional
        Required when the frame holds several metrics.
    title : str, optional

    Returns
    -------
    Axes
        Bars carry ``gid = "PARAMETER|low"`` / ``"PARAMETER|high"``; the y tick labels
        read top to bottom in decreasing swing.
    """
    data, metric = _tornado_rows(tornado, metric)
    base = float(data["base_value"].iloc[0])
    n = len(data)
    ax = _new_axes(ax, (S.FIGSIZE[0], max(3.5, 1.6 + 0.7 * n)))
    values = [base]
    for rank, row in enumerate(data.itertuples(index=False)):
        values += _tornado_bars(ax, n - 1 - rank, row, base, lang)
    ax.axvline(base, color="#222222", linewidth=1.2)
    ax.annotate(
        L.label("chart.tornado.base", lang).format(value=metric_value_text(metric, base, lang)),
        (base, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 4), textcoords="offset points",
        ha="center", va="bottom", fontsize=S.FONT_SIZE - 1.5, color="#222222",
    )
    ax.set_yticks(range(n - 1, -1, -1), [_wrap(L.label(p, lang), 30) for p in data["parameter"]])
    ax.set_ylim(-0.7, n - 0.3)
    span = (max(values) - min(values)) or 1.0
    ax.set_xlim(min(values) - 0.2 * span, max(values) + 0.2 * span)
    ax.xaxis.set_major_formatter(_metric_formatter(metric, lang))
    ax.set_xlabel(L.label(metric, lang))
    ax.legend(
        handles=[
            Patch(color=S.SERIES_COLORS["low"], label=L.label("chart.tornado.low", lang)),
            Patch(color=S.SERIES_COLORS["high"], label=L.label("chart.tornado.high", lang)),
        ],
        loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2,
    )
    _set_title(ax, title, L.label("chart.tornado.title", lang).format(metric=L.label(metric, lang, short=True)))
    S.finish_axes(ax, grid_axis="x")
    ax.tick_params(axis="y", length=0)
    return ax


def _tornado_rows(tornado: pd.DataFrame, metric: str | None) -> tuple[pd.DataFrame, str]:
    """The rows of one metric, by decreasing swing, and that metric's name."""
    cols = ("parameter", "low", "high", "base_value", "value_at_low", "value_at_high", "swing")
    _require(tornado, cols, "tornado")
    data = tornado
    if "metric" in data.columns:
        found = [str(m) for m in pd.unique(data["metric"])]
        if metric is None:
            if len(found) > 1:
                raise ParameterError(f"metric: the tornado frame holds {', '.join(found)}; pass metric=NAME")
            metric = found[0] if found else "npv_keur"
        elif metric not in found:
            raise ParameterError(f"metric: {metric!r} not in the tornado frame; metrics found: {', '.join(found)}")
        data = data.loc[data["metric"] == metric]
    if data.empty:
        raise SchemaError("tornado: no rows to draw")
    return data.sort_values("swing", ascending=False, kind="mergesort"), metric or "npv_keur"


def _tornado_bars(ax: Axes, y: int, row: Any, base: float, lang: str) -> list[float]:
    """One parameter's low and high bars from the base, labelled with the parameter's values."""
    at_low, at_high = float(row.value_at_low), float(row.value_at_high)
    # both ends on the same side of the base: two half-height bars, low above high
    split = (at_low - base) * (at_high - base) > 0
    for end, value, param_value, colour in (
        ("low", at_low, row.low, S.SERIES_COLORS["low"]),
        ("high", at_high, row.high, S.SERIES_COLORS["high"]),
    ):
        height = 0.31 if split else 0.62
        yy = y + (0.155 if end == "low" else -0.155) if split else y
        (bar,) = ax.barh(yy, value - base, height, left=base, color=colour, edgecolor="white")
        bar.set_gid(f"{row.parameter}|{end}")
        right = value >= base
        ax.annotate(
            parameter_value_text(row.parameter, param_value, lang), (value, yy),
            xytext=(6 if right else -6, 0), textcoords="offset points",
            ha="left" if right else "right", va="center", fontsize=S.FONT_SIZE - 1.5, color="#222222",
        )
    return [at_low, at_high]


# ----------------------------------------------------------------------------- 6. Monte Carlo


@_styled
def plot_montecarlo_fan(
    mc_savings: pd.DataFrame,
    *,
    target_keur: float | Mapping[str, float] | None = None,
    cumulative: bool = True,
    ax: Axes | None = None,
    lang: str = "fr",
    title: str | None = None,
) -> Axes:
    """Fan chart of simulated savings: P10–P90 band, P50 line, mean, target line(s).

    Parameters
    ----------
    mc_savings : DataFrame
        Per year: ``year``, ``mean``, ``p10``, ``p50``, ``p90`` (annual savings, k€) and
        ``cum_mean``, ``cum_p10``, ``cum_p50``, ``cum_p90`` (cumulated, k€)
        (``montecarlo_savings.csv``).
    target_keur : float or mapping label → float, optional
        Horizontal target line(s) in k€ (e.g. ``{"Crédits FTAP": 1235, "Objectif 1,3 M€":
        1300}``); a mapping key that is a known code is translated.
    cumulative : bool
        Cumulated savings (default) or annual savings.
    ax : Axes, optional
    lang : {"fr", "en"}
    title : str, optional

    Returns
    -------
    Axes
        The band has ``gid="band"``, the median line ``"p50"``, the mean ``"mean"``,
        targets ``"target|LABEL"``.

    Raises
    ------
    SchemaError
        Missing column.
    ParameterError
        A target that is not a number.
    """
    prefix = "cum_" if cumulative else ""
    _require(mc_savings, ["year"] + [prefix + c for c in ("p10", "p50", "p90")], "Monte Carlo savings")
    data = mc_savings.sort_values("year")
    years = data["year"].to_numpy(dtype=int)
    ax = _new_axes(ax)
    band = ax.fill_between(
        years, data[prefix + "p10"].to_numpy(dtype=float), data[prefix + "p90"].to_numpy(dtype=float),
        color=S.SERIES_COLORS["band"], alpha=0.22, linewidth=0, label=L.label("chart.fan.band", lang),
    )
    band.set_gid("band")
    (p50,) = ax.plot(
        years, data[prefix + "p50"].to_numpy(dtype=float), color=S.SERIES_COLORS["band"], marker="o",
        label=L.label("chart.fan.median", lang),
    )
    p50.set_gid("p50")
    if prefix + "mean" in data.columns:
        (mean,) = ax.plot(
            years, data[prefix + "mean"].to_numpy(dtype=float), color=S.NEUTRAL, linestyle="--",
            linewidth=1.5, label=L.label("mean", lang),
        )
        mean.set_gid("mean")
    _fan_targets(ax, target_keur, lang)
    _year_ticks(ax, [int(y) for y in years])
    ax.yaxis.set_major_formatter(L.keur_formatter(lang))
    ax.set_ylabel(L.label("chart.ylabel_cum_keur" if cumulative else "chart.ylabel_keur", lang))
    ax.set_ylim(bottom=0)
    _pad_top(ax, 0.08)
    ax.legend(loc="upper left")
    _set_title(ax, title, L.label("chart.fan.title" if cumulative else "chart.fan.title_annual", lang))
    S.finish_axes(ax)
    return ax


def _fan_targets(ax: Axes, target_keur: float | Mapping[str, float] | None, lang: str) -> None:
    """Horizontal target lines, each in its own colour and line style, their amount in the legend."""
    targets: dict[str, float] = {}
    if target_keur is not None:
        items = (target_keur.items() if isinstance(target_keur, Mapping)
                 else [(L.label("chart.fan.target", lang), target_keur)])
        for name, value in items:
            if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
                raise ParameterError(f"target_keur[{name!r}]: expected a number of k€, got {value!r}")
            targets[L.label(name, lang)] = float(value)
    target_styles = [
        (S.SERIES_COLORS["target"], "--"), ("#7F3C8D", "-."), (S.NEUTRAL, ":"), ("#B35C00", (0, (5, 1, 1, 1))),
    ]
    for k, (name, value) in enumerate(targets.items()):
        colour, linestyle = target_styles[k % len(target_styles)]
        line = ax.axhline(
            value, color=colour, linestyle=linestyle, linewidth=1.8,
            label=f"{name} : {L.format_value(value, 'keur', lang, decimals=_decimals(value))}",
        )
        line.set_gid(f"target|{name}")


# ----------------------------------------------------------------------------- 7. savings variance


def _select_year(frame: pd.DataFrame, year: int | None, what: str) -> pd.DataFrame:
    if year is None:
        return frame
    rows = frame.loc[frame["year"] == year]
    if rows.empty:
        found = ", ".join(str(int(y)) for y in sorted(pd.unique(frame["year"])))
        raise ParameterError(f"year: {year!r} not in the {what}; years found: {found or 'none'}")
    return rows


def _years_title(frame: pd.DataFrame, year: int | None, lang: str, prefix: str) -> str:
    if year is not None:
        return L.label(f"{prefix}_year", lang).format(year=L.fmt_year(year))
    years = sorted(int(y) for y in pd.unique(frame["year"]))
    if len(years) == 1:
        return L.label(f"{prefix}_year", lang).format(year=years[0])
    return L.label(f"{prefix}_years", lang).format(first=years[0], last=years[-1])


def _ordered_levers(present: Iterable[Any]) -> list[Any]:
    present = list(present)
    return [lv for lv in schema.LEVERS if lv in present] + [lv for lv in present if lv not in schema.LEVERS]


@_styled
def plot_savings_variance(
    variance: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "fr",
    year: int | None = None,
    title: str | None = None,
) -> Axes:
    """Planned vs actual savings per lever, the variance (%) printed above each pair.

    A lever with a gap beyond the threshold and no explanation (``explanation_missing``,
    contract section 7) gets an asterisk and a footnote.

    Parameters
    ----------
    variance : DataFrame
        The ``savings_variance`` frame: ``lever``, ``year``, ``planned_keur``,
        ``actual_keur`` (k€), optionally ``explanation_missing`` (bool); other columns
        (``planned_etp``, ``actual_etp``, ``variance_keur``, ``variance_pct``, effects,
        ``explanation``) are not needed.
    ax : Axes, optional
    lang : {"fr", "en"}
    year : int, optional
        One year; by default the sum over the years of the frame (the variance % is then
        recomputed on the sums: (actual − planned) / planned).
    title : str, optional

    Returns
    -------
    Axes
        Bars carry ``gid = "planned|LEVER"`` / ``"actual|LEVER"``.
    """
    _require(variance, ("lever", "year", "planned_keur", "actual_keur"), "savings variance")
    data = _select_year(variance, year, "savings variance")
    sums = data.groupby("lever", sort=False)[["planned_keur", "actual_keur"]].sum()
    flagged = (
        data.groupby("lever", sort=False)["explanation_missing"].any()
        if "explanation_missing" in data.columns
        else pd.Series(False, index=sums.index)
    )
    levers = _ordered_levers(sums.index)
    ax = _new_axes(ax)
    x = np.arange(len(levers))
    any_flag = False
    top = 0.0
    for i, lever in enumerate(levers):
        planned = float(sums.at[lever, "planned_keur"])
        actual = float(sums.at[lever, "actual_keur"])
        flag = bool(flagged.get(lever, False))
        any_flag |= flag
        top = max(top, _variance_pair(ax, i, lever, planned, actual, flag, lang))
    ax.set_xticks(x, [_wrap(L.label(lv, lang, short=True), 16) for lv in levers])
    ax.tick_params(axis="x", length=0)
    ax.yaxis.set_major_formatter(L.keur_formatter(lang))
    ax.set_ylabel(L.label("chart.ylabel_keur", lang))
    ax.set_ylim(0, top * 1.25 if top > 0 else 1.0)
    ax.legend(
        handles=[
            Patch(color=S.SERIES_COLORS["planned"], label=L.label("chart.waterfall.planned", lang)),
            Patch(color=S.SERIES_COLORS["actual"], label=L.label("chart.waterfall.actual", lang)),
        ],
        loc="upper right",
    )
    if any_flag:
        ax.text(
            0.0, -0.2, L.label("chart.variance.missing", lang), transform=ax.transAxes, ha="left",
            va="top", fontsize=S.FONT_SIZE - 2, color=S.SERIES_COLORS["decrease"], style="italic",
        )
    _set_title(ax, title, _years_title(data, year, lang, "chart.variance.title"))
    S.finish_axes(ax)
    return ax


def _variance_pair(ax: Axes, i: int, lever: str, planned: float, actual: float, flag: bool, lang: str) -> float:
    """A lever's planned and actual bars, their amounts and the gap in % above; returns the higher bar."""
    width = 0.38
    (pb,) = ax.bar(i - width / 2, planned, width, color=S.SERIES_COLORS["planned"], edgecolor="white")
    pb.set_gid(f"planned|{lever}")
    (ab,) = ax.bar(i + width / 2, actual, width, color=S.SERIES_COLORS["actual"], edgecolor="white")
    ab.set_gid(f"actual|{lever}")
    for xpos, value in ((i - width / 2, planned), (i + width / 2, actual)):
        ax.annotate(
            _amount(value, lang), (xpos, value), xytext=(0, 2), textcoords="offset points",
            ha="center", va="bottom", fontsize=S.FONT_SIZE - 2.5, color=S.NEUTRAL,
        )
    share = (actual - planned) / planned if planned else math.nan
    text = L.format_value(share, "share", lang)
    if math.isfinite(share) and share > 0:
        text = "+" + text
    if flag:
        text += " *"
    colour = (
        S.SERIES_COLORS["decrease"] if math.isfinite(share) and share < 0
        else S.SERIES_COLORS["increase"] if math.isfinite(share) and share > 0 else S.NEUTRAL
    )
    peak = max(planned, actual, 0.0)
    ax.annotate(
        text, (i, peak), xytext=(0, 20), textcoords="offset points", ha="center", va="bottom",
        fontweight="bold", color=colour,
    )
    return peak


@_styled
def plot_variance_waterfall(
    variance: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "fr",
    year: int | None = None,
    zoom: bool = True,
    title: str | None = None,
) -> Axes:
    """Waterfall from planned to actual savings: volume effect per lever, then price effect.

    planned total → + volume effect of each lever ((actual − planned FTE) × planned unit
    cost) → + price effect (all levers: actual FTE × (actual − planned unit cost)) →
    actual total. The steps add up exactly when the frame satisfies volume + price =
    variance, as ``savings_variance`` guarantees; the last bar is the actual total of the
    frame itself.

    Parameters
    ----------
    variance : DataFrame
        ``lever``, ``year``, ``planned_keur``, ``actual_keur``, ``volume_effect_keur``,
        ``price_effect_keur`` (k€).
    ax : Axes, optional
    lang : {"fr", "en"}
    year : int, optional
        One year; by default the sum over the years of the frame.
    zoom : bool
        When the steps are small against the totals, start the y scale above zero so the
        effects are visible (the scale is then marked as truncated); ``False`` keeps 0.
    title : str, optional

    Returns
    -------
    Axes
        Bars carry gids ``waterfall|planned``, ``waterfall|volume|LEVER``,
        ``waterfall|price``, ``waterfall|actual``.
    """
    cols = ("lever", "year", "planned_keur", "actual_keur", "volume_effect_keur", "price_effect_keur")
    _require(variance, cols, "savings variance")
    data = _select_year(variance, year, "savings variance")
    by_lever = data.groupby("lever", sort=False)[["volume_effect_keur"]].sum()
    levers = _ordered_levers(by_lever.index)
    planned = float(data["planned_keur"].sum())
    actual = float(data["actual_keur"].sum())
    steps: list[tuple[str, str, float]] = [("total", "planned", planned)]
    steps += [("delta", f"volume|{lv}", float(by_lever.at[lv, "volume_effect_keur"])) for lv in levers]
    steps += [("delta", "price", float(data["price_effect_keur"].sum())), ("total", "actual", actual)]
    ax = _new_axes(ax)
    tops, levels = _waterfall_bars(ax, steps, lang)
    names = [_waterfall_name(gid, lang) for _kind, gid, _value in steps]
    ax.set_xticks(range(len(steps)), [_wrap(nm, 14) for nm in names])
    ax.yaxis.set_major_formatter(L.keur_formatter(lang))
    ax.set_ylabel(L.label("chart.ylabel_keur", lang))
    _waterfall_scale(ax, max(tops + [1.0]), min(levels + [planned, actual]), zoom, lang)
    ax.legend(
        handles=[
            Patch(color=S.SERIES_COLORS["increase"], label=L.label("chart.waterfall.increase", lang)),
            Patch(color=S.SERIES_COLORS["decrease"], label=L.label("chart.waterfall.decrease", lang)),
        ],
        loc="upper right",
    )
    default = L.label("chart.waterfall.title", lang)
    if year is not None:
        default += f" – {L.fmt_year(year)}"
    _set_title(ax, title, default)
    S.finish_axes(ax)
    ax.tick_params(axis="x", length=0, labelsize=S.FONT_SIZE - 2)
    return ax


def _waterfall_bars(ax: Axes, steps: list[tuple[str, str, float]], lang: str) -> tuple[list[float], list[float]]:
    """The bars of the bridge and their connectors; returns the bars' tops and the running levels."""
    level = 0.0
    tops: list[float] = []
    levels: list[float] = []
    for i, (kind, gid, value) in enumerate(steps):
        if kind == "total":
            bottom, height, colour, level = 0.0, value, S.SERIES_COLORS["total"], value
            text = _amount(value, lang)
        else:
            bottom, height = level, value
            colour = S.SERIES_COLORS["increase" if value >= 0 else "decrease"]
            text = _signed(value, lang)
            levels.append(level)
            level = level + value
            levels.append(level)
        (bar,) = ax.bar(i, height, 0.62, bottom=bottom, color=colour, edgecolor="white")
        bar.set_gid(f"waterfall|{gid}")
        top = max(bottom, bottom + height)
        tops.append(top)
        ax.annotate(
            text, (i, top), xytext=(0, 3), textcoords="offset points", ha="center", va="bottom",
            fontweight="bold" if kind == "total" else "normal", color="#222222",
        )
        if i < len(steps) - 1:
            ax.plot([i + 0.31, i + 0.69], [level, level], color="#7F7F7F", linestyle=":", linewidth=1.2)
    return tops, levels


def _waterfall_name(gid: str, lang: str) -> str:
    """The tick label of a step of the bridge."""
    if gid in ("planned", "actual", "price"):
        return L.label(f"chart.waterfall.{gid}", lang)
    lever = gid.split("|", 1)[1]
    return L.label("chart.waterfall.volume", lang).format(lever=L.label(lever, lang, short=True))


def _waterfall_scale(ax: Axes, high: float, low: float, zoom: bool, lang: str) -> None:
    """The y scale: from zero, or truncated when the steps are small against the totals."""
    swing = high - low
    if zoom and low > 0 and swing < 0.5 * high:
        # a bridge whose steps are small against the totals: truncate the scale
        bottom = max(0.0, low - 1.5 * swing)
        ax.set_ylim(bottom, high + 0.25 * swing)
        ax.text(
            0.0, -0.02, L.label("chart.waterfall.truncated", lang), transform=ax.transAxes, ha="right",
            va="top", fontsize=S.FONT_SIZE - 3, color=S.NEUTRAL, style="italic",
        )
    else:
        ax.set_ylim(min(0.0, low), high * 1.15)


# ----------------------------------------------------------------------------- 8. credits


@_styled
def plot_credits_consumption(
    credits: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "fr",
    credit: str = "CP",
    year: int | None = None,
    cumulative: bool = False,
    title: str | None = None,
) -> Axes:
    """Planned vs consumed appropriations per axis, stacked by title, consumption rate on top.

    For each axis, the left bar is the plan (light shades of the title colours), the right
    bar what was consumed (full colours); the consumption rate (consumed / planned, on
    the sums) is printed above.

    Parameters
    ----------
    credits : DataFrame
        The ``credits_variance`` frame: ``axis``, ``title``, ``source``, ``year``,
        ``credit``, ``planned_keur``, ``actual_keur`` (k€); other columns unused.
    ax : Axes, optional
    lang : {"fr", "en"}
    credit : {"CP", "AE"}
    year : int, optional
        One year (or, with ``cumulative=True``, every year up to it); by default all the
        years of the frame (pass a frame limited to the years reported to read
        "consumed to date").
    cumulative : bool
        With ``year``: sum the years ≤ ``year``.
    title : str, optional

    Returns
    -------
    Axes
        Bars carry ``gid = "planned|AXIS|TITLE"`` / ``"actual|AXIS|TITLE"``.
    """
    _require(credits, ("axis", "title", "year", "credit", "planned_keur", "actual_keur"), "credits variance")
    if credit not in schema.CREDITS:
        raise ParameterError(f"credit: expected 'AE' or 'CP', got {credit!r}")
    _check_codes(credits, "axis", schema.AXES, "credits variance")
    _check_codes(credits, "title", schema.TITLES, "credits variance")
    data = _credits_of_year(credits.loc[credits["credit"] == credit], year, cumulative)
    sums = data.groupby(["axis", "title"])[["planned_keur", "actual_keur"]].sum()
    axes_present = [a for a in schema.AXES if a in set(sums.index.get_level_values(0))]
    ax = _new_axes(ax)
    top = max([_credits_pair(ax, i, axis_code, sums, lang) for i, axis_code in enumerate(axes_present)] + [0.0])
    ax.set_xticks(range(len(axes_present)), [_wrap(L.label(a, lang, short=True), 14) for a in axes_present])
    ax.tick_params(axis="x", length=0)
    ax.yaxis.set_major_formatter(L.keur_formatter(lang))
    ax.set_ylabel(L.label("chart.ylabel_keur", lang))
    ax.set_ylim(0, top * 1.3 if top > 0 else 1.0)
    handles: list[Any] = [Patch(color=S.TITLE_COLORS[t], label=L.label(t, lang, short=True)) for t in schema.TITLES]
    handles += [
        Patch(facecolor="#8C8C8C", alpha=0.35, edgecolor="#8C8C8C", label=L.label("chart.credits.planned", lang)),
        Patch(facecolor="#8C8C8C", label=L.label("chart.credits.actual", lang)),
    ]
    # below the axes: the rates printed above the bars never run into the legend
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=len(handles))
    default = L.label("chart.credits.title", lang).format(credit=L.label(credit, lang, short=True))
    if year is not None:
        when = L.label("chart.to_date", lang).format(year=year) if cumulative else L.fmt_year(year)
        default += f" – {when}"
    _set_title(ax, title, default)
    S.finish_axes(ax)
    return ax


def _credits_of_year(data: pd.DataFrame, year: int | None, cumulative: bool) -> pd.DataFrame:
    """The rows of ``year`` (or up to it); a year after the plan has none (an empty chart, not an error).

    A year before the last one of the frame but absent from it is a mistake and raises; an
    empty frame (no credits reported at all) gives an empty chart.
    """
    if year is None:
        return data
    years = sorted(int(y) for y in pd.unique(data["year"]))
    if years and year not in years and year < years[-1]:
        found = ", ".join(map(str, years))
        raise ParameterError(f"year: {year!r} not in the credits variance; years found: {found or 'none'}")
    return data.loc[data["year"] <= year] if cumulative else data.loc[data["year"] == year]


def _credits_pair(ax: Axes, i: int, axis_code: int, sums: pd.DataFrame, lang: str) -> float:
    """An axis's planned (light) and consumed bars stacked by title, and the consumption rate above."""
    width = 0.36
    totals = {}
    for side, col, offset, alpha in (
        ("planned", "planned_keur", -width / 2, 0.35), ("actual", "actual_keur", width / 2, 1.0),
    ):
        bottom = 0.0
        for t in schema.TITLES:
            value = float(sums[col].get((axis_code, t), 0.0))
            if value == 0:
                continue
            (bar,) = ax.bar(
                i + offset, value, width, bottom=bottom, color=S.TITLE_COLORS[t], alpha=alpha,
                edgecolor=S.TITLE_COLORS[t] if side == "planned" else "white", linewidth=1.0,
            )
            bar.set_gid(f"{side}|{axis_code}|{t}")
            bottom += value
        totals[side] = bottom
        ax.annotate(
            _smart(bottom, lang, 0), (i + offset, bottom), xytext=(0, 2), textcoords="offset points",
            ha="center", va="bottom", fontsize=S.FONT_SIZE - 2.5, color=S.NEUTRAL,
        )
    rate = totals["actual"] / totals["planned"] if totals["planned"] else math.nan
    peak = max(totals.values())
    ax.annotate(
        L.format_value(rate, "share", lang), (i, peak), xytext=(0, 20), textcoords="offset points",
        ha="center", va="bottom", fontweight="bold", color="#222222",
    )
    return peak


@_styled
def plot_credits_quarterly(
    quarterly: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "fr",
    credit: str = "CP",
    share: bool = False,
    title: str | None = None,
) -> Axes:
    """Cumulated consumption per axis, quarter by quarter.

    Parameters
    ----------
    quarterly : DataFrame
        ``axis``, ``year``, ``quarter`` (1–4), ``credit``, ``actual_keur``,
        ``cumulated_keur`` (k€), ``cumulated_share_of_budget`` (share 0–1) — the
        ``credits_quarterly`` frame; rows of the same axis × quarter (e.g. per title) are
        summed.
    ax : Axes, optional
    lang : {"fr", "en"}
    credit : {"CP", "AE"}
        Used when the frame has a ``credit`` column.
    share : bool
        Plot ``cumulated_share_of_budget`` (percent axis) instead of k€.
    title : str, optional

    Returns
    -------
    Axes
        One line per axis, ``gid = "quarterly|AXIS"``; x ticks read ``2019-T1`` (fr) or
        ``2019-Q1`` (en).
    """
    value_col = "cumulated_share_of_budget" if share else "cumulated_keur"
    _require(quarterly, ("axis", "year", "quarter", value_col), "credits quarterly")
    if credit not in schema.CREDITS:
        raise ParameterError(f"credit: expected 'AE' or 'CP', got {credit!r}")
    _check_codes(quarterly, "axis", schema.AXES, "credits quarterly")
    _check_codes(quarterly, "quarter", (1, 2, 3, 4), "credits quarterly")
    data = quarterly.loc[quarterly["credit"] == credit] if "credit" in quarterly.columns else quarterly
    sums = data.groupby(["axis", "year", "quarter"])[value_col].sum()
    periods = sorted({(int(y), int(q)) for _a, y, q in sums.index})
    position = {p: i for i, p in enumerate(periods)}
    ax = _new_axes(ax)
    for axis_code in [a for a in schema.AXES if a in set(sums.index.get_level_values(0))]:
        part = sums.loc[axis_code]
        xs = [position[(int(y), int(q))] for y, q in part.index]
        (line,) = ax.plot(
            xs, part.to_numpy(dtype=float), color=S.AXIS_COLORS[axis_code], marker="o",
            label=L.label(axis_code, lang, short=True),
        )
        line.set_gid(f"quarterly|{axis_code}")
    step = 1 if len(periods) <= 14 else 2
    tick = L.label("chart.quarterly.tick", lang)
    ax.set_xticks(range(0, len(periods), step), [tick.format(year=y, quarter=q) for y, q in periods[::step]])
    if len(periods) > 8:
        ax.tick_params(axis="x", labelrotation=45)
        for lbl in ax.get_xticklabels():
            lbl.set_horizontalalignment("right")
    if share:
        ax.yaxis.set_major_formatter(L.pct_formatter(lang))
        ax.set_ylabel(L.label("chart.quarterly.ylabel_share", lang))
    else:
        ax.yaxis.set_major_formatter(L.keur_formatter(lang))
        ax.set_ylabel(L.label("chart.ylabel_cum_keur", lang))
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    _set_title(ax, title, L.label("chart.quarterly.title", lang).format(credit=L.label(credit, lang, short=True)))
    S.finish_axes(ax)
    return ax


# ----------------------------------------------------------------------------- 9. indicators


def _indicator_unit(indicator: str, targets: pd.DataFrame | None) -> str:
    """'share', 'keur' or 'count', from the targets' ``unit`` column or else the id."""
    if targets is not None and "unit" in targets.columns:
        units = targets.loc[targets["indicator"] == indicator, "unit"]
        if len(units):
            unit = str(units.iloc[0]).lower()
            if "share" in unit or "%" in unit or "rate" in unit or "taux" in unit:
                return "share"
            if "keur" in unit or "k€" in unit:
                return "keur"
            return "count"
    if indicator.endswith("_keur"):
        return "keur"
    if indicator.endswith(("_rate", "_satisfaction", "_reduction")):
        return "share"
    return "count"


def _fmt_indicator(value: Any, unit: str, lang: str) -> str:
    if L.is_missing(value):
        return L.label("missing", lang)
    if unit == "share":
        return L.format_value(value, "share", lang)
    if unit == "keur":
        return L.format_value(value, "keur", lang, decimals=0)
    return _smart(value, lang, 1)


@_styled
def plot_indicator_progress(
    status: pd.DataFrame,
    *,
    targets: pd.DataFrame | None = None,
    indicator: str | None = None,
    ax: Axes | None = None,
    lang: str = "fr",
    year: int | None = None,
    title: str | None = None,
) -> Axes:
    """Indicators against their targets, coloured by RAG status.

    With ``indicator``: its target path (dashed, from ``targets`` when given, which also
    shows the targets of years not yet reported, else from ``status``) and the actual
    values, each point coloured by its status (green / amber / red).

    Without ``indicator``: an attainment chart of every indicator for one year, one
    horizontal bar per indicator (actual / target, 100 % line), coloured by status and
    annotated ``83 % (25 / 30)``; an indicator not reported shows "non renseigné". This
    single-Axes overview was preferred to small multiples: eleven indicators with one to
    three targets each read better as one ranked list on a slide.

    Parameters
    ----------
    status : DataFrame
        The ``indicator_status`` frame: ``indicator``, ``year``, ``target``, ``actual``
        (NaN when not reported), ``attainment`` (share), ``status`` (green/amber/red).
    targets : DataFrame, optional
        ``load_indicator_targets()`` frame (``indicator``, ``year``, ``target``, ``unit``)
        for the full target path and the units.
    indicator : str, optional
        Indicator id (``axis3_agents_trained``...); the overview when omitted.
    ax : Axes, optional
    lang : {"fr", "en"}
    year : int, optional
        Overview only: the year shown; by default the latest year with a reported value.
    title : str, optional

    Returns
    -------
    Axes
        Single indicator: lines ``gid="target_path"`` and ``"actual"``, points
        ``"point|YEAR"``. Overview: bars ``gid="attainment|INDICATOR"``.

    Raises
    ------
    SchemaError
        Missing column or unknown status.
    ParameterError
        Unknown indicator or year.
    """
    _require(status, ("indicator", "year", "target", "actual", "status"), "indicator status")
    known_status = status["status"].dropna()
    bad = sorted({str(s) for s in known_status if str(s) not in S.RAG_COLORS})
    if bad:
        raise SchemaError(
            f"indicator status: column 'status' has unknown value {bad[0]!r}; expected green, amber or red"
        )
    if targets is not None:
        _require(targets, ("indicator", "year", "target"), "indicator targets")
    if indicator is not None:
        return _indicator_single(status, targets, indicator, ax, lang, title)
    return _indicator_overview(status, targets, ax, lang, year, title)


def _indicator_single(
    status: pd.DataFrame, targets: pd.DataFrame | None, indicator: str, ax: Axes | None, lang: str,
    title: str | None,
) -> Axes:
    rows = status.loc[status["indicator"] == indicator].sort_values("year")
    path = (
        targets.loc[targets["indicator"] == indicator, ["year", "target"]].sort_values("year")
        if targets is not None
        else rows[["year", "target"]]
    )
    if rows.empty and path.empty:
        found = ", ".join(map(str, pd.unique(status["indicator"])))
        raise ParameterError(f"indicator: {indicator!r} not in the indicator status; indicators found: {found}")
    unit = _indicator_unit(indicator, targets)
    ax = _new_axes(ax)
    (tline,) = ax.plot(
        path["year"].to_numpy(dtype=int), path["target"].to_numpy(dtype=float), linestyle="--", marker="D",
        markersize=7, color=S.NEUTRAL, markerfacecolor="white", label=L.label("chart.indicator.target_path", lang),
    )
    tline.set_gid("target_path")
    for y, t in zip(path["year"], path["target"], strict=True):
        ax.annotate(
            _fmt_indicator(t, unit, lang), (int(y), float(t)), xytext=(-8, 6), textcoords="offset points",
            ha="right", va="bottom", color=S.NEUTRAL, fontsize=S.FONT_SIZE - 2.5,
        )
    reported = rows.loc[rows["actual"].notna()]
    if not reported.empty:
        (aline,) = ax.plot(
            reported["year"].to_numpy(dtype=int), reported["actual"].to_numpy(dtype=float), color="#9C9C9C",
            linewidth=1.5, zorder=2,
        )
        aline.set_gid("actual")
        for row in reported.itertuples(index=False):
            colour = S.RAG_COLORS.get(str(row.status), S.NEUTRAL)
            (pt,) = ax.plot([int(row.year)], [float(row.actual)], "o", color=colour, markersize=13, zorder=3)
            pt.set_gid(f"point|{int(row.year)}")
            ax.annotate(
                _fmt_indicator(row.actual, unit, lang), (int(row.year), float(row.actual)), xytext=(10, -4),
                textcoords="offset points", ha="left", va="top", color=colour, fontweight="bold",
            )
    years = sorted({int(y) for y in path["year"]} | {int(y) for y in rows["year"]})
    _year_ticks(ax, years)
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    if unit == "share":
        ax.yaxis.set_major_formatter(L.pct_formatter(lang))
    elif unit == "keur":
        ax.yaxis.set_major_formatter(L.keur_formatter(lang))
        ax.set_ylabel(L.label("chart.ylabel_keur", lang))
    else:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: _smart(v, lang, 1)))
    ax.set_ylim(bottom=0)
    _pad_top(ax, 0.12)
    present = {str(s) for s in reported["status"]}
    handles: list[Any] = [tline] + [
        Line2D([], [], marker="o", linestyle="", markersize=10, color=S.RAG_COLORS[s],
               label=f"{L.label('chart.indicator.actual', lang)} – {L.label(s, lang)}")
        for s in ("green", "amber", "red") if s in present
    ]
    ax.legend(handles=handles, loc="upper left")
    _set_title(ax, title, L.label(indicator, lang))
    S.finish_axes(ax)
    return ax


def _indicator_overview(
    status: pd.DataFrame, targets: pd.DataFrame | None, ax: Axes | None, lang: str, year: int | None,
    title: str | None,
) -> Axes:
    if year is None:
        reported = status.loc[status["actual"].notna(), "year"]
        pool = reported if not reported.empty else status["year"]
        if pool.empty:
            raise ParameterError("indicator status: no rows to draw")
        year = int(pool.max())
    rows = status.loc[status["year"] == year]
    if rows.empty:
        found = ", ".join(str(int(y)) for y in sorted(pd.unique(status["year"])))
        raise ParameterError(f"year: {year!r} not in the indicator status; years found: {found or 'none'}")
    present = [str(i) for i in pd.unique(rows["indicator"])]
    order = [i for i in _INDICATOR_ORDER if i in present] + [i for i in present if i not in _INDICATOR_ORDER]
    n = len(order)
    ax = _new_axes(ax, (S.FIGSIZE[0] + 1, max(3.5, 1.4 + 0.55 * n)))
    indexed = rows.drop_duplicates("indicator").set_index("indicator")
    max_att = 1.0
    for rank, ind in enumerate(order):
        y = n - 1 - rank
        row = indexed.loc[ind]
        actual, target = row["actual"], row["target"]
        unit = _indicator_unit(ind, targets)
        if L.is_missing(actual):
            ax.annotate(
                L.label("chart.indicators.not_reported", lang), (0, y), xytext=(4, 0), textcoords="offset points",
                ha="left", va="center", color=S.RAG_COLORS["red"], style="italic", fontsize=S.FONT_SIZE - 1.5,
            )
            continue
        att = (
            float(row["attainment"]) if "attainment" in indexed.columns and not L.is_missing(row["attainment"])
            else (float(actual) / float(target) if float(target) else math.nan)
        )
        if not math.isfinite(att):
            att = 0.0
        max_att = max(max_att, att)
        (bar,) = ax.barh(y, att, 0.62, color=S.RAG_COLORS.get(str(row["status"]), S.NEUTRAL))
        bar.set_gid(f"attainment|{ind}")
        shown = f"{_fmt_indicator(actual, unit, lang)} / {_fmt_indicator(target, unit, lang)}"
        ax.annotate(
            f"{L.format_value(att, 'share', lang)}  ({shown})",
            (max(att, 1.0), y), xytext=(6, 0), textcoords="offset points", ha="left", va="center",
            fontsize=S.FONT_SIZE - 2, color="#222222",
        )
    full = ax.axvline(1.0, color="#222222", linestyle="--", linewidth=1.2, label=L.label("chart.indicators.full", lang))
    ax.set_yticks(range(n - 1, -1, -1), [_wrap(L.label(i, lang), 34) for i in order])
    ax.tick_params(axis="y", labelsize=S.FONT_SIZE - 2, length=0)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xlim(0, max_att + 0.6)
    ax.xaxis.set_major_formatter(L.pct_formatter(lang))
    ax.set_xlabel(L.label("attainment", lang))
    ax.legend(
        handles=[Patch(color=S.RAG_COLORS[s], label=L.label(s, lang)) for s in ("green", "amber", "red")] + [full],
        loc="upper left", bbox_to_anchor=(1.01, 1.0),
    )
    _set_title(ax, title, L.label("chart.indicators.title", lang).format(year=L.fmt_year(year)))
    S.finish_axes(ax, grid_axis="x")
    # finish_axes resets tick sizes; keep the smaller indicator names
    ax.tick_params(axis="y", labelsize=S.FONT_SIZE - 2, length=0)
    return ax


# ----------------------------------------------------------------------------- 10. headline


_ACTUAL = "#1F4E8C"  #: realised savings on the headline chart


@_styled
def plot_headline_savings(variance: pd.DataFrame, *, year: int, lang: str = "fr", ax: Axes | None = None) -> Axes:
    """The report's headline chart: planned and realised savings by year, to ``year``.

    Parameters
    ----------
    variance : DataFrame
        ``savings_variance``: ``year``, ``planned_keur``, ``actual_keur`` (k€, per lever).
    year : int
        The report's year (the last year drawn).
    lang : {"fr", "en"}
    ax : Axes, optional

    Returns
    -------
    Axes
        Bars carry ``gid = "planned|YEAR"`` / ``"actual|YEAR"``; each year's gap in % is
        printed above its pair.
    """
    _require(variance, ("year", "planned_keur", "actual_keur"), "savings variance")
    sums = variance[variance["year"] <= year].groupby("year")[["planned_keur", "actual_keur"]].sum()
    ax = _new_axes(ax, (4.2, 2.6))
    width = 0.38
    for i, (yy, row) in enumerate(sums.iterrows()):
        for side, offset, colour in (("planned", -width / 2, S.LIGHT), ("actual", width / 2, _ACTUAL)):
            (bar,) = ax.bar(i + offset, row[f"{side}_keur"], width, color=colour,
                            edgecolor="#8C8C8C" if side == "planned" else colour)
            bar.set_gid(f"{side}|{int(yy)}")
        if row["planned_keur"]:
            gap = row["actual_keur"] / row["planned_keur"] - 1
            ax.annotate(L.format_value(gap, "share", lang, decimals=1), (i, max(row)), xytext=(0, 3),
                        textcoords="offset points", ha="center", va="bottom", fontsize=S.FONT_SIZE - 3,
                        color="#222222")
    ax.set_xticks(range(len(sums)), [str(int(y)) for y in sums.index])
    ax.yaxis.set_major_formatter(L.keur_formatter(lang))
    ax.tick_params(labelsize=S.FONT_SIZE - 3)
    ax.set_ylim(0, float(sums.to_numpy().max()) * 1.2 if len(sums) else 1.0)
    ax.legend(handles=[Patch(facecolor=S.LIGHT, edgecolor="#8C8C8C", label=L.label("chart.credits.planned", lang)),
                       Patch(color=_ACTUAL, label=L.label("chart.indicator.actual", lang))],
              loc="upper left", fontsize=S.FONT_SIZE - 3, frameon=False)
    first = int(sums.index.min()) if len(sums) else year
    ax.set_title(_wrap(L.label("chart.headline.title", lang).format(first=first, year=year), 38),
                 fontsize=S.FONT_SIZE - 2)
    S.finish_axes(ax)
    return ax

"""Charts of the contract's own sources (démarches-simplifiées exports): each returns its Axes.

Same conventions as :mod:`incubo_analysis.outputs.plots`: drawn inside the house style
(:mod:`incubo_analysis.outputs.style`), on ``ax`` when given, never saved nor shown; texts from
the label table (French by default); the title says what the chart shows, so that it reads as
the image's alternative text; lines carry a ``gid`` naming what they show.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from incubo_analysis import labels as L
from incubo_analysis.monitoring.ds import REDUCTION_THRESHOLD, normalise_name
from incubo_analysis.outputs import style as S

__all__ = ["plot_processing_times"]

_styled = S.styled_plot
_require = S.require_columns


def _quarter_tick(code: str, lang: str) -> str:
    year, quarter = code.split("T")
    return L.label("chart.quarterly.tick", lang).format(year=int(year), quarter=int(quarter))


@_styled
def plot_processing_times(
    times: pd.DataFrame,
    references: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "fr",
    relative: bool = True,
    title: str | None = None,
) -> Axes:
    """Median processing time per démarche by quarter, against its reference and the 50 % line.

    Parameters
    ----------
    times : DataFrame
        :func:`~incubo_analysis.monitoring.ds.processing_times` by quarter: ``demarche``,
        ``period`` (``2021T1``), ``median_days``.
    references : DataFrame
        ``demarche``, ``reference_days`` (days). Démarches without a reference are not drawn.
    ax : Axes, optional
    lang : {"fr", "en"}
    relative : bool
        True (default): each median as a share of its démarche's reference, with one line at
        100 % (the reference) and one at 50 % (the target). False: medians in days, each
        démarche's reference dashed and half of it dotted, in the démarche's colour.
    title : str, optional
        None draws the default title, "" none.

    Returns
    -------
    Axes
        Lines ``gid = "processing|<démarche>"``, ``"processing|reference"`` and
        ``"processing|target"`` (``"…|<démarche>"`` suffixed in days mode).
    """
    _require(times, ("demarche", "period", "median_days"), "processing times")
    _require(references, ("demarche", "reference_days"), "reference times")
    ax = ax if ax is not None else plt.subplots(figsize=S.FIGSIZE)[1]
    refs = {normalise_name(n): (str(n), float(d)) for n, d in zip(references["demarche"],
                                                                   references["reference_days"], strict=True)}
    data = times.loc[[normalise_name(n) in refs for n in times["demarche"]]]
    periods = sorted({str(p) for p in data["period"]})
    position = {p: i for i, p in enumerate(periods)}
    for index, (key, (name, reference)) in enumerate(refs.items()):
        part = data.loc[[normalise_name(n) == key for n in data["demarche"]]].sort_values("period")
        colour = S.color_for(None, {}, index)
        days_text = L.format_value(reference, "number", lang)
        values = part["median_days"].to_numpy(dtype=float)
        (line,) = ax.plot([position[str(p)] for p in part["period"]], values / reference if relative else values,
                          color=colour, marker="o", label=L.label("ds.chart.series", lang).format(
                              demarche=name, days=days_text))
        line.set_gid(f"processing|{name}")
        if not relative:
            _days_guides(ax, name, reference, colour)
    if relative:
        ax.axhline(1.0, color=S.NEUTRAL, linestyle="--", linewidth=1.5, label=L.label("ds.chart.reference", lang),
                   gid="processing|reference")
        ax.axhline(1 - REDUCTION_THRESHOLD, color=S.SERIES_COLORS["target"], linestyle=":", linewidth=2,
                   label=L.label("ds.chart.target", lang), gid="processing|target")
        ax.yaxis.set_major_formatter(L.pct_formatter(lang))
    _finish(ax, periods, lang, relative, title)
    return ax


def _days_guides(ax: Axes, name: str, reference: float, colour: str) -> None:
    ax.axhline(reference, color=colour, linestyle="--", linewidth=1.2, alpha=0.8, gid=f"processing|reference|{name}")
    ax.axhline(reference * (1 - REDUCTION_THRESHOLD), color=colour, linestyle=":", linewidth=1.5,
               gid=f"processing|target|{name}")


def _finish(ax: Axes, periods: list[str], lang: str, relative: bool, title: str | None) -> None:
    if periods:
        step = 1 if len(periods) <= 14 else 2
        ax.set_xticks(np.arange(0, len(periods), step), [_quarter_tick(p, lang) for p in periods[::step]])
        if len(periods) > 8:
            ax.tick_params(axis="x", labelrotation=45)
            for tick in ax.get_xticklabels():
                tick.set_horizontalalignment("right")
    else:
        ax.text(0.5, 0.5, L.label("ds.chart.empty", lang), transform=ax.transAxes, ha="center", va="center",
                color=S.NEUTRAL)
    if not relative:  # generic legend entries for the dashed and dotted guides
        ax.plot([], [], color=S.NEUTRAL, linestyle="--", label=L.label("ds.chart.reference", lang))
        ax.plot([], [], color=S.NEUTRAL, linestyle=":", label=L.label("ds.chart.target", lang))
    ax.set_ylim(bottom=0)
    ax.set_ylabel(L.label("ds.chart.ylabel_share" if relative else "ds.chart.ylabel_days", lang))
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.22), ncol=1, fontsize=S.FONT_SIZE - 2.5)
    default = L.label("ds.chart.title_share" if relative else "ds.chart.title_days", lang)
    chosen = default if title is None else title
    if chosen:
        ax.set_title(chosen, wrap=True)
    S.finish_axes(ax)

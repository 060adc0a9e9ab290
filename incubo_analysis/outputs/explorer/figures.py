"""The explorer's two charts, drawn by the library's plotting functions and then moved in place.

1. :class:`SavingsChart`: savings by lever and year
   (:func:`incubo_analysis.outputs.plots.plot_savings_by_lever`);
2. :class:`PaybackChart`: cumulated savings against cumulated FTAP and total cost,
   payback years marked (:func:`incubo_analysis.outputs.plots.plot_cumulative_payback`).

Both y axes are scaled on the larger of the explored scenario and the contract baseline
(a scenario below the contract shows shorter bars on the same axis).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.text import Annotation

from incubo_analysis import labels as L
from incubo_analysis.contract.schema import LEVERS
from incubo_analysis.model import savings
from incubo_analysis.outputs import plots
from incubo_analysis.outputs import style as S
from incubo_analysis.outputs.explorer.charts import Chart, Page, legend_html
from incubo_analysis.outputs.explorer.compute import ScenarioState
from incubo_analysis.outputs.explorer.texts import total_fontsize, total_text

__all__ = ["SavingsChart", "PaybackChart", "first_reach"]


def first_reach(years: np.ndarray, cum_savings: np.ndarray, cum_cost: np.ndarray) -> int | None:
    """First year, once the cost has begun, where cumulated savings reach it (chart rule); None if never.

    Examples
    --------
    >>> first_reach(np.array([2018, 2019, 2020]), np.array([0.0, 5.0, 12.0]), np.array([10.0, 10.0, 10.0]))
    2020
    """
    started = np.maximum.accumulate(cum_cost > 0)
    idx = np.flatnonzero(started & (cum_savings >= cum_cost))
    return int(years[idx[0]]) if idx.size else None


class _ReferenceChart(Chart):
    """A chart that knows the contract baseline (its y scale covers it too)."""

    def __init__(self, title: str, lang: str, reference: savings.ScenarioArrays) -> None:
        self.lang = lang
        self.reference = reference
        super().__init__(title)
        self.alt = L.label("explorer.alt", lang).format(title=title)

    def reference_totals(self, years: np.ndarray) -> np.ndarray:
        """Contract-baseline savings on ``years`` (all levers, k€)."""
        return savings.annual_totals(self.reference, years)[0]


class SavingsChart(_ReferenceChart):
    """Savings by lever (stacked bars) and year, the yearly total above each bar (k€)."""

    name = "savings"

    def series(self, state: ScenarioState) -> tuple[np.ndarray, ...]:
        return state.years, state.values

    def peak(self, state: ScenarioState) -> float:
        totals = state.values.sum(axis=0)
        top = max(float(totals.max(initial=0.0)), float(self.reference_totals(state.years).max(initial=0.0)))
        return top * 1.15

    def build(self, page: Page, state: ScenarioState) -> None:
        """Draw with :func:`plots.plot_savings_by_lever` and keep handles on what moves."""
        ax, years = page.ax, state.years
        frame = pd.DataFrame(
            {
                "lever": pd.array(np.repeat(np.array(LEVERS, dtype=object), len(years)), dtype="string"),
                "year": np.tile(years, len(LEVERS)),
                "amount_keur": state.values.reshape(-1),
            }
        )
        plots.plot_savings_by_lever(frame, ax=ax, lang=self.lang, title="")
        page.legend_html = legend_html(ax)
        key = tuple(int(y) for y in years)
        bars = {p.get_gid(): p for p in ax.patches if p.get_gid()}
        written = [t for t in ax.texts if isinstance(t, Annotation)]
        by_year = {int(round(t.xy[0])): t for t in written}
        ok = len(bars) == len(LEVERS) * len(key) and bool(written) and len(by_year) == len(written)
        if not ok:  # not the chart we expect (or nothing to copy): rebuild on every update
            return
        model = written[0]
        notes = []
        for year in key:  # one total label per year, empty ones hidden (copies of the chart's own)
            note = by_year.get(year)
            if note is None:
                note = ax.annotate(
                    "", (year, 0.0), xytext=model.xyann, textcoords=model.anncoords,
                    ha=model.get_ha(), va=model.get_va(), fontweight=model.get_fontweight(),
                    color=model.get_color(), visible=False,
                )
            note.set_fontsize(total_fontsize(len(key)))
            notes.append(note)
        page.handles.update(bars=bars, notes=notes)
        page.set_dynamic([*bars.values(), *notes])

    def move(self, page: Page, state: ScenarioState) -> None:
        values = state.values
        key = tuple(int(y) for y in state.years)
        bars, notes = page.handles["bars"], page.handles["notes"]
        bottom = np.zeros(len(key))
        for j, lever in enumerate(LEVERS):
            for i, year in enumerate(key):
                bar = bars[f"{lever}|{year}"]
                bar.set_y(bottom[i])
                bar.set_height(values[j, i])
            bottom = bottom + values[j]
        for year, total, note in zip(key, values.sum(axis=0), notes, strict=True):
            note.xy = (year, total)
            note.set_text(total_text(total, self.lang) if total != 0 else "")
            note.set_visible(bool(total != 0))  # the chart writes no total for an empty year


class PaybackChart(_ReferenceChart):
    """Cumulated savings, FTAP cost and total cost by year (k€), payback years marked."""

    name = "payback"
    #: The payback markers, as plots.plot_cumulative_payback draws them (tests compare both):
    #: (which, cost line, height of the note as a fraction of the axes).
    MARKERS = (("ftap", "cum_cost_ftap", 0.97), ("total", "cum_cost_total", 0.88))

    def series(self, state: ScenarioState) -> tuple[np.ndarray, ...]:
        return state.years, state.cum_savings, state.cum_ftap, state.cum_total

    def peak(self, state: ScenarioState) -> float:
        ref = np.cumsum(self.reference_totals(state.years))
        return 1.05 * max(float(np.max(a, initial=0.0)) for a in (state.cum_savings, state.cum_total,
                                                                  state.cum_ftap, ref))

    def build(self, page: Page, state: ScenarioState) -> None:
        """Draw with :func:`plots.plot_cumulative_payback`; payback markers become movable."""
        ax = page.ax
        frame = pd.DataFrame(
            {
                "year": state.years,
                "cum_savings_keur": state.cum_savings,
                "cum_cost_ftap_keur": state.cum_ftap,
                "cum_cost_total_keur": state.cum_total,
            }
        )
        plots.plot_cumulative_payback(frame, ax=ax, lang=self.lang, title="")
        page.legend_html = legend_html(ax)
        lines = {ln.get_gid(): ln for ln in ax.lines if ln.get_gid()}
        names = ("cum_cost_total", "cum_cost_ftap", "cum_savings")
        if not set(names) <= set(lines):  # not the chart we expect: rebuild on every update
            return
        # replace the chart's payback markers by movable ones of the same look
        for artist in [*ax.texts, *(ln for ln in ax.lines if str(ln.get_gid()).startswith("payback_"))]:
            artist.remove()
        xlim = ax.get_xlim()
        first = int(state.years[0])
        markers: dict[str, Any] = {}
        for which, cost, y_frac in self.MARKERS:
            colour = lines[cost].get_color()
            vline = ax.axvline(first, color=colour, linestyle=":", linewidth=1.8, visible=False)
            vline.set_gid(f"payback_{which}")
            note = ax.annotate(
                "", (first, y_frac), xycoords=("data", "axes fraction"), xytext=(-6, 0),
                textcoords="offset points", ha="right", va="top", color=colour, fontweight="bold", visible=False,
            )
            markers[which] = (vline, note)
        never = ax.text(
            0.99, 0.03, "", transform=ax.transAxes, ha="right", va="bottom",
            color=S.NEUTRAL, fontsize=S.FONT_SIZE - 1.5, style="italic", visible=False,
        )
        ax.set_xlim(xlim)
        page.handles.update(lines=lines, markers=markers, never=never)
        page.set_dynamic([lines[n] for n in names] + [a for pair in markers.values() for a in pair] + [never])

    def move(self, page: Page, state: ScenarioState) -> None:
        lines = page.handles["lines"]
        lines["cum_savings"].set_ydata(state.cum_savings)
        lines["cum_cost_ftap"].set_ydata(state.cum_ftap)
        lines["cum_cost_total"].set_ydata(state.cum_total)
        lang = self.lang
        notes = []
        for (which, _cost, y_frac), cum_c in zip(self.MARKERS, (state.cum_ftap, state.cum_total), strict=True):
            vline, note = page.handles["markers"][which]
            year = first_reach(state.years, state.cum_savings, cum_c)
            if year is None:
                vline.set_visible(False)
                note.set_visible(False)
                notes.append(
                    L.label("chart.payback.never", lang).format(which=L.label(f"chart.payback.which_{which}", lang))
                )
                continue
            vline.set_xdata([year, year])
            vline.set_visible(True)
            note.xy = (year, y_frac)
            note.set_text(L.label(f"chart.payback.{which}", lang).format(year=L.fmt_year(year)))
            note.set_visible(True)
        never = page.handles["never"]
        never.set_text("\n".join(notes))
        never.set_visible(bool(notes))

"""Interactive scenario explorer for JupyterLab (``notebooks/00_explorer.ipynb``).

The officer moves a few sliders (realisation rate, delay, unit cost of an FTE, its
growth, discount rate, FTE per lever, last year of the horizon) and sees, live:

1. the savings by lever and year (:func:`incubo_analysis.outputs.plots.plot_savings_by_lever`);
2. cumulated savings against cumulated FTAP and total cost, payback years marked
   (:func:`incubo_analysis.outputs.plots.plot_cumulative_payback`);
3. the appraisal metrics (:data:`incubo_analysis.model.appraisal.METRICS`) of the explored
   scenario next to the contract baseline, French labels and number format.

What she explored is saved as a parameter file (``params/NAME.yaml``, only the keys
that differ from the contract) with the "save" button or :meth:`Explorer.save`; the
file then runs with ``incubo scenario params/NAME.yaml --out DIR`` and
``papermill notebooks/02_savings_model.ipynb out.ipynb -f params/NAME.yaml``.

Speed (one update, model + redraw, budget 100 ms; see ``benchmarks/bench_explorer.py``):

- the financing plan is read once; only the one explored scenario is computed; its
  delay switching values come from the library's bisection run on the exact
  piecewise-linear interpolation of the model between delay breakpoints
  (:func:`_switching_values`, about 1 ms instead of about 17 ms, same values);
- each chart keeps persistent :class:`matplotlib.figure.Figure` objects (not managed
  by pyplot, so the inline backend never shows them twice and nothing leaks), one per
  horizon: those of every horizon of the slider (2022-2030) are built with the
  :mod:`~incubo_analysis.outputs.plots` functions and drawn once when the explorer is made
  (one to two seconds), so changing the horizon selects a figure already drawn; an
  update changes the bars, lines and labels in place;
- a figure is drawn in layers (:class:`_Page`): its base (everything but the y axis
  and what moves) once, the y axis (ticks, labels, grid) on it once per y scale (the
  last :data:`_BACKGROUNDS_KEPT` scales are kept), and on every update only the
  moving artists on top of that background (blitting); the y scale is a round number
  kept while the data fit (:meth:`_Chart.scale_to`);
- a chart whose data did not change (the discount rate moves neither chart) is not
  re-rendered; the others are rendered to PNG by the Agg canvas (no backend is
  selected or changed; a plain PNG writer, zlib level 1) and shown in an
  :class:`ipywidgets.Output` widget, which JupyterLab displays with the inline
  backend (no ipympl).

Invalid values never raise into the user interface: :meth:`Explorer.update` returns
False and the message (the one-line :class:`~incubo_analysis.errors.ParameterError`
text naming the key) is shown above the charts.
"""

from __future__ import annotations

import base64
import html
import math
import os
import re
import struct
import tempfile
import zlib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import ipywidgets as W
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Annotation

from incubo_analysis.contract.schema import LEVERS
from incubo_analysis.errors import InputError, ParameterError
from incubo_analysis.model import appraisal, params, savings
from incubo_analysis.outputs import labels as L
from incubo_analysis.outputs import plots
from incubo_analysis.outputs import style as S
from incubo_analysis.paths import BASELINE_PARAMS, PARAMS_DIR, ROOT

__all__ = ["Explorer", "CONTROL_KEYS", "FIGSIZE", "DPI"]

#: Size (inches) and resolution of the explorer's charts: 640 x 352 px, two side by side.
FIGSIZE: tuple[float, float] = (8.0, 4.4)
DPI: int = 80
#: Figures kept per chart (one per horizon seen lately: all those of the slider, 2022-2030):
#: going back to one is a blit.
_PAGES_KEPT = 9
#: Backgrounds kept per figure (one per y scale seen lately): going back to one is a blit.
_BACKGROUNDS_KEPT = 3

#: Keys of :meth:`Explorer.update` that have a control in the user interface
#: (``etp.<lever>`` are the four FTE controls, passed to ``update`` as ``etp={lever: x}``).
CONTROL_KEYS: tuple[str, ...] = (
    "realisation_rate",
    "delay_years",
    "unit_cost_keur",
    "unit_cost_growth",
    "discount_rate",
    *(f"etp.{lever}" for lever in LEVERS),
    "horizon_end",
)

# key -> (widget class, min, max, step, readout format, decimals kept)
_CONTROL_SPECS: dict[str, tuple[str, float, float, float, str, int]] = {
    "realisation_rate": ("float", 0.0, 1.0, 0.01, ".0%", 4),
    "delay_years": ("float", 0.0, 4.0, 0.25, ".2f", 4),
    "unit_cost_keur": ("float", 30.0, 90.0, 0.5, ".1f", 4),
    "unit_cost_growth": ("float", 0.0, 0.05, 0.001, ".1%", 6),
    "discount_rate": ("float", 0.0, 0.10, 0.001, ".1%", 6),
    **{f"etp.{lever}": ("float", 0.0, 40.0, 0.5, ".1f", 4) for lever in LEVERS},
    "horizon_end": ("int", 2022, 2030, 1, "d", 0),
}

# User-interface texts that have no entry in incubo_analysis.outputs.labels: key -> (fr, en).
_TEXTS: dict[str, tuple[str, str]] = {
    "title": ("Explorateur de scénarios Incub-O", "Incub-O scenario explorer"),
    "intro": (
        "Déplacez un curseur : les graphiques et les indicateurs se mettent à jour. "
        "La colonne « Référence (contrat) » rappelle le scénario du contrat.",
        "Move a slider: the charts and the metrics update. "
        "The “Baseline (contract)” column recalls the contract's scenario.",
    ),
    "group.savings": ("Économies", "Savings"),
    "group.etp": ("ETP libérés par levier (régime de croisière)", "FTE freed per lever (run rate)"),
    "group.appraisal": ("Évaluation", "Appraisal"),
    "metrics": ("Indicateurs d'évaluation", "Appraisal metrics"),
    "explored": ("Scénario exploré", "Explored scenario"),
    "save.title": ("Enregistrer comme fichier de paramètres", "Save as a parameter file"),
    "save.filename": ("Fichier (dans params/)", "File (in params/)"),
    "save.description": ("Description", "Description"),
    "save.overwrite": ("Remplacer s'il existe", "Replace if it exists"),
    "save.button": ("Enregistrer", "Save"),
    "save.done": (
        "Enregistré : {path}. À utiliser avec : incubo scenario {path} --out DOSSIER",
        "Saved: {path}. Use it with: incubo scenario {path} --out FOLDER",
    ),
    "save.refused": ("Enregistrement refusé : {message}", "Not saved: {message}"),
    "save.oserror": ("Écriture impossible : {message}", "Cannot write: {message}"),
    "reset": ("Revenir au scénario de départ", "Back to the starting scenario"),
    "refused": ("Valeur refusée : {message}", "Value refused: {message}"),
    "internal": ("Erreur inattendue ({kind}) : {message}", "Unexpected error ({kind}): {message}"),
}

_FILENAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}(\.ya?ml)?$")
_OK_STYLE = "color:#18753C"
_ERROR_STYLE = "color:#CE0500;font-weight:bold"


def _text(key: str, lang: str) -> str:
    return _TEXTS[key][L.check_lang(lang)]


def _clean_message(exc: BaseException) -> str:
    """The user-facing message of an error, without the internal ``<replace>:`` source."""
    text = str(exc)
    for prefix in ("<replace>: ", "<parameters>: "):
        text = text.removeprefix(prefix)
    return text


def _total_text(value: float, lang: str) -> str:
    """A yearly total above its bar: whole k€ from 100 k€ (narrow charts), else 1 decimal at most.

    Examples
    --------
    >>> _total_text(1094.4, "fr") == "1\u202f094", _total_text(68.4, "fr"), _total_text(68.0, "fr")
    (True, '68,4', '68')
    """
    if abs(value) >= 100:
        return L.fmt_number(value, 0, lang)
    decimals = 0 if abs(round(value) - value) < 1e-9 * max(1.0, abs(value)) else 1
    return L.fmt_number(value, decimals, lang)


def _total_fontsize(n_years: int) -> float:
    """Font size (pt) of the yearly totals, smaller when many years share the width."""
    return S.FONT_SIZE if n_years <= 6 else S.FONT_SIZE - 2 if n_years <= 9 else S.FONT_SIZE - 4


def _first_reach(years: np.ndarray, cum_savings: np.ndarray, cum_cost: np.ndarray) -> int | None:
    """First year, once the cost has begun, where cumulated savings reach it (chart rule)."""
    started = np.maximum.accumulate(cum_cost > 0)
    idx = np.flatnonzero(started & (cum_savings >= cum_cost))
    return int(years[idx[0]]) if idx.size else None


def _format_metric(metric: str, value: float, lang: str) -> str:
    """A metric value as the reader expects it (k€, ratio, year, %, years, yes/no)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return L.MISSING
    if metric.startswith("payback_year") or metric == "ftap_doctrine_year":
        return L.fmt_year(value, lang)
    if metric == "ftap_doctrine_met":
        return L.label(bool(value), lang)
    if metric.startswith("switch_realisation"):
        return L.fmt_pct(value, 1, lang)
    if metric.startswith("switch_unit_cost"):
        return L.fmt_keur(value, 1, lang)
    if metric.startswith("switch_delay"):
        return L.fmt_number(value, 2, lang)
    if metric.endswith("_keur"):
        return L.fmt_keur(value, 0 if abs(value) >= 100 else 1, lang)
    return L.fmt_number(value, 2, lang)


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def _encode_png(rgba: np.ndarray) -> bytes:
    """Encode an RGBA pixel buffer (height, width, 4; white background) as an RGB PNG.

    A plain PNG writer (no row filter, zlib level 1): twice as fast as Pillow on
    mostly-white charts, for images of the same size.

    Examples
    --------
    >>> png = _encode_png(np.full((2, 3, 4), 255, dtype=np.uint8))
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n", struct.unpack(">II", png[16:24])
    (True, (3, 2))
    """
    height, width = rgba.shape[:2]
    rows = np.empty((height, width * 3 + 1), dtype=np.uint8)
    rows[:, 0] = 0  # filter type "none" on every row
    rows[:, 1:] = rgba[:, :, :3].reshape(height, width * 3)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits, truecolour
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
        + _png_chunk(b"IEND", b"")
    )


def _nice_ceiling(value: float) -> float:
    """Smallest "round" number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k) >= value.

    Examples
    --------
    >>> _nice_ceiling(2143.0), _nice_ceiling(912.0), _nice_ceiling(0.0)
    (2500.0, 1000.0, 1.0)
    """
    if not value > 0:
        return 1.0
    scale = 10.0 ** math.floor(math.log10(value))
    for m in (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if m * scale >= value * (1 - 1e-12):
            return float(m * scale)
    return float(10.0 * scale)  # pragma: no cover - m = 10 always reaches it


def _switching_values(a: savings.ScenarioArrays, costs: appraisal.CostPlan) -> dict[str, np.ndarray]:
    """:func:`appraisal.switching_values` of ONE scenario, its delay bisection made cheap.

    Savings depend on the delay only through the phasing shares, linear
    interpolations of the phasing table at ``year - delay - lever delay``: between two
    consecutive breakpoints (delays ``k - lever delay`` modulo 1) the gaps that the
    bisection tests (PV of savings - PV of cost; total savings / total CP - 1) are
    linear in the delay. They are evaluated exactly at every breakpoint of
    ``[0, horizon_end - base_year + 1]`` in one vectorised call, and the library's
    bisection (same steps, same tests) then runs on their linear interpolation, which
    equals the model there: same values as the library (tests compare them).
    """
    if a.n != 1:
        return appraisal.switching_values(a, costs)
    pv_s, pv_c, tot_s, tot_c = appraisal._pv_parts(a, costs)
    out = appraisal.closed_form_switching_values(a, pv_s, pv_c, tot_s, tot_c)
    hi = float(a.horizon_end[0] - a.base_year[0] + 1)
    offsets = np.unique(np.concatenate([[0.0], np.mod(-a.lever_delay.reshape(-1), 1.0)]))
    grid = (np.arange(0.0, hi + 1.0)[:, None] + offsets[None, :]).reshape(-1)
    grid = np.unique(np.concatenate([grid[grid <= hi], [hi]]))
    m = grid.size
    rep = {
        f: np.repeat(getattr(a, f), m, axis=0)
        for f in ("etp", "realisation", "unit_cost", "growth", "base_year", "horizon_end", "discount_rate")
    }
    ps, _pc, ts, _tc = appraisal._pv_parts(replace(a, delay=grid, **rep), costs)
    npv = ps - float(pv_c[0])
    tc = float(tot_c[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        roi = ts / tc - 1.0 if tc > 0 else np.full(m, np.nan)
    for values, key in ((npv, "switch_delay_npv0"), (roi, "switch_delay_roi1")):
        gap = lambda d, v=values: float(np.interp(d, grid, v))  # noqa: E731 - exact between breakpoints
        lo, top = 0.0, hi
        valid = gap(lo) >= 0 and gap(top) < 0  # NaN compares False, as in the library
        for _ in range(appraisal._BISECTION_STEPS):
            mid = 0.5 * (lo + top)
            if gap(mid) >= 0:
                lo = mid
            else:
                top = mid
        out[key] = np.array([0.5 * (lo + top) if valid else np.nan])
    return out


class _Page:
    """One persistent figure of a chart for one set of years, and what moves in it.

    The figure is drawn once in full with the moving ("dynamic") artists and the
    "y layer" (the y axis: its ticks, labels and grid lines, and the spines drawn above
    them) left out: that is the ``base``, drawn once per figure. The y layer is then
    drawn on a copy of the base, giving the ``background`` of the current y scale
    (the last :data:`_BACKGROUNDS_KEPT` are kept, keyed by the y limits); an update
    restores it and draws the moving artists on top (blitting). A change of y scale
    (:meth:`invalidate`) thus only redraws the y layer, never the whole figure.
    The drawing order is the figure's own (x and y axes, then spines, then the data).
    """

    def __init__(self, key: Any) -> None:
        self.key = key
        self.fig = Figure(figsize=FIGSIZE, dpi=DPI, facecolor="white")
        self.canvas = FigureCanvasAgg(self.fig)
        self.fig.subplots_adjust(left=0.14, right=0.98, bottom=0.09, top=0.97)
        self.ax = self.fig.add_subplot()
        self.handles: dict[str, Any] = {}  # empty: not the expected chart, rebuild on every update
        self.dynamic: list[Any] = []
        self.background: Any = None
        self.base: Any = None  # the figure without the y layer and the moving artists
        self.layer: list[Any] = []  # the y layer, drawn on the base for each y scale
        self.backgrounds: dict[tuple[float, float], Any] = {}  # y limits -> background drawn
        self.scaled = False  # y scale set by scale_to

    def set_dynamic(self, artists: list[Any]) -> None:
        for artist in self.dynamic:
            artist.set_animated(False)
        self.dynamic = list(artists)
        for artist in self.dynamic:
            artist.set_animated(True)
        self.layer = [self.ax.yaxis, *(sp for sp in self.ax.spines.values() if sp.get_visible())]
        for artist in self.layer:
            artist.set_animated(True)
        self.base = None
        self.backgrounds.clear()
        self.invalidate()

    def invalidate(self) -> None:
        self.background = None


class _Chart:
    """One chart of the explorer: its Output widget, HTML legend and persistent figures.

    A figure (:class:`_Page`) is kept per set of years (horizon), the last
    :data:`_PAGES_KEPT` of them, so going back to a horizon already seen does not
    rebuild its chart. ``ax``, ``fig``, ``handles``... are those of the current page.
    """

    def __init__(self, title: str) -> None:
        self.title = title
        self.pages: dict[Any, _Page] = {}
        self.page = _Page(None)
        self.data: tuple[np.ndarray, ...] | None = None  # data drawn (re-render when it changes)
        self.out = W.Output(layout=W.Layout(width=f"{int(FIGSIZE[0] * DPI) + 10}px"))
        self.legend = W.HTML("")  # the chart's legend, in HTML above the image
        self.png = b""
        self.renders = 0  # PNG renderings (tests, benchmark)
        self.full_draws = 0  # of which full draws (the others are blits)
        self.layer_draws = 0  # y layers drawn on a kept base (a new y scale, no full draw)

    # the current page
    ax = property(lambda self: self.page.ax)
    fig = property(lambda self: self.page.fig)
    canvas = property(lambda self: self.page.canvas)
    handles = property(lambda self: self.page.handles)
    key = property(lambda self: self.page.key)

    def select(self, key: Any) -> bool:
        """Make the page of ``key`` current; True when it is new (to be built)."""
        page = self.pages.pop(key, None)
        new = page is None or not page.handles
        if new:
            page = _Page(key)
        self.pages[key] = page  # most recent last
        while len(self.pages) > _PAGES_KEPT:
            del self.pages[next(iter(self.pages))]
        self.page = page
        return new

    def same_data(self, data: tuple[np.ndarray, ...]) -> bool:
        return self.data is not None and len(self.data) == len(data) and all(
            a.shape == b.shape and np.array_equal(a, b) for a, b in zip(self.data, data)
        )

    def set_dynamic(self, artists: list[Any]) -> None:
        self.page.set_dynamic(artists)

    def invalidate(self) -> None:
        self.page.invalidate()

    def scale_to(self, needed: float) -> None:
        """Set the y axis to (0, top) covering ``needed``; keep it while it still fits.

        The top only grows when the data no longer fit, and shrinks when they fill
        less than 40 % of it: the axis (and its tick labels, part of the kept
        background) then stays put while a slider moves.
        """
        page = self.page
        top = page.ax.get_ylim()[1] if page.scaled else None
        if top is None or needed > top or needed < 0.4 * top:
            page.ax.set_ylim(0.0, _nice_ceiling(needed))
            page.scaled = True
            page.invalidate()

    def take_legend(self) -> None:
        """Move the chart's legend out of the figure into an HTML legend above it.

        Nothing in the figure is then drawn over the moving artists, and a full draw
        has fewer texts to render.
        """
        legend = self.ax.get_legend()
        if legend is None:
            self.legend.value = ""
            return
        items = []
        for handle, text in zip(legend.legend_handles, legend.texts):
            if isinstance(handle, Line2D):
                colour = to_hex(handle.get_color())
                swatch = (
                    f'<span style="display:inline-block;width:22px;height:0;border-top:3px solid {colour};'
                    'vertical-align:middle;margin-right:4px"></span>'
                )
            else:
                colour = to_hex(handle.get_facecolor())
                swatch = (
                    f'<span style="display:inline-block;width:12px;height:12px;background:{colour};'
                    'vertical-align:middle;margin-right:4px"></span>'
                )
            items.append(
                f'<span style="margin-right:14px;white-space:nowrap">{swatch}{html.escape(text.get_text())}</span>'
            )
        value = f'<div style="font-size:90%;line-height:1.6">{"".join(items)}</div>'
        if self.legend.value != value:
            self.legend.value = value
        legend.remove()

    def render(self) -> None:
        """Draw (blit when possible), encode the PNG and show it in the Output widget."""
        page = self.page
        canvas = page.canvas
        with S.style_context():
            if page.background is None:
                ylim = tuple(page.ax.get_ylim())
                page.background = page.backgrounds.pop(ylim, None)
                if page.background is None:
                    if page.base is None:
                        canvas.draw()  # animated artists (y layer, moving ones) are left out
                        page.base = canvas.copy_from_bbox(page.fig.bbox)
                        self.full_draws += 1
                    else:
                        canvas.restore_region(page.base)
                        self.layer_draws += 1
                    for artist in page.layer:
                        page.ax.draw_artist(artist)
                    page.background = canvas.copy_from_bbox(page.fig.bbox)
                page.backgrounds[ylim] = page.background  # most recent last
                while len(page.backgrounds) > _BACKGROUNDS_KEPT:
                    del page.backgrounds[next(iter(page.backgrounds))]
            canvas.restore_region(page.background)
            for artist in page.dynamic:
                page.ax.draw_artist(artist)
            self.png = _encode_png(np.asarray(canvas.buffer_rgba()))
        self.out.outputs = (
            {
                "output_type": "display_data",
                "data": {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.title},
                "metadata": {},
            },
        )
        self.renders += 1


class Explorer:
    """Sliders driving the savings model, two charts and the metrics table, live.

    Parameters
    ----------
    scenario : Scenario, optional
        Starting scenario (default: the contract baseline, ``params/baseline.yaml``).
        Parameters without a control (phasing, lever delays, uncertainty, base year)
        are kept as given and saved with the rest.
    lang : {"fr", "en"}
        Language of labels and numbers (French by default).
    plan : DataFrame, optional
        Financing plan giving the costs (default: the contract's, read once).

    Attributes
    ----------
    scenario : Scenario
        The scenario currently explored.
    message : str
        The last message shown to the user ("" when the last update was valid).

    Raises
    ------
    ParameterError
        ``lang`` is not "fr" or "en".

    Examples
    --------
    >>> ex = Explorer()
    >>> ex.update(realisation_rate=0.5)
    True
    >>> ex.metrics()["total_savings_keur"]  # 0.5 x (228 + 684 + 1140 + 1824) k€
    1938.0
    >>> ex.update(realisation_rate=1.5)
    False
    >>> ex.message
    "key 'realisation_rate': expected a number between 0 and 1, got 1.5"
    >>> ex.scenario.realisation_rate
    0.5
    """

    def __init__(
        self, scenario: params.Scenario | None = None, *, lang: str = "fr", plan: pd.DataFrame | None = None
    ) -> None:
        L.check_lang(lang)
        self.lang = lang
        if scenario is None:
            scenario = params.baseline()
        if not isinstance(scenario, params.Scenario):
            raise ParameterError(f"scenario: expected a Scenario, got {type(scenario).__name__}")
        self._start = scenario
        self._scenario = scenario
        if plan is None:
            from incubo_analysis.contract.loaders import load_financing_plan

            plan = load_financing_plan()
        self._plan = plan
        self._costs = appraisal.cost_plan(plan)
        reference = params.baseline()
        self._reference = self._compute(reference)["metrics"]
        self._ref_arrays = savings.scenario_arrays(reference)
        self.message = ""
        self._syncing = False
        self._build_widgets()
        self._charts = {
            "savings": _Chart(L.label("chart.savings.title", lang)),
            "payback": _Chart(L.label("chart.payback.title", lang)),
        }
        for name, chart in self._charts.items():
            chart.out.add_class(f"incubo-chart-{name}")
        self._prepare_pages(scenario)
        self._apply(scenario)

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_params(
        cls, scenario_file: str | os.PathLike[str] = "baseline.yaml", *, lang: str = "fr",
        plan: pd.DataFrame | None = None,
    ) -> Explorer:
        """An explorer starting from a parameter file.

        Parameters
        ----------
        scenario_file : str or path
            A bare file name is looked up in ``params/`` (``"realisation_75.yaml"``);
            a path with a folder is used as given; ``""`` is the contract baseline.
        lang : {"fr", "en"}
        plan : DataFrame, optional
            Financing plan (default: the contract's).

        Raises
        ------
        ParameterError
            The file is missing or invalid (message naming the file and the key).

        Examples
        --------
        >>> Explorer.from_params("baseline.yaml").scenario.name
        'baseline'
        """
        text = os.fspath(scenario_file)
        if not text:
            return cls(lang=lang, plan=plan)
        path = Path(text)
        if path.parent == Path("."):
            path = PARAMS_DIR / path
        return cls(params.load_scenario(path), lang=lang, plan=plan)

    def _make_control(self, key: str) -> W.Widget:
        kind, lo, hi, step, fmt, _dec = _CONTROL_SPECS[key]
        text = L.label(key, self.lang)
        common = dict(
            description=text, tooltip=text, min=lo, max=hi, step=step, continuous_update=False, readout_format=fmt,
            style={"description_width": "250px"}, layout=W.Layout(width="470px"),
        )
        widget = W.IntSlider(**common) if kind == "int" else W.FloatSlider(**common)
        widget.add_class(f"incubo-ctl-{key}")
        widget.observe(self._on_control, names="value")
        return widget

    def _build_widgets(self) -> None:
        lang = self.lang
        self._controls: dict[str, W.Widget] = {key: self._make_control(key) for key in CONTROL_KEYS}
        self._keys_by_widget = {id(w): key for key, w in self._controls.items()}

        def group(title_key: str, keys: tuple[str, ...]) -> W.VBox:
            head = W.HTML(f"<b>{html.escape(_text(title_key, lang))}</b>")
            return W.VBox([head, *(self._controls[k] for k in keys)], layout=W.Layout(margin="0 24px 8px 0"))

        self._w_reset = W.Button(description=_text("reset", lang), layout=W.Layout(width="260px"))
        self._w_reset.add_class("incubo-reset")
        self._w_reset.on_click(self._on_reset)
        controls = W.HBox(
            [
                group("group.savings", ("realisation_rate", "delay_years", "unit_cost_keur", "unit_cost_growth")),
                group("group.etp", tuple(f"etp.{lever}" for lever in LEVERS)),
                W.VBox([group("group.appraisal", ("discount_rate", "horizon_end")), self._w_reset]),
            ],
            layout=W.Layout(flex_flow="row wrap"),
        )
        self._w_message = W.HTML("")
        self._w_message.add_class("incubo-message")
        self._w_metrics = W.HTML("")
        self._w_metrics.add_class("incubo-metrics")
        self._w_filename = W.Text(
            value="mon_scenario.yaml", description=_text("save.filename", lang),
            style={"description_width": "initial"}, layout=W.Layout(width="330px"),
        )
        self._w_description = W.Text(
            value="", description=_text("save.description", lang),
            style={"description_width": "initial"}, layout=W.Layout(width="460px"),
        )
        self._w_overwrite = W.Checkbox(value=False, description=_text("save.overwrite", lang), indent=False,
                                       layout=W.Layout(width="200px"))
        self._w_save = W.Button(description=_text("save.button", lang), button_style="primary", icon="save")
        self._w_filename.add_class("incubo-save-name")
        self._w_overwrite.add_class("incubo-save-replace")
        self._w_save.add_class("incubo-save-button")
        self._w_save.on_click(self._on_save)
        self._w_save_message = W.HTML("")
        self._save_box = W.VBox(
            [
                W.HTML(f"<b>{html.escape(_text('save.title', lang))}</b>"),
                W.HBox([self._w_filename, self._w_description, self._w_overwrite, self._w_save],
                       layout=W.Layout(flex_flow="row wrap")),
                self._w_save_message,
            ]
        )
        self._controls_box = controls

    # ------------------------------------------------------------------ public API
    @property
    def scenario(self) -> params.Scenario:
        """The scenario currently explored (a validated, frozen :class:`~incubo_analysis.model.params.Scenario`)."""
        return self._scenario

    def widget(self) -> W.Box:
        """The user interface to display in a notebook (an :class:`ipywidgets.VBox`)."""
        if not hasattr(self, "_root"):
            charts = W.HBox(
                [
                    W.VBox([W.HTML(f"<b>{html.escape(c.title)}</b>"), c.legend, c.out])
                    for c in self._charts.values()
                ],
                layout=W.Layout(flex_flow="row wrap"),
            )
            root = W.VBox(
                [
                    W.HTML(
                        f"<h3>{html.escape(_text('title', self.lang))}</h3>"
                        f"<p>{html.escape(_text('intro', self.lang))}</p>"
                    ),
                    self._controls_box,
                    self._w_message,
                    charts,
                    W.HTML(f"<b>{html.escape(_text('metrics', self.lang))}</b>"),
                    self._w_metrics,
                    self._save_box,
                ]
            )
            root.add_class("incubo-explorer")
            self._root = root
        return self._root

    def update(self, **values: Any) -> bool:
        """Change some parameters, recompute and redraw; never raises on a bad value.

        Parameters
        ----------
        **values
            Parameter keys of a scenario file (:data:`incubo_analysis.model.params.PARAMETER_KEYS`),
            in model units: ``realisation_rate`` (share 0-1), ``delay_years`` (years,
            fractional allowed), ``unit_cost_keur`` (k€/FTE/year), ``unit_cost_growth``
            and ``discount_rate`` (decimals: 0.015 is 1.5 %/year), ``etp`` (mapping
            lever -> FTE; a partial mapping changes only the levers it names),
            ``horizon_end`` (year)...

        Returns
        -------
        bool
            True when applied; False when refused (the scenario is unchanged and
            :attr:`message` holds the one-line reason, also shown in the interface).
        """
        try:
            new = self._scenario.replace(**values) if values else self._scenario
        except InputError as exc:
            self._show_error(_text("refused", self.lang), exc)
            return False
        self._apply(new)
        return True

    def reset(self) -> None:
        """Go back to the starting scenario."""
        self._apply(self._start)

    def metrics(self) -> dict[str, float]:
        """Metrics of the explored scenario: name -> value (k€, ratios, years; NaN when undefined)."""
        return dict(self._state["metrics"])

    def metrics_table(self) -> pd.DataFrame:
        """The metrics table shown in the interface, as text in the reader's format.

        Returns
        -------
        DataFrame
            One row per metric of :data:`incubo_analysis.model.appraisal.METRICS` (index:
            its label), columns "Scénario exploré" and "Référence (contrat)" (French
            number format by default).

        Examples
        --------
        >>> t = Explorer(params.baseline().replace(realisation_rate=0.5)).metrics_table()
        >>> t.iloc[0].tolist() == ["1\\u202f938\\u00a0k€", "3\\u202f876\\u00a0k€"]
        True
        """
        head, rows = self._metrics_rows()
        return pd.DataFrame(
            [row[1:] for row in rows], columns=list(head[1:]),
            index=pd.Index([row[0] for row in rows], name=head[0]),
        )

    def _metrics_rows(self) -> tuple[tuple[str, str, str], list[tuple[str, str, str]]]:
        """Header and rows (label, explored, reference) of the metrics table, as text."""
        lang = self.lang
        mine, ref = self._state["metrics"], self._reference
        head = (L.label("metric", lang), _text("explored", lang), L.label("baseline", lang))
        rows = [
            (L.label(m, lang), _format_metric(m, mine[m], lang), _format_metric(m, ref[m], lang))
            for m in appraisal.METRICS
        ]
        return head, rows

    def savings_table(self) -> pd.DataFrame:
        """Savings of the explored scenario by lever (rows, then the total) and year (columns), k€ as text.

        Examples
        --------
        >>> Explorer().savings_table().loc["Total"].tolist()[1:]
        ['228,0', '684,0', '1\\u202f140,0', '1\\u202f824,0']
        """
        lang = self.lang
        values, years = self._state["values"], self._state["years"]
        rows = np.vstack([values, values.sum(axis=0, keepdims=True)])
        names = [L.label(lever, lang, short=True) for lever in LEVERS] + [L.label("chart.total", lang)]
        return pd.DataFrame(
            [[L.fmt_number(v, 1, lang) for v in row] for row in rows],
            index=pd.Index(names, name=L.label("lever", lang)),
            columns=pd.Index([int(y) for y in years], name=L.label("year", lang)),
        )

    @property
    def figures(self) -> dict[str, Figure]:
        """The two persistent figures: ``{"savings": Figure, "payback": Figure}``."""
        return {name: chart.fig for name, chart in self._charts.items()}

    def save(
        self,
        path: str | os.PathLike[str],
        *,
        name: str | None = None,
        description: str | None = None,
        overwrite: bool = True,
    ) -> Path:
        """Write the explored scenario as a parameter file (YAML, keys differing from the contract).

        The file reads back with :func:`incubo_analysis.model.params.load_scenario` into the
        explored scenario (named ``name``) and runs with ``incubo scenario`` and papermill.

        Parameters
        ----------
        path : str or path
            Target ``.yaml`` / ``.yml`` file (its folder must exist).
        name : str, optional
            Scenario name written in the file (default: the file's stem).
        description : str, optional
            Description written in the file (default: the explored scenario's).
        overwrite : bool
            Replace an existing file (``params/baseline.yaml`` is always refused).

        Returns
        -------
        Path
            The file written.

        Raises
        ------
        ParameterError
            Not a .yaml name, the contract baseline, an existing file with
            ``overwrite=False``, a missing folder, or an invalid name.
        """
        path = Path(path)
        if path.suffix.lower() not in (".yaml", ".yml"):
            raise ParameterError(
                f"{path.name}: expected a file name ending in .yaml, got {path.suffix or 'no extension'!r}"
            )
        if path.resolve() == BASELINE_PARAMS.resolve():
            raise ParameterError(
                f"{path.name}: the contract baseline (params/baseline.yaml) is never overwritten; choose another name"
            )
        if path.is_dir():
            raise ParameterError(f"{path.name}: is a folder, expected a file name")
        if not path.parent.is_dir():
            raise ParameterError(f"{path.name}: folder {path.parent.name!r} does not exist")
        if path.exists() and not overwrite:
            raise ParameterError(f"{path.name}: the file already exists (tick “replace” to overwrite it)")
        changes: dict[str, Any] = {"name": name if name is not None else path.stem}
        if description is not None:
            changes["description"] = description
        scenario = self._scenario.replace(**changes)
        text = "# Saved from the scenario explorer (notebooks/00_explorer.ipynb): keys differing from the contract.\n"
        text += params.scenario_to_yaml(scenario)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

    def save_to_params(
        self,
        filename: str,
        *,
        description: str | None = None,
        overwrite: bool = False,
        folder: str | os.PathLike[str] | None = None,
    ) -> Path:
        """Save under ``params/`` (what the "save" button does).

        Parameters
        ----------
        filename : str
            A plain file name: letters, digits, ``_`` and ``-``, optionally ending in
            ``.yaml`` / ``.yml`` (added when missing); no folder. ``baseline`` is refused.
        description : str, optional
        overwrite : bool
            Replace an existing file (default: refuse).
        folder : path, optional
            Target folder (default: ``params/``).

        Raises
        ------
        ParameterError
            Bad file name, ``baseline``, an existing file without ``overwrite``.
        """
        name = (filename or "").strip()
        if not _FILENAME.match(name):
            raise ParameterError(
                f"file name {name!r}: expected letters, digits, '_' or '-' (at most 64), "
                "optionally ending in .yaml, without a folder"
            )
        if not name.lower().endswith((".yaml", ".yml")):
            name += ".yaml"
        if Path(name).stem.lower() == "baseline":
            raise ParameterError(
                f"file name {name!r}: the contract baseline (params/baseline.yaml) is never overwritten; "
                "choose another name"
            )
        target = Path(folder) if folder is not None else PARAMS_DIR
        return self.save(target / name, description=description, overwrite=overwrite)

    # ------------------------------------------------------------------ model
    def _compute(self, scenario: params.Scenario) -> dict[str, Any]:
        """Savings by lever and year, cash flows and metrics of one scenario (arrays)."""
        costs = self._costs
        a = savings.scenario_arrays(scenario, hi_year=costs.first_ftap_commitment + 3)
        years = np.asarray(scenario.years, dtype=np.int64)
        values = savings.savings_array(a, years)[0]  # (levers, years), k€
        m = appraisal.metrics_arrays(a, costs)
        m.update(_switching_values(a, costs))
        ftap, total = costs.on(years)
        cum_s = np.cumsum(values.sum(axis=0))
        return {
            "years": years,
            "values": values,
            "cum_savings": cum_s,
            "cum_ftap": np.cumsum(ftap),
            "cum_total": np.cumsum(total),
            "metrics": {k: float(m[k][0]) for k in appraisal.METRICS},
        }

    def _prepare_pages(self, scenario: params.Scenario) -> None:
        """Build and draw both charts for every horizon of the slider, once.

        Each figure is drawn for the starting scenario at its horizon (base and y layer
        of its scale). Changing the horizon then selects a figure already drawn: a blit
        (plus the y layer when the y scale changes), not a rebuild and a full draw.
        Costs one to two seconds when the explorer is made; the starting horizon comes last.
        """
        _kind, lo, hi, *_rest = _CONTROL_SPECS["horizon_end"]
        ends = [h for h in range(int(lo), int(hi) + 1) if h >= scenario.base_year and h != scenario.horizon_end]
        ends = ends[-(_PAGES_KEPT - 1):] + [scenario.horizon_end]
        for end in ends:
            try:
                state = self._compute(scenario.replace(horizon_end=end))
            except InputError:  # pragma: no cover - a horizon the scenario refuses: built when asked
                continue
            self._state = state
            self._update_savings_chart()  # built, scaled and drawn as for this scenario
            self._update_payback_chart()

    # ------------------------------------------------------------------ updates
    def _apply(self, scenario: params.Scenario) -> None:
        state = self._compute(scenario)
        self._scenario = scenario
        self._state = state
        self._sync_controls()
        self._update_savings_chart()
        self._update_payback_chart()
        self._w_metrics.value = self._metrics_html()
        self.message = ""
        self._w_message.value = ""

    def _control_value(self, key: str) -> float:
        if key.startswith("etp."):
            return float(self._scenario.etp[key[4:]])
        return getattr(self._scenario, key)

    def _sync_controls(self) -> None:
        """Show the scenario's values on the controls (ranges widened when needed)."""
        self._syncing = True
        try:
            for key, widget in self._controls.items():
                value = self._control_value(key)
                if value > widget.max:
                    widget.max = value
                if value < widget.min:
                    widget.min = value
                if widget.value != value:
                    widget.value = value
        finally:
            self._syncing = False

    def _show_error(self, template: str, exc: BaseException, target: W.HTML | None = None) -> None:
        message = _clean_message(exc)
        self.message = message
        shown = template.format(message=message, kind=type(exc).__name__)
        (target or self._w_message).value = f'<span style="{_ERROR_STYLE}">{html.escape(shown)}</span>'

    # savings chart ------------------------------------------------------
    def _savings_frame(self) -> pd.DataFrame:
        values, years = self._state["values"], self._state["years"]
        return pd.DataFrame(
            {
                "lever": pd.array(np.repeat(np.array(LEVERS, dtype=object), len(years)), dtype="string"),
                "year": np.tile(years, len(LEVERS)),
                "amount_keur": values.reshape(-1),
            }
        )

    def _reference_totals(self, years: np.ndarray) -> np.ndarray:
        """Contract-baseline savings on ``years`` (all levers, k€): the chart's reference scale."""
        return savings.annual_totals(self._ref_arrays, years)[0]

    def _update_savings_chart(self) -> None:
        chart = self._charts["savings"]
        values, years = self._state["values"], self._state["years"]
        if chart.same_data((years, values)):
            return
        totals = values.sum(axis=0)
        key = tuple(int(y) for y in years)
        if chart.select(key):
            self._rebuild_savings(chart, key)
        if chart.handles:
            bars, notes = chart.handles["bars"], chart.handles["notes"]
            bottom = np.zeros(len(years))
            for j, lever in enumerate(LEVERS):
                for i, year in enumerate(key):
                    bar = bars[f"{lever}|{year}"]
                    bar.set_y(bottom[i])
                    bar.set_height(values[j, i])
                bottom = bottom + values[j]
            for year, total, note in zip(key, totals, notes):
                note.xy = (year, total)
                note.set_text(_total_text(total, self.lang) if total != 0 else "")
                note.set_visible(bool(total != 0))  # the chart writes no total for an empty year
        # y scale: a round number above the larger of this scenario and the contract
        # baseline (a scenario below the contract shows shorter bars on the same axis)
        peak = max(float(totals.max(initial=0.0)), float(self._reference_totals(years).max(initial=0.0)))
        chart.scale_to(peak * 1.15)
        chart.data = (years.copy(), values.copy())
        chart.render()

    def _rebuild_savings(self, chart: _Chart, key: tuple[int, ...]) -> None:
        """Draw the chart with :func:`plots.plot_savings_by_lever` and keep handles on what moves."""
        ax = chart.ax
        plots.plot_savings_by_lever(self._savings_frame(), ax=ax, lang=self.lang, title="")
        chart.take_legend()
        bars = {p.get_gid(): p for p in ax.patches if p.get_gid()}
        written = [t for t in ax.texts if isinstance(t, Annotation)]
        by_year = {int(round(t.xy[0])): t for t in written}
        ok = len(bars) == len(LEVERS) * len(key) and bool(written) and len(by_year) == len(written)
        if not ok:  # not the chart we expect (or nothing to copy): rebuild on every update
            return
        model = written[0]
        notes = []
        size = _total_fontsize(len(key))
        for year in key:  # one total label per year, empty ones hidden (copies of the chart's own)
            note = by_year.get(year)
            if note is None:
                note = ax.annotate(
                    "", (year, 0.0), xytext=model.xyann, textcoords=model.anncoords,
                    ha=model.get_ha(), va=model.get_va(), fontweight=model.get_fontweight(),
                    color=model.get_color(), visible=False,
                )
            note.set_fontsize(size)
            notes.append(note)
        chart.handles.update(bars=bars, notes=notes)
        chart.set_dynamic([*bars.values(), *notes])

    # payback chart ------------------------------------------------------
    def _cashflow_frame(self) -> pd.DataFrame:
        st = self._state
        return pd.DataFrame(
            {
                "year": st["years"],
                "cum_savings_keur": st["cum_savings"],
                "cum_cost_ftap_keur": st["cum_ftap"],
                "cum_cost_total_keur": st["cum_total"],
            }
        )

    def _update_payback_chart(self) -> None:
        chart = self._charts["payback"]
        st = self._state
        years, cum_s, cum_f, cum_t = st["years"], st["cum_savings"], st["cum_ftap"], st["cum_total"]
        if chart.same_data((years, cum_s, cum_f, cum_t)):
            return
        key = tuple(int(y) for y in years)
        if chart.select(key):
            self._rebuild_payback(chart, key)
        if chart.handles:
            lines = chart.handles["lines"]
            lines["cum_savings"].set_ydata(cum_s)
            lines["cum_cost_ftap"].set_ydata(cum_f)
            lines["cum_cost_total"].set_ydata(cum_t)
            self._set_payback_markers(chart, years, cum_s, cum_f, cum_t)
        ref = np.cumsum(self._reference_totals(years))
        peak = max(float(np.max(cum_s, initial=0.0)), float(np.max(cum_t, initial=0.0)),
                   float(np.max(cum_f, initial=0.0)), float(np.max(ref, initial=0.0)))
        chart.scale_to(peak * 1.05)
        chart.data = (years.copy(), cum_s.copy(), cum_f.copy(), cum_t.copy())
        chart.render()

    # the payback markers, as plots.plot_cumulative_payback draws them (tests compare both)
    _PAYBACK = (("ftap", "cum_cost_ftap", 0.97), ("total", "cum_cost_total", 0.88))

    def _rebuild_payback(self, chart: _Chart, key: tuple[int, ...]) -> None:
        """Draw the chart with :func:`plots.plot_cumulative_payback`; payback markers become movable."""
        ax = chart.ax
        plots.plot_cumulative_payback(self._cashflow_frame(), ax=ax, lang=self.lang, title="")
        chart.take_legend()
        lines = {ln.get_gid(): ln for ln in ax.lines if ln.get_gid()}
        names = ("cum_cost_total", "cum_cost_ftap", "cum_savings")
        if not set(names) <= set(lines):  # not the chart we expect: rebuild on every update
            return
        # replace the chart's payback markers by movable ones of the same look
        for artist in [*ax.texts, *(ln for ln in ax.lines if str(ln.get_gid()).startswith("payback_"))]:
            artist.remove()
        xlim = ax.get_xlim()
        markers: dict[str, Any] = {}
        for which, cost, y_frac in self._PAYBACK:
            colour = lines[cost].get_color()
            vline = ax.axvline(key[0], color=colour, linestyle=":", linewidth=1.8, visible=False)
            vline.set_gid(f"payback_{which}")
            note = ax.annotate(
                "", (key[0], y_frac), xycoords=("data", "axes fraction"), xytext=(-6, 0),
                textcoords="offset points", ha="right", va="top", color=colour, fontweight="bold", visible=False,
            )
            markers[which] = (vline, note)
        never = ax.text(
            0.99, 0.03, "", transform=ax.transAxes, ha="right", va="bottom",
            color=S.NEUTRAL, fontsize=S.FONT_SIZE - 1.5, style="italic", visible=False,
        )
        ax.set_xlim(xlim)
        chart.handles.update(lines=lines, markers=markers, never=never)
        chart.set_dynamic(
            [lines[n] for n in names] + [a for pair in markers.values() for a in pair] + [never]
        )

    def _set_payback_markers(self, chart: _Chart, years: np.ndarray, cum_s: np.ndarray,
                             cum_f: np.ndarray, cum_t: np.ndarray) -> None:
        lang = self.lang
        notes = []
        for (which, _cost, y_frac), cum_c in zip(self._PAYBACK, (cum_f, cum_t)):
            vline, note = chart.handles["markers"][which]
            year = _first_reach(years, cum_s, cum_c)
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
        never = chart.handles["never"]
        never.set_text("\n".join(notes))
        never.set_visible(bool(notes))

    # metrics table ------------------------------------------------------
    def _metrics_html(self) -> str:
        head, rows = self._metrics_rows()
        cell = '<td style="text-align:right;padding:2px 10px">{}</td>'
        header = f'<th style="text-align:left;padding:2px 10px">{html.escape(head[0])}</th>' + "".join(
            f'<th style="text-align:right;padding:2px 10px">{html.escape(h)}</th>' for h in head[1:]
        )
        body = "".join(
            f'<tr><td style="padding:2px 10px">{html.escape(name)}</td>'
            + "".join(cell.format(html.escape(v)) for v in values)
            + "</tr>"
            for name, *values in rows
        )
        return f'<table style="border-collapse:collapse"><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>'

    # ------------------------------------------------------------------ callbacks
    def _on_control(self, change: Mapping[str, Any]) -> None:
        """A control moved: apply its value (never raises into the interface)."""
        if self._syncing:
            return
        try:
            key = self._keys_by_widget[id(change["owner"])]
            dec = _CONTROL_SPECS[key][5]
            value = int(change["new"]) if dec == 0 else round(float(change["new"]), dec)
            if key.startswith("etp."):
                self.update(etp={key[4:]: value})
            else:
                self.update(**{key: value})
        except Exception as exc:  # noqa: BLE001 - shown to the user instead of lost in the log
            self._show_error(_text("internal", self.lang), exc)

    def _on_reset(self, _button: Any = None) -> None:
        try:
            self.reset()
        except Exception as exc:  # noqa: BLE001
            self._show_error(_text("internal", self.lang), exc)

    def _on_save(self, _button: Any = None) -> None:
        """The save button: write ``params/<file>.yaml`` and say so (never raises into the interface)."""
        lang = self.lang
        try:
            path = self.save_to_params(
                self._w_filename.value,
                description=self._w_description.value,
                overwrite=bool(self._w_overwrite.value),
            )
        except InputError as exc:
            self._show_error(_text("save.refused", lang), exc, self._w_save_message)
            return
        except OSError as exc:
            self._show_error(_text("save.oserror", lang), OSError(exc.strerror or str(exc)), self._w_save_message)
            return
        except Exception as exc:  # noqa: BLE001
            self._show_error(_text("internal", lang), exc, self._w_save_message)
            return
        try:
            shown = path.resolve().relative_to(ROOT).as_posix()
        except ValueError:
            shown = path.name
        self.message = ""
        done = _text("save.done", lang).format(path=shown)
        self._w_save_message.value = f'<span style="{_OK_STYLE}">{html.escape(done)}</span>'

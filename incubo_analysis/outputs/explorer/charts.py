"""Persistent chart figures of the explorer: one per horizon, drawn in layers, blitted, sent as PNG.

- Each chart keeps persistent :class:`matplotlib.figure.Figure` objects (not managed by
  pyplot, so the inline backend never shows them twice and nothing leaks), one per set
  of years (horizon, :class:`Page`); the last :data:`PAGES_KEPT` are kept, so going
  back to a horizon already seen selects a figure already drawn. A page is built
  the first time its horizon is shown, or ahead of time by :meth:`Chart.prepare`.
- A figure is drawn in layers: its base (everything but the y axis and what moves)
  once, the y axis (ticks, labels, grid) on it once per y scale (the last
  :data:`BACKGROUNDS_KEPT` scales are kept), and on every update only the moving
  artists on top of that background (blitting); the y scale is a round number kept
  while the data fit (:meth:`Page.scale_to`).
- A chart whose data did not change is not re-rendered; the others are rendered to
  PNG by the Agg canvas (no backend is selected or changed; a plain PNG writer, zlib
  level 1) and shown in an :class:`ipywidgets.Output` widget (class
  ``incubo-chart-<name>``), which JupyterLab displays as an ``<img>``.

What a chart draws is given by a subclass (:mod:`incubo_analysis.outputs.explorer.figures`).
"""

from __future__ import annotations

import base64
import html
import math
import struct
import zlib
from typing import Any

import ipywidgets as W
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from incubo_analysis.outputs import style as S
from incubo_analysis.outputs.explorer.compute import ScenarioState

__all__ = ["FIGSIZE", "DPI", "PAGES_KEPT", "BACKGROUNDS_KEPT", "encode_png", "nice_ceiling", "legend_html",
           "Page", "Chart"]

#: Size (inches) and resolution of the explorer's charts: 560 x 250 px, one above the other
#: beside the controls (both charts and the sliders on a 1366 x 768 screen, JupyterLab's
#: file browser open).
FIGSIZE: tuple[float, float] = (7.0, 3.125)
DPI: int = 80
#: Figures kept per chart (one per horizon seen lately: all those of the slider, 2022-2030).
PAGES_KEPT = 9
#: Backgrounds kept per figure (one per y scale seen lately): going back to one is a blit.
BACKGROUNDS_KEPT = 3


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def encode_png(rgba: np.ndarray) -> bytes:
    """Encode an RGBA pixel buffer (height, width, 4; white background) as an RGB PNG.

    A plain PNG writer (no row filter, zlib level 1): twice as fast as Pillow on
    mostly-white charts, for images of the same size.

    Examples
    --------
    >>> png = encode_png(np.full((2, 3, 4), 255, dtype=np.uint8))
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


def nice_ceiling(value: float) -> float:
    """Smallest "round" number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k) >= value.

    Examples
    --------
    >>> nice_ceiling(2143.0), nice_ceiling(912.0), nice_ceiling(0.0)
    (2500.0, 1000.0, 1.0)
    """
    if not value > 0:
        return 1.0
    scale = 10.0 ** math.floor(math.log10(value))
    for m in (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if m * scale >= value * (1 - 1e-12):
            return float(m * scale)
    return float(10.0 * scale)  # pragma: no cover - m = 10 always reaches it


def legend_html(ax: Axes) -> str:
    """Move the legend of ``ax`` out of the figure: its HTML (swatches and labels), "" if none.

    Nothing in the figure is then drawn over the moving artists, and a full draw has
    fewer texts to render.
    """
    legend = ax.get_legend()
    if legend is None:
        return ""
    items = []
    for handle, label in zip(legend.legend_handles, legend.texts, strict=True):
        if isinstance(handle, Line2D):
            swatch = (f"display:inline-block;width:22px;height:0;"
                      f"border-top:3px solid {to_hex(handle.get_color())};")
        else:
            swatch = f"display:inline-block;width:12px;height:12px;background:{to_hex(handle.get_facecolor())};"
        items.append(
            f'<span style="margin-right:14px;white-space:nowrap"><span style="{swatch}vertical-align:middle;'
            f'margin-right:4px"></span>{html.escape(label.get_text())}</span>'
        )
    legend.remove()
    return f'<div style="font-size:90%;line-height:1.6">{"".join(items)}</div>'


class Page:
    """One persistent figure of a chart for one set of years, and what moves in it.

    The figure is drawn once in full with the moving ("dynamic") artists and the
    "y layer" (the y axis: its ticks, labels and grid lines, and the spines drawn above
    them) left out: that is the ``base``. The y layer is then drawn on a copy of the
    base, giving the ``background`` of the current y scale (the last
    :data:`BACKGROUNDS_KEPT` are kept, keyed by the y limits); an update restores it
    and draws the moving artists on top (blitting). A change of y scale thus only
    redraws the y layer, never the whole figure.
    """

    def __init__(self, key: Any) -> None:
        self.key = key
        self.fig = Figure(figsize=FIGSIZE, dpi=DPI, facecolor="white")
        self.canvas = FigureCanvasAgg(self.fig)
        self.fig.subplots_adjust(left=0.14, right=0.98, bottom=0.11, top=0.96)
        self.ax = self.fig.add_subplot()
        self.handles: dict[str, Any] = {}  # empty: not the expected chart, rebuilt on every update
        self.dynamic: list[Any] = []
        self.legend_html = ""
        self.background: Any = None
        self.base: Any = None  # the figure without the y layer and the moving artists
        self.layer: list[Any] = []  # the y layer, drawn on the base for each y scale
        self.backgrounds: dict[tuple[float, float], Any] = {}  # y limits -> background drawn
        self.scaled = False  # y scale set by scale_to

    def set_dynamic(self, artists: list[Any]) -> None:
        """Declare the moving artists (drawn on every update); the rest is the kept background."""
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
        self.background = None

    def scale_to(self, needed: float) -> None:
        """Set the y axis to (0, top) covering ``needed`` (k€); keep it while it still fits.

        The top only grows when the data no longer fit, and shrinks when they fill
        less than 40 % of it: the axis (and its tick labels, part of the kept
        background) then stays put while a slider moves.
        """
        top = self.ax.get_ylim()[1] if self.scaled else None
        if top is None or needed > top or needed < 0.4 * top:
            self.ax.set_ylim(0.0, nice_ceiling(needed))
            self.scaled = True
            self.background = None

    def draw_background(self) -> tuple[int, int]:
        """Make sure the background of the current y scale is drawn; (full draws, y layers drawn)."""
        full = layers = 0
        if self.background is None:
            ylim = tuple(self.ax.get_ylim())
            self.background = self.backgrounds.pop(ylim, None)
            if self.background is None:
                if self.base is None:
                    self.canvas.draw()  # animated artists (y layer, moving ones) are left out
                    self.base = self.canvas.copy_from_bbox(self.fig.bbox)
                    full = 1
                else:
                    self.canvas.restore_region(self.base)
                    layers = 1
                for artist in self.layer:
                    self.ax.draw_artist(artist)
                self.background = self.canvas.copy_from_bbox(self.fig.bbox)
            self.backgrounds[ylim] = self.background  # most recent last
            while len(self.backgrounds) > BACKGROUNDS_KEPT:
                del self.backgrounds[next(iter(self.backgrounds))]
        return full, layers


class Chart:
    """One chart of the explorer: its Output widget, HTML legend and persistent figures.

    A figure (:class:`Page`) is kept per set of years (horizon), the last
    :data:`PAGES_KEPT` of them. ``ax``, ``fig``, ``handles``... are those of the current
    page. Subclasses say what is drawn: :meth:`build` (the whole chart, with the
    library's plotting function), :meth:`move` (the moving artists, in place),
    :meth:`peak` (what the y axis must cover) and :meth:`series` (the data shown).
    Not thread-safe: the caller serialises :meth:`update` and :meth:`prepare`.

    Parameters
    ----------
    title : str
        The chart's title (shown above it, and the PNG's text alternative).

    Attributes
    ----------
    alt : str
        The image's ``alt`` text (default: the title).
    """

    #: Name of the chart, in its CSS class ``incubo-chart-<name>``.
    name = "chart"

    def __init__(self, title: str) -> None:
        self.title = title
        self.alt = title
        self.pages: dict[Any, Page] = {}
        self.page = Page(None)
        self.data: tuple[np.ndarray, ...] | None = None  # data drawn (re-render when it changes)
        self.out = W.Output(layout=W.Layout(width=f"{int(FIGSIZE[0] * DPI) + 20}px"))
        self.out.add_class(f"incubo-chart-{self.name}")
        self.legend = W.HTML("")  # the chart's legend, in HTML above the image
        self.png = b""
        self.renders = 0  # PNG renderings (tests, benchmark)
        self.full_draws = 0  # figures drawn in full (the others are blits)
        self.layer_draws = 0  # y layers drawn on a kept base (a new y scale, no full draw)

    # the current page
    ax = property(lambda self: self.page.ax)
    fig = property(lambda self: self.page.fig)
    canvas = property(lambda self: self.page.canvas)
    handles = property(lambda self: self.page.handles)
    key = property(lambda self: self.page.key)

    # ------------------------------------------------------------ what a subclass draws
    def series(self, state: ScenarioState) -> tuple[np.ndarray, ...]:
        """The arrays the chart shows (no re-render while they stay equal)."""
        raise NotImplementedError

    def build(self, page: Page, state: ScenarioState) -> None:
        """Draw the whole chart of ``state`` on ``page.ax``; set its handles and moving artists."""
        raise NotImplementedError

    def move(self, page: Page, state: ScenarioState) -> None:
        """Move the page's moving artists (handles) to show ``state``."""
        raise NotImplementedError

    def peak(self, state: ScenarioState) -> float:
        """The largest value the y axis must show (k€)."""
        raise NotImplementedError

    # ------------------------------------------------------------ pages
    def is_ready(self, years: np.ndarray) -> bool:
        """Whether the figure of these years is built and drawn (showing it is a blit)."""
        page = self.pages.get(tuple(int(y) for y in years))
        return page is not None and bool(page.handles) and page.base is not None

    def _new_page(self, key: tuple[int, ...], state: ScenarioState) -> Page:
        page = Page(key)
        self.build(page, state)  # the plotting functions apply the house style themselves
        return page

    def _draw(self, page: Page) -> None:
        with S.style_context():
            full, layers = page.draw_background()
        self.full_draws += full
        self.layer_draws += layers

    def prepare(self, state: ScenarioState) -> Page | None:
        """Build, ahead of time, the figure of ``state``'s years, without showing it (drawn by :meth:`draw_ahead`).

        Returns the page kept; None when it was already there, when :data:`PAGES_KEPT`
        figures are kept already, or when the chart is not the one expected (drawn when
        shown). A page shown before :meth:`draw_ahead` is drawn by :meth:`update`.
        """
        key = tuple(int(y) for y in state.years)
        if key in self.pages or len(self.pages) >= PAGES_KEPT:
            return None
        page = self._new_page(key, state)
        if not page.handles:
            return None
        self.move(page, state)
        page.scale_to(self.peak(state))
        self.pages[key] = page
        return page

    def draw_ahead(self, page: Page) -> bool:
        """Draw a page built by :meth:`prepare` (its background), unless already drawn; True if drawn."""
        if page.base is not None or page.background is not None:
            return False
        self._draw(page)
        return True

    def update(self, state: ScenarioState) -> bool:
        """Show ``state``: select (or build) the figure of its years, move, blit, render; True if re-rendered."""
        data = self.series(state)
        if self.data is not None and len(self.data) == len(data) and all(
            a.shape == b.shape and np.array_equal(a, b) for a, b in zip(self.data, data, strict=True)
        ):
            return False
        key = tuple(int(y) for y in state.years)
        page = self.pages.pop(key, None)
        if page is None or not page.handles:
            page = self._new_page(key, state)
        self.pages[key] = page  # most recent last
        while len(self.pages) > PAGES_KEPT:
            del self.pages[next(iter(self.pages))]
        self.page = page
        if page.handles:
            self.move(page, state)
        page.scale_to(self.peak(state))
        if self.legend.value != page.legend_html:
            self.legend.value = page.legend_html
        self.data = tuple(a.copy() for a in data)
        self.render()
        return True

    def render(self) -> None:
        """Draw the current page (a blit when its background is kept), encode the PNG, show it."""
        page = self.page
        self._draw(page)
        with S.style_context():
            page.canvas.restore_region(page.background)
            for artist in page.dynamic:
                page.ax.draw_artist(artist)
            self.png = encode_png(np.asarray(page.canvas.buffer_rgba()))
        encoded = base64.b64encode(self.png).decode("ascii")
        width, height = (int(round(v * DPI)) for v in FIGSIZE)
        # JupyterLab shows the HTML form (an <img> with its alt text); the PNG and the title stay
        # in the bundle for other front ends.
        shown = (f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(self.alt, quote=True)}" '
                 f'width="{width}" height="{height}">')
        self.out.outputs = (
            {
                "output_type": "display_data",
                "data": {"text/html": shown, "image/png": encoded, "text/plain": self.title},
                "metadata": {},
            },
        )
        self.renders += 1

"""The one look of every chart: palette, fonts, spines, grid, figure size.

Every function of :mod:`incubo_analysis.outputs.plots` draws inside :func:`style_context` and then
calls :func:`finish_axes`, which sets the few properties matplotlib would otherwise re-read
from the global ``rcParams`` when a notebook draws the figure *after* the function returned
(tick label sizes, spines, grid). Nothing here selects a backend: notebooks keep their inline
figures.

Colours are colour-blind-safe (Okabe–Ito based, checked for the deuteranopia pairs used
together) and keep one meaning throughout the report: one colour per lever, per axis, per
budget title; FTAP in the French state blue, co-financing in grey; RAG statuses in the DSFR
(French state design system) success / warning / error colours.

Examples
--------
>>> import matplotlib.pyplot as plt
>>> with style_context():
...     plt.rcParams["axes.spines.top"]
False
>>> LEVER_COLORS["dematerialisation"]
'#0072B2'
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

import matplotlib as mpl
from matplotlib.axes import Axes

__all__ = [
    "FIGSIZE",
    "FIGSIZE_GRID",
    "DPI",
    "SAVE_DPI",
    "FONT_SIZE",
    "LEVER_COLORS",
    "AXIS_COLORS",
    "TITLE_COLORS",
    "SOURCE_COLORS",
    "SOURCE_HATCHES",
    "CREDIT_COLORS",
    "RAG_COLORS",
    "SERIES_COLORS",
    "NEUTRAL",
    "rc_params",
    "style_context",
    "styled_plot",
    "require_columns",
    "finish_axes",
    "color_for",
]

FIGSIZE: tuple[float, float] = (10.0, 5.5)  #: default figure size (inches): fills a 16:9 slide body
FIGSIZE_GRID: tuple[float, float] = (12.0, 8.0)  #: size of 2 × 2 panel figures
DPI: int = 100  #: on-screen dpi (notebooks)
SAVE_DPI: int = 200  #: dpi of saved images (sharp when pasted into a slide)
FONT_SIZE: float = 13.0  #: base font size (pt): readable on a projected slide

NEUTRAL = "#5A5A5A"  #: text, reference lines
LIGHT = "#D9D9D9"  #: grid, planned (outline) bars

LEVER_COLORS: dict[str, str] = {
    "dematerialisation": "#0072B2",
    "process_optimisation": "#E69F00",
    "digital_tools_and_data": "#009E73",
    "user_support": "#CC79A7",
}
AXIS_COLORS: dict[int, str] = {1: "#0072B2", 2: "#D55E00", 3: "#009E73", 4: "#8E5BA8"}
TITLE_COLORS: dict[str, str] = {"T2": "#56B4E9", "T3": "#1F4E8C", "T6": "#E69F00"}
SOURCE_COLORS: dict[str, str] = {"FTAP": "#000091", "cofinancing": "#9C9C9C"}
#: FTAP segments are plain, co-financed segments hatched (bars stacked by title).
SOURCE_HATCHES: dict[str, str] = {"FTAP": "", "cofinancing": "///"}
CREDIT_COLORS: dict[str, str] = {"AE": "#7FA7D9", "CP": "#1F4E8C"}
RAG_COLORS: dict[str, str] = {"green": "#18753C", "amber": "#E8A200", "red": "#CE0500"}
#: Colours of named series used across charts.
SERIES_COLORS: dict[str, str] = {
    "savings": "#009E73",
    "cost_ftap": "#000091",
    "cost_total": "#D55E00",
    "planned": "#A9C4E8",
    "actual": "#1F4E8C",
    "baseline": "#000091",
    "scenario": "#8FA8C8",
    "low": "#D55E00",
    "high": "#0072B2",
    "increase": "#18753C",
    "decrease": "#CE0500",
    "total": "#1F4E8C",
    "band": "#0072B2",
    "target": "#CE0500",
}

_RC: dict[str, Any] = {
    "figure.figsize": FIGSIZE,
    "figure.dpi": DPI,
    "figure.facecolor": "white",
    "figure.titlesize": FONT_SIZE + 3,
    "figure.titleweight": "bold",
    "figure.constrained_layout.use": True,
    "savefig.dpi": SAVE_DPI,
    "savefig.bbox": "tight",
    "savefig.facecolor": "white",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "sans-serif"],
    "font.size": FONT_SIZE,
    "axes.titlesize": FONT_SIZE + 2,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlepad": 12.0,
    "axes.labelsize": FONT_SIZE,
    "axes.labelcolor": "#333333",
    "axes.edgecolor": "#7F7F7F",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "axes.unicode_minus": True,
    "grid.color": LIGHT,
    "grid.linewidth": 0.8,
    "grid.alpha": 1.0,
    "xtick.labelsize": FONT_SIZE - 1,
    "ytick.labelsize": FONT_SIZE - 1,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "legend.fontsize": FONT_SIZE - 1.5,
    "legend.frameon": False,
    "legend.title_fontsize": FONT_SIZE - 1,
    "lines.linewidth": 2.5,
    "lines.markersize": 8,
    "hatch.linewidth": 1.0,
    "hatch.color": "white",
}


def rc_params(**overrides: Any) -> dict[str, Any]:
    """The rc settings of the house style (a new dict each call).

    Parameters
    ----------
    **overrides
        rc keys overriding the house style, passed as a dict since they contain dots:
        ``rc_params(**{"font.size": 16})``.

    Returns
    -------
    dict
        matplotlib rc parameters.

    Examples
    --------
    >>> rc_params()["figure.figsize"]
    (10.0, 5.5)
    >>> rc_params(**{"font.size": 16})["font.size"]
    16
    """
    rc = dict(_RC)
    rc.update(overrides)
    return rc


@contextmanager
def style_context(**overrides: Any) -> Iterator[dict[str, Any]]:
    """Context manager drawing with the house style, restoring the previous rc on exit.

    Yields
    ------
    dict
        The rc parameters in force.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> before = plt.rcParams["font.size"]
    >>> with style_context() as rc:
    ...     rc["font.size"] == plt.rcParams["font.size"] == FONT_SIZE
    True
    >>> plt.rcParams["font.size"] == before
    True
    """
    rc = rc_params(**overrides)
    # Restore only the keys the style sets. ``matplotlib.rc_context`` restores *every*
    # rc parameter, including ``interactive``: when the first figure of a Jupyter session is
    # drawn inside it, the inline backend switches interactive mode on, rc_context switches it
    # off again on exit, and every later figure of the session silently stops showing.
    saved = {key: mpl.rcParams[key] for key in rc}
    try:
        mpl.rcParams.update(rc)
        yield rc
    finally:
        mpl.rcParams.update(saved)


_F = TypeVar("_F", bound=Callable[..., Any])


def styled_plot(func: _F) -> _F:
    """Decorator of the chart functions: check ``lang`` first, then draw inside :func:`style_context`."""
    from incubo_analysis.labels import check_lang

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        check_lang(kwargs.get("lang", "fr"))
        with style_context():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def require_columns(frame: Any, columns: Iterable[str], what: str) -> None:
    """Raise :class:`~incubo_analysis.errors.SchemaError` naming the missing columns of ``frame``.

    Examples
    --------
    >>> import pandas as pd
    >>> require_columns(pd.DataFrame({"year": [2021]}), ["year", "amount_keur"], "plan")
    Traceback (most recent call last):
    ...
    incubo_analysis.errors.SchemaError: plan: missing column(s) 'amount_keur'; columns found: year
    """
    import pandas as pd

    from incubo_analysis.errors import SchemaError

    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(f"{what}: expected a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(
            f"{what}: missing column(s) {', '.join(repr(c) for c in missing)}; "
            f"columns found: {', '.join(map(str, frame.columns)) or 'none'}"
        )


def finish_axes(ax: Axes, *, grid_axis: str = "y") -> Axes:
    """Fix on ``ax`` the style properties matplotlib would re-read at draw time.

    Parameters
    ----------
    ax : Axes
    grid_axis : {"x", "y", "both", "none"}
        Which light grid to show.

    Returns
    -------
    Axes
        ``ax`` itself.
    """
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(_RC["axes.edgecolor"])
        ax.spines[side].set_linewidth(_RC["axes.linewidth"])
    ax.tick_params(
        axis="both", which="major", labelsize=_RC["xtick.labelsize"], colors=_RC["xtick.color"]
    )
    ax.grid(False)
    if grid_axis != "none":
        ax.grid(True, axis=grid_axis, color=LIGHT, linewidth=_RC["grid.linewidth"])
    ax.set_axisbelow(True)
    return ax


def color_for(key: Any, palette: Mapping[Any, str], index: int = 0) -> str:
    """The colour of ``key`` in ``palette``, or a stable fallback for unknown keys.

    Examples
    --------
    >>> color_for("T3", TITLE_COLORS)
    '#1F4E8C'
    >>> color_for("other", TITLE_COLORS, index=1)
    '#E69F00'
    """
    if key in palette:
        return palette[key]
    fallback = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
    return fallback[index % len(fallback)]

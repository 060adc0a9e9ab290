"""The explorer's widgets: one slider per parameter, the reset button and the save row.

Every widget the browser test drives carries a CSS class (``tests/browser/HOOKS.md``):
``incubo-ctl-<key>`` on each slider (key from :data:`CONTROL_KEYS`), ``incubo-reset``,
``incubo-save-name``, ``incubo-save-replace`` and ``incubo-save-button``.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as W

from incubo_analysis import labels as L
from incubo_analysis.contract.schema import LEVERS
from incubo_analysis.model import params
from incubo_analysis.outputs.explorer.texts import text

__all__ = ["CONTROL_KEYS", "CONTROL_SPECS", "CONTROLS_WIDTH", "control_value", "control_change", "Controls",
           "SaveRow"]

#: Width (px) of the controls column, beside the charts: a label of up to two lines, the
#: slider and its readout.
CONTROLS_WIDTH = 330

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

#: key -> (slider kind "float" or "int", min, max, step, readout format, decimals kept);
#: units: share 0-1, years, k€/FTE/year, decimals per year, FTE, year.
CONTROL_SPECS: dict[str, tuple[str, float, float, float, str, int]] = {
    "realisation_rate": ("float", 0.0, 1.0, 0.01, ".0%", 4),
    "delay_years": ("float", 0.0, 4.0, 0.25, ".2f", 4),
    "unit_cost_keur": ("float", 30.0, 90.0, 0.5, ".1f", 4),
    "unit_cost_growth": ("float", 0.0, 0.05, 0.001, ".1%", 6),
    "discount_rate": ("float", 0.0, 0.10, 0.001, ".1%", 6),
    **{f"etp.{lever}": ("float", 0.0, 40.0, 0.5, ".1f", 4) for lever in LEVERS},
    "horizon_end": ("int", 2022, 2030, 1, "d", 0),
}


def control_value(scenario: params.Scenario, key: str) -> float:
    """The value of control ``key`` in ``scenario`` (model units).

    Examples
    --------
    >>> control_value(params.baseline(), "etp.dematerialisation"), control_value(params.baseline(), "horizon_end")
    (20.0, 2022)
    """
    if key.startswith("etp."):
        return float(scenario.etp[key[4:]])
    return getattr(scenario, key)


def control_change(key: str, raw: float) -> dict[str, Any]:
    """The keyword arguments of :meth:`Explorer.update` for a slider value (slider float noise removed).

    Examples
    --------
    >>> control_change("unit_cost_growth", 0.015000000000000001), control_change("etp.user_support", 2.5)
    ({'unit_cost_growth': 0.015}, {'etp': {'user_support': 2.5}})
    """
    dec = CONTROL_SPECS[key][5]
    value = int(raw) if dec == 0 else round(float(raw), dec)
    return {"etp": {key[4:]: value}} if key.startswith("etp.") else {key: value}


class Controls:
    """The sliders (``widgets``: key -> slider) and the reset button, grouped in ``box``.

    Parameters
    ----------
    lang : {"fr", "en"}
    on_change : callable
        Called with (key, new value) when the user moves a slider (not when :meth:`sync` does).
    on_reset : callable
        Called with the button when the reset button is clicked.
    """

    def __init__(self, lang: str, on_change: Callable[[str, Any], None], on_reset: Callable[[Any], None]) -> None:
        self._on_change = on_change
        self._syncing = False
        self.widgets: dict[str, W.Widget] = {key: self._make(key, lang) for key in CONTROL_KEYS}
        self._keys = {id(w): key for key, w in self.widgets.items()}
        self.reset = W.Button(description=text("reset", lang), layout=W.Layout(width=f"{CONTROLS_WIDTH - 20}px"))
        self.reset.add_class("incubo-reset")
        self.reset.on_click(on_reset)

        def group(title_key: str, keys: tuple[str, ...]) -> W.VBox:
            head = W.HTML(f"<b>{html.escape(text(title_key, lang))}</b>")
            return W.VBox([head, *(self.widgets[k] for k in keys)], layout=W.Layout(margin="0 0 4px 0"))

        # One column, beside the charts: a slider and the chart it moves are on screen together.
        self.box = W.VBox(
            [
                group("group.savings", ("realisation_rate", "delay_years", "unit_cost_keur", "unit_cost_growth")),
                group("group.etp", tuple(f"etp.{lever}" for lever in LEVERS)),
                group("group.appraisal", ("discount_rate", "horizon_end")),
                self.reset,
            ],
            layout=W.Layout(width=f"{CONTROLS_WIDTH}px"),
        )

    def _make(self, key: str, lang: str) -> W.Widget:
        kind, lo, hi, step, fmt, _dec = CONTROL_SPECS[key]
        label = L.label(key, lang)
        # under the group heading "FTE freed per lever", a lever's slider is named by the lever
        shown = L.label(key[4:], lang, short=True) if key.startswith("etp.") else label
        common = dict(
            description=shown, tooltip=label, min=lo, max=hi, step=step, continuous_update=False,
            readout_format=fmt, style={"description_width": "140px"},
            layout=W.Layout(width=f"{CONTROLS_WIDTH - 10}px"),
        )
        widget = W.IntSlider(**common) if kind == "int" else W.FloatSlider(**common)
        widget.add_class(f"incubo-ctl-{key}")
        widget.observe(self._changed, names="value")
        return widget

    def _changed(self, change: Mapping[str, Any]) -> None:
        if not self._syncing:
            self._on_change(self._keys[id(change["owner"])], change["new"])

    def sync(self, scenario: params.Scenario) -> None:
        """Show the scenario's values on the sliders (ranges widened when needed), silently."""
        self._syncing = True
        try:
            for key, widget in self.widgets.items():
                value = control_value(scenario, key)
                if value > widget.max:
                    widget.max = value
                if value < widget.min:
                    widget.min = value
                if widget.value != value:
                    widget.value = value
        finally:
            self._syncing = False


class SaveRow:
    """The "save as a parameter file" row: file name, description, replace box, button, message.

    Parameters
    ----------
    lang : {"fr", "en"}
    on_save : callable
        Called with the button when the save button is clicked.
    """

    def __init__(self, lang: str, on_save: Callable[[Any], None]) -> None:
        self.filename = W.Text(
            value="mon_scenario.yaml", description=text("save.filename", lang),
            style={"description_width": "initial"}, layout=W.Layout(width="330px"),
        )
        self.description = W.Text(
            value="", description=text("save.description", lang),
            style={"description_width": "initial"}, layout=W.Layout(width="460px"),
        )
        self.overwrite = W.Checkbox(value=False, description=text("save.overwrite", lang), indent=False,
                                    layout=W.Layout(width="200px"))
        self.button = W.Button(description=text("save.button", lang), button_style="primary", icon="save")
        self.filename.add_class("incubo-save-name")
        self.overwrite.add_class("incubo-save-replace")
        self.button.add_class("incubo-save-button")
        self.button.on_click(on_save)
        self.message = W.HTML("")
        self.message.add_class("incubo-save-message")
        self.box = W.VBox(
            [
                W.HTML(f"<b>{html.escape(text('save.title', lang))}</b>"),
                W.HBox([self.filename, self.description, self.overwrite, self.button],
                       layout=W.Layout(flex_flow="row wrap")),
                self.message,
            ]
        )

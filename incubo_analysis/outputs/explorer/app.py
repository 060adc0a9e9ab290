"""Interactive scenario explorer for JupyterLab (``notebooks/00_explorer.ipynb``): the wiring.

The officer moves a few sliders (realisation rate, delay, unit cost of an FTE, its
growth, discount rate, FTE per lever, last year of the horizon) and sees, live, the
savings by lever and year, the cumulated savings against the cumulated cost with the
payback years, and the appraisal metrics of the explored scenario next to the
contract baseline. What she explored is saved as a parameter file
(:func:`incubo_analysis.model.params.save_scenario`, ``params/NAME.yaml``) that runs
with ``incubo scenario params/NAME.yaml --out DIR`` and papermill.

The parts: :mod:`~incubo_analysis.outputs.explorer.controls` (the widgets),
:mod:`~incubo_analysis.outputs.explorer.compute` (one scenario's model and metrics, about
2 ms), :mod:`~incubo_analysis.outputs.explorer.charts` and
:mod:`~incubo_analysis.outputs.explorer.figures` (persistent figures per horizon, blitted,
sent as PNG), :mod:`~incubo_analysis.outputs.explorer.texts` (texts and the metrics table).

Speed (one update, model + redraw, budget 100 ms; ``benchmarks/bench_explorer.py``):
the explorer draws only its starting horizon when made (about 0.3 s); the figures of
the other horizons of the slider (2022-2030) are drawn by a background thread
(:mod:`~incubo_analysis.outputs.explorer.background`), one chart at a time, holding the
explorer's lock only while drawing one chart (an update waits for at most that). Invalid values never raise into the
user interface: :meth:`Explorer.update` returns False and the one-line
:class:`~incubo_analysis.errors.ParameterError` message naming the key is shown above
the charts.
"""

from __future__ import annotations

import html
import os
import threading
from pathlib import Path
from typing import Any

import ipywidgets as W
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from incubo_analysis import labels as L
from incubo_analysis.contract.schema import LEVERS
from incubo_analysis.errors import InputError, ParameterError
from incubo_analysis.model import appraisal, params, savings
from incubo_analysis.outputs.explorer.background import BackgroundDrawing
from incubo_analysis.outputs.explorer.compute import ScenarioState, compute_state
from incubo_analysis.outputs.explorer.controls import CONTROLS_WIDTH, Controls, SaveRow, control_change
from incubo_analysis.outputs.explorer.figures import PaybackChart, SavingsChart
from incubo_analysis.outputs.explorer.texts import (
    ERROR_STYLE,
    OK_STYLE,
    clean_message,
    format_metric,
    metrics_html,
    styled,
    text,
)
from incubo_analysis.paths import PARAMS_DIR, ROOT

__all__ = ["Explorer"]

# The sliders' labels wrap on two lines in the narrow controls column instead of being cut.
_CSS = (".incubo-explorer .widget-slider .widget-label {white-space: normal; line-height: 1.15; "
        "overflow: visible; text-overflow: clip}")


class _ExplorerBox(W.VBox):
    """The explorer's ``VBox``; its text form is a short instruction, not the widget's ``repr``.

    Jupyter stores a ``text/plain`` form next to the widget view: it is what a notebook shows
    before the cell runs (no live widget) and what a static rendering shows.
    """

    placeholder = ""

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None and self.placeholder:
            bundle["text/plain"] = self.placeholder
        return bundle


def _layout(lang: str, controls_box: W.Box, message: W.HTML, shown: list, metrics: W.HTML,
            save_box: W.Box) -> _ExplorerBox:
    """The explorer's user interface: the controls column beside the charts, the rest below.

    At 1366 x 768 (JupyterLab's file browser open), a slider and the charts it moves are on
    screen together. Where no widget can be shown (the notebook opened before the cell runs,
    a static rendering), the text is ``text("placeholder")``, not the widget's ``repr``.
    """
    charts = [W.VBox([W.HTML(f"<b>{html.escape(c.title)}</b>"), c.legend, c.out]) for c in shown]
    head = (f"<style>{_CSS}</style><h3 style='margin:0 0 4px'>{html.escape(text('title', lang))}</h3>"
            f"<p style='margin:0 0 6px;line-height:1.35'>{html.escape(text('intro', lang))}</p>")
    left = W.VBox([W.HTML(head, layout=W.Layout(width=f"{CONTROLS_WIDTH}px")), controls_box],
                  layout=W.Layout(flex="0 0 auto", margin="0 16px 0 0"))
    right = W.VBox([message, *charts], layout=W.Layout(flex="0 1 auto"))
    root = _ExplorerBox([
        W.HBox([left, right], layout=W.Layout(align_items="flex-start")),
        W.HTML(f"<b>{html.escape(text('metrics', lang))}</b>"), metrics, save_box,
    ])
    root.placeholder = text("placeholder", lang)
    root.add_class("incubo-explorer")
    return root


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
    predraw : bool
        Draw the figures of the other horizons in a background thread (default). When
        False, a horizon's figures are drawn the first time it is shown.

    Attributes
    ----------
    scenario : Scenario
        The scenario currently explored.
    message : str
        The last message shown to the user ("" when the last update was valid).

    Raises
    ------
    ParameterError
        ``lang`` is not "fr" or "en", or ``scenario`` is not a Scenario.

    Examples
    --------
    >>> ex = Explorer(predraw=False)
    >>> ex.update(realisation_rate=0.5)
    True
    >>> ex.metrics()["total_savings_keur"]  # 0.5 x (228 + 684 + 1140 + 1824) k€
    1938.0
    >>> ex.update(realisation_rate=1.5)
    False
    >>> ex.message
    'scénario « baseline » : clé realisation_rate : nombre entre 0 et 1 attendu, reçu 1,5'
    >>> ex.scenario.realisation_rate
    0.5
    """

    def __init__(self, scenario: params.Scenario | None = None, *, lang: str = "fr",
                 plan: pd.DataFrame | None = None, predraw: bool = True) -> None:
        L.check_lang(lang)
        self.lang = lang
        scenario = params.baseline() if scenario is None else scenario
        if not isinstance(scenario, params.Scenario):
            raise ParameterError(f"scenario: expected a Scenario, got {type(scenario).__name__}")
        self._start = self._scenario = scenario
        if plan is None:
            from incubo_analysis.contract.loaders import load_financing_plan

            plan = load_financing_plan()
        self._costs = appraisal.cost_plan(plan)
        reference = params.baseline()
        self._reference = compute_state(reference, self._costs).metrics
        ref_arrays = savings.scenario_arrays(reference)
        self.message = ""
        self._lock = threading.RLock()  # one chart drawn at a time (updates, background drawing)
        self._controls = Controls(lang, self._on_control, self._on_reset)
        self._save_row = SaveRow(lang, self._on_save)
        self._w_message, self._w_metrics = W.HTML(""), W.HTML("")
        self._w_message.add_class("incubo-message")
        self._w_metrics.add_class("incubo-metrics")
        self._charts = {
            "savings": SavingsChart(L.label("chart.savings.title", lang), lang, ref_arrays),
            "payback": PaybackChart(L.label("chart.payback.title", lang), lang, ref_arrays),
        }
        self._apply(scenario)
        self._predraw = BackgroundDrawing(self._charts.values(), self._lock, self._state_at,
                                          lambda: self._scenario.horizon_end) if predraw else None

    @classmethod
    def from_params(cls, scenario_file: str | os.PathLike[str] = "baseline.yaml", *, lang: str = "fr",
                    plan: pd.DataFrame | None = None, predraw: bool = True) -> Explorer:
        """An explorer starting from a parameter file.

        ``scenario_file``: a bare file name is looked up in ``params/``
        (``"realisation_75.yaml"``), a path with a folder is used as given, ``""`` is the
        contract baseline; the other parameters are those of :class:`Explorer`.

        Raises
        ------
        ParameterError
            The file is missing or invalid (message naming the file and the key).

        Examples
        --------
        >>> Explorer.from_params("baseline.yaml", predraw=False).scenario.name
        'baseline'
        """
        name = os.fspath(scenario_file)
        if not name:
            return cls(lang=lang, plan=plan, predraw=predraw)
        path = Path(name)
        if path.parent == Path("."):
            path = PARAMS_DIR / path
        return cls(params.load_scenario(path), lang=lang, plan=plan, predraw=predraw)

    # ------------------------------------------------------------------ public API
    @property
    def scenario(self) -> params.Scenario:
        """The scenario currently explored (a validated, frozen :class:`~incubo_analysis.model.params.Scenario`)."""
        return self._scenario

    @property
    def figures(self) -> dict[str, Figure]:
        """The two persistent figures shown: ``{"savings": Figure, "payback": Figure}``."""
        return {name: chart.fig for name, chart in self._charts.items()}

    def widget(self) -> W.Box:
        """The user interface to display in a notebook (an :class:`ipywidgets.VBox`, class ``incubo-explorer``).

        Controls in a column beside the two charts, the metrics table and the save row below
        (:func:`_layout`); its text form is "Exécutez la cellule pour afficher l'explorateur.".
        """
        if not hasattr(self, "_root"):
            self._root = _layout(self.lang, self._controls.box, self._w_message, list(self._charts.values()),
                                 self._w_metrics, self._save_row.box)
        return self._root

    def update(self, **values: Any) -> bool:
        """Change some parameters, recompute and redraw; never raises on a bad value.

        Parameters
        ----------
        **values
            Parameter keys of a scenario file (:data:`incubo_analysis.model.params.PARAMETER_KEYS`),
            in model units: ``realisation_rate`` (share 0-1), ``delay_years`` (years),
            ``unit_cost_keur`` (k€/FTE/year), ``unit_cost_growth`` and ``discount_rate``
            (decimals: 0.015 is 1.5 %/year), ``etp`` (mapping lever -> FTE; a partial
            mapping changes only the levers it names), ``horizon_end`` (year)...

        Returns
        -------
        bool
            True when applied; False when refused (the scenario is unchanged and
            :attr:`message` holds the one-line reason, also shown in the interface).
        """
        try:
            new = self._scenario.replace(**values) if values else self._scenario
        except InputError as exc:
            self._show_error(text("refused", self.lang), exc)
            return False
        self._apply(new)
        return True

    def reset(self) -> None:
        """Go back to the starting scenario."""
        self._apply(self._start)

    def wait_until_drawn(self, timeout: float | None = None) -> bool:
        """Wait for the background drawing of the other horizons (seconds); True when it is over."""
        return self._predraw is None or self._predraw.wait(timeout)

    def metrics(self) -> dict[str, float]:
        """Metrics of the explored scenario: name -> value (k€, ratios, years; NaN when undefined)."""
        return dict(self._state.metrics)

    def metrics_table(self) -> pd.DataFrame:
        """The metrics table shown in the interface, as text in the reader's format.

        One row per metric of :data:`incubo_analysis.model.appraisal.METRICS` (index: its
        label), columns "Scénario exploré" and "Référence (contrat)" (French by default).

        Examples
        --------
        >>> t = Explorer(params.baseline().replace(realisation_rate=0.5), predraw=False).metrics_table()
        >>> t.iloc[0].tolist() == ["1\\u202f938\\u00a0k€", "3\\u202f876\\u00a0k€"]
        True
        """
        head, rows = self._metrics_rows()
        return pd.DataFrame([row[1:] for row in rows], columns=list(head[1:]),
                            index=pd.Index([row[0] for row in rows], name=head[0]))

    def _metrics_rows(self) -> tuple[tuple[str, str, str], list[tuple[str, str, str]]]:
        lang, mine, ref = self.lang, self._state.metrics, self._reference
        head = (L.label("metric", lang), text("explored", lang), L.label("baseline", lang))
        return head, [(L.label(m, lang), format_metric(m, mine[m], lang), format_metric(m, ref[m], lang))
                      for m in appraisal.METRICS]

    def savings_table(self) -> pd.DataFrame:
        """Savings of the explored scenario by lever (rows, then the total) and year (columns), k€ as text.

        Examples
        --------
        >>> Explorer(predraw=False).savings_table().loc["Total"].tolist()[1:]
        ['228,0', '684,0', '1\\u202f140,0', '1\\u202f824,0']
        """
        lang, values, years = self.lang, self._state.values, self._state.years
        rows = np.vstack([values, values.sum(axis=0, keepdims=True)])
        names = [L.label(lever, lang, short=True) for lever in LEVERS] + [L.label("chart.total", lang)]
        return pd.DataFrame(
            [[L.fmt_number(v, 1, lang) for v in row] for row in rows],
            index=pd.Index(names, name=L.label("lever", lang)),
            columns=pd.Index([int(y) for y in years], name=L.label("year", lang)),
        )

    # ------------------------------------------------------------------ saving
    def save(self, path: str | os.PathLike[str], *, name: str | None = None, description: str | None = None,
             overwrite: bool = True) -> Path:
        """Write the explored scenario as a parameter file (keys differing from the contract).

        ``path``: a ``.yaml`` / ``.yml`` file in an existing folder (file name rules and
        refusals of :func:`incubo_analysis.model.params.save_scenario`); ``name``: the
        scenario name written (default: the file's stem); ``description``: default the
        explored scenario's; ``overwrite``: replace an existing file. Returns the file
        written; raises :class:`~incubo_analysis.errors.ParameterError` when refused.
        """
        path = Path(path)
        return self._write(path.name, path.parent, path.stem if name is None else name, description, overwrite)

    def save_to_params(self, filename: str, *, description: str | None = None, overwrite: bool = False,
                       folder: str | os.PathLike[str] | None = None) -> Path:
        """Save under ``params/`` (or ``folder``), what the "save" button does; refuses to overwrite by default.

        ``filename``: letters, digits, ``_`` and ``-``, optionally ending in ``.yaml`` /
        ``.yml`` (added when missing); ``baseline`` is refused (raises
        :class:`~incubo_analysis.errors.ParameterError`).
        """
        name = (filename or "").strip()
        stem = name[: name.lower().rfind(".y")] if name.lower().endswith((".yaml", ".yml")) else name
        return self._write(name, PARAMS_DIR if folder is None else folder, stem, description, overwrite)

    def _write(self, filename: str, folder: str | os.PathLike[str], name: str, description: str | None,
               overwrite: bool) -> Path:
        changes: dict[str, Any] = {"name": name or self._scenario.name}  # an empty name: the file name is refused
        if description is not None:
            changes["description"] = description
        return params.save_scenario(self._scenario.replace(**changes), filename, directory=folder,
                                    replace=overwrite, comment=text("saved_comment", self.lang), lang=self.lang)

    # ------------------------------------------------------------------ updates
    def _apply(self, scenario: params.Scenario) -> None:
        state = compute_state(scenario, self._costs)
        with self._lock:
            self._scenario, self._state = scenario, state
            self._controls.sync(scenario)
            for chart in self._charts.values():
                chart.update(state)
        self._w_metrics.value = metrics_html(*self._metrics_rows())
        self.message = ""
        self._w_message.value = ""

    def _state_at(self, end: int) -> ScenarioState | None:
        try:
            return compute_state(self._scenario.replace(horizon_end=end), self._costs)
        except InputError:  # a horizon this scenario refuses: never shown
            return None

    def _show_error(self, template: str, exc: BaseException, target: W.HTML | None = None) -> None:
        self.message = clean_message(exc, self.lang)
        shown = template.format(message=self.message, kind=type(exc).__name__)
        (target or self._w_message).value = styled(shown, ERROR_STYLE)

    # ------------------------------------------------------------------ callbacks
    def _on_control(self, key: str, value: Any) -> None:
        """A slider moved: apply its value (never raises into the interface)."""
        try:
            self.update(**control_change(key, value))
        except Exception as exc:  # noqa: BLE001 - shown to the user instead of lost in the log
            self._show_error(text("internal", self.lang), exc)

    def _on_reset(self, _button: Any = None) -> None:
        try:
            self.reset()
        except Exception as exc:  # noqa: BLE001
            self._show_error(text("internal", self.lang), exc)

    def _on_save(self, _button: Any = None) -> None:
        """The save button: write ``params/<file>.yaml`` and say so (never raises into the interface)."""
        row, lang = self._save_row, self.lang
        try:
            path = self.save_to_params(row.filename.value, description=row.description.value,
                                       overwrite=bool(row.overwrite.value))
        except InputError as exc:
            return self._show_error(text("save.refused", lang), exc, row.message)
        except OSError as exc:
            return self._show_error(text("save.oserror", lang), OSError(exc.strerror or str(exc)), row.message)
        except Exception as exc:  # noqa: BLE001
            return self._show_error(text("internal", lang), exc, row.message)
        try:
            shown = path.resolve().relative_to(ROOT).as_posix()
        except ValueError:
            shown = path.name
        self.message = ""
        row.message.value = styled(text("save.done", lang).format(path=shown), OK_STYLE)

"""Glue the notebooks call: one library call per notebook step.

Relative paths given as notebook parameters (``actuals``, ``scenario_file``,
``compare``) are resolved against the project root, so a notebook runs the same
from JupyterLab (cwd = notebooks/), from papermill or from ``incubo report``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from incubo_analysis.paths import PARAMS_DIR, ROOT

__all__ = ["resolve", "load_scenario_files", "UncertaintyAnalysis", "uncertainty_analysis",
           "scenario_file_or_baseline", "report_inputs", "comparison_set", "is_example_actuals",
           "markdown_text", "actuals_note", "indicators_section", "processing_time_section",
           "processing_time_chart", "processing_reduction_section", "crosscheck_section"]

#: The uncertainty block used when a scenario has none (params/uncertainty.yaml).
DEFAULT_UNCERTAINTY_FILE = PARAMS_DIR / "uncertainty.yaml"


def resolve(path: str | os.PathLike[str]) -> Path:
    """An input path: absolute as given, else relative to the project root.

    Examples
    --------
    >>> resolve("params/baseline.yaml").name
    'baseline.yaml'
    """
    p = Path(path).expanduser()
    return p if p.is_absolute() else ROOT / p


def load_scenario_files(names: Iterable[str]) -> list:
    """Load parameter files by name (``"baseline.yaml"``: in params/) or path.

    Raises
    ------
    ParameterError
        When a file is invalid (the message names the file and the key).
    """
    from incubo_analysis.model.params import load_scenario

    out = []
    for name in names:
        p = Path(name)
        path = resolve(p) if (len(p.parts) > 1 or p.is_absolute()) else PARAMS_DIR / p
        out.append(load_scenario(path))
    return out


def scenario_file_or_baseline(path: str | os.PathLike[str] | None):
    """The scenario of a parameter file, or the contract baseline when ``path`` is None/empty."""
    from incubo_analysis.model.params import baseline, load_scenario

    return load_scenario(resolve(path)) if path else baseline()


def report_inputs(*, year: int, actuals: str | os.PathLike[str], scenario_file: str | os.PathLike[str] | None,
                  threshold: float = 0.10, green: float = 0.95, amber: float = 0.75, lang: str = "fr",
                  ds_exports: Iterable[str | os.PathLike[str]] = (), chorus: str | os.PathLike[str] | None = None,
                  chorus_mapping: str | os.PathLike[str] | None = None):
    """The validated inputs of the annual report, paths taken from the project root.

    The notebooks 04 and 05 call this, then :func:`~incubo_analysis.monitoring.annual.report_tables`,
    exactly as ``incubo report`` does: one calculation path for every figure. ``ds_exports``,
    ``chorus`` and ``chorus_mapping`` (empty: none) are the démarches-simplifiées exports, the
    Chorus extract and its mapping (``incubo report --ds-export … --chorus … --chorus-mapping …``).

    Returns
    -------
    ReportInputs
        See :func:`incubo_analysis.monitoring.annual.validate_report_inputs`.
    """
    from incubo_analysis.monitoring.annual import validate_report_inputs

    return validate_report_inputs(year=year, actuals=resolve(actuals),
                                  scenario=resolve(scenario_file) if scenario_file else None,
                                  threshold=threshold, green=green, amber=amber, lang=lang,
                                  ds_exports=[resolve(p) for p in ds_exports],
                                  chorus=resolve(chorus) if chorus else None,
                                  chorus_mapping=resolve(chorus_mapping) if chorus_mapping else None)


@dataclass(frozen=True)
class UncertaintyAnalysis:
    """Monte Carlo and one-at-a-time sensitivity of one scenario.

    Attributes
    ----------
    scenario : Scenario
        The scenario analysed (with the uncertainty block actually used).
    summary, savings, probabilities : DataFrame
        See :func:`incubo_analysis.model.uncertainty.monte_carlo`.
    tornado : DataFrame
        See :func:`incubo_analysis.model.uncertainty.tornado`.
    note : str
        Where the uncertainty block came from (French).
    """

    scenario: object
    summary: pd.DataFrame
    savings: pd.DataFrame
    probabilities: pd.DataFrame
    tornado: pd.DataFrame
    note: str

    def targets(self) -> dict[str, float]:
        """Targets (label → k€) to draw on the fan chart."""
        from incubo_analysis.labels import label

        return {label(f"target.{r.target}"): float(r.target_keur) for r in self.probabilities.itertuples()}


def uncertainty_analysis(scenario, *, draws: int = 20_000, seed: int = 2018,
                         lang: str = "fr") -> UncertaintyAnalysis:
    """Monte Carlo (``draws`` draws, ``seed``) and tornado of ``scenario``.

    A scenario without an ``uncertainty`` block gets the standard block of
    ``params/uncertainty.yaml`` (logged in ``note``), so that the chart always
    shows the plan's risk.

    Raises
    ------
    ParameterError
        ``draws`` is not a whole number in [1, ``uncertainty.max_draws(scenario)``]: the
        Monte Carlo memory budget (``MEMORY_BUDGET_MIB``) for the scenario's horizon.
    """
    from incubo_analysis.model.params import load_scenario
    from incubo_analysis.model.uncertainty import check_draws, monte_carlo, tornado

    check_draws(scenario, draws, name="draws (notebook parameter)")
    note = ""
    if not scenario.uncertainty:
        block = load_scenario(DEFAULT_UNCERTAINTY_FILE).uncertainty
        scenario = scenario.model_copy(update={"uncertainty": block})
        note = ("Scénario sans bloc « uncertainty » : les distributions de params/uncertainty.yaml "
                "sont appliquées." if lang == "fr" else
                "Scenario without an 'uncertainty' block: the distributions of params/uncertainty.yaml "
                "are applied.")
    mc = monte_carlo(scenario, draws, seed)
    return UncertaintyAnalysis(scenario, mc.summary, mc.savings, mc.probabilities, tornado(scenario), note)


def comparison_set(scenario, compare: Iterable[str]) -> list:
    """``scenario`` first, then the scenarios of the ``compare`` files (by name in params/).

    A file whose scenario has the same name as ``scenario`` is left out (it is
    the scenario itself), so names stay unique in the comparison.
    """
    others = [s for s in load_scenario_files(compare) if s.name != scenario.name]
    return [scenario, *others]


def is_example_actuals(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is the shipped (fictitious) example workbook: same file or same bytes."""
    from incubo_analysis.io import sha256_file
    from incubo_analysis.paths import EXAMPLE_ACTUALS

    p = resolve(path)
    try:
        if p.resolve() == EXAMPLE_ACTUALS.resolve():
            return True
        return p.is_file() and EXAMPLE_ACTUALS.is_file() and sha256_file(p) == sha256_file(EXAMPLE_ACTUALS)
    except OSError:
        return False


def markdown_text(value: object) -> str:
    """User text as inert markdown: every ASCII punctuation as a numeric character reference.

    A character reference never counts as markdown or HTML syntax (CommonMark), so no tag,
    link, emphasis, code span or table column can start from the text; control characters
    and line breaks become spaces.

    Examples
    --------
    >>> markdown_text("a_b*")
    'a&#95;b&#42;'
    """
    import re
    import string

    text = re.sub(r"[\x00-\x1f\x7f]+", " ", str(value))
    return "".join(f"&#{ord(c)};" if c in string.punctuation else c for c in text)


def actuals_note(actuals: str | os.PathLike[str], lang: str = "fr"):
    """The source line of the actuals (a markdown output): the file's name, "fictitious" only for the example.

    Returns
    -------
    IPython.display.Markdown
    """
    from IPython.display import Markdown

    from incubo_analysis.labels import label
    from incubo_analysis.paths import shown_path

    key = "note.actuals.example" if is_example_actuals(actuals) else "note.actuals"
    return Markdown(label(key, lang).format(path=markdown_text(shown_path(resolve(actuals)))))


# ----------------------------------------------------------------------------- real sources (notebook 05)


def _quarter_text(code: object, lang: str) -> str:
    """A quarter code (``2021T4``) as the charts write it (``2021-T4``, ``2021-Q4``)."""
    from incubo_analysis.labels import label

    year, quarter = str(code).split("T")
    return label("chart.quarterly.tick", lang).format(year=int(year), quarter=int(quarter))


def _sentence(key: str, lang: str, **fields: object):
    """A short sentence of the label table as a markdown output."""
    from IPython.display import Markdown

    from incubo_analysis.labels import label

    return Markdown(label(key, lang).format(**fields))


def indicators_section(annual: dict[str, pd.DataFrame], year: int, *, green: float, amber: float,
                       lang: str = "fr"):
    """The indicators against their targets; with exports, a note on the two indicators they feed.

    The note says that the processing-time indicator is computed from the exports (the value
    typed in the workbook beside it) and gives the distinct démarches with dossiers beside the
    démarches prototyped. Without exports, exactly the table of the report without sources.
    """
    from incubo_analysis.labels import format_value, label
    from incubo_analysis.outputs.tables import indicator_table, titled

    table = titled(indicator_table(annual["indicators"], year, lang=lang), "indicators", lang, note="note.rag",
                   year=year, green=green, amber=amber)
    computed = annual.get("processing_time_indicator")
    if computed is None:
        return table
    r = computed.iloc[0]
    typed = annual["indicators"]
    proto = typed.loc[(typed["indicator"] == "axis1_procedures_prototyped") & (typed["year"] == year), "actual"]
    share = lambda v: format_value(v, "share", lang, decimals=0)  # noqa: E731
    key = "ds.note.indicators" if not pd.isna(r["value"]) else "ds.note.indicators_no_reference"
    table.note += " " + label(key, lang).format(
        value=share(r["value"]), typed=share(r["typed_value"]), quarter=_quarter_text(r["quarter"], lang),
        prototyped=format_value(proto.iloc[0] if len(proto) else None, "number", lang, decimals=0),
        n=int(r["n_demarches"]))
    return table


def processing_time_section(annual: dict[str, pd.DataFrame], year: int, *, lang: str = "fr"):
    """The axis 1 processing-time indicator computed from the exports, or a sentence without exports."""
    from incubo_analysis.outputs.tables import processing_indicator_table, titled

    computed = annual.get("processing_time_indicator")
    if computed is None:
        return _sentence("ds.none", lang)
    note = "ds.note.indicator" if int(computed["n_references"].iloc[0]) else "ds.note.no_reference"
    return titled(processing_indicator_table(computed, lang), "processing_indicator", lang, note=note,
                  year=year, quarter=_quarter_text(computed["quarter"].iloc[0], lang))


def processing_time_chart(annual: dict[str, pd.DataFrame], inputs, *, lang: str = "fr"):
    """The chart of median processing times against each reference; None without exports."""
    if "processing_times" not in annual:
        return None
    from incubo_analysis.outputs.source_plots import plot_processing_times

    return plot_processing_times(annual["processing_times"], inputs.actuals.reference_delays, lang=lang)


def processing_reduction_section(annual: dict[str, pd.DataFrame], year: int, *, lang: str = "fr"):
    """Per démarche with a reference, the reduction of its processing time; None without exports."""
    reduction = annual.get("processing_time_reduction")
    if reduction is None or reduction.empty:
        return None
    from incubo_analysis.outputs.tables import processing_reduction_table, titled

    return titled(processing_reduction_table(reduction, lang), "processing_reduction", lang,
                  note="ds.note.reduction", year=year, start=_quarter_text(reduction["window_start"].iloc[0], lang),
                  end=_quarter_text(reduction["window_end"].iloc[0], lang))


def crosscheck_section(annual: dict[str, pd.DataFrame], year: int, *, lang: str = "fr"):
    """The FTAP credits of the workbook against Chorus, flagged differences highlighted; a sentence without."""
    from incubo_analysis.labels import label
    from incubo_analysis.outputs.tables import RAG_CELL_STYLES, Titled, crosscheck_table, titled

    cross = annual.get("credits_crosscheck")
    if cross is None:
        return _sentence("chorus.none", lang)
    n = int(cross["flagged"].sum())
    table = titled(crosscheck_table(cross, lang), "crosscheck", lang, year=str(year))
    note = label("chorus.note.flagged" if n else "chorus.note.none_flagged", lang).format(n=n)
    return Titled(table.frame, table.title, note, lang, styles={label("chorus.flag", lang): RAG_CELL_STYLES["red"]})

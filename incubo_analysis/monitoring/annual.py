"""The validated inputs of a report and the tables built from them: one calculation path.

:func:`validate_report_inputs` checks the contract, the scenario and the officer's
workbook before anything runs; :func:`report_tables` computes every table the reports
show (plan against actual, credits, indicators, reconciliation, metrics). ``incubo
report`` and the notebooks 04 and 05 both call these two functions, so the HTML, the
Excel annex, the CSV files and the notebooks can never compute a figure twice.

With démarches-simplifiées exports or a Chorus extract (``--ds-export``, ``--chorus``), the
inputs also hold the sources read (:class:`~incubo_analysis.monitoring.sources.Sources`) and
the tables gain those of :func:`~incubo_analysis.monitoring.sources.source_tables` up to the
year's fourth quarter; the processing-time indicator computed from the exports then replaces
the value typed in the workbook's sheet "Indicateurs" (which stays shown beside it).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from incubo_analysis.errors import InputError
from incubo_analysis.monitoring.sources import PROCESSING_TIME_INDICATOR, Sources, read_sources, source_tables
from incubo_analysis.monitoring.variance import rag_status
from incubo_analysis.paths import BASELINE_PARAMS, shown_path

__all__ = ["ReportInputs", "check_run_options", "validate_report_inputs", "report_tables"]


@dataclass(frozen=True)
class ReportInputs:
    """Validated inputs of one report run.

    Attributes
    ----------
    year : int
        Reporting year.
    actuals_path, scenario_path : Path
        The actuals workbook and the scenario parameter file (absolute).
    actuals : Actuals
        The validated workbook.
    scenario : Scenario
        The plan scenario.
    lang : {"fr", "en"}
    threshold : float
        Share 0–1 of the planned savings beyond which a gap needs an explanation.
    green, amber : float
        Minimal attainment (share 0–1 of the target) of a green / amber indicator.
    shown : Mapping
        ``actuals`` and ``scenario`` paths as shown to readers (relative to the project).
    sources : Sources
        The démarches-simplifiées exports and the Chorus extract read (empty when none given).
    """

    year: int
    actuals_path: Path
    scenario_path: Path
    actuals: Any
    scenario: Any
    lang: str = "fr"
    threshold: float = 0.10
    shown: Mapping[str, str] = field(default_factory=dict)
    green: float = 0.95
    amber: float = 0.75
    sources: Sources = field(default_factory=Sources)


def _refusal(key: str, **fields: object) -> InputError:
    """A located refusal in both languages (the command line prints the reader's)."""
    from incubo_analysis.labels import label

    texts = {lang: label(key, lang).format(**fields) for lang in ("fr", "en")}
    return InputError(texts["en"], texts=texts)


def check_run_options(*, lang: str, out: str | os.PathLike[str] | None, green: float, amber: float,
                      threshold: float = 0.10) -> None:
    """The options ``incubo report`` and ``incubo quarterly`` check before reading anything.

    Parameters
    ----------
    lang : {"fr", "en"}
    out : path, optional
        The output folder, if any: it must not be a file.
    green, amber, threshold : float
        Shares 0–1 of the indicator thresholds (``amber <= green``) and of the explanation threshold.

    Raises
    ------
    InputError
        Naming the option, in French and English.
    """
    if lang not in ("fr", "en"):
        raise _refusal("run.lang", value=repr(lang))
    if not (0 <= amber <= green <= 1) or not (0 <= threshold <= 1):
        raise _refusal("run.thresholds", threshold=repr(threshold), green=repr(green), amber=repr(amber))
    if out is not None and Path(out).exists() and not Path(out).is_dir():
        raise _refusal("run.out_file", out=out)


def validate_report_inputs(*, year: int, actuals: str | os.PathLike[str], scenario: str | os.PathLike[str] | None,
                           lang: str = "fr", out: str | os.PathLike[str] | None = None,
                           threshold: float = 0.10, green: float = 0.95,
                           amber: float = 0.75, ds_exports: Iterable[str | os.PathLike[str]] = (),
                           chorus: str | os.PathLike[str] | None = None,
                           chorus_mapping: str | os.PathLike[str] | None = None) -> ReportInputs:
    """Check every input of the report before anything is executed or written.

    Parameters
    ----------
    year : int
        Reporting year, within the scenario's horizon and reported in the workbook.
    actuals, scenario : path
        The officer's workbook; the plan scenario (None: ``params/baseline.yaml``).
        Relative paths are taken from the working folder.
    lang : {"fr", "en"}
    out : path, optional
        The output folder, if any (it must not be a file).
    threshold : float
        Share 0–1 of the planned savings beyond which a gap needs an explanation.
    green, amber : float
        Indicator status thresholds (shares 0–1 of the target), ``green >= amber``.
    ds_exports : iterable of path
        démarches-simplifiées exports (xlsx, csv, ods); none by default.
    chorus, chorus_mapping : path, optional
        A Chorus extract and how to read it (default ``params/chorus_mapping.yaml``).

    Raises
    ------
    InputError
        A located message: the scenario file and key, the workbook's sheet and cell,
        a year outside the scenario's horizon or with no savings reported, an output
        path that is a file, an export's file, row and column, the extract's line and column
        (:func:`~incubo_analysis.monitoring.sources.read_sources`, in ``lang``).
    """
    from incubo_analysis.contract.loaders import load_contract
    from incubo_analysis.model.params import load_scenario
    from incubo_analysis.monitoring.reader import read_actuals

    check_run_options(lang=lang, out=out, green=green, amber=amber, threshold=threshold)
    load_contract()  # raises SchemaError on a damaged transcription
    scenario_path = Path(scenario).resolve() if scenario else BASELINE_PARAMS
    scen = load_scenario(scenario_path)
    if not (scen.base_year < year <= scen.horizon_end):
        raise _refusal("run.year", year=year, first=scen.base_year + 1, last=scen.horizon_end,
                       scenario=shown_path(scenario_path))
    actuals_path = Path(actuals).resolve()
    act = read_actuals(actuals_path, scenario=scen, lang=lang)
    reported = sorted(int(y) for y in act.savings["year"].unique())
    if year not in reported:
        raise _refusal("run.year_unreported", file=shown_path(actuals_path), year=year,
                       have=", ".join(map(str, reported)) or "–")
    sources = read_sources(ds_exports=ds_exports, chorus=chorus, chorus_mapping=chorus_mapping, lang=lang)
    return ReportInputs(year, actuals_path, scenario_path, act, scen, lang, threshold,
                        {"actuals": shown_path(actuals_path), "scenario": shown_path(scenario_path)},
                        green, amber, sources)


def report_tables(inputs: ReportInputs) -> dict[str, pd.DataFrame]:
    """Every table of the annual report, from validated inputs (the one calculation path).

    ``incubo report`` writes them (CSV, Excel annex, summary) and the notebooks 04 and 05
    show them: both call this function.

    Returns
    -------
    dict
        ``savings_variance``, ``savings_cumulative``, ``savings_by_programme`` (observed
        where the ledger names a programme, the contract's thirds elsewhere),
        ``savings_by_evidence`` (documented budget savings, productivity gains and
        undocumented savings, each year and cumulated), ``credits_variance``,
        ``credits_quarterly``, ``indicators``, ``reconciliation``, ``metrics`` — each
        restricted to years up to the report year. With sources (``inputs.sources``), also
        the tables of :func:`~incubo_analysis.monitoring.sources.source_tables` up to the
        year's fourth quarter: ``processing_times``, ``processing_time_reduction`` and
        ``processing_time_indicator`` (with exports; the latter gains ``typed_value``, the
        value of the workbook's sheet "Indicateurs", ``attainment`` and ``status``, and its
        computed ``value``, when there is one, replaces the typed one in ``indicators``),
        ``credits_crosscheck`` (with an extract).
    """
    from incubo_analysis.contract.reconcile import reconcile_contract
    from incubo_analysis.model.appraisal import metrics
    from incubo_analysis.monitoring.variance import (
        credits_quarterly,
        credits_variance,
        indicator_status,
        savings_by_evidence,
        savings_by_programme,
        savings_variance,
        savings_variance_cumulative,
    )

    y = inputs.year

    def upto(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["year"] <= y].reset_index(drop=True)

    sv = upto(savings_variance(inputs.actuals, inputs.scenario, threshold=inputs.threshold))
    tables = {
        "savings_variance": sv,
        "savings_cumulative": upto(savings_variance_cumulative(sv)),
        "savings_by_programme": upto(savings_by_programme(sv)),
        "savings_by_evidence": upto(savings_by_evidence(sv)),
        "credits_variance": upto(credits_variance(inputs.actuals)),
        "credits_quarterly": upto(credits_quarterly(inputs.actuals)),
        "indicators": upto(indicator_status(inputs.actuals, green=inputs.green, amber=inputs.amber)),
        "reconciliation": reconcile_contract(),
        "metrics": metrics(inputs.scenario),
    }
    tables.update(source_tables(inputs.sources, inputs.actuals, as_of=pd.Period(year=y, quarter=4, freq="Q")))
    if "processing_time_indicator" in tables:
        tables["processing_time_indicator"], tables["indicators"] = _computed_indicator(
            tables["processing_time_indicator"], tables["indicators"], inputs)
    return tables


def _computed_indicator(computed: pd.DataFrame, status: pd.DataFrame,
                        inputs: ReportInputs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The indicator computed from the exports with the typed value and its status; the status table
    with the computed value in place of the typed one (the report year's row, when due and computed)."""
    typed = inputs.actuals.indicators
    typed = typed.loc[(typed["indicator"] == PROCESSING_TIME_INDICATOR) & (typed["year"] == inputs.year), "value"]
    value, target = float(computed["value"].iloc[0]), float(computed["target"].iloc[0])
    attainment = value / target if target and not math.isnan(value) else math.nan
    computed = computed.assign(typed_value=float(typed.iloc[0]) if len(typed) else math.nan,
                               attainment=attainment, status=_status_of(attainment, inputs))
    due = (status["indicator"] == PROCESSING_TIME_INDICATOR) & (status["year"] == inputs.year)
    if math.isnan(value) or not due.any():
        return computed, status
    status = status.copy()
    status.loc[due, "actual"] = value
    status.loc[due, "attainment"] = value / status.loc[due, "target"]
    status.loc[due, "status"] = [_status_of(float(a), inputs) for a in status.loc[due, "attainment"]]
    return computed, status


def _status_of(attainment: float, inputs: ReportInputs) -> str:
    """green / amber / red as :func:`~incubo_analysis.monitoring.variance.indicator_status`; "" when NaN."""
    if math.isnan(attainment):
        return ""
    return rag_status(attainment, green=inputs.green, amber=inputs.amber)

"""The validated inputs of a report and the tables built from them: one calculation path.

:func:`validate_report_inputs` checks the contract, the scenario and the officer's
workbook before anything runs; :func:`report_tables` computes every table the reports
show (plan against actual, credits, indicators, reconciliation, metrics). ``incubo
report`` and the notebooks 04 and 05 both call these two functions, so the HTML, the
Excel annex, the CSV files and the notebooks can never compute a figure twice.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from incubo_analysis.errors import InputError
from incubo_analysis.paths import BASELINE_PARAMS, shown_path

__all__ = ["ReportInputs", "validate_report_inputs", "report_tables"]


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


def validate_report_inputs(*, year: int, actuals: str | os.PathLike[str], scenario: str | os.PathLike[str] | None,
                           lang: str = "fr", out: str | os.PathLike[str] | None = None,
                           threshold: float = 0.10, green: float = 0.95,
                           amber: float = 0.75) -> ReportInputs:
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

    Raises
    ------
    InputError
        A located message: the scenario file and key, the workbook's sheet and cell,
        a year outside the scenario's horizon or with no savings reported, an output
        path that is a file.
    """
    from incubo_analysis.contract.loaders import load_contract
    from incubo_analysis.model.params import load_scenario
    from incubo_analysis.monitoring.reader import read_actuals

    if lang not in ("fr", "en"):
        raise InputError(f"--lang: expected fr or en, got {lang!r}")
    if not (0 <= amber <= green <= 1) or not (0 <= threshold <= 1):
        raise InputError(f"thresholds: expected shares 0-1 with amber <= green, got threshold={threshold!r}, "
                         f"green={green!r}, amber={amber!r}")
    if out is not None:
        out_path = Path(out)
        if out_path.exists() and not out_path.is_dir():
            raise InputError(f"--out {out}: exists and is not a folder")
    load_contract()  # raises SchemaError on a damaged transcription
    scenario_path = Path(scenario).resolve() if scenario else BASELINE_PARAMS
    scen = load_scenario(scenario_path)
    if not (scen.base_year < year <= scen.horizon_end):
        raise InputError(
            f"--year {year}: expected a year of the scenario's horizon with savings, "
            f"{scen.base_year + 1}–{scen.horizon_end} ({shown_path(scenario_path)})"
        )
    actuals_path = Path(actuals).resolve()
    act = read_actuals(actuals_path, scenario=scen)
    reported = sorted(int(y) for y in act.savings["year"].unique())
    if year not in reported:
        have = ", ".join(map(str, reported)) or "none"
        raise InputError(
            f"{shown_path(actuals_path)}: sheet 'savings' has no row for year {year} "
            f"(years reported: {have}); fill the year or choose --year among them"
        )
    return ReportInputs(year, actuals_path, scenario_path, act, scen, lang, threshold,
                        {"actuals": shown_path(actuals_path), "scenario": shown_path(scenario_path)},
                        green, amber)


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
        restricted to years up to the report year.
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
    return {
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

"""incubo-analysis: the analytical suite of the Incub-O FTAP transformation contract.

The public API lives at the package root, so that notebooks read like pandas code::

    import incubo_analysis as ia
    plan = ia.load_financing_plan()          # tidy, amount_keur in k€
    scenario = ia.load_scenario("params/baseline.yaml")
    ia.metrics(scenario)                     # NPV (k€), ROI (ratio), payback year...

Amounts are in k€, FTE in full-time equivalents, shares between 0 and 1.

The package follows the data flow, one sub-package per stage, each importing only
from the stages above it: ``contract`` (transcription, loaders, reconciliation) →
``model`` (scenario parameters, savings model, appraisal, uncertainty) →
``monitoring`` (the officer's workbook, plan against actual) → ``outputs`` (labels and
formats, charts, display tables, Excel annex, HTML report, explorer) → ``cli``.

Names are imported lazily (PEP 562): ``import incubo_analysis`` costs nothing, and a
name's module is imported the first time the name is used.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: Public name -> module that defines it (one source: ``__all__`` is built from it).
_API: dict[str, str] = {
    # contract: the transcribed tables and their reconciliation
    "load_contract": "contract.loaders",
    "load_financing_plan": "contract.loaders",
    "load_financing_totals": "contract.loaders",
    "load_savings_plan": "contract.loaders",
    "load_savings_table": "contract.loaders",
    "load_savings_totals": "contract.loaders",
    "load_indicator_targets": "contract.loaders",
    "load_text_figures": "contract.loaders",
    "load_milestones": "contract.loaders",
    "parse_quarter": "contract.schema",
    "quarter_code": "contract.schema",
    "reconcile_contract": "contract.reconcile",
    "condense_mismatches": "contract.reconcile",
    "checks_in_language": "contract.reconcile",
    # model: scenarios, savings, appraisal, uncertainty
    "Scenario": "model.params",
    "load_scenario": "model.params",
    "scenario_from_mapping": "model.params",
    "scenario_to_yaml": "model.params",
    "baseline": "model.params",
    "save_scenario": "model.params",
    "savings_by_lever": "model.savings",
    "annual_totals": "model.savings",
    "planned_savings": "model.savings",
    "cashflows": "model.appraisal",
    "present_value": "model.appraisal",
    "metrics": "model.appraisal",
    "switching_values": "model.appraisal",
    "npv_by_rate": "model.appraisal",
    "doctrine_readings": "model.appraisal",
    "horizon_cost_note": "model.appraisal",
    "monte_carlo": "model.uncertainty",
    "tornado": "model.uncertainty",
    # monitoring: the officer's workbook and plan against actual
    "Actuals": "monitoring.reader",
    "read_actuals": "monitoring.reader",
    "write_actuals_template": "monitoring.template",
    "savings_variance": "monitoring.variance",
    "savings_variance_cumulative": "monitoring.variance",
    "credits_variance": "monitoring.variance",
    "credits_quarterly": "monitoring.variance",
    "indicator_status": "monitoring.variance",
    "savings_by_programme": "monitoring.variance",
    "savings_by_evidence": "monitoring.variance",
    "classify_savings": "monitoring.variance",
    "ReportInputs": "monitoring.annual",
    "validate_report_inputs": "monitoring.annual",
    "report_tables": "monitoring.annual",
    "QuarterlyInputs": "monitoring.quarterly",
    "validate_quarterly_inputs": "monitoring.quarterly",
    "quarterly_tables": "monitoring.quarterly",
    "credits_to_date": "monitoring.quarterly",
    "envelope_consumption": "monitoring.quarterly",
    "tranche_status": "monitoring.quarterly",
    "risk_register": "monitoring.quarterly",
    "risk_counts": "monitoring.quarterly",
    "risk_matrix": "monitoring.quarterly",
    "top_risks": "monitoring.quarterly",
    "indicators_at_quarter": "monitoring.quarterly",
    "savings_to_date": "monitoring.quarterly",
    "milestones_at_quarter": "monitoring.quarterly",
    "measured_indicators": "monitoring.quarterly",
    "milestone_status": "monitoring.milestones",
    "milestone_status_by_quarter": "monitoring.milestones",
    "milestone_status_counts": "monitoring.milestones",
    "read_chorus_extract": "monitoring.chorus",
    "load_chorus_mapping": "monitoring.chorus",
    "credits_crosscheck": "monitoring.chorus",
    "read_ds_export": "monitoring.ds",
    "read_ds_exports": "monitoring.ds",
    "processing_times": "monitoring.ds",
    "processing_time_reduction": "monitoring.ds",
    "axis1_processing_time_reduction": "monitoring.ds",
    "count_demarches": "monitoring.ds",
    "Sources": "monitoring.sources",
    "read_sources": "monitoring.sources",
    "source_tables": "monitoring.sources",
    # outputs: charts (each returns its Axes)
    "plot_financing_by_axis": "outputs.plots",
    "plot_savings_by_lever": "outputs.plots",
    "plot_cumulative_payback": "outputs.plots",
    "plot_scenario_comparison": "outputs.plots",
    "plot_tornado": "outputs.plots",
    "plot_montecarlo_fan": "outputs.plots",
    "plot_savings_variance": "outputs.plots",
    "plot_variance_waterfall": "outputs.plots",
    "plot_credits_consumption": "outputs.plots",
    "plot_credits_quarterly": "outputs.plots",
    "plot_processing_times": "outputs.source_plots",
    "plot_indicator_progress": "outputs.plots",
    "plot_risk_matrix": "outputs.quarterly",
    "plot_credits_to_date": "outputs.quarterly",
    # outputs: the interactive scenario explorer (JupyterLab)
    "Explorer": "outputs.explorer",
    # outputs: labels and number formats
    "label": "labels",
    "format_value": "labels",
    # outputs: display tables (numbers formatted as text, as published)
    "cashflow_table": "outputs.tables",
    "credits_by_axis": "outputs.tables",
    "credits_quarterly_table": "outputs.tables",
    "financing_by_axis": "outputs.tables",
    "indicator_table": "outputs.tables",
    "processing_indicator_table": "outputs.tables",
    "processing_reduction_table": "outputs.tables",
    "crosscheck_table": "outputs.tables",
    "metrics_comparison": "outputs.tables",
    "missing_explanations": "outputs.tables",
    "montecarlo_probabilities": "outputs.tables",
    "montecarlo_summary": "outputs.tables",
    "programme_split_table": "outputs.tables",
    "reconciliation_counts": "outputs.tables",
    "reconciliation_mismatches": "outputs.tables",
    "savings_by_year": "outputs.tables",
    "savings_cumulative_table": "outputs.tables",
    "savings_evidence_table": "outputs.tables",
    "savings_explanations": "outputs.tables",
    "savings_variance_table": "outputs.tables",
    "scenario_parameters": "outputs.tables",
    "switching_values_table": "outputs.tables",
    "titled": "outputs.tables",
    "tornado_table": "outputs.tables",
    # outputs: the notebooks' glue (paths from the project root, report inputs)
    "actuals_note": "outputs.workflow",
    "comparison_set": "outputs.workflow",
    "report_inputs": "outputs.workflow",
    "quarterly_inputs": "outputs.quarterly",
    "quarterly_table": "outputs.quarterly",
    "uncertainty_analysis": "outputs.workflow",
    "indicators_section": "outputs.workflow",
    "processing_time_section": "outputs.workflow",
    "processing_time_chart": "outputs.workflow",
    "processing_reduction_section": "outputs.workflow",
    "crosscheck_section": "outputs.workflow",
    # errors
    "InputError": "errors",
    "SchemaError": "errors",
    "ParameterError": "errors",
    "ActualsError": "errors",
    "DsExportError": "errors",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use (PEP 562)."""
    try:
        module = _API[name]
    except KeyError:
        raise AttributeError(f"module 'incubo_analysis' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"incubo_analysis.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})

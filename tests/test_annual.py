"""One calculation path: the report's validated inputs and tables (monitoring.annual).

Expected figures come from the contract (§ 3 savings table: 228 / 684 / 1 140 / 1 824 k€,
32 FTE at 57 k€) and from the figures typed into the example workbook (its README:
realised 228 / 524.4 / 1 051.3 k€), never from the code's output.
"""

from __future__ import annotations

import papermill as pm
import pytest

from incubo_analysis.errors import InputError
from incubo_analysis.monitoring.annual import report_tables, validate_report_inputs
from incubo_analysis.monitoring.template import write_actuals_template
from incubo_analysis.outputs import report as R
from incubo_analysis.outputs import workflow
from incubo_analysis.paths import EXAMPLE_ACTUALS, NOTEBOOKS_DIR, PARAMS_DIR
from tests.helpers import add_savings_rows

TABLES = {"savings_variance", "savings_cumulative", "savings_by_programme", "savings_by_evidence",
          "credits_variance", "credits_quarterly", "indicators", "reconciliation", "metrics"}


@pytest.fixture(scope="module")
def example_2021():
    return report_tables(validate_report_inputs(year=2021, actuals=EXAMPLE_ACTUALS, scenario=None))


def test_every_table_is_built(example_2021):
    assert set(example_2021) == TABLES


def test_planned_and_realised_savings_of_the_example(example_2021):
    sv = example_2021["savings_variance"]
    planned = sv.groupby("year")["planned_keur"].sum()
    realised = sv.groupby("year")["actual_keur"].sum()
    assert planned.to_dict() == pytest.approx({2019: 228.0, 2020: 684.0, 2021: 1140.0}, abs=0.01)
    assert realised.to_dict() == pytest.approx({2019: 228.0, 2020: 524.4, 2021: 1051.3}, abs=0.05)


def test_evidence_and_programme_splits_add_up_to_the_realised_savings(example_2021):
    """Each year's classes (documented budget, productivity, undocumented) and programmes (observed or
    thirds) add up to the realised total typed in the example: 228 / 524.4 / 1 051.3 k€."""
    realised = {2019: 228.0, 2020: 524.4, 2021: 1051.3}
    evidence = example_2021["savings_by_evidence"]
    assert set(evidence["saving_class"]) == {"documented_budget", "productivity", "undocumented"}
    assert evidence.groupby("year")["actual_keur"].sum().to_dict() == pytest.approx(realised, abs=0.05)
    # cumulated to 2021: 228 + 524.4 + 1 051.25 (printed 1 051.3) = 1 803.65
    assert evidence.loc[evidence["year"] == 2021, "cum_actual_keur"].sum() == pytest.approx(1803.65)
    programmes = example_2021["savings_by_programme"]
    assert programmes.groupby("year")["actual_keur"].sum().to_dict() == pytest.approx(realised, abs=0.05)
    assert set(programmes["basis"]) <= {"observed", "indicative_thirds"}


def test_tables_stop_at_the_report_year():
    t = report_tables(validate_report_inputs(year=2020, actuals=EXAMPLE_ACTUALS, scenario=None))
    for name in TABLES - {"reconciliation", "metrics"}:
        assert t[name]["year"].max() <= 2020, name
    assert t["savings_variance"]["planned_keur"].sum() == pytest.approx(228 + 684, abs=0.01)


def test_notebook_glue_resolves_paths_from_the_project_root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    inputs = workflow.report_inputs(year=2021, actuals="data/raw/actuals/example_actuals.xlsx",
                                    scenario_file="params/baseline.yaml")
    assert inputs.actuals_path == EXAMPLE_ACTUALS.resolve()
    assert inputs.shown == {"actuals": "data/raw/actuals/example_actuals.xlsx", "scenario": "params/baseline.yaml"}


@pytest.mark.parametrize("kw", [{"green": 0.7, "amber": 0.8}, {"threshold": 1.5}, {"amber": -0.1}])
def test_inconsistent_thresholds_are_refused(kw):
    with pytest.raises(InputError, match="thresholds"):
        validate_report_inputs(year=2021, actuals=EXAMPLE_ACTUALS, scenario=None, **kw)


def test_status_thresholds_reach_the_indicator_table():
    """Every indicator with a ratio is green at green=amber=0 (attainment is never negative)."""
    t = report_tables(validate_report_inputs(year=2021, actuals=EXAMPLE_ACTUALS, scenario=None,
                                             green=0.0, amber=0.0))
    reported = t["indicators"].dropna(subset=["attainment"])
    assert len(reported) > 0 and set(reported["status"]) == {"green"}


@pytest.fixture
def workbook_2024(tmp_path):
    """A workbook reporting 20 FTE of dematerialisation in 2024 (past the contract's 2022)."""
    template = write_actuals_template(tmp_path / "template.xlsx", lang="en")
    return add_savings_rows(template, tmp_path / "a.xlsx", "Savings", [("dematerialisation", 2024, 20.0)])


def test_a_year_after_the_contract_with_a_longer_horizon(workbook_2024):
    """horizon_2026 holds the 2022 run rate: 20 FTE × 57 k€ = 1 140 k€ planned in 2024."""
    inputs = validate_report_inputs(year=2024, actuals=workbook_2024,
                                    scenario=PARAMS_DIR / "horizon_2026.yaml")
    sv = report_tables(inputs)["savings_variance"]
    demat = sv[(sv["lever"] == "dematerialisation") & (sv["year"] == 2024)].iloc[0]
    assert demat["planned_keur"] == pytest.approx(20 * 57.0)
    assert demat["actual_keur"] == pytest.approx(20 * 57.0)
    assert set(sv[sv["year"] == 2024]["lever"]) == {"dematerialisation"}  # only the reported lever-years


def test_notebook_05_runs_with_the_report_parameters_of_a_longer_horizon(workbook_2024, tmp_path):
    """Regression: 05 had no scenario parameter and refused the 2024 row inside ``incubo report``."""
    inputs = validate_report_inputs(year=2024, actuals=workbook_2024,
                                    scenario=PARAMS_DIR / "horizon_2026.yaml")
    params = R.notebook_parameters(inputs)["05_credits_and_indicators.ipynb"]
    assert params["scenario_file"] == "params/horizon_2026.yaml"
    nb = pm.execute_notebook(str(NOTEBOOKS_DIR / "05_credits_and_indicators.ipynb"), str(tmp_path / "o.ipynb"),
                             parameters=params, kernel_name="python3", progress_bar=False)
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))

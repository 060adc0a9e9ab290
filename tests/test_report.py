"""`incubo report`: input validation (exit 2, nothing written), the report folder, determinism,
atomic replacement, and key figures checked against the workbook read independently."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from incubo_analysis.cli.main import main
from incubo_analysis.io import atomic_output_dir
from incubo_analysis.monitoring.annual import validate_report_inputs
from incubo_analysis.outputs import notebook_runs as NR
from incubo_analysis.outputs import report as R
from incubo_analysis.paths import EXAMPLE_ACTUALS, ROOT
from tests.helpers import add_savings_rows

YEAR = 2021


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "incubo_analysis", "report", *args],
                          capture_output=True, text=True, cwd=ROOT)


# --- bad input: exit 2, a located one-line message, DIR untouched ----------------------------


def test_year_outside_horizon(tmp_path):
    out = tmp_path / "r"
    proc = _cli("--year", "2030", "--actuals", str(EXAMPLE_ACTUALS), "--out", str(out))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "--year 2030" in proc.stderr and "2019–2022" in proc.stderr
    assert not out.exists()


def test_year_without_reported_savings(tmp_path):
    out = tmp_path / "r"
    assert main(["report", "--year", "2022", "--actuals", str(EXAMPLE_ACTUALS), "--out", str(out)]) == 2
    assert not out.exists()


def test_bad_scenario_key_names_the_key(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("realisation_rate: 1.5\n", encoding="utf-8")
    out = tmp_path / "r"
    out.mkdir()
    (out / "keep.txt").write_text("previous report", encoding="utf-8")
    assert main(["report", "--year", "2021", "--actuals", str(EXAMPLE_ACTUALS), "--scenario", str(bad),
                 "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "realisation_rate" in err
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]  # untouched


def test_unreadable_actuals(tmp_path, capsys):
    fake = tmp_path / "actuals.xlsx"
    fake.write_text("lever;year\n", encoding="utf-8")
    assert main(["report", "--year", "2021", "--actuals", str(fake), "--out", str(tmp_path / "r")]) == 2
    assert "actuals.xlsx" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_out_is_a_file(tmp_path, capsys):
    f = tmp_path / "file"
    f.write_text("x", encoding="utf-8")
    assert main(["report", "--year", "2021", "--actuals", str(EXAMPLE_ACTUALS), "--out", str(f)]) == 2
    assert f"--out {f} : existe et n'est pas un dossier" in capsys.readouterr().err
    assert main(["report", "--year", "2021", "--actuals", str(EXAMPLE_ACTUALS), "--lang", "en", "--out", str(f)]) == 2
    assert f"--out {f}: exists and is not a folder" in capsys.readouterr().err


@pytest.mark.parametrize(("year", "fr", "en"), [
    # the baseline's horizon is 2018 < year <= 2022; the example workbook reports 2019-2021
    ("2030", "--year 2030 : une année de l'horizon du scénario avec des économies est attendue, 2019–2022",
     "--year 2030: expected a year of the scenario's horizon with savings, 2019–2022"),
    ("2022", "n'a aucune ligne pour l'année 2022 (années déclarées : 2019, 2020, 2021)",
     "sheet 'savings' has no row for year 2022 (years reported: 2019, 2020, 2021)"),
])
def test_year_refusals_in_the_readers_language(tmp_path, capsys, year, fr, en):
    args = ["report", "--year", year, "--actuals", str(EXAMPLE_ACTUALS), "--out", str(tmp_path / "r")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert fr in err and "expected" not in err
    assert main([*args, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert en in err and "attendue" not in err
    assert not (tmp_path / "r").exists()


def test_failure_during_the_run_leaves_dir_untouched(tmp_path, monkeypatch):
    out = tmp_path / "r"
    with atomic_output_dir(out) as tmp:  # a previous report (incubo's own folder)
        (tmp / "keep.txt").write_text("previous report", encoding="utf-8")

    def boom(*args, **kwargs):
        raise RuntimeError("kernel died")

    monkeypatch.setattr(R, "run_notebooks", boom)
    inputs = validate_report_inputs(year=YEAR, actuals=EXAMPLE_ACTUALS, scenario=None)
    with pytest.raises(RuntimeError):
        R.build_report(inputs, out)
    assert sorted(p.name for p in out.iterdir()) == [".incubo-output", "keep.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".r.lock", "r"]  # no temporary folder left behind


# --- the report itself -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> tuple[Path, Path]:
    """One real ``incubo report`` run (``first``), and a second run into an existing folder.

    The second run recomputes everything this process writes (CSV tables, Excel annex, HTML)
    and replaces the folder, but takes the first run's executed notebooks instead of starting
    five more kernels: only its tables are compared (determinism), and the notebooks' own
    outputs are held to their committed values by strict nbval.
    """
    base = tmp_path_factory.mktemp("reports")
    first, second = base / "first", base / "second"
    with atomic_output_dir(second, command="incubo report") as tmp:  # an older report
        (tmp / "stale.txt").write_text("an older report", encoding="utf-8")
    args = ["report", "--year", str(YEAR), "--actuals", str(EXAMPLE_ACTUALS), "--out"]
    cwd = os.getcwd()
    assert main([*args, str(first)]) == 0
    # regression: papermill's cwd= chdir'ed the whole process from two threads at once
    assert os.getcwd() == cwd

    def first_run_notebooks(names, params, dest, progress, **kwargs):
        dest.mkdir(parents=True, exist_ok=True)
        for name in names:
            shutil.copyfile(first / "notebooks" / name, dest / name)
        return {name: dest / name for name in names}

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(R, "run_notebooks", first_run_notebooks)
        assert main([*args, str(second)]) == 0
    return first, second


@pytest.mark.slow
def test_report_folder_contents(reports):
    first, second = reports
    names = sorted(p.name for p in first.iterdir())
    assert names == [".incubo-output", "credits_variance.csv", "incubo_report_2021.html", "incubo_report_2021.xlsx",
                     "indicators_status.csv", "notebooks", "savings_variance.csv"]
    assert sorted(p.name for p in (first / "notebooks").iterdir()) == list(R.REPORT_NOTEBOOKS)
    # without --ds-export / --chorus: no source sheet in the annex (nor CSV file, above)
    assert not {"Délais de traitement", "Contrôle Chorus"} & set(openpyxl.load_workbook(
        first / "incubo_report_2021.xlsx", read_only=True).sheetnames)
    assert not (second / "stale.txt").exists()  # an existing DIR is replaced on success


@pytest.mark.slow
def test_csv_columns(reports):
    first, _ = reports
    sv = pd.read_csv(first / "savings_variance.csv")
    assert list(sv.columns)[:11] == ["lever", "year", "planned_etp", "actual_etp", "planned_keur", "actual_keur",
                                     "variance_keur", "variance_pct", "volume_effect_keur", "price_effect_keur",
                                     "explanation"]
    cv = pd.read_csv(first / "credits_variance.csv")
    assert {"axis", "title", "source", "year", "credit", "planned_keur", "actual_keur", "variance_keur",
            "consumption_rate", "share_of_budget"} <= set(cv.columns)
    ind = pd.read_csv(first / "indicators_status.csv")
    assert list(ind.columns) == ["indicator", "year", "target", "actual", "attainment", "status"]
    assert sv["year"].max() == YEAR and cv["year"].max() <= YEAR


@pytest.mark.slow
def test_two_runs_are_identical(reports):
    first, second = reports
    for name in ("savings_variance.csv", "credits_variance.csv", "indicators_status.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    a = openpyxl.load_workbook(first / "incubo_report_2021.xlsx")
    b = openpyxl.load_workbook(second / "incubo_report_2021.xlsx")
    assert a.sheetnames == b.sheetnames
    for ws in a.worksheets:
        assert [[c.value for c in row] for row in ws.iter_rows()] == \
            [[c.value for c in row] for row in b[ws.title].iter_rows()], ws.title


@pytest.mark.slow
def test_no_absolute_paths_or_timestamps_in_tables(reports):
    first, _ = reports
    for name in ("savings_variance.csv", "credits_variance.csv", "indicators_status.csv"):
        text = (first / name).read_text(encoding="utf-8")
        assert str(ROOT) not in text and "/tmp" not in text
    prov = openpyxl.load_workbook(first / "incubo_report_2021.xlsx")["Provenance"]
    values = " ".join(str(c.value) for row in prov.iter_rows() for c in row if c.value is not None)
    assert "SHA-256" in values and str(ROOT) not in values  # "Empreinte SHA-256 : FILE"


@pytest.mark.slow
def test_html_has_no_code_and_the_key_sections(reports):
    first, _ = reports
    html = (first / "incubo_report_2021.html").read_text(encoding="utf-8")
    assert "rapport annuel des économies 2021" in html
    assert "from incubo_analysis import" not in html  # code cells excluded
    assert "Provenance" in html and "sha256" in html
    assert html.count("data:image/png;base64") >= 10  # the charts are embedded
    assert f'<meta content="{R.REPORT_CSP}" http-equiv="Content-Security-Policy"/>' in html
    assert "<script" not in html and "cdnjs" not in html  # no script, nothing fetched: renders offline


def _example_savings_by_hand(year: int) -> tuple[float, float]:
    """Realised and planned savings of ``year``, read from the workbook cells with openpyxl.

    Realised: sum of etp_freed × (unit_cost_keur, or the plan's 57 k€ when blank).
    Planned: the contract's 1 824 k€ run rate × the year's phasing (12.5/37.5/62.5 %).
    """
    ws = openpyxl.load_workbook(EXAMPLE_ACTUALS, data_only=True)["Économies"]  # the example is in French
    header = [str(c.value).strip() for c in ws[1]]
    french = {"lever": "Levier", "year": "Année", "etp_freed": "ETP libérés",
              "unit_cost_keur": "Coût unitaire (k€/ETP)"}
    col = {name: header.index(heading) for name, heading in french.items()}
    realised = 0.0
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[col["year"]] == year and row[col["etp_freed"]] is not None:
            cost = row[col["unit_cost_keur"]] if row[col["unit_cost_keur"]] is not None else 57.0
            realised += row[col["etp_freed"]] * cost
    planned = 32 * 57 * {2019: 0.125, 2020: 0.375, 2021: 0.625}[year]
    return realised, planned


@pytest.mark.slow
def test_summary_figures_match_the_workbook(reports):
    first, _ = reports
    realised, planned = _example_savings_by_hand(YEAR)
    sv = pd.read_csv(first / "savings_variance.csv")
    year_rows = sv[sv["year"] == YEAR]
    assert year_rows["planned_keur"].sum() == pytest.approx(planned)  # 1 140 k€
    assert year_rows["actual_keur"].sum() == pytest.approx(realised)
    ws = openpyxl.load_workbook(first / "incubo_report_2021.xlsx", data_only=True).worksheets[0]
    cells = [c.value for row in ws.iter_rows() for c in row]
    assert any(isinstance(v, float) and abs(v - realised) < 1e-6 for v in cells)
    assert any(isinstance(v, (int, float)) and abs(v - planned) < 1e-6 for v in cells)


def test_a_kernel_that_fails_to_start_is_retried_once(tmp_path, monkeypatch):
    import nbformat

    calls = []

    def flaky(name, parameters, out):
        calls.append(name)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return nbformat.v4.new_notebook()

    monkeypatch.setattr(NR, "papermill_run", flaky)
    out = NR.run_notebook("01_financing_plan.ipynb", {}, tmp_path)
    assert calls == ["01_financing_plan.ipynb"] * 2 and out.exists()


def test_a_failing_cell_is_not_retried(tmp_path, monkeypatch):
    import papermill as pm

    calls = []

    def failing(name, parameters, out):
        calls.append(name)
        raise pm.PapermillExecutionError(3, 4, "boom", "ValueError", "bad value", [])

    monkeypatch.setattr(NR, "papermill_run", failing)
    with pytest.raises(RuntimeError, match="failed in cell 4: ValueError: bad value"):
        NR.run_notebook("02_savings_model.ipynb", {}, tmp_path)
    assert calls == ["02_savings_model.ipynb"]


def test_check_actuals_with_a_longer_horizon_scenario(tmp_path, capsys):
    """Years after 2022 are refused against the contract but accepted with a 2026 horizon."""
    from incubo_analysis.monitoring.template import write_actuals_template
    from incubo_analysis.paths import PARAMS_DIR

    template = write_actuals_template(tmp_path / "template.xlsx", lang="en")
    wb_path = add_savings_rows(template, tmp_path / "a.xlsx", "Savings", [("dematerialisation", 2024, 20.0)])
    assert main(["check", "--actuals", str(wb_path)]) == 2
    assert "2024" in capsys.readouterr().err
    assert main(["check", "--actuals", str(wb_path), "--scenario", str(PARAMS_DIR / "horizon_2026.yaml")]) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("horizon: 2026\n", encoding="utf-8")
    assert main(["check", "--actuals", str(wb_path), "--scenario", str(bad)]) == 2
    assert "horizon" in capsys.readouterr().err

"""The notebooks: structure rules, declared parameters, papermill runs with every params file,
and proof that strict nbval really compares the stored outputs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill as pm
import pytest
import yaml

from incubo_analysis.outputs.labels import label
from incubo_analysis.paths import NOTEBOOKS_DIR, PARAMS_DIR, ROOT

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
PARAM_FILES = sorted(PARAMS_DIR.glob("*.yaml"))
SCENARIO_NOTEBOOKS = ["02_savings_model.ipynb", "03_scenarios.ipynb"]


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_the_six_notebooks_exist():
    names = {p.name for p in NOTEBOOKS}
    assert {"00_explorer.ipynb", "01_financing_plan.ipynb", "02_savings_model.ipynb", "03_scenarios.ipynb",
            "04_savings_variance.ipynb", "05_credits_and_indicators.ipynb"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_structure(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), "markdown title first"
    code = _code_cells(nb)
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    assert code[0] is tagged[0], "the parameters cell is the first code cell"
    for line in tagged[0].source.splitlines():
        if line.strip():
            assert re.match(r'^\w+(: [\w\[\],"]+)? = .+  # .+', line), f"annotated literal with comment: {line}"
    for cell in code:
        src = cell.source
        assert not re.search(r"^\s*(def|class) ", src, re.M), "no def/class in notebooks"
        if cell is not tagged[0]:
            assert len(src.splitlines()) <= 10, f"cell longer than 10 lines: {src[:60]}"
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_executed_and_deterministic(path):
    """nbval strict skips cells with no stored execution count: every code cell must have one."""
    nb = nbformat.read(path, as_version=4)
    code = _code_cells(nb)
    assert all(c.get("execution_count") for c in code), "a code cell has no stored execution count"
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    text = nbformat.writes(nb)
    assert str(ROOT) not in text and "/tmp/" not in text and "/home/" not in text, "absolute path stored"
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text), "timestamp stored"
    assert "papermill" not in nb.metadata
    for cell in code:
        for out in cell.get("outputs", []):
            assert out.output_type != "error", f"stored error in {cell.source[:40]}"


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name != "00_explorer.ipynb"], ids=lambda p: p.name)
def test_every_chart_cell_shows_its_figure(path):
    """Regression: figures after the first one silently vanished (rc_context reset interactive mode)."""
    nb = nbformat.read(path, as_version=4)
    for cell in _code_cells(nb):
        if "plots.plot_" in cell.source:
            kinds = [k for o in cell.outputs for k in o.get("data", {})]
            assert "image/png" in kinds, f"no figure stored for: {cell.source}"


def test_params_files_keys_are_declared_notebook_parameters():
    declared = {name: set(pm.inspect_notebook(str(NOTEBOOKS_DIR / name))) for name in SCENARIO_NOTEBOOKS}
    assert PARAM_FILES, "params/ is empty"
    for path in PARAM_FILES:
        keys = set(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        for name, params in declared.items():
            assert keys <= params, f"{path.name}: keys {sorted(keys - params)} not declared in {name}"


def test_parameters_are_documented_for_help_notebook():
    params = pm.inspect_notebook(str(NOTEBOOKS_DIR / "02_savings_model.ipynb"))
    assert params["unit_cost_keur"]["help"] and params["unit_cost_keur"]["inferred_type_name"] == "float"


def _run(nb_name: str, out: Path, **kw) -> nbformat.NotebookNode:
    return pm.execute_notebook(str(NOTEBOOKS_DIR / nb_name), str(out), kernel_name="python3",
                               progress_bar=False, cwd=str(NOTEBOOKS_DIR), **kw)


def _outputs_text(nb) -> str:
    parts = []
    for cell in _code_cells(nb):
        for out in cell.get("outputs", []):
            parts.append(out.get("text", "") + out.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


@pytest.mark.slow
@pytest.mark.parametrize("nb_name", SCENARIO_NOTEBOOKS)
@pytest.mark.parametrize("params_file", PARAM_FILES, ids=lambda p: p.name)
def test_papermill_runs_every_params_file(nb_name, params_file, tmp_path):
    """`papermill NB out.ipynb -f params/FILE.yaml` works unchanged for every shipped file."""
    parameters = yaml.safe_load(params_file.read_text(encoding="utf-8")) or {}
    nb = _run(nb_name, tmp_path / "out.ipynb", parameters=parameters)
    name = parameters.get("name", "baseline")
    assert label(name) in _outputs_text(nb)  # the scenario's name (translated for the baseline) is shown


@pytest.mark.slow
def test_realisation_75_shows_hand_computed_total(tmp_path):
    # 75 % of the contract's 228 + 684 + 1 140 + 1 824 = 3 876 k€ is 2 907 k€
    parameters = yaml.safe_load((PARAMS_DIR / "realisation_75.yaml").read_text(encoding="utf-8"))
    nb = _run("02_savings_model.ipynb", tmp_path / "out.ipynb", parameters=parameters)
    assert "2\u202f907,0\u00a0k€" in _outputs_text(nb)


@pytest.mark.slow
def test_report_notebooks_accept_another_year_and_english(tmp_path):
    nb = _run("04_savings_variance.ipynb", tmp_path / "o.ipynb", parameters={"year": 2020, "lang": "en"})
    table = [c for c in _code_cells(nb) if c.source.startswith("tables.savings_variance_table")][0]
    plain = table.outputs[0]["data"]["text/plain"]
    assert "2020" in plain and "2021" not in plain  # the 2020 report shows years up to 2020
    assert "Dématérialisation" not in _outputs_text(nb)  # English labels
    nb = _run("05_credits_and_indicators.ipynb", tmp_path / "p.ipynb", parameters={"year": 2020, "lang": "en"})
    ind = [c for c in _code_cells(nb) if c.source.startswith("tables.indicator_table")][0]
    plain = ind.outputs[0]["data"]["text/plain"]
    assert "green" in plain and "vert" not in plain and "2021" not in plain


def _nbval(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "-p", "no:cacheprovider", "-q",
         "--nbval-sanitize-with", str(ROOT / "nbval_sanitize.cfg"), "--rootdir", str(path.parent), str(path)],
        capture_output=True, text=True, cwd=path.parent,
    )


@pytest.mark.slow
def test_nbval_fails_when_a_stored_number_is_altered(tmp_path):
    """Proof that strict nbval compares something: one stored figure changed → nbval fails."""
    src = NOTEBOOKS_DIR / "02_savings_model.ipynb"
    good = tmp_path / "good.ipynb"
    shutil.copy(src, good)
    control = _nbval(good)
    assert control.returncode == 0, control.stdout[-2000:]

    nb = nbformat.read(src, as_version=4)
    altered = False
    for cell in _code_cells(nb):
        for out in cell.get("outputs", []):
            plain = out.get("data", {}).get("text/plain", "")
            if not altered and "1\u202f824,0" in plain:
                out["data"]["text/plain"] = plain.replace("1\u202f824,0", "1\u202f825,0", 1)
                altered = True
    assert altered, "the run-rate 1 824,0 k€ is not in any stored text output"
    bad = tmp_path / "bad.ipynb"
    nbformat.write(nb, bad)
    result = _nbval(bad)
    assert result.returncode == 1, result.stdout[-2000:]
    assert "1\u202f825,0" in result.stdout or "differ" in result.stdout

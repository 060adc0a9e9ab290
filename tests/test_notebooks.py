"""The notebooks: structure rules, declared parameters, papermill runs with every params file,
and proof that strict nbval really compares the stored outputs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import papermill as pm
import pytest
import yaml

from incubo_analysis.labels import label
from incubo_analysis.paths import NOTEBOOKS_DIR, PARAMS_DIR, ROOT, scenario_files

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
PARAM_FILES = scenario_files()
SCENARIO_NOTEBOOKS = ["02_savings_model.ipynb", "03_scenarios.ipynb"]


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_the_six_notebooks_exist():
    names = {p.name for p in NOTEBOOKS}
    assert {"00_explorer.ipynb", "01_financing_plan.ipynb", "02_savings_model.ipynb", "03_scenarios.ipynb",
            "04_savings_variance.ipynb", "05_credits_and_indicators.ipynb", "06_quarterly_monitoring.ipynb"} <= names


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
    chart_cells = [cell for cell in _code_cells(nb) if "ia.plot_" in cell.source]
    assert chart_cells, "every report notebook draws at least one chart"  # the check below must bite
    for cell in chart_cells:
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


# Run before every notebook in the shared kernel: what a fresh kernel would not have is
# dropped (the user namespace, open figures, the package's modules and their caches).
_RESET = """\
%reset -f
import os, sys
import matplotlib.pyplot as plt
plt.close("all")
for _m in [m for m in sys.modules if m == "incubo_analysis" or m.startswith("incubo_analysis.")]:
    del sys.modules[_m]
os.chdir(NOTEBOOKS_DIR)
%reset -f
"""


@pytest.fixture(scope="module")
def notebook_kernel():
    """One kernel for this module's papermill runs: ``run(nb_name, out, **kw)`` executes a notebook in it.

    A kernel start with its imports costs 2-3 s; the 17 runs here share one, reset before
    each run (namespace, figures, re-imported package), so each run sees a fresh state.
    """
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    km = AsyncKernelManager(kernel_name="python3")
    code = _RESET.replace("NOTEBOOKS_DIR", repr(str(NOTEBOOKS_DIR)))

    async def reset() -> None:
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
            reply = await kc.execute_interactive(code, timeout=60, output_hook=lambda msg: None)
        finally:
            kc.stop_channels()
        assert reply["content"]["status"] == "ok", reply["content"]

    def run(nb_name: str, out: Path, **kw) -> nbformat.NotebookNode:
        if km.has_kernel:  # the first run starts it
            run_sync(reset)()
        return pm.execute_notebook(str(NOTEBOOKS_DIR / nb_name), str(out), kernel_name="python3",
                                   progress_bar=False, cwd=str(NOTEBOOKS_DIR), km=km, **kw)

    yield run
    if km.has_kernel:
        run_sync(km.shutdown_kernel)(now=True)


def _outputs_text(nb) -> str:
    parts = []
    for cell in _code_cells(nb):
        for out in cell.get("outputs", []):
            parts.append(out.get("text", "") + out.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


@pytest.mark.slow
@pytest.mark.parametrize("nb_name", SCENARIO_NOTEBOOKS)
@pytest.mark.parametrize("params_file", PARAM_FILES, ids=lambda p: p.name)
def test_papermill_runs_every_params_file(nb_name, params_file, tmp_path, notebook_kernel):
    """`papermill NB out.ipynb -f params/FILE.yaml` works unchanged for every shipped file."""
    parameters = yaml.safe_load(params_file.read_text(encoding="utf-8")) or {}
    run_with = dict(parameters)
    if nb_name == "03_scenarios.ipynb":
        run_with.setdefault("draws", 2_000)  # the file's keys are what is tested; fewer Monte Carlo draws
    nb = notebook_kernel(nb_name, tmp_path / "out.ipynb", parameters=run_with)
    name = parameters.get("name", "baseline")
    assert label(name) in _outputs_text(nb)  # the scenario's name (translated for the baseline) is shown


@pytest.mark.slow
def test_realisation_75_shows_hand_computed_total(tmp_path, notebook_kernel):
    # 75 % of the contract's 228 + 684 + 1 140 + 1 824 = 3 876 k€ is 2 907 k€
    parameters = yaml.safe_load((PARAMS_DIR / "realisation_75.yaml").read_text(encoding="utf-8"))
    nb = notebook_kernel("02_savings_model.ipynb", tmp_path / "out.ipynb", parameters=parameters)
    # (the unit is in the table's header "(k€)", not repeated in the cell)
    assert "2\u202f907,0" in _outputs_text(nb)


@pytest.mark.slow
def test_report_notebooks_accept_another_year_and_english(tmp_path, notebook_kernel):
    nb = notebook_kernel("04_savings_variance.ipynb", tmp_path / "o.ipynb", parameters={"year": 2020, "lang": "en"})
    table = [c for c in _code_cells(nb) if "ia.savings_variance_table(" in c.source][0]
    plain = table.outputs[0]["data"]["text/plain"]
    assert "2020" in plain and "2021" not in plain  # the 2020 report shows years up to 2020
    assert "Dématérialisation" not in _outputs_text(nb)  # English labels
    nb = notebook_kernel("05_credits_and_indicators.ipynb", tmp_path / "p.ipynb",
                         parameters={"year": 2020, "lang": "en"})
    ind = [c for c in _code_cells(nb) if "ia.indicators_section(" in c.source][0]
    plain = ind.outputs[0]["data"]["text/plain"]
    assert "green" in plain and "vert" not in plain and "2021" not in plain


@pytest.mark.slow
def test_quarterly_notebook_accepts_another_quarter_and_english(tmp_path, notebook_kernel):
    """Notebook 06 (the quarterly pack's template) with papermill: another quarter, English labels."""
    nb = notebook_kernel("06_quarterly_monitoring.ipynb", tmp_path / "q.ipynb",
                         parameters={"quarter": "2019-T4", "lang": "en"})
    text = _outputs_text(nb)
    assert "2019T4" in text and "Indicators at 2019-12-31 (2019T4)" in text
    assert "Restes" not in text and "Indicateurs" not in text  # English headings and headers
    credits = [c for c in _code_cells(nb) if '"credits_to_date"' in c.source][0]
    assert "Outstanding commitments (k€)" in credits.outputs[0]["data"]["text/plain"]


def _nbval(*paths: Path) -> dict[tuple[str, str], str]:
    """Strict nbval on ``paths`` in one pytest subprocess: ``{(file name, "Cell N"): outcome}``.

    The outcome is ``passed`` or the text of the failure (nbval's diff of the outputs).
    """
    junit = paths[0].parent / "nbval.xml"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "-p", "no:cacheprovider", "-p", "no:xdist", "-q",
         "--nbval-sanitize-with", str(ROOT / "nbval_sanitize.cfg"), "--rootdir", str(paths[0].parent),
         f"--junitxml={junit}", *map(str, paths)],
        capture_output=True, text=True, cwd=paths[0].parent,
    )
    assert junit.exists(), proc.stdout[-2000:] + proc.stderr[-2000:]
    results = {}
    for case in ET.parse(junit).iter("testcase"):
        bad = [child for child in case if child.tag in ("failure", "error", "skipped")]
        outcome = "passed" if not bad else f"{bad[0].tag}: {bad[0].get('message', '')}\n{bad[0].text or ''}"
        results[(case.get("classname").rsplit(".", 1)[0] + ".ipynb", case.get("name"))] = outcome
    return results


def _replace_once(nb, mime: str, old: str, new: str, skip_cells: int = 0) -> str:
    """Change ``old`` to ``new`` in the ``mime`` output of one code cell; return that cell's nbval name.

    ``skip_cells`` code cells showing ``old`` are passed over first.
    """
    for index, cell in enumerate(_code_cells(nb)):
        for out in cell.get("outputs", []):
            text = out.get("data", {}).get(mime, "")
            if old in text:
                if skip_cells:
                    skip_cells -= 1
                    break
                out["data"][mime] = text.replace(old, new, 1)
                return f"Cell {index}"
    raise AssertionError(f"{old!r} is not in any stored {mime} output")


@pytest.mark.slow
@pytest.mark.kernel
def test_nbval_fails_when_a_stored_number_is_altered(tmp_path):
    """Proof that strict nbval compares text and HTML: one stored figure changed in each → exactly
    those two cells fail; the unchanged copy passes in the same nbval run."""
    src = NOTEBOOKS_DIR / "02_savings_model.ipynb"
    good = tmp_path / "good.ipynb"
    shutil.copy(src, good)
    nb = nbformat.read(src, as_version=4)
    # the run rate 1 824,0 k€: in the text/plain of one table, in the text/html of the next one
    in_plain = _replace_once(nb, "text/plain", "1\u202f824,0", "1\u202f825,0")
    in_html = _replace_once(nb, "text/html", "1\u202f824,0", "1\u202f825,0", skip_cells=1)
    assert in_plain != in_html
    bad = tmp_path / "bad.ipynb"
    nbformat.write(nb, bad)

    results = _nbval(good, bad)
    n_cells = len(_code_cells(nb))
    assert len(results) == 2 * n_cells, sorted(results)
    control = {cell: outcome for (name, cell), outcome in results.items() if name == "good.ipynb"}
    assert set(control.values()) == {"passed"}, control
    failed = {cell: outcome for (name, cell), outcome in results.items()
              if name == "bad.ipynb" and outcome != "passed"}
    assert set(failed) == {in_plain, in_html}, failed
    for outcome in failed.values():
        assert outcome.startswith("failure") and "1\u202f825,0" in outcome, outcome[:2000]


def test_notebooks_store_only_output_types_that_nbval_compares_or_skips_by_design():
    """What strict nbval does not compare is known: images (presence checked above) and widget ids."""
    compared = {"text/plain", "text/html", "text/markdown"}  # nbval compares every key it does not skip
    skipped_by_design = {"image/png", "application/vnd.jupyter.widget-view+json"}
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for cell in _code_cells(nb):
            for out in cell.get("outputs", []):
                assert out.output_type in {"execute_result", "display_data", "stream"}, path.name
                kinds = set(out.get("data", {}))
                assert kinds <= compared | skipped_by_design, f"{path.name}: {kinds - compared - skipped_by_design}"
                if out.output_type != "stream":
                    assert kinds & compared, f"{path.name}: an output nbval would not compare: {kinds}"

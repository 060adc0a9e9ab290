"""A quiet console (issue 10, deliverable 6): ``incubo report`` prints its progress and where the result is.

The kernels write to the file descriptors this process hands them, so the console is
captured at the file-descriptor level (``capfd``): ipykernel's "[IPKernelApp] WARNING |
Kernel is running over TCP without encryption" (one per kernel) or "[IPKernelApp] ERROR |
KeyboardInterrupt caught in kernel." (an interrupt at shutdown) would show here.
"""

from __future__ import annotations

import nbformat
import pytest

from incubo_analysis.cli.main import main
from incubo_analysis.labels import label
from incubo_analysis.outputs.report import REPORT_NOTEBOOKS
from incubo_analysis.paths import ROOT

EXAMPLE_ACTUALS = ROOT / "data" / "raw" / "actuals" / "example_actuals.xlsx"


@pytest.mark.kernel
def test_a_clean_report_run_prints_progress_and_the_result_only(tmp_path, capfd):
    lang = "fr"
    out = tmp_path / "r"
    argv = ["report", "--year", "2021", "--actuals", str(EXAMPLE_ACTUALS), "--out", str(out), "--lang", lang]
    assert main(argv) == 0
    captured = capfd.readouterr()
    err = captured.err.splitlines()
    n = len(REPORT_NOTEBOOKS)
    expected = [
        label("report.progress.validating", lang).format(year=2021),
        label("report.progress.notebooks", lang).format(n=n),
        *sorted(f"  [{i}/{n}] {name}" for i, name in enumerate(REPORT_NOTEBOOKS, 1)),
        label("report.progress.html", lang),
    ]
    # the notebooks finish in any order: compare the "[i/n] NAME" lines as a set of names
    notebook_lines = [line for line in err if line.startswith("  [")]
    assert sorted(line.split("] ", 1)[1] for line in notebook_lines) == sorted(REPORT_NOTEBOOKS)
    assert [line.split("] ")[0] for line in notebook_lines] == [f"  [{i}/{n}" for i in range(1, n + 1)]
    assert [line for line in err if not line.startswith("  [")] == [expected[0], expected[1], expected[-1]]
    assert not any(line.startswith("[IPKernelApp]") or "Traceback" in line or "WARNING" in line for line in err)
    stdout = captured.out.splitlines()
    assert len(stdout) == 2 and stdout[0].startswith("Rapport écrit en ") and stdout[1].startswith("Annexe Excel : ")
    # the injected parameters keep their accents (the guard's translator)
    for name in REPORT_NOTEBOOKS:
        nb = nbformat.read(out / "notebooks" / name, as_version=4)
        injected = "".join(c.source for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
        assert "\\x" not in injected and "\\u" not in injected, (name, injected[:500])
        if name == "02_savings_model.ipynb":
            assert 'description = "Contrat Incub-O, section 3 : 32 ETP de catégorie B à 57 k€' in injected

"""Benchmark: the whole annual report vs the papermill floor (run by hand: `make bench`).

Floor: papermill executing, in this one process, as many *trivial* pandas + matplotlib
notebooks as the report has (import pandas and pyplot, build a small frame, show it, draw
one chart). Report: `incubo report` from validation to the moved output folder (notebooks,
HTML, Excel, CSV). Both measured alternately in one run; medians and their ratio printed.
Target (issue 5): ratio <= 1.25.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill as pm

from incubo_analysis.monitoring.annual import validate_report_inputs
from incubo_analysis.outputs import report as R
from incubo_analysis.paths import EXAMPLE_ACTUALS, NOTEBOOKS_DIR

TRIVIAL = [
    "import pandas as pd\nimport matplotlib.pyplot as plt",
    "df = pd.DataFrame({'year': [2019, 2020, 2021], 'amount_keur': [228.0, 684.0, 1140.0]})\ndf",
    "ax = df.plot.bar(x='year', y='amount_keur')",
]


def _trivial_notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in TRIVIAL]
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nbformat.write(nb, path)


def floor(tmp: Path, n: int) -> float:
    start = time.perf_counter()
    for i in range(n):
        src = tmp / f"trivial_{i}.ipynb"
        _trivial_notebook(src)
        pm.execute_notebook(str(src), str(tmp / f"out_{i}.ipynb"), kernel_name="python3",
                            progress_bar=False, cwd=str(NOTEBOOKS_DIR))
    return time.perf_counter() - start


def report(tmp: Path, k: int) -> float:
    start = time.perf_counter()
    inputs = validate_report_inputs(year=2021, actuals=EXAMPLE_ACTUALS, scenario=None)
    R.build_report(inputs, tmp / f"report_{k}")
    return time.perf_counter() - start


def main(repeats: int = 3) -> int:
    n = len(R.REPORT_NOTEBOOKS)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        floor(tmp, 1)  # warm-up (imports, kernelspec lookup)
        f_times, r_times = [], []
        for k in range(repeats):
            f_times.append(floor(tmp, n))
            r_times.append(report(tmp, k))
            print(f"run {k + 1}: floor {f_times[-1]:.2f} s, report {r_times[-1]:.2f} s", flush=True)
    f, r = statistics.median(f_times), statistics.median(r_times)
    print(f"notebooks: {n}; median floor {f:.2f} s; median report {r:.2f} s; ratio {r / f:.2f} (target <= 1.25)")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))

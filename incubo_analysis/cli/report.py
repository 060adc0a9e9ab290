"""``incubo report``: the annual savings report (validation, papermill batch, HTML, Excel, CSV)."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

from incubo_analysis.io import check_output_dir
from incubo_analysis.labels import format_value, label
from incubo_analysis.monitoring.annual import validate_report_inputs
from incubo_analysis.outputs.report import REPORT_NOTEBOOKS, build_report

__all__ = ["run_report"]


def run_report(*, year: int, actuals: str, scenario: str | None, lang: str, out: str,
               ds_exports: Sequence[str] = (), chorus: str | None = None, chorus_mapping: str | None = None) -> int:
    """``incubo report``: validate, build, print where the HTML is. Returns 0.

    ``ds_exports``, ``chorus`` and ``chorus_mapping`` (``--ds-export FILE…``, ``--chorus FILE``,
    ``--chorus-mapping FILE``) add the processing-time indicator and the Chorus cross-check;
    they are read and validated with the other inputs, before anything runs.

    The console shows the progress lines (standard error) and where the HTML page and the
    Excel annex are (standard output), in ``lang``; nothing else (the kernels are quiet:
    :func:`incubo_analysis.outputs.notebook_runs.papermill_run`).
    """
    start = time.perf_counter()

    def progress(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    print(label("report.progress.validating", lang).format(year=year), file=sys.stderr, flush=True)
    inputs = validate_report_inputs(year=year, actuals=actuals, scenario=scenario, lang=lang, out=out,
                                    ds_exports=ds_exports, chorus=chorus, chorus_mapping=chorus_mapping)
    check_output_dir(out)  # refused before anything runs (checked again under the lock when writing)
    progress(label("report.progress.notebooks", lang).format(n=len(REPORT_NOTEBOOKS)))
    build_report(inputs, out, progress=progress)
    took = format_value(time.perf_counter() - start, "number", lang, decimals=1)
    print(label("report.done", lang).format(seconds=took, path=Path(out) / f"incubo_report_{year}.html"))
    print(label("report.done.annex", lang).format(path=Path(out) / f"incubo_report_{year}.xlsx"))
    return 0

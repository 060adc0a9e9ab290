"""``incubo report``: the annual savings report (validation, papermill batch, HTML, Excel, CSV)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from incubo_analysis.monitoring.annual import validate_report_inputs
from incubo_analysis.outputs.report import build_report

__all__ = ["run_report"]


def run_report(*, year: int, actuals: str, scenario: str | None, lang: str, out: str) -> int:
    """``incubo report``: validate, build, print where the HTML is. Returns 0."""
    start = time.perf_counter()

    def progress(msg: str) -> None:
        print(f"  {msg}", file=sys.stderr, flush=True)

    print(f"incubo report {year}: validation des entrées" if lang == "fr"
          else f"incubo report {year}: validating inputs", file=sys.stderr, flush=True)
    inputs = validate_report_inputs(year=year, actuals=actuals, scenario=scenario, lang=lang, out=out)
    build_report(inputs, out, progress=progress)
    html = Path(out) / f"incubo_report_{year}.html"
    took = time.perf_counter() - start
    if lang == "fr":
        print(f"Rapport écrit en {took:.1f} s : {html}")
        print(f"Annexe Excel : {Path(out) / f'incubo_report_{year}.xlsx'}")
    else:
        print(f"Report written in {took:.1f} s: {html}")
        print(f"Excel annex: {Path(out) / f'incubo_report_{year}.xlsx'}")
    return 0

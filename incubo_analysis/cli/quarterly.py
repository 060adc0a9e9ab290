"""``incubo quarterly``: the quarterly monitoring pack (validation, papermill, HTML, Excel, CSV)."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

from incubo_analysis.io import check_output_dir
from incubo_analysis.labels import format_value, label
from incubo_analysis.monitoring.quarterly import validate_quarterly_inputs
from incubo_analysis.outputs.quarterly import build_quarterly

__all__ = ["run_quarterly"]


def run_quarterly(*, quarter: str, actuals: str, scenario: str | None, lang: str, out: str,
                  ds_exports: Sequence[str] = (), chorus: str | None = None, chorus_mapping: str | None = None) -> int:
    """``incubo quarterly``: validate, build, print where the page is. Returns 0.

    The console shows the progress lines (standard error) and where the page and the workbook
    are (standard output), in ``lang``; nothing else. Bad input (the démarches-simplifiées
    exports ``ds_exports`` and the Chorus extract ``chorus`` included) raises
    :class:`~incubo_analysis.errors.InputError` before anything runs (exit 2 from ``main``).
    """
    start = time.perf_counter()

    def progress(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    progress(label("quarterly.progress.validating", lang).format(quarter=quarter))
    inputs = validate_quarterly_inputs(quarter=quarter, actuals=actuals, scenario=scenario, lang=lang, out=out,
                                       ds_exports=ds_exports, chorus=chorus, chorus_mapping=chorus_mapping)
    check_output_dir(out)
    progress(label("quarterly.progress.notebook", lang))
    build_quarterly(inputs, out, progress=progress)
    took = format_value(time.perf_counter() - start, "number", lang, decimals=1)
    print(label("quarterly.done", lang).format(seconds=took, path=Path(out) / f"suivi_{inputs.code}.html"))
    print(label("quarterly.done.workbook", lang).format(path=Path(out) / f"suivi_{inputs.code}.xlsx"))
    return 0

"""Benchmark and acceptance run: ``incubo quarterly`` on the example for every quarter 2019T1–2021T4.

Run by hand: ``.venv/bin/python benchmarks/bench_quarterly.py`` (issue 11, "Done when"). Each
quarter is one real command (``python -m incubo_analysis quarterly``, a fresh process as a user
runs it, French); the script checks the exit code and the five files, and prints the time of
each run, the median and the total. Exit 1 when a run fails.

``--sources`` adds the shipped démarches-simplifiées exports and Chorus extract to every run
(``--ds-export data/raw/ds/*.xlsx --chorus data/raw/chorus/example_extract.csv``, issue 12) and
checks the two more files.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from incubo_analysis.outputs.quarterly import quarterly_filenames
from incubo_analysis.paths import EXAMPLE_ACTUALS, ROOT

QUARTERS = [f"{y}T{q}" for y in (2019, 2020, 2021) for q in (1, 2, 3, 4)]


SOURCES = ["--ds-export", *sorted(str(p) for p in (ROOT / "data" / "raw" / "ds").glob("*.xlsx")),
           "--chorus", str(ROOT / "data" / "raw" / "chorus" / "example_extract.csv")]


def run(quarter: str, out: Path, sources: bool = False) -> tuple[float, str]:
    """One run; (seconds, "" or the reason it failed)."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "incubo_analysis", "quarterly", "--quarter", quarter,
                           "--actuals", str(EXAMPLE_ACTUALS), *(SOURCES if sources else []), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        return took, f"exit {proc.returncode}: {proc.stderr[-500:]}"
    names = quarterly_filenames(quarter, ds=sources, chorus=sources)
    missing = [n for n in names if not (out / n).is_file()]
    return took, f"missing {missing}" if missing else ""


def main(argv: list[str] | None = None) -> int:
    sources = "--sources" in (sys.argv[1:] if argv is None else argv)
    times, failed = [], []
    with tempfile.TemporaryDirectory(prefix="bench-quarterly-") as tmp:
        for quarter in QUARTERS:
            took, problem = run(quarter, Path(tmp) / quarter, sources)
            times.append(took)
            print(f"{quarter}: {took:5.1f} s {'OK' if not problem else 'FAILED ' + problem}", flush=True)
            if problem:
                failed.append(quarter)
    what = " with the sources" if sources else ""
    print(f"{len(QUARTERS)} quarters{what}: median {statistics.median(times):.1f} s, total {sum(times):.1f} s, "
          f"failed: {', '.join(failed) or 'none'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

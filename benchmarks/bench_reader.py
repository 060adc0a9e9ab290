"""Benchmark: the actuals reader on the stray-cell and far-row workbooks (run by hand).

Two workbooks are built from the example workbook by editing the ``savings`` sheet's XML:

- *stray cell*: one value in cell ``Z1048576`` (an ignored column, Excel's last row);
- *far row*: one value in cell ``A1048577`` (beyond Excel's last row).

Each is read in a fresh process (``read_actuals``); the wall time and the peak resident
memory (``ru_maxrss``) of that process are printed, with the outcome (``ok``, ``exit 2``
= an ``InputError``, or the exception that escaped). Targets (issue 9): under 2 s and
300 MB each.

Usage::

    python benchmarks/bench_reader.py            # the working tree's reader
    python benchmarks/bench_reader.py --rev HEAD~3   # the reader of a git revision

``--rev`` loads ``incubo_analysis/monitoring/reader.py`` of that revision as a stand-alone
module (the rest of the package is today's); ``--timeout`` bounds each case (default 300 s).
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from incubo_analysis.paths import EXAMPLE_ACTUALS

ROOT = Path(__file__).resolve().parent.parent
SAVINGS_PART = "xl/worksheets/sheet2.xml"

CASES: dict[str, bytes] = {
    "stray cell Z1048576": b'<row r="1048576"><c r="Z1048576"><v>1</v></c></row>',
    "far row A1048577": b'<row r="1048577"><c r="A1048577"><v>1</v></c></row>',
}

CHILD = r"""
import importlib.util, resource, sys, time
path, reader = sys.argv[1], sys.argv[2]
if reader == "-":
    from incubo_analysis.monitoring.reader import read_actuals
else:
    spec = importlib.util.spec_from_file_location("old_reader", reader)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["old_reader"] = mod
    spec.loader.exec_module(mod)
    read_actuals = mod.read_actuals
from incubo_analysis.errors import InputError
start = time.perf_counter()
try:
    read_actuals(path)
    outcome = "ok"
except InputError as exc:
    outcome = "exit 2: " + (exc.problems[0] if exc.problems else exc.message)[-110:]
except BaseException as exc:
    outcome = "ESCAPED " + type(exc).__name__ + ": " + str(exc)[:80]
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{elapsed:.2f}\t{peak:.0f}\t{outcome}")
"""


def build(dest: Path, row_xml: bytes) -> Path:
    """The example workbook with ``row_xml`` appended to the savings sheet's data."""
    out = io.BytesIO()
    with zipfile.ZipFile(EXAMPLE_ACTUALS) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == SAVINGS_PART:
                data = data.replace(b"</sheetData>", row_xml + b"</sheetData>")
            zout.writestr(info.filename, data)
    dest.write_bytes(out.getvalue())
    return dest


def run_case(path: Path, reader: str, timeout: float) -> str:
    """Read ``path`` in a fresh process; return 'seconds  MB  outcome'."""
    try:
        proc = subprocess.run([sys.executable, "-c", CHILD, str(path), reader],
                              capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return f">{timeout:.0f}\t?\ttimed out"
    return proc.stdout.strip() or ("crashed: " + proc.stderr.strip()[-200:])


def main(argv: list[str] | None = None) -> int:
    """Build both workbooks, read each in a fresh process, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default=None, help="git revision whose reader to measure")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        reader = "-"
        if args.rev:
            src = subprocess.run(["git", "show", f"{args.rev}:incubo_analysis/monitoring/reader.py"],
                                 capture_output=True, check=True, cwd=ROOT).stdout
            reader = str(tmp / "old_reader.py")
            Path(reader).write_bytes(src)
        print(f"reader: {args.rev or 'working tree'}")
        print("case\tseconds\tpeak MB\toutcome")
        for name, row_xml in CASES.items():
            path = build(tmp / (name.split()[0] + ".xlsx"), row_xml)
            size = path.stat().st_size // 1024
            print(f"{name} ({size} KB)\t{run_case(path, reader, args.timeout)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

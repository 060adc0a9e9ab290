"""Benchmark of the scenario explorer where the user is: JupyterLab in headless Chromium.

Run by hand (after ``make test-browser`` once, which installs the ``[browser]`` and
``[lab]`` extras and Debian's ``chromium``)::

    .venv/bin/python benchmarks/bench_explorer_browser.py [--moves 20] [--pause-ms 150] [--idle-s 5]

Same server and browser as the browser test (``tests/browser/explorer_lab.py``): a
JupyterLab of its own on 127.0.0.1 serving a temporary copy of
``notebooks/00_explorer.ipynb``; nothing is written into the repository.

Measured in the page, with ``performance.now()`` (a MutationObserver notes when each
chart's ``<img>`` gets a new ``src`` and when the metrics table's text changes; a
capturing ``keydown`` listener notes the key press):

- **startup**: the Enter that chooses "Run All Cells" in the command palette → the
  first chart image decoded in the page (kernel already started and idle: imports,
  the explorer's construction, its first charts and the transfer to the browser);
- **each slider**, after ``--idle-s`` seconds of reading (the explorer draws the other
  horizons' figures in a background thread meanwhile; ``--idle-s 0`` measures moves
  that compete with it), ``--moves`` arrow presses on its focused handle (from the
  contract, the reset button between sliders; turning back at a bound): key-down → both chart
  images replaced in the DOM. The discount rate changes neither chart (undiscounted
  savings and costs), so its figure is key-down → metrics table replaced. The
  key-down → metrics figure is printed for every slider too.

Prints median / p95 / max (ms) per slider and the startup time, with the machine's
load average.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from incubo_analysis.outputs.explorer import CONTROL_KEYS

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))


def _p95(values: list[float]) -> float:
    """95th percentile (linear interpolation between closest ranks)."""
    ordered = sorted(values)
    pos = 0.95 * (len(ordered) - 1)
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not on Linux
        return "n/a"


def _measure_slider(ex, key: str, moves: int, pause_s: float, charts_moved: tuple[str, ...]) -> dict[str, list]:
    """``moves`` arrow presses on one slider: key-down → charts and → metrics, in ms."""
    out: dict[str, list[float]] = {"charts": [], "metrics": []}
    direction = +1
    for _ in range(moves):
        arrow, direction = ex.arrow_towards_inside(key, direction)
        ex.press(key, arrow)
        times = ex.wait_probe(charts_moved, metrics=True)
        if charts_moved:
            out["charts"].append(max(times[name] for name in charts_moved))
        out["metrics"].append(times["metrics"])
        ex.settle(quiet_ms=100)
        time.sleep(pause_s)
    return out


def _reset(ex) -> None:
    ex.mark()
    ex.page.locator(".incubo-reset").click()
    ex.page.wait_for_timeout(200)
    ex.settle(quiet_ms=300)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=20, help="arrow presses per slider (default 20)")
    parser.add_argument("--pause-ms", type=int, default=150, help="pause after each update (default 150 ms)")
    parser.add_argument("--idle-s", type=float, default=5.0, help="reading time after startup (default 5 s)")
    args = parser.parse_args(argv)

    try:
        from explorer_lab import (
            CHARTS,
            CHROMIUM,
            ExplorerPage,
            LabServer,
            chromium_missing_message,
            launch_chromium,
        )
    except ImportError as exc:
        print(f"bench_explorer_browser: skipped, {exc.name} is not installed (run `make test-browser` once)")
        return 0
    if not CHROMIUM.exists():
        print(f"bench_explorer_browser: skipped, {chromium_missing_message()}")
        return 0

    print(f"Explorer in JupyterLab + headless Chromium; {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"load average at start {_load()}")
    results: dict[str, dict[str, list[float]]] = {}
    with LabServer() as server, launch_chromium() as context:
        ex = ExplorerPage(context.new_page(), server)
        ex.open()
        started = ex.run_all()
        first = ex.wait_explorer()
        startup = first - started
        ex.settle(quiet_ms=500, timeout_ms=60_000)
        time.sleep(args.idle_s)
        for key in CONTROL_KEYS:
            _reset(ex)
            moved = () if key == "discount_rate" else CHARTS
            results[key] = _measure_slider(ex, key, args.moves, args.pause_ms / 1000, moved)

    print(f"\nstartup (Run All → first chart image): {startup:.0f} ms\n")
    head = f"{'slider':<28} {'what':<16} {'median':>7} {'p95':>7} {'max':>7}   key-down → metrics: median / p95"
    print(head)
    print("-" * len(head))
    for key, res in results.items():
        series, what = (res["charts"], "both charts") if res["charts"] else (res["metrics"], "metrics (*)")
        m = res["metrics"]
        print(f"{key:<28} {what:<16} {statistics.median(series):7.0f} {_p95(series):7.0f} {max(series):7.0f}"
              f"   {statistics.median(m):.0f} / {_p95(m):.0f}")
    everything = [x for res in results.values() for x in (res["charts"] or res["metrics"])]
    print(f"{'all sliders':<28} {'':<16} {statistics.median(everything):7.0f} {_p95(everything):7.0f} "
          f"{max(everything):7.0f}")
    print("\n(*) the discount rate changes neither chart: key-down → metrics table.")
    print(f"{args.moves} moves per slider, {args.idle_s:g} s idle after startup; load average at end {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

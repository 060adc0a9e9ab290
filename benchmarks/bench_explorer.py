"""Benchmark of the scenario explorer: time of one update (model + redraw), budget 100 ms.

Run by hand: ``.venv/bin/python benchmarks/bench_explorer.py [--updates N] [--seed S]``.

Each update changes ONE control and is timed from the call of :meth:`Explorer.update`
until the new PNGs are in the Output widgets: validation of the parameters, the model
and all metrics (switching values included) of the one scenario, the in-place update
of the two persistent charts, the drawing (a blit of the moving artists on the kept
background, after drawing the y axis layer on the figure's base when the y scale
changes to one not kept; a full draw only for a figure never drawn) and the PNG
encoding. The widgets are not displayed (no kernel): the transfer to the browser is
not counted.

``Explorer()`` draws only the starting horizon; a background thread then draws the
other horizons of the slider (2022-2030). "Explorer()" is the construction,
"background drawing" the time until that thread is done (the sequences start after
it); "first visit to a horizon" times a horizon change to a horizon never drawn
(explorers made with ``predraw=False``): what a slider move costs when the horizon
slider overtakes the background drawing.

Two seeded sequences of ``N`` updates each (every run replays the same ones):

- ``slider moves``: a control picked at random moves by 1 to 3 steps of its slider,
  as when the officer nudges a slider;
- ``random jumps``: a control picked at random jumps to any value of its range (the
  worst case: the y scale and the horizon change often, forcing full redraws).

The charts render through the Agg canvas (the explorer never selects a backend).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import numpy as np


def _run(ex, E, C, rng: np.random.Generator, n: int, mode: str) -> dict:
    from incubo_analysis.outputs.explorer.compute import compute_state

    grids: dict[str, np.ndarray] = {}
    for key in E.CONTROL_KEYS:
        _kind, lo, hi, step, _fmt, dec = C.CONTROL_SPECS[key]
        grids[key] = np.round(np.arange(lo, hi + step / 2, step), dec if dec else 0)

    def change() -> dict:
        key = E.CONTROL_KEYS[int(rng.integers(len(E.CONTROL_KEYS)))]
        grid = grids[key]
        if mode == "moves":
            current = C.control_value(ex.scenario, key)
            pos = int(np.argmin(np.abs(grid - current)))
            step = int(rng.integers(1, 4)) * (1 if rng.random() < 0.5 else -1)
            if not 0 <= pos + step < len(grid):
                step = -step
            value = grid[pos + step].item()
        else:
            value = grid[int(rng.integers(len(grid)))].item()
        if key == "horizon_end":
            value = int(value)
        return {"etp": {key[4:]: value}} if key.startswith("etp.") else {key: value}

    charts = list(ex._charts.values())
    renders0, full0 = sum(c.renders for c in charts), sum(c.full_draws for c in charts)
    layer0 = sum(c.layer_draws for c in charts)
    times, model, cpu = [], [], []
    for _ in range(n):
        values = change()
        t0, c0 = time.perf_counter(), time.process_time()
        ok = ex.update(**values)
        times.append((time.perf_counter() - t0) * 1000.0)
        cpu.append((time.process_time() - c0) * 1000.0)
        if not ok:
            raise SystemExit(f"refused: {values}: {ex.message}")
        t0 = time.perf_counter()
        compute_state(ex.scenario, ex._costs)
        model.append((time.perf_counter() - t0) * 1000.0)
    renders = sum(c.renders for c in charts) - renders0
    full = sum(c.full_draws for c in charts) - full0
    layers = sum(c.layer_draws for c in charts) - layer0
    return {"times": times, "model": model, "cpu": cpu, "renders": renders, "full": full, "layers": layers}


def _first_visits(E) -> list[float]:
    """Times (ms) of horizon changes to horizons never drawn, on explorers without background drawing."""
    times = []
    for ends in ((2026, 2030, 2024), (2023, 2028, 2025), (2027, 2029)):
        ex = E.Explorer(predraw=False)
        for end in ends:
            t0 = time.perf_counter()
            ex.update(horizon_end=end)
            times.append((time.perf_counter() - t0) * 1000.0)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=50, help="timed updates per sequence (default 50)")
    parser.add_argument("--seed", type=int, default=2018, help="random seed (default 2018)")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    from incubo_analysis.outputs import explorer as E
    from incubo_analysis.outputs.explorer import controls as C

    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    ex = E.Explorer()
    t_init = time.perf_counter() - t0
    ex.wait_until_drawn()
    t_background = time.perf_counter() - t0 - t_init
    rng = np.random.default_rng(args.seed)
    _run(ex, E, C, rng, 5, "moves")  # warm-up: first draws, font caches
    budget = 100.0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"explorer update benchmark (budget {budget:.0f} ms per update), seed {args.seed}")
    print(f"  python {platform.python_version()}, {os.cpu_count()} cores, load average (1 min) before: {load:.2f}")
    print(f"  once: import {t_import * 1000:.0f} ms, Explorer() {t_init * 1000:.0f} ms, "
          f"background drawing of the other horizons {t_background * 1000:.0f} ms")
    for mode, title in (("moves", "slider moves"), ("jumps", "random jumps")):
        ex.reset()
        r = _run(ex, E, C, rng, args.updates, mode)
        t, m = r["times"], r["model"]
        print(f"  {title} ({args.updates} updates):")
        print(f"    update (model + redraw): median {statistics.median(t):.1f} ms, "
              f"p95 {np.percentile(t, 95):.1f} ms, min {min(t):.1f}, max {max(t):.1f}; "
              f"{sum(x <= budget for x in t)}/{len(t)} within budget")
        c = r["cpu"]
        print(f"    CPU time of the update (process, less sensitive to load): median {statistics.median(c):.1f} ms, "
              f"p95 {np.percentile(c, 95):.1f} ms, max {max(c):.1f}")
        print(f"    of which model + metrics: median {statistics.median(m):.1f} ms, p95 {np.percentile(m, 95):.1f} ms")
        print(f"    charts rendered {r['renders']} times ({r['full']} full draws, {r['renders'] - r['full']} blits, "
              f"{r['layers']} of them after drawing a new y axis layer), "
              f"{2 * args.updates - r['renders']} renderings skipped (chart unchanged)")
    first = _first_visits(E)  # last: these explorers stay alive (their widgets), slowing later garbage collections
    print(f"  first visit to a horizon (no background drawing, {len(first)} visits): median "
          f"{statistics.median(first):.1f} ms, p95 {np.percentile(first, 95):.1f} ms, max {max(first):.1f}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"  load average (1 min) after: {load:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

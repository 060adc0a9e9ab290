"""Benchmark: 10^6 Monte Carlo draws through the whole savings model and its metrics.

Run by hand (``make bench`` or ``python benchmarks/bench_montecarlo.py``); prints the
number of draws, the wall time (best and median of several runs after one warm-up
run, and the first, cold run), the throughput and the peak memory (resident set
size of the process, and the peak traced by ``tracemalloc`` during one run).
Target (issue 3): 10^6 draws in at most 1 s on the 2-core reference machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from incubo_analysis.model.params import load_scenario  # noqa: E402
from incubo_analysis.model.uncertainty import monte_carlo  # noqa: E402
from incubo_analysis.paths import PARAMS_DIR  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=20181)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--workers", type=int, default=None, help="threads (default: up to 2)")
    ap.add_argument("--file", default=str(PARAMS_DIR / "uncertainty.yaml"))
    args = ap.parse_args()

    scenario = load_scenario(args.file)
    print(f"python {platform.python_version()}, {os.cpu_count()} CPU(s), scenario {scenario.name!r} "
          f"({len(scenario.uncertainty or {})} uncertain parameters)")

    t0 = time.perf_counter()
    monte_carlo(scenario, args.draws, args.seed, workers=args.workers)
    cold = time.perf_counter() - t0

    times, cpu = [], []
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = monte_carlo(scenario, args.draws, args.seed, workers=args.workers)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)

    tracemalloc.start()
    monte_carlo(scenario, args.draws, args.seed, workers=args.workers)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB

    best, median = min(times), statistics.median(times)
    print(f"draws          {args.draws:,}")
    print(f"seconds        best {best:.3f}  median {median:.3f}  cold (first run) {cold:.3f}")
    print(f"cpu seconds    best {min(cpu):.3f}  median {statistics.median(cpu):.3f} (all threads)")
    print(f"load average   {os.getloadavg()[0]:.2f} (other processes compete for the {os.cpu_count()} cores)")
    print(f"draws/s        {args.draws / best:,.0f} (best)  {args.draws / median:,.0f} (median)")
    print(f"peak memory    {traced_peak / 2**20:,.0f} MiB traced by numpy allocations in one run; "
          f"process peak RSS {rss_peak_mb:,.0f} MiB")
    s = result.summary.set_index("metric")
    print(f"check          npv_keur P50 {s.loc['npv_keur', 'p50']:,.1f} k€, "
          f"P(savings >= FTAP money) {result.probabilities['probability'].iloc[0]:.4f}")
    print("target         10^6 draws <= 1 s:", "met" if args.draws >= 1_000_000 and median <= 1.0 else
          ("not met" if args.draws >= 1_000_000 else "n/a"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

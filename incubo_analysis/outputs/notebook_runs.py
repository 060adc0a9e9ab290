"""The report's notebooks executed with papermill, several kernels at once, metadata scrubbed.

:func:`run_notebooks` runs the report notebooks from this process (``jobs`` kernels at a
time, threads), :func:`run_notebook` one of them (a kernel that fails to start is
retried once, a failing cell never), :func:`papermill_run` is the one papermill call.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from incubo_analysis.paths import NOTEBOOKS_DIR

__all__ = ["papermill_run", "run_notebook", "run_notebooks", "default_jobs"]


def papermill_run(name: str, parameters: Mapping[str, Any], out: Path):
    """One papermill run of a report notebook (kernel ``python3``)."""
    import papermill as pm

    # No ``cwd=``: papermill would os.chdir() the whole process, which races between the
    # threads (the process could end in notebooks/). The notebooks resolve their paths
    # against the project root, so the kernel's working folder does not matter.
    return pm.execute_notebook(str(NOTEBOOKS_DIR / name), str(out), parameters=dict(parameters),
                               kernel_name="python3", progress_bar=False, log_output=False)


def run_notebook(name: str, parameters: Mapping[str, Any], dest: Path) -> Path:
    """Run one notebook; a kernel that fails to start (not a failing cell) is retried once."""
    import nbformat
    import papermill as pm

    from incubo_analysis.outputs.notebooks import scrub

    out = dest / name
    try:
        nb = papermill_run(name, parameters, out)
    except pm.PapermillExecutionError as exc:
        raise RuntimeError(f"notebook {name} failed in cell {exc.exec_count}: {exc.ename}: "
                           f"{exc.evalue}") from exc
    except Exception:  # noqa: BLE001 - e.g. a kernel that died at start-up (port race)
        nb = papermill_run(name, parameters, out)
    nbformat.write(scrub(nb), out)
    return out


def default_jobs(n: int = 5) -> int:
    """Kernels started at once: all ``n`` notebooks, up to twice the cores plus one.

    A kernel spends much of its start-up waiting (process launch, ZMQ handshake), so on
    two cores five kernels at once finish sooner than two at a time (benchmark N5).
    """
    return max(1, min(n, 2 * (os.cpu_count() or 1) + 1))


def run_notebooks(names: list[str], params: Mapping[str, Mapping[str, Any]], dest: Path,
             progress: Callable[[str], None], *, jobs: int | None = None) -> dict[str, Path]:
    """Run the notebooks with papermill from this process, ``jobs`` kernels at a time.

    Each notebook has its own kernel (papermill's model); running two at once on two
    cores overlaps their start-up and imports. Results are keyed in ``names`` order.
    """
    from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

    dest.mkdir(parents=True, exist_ok=True)
    jobs = jobs or default_jobs()
    done: dict[str, Path] = {}
    if jobs == 1:
        for i, name in enumerate(names, 1):
            progress(f"[{i}/{len(names)}] {name}")
            done[name] = run_notebook(name, params[name], dest)
        return done
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="incubo-nb") as pool:
        futures = {pool.submit(run_notebook, name, params[name], dest): name for name in names}
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for fut in finished:
                if fut.exception() is not None:
                    for other in pending:
                        other.cancel()
                    raise fut.exception()
                done[futures[fut]] = fut.result()
                progress(f"[{len(done)}/{len(names)}] {futures[fut]} done")
    return {name: done[name] for name in names}

"""The report's notebooks executed with papermill, several kernels at once, metadata scrubbed.

:func:`run_notebooks` runs the report notebooks from this process (``jobs`` kernels at a
time, threads), :func:`run_notebook` one of them (a kernel that fails to start is
retried once, a failing cell never), :func:`papermill_run` is the one papermill call.
"""

from __future__ import annotations

import functools
import logging
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from incubo_analysis.paths import NOTEBOOKS_DIR

__all__ = ["papermill_run", "run_notebook", "run_notebooks", "default_jobs"]


@functools.cache
def quiet_kernel_manager() -> type:
    """The kernel manager of the report's runs: no interrupt at shutdown.

    jupyter_client (8.x) interrupts a kernel before asking it to shut down. The notebook has
    finished by then, but the kernel may still be inside a message handler (which installs
    Python's SIGINT handler), and it then logs "KeyboardInterrupt caught in kernel." on the
    console. This manager skips that interrupt while shutting down; an interrupt asked for
    otherwise (a cell timeout) is sent as usual.

    Returns
    -------
    type
        A subclass of :class:`jupyter_client.AsyncKernelManager` (nbclient's default).
    """
    from jupyter_client import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        """:class:`AsyncKernelManager` that does not interrupt a finished kernel it shuts down."""

        async def _async_interrupt_kernel(self) -> None:
            if self.shutting_down:
                return
            await super()._async_interrupt_kernel()

    return QuietKernelManager


def kernel_config(folder: Path) -> Any:
    """The kernel manager's configuration: IPC sockets in ``folder`` (POSIX).

    Over TCP, ipykernel warns on the console that the traffic is not encrypted ("Kernel is
    running over TCP without encryption"); over IPC (Unix sockets in a private temporary
    folder) there is nothing to warn about, and nothing listens on a port. On Windows, where
    ZMQ has no IPC transport, the configuration is empty (TCP, with ipykernel's warning).

    Parameters
    ----------
    folder : Path
        A folder of this run only (the socket files are ``folder/kernel-1`` ...).

    Returns
    -------
    traitlets.config.Config
        To pass as papermill's (nbclient's) ``config``.
    """
    from traitlets.config import Config

    if os.name != "posix":  # pragma: no cover - Windows
        return Config()
    return Config({"KernelManager": {"transport": "ipc", "ip": str(folder / "kernel")}})


def papermill_run(name: str, parameters: Mapping[str, Any], out: Path):
    """One papermill run of a report notebook (kernel ``python3``), quiet on the console.

    The kernel talks over IPC sockets in a temporary folder and is not interrupted at
    shutdown (:func:`kernel_config`, :func:`quiet_kernel_manager`): the console shows no
    ipykernel warning.
    """
    import papermill as pm

    # Seen once under heavy load: a ZMQ stream callback raised while a finished kernel's IPC
    # sockets were being closed, and tornado logged it with its traceback although the run
    # succeeded (papermill checks every cell). Not a reader's concern.
    logging.getLogger("tornado.general").setLevel(logging.CRITICAL)
    # No ``cwd=``: papermill would os.chdir() the whole process, which races between the
    # threads (the process could end in notebooks/). The notebooks resolve their paths
    # against the project root, so the kernel's working folder does not matter.
    # Short folder names: a Unix socket path is limited to about 100 characters.
    with tempfile.TemporaryDirectory(prefix="incubo-k") as sockets:
        return pm.execute_notebook(str(NOTEBOOKS_DIR / name), str(out), parameters=dict(parameters),
                                   kernel_name="python3", progress_bar=False, log_output=False,
                                   kernel_manager_class=quiet_kernel_manager(),
                                   config=kernel_config(Path(sockets)))


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
    ``progress`` receives one line per notebook finished, ``"  [i/n] NAME.ipynb"`` (no
    words: the caller announces the step in the reader's language).
    """
    from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

    dest.mkdir(parents=True, exist_ok=True)
    jobs = jobs or default_jobs()
    done: dict[str, Path] = {}
    if jobs == 1:
        for i, name in enumerate(names, 1):
            progress(f"  [{i}/{len(names)}] {name}")
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
                progress(f"  [{len(done)}/{len(names)}] {futures[fut]}")
    return {name: done[name] for name in names}

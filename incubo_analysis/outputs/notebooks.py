"""Executed notebooks without run-dependent metadata (report runs and ``make notebooks``).

The notebooks are committed *executed* with their default parameters, so that
``pytest --nbval`` compares their outputs; :func:`scrub` removes what would vary
between runs (timings, papermill paths, widget state).
"""

from __future__ import annotations

from pathlib import Path

import nbformat

__all__ = ["scrub", "execute_notebook"]

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def scrub(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove run-dependent metadata (timings, papermill paths, widget state) in place."""
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        for key in ("execution", "papermill", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("needs_background", None)
    return nb


def execute_notebook(path: Path, *, timeout: int = 600) -> nbformat.NotebookNode:
    """Execute ``path`` with its default parameters and return the scrubbed notebook."""
    import tempfile

    from nbclient import NotebookClient

    from incubo_analysis.outputs.notebook_runs import kernel_config, quiet_kernel_manager

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="incubo-kernel-") as sockets:  # IPC: no TCP warning
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", config=kernel_config(Path(sockets)),
                                kernel_manager_class=quiet_kernel_manager(),
                                resources={"metadata": {"path": str(path.parent)}}, record_timing=False)
        client.execute()
    return scrub(nb)

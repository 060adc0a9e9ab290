"""Execute the committed notebooks in place (``make notebooks``) and keep them deterministic.

The notebooks are committed *executed* with their default parameters, so that
``pytest --nbval`` compares their outputs. This tool re-executes them (with
nbclient, no timing metadata) and scrubs what would vary between runs.

Usage: ``python -m incubo_analysis.notebooks_tools execute-in-place [NOTEBOOK ...]``
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat

from .paths import NOTEBOOKS_DIR

__all__ = ["scrub", "execute_notebook", "main"]

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
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}}, record_timing=False)
    client.execute()
    return scrub(nb)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``execute-in-place [NOTEBOOK ...]`` (default: every notebook)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "execute-in-place":
        print(__doc__, file=sys.stderr)
        return 2
    paths = [Path(a) for a in args[1:]] or sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
    for path in paths:
        print(f"executing {path.name} ...", flush=True)
        nb = execute_notebook(path)
        nbformat.write(nb, path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

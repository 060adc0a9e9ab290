"""Re-execute the committed notebooks in place (``make notebooks``).

Usage: ``python -m tools.notebooks execute-in-place [NOTEBOOK ...]`` (default: every
notebook of ``notebooks/``). Use it when a change legitimately moves a published figure;
nbval then compares against the new outputs.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat

from incubo_analysis.outputs.notebooks import execute_notebook
from incubo_analysis.paths import NOTEBOOKS_DIR


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``execute-in-place [NOTEBOOK ...]`` (default: every notebook)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "execute-in-place":
        print(__doc__, file=sys.stderr)
        return 2
    paths = [Path(a) for a in args[1:]] or sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
    for path in paths:
        print(f"executing {path.name} ...", flush=True)
        nbformat.write(execute_notebook(path), path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""Project folders, computed from this file's location (never from the working directory)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "ROOT",
    "DATA_RAW",
    "CONTRACT_DIR",
    "ACTUALS_DIR",
    "EXAMPLE_ACTUALS",
    "DATA_PROCESSED",
    "PARAMS_DIR",
    "BASELINE_PARAMS",
    "NOTEBOOKS_DIR",
    "REPORTS_DIR",
    "DOCS_DIR",
    "shown_path",
]

ROOT: Path = Path(__file__).resolve().parent.parent
DATA_RAW: Path = ROOT / "data" / "raw"
CONTRACT_DIR: Path = DATA_RAW / "contract"
ACTUALS_DIR: Path = DATA_RAW / "actuals"
EXAMPLE_ACTUALS: Path = ACTUALS_DIR / "example_actuals.xlsx"
DATA_PROCESSED: Path = ROOT / "data" / "processed"
PARAMS_DIR: Path = ROOT / "params"
BASELINE_PARAMS: Path = PARAMS_DIR / "baseline.yaml"
NOTEBOOKS_DIR: Path = ROOT / "notebooks"
REPORTS_DIR: Path = ROOT / "reports"
DOCS_DIR: Path = ROOT / "docs"


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path as shown to a reader: relative to the project root when inside it, else as given.

    Messages, reports and provenance tables never show the absolute path of the
    project (it differs from machine to machine).

    Examples
    --------
    >>> shown_path(ROOT / "params" / "baseline.yaml")
    'params/baseline.yaml'
    >>> shown_path("/elsewhere/file.xlsx")
    '/elsewhere/file.xlsx'
    """
    p = Path(path)
    try:
        return str(p.resolve().relative_to(ROOT))
    except ValueError:
        return str(p)

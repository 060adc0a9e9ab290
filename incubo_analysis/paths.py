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
    "CHORUS_DIR",
    "EXAMPLE_CHORUS",
    "CHORUS_MAPPING",
    "NON_SCENARIO_FILES",
    "scenario_files",
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
CHORUS_DIR: Path = DATA_RAW / "chorus"
EXAMPLE_CHORUS: Path = CHORUS_DIR / "example_extract.csv"
CHORUS_MAPPING: Path = PARAMS_DIR / "chorus_mapping.yaml"
#: Files of ``params/`` that are not scenario files (configuration read by other loaders).
NON_SCENARIO_FILES: tuple[str, ...] = ("chorus_mapping.yaml",)


def scenario_files(directory: str | os.PathLike[str] | None = None) -> list[Path]:
    """The scenario parameter files of ``params/`` (``*.yaml`` minus :data:`NON_SCENARIO_FILES`), sorted.

    Parameters
    ----------
    directory : path, optional
        Folder to list (default :data:`PARAMS_DIR`).

    Examples
    --------
    >>> [p.name for p in scenario_files()][:1]
    ['baseline.yaml']
    >>> "chorus_mapping.yaml" in [p.name for p in scenario_files()]
    False
    """
    folder = Path(directory) if directory is not None else PARAMS_DIR
    return sorted(p for p in folder.glob("*.yaml") if p.name not in NON_SCENARIO_FILES)


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

"""``incubo check`` (contract data): validate the transcription, write the tidy tables, print the reconciliation."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from incubo_analysis.contract.loaders import load_contract
from incubo_analysis.contract.reconcile import reconcile_contract
from incubo_analysis.io import output_files_dir, write_csv
from incubo_analysis.labels import label
from incubo_analysis.outputs.tables import reconciliation_summary
from incubo_analysis.paths import DATA_PROCESSED

__all__ = ["run_check"]


def run_check(processed: str | os.PathLike[str] | None = None, *,
              contract: str | os.PathLike[str] | None = None, stream=None, lang: str = "fr") -> int:
    """``incubo check``: validate the raw contract, write the tidy tables, print the summary.

    Writes ``financing_plan.csv``, ``financing_totals.csv``, ``savings_plan.csv``,
    ``indicator_targets.csv`` and ``reconciliation.csv`` into ``processed``
    (default ``data/processed``), each file replaced atomically. The folder is marked as
    incubo's (:func:`incubo_analysis.io.output_files_dir`): a file of one of these names that
    incubo did not write is never overwritten (exit 2), other files are left alone.

    ``lang`` ("fr" or "en") is the language of the printed summary.

    Returns
    -------
    int
        0 when the raw data is valid (the contract's inconsistencies are findings).

    Raises
    ------
    SchemaError
        When a raw file is damaged (the command line turns it into exit code 2).
    """
    stream = stream or sys.stdout
    tables = load_contract(contract)
    rec = reconcile_contract(contract)
    out = Path(processed) if processed is not None else DATA_PROCESSED
    outputs = {
        "financing_plan.csv": tables["financing_plan"],
        "financing_totals.csv": tables["financing_totals"],
        "savings_plan.csv": tables["savings_plan"],
        "indicator_targets.csv": tables["indicator_targets"],
        "reconciliation.csv": rec,
    }
    with output_files_dir(out, list(outputs), command="incubo check", option="--processed") as folder:
        for name, frame in outputs.items():
            write_csv(frame, folder / name)  # each file atomically
    print(reconciliation_summary(rec, lang=lang), file=stream)
    print("\n" + label("check.tables_written", lang).format(folder=_relative(out), files=", ".join(outputs)),
          file=stream)
    return 0


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)

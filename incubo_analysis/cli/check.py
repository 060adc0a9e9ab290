"""``incubo check`` (contract data): validate the transcription, write the tidy tables, print the reconciliation."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from incubo_analysis.contract.loaders import load_contract
from incubo_analysis.contract.reconcile import reconcile_contract
from incubo_analysis.io import output_files_dir, write_csv
from incubo_analysis.labels import label
from incubo_analysis.outputs.tables import reconciliation_summary
from incubo_analysis.paths import DATA_PROCESSED

__all__ = ["run_check", "run_check_chorus", "run_check_ds"]


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


def run_check_chorus(chorus: str | os.PathLike[str], *, actuals: str | os.PathLike[str] | None = None,
                     mapping: str | os.PathLike[str] | None = None, scenario: str | os.PathLike[str] | None = None,
                     stream=None, lang: str = "fr") -> int:
    """``incubo check --chorus FILE [--actuals FILE]``: validate a Chorus extract, print its summary.

    Reads the extract with the mapping (default ``params/chorus_mapping.yaml``), prints the lines
    kept and the AE/CP kept by year and, with ``actuals``, the quarters whose FTAP credits differ
    from Chorus by more than 1 k€ (:func:`incubo_analysis.monitoring.chorus.credits_crosscheck`).
    Writes nothing.

    Returns
    -------
    int
        0 when the extract (and the workbook) could be read; differences are findings.

    Raises
    ------
    InputError
        A malformed extract, mapping or workbook (exit code 2, located message).
    """
    from incubo_analysis.monitoring.chorus import chorus_summary, credits_crosscheck, read_chorus_extract
    from incubo_analysis.paths import shown_path

    stream = stream or sys.stdout
    frame = read_chorus_extract(chorus, mapping=mapping, lang=lang)
    crosscheck = None
    if actuals is not None:
        from incubo_analysis.model.params import load_scenario
        from incubo_analysis.monitoring.reader import read_actuals

        plan = load_scenario(scenario) if scenario is not None else None
        crosscheck = credits_crosscheck(read_actuals(actuals, scenario=plan, lang=lang), frame)
    print(chorus_summary(frame, source=shown_path(chorus), crosscheck=crosscheck,
                         actuals_source=shown_path(actuals) if actuals is not None else "", lang=lang), file=stream)
    return 0


def run_check_ds(paths: Sequence[str | os.PathLike[str]], *, stream=None, lang: str = "fr") -> int:
    """``incubo check --ds-export FILE…``: validate démarches-simplifiées exports, print a summary.

    Each export is read by :func:`incubo_analysis.monitoring.ds.read_ds_export` (a dossier of one
    démarche in two files is refused); prints, per file, its dossiers and the header the deposit
    date was read from, then per démarche the dossiers, the decided ones and their median
    processing time in days. Writes nothing; no personal data column is read.

    Returns
    -------
    int
        0 when every export is valid.

    Raises
    ------
    DsExportError
        A malformed export (exit code 2, message naming the file, row and column).
    """
    from incubo_analysis.labels import format_value
    from incubo_analysis.monitoring.ds import combine_ds_exports, ds_overview, load_ds_export

    stream = stream or sys.stdout
    exports = [load_ds_export(p, lang=lang) for p in paths]
    dossiers = combine_ds_exports(exports, lang=lang)  # refuses a dossier exported twice
    print(label("ds.check.title", lang).format(n=len(exports), dossiers=len(dossiers)), file=stream)
    for path, export in zip(paths, exports, strict=True):
        print(label("ds.check.file", lang).format(path=str(path), n=len(export.dossiers),
                                                  header=export.headers["deposited_at"]), file=stream)
    print(label("ds.check.table", lang), file=stream)
    for row in ds_overview(dossiers).itertuples(index=False):
        print(label("ds.check.line", lang).format(
            demarche=row.demarche, n=row.n_dossiers, processed=row.n_processed,
            median=format_value(row.median_days, "number", lang, decimals=1)), file=stream)
    print(label("ds.check.personal", lang), file=stream)
    return 0


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)

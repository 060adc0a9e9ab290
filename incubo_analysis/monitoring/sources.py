"""The real sources of a report: démarches-simplifiées exports and a Chorus extract, read once, up front.

The annual report (``incubo report``) and the quarterly pack (``incubo quarterly``) take
``--ds-export FILE…`` and ``--chorus FILE`` (issue 12). :func:`read_sources` validates every
file before anything runs (a located :class:`~incubo_analysis.errors.InputError`, exit code 2
through the command line) and keeps the tables read, the paths and their SHA-256 for the
provenance; :func:`source_tables` computes, up to a quarter, every table the reports show:

- ``processing_times``: per démarche × quarter of decision, the counts and times
  (:func:`incubo_analysis.monitoring.ds.processing_times`);
- ``processing_time_reduction``: per démarche with a reference time (workbook sheet
  "Délais de référence"), the median of the last four quarters against it;
- ``processing_time_indicator``: one row, the indicator ``axis1_processing_time_reduction``
  (share of those démarches whose time fell by 50 %, target 0.5) and the count of distinct
  démarches with dossiers;
- ``credits_crosscheck``: the workbook's FTAP credits against Chorus, quarter × credit.

Only the tables of the sources given are returned: without sources, an empty dict.

Examples
--------
>>> sources = read_sources()
>>> sources.dossiers is None and sources.chorus is None and dict(sources.hashes) == {}
True
>>> source_tables(sources, None, as_of=pd.Period("2021Q4", freq="Q"))
{}
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from incubo_analysis.contract.schema import parse_quarter, quarter_code
from incubo_analysis.errors import InputError
from incubo_analysis.io import sha256_file
from incubo_analysis.labels import check_lang, label
from incubo_analysis.paths import CHORUS_MAPPING, shown_path

__all__ = ["Sources", "INDICATOR_COLUMNS", "PROCESSING_TIME_INDICATOR", "read_sources", "source_tables"]

#: Code of the indicator computed from the exports (workbook sheet "Indicateurs", contract § 5.2).
PROCESSING_TIME_INDICATOR = "axis1_processing_time_reduction"
#: Columns of the ``processing_time_indicator`` table of :func:`source_tables`.
INDICATOR_COLUMNS: tuple[str, ...] = (
    "indicator", "quarter", "value", "target", "n_references", "n_reached", "n_demarches",
)


@dataclass(frozen=True)
class Sources:
    """The real sources of one report run, validated (:func:`read_sources`).

    Attributes
    ----------
    dossiers : DataFrame or None
        The dossiers of every démarches-simplifiées export
        (:data:`incubo_analysis.monitoring.ds.DS_COLUMNS`); None when no export was given.
    chorus : DataFrame or None
        The Chorus lines kept (:func:`incubo_analysis.monitoring.chorus.read_chorus_extract`);
        None when no extract was given.
    ds_paths : tuple of Path
        The exports, absolute, in the order given.
    chorus_path : Path or None
        The extract, absolute.
    hashes : Mapping
        File as shown to readers (relative to the project when inside it) -> SHA-256 of its
        bytes: every export, the extract and the mapping it was read with (provenance).
    chorus_mapping_path : Path or None
        The mapping the extract was read with (absolute; None without extract).
    """

    dossiers: pd.DataFrame | None = None
    chorus: pd.DataFrame | None = None
    ds_paths: tuple[Path, ...] = ()
    chorus_path: Path | None = None
    hashes: Mapping[str, str] = field(default_factory=dict)
    chorus_mapping_path: Path | None = None

    @property
    def given(self) -> bool:
        """True when an export or an extract was given."""
        return self.dossiers is not None or self.chorus is not None


def _refuse(key: str, **fields: object) -> InputError:
    texts = {g: label(key, g).format(**fields) for g in ("fr", "en")}
    return InputError(texts["en"], texts=texts)


def read_sources(*, ds_exports: Iterable[str | os.PathLike[str]] = (),
                 chorus: str | os.PathLike[str] | None = None,
                 chorus_mapping: str | os.PathLike[str] | None = None, lang: str = "fr") -> Sources:
    """Read and validate the démarches-simplifiées exports and the Chorus extract of a report.

    Parameters
    ----------
    ds_exports : iterable of path
        Exports (xlsx, csv, ods), each read by :func:`incubo_analysis.monitoring.ds.load_ds_export`;
        a dossier of one démarche in two files is refused (do not give two formats of one export).
    chorus : path, optional
        A Chorus restitution extract (CSV or xlsx).
    chorus_mapping : path, optional
        How to read it (default ``params/chorus_mapping.yaml``); refused without ``chorus``.
    lang : {"fr", "en"}
        Language of the messages (French by default).

    Returns
    -------
    Sources

    Raises
    ------
    InputError
        A file given twice, a mapping without extract, and every refusal of the readers
        (:class:`~incubo_analysis.errors.DsExportError`, ``ChorusError``, ``ParameterError``):
        each message names the file, the row or line and the column, in ``lang`` through
        :meth:`~incubo_analysis.errors.InputError.message_in`.
    """
    from incubo_analysis.monitoring.chorus import load_chorus_mapping, read_chorus_extract
    from incubo_analysis.monitoring.ds import combine_ds_exports, load_ds_export

    check_lang(lang)
    given = [Path(p) for p in ds_exports]
    paths = tuple(p.resolve() for p in given)
    twice = [p for i, p in enumerate(paths) if p in paths[:i]]
    if twice:
        raise _refuse("report.sources.ds_twice", path=shown_path(twice[0]))
    if chorus_mapping is not None and chorus is None:
        raise _refuse("report.sources.mapping_alone", path=shown_path(chorus_mapping))
    dossiers = None
    hashes: dict[str, str] = {}
    if paths:
        # read as given: the messages name the file as the officer typed it
        dossiers = combine_ds_exports([load_ds_export(p, lang=lang) for p in given], lang=lang)
        hashes.update({shown_path(p): sha256_file(p) for p in paths})
    frame, chorus_path, mapping_path = None, None, None
    if chorus is not None:
        mapping_path = Path(chorus_mapping).resolve() if chorus_mapping is not None else CHORUS_MAPPING
        mapping = load_chorus_mapping(mapping_path, lang=lang)
        chorus_path = Path(chorus).resolve()
        frame = read_chorus_extract(chorus_path, mapping=mapping, lang=lang)
        hashes[shown_path(chorus_path)] = sha256_file(chorus_path)
        hashes[shown_path(mapping_path)] = sha256_file(mapping_path)
    return Sources(dossiers, frame, paths, chorus_path, hashes, mapping_path)


def _upto_quarter(codes: pd.Series, end: pd.Period) -> pd.Series:
    """True for the quarter codes (``2021T3``) up to ``end``."""
    return pd.Series([parse_quarter(c, where="period") <= end for c in codes], index=codes.index, dtype=bool)


def _indicator(reduction: pd.DataFrame, n_demarches: int, end: pd.Period) -> pd.DataFrame:
    from incubo_analysis.monitoring.ds import PROCESSING_TIME_TARGET

    n = len(reduction)
    reached = int(reduction["reached"].sum())
    return pd.DataFrame([{
        "indicator": PROCESSING_TIME_INDICATOR, "quarter": quarter_code(end),
        "value": reached / n if n else math.nan, "target": float(PROCESSING_TIME_TARGET),
        "n_references": n, "n_reached": reached, "n_demarches": n_demarches,
    }], columns=list(INDICATOR_COLUMNS)).astype(
        {"value": "float64", "target": "float64", "n_references": "int64", "n_reached": "int64",
         "n_demarches": "int64"})


def source_tables(sources: Sources, actuals: Any, *, as_of: pd.Period | str) -> dict[str, pd.DataFrame]:
    """The tables of the real sources up to the quarter ``as_of`` (the one calculation path).

    Parameters
    ----------
    sources : Sources
        :func:`read_sources`.
    actuals : Actuals
        The officer's workbook (:func:`incubo_analysis.monitoring.reader.read_actuals`): its
        ``reference_delays`` (sheet "Délais de référence") and FTAP ``credits``. Unused without sources.
    as_of : pandas.Period or str
        The last quarter (``2021T4`` for the annual report of 2021).

    Returns
    -------
    dict
        With exports: ``processing_times`` (per démarche × quarter of decision up to ``as_of``,
        :data:`incubo_analysis.monitoring.ds.PROCESSING_TIMES_COLUMNS`),
        ``processing_time_reduction`` (per démarche with a reference, the four quarters ending
        with ``as_of``, :data:`~incubo_analysis.monitoring.ds.REDUCTION_COLUMNS`) and
        ``processing_time_indicator`` (one row, :data:`INDICATOR_COLUMNS`: the share 0–1 of
        those démarches whose time fell by 50 % — NaN without reference —, its target 0.5, the
        number of démarches with a reference and that reached it, and the distinct démarches
        with a dossier deposited by the end of ``as_of``). With an extract:
        ``credits_crosscheck`` (:data:`incubo_analysis.monitoring.chorus.CROSSCHECK_COLUMNS`,
        quarters up to ``as_of``; a difference over 1 k€ is ``flagged``). Empty without sources.
    """
    end = parse_quarter(as_of, where="as_of")
    tables: dict[str, pd.DataFrame] = {}
    if sources.dossiers is not None:
        from incubo_analysis.monitoring.ds import count_demarches, processing_time_reduction, processing_times

        times = processing_times(sources.dossiers, freq="Q")
        tables["processing_times"] = times.loc[_upto_quarter(times["period"], end)].reset_index(drop=True)
        reduction = processing_time_reduction(sources.dossiers, actuals.reference_delays, as_of=end)
        tables["processing_time_reduction"] = reduction
        tables["processing_time_indicator"] = _indicator(reduction, count_demarches(sources.dossiers, end), end)
    if sources.chorus is not None:
        from incubo_analysis.monitoring.chorus import credits_crosscheck

        cross = credits_crosscheck(actuals, sources.chorus)
        keep = (cross["year"] < end.year) | ((cross["year"] == end.year) & (cross["quarter"] <= end.quarter))
        tables["credits_crosscheck"] = cross.loc[keep].reset_index(drop=True)
    return tables

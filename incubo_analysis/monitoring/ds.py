"""Démarches-simplifiées exports: the dossier reader, processing-time statistics and the axis 1 indicator.

Axis 1 of the contract is built on the "démarches-simplifiées" tool (contract § 4); its result
indicator (§ 5.2) is "réduction de 50 % du délai de traitement de la moitié des procédures
dématérialisées" by end 2021. Every démarche exports its dossiers (xlsx, csv, ods) with DS's own
columns ("ID", "État du dossier", "Déposé le", "Traité le"…) among the démarche's fields.

- :func:`read_ds_export` reads one export into a tidy dossier table (:data:`DS_COLUMNS`): only the
  columns it needs, never a personal data column (Email, Nom, Prénom…), strict on those it needs;
  :func:`read_ds_exports` reads several and refuses a dossier exported twice;
- :func:`processing_times` gives, per démarche and period, the counts, the median, the 90th
  percentile and the 5–95 % winsorised mean of the processing time (days from deposit to decision);
- :func:`processing_time_reduction` compares the median of the last four quarters with each
  démarche's reference time (workbook sheet "Délais de référence") and
  :func:`axis1_processing_time_reduction` is the share of démarches whose time fell by 50 %
  (target 0.5); :func:`count_demarches` counts the démarches with dossiers.

The header spellings accepted (:data:`HEADER_VARIANTS`) and their sources in the public code of
demarches-simplifiees.fr are listed in ``docs/assumptions.yaml`` (family D).

Examples
--------
>>> round(winsorised_mean([1, 2, 3, 4, 100]), 6)  # clipped to 1.2 and 80.8
18.2
>>> normalise_name("  Agrément d’association  ") == normalise_name("agrement d'association")
True
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.parsers.expat import ExpatError

import numpy as np
import pandas as pd

from incubo_analysis.contract.schema import parse_quarter, quarter_code
from incubo_analysis.errors import DsExportError, ParameterError, SchemaError
from incubo_analysis.labels import label
from incubo_analysis.paths import DATA_RAW

__all__ = [
    "TIMEZONE",
    "DS_STATES",
    "PROCESSED_STATES",
    "DS_COLUMNS",
    "PROCESSING_TIMES_COLUMNS",
    "REDUCTION_COLUMNS",
    "OVERVIEW_COLUMNS",
    "REFERENCE_COLUMNS",
    "HEADER_VARIANTS",
    "DEMARCHE_HEADERS",
    "STATE_SPELLINGS",
    "REDUCTION_THRESHOLD",
    "PROCESSING_TIME_TARGET",
    "WINSOR_PERCENTILES",
    "EXAMPLE_DS_DIR",
    "DsExport",
    "normalise_name",
    "load_ds_export",
    "read_ds_export",
    "read_ds_exports",
    "combine_ds_exports",
    "winsorised_mean",
    "processing_times",
    "processing_time_reduction",
    "axis1_processing_time_reduction",
    "count_demarches",
    "ds_overview",
]

TIMEZONE = "Europe/Paris"  #: dates of the exports are Paris wall-clock times
#: Dossier states, as demarches-simplifiees.fr codes them (drafts are never exported).
DS_STATES: tuple[str, ...] = ("en_construction", "en_instruction", "accepte", "refuse", "sans_suite")
#: States of a decided dossier: its "Traité le" date is its processing date.
PROCESSED_STATES: tuple[str, ...] = ("accepte", "refuse", "sans_suite")
#: Columns of the dossier table returned by :func:`read_ds_export`.
DS_COLUMNS: tuple[str, ...] = (
    "demarche", "dossier_id", "state", "deposited_at", "instruction_at", "processed_at", "processing_days",
)
#: Columns of :func:`processing_times`.
PROCESSING_TIMES_COLUMNS: tuple[str, ...] = (
    "demarche", "period", "n_deposited", "n_processed", "median_days", "p90_days", "mean_days_winsorised",
)
#: Columns of :func:`processing_time_reduction`.
REDUCTION_COLUMNS: tuple[str, ...] = (
    "demarche", "reference_days", "reference_source", "window_start", "window_end", "n_processed",
    "median_days", "reduction", "reached",
)
#: Columns of :func:`ds_overview`.
OVERVIEW_COLUMNS: tuple[str, ...] = ("demarche", "n_dossiers", "n_processed", "median_days")
#: Columns of the reference times (the workbook's sheet "Délais de référence").
REFERENCE_COLUMNS: tuple[str, ...] = ("demarche", "reference_days", "source")

#: Header spellings of each needed column, first preferred (compared without case, accents or
#: repeated spaces). Sources: docs/assumptions.yaml, entries D1-D4.
HEADER_VARIANTS: dict[str, tuple[str, ...]] = {
    "dossier_id": ("ID", "id", "Numéro de dossier", "Nº dossier", "N° dossier"),
    "state": ("État du dossier", "state", "État"),
    "deposited_at": ("Déposé le", "Passé en construction le", "depose_at", "en_construction_at",
                     "initiated_at", "Date de dépôt"),
    "instruction_at": ("Passé en instruction le", "en_instruction_at", "received_at",
                       "Date de passage en instruction"),
    "processed_at": ("Traité le", "processed_at", "Date de traitement", "Date de décision"),
}
_REQUIRED_ROLES: tuple[str, ...] = ("dossier_id", "state", "deposited_at", "processed_at")
#: Header of an optional column naming the démarche of each row.
DEMARCHE_HEADERS: tuple[str, ...] = ("Démarche", "demarche")
#: State spellings (normalised by :func:`normalise_name`) -> state code.
STATE_SPELLINGS: dict[str, str] = {
    "en construction": "en_construction", "en_construction": "en_construction", "initiated": "en_construction",
    "en instruction": "en_instruction", "en_instruction": "en_instruction", "received": "en_instruction",
    "accepte": "accepte",
    "refuse": "refuse",
    "classe sans suite": "sans_suite", "sans suite": "sans_suite", "sans_suite": "sans_suite",
}
REDUCTION_THRESHOLD = 0.5  #: a démarche counts when its processing time fell by at least 50 %
PROCESSING_TIME_TARGET = 0.5  #: target of the indicator: half of the démarches (contract § 5.2)
WINSOR_PERCENTILES: tuple[float, float] = (5.0, 95.0)  #: clip limits of the winsorised mean
EXAMPLE_DS_DIR: Path = DATA_RAW / "ds"  #: the fictitious exports (tools/example_ds.py)

#: Sheet names that say nothing about the démarche (DS names its first sheet "Dossiers").
_GENERIC_SHEETS = {"dossiers", "sheet1", "feuil1", "feuille1", "tableau1"}
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_STRING_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S %z")
_FREQS = {"Q": "Q", "QE": "Q", "T": "Q", "M": "M", "ME": "M", "Y": "Y", "YE": "Y", "A": "Y"}
#: What a damaged or mislabelled file raises while being read (a user error, not a bug).
_UNREADABLE = (ValueError, OSError, KeyError, IndexError, TypeError, UnicodeError, csv.Error, zipfile.BadZipFile,
               ElementTree.ParseError, ExpatError)
_SUFFIXES = {".xlsx": "openpyxl", ".xlsm": "openpyxl", ".ods": "odf", ".csv": "csv", ".txt": "csv"}


def normalise_name(text: object) -> str:
    """A header, state or démarche name compared loosely: no accents, case or repeated spaces.

    Typographic apostrophes become ``'``; ``Nº`` reads ``no``.

    Examples
    --------
    >>> normalise_name("  État   du DOSSIER ")
    'etat du dossier'
    """
    text = unicodedata.normalize("NFKD", str(text)).replace("\u2019", "'").replace("\u02bc", "'")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip().casefold()


def _t(key: str, lang: str, **fields: object) -> str:
    return label(key, lang).format(**fields)


def _blank(value: object) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _shown(value: object) -> str:
    """A cell value as quoted in a message (short)."""
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


# ----------------------------------------------------------------------------- reading the grid


@dataclass(frozen=True)
class _Grid:
    """The raw cells of one export: ``cells[i]`` is spreadsheet row ``i + 1``."""

    cells: list[list[object]]
    where: str
    sheet: str | None


def _read_grid(path: Path, shown: str, lang: str) -> _Grid:
    if not path.is_file():
        raise DsExportError(_t("ds.msg.not_found", "en", path=shown),
                            texts={g: _t("ds.msg.not_found", g, path=shown) for g in ("fr", "en")})
    engine = _SUFFIXES.get(path.suffix.lower())
    if engine is None:
        texts = {g: _t("ds.msg.bad_suffix", g, path=shown, suffix=path.suffix or "–") for g in ("fr", "en")}
        raise DsExportError(texts["en"], texts=texts)
    try:
        if engine == "csv":
            return _Grid(_csv_cells(path.read_bytes()), shown, None)
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine=engine)
    except _UNREADABLE as exc:
        kind = path.suffix.lower().lstrip(".")
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        texts = {g: _t("ds.msg.unreadable", g, path=shown, kind=kind, reason=reason) for g in ("fr", "en")}
        raise DsExportError(texts["en"], texts=texts) from None
    names = list(sheets)
    if not names:
        texts = {g: _t("ds.msg.empty", g, where=shown) for g in ("fr", "en")}
        raise DsExportError(texts["en"], texts=texts)
    chosen = next((n for n in names if normalise_name(n) == "dossiers"), names[0])
    grid = sheets[chosen].astype(object).to_numpy().tolist()
    return _Grid(grid, _t("ds.msg.where_sheet", lang, path=shown, sheet=chosen), str(chosen))


def _csv_cells(data: bytes) -> list[list[object]]:
    """The records of a CSV export (UTF-8 with or without BOM, else Windows-1252; ``;``, ``,`` or tab)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    return [list(record) for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


# ----------------------------------------------------------------------------- one export


@dataclass(frozen=True)
class DsExport:
    """One démarches-simplifiées export, read.

    Attributes
    ----------
    dossiers : DataFrame
        :data:`DS_COLUMNS`, one row per dossier.
    rows : tuple of int
        The spreadsheet row of each dossier (row 1 is the header row).
    where : str
        The file (and sheet), as named in messages.
    headers : dict
        Role (``dossier_id``, ``state``, ``deposited_at``…) -> the header it was read from.
    """

    dossiers: pd.DataFrame
    rows: tuple[int, ...]
    where: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _RowReader:
    """Reads the needed cells of each row, collecting located problems."""

    where: str
    lang: str
    columns: dict[str, tuple[int, str]]
    problems: list[str] = field(default_factory=list)

    def cell(self, role: str, row: int) -> str:
        return _t("ds.msg.where_cell", self.lang, where=self.where, row=row, column=self.columns[role][1])

    def value(self, cells: Sequence[object], role: str) -> object:
        index = self.columns[role][0]
        return cells[index] if index < len(cells) else None

    def dossier_id(self, cells: Sequence[object], row: int) -> int | None:
        value = self.value(cells, "dossier_id")
        number = _as_int(value)
        if number is None or number <= 0:
            self.problems.append(_t("ds.msg.bad_id", self.lang, cell=self.cell("dossier_id", row),
                                    found=_shown(value) if not _blank(value) else "''"))
            return None
        return number

    def state(self, cells: Sequence[object], row: int) -> str | None:
        value = self.value(cells, "state")
        code = STATE_SPELLINGS.get(normalise_name(value)) if not _blank(value) else None
        if code is None:
            expected = ", ".join(label(f"ds.state.{s}", "fr") for s in DS_STATES)
            self.problems.append(_t("ds.msg.bad_state", self.lang, cell=self.cell("state", row),
                                    found=_shown(value) if not _blank(value) else "''", expected=expected))
        return code

    def date(self, cells: Sequence[object], role: str, row: int, *, required_in: str | None) -> pd.Timestamp | None:
        """The date of ``role``; blank is a problem when ``required_in`` (a state code) is given."""
        if role not in self.columns:
            return None
        value = self.value(cells, role)
        if _blank(value):
            if required_in is not None:
                self.problems.append(_t("ds.msg.date_missing", self.lang, cell=self.cell(role, row),
                                        state=label(f"ds.state.{required_in}", self.lang)))
            return None
        stamp = _as_timestamp(value)
        if stamp is None:
            self.problems.append(_t("ds.msg.bad_date", self.lang, cell=self.cell(role, row), found=_shown(value)))
        return stamp

    def demarche(self, cells: Sequence[object], row: int, default: str) -> str | None:
        if "demarche" not in self.columns:
            return default
        value = self.value(cells, "demarche")
        if _blank(value):
            self.problems.append(_t("ds.msg.no_demarche", self.lang, cell=self.cell("demarche", row)))
            return None
        return re.sub(r"\s+", " ", str(value)).strip()


def _as_int(value: object) -> int | None:
    if isinstance(value, bool) or _blank(value):
        return None
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return int(value) if float(value).is_integer() else None
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def _as_timestamp(value: object) -> pd.Timestamp | None:
    """A Paris-time timestamp from an Excel/ODS date, an Excel serial number or a text date; None if none."""
    stamp: pd.Timestamp | None = None
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp | np.datetime64):
        stamp = pd.Timestamp(value)
    elif isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
        if 1 <= float(value) < 2958466:  # Excel serial days (1900 system): up to 9999-12-31
            stamp = (_EXCEL_EPOCH + pd.Timedelta(days=float(value))).round("s")
    elif isinstance(value, str):
        stamp = _parse_text_date(value.strip())
    if stamp is None or pd.isna(stamp) or not 1990 <= stamp.year <= 2100:
        return None
    if stamp.tzinfo is None:
        return stamp.tz_localize(TIMEZONE, ambiguous=True, nonexistent="shift_forward")
    return stamp.tz_convert(TIMEZONE)


def _parse_text_date(text: str) -> pd.Timestamp | None:
    for fmt in _STRING_FORMATS:
        try:
            return pd.Timestamp(dt.datetime.strptime(text, fmt))
        except ValueError:
            continue
    try:
        return pd.Timestamp(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return None


def _resolve_columns(headers: list[str], where: str, lang: str) -> tuple[dict[str, tuple[int, str]], list[str]]:
    """Role -> (column index, header) for the needed columns (first accepted spelling wins); problems."""
    keys = [normalise_name(h) for h in headers]
    columns: dict[str, tuple[int, str]] = {}
    spellings = {**HEADER_VARIANTS, "demarche": DEMARCHE_HEADERS}
    for role, variants in spellings.items():
        for variant in variants:
            if normalise_name(variant) in keys:
                index = keys.index(normalise_name(variant))
                columns[role] = (index, headers[index])
                break
    problems = []
    found = ", ".join(repr(h) for h in headers if h) or "–"
    for role in _REQUIRED_ROLES:
        if role not in columns:
            accepted = ", ".join(f"« {v} »" if lang == "fr" else f"'{v}'" for v in HEADER_VARIANTS[role])
            problems.append(_t("ds.msg.column_missing", lang, where=where, role=label(f"ds.role.{role}", lang),
                               accepted=accepted, found=found if len(found) < 400 else found[:397] + "..."))
    return columns, problems


def _default_demarche(path: Path, sheet: str | None) -> str:
    if sheet is not None and normalise_name(sheet) not in _GENERIC_SHEETS:
        return sheet.strip()
    return path.stem.strip()


def _raise_problems(shown: str, problems: list[str], lang: str) -> None:
    n = len(problems)
    key = "ds.msg.headline_plural" if n > 1 else "ds.msg.headline"
    if n == 1:
        raise DsExportError(problems[0], texts={lang: problems[0]})
    texts = {g: _t(key, g, path=shown, n=n) for g in ("fr", "en")}
    raise DsExportError(texts[lang], problems=problems, texts=texts)


def load_ds_export(path: str | Path, *, demarche: str | None = None, lang: str = "fr") -> DsExport:
    """Read one démarches-simplifiées export (xlsx, csv or ods), with where each dossier came from.

    Same reading as :func:`read_ds_export`; the result also holds the spreadsheet row of each
    dossier and the header each needed column was read from (for messages and summaries).

    Raises
    ------
    DsExportError
        As :func:`read_ds_export`.
    """
    path = Path(path)
    shown = str(path)
    grid = _read_grid(path, shown, lang)
    first = next((i for i, row in enumerate(grid.cells) if not all(_blank(v) for v in row)), None)
    if first is None:
        texts = {g: _t("ds.msg.empty", g, where=grid.where) for g in ("fr", "en")}
        raise DsExportError(texts[lang], texts=texts)
    headers = ["" if _blank(h) else str(h).strip() for h in grid.cells[first]]
    columns, problems = _resolve_columns(headers, grid.where, lang)
    if problems:
        _raise_problems(shown, problems, lang)
    reader = _RowReader(grid.where, lang, columns)
    default = demarche.strip() if demarche else _default_demarche(path, grid.sheet)
    if demarche:
        columns.pop("demarche", None)
    records, rows = _read_rows(reader, grid.cells, first, default)
    if reader.problems:
        _raise_problems(shown, reader.problems, lang)
    frame = _dossier_frame(records)
    return DsExport(frame, tuple(rows), grid.where, {role: h for role, (_i, h) in columns.items()})


def _read_rows(reader: _RowReader, cells: list[list[object]], first: int,
               default: str) -> tuple[list[dict[str, Any]], list[int]]:
    records: list[dict[str, Any]] = []
    rows: list[int] = []
    seen: dict[tuple[str, int], int] = {}
    for index in range(first + 1, len(cells)):
        row_cells, row = cells[index], index + 1
        if all(_blank(v) for v in row_cells):
            continue
        record = _read_row(reader, row_cells, row, default)
        if record is None:
            continue
        key = (normalise_name(record["demarche"]), record["dossier_id"])
        if key in seen:
            reader.problems.append(_t("ds.msg.duplicate_id", reader.lang, cell=reader.cell("dossier_id", row),
                                      id=record["dossier_id"], first=seen[key]))
            continue
        seen[key] = row
        records.append(record)
        rows.append(row)
    return records, rows


def _read_row(reader: _RowReader, cells: Sequence[object], row: int, default: str) -> dict[str, Any] | None:
    name = reader.demarche(cells, row, default)
    number = reader.dossier_id(cells, row)
    state = reader.state(cells, row)
    deposited = reader.date(cells, "deposited_at", row, required_in=state or "en_construction")
    instruction = reader.date(cells, "instruction_at", row, required_in=None)
    done = state in PROCESSED_STATES
    processed = reader.date(cells, "processed_at", row, required_in=state if done else None)
    if done and processed is not None and deposited is not None and processed < deposited:
        reader.problems.append(_t(
            "ds.msg.before_deposit", reader.lang, cell=reader.cell("processed_at", row),
            processed=processed.strftime("%d/%m/%Y %H:%M"), deposited=deposited.strftime("%d/%m/%Y %H:%M"),
            deposit_column=reader.columns["deposited_at"][1]))
        return None
    if name is None or number is None or state is None or deposited is None or (done and processed is None):
        return None
    if not done:
        processed = None  # the state says the dossier is not decided: a stale date is not a decision
    days = (processed - deposited).total_seconds() / 86400 if processed is not None else math.nan
    return {"demarche": name, "dossier_id": number, "state": state, "deposited_at": deposited,
            "instruction_at": instruction, "processed_at": processed, "processing_days": days}


def _dossier_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """The dossier table (:data:`DS_COLUMNS`, typed) from the records read."""
    frame = pd.DataFrame.from_records(records, columns=list(DS_COLUMNS))
    frame["demarche"] = frame["demarche"].astype("str")
    frame["state"] = frame["state"].astype("str")
    frame["dossier_id"] = frame["dossier_id"].astype("int64")
    for column in ("deposited_at", "instruction_at", "processed_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True).dt.tz_convert(TIMEZONE)
    frame["processing_days"] = frame["processing_days"].astype("float64")
    return frame


def read_ds_export(path: str | Path, *, demarche: str | None = None, lang: str = "fr") -> pd.DataFrame:
    """Read one démarches-simplifiées export into a table of dossiers.

    Parameters
    ----------
    path : path
        The export: ``.xlsx`` (sheet "Dossiers", else the first sheet), ``.ods`` or ``.csv``
        (``;``, ``,`` or tab separated; UTF-8 with or without BOM). The header row is the first
        non-blank row. The header spellings DS has used are accepted (:data:`HEADER_VARIANTS`);
        the démarche's own columns and every personal data column are ignored, never copied.
    demarche : str, optional
        The démarche's name; else the "Démarche" column, else the sheet name (unless generic,
        such as DS's "Dossiers"), else the file name without its extension.
    lang : {"fr", "en"}
        Language of the messages (French by default).

    Returns
    -------
    DataFrame
        :data:`DS_COLUMNS`: ``demarche`` (str), ``dossier_id`` (int), ``state`` (a code of
        :data:`DS_STATES`), ``deposited_at``, ``instruction_at``, ``processed_at`` (Europe/Paris
        timestamps; ``processed_at`` NaT unless the dossier is decided), ``processing_days``
        (processed − deposited in days, float; NaN when not decided).

    Raises
    ------
    DsExportError
        Missing file, unsupported extension, unreadable file, a needed column missing, an ID
        that is not a positive whole number or appears twice, an unknown state, a blank or
        unparsable date, a decision before the deposit: each located (file, sheet, spreadsheet
        row, column) with what was expected.
    """
    return load_ds_export(path, demarche=demarche, lang=lang).dossiers


def read_ds_exports(paths: Iterable[str | Path], *, lang: str = "fr") -> pd.DataFrame:
    """Read several exports into one dossier table; a dossier of one démarche in two files is refused.

    Parameters
    ----------
    paths : iterable of path
        Exports, each read by :func:`read_ds_export` (démarche from its column, sheet or file name).
    lang : {"fr", "en"}

    Returns
    -------
    DataFrame
        :data:`DS_COLUMNS`, the files' rows in the order given.

    Raises
    ------
    DsExportError
        As :func:`read_ds_export`, or when a (démarche, ID) pair is in two files.
    """
    return combine_ds_exports([load_ds_export(p, lang=lang) for p in paths], lang=lang)


def combine_ds_exports(exports: Sequence[DsExport], *, lang: str = "fr") -> pd.DataFrame:
    """One dossier table from exports already read (:func:`load_ds_export`); see :func:`read_ds_exports`.

    Raises
    ------
    DsExportError
        When a (démarche, ID) pair is in two exports: one message per pair of files, naming the
        first dossier concerned and its rows.
    """
    seen: dict[tuple[str, int], tuple[str, int]] = {}
    clashes: dict[tuple[str, str], list[tuple[int, int, str, int]]] = {}
    for export in exports:
        pairs = export.dossiers[["demarche", "dossier_id"]].itertuples(index=False)
        for (name, number), row in zip(pairs, export.rows, strict=True):
            key = (normalise_name(name), int(number))
            if key in seen:
                other, first = seen[key]
                clashes.setdefault((export.where, other), []).append((row, int(number), str(name), first))
            else:
                seen[key] = (export.where, row)
    problems = [_t("ds.msg.duplicate_across", lang, where=where, row=found[0][0], id=found[0][1],
                   demarche=found[0][2], other=other, first=found[0][3], n=len(found))
                for (where, other), found in clashes.items()]
    if problems:
        _raise_problems(exports[-1].where, problems, lang)
    if not exports:
        return _dossier_frame([])
    return pd.concat([e.dossiers for e in exports], ignore_index=True)


# ----------------------------------------------------------------------------- statistics


def winsorised_mean(values: Iterable[float], lower: float = WINSOR_PERCENTILES[0],
                    upper: float = WINSOR_PERCENTILES[1]) -> float:
    """Mean after clipping at the ``lower`` and ``upper`` percentiles (numpy's linear method).

    Parameters
    ----------
    values : iterable of float
        Processing times (days); NaN are ignored.
    lower, upper : float
        Percentiles (0–100) of the clip limits (default 5 and 95).

    Returns
    -------
    float
        NaN when there is no value.

    Examples
    --------
    >>> winsorised_mean([10, 20, 30])  # limits 11 and 29: mean of 11, 20, 29
    20.0
    """
    x = np.asarray([v for v in values if not pd.isna(v)], dtype=float)
    if x.size == 0:
        return math.nan
    lo, hi = np.percentile(x, [lower, upper])  # method="linear", numpy's default
    return float(np.clip(x, lo, hi).mean())


def _p90(values: pd.Series) -> float:
    return float(np.percentile(values.to_numpy(dtype=float), 90)) if len(values) else math.nan


def _require_dossiers(dossiers: object, what: str) -> pd.DataFrame:
    if not isinstance(dossiers, pd.DataFrame):
        raise SchemaError(f"{what}: expected a pandas DataFrame, got {type(dossiers).__name__}")
    missing = [c for c in DS_COLUMNS if c not in dossiers.columns]
    if missing:
        raise SchemaError(f"{what}: missing column(s) {', '.join(missing)}; expected {', '.join(DS_COLUMNS)}")
    return dossiers


def _freq(freq: str) -> str:
    code = _FREQS.get(str(freq).upper())
    if code is None:
        texts = {g: _t("ds.msg.bad_freq", g, found=repr(freq)) for g in ("fr", "en")}
        raise ParameterError(texts["en"], texts=texts)
    return code


def _periods(stamps: pd.Series, code: str) -> pd.Series:
    """The calendar period (Paris wall-clock time) of each timestamp."""
    local = pd.to_datetime(stamps, utc=True).dt.tz_convert(TIMEZONE).dt.tz_localize(None)
    return local.dt.to_period(code)


def _period_code(period: pd.Period) -> str:
    if period.freqstr.startswith("Q"):
        return quarter_code(period)
    return str(period)


def processing_times(dossiers: pd.DataFrame, *, freq: str = "Q") -> pd.DataFrame:
    """Processing times per démarche and period.

    A dossier is counted as deposited in the period of its deposit, and as processed (with its
    processing time) in the period of its decision; periods are calendar periods in Paris time.

    Parameters
    ----------
    dossiers : DataFrame
        :data:`DS_COLUMNS` (:func:`read_ds_export`).
    freq : {"Q", "M", "Y"}
        Quarters (default), months or years.

    Returns
    -------
    DataFrame
        :data:`PROCESSING_TIMES_COLUMNS`, one row per démarche and period with a deposit or a
        decision, sorted: ``period`` (str: ``2021T1``, ``2021-03`` or ``2021``), ``n_deposited``,
        ``n_processed`` (int), ``median_days``, ``p90_days`` (90th percentile, numpy linear),
        ``mean_days_winsorised`` (5–95 %, :func:`winsorised_mean`), in days; NaN without decision.

    Raises
    ------
    SchemaError
        When ``dossiers`` lacks a column.
    ParameterError
        Unknown ``freq``.
    """
    data = _require_dossiers(dossiers, "processing_times")
    code = _freq(freq)
    deposited = pd.DataFrame({"demarche": data["demarche"].astype(str),
                              "period": _periods(data["deposited_at"], code)})
    n_deposited = deposited.groupby(["demarche", "period"]).size().rename("n_deposited")
    done = data.loc[data["processing_days"].notna()]
    decided = pd.DataFrame({"demarche": done["demarche"].astype(str),
                            "period": _periods(done["processed_at"], code),
                            "days": done["processing_days"].astype(float)})
    stats = decided.groupby(["demarche", "period"])["days"].agg(
        n_processed="size", median_days="median", p90_days=_p90, mean_days_winsorised=winsorised_mean)
    table = pd.concat([n_deposited, stats], axis=1).sort_index().reset_index()
    for column in ("n_deposited", "n_processed"):
        table[column] = table[column].fillna(0).astype("int64")
    for column in ("median_days", "p90_days", "mean_days_winsorised"):
        table[column] = table[column].astype("float64")
    table["period"] = [_period_code(p) for p in table["period"]]
    table["demarche"] = table["demarche"].astype("str")
    return table.loc[:, list(PROCESSING_TIMES_COLUMNS)]


def _references(references: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """The reference times, checked: one row per démarche, a time above 0 days."""
    missing = [c for c in ("demarche", "reference_days") if c not in getattr(references, "columns", ())]
    if missing:
        texts = {g: _t("ds.msg.references", g, columns=", ".join(missing), expected=", ".join(REFERENCE_COLUMNS))
                 for g in ("fr", "en")}
        raise SchemaError(texts["en"], texts=texts)
    refs = references.loc[:, [c for c in REFERENCE_COLUMNS if c in references.columns]].copy()
    if "source" not in refs.columns:
        refs["source"] = ""
    refs["key"] = [normalise_name(n) for n in refs["demarche"]]
    for name, days in zip(refs["demarche"], refs["reference_days"], strict=True):
        value = pd.to_numeric(pd.Series([days]), errors="coerce").iloc[0]
        if pd.isna(value) or value <= 0:
            texts = {g: _t("ds.msg.bad_reference", g, demarche=name, found=_shown(days)) for g in ("fr", "en")}
            raise SchemaError(texts["en"], texts=texts)
    twice = refs.loc[refs["key"].duplicated(), "demarche"].tolist()
    if twice:
        texts = {g: _t("ds.msg.reference_twice", g, demarche=twice[0]) for g in ("fr", "en")}
        raise SchemaError(texts["en"], texts=texts)
    refs["reference_days"] = pd.to_numeric(refs["reference_days"]).astype(float)
    return refs


def processing_time_reduction(dossiers: pd.DataFrame, references: pd.DataFrame, *,
                              as_of: str | pd.Period) -> pd.DataFrame:
    """Reduction of each démarche's processing time against its reference, over the last four quarters.

    For each démarche with a reference time: the median processing time of the dossiers decided
    in the four quarters ending with ``as_of`` (window ``as_of − 3`` to ``as_of``), then
    ``reduction = 1 − median / reference`` and ``reached = reduction ≥ 50 %``. Démarches are
    matched on their names compared loosely (:func:`normalise_name`).

    Parameters
    ----------
    dossiers : DataFrame
        :data:`DS_COLUMNS`.
    references : DataFrame
        ``demarche``, ``reference_days`` (days before dematerialisation, > 0), ``source``
        (optional) — the workbook's sheet "Délais de référence" (``Actuals.reference_delays``).
    as_of : str or pandas.Period
        Last quarter of the window (``"2021T4"`` or a quarterly Period).

    Returns
    -------
    DataFrame
        :data:`REDUCTION_COLUMNS`, one row per reference, in the references' order: ``n_processed``
        (int), ``median_days`` (days; NaN when no dossier was decided in the window), ``reduction``
        (share 0–1, NaN without decision), ``reached`` (bool, False without decision),
        ``window_start`` / ``window_end`` (quarter codes).

    Raises
    ------
    SchemaError
        A frame lacks a column, a reference time is not above 0, a démarche has two references,
        or ``as_of`` is not a quarter.
    """
    data = _require_dossiers(dossiers, "processing_time_reduction")
    end = parse_quarter(as_of, where="as_of")
    start = end - 3
    refs = _references(references)
    done = data.loc[data["processing_days"].notna()]
    quarter = _periods(done["processed_at"], "Q")
    window = done.loc[(quarter >= start) & (quarter <= end)]
    keys = pd.Series([normalise_name(n) for n in window["demarche"]], index=window.index, dtype=object)
    rows = []
    for ref in refs.itertuples(index=False):
        days = window.loc[keys == ref.key, "processing_days"].astype(float)
        median = float(days.median()) if len(days) else math.nan
        reduction = 1 - median / ref.reference_days if len(days) else math.nan
        rows.append({"demarche": ref.demarche, "reference_days": ref.reference_days,
                     "reference_source": str(ref.source), "window_start": quarter_code(start),
                     "window_end": quarter_code(end), "n_processed": len(days), "median_days": median,
                     "reduction": reduction,
                     "reached": bool(not math.isnan(reduction) and reduction >= REDUCTION_THRESHOLD - 1e-12)})
    table = pd.DataFrame(rows, columns=list(REDUCTION_COLUMNS))
    return table.astype({"n_processed": "int64", "reached": "bool", "median_days": "float64",
                         "reduction": "float64", "reference_days": "float64"})


def axis1_processing_time_reduction(dossiers: pd.DataFrame, references: pd.DataFrame, *,
                                    as_of: str | pd.Period) -> float:
    """Indicator "axis1_processing_time_reduction": share of démarches whose processing time fell by 50 %.

    The share, among the démarches with a reference time, of those whose median processing
    time over the four quarters ending with ``as_of`` is at most half their reference
    (:func:`processing_time_reduction`); a démarche with no dossier decided in the window counts
    as not reached. Target :data:`PROCESSING_TIME_TARGET` (0.5) at end 2021 (contract § 5.2).

    Returns
    -------
    float
        Share 0–1; NaN when there is no reference.
    """
    table = processing_time_reduction(dossiers, references, as_of=as_of)
    return float(table["reached"].mean()) if len(table) else math.nan


def count_demarches(dossiers: pd.DataFrame, as_of: str | pd.Period | None = None) -> int:
    """Number of distinct démarches with at least one dossier deposited (by the end of ``as_of``).

    Parameters
    ----------
    dossiers : DataFrame
        :data:`DS_COLUMNS`.
    as_of : str or pandas.Period, optional
        Last quarter counted (``"2021T4"``); all dossiers when None.

    Returns
    -------
    int
    """
    data = _require_dossiers(dossiers, "count_demarches")
    if as_of is not None:
        end = parse_quarter(as_of, where="as_of")
        data = data.loc[_periods(data["deposited_at"], "Q") <= end]
    return int(pd.Series([normalise_name(n) for n in data["demarche"]], dtype=object).nunique())


def ds_overview(dossiers: pd.DataFrame) -> pd.DataFrame:
    """Per démarche: dossiers, decided dossiers and their median processing time (days), all periods.

    Returns
    -------
    DataFrame
        :data:`OVERVIEW_COLUMNS`, sorted by démarche.
    """
    data = _require_dossiers(dossiers, "ds_overview")
    grouped = data.groupby(data["demarche"].astype(str), sort=True)
    table = pd.DataFrame({
        "n_dossiers": grouped.size(),
        "n_processed": grouped["processing_days"].count(),
        "median_days": grouped["processing_days"].median(),
    }).reset_index(names="demarche")
    return table.astype({"n_dossiers": "int64", "n_processed": "int64", "median_days": "float64"})

"""Read the transcribed contract (``data/raw/contract/``) into tidy, validated frames.

Every loader checks its file against a declared :class:`~incubo_analysis.contract.schema.TableSchema`;
a damaged file raises :class:`~incubo_analysis.errors.SchemaError` naming the file, the
line and the column. Amounts are in k€ (thousands of euros), as printed in the contract;
a blank cell of the printed table is read as 0.

Examples
--------
>>> plan = load_financing_plan()
>>> float(plan.query("source == 'FTAP' and credit == 'CP'")["amount_keur"].sum())
1235.0
>>> float(load_savings_plan().query("year == 2022")["amount_keur"].sum())
1824.0
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import pandas as pd

from incubo_analysis.contract.schema import (
    AXES,
    CONTRACT_YEARS,
    CREDITS,
    FINANCING_COLUMNS,
    INDICATOR_COLUMNS,
    LEVERS,
    MILESTONE_COLUMNS,
    MILESTONE_KINDS,
    QUARTER_SOURCES,
    SAVINGS_PLAN_COLUMNS,
    SOURCES,
    TITLES,
    Column,
    TableSchema,
    parse_quarter,
    read_csv_validated,
)
from incubo_analysis.errors import SchemaError
from incubo_analysis.paths import CONTRACT_DIR, ROOT

__all__ = [
    "AMOUNT_COLUMNS",
    "load_financing_plan",
    "load_financing_totals",
    "load_savings_plan",
    "load_savings_table",
    "load_savings_totals",
    "load_indicator_targets",
    "load_text_figures",
    "load_milestones",
    "load_contract",
]

#: The ten amount columns of the printed tables, in print order.
AMOUNT_COLUMNS: tuple[str, ...] = tuple(f"{y}_{c}" for y in CONTRACT_YEARS for c in CREDITS)

_AMOUNTS = tuple(Column(c, "amount") for c in AMOUNT_COLUMNS)

FINANCING_LINES_SCHEMA = TableSchema(
    columns=(
        Column("line_id"),
        Column("axis", "int", allowed=AXES),
        Column("title", "str", allowed=TITLES),
        Column("source", "str", allowed=SOURCES),
        Column("label_printed"),
        Column("label"),
        Column("group_printed", blank_ok=True),
        *_AMOUNTS,
    ),
    key=("axis", "title", "source", "label", "group_printed"),
)

FINANCING_TOTALS_SCHEMA = TableSchema(
    columns=(
        Column("total_id"),
        Column("axis", "int", allowed=AXES, blank_ok=True),
        Column("title", "str", allowed=TITLES, blank_ok=True),
        Column("source", "str", allowed=SOURCES, blank_ok=True),
        Column("label_printed"),
        Column("components", blank_ok=True),
        *_AMOUNTS,
    ),
    key=("total_id",),
)

SAVINGS_PLAN_SCHEMA = TableSchema(
    columns=(
        Column("lever", "str", allowed=LEVERS),
        Column("label_printed"),
        Column("etp", "amount"),
        *_AMOUNTS,
    ),
    key=("lever",),
)

SAVINGS_TOTALS_SCHEMA = TableSchema(
    columns=(Column("total_id"), Column("label_printed"), Column("components"), *_AMOUNTS),
    key=("total_id",),
)

INDICATORS_SCHEMA = TableSchema(
    columns=(
        Column("indicator"),
        Column("kind", "str", allowed=("progress", "result")),
        Column("axis", "int", allowed=AXES, blank_ok=True),
        Column("year", "int", allowed=CONTRACT_YEARS),
        Column("target", "amount"),
        Column("unit", "str", allowed=("count", "share", "keur")),
        Column("label"),
        Column("printed_text"),
        Column("section"),
    ),
    key=("indicator", "year"),
)

TEXT_FIGURES_SCHEMA = TableSchema(
    columns=(
        Column("figure"),
        Column("section"),
        Column("printed_text"),
        Column("value", "fraction"),
        Column("unit"),
        Column("precision"),
    ),
    key=("figure",),
)

MILESTONES_SCHEMA = TableSchema(
    columns=(
        Column("milestone_id"),
        Column("axis", "int", allowed=AXES),
        Column("action"),
        Column("planned_start", "quarter", blank_ok=True),
        Column("planned_end", "quarter", blank_ok=True),
        Column("indicator", blank_ok=True),
        Column("target", "number", blank_ok=True),
        Column("quarter_source", "str", allowed=QUARTER_SOURCES, blank_ok=True),
        Column("milestone_kind", "str", allowed=MILESTONE_KINDS),
        Column("assumption", blank_ok=True),
    ),
    key=("milestone_id",),
)

FILES = {
    "financing_lines": ("financing_lines.csv", FINANCING_LINES_SCHEMA),
    "financing_totals": ("financing_totals.csv", FINANCING_TOTALS_SCHEMA),
    "savings_plan": ("savings_plan.csv", SAVINGS_PLAN_SCHEMA),
    "savings_totals": ("savings_totals.csv", SAVINGS_TOTALS_SCHEMA),
    "indicators": ("indicators.csv", INDICATORS_SCHEMA),
    "text_figures": ("text_figures.csv", TEXT_FIGURES_SCHEMA),
    "milestones": ("milestones.csv", MILESTONES_SCHEMA),
}


def _dir(directory: str | os.PathLike[str] | None) -> Path:
    return Path(directory) if directory is not None else CONTRACT_DIR


def _stamp(path: Path) -> tuple[str, int, int]:
    try:
        st = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=32)
def _read_cached(stamp: tuple[str, int, int], name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    path = Path(stamp[0])
    schema = FILES[name][1]
    frame = read_csv_validated(path, schema)
    text = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
    return frame, text


def _read(name: str, directory: str | os.PathLike[str] | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validated frame and the same file as raw text (for printed precision)."""
    path = _dir(directory) / FILES[name][0]
    frame, text = _read_cached(_stamp(path), name)
    return frame.copy(), text.copy()


def _decimals(text: str) -> int:
    """Number of decimals printed in a cell ("106.88" → 2, "57" → 0, "" → 0)."""
    text = text.strip()
    return len(text.split(".")[1]) if "." in text else 0


def _melt_amounts(frame: pd.DataFrame, text: pd.DataFrame, id_cols: list[str]) -> pd.DataFrame:
    """Wide amount columns → rows (year, credit, amount_keur, decimals), print order kept."""
    parts = []
    for col in AMOUNT_COLUMNS:
        year, credit = col.split("_")
        part = frame[id_cols].copy()
        part["order"] = range(len(frame))
        part["year"] = int(year)
        part["credit"] = credit
        part["amount_keur"] = frame[col].astype(float)
        part["decimals"] = [_decimals(t) for t in text[col]]
        part["printed"] = [t.strip() != "" for t in text[col]]
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out = out.sort_values(["order", "year", "credit"], kind="stable").drop(columns="order")
    return out.reset_index(drop=True)


def load_financing_plan(directory: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The financing plan (contract section 2), one row per line × year × credit.

    Parameters
    ----------
    directory : path, optional
        Folder holding ``financing_lines.csv`` (default ``data/raw/contract``).

    Returns
    -------
    pandas.DataFrame
        Columns ``axis`` (int 1–4), ``title`` ("T2"/"T3"/"T6"), ``source``
        ("FTAP"/"cofinancing"), ``line`` (label, extraction typos corrected; the
        printed label stays in the raw file), ``year`` (int 2018–2022), ``credit``
        ("AE"/"CP"), ``amount_keur`` (float, k€; blank printed cells are 0),
        then ``line_id`` (stable identifier of the printed line). Years 2018–2022
        with zeros included, lines in print order.

    Raises
    ------
    SchemaError
        When ``financing_lines.csv`` is damaged (the message names file, line, column).

    Examples
    --------
    >>> plan = load_financing_plan()
    >>> plan.groupby("credit")["amount_keur"].sum().to_dict()
    {'AE': 2680.0, 'CP': 2680.0}
    """
    frame, text = _read("financing_lines", directory)
    group = frame["group_printed"].str.replace("innovatons", "innovations").str.replace(
        "directons", "directions"
    )
    frame["line"] = [f"{g} — {lab}" if g else lab for g, lab in zip(group, frame["label"], strict=True)]
    tidy = _melt_amounts(frame, text, ["axis", "title", "source", "line", "line_id"])
    tidy["axis"] = tidy["axis"].astype("int64")
    return tidy[[*FINANCING_COLUMNS, "line_id"]].reset_index(drop=True)


def load_financing_totals(directory: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Every printed subtotal and total of the financing plan, as printed.

    Returns
    -------
    pandas.DataFrame
        Columns ``total_id``, ``axis`` (Int64, <NA> for the grand total), ``title``
        ("" = all titles), ``source`` ("" = both sources), ``label`` (as printed),
        ``components`` (ids of the printed totals it claims to add up, "" for a
        total of lines), ``year``, ``credit``, ``amount_keur`` (k€, as printed),
        ``decimals`` (decimals printed).
    """
    frame, text = _read("financing_totals", directory)
    frame = frame.rename(columns={"label_printed": "label"})
    tidy = _melt_amounts(frame, text, ["total_id", "axis", "title", "source", "label", "components"])
    tidy["axis"] = tidy["axis"].astype("Int64")
    return tidy.drop(columns="printed").reset_index(drop=True)


def load_savings_table(directory: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The savings table (contract section 3) with both credits, as printed.

    Returns
    -------
    pandas.DataFrame
        Columns ``lever``, ``label`` (printed), ``etp`` (FTE at run rate), ``year``,
        ``credit`` ("AE"/"CP"), ``amount_keur`` (k€ as printed, e.g. 106.88),
        ``decimals`` (decimals printed).
    """
    frame, text = _read("savings_plan", directory)
    frame = frame.rename(columns={"label_printed": "label"})
    tidy = _melt_amounts(frame, text, ["lever", "label", "etp"])
    return tidy.drop(columns="printed").reset_index(drop=True)


def load_savings_plan(directory: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The planned savings per lever and year (contract section 3), as printed.

    The printed table repeats each amount in its AE and CP columns; the CP
    column is returned (the reconciliation checks that AE = CP).

    Returns
    -------
    pandas.DataFrame
        Columns ``lever`` (dematerialisation, process_optimisation,
        digital_tools_and_data, user_support), ``etp`` (FTE at full run rate),
        ``year`` (2018–2022), ``amount_keur`` (k€, as printed: 106.88, not 106.875).

    Examples
    --------
    >>> s = load_savings_plan()
    >>> s.loc[(s.lever == "process_optimisation") & (s.year == 2020), "amount_keur"].item()
    106.88
    """
    table = load_savings_table(directory)
    plan = table[table["credit"] == "CP"]
    return plan[list(SAVINGS_PLAN_COLUMNS)].reset_index(drop=True)


def load_savings_totals(directory: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The printed TOTAL row of the savings table: ``total_id``, ``label``,
    ``components``, ``year``, ``credit``, ``amount_keur``, ``decimals``."""
    frame, text = _read("savings_totals", directory)
    frame = frame.rename(columns={"label_printed": "label"})
    tidy = _melt_amounts(frame, text, ["total_id", "label", "components"])
    return tidy.drop(columns="printed").reset_index(drop=True)


def load_indicator_targets(directory: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Indicator targets (contract sections 5.1, 5.2 and annex III).

    Returns
    -------
    pandas.DataFrame
        Columns ``indicator`` (id), ``axis`` (Int64, <NA> for the project-wide
        savings indicator), ``year`` (end of year the target applies to),
        ``target`` (float), ``unit`` ("count", "share" 0–1 or "keur"), then
        ``kind`` ("progress"/"result") and ``label`` (French label).

    Examples
    --------
    >>> t = load_indicator_targets()
    >>> t.loc[t.indicator == "axis3_agents_trained", "target"].tolist()
    [750.0, 1500.0, 2500.0]
    """
    frame, _ = _read("indicators", directory)
    frame["axis"] = frame["axis"].astype("Int64")
    frame["target"] = frame["target"].astype(float)
    return frame[[*INDICATOR_COLUMNS, "kind", "label"]].reset_index(drop=True)


def load_text_figures(directory: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Figures stated in the contract's text, with their printed precision.

    Returns
    -------
    pandas.DataFrame
        Columns ``figure`` (id), ``section``, ``printed_text`` (quotation),
        ``value`` (float, in ``unit``), ``unit`` (EUR, MEUR, share, FTE, ...),
        ``precision`` (the printed precision in ``unit``, or "exact").
    """
    frame, _ = _read("text_figures", directory)
    bad = ~frame["precision"].str.fullmatch(r"exact|\d+(\.\d+)?")
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise SchemaError(
            f"{FILES['text_figures'][0]}: line {i + 2}, column 'precision': expected a number or "
            f"'exact', got {frame['precision'].iloc[i]!r}"
        )
    return frame.reset_index(drop=True)


def load_milestones(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The contract's calendar (annex III): one row per action and key milestone, in print order.

    Parameters
    ----------
    path : path, optional
        The CSV file (default ``data/raw/contract/milestones.csv``). Its ``indicator`` ids are
        checked against the ``indicators.csv`` beside it (the project's when there is none).

    Returns
    -------
    pandas.DataFrame
        Columns ``milestone_id`` (``J01``…), ``axis`` (int 1–4), ``action`` (text as printed),
        ``planned_start``, ``planned_end`` (quarter codes ``2019T4``, "" when not derivable),
        ``indicator`` (id of ``indicators.csv``, "" if none), ``target`` (float, NaN if none; in the
        indicator's unit), ``quarter_source`` (``printed``/``derived``, "" when no quarter), then
        ``milestone_kind`` (``action``/``key_milestone``) and ``assumption`` (the J assumption that derives
        the quarters, "" if none).

    Raises
    ------
    SchemaError
        A damaged file: a bad quarter, a start after the end, a duplicate or malformed id, an
        unknown indicator, a target without indicator, a quarter without source (the message
        names file, line and column).

    Examples
    --------
    >>> m = load_milestones()
    >>> m.loc[m.milestone_id == "J04", ["planned_start", "planned_end", "target"]].to_numpy().tolist()
    [['2019T1', '2019T4', 30.0]]
    """
    path = Path(path) if path is not None else CONTRACT_DIR / FILES["milestones"][0]
    frame, _ = _read_cached(_stamp(path), "milestones")
    frame = frame.copy()
    indicators_dir = path.parent if (path.parent / FILES["indicators"][0]).is_file() else None
    known = set(load_indicator_targets(indicators_dir)["indicator"])
    for i, row in enumerate(frame.itertuples(index=False)):
        problem = _milestone_problem(row, known)
        if problem is not None:
            column, fr, en = problem
            where = _relative_to_root(path)
            raise SchemaError(f"{where}: line {i + 2}, column '{column}': {en}",
                              texts={"fr": f"{where} : ligne {i + 2}, colonne « {column} » : {fr}",
                                     "en": f"{where}: line {i + 2}, column '{column}': {en}"})
    frame["axis"] = frame["axis"].astype("int64")
    frame["target"] = pd.to_numeric(frame["target"].replace("", None), errors="raise").astype(float)
    return frame[[*MILESTONE_COLUMNS, "milestone_kind", "assumption"]].reset_index(drop=True)


def _milestone_problem(row, known: set[str]) -> tuple[str, str, str] | None:
    """The first problem of one milestone row: (column, French text, English text), or None."""
    if not re.fullmatch(r"J\d{2,}", row.milestone_id):
        return ("milestone_id", f"identifiant attendu sous la forme J01, reçu « {row.milestone_id} »",
                f"expected an id written J01, got {row.milestone_id!r}")
    start, end = row.planned_start, row.planned_end
    if start and end and parse_quarter(start) > parse_quarter(end):
        return ("planned_start", f"début {start} après la fin {end}", f"start {start} after the end {end}")
    if bool(start or end) != bool(row.quarter_source):
        return ("quarter_source", "source attendue (printed ou derived) si et seulement si un trimestre est donné",
                "expected a source (printed or derived) exactly when a quarter is given")
    if row.indicator and row.indicator not in known:
        return ("indicator", f"indicateur inconnu « {row.indicator} » (absent de indicators.csv)",
                f"unknown indicator {row.indicator!r} (not in indicators.csv)")
    if row.target != "" and not row.indicator:
        return ("target", "une cible demande un indicateur", "a target needs an indicator")
    return None


def _relative_to_root(path: Path) -> str:
    """Path shown in messages: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def load_contract(directory: str | os.PathLike[str] | None = None) -> dict[str, pd.DataFrame]:
    """Load and validate every contract file; return the tidy tables by name.

    Raises
    ------
    SchemaError
        On the first damaged file.
    """
    return {
        "financing_plan": load_financing_plan(directory),
        "financing_totals": load_financing_totals(directory),
        "savings_plan": load_savings_plan(directory),
        "savings_table": load_savings_table(directory),
        "savings_totals": load_savings_totals(directory),
        "indicator_targets": load_indicator_targets(directory),
        "text_figures": load_text_figures(directory),
    }

"""Column names and code lists shared by the whole package (declared once).

Tidy tables have one value column with an explicit unit (``amount_keur``: k€).
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd

from incubo_analysis.errors import SchemaError

__all__ = [
    "Column",
    "TableSchema",
    "read_csv_validated",
    "AXES",
    "TITLES",
    "SOURCES",
    "CREDITS",
    "LEVERS",
    "CONTRACT_YEARS",
    "FINANCING_COLUMNS",
    "SAVINGS_PLAN_COLUMNS",
    "INDICATOR_COLUMNS",
    "RECONCILIATION_COLUMNS",
    "RECONCILIATION_STATUSES",
    "MILESTONE_COLUMNS",
    "MILESTONE_KINDS",
    "QUARTER_SOURCES",
    "parse_quarter",
    "quarter_code",
]

AXES: tuple[int, ...] = (1, 2, 3, 4)
TITLES: tuple[str, ...] = ("T2", "T3", "T6")
SOURCES: tuple[str, ...] = ("FTAP", "cofinancing")
CREDITS: tuple[str, ...] = ("AE", "CP")
LEVERS: tuple[str, ...] = (
    "dematerialisation",
    "process_optimisation",
    "digital_tools_and_data",
    "user_support",
)
CONTRACT_YEARS: tuple[int, ...] = (2018, 2019, 2020, 2021, 2022)

FINANCING_COLUMNS: tuple[str, ...] = (
    "axis", "title", "source", "line", "year", "credit", "amount_keur",
)
SAVINGS_PLAN_COLUMNS: tuple[str, ...] = ("lever", "etp", "year", "amount_keur")
INDICATOR_COLUMNS: tuple[str, ...] = ("indicator", "axis", "year", "target", "unit")
RECONCILIATION_COLUMNS: tuple[str, ...] = (
    "check", "stated", "computed", "difference", "status",
)
RECONCILIATION_STATUSES: tuple[str, ...] = ("ok", "rounding", "mismatch")
#: Columns of the contract's milestones (annex III, ``data/raw/contract/milestones.csv``).
MILESTONE_COLUMNS: tuple[str, ...] = (
    "milestone_id", "axis", "action", "planned_start", "planned_end", "indicator", "target", "quarter_source",
)
#: ``action``: a row of the calendar; ``key_milestone``: a "jalons et réalisations clés" / "Livrable" cell.
MILESTONE_KINDS: tuple[str, ...] = ("action", "key_milestone")
#: Where a milestone's planned quarters come from (blank when it has none).
QUARTER_SOURCES: tuple[str, ...] = ("printed", "derived")

# A quarter as the French administration writes it ("2020T3"), or 2020-T3, 2020Q3, 2020-Q3.
_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[TQ]\s*([1-4])\s*$", re.IGNORECASE)


def parse_quarter(value: object, *, where: str = "--quarter") -> pd.Period:
    """Read a quarter written ``2020T3``, ``2020-T3``, ``2020Q3`` or ``2020-Q3``.

    Parameters
    ----------
    value : str or pandas.Period
        The quarter; a quarterly :class:`pandas.Period` is returned unchanged.
    where : str
        What to name in the message (an option, a file and column...).

    Returns
    -------
    pandas.Period
        The quarter (``freq="Q-DEC"``: calendar quarters).

    Raises
    ------
    SchemaError
        Anything else (in French and English, :meth:`~incubo_analysis.errors.InputError.message_in`).

    Examples
    --------
    >>> parse_quarter("2020T3")
    Period('2020Q3', 'Q-DEC')
    >>> quarter_code(parse_quarter("2021-q1"))
    '2021T1'
    """
    if isinstance(value, pd.Period) and value.freqstr.startswith("Q"):
        return value
    m = _QUARTER.match(str(value)) if isinstance(value, str) else None
    if m is None or not 1900 <= int(m.group(1)) <= 2100:
        shown = repr(value) if not isinstance(value, str) else f"« {value} »"
        texts = {
            "fr": f"{where} : trimestre attendu sous la forme 2020T3 (ou 2020-T3, 2020Q3), reçu {shown}",
            "en": f"{where}: expected a quarter written 2020T3 (or 2020-T3, 2020Q3), got {value!r}",
        }
        raise SchemaError(texts["en"], texts=texts)
    return pd.Period(year=int(m.group(1)), quarter=int(m.group(2)), freq="Q")


def quarter_code(period: pd.Period) -> str:
    """The quarter as written in file names and tables: ``2020T3``."""
    return f"{period.year}T{period.quarter}"


# --------------------------------------------------------------------------------------
# Declared schemas of the raw CSV files, and their validation
# --------------------------------------------------------------------------------------




_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass(frozen=True)
class Column:
    """One declared column of a raw CSV file.

    Parameters
    ----------
    name : str
        Header, exactly as in the file.
    kind : {"str", "int", "amount", "number", "fraction", "quarter"}
        ``str``: non-empty text (unless ``blank_ok``); ``int``: whole number;
        ``quarter``: a quarter read by :func:`parse_quarter`, stored as its code ``2019T4``;
        ``amount``: decimal number >= 0 in k€ written with a dot, blank allowed
        (a blank cell of the printed table, read as 0); ``number``: decimal
        number (sign allowed); ``fraction``: a decimal or ``p/q``.
    allowed : tuple, optional
        Closed list of allowed values (after conversion).
    blank_ok : bool
        Whether an empty cell is allowed (read as "" for text, <NA> for int).
    """

    name: str
    kind: str = "str"
    allowed: tuple | None = None
    blank_ok: bool = False


@dataclass(frozen=True)
class TableSchema:
    """Declared schema of one raw CSV file: columns, and the key that must be unique."""

    columns: tuple[Column, ...]
    key: tuple[str, ...] = field(default=())

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _convert(value: str, col: Column) -> tuple[bool, Any, str]:
    """Convert one cell; return (ok, converted, expected-description)."""
    v = value.strip()
    if v == "":
        if col.kind == "amount":
            return True, 0.0, ""
        if col.blank_ok:
            return True, (pd.NA if col.kind == "int" else ""), ""
        return False, None, "a value (the cell is empty)"
    converter = _CONVERTERS.get(col.kind)
    if converter is None:  # pragma: no cover - programming error
        raise ValueError(col.kind)
    ok, out, expected = converter(v, col)
    if ok and col.allowed is not None and out not in col.allowed:
        return False, None, "one of " + ", ".join(str(a) for a in col.allowed)
    return ok, out, expected


def _as_text(v: str, col: Column) -> tuple[bool, Any, str]:
    return True, v, "text"


def _as_int(v: str, col: Column) -> tuple[bool, Any, str]:
    if not re.fullmatch(r"-?\d+", v):
        return False, None, "a whole number"
    return True, int(v), "a whole number"


def _as_number(v: str, col: Column) -> tuple[bool, Any, str]:
    """A decimal number (``kind`` "number"), >= 0 for an ``amount`` (k€)."""
    if not _NUMBER.match(v):
        return False, None, "a number written with a dot as decimal mark (e.g. 106.88)"
    out = float(v)
    if col.kind == "amount" and out < 0:
        return False, None, "an amount >= 0"
    return True, out, "a number"


def _as_fraction(v: str, col: Column) -> tuple[bool, Any, str]:
    """A number or an exact fraction ``p/q`` (a share printed as 1/3)."""
    try:
        out = float(Fraction(v))
    except (ValueError, ZeroDivisionError):
        return False, None, "a number or a fraction p/q"
    if not math.isfinite(out):
        return False, None, "a finite number"
    return True, out, "a number"


def _as_quarter(v: str, col: Column) -> tuple[bool, Any, str]:
    """A quarter (``2019T4``, ``2019-T4``, ``2019Q4``), stored as its code ``2019T4``."""
    try:
        return True, quarter_code(parse_quarter(v)), "a quarter"
    except SchemaError:
        return False, None, "a quarter written 2019T4"


_CONVERTERS = {"str": _as_text, "int": _as_int, "amount": _as_number, "number": _as_number,
               "fraction": _as_fraction, "quarter": _as_quarter}


def read_csv_validated(path: str | os.PathLike[str], schema: TableSchema) -> pd.DataFrame:
    """Read a raw CSV file and check it against its declared schema.

    Every cell is read as text first, then converted column by column, so an
    error can name the file, the line (1 = header) and the column.

    Returns
    -------
    pandas.DataFrame
        The declared columns, converted (extra columns are kept as text).

    Raises
    ------
    SchemaError
        Missing file or column, a value of the wrong kind or outside its
        allowed list, or a duplicate key; the message names file, line, column.
    """
    path = Path(path)
    shown = _shown(path)
    raw = _read_raw(path, shown)
    missing = [c for c in schema.names if c not in raw.columns]
    if missing:
        raise SchemaError(
            f"{shown}: missing column '{missing[0]}' (expected columns: {', '.join(schema.names)})"
        )
    data = {col.name: _convert_column(raw[col.name].tolist(), col, shown) for col in schema.columns}
    frame = pd.DataFrame(data)
    for c in raw.columns:
        if c not in data:
            frame[c] = raw[c].to_numpy()
    _check_unique(frame, schema, shown)
    return frame


def _read_raw(path: Path, shown: str) -> pd.DataFrame:
    """Every cell of a UTF-8 CSV file as text."""
    if not path.is_file():
        raise SchemaError(f"{shown}: file not found")
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SchemaError(f"{shown}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else "empty file"
        raise SchemaError(f"{shown}: not a readable CSV table ({msg})") from None


def _convert_column(cells: list[str], col: Column, shown: str) -> list[Any]:
    """Convert a column's cells; the first bad one raises, naming its line (1 = header)."""
    values = []
    for i, cell in enumerate(cells):
        ok, conv, expected = _convert(cell, col)
        if not ok:
            raise SchemaError(f"{shown}: line {i + 2}, column '{col.name}': expected {expected}, got {cell!r}")
        values.append(conv)
    return values


def _check_unique(frame: pd.DataFrame, schema: TableSchema, shown: str) -> None:
    """Refuse a second line with the same key, naming it."""
    if not schema.key:
        return
    dup = frame.duplicated(list(schema.key), keep="first")
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        key = ", ".join(f"{k}={frame[k].iloc[i]!r}" for k in schema.key)
        raise SchemaError(
            f"{shown}: line {i + 2}, column '{schema.key[-1]}': duplicate line ({key} appears twice)"
        )


def _shown(path: Path) -> str:
    """Path shown in messages: relative to the project when inside it."""
    from incubo_analysis.paths import ROOT

    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)

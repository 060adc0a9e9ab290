"""Column names and code lists shared by the whole package (declared once).

Tidy tables have one value column with an explicit unit (``amount_keur``: k€).
"""

from __future__ import annotations

__all__ = [
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

"""Parsers of the follow-up sheets of the actuals workbook, and the reading of its dates.

The sheets "Jalons" (``milestones``), "Risques" (``risks``) and "Délais de référence"
(``reference_delays``) are streamed and checked by :mod:`incubo_analysis.monitoring.reader`
like the other data sheets; this module turns one of their rows into a record. A row
object (the reader's) offers the checks: ``code``, ``integer``, ``amount``, ``text``,
``required_text``, ``date``, ``milestone`` and ``bad`` (each records a located problem and
returns None when the cell is refused).

Dates (assumption A22): a spreadsheet date (a date-formatted number, read as a date), ISO
text ``2020-09-30`` or French text ``30/09/2020``, from :data:`MIN_DATE` to :data:`MAX_DATE`;
anything else is refused (a bare number, ``30.09.2020``, ``Sept. 2020``...). A time of day is
dropped.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import pandas as pd

from incubo_analysis.labels import label

__all__ = [
    "MIN_DATE",
    "MAX_DATE",
    "MAX_REFERENCE_DAYS",
    "parse_workbook_date",
    "format_workbook_date",
    "parse_milestone_row",
    "parse_risk_row",
    "parse_reference_delay_row",
]

#: The earliest and latest dates accepted (domain bounds: a date outside is a typo).
MIN_DATE = _dt.date(2000, 1, 1)
MAX_DATE = _dt.date(2099, 12, 31)
#: The longest reference processing time accepted, in days (ten years).
MAX_REFERENCE_DAYS = 3650.0

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_FRENCH = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_workbook_date(value: object) -> _dt.date | None:
    """The day a cell holds, or None when it is not a date.

    Parameters
    ----------
    value : object
        A cell value as openpyxl reads it.

    Returns
    -------
    datetime.date or None
        The day (a time of day is dropped); None for anything but a spreadsheet
        date, ISO text ``YYYY-MM-DD`` or French text ``DD/MM/YYYY`` naming a real day.

    Examples
    --------
    >>> parse_workbook_date("2020-09-30"), parse_workbook_date(" 30/09/2020 ")
    (datetime.date(2020, 9, 30), datetime.date(2020, 9, 30))
    >>> parse_workbook_date("31/02/2020") is None, parse_workbook_date(44104) is None
    (True, True)
    """
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    iso, french = _ISO.fullmatch(text), _FRENCH.fullmatch(text)
    try:
        if iso:
            return _dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if french:
            return _dt.date(int(french.group(3)), int(french.group(2)), int(french.group(1)))
    except ValueError:  # 31/02/2020, month 13...
        return None
    return None


def format_workbook_date(day: _dt.date, lang: str = "fr") -> str:
    """A day as messages show it: ``30/09/2020`` in French, ``2020-09-30`` in English.

    Examples
    --------
    >>> format_workbook_date(_dt.date(2020, 9, 30)), format_workbook_date(_dt.date(2020, 9, 30), "en")
    ('30/09/2020', '2020-09-30')
    """
    return day.strftime("%d/%m/%Y") if lang == "fr" else day.isoformat()


def _checked(row: Any, record: dict[str, Any], before: int) -> dict[str, Any] | None:
    """``record``, or None if reading it added a problem."""
    return None if len(row.problems) > before else record


def parse_milestone_row(row: Any, codes: Any) -> dict[str, Any] | None:
    """A row of "Jalons": ``milestone_id`` (from the id or the action), two dates, a comment.

    Parameters
    ----------
    row : reader row
        The row's cells and checks.
    codes : reader codes
        What the cells are checked against (the contract's milestones, the language).

    Returns
    -------
    dict or None
        The record (``done_on`` / ``forecast_on`` as :class:`pandas.Timestamp`, NaT when
        blank), or None when a cell was refused (the problem is recorded).
    """
    before = len(row.problems)
    record = {
        "milestone_id": row.milestone(codes),
        "done_on": row.date("done_on", required=False),
        "forecast_on": row.date("forecast_on", required=False),
        "comment": row.text("comment"),
    }
    return _checked(row, record, before)


def parse_risk_row(row: Any, codes: Any) -> dict[str, Any] | None:
    """A row of "Risques": identifier, axis, description, probability and impact 1-4, status, dates.

    A closed risk needs its closing date, on or after the date identified; an open risk
    has none.

    Parameters
    ----------
    row : reader row
        The row's cells and checks.
    codes : reader codes
        What the cells are checked against (axes, statuses, the language).

    Returns
    -------
    dict or None
        The record, or None when a cell was refused (the problem is recorded).
    """
    before = len(row.problems)
    lang = codes.lang
    record = {
        "risk_id": row.required_text("risk_id", label("wb.what.risk_id", lang)),
        "axis": row.code("axis", codes),
        "description": row.required_text("description", label("wb.what.description", lang)),
        "probability": row.integer("probability", 1, 4, label("wb.what.probability", lang)),
        "impact": row.integer("impact", 1, 4, label("wb.what.impact", lang)),
        "mitigation": row.text("mitigation"),
        "owner": row.text("owner"),
        "status": row.code("status", codes),
        "identified_on": row.date("identified_on", required=True),
        "closed_on": row.date("closed_on", required=False),
    }
    _check_closing(row, record, lang)
    return _checked(row, record, before)


def _check_closing(row: Any, record: dict[str, Any], lang: str) -> None:
    """A closed risk has a closing date on or after its identification; an open one has none."""
    status, opened, closed = record["status"], record["identified_on"], record["closed_on"]
    if status is None or closed is None:
        return  # already refused
    if status == "closed" and pd.isna(closed):
        row.bad("closed_on", label("wb.found.blank", lang), label("wb.expect.closing_date", lang))
        return
    if pd.isna(closed):
        return
    shown = label("wb.found.date", lang).format(value=format_workbook_date(closed.date(), lang))
    if status == "open":
        row.bad("closed_on", shown, label("wb.expect.no_closing_date", lang))
    elif opened is not None and closed < opened:
        row.bad("closed_on", shown,
                label("wb.expect.closing_after", lang).format(date=format_workbook_date(opened.date(), lang)))


def parse_reference_delay_row(row: Any, codes: Any) -> dict[str, Any] | None:
    """A row of "Délais de référence": the démarche's name, its reference delay (days > 0), the source.

    Parameters
    ----------
    row : reader row
        The row's cells and checks.
    codes : reader codes
        The language of the messages.

    Returns
    -------
    dict or None
        The record, or None when a cell was refused (the problem is recorded).
    """
    before = len(row.problems)
    lang = codes.lang
    record = {
        "demarche": row.required_text("demarche", label("wb.what.demarche", lang)),
        "reference_days": row.amount("reference_days", label("wb.what.days", lang), MAX_REFERENCE_DAYS,
                                     required=True, positive=True),
        "source": row.text("source"),
    }
    return _checked(row, record, before)

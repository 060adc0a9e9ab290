"""Status of the contract's milestones (annex III) at the end of a quarter.

The contract asks for the "respect du calendrier" every quarter (§ 5, § 5.1). The calendar is
:func:`incubo_analysis.contract.loaders.load_milestones` (planned end quarters, derived where
the printed table lost them: assumptions J2–J8); what happened is the officer's workbook sheet
"Jalons" (``milestone_id``, ``done_on``, ``forecast_on``, ``comment``). Rules (assumptions J9–J11):

- ``done``: completed on or before the last day of the quarter (``done_on`` ≤ end of quarter);
- ``rescheduled``: not done, and a revised forecast (``forecast_on``) falls in a quarter after the
  planned end and is not yet passed;
- ``late``: not done, and the planned end quarter is over (planned end ≤ the quarter) with no
  revised forecast after it, **or** the revised forecast itself is passed (``forecast_on`` ≤ end
  of quarter);
- ``on_time``: otherwise (not yet due, including a milestone whose planned end is the next quarter).

A milestone with no derivable planned end is ``done`` when completed, ``late`` when a forecast
given for it is passed, ``on_time`` otherwise (never ``rescheduled``: there is no planned date
to move). The workbook does not say when a revised due date was decided: it applies at every
quarter.

Examples
--------
>>> import pandas as pd
>>> from incubo_analysis.contract.loaders import load_milestones
>>> reported = pd.DataFrame({"milestone_id": ["J03"], "done_on": [pd.Timestamp("2019-01-15")],
...                          "forecast_on": [pd.NaT], "comment": [""]})
>>> s = milestone_status(load_milestones(), reported, "2019T1")
>>> s.set_index("milestone_id").loc[["J03", "J04", "J02"], "status"].tolist()
['done', 'on_time', 'late']
"""

from __future__ import annotations

import pandas as pd

from incubo_analysis.contract.schema import parse_quarter, quarter_code
from incubo_analysis.errors import ActualsError, ParameterError

__all__ = [
    "MILESTONE_STATUSES",
    "MILESTONE_STATUS_COLUMNS",
    "MILESTONE_STATUS_BY_QUARTER_COLUMNS",
    "milestone_status",
    "milestone_status_by_quarter",
    "milestone_status_counts",
]

#: Status codes, in display order (labels: réalisé, à l'heure, en retard, reprogrammé).
MILESTONE_STATUSES: tuple[str, ...] = ("done", "on_time", "late", "rescheduled")
#: Columns of :func:`milestone_status` (and of ``milestones_status.csv``).
MILESTONE_STATUS_COLUMNS: tuple[str, ...] = (
    "milestone_id", "axis", "action", "planned_end", "done_on", "status", "forecast_on", "comment",
)
#: Columns of :func:`milestone_status_by_quarter`: the quarter code, then the status columns.
MILESTONE_STATUS_BY_QUARTER_COLUMNS: tuple[str, ...] = ("quarter", *MILESTONE_STATUS_COLUMNS)

_REPORTED = ("milestone_id", "done_on", "forecast_on", "comment")


def milestone_status(milestones: pd.DataFrame, reported: pd.DataFrame | None,
                     quarter: pd.Period | str) -> pd.DataFrame:
    """Status of every milestone at the end of ``quarter``.

    Parameters
    ----------
    milestones : pandas.DataFrame
        The calendar, :func:`~incubo_analysis.contract.loaders.load_milestones` (columns
        ``milestone_id``, ``axis``, ``action``, ``planned_end`` quarter code or "").
    reported : pandas.DataFrame or None
        The workbook's "Jalons" sheet (``Actuals.milestones``): ``milestone_id``, ``done_on``
        (date, NaT), ``forecast_on`` (revised due date, NaT), ``comment`` (str); may be empty or
        None (nothing reported: every status comes from the calendar). Missing optional columns
        are read as blank.
    quarter : pandas.Period or str
        The quarter (``parse_quarter``: ``2020T3``, ``2020-T3``, ``2020Q3``).

    Returns
    -------
    pandas.DataFrame
        :data:`MILESTONE_STATUS_COLUMNS`, one row per milestone in calendar order:
        ``planned_end`` (quarter code, "" when none), ``done_on`` (datetime64 date: the completion
        date when it is on or before the end of the quarter, NaT otherwise, a later completion
        being unknown at that date), ``status`` (:data:`MILESTONE_STATUSES`), ``forecast_on``
        (datetime64, as reported), ``comment`` (str, "" when blank).

    Raises
    ------
    ActualsError
        A reported ``milestone_id`` that is not in the calendar, reported twice, or a date that
        is not a date (the message names the row of the reported table and the column).
    SchemaError
        ``quarter`` is not a quarter.
    """
    q = parse_quarter(quarter)
    end = q.end_time.normalize()
    rep = _reported_by_id(reported, set(milestones["milestone_id"]))
    out = milestones[["milestone_id", "axis", "action", "planned_end"]].copy()
    out["planned_end"] = out["planned_end"].fillna("").astype(str)
    ids = out["milestone_id"]
    done = pd.Series(rep["done_on"].reindex(ids).to_numpy(), index=out.index, dtype="datetime64[ns]")
    forecast = pd.Series(rep["forecast_on"].reindex(ids).to_numpy(), index=out.index, dtype="datetime64[ns]")
    statuses = [_status(p, d, f, q) for p, d, f in zip(out["planned_end"], done, forecast, strict=True)]
    out["done_on"] = done.where(done <= end)
    out["status"] = pd.Series(statuses, index=out.index, dtype="str")
    out["forecast_on"] = forecast
    out["comment"] = pd.Series(rep["comment"].reindex(ids).to_numpy(), index=out.index).fillna("").astype("str")
    return out[list(MILESTONE_STATUS_COLUMNS)].reset_index(drop=True)


def _status(planned_end: str, done_on: pd.Timestamp, forecast_on: pd.Timestamp, q: pd.Period) -> str:
    """One milestone's status at the end of quarter ``q`` (rules in the module docstring)."""
    end = q.end_time.normalize()
    if pd.notna(done_on) and done_on <= end:
        return "done"
    forecast_passed = pd.notna(forecast_on) and forecast_on <= end
    if not planned_end:
        return "late" if forecast_passed else "on_time"
    planned = parse_quarter(planned_end)
    if pd.notna(forecast_on) and forecast_on.to_period("Q") > planned:
        return "late" if forecast_passed else "rescheduled"
    return "late" if planned <= q else "on_time"


def _reported_by_id(reported: pd.DataFrame | None, known: set[str]) -> pd.DataFrame:
    """The reported frame indexed by milestone id (dates as datetime64), checked against the calendar."""
    if reported is None or len(reported) == 0:
        return pd.DataFrame({"done_on": pd.Series(dtype="datetime64[ns]"),
                             "forecast_on": pd.Series(dtype="datetime64[ns]"),
                             "comment": pd.Series(dtype="str")}, index=pd.Index([], dtype="str"))
    if "milestone_id" not in reported.columns:
        _raise("column 'milestone_id' is missing", "colonne « milestone_id » absente")
    rep = pd.DataFrame({"milestone_id": reported["milestone_id"].astype("str").str.strip()})
    for col in ("done_on", "forecast_on"):
        rep[col] = _dates(reported[col], col) if col in reported.columns else pd.NaT
    rep["comment"] = reported["comment"].fillna("").astype("str") if "comment" in reported.columns else ""
    for i, mid in enumerate(rep["milestone_id"]):
        if mid not in known:
            _raise(f"row {i + 1}, column 'milestone_id': unknown milestone {mid!r} (expected an id of "
                   "milestones.csv, J01…)",
                   f"ligne {i + 1}, colonne « milestone_id » : jalon inconnu « {mid} » (identifiant de "
                   "milestones.csv attendu, J01…)")
    dup = rep["milestone_id"].duplicated()
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        mid = rep["milestone_id"].iloc[i]
        _raise(f"row {i + 1}, column 'milestone_id': milestone {mid!r} reported twice",
               f"ligne {i + 1}, colonne « milestone_id » : jalon « {mid} » renseigné deux fois")
    return rep.set_index("milestone_id")


def _dates(values: pd.Series, col: str) -> pd.Series:
    """A column of dates (datetime64, time of day dropped); a non-date names its row."""
    out = []
    for i, v in enumerate(values):
        try:
            ts = pd.NaT if v is None or (not isinstance(v, str) and pd.isna(v)) or v == "" else pd.Timestamp(v)
        except (ValueError, TypeError):
            _raise(f"row {i + 1}, column '{col}': expected a date, got {v!r}",
                   f"ligne {i + 1}, colonne « {col} » : date attendue, reçu « {v} »")
        out.append(ts.normalize() if pd.notna(ts) else pd.NaT)
    return pd.Series(out, index=values.index, dtype="datetime64[ns]")


def _raise(en: str, fr: str) -> None:
    """An error of the reported milestones table, in both languages."""
    en = f"reported milestones (sheet Jalons): {en}"
    fr = f"jalons renseignés (feuille Jalons) : {fr}"
    raise ActualsError(en, texts={"fr": fr, "en": en})


def milestone_status_by_quarter(milestones: pd.DataFrame, reported: pd.DataFrame | None,
                                first: pd.Period | str, last: pd.Period | str) -> pd.DataFrame:
    """:func:`milestone_status` at the end of every quarter from ``first`` to ``last`` (included).

    Returns
    -------
    pandas.DataFrame
        :data:`MILESTONE_STATUS_BY_QUARTER_COLUMNS`: ``quarter`` (code ``2020T3``) then the
        status columns, quarter by quarter, milestones in calendar order.

    Raises
    ------
    ParameterError
        ``first`` after ``last``.
    """
    q0, q1 = parse_quarter(first, where="first"), parse_quarter(last, where="last")
    if q0 > q1:
        en = f"first quarter {quarter_code(q0)} after the last {quarter_code(q1)}"
        fr = f"premier trimestre {quarter_code(q0)} après le dernier {quarter_code(q1)}"
        raise ParameterError(en, texts={"fr": fr, "en": en})
    parts = []
    for q in pd.period_range(q0, q1, freq="Q"):
        part = milestone_status(milestones, reported, q)
        part.insert(0, "quarter", quarter_code(q))
        parts.append(part)
    return pd.concat(parts, ignore_index=True)[list(MILESTONE_STATUS_BY_QUARTER_COLUMNS)]


def milestone_status_counts(status: pd.DataFrame) -> pd.DataFrame:
    """Number of milestones per axis and status (a :func:`milestone_status` table).

    Returns
    -------
    pandas.DataFrame
        Index ``axis`` (1–4), one int column per status of :data:`MILESTONE_STATUSES`.
    """
    counts = pd.crosstab(status["axis"], status["status"])
    return counts.reindex(columns=list(MILESTONE_STATUSES), fill_value=0).astype("int64")

"""The quarterly pack (``incubo quarterly``): HTML page, Excel workbook and CSV files of one quarter.

One command turns the contract, a scenario and the officer's workbook into a folder for the
DITP and the direction du budget (contract § 5: indicators, risks and difficulties, every
quarter; § 5.1: credits in € and in % of the global budget, calendar, tranches)::

    DIR/
      suivi_2020T3.html          the page, message first: key figures, then indicators, milestones,
                                 risks, credits to date and restes à payer, savings to date
      suivi_2020T3.xlsx          the same tables, formatted like the annual annex
      milestones_status.csv      machine-readable tables (deterministic)
      risks.csv
      credits_to_date.csv
      processing_times.csv       only with --ds-export (démarches-simplifiées exports)
      credits_crosscheck.csv     only with --chorus (a Chorus extract)
      notebooks/06_quarterly_monitoring.ipynb   the executed notebook

With démarches-simplifiées exports the indicators section shows the axis 1 processing time measured
on them (four quarters ending with the quarter), the count of démarches with dossiers and the chart
of processing times; with a Chorus extract the credits section shows the FTAP credits cross-checked
quarter by quarter (differences over 1 k€ flagged, and a card). Without them the pack is unchanged.

As ``incubo report``: every input is validated first, the folder is built aside and moved into
place only on success, nothing depends on the clock. Notebook 06 is the page's template (papermill);
its tables and charts come from the library functions of this module, which the notebook calls.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from incubo_analysis import __version__
from incubo_analysis.contract.schema import quarter_code
from incubo_analysis.io import atomic_output_dir, sha256_file, write_csv
from incubo_analysis.labels import format_value, has_label, label
from incubo_analysis.monitoring.quarterly import (
    CREDITS_TO_DATE_COLUMNS,
    MILESTONES_CSV_COLUMNS,
    RISKS_COLUMNS,
    QuarterlyInputs,
    quarterly_tables,
    validate_quarterly_inputs,
)
from incubo_analysis.outputs.tables import Titled
from incubo_analysis.paths import CONTRACT_DIR, shown_path

__all__ = [
    "QUARTERLY_NOTEBOOK",
    "QUARTERLY_TABLES",
    "QUARTERLY_SOURCE_TABLES",
    "quarterly_inputs",
    "quarterly_table",
    "plot_risk_matrix",
    "plot_credits_to_date",
    "quarterly_provenance",
    "quarterly_cards_html",
    "quarterly_filenames",
    "quarterly_notebook_parameters",
    "QUARTERLY_SECTIONS",
    "QUARTERLY_SOURCE_CELLS",
    "build_quarterly",
]

#: The pack's notebook (its papermill template).
QUARTERLY_NOTEBOOK = "06_quarterly_monitoring.ipynb"

#: Display tables of :func:`quarterly_table`, in the page's order.
QUARTERLY_TABLES: tuple[str, ...] = (
    "indicators", "milestones", "risk_matrix", "top_risks", "credits_to_date", "tranches", "envelopes",
    "savings_to_date",
)
#: Display tables of the real sources (present only when the exports / the extract are given).
QUARTERLY_SOURCE_TABLES: tuple[str, ...] = ("processing_time_reduction", "credits_crosscheck")


def quarterly_filenames(code: str, *, ds: bool = False, chorus: bool = False) -> tuple[str, ...]:
    """The files of a pack: HTML, workbook and the CSV files (``code``: ``2020T3``).

    ``ds`` / ``chorus``: démarches-simplifiées exports / a Chorus extract were given
    (``processing_times.csv`` / ``credits_crosscheck.csv``).
    """
    names = (f"suivi_{code}.html", f"suivi_{code}.xlsx", "milestones_status.csv", "risks.csv", "credits_to_date.csv")
    return names + (("processing_times.csv",) if ds else ()) + (("credits_crosscheck.csv",) if chorus else ())


def quarterly_inputs(*, quarter: str, actuals: str | os.PathLike[str], scenario_file: str | None = None,
                     green: float = 0.95, amber: float = 0.75, lang: str = "fr", ds_exports: Sequence[str] = (),
                     chorus: str | None = None, chorus_mapping: str | None = None) -> QuarterlyInputs:
    """The validated inputs of the pack, paths taken from the project root (notebook 06's first step).

    ``ds_exports``, ``chorus``, ``chorus_mapping``: the real sources (empty / ``""`` / None: none).
    See :func:`incubo_analysis.monitoring.quarterly.validate_quarterly_inputs`.
    """
    from incubo_analysis.outputs.workflow import resolve

    return validate_quarterly_inputs(quarter=quarter, actuals=resolve(actuals),
                                     scenario=resolve(scenario_file) if scenario_file else None,
                                     green=green, amber=amber, lang=lang,
                                     ds_exports=[resolve(p) for p in ds_exports],
                                     chorus=resolve(chorus) if chorus else None,
                                     chorus_mapping=resolve(chorus_mapping) if chorus_mapping else None)


# --------------------------------------------------------------------------- #
# Words and fields
# --------------------------------------------------------------------------- #
def _fields(inputs: QuarterlyInputs, tables: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Fields of titles and texts: the quarter, its last day, the last complete year."""
    q = inputs.quarter
    end = q.end_time
    last = int(q.year if q.quarter == 4 else q.year - 1)
    return {"quarter": inputs.code, "next": quarter_code(q + 1), "start": quarter_code(q - 3),
            "end": _date_text(end, inputs.lang),
            "year": str(q.year), "last": str(last),
            "green": format_value(inputs.green, "share", inputs.lang),
            "amber": format_value(inputs.amber, "share", inputs.lang)}


def _date_text(value: Any, lang: str) -> str:
    """A date as the reader writes it: ``30/09/2020`` (fr), ``2020-09-30`` (en); ``""`` when missing."""
    if value is None or pd.isna(value):
        return ""
    ts = pd.Timestamp(value)
    return ts.strftime("%d/%m/%Y") if lang == "fr" else ts.strftime("%Y-%m-%d")


def _status_text(code: object, lang: str) -> str:
    """A status in words: RAG through the shared labels, the others ``quarterly.status.*``."""
    key = f"quarterly.status.{code}"
    return label(key, lang) if code not in ("green", "amber", "red") else label(code, lang)


def _header_map(lang: str) -> dict[str, str]:
    """Headers of the pack's own columns (``quarterly.col.*``), by raw column name."""
    cols = ("remaining_to_pay_keur", "score", "probability", "impact", "risk_id", "description", "mitigation",
            "owner", "identified_on", "closed_on", "new", "closed_in_quarter", "tranche_keur", "remaining_keur",
            "target_year", "year_end_target", "target", "value_year", "milestone_id", "action", "planned_end",
            "done_on", "forecast_on", "comment", "status", "last_year", "kind",
            "consumption_rate", "share_of_budget", "variance_keur", "variance_pct", "attainment", "actual")
    headers = {c: label(f"quarterly.col.{c}", lang) for c in cols if has_label(f"quarterly.col.{c}")}
    return {**headers, "risk_probability": label("quarterly.col.probability", lang)}


def _titled(frame: pd.DataFrame, key: str, inputs: QuarterlyInputs, fields: Mapping[str, str],
            note: str | None = None) -> Titled:
    lang = inputs.lang
    title = label(f"quarterly.table.{key}", lang).format(**fields)
    text = label(f"quarterly.note.{note}", lang).format(**fields) if note else ""
    return Titled(frame, title, text, lang)


def _headers(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Display headers: the pack's own words first, then the shared labels."""
    own = _header_map(lang)
    out = frame.copy()
    out.columns = [own.get(c, label(c, lang)) for c in frame.columns]
    return out


# --------------------------------------------------------------------------- #
# Display tables (text, as published)
# --------------------------------------------------------------------------- #
def _indicators_display(t: Mapping[str, Any], inputs: QuarterlyInputs) -> pd.DataFrame:
    from incubo_analysis.contract.loaders import load_indicator_targets

    lang = inputs.lang
    units = load_indicator_targets().drop_duplicates("indicator").set_index("indicator")["unit"].to_dict()
    measured = "processing_time_indicator" in t and not pd.isna(t["processing_time_indicator"]["value"].iloc[0])
    rows = []
    for r in t["indicators"].itertuples(index=False):
        unit = units.get(r.indicator, "count")
        unit = "share" if unit == "share" else "number"  # k€ indicators say "(k€)" in their label
        dec = 0 if unit != "number" or float(r.target).is_integer() else 1
        rows.append([label(r.indicator, lang), format_value(r.target, unit, lang, decimals=dec),
                     f"{format_value(r.year_end_target, unit, lang, decimals=0)} ({r.target_year})",
                     format_value(r.actual, unit, lang, decimals=0),
                     "" if pd.isna(r.value_year) else str(int(r.value_year)),
                     format_value(r.attainment, "share", lang), _status_text(r.status, lang)])
        if measured and r.indicator == "axis1_processing_time_reduction":  # measured over four quarters
            rows[-1][4] = f"{quarter_code(inputs.quarter - 3)}–{inputs.code}"
        if r.indicator == "axis1_procedures_prototyped" and "processing_time_indicator" in t:
            n = int(t["processing_time_indicator"]["n_demarches"].iloc[0])  # beside it: what the exports show
            rows.append([label("quarterly.ds.count", lang).format(quarter=inputs.code), "", "",
                         format_value(n, "count", lang), "", "", label("quarterly.ds.count.status", lang)])
    cols = ["indicator", "target", "year_end_target", "actual", "value_year", "attainment", "status"]
    return _headers(pd.DataFrame(rows, columns=cols), lang).set_index(label("indicator", lang))


def _milestones_shown(m: pd.DataFrame, quarter: pd.Period) -> pd.DataFrame:
    """The milestones the page lists: late, rescheduled, due by the end of the next quarter, done in the quarter
    (the full list is in the workbook and the CSV)."""
    soon = {quarter_code(quarter), quarter_code(quarter + 1)}
    start, end = quarter.start_time.normalize(), quarter.end_time.normalize()
    done_in = pd.to_datetime(m["done_on"]).between(start, end)
    keep = m["status"].isin(["late", "rescheduled"]) | (m["planned_end"].isin(soon) & (m["status"] != "done"))
    return m[keep | done_in]


def _milestones_display(t: Mapping[str, Any], inputs: QuarterlyInputs) -> pd.DataFrame:
    lang = inputs.lang
    m = _milestones_shown(t["milestones"], inputs.quarter)
    out = pd.DataFrame({
        "milestone_id": m["milestone_id"].astype(str),
        "axis": [label(a, lang, short=True) for a in m["axis"]],
        "action": m["action"].astype(str),
        "planned_end": m["planned_end"].astype(str),
        "done_on": [_date_text(v, lang) for v in m["done_on"]],
        "forecast_on": [_date_text(v, lang) for v in m["forecast_on"]] if "forecast_on" in m else "",
        "status": [_status_text(s, lang) for s in m["status"]],
    })
    return _headers(out, lang).set_index(label("quarterly.col.milestone_id", lang))


def _matrix_display(t: Mapping[str, Any], inputs: QuarterlyInputs) -> pd.DataFrame:
    lang = inputs.lang
    grid = t["risk_matrix"]
    out = pd.DataFrame(grid.to_numpy(), columns=[label("quarterly.matrix.impact", lang).format(n=i)
                                                 for i in grid.columns])
    out.index = pd.Index([label("quarterly.matrix.probability", lang).format(n=p) for p in grid.index],
                         name=label("quarterly.col.probability", lang))
    return out.astype(str)


def _risks_display(t: Mapping[str, Any], inputs: QuarterlyInputs) -> pd.DataFrame:
    lang = inputs.lang
    r = t["top_risks"]
    out = pd.DataFrame({
        "risk_id": r["risk_id"].astype(str), "axis": [label(a, lang, short=True) for a in r["axis"]],
        "description": r["description"].astype(str),
        "probability": r["probability"].astype(str), "impact": r["impact"].astype(str),
        "score": r["score"].astype(str), "mitigation": r["mitigation"].astype(str),
        "owner": r["owner"].astype(str),
        "identified_on": [_date_text(v, lang) for v in r["identified_on"]],
        "new": [label(bool(v), lang) for v in r["new"]],
    })
    return _headers(out, lang).set_index(label("quarterly.col.risk_id", lang))


_CODED = ("axis", "title", "source", "credit", "lever", "indicator")


def _cell(value: Any, kind: str, header: str, lang: str) -> str:
    """One display cell: k€ bare under a header that says "(k€)", shares as %, years plain, codes in words."""
    if kind == "code":
        return label(value, lang, short=True)
    if kind == "keur":
        return format_value(value, "number" if "(k€" in header else "keur", lang, decimals=1)
    if kind in ("pct", "pct1"):
        return format_value(value, "share", lang, decimals=1 if kind == "pct1" else 0)
    if kind == "year":
        return format_value(value, "year", lang)
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _show(frame: pd.DataFrame, kinds: Mapping[str, str], lang: str, index: int = 0) -> pd.DataFrame:
    """A display copy: the pack's headers, codes in words, numbers formatted; the first ``index`` columns
    as the index."""
    own = _header_map(lang)
    headers = [own.get(c, label(c, lang)) for c in frame.columns]
    data = {h: [_cell(v, "code" if c in _CODED else kinds.get(c, "text"), h, lang) for v in frame[c].tolist()]
            for c, h in zip(frame.columns, headers, strict=True)}
    out = pd.DataFrame(data, columns=headers)
    return out.set_index(headers[:index]) if index else out


def _credits_display(t: Mapping[str, Any], inputs: QuarterlyInputs) -> pd.DataFrame:
    lang = inputs.lang
    c = t["credits_to_date"].copy()
    c["consumption_rate"] = (c["actual_keur"] / c["planned_keur"]).where(c["planned_keur"] != 0)
    totals = []
    for credit in ("AE", "CP"):
        sel = c[c["credit"] == credit]
        p, a = sel["planned_keur"].sum(), sel["actual_keur"].sum()
        totals.append({"axis": label("quarterly.total", lang), "title": "", "source": "", "credit": credit,
                       "planned_keur": p, "actual_keur": a, "consumption_rate": a / p if p else float("nan"),
                       "share_of_budget": sel["share_of_budget"].sum(),
                       "remaining_to_pay_keur": sel["remaining_to_pay_keur"].sum() if credit == "AE" else np.nan})
    cols = ["axis", "title", "source", "credit", "planned_keur", "actual_keur", "consumption_rate",
            "share_of_budget", "remaining_to_pay_keur"]
    both = pd.concat([c.loc[:, cols], pd.DataFrame(totals, columns=cols)], ignore_index=True)
    both = both.astype({"axis": object, "title": object, "source": object})
    kinds = {"planned_keur": "keur", "actual_keur": "keur", "consumption_rate": "pct", "share_of_budget": "pct1",
             "remaining_to_pay_keur": "keur"}
    return _show(both, kinds, lang, index=4)


def _tranches_display(t: Mapping[str, Any], inputs: QuarterlyInputs) -> pd.DataFrame:
    kinds = {"tranche_keur": "keur", "actual_keur": "keur", "consumption_rate": "pct", "remaining_keur": "keur",
             "year": "year"}
    return _show(t["tranches"], kinds, inputs.lang, index=1)


def _envelopes_display(t: Mapping[str, Any], inputs: QuarterlyInputs) -> pd.DataFrame:
    kinds = {"planned_keur": "keur", "actual_keur": "keur", "consumption_rate": "pct", "year": "year"}
    return _show(t["envelopes"], kinds, inputs.lang, index=3)


def _savings_display(t: Mapping[str, Any], inputs: QuarterlyInputs) -> pd.DataFrame:
    s = t["savings_to_date"].drop(columns="last_year")
    kinds = {"planned_keur": "keur", "actual_keur": "keur", "variance_keur": "keur", "variance_pct": "pct1"}
    return _show(s, kinds, inputs.lang, index=1)


def _reduction_display(t: Mapping[str, Any], inputs: QuarterlyInputs) -> pd.DataFrame:
    lang = inputs.lang
    r = t["processing_time_reduction"]
    out = pd.DataFrame({
        "demarche": r["demarche"].astype(str),
        "reference_days": [format_value(v, "number", lang) for v in r["reference_days"]],
        "n_processed": [format_value(v, "count", lang) for v in r["n_processed"]],
        "median_days": [format_value(v, "number", lang, decimals=1) for v in r["median_days"]],
        "reduction": [format_value(v, "share", lang) for v in r["reduction"]],
        "reached": [label(bool(v), lang) for v in r["reached"]],
    })
    out.columns = [label(f"ds.col.{c}", lang) for c in out.columns]
    return out.set_index(out.columns[0])


#: Marks a difference over the threshold in the cross-check (and its cell is highlighted).
_FLAG = "\u26a0"


def _signed(value: Any, lang: str) -> str:
    """A difference in k€ with its sign (2 decimals): ``+2,48``, ``−1,75``, ``0,00``."""
    text = format_value(value, "number", lang, decimals=2)
    return f"+{text}" if not pd.isna(value) and round(float(value), 2) > 0 else text


def _crosscheck_display(t: Mapping[str, Any], inputs: QuarterlyInputs) -> pd.DataFrame:
    """One row per quarter, AE then CP: workbook, Chorus, difference (flagged ones marked)."""
    lang = inputs.lang
    c = t["credits_crosscheck"]
    quarters = sorted({(int(y), int(q)) for y, q in zip(c["year"], c["quarter"], strict=True)})
    by = {(int(r.year), int(r.quarter), r.credit): r for r in c.itertuples(index=False)}
    data: dict[str, list[str]] = {}
    for credit in ("AE", "CP"):
        rows = [by.get((y, q, credit)) for y, q in quarters]
        for col in ("workbook", "chorus"):
            data[label(f"quarterly.col.cc_{col}", lang).format(credit=credit)] = [
                "" if r is None else format_value(getattr(r, f"{col}_keur"), "number", lang, decimals=2) for r in rows]
        data[label("quarterly.col.cc_difference", lang).format(credit=credit)] = [
            "" if r is None else f"{_FLAG} {_signed(r.difference_keur, lang)}" if r.flagged
            else _signed(r.difference_keur, lang) for r in rows]
    index = pd.Index([f"{y}T{q}" for y, q in quarters], name=label("quarter", lang))
    return pd.DataFrame(data, index=index)


class _Flagged(Titled):
    """A display table whose flagged cells (starting with the warning sign) are highlighted."""

    def _repr_html_(self) -> str:
        from incubo_analysis.outputs.tables import RAG_CELL_STYLES

        return super()._repr_html_().replace(f"<td>{_FLAG}", f'<td style="{RAG_CELL_STYLES["red"]}">{_FLAG}')


_DISPLAY: dict[str, tuple[Callable[[Mapping[str, Any], QuarterlyInputs], pd.DataFrame], str | None]] = {
    "indicators": (_indicators_display, "rag"),
    "milestones": (_milestones_display, "milestones"),
    "risk_matrix": (_matrix_display, "matrix"),
    "top_risks": (_risks_display, "risks"),
    "credits_to_date": (_credits_display, "credits"),
    "tranches": (_tranches_display, "tranches"),
    "envelopes": (_envelopes_display, "envelopes"),
    "savings_to_date": (_savings_display, "savings"),
    "processing_time_reduction": (_reduction_display, "reduction"),
    "credits_crosscheck": (_crosscheck_display, "crosscheck"),
}


def quarterly_table(key: str, tables: Mapping[str, Any], inputs: QuarterlyInputs) -> Titled:
    """One display table of the pack, under its title (which states the quarter) and its note.

    Parameters
    ----------
    key : str
        One of :data:`QUARTERLY_TABLES`, or of :data:`QUARTERLY_SOURCE_TABLES` when its source
        was given (``processing_time_reduction``: exports; ``credits_crosscheck``: an extract).
    tables : Mapping
        :func:`incubo_analysis.monitoring.quarterly.quarterly_tables`.
    inputs : QuarterlyInputs

    Returns
    -------
    Titled
        Text cells (numbers formatted as published), in ``inputs.lang``; the indicators' note
        says how the processing time was measured when exports were given; the cross-check's
        differences over 1 k€ are marked ⚠ and highlighted.
    """
    known = QUARTERLY_TABLES + tuple(k for k in QUARTERLY_SOURCE_TABLES if k in tables)
    if key not in known:
        from incubo_analysis.errors import ParameterError

        raise ParameterError(f"quarterly_table: {key!r}; expected one of {', '.join(known)}")
    build, note = _DISPLAY[key]
    fields = _fields(inputs, tables)
    fields.update({k: str(v) for k, v in tables["risk_counts"].items()})
    fields.update(shown=str(len(_milestones_shown(tables["milestones"], inputs.quarter))),
                  total=str(len(tables["milestones"])))
    if key == "credits_crosscheck":
        c = tables[key]
        path = inputs.sources.chorus_path
        fields.update(file=shown_path(path) if path is not None else "", n=str(int(c["flagged"].sum())))
        shown = _titled(build(tables, inputs), key, inputs, fields, note)
        return _Flagged(shown.frame, shown.title, shown.note, inputs.lang)
    shown = _titled(build(tables, inputs), key, inputs, fields, note)
    if key == "indicators" and "processing_time_indicator" in tables:
        shown.note = f"{shown.note} {_measured_note(tables, inputs)}"
    return shown


def _result_key(reached: int, n: int) -> str:
    """Label of "how many démarches reached 50 %" in its grammatical form (none, one, several, the only one)."""
    if n == 1:
        return "quarterly.note.ds_result.single" if reached else "quarterly.note.ds_result.single_none"
    return {0: "quarterly.note.ds_result.none", 1: "quarterly.note.ds_result.one"}.get(
        reached, "quarterly.note.ds_result")


def _measured_note(t: Mapping[str, Any], inputs: QuarterlyInputs) -> str:
    """How the processing time of the indicators table was measured (exports given)."""
    from incubo_analysis.monitoring.sources import PROCESSING_TIME_INDICATOR

    lang, m = inputs.lang, t["processing_time_indicator"].iloc[0]
    if pd.isna(m["value"]):
        return label("quarterly.note.ds_no_reference", lang)
    ind = inputs.actuals.indicators
    typed = ind[(ind["indicator"] == PROCESSING_TIME_INDICATOR) & (ind["year"].astype(int) <= inputs.quarter.year)]
    reached, n, files = int(m["n_reached"]), int(m["n_references"]), len(inputs.sources.ds_paths)
    result = label(_result_key(reached, n), lang).format(reached=reached, n=n)
    text = label("quarterly.note.ds_indicator", lang).format(
        start=quarter_code(inputs.quarter - 3), quarter=inputs.code, result=result,
        files=label("quarterly.note.ds_files" + (".one" if files == 1 else ""), lang).format(n=files))
    if len(typed):
        last = typed.sort_values("year").iloc[-1]
        text += " " + label("quarterly.note.ds_typed", lang).format(
            value=format_value(last["value"], "share", lang), year=int(last["year"]))
    return text


# --------------------------------------------------------------------------- #
# Charts
# --------------------------------------------------------------------------- #
#: Cell colours of the risk matrix by score zone (DSFR success / warning / error backgrounds).
_ZONES = ((4, "#B8FEC9"), (8, "#FEECC2"), (16, "#FFBDBD"))


def plot_risk_matrix(matrix: pd.DataFrame, *, ax: Any = None, lang: str = "fr", quarter: str = "",
                     title: str | None = None) -> Any:
    """The 4 × 4 probability × impact matrix of the open risks, cells coloured by score zone.

    Parameters
    ----------
    matrix : DataFrame
        :func:`incubo_analysis.monitoring.quarterly.risk_matrix` (index probability 4→1,
        columns impact 1→4, counts).
    ax : Axes, optional
    lang : {"fr", "en"}
    quarter : str
        The quarter shown in the title (``2020T3``).
    title : str, optional

    Returns
    -------
    Axes
        One text per cell (``gid="cell|P|I"``).
    """
    import matplotlib.pyplot as plt

    from incubo_analysis.outputs import style as S

    with S.style_context():
        if ax is None:
            _fig, ax = plt.subplots(figsize=(7.0, 5.5))
        for row, p in enumerate(matrix.index):
            for col, i in enumerate(matrix.columns):
                score = int(p) * int(i)
                colour = next(c for limit, c in _ZONES if score <= limit)
                y = len(matrix.index) - 1 - row
                ax.add_patch(plt.Rectangle((col, y), 1, 1, facecolor=colour, edgecolor="white", linewidth=2))
                n = int(matrix.loc[p, i])
                txt = ax.text(col + 0.5, y + 0.5, str(n) if n else "", ha="center", va="center",
                              fontsize=S.FONT_SIZE + 4, fontweight="bold", color=S.NEUTRAL)
                txt.set_gid(f"cell|{int(p)}|{int(i)}")
        ax.set_xlim(0, len(matrix.columns))
        ax.set_ylim(0, len(matrix.index))
        ax.set_xticks([k + 0.5 for k in range(len(matrix.columns))], [str(i) for i in matrix.columns])
        ax.set_yticks([k + 0.5 for k in range(len(matrix.index))], [str(p) for p in matrix.index[::-1]])
        ax.set_xlabel(label("quarterly.chart.impact", lang))
        ax.set_ylabel(label("quarterly.chart.probability", lang))
        ax.set_title(title if title is not None else label("quarterly.chart.matrix", lang).format(quarter=quarter))
        S.finish_axes(ax, grid_axis="none")
    return ax


def plot_credits_to_date(credits: pd.DataFrame, *, ax: Any = None, lang: str = "fr", quarter: str = "",
                         title: str | None = None) -> Any:
    """Credits planned to date and consumed, by axis, AE and CP side by side (k€).

    Parameters
    ----------
    credits : DataFrame
        :func:`incubo_analysis.monitoring.quarterly.credits_to_date`.
    ax : Axes, optional
    lang : {"fr", "en"}
    quarter : str
        The quarter shown in the title.
    title : str, optional

    Returns
    -------
    Axes
        Bars ``gid="planned|AXIS|CREDIT"`` (outline) and ``"actual|AXIS|CREDIT"`` (filled).
    """
    import matplotlib.pyplot as plt

    from incubo_analysis.labels import keur_formatter
    from incubo_analysis.outputs import style as S

    by = credits.groupby(["axis", "credit"])[["planned_keur", "actual_keur"]].sum()
    axes = sorted({int(a) for a, _ in by.index}) or [1, 2, 3, 4]
    with S.style_context():
        if ax is None:
            _fig, ax = plt.subplots(figsize=S.FIGSIZE)
        width = 0.38
        for k, credit in enumerate(("AE", "CP")):
            xs = np.arange(len(axes)) + (k - 0.5) * width
            planned = [float(by["planned_keur"].get((a, credit), 0.0)) for a in axes]
            actual = [float(by["actual_keur"].get((a, credit), 0.0)) for a in axes]
            colour = S.CREDIT_COLORS[credit]
            bars_p = ax.bar(xs, planned, width, facecolor="none", edgecolor=colour, linewidth=1.5,
                            label=label("quarterly.chart.planned", lang).format(credit=credit))
            bars_a = ax.bar(xs, actual, width * 0.6, color=colour,
                            label=label("quarterly.chart.actual", lang).format(credit=credit))
            for a, bp, ba in zip(axes, bars_p, bars_a, strict=True):
                bp.set_gid(f"planned|{a}|{credit}")
                ba.set_gid(f"actual|{a}|{credit}")
        ax.set_xticks(np.arange(len(axes)), [label(a, lang, short=True).replace(" – ", "\n") for a in axes])
        ax.yaxis.set_major_formatter(keur_formatter(lang))
        ax.set_ylabel(label("chart.ylabel_keur", lang))
        ax.legend(loc="upper right", ncols=2, fontsize=S.FONT_SIZE - 3)
        ax.set_title(title if title is not None else label("quarterly.chart.credits", lang).format(quarter=quarter))
        S.finish_axes(ax)
    return ax


# --------------------------------------------------------------------------- #
# The page: cards, cells, provenance
# --------------------------------------------------------------------------- #
def _cards_indicators_milestones(inputs: QuarterlyInputs, t: Mapping[str, Any], f: Mapping[str, str]) -> list[str]:
    from incubo_analysis.outputs.report import key_figure_card

    lang = inputs.lang
    counts = t["indicators"]["status"].value_counts()
    n = {s: int(counts.get(s, 0)) for s in ("green", "amber", "red", "not_due")}
    tone = "bad" if n["red"] else "warn" if n["amber"] else "good"
    sub = label("quarterly.card.indicators.sub", lang).format(**{**f, "not_due": n["not_due"]})
    cards = [key_figure_card(label("quarterly.card.indicators", lang).format(**f),
                             label("quarterly.card.indicators.value", lang).format(**n), sub, tone)]
    m = t["milestones"]
    late, done = int((m["status"] == "late").sum()), int((m["status"] == "done").sum())
    cards.append(key_figure_card(label("quarterly.card.milestones", lang).format(**f), str(late),
                                 label("quarterly.card.milestones.sub", lang).format(total=len(m), done=done),
                                 "bad" if late else "good"))
    return cards


def _cards_risks_credits(inputs: QuarterlyInputs, t: Mapping[str, Any], f: Mapping[str, str]) -> list[str]:
    from incubo_analysis.outputs.report import key_figure_card

    lang = inputs.lang
    rc = t["risk_counts"]
    tone = "bad" if rc["top_score"] >= 9 else "warn" if rc["top_score"] >= 5 else "good"
    cards = [key_figure_card(label("quarterly.card.risks", lang).format(**f),
                             label("quarterly.card.risks.value", lang).format(**rc),
                             label("quarterly.card.risks.sub", lang).format(**rc), tone)]
    c = t["credits_to_date"]
    share = {k: c[c["credit"] == k]["share_of_budget"].sum() for k in ("AE", "CP")}
    cp = c[c["credit"] == "CP"]
    cards.append(key_figure_card(
        label("quarterly.card.credits", lang).format(**f),
        label("quarterly.card.credits.value", lang).format(
            cp=format_value(share["CP"], "share", lang), ae=format_value(share["AE"], "share", lang)),
        label("quarterly.card.credits.sub", lang).format(
            cp_keur=format_value(cp["actual_keur"].sum(), "keur", lang),
            planned=format_value(cp["planned_keur"].sum(), "keur", lang), **f), "info"))
    rap = float(c["remaining_to_pay_keur"].sum())
    negative = rap < -0.05  # more CP paid than AE consumed: the workbook's AE or CP need checking
    cards.append(key_figure_card(label("quarterly.card.rap", lang).format(**f), format_value(rap, "keur", lang),
                                 label("quarterly.card.rap.negative" if negative else "quarterly.card.rap.sub", lang),
                                 "warn" if negative else "info"))
    return cards


def _card_savings(inputs: QuarterlyInputs, t: Mapping[str, Any], f: Mapping[str, str]) -> str:
    from incubo_analysis.outputs.report import key_figure_card

    lang = inputs.lang
    total = t["savings_to_date"].iloc[-1]
    p, a = float(total["planned_keur"]), float(total["actual_keur"])
    if not p and not a:
        return key_figure_card(label("quarterly.card.savings", lang).format(**f), label("missing", lang),
                               label("quarterly.card.savings.none", lang).format(**f), "info")
    gap = (a - p) / p if p else float("nan")
    tone = "info" if gap != gap else "good" if gap >= -0.05 else "warn" if gap >= -0.15 else "bad"
    return key_figure_card(label("quarterly.card.savings", lang).format(**f), format_value(a, "keur", lang),
                           label("quarterly.card.savings.sub", lang).format(
                               planned=format_value(p, "keur", lang),
                               gap=format_value(gap, "share", lang, decimals=1)), tone)


def _card_chorus(inputs: QuarterlyInputs, t: Mapping[str, Any], f: Mapping[str, str]) -> list[str]:
    """A card listing the quarters whose FTAP credits differ from Chorus by more than 1 k€ (none when none)."""
    from incubo_analysis.outputs.report import key_figure_card

    lang = inputs.lang
    c = t.get("credits_crosscheck")
    flagged = c[c["flagged"]] if c is not None else None
    if flagged is None or flagged.empty:
        return []
    items = [label("quarterly.card.chorus.item", lang).format(
        quarter=f"{int(r.year)}T{int(r.quarter)}", credit=r.credit,
        difference=f"{_signed(r.difference_keur, lang)}\u00a0k€") for r in flagged.head(3).itertuples(index=False)]
    more = label("quarterly.card.chorus.more", lang).format(n=len(flagged) - 3) if len(flagged) > 3 else ""
    return [key_figure_card(label("quarterly.card.chorus", lang).format(**f),
                            label("quarterly.card.chorus.value" + (".one" if len(flagged) == 1 else ""),
                                  lang).format(n=len(flagged)),
                            " · ".join(items) + more, "warn")]


def quarterly_cards_html(inputs: QuarterlyInputs, tables: Mapping[str, Any]) -> str:
    """The key figures of the quarter as six coloured cards (the page's first screen).

    Indicators by status, late milestones, open risks and their top score, credits consumed in
    % of the global budget, restes à payer, savings to date; with a Chorus extract, a seventh
    card when a quarter's FTAP credits differ from Chorus by more than 1 k€.
    """
    f = _fields(inputs, tables)
    cards = (_cards_indicators_milestones(inputs, tables, f) + _cards_risks_credits(inputs, tables, f)
             + _card_chorus(inputs, tables, f) + [_card_savings(inputs, tables, f)])
    return '<div style="display:flex;flex-wrap:wrap;gap:8px">' + "".join(cards) + "</div>"


def quarterly_provenance(inputs: QuarterlyInputs) -> dict[str, str]:
    """Input hashes, parameters and versions of a pack (no timestamps)."""
    import matplotlib
    import papermill

    prov: dict[str, str] = {
        "incubo-analysis": __version__,
        "command": (f"incubo quarterly --quarter {inputs.code} --actuals {inputs.shown['actuals']} "
                    f"--scenario {inputs.shown['scenario']}{_source_options(inputs)} --lang {inputs.lang}"),
        label("quarterly.provenance.quarter", inputs.lang): inputs.code,
        "lang": inputs.lang,
        "scenario": inputs.scenario.name,
        f"sha256 {inputs.shown['actuals']}": inputs.actuals.sha256,
        f"sha256 {inputs.shown['scenario']}": sha256_file(inputs.scenario_path),
    }
    prov.update({f"sha256 {path}": digest for path, digest in inputs.sources.hashes.items()})
    for path in sorted(CONTRACT_DIR.glob("*.csv")):
        prov[f"sha256 {shown_path(path)}"] = sha256_file(path)
    prov.update({"pandas": pd.__version__, "numpy": np.__version__, "matplotlib": matplotlib.__version__,
                 "papermill": papermill.__version__})
    return prov


def _source_options(inputs: QuarterlyInputs) -> str:
    """The command's source options as given (`` --ds-export A B --chorus C``; ``""`` without sources)."""
    from incubo_analysis.paths import CHORUS_MAPPING

    src, words = inputs.sources, []
    if src.ds_paths:
        words += ["--ds-export", *(_quoted(shown_path(p)) for p in src.ds_paths)]
    if src.chorus_path is not None:
        words += ["--chorus", _quoted(shown_path(src.chorus_path))]
        if src.chorus_mapping_path is not None and src.chorus_mapping_path != CHORUS_MAPPING:
            words += ["--chorus-mapping", _quoted(shown_path(src.chorus_mapping_path))]
    return "".join(f" {w}" for w in words)


def _quoted(path: str) -> str:
    """A path as typed in a shell (quoted when it holds a space)."""
    import shlex

    return shlex.quote(path)


#: The page's sections: (anchor, label key, markdown cell id of notebook 06 that the heading replaces).
QUARTERLY_SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("indicateurs", "quarterly.section.indicators", "06-04"),
    ("jalons", "quarterly.section.milestones", "06-06"),
    ("risques", "quarterly.section.risks", "06-08"),
    ("credits", "quarterly.section.credits", "06-12"),
    ("economies", "quarterly.section.savings", "06-17"),
)
#: Cells of notebook 06 on the real sources (cell id -> ``ds`` or ``chorus``): left off the page without it.
QUARTERLY_SOURCE_CELLS: dict[str, str] = {"06-19": "ds", "06-20": "ds", "06-21": "chorus"}


def _notebook_cells(nb: Any, inputs: QuarterlyInputs, fields: Mapping[str, str]) -> list:
    """Notebook 06's cells as the page shows them: section headings with anchors, outputs, alt texts."""
    import nbformat

    from incubo_analysis.outputs.report import page_heading

    lang = inputs.lang
    by_id = {cid: (anchor, key) for anchor, key, cid in QUARTERLY_SECTIONS}
    given = {"ds": inputs.sources.dossiers is not None, "chorus": inputs.sources.chorus is not None}
    cells = []
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if "parameters" in tags or "injected-parameters" in tags:
            continue
        cid = cell.get("id")
        if cid in QUARTERLY_SOURCE_CELLS and not given[QUARTERLY_SOURCE_CELLS[cid]]:
            continue  # "no export given": the page shows only what was given
        if cell.cell_type == "markdown":
            if cid in by_id:
                anchor, key = by_id[cid]
                cells.append(nbformat.v4.new_markdown_cell(page_heading(anchor, label(key, lang).format(**fields))))
            continue
        if not cell.get("outputs"):
            continue
        alt_key = f"quarterly.alt.{cid}"
        for out in cell.get("outputs", []):
            if "image/png" in out.get("data", {}):
                out.setdefault("metadata", {})["alt"] = label(alt_key, lang).format(**fields) if has_label(
                    alt_key) else ""
        cells.append(cell)
    return cells


def _intro(inputs: QuarterlyInputs, title: str, fields: Mapping[str, str]) -> str:
    from incubo_analysis.outputs.workflow import is_example_actuals, markdown_text

    lang = inputs.lang
    key = "note.actuals.example" if is_example_actuals(inputs.actuals_path) else "note.actuals"
    source = label(key, lang).format(path=f"<code>{markdown_text(inputs.shown['actuals'])}</code>")
    lead = label("quarterly.lead", lang).format(scenario=markdown_text(label(inputs.scenario.name, lang)),
                                                 xlsx=f"<code>suivi_{inputs.code}.xlsx</code>", **fields)
    return f"# {markdown_text(title)}\n\n{lead} {source}"


def _worded(prov: Mapping[str, str], lang: str) -> dict[str, str]:
    """The provenance as the page shows it: the language and the scenario in words."""
    out = dict(prov)
    out["lang"] = label(f"provenance.lang.{prov['lang']}", lang)
    out["scenario"] = label(prov["scenario"], lang)
    return out


def _page(executed: Path, inputs: QuarterlyInputs, tables: Mapping[str, Any], prov: Mapping[str, str]) -> str:
    """The whole page: title, TOC, key figures, notebook 06's sections, generation line, provenance."""
    import nbformat

    from incubo_analysis.outputs.report import (
        html_output_cell,
        page_heading,
        provenance_markdown,
        render_page,
        toc_html,
    )
    from incubo_analysis.outputs.workflow import markdown_text

    lang, fields = inputs.lang, _fields(inputs, tables)
    title = label("quarterly.title", lang).format(**fields)
    entries = [("synthese", label("quarterly.section.summary", lang).format(**fields))]
    entries += [(a, label(k, lang).format(**fields)) for a, k, _ in QUARTERLY_SECTIONS]
    entries.append(("provenance", label("report.section.provenance", lang)))
    cells = [nbformat.v4.new_markdown_cell(_intro(inputs, title, fields)), html_output_cell(toc_html(lang, entries)),
             nbformat.v4.new_markdown_cell(page_heading(*entries[0])),
             html_output_cell(quarterly_cards_html(inputs, tables))]
    cells += _notebook_cells(nbformat.read(executed, as_version=4), inputs, fields)
    generated = label("quarterly.generated", lang).format(
        version=markdown_text(__version__), actuals=f"<code>{inputs.actuals.sha256[:16]}</code>",
        scenario=f"<code>{sha256_file(inputs.scenario_path)[:16]}</code>")
    cells += [nbformat.v4.new_markdown_cell(page_heading(*entries[-1])), nbformat.v4.new_markdown_cell(generated),
              nbformat.v4.new_markdown_cell(provenance_markdown(_worded(prov, lang), lang))]
    merged = nbformat.v4.new_notebook()
    merged.metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                                      "name": "python3"}, "language_info": {"name": "python"}, "title": title}
    merged.cells = cells
    for i, cell in enumerate(merged.cells):
        cell["id"] = f"suivi-{i:03d}"
    return render_page(merged, title=title, lang=lang)


# --------------------------------------------------------------------------- #
# Files
# --------------------------------------------------------------------------- #
def _csv_frames(tables: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """The three CSV tables with exactly the issue's columns (codes, ISO dates)."""
    m = tables["milestones"].loc[:, list(MILESTONES_CSV_COLUMNS)].copy()
    m["done_on"] = [_date_text(v, "en") for v in m["done_on"]]
    frames = {"milestones_status.csv": m, "risks.csv": tables["risks"].loc[:, list(RISKS_COLUMNS)],
              "credits_to_date.csv": tables["credits_to_date"].loc[:, list(CREDITS_TO_DATE_COLUMNS)]}
    if "processing_times" in tables:
        from incubo_analysis.monitoring.ds import PROCESSING_TIMES_COLUMNS

        frames["processing_times.csv"] = tables["processing_times"].loc[:, list(PROCESSING_TIMES_COLUMNS)]
    if "credits_crosscheck" in tables:
        from incubo_analysis.monitoring.chorus import CROSSCHECK_COLUMNS

        frames["credits_crosscheck.csv"] = tables["credits_crosscheck"].loc[:, list(CROSSCHECK_COLUMNS)]
    return frames


def _workbook_frames(inputs: QuarterlyInputs, tables: Mapping[str, Any]) -> list[tuple[str, pd.DataFrame]]:
    """(sheet key, frame) of the workbook: raw numbers, statuses and dates in words."""
    lang = inputs.lang

    def words(frame: pd.DataFrame, dates: tuple[str, ...] = ()) -> pd.DataFrame:
        out = frame.copy()
        if "status" in out.columns:
            out["status"] = [s if s in ("green", "amber", "red") else _status_text(s, lang) for s in out["status"]]
        for col in dates:
            if col in out.columns:
                out[col] = [_date_text(v, lang) for v in out[col]]
        return out

    ind = tables["indicators"].drop(columns=["kind"])
    matrix = tables["risk_matrix"].reset_index()
    # "probability" alone is a share elsewhere in the annex (Monte Carlo): a risk's is a level 1-4
    matrix.columns = ["risk_probability", *[label("quarterly.matrix.impact", lang).format(n=i)
                                            for i in tables["risk_matrix"].columns]]
    register = tables["risk_register"].drop(columns=["closed_in_quarter"]).rename(
        columns={"probability": "risk_probability"})
    ds = [(k, tables[k]) for k in ("processing_time_reduction", "processing_times") if k in tables]
    if ds:  # the reduction is a share: its name says so to the workbook's formats
        ds[0] = (ds[0][0], ds[0][1].rename(columns={"reduction": "reduction_share"}))
    chorus = [("credits_crosscheck", tables["credits_crosscheck"])] if "credits_crosscheck" in tables else []
    return [
        ("indicators", words(ind)),
        *ds,
        ("milestones", words(tables["milestones"], ("done_on", "forecast_on"))),
        ("risk_matrix", matrix),
        ("risks", words(register, ("identified_on", "closed_on"))),
        ("credits_to_date", tables["credits_to_date"]),
        ("tranches", tables["tranches"]),
        ("envelopes", tables["envelopes"]),
        *chorus,
        ("savings_to_date", tables["savings_to_date"]),
    ]


def _write_files(inputs: QuarterlyInputs, tables: Mapping[str, Any], prov: Mapping[str, str], tmp: Path) -> None:
    from incubo_analysis.outputs.excel import write_tables_workbook

    for name, frame in _csv_frames(tables).items():
        write_csv(frame, tmp / name)
    lang, fields = inputs.lang, _fields(inputs, tables)
    sheets = [(label(f"quarterly.sheet.{key}", lang), label(f"quarterly.table.{key}", lang).format(
        **fields, **{k: str(v) for k, v in tables["risk_counts"].items()}), frame)
        for key, frame in _workbook_frames(inputs, tables)]
    headers = _header_map(lang)
    if inputs.sources.dossiers is not None:
        from incubo_analysis.monitoring.ds import PROCESSING_TIMES_COLUMNS, REDUCTION_COLUMNS

        headers.update({c: label(f"ds.col.{c}", lang) for c in (*PROCESSING_TIMES_COLUMNS, *REDUCTION_COLUMNS)
                        if c not in headers and has_label(f"ds.col.{c}")})
        headers.update(period=label("quarter", lang), reduction_share=label("ds.col.reduction", lang))
    write_tables_workbook(tmp / f"suivi_{inputs.code}.xlsx", sheets, provenance=prov,
                          title=label("quarterly.title", lang).format(**fields), lang=lang, headers=headers)


def quarterly_notebook_parameters(inputs: QuarterlyInputs) -> dict[str, Any]:
    """papermill parameters of notebook 06 (paths as shown: relative to the project when inside it).

    The sources are always passed (an empty list and ``""`` without them): the notebook's own
    defaults show the shipped examples, the pack shows what its command was given.
    """
    from incubo_analysis.paths import CHORUS_MAPPING

    src = inputs.sources
    mapping = src.chorus_mapping_path
    return {"quarter": inputs.code, "actuals": inputs.shown["actuals"], "scenario_file": inputs.shown["scenario"],
            "green": inputs.green, "amber": inputs.amber, "lang": inputs.lang,
            "ds_exports": [shown_path(p) for p in src.ds_paths],
            "chorus": shown_path(src.chorus_path) if src.chorus_path is not None else "",
            "chorus_mapping": shown_path(mapping) if mapping is not None and mapping != CHORUS_MAPPING else ""}


def build_quarterly(inputs: QuarterlyInputs, out: str | os.PathLike[str], *,
                    progress: Callable[[str], None] | None = None) -> Path:
    """Build the pack's folder for validated ``inputs`` (atomically replaces ``out``).

    Notebook 06 runs in the background (papermill) while this thread computes the tables and
    writes the CSV files and the workbook; the page is assembled once the notebook is done.
    """
    from concurrent.futures import ThreadPoolExecutor

    from incubo_analysis.outputs.notebook_runs import run_notebooks

    progress = progress or (lambda msg: None)
    params = {QUARTERLY_NOTEBOOK: quarterly_notebook_parameters(inputs)}
    with atomic_output_dir(out, command="incubo quarterly") as tmp, ThreadPoolExecutor(max_workers=1) as runner:
        run = runner.submit(run_notebooks, [QUARTERLY_NOTEBOOK], params, tmp / "notebooks", progress, jobs=1)
        try:
            tables = quarterly_tables(inputs)
            prov = quarterly_provenance(inputs)
            _write_files(inputs, tables, prov, tmp)
            import nbconvert  # noqa: F401  (imported while the kernel runs)
        except BaseException:
            run.cancel()
            run.exception()
            raise
        executed = run.result()[QUARTERLY_NOTEBOOK]
        progress(label("report.progress.html", inputs.lang))
        (tmp / f"suivi_{inputs.code}.html").write_text(_page(executed, inputs, tables, prov), encoding="utf-8")
    return Path(out)

"""Reconciliation of the contract with itself: printed totals vs their lines, text vs tables.

The contract's own inconsistencies are *findings*, not errors: each check is one
row with the printed (``stated``) figure, the ``computed`` one, their ``difference``
(stated − computed) and a ``status``:

- ``ok``: equal;
- ``rounding``: the printed figure is the computed one rounded to the printed
  precision (|difference| ≤ half a unit of the last printed digit);
- ``mismatch``: anything else unequal.

Examples
--------
>>> rec = reconcile_contract()
>>> sorted(set(rec["status"]))
['mismatch', 'ok', 'rounding']
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pandas as pd

from incubo_analysis.contract.loaders import load_contract
from incubo_analysis.contract.schema import RECONCILIATION_COLUMNS
from incubo_analysis.labels import LANGS, check_lang, fmt_number, fmt_pct
from incubo_analysis.labels import label as _label

__all__ = ["reconcile_contract", "classify", "condense_mismatches", "checks_in_language"]

_TOL = 1e-9

#: A field of a check's description: the same text in every language, or a function of the language.
_Field = str | int | Callable[[str], str]


def _figure(x: float) -> Callable[[str], str]:
    """A figure of a check's wording, to the decimals it has (``4``, ``2,5``, ``0,625`` in French).

    Examples
    --------
    >>> f = _figure(0.625)
    >>> f("fr"), f("en"), _figure(4.0)("fr")
    ('0,625', '0.625', '4')
    """
    decimals = next(d for d in range(10) if round(float(x), d) == float(x))
    return lambda lang: fmt_number(x, decimals, lang)


def _describe(key: str, **fields: _Field) -> dict[str, str]:
    """The description of a check in every language: label ``reconcile.KEY`` with its fields."""
    return {lang: _label(f"reconcile.{key}", lang).format(
        **{k: (v(lang) if callable(v) else v) for k, v in fields.items()}) for lang in LANGS}


def _labelled(key: str) -> Callable[[str], str]:
    """A field of a description: the label ``key`` in the reader's language."""
    return lambda lang: _label(key, lang)


def _where(axis: object) -> Callable[[str], str]:
    """Who a printed total covers: "Axe 2" (its axis) or the whole project."""
    if pd.isna(axis):
        return lambda lang: _label("reconcile.whole_project", lang)
    return lambda lang: _label("reconcile.axis", lang).format(axis=int(axis))


def classify(stated: float, computed: float, precision: float | None) -> str:
    """Status of one check.

    Parameters
    ----------
    stated : float
        The figure as printed.
    computed : float
        The figure recomputed from the tables.
    precision : float or None
        Unit of the last printed digit (1 for "684", 0.01 for "106.88", 0.1 for
        "2,7 millions" in M€); None when the figure is exact (no rounding allowed).

    Examples
    --------
    >>> classify(684, 684.005, 1)
    'rounding'
    >>> classify(134, 133.5, 1)
    'rounding'
    >>> classify(40, 39, 1)
    'mismatch'
    >>> classify(57, 57.0, 1)
    'ok'
    """
    diff = abs(stated - computed)
    if diff <= _TOL:
        return "ok"
    if precision is not None and diff <= precision / 2 + _TOL:
        return "rounding"
    return "mismatch"


def _row(check: dict[str, str], stated, computed, precision, family, section, unit, year=None, credit="") -> dict:
    return {
        "check": check["fr"],
        "check_en": check["en"],
        "stated": float(stated),
        "computed": float(computed),
        "difference": float(stated) - float(computed),
        "status": classify(float(stated), float(computed), precision),
        "family": family,
        "section": section,
        "unit": unit,
        "year": year,
        "credit": credit,
    }


def _scope_mask(plan: pd.DataFrame, axis, title: str, source: str) -> pd.Series:
    mask = pd.Series(True, index=plan.index)
    if not pd.isna(axis):
        mask &= plan["axis"] == int(axis)
    if title:
        mask &= plan["title"] == title
    if source:
        mask &= plan["source"] == source
    return mask


def _financing_checks(plan: pd.DataFrame, totals: pd.DataFrame) -> list[dict]:
    rows = []
    sums = plan.groupby(["axis", "title", "source", "year", "credit"], observed=True)[
        "amount_keur"
    ].sum().reset_index()
    printed = totals.set_index(["total_id", "year", "credit"])["amount_keur"].to_dict()
    # sum of lines for every (scope, year, credit) of a printed total, computed once per scope
    scopes: dict[tuple, dict] = {}
    for t in totals.drop_duplicates("total_id").itertuples(index=False):
        mask = _scope_mask(sums, t.axis, t.title, t.source)
        scopes[t.total_id] = sums[mask].groupby(["year", "credit"])["amount_keur"].sum().to_dict()
    names = totals.drop_duplicates("total_id").set_index("total_id")["label"].to_dict()  # as printed
    for t in totals.itertuples(index=False):
        name = {"where": _where(t.axis), "label": t.label, "year": t.year, "credit": t.credit}
        precision = 10.0 ** -t.decimals
        computed = scopes[t.total_id].get((t.year, t.credit), 0.0)
        rows.append(_row(_describe("total_vs_lines", **name), t.amount_keur, computed,
                         precision, "financing_total_vs_lines", "2", "k€", t.year, t.credit))
        if t.components:
            comps = t.components.split()
            computed = sum(printed[(c, t.year, t.credit)] for c in comps)

            def printed_names(lang: str, comps: list[str] = comps) -> str:
                return " + ".join(_label("reconcile.quoted", lang).format(text=names[c]) for c in comps)

            rows.append(_row(_describe("total_vs_subtotals", **name, printed=printed_names),
                             t.amount_keur, computed, precision,
                             "financing_total_vs_subtotals", "2", "k€", t.year, t.credit))
    return rows


def _savings_checks(table: pd.DataFrame, totals: pd.DataFrame, figures: pd.Series) -> list[dict]:
    rows = []
    sums = table.groupby(["year", "credit"])["amount_keur"].sum()
    for t in totals.itertuples(index=False):
        rows.append(_row(_describe("savings_total", label=t.label, year=t.year, credit=t.credit),
                         t.amount_keur, sums[(t.year, t.credit)], 10.0 ** -t.decimals,
                         "savings_total_vs_lines", "3", "k€", t.year, t.credit))
    # Each lever's amount against FTE × unit cost × the phasing implied by the TOTAL row.
    run_rate = totals.query("year == 2022 and credit == 'CP'")["amount_keur"].item()
    unit_cost = figures["savings_unit_cost"]
    share = totals.set_index(["year", "credit"])["amount_keur"] / run_rate
    for t in table.itertuples(index=False):
        if t.year == 2018:
            continue
        phased = float(share[(t.year, t.credit)])
        expected = t.etp * unit_cost * phased
        rows.append(_row(
            _describe("savings_lever", lever=lambda lang, lever=t.lever: _label(lever, lang, short=True),
                      etp=_figure(t.etp), year=t.year, credit=t.credit, unit_cost=_figure(unit_cost),
                      share=lambda lang, phased=phased: fmt_pct(phased, 1, lang)),
            t.amount_keur, expected, 10.0 ** -t.decimals, "savings_lever_vs_etp", "3", "k€", t.year, t.credit))
    return rows


def _text_checks(plan: pd.DataFrame, totals: pd.DataFrame, table: pd.DataFrame,
                 savings_totals: pd.DataFrame, fig: pd.DataFrame) -> list[dict]:
    rows = []
    cp = plan[plan["credit"] == "CP"]
    ftap = cp[cp["source"] == "FTAP"]
    val = fig.set_index("figure")["value"]
    prec = fig.set_index("figure")["precision"]

    def p(figure: str, factor: float = 1.0) -> float | None:
        text = prec[figure]
        return None if text == "exact" else float(text) * factor

    def sum_cp(**kw) -> float:
        m = pd.Series(True, index=ftap.index)
        for k, v in kw.items():
            m &= ftap[k] == v
        return float(ftap.loc[m, "amount_keur"].sum())

    for axis in (1, 2, 3, 4):
        f = f"ftap_request_axis{axis}"
        rows.append(_row(_describe("ftap_request_axis", axis=axis),
                         val[f] / 1000, sum_cp(axis=axis), p(f, 1 / 1000), "text_vs_tables", "2", "k€"))
    details = [
        ("ftap_axis1_t3_services",
         float(ftap.loc[ftap["line_id"] == "A1-T3-01", "amount_keur"].sum())),
        ("ftap_axis1_t3_other",
         float(ftap.loc[(ftap["axis"] == 1) & (ftap["title"] == "T3") & (ftap["line_id"] != "A1-T3-01"),
                        "amount_keur"].sum())),
        ("ftap_axis2_t3_services",
         float(ftap.loc[ftap["line_id"] == "A2-T3-01", "amount_keur"].sum())),
        ("ftap_axis3_t6", sum_cp(axis=3, title="T6")),
        ("ftap_axis3_t3", sum_cp(axis=3, title="T3")),
        ("ftap_axis4_t6", sum_cp(axis=4, title="T6")),
        ("ftap_axis4_t3", sum_cp(axis=4, title="T3")),
    ]
    for f, computed in details:
        rows.append(_row(_describe("detail", what=_labelled(f"reconcile.detail.{f}")), val[f] / 1000, computed,
                         p(f, 1 / 1000), "text_vs_tables", "2", "k€"))
    ftap_total = float(ftap["amount_keur"].sum())
    all_lines = float(cp["amount_keur"].sum())
    grand_printed = float(totals.query("total_id == 'ALL' and credit == 'CP'")["amount_keur"].sum())
    rows.append(_row(_describe("ftap_total"),
                     val["ftap_request_total"] * 1000, ftap_total, p("ftap_request_total", 1000),
                     "text_vs_tables", "2", "k€"))
    rows.append(_row(_describe("global_cost_lines"),
                     val["global_cost"] * 1000, all_lines, p("global_cost", 1000),
                     "text_vs_tables", "2", "k€"))
    rows.append(_row(_describe("global_cost_printed"),
                     val["global_cost"] * 1000, grand_printed, p("global_cost", 1000),
                     "text_vs_tables", "2", "k€"))
    rows.append(_row(_describe("ftap_share_lines"),
                     val["ftap_share"], ftap_total / all_lines, p("ftap_share"),
                     "text_vs_tables", "2", "part"))
    rows.append(_row(_describe("ftap_share_printed"),
                     val["ftap_share"], ftap_total / grand_printed, p("ftap_share"),
                     "text_vs_tables", "2", "part"))
    for axis in (1, 2, 3, 4):
        ref = cp[(cp["axis"] == axis) & cp["line"].str.contains("dont financement")]
        dr = float(ref.loc[ref["line"].str.contains("dont financement dans les 5 directions"),
                           "amount_keur"].sum())
        share = dr / float(ref["amount_keur"].sum())
        rows.append(_row(_describe("referents", axis=axis), val["referents_share_regional_directions"], share,
                         p("referents_share_regional_directions"), "text_vs_tables", "2", "part"))
    sav_cp = table[table["credit"] == "CP"]
    etp = sav_cp.drop_duplicates("lever")["etp"].sum()
    rows.append(_row(_describe("savings_etp"),
                     val["savings_etp"], etp, p("savings_etp"), "text_vs_tables", "3", "ETP"))
    run_rate = float(savings_totals.query("year == 2022 and credit == 'CP'")["amount_keur"].item())
    rows.append(_row(_describe("unit_cost"),
                     val["savings_unit_cost"], run_rate / etp, p("savings_unit_cost"),
                     "text_vs_tables", "3", "k€/ETP/an"))
    split = val[["savings_split_interior", "savings_split_dreal", "savings_split_other_bop"]].sum()
    rows.append(_row(_describe("programme_split"),
                     1.0, split, None, "text_vs_tables", "3", "part"))
    total_savings = float(savings_totals.query("credit == 'CP'")["amount_keur"].sum())
    rows.append(_row(_describe("savings_total_text"),
                     val["savings_total"] * 1000, total_savings, p("savings_total", 1000),
                     "text_vs_tables", "5.2", "k€"))
    return rows


def reconcile_contract(directory: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Check the contract against itself.

    Checks, in order: every printed subtotal and total of the financing plan
    (section 2) against the sum of its lines, and the totals made of printed
    subtotals (axis totals, the "Coût total" row) against those subtotals;
    the savings table (section 3) TOTAL row against its lever lines and each
    lever's amount against FTE × 57 k€ × the phasing implied by the TOTAL row;
    every figure of the text (FTAP request per axis and its breakdown, "1,2
    million", "2,7 millions", "46 %", the 28 % split of the referents, 32 FTE,
    57 k€, the 1/3 split, "1,3 M€") against the tables.

    Parameters
    ----------
    directory : path, optional
        Folder of the transcribed contract (default ``data/raw/contract``).

    Returns
    -------
    pandas.DataFrame
        One row per check: ``check`` (readable, in French: which total, axis,
        year, credit), ``stated``, ``computed``, ``difference`` (stated −
        computed), ``status`` ("ok", "rounding", "mismatch"), then ``family``,
        ``section`` (of the contract), ``unit`` (k€, part = share 0–1, ETP...),
        ``year`` and ``credit`` (for checks of one table cell; empty otherwise) and
        ``check_en`` (the description in English; :func:`checks_in_language` picks the
        reader's one). The contract's printed labels are quoted as printed, in French.
    """
    c = load_contract(directory)
    fig = c["text_figures"].set_index("figure")["value"]
    rows = (
        _financing_checks(c["financing_plan"], c["financing_totals"])
        + _savings_checks(c["savings_table"], c["savings_totals"], fig)
        + _text_checks(c["financing_plan"], c["financing_totals"], c["savings_table"],
                       c["savings_totals"], c["text_figures"])
    )
    out = pd.DataFrame(rows)
    out["year"] = out["year"].astype("Int64")
    return out[[*RECONCILIATION_COLUMNS, "family", "section", "unit", "year", "credit", "check_en"]]


def checks_in_language(rec: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """The reconciliation with its ``check`` descriptions in ``lang``, for display.

    :func:`reconcile_contract` gives each description in French (``check``) and in English
    (``check_en``); this copy holds the reader's one in ``check`` and drops ``check_en``. A
    frame without ``check_en`` (an older ``reconciliation.csv``) is returned as it is.

    Parameters
    ----------
    rec : DataFrame
        :func:`reconcile_contract`'s frame (or a subset of its rows).
    lang : {"fr", "en"}

    Returns
    -------
    DataFrame
        Same rows and columns, without ``check_en``.

    Examples
    --------
    >>> rec = reconcile_contract()
    >>> checks_in_language(rec, "en")["check"].iloc[0]
    'Axis 1 · Total T2 sur financement FTAP · 2018 AE: sum of the lines'
    """
    check_lang(lang)
    if "check_en" not in rec.columns:
        return rec
    out = rec.drop(columns="check_en")
    if lang == "en":
        out = out.assign(check=rec["check_en"].to_numpy())
    return out


def condense_mismatches(rec: pd.DataFrame) -> pd.DataFrame:
    """Mismatches grouped by check and figures, with the years/credits they hold for.

    Returns
    -------
    pandas.DataFrame
        Columns ``check`` (without year and credit), ``when`` (e.g. "2019-2021 AE/CP"),
        ``stated``, ``computed``, ``difference``, ``unit``, ``count``.
    """
    mism = rec[rec["status"] == "mismatch"].copy()
    if mism.empty:
        return pd.DataFrame(columns=["check", "when", "stated", "computed", "difference", "unit", "count"])
    stems = []
    for r in mism.itertuples(index=False):
        stem = r.check
        if not pd.isna(r.year):
            stem = stem.replace(f" · {r.year} {r.credit}", "")
        stems.append(stem)
    mism["stem"] = stems
    mism["order"] = range(len(mism))
    out = []
    for (stem, stated, computed), g in mism.groupby(["stem", "stated", "computed"], sort=False):
        years = sorted({int(y) for y in g["year"].dropna()})
        credits = "/".join(c for c in ("AE", "CP") if c in set(g["credit"]))
        when = ""
        if years:
            consecutive = years == list(range(years[0], years[-1] + 1))
            run = f"{years[0]}-{years[-1]}" if consecutive else ", ".join(map(str, years))
            when = f"{run if len(years) > 1 else years[0]} {credits}".strip()
        out.append({"check": stem, "when": when, "stated": stated, "computed": computed,
                    "difference": stated - computed, "unit": g["unit"].iloc[0], "count": len(g),
                    "order": g["order"].min()})
    return pd.DataFrame(out).sort_values("order").drop(columns="order").reset_index(drop=True)


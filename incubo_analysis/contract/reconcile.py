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

import pandas as pd

from incubo_analysis.contract.loaders import load_contract
from incubo_analysis.contract.schema import RECONCILIATION_COLUMNS
from incubo_analysis.labels import NBSP, fmt_number, fmt_pct
from incubo_analysis.labels import label as _label

__all__ = ["reconcile_contract", "classify", "condense_mismatches"]

_TOL = 1e-9


def _fr_number(x: float) -> str:
    """A figure of a check's wording in French, to the decimals it has (``4``, ``2,5``, ``0,625``).

    Examples
    --------
    >>> _fr_number(4.0), _fr_number(2.5), _fr_number(0.625)
    ('4', '2,5', '0,625')
    """
    decimals = next(d for d in range(10) if round(float(x), d) == float(x))
    return fmt_number(x, decimals)
_AXIS_FR = {1: "Axe 1", 2: "Axe 2", 3: "Axe 3", 4: "Axe 4"}
_SOURCE_FR = {"FTAP": "FTAP", "cofinancing": "cofinancements"}


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


def _row(check, stated, computed, precision, family, section, unit, year=None, credit="") -> dict:
    return {
        "check": check,
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
        where = _AXIS_FR.get(int(t.axis), "") if not pd.isna(t.axis) else "Ensemble du projet"
        name = f"{where} · {t.label} · {t.year} {t.credit}"
        precision = 10.0 ** -t.decimals
        computed = scopes[t.total_id].get((t.year, t.credit), 0.0)
        rows.append(_row(f"{name} : somme des lignes", t.amount_keur, computed,
                         precision, "financing_total_vs_lines", "2", "k€", t.year, t.credit))
        if t.components:
            comps = t.components.split()
            computed = sum(printed[(c, t.year, t.credit)] for c in comps)
            printed_names = " + ".join(f"« {names[c]} »" for c in comps)
            rows.append(_row(f"{name} : somme des sous-totaux imprimés ({printed_names})",
                             t.amount_keur, computed, precision,
                             "financing_total_vs_subtotals", "2", "k€", t.year, t.credit))
    return rows


def _savings_checks(table: pd.DataFrame, totals: pd.DataFrame, figures: pd.Series) -> list[dict]:
    rows = []
    sums = table.groupby(["year", "credit"])["amount_keur"].sum()
    for t in totals.itertuples(index=False):
        rows.append(_row(f"Économies · {t.label} · {t.year} {t.credit} : somme des leviers",
                         t.amount_keur, sums[(t.year, t.credit)], 10.0 ** -t.decimals,
                         "savings_total_vs_lines", "3", "k€", t.year, t.credit))
    # Each lever's amount against FTE × unit cost × the phasing implied by the TOTAL row.
    run_rate = totals.query("year == 2022 and credit == 'CP'")["amount_keur"].item()
    unit_cost = figures["savings_unit_cost"]
    share = totals.set_index(["year", "credit"])["amount_keur"] / run_rate
    for t in table.itertuples(index=False):
        if t.year == 2018:
            continue
        expected = t.etp * unit_cost * share[(t.year, t.credit)]
        rows.append(_row(
            f"Économies · levier {_label(t.lever, short=True)} ({_fr_number(t.etp)}{NBSP}ETP) · {t.year} {t.credit} : "
            f"ETP × {_fr_number(unit_cost)}{NBSP}k€ × phasage ({fmt_pct(share[(t.year, t.credit)], 1)})",
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
        rows.append(_row(f"Demande FTAP axe {axis} (texte § 2) vs lignes FTAP de l'axe (CP 2018-2022)",
                         val[f] / 1000, sum_cp(axis=axis), p(f, 1 / 1000), "text_vs_tables", "2", "k€"))
    details = [
        ("ftap_axis1_t3_services", "Axe 1 · prestations T3 de dématérialisation",
         float(ftap.loc[ftap["line_id"] == "A1-T3-01", "amount_keur"].sum())),
        ("ftap_axis1_t3_other", "Axe 1 · autres dépenses T3 (communication, déplacements...)",
         float(ftap.loc[(ftap["axis"] == 1) & (ftap["title"] == "T3") & (ftap["line_id"] != "A1-T3-01"),
                        "amount_keur"].sum())),
        ("ftap_axis2_t3_services", "Axe 2 · développement d'outils et services (T3)",
         float(ftap.loc[ftap["line_id"] == "A2-T3-01", "amount_keur"].sum())),
        ("ftap_axis3_t6", "Axe 3 · subvention FING (T6)", sum_cp(axis=3, title="T6")),
        ("ftap_axis3_t3", "Axe 3 · dépenses T3", sum_cp(axis=3, title="T3")),
        ("ftap_axis4_t6", "Axe 4 · subvention Mednum (T6)", sum_cp(axis=4, title="T6")),
        ("ftap_axis4_t3", "Axe 4 · dépenses T3", sum_cp(axis=4, title="T3")),
    ]
    for f, label, computed in details:
        rows.append(_row(f"{label} (texte § 2) vs lignes FTAP (CP)", val[f] / 1000, computed,
                         p(f, 1 / 1000), "text_vs_tables", "2", "k€"))
    ftap_total = float(ftap["amount_keur"].sum())
    all_lines = float(cp["amount_keur"].sum())
    grand_printed = float(totals.query("total_id == 'ALL' and credit == 'CP'")["amount_keur"].sum())
    rows.append(_row("Demande FTAP totale « 1,2 million » vs lignes FTAP (CP)",
                     val["ftap_request_total"] * 1000, ftap_total, p("ftap_request_total", 1000),
                     "text_vs_tables", "2", "k€"))
    rows.append(_row("Coût global « 2,7 millions » vs somme des lignes (CP 2018-2022)",
                     val["global_cost"] * 1000, all_lines, p("global_cost", 1000),
                     "text_vs_tables", "2", "k€"))
    rows.append(_row("Coût global « 2,7 millions » vs ligne imprimée « Coût total » (CP 2018-2022)",
                     val["global_cost"] * 1000, grand_printed, p("global_cost", 1000),
                     "text_vs_tables", "2", "k€"))
    rows.append(_row("Part FTAP « 46 % » vs lignes FTAP / somme des lignes (CP)",
                     val["ftap_share"], ftap_total / all_lines, p("ftap_share"),
                     "text_vs_tables", "2", "part"))
    rows.append(_row("Part FTAP « 46 % » vs lignes FTAP / ligne imprimée « Coût total » (CP)",
                     val["ftap_share"], ftap_total / grand_printed, p("ftap_share"),
                     "text_vs_tables", "2", "part"))
    for axis in (1, 2, 3, 4):
        ref = cp[(cp["axis"] == axis) & cp["line"].str.contains("dont financement")]
        dr = float(ref.loc[ref["line"].str.contains("dont financement dans les 5 directions"),
                           "amount_keur"].sum())
        share = dr / float(ref["amount_keur"].sum())
        rows.append(_row(f"Axe {axis} · référents innovation : part des directions régionales « 28 % » "
                         "vs lignes (CP 2018-2022)", val["referents_share_regional_directions"], share,
                         p("referents_share_regional_directions"), "text_vs_tables", "2", "part"))
    sav_cp = table[table["credit"] == "CP"]
    etp = sav_cp.drop_duplicates("lever")["etp"].sum()
    rows.append(_row("32 ETP de catégorie B (texte § 3) vs somme des ETP des leviers",
                     val["savings_etp"], etp, p("savings_etp"), "text_vs_tables", "3", "ETP"))
    run_rate = float(savings_totals.query("year == 2022 and credit == 'CP'")["amount_keur"].item())
    rows.append(_row("57 k€/an par ETP (texte § 3) vs total 2022 du tableau / 32 ETP",
                     val["savings_unit_cost"], run_rate / etp, p("savings_unit_cost"),
                     "text_vs_tables", "3", "k€/ETP/an"))
    split = val[["savings_split_interior", "savings_split_dreal", "savings_split_other_bop"]].sum()
    rows.append(_row("Répartition par programme (1/3 Intérieur, 1/3 DREAL, 1/3 autres BOP) : total",
                     1.0, split, None, "text_vs_tables", "3", "part"))
    total_savings = float(savings_totals.query("credit == 'CP'")["amount_keur"].sum())
    rows.append(_row("Économies « 1,3 M€ » (§ 5.2) vs total du tableau des économies 2019-2022 (CP)",
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
        ``year`` and ``credit`` (for checks of one table cell; empty otherwise).
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
    return out[[*RECONCILIATION_COLUMNS, "family", "section", "unit", "year", "credit"]]


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


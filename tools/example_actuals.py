"""Build the synthetic (FICTIF) example actuals workbook ``data/raw/actuals/example_actuals.xlsx``.

The example is made with the template writer of :mod:`incubo_analysis.monitoring.template`
and filled with invented but plausible figures for 2019-2021, so that every
table and chart of the report has something to show:

- savings: a late dematerialisation wave (2020 well below plan), a partial
  catch-up in 2021 at a higher unit cost (58 k€ instead of 57), explanations
  for the gaps, and one gap beyond 10 % left unexplained
  (``process_optimisation`` 2021) so that the missing-explanation flag shows;
- credits: every quarter of 2019-2021 of each financing group, roughly
  following the plan, with some under-consumption (2020 especially);
- indicators: 2019-2021 values giving a mix of green, amber and red.

The figures are fixed in this module (no randomness), and the workbook's bytes
do not depend on the time of writing: ``python -m tools.example_actuals``
rebuilds the committed file identically.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from incubo_analysis.contract.loaders import load_indicator_targets
from incubo_analysis.io import save_workbook_deterministic
from incubo_analysis.labels import label
from incubo_analysis.monitoring.template import template_workbook, value_lists
from incubo_analysis.paths import EXAMPLE_ACTUALS

__all__ = [
    "EXAMPLE_SAVINGS",
    "EXAMPLE_INDICATORS",
    "EXAMPLE_CREDIT_FACTORS",
    "example_credit_rows",
    "build_example_actuals",
]

EXAMPLE_YEARS: tuple[int, ...] = (2019, 2020, 2021)

#: (lever, year) -> (etp_freed, unit_cost_keur or None, explanation). Plan
#: (baseline): FTE x phasing 12.5 / 37.5 / 62.5 %, i.e. dematerialisation
#: 2.5 / 7.5 / 12.5, process_optimisation 0.625 / 1.875 / 3.125,
#: digital_tools_and_data 0.5 / 1.5 / 2.5, user_support 0.375 / 1.125 / 1.875.
EXAMPLE_SAVINGS: dict[tuple[str, int], tuple[float, float | None, str]] = {
    ("dematerialisation", 2019): (2.5, None, ""),
    ("dematerialisation", 2020): (
        5.0, None,
        "Vague de dématérialisation décalée : ouverture des démarches en ligne reportée de six mois "
        "(crise sanitaire, priorités des services).",
    ),
    ("dematerialisation", 2021): (
        11.0, 58.0,
        "Rattrapage partiel de la vague 2020 ; coût moyen d'un ETP de catégorie B porté à 58 k€ "
        "(revalorisation indiciaire).",
    ),
    ("process_optimisation", 2019): (0.6, None, ""),
    ("process_optimisation", 2020): (1.9, None, ""),
    ("process_optimisation", 2021): (2.75, None, ""),  # -12 % and no explanation: flagged
    ("digital_tools_and_data", 2019): (0.5, None, ""),
    ("digital_tools_and_data", 2020): (
        1.2, None,
        "Deux projets incubés livrés avec un trimestre de retard ; gains reportés sur 2021.",
    ),
    ("digital_tools_and_data", 2021): (2.6, None, ""),
    ("user_support", 2019): (0.4, None, ""),
    ("user_support", 2020): (1.1, None, ""),
    ("user_support", 2021): (1.9, None, ""),
}

#: (indicator, year) -> (value, comment). Targets: see data/raw/contract/indicators.csv.
EXAMPLE_INDICATORS: dict[tuple[str, int], tuple[float, str]] = {
    ("axis1_procedures_prototyped", 2019): (31, ""),
    ("axis1_procedures_prototyped", 2020): (48, "Ateliers suspendus au printemps 2020."),
    ("axis1_procedures_prototyped", 2021): (92, ""),
    ("axis1_deployment_rate", 2019): (0.29, ""),
    ("axis1_deployment_rate", 2020): (0.42, "Déploiement décalé avec la vague de dématérialisation."),
    ("axis1_deployment_rate", 2021): (0.85, ""),
    ("axis2_projects_incubated", 2019): (3, ""),
    ("axis2_projects_incubated", 2020): (7, ""),
    ("axis2_projects_incubated", 2021): (11, ""),
    ("axis3_agents_trained", 2019): (700, ""),
    ("axis3_agents_trained", 2020): (1600, "Formats à distance."),
    ("axis3_agents_trained", 2021): (2650, ""),
    ("axis4_experiments_launched", 2019): (1, "Deuxième expérimentation lancée en janvier 2020."),
    ("axis4_experiments_launched", 2020): (3, ""),
    ("axis4_experiments_launched", 2021): (5, ""),
    ("axis1_processing_time_reduction", 2021): (0.35, "Mesuré sur 40 démarches."),
    ("axis1_user_satisfaction", 2021): (0.78, ""),
    ("axis2_user_satisfaction", 2021): (0.72, ""),
    ("axis3_agent_satisfaction", 2021): (0.81, ""),
    ("axis4_user_satisfaction", 2021): (0.60, "Enquête auprès de 120 usagers."),
    # savings_total_keur 2021 is filled by build_example_actuals with the
    # cumulated realised savings 2019-2021 of EXAMPLE_SAVINGS.
}

#: Consumption of the yearly plan, per title and year (share of the planned
#: amount consumed over the year): personnel (T2) close to plan, operating
#: (T3) and grants (T6) under-consumed, 2020 most.
EXAMPLE_CREDIT_FACTORS: dict[tuple[str, int], float] = {
    ("T2", 2019): 0.98, ("T2", 2020): 0.96, ("T2", 2021): 1.00,
    ("T3", 2019): 0.90, ("T3", 2020): 0.72, ("T3", 2021): 0.94,
    ("T6", 2019): 1.00, ("T6", 2020): 0.80, ("T6", 2021): 1.00,
}

#: Quarterly profile of the year's consumption (sums to 1): AE committed early,
#: CP paid late; personnel evenly.
_QUARTER_PROFILE: dict[tuple[str, str], tuple[float, float, float, float]] = {
    ("T2", "AE"): (0.25, 0.25, 0.25, 0.25),
    ("T2", "CP"): (0.25, 0.25, 0.25, 0.25),
    ("T3", "AE"): (0.40, 0.25, 0.20, 0.15),
    ("T3", "CP"): (0.10, 0.20, 0.25, 0.45),
    ("T6", "AE"): (0.50, 0.50, 0.00, 0.00),
    ("T6", "CP"): (0.00, 0.50, 0.00, 0.50),
}


def example_credit_rows(financing_plan=None) -> list[tuple[int, str, str, int, int, float, float]]:  # noqa: ANN001
    """The example's credit rows: (axis, title, source, year, quarter, ae_keur, cp_keur).

    Quarterly amount = planned yearly amount of the group x factor of its
    title and year x quarterly profile, rounded to 0.1 k€.
    """
    from incubo_analysis.contract.loaders import load_financing_plan

    fin = financing_plan if financing_plan is not None else load_financing_plan()
    grouped = (fin[fin["year"].isin(EXAMPLE_YEARS)]
               .groupby(["axis", "title", "source", "year", "credit"], as_index=False)["amount_keur"].sum())
    plan = {(int(r.axis), str(r.title), str(r.source), int(r.year), str(r.credit)): float(r.amount_keur)
            for r in grouped.itertuples(index=False)}
    groups = sorted({k[:4] for k in plan})
    rows = []
    for axis, title, source, year in groups:
        ae_year = plan.get((axis, title, source, year, "AE"), 0.0)
        cp_year = plan.get((axis, title, source, year, "CP"), 0.0)
        if ae_year == 0 and cp_year == 0:
            continue
        factor = EXAMPLE_CREDIT_FACTORS[(title, year)]
        for q in range(4):
            ae = round(ae_year * factor * _QUARTER_PROFILE[(title, "AE")][q], 1)
            cp = round(cp_year * factor * _QUARTER_PROFILE[(title, "CP")][q], 1)
            rows.append((axis, title, source, year, q + 1, ae, cp))
    return rows


def build_example_actuals(path: str | os.PathLike[str] = EXAMPLE_ACTUALS) -> Path:
    """Write the FICTIF example actuals workbook (deterministic bytes).

    Parameters
    ----------
    path : path
        Destination (default ``data/raw/actuals/example_actuals.xlsx``).

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    from incubo_analysis.model.params import baseline

    scenario = baseline()
    wb = template_workbook(scenario, fictitious=True, lang="fr")
    codes = {column: {shown: code for code, shown in values.items()}
             for column, values in value_lists(load_indicator_targets(), "fr").items()}
    cumulated = _fill_savings(wb[label("wb.sheet.savings")], scenario.unit_cost_keur, codes)
    _fill_credits(wb[label("wb.sheet.credits")], codes)
    _fill_indicators(wb[label("wb.sheet.indicators")], cumulated, codes)
    return save_workbook_deterministic(wb, path)


def _fill_savings(ws: Any, plan_unit_cost: float, codes: dict[str, dict[str, Any]]) -> float:
    """Fill the pre-filled lever x year rows; return the savings reported, k€ (blank cost = the plan's).

    ``codes``: column -> {value shown in the workbook: code}.
    """
    cumulated = 0.0
    for row in range(2, ws.max_row + 1):
        key = (codes["lever"].get(ws.cell(row=row, column=1).value), ws.cell(row=row, column=2).value)
        if key not in EXAMPLE_SAVINGS:
            continue
        etp, cost, why = EXAMPLE_SAVINGS[key]
        ws.cell(row=row, column=3, value=etp)
        if cost is not None:
            ws.cell(row=row, column=4, value=cost)
        if why:
            ws.cell(row=row, column=5, value=why)
        cumulated += etp * (cost if cost is not None else plan_unit_cost)
    return cumulated


def _fill_credits(ws: Any, codes: dict[str, dict[str, Any]]) -> None:
    """Fill AE and CP (k€) on the pre-filled axis x title x source x year x quarter rows."""
    values = {r[:5]: r[5:] for r in example_credit_rows()}
    for row in range(2, ws.max_row + 1):
        cells = [ws.cell(row=row, column=c).value for c in range(1, 6)]
        key = (codes["axis"].get(cells[0]), codes["title"].get(cells[1]), codes["source"].get(cells[2]),
               *cells[3:])
        if key in values:
            ae, cp = values.pop(key)
            ws.cell(row=row, column=6, value=ae)
            ws.cell(row=row, column=7, value=cp)
    if values:  # pragma: no cover - the template pre-fills every planned group
        raise AssertionError(f"example credit rows not in the template: {sorted(values)[:3]}")


def _fill_indicators(ws: Any, cumulated: float, codes: dict[str, dict[str, Any]]) -> None:
    """Fill the indicator levels; the cumulated savings indicator is the savings sheet's sum (k€)."""
    indicators = dict(EXAMPLE_INDICATORS)
    indicators[("savings_total_keur", 2021)] = (
        round(cumulated, 3), "Économies cumulées 2019-2021 (somme de la feuille savings)."
    )
    for row in range(2, ws.max_row + 1):
        key = (codes["indicator"].get(ws.cell(row=row, column=1).value), ws.cell(row=row, column=2).value)
        if key in indicators:
            value, comment = indicators[key]
            ws.cell(row=row, column=3, value=value)
            if comment:
                ws.cell(row=row, column=4, value=comment)


def main(argv: list[str] | None = None) -> int:
    """Rebuild the example workbook: ``python -m tools.example_actuals [PATH]``."""
    argv = sys.argv[1:] if argv is None else argv
    path = build_example_actuals(argv[0]) if argv else build_example_actuals()
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

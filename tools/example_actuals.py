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
- indicators: 2019-2021 values giving a mix of green, amber and red;
- the savings ledger columns (nature, programme, justificatif): documented budget savings
  (non-remplacement, suppression de poste with a justificatif), productivity gains
  (redéploiement, gain de productivité), a budget nature without justificatif and a blank
  nature (both undocumented);
- milestones (sheet "Jalons"): every annex III milestone with a planned end (2018-2021) is
  reported: most done on time (those not listed in ``EXAMPLE_MILESTONES`` on the 10th-24th of
  the last month of their planned end quarter), one done two months late (J05), two
  rescheduled then done (J06, J68), one rescheduled to 2022 (J07) and one late with only a
  comment (J12); milestones without a planned end are left blank;
- a risk register of eight risks identified from 2019 to 2021, some closed;
- the reference delays of the three fictitious démarches of ``data/raw/ds/``
  (docs/helpers INTERFACES: 120, 45 and 90 days).

The figures are fixed in this module (no randomness), and the workbook's bytes
do not depend on the time of writing: ``python -m tools.example_actuals``
rebuilds the committed file identically.
"""

from __future__ import annotations

import datetime as _dt
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
    "EXAMPLE_LEDGER",
    "EXAMPLE_MILESTONES",
    "example_milestones",
    "EXAMPLE_RISKS",
    "EXAMPLE_REFERENCE_DELAYS",
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

#: (lever, year) -> (nature, programme, justificatif) of the savings ledger. Programmes: 0307
#: (administration territoriale de l'État, until 2019), 0354 (its successor from 2020), BOP
#: 0354-DR31, 0217 (staff of the ecology ministry in the departmental directorates).
EXAMPLE_LEDGER: dict[tuple[str, int], tuple[str, str, str]] = {
    ("dematerialisation", 2019): ("non_replacement", "0307",
                                  "Schéma d'emplois 2019 de la préfecture, décision SE-2019-04"),
    ("dematerialisation", 2020): ("non_replacement", "0354",
                                  "Compte rendu du dialogue de gestion BOP 0354-DR31 du 12/03/2020"),
    ("dematerialisation", 2021): ("post_cut", "0354-DR31",
                                  "Schéma d'emplois 2021, arrêté de répartition du 02/02/2021"),
    ("process_optimisation", 2019): ("redeployment", "0307", ""),
    ("process_optimisation", 2020): ("redeployment", "0354", "Note de service RH du 04/05/2020"),
    ("process_optimisation", 2021): ("non_replacement", "0217", ""),  # budget nature, no evidence
    ("digital_tools_and_data", 2019): ("productivity", "", ""),
    ("digital_tools_and_data", 2020): ("productivity", "0354-DR31", "Étude de temps du SGCD, octobre 2020"),
    ("digital_tools_and_data", 2021): ("post_cut", "0354-DR31", "Schéma d'emplois 2021 du SGCD, décision SE-2021-11"),
    ("user_support", 2019): ("", "", ""),  # not filled in: undocumented
    ("user_support", 2020): ("redeployment", "0354", ""),
    ("user_support", 2021): ("non_replacement", "0354",
                             "Compte rendu du dialogue de gestion BOP 0354-DR31 du 18/03/2021"),
}

#: milestone id -> (done_on, forecast_on, comment); dates ISO, "" when blank. Planned ends
#: (data/raw/contract/milestones.csv): J02, J03, J31 2018T4; J04, J05, J10, J16, J32, J66, J67
#: 2019T4; J06, J07, J11, J12, J21, J56, J68, J69 2020T4; J08 2021T4.
EXAMPLE_MILESTONES: dict[str, tuple[str, str, str]] = {
    "J02": ("2018-12-14", "", "Diagnostic présenté au comité de pilotage."),
    "J03": ("2018-12-20", "", ""),
    "J31": ("2018-11-30", "", ""),
    "J04": ("2019-11-29", "", "31 démarches prototypées au 31/12/2019."),
    "J05": ("2020-02-28", "", "Déploiement achevé avec deux mois de retard."),
    "J10": ("2020-02-28", "", ""),
    "J16": ("2019-12-18", "", "Trois prototypes développés (vague 1)."),
    "J32": ("2019-12-05", "", ""),
    "J66": ("2019-10-10", "", ""),
    "J67": ("2019-12-12", "", ""),
    "J06": ("2021-06-25", "2021-06-30",
            "Ateliers suspendus au printemps 2020 (crise sanitaire) ; échéance reportée au 30/06/2021."),
    "J07": ("", "2022-06-30", "Déploiement reporté avec la vague de dématérialisation."),
    "J11": ("2021-06-25", "", ""),
    "J12": ("", "", "Dépend du déploiement de la vague 2020 (J07)."),
    "J21": ("2020-12-17", "", ""),
    "J56": ("2020-12-15", "", ""),
    "J68": ("2021-03-19", "2021-03-31", "Vague 3 décalée d'un trimestre (confinement)."),
    "J69": ("2020-12-03", "", ""),
    "J08": ("2021-12-10", "", ""),
}

#: The risk register: (id, axis, description, probability, impact, mitigation, owner, status,
#: identified_on, closed_on); dates ISO, "" when blank.
EXAMPLE_RISKS: tuple[tuple[str, int, str, int, int, str, str, str, str, str], ...] = (
    ("R1", 1, "Retard des éditeurs dans l'ouverture des démarches en ligne", 3, 3,
     "Comité de suivi mensuel avec les éditeurs ; priorisation des démarches", "Chef de projet Incub-O",
     "closed", "2019-02-15", "2021-06-30"),
    ("R2", 3, "Faible participation des agents aux sessions de sensibilisation", 2, 2,
     "Formats courts et à distance ; relais dans chaque département", "Responsable formation SGAR",
     "open", "2019-05-06", ""),
    ("R3", 2, "Départ du développeur principal de l'incubateur", 2, 4,
     "Documentation du code ; binôme avec le prestataire", "Directeur du Lab-O", "closed", "2019-09-10",
     "2020-01-15"),
    ("R4", 1, "Crise sanitaire : suspension des ateliers de prototypage", 4, 3,
     "Ateliers à distance ; report des échéances du 2e semestre 2020", "Chef de projet Incub-O", "closed",
     "2020-03-17", "2020-09-30"),
    ("R5", 4, "Faible adhésion des usagers aux expérimentations d'inclusion numérique", 2, 3,
     "Partenariat avec les médiateurs numériques ; enquête de satisfaction", "Chargée de mission inclusion",
     "open", "2020-06-22", ""),
    ("R6", 2, "Dérive du coût des prestations d'accompagnement", 3, 2,
     "Bons de commande plafonnés ; revue trimestrielle des consommations", "Responsable financier SGCD",
     "open", "2020-11-05", ""),
    ("R7", 1, "Non-remplacements des départs non traduits dans le schéma d'emplois", 3, 4,
     "Inscription des suppressions au dialogue de gestion ; pièces jointes au bilan annuel",
     "Secrétaire général", "open", "2021-02-01", ""),
    ("R8", 3, "Indisponibilité de la plateforme de formation en ligne", 1, 2,
     "Hébergement mutualisé ; sauvegarde hebdomadaire", "Responsable SIC", "closed", "2021-05-03",
     "2021-07-12"),
)

#: The reference delays of the fictitious démarches of data/raw/ds/ (days before dematerialisation).
EXAMPLE_REFERENCE_DELAYS: tuple[tuple[str, float, str], ...] = (
    ("Demande de subvention DETR", 120, "Bilan d'activité 2017 du bureau des finances locales (délai moyen)"),
    ("Autorisation de transport exceptionnel", 45, "Registre des arrêtés 2017 du bureau de la circulation"),
    ("Agrément d'association de protection de l'environnement", 90,
     "Bilan d'activité 2017 du bureau de l'environnement (délai moyen)"),
)

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
    _fill_milestones(wb[label("wb.sheet.milestones")])
    _fill_risks(wb[label("wb.sheet.risks")], codes)
    _fill_rows(wb[label("wb.sheet.reference_delays")], [list(r) for r in EXAMPLE_REFERENCE_DELAYS])
    return save_workbook_deterministic(wb, path)


def _fill_savings(ws: Any, plan_unit_cost: float, codes: dict[str, dict[str, Any]]) -> float:
    """Fill the pre-filled lever x year rows; return the savings reported, k€ (blank cost = the plan's).

    ``codes``: column -> {value shown in the workbook: code}.
    """
    cumulated = 0.0
    natures = {code: shown for shown, code in codes["nature"].items()}
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
        nature, programme, evidence = EXAMPLE_LEDGER[key]
        for column, value in ((6, natures.get(nature, "")), (7, programme),
                              (8, evidence)):
            if value:
                ws.cell(row=row, column=column, value=value)
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


def example_milestones(milestones=None) -> dict[str, tuple[str, str, str]]:  # noqa: ANN001
    """Every milestone reported in the example: id -> (done_on, forecast_on, comment), ISO dates.

    ``EXAMPLE_MILESTONES``, plus each other milestone with a planned end, done on time: on
    day 10 + (7 × its rank) mod 15 of the last month of its planned end quarter.
    """
    from incubo_analysis.contract.loaders import load_milestones
    from incubo_analysis.contract.schema import parse_quarter

    table = milestones if milestones is not None else load_milestones()
    reported = {}
    for rank, (mid, end) in enumerate(zip(table["milestone_id"], table["planned_end"], strict=True)):
        if mid in EXAMPLE_MILESTONES:
            reported[str(mid)] = EXAMPLE_MILESTONES[str(mid)]
        elif str(end):
            last = parse_quarter(str(end)).end_time
            reported[str(mid)] = (f"{last.year}-{last.month:02d}-{10 + (7 * rank) % 15:02d}", "", "")
    return reported


def _day(text: str) -> _dt.date | None:
    return _dt.date.fromisoformat(text) if text else None


def _fill_milestones(ws: Any) -> None:
    """Fill the dates and comments of the pre-filled milestone rows (column 1 holds the id)."""
    todo = example_milestones()
    for row in range(2, ws.max_row + 1):
        done, forecast, comment = todo.pop(ws.cell(row=row, column=1).value, ("", "", ""))
        for column, value in ((4, _day(done)), (5, _day(forecast)), (6, comment)):
            if value:
                ws.cell(row=row, column=column, value=value)
    if todo:  # pragma: no cover - every id is a milestone of annex III
        raise AssertionError(f"example milestones not in the template: {sorted(todo)}")


def _fill_risks(ws: Any, codes: dict[str, dict[str, Any]]) -> None:
    """Write the risk register, axes and statuses as the drop-down lists show them."""
    shown = {column: {code: value for value, code in mapping.items()} for column, mapping in codes.items()}
    rows = []
    for rid, axis, text, p, i, mitigation, owner, status, opened, closed in EXAMPLE_RISKS:
        rows.append([rid, shown["axis"][axis], text, p, i, mitigation, owner, shown["status"][status],
                     _day(opened), _day(closed)])
    _fill_rows(ws, rows)


def _fill_rows(ws: Any, rows: list[list[Any]]) -> None:
    """Write ``rows`` from row 2 (blank values left blank)."""
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            if value is not None and value != "":
                ws.cell(row=r, column=c, value=value)


def main(argv: list[str] | None = None) -> int:
    """Rebuild the example workbook: ``python -m tools.example_actuals [PATH]``."""
    argv = sys.argv[1:] if argv is None else argv
    path = build_example_actuals(argv[0]) if argv else build_example_actuals()
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

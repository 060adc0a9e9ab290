"""User-facing labels (French by default, English with ``lang="en"``) and number formatting.

One place for every text a reader sees: the names of codes (levers, axes, budget titles,
sources, credits, RAG statuses...), of the tidy tables' columns, of the model's metrics and
parameters, and the texts of the charts. Used by the charts, the notebooks, the Excel annex and
the HTML report; never used for computation.

French number format follows the Unicode CLDR ``fr`` locale (what browsers' ``Intl`` and
Babel print): digits grouped by a narrow no-break space U+202F (``1 824``), decimal comma,
a no-break space U+00A0 between a number and its unit (``1 824,0 k€``), a narrow no-break
space before the percent sign (``62 %``) and the minus sign U+2212. Both spaces are
non-breaking, so an amount never wraps across lines in HTML; DejaVu Sans (matplotlib's font)
and the usual office fonts have the glyphs. In Excel, write numbers as numbers with
:data:`EXCEL_KEUR_FORMAT` / :data:`EXCEL_PCT_FORMAT` (Excel localises those formats itself)
rather than the strings produced here.

Examples
--------
>>> label("dematerialisation")
'Dématérialisation des procédures'
>>> label("planned_keur", lang="en")
'Planned (k€)'
>>> label(2)
'Axe 2 – Accélération (incubation)'
>>> label("no_such_code")
'no_such_code'
>>> fmt_keur(1824) == "1\\u202f824,0\\u00a0k€"
True
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any

import pandas as pd

from incubo_analysis.errors import ParameterError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.ticker import Formatter

__all__ = [
    "LANGS",
    "NNBSP",
    "NBSP",
    "MINUS",
    "MISSING",
    "EXCEL_KEUR_FORMAT",
    "EXCEL_PCT_FORMAT",
    "CODED_COLUMNS",
    "check_lang",
    "label",
    "has_label",
    "relabel",
    "fmt_number",
    "fmt_keur",
    "fmt_pct",
    "fmt_year",
    "keur_formatter",
    "pct_formatter",
    "labels_for",
    "is_missing",
    "UNITS",
    "UNIT_ALIASES",
    "normalise_unit",
    "format_value",
]

LANGS: tuple[str, ...] = ("fr", "en")

NNBSP = "\u202f"  #: narrow no-break space: French thousands separator and before "%"
NBSP = "\u00a0"  #: no-break space: between a number and its unit ("k€")
MINUS = "\u2212"  #: typographic minus sign used in French
MISSING = "\u2013"  #: en dash shown for a missing value (NaN, None)

#: Excel number format for amounts in k€ (stored locale-independent: Excel shows
#: ``1 824,0 k€`` to a French user and ``1,824.0 k€`` to an English one).
EXCEL_KEUR_FORMAT = '#,##0.0 "k€"'
#: Excel number format for shares 0–1 shown as percentages.
EXCEL_PCT_FORMAT = "0%"

#: Columns whose values are codes translated by :func:`relabel`.
CODED_COLUMNS: tuple[str, ...] = (
    "axis", "title", "source", "credit", "lever", "status", "metric", "indicator",
    "parameter", "kind", "scenario", "unit", "programme", "target",
)

# key -> (fr, en). Keys are codes, column names, metric/parameter names and chart texts.
_LABELS: dict[Hashable, tuple[str, str]] = {
    # --- axes (int codes 1-4) ---
    1: ("Axe 1 – Simplification (dématérialisation)", "Axis 1 – Simplification (dematerialisation)"),
    2: ("Axe 2 – Accélération (incubation)", "Axis 2 – Acceleration (incubation)"),
    3: ("Axe 3 – Acculturation des agents", "Axis 3 – Staff digital acculturation"),
    4: ("Axe 4 – Inclusion numérique", "Axis 4 – Digital inclusion"),
    # --- levers of the savings plan (contract section 3) ---
    "dematerialisation": ("Dématérialisation des procédures", "Dematerialisation of procedures"),
    "process_optimisation": (
        "Optimisation des processus (saisie, contrôles)",
        "Process optimisation (data entry, controls)",
    ),
    "digital_tools_and_data": (
        "Meilleur usage des outils numériques et de la donnée",
        "Better use of digital tools and data",
    ),
    "user_support": ("Accompagnement des usagers", "User support"),
    # --- budget titles ---
    "T2": ("Titre 2 – personnel", "Title 2 – staff"),
    "T3": ("Titre 3 – fonctionnement", "Title 3 – operating costs"),
    "T6": ("Titre 6 – intervention", "Title 6 – grants"),
    # --- sources and credits ---
    "FTAP": ("FTAP", "FTAP"),
    "cofinancing": ("Cofinancements", "Co-financing"),
    "AE": ("Autorisations d'engagement (AE)", "Commitment appropriations (AE)"),
    "CP": ("Crédits de paiement (CP)", "Payment appropriations (CP)"),
    # --- statuses ---
    "green": ("vert", "green"),
    "amber": ("orange", "amber"),
    "red": ("rouge", "red"),
    "ok": ("ok", "ok"),
    "rounding": ("arrondi", "rounding"),
    "mismatch": ("écart", "mismatch"),
    "progress": ("avancement", "progress"),
    "result": ("résultat", "result"),
    # --- scenarios shipped in params/ (names or file stems) ---
    "baseline": ("Référence (contrat)", "Baseline (contract)"),
    "demat_one_year_late": ("Dématérialisation en retard d'un an", "Dematerialisation one year late"),
    "realisation_75": ("Réalisation à 75\u202f%", "75% realisation"),
    "gvt_1_5pct": ("Coût des ETP +1,5\u202f%/an (GVT)", "FTE cost +1.5%/year (GVT)"),
    "optimism_bias": ("Biais d'optimisme (Green Book)", "Optimism bias (Green Book)"),
    "horizon_2026": ("Horizon étendu à 2026", "Horizon extended to 2026"),
    "uncertainty": ("Incertitude", "Uncertainty"),
    # --- model metrics (issue 3) ---
    "total_savings_keur": ("Économies totales (k€)", "Total savings (k€)"),
    "run_rate_keur": ("Économies en régime de croisière (k€/an)", "Run-rate savings (k€/year)"),
    "npv_keur": ("VAN (k€)", "NPV (k€)"),
    "roi_ftap": ("ROI sur crédits FTAP", "ROI on FTAP money"),
    "roi_total": ("ROI sur l'ensemble des crédits publics", "ROI on all public money"),
    "payback_year_ftap": ("Année de retour sur investissement (FTAP)", "Payback year (FTAP money)"),
    "payback_year_total": (
        "Année de retour sur investissement (ensemble des crédits)",
        "Payback year (all public money)",
    ),
    "ftap_doctrine_ratio": (
        "Doctrine FTAP : économies pérennes / crédits FTAP",
        "FTAP doctrine: perennial savings / FTAP money",
    ),
    "ftap_doctrine_met": ("Doctrine FTAP respectée", "FTAP doctrine met"),
    "ftap_doctrine_year": ("Doctrine FTAP : année de mesure", "FTAP doctrine: year of measurement"),
    "switch_realisation_npv0": ("Taux de réalisation annulant la VAN", "Realisation rate at which NPV = 0"),
    "switch_unit_cost_npv0": ("Coût unitaire annulant la VAN (k€/an)", "Unit cost at which NPV = 0 (k€/year)"),
    "switch_delay_npv0": ("Retard annulant la VAN (années)", "Delay at which NPV = 0 (years)"),
    "switch_realisation_roi1": (
        "Taux de réalisation ramenant le ROI global à 1",
        "Realisation rate at which total ROI = 1",
    ),
    "switch_unit_cost_roi1": (
        "Coût unitaire ramenant le ROI global à 1 (k€/an)",
        "Unit cost at which total ROI = 1 (k€/year)",
    ),
    "switch_delay_roi1": ("Retard ramenant le ROI global à 1 (années)", "Delay at which total ROI = 1 (years)"),
    # --- scenario parameters (issue 3) ---
    "name": ("Nom", "Name"),
    "description": ("Description", "Description"),
    "unit_cost_keur": ("Coût unitaire d'un ETP (k€/an)", "Unit cost of an FTE (k€/year)"),
    "unit_cost_growth": ("Croissance annuelle du coût unitaire", "Annual growth of the unit cost"),
    "phasing": ("Montée en charge", "Phasing"),
    "delay_years": ("Retard (années)", "Delay (years)"),
    "lever_delay_years": ("Retard par levier (années)", "Delay per lever (years)"),
    "realisation_rate": ("Taux de réalisation", "Realisation rate"),
    "discount_rate": ("Taux d'actualisation", "Discount rate"),
    "base_year": ("Année de référence", "Base year"),
    "horizon_end": ("Dernière année de l'horizon", "Last year of the horizon"),
    # --- indicators of the contract (sections 5.1, 5.2, annex III) ---
    "axis1_procedures_prototyped": ("Axe 1 – Démarches prototypées", "Axis 1 – Procedures prototyped"),
    "axis1_deployment_rate": ("Axe 1 – Taux de déploiement des démarches", "Axis 1 – Deployment rate of procedures"),
    "axis2_projects_incubated": ("Axe 2 – Projets incubés", "Axis 2 – Projects incubated"),
    "axis3_agents_trained": ("Axe 3 – Agents sensibilisés au numérique", "Axis 3 – Staff trained in digital skills"),
    "axis4_experiments_launched": ("Axe 4 – Expérimentations lancées", "Axis 4 – Experiments launched"),
    "axis1_processing_time_reduction": (
        "Axe 1 – Réduction du délai de traitement",
        "Axis 1 – Reduction of processing time",
    ),
    "axis1_user_satisfaction": ("Axe 1 – Satisfaction des usagers", "Axis 1 – User satisfaction"),
    "axis2_user_satisfaction": (
        "Axe 2 – Satisfaction des bénéficiaires et des agents",
        "Axis 2 – Beneficiary and staff satisfaction",
    ),
    "axis3_agent_satisfaction": ("Axe 3 – Satisfaction des agents", "Axis 3 – Staff satisfaction"),
    "axis4_user_satisfaction": ("Axe 4 – Satisfaction des usagers", "Axis 4 – User satisfaction"),
    "savings_total_keur": ("Économies réalisées (k€)", "Savings realised (k€)"),
    # --- units of the indicators ---
    "count": ("nombre", "count"),
    "share": ("Part", "Share"),
    "keur": ("k€", "k€"),
    # --- budget programmes of the realised savings (contract section 3) ---
    "interieur": ("Ministère de l'Intérieur", "Ministry of the Interior"),
    "dreal": ("DREAL", "DREAL"),
    "other_bops": ("Autres BOP", "Other programmes (BOP)"),
    # --- Monte Carlo targets ---
    "ftap_money": ("Crédits FTAP", "FTAP money"),
    "contract_1_3_meur": ("Objectif du contrat (1,3\u00a0M€)", "Contract target (€1.3m)"),
    "all_public_money": ("Ensemble des crédits publics", "All public money"),
    # --- column names of the tidy tables ---
    "axis": ("Axe", "Axis"),
    "title": ("Titre", "Title"),
    "source": ("Source de financement", "Funding source"),
    "line": ("Ligne", "Line"),
    "line_id": ("Identifiant de ligne", "Line id"),
    "year": ("Année", "Year"),
    "quarter": ("Trimestre", "Quarter"),
    "credit": ("Nature de crédits", "Appropriation type"),
    "amount_keur": ("Montant (k€)", "Amount (k€)"),
    "lever": ("Levier", "Lever"),
    "etp": ("ETP", "FTE"),
    "indicator": ("Indicateur", "Indicator"),
    "target": ("Cible", "Target"),
    "unit": ("Unité", "Unit"),
    "kind": ("Type d'indicateur", "Indicator type"),
    "label": ("Libellé", "Label"),
    "check": ("Contrôle", "Check"),
    "stated": ("Montant affiché", "Stated"),
    "computed": ("Montant recalculé", "Computed"),
    "difference": ("Différence", "Difference"),
    "status": ("Statut", "Status"),
    "scenario": ("Scénario", "Scenario"),
    "metric": ("Métrique", "Metric"),
    "value": ("Valeur", "Value"),
    "comment": ("Commentaire", "Comment"),
    "mean": ("Moyenne", "Mean"),
    "p10": ("P10", "P10"),
    "p50": ("P50 (médiane)", "P50 (median)"),
    "p90": ("P90", "P90"),
    "cum_mean": ("Cumul – moyenne (k€)", "Cumulated – mean (k€)"),
    "cum_p10": ("Cumul – P10 (k€)", "Cumulated – P10 (k€)"),
    "cum_p50": ("Cumul – P50 (k€)", "Cumulated – P50 (k€)"),
    "cum_p90": ("Cumul – P90 (k€)", "Cumulated – P90 (k€)"),
    "target_keur": ("Cible (k€)", "Target (k€)"),
    "probability": ("Probabilité", "Probability"),
    "parameter": ("Paramètre", "Parameter"),
    "low": ("Valeur basse", "Low value"),
    "high": ("Valeur haute", "High value"),
    "base_value": ("Valeur de référence", "Base value"),
    "value_at_low": ("Résultat à la valeur basse", "Result at low value"),
    "value_at_high": ("Résultat à la valeur haute", "Result at high value"),
    "swing": ("Amplitude", "Swing"),
    "savings_keur": ("Économies (k€)", "Savings (k€)"),
    "cost_ftap_keur": ("Coût FTAP (k€)", "FTAP cost (k€)"),
    "cost_total_keur": ("Coût total (k€)", "Total cost (k€)"),
    "discount_factor": ("Facteur d'actualisation", "Discount factor"),
    "cum_savings_keur": ("Économies cumulées (k€)", "Cumulated savings (k€)"),
    "cum_cost_ftap_keur": ("Coût FTAP cumulé (k€)", "Cumulated FTAP cost (k€)"),
    "cum_cost_total_keur": ("Coût total cumulé (k€)", "Cumulated total cost (k€)"),
    "planned_etp": ("ETP prévus", "Planned FTE"),
    "actual_etp": ("ETP réalisés", "Actual FTE"),
    "etp_freed": ("ETP libérés", "FTE freed"),
    "planned_keur": ("Prévu (k€)", "Planned (k€)"),
    "actual_keur": ("Réalisé (k€)", "Actual (k€)"),
    "variance_keur": ("Écart (k€)", "Variance (k€)"),
    "variance_pct": ("Écart (%)", "Variance (%)"),
    "volume_effect_keur": ("Effet volume (k€)", "Volume effect (k€)"),
    "price_effect_keur": ("Effet prix (k€)", "Price effect (k€)"),
    "explanation": ("Explication de l'écart", "Explanation of the variance"),
    "explanation_missing": ("Explication manquante", "Explanation missing"),
    "ae_keur": ("AE consommées (k€)", "AE consumed (k€)"),
    "cp_keur": ("CP consommés (k€)", "CP consumed (k€)"),
    "consumption_rate": ("Taux de consommation", "Consumption rate"),
    "share_of_budget": ("Part du budget global", "Share of total budget"),
    "cumulated_keur": ("Cumul consommé (k€)", "Cumulated consumption (k€)"),
    "cumulated_share_of_budget": ("Cumul en part du budget global", "Cumulated share of total budget"),
    "actual": ("Réalisé", "Actual"),
    "attainment": ("Taux d'atteinte", "Attainment"),
    "programme": ("Programme budgétaire", "Budget programme"),
    # --- display tables, the Excel annex and the report (was tables._EXTRA, excel._EXTRA_LABELS) ---
    "missing": (MISSING, MISSING),
    "total": ("Total", "Total"),
    "all_axes": ("Ensemble des axes", "All axes"),
    "when": ("Années / crédits", "Years / credits"),
    "percent": ("%", "%"),
    "section": ("Section", "Section"),
    "key": ("Clé", "Key"),
    "indicator_label": ("Indicateur", "Indicator"),
    "no_data": ("(aucune donnée)", "(no data)"),
    "unit.days": ("jour", "day"),
    "unit.days_plural": ("jours", "days"),
    # --- families of the contract's reconciliation (contract.reconcile) ---
    "family": ("Famille de contrôles", "Family of checks"),
    "financing_total_vs_lines": ("Totaux du plan de financement vs lignes", "Financing-plan totals vs lines"),
    "financing_total_vs_subtotals": ("Totaux vs sous-totaux imprimés", "Totals vs printed subtotals"),
    "savings_total_vs_lines": ("Total des économies vs leviers", "Savings total vs levers"),
    "savings_lever_vs_etp": (
        "Économies par levier vs ETP × 57 k€ × phasage",
        "Savings per lever vs FTE × 57 k€ × phasing",
    ),
    "text_vs_tables": ("Chiffres du texte vs tableaux", "Text figures vs tables"),
    "all_families": ("Ensemble", "All"),
    # --- targets of the Monte Carlo probability table ---
    "target.ftap_money": ("Crédits FTAP (CP sur l'horizon)", "FTAP money (CP over the horizon)"),
    "target.contract_1_3_meur": (
        "« 1,3 M€ » du contrat (§ 5.2), cumulé fin 2021",
        "The contract's \"1.3 M€\" (§ 5.2), cumulated to end-2021",
    ),
    "target.all_public_money": ("Ensemble des crédits publics (CP)", "All public money (CP)"),
    # --- the Excel annex: sheet names, sheet titles, headers specific to one sheet ---
    "sheet.summary": ("Synthèse", "Summary"),
    "sheet.summary.title": ("Chiffres clés de l'année", "Key figures of the year"),
    "sheet.savings_variance": ("Économies", "Savings"),
    "sheet.savings_variance.title": (
        "Économies prévues et réalisées, par levier et par année",
        "Planned and actual savings, by lever and year",
    ),
    "sheet.savings_cumulative": ("Économies cumulées", "Cumulated savings"),
    "sheet.savings_cumulative.title": (
        "Économies prévues et réalisées, cumulées depuis le début du contrat",
        "Planned and actual savings, cumulated since the start of the contract",
    ),
    "sheet.savings_by_programme": ("Économies par programme", "Savings by programme"),
    "sheet.savings_by_programme.title": (
        "Économies réalisées réparties par programme budgétaire "
        "(répartition indicative du contrat : un tiers chacun)",
        "Realised savings split by budget programme (the contract's indicative split: one third each)",
    ),
    "sheet.credits_variance": ("Crédits", "Credits"),
    "sheet.credits_variance.title": (
        "Crédits consommés et prévus, par axe, titre, source, année et nature (AE / CP)",
        "Appropriations consumed vs planned, by axis, title, source, year and type (AE / CP)",
    ),
    "sheet.credits_quarterly": ("Crédits trimestriels", "Quarterly credits"),
    "sheet.credits_quarterly.title": (
        "Consommation trimestrielle et cumulée des crédits, par axe",
        "Quarterly and cumulated consumption of appropriations, by axis",
    ),
    "sheet.indicators": ("Indicateurs", "Indicators"),
    "sheet.indicators.title": (
        "Indicateurs : réalisé, cible, taux d'atteinte et statut",
        "Indicators: actual, target, attainment and status",
    ),
    "sheet.reconciliation": ("Rapprochement", "Reconciliation"),
    "sheet.reconciliation.title": (
        "Rapprochement du contrat : montants affichés et recalculés",
        "Contract reconciliation: stated and recomputed figures",
    ),
    "sheet.assumptions": ("Hypothèses", "Assumptions"),
    "sheet.assumptions.title": (
        "Journal des hypothèses (docs/assumptions.md)",
        "Assumptions log (docs/assumptions.md)",
    ),
    "sheet.provenance": ("Provenance", "Provenance"),
    "sheet.provenance.title": (
        "Provenance : empreintes des fichiers d'entrée, paramètres, version",
        "Provenance: input file hashes, parameters, version",
    ),
    "sheet.title": ("Incub-O – {year} – {title}", "Incub-O – {year} – {title}"),
    "workbook.title": ("Incub-O – rapport annuel {year} – annexe", "Incub-O – annual report {year} – annex"),
    "header.reconciliation.section": ("Section du contrat", "Contract section"),
    "header.assumptions.section": ("Section du journal", "Log section"),
    "header.assumptions.id": ("N°", "No."),
    "header.assumptions.assumption": ("Hypothèse", "Assumption"),
    "header.assumptions.source": ("Source", "Source"),
    "header.assumptions.relied_on_by": ("Utilisée par", "Relied on by"),
    # --- rows of the annual report's summary (outputs.report; fields {year}, {credit}, {status}) ---
    "summary.title": ("Synthèse", "Summary"),
    "summary.planned_savings": ("Économies prévues {year}", "Planned savings {year}"),
    "summary.actual_savings": ("Économies réalisées {year}", "Realised savings {year}"),
    "summary.gap": ("Écart {year} (réalisé − prévu)", "Gap {year} (realised − planned)"),
    "summary.gap_share": ("Écart {year} en part du prévu", "Gap {year} as a share of plan"),
    "summary.volume_effect": ("dont effet volume {year}", "of which volume effect {year}"),
    "summary.price_effect": ("dont effet prix {year}", "of which price effect {year}"),
    "summary.planned_etp": ("ETP libérés {year} (prévu)", "FTE freed {year} (planned)"),
    "summary.actual_etp": ("ETP libérés {year} (réalisé)", "FTE freed {year} (realised)"),
    "summary.cum_planned_savings": (
        "Économies cumulées prévues à fin {year}",
        "Cumulated planned savings to end-{year}",
    ),
    "summary.cum_actual_savings": (
        "Économies cumulées réalisées à fin {year}",
        "Cumulated realised savings to end-{year}",
    ),
    "summary.missing_explanations": (
        "Écarts au-delà du seuil sans explication (contrat § 7)",
        "Gaps beyond the threshold with no explanation (contract § 7)",
    ),
    "summary.credit_planned": ("{credit} prévus {year}", "{credit} planned {year}"),
    "summary.credit_consumed": ("{credit} consommés {year}", "{credit} consumed {year}"),
    "summary.credit_rate": ("Taux de consommation {credit} {year}", "{credit} consumption rate {year}"),
    "summary.credit_budget_share": (
        "Part du budget global {credit} consommée à fin {year}",
        "Share of the total {credit} budget consumed to end-{year}",
    ),
    "summary.indicator_status": ("Indicateurs {year} : statut {status}", "Indicators {year}: status {status}"),
    "summary.checks.ok": ("Contrôles du contrat conformes", "Contract checks: ok"),
    "summary.checks.rounding": ("Contrôles du contrat arrondis", "Contract checks: rounding"),
    "summary.checks.mismatch": ("Contrôles du contrat en écart", "Contract checks: mismatch"),
    "summary.npv": ("VAN du plan (scénario)", "Plan NPV (scenario)"),
    "summary.roi_ftap": ("ROI sur crédits FTAP (scénario)", "ROI on FTAP money (scenario)"),
    "summary.roi_total": (
        "ROI sur l'ensemble des crédits publics (scénario)",
        "ROI on all public money (scenario)",
    ),
    # --- the annual report's page and command (outputs.report, cli.report) ---
    "report.title": ("Incub-O – rapport annuel des économies {year}", "Incub-O – annual savings report {year}"),
    "report.intro": (
        "Scénario du prévu : **{scenario}** ; réalisations : `{actuals}`. Les montants sont en k€. "
        "Sommaire : plan de financement et rapprochement du contrat ; modèle d'économies ; scénarios et "
        "incertitude ; économies réalisées face au prévu ; crédits et indicateurs. "
        "Annexe : `incubo_report_{year}.xlsx`.",
        "Plan scenario: **{scenario}**; actuals: `{actuals}`. Amounts in k€. Contents: financing plan and "
        "contract reconciliation; savings model; scenarios and uncertainty; realised vs planned savings; "
        "credits and indicators. Annex: `incubo_report_{year}.xlsx`.",
    ),
    "report.provenance": ("Provenance", "Provenance"),
    "report.provenance.item": ("élément", "item"),
    "report.provenance.value": ("valeur", "value"),
    "report.progress.validating": ("incubo report {year} : validation des entrées",
                                   "incubo report {year}: validating inputs"),
    "report.progress.html": ("page HTML", "HTML page"),
    "report.done": ("Rapport écrit en {seconds} s : {path}", "Report written in {seconds} s: {path}"),
    "report.done.annex": ("Annexe Excel : {path}", "Excel annex: {path}"),
    # --- the scenario explorer's own user-interface texts (outputs.explorer) ---
    "explorer.title": ("Explorateur de scénarios Incub-O", "Incub-O scenario explorer"),
    "explorer.intro": (
        "Déplacez un curseur : les graphiques et les indicateurs se mettent à jour. "
        "La colonne « Référence (contrat) » rappelle le scénario du contrat.",
        "Move a slider: the charts and the metrics update. "
        "The “Baseline (contract)” column recalls the contract's scenario.",
    ),
    "explorer.group.savings": ("Économies", "Savings"),
    "explorer.group.etp": ("ETP libérés par levier (régime de croisière)", "FTE freed per lever (run rate)"),
    "explorer.group.appraisal": ("Évaluation", "Appraisal"),
    "explorer.metrics": ("Indicateurs d'évaluation", "Appraisal metrics"),
    "explorer.explored": ("Scénario exploré", "Explored scenario"),
    "explorer.save.title": ("Enregistrer comme fichier de paramètres", "Save as a parameter file"),
    "explorer.save.filename": ("Fichier (dans params/)", "File (in params/)"),
    "explorer.save.description": ("Description", "Description"),
    "explorer.save.overwrite": ("Remplacer s'il existe", "Replace if it exists"),
    "explorer.save.button": ("Enregistrer", "Save"),
    "explorer.save.done": (
        "Enregistré : {path}. À utiliser avec : incubo scenario {path} --out DOSSIER",
        "Saved: {path}. Use it with: incubo scenario {path} --out FOLDER",
    ),
    "explorer.save.refused": ("Enregistrement refusé : {message}", "Not saved: {message}"),
    "explorer.save.oserror": ("Écriture impossible : {message}", "Cannot write: {message}"),
    "explorer.reset": ("Revenir au scénario de départ", "Back to the starting scenario"),
    "explorer.refused": ("Valeur refusée : {message}", "Value refused: {message}"),
    "explorer.internal": ("Erreur inattendue ({kind}) : {message}", "Unexpected error ({kind}): {message}"),
    # --- chart texts (templates use str.format fields) ---
    "chart.financing.title": ("Plan de financement par axe – {credit}", "Financing plan by axis – {credit}"),
    "chart.financing.ylabel": ("k€", "k€"),
    "chart.savings.title": ("Économies prévisionnelles par levier", "Forecast savings by lever"),
    "chart.savings.title_scenario": ("Économies par levier – {scenario}", "Savings by lever – {scenario}"),
    "chart.ylabel_keur": ("k€", "k€"),
    "chart.ylabel_cum_keur": ("k€ cumulés", "cumulated k€"),
    "chart.payback.title": ("Économies cumulées et coûts cumulés", "Cumulated savings and cumulated costs"),
    "chart.payback.savings": ("Économies cumulées", "Cumulated savings"),
    "chart.payback.cost_ftap": ("Coût cumulé – crédits FTAP", "Cumulated cost – FTAP money"),
    "chart.payback.cost_total": ("Coût cumulé – ensemble des crédits publics", "Cumulated cost – all public money"),
    "chart.payback.ftap": ("Retour FTAP : {year}", "FTAP payback: {year}"),
    "chart.payback.total": ("Retour global : {year}", "Overall payback: {year}"),
    "chart.payback.never": ("pas de retour sur l'horizon ({which})", "no payback within horizon ({which})"),
    "chart.payback.which_ftap": ("FTAP", "FTAP"),
    "chart.payback.which_total": ("ensemble des crédits", "all public money"),
    "chart.scenarios.title": ("Comparaison des scénarios – {metric}", "Scenario comparison – {metric}"),
    "chart.scenarios.never": ("pas de retour sur l'horizon", "no payback within the horizon"),
    "chart.scenarios.threshold_roi": ("seuil : 1", "break-even: 1"),
    "chart.tornado.title": ("Sensibilité – {metric}", "Sensitivity – {metric}"),
    "chart.tornado.low": ("paramètre à sa valeur basse", "parameter at its low value"),
    "chart.tornado.high": ("paramètre à sa valeur haute", "parameter at its high value"),
    "chart.tornado.base": ("Référence : {value}", "Baseline: {value}"),
    "chart.fan.title": ("Économies cumulées – simulation de Monte-Carlo", "Cumulated savings – Monte Carlo"),
    "chart.fan.title_annual": ("Économies annuelles – simulation de Monte-Carlo", "Annual savings – Monte Carlo"),
    "chart.fan.band": ("P10 – P90", "P10 – P90"),
    "chart.fan.median": ("P50 (médiane)", "P50 (median)"),
    "chart.fan.target": ("Objectif", "Target"),
    "chart.variance.title": ("Économies prévues et réalisées par levier", "Planned and actual savings by lever"),
    "chart.variance.title_year": (
        "Économies prévues et réalisées par levier – {year}",
        "Planned and actual savings by lever – {year}",
    ),
    "chart.variance.title_years": (
        "Économies prévues et réalisées par levier – {first}-{last}",
        "Planned and actual savings by lever – {first}-{last}",
    ),
    "chart.variance.missing": (
        "* écart au-delà du seuil sans explication (contrat, art. 7)",
        "* variance beyond threshold without explanation (contract, s. 7)",
    ),
    "chart.waterfall.title": (
        "Du prévu au réalisé : effets volume et prix",
        "From plan to actual: volume and price effects",
    ),
    "chart.waterfall.planned": ("Prévu", "Planned"),
    "chart.waterfall.actual": ("Réalisé", "Actual"),
    "chart.waterfall.volume": ("Volume : {lever}", "Volume: {lever}"),
    "chart.waterfall.price": ("Effet prix", "Price effect"),
    "chart.waterfall.increase": ("hausse", "increase"),
    "chart.waterfall.truncated": ("échelle tronquée", "truncated scale"),
    "chart.waterfall.decrease": ("baisse", "decrease"),
    "chart.credits.title": (
        "Consommation des crédits par axe – {credit}",
        "Appropriations consumed by axis – {credit}",
    ),
    "chart.credits.planned": ("Prévu", "Planned"),
    "chart.credits.actual": ("Consommé", "Consumed"),
    "chart.credits.rate": ("taux de consommation", "consumption rate"),
    "chart.quarterly.title": (
        "Consommation cumulée par trimestre – {credit}",
        "Cumulated consumption by quarter – {credit}",
    ),
    "chart.quarterly.tick": ("{year}-T{quarter}", "{year}-Q{quarter}"),
    "chart.quarterly.ylabel_share": ("part du budget global", "share of total budget"),
    "chart.indicator.title": ("{indicator}", "{indicator}"),
    "chart.indicator.target_path": ("Trajectoire cible", "Target path"),
    "chart.indicator.actual": ("Réalisé", "Actual"),
    "chart.indicators.title": (
        "Indicateurs : taux d'atteinte des cibles – {year}",
        "Indicators: attainment of targets – {year}",
    ),
    "chart.indicators.not_reported": ("non renseigné", "not reported"),
    "chart.indicators.full": ("cible atteinte", "target met"),
    "chart.total": ("Total", "Total"),
    "chart.to_date": ("cumul jusqu'à {year}", "to date ({year})"),
    "chart.years": ("{n} an", "{n} year"),
    "chart.years_plural": ("{n} ans", "{n} years"),
}

# Booleans are kept apart: True == 1 would collide with axis 1 in one dict.
_BOOLS: dict[bool, tuple[str, str]] = {True: ("oui", "yes"), False: ("non", "no")}

# Short forms (legends, table cells, tick labels); default to the long form.
_SHORT: dict[Hashable, tuple[str, str]] = {
    1: ("Axe 1 – Simplification", "Axis 1 – Simplification"),
    2: ("Axe 2 – Accélération", "Axis 2 – Acceleration"),
    3: ("Axe 3 – Acculturation", "Axis 3 – Acculturation"),
    4: ("Axe 4 – Inclusion", "Axis 4 – Inclusion"),
    "dematerialisation": ("Dématérialisation", "Dematerialisation"),
    "process_optimisation": ("Optimisation des processus", "Process optimisation"),
    "digital_tools_and_data": ("Outils numériques et donnée", "Digital tools and data"),
    "user_support": ("Accompagnement des usagers", "User support"),
    "T2": ("T2 – personnel", "T2 – staff"),
    "T3": ("T3 – fonctionnement", "T3 – operating"),
    "T6": ("T6 – intervention", "T6 – grants"),
    "AE": ("AE", "AE"),
    "CP": ("CP", "CP"),
    "roi_ftap": ("ROI FTAP", "FTAP ROI"),
    "roi_total": ("ROI global", "Total ROI"),
    "payback_year_ftap": ("Retour FTAP", "FTAP payback"),
    "payback_year_total": ("Retour global", "Overall payback"),
    "total_savings_keur": ("Économies totales", "Total savings"),
    "run_rate_keur": ("Régime de croisière", "Run rate"),
    "npv_keur": ("VAN", "NPV"),
}


def _add_lever_fte_labels() -> None:
    """Labels for the per-lever FTE parameters (``etp.<lever>``) used by sensitivity tables."""
    for lever in ("dematerialisation", "process_optimisation", "digital_tools_and_data", "user_support"):
        fr, en = _SHORT[lever]
        _LABELS[f"etp.{lever}"] = (f"ETP – {fr}", f"FTE – {en}")
        _LABELS[f"lever_delay_years.{lever}"] = (f"Retard – {fr} (années)", f"Delay – {en} (years)")


_add_lever_fte_labels()


def check_lang(lang: str) -> int:
    """Validate a language code and return its index in :data:`LANGS`.

    Parameters
    ----------
    lang : str
        ``"fr"`` or ``"en"``.

    Returns
    -------
    int
        0 for French, 1 for English.

    Raises
    ------
    ParameterError
        When ``lang`` is not one of :data:`LANGS`.

    Examples
    --------
    >>> check_lang("en")
    1
    """
    if lang not in LANGS:
        raise ParameterError(f"lang: expected one of {', '.join(LANGS)}, got {lang!r}")
    return LANGS.index(lang)


def _normalise_key(key: Any) -> Hashable:
    """Map numpy scalars and integral floats to plain Python keys (``np.int64(1)`` → ``1``)."""
    if isinstance(key, bool):
        return key
    if hasattr(key, "item") and not isinstance(key, str):  # numpy scalar
        try:
            key = key.item()
        except (TypeError, ValueError):  # pragma: no cover - exotic array-likes
            return key
        if isinstance(key, bool):
            return key
    if isinstance(key, Integral):
        return int(key)
    if isinstance(key, Real) and math.isfinite(float(key)) and float(key).is_integer():
        return int(key)
    return key


def _lookup(key: Any, lang: str, short: bool) -> str | None:
    """The label of ``key`` or None when unknown."""
    idx = check_lang(lang)
    try:
        key = _normalise_key(key)
        if isinstance(key, bool):
            return _BOOLS[key][idx]
        if short and key in _SHORT:
            return _SHORT[key][idx]
        if key in _LABELS:
            return _LABELS[key][idx]
    except TypeError:  # unhashable key
        return None
    return None


def has_label(key: Any) -> bool:
    """Whether ``key`` has a label (in both languages).

    Examples
    --------
    >>> has_label("T3"), has_label("T9")
    (True, False)
    """
    return _lookup(key, "fr", short=False) is not None


def label(key: Any, lang: str = "fr", *, short: bool = False) -> str:
    """The reader-facing label of a code, column name, metric or parameter.

    Parameters
    ----------
    key : object
        A code (``"dematerialisation"``, axis ``1``–``4``, ``"T2"``, ``"FTAP"``, ``"CP"``,
        ``"green"``...), a column name of a tidy table (``"planned_keur"``), a metric
        (``"npv_keur"``), a parameter (``"realisation_rate"``), an indicator id or a chart
        text key (``"chart.*"``). Numpy scalars and integral floats are accepted
        (``np.int64(2)`` and ``2.0`` are axis 2).
    lang : {"fr", "en"}
        Language; French by default.
    short : bool
        Short form when one exists (axes, levers, titles, credits, a few metrics), for
        legends and table cells; otherwise the long form.

    Returns
    -------
    str
        The label, or ``str(key)`` for an unknown key (never raises on the key).

    Raises
    ------
    ParameterError
        When ``lang`` is not ``"fr"`` or ``"en"``.

    Examples
    --------
    >>> label(1, short=True)
    'Axe 1 – Simplification'
    >>> label("CP", lang="en")
    'Payment appropriations (CP)'
    >>> label("amber")
    'orange'
    >>> label(2019)
    '2019'
    """
    found = _lookup(key, lang, short)
    return str(key) if found is None else found


# Values that relabel() leaves as they are although they have a label: the committed
# notebook 04 shows the cumulative table's "total" lever row as the code "total" (the Excel
# annex shows "Total"). Empty this set when the notebooks are next re-executed.
_KEPT_AS_CODES: frozenset[str] = frozenset({"total"})


def _translate_value(value: Any, lang: str, *, codes_only: bool = True) -> Any:
    """Translated value; numbers are left alone unless ``codes_only`` is False (axis codes)."""
    if is_missing(value):
        return value
    if codes_only and not isinstance(value, (str, bool)):
        return value
    if isinstance(value, str) and value in _KEPT_AS_CODES:
        return value
    found = _lookup(value, lang, short=True)
    return value if found is None else found


def relabel(frame: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """A display copy of a table: column names and coded values translated.

    Column names with a label are replaced by it (``planned_keur`` → ``Prévu (k€)``); the
    values of the coded columns (:data:`CODED_COLUMNS`: ``axis``, ``lever``, ``title``,
    ``source``, ``credit``, ``status``, ``metric``, ``indicator``, ``parameter``...) and of
    boolean columns are replaced by their short labels; a named index is treated the same
    way (only text codes are translated, except in ``axis`` whose codes are the integers
    1–4: a numeric ``target`` stays a number). Numbers are left as numbers (format them with :func:`fmt_keur` & co. or a
    ``Styler``). For display only (notebooks, HTML, Excel), never for computation.

    Parameters
    ----------
    frame : DataFrame
        Any tidy or wide table of the package; not modified.
    lang : {"fr", "en"}
        Language; French by default.

    Returns
    -------
    DataFrame
        A new frame with the same shape and values in the same order.

    Examples
    --------
    >>> df = pd.DataFrame({"lever": ["user_support"], "year": [2021], "actual_keur": [90.0]})
    >>> relabel(df).columns.tolist()
    ['Levier', 'Année', 'Réalisé (k€)']
    >>> relabel(df, lang="en").iloc[0, 0]
    'User support'
    """
    check_lang(lang)
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        coded = isinstance(col, str) and col in CODED_COLUMNS
        if coded or pd.api.types.is_bool_dtype(series.dtype):
            out[col] = pd.Series(
                [_translate_value(v, lang, codes_only=col != "axis") for v in series.tolist()],
                index=out.index, dtype=object,
            )
    if out.index.name in CODED_COLUMNS:
        out.index = pd.Index(
            [_translate_value(v, lang, codes_only=out.index.name != "axis") for v in out.index],
            name=out.index.name,
        )
    if out.index.name is not None:
        out.index.name = label(out.index.name, lang)
    out.columns = pd.Index(
        [(found if (found := _lookup(c, lang, short=False)) is not None else c) for c in out.columns]
        if not isinstance(out.columns, pd.MultiIndex)
        else out.columns
    )
    return out


# ----------------------------------------------------------------------------- numbers


def is_missing(x: Any) -> bool:
    """Whether a value is missing: None, pandas NA / NaT or a NaN float.

    Examples
    --------
    >>> is_missing(None), is_missing(float("nan")), is_missing(0.0), is_missing("")
    (True, True, False, False)
    """
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    try:
        return bool(isinstance(x, Real) and math.isnan(float(x)))
    except (TypeError, ValueError):  # pragma: no cover
        return False


def fmt_number(x: Any, decimals: int = 0, lang: str = "fr") -> str:
    """Format a number with grouped thousands, in the reader's language.

    Parameters
    ----------
    x : float or None
        The number; NaN, None and pandas NA give an en dash ``"–"``.
    decimals : int
        Digits after the decimal mark; halves are rounded away from zero.
    lang : {"fr", "en"}
        French: U+202F narrow no-break space between thousands, decimal comma, minus sign
        U+2212; English: ``1,824.5``.

    Returns
    -------
    str

    Examples
    --------
    >>> fmt_number(1824.49, 1) == "1\\u202f824,5"
    True
    >>> fmt_number(-1234567, lang="en")
    '-1,234,567'
    >>> fmt_number(-0.04, 1)  # no negative zero
    '0,0'
    >>> fmt_number(284.5), fmt_number(2.675, 2, lang="en")  # halves away from zero
    ('285', '2.68')
    >>> fmt_number(float("nan"))
    '–'
    """
    return _number_text(x, decimals, lang, grouped=True)


def _round_half_away(value: float, decimals: int) -> Decimal:
    """``value`` rounded to ``decimals`` places, halves away from zero, never a negative zero.

    Rounds the shortest decimal representation of the float (``repr``: 2.675 → 2.68), not
    its binary value (2.67499999...), as a reader rounding the printed number does.
    """
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded


def _number_text(x: Any, decimals: int, lang: str, *, grouped: bool) -> str:
    """The number as text in ``lang`` (thousands grouped or not); the missing mark when missing."""
    check_lang(lang)
    if is_missing(x):
        return MISSING
    value = float(x)
    if math.isinf(value):
        return ("+" if value > 0 else MINUS if lang == "fr" else "-") + "∞"
    text = f"{_round_half_away(value, decimals):{',' if grouped else ''}.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", NNBSP).replace(".", ",").replace("-", MINUS)
    return text


def fmt_keur(x: Any, decimals: int = 1, lang: str = "fr") -> str:
    """Format an amount in k€.

    Parameters
    ----------
    x : float or None
        Amount in k€; NaN/None give ``"–"``.
    decimals : int
        Digits after the decimal mark (1 by default: the contract prints k€ to 0.1 at most
        except a few roundings such as 106,88).
    lang : {"fr", "en"}

    Returns
    -------
    str
        ``"1 824,0 k€"`` (U+202F between thousands, U+00A0 before ``k€``) in French,
        ``"1,824.0 k€"`` (U+00A0 before ``k€``) in English.

    Examples
    --------
    >>> fmt_keur(1824).replace(NNBSP, "_").replace(NBSP, "~")
    '1_824,0~k€'
    >>> fmt_keur(1824, lang="en").replace(NBSP, " ")
    '1,824.0 k€'
    >>> fmt_keur(-26.5, 1).replace(NBSP, " ")
    '−26,5 k€'
    >>> fmt_keur(None)
    '–'
    """
    text = fmt_number(x, decimals, lang)
    return text if text == MISSING else f"{text}{NBSP}k€"


def fmt_pct(share: Any, decimals: int = 0, lang: str = "fr") -> str:
    """Format a share (0–1) as a percentage.

    Parameters
    ----------
    share : float or None
        A share, 0.62 for 62 %; NaN/None give ``"–"``.
    decimals : int
        Digits after the decimal mark of the percentage.
    lang : {"fr", "en"}

    Returns
    -------
    str
        ``"62 %"`` with U+202F before ``%`` in French, ``"62%"`` in English.

    Examples
    --------
    >>> fmt_pct(0.62) == "62\\u202f%"
    True
    >>> fmt_pct(0.625, 1, lang="en")
    '62.5%'
    >>> fmt_pct(-0.125, 1).replace(NNBSP, " ")
    '−12,5 %'
    """
    text = fmt_number(None if is_missing(share) else float(share) * 100.0, decimals, lang)
    if text == MISSING:
        return text
    return f"{text}{NNBSP}%" if lang == "fr" else f"{text}%"


def fmt_year(year: Any, lang: str = "fr") -> str:
    """Format a year (never with a thousands separator).

    Parameters
    ----------
    year : int, float or None
        A calendar year; integral floats (``2021.0``, from a column holding NaN) are
        accepted; NaN/None (e.g. no payback within the horizon) give ``"–"``.
    lang : {"fr", "en"}
        Accepted for a uniform signature; years read the same in both languages.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        When ``year`` is not integral (2021.5).

    Examples
    --------
    >>> fmt_year(2021.0)
    '2021'
    >>> fmt_year(float("nan"))
    '–'
    """
    check_lang(lang)
    if is_missing(year):
        return MISSING
    value = float(year)
    if not value.is_integer():
        raise ValueError(f"year: expected an integral year, got {year!r}")
    return str(int(value))


#: Units of :func:`format_value` and their default number of decimals.
UNITS: dict[str, int] = {
    "keur": 1, "share": 0, "ratio": 2, "year": 0, "etp": 1, "fte": 1, "count": 0, "days": 0,
    "number": 0, "bool": 0,
}

#: Unit spellings found in tables and workbooks (``unit`` columns) → unit of :func:`format_value`.
UNIT_ALIASES: dict[str, str] = {
    **{unit: unit for unit in UNITS},
    "k€": "keur", "k€/an": "keur", "k€/etp/an": "keur", "k€/fte/year": "keur",
    "part": "share", "%": "share", "taux": "share", "rate": "share", "pct": "share",
    "année": "year", "an": "year", "years": "year",
    "nombre": "count", "jours": "days", "ratio": "ratio", "": "number",
}


def normalise_unit(unit: Any) -> str | None:
    """The :func:`format_value` unit of a unit as written in a table (``"k€"`` → ``"keur"``).

    Case and surrounding spaces are ignored; None for anything else (not a string, unknown).

    Examples
    --------
    >>> normalise_unit(" K€ "), normalise_unit("part"), normalise_unit("ETP"), normalise_unit("furlong")
    ('keur', 'share', 'etp', None)
    """
    if not isinstance(unit, str):
        return None
    return UNIT_ALIASES.get(unit.strip().lower())


def _fmt_etp(value: Any, decimals: int, lang: str) -> str:
    return f"{fmt_number(value, decimals, lang)}{NBSP}{label('etp', lang)}"


def _fmt_days(value: Any, decimals: int, lang: str) -> str:
    key = "unit.days" if abs(float(value)) <= 1 else "unit.days_plural"
    return f"{fmt_number(value, decimals, lang)}{NBSP}{label(key, lang)}"


def _fmt_year_value(value: Any, decimals: int, lang: str) -> str:
    return _number_text(value, decimals, lang, grouped=False)


_FORMATTERS = {
    "keur": fmt_keur,
    "share": fmt_pct,
    "ratio": fmt_number,
    "count": fmt_number,
    "number": fmt_number,
    "year": _fmt_year_value,
    "etp": _fmt_etp,
    "fte": _fmt_etp,
    "days": _fmt_days,
    "bool": lambda value, _decimals, lang: label(bool(value), lang),
}


def format_value(value: Any, unit: str, lang: str = "fr", *, decimals: int | None = None) -> str:
    """A number as a reader sees it, in one of the :data:`UNITS`: the one formatter of the package.

    Parameters
    ----------
    value : float, int, bool or None
        The value; None, NaN and pandas NA give the missing mark ``label("missing")`` (``–``).
    unit : str
        ``"keur"`` (amount in k€, 1 decimal by default), ``"share"`` (a share 0–1 shown as a
        percentage, 0 decimals), ``"ratio"`` (2 decimals), ``"year"`` (never grouped: ``2021``),
        ``"etp"`` / ``"fte"`` (full-time equivalents, 1 decimal, followed by ``ETP`` / ``FTE``),
        ``"count"`` (0 decimals), ``"days"``, ``"number"`` (0 decimals) or ``"bool"``
        (``oui`` / ``non``); or a spelling of :data:`UNIT_ALIASES` (``"k€"``, ``"part"``...).
    lang : {"fr", "en"}
        French: U+202F narrow no-break space between thousands, decimal comma, minus U+2212,
        U+00A0 before a unit; English: ``1,824.0``.
    decimals : int, optional
        Digits after the decimal mark instead of the unit's default. Halves are rounded away
        from zero on the decimal value as printed (0.5 → 1, 2.675 → 2,68), everywhere.

    Returns
    -------
    str

    Raises
    ------
    ParameterError
        When ``unit`` or ``lang`` is unknown, or ``decimals`` is not an integer 0–9.

    Examples
    --------
    >>> def show(text):  # narrow no-break space as "_", no-break space as "~"
    ...     return text.replace(NNBSP, "_").replace(NBSP, "~")
    >>> show(format_value(1824, "keur")), show(format_value(1824, "keur", "en"))
    ('1_824,0~k€', '1,824.0~k€')
    >>> show(format_value(0.4608, "share")), format_value(0.4608, "share", "en", decimals=1)
    ('46_%', '46.1%')
    >>> format_value(3.14159, "ratio"), format_value(2021, "year"), format_value(2021.0, "year", "en")
    ('3,14', '2021', '2021')
    >>> show(format_value(32, "etp")), show(format_value(32, "fte", "en"))
    ('32,0~ETP', '32.0~FTE')
    >>> show(format_value(1500, "count")), format_value(1500, "count", "en")
    ('1_500', '1,500')
    >>> show(format_value(12, "days")), show(format_value(1, "days", "en"))
    ('12~jours', '1~day')
    >>> format_value(0.5, "number"), format_value(2.675, "number", decimals=2), format_value(-1.5, "number", "en")
    ('1', '2,68', '-2')
    >>> format_value(None, "keur"), format_value(float("nan"), "year"), format_value(True, "bool")
    ('–', '–', 'oui')
    """
    check_lang(lang)
    kind = normalise_unit(unit)
    if kind is None:
        raise ParameterError(f"unit: expected one of {', '.join(UNITS)}, got {unit!r}")
    if decimals is None:
        decimals = UNITS[kind]
    elif isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 9:
        raise ParameterError(f"decimals: expected an integer 0-9, got {decimals!r}")
    if is_missing(value):
        return label("missing", lang)
    return _FORMATTERS[kind](value, decimals, lang)


def keur_formatter(lang: str = "fr", decimals: int = 0, *, unit: bool = False) -> Formatter:
    """A matplotlib tick formatter for axes in k€.

    Parameters
    ----------
    lang : {"fr", "en"}
    decimals : int
        Digits after the decimal mark on the ticks.
    unit : bool
        Append ``" k€"`` to each tick (by default the axis label carries the unit).

    Returns
    -------
    matplotlib.ticker.FuncFormatter

    Examples
    --------
    >>> keur_formatter()(1500, 0) == "1\\u202f500"
    True
    >>> keur_formatter("en", unit=True)(1500, 0).replace(NBSP, " ")
    '1,500 k€'
    """
    from matplotlib.ticker import FuncFormatter

    check_lang(lang)
    fmt = fmt_keur if unit else fmt_number
    return FuncFormatter(lambda value, _pos: fmt(value, decimals, lang))


def pct_formatter(lang: str = "fr", decimals: int = 0) -> Formatter:
    """A matplotlib tick formatter for axes holding shares 0–1, shown as percentages.

    Examples
    --------
    >>> pct_formatter()(0.5, 0) == "50\\u202f%"
    True
    """
    from matplotlib.ticker import FuncFormatter

    check_lang(lang)
    return FuncFormatter(lambda value, _pos: fmt_pct(value, decimals, lang))


def labels_for(
    keys: Mapping[Any, Any] | list[Any] | tuple[Any, ...], lang: str = "fr", *, short: bool = False
) -> list[str]:
    """Labels of several keys, in order (helper for legends and tick labels).

    Examples
    --------
    >>> labels_for(["FTAP", "cofinancing"], lang="en")
    ['FTAP', 'Co-financing']
    """
    return [label(k, lang, short=short) for k in keys]

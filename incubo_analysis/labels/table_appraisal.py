"""Labels of the appraisal: doctrine readings, discount rates, running costs (fr, en)."""

# ruff: noqa: E501  (sources and readings are quoted in full, one string each)
from __future__ import annotations

from collections.abc import Hashable

LABELS: dict[Hashable, tuple[str, str]] = {
    # --- metric codes (issue 11) ---
    "ftap_doctrine_ratio_commitment": (
        "Doctrine FTAP, lecture « engagement » : économies de l'année du 1er engagement FTAP + 3 / CP FTAP",
        "FTAP doctrine, commitment reading: savings of the year of the first FTAP commitment + 3 / FTAP CP",
    ),
    "ftap_doctrine_ratio_first_payment": (
        "Doctrine FTAP, lecture « premier paiement » : économies de l'année du 1er CP FTAP + 3 / CP FTAP",
        "FTAP doctrine, first-payment reading: savings of the year of the first FTAP CP + 3 / FTAP CP",
    ),
    "ftap_doctrine_ratio_cumulated": (
        "Doctrine FTAP, lecture « cumul sur trois ans » : économies des trois années après l'engagement / CP FTAP",
        "FTAP doctrine, three-year cumulated reading: savings of the three years after the commitment / FTAP CP",
    ),
    "ftap_doctrine_ratio_commitment_all_money": (
        "Doctrine FTAP, lecture « engagement », rapportée à l'ensemble des crédits publics",
        "FTAP doctrine, commitment reading, over all public money",
    ),
    "ftap_doctrine_ratio_first_payment_all_money": (
        "Doctrine FTAP, lecture « premier paiement », rapportée à l'ensemble des crédits publics",
        "FTAP doctrine, first-payment reading, over all public money",
    ),
    "ftap_doctrine_ratio_cumulated_all_money": (
        "Doctrine FTAP, lecture « cumul sur trois ans », rapportée à l'ensemble des crédits publics",
        "FTAP doctrine, three-year cumulated reading, over all public money",
    ),
    "npv_1_2pct_keur": ("VAN à 1,2 % (taux sans risque, k€)", "NPV at 1.2% (risk-free rate, k€)"),
    "npv_3_2pct_keur": ("VAN à 3,2 % (France Stratégie 2021, k€)", "NPV at 3.2% (France Stratégie 2021, k€)"),
    "npv_4_5pct_keur": ("VAN à 4,5 % (ancien taux, Quinet 2013, k€)", "NPV at 4.5% (former rate, Quinet 2013, k€)"),
    # --- scenario parameter (issue 11) ---
    "running_costs_keur": ("Coûts de fonctionnement après le plan (k€/an)", "Running costs after the plan (k€/year)"),
    # --- the doctrine readings table (doctrine_readings) ---
    "appraisal.doctrine.reading": ("Lecture", "Reading"),
    "appraisal.doctrine.money": ("Crédits rapportés", "Money counted"),
    "appraisal.doctrine.years": ("Années d'économies", "Savings years"),
    "appraisal.doctrine.savings_keur": ("Économies (k€)", "Savings (k€)"),
    "appraisal.doctrine.money_keur": ("Crédits (k€)", "Money (k€)"),
    "appraisal.doctrine.ratio": ("€ d'économies par € de crédits", "€ saved per € of money"),
    "appraisal.doctrine.source": ("Source de la lecture", "Source of the reading"),
    "appraisal.doctrine.commitment": (
        "Un euro engagé : économies de l'année du premier engagement FTAP (AE) + 3",
        "One euro committed: savings of the year of the first FTAP commitment (AE) + 3",
    ),
    "appraisal.doctrine.first_payment": (
        "Un euro pérenne au bout de trois ans : économies de l'année du premier paiement FTAP (CP) + 3",
        "One perennial euro after three years: savings of the year of the first FTAP payment (CP) + 3",
    ),
    "appraisal.doctrine.cumulated": (
        "1 € pour 1 € sur trois ans : économies cumulées des trois années après l'engagement",
        "€1 for €1 over three years: savings cumulated over the three years after the commitment",
    ),
    "appraisal.doctrine.ftap": ("CP FTAP", "FTAP CP"),
    "appraisal.doctrine.all_money": ("ensemble des crédits publics (CP)", "all public money (CP)"),
    "appraisal.doctrine.source.commitment": (
        "Sénat, rapport sur le PLF 2021, programme 349 : « un euro engagé entraîne un euro d'économie au bout de trois ans »",
        "Sénat, report on the 2021 budget bill, programme 349: \"un euro engagé entraîne un euro d'économie au bout de trois ans\"",
    ),
    "appraisal.doctrine.source.first_payment": (
        "RAP 2019 programme 349 ; Sénat, rapport sur le PLF 2019 : « un euro investi… un euro pérenne d'économies au bout de trois ans »",
        "2019 annual performance report, programme 349; Sénat, report on the 2019 budget bill: \"un euro investi… un euro pérenne d'économies au bout de trois ans\"",
    ),
    "appraisal.doctrine.source.cumulated": (
        "Cour des comptes (13 novembre 2025), le FTAP : « 1 € d'économie pour 1 € investi sur trois ans »",
        "Cour des comptes (13 November 2025), the FTAP: \"1 € d'économie pour 1 € investi sur trois ans\"",
    ),
    "appraisal.doctrine.title": (
        "Doctrine FTAP sous chaque lecture (aucun texte ne fixe l'année de départ ni le cumul)",
        "FTAP doctrine under every reading (no text fixes the start year nor run rate vs cumulated)",
    ),
    "appraisal.doctrine.range": ("{low} à {high} € par €", "€{low} to €{high} per €"),
    # --- the NPV by discount rate table (npv_by_rate) ---
    "appraisal.rate": ("Taux d'actualisation", "Discount rate"),
    "appraisal.rate.npv_keur": ("VAN (k€)", "NPV (k€)"),
    "appraisal.rate.source": ("Référence", "Reference"),
    "appraisal.rate.0.012": (
        "Taux sans risque (France Stratégie 2021, hors prime de risque)",
        "Risk-free rate (France Stratégie 2021, without risk premium)",
    ),
    "appraisal.rate.0.032": (
        "Taux de référence : 1,2 % + β × 2 % avec β = 1 (France Stratégie, Ni et Maurice, 2021)",
        "Reference rate: 1.2% + β × 2% with β = 1 (France Stratégie, Ni and Maurice, 2021)",
    ),
    "appraisal.rate.0.045": (
        "Ancien taux de référence (rapport Quinet, 2013)",
        "Former reference rate (Quinet report, 2013)",
    ),
    "appraisal.rate.other": ("Taux choisi", "Chosen rate"),
    "appraisal.rate.title": ("VAN selon le taux d'actualisation", "NPV by discount rate"),
    # --- the Synthèse card of the annual report (no verdict) ---
    "appraisal.card.doctrine": ("Doctrine FTAP (plan, six lectures)", "FTAP doctrine (plan, six readings)"),
    "appraisal.card.doctrine.sub": (
        "€ d'économies par € selon la lecture (voir « Modèle et scénarios ») ; VAN à 3,2 % : {npv}.",
        "€ saved per € depending on the reading (see \"Model and scenarios\"); NPV at 3.2%: {npv}.",
    ),
    "appraisal.card.no_costs": (
        "Après {plan} (jusqu'en {last}), l'horizon compte des économies sans coûts.",
        "After {plan} (to {last}), the horizon counts savings without costs.",
    ),
    # --- the horizon without costs ---
    "appraisal.no_running_costs": (
        "L'horizon ({first}–{last}) dépasse le plan de financement (dernière année {plan}) sans coûts de fonctionnement : l'horizon compte des économies sans coûts.",
        "The horizon ({first}–{last}) goes past the financing plan (last year {plan}) with no running costs: the horizon counts savings without costs.",
    ),
    "appraisal.running_costs": (
        "Coûts de fonctionnement après le plan comptés avec l'ensemble des crédits : {total} ({years}).",
        "Running costs after the plan counted with all public money: {total} ({years}).",
    ),
    # --- refusals of running_costs_keur (params.py) ---
    "appraisal.params.not_mapping": (
        "{file} : clé 'running_costs_keur' : attendu une table année → k€ par an (par exemple 2023: 40), trouvé {got}",
        "{file}: key 'running_costs_keur': expected a mapping year -> k€ per year (e.g. 2023: 40), got {got}",
    ),
    "appraisal.params.bad_year": (
        "{file} : clé 'running_costs_keur.{key}' : attendu une année (nombre entier) comme clé",
        "{file}: key 'running_costs_keur.{key}': expected a year (an integer) as key",
    ),
    "appraisal.params.twice": (
        "{file} : clé 'running_costs_keur.{key}' : la même année est donnée deux fois",
        "{file}: key 'running_costs_keur.{key}': the same year is given twice",
    ),
    "appraisal.params.out_of_horizon": (
        "{file} : clé 'running_costs_keur.{key}' : attendu une année après le plan de financement et dans l'horizon ({first}–{last})",
        "{file}: key 'running_costs_keur.{key}': expected a year after the financing plan and within the horizon ({first}-{last})",
    ),
    "appraisal.params.no_room": (
        "{file} : clé 'running_costs_keur.{key}' : l'horizon s'arrête en {last}, dans le plan de financement (jusqu'en {plan}) : allongez horizon_end pour compter des coûts de fonctionnement",
        "{file}: key 'running_costs_keur.{key}': the horizon ends in {last}, within the financing plan (until {plan}): extend horizon_end to count running costs",
    ),
    "appraisal.params.bad_amount": (
        "{file} : clé 'running_costs_keur.{key}' : attendu un montant en k€ par an entre {low} et {high}, trouvé {got}",
        "{file}: key 'running_costs_keur.{key}': expected an amount in k€ per year between {low} and {high}, got {got}",
    ),
}

"""Labels of the HTML report: section titles, prose, cards, table titles and notes, alt texts (fr, en).

The ``nb.CELL_ID`` keys hold the markdown cells of the report notebooks (01-05): the French
text is the cell's source, word for word (``tests/test_report_page.py`` checks it), so the
officer reads the same text in JupyterLab and the report takes each cell from here in
either language.
"""

# ruff: noqa: E501  (the notebooks' markdown cells are kept verbatim, one string per cell)
from __future__ import annotations

from collections.abc import Hashable

LABELS: dict[Hashable, tuple[str, str]] = {
    # --- the markdown cells of the report notebooks, by cell id (French = the cell's source) ---
    "nb.01-00": (
        "# Plan de financement du contrat Incub-O et rapprochement\n\nLe plan de financement du contrat de transformation (§ 2) par axe, titre, source (FTAP ou cofinancements), année et crédit (AE/CP), tel que transcrit dans `data/raw/contract/`, puis le **rapprochement du contrat avec lui-même** : chaque total imprimé comparé à la somme de ses lignes, chaque chiffre du texte comparé aux tableaux. Les écarts sont des constats sur le contrat, pas des erreurs de transcription : rien n'est « corrigé ».\n\n*Montants en k€. Statuts : `ok` égal ; `arrondi` = le chiffre imprimé est le chiffre recalculé arrondi à la précision imprimée ; `écart` sinon.*",
        "# Contract financing plan of Incub-O and reconciliation\n\nThe financing plan of the transformation contract (§ 2) by axis, title, source (FTAP or co-financing), year and appropriation type (AE/CP), as transcribed in `data/raw/contract/`, then the **reconciliation of the contract with itself**: each printed total compared with the sum of its lines, each figure of the text compared with the tables. The gaps are findings about the contract, not transcription errors: nothing is \"corrected\".\n\n*Amounts in k€. Statuses: `ok` equal; `rounding` = the printed figure is the recomputed figure rounded to the printed precision; `mismatch` otherwise.*",
    ),
    "nb.01-03": (
        "## Le plan de financement",
        "## The financing plan",
    ),
    "nb.01-07": (
        "## Rapprochement du contrat",
        "## Contract reconciliation",
    ),
    "nb.01-10": (
        "### Les incohérences du contrat\n\nChaque ligne regroupe les années et crédits où le même écart se répète ; le détail de chaque contrôle est dans `data/processed/reconciliation.csv` (`incubo check`) et dans l'annexe Excel du rapport annuel.",
        "### The contract's inconsistencies\n\nEach row groups the years and appropriation types where the same gap repeats; every check in detail is in `data/processed/reconciliation.csv` (`incubo check`) and in the Excel annex of the annual report.",
    ),
    "nb.02-00": (
        "# Modèle d'économies, retour sur investissement et VAN\n\nLes économies du contrat (§ 3) : 32 ETP de catégorie B à 57 k€/an, montée en charge 12,5 / 37,5 / 62,5 / 100 % sur 2019-2022. Économies par levier et année = ETP × taux de réalisation × part de montée en charge (après retard) × coût unitaire × (1 + croissance)^(année − année de base). Le scénario se règle par les paramètres ci-dessous ou par un fichier `params/*.yaml` (`papermill … -f params/FICHIER.yaml`).\n\nLe **ROI est présenté des deux façons** : rapporté aux seuls crédits FTAP, et rapporté à l'ensemble des crédits publics (FTAP + cofinancements). La Cour des comptes a relevé que les économies du FTAP valaient 1,5 fois les crédits FTAP mais seulement 0,53 fois l'ensemble de la dépense publique : ne montrer que le premier flatterait le projet.",
        "# Savings model, return on investment and NPV\n\nThe contract's savings (§ 3): 32 category B FTE at 57 k€/year, phased in at 12.5 / 37.5 / 62.5 / 100 % over 2019-2022. Savings per lever and year = FTE × realisation rate × phasing share (after delay) × unit cost × (1 + growth)^(year − base year). The scenario is set by the parameters below or by a `params/*.yaml` file (`papermill … -f params/FILE.yaml`).\n\nThe **ROI is shown both ways**: against FTAP money only, and against all public money (FTAP + co-financing). The Cour des comptes noted that FTAP savings were worth 1.5 times the FTAP money but only 0.53 times all public spending: showing the first alone would flatter the project.",
    ),
    "nb.02-04": (
        "## Paramètres du scénario",
        "## Scenario parameters",
    ),
    "nb.02-06": (
        "## Économies par levier et par année (k€)",
        "## Savings by lever and year (k€)",
    ),
    "nb.02-10": (
        "## Économies cumulées face aux coûts (CP)\n\nCoûts : crédits de paiement des lignes du plan de financement (FTAP seuls, et ensemble des crédits publics). Le retour sur investissement est atteint la première année où les économies cumulées égalent les crédits cumulés.",
        "## Cumulated savings against costs (CP)\n\nCosts: payment appropriations of the financing plan's lines (FTAP only, and all public money). The investment pays back in the first year when cumulated savings equal cumulated appropriations.",
    ),
    "nb.02-14": (
        "## Indicateurs d'évaluation\n\nVAN actualisée à l'année de base au taux du scénario (3,2 % par défaut) ; ROI FTAP = économies totales / CP FTAP ; ROI total = économies totales / ensemble des CP et coûts de fonctionnement après le plan ; valeurs de basculement : taux de réalisation, coût unitaire et retard pour lesquels la VAN s'annule ou le ROI total vaut 1.",
        "## Appraisal metrics\n\nNPV discounted to the base year at the scenario's rate (3.2% by default); FTAP ROI = total savings / FTAP CP; total ROI = total savings / all CP and running costs after the plan; switching values: realisation rate, unit cost and delay at which the NPV falls to zero or the total ROI equals 1.",
    ),
    "nb.02-17": (
        "## VAN selon le taux d'actualisation\n\nLe taux de référence est de 3,2 % (France Stratégie, *Complément opérationnel I – Révision du taux d'actualisation*, Ni et Maurice, 2021 : taux sans risque de 1,2 % et prime de risque de 2 % × β, β = 1 par convention). La VAN est aussi donnée au taux sans risque (1,2 %) et à l'ancien taux de référence de 4,5 % (rapport Quinet, 2013).",
        "## NPV by discount rate\n\nThe reference rate is 3.2% (France Stratégie, *Complément opérationnel I – Révision du taux d'actualisation*, Ni and Maurice, 2021: a 1.2% risk-free rate and a 2% × β risk premium, β = 1 by convention). The NPV is also given at the risk-free rate (1.2%) and at the former reference rate of 4.5% (Quinet report, 2013).",
    ),
    "nb.02-19": (
        "## Doctrine FTAP : six lectures\n\nUn euro investi doit rapporter un euro d'économies au bout de trois ans, mais les textes diffèrent : « un euro pérenne d'économies au bout de trois ans » (RAP 2019 du programme 349 ; Sénat, PLF 2019), « un euro engagé » (Sénat, PLF 2021), « 1 € d'économie pour 1 € investi sur trois ans » (Cour des comptes, 2025). Aucun ne fixe l'année de départ (engagement ou premier paiement) ni ne dit s'il s'agit d'économies annuelles ou cumulées : les six lectures sont montrées, rapportées aux CP FTAP puis à l'ensemble des crédits publics, sans verdict.",
        "## FTAP doctrine: six readings\n\nOne euro invested should bring one euro of savings after three years, but the texts differ: \"un euro pérenne d'économies au bout de trois ans\" (2019 annual performance report of programme 349; Sénat, 2019 budget bill), \"un euro engagé\" (Sénat, 2021 budget bill), \"1 € d'économie pour 1 € investi sur trois ans\" (Cour des comptes, 2025). None fixes the start year (commitment or first payment) nor says whether annual or cumulated savings count: the six readings are shown, over FTAP CP and then over all public money, without a verdict.",
    ),
    "nb.03-00": (
        "# Scénarios, sensibilité et incertitude\n\nLe scénario courant (paramètres ci-dessous ou `-f params/FICHIER.yaml`) comparé aux scénarios livrés dans `params/` ; valeurs de basculement ; simulation de Monte Carlo (tirages avec graine fixe : résultats reproductibles) et diagramme en tornade (chaque paramètre incertain à sa valeur basse puis haute, les autres au scénario). Sans bloc `uncertainty`, les lois de `params/uncertainty.yaml` s'appliquent.",
        "# Scenarios, sensitivity and uncertainty\n\nThe current scenario (parameters below or `-f params/FILE.yaml`) compared with the scenarios shipped in `params/`; switching values; Monte Carlo simulation (draws with a fixed seed: reproducible results) and tornado chart (each uncertain parameter at its low then high value, the others as in the scenario). Without an `uncertainty` block, the distributions of `params/uncertainty.yaml` apply.",
    ),
    "nb.03-04": (
        "## Comparaison des scénarios",
        "## Scenario comparison",
    ),
    "nb.03-08": (
        "## Valeurs de basculement\n\nLa valeur de chaque paramètre, les autres inchangés, pour laquelle la VAN s'annule ou le ROI sur l'ensemble des crédits publics vaut 1 (vide : pas de solution dans le domaine du paramètre).",
        "## Switching values\n\nThe value of each parameter, the others unchanged, at which the NPV falls to zero or the ROI on all public money equals 1 (empty: no solution within the parameter's range).",
    ),
    "nb.03-10": (
        "## Incertitude : simulation de Monte Carlo",
        "## Uncertainty: Monte Carlo simulation",
    ),
    "nb.03-15": (
        "## Sensibilité : diagramme en tornade (VAN)",
        "## Sensitivity: tornado chart (NPV)",
    ),
    "nb.04-00": (
        "# Rapport annuel des économies : réalisé face au prévu\n\nContrat § 7 : chaque année, le porteur de projet communique les économies effectivement réalisées et **explicite les raisons des éventuels écarts** avec les prévisions. Par levier et par année : ETP et k€ prévus et réalisés, écart décomposé en **effet volume** (ETP réalisés − prévus, au coût prévu) et **effet prix** (ETP réalisés × écart de coût unitaire), explications saisies par la chargée de mission, écarts au-delà du seuil sans explication signalés.",
        "# Annual savings report: realised against planned\n\nContract § 7: each year, the project owner reports the savings actually realised and **explains the reasons for any gaps** with the forecasts. By lever and year: planned and realised FTE and k€, the gap split into a **volume effect** (realised − planned FTE, at the planned cost) and a **price effect** (realised FTE × unit cost gap), the explanations entered by the project officer, gaps beyond the threshold without an explanation flagged.",
    ),
    "nb.04-05": (
        "## Prévu et réalisé par levier et par année",
        "## Planned and realised by lever and year",
    ),
    "nb.04-09": (
        "## Explications des écarts",
        "## Explanations of the gaps",
    ),
    "nb.04-11": (
        "### Écarts au-delà du seuil sans explication (contrat § 7)",
        "### Gaps beyond the threshold without an explanation (contract § 7)",
    ),
    "nb.04-13": (
        "## Cumul à date",
        "## Cumulated to date",
    ),
    "nb.05-00": (
        "# Crédits consommés et indicateurs d'avancement\n\nContrat § 5.1 : chaque trimestre, le montant des crédits consommés en AE et CP, par titre, en € et en % du budget global, et les indicateurs d'avancement face à leurs cibles. Statut des indicateurs : **vert**, **orange** ou **rouge** selon le taux d'atteinte de la cible ; les seuils sont rappelés sous le tableau.",
        "# Appropriations consumed and progress indicators\n\nContract § 5.1: each quarter, the appropriations consumed in AE and CP, by title, in € and as a % of the total budget, and the progress indicators against their targets. Indicator status: **green**, **amber** or **red** according to the attainment of the target; the thresholds are stated under the table.",
    ),
    "nb.05-04": (
        "## Crédits consommés face au plan de financement",
        "## Appropriations consumed against the financing plan",
    ),
    "nb.05-08": (
        "## Consommation cumulée par trimestre",
        "## Cumulated consumption by quarter",
    ),
    "nb.05-12": (
        "## Indicateurs face aux cibles",
        "## Indicators against their targets",
    ),

    # --- the page: lead, table of contents, sections, generation line (outputs.report) ---
    "report.lead": (
        "Scénario du prévu : **{scenario}**. Montants en k€. Tableaux complets dans l'annexe Excel "
        "`incubo_report_{year}.xlsx`.",
        "Plan scenario: **{scenario}**. Amounts in k€. Full tables in the Excel annex `incubo_report_{year}.xlsx`.",
    ),
    "report.toc": ("Sommaire", "Contents"),
    "report.section.summary": ("Synthèse {year}", "Summary {year}"),
    "report.section.savings": (
        "Économies réalisées face au prévu : {year} et cumul à fin {year}",
        "Realised against planned savings: {year} and cumulated to end-{year}",
    ),
    "report.section.credits": (
        "Crédits (AE et CP) et indicateurs : {year}",
        "Appropriations (AE and CP) and indicators: {year}",
    ),
    "report.section.model": (
        "Modèle et scénarios : le plan jusqu'à {last}",
        "Model and scenarios: the plan to {last}",
    ),
    "report.section.annex": ("Annexe : rapprochement du contrat", "Annex: contract reconciliation"),
    "report.section.provenance": ("Provenance", "Provenance"),
    "report.annex.lead": (
        "Les incohérences nommées d'abord ; la liste complète des contrôles est dans la feuille "
        "« Rapprochement » de l'annexe Excel.",
        "The named inconsistencies first; the full list of checks is in the \"Reconciliation\" sheet of the "
        "Excel annex.",
    ),
    "report.generated": (
        "Généré par incubo-analysis {version} à partir des réalisations (sha256 {actuals}) et du scénario "
        "(sha256 {scenario}) ; sans horodatage : les mêmes entrées donnent la même page.",
        "Generated by incubo-analysis {version} from the actuals (sha256 {actuals}) and the scenario "
        "(sha256 {scenario}); no timestamp: the same inputs give the same page.",
    ),
    "note.actuals.example": (
        "*Source des réalisations : {path} (l'exemple livré est fictif).*",
        "*Source of the actuals: {path} (the shipped example is fictitious).*",
    ),
    "note.actuals": ("*Source des réalisations : {path}.*", "*Source of the actuals: {path}.*"),
    # --- the Synthèse's cards (fields already formatted) ---
    "card.savings_year": ("Économies réalisées {year}", "Savings realised in {year}"),
    "card.savings_year.sub": ("prévu {planned} · écart {gap}", "planned {planned} · gap {gap}"),
    "card.savings_cum": ("Économies cumulées à fin {year}", "Savings cumulated to end-{year}"),
    "card.savings_cum.sub": ("prévu {planned} · écart {gap}", "planned {planned} · gap {gap}"),
    "card.credits": ("Crédits consommés {year}, en % du prévu", "Appropriations consumed in {year}, % of plan"),
    "card.credits.value": ("CP {cp} · AE {ae}", "CP {cp} · AE {ae}"),
    "card.credits.sub": (
        "consommés {cp_keur} CP sur {cp_planned} prévus ; {share} du budget CP consommé à fin {year}",
        "{cp_keur} CP consumed of {cp_planned} planned; {share} of the CP budget consumed to end-{year}",
    ),
    "card.indicators": ("Indicateurs {year}", "Indicators {year}"),
    "card.indicators.value": ("{green} vert · {amber} orange · {red} rouge",
                              "{green} green · {amber} amber · {red} red"),
    "card.indicators.sub": (
        "vert ≥ {g} de la cible, orange ≥ {a}, rouge en dessous ou non renseigné",
        "green ≥ {g} of target, amber ≥ {a}, red below or not reported",
    ),
    "card.payback": ("Retour sur investissement (plan)", "Payback year (plan)"),
    "card.payback.value": ("FTAP {ftap}", "FTAP {ftap}"),
    "card.payback.sub": ("ensemble des crédits publics : {total}", "all public money: {total}"),
    "chart.headline.title": (
        "Économies prévues et réalisées par année, {first}-{year}",
        "Planned and realised savings by year, {first}-{year}",
    ),
    "chart.headline.gap": ("écart", "gap"),
    # --- titles of the tables (tables.titled; fields {year}, {credit}, {last}, {draws}) ---
    "table.financing": (
        "Plan de financement en {credit} par axe et source, par année (k€)",
        "Financing plan in {credit} by axis and source, by year (k€)",
    ),
    "table.reconciliation_counts": (
        "Contrôles du contrat par famille et statut (nombre)",
        "Contract checks by family and status (count)",
    ),
    "table.reconciliation_mismatches": (
        "Les incohérences du contrat (montants en k€, parts en %)",
        "The contract's inconsistencies (amounts in k€, shares in %)",
    ),
    "table.scenario_parameters": ("Paramètres du scénario du prévu", "Parameters of the plan scenario"),
    "table.savings_by_year": (
        "Économies prévues par levier et par année, jusqu'à {last} (k€)",
        "Planned savings by lever and year, to {last} (k€)",
    ),
    "table.cashflows": (
        "Économies et coûts en CP, annuels et cumulés, jusqu'à {last} (k€)",
        "Savings and costs in CP, annual and cumulated, to {last} (k€)",
    ),
    "table.npv_by_rate": (
        "VAN du plan à 1,2 %, 3,2 % et 4,5 %, horizon {last}",
        "Plan NPV at 1.2%, 3.2% and 4.5%, horizon {last}",
    ),
    "table.doctrine_readings": (
        "Doctrine FTAP : six lectures, avec leur source",
        "FTAP doctrine: six readings, with their source",
    ),
    "table.metrics": (
        "Indicateurs d'évaluation du plan, horizon {last}",
        "Appraisal metrics of the plan, horizon {last}",
    ),
    "table.scenario_comparison": (
        "Comparaison des scénarios, chacun sur son horizon",
        "Scenario comparison, each over its horizon",
    ),
    "table.switching_values": ("Valeurs de basculement par scénario", "Switching values by scenario"),
    "table.montecarlo_summary": (
        "Simulation de Monte Carlo : {draws} tirages, horizon {last}",
        "Monte Carlo simulation: {draws} draws, horizon {last}",
    ),
    "table.montecarlo_probabilities": (
        "Probabilité que les économies cumulées atteignent chaque cible, horizon {last}",
        "Probability that cumulated savings reach each target, horizon {last}",
    ),
    "table.tornado": (
        "Sensibilité de la VAN à chaque paramètre incertain (valeurs du graphique)",
        "Sensitivity of the NPV to each uncertain parameter (values as on the chart)",
    ),
    "table.savings_variance": (
        "Économies prévues et réalisées par levier et par année, jusqu'à {year}",
        "Planned and realised savings by lever and year, to {year}",
    ),
    "table.savings_explanations": (
        "Explications des écarts saisies dans le classeur des réalisations, jusqu'à {year}",
        "Explanations of the gaps entered in the actuals workbook, to {year}",
    ),
    "table.missing_explanations": (
        "Écarts de plus de {threshold} du prévu sans explication, jusqu'à {year}",
        "Gaps of more than {threshold} of plan without an explanation, to {year}",
    ),
    "note.threshold": (
        "Seuil d'explication : un écart de plus de {threshold} du prévu (en valeur absolue) doit être expliqué "
        "(contrat § 7). Tableau vide : aucun écart sans explication.",
        "Explanation threshold: a gap of more than {threshold} of plan (in absolute value) must be explained "
        "(contract § 7). Empty table: no gap without an explanation.",
    ),
    "table.savings_cumulative": (
        "Économies cumulées à fin {year}, par levier",
        "Savings cumulated to end-{year}, by lever",
    ),
    "table.programme_split": (
        "Économies réalisées par programme budgétaire, par année jusqu'à {year}",
        "Realised savings by budget programme, by year to {year}",
    ),
    "table.credits_by_axis": (
        "Crédits {credit} {year} : consommés face au prévu, par axe et titre",
        "{credit} appropriations {year}: consumed against planned, by axis and title",
    ),
    "table.credits_quarterly": (
        "Consommation cumulée des {credit} à la fin de chaque trimestre {year}, par axe",
        "Cumulated {credit} consumption at the end of each quarter of {year}, by axis",
    ),
    "table.indicators": ("Indicateurs face aux cibles, jusqu'à {year}", "Indicators against their targets, to {year}"),
    "note.rag": (
        "Statut : vert si le taux d'atteinte est ≥ {green} de la cible, orange s'il est ≥ {amber}, "
        "rouge en dessous ou si l'indicateur n'est pas renseigné.",
        "Status: green when attainment is ≥ {green} of the target, amber when ≥ {amber}, "
        "red below or when the indicator is not reported.",
    ),
    # --- alternative texts of the charts, by cell id (fields {year}, {credit}, {last}) ---
    "alt.headline": (
        "Graphique : économies prévues et réalisées par année, {first} à {year}, en k€ ; en {year}, "
        "{actual} réalisés pour {planned} prévus.",
        "Chart: planned and realised savings by year, {first} to {year}, in k€; in {year}, "
        "{actual} realised against {planned} planned.",
    ),
    "alt.01-06": (
        "Graphique : plan de financement par axe, FTAP et cofinancements, par année.",
        "Chart: financing plan by axis, FTAP and co-financing, by year.",
    ),
    "alt.02-09": (
        "Graphique : économies prévues par levier et par année, jusqu'à {last}.",
        "Chart: planned savings by lever and year, to {last}.",
    ),
    "alt.02-13": (
        "Graphique : économies cumulées face aux coûts cumulés (crédits FTAP et ensemble des crédits), "
        "année de retour sur investissement.",
        "Chart: cumulated savings against cumulated costs (FTAP money and all public money), payback year.",
    ),
    "alt.03-07": ("Graphique : VAN de chaque scénario comparé.", "Chart: NPV of each scenario compared."),
    "alt.03-14": (
        "Graphique : économies cumulées simulées (Monte Carlo), bande P10-P90, médiane et cibles.",
        "Chart: simulated cumulated savings (Monte Carlo), P10-P90 band, median and targets.",
    ),
    "alt.03-17": (
        "Graphique en tornade : VAN avec chaque paramètre incertain à sa valeur basse et haute.",
        "Tornado chart: NPV with each uncertain parameter at its low and high value.",
    ),
    "alt.04-07": (
        "Graphique : économies prévues et réalisées par levier, {year}.",
        "Chart: planned and realised savings by lever, {year}.",
    ),
    "alt.04-08": (
        "Graphique en cascade : du prévu au réalisé {year}, effets volume par levier et effet prix.",
        "Waterfall chart: from planned to realised {year}, volume effects by lever and price effect.",
    ),
    "alt.05-07": (
        "Graphique : crédits {credit} {year} prévus et consommés par axe et titre, taux de consommation.",
        "Chart: {credit} appropriations {year} planned and consumed by axis and title, consumption rate.",
    ),
    "alt.05-11": (
        "Graphique : consommation cumulée des {credit} par trimestre, en part du budget global.",
        "Chart: cumulated {credit} consumption by quarter, as a share of the total budget.",
    ),
    "alt.05-15": (
        "Graphique : taux d'atteinte des cibles de chaque indicateur, {year}.",
        "Chart: attainment of each indicator's target, {year}.",
    ),
    # --- the real sources of a report (incubo_analysis.monitoring.sources) ---
    "report.sources.ds_twice": (
        "--ds-export {path} : fichier donné deux fois ; chaque export démarches-simplifiées est attendu une seule fois",
        "--ds-export {path}: file given twice; expected each démarches-simplifiées export once",
    ),
    "report.sources.mapping_alone": (
        "--chorus-mapping {path} : donné sans --chorus ; la table de correspondance sert à lire une extraction Chorus, donnez aussi --chorus FICHIER",
        "--chorus-mapping {path}: given without --chorus; the mapping reads a Chorus extract, also give --chorus FILE",
    ),
    "table.processing_indicator": (
        "Axe 1 – Réduction du délai de traitement, calculée jusqu'à {quarter}",
        "Axis 1 – Reduction of the processing time, computed up to {quarter}",
    ),
    "table.processing_reduction": (
        "Délai de traitement de chaque démarche face à son délai de référence, de {start} à {end}",
        "Processing time of each procedure against its reference time, from {start} to {end}",
    ),
    "table.crosscheck": (
        "Crédits FTAP : classeur et Chorus par trimestre, jusqu'à fin {year}",
        "FTAP credits: workbook and Chorus by quarter, to end {year}",
    ),
    "alt.05-18": (
        "Graphique : délai médian de traitement de chaque démarche par trimestre, en % de son délai de référence, "
        "avec la ligne du délai de référence (100 %) et la cible de 50 %, jusqu'à {year}.",
        "Chart: median processing time of each procedure per quarter, as a % of its reference time, with the "
        "reference line (100%) and the 50% target, to {year}.",
    ),
    "nb.05-16": (
        "## Délai de traitement des démarches dématérialisées\n\nIndicateur de résultat de l'axe 1 (contrat § 5.2) : « réduction de 50 % du délai de traitement de la moitié des procédures dématérialisées » d'ici fin 2021. Il est calculé à partir des exports des démarches de l'outil « démarches-simplifiées » (dates de dépôt et de traitement de chaque dossier) et des délais d'avant la dématérialisation saisis dans la feuille « Délais de référence » du classeur.",
        '## Processing time of the dematerialised procedures\n\nResult indicator of axis 1 (contract § 5.2): "50% reduction of the processing time of half of the dematerialised procedures" by end 2021. It is computed from the exports of the procedures run on the "démarches-simplifiées" tool (submission and decision dates of each dossier) and from the times before dematerialisation typed in the workbook\'s sheet "Reference delays".',
    ),
    "nb.05-20": (
        "## Rapprochement des crédits avec Chorus\n\nLes crédits FTAP déclarés dans le classeur, trimestre par trimestre, comparés aux montants comptabilisés dans Chorus sur l'activité du contrat (extraction de restitution). Un écart de plus de 1 k€ est signalé.",
        "## Credits cross-checked with Chorus\n\nThe FTAP credits declared in the workbook, quarter by quarter, compared with the amounts booked in Chorus on the contract's activity (restitution extract). A difference over 1 k€ is flagged.",
    ),
}

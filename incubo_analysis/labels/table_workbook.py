"""Labels of the officer's workbook: sheet names, headers, drop-down values, README sheet, reader messages (fr, en).

Keys ``wb.sheet.*`` name the sheets, ``wb.col.<sheet>.<column>`` the headers (units
included), ``wb.value.*`` / ``wb.unit.*`` the drop-down values and units, ``wb.readme.*``
the "Lisez-moi" sheet, ``wb.msg.*`` the reader's messages (``str.format`` fields) and
``wb.check.*`` the summary of ``incubo check --actuals``.
"""

from __future__ import annotations

from collections.abc import Hashable

LABELS: dict[Hashable, tuple[str, str]] = {
    # --- sheets ---
    "wb.sheet.readme": ("Lisez-moi", "Read me"),
    "wb.sheet.savings": ("Économies", "Savings"),
    "wb.sheet.credits": ("Crédits", "Credits"),
    "wb.sheet.indicators": ("Indicateurs", "Indicators"),
    "wb.sheet.lists": ("Listes", "Lists"),
    "wb.sheet.milestones": ("Jalons", "Milestones"),
    "wb.sheet.risks": ("Risques", "Risks"),
    "wb.sheet.reference_delays": ("Délais de référence", "Reference delays"),
    # --- headers (input columns, then the grey plan columns) ---
    "wb.col.savings.lever": ("Levier", "Lever"),
    "wb.col.savings.year": ("Année", "Year"),
    "wb.col.savings.etp_freed": ("ETP libérés", "FTE freed"),
    "wb.col.savings.unit_cost_keur": ("Coût unitaire (k€/ETP)", "Unit cost (k€/FTE)"),
    "wb.col.savings.explanation": ("Explication de l'écart", "Explanation of the variance"),
    "wb.col.savings.nature": ("Nature", "Nature"),
    "wb.col.savings.programme": ("Programme", "Programme"),
    "wb.col.savings.justificatif": ("Justificatif", "Evidence"),
    "wb.col.savings.planned_etp": ("ETP prévus", "Planned FTE"),
    "wb.col.savings.planned_unit_cost_keur": ("Coût unitaire prévu (k€/ETP)", "Planned unit cost (k€/FTE)"),
    "wb.col.savings.planned_keur": ("Économies prévues (k€)", "Planned savings (k€)"),
    "wb.col.credits.axis": ("Axe", "Axis"),
    "wb.col.credits.title": ("Titre", "Title"),
    "wb.col.credits.source": ("Source", "Source"),
    "wb.col.credits.year": ("Année", "Year"),
    "wb.col.credits.quarter": ("Trimestre", "Quarter"),
    "wb.col.credits.ae_keur": ("AE consommées (k€)", "AE consumed (k€)"),
    "wb.col.credits.cp_keur": ("CP consommés (k€)", "CP consumed (k€)"),
    "wb.col.credits.planned_ae_keur_year": ("AE prévues dans l'année (k€)", "AE planned for the year (k€)"),
    "wb.col.credits.planned_cp_keur_year": ("CP prévus dans l'année (k€)", "CP planned for the year (k€)"),
    "wb.col.indicators.indicator": ("Indicateur", "Indicator"),
    "wb.col.indicators.year": ("Année", "Year"),
    "wb.col.indicators.value": ("Valeur", "Value"),
    "wb.col.indicators.comment": ("Commentaire", "Comment"),
    "wb.col.indicators.target": ("Cible", "Target"),
    "wb.col.indicators.unit": ("Unité", "Unit"),
    "wb.col.indicators.label": ("Libellé du contrat", "Wording in the contract"),
    "wb.col.milestones.milestone_id": ("Jalon", "Milestone"),
    "wb.col.milestones.action": ("Action (annexe III)", "Action (annex III)"),
    "wb.col.milestones.planned_end": ("Fin prévue (trimestre)", "Planned end (quarter)"),
    "wb.col.milestones.done_on": ("Date de réalisation", "Date completed"),
    "wb.col.milestones.forecast_on": ("Nouvelle échéance prévue", "Revised due date"),
    "wb.col.milestones.comment": ("Commentaire", "Comment"),
    "wb.col.risks.risk_id": ("Identifiant", "Identifier"),
    "wb.col.risks.axis": ("Axe", "Axis"),
    "wb.col.risks.description": ("Description", "Description"),
    "wb.col.risks.probability": ("Probabilité (1–4)", "Probability (1–4)"),
    "wb.col.risks.impact": ("Impact (1–4)", "Impact (1–4)"),
    "wb.col.risks.mitigation": ("Mesure d'atténuation", "Mitigation"),
    "wb.col.risks.owner": ("Responsable", "Owner"),
    "wb.col.risks.status": ("Statut", "Status"),
    "wb.col.risks.identified_on": ("Date d'identification", "Date identified"),
    "wb.col.risks.closed_on": ("Date de clôture", "Date closed"),
    "wb.col.reference_delays.demarche": ("Démarche", "Procedure"),
    "wb.col.reference_delays.reference_days": ("Délai de référence (jours)", "Reference delay (days)"),
    "wb.col.reference_delays.source": ("Source", "Source"),
    # --- drop-down values and units ---
    "wb.value.FTAP": ("FTAP", "FTAP"),
    "wb.value.cofinancing": ("Cofinancement", "Co-financing"),
    "wb.value.post_cut": ("Suppression de poste", "Post cut"),
    "wb.value.non_replacement": ("Non-remplacement", "Non-replacement"),
    "wb.value.redeployment": ("Redéploiement", "Redeployment"),
    "wb.value.productivity": ("Gain de productivité", "Productivity gain"),
    "wb.value.open": ("ouvert", "open"),
    "wb.value.closed": ("clos", "closed"),
    "wb.unit.count": ("nombre", "number"),
    "wb.unit.share": ("%", "%"),
    "wb.unit.keur": ("k€", "k€"),
    # --- input prompts and checks of the data sheets ---
    "wb.prompt.lever": ("Levier d'économies (liste)", "Savings lever (list)"),
    "wb.prompt.year": ("Année", "Year"),
    "wb.prompt.etp_freed": ("ETP libérés dans l'année, ≥ 0", "FTE freed in the year, ≥ 0"),
    "wb.prompt.unit_cost_keur": ("k€ par ETP et par an ; vide = coût du plan",
                                 "k€ per FTE and year; blank = the plan's cost"),
    "wb.prompt.axis": ("Axe 1 à 4 (liste)", "Axis 1 to 4 (list)"),
    "wb.prompt.title": ("T2 personnel, T3 fonctionnement, T6 intervention",
                        "T2 staff, T3 operating, T6 grants"),
    "wb.prompt.source": ("FTAP ou Cofinancement", "FTAP or Co-financing"),
    "wb.prompt.quarter": ("Trimestre 1 à 4", "Quarter 1 to 4"),
    "wb.prompt.ae_keur": ("AE consommées dans le trimestre, k€, ≥ 0", "AE consumed in the quarter, k€, ≥ 0"),
    "wb.prompt.cp_keur": ("CP consommés dans le trimestre, k€, ≥ 0", "CP consumed in the quarter, k€, ≥ 0"),
    "wb.prompt.indicator": ("Indicateur du contrat (liste)", "Indicator of the contract (list)"),
    "wb.prompt.value": ("Niveau en fin d'année ; taux en % (75 %)", "Level at the end of the year; rates in % (75%)"),
    "wb.prompt.nature": ("Suppression de poste, non-remplacement (économie budgétaire), redéploiement, gain de "
                         "productivité",
                         "Post cut, non-replacement (budget saving), redeployment, productivity gain"),
    "wb.prompt.programme": ("Programme ou BOP où l'économie se constate (0307, 0354-DR31)",
                            "Programme or BOP where the saving shows (0307, 0354-DR31)"),
    "wb.prompt.justificatif": ("Référence de la pièce : schéma d'emplois, compte rendu de dialogue de gestion",
                               "Reference of the evidence: staffing plan decision, management dialogue minutes"),
    "wb.prompt.milestone_id": ("Jalon de l'annexe III (liste)", "Milestone of annex III (list)"),
    "wb.prompt.done_on": ("Date à laquelle le jalon est atteint (jj/mm/aaaa)",
                          "Date the milestone was reached (dd/mm/yyyy)"),
    "wb.prompt.forecast_on": ("Nouvelle date prévue si le jalon est reprogrammé (jj/mm/aaaa)",
                              "New planned date if the milestone is rescheduled (dd/mm/yyyy)"),
    "wb.prompt.probability": ("1 peu probable … 4 très probable", "1 unlikely … 4 very likely"),
    "wb.prompt.impact": ("1 faible … 4 majeur", "1 minor … 4 major"),
    "wb.prompt.status": ("ouvert ou clos (liste)", "open or closed (list)"),
    "wb.prompt.identified_on": ("Date d'identification du risque (jj/mm/aaaa)",
                                "Date the risk was identified (dd/mm/yyyy)"),
    "wb.prompt.closed_on": ("Date de clôture, obligatoire si le risque est clos (jj/mm/aaaa)",
                            "Date closed, required when the risk is closed (dd/mm/yyyy)"),
    "wb.prompt.reference_days": ("Délai de traitement avant dématérialisation, en jours, > 0",
                                 "Processing time before dematerialisation, in days, > 0"),
    "wb.rule.date": ("Saisissez une date (jj/mm/aaaa) entre 2000 et 2099.",
                     "Type a date (dd/mm/yyyy) between 2000 and 2099."),
    "wb.rule.score": ("Saisissez un nombre entier de 1 à 4.", "Type a whole number from 1 to 4."),
    "wb.rule.list": ("Choisissez une valeur de la liste.", "Choose a value from the list."),
    "wb.rule.nonneg": ("Saisissez un nombre positif ou nul.", "Type a number, zero or more."),
    "wb.rule.positive": ("Saisissez un nombre strictement positif (ou laissez vide).",
                         "Type a number greater than zero (or leave it blank)."),
    "wb.rule.number": ("Saisissez un nombre.", "Type a number."),
    "wb.rule.title": ("Valeur refusée", "Value refused"),
    # --- the Lisez-moi sheet ---
    "wb.readme.fictitious": (
        "DONNÉES FICTIVES (exemple synthétique) — FICTIF — ne pas utiliser comme réalisations réelles du projet",
        "FICTITIOUS DATA (synthetic example) — do not use as the project's real results",
    ),
    "wb.readme.title": (
        "Classeur des réalisations du projet Incub-O (contrat de transformation FTAP, 2018)",
        "Actuals workbook of the Incub-O project (FTAP transformation contract, 2018)",
    ),
    "wb.readme.h.purpose": ("À quoi sert ce classeur", "What this workbook is for"),
    "wb.readme.purpose": (
        "Chaque année (économies, § 7 du contrat) et chaque trimestre (crédits et indicateurs, § 5.1), "
        "saisissez ici les réalisations. La commande « incubo check --actuals FICHIER.xlsx » vérifie le "
        "classeur et indique la feuille et la cellule de chaque erreur ; « incubo report » produit ensuite "
        "le rapport annuel.",
        "Every year (savings, contract § 7) and every quarter (credits and indicators, § 5.1), type the "
        "actuals here. The command \"incubo check --actuals FILE.xlsx\" checks the workbook and names the "
        "sheet and cell of each error; \"incubo report\" then writes the annual report.",
    ),
    "wb.readme.h.rules": ("Règles générales", "General rules"),
    "wb.readme.rule.names": (
        "• Ne renommez pas les feuilles ni les en-têtes de la ligne 1 (les colonnes grisées sont "
        "indicatives : elles peuvent être modifiées ou supprimées). Les feuilles Jalons, Risques et Délais "
        "de référence peuvent manquer (rien à déclarer).",
        "• Do not rename the sheets nor the headers of row 1 (the grey columns are for information: they "
        "may be changed or deleted). The sheets Milestones, Risks and Reference delays may be absent "
        "(nothing to report).",
    ),
    "wb.readme.rule.rows": (
        "• Une ligne par enregistrement. Les colonnes clés (levier, année, axe…) sont pré-remplies : "
        "saisissez seulement les valeurs dans les cellules jaunes. Une ligne dont les valeurs sont vides "
        "signifie « rien à déclarer » et est ignorée ; vous pouvez aussi ajouter ou supprimer des lignes.",
        "• One row per record. The key columns (lever, year, axis…) are pre-filled: type only the values, "
        "in the yellow cells. A row whose values are blank means \"nothing to report\" and is skipped; "
        "you may also add or delete rows.",
    ),
    "wb.readme.rule.units": (
        "• Montants en milliers d'euros (k€), nombres positifs ; ETP en équivalents temps plein ; "
        "taux en pourcentage (75 % s'écrit 75 % ou 0,75) ; dates du tableur (30/09/2020) ou texte 2020-09-30.",
        "• Amounts in thousands of euros (k€), positive numbers; FTE in full-time equivalents; "
        "rates as percentages (75% is typed 75% or 0.75); spreadsheet dates (30/09/2020) or text 2020-09-30.",
    ),
    "wb.readme.rule.numbers": (
        "• Saisissez des nombres, pas du texte (« 12,5 » aligné à gauche est du texte). Les formules "
        "sont acceptées si le tableur les a calculées (enregistrez le fichier depuis Excel ou LibreOffice).",
        "• Type numbers, not text (\"12.5\" aligned left is text). Formulas are accepted once the "
        "spreadsheet has computed them (save the file from Excel or LibreOffice).",
    ),
    "wb.readme.rule.duplicates": (
        "• Pas de doublon : une seule ligne par levier × année, par axe × titre × source × année × "
        "trimestre, par indicateur × année, par jalon, par identifiant de risque, par démarche.",
        "• No duplicates: one row per lever × year, per axis × title × source × year × quarter, "
        "per indicator × year, per milestone, per risk identifier, per procedure.",
    ),
    "wb.readme.h.savings": (
        "Feuille Économies (économies réalisées, une ligne par levier et par année)",
        "Sheet Savings (savings realised, one row per lever and year)",
    ),
    "wb.readme.savings.etp": (
        "• ETP libérés : ETP effectivement libérés dans l'année (montée en charge comprise), ≥ 0.",
        "• FTE freed: FTE actually freed in the year (phasing included), ≥ 0.",
    ),
    "wb.readme.savings.cost": (
        "• Coût unitaire : coût annuel d'un ETP en k€ ; laisser vide pour appliquer celui du plan.",
        "• Unit cost: the yearly cost of an FTE in k€; leave blank to apply the plan's.",
    ),
    "wb.readme.savings.explanation": (
        "• Explication de l'écart : la raison de l'écart au prévu. Obligatoire (§ 7 du contrat) dès que "
        "l'écart dépasse 10 % : le rapport signale les écarts non expliqués.",
        "• Explanation of the variance: the reason for the gap to plan. Required (contract § 7) when the "
        "gap exceeds 10%: the report flags unexplained gaps.",
    ),
    "wb.readme.savings.nature": (
        "• Nature : suppression de poste ou non-remplacement (économie budgétaire), redéploiement ou gain "
        "de productivité (temps libéré) ; Programme : programme ou BOP où l'économie se constate ; "
        "Justificatif : référence de la pièce (décision du schéma d'emplois, compte rendu du dialogue de "
        "gestion). Une économie budgétaire sans justificatif est comptée comme non documentée.",
        "• Nature: post cut or non-replacement (budget saving), redeployment or productivity gain (time "
        "freed); Programme: the budget programme or BOP where the saving shows; Evidence: the reference of "
        "the supporting document (staffing plan decision, management dialogue minutes). A budget saving "
        "without evidence counts as undocumented.",
    ),
    "wb.readme.savings.grey": (
        "• Colonnes grisées : ETP, coût unitaire et économies prévus par le contrat, pour comparaison.",
        "• Grey columns: the FTE, unit cost and savings planned by the contract, for comparison.",
    ),
    "wb.readme.h.credits": (
        "Feuille Crédits (crédits consommés, une ligne par axe, titre, source, année et trimestre)",
        "Sheet Credits (credits consumed, one row per axis, title, source, year and quarter)",
    ),
    "wb.readme.credits.amounts": (
        "• AE consommées, CP consommés : autorisations d'engagement et crédits de paiement consommés dans "
        "le trimestre (pas en cumul), en k€. Si une seule des deux est saisie, l'autre vaut 0.",
        "• AE consumed, CP consumed: commitment and payment appropriations consumed in the quarter (not "
        "cumulated), in k€. If only one of the two is typed, the other is 0.",
    ),
    "wb.readme.credits.codes": (
        "• Titre : T2 (personnel), T3 (fonctionnement), T6 (intervention) ; Source : FTAP ou Cofinancement.",
        "• Title: T2 (staff), T3 (operating), T6 (grants); Source: FTAP or Co-financing.",
    ),
    "wb.readme.credits.grey": (
        "• Colonnes grisées : le montant annuel prévu par le plan de financement (sur la ligne du "
        "1er trimestre).",
        "• Grey columns: the yearly amount planned by the financing plan (on the row of the 1st quarter).",
    ),
    "wb.readme.h.indicators": (
        "Feuille Indicateurs (indicateurs d'avancement et de résultat, une ligne par indicateur et par année)",
        "Sheet Indicators (progress and result indicators, one row per indicator and year)",
    ),
    "wb.readme.indicators.value": (
        "• Valeur : niveau atteint en fin d'année (cumul depuis le début du projet pour les nombres ; "
        "taux en %). Commentaire : précision libre.",
        "• Value: the level reached at the end of the year (cumulated since the start of the project for "
        "numbers; rates in %). Comment: free text.",
    ),
    "wb.readme.indicators.grey": (
        "• Colonnes grisées : la cible du contrat et son unité.",
        "• Grey columns: the contract's target, its unit and the indicator's wording in the contract.",
    ),
    "wb.readme.h.followup": (
        "Feuilles Jalons, Risques et Délais de référence (suivi trimestriel, § 5 du contrat)",
        "Sheets Milestones, Risks and Reference delays (quarterly monitoring, contract § 5)",
    ),
    "wb.readme.milestones": (
        "• Jalons : une ligne par jalon de l'annexe III (action et fin prévue en gris) ; saisissez la date de "
        "réalisation, ou la nouvelle échéance prévue si le jalon est reprogrammé, et un commentaire.",
        "• Milestones: one row per milestone of annex III (action and planned end in grey); type the date "
        "completed, or the revised due date when the milestone is rescheduled, and a comment.",
    ),
    "wb.readme.risks": (
        "• Risques : une ligne par risque (identifiant unique), probabilité et impact de 1 à 4, statut "
        "ouvert ou clos ; un risque clos porte sa date de clôture, postérieure à sa date d'identification.",
        "• Risks: one row per risk (unique identifier), probability and impact from 1 to 4, status open or "
        "closed; a closed risk carries its closing date, on or after the date it was identified.",
    ),
    "wb.readme.references": (
        "• Délais de référence : une ligne par démarche (son nom sur démarches-simplifiées), délai de "
        "traitement avant dématérialisation en jours, et la source de ce délai.",
        "• Reference delays: one row per procedure (its name on démarches-simplifiées), processing time "
        "before dematerialisation in days, and the source of that figure.",
    ),
    "wb.readme.h.english": ("Classeurs plus anciens", "Older workbooks"),
    "wb.readme.english": (
        "• Les classeurs plus anciens, aux feuilles et en-têtes en anglais, restent acceptés.",
        "• Workbooks with French sheets, headers and values are accepted too.",
    ),
    # --- reader: file and container ---
    "wb.msg.headline": ("{path} : {n} problème", "{path}: {n} problem"),
    "wb.msg.headline_plural": ("{path} : {n} problèmes", "{path}: {n} problems"),
    "wb.msg.not_found": ("{path} : fichier introuvable (un classeur .xlsx des réalisations est attendu)",
                         "{path}: file not found (expected an .xlsx actuals workbook)"),
    "wb.msg.not_a_file": ("{path} : ce n'est pas un fichier (un classeur .xlsx des réalisations est attendu)",
                          "{path}: not a file (expected an .xlsx actuals workbook)"),
    "wb.msg.empty_file": ("{path} : fichier vide (0 octet), un classeur .xlsx est attendu",
                          "{path}: empty file (0 bytes), expected an .xlsx workbook"),
    "wb.msg.ole2": (
        "{path} : fichier composite OLE2 trouvé (octets D0 CF 11 E0) : un classeur protégé par mot de "
        "passe ou un ancien .xls ; un .xlsx non protégé est attendu (retirez le mot de passe, ou "
        "enregistrez-le en « Classeur Excel (.xlsx) »)",
        "{path}: found an OLE2 compound file (magic bytes D0 CF 11 E0): a password-protected or old .xls "
        "workbook; expected an unprotected .xlsx (remove the password, or save it as 'Excel Workbook (.xlsx)')",
    ),
    "wb.msg.kind_text": ("un fichier texte (un CSV renommé en .xlsx ?)", "a text file (a CSV renamed .xlsx?)"),
    "wb.msg.kind_binary": ("un fichier binaire inconnu", "an unknown binary file"),
    "wb.msg.not_zip": (
        "{path} : ce n'est pas un classeur xlsx : {kind} trouvé, commençant par {head} ; un fichier .xlsx "
        "est attendu (une archive zip commençant par « PK »)",
        "{path}: not an xlsx workbook: found {kind}, starting {head}; expected an .xlsx file "
        "(a zip archive starting with 'PK')",
    ),
    "wb.msg.bad_zip": (
        "{path} : classeur xlsx tronqué ou corrompu (l'archive zip est illisible : {reason}) ; "
        "un fichier .xlsx complet est attendu",
        "{path}: truncated or corrupt xlsx workbook (the zip archive cannot be read: {reason}); "
        "expected a complete .xlsx file",
    ),
    "wb.msg.corrupt": ("{path} : classeur xlsx tronqué ou corrompu ({reason})",
                       "{path}: truncated or corrupt xlsx workbook ({reason})"),
    "wb.msg.not_workbook": (
        "{path} : une archive zip, mais pas un classeur xlsx (ni [Content_Types].xml ni xl/workbook.xml ; "
        "un .ods ou un autre format ?) ; un classeur .xlsx est attendu",
        "{path}: a zip archive but not an xlsx workbook (no [Content_Types].xml or xl/workbook.xml; an "
        ".ods or another format?); expected an .xlsx workbook",
    ),
    "wb.msg.too_big": (
        "{path} : le classeur occuperait {size} octets une fois décompressé (plus de {limit}) ; refusé : "
        "bombe zip possible ou classeur bien au-delà de {cap} lignes par feuille",
        "{path}: the workbook would expand to {size} bytes (more than {limit}); refused as a possible zip "
        "bomb or a workbook far beyond {cap} rows per sheet",
    ),
    "wb.msg.encrypted": (
        "{path} : la partie {part} est marquée comme chiffrée dans l'archive zip ; un classeur .xlsx non "
        "protégé, enregistré par Excel ou LibreOffice, est attendu",
        "{path}: part {part} is flagged as encrypted in the zip archive; expected an unprotected .xlsx "
        "workbook saved by Excel or LibreOffice",
    ),
    "wb.msg.entities": (
        "{path} : la partie {part} déclare des entités XML (bombe d'entités possible) ; refusé : un "
        "classeur enregistré par Excel ou LibreOffice est attendu",
        "{path}: part {part} declares XML entities (a possible entity bomb); refused: expected a workbook "
        "saved by Excel or LibreOffice",
    ),
    "wb.msg.forbidden_xml": (
        "{path} : la partie {part} contient du XML interdit ({reason} : bombe d'entités ou entité externe "
        "possible) ; refusé",
        "{path}: part {part} carries forbidden XML ({reason}: a possible entity bomb or external entity); "
        "refused",
    ),
    "wb.msg.bad_xml": ("{path} : la partie {part} n'est pas du XML bien formé ({reason}) : classeur tronqué "
                       "ou corrompu",
                       "{path}: part {part} is not well-formed XML ({reason}): truncated or corrupt workbook"),
    "wb.msg.unloadable": (
        "{path} : illisible comme classeur xlsx : {part} est invalide ({reason}) ; un classeur enregistré "
        "par Excel ou LibreOffice est attendu",
        "{path}: cannot be read as an xlsx workbook: {part} is invalid ({reason}); expected a workbook "
        "saved by Excel or LibreOffice",
    ),
    "wb.part.read_manifest": ("la partie [Content_Types].xml", "part [Content_Types].xml"),
    "wb.part.read_strings": ("la partie des chaînes partagées (xl/sharedStrings.xml)",
                             "the shared strings part (xl/sharedStrings.xml)"),
    "wb.part.read_workbook": (
        "la partie xl/workbook.xml, ses relations ou son entrée dans [Content_Types].xml",
        "part xl/workbook.xml, its relationships or its entry in [Content_Types].xml",
    ),
    "wb.part.read_properties": ("les propriétés du document (docProps/core.xml)",
                                "the document properties (docProps/core.xml)"),
    "wb.part.read_custom": ("les propriétés personnalisées (docProps/custom.xml)",
                            "the custom properties (docProps/custom.xml)"),
    "wb.part.read_theme": ("le thème (xl/theme/theme1.xml)", "the theme (xl/theme/theme1.xml)"),
    "wb.part.apply_stylesheet": ("la partie des styles (xl/styles.xml)", "the styles part (xl/styles.xml)"),
    "wb.part.read_worksheets": ("les parties des feuilles (xl/worksheets/*.xml)",
                                "the worksheet parts (xl/worksheets/*.xml)"),
    "wb.part.assign_names": ("les noms définis de xl/workbook.xml", "the defined names of xl/workbook.xml"),
    "wb.part.zip": ("l'archive zip", "the zip archive"),
    # --- reader: sheets and headers ---
    "wb.msg.sheet_missing": (
        "feuille {sheet} absente (feuilles trouvées : {found}) ; une feuille {sheet} est attendue, "
        "avec les colonnes {columns}",
        "sheet {sheet} is missing (found sheets: {found}); expected a sheet {sheet} with columns {columns}",
    ),
    "wb.msg.sheets_alike": (
        "les feuilles {sheets} se lisent toutes comme {sheet} (les noms de feuilles sont comparés sans "
        "tenir compte de la casse, des accents, des espaces ni de la ponctuation) ; une seule feuille "
        "{sheet} est attendue : renommez ou supprimez l'autre",
        "sheets {sheets} all read as {sheet} (sheet names are compared ignoring case, accents, spaces and "
        "punctuation); expected exactly one sheet {sheet}: rename or delete the other",
    ),
    "wb.msg.unreadable_sheet": (
        "{sheet} : le XML de la feuille ({part}) est illisible après la ligne {row} ({reason}) ; un "
        "classeur enregistré par Excel ou LibreOffice est attendu",
        "{sheet}: the sheet's XML ({part}) cannot be read after row {row} ({reason}); expected a workbook "
        "saved by Excel or LibreOffice",
    ),
    "wb.msg.beyond_excel": (
        "{ref} : la ligne {row} est au-delà de la dernière ligne d'une feuille de calcul ({last}) ; un "
        "classeur enregistré par Excel ou LibreOffice est attendu",
        "{ref}: row {row} is beyond the last row a spreadsheet can hold ({last}); expected a workbook "
        "saved by Excel or LibreOffice",
    ),
    "wb.msg.beyond_cap": (
        "{ref} ({column}) : données en ligne {row}, au-delà des {cap} lignes de données permises "
        "(lignes 2 à {last}) ; au plus {cap} enregistrements par feuille sont attendus (cellules égarées "
        "loin sous le tableau : supprimez ces lignes)",
        "{ref} ({column}): data on row {row}, beyond the {cap} data rows a sheet may hold (rows 2 to "
        "{last}); expected at most {cap} records per sheet (stray cells far below the table: delete those "
        "rows)",
    ),
    "wb.msg.duplicate": (
        "{ref} : clé en double ({record}), déjà en ligne {first} ; une seule ligne par {per} est attendue",
        "{ref}: duplicate key ({record}) already on row {first}; expected one row per {per}",
    ),
    "wb.msg.column_twice": (
        "{ref} : la colonne {column} apparaît deux fois (déjà en {first}) ; chaque colonne est attendue "
        "une seule fois",
        "{ref}: column {column} appears twice (already at {first}); expected each column once",
    ),
    "wb.msg.column_missing": (
        "{sheet}!1 : la colonne obligatoire {column} manque dans la ligne d'en-tête (trouvé : {found}) ; "
        "colonnes attendues : {columns}",
        "{sheet}!1: required column {column} is missing from the header row (found: {found}); "
        "expected columns {columns}",
    ),
    "wb.msg.nothing": ("rien", "nothing"),
    "wb.msg.in_all": ("{n} en tout", "{n} in all"),
    # --- reader: cells ---
    "wb.msg.uncached_formula": (
        "{ref} ({column}) : une formule ({formula}) sans valeur calculée ; une valeur calculée est "
        "attendue : ouvrez le classeur dans Excel ou LibreOffice, laissez-le recalculer et enregistrez-le",
        "{ref} ({column}): a formula ({formula}) with no cached value; expected a computed value: open the "
        "workbook in Excel or LibreOffice, let it recalculate, and save it",
    ),
    "wb.msg.value_missing": (
        "{ref} ({column}) : vide, mais {text} est rempli en ligne {row} ; une valeur est attendue (ou "
        "videz la ligne : une ligne sans valeur signifie « rien à déclarer »)",
        "{ref} ({column}): blank, but {text} is filled on row {row}; expected a value (or clear the row: "
        "a row with no value means nothing reported)",
    ),
    "wb.msg.bad_cell": ("{ref} ({column}) : trouvé {found} ; attendu {expected}",
                        "{ref} ({column}): found {found}; expected {expected}"),
    "wb.found.blank": ("une cellule vide", "a blank cell"),
    "wb.found.text": ("le texte {text}", "text {text}"),
    "wb.found.boolean": ("un booléen ({value})", "a boolean ({value})"),
    "wb.found.true": ("VRAI", "TRUE"),
    "wb.found.false": ("FAUX", "FALSE"),
    "wb.found.date": ("une date ({value})", "a date ({value})"),
    "wb.found.huge": ("un nombre entier d'environ {digits} chiffres", "a whole number of about {digits} digits"),
    "wb.found.excel_error": ("l'erreur de tableur {error}", "the spreadsheet error {error}"),
    "wb.found.number_as_text": (
        " (un nombre enregistré comme texte : ressaisissez-le comme nombre)",
        " (a number stored as text: retype it as a number)",
    ),
    "wb.found.unknown": ("une valeur inconnue, {value}", "an unknown value {value}"),
    "wb.found.long_text": ("un texte de {n} caractères", "a text of {n} characters"),
    "wb.expect.one_of": ("l'une des valeurs {values}", "one of {values}"),
    "wb.expect.range": ("{what} de {low} à {high}", "{what} from {low} to {high}"),
    "wb.expect.whole": ("un nombre entier : {expected}", "a whole number: {expected}"),
    "wb.expect.number_of": ("un nombre : {expected}", "a number: {expected}"),
    "wb.expect.nonneg": ("{what} ≥ 0", "{what} >= 0"),
    "wb.expect.positive": ("{what} > 0", "{what} > 0"),
    "wb.expect.bound": ("{what} ≤ {high} (la borne du domaine : sûrement une faute de frappe)",
                        "{what} <= {high} (the domain bound: surely a typo)"),
    "wb.expect.max_text": ("au plus {n} caractères (la limite d'une cellule de tableur)",
                           "at most {n} characters (the limit of a spreadsheet cell)"),
    "wb.expect.number": ("un nombre", "a number"),
    "wb.expect.value_bound": (
        "un nombre de {low} à {high} (la borne du domaine : sûrement une faute de frappe)",
        "a number from {low} to {high} (the domain bound: surely a typo)",
    ),
    "wb.expect.share": ("une part de 0 à 1 pour « {indicator} » (saisissez 75 % ou 0,75 pour 75 %)",
                        "a share from 0 to 1 for \"{indicator}\" (type 75% or 0.75 for 75%)"),
    "wb.expect.nonneg_for": ("une valeur ≥ 0 pour « {indicator} »", "a value >= 0 for \"{indicator}\""),
    "wb.expect.date": ("une date (date du tableur, 2020-09-30 ou 30/09/2020)",
                       "a date (a spreadsheet date, 2020-09-30 or 30/09/2020)"),
    "wb.expect.date_range": ("une date du {low} au {high}", "a date from {low} to {high}"),
    "wb.expect.milestone": (
        "un jalon de l'annexe III du contrat : son identifiant ({first} à {last}) ou son action telle "
        "qu'imprimée",
        "a milestone of the contract's annex III: its identifier ({first} to {last}) or its action as printed",
    ),
    "wb.expect.closing_date": ("la date de clôture du risque, puisque son statut est « clos »",
                               "the risk's closing date, since its status is 'closed'"),
    "wb.expect.no_closing_date": (
        "une cellule vide pour un risque ouvert (choisissez le statut « clos » pour le clore)",
        "a blank cell for an open risk (choose the status 'closed' to close it)",
    ),
    "wb.expect.closing_after": (
        "une date de clôture égale ou postérieure à la date d'identification ({date})",
        "a closing date on or after the date identified ({date})",
    ),
    "wb.expect.text": ("{what} (un texte non vide)", "{what} (a non-empty text)"),
    "wb.what.probability": ("une probabilité", "a probability"),
    "wb.what.impact": ("un impact", "an impact"),
    "wb.what.days": ("un délai en jours", "a delay in days"),
    "wb.what.risk_id": ("l'identifiant du risque", "the risk's identifier"),
    "wb.what.description": ("la description du risque", "the risk's description"),
    "wb.what.demarche": ("le nom de la démarche", "the procedure's name"),
    "wb.what.year": ("une année du contrat", "a contract year"),
    "wb.what.axis": ("un axe", "an axis"),
    "wb.what.quarter": ("un trimestre", "a quarter"),
    "wb.what.fte": ("un nombre d'ETP", "a number of FTE"),
    "wb.what.unit_cost": ("un coût unitaire en k€ par ETP et par an (ou vide)",
                          "a unit cost in k€ per FTE and year (or blank)"),
    "wb.what.amount": ("un montant en k€", "an amount in k€"),
    # --- command line: incubo template / incubo check --actuals ---
    "wb.cli.error": ("incubo {command} : erreur : {message}", "incubo {command}: error: {message}"),
    "wb.cli.more": ("… et {n} autres", "… and {n} more"),
    "wb.cli.interrupted": ("incubo : interrompu", "incubo: interrupted"),
    "wb.cli.unknown_kind": ("template : modèle inconnu {kind} ; attendu : {kinds}",
                            "template: unknown kind {kind}; expected one of {kinds}"),
    "wb.cli.not_xlsx": ("{path} : le modèle est un classeur Excel ; un nom de fichier finissant par .xlsx "
                        "est attendu",
                        "{path}: the template is an Excel workbook; expected a file name ending in .xlsx"),
    "wb.cli.is_folder": ("{path} : c'est un dossier ; un nom de fichier finissant par .xlsx est attendu",
                         "{path}: is a folder; expected a file name ending in .xlsx"),
    "wb.cli.no_folder": ("{path} : le dossier {folder} n'existe pas ; créez-le d'abord",
                         "{path}: folder {folder} does not exist; create it first"),
    "wb.cli.cannot_write": ("{path} : impossible d'écrire le classeur ({reason})",
                            "{path}: cannot write the workbook ({reason})"),
    "wb.cli.written": ("Classeur des réalisations écrit : {path}", "Actuals workbook written: {path}"),
    "wb.cli.fill": ("Remplissez-le puis vérifiez-le avec : incubo check --actuals {path}",
                    "Fill it in, then check it with: incubo check --actuals {path}"),
    "wb.check.valid": ("Classeur des réalisations valide : {path}", "Valid actuals workbook: {path}"),
    "wb.check.rows": (
        "Lignes lues : {savings} {ns}, {credits} {nc}, {indicators} {ni} ; années couvertes : {span}",
        "Rows read: {savings} {ns}, {credits} {nc}, {indicators} {ni}; years covered: {span}",
    ),
    "wb.check.none": ("aucune", "none"),
    "wb.check.savings": ("Économies (k€) — réalisé / prévu (contrat) :",
                         "Savings (k€) — actual / planned (contract):"),
    "wb.check.no_savings": ("aucune économie déclarée", "no savings reported"),
    "wb.check.year": ("année", "year"),
    "wb.check.etp_freed": ("ETP libérés", "FTE freed"),
    "wb.check.planned_etp": ("ETP prévus", "FTE planned"),
    "wb.check.actual": ("réalisé", "actual"),
    "wb.check.planned": ("prévu", "planned"),
    "wb.check.gap": ("écart", "gap"),
    "wb.check.gap_pct": ("écart %", "gap %"),
    "wb.check.no_credits": ("Crédits consommés : aucun crédit déclaré", "Credits consumed: none reported"),
    "wb.check.credits": (
        "Crédits consommés {y0}–{y1} (k€) — réalisé / prévu sur ces années, part du budget global :",
        "Credits consumed {y0}–{y1} (k€) — actual / planned over those years, share of the total budget:",
    ),
    "wb.check.credit_line": ("  {credit} : {actual} / {planned} ({rate} du prévu), {share} du budget 2018–2022",
                             "  {credit}: {actual} / {planned} ({rate} of plan), {share} of the 2018–2022 budget"),
    "wb.check.indicators": (
        "Indicateurs : {n} valeurs déclarées ; cibles échues : {due} (vert {green}, orange {amber}, "
        "rouge {red}, dont non déclarées {missing})",
        "Indicators: {n} values reported; targets due: {due} (green {green}, amber {amber}, red {red}, "
        "of which not reported {missing})",
    ),
    "wb.check.all_explained": (
        "Explications : tout écart de plus de {threshold} est expliqué (§ 7 du contrat).",
        "Explanations: every gap beyond {threshold} is explained (contract § 7).",
    ),
    "wb.check.missing": (
        "Explications manquantes (écart > {threshold}, § 7 du contrat) : {n}",
        "Missing explanations (gap > {threshold}, contract § 7): {n}",
    ),
    "wb.check.milestones": ("Jalons déclarés : {n} (réalisés : {done}, reprogrammés : {forecast})",
                            "Milestones reported: {n} (done: {done}, rescheduled: {forecast})"),
    "wb.check.no_milestones": ("Jalons : aucun jalon déclaré", "Milestones: none reported"),
    "wb.check.risks": ("Risques au registre : {n} (ouverts : {open}, clos : {closed}) ; score le plus élevé "
                       "(probabilité × impact) parmi les ouverts : {score}",
                       "Risks in the register: {n} (open: {open}, closed: {closed}); highest score "
                       "(probability × impact) among the open ones: {score}"),
    "wb.check.no_open_risk": ("aucun risque ouvert", "no open risk"),
    "wb.check.no_risks": ("Risques : registre vide", "Risks: empty register"),
    "wb.check.references": ("Délais de référence : {names}", "Reference delays: {names}"),
    "wb.check.reference": ("{name} {days} j", "{name} {days} days"),
    "wb.check.list_sep": (" ; ", "; "),
    "wb.check.no_references": ("Délais de référence : aucune démarche", "Reference delays: no procedure"),
    "wb.check.missing_line": ("  - {lever} {year} : écart {gap} ({pct})", "  - {lever} {year}: gap {gap} ({pct})"),
}

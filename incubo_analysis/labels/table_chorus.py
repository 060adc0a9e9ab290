"""Labels of Chorus extracts: amount types, the credits cross-check, messages (fr, en)."""

from __future__ import annotations

from collections.abc import Hashable

LABELS: dict[Hashable, tuple[str, str]] = {
    # Columns of read_chorus_extract and credits_crosscheck.
    "financial_centre": ("Centre financier", "Financial centre"),
    "functional_domain": ("Domaine fonctionnel", "Functional area"),
    "activity": ("Activité", "Activity"),
    "amount_type": ("Type de montant", "Amount type"),
    "posting_date": ("Date comptable", "Posting date"),
    "document": ("Pièce", "Document"),
    "workbook_keur": ("Classeur (k€)", "Workbook (k€)"),
    "chorus_keur": ("Chorus (k€)", "Chorus (k€)"),
    "difference_keur": ("Écart Chorus − classeur (k€)", "Difference Chorus − workbook (k€)"),
    "flagged": ("Écart signalé", "Flagged"),
    "chorus.crosscheck.title": ("Rapprochement des crédits FTAP avec Chorus",
                                "FTAP credits cross-checked with Chorus"),
    # Messages on the extract (read_chorus_extract).
    "chorus.err.no_file": ("{file} : fichier introuvable.", "{file}: file not found."),
    "chorus.err.unreadable": ("{file} : fichier illisible ({reason}).", "{file}: unreadable file ({reason})."),
    "chorus.err.too_big": ("{file} : fichier trop volumineux ({size} octets, au plus {cap}).",
                           "{file}: file too large ({size} bytes, at most {cap})."),
    "chorus.err.encoding": ("{file} : encodage non reconnu (essayés : {encodings}).",
                            "{file}: unrecognised encoding (tried: {encodings})."),
    "chorus.err.sheet": ("{file} : feuille « {sheet} » absente (feuilles : {sheets}).",
                         "{file}: no sheet \"{sheet}\" (sheets: {sheets})."),
    "chorus.err.no_header": (
        "{file} : ligne d'en-tête du tableau introuvable dans les {n} premières lignes "
        "(colonnes attendues : {columns}).",
        "{file}: table header line not found in the first {n} lines (expected columns: {columns}).",
    ),
    "chorus.err.missing_column": (
        "{file}, ligne {line} (en-tête) : colonne « {column} » absente (noms acceptés : {names}).",
        "{file}, line {line} (header): no column \"{column}\" (accepted names: {names}).",
    ),
    "chorus.err.cell": (
        "{file}, ligne {line}, colonne « {column} » : lu « {value} », attendu : {what}.",
        "{file}, line {line}, column \"{column}\": found \"{value}\", expected {what}.",
    ),
    "chorus.err.headline": ("{file} : {n} problème(s) dans l'extraction Chorus.",
                            "{file}: {n} problem(s) in the Chorus extract."),
    "chorus.what.date": ("une date comme {format}", "a date like {format}"),
    "chorus.what.amount": ("un montant (séparateur décimal « {decimal} »)",
                           "an amount (decimal separator \"{decimal}\")"),
    "chorus.what.credit": ("la nature de crédit AE ou CP ({values})", "the credit AE or CP ({values})"),
    "chorus.what.amount_type": ("un type de montant connu ({codes})", "a known amount type ({codes})"),
    "chorus.what.value": ("une valeur", "a value"),
    "chorus.what.any_amount": ("un montant AE ou CP", "an AE or CP amount"),
    "chorus.what.mapping": ("une table de clés", "a mapping of keys"),
    "chorus.what.text": ("un texte non vide", "a non-empty text"),
    "chorus.what.list": ("une liste non vide de textes", "a non-empty list of texts"),
    "chorus.what.int": ("un entier de {low} à {high}", "an integer from {low} to {high}"),
    "chorus.what.one_of": ("l'une des valeurs {choices}", "one of {choices}"),
    "chorus.what.bool": ("true ou false", "true or false"),
    "chorus.what.credits": ("une liste parmi AE, CP", "a list of AE, CP"),
    "chorus.what.char": ("un seul caractère", "a single character"),
    "chorus.what.thousands": ("des séparateurs de milliers autres que « {decimal} »",
                              "thousands separators other than \"{decimal}\""),
    "chorus.what.date_format": ("un format de date strptime (%d.%m.%Y…)", "a strptime date format (%d.%m.%Y…)"),
    "chorus.what.threshold": ("un seuil positif ou nul en k€", "a threshold >= 0 in k€"),
    # Messages on the mapping (load_chorus_mapping).
    "chorus.map.unknown_key": ("{file} : clé inconnue « {key} » (clés acceptées : {keys}).",
                               "{file}: unknown key \"{key}\" (accepted keys: {keys})."),
    "chorus.map.missing_key": ("{file} : clé « {key} » manquante.", "{file}: missing key \"{key}\"."),
    "chorus.map.bad_value": ("{file} : clé « {key} » : lu « {value} », attendu : {what}.",
                             "{file}: key \"{key}\": found \"{value}\", expected {what}."),
    "chorus.map.not_yaml": ("{file} : YAML illisible ({reason}).", "{file}: unreadable YAML ({reason})."),
    # Console summary of `incubo check --chorus`.
    "chorus.summary.title": ("Extraction Chorus {file}", "Chorus extract {file}"),
    "chorus.summary.lines": (
        "{read} lignes de données lues, {activity} sur l'activité {code}, {kept} retenues "
        "(types de montant comptés).",
        "{read} data lines read, {activity} on activity {code}, {kept} kept (amount types counted).",
    ),
    "chorus.summary.year": ("  {year} : AE {ae} ; CP {cp}", "  {year}: AE {ae}; CP {cp}"),
    "chorus.summary.by_year": ("Montants retenus par année :", "Amounts kept by year:"),
    "chorus.summary.nothing": ("Aucune ligne retenue.", "No line kept."),
    "chorus.summary.crosscheck": (
        "Rapprochement avec les crédits FTAP du classeur {file} : {n} trimestre(s) × nature de crédit "
        "avec un écart de plus de {threshold} :",
        "Cross-check with the FTAP credits of the workbook {file}: {n} quarter(s) × credit "
        "with a difference over {threshold}:",
    ),
    "chorus.summary.no_difference": (
        "Rapprochement avec les crédits FTAP du classeur {file} : aucun écart de plus de {threshold}.",
        "Cross-check with the FTAP credits of the workbook {file}: no difference over {threshold}.",
    ),
    "chorus.summary.difference": (
        "  {quarter} {credit} : classeur {workbook}, Chorus {chorus}, écart {difference}",
        "  {quarter} {credit}: workbook {workbook}, Chorus {chorus}, difference {difference}",
    ),
    # The annual report (HTML, Excel annex, Synthèse) with --chorus.
    "chorus.flag": ("Écart > 1 k€", "Difference > 1 k€"),
    "chorus.flag.column": ("Signalement", "Flag"),
    "chorus.none": (
        "Aucune extraction Chorus n'est fournie : les crédits déclarés dans le classeur ne sont pas rapprochés "
        "des montants comptabilisés.",
        "No Chorus extract is given: the credits declared in the workbook are not cross-checked with the "
        "amounts booked.",
    ),
    "chorus.note.flagged": (
        "Écart = Chorus − classeur, crédits FTAP de l'activité 034901011101 « PREF IncubO Dép SIC ». Écarts de "
        "plus de 1 k€ surlignés ({n}) : à expliquer ou à corriger dans le classeur.",
        "Difference = Chorus − workbook, FTAP credits of activity 034901011101 'PREF IncubO Dép SIC'. Differences "
        "over 1 k€ highlighted ({n}): to explain or to correct in the workbook.",
    ),
    "chorus.note.none_flagged": (
        "Écart = Chorus − classeur, crédits FTAP de l'activité 034901011101 « PREF IncubO Dép SIC ». Aucun écart "
        "de plus de 1 k€.",
        "Difference = Chorus − workbook, FTAP credits of activity 034901011101 'PREF IncubO Dép SIC'. No "
        "difference over 1 k€.",
    ),
    "card.chorus": ("Contrôle Chorus", "Chorus cross-check"),
    "card.chorus.value": ("{n} écarts de plus de 1 k€", "{n} differences over 1 k€"),
    "card.chorus.value_one": ("1 écart de plus de 1 k€", "1 difference over 1 k€"),
    "card.chorus.sub": ("Crédits FTAP du classeur face à Chorus jusqu'à {quarter} : {list}",
                        "FTAP credits of the workbook against Chorus up to {quarter}: {list}"),
    "sheet.credits_crosscheck": ("Contrôle Chorus", "Chorus cross-check"),
    "sheet.credits_crosscheck.title": (
        "Crédits FTAP du classeur rapprochés de Chorus par trimestre (écart signalé au-delà de 1 k€)",
        "FTAP credits of the workbook cross-checked with Chorus by quarter (difference flagged over 1 k€)",
    ),
}

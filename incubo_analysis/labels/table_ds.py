"""Labels of démarches-simplifiées exports: states, processing times, messages (fr, en).

Keys ``ds.state.<code>`` name the dossier states, ``ds.col.<column>`` the columns of the
dossier table and of the processing-time tables, ``ds.role.*`` the columns the reader needs
(in its messages), ``ds.msg.*`` the reader's messages (``str.format`` fields), ``ds.chart.*``
the processing-time chart and ``ds.check.*`` the summary of ``incubo check --ds-export``.
"""

from __future__ import annotations

from collections.abc import Hashable

LABELS: dict[Hashable, tuple[str, str]] = {
    # --- dossier states (codes of demarches-simplifiees.fr) ---
    "ds.state.en_construction": ("En construction", "Being completed"),
    "ds.state.en_instruction": ("En instruction", "Under review"),
    "ds.state.accepte": ("Accepté", "Accepted"),
    "ds.state.refuse": ("Refusé", "Refused"),
    "ds.state.sans_suite": ("Classé sans suite", "Closed without action"),
    # --- columns of the dossier table and of the processing-time tables ---
    "ds.col.demarche": ("Démarche", "Procedure"),
    "ds.col.dossier_id": ("Numéro de dossier", "Dossier number"),
    "ds.col.state": ("État du dossier", "Dossier state"),
    "ds.col.deposited_at": ("Déposé le", "Submitted on"),
    "ds.col.instruction_at": ("Passé en instruction le", "Review started on"),
    "ds.col.processed_at": ("Traité le", "Decided on"),
    "ds.col.processing_days": ("Délai de traitement (jours)", "Processing time (days)"),
    "ds.col.period": ("Période", "Period"),
    "ds.col.n_dossiers": ("Dossiers", "Dossiers"),
    "ds.col.n_deposited": ("Dossiers déposés", "Dossiers submitted"),
    "ds.col.n_processed": ("Dossiers traités", "Dossiers decided"),
    "ds.col.median_days": ("Délai médian (jours)", "Median time (days)"),
    "ds.col.p90_days": ("Délai au 90e centile (jours)", "90th percentile time (days)"),
    "ds.col.mean_days_winsorised": ("Délai moyen winsorisé 5–95 % (jours)", "Mean time winsorised 5–95% (days)"),
    "ds.col.reference_days": ("Délai de référence (jours)", "Reference time (days)"),
    "ds.col.reference_source": ("Source du délai de référence", "Source of the reference time"),
    "ds.col.window_start": ("Début de la période de mesure", "Start of the measurement window"),
    "ds.col.window_end": ("Fin de la période de mesure", "End of the measurement window"),
    "ds.col.reduction": ("Réduction du délai", "Reduction of the processing time"),
    "ds.col.reached": ("Réduction de 50 % atteinte", "50% reduction reached"),
    "ds.count_demarches": ("Démarches ayant des dossiers", "Procedures with dossiers"),
    # --- the columns the reader needs, as named in its messages ---
    "ds.role.dossier_id": ("numéro de dossier", "dossier number"),
    "ds.role.state": ("état du dossier", "dossier state"),
    "ds.role.deposited_at": ("date de dépôt", "submission date"),
    "ds.role.instruction_at": ("date de passage en instruction", "review start date"),
    "ds.role.processed_at": ("date de traitement", "decision date"),
    "ds.role.demarche": ("démarche", "procedure"),
    # --- reader messages ---
    "ds.msg.headline": ("{path} : {n} problème", "{path}: {n} problem"),
    "ds.msg.headline_plural": ("{path} : {n} problèmes", "{path}: {n} problems"),
    "ds.msg.where_sheet": ("{path}, feuille « {sheet} »", "{path}, sheet '{sheet}'"),
    "ds.msg.where_cell": ("{where}, ligne {row}, colonne « {column} »", "{where}, row {row}, column '{column}'"),
    "ds.msg.not_found": (
        "{path} : fichier introuvable ; un export démarches-simplifiées (.xlsx, .csv ou .ods) est attendu",
        "{path}: file not found; expected a démarches-simplifiées export (.xlsx, .csv or .ods)",
    ),
    "ds.msg.bad_suffix": (
        "{path} : extension « {suffix} » non prise en charge ; un export .xlsx, .csv ou .ods est attendu",
        "{path}: unsupported extension '{suffix}'; expected an .xlsx, .csv or .ods export",
    ),
    "ds.msg.unreadable": (
        "{path} : illisible comme fichier {kind} ({reason}) ; un export démarches-simplifiées est attendu",
        "{path}: cannot be read as a {kind} file ({reason}); expected a démarches-simplifiées export",
    ),
    "ds.msg.empty": (
        "{where} : aucune ligne d'en-tête ; la première ligne doit porter les en-têtes de l'export (ID, "
        "État du dossier, Déposé le, Traité le…)",
        "{where}: no header row; the first row must hold the export's headers (ID, État du dossier, "
        "Déposé le, Traité le…)",
    ),
    "ds.msg.column_missing": (
        "{where}, ligne 1 : la colonne de la {role} manque ; en-têtes acceptés : {accepted} ; trouvé : {found}",
        "{where}, row 1: the {role} column is missing; accepted headers: {accepted}; found: {found}",
    ),
    "ds.msg.no_demarche": (
        "{cell} : vide ; le nom de la démarche est attendu",
        "{cell}: blank; expected the procedure's name",
    ),
    "ds.msg.bad_id": (
        "{cell} : trouvé {found} ; un numéro de dossier entier positif est attendu",
        "{cell}: found {found}; expected a positive whole dossier number",
    ),
    "ds.msg.duplicate_id": (
        "{cell} : le dossier {id} figure déjà en ligne {first} ; une seule ligne par dossier est attendue",
        "{cell}: dossier {id} is already on row {first}; expected one row per dossier",
    ),
    "ds.msg.duplicate_across": (
        "{where}, ligne {row} : le dossier {id} de la démarche « {demarche} » figure déjà dans {other}, "
        "ligne {first} ({n} dossier(s) de ce fichier y figurent déjà) ; chaque dossier est attendu dans un "
        "seul export : ne donnez pas deux exports des mêmes dossiers",
        "{where}, row {row}: dossier {id} of procedure '{demarche}' is already in {other}, row {first} "
        "({n} dossier(s) of this file already are); expected each dossier in one export only: do not give "
        "two exports of the same dossiers",
    ),
    "ds.msg.bad_state": (
        "{cell} : trouvé {found} ; un état parmi {expected} est attendu",
        "{cell}: found {found}; expected a state among {expected}",
    ),
    "ds.msg.bad_date": (
        "{cell} : trouvé {found} ; une date est attendue (date Excel ou LibreOffice, jj/mm/aaaa hh:mm ou "
        "ISO 8601 aaaa-mm-jj hh:mm)",
        "{cell}: found {found}; expected a date (Excel or LibreOffice date, dd/mm/yyyy hh:mm or ISO 8601 "
        "yyyy-mm-dd hh:mm)",
    ),
    "ds.msg.date_missing": (
        "{cell} : vide ; une date est attendue pour un dossier à l'état « {state} »",
        "{cell}: blank; expected a date for a dossier in state '{state}'",
    ),
    "ds.msg.before_deposit": (
        "{cell} : le {processed} précède le dépôt du {deposited} (colonne « {deposit_column} ») ; une date "
        "de traitement postérieure au dépôt est attendue",
        "{cell}: {processed} is before the submission on {deposited} (column '{deposit_column}'); "
        "expected a decision date after the submission",
    ),
    "ds.msg.references": (
        "délais de référence : colonne(s) {columns} manquante(s) ; colonnes attendues : {expected}",
        "reference times: missing column(s) {columns}; expected columns {expected}",
    ),
    "ds.msg.reference_twice": (
        "délais de référence : la démarche « {demarche} » figure deux fois ; une ligne par démarche est attendue",
        "reference times: procedure '{demarche}' appears twice; expected one row per procedure",
    ),
    "ds.msg.bad_reference": (
        "délais de référence : démarche « {demarche} », trouvé {found} ; un délai en jours supérieur à 0 est "
        "attendu",
        "reference times: procedure '{demarche}', found {found}; expected a time in days above 0",
    ),
    "ds.msg.bad_freq": (
        "période des délais : trouvé {found} ; attendu Q (trimestre), M (mois) ou Y (année)",
        "period of the processing times: found {found}; expected Q (quarter), M (month) or Y (year)",
    ),
    # --- chart of processing times ---
    "ds.chart.title_share": (
        "Délai médian de traitement par trimestre, en % du délai de référence de chaque démarche "
        "(cible : 50 %)",
        "Median processing time per quarter, as a % of each procedure's reference time (target: 50%)",
    ),
    "ds.chart.title_days": (
        "Délai médian de traitement par trimestre, délai de référence de chaque démarche et cible de 50 %",
        "Median processing time per quarter, each procedure's reference time and the 50% target",
    ),
    "ds.chart.ylabel_share": ("Délai médian / délai de référence", "Median time / reference time"),
    "ds.chart.ylabel_days": ("Délai médian de traitement (jours)", "Median processing time (days)"),
    "ds.chart.series": ("{demarche} (référence : {days} j)", "{demarche} (reference: {days} d)"),
    "ds.chart.reference": ("Délai de référence", "Reference time"),
    "ds.chart.target": ("Cible : réduction de 50 %", "Target: 50% reduction"),
    "ds.chart.empty": ("Aucun dossier traité", "No dossier decided"),
    # --- incubo check --ds-export ---
    "ds.check.title": (
        "Exports démarches-simplifiées : {n} fichier(s) valide(s), {dossiers} dossiers",
        "démarches-simplifiées exports: {n} valid file(s), {dossiers} dossiers",
    ),
    "ds.check.file": (
        "  {path} : {n} dossiers ; date de dépôt lue dans « {header} »",
        "  {path}: {n} dossiers; submission date read from '{header}'",
    ),
    "ds.check.table": (
        "Par démarche (délai médian de tous les dossiers traités) :",
        "Per procedure (median time of every decided dossier):",
    ),
    "ds.check.line": (
        "  {demarche} : {n} dossiers, {processed} traités, délai médian {median} jours",
        "  {demarche}: {n} dossiers, {processed} decided, median time {median} days",
    ),
    "ds.check.personal": (
        "Seules les colonnes utiles sont lues : aucune donnée personnelle (courriel, nom, prénom…) n'est reprise.",
        "Only the needed columns are read: no personal data (email, name, first name…) is kept.",
    ),
    # --- the annual report's section on processing times (report_tables with exports) ---
    "ds.none": (
        "Aucun export démarches-simplifiées n'est fourni : le délai de traitement des démarches n'est pas calculé "
        "à partir des dossiers.",
        "No démarches-simplifiées export is given: the procedures' processing time is not computed from the "
        "dossiers.",
    ),
    "ds.ind.item": ("Élément", "Item"),
    "ds.ind.figure": ("Valeur", "Value"),
    "ds.ind.value": ("Valeur calculée à partir des exports démarches-simplifiées",
                     "Value computed from the démarches-simplifiées exports"),
    "ds.ind.typed": ("Valeur saisie dans le classeur (feuille « Indicateurs »)",
                     "Value typed in the workbook (sheet 'Indicators')"),
    "ds.ind.target": ("Cible fin 2021 (contrat § 5.2)", "Target end 2021 (contract § 5.2)"),
    "ds.ind.attainment": ("Taux d'atteinte de la cible", "Attainment of the target"),
    "ds.ind.status": ("Statut", "Status"),
    "ds.ind.references": ("Démarches ayant un délai de référence", "Procedures with a reference time"),
    "ds.ind.references.value": ("{n}, dont {reached} avec une réduction d'au moins 50 %",
                                "{n}, of which {reached} with a reduction of at least 50%"),
    "ds.ind.demarches": ("Démarches distinctes ayant des dossiers dans les exports",
                         "Distinct procedures with dossiers in the exports"),
    "ds.note.indicator": (
        "Source : exports démarches-simplifiées. Pour chaque démarche de la feuille « Délais de référence » du "
        "classeur, réduction = 1 − délai médian des dossiers traités sur les quatre derniers trimestres ÷ délai de "
        "référence ; l'indicateur est la part de ces démarches dont la réduction atteint 50 % (cible : la moitié "
        "des démarches). La valeur calculée remplace celle saisie dans le classeur, rappelée pour comparaison.",
        "Source: démarches-simplifiées exports. For each procedure of the workbook's sheet 'Reference delays', "
        "reduction = 1 − median time of the dossiers decided over the last four quarters ÷ reference time; the "
        "indicator is the share of those procedures whose reduction reaches 50% (target: half of them). The "
        "computed value replaces the one typed in the workbook, shown for comparison.",
    ),
    "ds.note.no_reference": (
        "Le classeur ne donne aucun délai de référence (feuille « Délais de référence ») : l'indicateur ne peut "
        "pas être calculé à partir des exports ; la valeur saisie dans le classeur est conservée.",
        "The workbook gives no reference time (sheet 'Reference delays'): the indicator cannot be computed from "
        "the exports; the value typed in the workbook is kept.",
    ),
    "ds.note.reduction": (
        "Délai médian des dossiers traités de {start} à {end}, comparé au délai d'avant la dématérialisation ; "
        "la réduction de 50 % est atteinte quand le délai médian ne dépasse pas la moitié du délai de référence. "
        "Une démarche sans dossier traité sur la période compte comme non atteinte.",
        "Median time of the dossiers decided from {start} to {end}, compared with the time before "
        "dematerialisation; the 50% reduction is reached when the median time is at most half the reference "
        "time. A procedure without a dossier decided in the window counts as not reached.",
    ),
    "ds.note.indicators": (
        "Réduction du délai de traitement : {value}, calculée à partir des exports démarches-simplifiées "
        "jusqu'à {quarter}, à la place de la valeur saisie dans le classeur ({typed}). Démarches prototypées : "
        "{prototyped} déclarées dans le classeur ; {n} démarches distinctes ont des dossiers dans les exports "
        "fournis.",
        "Reduction of the processing time: {value}, computed from the démarches-simplifiées exports up to "
        "{quarter}, in place of the value typed in the workbook ({typed}). Procedures prototyped: {prototyped} "
        "declared in the workbook; {n} distinct procedures have dossiers in the exports given.",
    ),
    "ds.note.indicators_no_reference": (
        "Démarches prototypées : {prototyped} déclarées dans le classeur ; {n} démarches distinctes ont des "
        "dossiers dans les exports fournis. Sans délai de référence dans le classeur, la réduction du délai de "
        "traitement reste la valeur saisie ({typed}).",
        "Procedures prototyped: {prototyped} declared in the workbook; {n} distinct procedures have dossiers in "
        "the exports given. Without a reference time in the workbook, the reduction of the processing time stays "
        "the typed value ({typed}).",
    ),
    # --- Excel annex: sheet "Délais de traitement" ---
    "sheet.processing_times": ("Délais de traitement", "Processing times"),
    "sheet.processing_times.title": (
        "Délais de traitement par démarche et trimestre de traitement (exports démarches-simplifiées)",
        "Processing times per procedure and quarter of decision (démarches-simplifiées exports)",
    ),
    "header.processing_times.demarche": ("Démarche", "Procedure"),
    "header.processing_times.period": ("Trimestre", "Quarter"),
    "header.processing_times.n_deposited": ("Dossiers déposés", "Dossiers submitted"),
    "header.processing_times.n_processed": ("Dossiers traités", "Dossiers decided"),
    "header.processing_times.median_days": ("Délai médian (jours)", "Median time (days)"),
    "header.processing_times.p90_days": ("Délai au 90e centile (jours)", "90th percentile time (days)"),
    "header.processing_times.mean_days_winsorised": (
        "Délai moyen winsorisé 5–95 % (jours)", "Mean time winsorised 5–95% (days)"),
}

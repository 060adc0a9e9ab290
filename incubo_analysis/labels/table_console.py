"""Labels of the command line: progress lines, summaries, error wording; the explorer's messages (fr, en)."""

from __future__ import annotations

from collections.abc import Hashable

LABELS: dict[Hashable, tuple[str, str]] = {
    # --- output folders refused (incubo_analysis.io): "--out DIR: " + the reason ---
    "out.root": ("est la racine du système de fichiers ; donnez un dossier à part, par exemple out/rapport",
                 "is the root of the file system; give a folder of its own, e.g. out/report"),
    "out.working": ("est le dossier de travail ou l'un de ses parents ; donnez un dossier à part, par exemple "
                    "out/rapport", "is the working folder or one of its parents; give a folder of its own, "
                    "e.g. out/report"),
    "out.project": ("est le dossier du projet ou l'un de ses parents ; donnez un dossier à part, par exemple "
                    "reports/2021", "is the project folder or one of its parents; give a folder of its own, "
                    "e.g. reports/2021"),
    "out.data_raw": ("contient un dossier data/raw (un dossier de projet ?) ; donnez un dossier à part",
                     "holds a data/raw folder (a project folder?); give a folder of its own"),
    "out.parent_file": ("{parent} est un fichier, pas un dossier ; choisissez un autre dossier de sortie",
                        "{parent} is a file, not a folder; choose another output folder"),
    "out.parent_readonly": ("impossible d'écrire dans {parent} (permission refusée) ; choisissez un autre dossier "
                            "de sortie", "cannot write in {parent} (permission denied); choose another output "
                            "folder"),
    "out.symlink": ("est un lien symbolique ; donnez le dossier vers lequel il pointe",
                    "is a symbolic link; give the folder it points to"),
    "out.not_a_folder": ("existe et n'est pas un dossier", "exists and is not a folder"),
    "out.unreadable": ("impossible de lire son contenu ({reason}) ; choisissez un autre dossier",
                       "cannot read what it holds ({reason}); choose another folder"),
    "out.foreign": ("contient {entries}, qu'incubo n'a pas écrit ; choisissez un autre dossier ou déplacez ces "
                    "fichiers", "holds {entries}, which incubo did not write; choose another folder, or move "
                    "these files out"),
    "out.foreign_more": ("contient {entries} et {more} autre(s), qu'incubo n'a pas écrits ; choisissez un autre "
                         "dossier ou déplacez ces fichiers", "holds {entries} and {more} more, which incubo did "
                         "not write; choose another folder, or move these files out"),
    "out.cannot_create_parent": ("impossible de créer {parent} ({reason}) ; choisissez un autre dossier de sortie",
                                 "cannot create {parent} ({reason}); choose another output folder"),
    "out.locked": ("une autre exécution d'incubo écrit ce dossier (attente de {seconds} s) ; réessayez quand elle "
                   "sera terminée, ou choisissez un autre dossier", "another incubo run is writing it (waited "
                   "{seconds} s); try again when it has finished, or choose another folder"),
    "out.cannot_create": ("impossible de créer le dossier ({reason}) ; choisissez un autre dossier de sortie",
                          "cannot create the folder ({reason}); choose another output folder"),
    "check.tables_written": ("Tables écrites dans {folder}/ : {files}", "Tables written to {folder}/: {files}"),
    # --- incubo report: progress (cli.report, outputs.notebook_runs) ---
    "report.progress.notebooks": ("exécution des {n} carnets d'analyse et écriture des tableaux",
                                  "running the {n} analysis notebooks and writing the tables"),
    # --- incubo scenario / montecarlo / sensitivity (cli.model) ---
    "cli.written": ("Fichiers écrits dans {folder} : {files}", "Files written in {folder}: {files}"),
    # --- refusals shared by incubo report and incubo quarterly (incubo_analysis.monitoring.annual) ---
    "run.lang": ("--lang : fr ou en attendu, reçu {value}", "--lang: expected fr or en, got {value}"),
    "run.thresholds": ("seuils : parts entre 0 et 1 attendues, avec orange ≤ vert, reçu seuil d'explication "
                       "{threshold}, vert {green}, orange {amber}",
                       "thresholds: expected shares 0-1 with amber <= green, got threshold={threshold}, "
                       "green={green}, amber={amber}"),
    "run.out_file": ("--out {out} : existe et n'est pas un dossier", "--out {out}: exists and is not a folder"),
    "run.year": ("--year {year} : une année de l'horizon du scénario avec des économies est attendue, "
                 "{first}–{last} ({scenario})",
                 "--year {year}: expected a year of the scenario's horizon with savings, {first}–{last} "
                 "({scenario})"),
    "run.year_unreported": ("{file} : la feuille « Économies » n'a aucune ligne pour l'année {year} (années "
                            "déclarées : {have}) ; remplissez l'année ou choisissez --year parmi elles",
                            "{file}: sheet 'savings' has no row for year {year} (years reported: {have}); "
                            "fill the year or choose --year among them"),
    # --- refusals of incubo scenario / montecarlo / sensitivity (incubo_analysis.cli.model) ---
    "cli.model.skipped": ("{file} : ignoré, ce n'est pas un scénario (lecture des extractions Chorus)",
                          "{file}: skipped, not a scenario (how Chorus extracts are read)"),
    "cli.model.no_file": ("aucun fichier de scénario donné", "no scenario file given"),
    "cli.model.duplicate_name": ("{file} : clé name : le nom de scénario « {name} » est déjà pris par {other} "
                                 "(chaque scénario doit avoir son propre nom)",
                                 "{file}: key 'name': scenario name '{name}' already used by {other} "
                                 "(each scenario needs its own name)"),
    "cli.model.draws": ("--draws : nombre entier entre 1 et {high} attendu, reçu {found}",
                        "--draws: expected a whole number between 1 and {high}, got {found}"),
    "cli.model.seed": ("--seed : nombre entier positif ou nul attendu, reçu {found}",
                       "--seed: expected a whole number >= 0, got {found}"),
    "cli.model.no_uncertainty": ("{file} : clé uncertainty : absente (donnez la loi d'au moins un paramètre, "
                                 "par exemple dans params/uncertainty.yaml)",
                                 "{file}: key 'uncertainty': missing (give at least one parameter's "
                                 "distribution, e.g. params/uncertainty.yaml)"),
    "cli.montecarlo.head": ("Scénario {name} : {draws} tirages, graine {seed}",
                            "Scenario {name}: {draws} draws, seed {seed}"),
    "cli.montecarlo.quantiles": ("  {metric} : P10 {p10} · P50 {p50} · P90 {p90}",
                                 "  {metric}: P10 {p10} · P50 {p50} · P90 {p90}"),
    "cli.montecarlo.probability": ("  Économies cumulées ≥ {keur} – {target} : probabilité {p}",
                                   "  Cumulated savings ≥ {keur} – {target}: probability {p}"),
    "cli.sensitivity.head": ("Scénario {name} : {metric} au scénario central {value}",
                             "Scenario {name}: {metric} at the central scenario {value}"),
    "cli.sensitivity.row": (
        "  {parameter} : de {low} à {high} → {metric} de {at_low} à {at_high} (amplitude {swing})",
        "  {parameter}: from {low} to {high} → {metric} from {at_low} to {at_high} (swing {swing})",
    ),
    # --- incubo check: the contract's reconciliation summary (outputs.tables.reconciliation_summary) ---
    "check.summary.counts": ("Rapprochement du contrat : {n} contrôles — {ok} ok, {rounding} arrondis, "
                             "{mismatch} écarts",
                             "Contract reconciliation: {n} checks — {ok} ok, {rounding} rounding, "
                             "{mismatch} mismatches"),
    "check.summary.check": ("Écart constaté", "Mismatch found"),
    "check.summary.when": ("années", "years"),
    "check.summary.stated": ("imprimé", "printed"),
    "check.summary.computed": ("calculé", "computed"),
    "check.summary.difference": ("écart", "gap"),
    "check.summary.note": ("(montants en k€ ; parts en % ; détail complet dans reconciliation.csv)",
                           "(amounts in k€; shares in %; full detail in reconciliation.csv)"),
    # --- parameter files saved from the explorer (model.params.save_scenario / scenario_file_path) ---
    "save.exists": ("{file} : le fichier existe déjà (cochez « Remplacer s'il existe » pour l'écraser)",
                    "{file}: the file already exists (tick “Replace if it exists” to overwrite it)"),
    "save.bad_name": ("nom de fichier {file} : lettres, chiffres, « _ » ou « - » attendus (64 au plus), "
                      "éventuellement suivis de .yaml, sans dossier",
                      "file name {file}: expected letters, digits, '_' or '-' (at most 64), "
                      "optionally ending in .yaml, without a folder"),
    "save.baseline": ("nom de fichier {file} : le scénario de référence du contrat (params/baseline.yaml) "
                      "n'est jamais remplacé ; choisissez un autre nom",
                      "file name {file}: the contract baseline (params/baseline.yaml) is never overwritten; "
                      "choose another name"),
    "save.not_scenario": ("nom de fichier {file} : ce fichier de params/ n'est pas un scénario (il règle la "
                          "lecture des extractions Chorus) ; choisissez un autre nom",
                          "file name {file}: this file of params/ is not a scenario (it sets how Chorus extracts "
                          "are read); choose another name"),
    "save.is_folder": ("{file} : c'est un dossier, un nom de fichier est attendu",
                       "{file}: is a folder, expected a file name"),
    "save.no_folder": ("{file} : le dossier « {folder} » n'existe pas", "{file}: folder “{folder}” does not exist"),
    # --- the explorer's own texts (outputs.explorer) ---
    "explorer.placeholder": ("Exécutez la cellule pour afficher l'explorateur.",
                             "Run the cell to show the explorer."),
    "explorer.alt": ("Graphique « {title} » ; les indicateurs du scénario exploré sont dans le tableau "
                     "sous les graphiques.",
                     "Chart “{title}”; the explored scenario's metrics are in the table below the charts."),
    "explorer.saved_comment": (
        "Enregistré depuis l'explorateur de scénarios (notebooks/00_explorer.ipynb) : "
        "clés différentes du contrat.",
        "Saved from the scenario explorer (notebooks/00_explorer.ipynb): keys differing from the contract.",
    ),
}

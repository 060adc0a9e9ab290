"""Labels of the command line: progress lines, summaries, error wording; the explorer's messages (fr, en)."""

from __future__ import annotations

from collections.abc import Hashable

LABELS: dict[Hashable, tuple[str, str]] = {
    "check.tables_written": ("Tables écrites dans {folder}/ : {files}", "Tables written to {folder}/: {files}"),
    # --- incubo report: progress (cli.report, outputs.notebook_runs) ---
    "report.progress.notebooks": ("exécution des {n} carnets d'analyse et écriture des tableaux",
                                  "running the {n} analysis notebooks and writing the tables"),
    # --- incubo scenario / montecarlo / sensitivity (cli.model) ---
    "cli.written": ("Fichiers écrits dans {folder} : {files}", "Files written in {folder}: {files}"),
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

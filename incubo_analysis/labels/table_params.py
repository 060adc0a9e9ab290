"""Labels of the scenario loader's refusals (incubo_analysis.model.params) (fr, en).

A refusal reads ``SOURCE : clé KEY : WHAT`` (``param.source`` around ``param.at_key`` or
``param.at_line`` around one of the ``param.*`` reasons). The YAML keys stay as the user
types them (``realisation_rate``, ``low``, ``weights``); figures are written in the reader's
way by the loader. Messages of other programs (the YAML parser, the system) are quoted.
"""

from __future__ import annotations

from collections.abc import Hashable

LABELS: dict[Hashable, tuple[str, str]] = {
    # --- where ---
    "param.source": ("{source} : {what}", "{source}: {what}"),
    "param.at_key": ("clé {key} : {what}", "key {key}: {what}"),
    "param.at_line": ("ligne {line}, colonne {column} : {what}", "line {line}, column {column}: {what}"),
    "param.top_level": ("(premier niveau)", "(top level)"),
    "param.scenario": ("scénario {name}", "scenario {name}"),
    # --- values shown in a message ---
    "param.value.null": ("vide (null)", "None"),
    "param.value.big_int": ("un entier d'environ {digits} chiffres", "an integer of about {digits} digits"),
    "param.kind.list": ("une liste", "list"),
    "param.kind.text": ("un texte", "str"),
    "param.kind.number": ("un nombre", "number"),
    "param.kind.other": ("une valeur simple", "value"),
    # --- the file ---
    "param.file.not_found": ("fichier introuvable", "file not found"),
    "param.file.folder": ("c'est un dossier, un fichier YAML est attendu", "is a folder, expected a YAML file"),
    "param.file.unreadable": ("lecture impossible (« {reason} »)", "cannot read ({reason})"),
    "param.file.too_large": ("fichier de plus de {kib} Kio (un fichier de paramètres tient en quelques dizaines "
                             "de valeurs)", "file larger than {kib} KiB (a parameter file holds a few dozen values)"),
    "param.file.not_utf8": ("pas un texte UTF-8 (octet {byte})", "not UTF-8 text (byte {byte})"),
    # --- reading the YAML ---
    "param.yaml.anchor": ("ancre ou alias YAML (& ou *) refusé : écrivez chaque valeur en entier",
                          "YAML anchor or alias (& or *) refused: write each value out in full"),
    "param.yaml.tag": ("étiquette YAML {tag} refusée (valeurs simples seulement ; rien n'est exécuté dans un "
                       "fichier de paramètres)", "YAML tag {tag} refused (plain values only; nothing in a parameter "
                       "file is executed)"),
    "param.yaml.nodes": ("plus de {n} valeurs dans le fichier", "more than {n} values in the file"),
    "param.yaml.items": ("plus de {n} éléments dans une même liste ou table",
                         "more than {n} items in one list or mapping"),
    "param.yaml.scalar": ("une valeur de plus de {n} caractères", "a value of more than {n} characters"),
    "param.yaml.depth": ("listes ou tables imbriquées sur plus de {n} niveaux",
                         "lists or mappings nested more than {n} deep"),
    "param.yaml.too_deep": ("listes ou tables imbriquées trop profondément", "lists or mappings nested too deep"),
    "param.yaml.invalid_value": ("valeur non valide {value} (« {reason} »)", "invalid value {value}: {reason}"),
    "param.yaml.int_digits": ("un entier de plus de {n} chiffres", "an integer of more than {n} digits"),
    "param.yaml.key_not_scalar": ("une clé doit être une valeur simple (un nom ou une année), pas une liste ni "
                                  "une table", "a key must be a plain value (a name or a year), not a list or "
                                  "a mapping"),
    "param.yaml.duplicated": ("clé {key} en double", "duplicated key {key}"),
    "param.yaml.syntax": ("erreur de syntaxe YAML (message de l'analyseur : « {detail} »)",
                          "YAML syntax error: {detail}"),
    # --- keys ---
    "param.unknown_parameter": ("paramètre inconnu (clés admises : {allowed})",
                                "unknown parameter (allowed: {allowed})"),
    "param.top_not_mapping": ("un tableau de paramètres (clé : valeur) attendu au premier niveau, reçu {kind}",
                              "expected a mapping of parameters at the top level, got {kind}"),
    "param.unknown_lever": ("levier inconnu (clés admises : {allowed})", "unknown lever (allowed: {allowed})"),
    "param.year_key": ("une année (entier {low}-{high}) attendue comme clé",
                       "expected a year (integer {low}-{high}) as key"),
    "param.not_uncertain": ("paramètre non incertain (paramètres scalaires : {allowed})",
                            "not an uncertain parameter (scalar parameters: {allowed})"),
    "param.invalid_key": ("clé non valide", "invalid key"),
    "param.unknown_key": ("clé inconnue", "unknown key"),
    "param.dist_kind": ("une des lois {kinds} attendue, reçu {got}", "expected one of {kinds}, got {got}"),
    "param.dist_field": ("champ inconnu pour une loi {dist} (champs admis : {allowed})",
                         "unknown field of a {dist} distribution (allowed: {allowed})"),
    "param.missing": ("manquant", "missing"),
    "param.non_empty": ("valeur non vide attendue", "expected a non-empty value"),
    "param.non_empty_text": ("texte non vide attendu", "expected a non-empty text"),
    "param.too_long_chars": ("au plus {n} caractères attendus", "expected at most {n} characters"),
    "param.too_long_items": ("au plus {n} éléments attendus", "expected at most {n} items"),
    "param.invalid_value": ("valeur non valide, reçu {got}", "invalid value, got {got}"),
    # --- values ---
    "param.want.mapping": ("tableau clé : valeur attendu, reçu {got}", "expected a mapping, got {got}"),
    "param.want.list": ("liste attendue, reçu {got}", "expected a list, got {got}"),
    "param.want.text": ("texte attendu, reçu {got}", "expected a text, got {got}"),
    "param.want.year": ("année entière attendue, reçu {got}", "expected an integer year, got {got}"),
    "param.want.number": ("nombre attendu, reçu {got}", "expected a number, got {got}"),
    "param.want.between": ("nombre entre {low} et {high} attendu, reçu {got}",
                           "expected a number between {low} and {high}, got {got}"),
    "param.want.non_negative": ("nombre ≥ 0 attendu, reçu {got}", "expected a number >= 0, got {got}"),
    "param.want.year_between": ("année entre {low} et {high} attendue, reçu {got}",
                                "expected a year between {low} and {high}, got {got}"),
    "param.want.text_no_surrogate": ("texte sans caractère de substitution isolé attendu, un trouvé au caractère {n}",
                                     "expected text without lone surrogates, got one at character {n}"),
    "param.year_twice": ("la même année est donnée deux fois ({first} et {second})",
                         "the same year is given twice ({first} and {second})"),
    # --- checks of the scenario as a whole ---
    "param.at_least_field": ("nombre ≥ {field} ({bound}) attendu, reçu {got}",
                             "expected a number >= {field} ({bound}), got {got}"),
    "param.weights_count": ("{n} poids attendus (un par valeur), reçu {got}",
                            "expected {n} weights (one per value), got {got}"),
    "param.weights_zero": ("au moins un poids > 0 attendu, tous sont nuls",
                           "expected at least one weight > 0, got all zero"),
    "param.missing_levers": ("levier(s) manquant(s) {levers}", "missing lever(s) {levers}"),
    "param.base_year_max": ("année entre {low} et {high} attendue (l'année de la doctrine FTAP, que toute évaluation "
                            "calcule), reçu {got}", "expected a year between {low} and {high} (the FTAP doctrine "
                            "year, evaluated by every appraisal), got {got}"),
    "param.horizon_before_base": ("année ≥ base_year ({base}) attendue, reçu {got}",
                                  "expected a year >= base_year ({base}), got {got}"),
    "param.horizon_too_long": ("au plus {n} ans après base_year ({base}) attendu, reçu {got}",
                               "expected at most {n} years after base_year ({base}), got {got}"),
    "param.phasing_empty": ("au moins une année attendue", "expected at least one year"),
    "param.phasing_falls": ("part ≥ celle de {year} ({share}) attendue (le régime atteint ne peut pas baisser), "
                            "reçu {got}", "expected a share >= the share of {year} ({share}) (the run rate reached "
                            "cannot fall), got {got}"),
    "param.want.in_range": ("nombre dans [{low} ; {high}] attendu, reçu {got}",
                            "expected a number in [{low}, {high}], got {got}"),
    "param.sd_too_wide": ("nombre dans [0 ; {width}] attendu (la largeur du domaine du paramètre), reçu {got}",
                          "expected a number in [0, {width}] (the width of the parameter's domain), got {got}"),
    "param.dist_outside": ("valeurs dans [{low} ; {high}] attendues, reçu [{got_low} ; {got_high}]",
                           "expected values in [{low}, {high}], got [{got_low}, {got_high}]"),
}

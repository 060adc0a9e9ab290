"""Labels of the savings ledger: natures, programmes, documented savings (fr, en).

Keys ``ledger.*`` name the ledger's codes (``ledger.nature.*``, ``ledger.class.*``,
``ledger.basis.*``) and its texts (the card, the Synthèse rows, the note on the difference
between a budget saving and a productivity gain). The ledger's column names (``nature``,
``documented``, ``justificatif``, ``saving_class``, ``basis``, ``cum_actual_keur``,
``cum_share``) are bare keys, as every tidy table's columns (``relabel`` looks them up by
name); one that the workbook's table already defines is left to it. The report's own
mechanisms fix three prefixes: ``nb.<cell id>`` (the markdown cells of notebook 04 added
for the ledger), ``table.<key>`` (a display table's title) and ``sheet.<key>`` (an annex sheet).
"""

# ruff: noqa: E501  (the notebook's markdown cells are kept verbatim, one string per cell)
from __future__ import annotations

from collections.abc import Hashable

from incubo_analysis.labels import table_workbook

#: The one sentence on the difference (the note under the table, the card, the notebook).
_DIFFERENCE = (
    "Une économie budgétaire se voit dans le schéma d'emplois d'un programme (poste supprimé ou "
    "non remplacé) ; un gain de productivité libère du temps d'agent sans réduire le budget.",
    "A budget saving shows in a programme's staffing plan (schéma d'emplois: a post cut or not "
    "replaced); a productivity gain frees agents' time without a budget cut.",
)

# Column names of the ledger's tables (bare keys, see the module docstring).
_COLUMNS: dict[Hashable, tuple[str, str]] = {
    "nature": ("Nature de l'économie", "Nature of the saving"),
    "documented": ("Économie budgétaire documentée", "Documented budget saving"),
    "justificatif": ("Justificatif", "Evidence (justificatif)"),
    "saving_class": ("Catégorie d'économie", "Class of saving"),
    "basis": ("Base de la répartition", "Basis of the split"),
    "cum_actual_keur": ("Cumul réalisé (k€)", "Realised, cumulated (k€)"),
    "cum_share": ("Part du cumul", "Share of the cumulated total"),
}

LABELS: dict[Hashable, tuple[str, str]] = {
    **{k: v for k, v in _COLUMNS.items() if k not in table_workbook.LABELS},
    # --- natures of a realised saving (the workbook's codes) ---
    "ledger.nature.post_cut": ("Suppression de poste", "Post cut"),
    "ledger.nature.non_replacement": ("Non-remplacement", "Non-replacement"),
    "ledger.nature.redeployment": ("Redéploiement", "Redeployment"),
    "ledger.nature.productivity": ("Gain de productivité", "Productivity gain"),
    # --- classes of classify_savings ---
    "ledger.class.documented_budget": ("Économies budgétaires documentées", "Documented budget savings"),
    "ledger.class.productivity": ("Gains de productivité (sans économie budgétaire)",
                                  "Productivity gains (no budget saving)"),
    "ledger.class.undocumented": ("Économies non documentées", "Undocumented savings"),
    # --- basis of a programme split row ---
    "ledger.basis.observed": ("Observée", "Observed"),
    "ledger.basis.indicative_thirds": ("Tiers indicatifs (contrat § 3)", "Indicative thirds (contract § 3)"),
    # --- texts ---
    "ledger.difference": _DIFFERENCE,
    "ledger.note": (
        _DIFFERENCE[0] + " Documentée : suppression de poste ou non-remplacement avec un justificatif "
        "cité dans le classeur ; non documentée : nature non renseignée, ou nature budgétaire sans justificatif.",
        _DIFFERENCE[1] + " Documented: a post cut or non-replacement with evidence cited in the workbook; "
        "undocumented: no nature given, or a budget nature without evidence.",
    ),
    "ledger.total": ("Total réalisé", "Total realised"),
    "ledger.card": ("Économies budgétaires documentées {year}", "Documented budget savings {year}"),
    "ledger.card.sub": ("productivité {productivity} · non documentées {undocumented}",
                        "productivity {productivity} · undocumented {undocumented}"),
    "ledger.summary.documented_budget": ("Économies budgétaires documentées {year}",
                                         "Documented budget savings {year}"),
    "ledger.summary.productivity": ("Gains de productivité {year} (sans économie budgétaire)",
                                    "Productivity gains {year} (no budget saving)"),
    "ledger.summary.undocumented": ("Économies non documentées {year}", "Undocumented savings {year}"),
    "ledger.error.nature": (
        "économies : nature {value!r} en ligne {row} ({more} autre(s)) ; attendu l'un des codes {codes} ou vide",
        "savings: nature {value!r} on row {row} ({more} other(s)); expected one of {codes} or blank",
    ),
    # --- the display table, the annex sheet, the notebook's markdown cells (fixed prefixes) ---
    "table.savings_evidence": (
        "Économies réalisées selon leur justification, {year} et cumul depuis le début du contrat",
        "Realised savings by evidence, {year} and cumulated since the start of the contract",
    ),
    "sheet.savings_by_evidence": ("Économies par justification", "Savings by evidence"),
    "sheet.savings_by_evidence.title": (
        "Économies réalisées : budgétaires documentées, gains de productivité, non documentées",
        "Realised savings: documented budget savings, productivity gains, undocumented",
    ),
    "nb.04-08a": (
        "## Économies budgétaires documentées, gains de productivité, économies non documentées\n\n"
        + _DIFFERENCE[0]
        + " Une économie est **documentée** quand sa nature est une suppression de poste ou un non-remplacement et qu'un justificatif est cité dans le classeur (décision de schéma d'emplois, compte rendu de dialogue de gestion…). Les redéploiements et gains de productivité sont comptés à part : ils ne réduisent pas les crédits. Une ligne sans nature, ou de nature budgétaire sans justificatif, reste **non documentée**.",
        "## Documented budget savings, productivity gains, undocumented savings\n\n"
        + _DIFFERENCE[1]
        + " A saving is **documented** when its nature is a post cut or a non-replacement and evidence is cited in the workbook (a staffing-plan decision, the minutes of a management dialogue…). Redeployments and productivity gains are counted apart: they cut no appropriations. A row with no nature, or with a budget nature but no evidence, stays **undocumented**.",
    ),
    "nb.04-15a": (
        "## Répartition par programme budgétaire\n\nContrat § 3 : la répartition définitive par programme « ne pourra se constater qu'a posteriori ». Les économies dont le classeur nomme le programme lui sont attribuées (répartition **observée**) ; seules les lignes sans programme sont réparties selon la clé indicative du contrat, « un tiers pour le ministère de l'Intérieur, un tiers pour la DREAL et un tiers sur l'ensemble des autres BOP » (**tiers indicatifs**).",
        "## Split by budget programme\n\nContract § 3: the final split by programme \"can only be observed a posteriori\". Savings whose programme the workbook names are attributed to it (**observed** split); only the rows without a programme are split by the contract's indicative key, \"one third for the Ministry of the Interior, one third for the DREAL and one third across all the other BOPs\" (**indicative thirds**).",
    ),
}

"""Labels of the reconciliation checks' descriptions (incubo_analysis.contract.reconcile) (fr, en).

The fields are filled in the reader's language by the check: ``{axis}`` a number,
``{label}`` and ``{printed}`` the contract's printed labels (transcribed, French in both
languages), ``{lever}`` the lever's short label, figures formatted in the reader's way.
"""

from __future__ import annotations

from collections.abc import Hashable

_NB = "\u00a0"  # no-break space between a figure and its unit

LABELS: dict[Hashable, tuple[str, str]] = {
    # --- who a printed total covers ---
    "reconcile.axis": ("Axe {axis}", "Axis {axis}"),
    "reconcile.whole_project": ("Ensemble du projet", "Whole project"),
    # --- financing plan (contract § 2) ---
    "reconcile.total_vs_lines": ("{where} · {label} · {year} {credit} : somme des lignes",
                                 "{where} · {label} · {year} {credit}: sum of the lines"),
    "reconcile.total_vs_subtotals": (
        "{where} · {label} · {year} {credit} : somme des sous-totaux imprimés ({printed})",
        "{where} · {label} · {year} {credit}: sum of the printed subtotals ({printed})"),
    "reconcile.quoted": ("« {text} »", "“{text}”"),
    # --- savings table (contract § 3) ---
    "reconcile.savings_total": ("Économies · {label} · {year} {credit} : somme des leviers",
                                "Savings · {label} · {year} {credit}: sum of the levers"),
    "reconcile.savings_lever": (
        "Économies · levier {lever} ({etp}" + _NB + "ETP) · {year} {credit} : ETP × {unit_cost}" + _NB
        + "k€ × phasage ({share})",
        "Savings · lever {lever} ({etp}" + _NB + "FTE) · {year} {credit}: FTE × {unit_cost}" + _NB
        + "k€ × phasing ({share})"),
    # --- figures of the text against the tables ---
    "reconcile.ftap_request_axis": (
        "Demande FTAP axe {axis} (texte § 2) vs lignes FTAP de l'axe (CP 2018-2022)",
        "FTAP request, axis {axis} (text § 2) vs the axis's FTAP lines (CP 2018-2022)"),
    "reconcile.detail": ("{what} (texte § 2) vs lignes FTAP (CP)", "{what} (text § 2) vs FTAP lines (CP)"),
    "reconcile.detail.ftap_axis1_t3_services": ("Axe 1 · prestations T3 de dématérialisation",
                                                "Axis 1 · T3 dematerialisation services"),
    "reconcile.detail.ftap_axis1_t3_other": ("Axe 1 · autres dépenses T3 (communication, déplacements...)",
                                             "Axis 1 · other T3 spending (communication, travel...)"),
    "reconcile.detail.ftap_axis2_t3_services": ("Axe 2 · développement d'outils et services (T3)",
                                                "Axis 2 · development of tools and services (T3)"),
    "reconcile.detail.ftap_axis3_t6": ("Axe 3 · subvention FING (T6)", "Axis 3 · FING grant (T6)"),
    "reconcile.detail.ftap_axis3_t3": ("Axe 3 · dépenses T3", "Axis 3 · T3 spending"),
    "reconcile.detail.ftap_axis4_t6": ("Axe 4 · subvention Mednum (T6)", "Axis 4 · Mednum grant (T6)"),
    "reconcile.detail.ftap_axis4_t3": ("Axe 4 · dépenses T3", "Axis 4 · T3 spending"),
    "reconcile.ftap_total": ("Demande FTAP totale « 1,2 million » vs lignes FTAP (CP)",
                             "Total FTAP request “1.2 million” vs FTAP lines (CP)"),
    "reconcile.global_cost_lines": ("Coût global « 2,7 millions » vs somme des lignes (CP 2018-2022)",
                                    "Overall cost “2.7 million” vs sum of the lines (CP 2018-2022)"),
    "reconcile.global_cost_printed": (
        "Coût global « 2,7 millions » vs ligne imprimée « Coût total » (CP 2018-2022)",
        "Overall cost “2.7 million” vs the printed row “Coût total” (CP 2018-2022)"),
    "reconcile.ftap_share_lines": ("Part FTAP « 46 % » vs lignes FTAP / somme des lignes (CP)",
                                   "FTAP share “46%” vs FTAP lines / sum of the lines (CP)"),
    "reconcile.ftap_share_printed": (
        "Part FTAP « 46 % » vs lignes FTAP / ligne imprimée « Coût total » (CP)",
        "FTAP share “46%” vs FTAP lines / the printed row “Coût total” (CP)"),
    "reconcile.referents": (
        "Axe {axis} · référents innovation : part des directions régionales « 28 % » vs lignes (CP 2018-2022)",
        "Axis {axis} · innovation referents: regional directorates' share “28%” vs lines (CP 2018-2022)"),
    "reconcile.savings_etp": ("32 ETP de catégorie B (texte § 3) vs somme des ETP des leviers",
                              "32 category-B FTE (text § 3) vs sum of the levers' FTE"),
    "reconcile.unit_cost": ("57 k€/an par ETP (texte § 3) vs total 2022 du tableau / 32 ETP",
                            "57 k€/year per FTE (text § 3) vs the table's 2022 total / 32 FTE"),
    "reconcile.programme_split": (
        "Répartition par programme (1/3 Intérieur, 1/3 DREAL, 1/3 autres BOP) : total",
        "Split by budget programme (1/3 Interior, 1/3 DREAL, 1/3 other BOPs): total"),
    "reconcile.savings_total_text": (
        "Économies « 1,3 M€ » (§ 5.2) vs total du tableau des économies 2019-2022 (CP)",
        "Savings “1.3 M€” (§ 5.2) vs total of the savings table 2019-2022 (CP)"),
}

"""Labels of the Excel annex: headers of its own, units, provenance keys (fr, en).

Sheet names and titles (``sheet.*``) and the headers shared with other outputs live in
``table_base``; here are only the texts the annex alone shows.
"""

from __future__ import annotations

from collections.abc import Hashable

LABELS: dict[Hashable, tuple[str, str]] = {
    # --- headers the annex words differently (checked before the shared column label) ---
    # a share is formatted "0.0 %": the header does not repeat the "%"
    "header.excel.variance_pct": ("Écart relatif", "Relative variance"),
    # --- unit cells (the Synthèse's and the reconciliation's "Unité" column) ---
    "excel.unit.ETP": ("ETP", "FTE"),
    "excel.unit.etp": ("ETP", "FTE"),
    "excel.unit.k€/ETP/an": ("k€/ETP/an", "k€/FTE/year"),
    "excel.unit.keur": ("k€", "k€"),
    # --- the Provenance sheet: keys in words ---
    "provenance.incubo-analysis": ("Version d'incubo-analysis", "incubo-analysis version"),
    "provenance.command": ("Commande", "Command"),
    "provenance.year": ("Année du rapport", "Report year"),
    "provenance.lang": ("Langue", "Language"),
    "provenance.lang.fr": ("français", "French"),
    "provenance.lang.en": ("anglais", "English"),
    "provenance.scenario": ("Scénario du prévu", "Plan scenario"),
    "provenance.explanation_threshold": ("Seuil d'explication des écarts", "Gap explanation threshold"),
    "provenance.sha256": ("Empreinte SHA-256 : {path}", "SHA-256 fingerprint: {path}"),
    "provenance.version": ("Version de {name}", "{name} version"),
    "provenance.python": ("Version de Python", "Python version"),
}

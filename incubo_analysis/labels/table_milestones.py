"""Labels of the contract's milestones (annex III) and their statuses (fr, en).

Column names and codes of :data:`incubo_analysis.contract.schema.MILESTONE_COLUMNS`,
``MILESTONE_KINDS``, ``QUARTER_SOURCES`` and of
:data:`incubo_analysis.monitoring.milestones.MILESTONE_STATUS_COLUMNS` / ``MILESTONE_STATUSES``;
texts of the milestone views under ``milestones.*``. The actions themselves are the contract's
printed French text (shown as such in both languages).
"""

from __future__ import annotations

from collections.abc import Hashable

LABELS: dict[Hashable, tuple[str, str]] = {
    # --- columns of milestones.csv / load_milestones() ---
    "milestone_id": ("Jalon", "Milestone"),
    "action": ("Action", "Action"),  # column name and milestone_kind code
    "planned_start": ("Début prévu (trimestre)", "Planned start (quarter)"),
    "planned_end": ("Fin prévue (trimestre)", "Planned end (quarter)"),
    "quarter_source": ("Origine des trimestres", "Source of the quarters"),
    "milestone_kind": ("Nature", "Type"),
    "key_milestone": ("jalon clé", "key milestone"),
    "printed": ("imprimé", "printed"),
    "derived": ("déduit", "derived"),
    # --- columns of the status table (monitoring.milestones) ---
    "done_on": ("Date de réalisation", "Date completed"),
    "forecast_on": ("Nouvelle échéance prévue", "Revised due date"),
    # --- statuses ---
    "done": ("réalisé", "done"),
    "on_time": ("à l'heure", "on time"),
    "late": ("en retard", "late"),
    "rescheduled": ("reprogrammé", "rescheduled"),
    # --- texts of the milestone views ---
    "milestones.title": ("Jalons du calendrier prévisionnel (annexe III)",
                         "Milestones of the planned calendar (annex III)"),
    "milestones.status_title": ("État des jalons à la fin du trimestre {quarter}",
                                "Milestones at the end of quarter {quarter}"),
    "milestones.no_planned_end": ("sans échéance déductible du contrat",
                                  "no due date derivable from the contract"),
    "milestones.summary": ("{done} réalisés, {late} en retard, {rescheduled} reprogrammés, {on_time} à l'heure",
                           "{done} done, {late} late, {rescheduled} rescheduled, {on_time} on time"),
}

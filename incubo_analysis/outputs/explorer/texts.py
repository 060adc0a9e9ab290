"""Texts of the explorer: its own user-interface labels, metric values and the metrics table as HTML.

Reader-facing texts that have an entry in :mod:`incubo_analysis.outputs.labels` come
from there; :data:`TEXTS` holds the few that belong to the explorer only.
"""

from __future__ import annotations

import html
import math

from incubo_analysis.outputs import labels as L
from incubo_analysis.outputs import style as S

__all__ = [
    "TEXTS", "OK_STYLE", "ERROR_STYLE", "SAVE_COMMENT", "text", "clean_message", "total_text",
    "total_fontsize", "format_metric", "metrics_html", "styled",
]

#: User-interface texts that have no entry in :mod:`incubo_analysis.outputs.labels`: key -> (fr, en).
TEXTS: dict[str, tuple[str, str]] = {
    "title": ("Explorateur de scénarios Incub-O", "Incub-O scenario explorer"),
    "intro": (
        "Déplacez un curseur : les graphiques et les indicateurs se mettent à jour. "
        "La colonne « Référence (contrat) » rappelle le scénario du contrat.",
        "Move a slider: the charts and the metrics update. "
        "The “Baseline (contract)” column recalls the contract's scenario.",
    ),
    "group.savings": ("Économies", "Savings"),
    "group.etp": ("ETP libérés par levier (régime de croisière)", "FTE freed per lever (run rate)"),
    "group.appraisal": ("Évaluation", "Appraisal"),
    "metrics": ("Indicateurs d'évaluation", "Appraisal metrics"),
    "explored": ("Scénario exploré", "Explored scenario"),
    "save.title": ("Enregistrer comme fichier de paramètres", "Save as a parameter file"),
    "save.filename": ("Fichier (dans params/)", "File (in params/)"),
    "save.description": ("Description", "Description"),
    "save.overwrite": ("Remplacer s'il existe", "Replace if it exists"),
    "save.button": ("Enregistrer", "Save"),
    "save.done": (
        "Enregistré : {path}. À utiliser avec : incubo scenario {path} --out DOSSIER",
        "Saved: {path}. Use it with: incubo scenario {path} --out FOLDER",
    ),
    "save.refused": ("Enregistrement refusé : {message}", "Not saved: {message}"),
    "save.oserror": ("Écriture impossible : {message}", "Cannot write: {message}"),
    "reset": ("Revenir au scénario de départ", "Back to the starting scenario"),
    "refused": ("Valeur refusée : {message}", "Value refused: {message}"),
    "internal": ("Erreur inattendue ({kind}) : {message}", "Unexpected error ({kind}): {message}"),
}

#: Inline CSS of a success message and of an error message.
OK_STYLE = "color:#18753C"
ERROR_STYLE = "color:#CE0500;font-weight:bold"
#: First line (a YAML comment) of a parameter file saved from the explorer.
SAVE_COMMENT = "Saved from the scenario explorer (notebooks/00_explorer.ipynb): keys differing from the contract."


def text(key: str, lang: str) -> str:
    """The explorer's text ``key`` in ``lang`` ("fr" or "en").

    Examples
    --------
    >>> text("save.button", "fr"), text("save.button", "en")
    ('Enregistrer', 'Save')
    """
    return TEXTS[key][L.check_lang(lang)]


def styled(message: str, style: str) -> str:
    """A message as an HTML ``<span>`` with an inline style, escaped."""
    return f'<span style="{style}">{html.escape(message)}</span>'


def clean_message(exc: BaseException) -> str:
    """The user-facing message of an error, without the internal ``<replace>:`` source.

    Examples
    --------
    >>> clean_message(ValueError("<replace>: key 'x': bad"))
    "key 'x': bad"
    """
    message = str(exc)
    for prefix in ("<replace>: ", "<parameters>: "):
        message = message.removeprefix(prefix)
    return message


def total_text(value: float, lang: str) -> str:
    """A yearly total above its bar (k€): whole k€ from 100 k€ (narrow charts), else 1 decimal at most.

    Examples
    --------
    >>> total_text(1094.4, "fr") == "1\u202f094", total_text(68.4, "fr"), total_text(68.0, "fr")
    (True, '68,4', '68')
    """
    if abs(value) >= 100:
        return L.fmt_number(value, 0, lang)
    decimals = 0 if abs(round(value) - value) < 1e-9 * max(1.0, abs(value)) else 1
    return L.fmt_number(value, decimals, lang)


def total_fontsize(n_years: int) -> float:
    """Font size (pt) of the yearly totals, smaller when many years share the width."""
    return S.FONT_SIZE if n_years <= 6 else S.FONT_SIZE - 2 if n_years <= 9 else S.FONT_SIZE - 4


def format_metric(metric: str, value: float, lang: str) -> str:
    """A metric value as the reader expects it (k€, ratio, year, share as %, years, yes/no).

    Examples
    --------
    >>> format_metric("roi_ftap", 1.5694, "fr"), format_metric("payback_year_ftap", 2021.0, "fr")
    ('1,57', '2021')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return L.MISSING
    if metric.startswith("payback_year") or metric == "ftap_doctrine_year":
        return L.fmt_year(value, lang)
    if metric == "ftap_doctrine_met":
        return L.label(bool(value), lang)
    if metric.startswith("switch_realisation"):
        return L.fmt_pct(value, 1, lang)
    if metric.startswith("switch_unit_cost"):
        return L.fmt_keur(value, 1, lang)
    if metric.startswith("switch_delay"):
        return L.fmt_number(value, 2, lang)
    if metric.endswith("_keur"):
        return L.fmt_keur(value, 0 if abs(value) >= 100 else 1, lang)
    return L.fmt_number(value, 2, lang)


def metrics_html(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """The metrics table as an HTML ``<table>``: ``head`` (header cells), ``rows`` (label, then values).

    Examples
    --------
    >>> metrics_html(("Métrique", "A"), [("ROI", "1,57")]).count("<tr>")
    2
    """
    cell = '<td style="text-align:right;padding:2px 10px">{}</td>'
    header = f'<th style="text-align:left;padding:2px 10px">{html.escape(head[0])}</th>' + "".join(
        f'<th style="text-align:right;padding:2px 10px">{html.escape(h)}</th>' for h in head[1:]
    )
    body = "".join(
        f'<tr><td style="padding:2px 10px">{html.escape(name)}</td>'
        + "".join(cell.format(html.escape(v)) for v in values)
        + "</tr>"
        for name, *values in rows
    )
    return f'<table style="border-collapse:collapse"><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>'

"""Texts of the explorer: its own user-interface labels, metric values and the metrics table as HTML.

Every reader-facing text comes from :mod:`incubo_analysis.labels` (the explorer's own
user-interface texts are its keys ``explorer.*``), every number from its ``format_value``.
"""

from __future__ import annotations

import html

from incubo_analysis import labels as L
from incubo_analysis.errors import InputError
from incubo_analysis.outputs import style as S

__all__ = [
    "OK_STYLE", "ERROR_STYLE", "text", "clean_message", "total_text",
    "total_fontsize", "format_metric", "metrics_html", "styled",
]


#: Inline CSS of a success message and of an error message.
OK_STYLE = "color:#18753C"
ERROR_STYLE = "color:#CE0500;font-weight:bold"


def text(key: str, lang: str) -> str:
    """The explorer's text ``key`` in ``lang`` ("fr" or "en").

    Examples
    --------
    >>> text("save.button", "fr"), text("save.button", "en")
    ('Enregistrer', 'Save')
    """
    return L.label(f"explorer.{key}", lang)


def styled(message: str, style: str) -> str:
    """A message as an HTML ``<span>`` with an inline style, escaped."""
    return f'<span style="{style}">{html.escape(message)}</span>'


def clean_message(exc: BaseException, lang: str = "fr") -> str:
    """The user-facing message of an error, in ``lang``, without the internal ``<replace>:`` source.

    An :class:`~incubo_analysis.errors.InputError` gives its text in ``lang``
    (:meth:`~incubo_analysis.errors.InputError.message_in`); any other error its ``str``.

    Examples
    --------
    >>> clean_message(ValueError("<replace>: key 'x': bad"))
    "key 'x': bad"
    >>> from incubo_analysis.errors import ParameterError
    >>> clean_message(ParameterError("<parameters>: bad", texts={"fr": "<parameters> : refusé", "en": "bad"}))
    'refusé'
    """
    message = exc.message_in(lang) if isinstance(exc, InputError) else str(exc)
    for prefix in ("<replace>: ", "<parameters>: ", "<replace> : ", "<parameters> : "):
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
        return L.format_value(value, "number", lang)
    decimals = 0 if abs(round(value) - value) < 1e-9 * max(1.0, abs(value)) else 1
    return L.format_value(value, "number", lang, decimals=decimals)


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
    if metric.startswith("payback_year"):
        unit, decimals = "year", None
    elif metric.startswith("switch_realisation"):
        unit, decimals = "share", 1
    elif metric.startswith("switch_unit_cost"):
        unit, decimals = "keur", 1
    elif metric.endswith("_keur") and not L.is_missing(value):
        unit, decimals = "keur", 0 if abs(value) >= 100 else 1
    else:  # ratios, switching delays (years, 2 decimals)
        unit, decimals = "ratio", 2
    return L.format_value(value, unit, lang, decimals=decimals)


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

"""User-facing labels (French by default, English with ``lang="en"``) and number formatting.

One place for every text a reader sees: the names of codes (levers, axes, budget titles,
sources, credits, RAG statuses...), of the tidy tables' columns, of the model's metrics and
parameters, and the texts of the charts. Used by the charts, the notebooks, the Excel annex and
the HTML report; never used for computation.

French number format follows the Unicode CLDR ``fr`` locale (what browsers' ``Intl`` and
Babel print): digits grouped by a narrow no-break space U+202F (``1 824``), decimal comma,
a no-break space U+00A0 between a number and its unit (``1 824,0 k€``), a narrow no-break
space before the percent sign (``62 %``) and the minus sign U+2212. Both spaces are
non-breaking, so an amount never wraps across lines in HTML; DejaVu Sans (matplotlib's font)
and the usual office fonts have the glyphs. In Excel, write numbers as numbers with
:data:`EXCEL_KEUR_FORMAT` / :data:`EXCEL_PCT_FORMAT` (Excel localises those formats itself)
rather than the strings produced here.

Examples
--------
>>> label("dematerialisation")
'Dématérialisation des procédures'
>>> label("planned_keur", lang="en")
'Planned (k€)'
>>> label(2)
'Axe 2 – Accélération (incubation)'
>>> label("no_such_code")
'no_such_code'
>>> fmt_keur(1824) == "1\\u202f824,0\\u00a0k€"
True
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any

import pandas as pd

from incubo_analysis.errors import ParameterError
from incubo_analysis.labels import (
    table_appraisal,
    table_base,
    table_chorus,
    table_console,
    table_ds,
    table_excel,
    table_ledger,
    table_milestones,
    table_params,
    table_quarterly,
    table_reconcile,
    table_report,
    table_workbook,
)
from incubo_analysis.labels.marks import LANGS, MINUS, MISSING, NBSP, NNBSP

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.ticker import Formatter

__all__ = [
    "LANGS",
    "NNBSP",
    "NBSP",
    "MINUS",
    "MISSING",
    "EXCEL_KEUR_FORMAT",
    "EXCEL_PCT_FORMAT",
    "CODED_COLUMNS",
    "check_lang",
    "label",
    "scenario_label",
    "has_label",
    "relabel",
    "fmt_number",
    "fmt_keur",
    "fmt_pct",
    "fmt_year",
    "keur_formatter",
    "pct_formatter",
    "labels_for",
    "is_missing",
    "UNITS",
    "UNIT_ALIASES",
    "normalise_unit",
    "format_value",
]



#: Excel number format for amounts in k€ (stored locale-independent: Excel shows
#: ``1 824,0 k€`` to a French user and ``1,824.0 k€`` to an English one).
EXCEL_KEUR_FORMAT = '#,##0.0 "k€"'
#: Excel number format for shares 0–1 shown as percentages.
EXCEL_PCT_FORMAT = "0%"

#: Columns whose values are codes translated by :func:`relabel`.
CODED_COLUMNS: tuple[str, ...] = (
    "axis", "title", "source", "credit", "lever", "status", "metric", "indicator",
    "parameter", "kind", "scenario", "unit", "programme", "target",
)

# key -> (fr, en). Keys are codes, column names, metric/parameter names and chart texts.


def _merge(*tables: Mapping[Hashable, tuple[str, str]]) -> dict[Hashable, tuple[str, str]]:
    """One table from the domain tables; a key defined in two of them is an error."""
    merged: dict[Hashable, tuple[str, str]] = {}
    for table in tables:
        twice = sorted(map(str, set(merged) & set(table)))
        if twice:
            raise ParameterError(f"label keys defined twice: {', '.join(twice[:10])}")
        merged.update(table)
    return merged


#: The one label table: key -> (French, English).
_LABELS: dict[Hashable, tuple[str, str]] = _merge(
    table_base.LABELS, table_workbook.LABELS, table_report.LABELS, table_excel.LABELS, table_console.LABELS,
    table_params.LABELS, table_reconcile.LABELS, table_appraisal.LABELS, table_milestones.LABELS,
    table_quarterly.LABELS, table_ledger.LABELS, table_ds.LABELS, table_chorus.LABELS,
)

_BOOLS: dict[bool, tuple[str, str]] = {True: ("oui", "yes"), False: ("non", "no")}

# Short forms (legends, table cells, tick labels); default to the long form.
_SHORT: dict[Hashable, tuple[str, str]] = {
    1: ("Axe 1 – Simplification", "Axis 1 – Simplification"),
    2: ("Axe 2 – Accélération", "Axis 2 – Acceleration"),
    3: ("Axe 3 – Acculturation", "Axis 3 – Acculturation"),
    4: ("Axe 4 – Inclusion", "Axis 4 – Inclusion"),
    "dematerialisation": ("Dématérialisation", "Dematerialisation"),
    "process_optimisation": ("Optimisation des processus", "Process optimisation"),
    "digital_tools_and_data": ("Outils numériques et donnée", "Digital tools and data"),
    "user_support": ("Accompagnement des usagers", "User support"),
    "T2": ("T2 – personnel", "T2 – staff"),
    "T3": ("T3 – fonctionnement", "T3 – operating"),
    "T6": ("T6 – intervention", "T6 – grants"),
    "AE": ("AE", "AE"),
    "CP": ("CP", "CP"),
    "roi_ftap": ("ROI FTAP", "FTAP ROI"),
    "roi_total": ("ROI global", "Total ROI"),
    "payback_year_ftap": ("Retour FTAP", "FTAP payback"),
    "payback_year_total": ("Retour global", "Overall payback"),
    "total_savings_keur": ("Économies totales", "Total savings"),
    "run_rate_keur": ("Régime de croisière", "Run rate"),
    "npv_keur": ("VAN", "NPV"),
}


def _add_lever_fte_labels() -> None:
    """Labels for the per-lever FTE parameters (``etp.<lever>``) used by sensitivity tables."""
    for lever in ("dematerialisation", "process_optimisation", "digital_tools_and_data", "user_support"):
        fr, en = _SHORT[lever]
        _LABELS[f"etp.{lever}"] = (f"ETP – {fr}", f"FTE – {en}")
        _LABELS[f"lever_delay_years.{lever}"] = (f"Retard – {fr} (années)", f"Delay – {en} (years)")


_add_lever_fte_labels()


def check_lang(lang: str) -> int:
    """Validate a language code and return its index in :data:`LANGS`.

    Parameters
    ----------
    lang : str
        ``"fr"`` or ``"en"``.

    Returns
    -------
    int
        0 for French, 1 for English.

    Raises
    ------
    ParameterError
        When ``lang`` is not one of :data:`LANGS`.

    Examples
    --------
    >>> check_lang("en")
    1
    """
    if lang not in LANGS:
        raise ParameterError(f"lang: expected one of {', '.join(LANGS)}, got {lang!r}")
    return LANGS.index(lang)


def _normalise_key(key: Any) -> Hashable:
    """Map numpy scalars and integral floats to plain Python keys (``np.int64(1)`` → ``1``)."""
    if isinstance(key, bool):
        return key
    if hasattr(key, "item") and not isinstance(key, str):  # numpy scalar
        try:
            key = key.item()
        except (TypeError, ValueError):  # pragma: no cover - exotic array-likes
            return key
        if isinstance(key, bool):
            return key
    if isinstance(key, Integral):
        return int(key)
    if isinstance(key, Real) and math.isfinite(float(key)) and float(key).is_integer():
        return int(key)
    return key


def _lookup(key: Any, lang: str, short: bool) -> str | None:
    """The label of ``key`` or None when unknown."""
    idx = check_lang(lang)
    try:
        key = _normalise_key(key)
        if isinstance(key, bool):
            return _BOOLS[key][idx]
        if short and key in _SHORT:
            return _SHORT[key][idx]
        if key in _LABELS:
            return _LABELS[key][idx]
    except TypeError:  # unhashable key
        return None
    return None


def has_label(key: Any) -> bool:
    """Whether ``key`` has a label (in both languages).

    Examples
    --------
    >>> has_label("T3"), has_label("T9")
    (True, False)
    """
    return _lookup(key, "fr", short=False) is not None


def label(key: Any, lang: str = "fr", *, short: bool = False) -> str:
    """The reader-facing label of a code, column name, metric or parameter.

    Parameters
    ----------
    key : object
        A code (``"dematerialisation"``, axis ``1``–``4``, ``"T2"``, ``"FTAP"``, ``"CP"``,
        ``"green"``...), a column name of a tidy table (``"planned_keur"``), a metric
        (``"npv_keur"``), a parameter (``"realisation_rate"``), an indicator id or a chart
        text key (``"chart.*"``). Numpy scalars and integral floats are accepted
        (``np.int64(2)`` and ``2.0`` are axis 2).
    lang : {"fr", "en"}
        Language; French by default.
    short : bool
        Short form when one exists (axes, levers, titles, credits, a few metrics), for
        legends and table cells; otherwise the long form.

    Returns
    -------
    str
        The label, or ``str(key)`` for an unknown key (never raises on the key).

    Raises
    ------
    ParameterError
        When ``lang`` is not ``"fr"`` or ``"en"``.

    Examples
    --------
    >>> label(1, short=True)
    'Axe 1 – Simplification'
    >>> label("CP", lang="en")
    'Payment appropriations (CP)'
    >>> label("amber")
    'orange'
    >>> label(2019)
    '2019'
    """
    found = _lookup(key, lang, short)
    return str(key) if found is None else found


def scenario_label(name: object, lang: str = "fr") -> str:
    """The name of a scenario as shown: the label of a shipped scenario, any other name as typed.

    Examples
    --------
    >>> scenario_label("baseline"), scenario_label("late"), scenario_label("late", "en")
    ('Référence (contrat)', 'late', 'late')
    """
    return label(name, lang) if name in table_base.SCENARIO_NAMES else str(name)


def _translate_value(value: Any, lang: str, *, codes_only: bool = True) -> Any:
    """Translated value; numbers are left alone unless ``codes_only`` is False (axis codes)."""
    if is_missing(value):
        return value
    if codes_only and not isinstance(value, (str, bool)):
        return value
    found = _lookup(value, lang, short=True)
    return value if found is None else found


def relabel(frame: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """A display copy of a table: column names and coded values translated.

    Column names with a label are replaced by it (``planned_keur`` → ``Prévu (k€)``); the
    values of the coded columns (:data:`CODED_COLUMNS`: ``axis``, ``lever``, ``title``,
    ``source``, ``credit``, ``status``, ``metric``, ``indicator``, ``parameter``...) and of
    boolean columns are replaced by their short labels; a named index is treated the same
    way (only text codes are translated, except in ``axis`` whose codes are the integers
    1–4: a numeric ``target`` stays a number). Numbers are left as numbers (format them with :func:`fmt_keur` & co. or a
    ``Styler``). For display only (notebooks, HTML, Excel), never for computation.

    Parameters
    ----------
    frame : DataFrame
        Any tidy or wide table of the package; not modified.
    lang : {"fr", "en"}
        Language; French by default.

    Returns
    -------
    DataFrame
        A new frame with the same shape and values in the same order.

    Examples
    --------
    >>> df = pd.DataFrame({"lever": ["user_support"], "year": [2021], "actual_keur": [90.0]})
    >>> relabel(df).columns.tolist()
    ['Levier', 'Année', 'Réalisé (k€)']
    >>> relabel(df, lang="en").iloc[0, 0]
    'User support'
    """
    check_lang(lang)
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        coded = isinstance(col, str) and col in CODED_COLUMNS
        if coded or pd.api.types.is_bool_dtype(series.dtype):
            out[col] = pd.Series(
                [_translate_value(v, lang, codes_only=col != "axis") for v in series.tolist()],
                index=out.index, dtype=object,
            )
    if out.index.name in CODED_COLUMNS:
        out.index = pd.Index(
            [_translate_value(v, lang, codes_only=out.index.name != "axis") for v in out.index],
            name=out.index.name,
        )
    if out.index.name is not None:
        out.index.name = label(out.index.name, lang)
    out.columns = pd.Index(
        [(found if (found := _lookup(c, lang, short=False)) is not None else c) for c in out.columns]
        if not isinstance(out.columns, pd.MultiIndex)
        else out.columns
    )
    return out


# ----------------------------------------------------------------------------- numbers


def is_missing(x: Any) -> bool:
    """Whether a value is missing: None, pandas NA / NaT or a NaN float.

    Examples
    --------
    >>> is_missing(None), is_missing(float("nan")), is_missing(0.0), is_missing("")
    (True, True, False, False)
    """
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    try:
        return bool(isinstance(x, Real) and math.isnan(float(x)))
    except (TypeError, ValueError):  # pragma: no cover
        return False


def fmt_number(x: Any, decimals: int = 0, lang: str = "fr") -> str:
    """Format a number with grouped thousands, in the reader's language.

    Parameters
    ----------
    x : float or None
        The number; NaN, None and pandas NA give an en dash ``"–"``.
    decimals : int
        Digits after the decimal mark; halves are rounded away from zero.
    lang : {"fr", "en"}
        French: U+202F narrow no-break space between thousands, decimal comma, minus sign
        U+2212; English: ``1,824.5``.

    Returns
    -------
    str

    Examples
    --------
    >>> fmt_number(1824.49, 1) == "1\\u202f824,5"
    True
    >>> fmt_number(-1234567, lang="en")
    '-1,234,567'
    >>> fmt_number(-0.04, 1)  # no negative zero
    '0,0'
    >>> fmt_number(284.5), fmt_number(2.675, 2, lang="en")  # halves away from zero
    ('285', '2.68')
    >>> fmt_number(float("nan"))
    '–'
    """
    return _number_text(x, decimals, lang, grouped=True)


def _round_half_away(value: float, decimals: int) -> Decimal:
    """``value`` rounded to ``decimals`` places, halves away from zero, never a negative zero.

    Rounds the shortest decimal representation of the float (``repr``: 2.675 → 2.68), not
    its binary value (2.67499999...), as a reader rounding the printed number does.
    """
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded


def _number_text(x: Any, decimals: int, lang: str, *, grouped: bool) -> str:
    """The number as text in ``lang`` (thousands grouped or not); the missing mark when missing."""
    check_lang(lang)
    if is_missing(x):
        return MISSING
    value = float(x)
    if math.isinf(value):
        return ("+" if value > 0 else MINUS if lang == "fr" else "-") + "∞"
    text = f"{_round_half_away(value, decimals):{',' if grouped else ''}.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", NNBSP).replace(".", ",").replace("-", MINUS)
    return text


def fmt_keur(x: Any, decimals: int = 1, lang: str = "fr") -> str:
    """Format an amount in k€.

    Parameters
    ----------
    x : float or None
        Amount in k€; NaN/None give ``"–"``.
    decimals : int
        Digits after the decimal mark (1 by default: the contract prints k€ to 0.1 at most
        except a few roundings such as 106,88).
    lang : {"fr", "en"}

    Returns
    -------
    str
        ``"1 824,0 k€"`` (U+202F between thousands, U+00A0 before ``k€``) in French,
        ``"1,824.0 k€"`` (U+00A0 before ``k€``) in English.

    Examples
    --------
    >>> fmt_keur(1824).replace(NNBSP, "_").replace(NBSP, "~")
    '1_824,0~k€'
    >>> fmt_keur(1824, lang="en").replace(NBSP, " ")
    '1,824.0 k€'
    >>> fmt_keur(-26.5, 1).replace(NBSP, " ")
    '−26,5 k€'
    >>> fmt_keur(None)
    '–'
    """
    text = fmt_number(x, decimals, lang)
    return text if text == MISSING else f"{text}{NBSP}k€"


def fmt_pct(share: Any, decimals: int = 0, lang: str = "fr") -> str:
    """Format a share (0–1) as a percentage.

    Parameters
    ----------
    share : float or None
        A share, 0.62 for 62 %; NaN/None give ``"–"``.
    decimals : int
        Digits after the decimal mark of the percentage.
    lang : {"fr", "en"}

    Returns
    -------
    str
        ``"62 %"`` with U+202F before ``%`` in French, ``"62%"`` in English.

    Examples
    --------
    >>> fmt_pct(0.62) == "62\\u202f%"
    True
    >>> fmt_pct(0.625, 1, lang="en")
    '62.5%'
    >>> fmt_pct(-0.125, 1).replace(NNBSP, " ")
    '−12,5 %'
    """
    text = fmt_number(None if is_missing(share) else float(share) * 100.0, decimals, lang)
    if text == MISSING:
        return text
    return f"{text}{NNBSP}%" if lang == "fr" else f"{text}%"


def fmt_year(year: Any, lang: str = "fr") -> str:
    """Format a year (never with a thousands separator).

    Parameters
    ----------
    year : int, float or None
        A calendar year; integral floats (``2021.0``, from a column holding NaN) are
        accepted; NaN/None (e.g. no payback within the horizon) give ``"–"``.
    lang : {"fr", "en"}
        Accepted for a uniform signature; years read the same in both languages.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        When ``year`` is not integral (2021.5).

    Examples
    --------
    >>> fmt_year(2021.0)
    '2021'
    >>> fmt_year(float("nan"))
    '–'
    """
    check_lang(lang)
    if is_missing(year):
        return MISSING
    value = float(year)
    if not value.is_integer():
        raise ValueError(f"year: expected an integral year, got {year!r}")
    return str(int(value))


#: Units of :func:`format_value` and their default number of decimals.
UNITS: dict[str, int] = {
    "keur": 1, "share": 0, "ratio": 2, "year": 0, "etp": 1, "fte": 1, "count": 0, "days": 0,
    "number": 0, "bool": 0,
}

#: Unit spellings found in tables and workbooks (``unit`` columns) → unit of :func:`format_value`.
UNIT_ALIASES: dict[str, str] = {
    **{unit: unit for unit in UNITS},
    "k€": "keur", "k€/an": "keur", "k€/etp/an": "keur", "k€/fte/year": "keur",
    "part": "share", "%": "share", "taux": "share", "rate": "share", "pct": "share",
    "année": "year", "an": "year", "years": "year",
    "nombre": "count", "jours": "days", "ratio": "ratio", "": "number",
}


def normalise_unit(unit: Any) -> str | None:
    """The :func:`format_value` unit of a unit as written in a table (``"k€"`` → ``"keur"``).

    Case and surrounding spaces are ignored; None for anything else (not a string, unknown).

    Examples
    --------
    >>> normalise_unit(" K€ "), normalise_unit("part"), normalise_unit("ETP"), normalise_unit("furlong")
    ('keur', 'share', 'etp', None)
    """
    if not isinstance(unit, str):
        return None
    return UNIT_ALIASES.get(unit.strip().lower())


def _fmt_etp(value: Any, decimals: int, lang: str) -> str:
    return f"{fmt_number(value, decimals, lang)}{NBSP}{label('etp', lang)}"


def _fmt_days(value: Any, decimals: int, lang: str) -> str:
    key = "unit.days" if abs(float(value)) <= 1 else "unit.days_plural"
    return f"{fmt_number(value, decimals, lang)}{NBSP}{label(key, lang)}"


def _fmt_year_value(value: Any, decimals: int, lang: str) -> str:
    return _number_text(value, decimals, lang, grouped=False)


_FORMATTERS = {
    "keur": fmt_keur,
    "share": fmt_pct,
    "ratio": fmt_number,
    "count": fmt_number,
    "number": fmt_number,
    "year": _fmt_year_value,
    "etp": _fmt_etp,
    "fte": _fmt_etp,
    "days": _fmt_days,
    "bool": lambda value, _decimals, lang: label(bool(value), lang),
}


def format_value(value: Any, unit: str, lang: str = "fr", *, decimals: int | None = None) -> str:
    """A number as a reader sees it, in one of the :data:`UNITS`: the one formatter of the package.

    Parameters
    ----------
    value : float, int, bool or None
        The value; None, NaN and pandas NA give the missing mark ``label("missing")`` (``–``).
    unit : str
        ``"keur"`` (amount in k€, 1 decimal by default), ``"share"`` (a share 0–1 shown as a
        percentage, 0 decimals), ``"ratio"`` (2 decimals), ``"year"`` (never grouped: ``2021``),
        ``"etp"`` / ``"fte"`` (full-time equivalents, 1 decimal, followed by ``ETP`` / ``FTE``),
        ``"count"`` (0 decimals), ``"days"``, ``"number"`` (0 decimals) or ``"bool"``
        (``oui`` / ``non``); or a spelling of :data:`UNIT_ALIASES` (``"k€"``, ``"part"``...).
    lang : {"fr", "en"}
        French: U+202F narrow no-break space between thousands, decimal comma, minus U+2212,
        U+00A0 before a unit; English: ``1,824.0``.
    decimals : int, optional
        Digits after the decimal mark instead of the unit's default. Halves are rounded away
        from zero on the decimal value as printed (0.5 → 1, 2.675 → 2,68), everywhere.

    Returns
    -------
    str

    Raises
    ------
    ParameterError
        When ``unit`` or ``lang`` is unknown, or ``decimals`` is not an integer 0–9.

    Examples
    --------
    >>> def show(text):  # narrow no-break space as "_", no-break space as "~"
    ...     return text.replace(NNBSP, "_").replace(NBSP, "~")
    >>> show(format_value(1824, "keur")), show(format_value(1824, "keur", "en"))
    ('1_824,0~k€', '1,824.0~k€')
    >>> show(format_value(0.4608, "share")), format_value(0.4608, "share", "en", decimals=1)
    ('46_%', '46.1%')
    >>> format_value(3.14159, "ratio"), format_value(2021, "year"), format_value(2021.0, "year", "en")
    ('3,14', '2021', '2021')
    >>> show(format_value(32, "etp")), show(format_value(32, "fte", "en"))
    ('32,0~ETP', '32.0~FTE')
    >>> show(format_value(1500, "count")), format_value(1500, "count", "en")
    ('1_500', '1,500')
    >>> show(format_value(12, "days")), show(format_value(1, "days", "en"))
    ('12~jours', '1~day')
    >>> format_value(0.5, "number"), format_value(2.675, "number", decimals=2), format_value(-1.5, "number", "en")
    ('1', '2,68', '-2')
    >>> format_value(None, "keur"), format_value(float("nan"), "year"), format_value(True, "bool")
    ('–', '–', 'oui')
    """
    check_lang(lang)
    kind = normalise_unit(unit)
    if kind is None:
        raise ParameterError(f"unit: expected one of {', '.join(UNITS)}, got {unit!r}")
    if decimals is None:
        decimals = UNITS[kind]
    elif isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 9:
        raise ParameterError(f"decimals: expected an integer 0-9, got {decimals!r}")
    if is_missing(value):
        return label("missing", lang)
    return _FORMATTERS[kind](value, decimals, lang)


def keur_formatter(lang: str = "fr", decimals: int = 0, *, unit: bool = False) -> Formatter:
    """A matplotlib tick formatter for axes in k€.

    Parameters
    ----------
    lang : {"fr", "en"}
    decimals : int
        Digits after the decimal mark on the ticks.
    unit : bool
        Append ``" k€"`` to each tick (by default the axis label carries the unit).

    Returns
    -------
    matplotlib.ticker.FuncFormatter

    Examples
    --------
    >>> keur_formatter()(1500, 0) == "1\\u202f500"
    True
    >>> keur_formatter("en", unit=True)(1500, 0).replace(NBSP, " ")
    '1,500 k€'
    """
    from matplotlib.ticker import FuncFormatter

    check_lang(lang)
    fmt = fmt_keur if unit else fmt_number
    return FuncFormatter(lambda value, _pos: fmt(value, decimals, lang))


def pct_formatter(lang: str = "fr", decimals: int = 0) -> Formatter:
    """A matplotlib tick formatter for axes holding shares 0–1, shown as percentages.

    Examples
    --------
    >>> pct_formatter()(0.5, 0) == "50\\u202f%"
    True
    """
    from matplotlib.ticker import FuncFormatter

    check_lang(lang)
    return FuncFormatter(lambda value, _pos: fmt_pct(value, decimals, lang))


def labels_for(
    keys: Mapping[Any, Any] | list[Any] | tuple[Any, ...], lang: str = "fr", *, short: bool = False
) -> list[str]:
    """Labels of several keys, in order (helper for legends and tick labels).

    Examples
    --------
    >>> labels_for(["FTAP", "cofinancing"], lang="en")
    ['FTAP', 'Co-financing']
    """
    return [label(k, lang, short=short) for k in keys]

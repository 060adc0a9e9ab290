"""Typographic marks of the label table and the formatter (French typography, CLDR ``fr``)."""

from __future__ import annotations

__all__ = ["LANGS", "NNBSP", "NBSP", "MINUS", "MISSING"]

LANGS: tuple[str, ...] = ("fr", "en")

NNBSP = "\u202f"  #: narrow no-break space: French thousands separator and before "%"
NBSP = "\u00a0"  #: no-break space: between a number and its unit ("k€")
MINUS = "\u2212"  #: typographic minus sign used in French
MISSING = "\u2013"  #: en dash shown for a missing value (NaN, None)

"""Labels of the HTML reports: section titles, prose, cards, table captions, alt texts (fr, en)."""

from __future__ import annotations

from collections.abc import Hashable

LABELS: dict[Hashable, tuple[str, str]] = {}

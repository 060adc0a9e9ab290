"""Labels of the Excel annex: sheet titles, headers, the assumptions sheet (fr, en)."""

from __future__ import annotations

from collections.abc import Hashable

LABELS: dict[Hashable, tuple[str, str]] = {}

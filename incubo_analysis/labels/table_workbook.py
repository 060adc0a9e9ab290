"""Labels of the officer's workbook: sheet names, headers, drop-down values, README sheet, reader messages (fr, en)."""

from __future__ import annotations

from collections.abc import Hashable

LABELS: dict[Hashable, tuple[str, str]] = {}

"""Labels of the quarterly pack (incubo quarterly): risks, credits to date, tranches, headings and prose (fr, en)."""

from __future__ import annotations

from collections.abc import Hashable

LABELS: dict[Hashable, tuple[str, str]] = {
}

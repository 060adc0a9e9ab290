"""Labels of the contract's milestones (annex III) and their statuses (fr, en)."""

from __future__ import annotations

from collections.abc import Hashable

LABELS: dict[Hashable, tuple[str, str]] = {
}

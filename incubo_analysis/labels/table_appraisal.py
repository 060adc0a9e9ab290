"""Labels of the appraisal: doctrine readings, discount rates, running costs (fr, en)."""

from __future__ import annotations

from collections.abc import Hashable

LABELS: dict[Hashable, tuple[str, str]] = {
}

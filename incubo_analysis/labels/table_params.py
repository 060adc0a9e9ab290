"""Labels of the scenario loader's refusals (incubo_analysis.model.params) (fr, en)."""

from __future__ import annotations

from collections.abc import Hashable

LABELS: dict[Hashable, tuple[str, str]] = {
}

"""Labels of the reconciliation checks' descriptions (incubo_analysis.contract.reconcile) (fr, en)."""

from __future__ import annotations

from collections.abc import Hashable

LABELS: dict[Hashable, tuple[str, str]] = {
}

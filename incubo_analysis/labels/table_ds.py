"""Labels of démarches-simplifiées exports: states, processing times, messages (fr, en)."""

from __future__ import annotations

from collections.abc import Hashable

LABELS: dict[Hashable, tuple[str, str]] = {
}

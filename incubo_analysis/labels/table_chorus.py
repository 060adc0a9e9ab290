"""Labels of Chorus extracts: amount types, the credits cross-check, messages (fr, en)."""

from __future__ import annotations

from collections.abc import Hashable

LABELS: dict[Hashable, tuple[str, str]] = {
}

"""Labels of the savings ledger: natures, programmes, documented savings (fr, en)."""

from __future__ import annotations

from collections.abc import Hashable

LABELS: dict[Hashable, tuple[str, str]] = {
}

"""Labels of the command line: progress lines, summaries, error wording; the explorer's messages (fr, en)."""

from __future__ import annotations

from collections.abc import Hashable

LABELS: dict[Hashable, tuple[str, str]] = {}

"""incubo-analysis: the analytical suite of the Incub-O FTAP transformation contract.

Public API (amounts in k€, FTE in full-time equivalents, shares 0–1).
"""

from __future__ import annotations

__version__ = "0.1.0"

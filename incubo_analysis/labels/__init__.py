"""The one label table (fr, en) and the one number formatter, shared by every stage.

Every text a reader sees (codes, columns, metrics, charts, workbook sheets and headers,
report prose, command-line messages) is a key of one table, looked up with
:func:`label`; every number goes through :func:`format_value`. The table is assembled from
one data module per domain (``table_base``, ``table_workbook``, ``table_report``,
``table_excel``, ``table_console`` and one per topic: params, reconcile, appraisal,
milestones, quarterly, ledger, ds, chorus); a key defined twice fails at import.

It sits beside ``errors``, ``io`` and ``paths`` rather than in ``outputs``: the reader of the
officer's workbook (``monitoring``) and the command line word their messages with it too.
"""

from incubo_analysis.labels import core
from incubo_analysis.labels.core import *  # noqa: F403 - the public API of the label table

__all__ = list(core.__all__)

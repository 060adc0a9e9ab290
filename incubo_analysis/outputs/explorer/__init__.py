"""Interactive scenario explorer for JupyterLab (``notebooks/00_explorer.ipynb``).

:class:`Explorer` wires the parts: :mod:`.controls` (widgets), :mod:`.compute` (the model
of one scenario), :mod:`.charts` and :mod:`.figures` (persistent, blitted figures),
:mod:`.texts` (texts and the metrics table). Saving is
:func:`incubo_analysis.model.params.save_scenario`.
"""

from incubo_analysis.outputs.explorer.app import Explorer
from incubo_analysis.outputs.explorer.charts import DPI, FIGSIZE
from incubo_analysis.outputs.explorer.controls import CONTROL_KEYS

__all__ = ["Explorer", "CONTROL_KEYS", "FIGSIZE", "DPI"]

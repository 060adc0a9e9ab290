"""The papermill guard: parameter files and ``-p`` options can never execute code.

papermill writes each parameter as a line of Python (``name = value``) in a cell it
injects after the notebook's ``parameters`` cell. Out of the box it puts the *name*
there verbatim (a key holding a newline runs as code) and only warns about a name the
notebook does not declare (a typo runs silently with the baseline value).

This package plugs into papermill through its public registries and its
``papermill.engine`` entry point (declared in ``pyproject.toml``, so ``import papermill``
loads it in every process of this environment, the plain ``papermill`` command
included):

* the translators of papermill's built-in languages (``python``, ``python3``, ...) refuse,
  before any code is written, a name that is not a plain identifier and a value that is
  not plain data (strings still escaped as papermill does);
* the engines ``None`` (the default), ``nbclient`` and ``incubo`` refuse, before the
  kernel starts, a name that the notebook's ``parameters`` cell does not declare,
  naming the closest declared one.

papermill is imported first, on purpose: importing papermill loads the entry point
:mod:`incubo_analysis.outputs.papermill_guard.guard`, which must find this package
already in place rather than half-imported.
"""

from __future__ import annotations

import papermill  # noqa: F401  (see the module docstring: loads .guard through the entry point)

from incubo_analysis.outputs.papermill_guard.guard import (
    GuardedEngine,
    GuardedPythonTranslator,
    UnsafeParameterError,
    check_declared,
    check_name,
    check_value,
    declared_parameters,
)

__all__ = [
    "GuardedEngine",
    "GuardedPythonTranslator",
    "UnsafeParameterError",
    "check_declared",
    "check_name",
    "check_value",
    "declared_parameters",
]

"""Guarded papermill translators and engine (the ``papermill.engine`` entry point ``incubo``).

Importing this module (papermill does it at ``import papermill``, through the entry point)
registers, in papermill's public registries:

* for every built-in translator key (``python``, ``R``, ``bash``, ...) and for the kernel
  name ``python3``, a subclass whose ``codify`` first runs :func:`check_parameters`: a
  name that is not a plain ASCII identifier (newline, code, keyword, dunder) or a value
  that is not plain data (``!!binary`` bytes, ``!!set``, tuples...) stops papermill before
  the injected cell is even written. Plain values are translated as papermill does,
  except that Python strings keep their accented letters (``"Réalisation"``, not
  ``"R\\xe9alisation"``; other non-printable characters stay escaped);
* :class:`GuardedEngine` as the default engine (``None``) and as ``nbclient``: before the
  kernel starts, it compares the injected names with the names the notebook's
  ``parameters`` cell declares (papermill's own ``inspect``) and refuses an undeclared
  one, naming the closest declared name.

Import :mod:`incubo_analysis.outputs.papermill_guard`, not this module: the package
imports papermill first (see its docstring).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from papermill.engines import NBClientEngine, papermill_engines
from papermill.exceptions import PapermillException
from papermill.translators import PythonTranslator, papermill_translators
from papermill.utils import nb_language

#: A parameter name: an ASCII identifier, not a keyword, not a dunder (checked below).
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
#: Values deeper than this (lists in dicts in lists...) are refused.
MAX_DEPTH = 32
#: Plain data papermill translates as literals (``datetime.date`` covers ``datetime``).
SCALARS = (str, bool, int, float, type(None), dt.date)
#: The translator keys papermill registers itself (papermill/translators.py).
BUILTIN_TRANSLATORS = ("python", "R", "scala", "julia", "matlab", ".net-csharp", ".net-fsharp",
                       ".net-powershell", "pysparkkernel", "sparkkernel", "sparkrkernel", "bash")


class UnsafeParameterError(PapermillException, ValueError):
    """A papermill parameter refused before anything of it is executed."""


def _shown(value: Any, limit: int = 60) -> str:
    """``repr`` of a value, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_name(name: Any) -> str:
    """Return ``name`` if it is a plain Python name, else raise.

    Parameters
    ----------
    name : Any
        A parameter name as papermill received it (a YAML key, a ``-p`` name).

    Returns
    -------
    str
        The name, unchanged.

    Raises
    ------
    UnsafeParameterError
        Not a string, not an ASCII identifier, a keyword or a dunder name.

    Examples
    --------
    >>> check_name("realisation_rate")
    'realisation_rate'
    >>> try:
    ...     check_name("x = 1\\nimport os")
    ... except UnsafeParameterError as exc:
    ...     print(str(exc).split(" is ")[0])
    papermill parameter name 'x = 1\\nimport os'
    """
    import keyword

    if (not isinstance(name, str) or not NAME.match(name) or keyword.iskeyword(name)
            or (name.startswith("__") and name.endswith("__"))):
        raise UnsafeParameterError(f"papermill parameter name {_shown(name)} is not a plain Python name "
                                   "(ASCII letters, digits and underscores, not a keyword); nothing was run")
    return name


def check_value(value: Any, name: str = "?") -> None:
    """Raise unless ``value`` is plain data: scalars, lists and dicts with scalar keys.

    Parameters
    ----------
    value : Any
        The parameter's value.
    name : str, optional
        The parameter's name, for the message.

    Raises
    ------
    UnsafeParameterError
        Another type anywhere inside (bytes, set, tuple, object...), or nesting deeper than
        :data:`MAX_DEPTH`. papermill would write such a value with ``str()`` between quotes,
        unescaped: a ``!!binary`` value could close the quotes and run code.

    Examples
    --------
    >>> check_value({"2019": [0.5, None], 2020: "a\\"b"}, "phasing")
    >>> try:
    ...     check_value(b"+str(1)+", "name")
    ... except UnsafeParameterError as exc:
    ...     print(str(exc).split(" is ")[0])
    papermill parameter 'name': a value of type bytes
    """
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise UnsafeParameterError(f"papermill parameter {name!r}: nested deeper than {MAX_DEPTH} levels; "
                                       "nothing was run")
        if isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
        elif isinstance(item, dict):
            stack.extend((k, depth + 1) for k in item if not isinstance(k, str))
            stack.extend((v, depth + 1) for v in item.values())
        elif not isinstance(item, SCALARS):
            raise UnsafeParameterError(f"papermill parameter {name!r}: a value of type {type(item).__name__} is not "
                                       "plain data (text, number, boolean, null, list, mapping); nothing was run")


def check_parameters(parameters: Mapping[Any, Any]) -> None:
    """Check every name (:func:`check_name`) and value (:func:`check_value`) of a parameter mapping.

    Parameters
    ----------
    parameters : Mapping
        The parameters papermill is about to inject.

    Raises
    ------
    UnsafeParameterError
        On the first refused name or value.
    """
    if not isinstance(parameters, Mapping):
        raise UnsafeParameterError(f"papermill parameters must be a mapping, not {type(parameters).__name__}")
    for name, value in parameters.items():
        check_value(value, check_name(name))


def declared_parameters(nb: Any, kernel_name: str | None = None) -> list[str] | None:
    """Names the notebook's ``parameters`` cell declares, read by papermill's own ``inspect``.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook.
    kernel_name : str, optional
        The kernel it runs on (the translator is looked up as papermill does).

    Returns
    -------
    list of str or None
        The declared names; ``None`` when the notebook has no ``parameters`` cell or its
        language cannot be inspected (then papermill's own behaviour applies).
    """
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not cells:
        return None
    try:
        translator = papermill_translators.find_translator(kernel_name, nb_language(nb))
        return [p.name for p in translator.inspect(cells[0])]
    except (NotImplementedError, ValueError, PapermillException):
        return None


def check_declared(names: Iterable[str], declared: Iterable[str], notebook: Any = "the notebook") -> None:
    """Raise if a name is not declared, naming the closest declared name.

    Parameters
    ----------
    names : iterable of str
        The names about to be injected.
    declared : iterable of str
        The names the notebook's ``parameters`` cell declares.
    notebook : Any, optional
        The notebook, for the message (its path).

    Raises
    ------
    UnsafeParameterError
        At least one undeclared name; the message names each (up to 5) and its closest
        declared name, or lists the declared names when none is close.

    Examples
    --------
    >>> try:
    ...     check_declared(["realization_rate"], ["realisation_rate", "discount_rate"], "02.ipynb")
    ... except UnsafeParameterError as exc:
    ...     print(str(exc).split(" (")[1])
    did you mean 'realisation_rate'?); nothing was run
    """
    declared = list(declared)
    unknown = [n for n in names if n not in declared]
    if not unknown:
        return
    hints = []
    for name in unknown[:5]:
        close = difflib.get_close_matches(str(name), declared, n=1)
        hints.append((_shown(name), f"did you mean {close[0]!r}?" if close else "declared: " + ", ".join(declared)))
    if len(unknown) == 1:
        raise UnsafeParameterError(f"{notebook}: parameter {hints[0][0]} is not declared in the notebook's "
                                   f"parameters cell ({hints[0][1]}); nothing was run")
    more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
    listed = ", ".join(f"{name} ({hint})" for name, hint in hints)
    raise UnsafeParameterError(f"{notebook}: parameters not declared in the notebook's parameters cell: "
                               f"{listed}{more}; nothing was run")


class ParameterGuard:
    """Translator mixin: :func:`check_parameters` before papermill writes the injected cell."""

    @classmethod
    def codify(cls, parameters, comment="Parameters"):
        """papermill's ``codify``, after :func:`check_parameters` (raises before any code is written)."""
        check_parameters(parameters)
        return super().codify(parameters, comment)


def python_str_literal(text: str) -> str:
    """A double-quoted Python literal of ``text`` that keeps accented letters as they are.

    papermill writes ``"Réalisation"`` as ``"R\\xe9alisation"`` (``unicode_escape``); this
    literal is papermill's for ASCII text and differs only in keeping printable non-ASCII
    characters. Backslashes and double quotes are escaped, and every non-printable character
    (newlines, controls, line separators, lone surrogates, non-breaking spaces) is written
    as the escape ``repr`` uses, so the literal stays on one line and evaluates to ``text``.

    Parameters
    ----------
    text : str
        Any string.

    Returns
    -------
    str
        The literal, ``ast.literal_eval(result) == text``.

    Examples
    --------
    >>> print(python_str_literal('Réalisation "T2"\\n'))
    "Réalisation \\"T2\\"\\n"
    """
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char.isprintable():
            out.append(char)
        else:
            out.append(repr(char)[1:-1])
    return '"' + "".join(out) + '"'


class GuardedPythonTranslator(ParameterGuard, PythonTranslator):
    """papermill's Python translator, refusing unsafe names and values.

    Plain values are translated as papermill does, except that strings keep their accents
    (:func:`python_str_literal`): an injected ``"Réalisation"`` reads as written.
    """

    @classmethod
    def translate_escaped_str(cls, str_val):
        """A string as :func:`python_str_literal`; anything else (dict keys) as papermill does."""
        if isinstance(str_val, str):
            return python_str_literal(str_val)
        return super().translate_escaped_str(str_val)


class GuardedEngine(NBClientEngine):
    """papermill's nbclient engine, refusing undeclared parameters before the kernel starts."""

    @classmethod
    def execute_notebook(cls, nb, kernel_name, **kwargs):
        """Check the injected parameters (names, values, declared), then run as ``nbclient`` does.

        Parameters
        ----------
        nb : nbformat.NotebookNode
            The parameterised notebook (papermill records the parameters in its metadata).
        kernel_name : str
            The kernel to run it on.
        **kwargs
            Passed on to :meth:`papermill.engines.NBClientEngine.execute_notebook`.

        Returns
        -------
        nbformat.NotebookNode
            The executed notebook.
        """
        parameters = nb.metadata.get("papermill", {}).get("parameters") or {}
        if parameters:
            check_parameters(parameters)
            declared = declared_parameters(nb, kernel_name)
            if declared is not None:
                check_declared(parameters, declared, kwargs.get("input_path") or "the notebook")
        return super().execute_notebook(nb, kernel_name, **kwargs)


def install() -> None:
    """Register the guarded translators and engine in papermill's registries (idempotent)."""
    papermill_translators.register("python3", GuardedPythonTranslator)
    for key in BUILTIN_TRANSLATORS:
        try:
            base = papermill_translators.find_translator(key, key)
        except PapermillException:
            continue
        if issubclass(base, ParameterGuard):
            continue
        guarded = (GuardedPythonTranslator if base is PythonTranslator
                   else type(f"Guarded{base.__name__}", (ParameterGuard, base), {}))
        papermill_translators.register(key, guarded)
    papermill_engines.register(None, GuardedEngine)
    papermill_engines.register("nbclient", GuardedEngine)


install()

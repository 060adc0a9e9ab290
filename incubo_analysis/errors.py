"""Exceptions of incubo-analysis.

Every error caused by the user's input (a raw file, a parameter file, an actuals
workbook, a command-line option) derives from :class:`InputError`. The command
line turns it into exit code 2 and a located message, without a traceback.
Anything else is a bug (exit code 1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = ["InputError", "SchemaError", "ParameterError", "ActualsError", "DsExportError",
           "MAX_SHOWN_PROBLEMS"]

MAX_SHOWN_PROBLEMS = 50  # problems shown; the rest are counted ("… et N autres")


class InputError(Exception):
    """Bad user input: a located, human-readable message (exit code 2).

    Parameters
    ----------
    message : str
        One-line message naming the file, sheet, row, column or key and what
        was expected.
    texts : mapping, optional
        The message in each reader language (``{"fr": ..., "en": ...}``), for the command
        line (:meth:`message_in`); ``message`` stays the developer's text.
    problems : sequence of str, optional
        When several problems were collected in one pass, each located message;
        ``message`` is then a one-line headline. All are kept in ``problems``;
        :meth:`shown_problems` (used to print them) gives the first
        :data:`MAX_SHOWN_PROBLEMS` and a last line "… et N autres" ("… and N more").
    """

    def __init__(self, message: str, problems: Sequence[str] | None = None, *,
                 texts: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: tuple[str, ...] = tuple(problems or ())
        self.texts: dict[str, str] = dict(texts or {})

    def message_in(self, lang: str = "fr") -> str:
        """The message in ``lang`` when the raiser gave it (``texts``), else :attr:`message`."""
        return self.texts.get(lang, self.message)

    def shown_problems(self, lang: str = "fr") -> tuple[str, ...]:
        """The problems to print: the first :data:`MAX_SHOWN_PROBLEMS`, then "… et N autres".

        Parameters
        ----------
        lang : {"fr", "en"}
            Language of the last line ("… and N more" in English).

        Returns
        -------
        tuple of str
            At most ``MAX_SHOWN_PROBLEMS + 1`` lines.
        """
        if len(self.problems) <= MAX_SHOWN_PROBLEMS:
            return self.problems
        from incubo_analysis.labels import label  # the label table imports this module

        rest = len(self.problems) - MAX_SHOWN_PROBLEMS
        return (*self.problems[:MAX_SHOWN_PROBLEMS], label("wb.cli.more", lang).format(n=rest))

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return self.message + "\n" + "\n".join(f"  - {p}" for p in self.shown_problems())


class SchemaError(InputError):
    """A raw data file does not match its declared schema."""


class ParameterError(InputError):
    """A scenario parameter file (params/*.yaml) is invalid."""


class ActualsError(InputError):
    """The officer's actuals workbook is invalid."""


class DsExportError(InputError):
    """A démarches-simplifiées export (xlsx, csv, ods) is invalid."""

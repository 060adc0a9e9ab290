"""Write ``docs/assumptions.md`` from the one source of the assumptions log, ``docs/assumptions.yaml``.

Usage::

    python -m tools.assumptions          # rewrite docs/assumptions.md
    python -m tools.assumptions --check  # exit 1 when docs/assumptions.md is out of date

The YAML holds every entry in English and in French (``incubo_analysis.outputs.excel.
load_assumptions`` checks it); the markdown is the English log, the Excel annex's
"Hypothèses" sheet is written from the same file in the report's language.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from incubo_analysis.outputs.excel import load_assumptions
from incubo_analysis.paths import DOCS_DIR

MARKDOWN: Path = DOCS_DIR / "assumptions.md"
_COLUMNS = ("#", "assumption", "source", "relied on by")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(table: Mapping[str, Any], lang: str) -> str:
    columns = ["#", *table["columns"][lang]] if "columns" in table else list(_COLUMNS)
    lines = [_row(columns), "|" + "---|" * len(columns)]
    lines += [_row([e["id"], e["assumption"][lang], e["source"][lang], e["relied_on_by"][lang]])
              for e in table["entries"]]
    return "\n".join(lines)


def render_markdown(doc: Mapping[str, Any], lang: str = "en") -> str:
    """The assumptions log as markdown in ``lang`` (``docs/assumptions.md`` is the English one).

    Parameters
    ----------
    doc : Mapping
        :func:`incubo_analysis.outputs.excel.load_assumptions`.
    lang : {"en", "fr"}

    Returns
    -------
    str
        The markdown text, ending with one newline.
    """
    blocks = [f"# {doc['title'][lang]}", doc["intro"][lang]]
    for section in doc["sections"]:
        blocks.append(f"## {section['heading'][lang]}")
        if "text" in section:
            blocks.append(section["text"][lang])
        for table in section["tables"]:
            if "caption" in table:
                blocks.append(table["caption"][lang])
            blocks.append(_table(table, lang))
    return "\n\n".join(blocks) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or with ``--check`` compare) ``docs/assumptions.md``; the exit status."""
    parser = argparse.ArgumentParser(prog="python -m tools.assumptions", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the markdown is up to date")
    args = parser.parse_args(argv)
    text = render_markdown(load_assumptions())
    current = MARKDOWN.read_text(encoding="utf-8") if MARKDOWN.exists() else None
    if args.check:
        if current != text:
            print(f"{MARKDOWN}: out of date; run python -m tools.assumptions", file=sys.stderr)
            return 1
        return 0
    if current != text:
        MARKDOWN.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

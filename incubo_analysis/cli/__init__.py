"""The ``incubo`` command line: one module per command group."""

from incubo_analysis.cli.main import build_parser, main

__all__ = ["main", "build_parser"]

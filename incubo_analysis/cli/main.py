"""The ``incubo`` command line.

Exit codes: 0 success; 2 bad input (one located message per problem on
stderr, no traceback); 1 internal error (a bug: the traceback is shown).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from incubo_analysis.errors import InputError

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``incubo`` command."""
    parser = argparse.ArgumentParser(
        prog="incubo",
        description="Incub-O FTAP contract: reconciliation, savings scenarios, actuals and the annual report.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("check", help="validate the contract data (or an actuals workbook) and print a summary")
    p.add_argument("--actuals", metavar="FILE", help="validate this actuals workbook instead of the contract data")
    p.add_argument("--processed", metavar="DIR", default=None,
                   help="where to write the tidy tables and reconciliation.csv (default: data/processed)")
    p.add_argument("--scenario", metavar="FILE", default=None,
                   help="with --actuals: plan scenario (its horizon bounds the years accepted)")
    p.add_argument("--contract", metavar="DIR", default=None,
                   help="folder of the transcribed contract to check (default: data/raw/contract)")
    p.add_argument("--chorus", metavar="FILE", default=None,
                   help="validate this Chorus extract (CSV or xlsx) and print its AE/CP by year; with --actuals, "
                        "cross-check the workbook's FTAP credits with it")
    p.add_argument("--chorus-mapping", metavar="FILE", default=None,
                   help="with --chorus: how to read the extract (default: params/chorus_mapping.yaml)")
    p.add_argument("--ds-export", metavar="FILE", nargs="+", default=None,
                   help="validate these démarches-simplifiées exports (xlsx, csv, ods) and print the dossiers "
                        "and median processing time per démarche")
    p.add_argument("--lang", choices=["fr", "en"], default="fr",
                   help="language of the messages and of the --actuals summary (default fr)")

    p = sub.add_parser("scenario", help="evaluate scenario parameter files: savings.csv and metrics.csv")
    p.add_argument("files", nargs="+", metavar="FILE", help="scenario parameter files (params/*.yaml)")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder")
    _lang_option(p)

    p = sub.add_parser("montecarlo", help="Monte Carlo simulation of a scenario with an uncertainty block")
    p.add_argument("file", metavar="FILE", help="scenario parameter file with an 'uncertainty' block")
    p.add_argument("--draws", type=int, default=100_000, metavar="N", help="number of draws (default 100000)")
    p.add_argument("--seed", type=int, default=20181, metavar="S", help="random seed (default 20181)")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder")
    _lang_option(p)

    p = sub.add_parser("sensitivity", help="one-at-a-time sensitivity (tornado data)")
    p.add_argument("file", metavar="FILE", help="scenario parameter file with an 'uncertainty' block")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder")
    _lang_option(p)

    p = sub.add_parser("template", help="write an empty workbook to fill in")
    p.add_argument("kind", choices=["actuals"], help="which template")
    p.add_argument("path", metavar="FILE.xlsx", help="where to write it")
    p.add_argument("--lang", choices=["fr", "en"], default="fr",
                   help="language of the workbook and of the messages (default fr; both are read back)")

    p = sub.add_parser("report", help="the annual savings report (HTML, Excel annex, CSV)")
    p.add_argument("--year", type=int, required=True, help="reporting year")
    p.add_argument("--actuals", required=True, metavar="FILE", help="the officer's actuals workbook")
    p.add_argument("--scenario", metavar="FILE", default=None, help="plan scenario (default: params/baseline.yaml)")
    _source_options(p)
    p.add_argument("--lang", choices=["fr", "en"], default="fr", help="report language (default fr)")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (replaced only on success)")

    p = sub.add_parser("quarterly", help="the quarterly monitoring pack (HTML, Excel workbook, CSV)")
    p.add_argument("--quarter", required=True, metavar="QUARTER", help="quarter, e.g. 2020T3 (or 2020-T3, 2020Q3)")
    p.add_argument("--actuals", required=True, metavar="FILE", help="the officer's actuals workbook")
    p.add_argument("--scenario", metavar="FILE", default=None, help="plan scenario (default: params/baseline.yaml)")
    _source_options(p)
    p.add_argument("--lang", choices=["fr", "en"], default="fr", help="pack language (default fr)")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (replaced only on success)")
    return parser


def _source_options(parser: argparse.ArgumentParser) -> None:
    """``--ds-export``, ``--chorus`` and ``--chorus-mapping`` of ``report`` and ``quarterly``."""
    parser.add_argument("--ds-export", metavar="FILE", nargs="+", default=[],
                        help="démarches-simplifiées exports (xlsx, csv, ods): the axis 1 processing time measured "
                             "on them, its chart and processing_times.csv")
    parser.add_argument("--chorus", metavar="FILE", default=None,
                        help="Chorus extract (CSV or xlsx): the FTAP credits cross-check and credits_crosscheck.csv")
    parser.add_argument("--chorus-mapping", metavar="FILE", default=None,
                        help="with --chorus: how to read the extract (default: params/chorus_mapping.yaml)")


def _lang_option(parser: argparse.ArgumentParser) -> None:
    """The ``--lang`` option of a command whose console summary a reader reads."""
    parser.add_argument("--lang", choices=["fr", "en"], default="fr",
                        help="language of the summary and of the messages (default fr)")


def _dispatch_check(args: argparse.Namespace) -> int:
    """``incubo check``: the DS exports, the Chorus extract, the workbook, or else the contract data."""
    if args.ds_export:
        from incubo_analysis.cli.check import run_check_ds

        code = run_check_ds(args.ds_export, lang=args.lang)
        if not (args.chorus or args.actuals):
            return code
    if args.chorus:
        from incubo_analysis.cli.check import run_check_chorus

        return run_check_chorus(args.chorus, actuals=args.actuals, mapping=args.chorus_mapping,
                                scenario=args.scenario, lang=args.lang)
    if args.actuals:
        from incubo_analysis.cli.actuals import run_check_actuals

        return run_check_actuals(args.actuals, scenario=args.scenario, lang=args.lang)
    from incubo_analysis.cli.check import run_check

    return run_check(args.processed, contract=args.contract, lang=args.lang)


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "check":
        return _dispatch_check(args)
    if args.command == "scenario":
        from incubo_analysis.cli.model import run_scenario

        return run_scenario(args.files, args.out, lang=args.lang)
    if args.command == "montecarlo":
        from incubo_analysis.cli.model import run_montecarlo

        return run_montecarlo(args.file, draws=args.draws, seed=args.seed, out=args.out, lang=args.lang)
    if args.command == "sensitivity":
        from incubo_analysis.cli.model import run_sensitivity

        return run_sensitivity(args.file, args.out, lang=args.lang)
    if args.command == "template":
        from incubo_analysis.cli.actuals import run_template

        return run_template(args.kind, args.path, lang=args.lang)
    if args.command == "report":
        from incubo_analysis.cli.report import run_report

        return run_report(year=args.year, actuals=args.actuals, scenario=args.scenario,
                          lang=args.lang, out=args.out, ds_exports=args.ds_export, chorus=args.chorus,
                          chorus_mapping=args.chorus_mapping)
    if args.command == "quarterly":
        from incubo_analysis.cli.quarterly import run_quarterly

        return run_quarterly(quarter=args.quarter, actuals=args.actuals, scenario=args.scenario,
                             lang=args.lang, out=args.out, ds_exports=args.ds_export, chorus=args.chorus,
                             chorus_mapping=args.chorus_mapping)
    raise AssertionError(args.command)  # pragma: no cover - argparse restricts choices


def _printable(text: str) -> str:
    """``text`` with what no terminal encoding can print (lone surrogates from a file) escaped."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``incubo`` command; return its exit code."""
    from incubo_analysis.labels import label

    args = build_parser().parse_args(argv)
    lang = getattr(args, "lang", "fr")
    try:
        return _dispatch(args)
    except InputError as exc:
        print(_printable(label("wb.cli.error", lang).format(command=args.command, message=exc.message_in(lang))),
              file=sys.stderr)
        for problem in exc.shown_problems(lang):  # capped: the first 50, then "… et N autres"
            print(_printable(f"  - {problem}"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        print(label("wb.cli.interrupted", lang), file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""The actuals commands: ``incubo template actuals FILE.xlsx`` and ``incubo check --actuals FILE``.

:mod:`incubo_analysis.cli.main` parses the arguments and calls these functions;
they return 0 or raise an :class:`~incubo_analysis.errors.InputError` (exit 2).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

import pandas as pd

from incubo_analysis.errors import InputError
from incubo_analysis.labels import format_value

__all__ = ["run_template", "run_check_actuals", "actuals_summary"]

TEMPLATE_KINDS: tuple[str, ...] = ("actuals",)


def run_template(kind: str, path: str, *, stream: IO[str] | None = None) -> int:
    """``incubo template actuals FILE.xlsx``: write the empty actuals workbook.

    Parameters
    ----------
    kind : str
        Which template; only ``"actuals"``.
    path : str
        Destination; must end in ``.xlsx``. Written atomically (a temporary file
        beside it, then renamed): an existing file is replaced only on success.
    stream : file, optional
        Where to print the confirmation (default stdout).

    Returns
    -------
    int
        0.

    Raises
    ------
    InputError
        Unknown kind, a path not ending in ``.xlsx``, a folder, or a
        destination that cannot be written.
    """
    from incubo_analysis.monitoring.template import write_actuals_template

    stream = stream or sys.stdout
    if kind not in TEMPLATE_KINDS:
        raise InputError(f"template: unknown kind {kind!r}; expected one of {', '.join(TEMPLATE_KINDS)}")
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise InputError(
            f"{path}: the template is an Excel workbook; expected a file name ending in .xlsx"
        )
    if target.is_dir():
        raise InputError(f"{path}: is a folder; expected a file name ending in .xlsx")
    if not target.resolve().parent.is_dir():
        raise InputError(f"{path}: folder {target.parent} does not exist; create it first")
    try:
        write_actuals_template(target)
    except OSError as exc:
        raise InputError(f"{path}: cannot write the workbook ({exc.strerror or exc})") from None
    print(f"Classeur des réalisations écrit : {path}", file=stream)
    print(f"Remplissez-le puis vérifiez-le avec : incubo check --actuals {path}", file=stream)
    return 0


def run_check_actuals(path: str, *, scenario: str | None = None, stream: IO[str] | None = None) -> int:
    """``incubo check --actuals FILE``: validate an actuals workbook and print a summary.

    Parameters
    ----------
    path : str
        The workbook.
    scenario : str, optional
        A scenario parameter file: its plan is the reference of the summary and its
        horizon bounds the years accepted (default: the contract baseline, 2018–2022).
    stream : file, optional
        Where to print the summary (default stdout).

    Returns
    -------
    int
        0 when the workbook is valid.

    Raises
    ------
    ActualsError
        When it is not, with one located message per problem (exit 2).
    """
    from incubo_analysis.monitoring.reader import read_actuals

    stream = stream or sys.stdout
    plan = None
    if scenario is not None:
        from incubo_analysis.model.params import load_scenario

        plan = load_scenario(scenario)  # validated first: a bad file is exit 2 naming the key
    actuals = read_actuals(path, scenario=plan)
    print(actuals_summary(actuals, plan), file=stream)
    return 0


def _k(x: float) -> str:
    """k€ without the unit, as the terminal tables show them: ``1 051,3`` (U+202F between thousands).

    Examples
    --------
    >>> _k(1051.25).replace("\u202f", "_"), _k(-21.375)
    ('1_051,3', '−21,4')
    """
    return format_value(x, "number", "fr", decimals=1)


def _pct(x: float) -> str:
    """A share as a percentage with one decimal: ``−23,3 %``."""
    return format_value(x, "share", "fr", decimals=1)


def actuals_summary(actuals, scenario=None) -> str:  # noqa: ANN001 - Actuals, Scenario
    """One screen of text describing a validated actuals workbook (French).

    Rows per sheet, years covered, FTE freed and savings per year against the
    plan, credits consumed against the plan, indicator statuses and the gaps
    beyond 10 % left unexplained.
    """
    from incubo_analysis.monitoring.variance import credits_variance, indicator_status, savings_variance

    lines: list[str] = []
    name = os.fspath(actuals.path) if actuals.path is not None else "?"
    lines.append(f"Classeur des réalisations valide : {name}")
    lines.append(f"  sha256 {actuals.sha256}")
    years = actuals.years
    span = f"{years[0]}–{years[-1]}" if years else "aucune"
    lines.append(
        f"Lignes lues : savings {len(actuals.savings)}, credits {len(actuals.credits)}, "
        f"indicators {len(actuals.indicators)} ; années couvertes : {span}"
    )

    sv = savings_variance(actuals, scenario)
    lines.append("")
    lines.append("Économies (k€) — réalisé / prévu (contrat) :")
    if sv.empty:
        lines.append("  aucune économie déclarée")
    else:
        lines.append(f"  {'année':<6}{'ETP libérés':>12}{'ETP prévus':>12}{'réalisé':>11}{'prévu':>11}"
                     f"{'écart':>11}{'écart %':>10}")
        annual = sv.groupby("year", as_index=False)[
            ["actual_etp", "planned_etp", "actual_keur", "planned_keur", "variance_keur"]].sum()
        for r in annual.itertuples(index=False):
            pct = r.variance_keur / r.planned_keur if r.planned_keur else float("nan")
            etp = [format_value(v, "number", "fr", decimals=2) for v in (r.actual_etp, r.planned_etp)]
            lines.append(f"  {r.year:<6}{etp[0]:>12}{etp[1]:>12}{_k(r.actual_keur):>11}"
                         f"{_k(r.planned_keur):>11}{_k(r.variance_keur):>11}{_pct(pct):>10}")

    cv = credits_variance(actuals)
    lines.append("")
    if cv.empty:
        lines.append("Crédits consommés : aucun crédit déclaré")
    else:
        y0, y1 = int(actuals.credits["year"].min()), int(actuals.credits["year"].max())
        lines.append(f"Crédits consommés {y0}–{y1} (k€) — réalisé / prévu sur ces années, part du budget global :")
        for credit in ("AE", "CP"):
            part = cv[cv["credit"] == credit]
            act, plan = float(part["actual_keur"].sum()), float(part["planned_keur"].sum())
            rate = act / plan if plan else float("nan")
            share = float(part["share_of_budget"].sum())
            lines.append(f"  {credit} : {_k(act)} / {_k(plan)} ({_pct(rate)} du prévu), "
                         f"{_pct(share)} du budget 2018–2022")

    st = indicator_status(actuals)
    lines.append("")
    counts = st["status"].value_counts()
    lines.append(
        f"Indicateurs : {len(actuals.indicators)} valeurs déclarées ; cibles échues : {len(st)} "
        f"(vert {int(counts.get('green', 0))}, orange {int(counts.get('amber', 0))}, "
        f"rouge {int(counts.get('red', 0))}, dont non déclarées {int(st['actual'].isna().sum())})"
    )

    missing = sv[sv["explanation_missing"]] if not sv.empty else pd.DataFrame()
    lines.append("")
    if missing.empty:
        lines.append("Explications : tout écart de plus de 10 % est expliqué (§ 7 du contrat).")
    else:
        lines.append(f"Explications manquantes (écart > 10 %, § 7 du contrat) : {len(missing)}")
        for r in missing.itertuples(index=False):
            lines.append(f"  - {r.lever} {r.year} : écart {_k(r.variance_keur)} k€ ({_pct(r.variance_pct)})")
    return "\n".join(lines)

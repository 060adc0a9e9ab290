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
from incubo_analysis.labels import format_value, label

__all__ = ["run_template", "run_check_actuals", "actuals_summary"]

TEMPLATE_KINDS: tuple[str, ...] = ("actuals",)


def run_template(kind: str, path: str, *, lang: str = "fr", stream: IO[str] | None = None) -> int:
    """``incubo template actuals FILE.xlsx [--lang en]``: write the empty actuals workbook.

    Parameters
    ----------
    kind : str
        Which template; only ``"actuals"``.
    path : str
        Destination; must end in ``.xlsx``. Written atomically (a temporary file
        beside it, then renamed): an existing file is replaced only on success.
    lang : {"fr", "en"}
        Language of the workbook and of the messages (French by default).
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
        raise InputError(_t("wb.cli.unknown_kind", lang, kind=repr(kind), kinds=", ".join(TEMPLATE_KINDS)))
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise InputError(_t("wb.cli.not_xlsx", lang, path=path))
    if target.is_dir():
        raise InputError(_t("wb.cli.is_folder", lang, path=path))
    if not target.resolve().parent.is_dir():
        raise InputError(_t("wb.cli.no_folder", lang, path=path, folder=target.parent))
    try:
        write_actuals_template(target, lang=lang)
    except OSError as exc:
        raise InputError(_t("wb.cli.cannot_write", lang, path=path, reason=exc.strerror or exc)) from None
    print(_t("wb.cli.written", lang, path=path), file=stream)
    print(_t("wb.cli.fill", lang, path=path), file=stream)
    return 0


def run_check_actuals(path: str, *, scenario: str | None = None, lang: str = "fr",
                      stream: IO[str] | None = None) -> int:
    """``incubo check --actuals FILE [--lang en]``: validate an actuals workbook and print a summary.

    Parameters
    ----------
    path : str
        The workbook (French or English).
    scenario : str, optional
        A scenario parameter file: its plan is the reference of the summary and its
        horizon bounds the years accepted (default: the contract baseline, 2018–2022).
    lang : {"fr", "en"}
        Language of the messages and of the summary (French by default).
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
    actuals = read_actuals(path, scenario=plan, lang=lang)
    print(actuals_summary(actuals, plan, lang=lang), file=stream)
    return 0


def _t(key: str, lang: str, **fields: object) -> str:
    """The text ``key`` of the label table in ``lang``, its fields filled."""
    return label(key, lang).format(**fields)


def _k(x: float, lang: str = "fr") -> str:
    """k€ without the unit, as the terminal tables show them: ``1 051,3`` (U+202F between thousands).

    Examples
    --------
    >>> _k(1051.25).replace("\u202f", "_"), _k(-21.375)
    ('1_051,3', '−21,4')
    """
    return format_value(x, "number", lang, decimals=1)


def _pct(x: float, lang: str = "fr") -> str:
    """A share as a percentage with one decimal: ``−23,3 %``."""
    return format_value(x, "share", lang, decimals=1)


def actuals_summary(actuals, scenario=None, *, lang: str = "fr", threshold: float = 0.10) -> str:  # noqa: ANN001
    """One screen of text describing a validated actuals workbook, in French (or English).

    Rows per sheet, years covered, FTE freed and savings per year against the
    plan, credits consumed against the plan, indicator statuses, one line each for
    the milestones, the risk register and the reference delays, and the gaps
    beyond ``threshold`` left unexplained. Sheets, levers and statuses are named by
    their labels (no code name); numbers go through :func:`~incubo_analysis.labels.format_value`.

    Parameters
    ----------
    actuals : Actuals
        The validated workbook.
    scenario : Scenario, optional
        The plan (default: the contract baseline).
    lang : {"fr", "en"}
        Language.
    threshold : float
        The share of the plan beyond which a gap needs an explanation (contract § 7).

    Returns
    -------
    str
        The summary, lines separated by newlines.
    """
    from incubo_analysis.monitoring.variance import savings_variance

    name = os.fspath(actuals.path) if actuals.path is not None else "?"
    years = actuals.years
    span = f"{years[0]}–{years[-1]}" if years else label("wb.check.none", lang)
    sheets = {k: label(f"wb.sheet.{k}", lang) for k in ("savings", "credits", "indicators")}
    lines = [
        _t("wb.check.valid", lang, path=name),
        f"  sha256 {actuals.sha256}",
        _t("wb.check.rows", lang, savings=sheets["savings"], ns=len(actuals.savings), credits=sheets["credits"],
           nc=len(actuals.credits), indicators=sheets["indicators"], ni=len(actuals.indicators), span=span),
        "",
    ]
    sv = savings_variance(actuals, scenario, threshold=threshold)
    lines += _savings_lines(sv, lang)
    lines += ["", *_credit_lines(actuals, lang), "", *_indicator_lines(actuals, lang), *_followup_lines(actuals, lang),
              ""]
    limit = format_value(threshold, "share", lang)
    missing = sv[sv["explanation_missing"]] if not sv.empty else pd.DataFrame()
    if missing.empty:
        lines.append(_t("wb.check.all_explained", lang, threshold=limit))
        return "\n".join(lines)
    lines.append(_t("wb.check.missing", lang, threshold=limit, n=len(missing)))
    for r in missing.itertuples(index=False):
        lines.append(_t("wb.check.missing_line", lang, lever=label(r.lever, lang), year=r.year,
                        gap=format_value(r.variance_keur, "keur", lang, decimals=1), pct=_pct(r.variance_pct, lang)))
    return "\n".join(lines)


def _savings_lines(sv: pd.DataFrame, lang: str) -> list[str]:
    """The savings table of the summary: per year, FTE and k€ realised against the plan."""
    lines = [label("wb.check.savings", lang)]
    if sv.empty:
        return [*lines, "  " + label("wb.check.no_savings", lang)]
    h = {k: label(f"wb.check.{k}", lang) for k in ("year", "etp_freed", "planned_etp", "actual", "planned",
                                                    "gap", "gap_pct")}
    lines.append(f"  {h['year']:<6}{h['etp_freed']:>12}{h['planned_etp']:>12}{h['actual']:>11}{h['planned']:>11}"
                 f"{h['gap']:>11}{h['gap_pct']:>10}")
    annual = sv.groupby("year", as_index=False)[
        ["actual_etp", "planned_etp", "actual_keur", "planned_keur", "variance_keur"]].sum()
    for r in annual.itertuples(index=False):
        pct = r.variance_keur / r.planned_keur if r.planned_keur else float("nan")
        etp = [format_value(v, "number", lang, decimals=2) for v in (r.actual_etp, r.planned_etp)]
        lines.append(f"  {r.year:<6}{etp[0]:>12}{etp[1]:>12}{_k(r.actual_keur, lang):>11}"
                     f"{_k(r.planned_keur, lang):>11}{_k(r.variance_keur, lang):>11}{_pct(pct, lang):>10}")
    return lines


def _credit_lines(actuals, lang: str) -> list[str]:  # noqa: ANN001 - Actuals
    """Credits consumed against the plan over the years reported, AE and CP."""
    from incubo_analysis.monitoring.variance import credits_variance

    cv = credits_variance(actuals)
    if cv.empty:
        return [label("wb.check.no_credits", lang)]
    y0, y1 = int(actuals.credits["year"].min()), int(actuals.credits["year"].max())
    lines = [_t("wb.check.credits", lang, y0=y0, y1=y1)]
    for credit in ("AE", "CP"):
        part = cv[cv["credit"] == credit]
        act, plan = float(part["actual_keur"].sum()), float(part["planned_keur"].sum())
        rate = act / plan if plan else float("nan")
        lines.append(_t("wb.check.credit_line", lang, credit=label(credit, lang, short=True), actual=_k(act, lang),
                        planned=_k(plan, lang), rate=_pct(rate, lang),
                        share=_pct(float(part["share_of_budget"].sum()), lang)))
    return lines


def _indicator_lines(actuals, lang: str) -> list[str]:  # noqa: ANN001 - Actuals
    """The count of indicator values and the RAG statuses of the targets due."""
    from incubo_analysis.monitoring.variance import indicator_status

    st = indicator_status(actuals)
    counts = st["status"].value_counts()
    return [_t("wb.check.indicators", lang, n=len(actuals.indicators), due=len(st),
               green=int(counts.get("green", 0)), amber=int(counts.get("amber", 0)),
               red=int(counts.get("red", 0)), missing=int(st["actual"].isna().sum()))]


def _followup_lines(actuals, lang: str) -> list[str]:  # noqa: ANN001 - Actuals
    """One line each for the milestones reported, the risk register and the reference delays."""
    ms, risks, refs = actuals.milestones, actuals.risks, actuals.reference_delays
    lines = [label("wb.check.no_milestones", lang) if ms.empty else
             _t("wb.check.milestones", lang, n=len(ms), done=int(ms["done_on"].notna().sum()),
                forecast=int((ms["forecast_on"].notna() & ms["done_on"].isna()).sum()))]
    if risks.empty:
        lines.append(label("wb.check.no_risks", lang))
    else:
        is_open = risks["status"] == "open"
        scores = (risks["probability"] * risks["impact"])[is_open]
        lines.append(_t("wb.check.risks", lang, n=len(risks), open=int(is_open.sum()), closed=int((~is_open).sum()),
                        score=int(scores.max()) if not scores.empty else label("wb.check.no_open_risk", lang)))
    if refs.empty:
        lines.append(label("wb.check.no_references", lang))
    else:
        names = [_t("wb.check.reference", lang, name=d, days=format_value(x, "number", lang, decimals=0))
                 for d, x in zip(refs["demarche"], refs["reference_days"], strict=True)]
        lines.append(_t("wb.check.references", lang, names=label("wb.check.list_sep", lang).join(names)))
    return lines

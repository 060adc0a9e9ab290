"""Handlers of ``incubo scenario``, ``incubo montecarlo`` and ``incubo sensitivity``.

Each handler validates every input before creating anything, writes its CSV
files through :func:`incubo_analysis.io.atomic_output_dir` (so bad input or a
crash leaves ``--out`` untouched), prints a short summary and returns 0. Bad
input raises :class:`~incubo_analysis.errors.InputError` (exit code 2).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from incubo_analysis.errors import InputError
from incubo_analysis.io import atomic_output_dir, check_output_dir, write_csv
from incubo_analysis.labels import format_value, label
from incubo_analysis.model.appraisal import metrics
from incubo_analysis.model.params import Scenario, load_scenario
from incubo_analysis.model.savings import savings_by_lever
from incubo_analysis.model.uncertainty import MAX_DRAWS, check_draws, monte_carlo, tornado
from incubo_analysis.paths import NON_SCENARIO_FILES

__all__ = ["run_scenario", "run_montecarlo", "run_sensitivity", "MAX_DRAWS"]

# Largest ``--draws`` accepted: MAX_DRAWS whatever the horizon, and within the Monte Carlo
# memory budget for the scenario's horizon (uncertainty.max_draws, checked once the file is read).

# Metrics printed by ``incubo scenario`` -> (unit of labels.format_value, decimals); k€ without
# their unit (the metric's label says it).
_SHOWN: tuple[tuple[str, str, int | None], ...] = (
    ("total_savings_keur", "number", 1),
    ("run_rate_keur", "number", 1),
    ("npv_keur", "number", 1),
    ("roi_ftap", "ratio", 2),
    ("roi_total", "ratio", 2),
    ("payback_year_ftap", "year", None),
    ("payback_year_total", "year", None),
    ("ftap_doctrine_ratio_commitment", "ratio", 2),
    ("ftap_doctrine_ratio_first_payment", "ratio", 2),
    ("ftap_doctrine_ratio_cumulated", "ratio", 2),
)


def _check_out(out: str | os.PathLike[str]) -> Path:
    """Refuse a bad ``--out`` before any work (checked again when the folder is written)."""
    return check_output_dir(out, option="--out")


# Units of the tornado's parameters (labels.format_value unit, decimals); others: 2 decimals.
_PARAMETER_UNITS: dict[str, tuple[str, int]] = {
    "realisation_rate": ("share", 1), "unit_cost_growth": ("share", 1), "discount_rate": ("share", 1),
    "unit_cost_keur": ("keur", 1), "delay_years": ("number", 2),
}


def _comparison(tidy: pd.DataFrame, lang: str = "fr") -> str:
    """The metrics of the scenarios side by side: one row per metric (its label), one column per scenario."""
    names = list(dict.fromkeys(tidy["scenario"]))
    wide = tidy.pivot(index="metric", columns="scenario", values="value")
    rows = [[label("metric", lang), *names]]
    for metric, unit, decimals in _SHOWN:
        rows.append([label(metric, lang),
                     *(format_value(wide.loc[metric, n], unit, lang, decimals=decimals) for n in names)])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for r in rows:
        lines.append("  ".join([r[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True))]))
    return "\n".join(lines)


def _written(out: str, names: Sequence[str], lang: str) -> str:
    """The last line of a command: the files written and their folder."""
    return label("cli.written", lang).format(folder=Path(out), files=", ".join(names))


def run_scenario(files: Sequence[str], out: str, *, lang: str = "fr") -> int:
    """``incubo scenario FILE... --out DIR``: ``savings.csv`` and ``metrics.csv``.

    Parameters
    ----------
    files : sequence of str
        Scenario parameter files; each scenario is named by its ``name`` key,
        else by the file's stem; two files giving the same name are refused.
    out : str
        Output folder (replaced only on success).
    lang : {"fr", "en"}
        Language of the summary printed (French by default).

    Returns
    -------
    int
        0.
    """
    skipped = [f for f in files if Path(f).name in NON_SCENARIO_FILES]
    files = [f for f in files if Path(f).name not in NON_SCENARIO_FILES]
    for f in skipped:  # params/*.yaml also matches the Chorus mapping: say so rather than refuse the glob
        print(label("cli.model.skipped", lang).format(file=f))
    if not files:
        raise _refusal("cli.model.no_file")
    _check_out(out)
    scenarios: list[Scenario] = []
    seen: dict[str, str] = {}
    for f in files:
        s = load_scenario(f)
        if s.name in seen:
            raise _refusal("cli.model.duplicate_name", file=f, name=s.name, other=seen[s.name])
        seen[s.name] = str(f)
        scenarios.append(s)
    savings = savings_by_lever(scenarios)
    tidy = metrics(scenarios)
    with atomic_output_dir(out, command="incubo scenario") as tmp:
        write_csv(savings, tmp / "savings.csv")
        write_csv(tidy, tmp / "metrics.csv")
    print(_comparison(tidy, lang))
    print(_written(out, ["savings.csv", "metrics.csv"], lang))
    return 0


def _refusal(key: str, **fields: object) -> InputError:
    """A refusal of the command line, worded in both languages (the CLI prints the reader's)."""
    texts = {}
    for lang in ("fr", "en"):
        shown = {k: (format_value(v, "count", lang) if k == "high" else v) for k, v in fields.items()}
        texts[lang] = label(key, lang).format(**shown)
    return InputError(texts["en"], texts=texts)


def _check_draws_seed(draws: int, seed: int) -> None:
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or not 0 < draws <= MAX_DRAWS:
        raise _refusal("cli.model.draws", high=MAX_DRAWS, found=draws)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise _refusal("cli.model.seed", found=seed)


def _need_uncertainty(path: str, scenario: Scenario) -> None:
    if not scenario.uncertainty:
        raise _refusal("cli.model.no_uncertainty", file=path)


def run_montecarlo(file: str, *, draws: int, seed: int, out: str, lang: str = "fr") -> int:
    """``incubo montecarlo FILE --draws N --seed S --out DIR``.

    Writes ``montecarlo_summary.csv`` (``metric``, ``mean``, ``p10``, ``p50``,
    ``p90``), ``montecarlo_savings.csv`` (per year) and
    ``montecarlo_probabilities.csv`` (``target``, ``target_keur``,
    ``probability``); the same seed gives byte-identical files. The summary printed is in
    ``lang`` (French by default).
    """
    _check_draws_seed(draws, seed)
    _check_out(out)
    scenario = load_scenario(file)
    _need_uncertainty(file, scenario)
    check_draws(scenario, draws, name=f"{file}: --draws")
    result = monte_carlo(scenario, int(draws), int(seed))
    with atomic_output_dir(out, command="incubo montecarlo") as tmp:
        write_csv(result.summary, tmp / "montecarlo_summary.csv")
        write_csv(result.savings, tmp / "montecarlo_savings.csv")
        write_csv(result.probabilities, tmp / "montecarlo_probabilities.csv")
    _print_montecarlo(scenario.name, int(draws), int(seed), result, lang)
    print(_written(out, ["montecarlo_summary.csv", "montecarlo_savings.csv", "montecarlo_probabilities.csv"], lang))
    return 0


def _print_montecarlo(name: str, draws: int, seed: int, result, lang: str) -> None:
    """The Monte Carlo summary: quantiles of three metrics, probabilities of reaching the targets."""
    s = result.summary.set_index("metric")
    print(label("cli.montecarlo.head", lang).format(name=name, draws=format_value(draws, "count", lang), seed=seed))
    for metric, unit in (("total_savings_keur", "keur"), ("npv_keur", "keur"), ("roi_total", "ratio")):
        q = {k: format_value(s.loc[metric, k], unit, lang) for k in ("p10", "p50", "p90")}
        print(label("cli.montecarlo.quantiles", lang).format(metric=label(metric, lang, short=True), **q))
    for _, r in result.probabilities.iterrows():
        print(label("cli.montecarlo.probability", lang).format(
            target=label(f"target.{r['target']}", lang), keur=format_value(r["target_keur"], "keur", lang),
            p=format_value(r["probability"], "share", lang, decimals=1)))


def run_sensitivity(file: str, out: str, *, lang: str = "fr") -> int:
    """``incubo sensitivity FILE --out DIR``: ``tornado.csv`` (NPV, one parameter at a time); summary in ``lang``."""
    _check_out(out)
    scenario = load_scenario(file)
    _need_uncertainty(file, scenario)
    data = tornado(scenario, "npv_keur")
    with atomic_output_dir(out, command="incubo sensitivity") as tmp:
        write_csv(data, tmp / "tornado.csv")
    npv = label("npv_keur", lang, short=True)
    print(label("cli.sensitivity.head", lang).format(name=scenario.name, metric=npv,
                                                     value=format_value(data["base_value"].iloc[0], "keur", lang)))
    for _, r in data.iterrows():
        unit, decimals = _PARAMETER_UNITS.get(r["parameter"], ("ratio", 2))
        low, high = (format_value(r[k], unit, lang, decimals=decimals) for k in ("low", "high"))
        at_low, at_high, swing = (format_value(r[k], "keur", lang) for k in ("value_at_low", "value_at_high", "swing"))
        print(label("cli.sensitivity.row", lang).format(parameter=label(r["parameter"], lang), low=low, high=high,
                                                        metric=npv, at_low=at_low, at_high=at_high, swing=swing))
    print(_written(out, ["tornado.csv"], lang))
    return 0

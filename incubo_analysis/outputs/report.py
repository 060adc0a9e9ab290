"""The annual savings report: ``incubo report`` (papermill batch, HTML, Excel annex, CSV).

One command turns the contract, a scenario (default: the contract baseline) and the
officer's actuals workbook into a folder for the DITP and the direction du budget::

    DIR/
      incubo_report_YEAR.html      the report, without code (all notebooks, one page)
      incubo_report_YEAR.xlsx      the Excel annex (summary, variance, credits, indicators,
                                   reconciliation, assumptions, provenance)
      savings_variance.csv         machine-readable tables (deterministic)
      credits_variance.csv
      indicators_status.csv
      notebooks/NN_*.ipynb         the executed notebooks

Every input is validated before anything runs (bad input: exit 2, DIR untouched). The
folder is built in a temporary folder beside DIR and moved into place at the end, so a
failed run never leaves a half-written DIR and an existing DIR is replaced only on success.
"""

from __future__ import annotations

import os
import platform
import re
import string
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from incubo_analysis import __version__
from incubo_analysis.io import atomic_output_dir, sha256_file, write_csv
from incubo_analysis.labels import format_value, label
from incubo_analysis.monitoring.annual import ReportInputs, report_tables
from incubo_analysis.outputs.notebook_runs import run_notebooks
from incubo_analysis.paths import CONTRACT_DIR, shown_path

__all__ = ["REPORT_NOTEBOOKS", "summary_table", "notebook_parameters", "provenance", "build_report"]

#: The notebooks of the annual report, in reading order (the explorer is interactive only).
REPORT_NOTEBOOKS: tuple[str, ...] = (
    "01_financing_plan.ipynb",
    "02_savings_model.ipynb",
    "03_scenarios.ipynb",
    "04_savings_variance.ipynb",
    "05_credits_and_indicators.ipynb",
)


def _share(num: float, den: float) -> float:
    """``num / den``, NaN when ``den`` is zero (a rate of nothing planned)."""
    return num / den if den else float("nan")


def _savings_rows(y: int, sv: pd.DataFrame) -> list[tuple[str, dict, float, str]]:
    """(label key, label fields, value, unit) of the year's and cumulated savings."""
    year_rows = sv[sv["year"] == y]
    p, a = year_rows["planned_keur"].sum(), year_rows["actual_keur"].sum()
    return [
        ("summary.planned_savings", {}, p, "k€"),
        ("summary.actual_savings", {}, a, "k€"),
        ("summary.gap", {}, a - p, "k€"),
        ("summary.gap_share", {}, _share(a - p, p), "share"),
        ("summary.volume_effect", {}, year_rows["volume_effect_keur"].sum(), "k€"),
        ("summary.price_effect", {}, year_rows["price_effect_keur"].sum(), "k€"),
        ("summary.planned_etp", {}, year_rows["planned_etp"].sum(), "ETP"),
        ("summary.actual_etp", {}, year_rows["actual_etp"].sum(), "ETP"),
        ("summary.cum_planned_savings", {}, sv["planned_keur"].sum(), "k€"),
        ("summary.cum_actual_savings", {}, sv["actual_keur"].sum(), "k€"),
        ("summary.missing_explanations", {}, float(sv["explanation_missing"].astype(bool).sum()), "count"),
    ]


def _credit_rows(y: int, cv: pd.DataFrame) -> list[tuple[str, dict, float, str]]:
    """(label key, label fields, value, unit) of the credits consumed, CP then AE."""
    rows = []
    for credit in ("CP", "AE"):
        c_y = cv[(cv["year"] == y) & (cv["credit"] == credit)]
        c_all = cv[cv["credit"] == credit]
        planned, consumed = c_y["planned_keur"].sum(), c_y["actual_keur"].sum()
        rows += [
            ("summary.credit_planned", {"credit": credit}, planned, "k€"),
            ("summary.credit_consumed", {"credit": credit}, consumed, "k€"),
            ("summary.credit_rate", {"credit": credit}, _share(consumed, planned), "share"),
            ("summary.credit_budget_share", {"credit": credit}, c_all["share_of_budget"].sum(), "share"),
        ]
    return rows


def summary_table(inputs: ReportInputs, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Key figures of the year: columns ``indicator_label``, ``value``, ``unit``.

    Savings planned / realised / gap for the year and cumulated to date (k€), FTE freed,
    gaps without explanation, credits consumed vs plan (CP and AE, k€ and shares 0–1),
    indicator statuses, the contract reconciliation and the plan's NPV (k€) and both ROIs.
    Every text comes from the label table (:func:`incubo_analysis.labels.label`).
    """
    y, lang = inputs.year, inputs.lang
    ind_y = tables["indicators"][tables["indicators"]["year"] == y]
    rec = tables["reconciliation"]
    met = tables["metrics"].set_index("metric")["value"]
    rows = _savings_rows(y, tables["savings_variance"]) + _credit_rows(y, tables["credits_variance"])
    rows += [("summary.indicator_status", {"status": label(status, lang)},
              float((ind_y["status"] == status).sum()), "count") for status in ("green", "amber", "red")]
    rows += [(f"summary.checks.{status}", {}, float((rec["status"] == status).sum()), "count")
             for status in ("ok", "rounding", "mismatch")]
    rows += [
        ("summary.npv", {}, float(met["npv_keur"]), "k€"),
        ("summary.roi_ftap", {}, float(met["roi_ftap"]), "ratio"),
        ("summary.roi_total", {}, float(met["roi_total"]), "ratio"),
    ]
    return pd.DataFrame([(label(key, lang).format(year=y, **fields), value, unit)
                         for key, fields, value, unit in rows], columns=["indicator_label", "value", "unit"])


def notebook_parameters(inputs: ReportInputs) -> dict[str, dict[str, Any]]:
    """papermill parameters of each report notebook.

    The scenario's keys that differ from the baseline are passed to 02 and 03 exactly
    as a ``-f params/FILE.yaml`` run would; 04 and 05 get the year and the workbook.
    """
    import yaml

    from incubo_analysis.model.params import scenario_to_yaml

    scenario_keys = yaml.safe_load(scenario_to_yaml(inputs.scenario)) or {}
    common = {"lang": inputs.lang}
    actuals = {"year": inputs.year, "actuals": inputs.shown["actuals"]}
    return {
        "01_financing_plan.ipynb": dict(common),
        "02_savings_model.ipynb": {**scenario_keys, **common},
        "03_scenarios.ipynb": {**scenario_keys, **common},
        "04_savings_variance.ipynb": {**actuals, "scenario_file": inputs.shown["scenario"],
                                      "threshold": inputs.threshold, **common},
        "05_credits_and_indicators.ipynb": {**actuals, "scenario_file": inputs.shown["scenario"],
                                            "green": inputs.green, "amber": inputs.amber, **common},
    }


def provenance(inputs: ReportInputs) -> dict[str, str]:
    """Input hashes, parameters and versions (no timestamps)."""
    import matplotlib
    import numpy
    import papermill

    prov: dict[str, str] = {
        "incubo-analysis": __version__,
        "command": (f"incubo report --year {inputs.year} --actuals {inputs.shown['actuals']} "
                    f"--scenario {inputs.shown['scenario']} --lang {inputs.lang}"),
        "year": str(inputs.year),
        "lang": inputs.lang,
        "scenario": inputs.scenario.name,
        "explanation_threshold": f"{inputs.threshold:g}",
        f"sha256 {inputs.shown['actuals']}": inputs.actuals.sha256,
        f"sha256 {inputs.shown['scenario']}": sha256_file(inputs.scenario_path),
    }
    for path in sorted(CONTRACT_DIR.glob("*.csv")):
        prov[f"sha256 {shown_path(path)}"] = sha256_file(path)
    prov.update({
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "numpy": numpy.__version__,
        "matplotlib": matplotlib.__version__,
        "papermill": papermill.__version__,
    })
    return prov


#: Decimals of each summary unit in the HTML (the Excel annex has its own number formats).
_SUMMARY_DECIMALS = {"k€": 1, "share": 1, "ETP": 2, "ratio": 2, "count": 0}


def _summary_markdown(summary: pd.DataFrame, lang: str) -> str:
    """The key figures as a markdown table, numbers through the one formatter."""
    head = f"## {label('summary.title', lang)}\n\n| | |\n|---|---:|\n"
    return head + "\n".join(
        f"| {r.indicator_label} | {format_value(r.value, r.unit, lang, decimals=_SUMMARY_DECIMALS.get(r.unit))} |"
        for r in summary.itertuples(index=False))


#: Content-Security-Policy of the report page: no script and no network at all; inline
#: styles (nbconvert's and pandas') and embedded ``data:`` images only. The page renders offline.
REPORT_CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
              "base-uri 'none'; form-action 'none'")

#: nbconvert's lab page with the policy first and without its scripts (require.js, MathJax,
#: mermaid, widgets: the report has no widget, formula or diagram).
_PAGE_TEMPLATE = (
    "{%- extends 'index.html.j2' -%}\n"
    "{%- block html_head -%}\n"
    f'<meta http-equiv="Content-Security-Policy" content="{REPORT_CSP}">\n'
    "{{ super() }}\n"
    "{%- endblock html_head -%}\n"
    "{%- block html_head_js -%}{%- endblock html_head_js -%}\n"
    "{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}\n"
    "{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}\n"
    "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n"
)


def _md_text(value: object) -> str:
    """User text as inert markdown: every ASCII punctuation as a numeric character reference.

    A character reference never counts as markdown or HTML syntax (CommonMark), so no tag,
    link, emphasis, code span or table column can start from the text; control characters
    and line breaks become spaces (a markdown block cannot end inside the text).
    """
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", str(value))
    return "".join(f"&#{ord(c)};" if c in string.punctuation else c for c in text)


def _intro_markdown(inputs: ReportInputs, title: str) -> str:
    """The title and the introduction, the scenario's name and the actuals' path escaped."""
    template = label("report.intro", inputs.lang).replace("`{actuals}`", "<code>{actuals}</code>")
    return f"# {_md_text(title)}\n\n" + template.format(
        scenario=_md_text(inputs.scenario.name), actuals=_md_text(inputs.shown["actuals"]), year=inputs.year)


def _provenance_markdown(prov: Mapping[str, str], lang: str) -> str:
    """The provenance table (file names, paths, hashes, versions), every value escaped."""
    rows = "\n".join(f"| {_md_text(k)} | <code>{_md_text(v)}</code> |" for k, v in prov.items())
    return (f"## {label('report.provenance', lang)}\n\n| {label('report.provenance.item', lang)} | "
            f"{label('report.provenance.value', lang)} |\n|---|---|\n{rows}")


def _html(executed: Mapping[str, Path], inputs: ReportInputs, prov: Mapping[str, str], path: Path,
          summary: pd.DataFrame) -> None:
    """One HTML page without code: every notebook's outputs, then the provenance.

    User text written by this function (scenario name, file names and paths) is escaped by
    :func:`_md_text`; the notebooks show user text only in tables (pandas escapes them) and
    charts. The page carries :data:`REPORT_CSP` and no script.
    """
    import nbformat
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    lang = inputs.lang
    title = label("report.title", lang).format(year=inputs.year)
    merged = nbformat.v4.new_notebook()
    merged.metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                                      "name": "python3"}, "language_info": {"name": "python"},
                       "title": title}
    merged.cells.append(nbformat.v4.new_markdown_cell(_intro_markdown(inputs, title)))
    merged.cells.append(nbformat.v4.new_markdown_cell(_summary_markdown(summary, inputs.lang)))
    for path_nb in executed.values():
        nb = nbformat.read(path_nb, as_version=4)
        for cell in nb.cells:
            tags = cell.get("metadata", {}).get("tags", [])
            if "parameters" in tags or "injected-parameters" in tags:
                continue
            if cell.cell_type == "code" and not cell.get("outputs"):
                continue
            if cell.cell_type == "markdown":  # each notebook becomes a section: headings one level down
                cell = nbformat.v4.new_markdown_cell(
                    re.sub(r"^(#{1,5}) ", r"#\1 ", cell.source, flags=re.M))
            merged.cells.append(cell)
    merged.cells.append(nbformat.v4.new_markdown_cell(_provenance_markdown(prov, lang)))
    for i, cell in enumerate(merged.cells):
        cell["id"] = f"report-{i:03d}"
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                            extra_loaders=[DictLoader({"incubo_report.html.j2": _PAGE_TEMPLATE})],
                            template_file="incubo_report.html.j2")
    body, _ = exporter.from_notebook_node(merged, resources={"metadata": {"name": title}})
    path.write_text(body, encoding="utf-8")


def build_report(inputs: ReportInputs, out: str | os.PathLike[str], *,
                 progress: Callable[[str], None] | None = None, jobs: int | None = None) -> Path:
    """Build the report folder for validated ``inputs`` (atomically replaces ``out``).

    The notebooks run in the background (papermill, ``jobs`` kernels at a time) while this
    thread computes the tables, the CSV files and the Excel annex; the HTML page is
    assembled once every notebook is done.
    """
    from concurrent.futures import ThreadPoolExecutor

    progress = progress or (lambda msg: None)
    params = notebook_parameters(inputs)
    with atomic_output_dir(out, command="incubo report") as tmp, ThreadPoolExecutor(max_workers=1) as runner:
        notebooks = runner.submit(run_notebooks, list(REPORT_NOTEBOOKS), params, tmp / "notebooks",
                                  progress, jobs=jobs)
        try:
            summary, prov = _write_tables(inputs, tmp)
            import nbconvert  # noqa: F401  (imported while the kernels run)
        except BaseException:
            notebooks.cancel()
            notebooks.exception()  # wait for the kernels before the folder is removed
            raise
        executed = notebooks.result()
        progress(label("report.progress.html", inputs.lang))
        _html(executed, inputs, prov, tmp / f"incubo_report_{inputs.year}.html", summary)
    return Path(out)


def _write_tables(inputs: ReportInputs, tmp: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    """CSV tables and the Excel annex; returns the summary and the provenance."""
    from incubo_analysis.outputs.excel import assumptions_table, workbook_filename, write_report_workbook

    tables = report_tables(inputs)
    prov = provenance(inputs)
    write_csv(tables["savings_variance"], tmp / "savings_variance.csv")
    write_csv(tables["credits_variance"], tmp / "credits_variance.csv")
    write_csv(tables["indicators"], tmp / "indicators_status.csv")
    summary = summary_table(inputs, tables)
    write_report_workbook(
        tmp / workbook_filename(inputs.year), year=inputs.year,
        summary=summary,
        savings_variance=tables["savings_variance"],
        savings_cumulative=tables["savings_cumulative"],
        savings_by_programme=tables["savings_by_programme"],
        credits_variance=tables["credits_variance"],
        credits_quarterly=tables["credits_quarterly"],
        indicators=tables["indicators"],
        reconciliation=tables["reconciliation"],
        assumptions=assumptions_table(),
        provenance=prov, lang=inputs.lang,
    )
    return summary, prov

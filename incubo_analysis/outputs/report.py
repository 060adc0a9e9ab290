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
      processing_times.csv         with --ds-export: processing times per démarche × quarter
      credits_crosscheck.csv       with --chorus: FTAP credits of the workbook against Chorus
      notebooks/NN_*.ipynb         the executed notebooks

Every input is validated before anything runs (bad input: exit 2, DIR untouched). The
folder is built in a temporary folder beside DIR and moved into place at the end, so a
failed run never leaves a half-written DIR and an existing DIR is replaced only on success.
"""

from __future__ import annotations

import os
import platform
import re
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

__all__ = ["REPORT_NOTEBOOKS", "summary_table", "notebook_parameters", "provenance", "build_report",
           "key_figure_card", "toc_html", "page_heading", "html_output_cell", "provenance_markdown", "render_page"]

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
        *_evidence_rows(y, year_rows),
        ("summary.missing_explanations", {}, float(sv["explanation_missing"].astype(bool).sum()), "count"),
    ]


def _evidence_rows(y: int, year_rows: pd.DataFrame) -> list[tuple[str, dict, float, str]]:
    """The year's realised savings by class: documented budget, productivity, undocumented (k€)."""
    from incubo_analysis.monitoring.variance import SAVING_CLASSES, classify_savings

    by_class = year_rows.groupby(classify_savings(year_rows))["actual_keur"].sum()
    return [(f"ledger.summary.{c}", {}, float(by_class.get(c, 0.0)), "k€") for c in SAVING_CLASSES]


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
        *_appraisal_rows(met),
    ]
    return pd.DataFrame([(label(key, lang).format(year=y, **fields), value, unit)
                         for key, fields, value, unit in rows], columns=["indicator_label", "value", "unit"])


def _appraisal_rows(met: pd.Series) -> list[tuple[str, dict, float, str]]:
    """The plan's NPV at 1.2 %, 3.2 % and 4.5 % (k€) and the six readings of the FTAP doctrine."""
    from incubo_analysis.model.appraisal import DOCTRINE_METRICS, RATE_METRICS

    return ([(m, {}, float(met[m]), "k€") for m in RATE_METRICS]
            + [(m, {}, float(met[m]), "ratio") for m in DOCTRINE_METRICS])


def notebook_parameters(inputs: ReportInputs) -> dict[str, dict[str, Any]]:
    """papermill parameters of each report notebook.

    The scenario's keys that differ from the baseline are passed to 02 and 03 exactly
    as a ``-f params/FILE.yaml`` run would; 04 and 05 get the year and the workbook.
    """
    import yaml

    from incubo_analysis.model.params import scenario_to_yaml

    scenario_keys = yaml.safe_load(scenario_to_yaml(inputs.scenario)) or {}
    common = {"lang": inputs.lang}
    src = inputs.sources  # always passed: the notebook's own defaults (the shipped examples) never show
    sources = {"ds_exports": [shown_path(p) for p in src.ds_paths],
               "chorus": shown_path(src.chorus_path) if src.chorus_path else "",
               "chorus_mapping": shown_path(src.chorus_mapping_path) if src.chorus_mapping_path else ""}
    actuals = {"year": inputs.year, "actuals": inputs.shown["actuals"]}
    return {
        "01_financing_plan.ipynb": dict(common),
        "02_savings_model.ipynb": {**scenario_keys, **common},
        "03_scenarios.ipynb": {**scenario_keys, **common},
        "04_savings_variance.ipynb": {**actuals, "scenario_file": inputs.shown["scenario"],
                                      "threshold": inputs.threshold, **common},
        "05_credits_and_indicators.ipynb": {**actuals, "scenario_file": inputs.shown["scenario"],
                                            "green": inputs.green, "amber": inputs.amber, **sources, **common},
    }


def provenance(inputs: ReportInputs) -> dict[str, str]:
    """Input hashes, parameters and versions (no timestamps)."""
    import matplotlib
    import numpy
    import papermill

    prov: dict[str, str] = {
        "incubo-analysis": __version__,
        "command": (f"incubo report --year {inputs.year} --actuals {inputs.shown['actuals']} "
                    f"--scenario {inputs.shown['scenario']}{_source_options(inputs)} --lang {inputs.lang}"),
        "year": str(inputs.year),
        "lang": inputs.lang,
        "scenario": inputs.scenario.name,
        "explanation_threshold": f"{inputs.threshold:g}",
        f"sha256 {inputs.shown['actuals']}": inputs.actuals.sha256,
        f"sha256 {inputs.shown['scenario']}": sha256_file(inputs.scenario_path),
    }
    prov.update({f"sha256 {shown}": digest for shown, digest in inputs.sources.hashes.items()})
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


def _source_options(inputs: ReportInputs) -> str:
    """The ``--ds-export`` / ``--chorus`` / ``--chorus-mapping`` options of the run ("" without sources)."""
    import shlex

    from incubo_analysis.paths import CHORUS_MAPPING

    src = inputs.sources
    text = "".join(f" {shlex.quote(shown_path(p))}" for p in src.ds_paths)
    text = f" --ds-export{text}" if text else ""
    if src.chorus_path is not None:
        text += f" --chorus {shlex.quote(shown_path(src.chorus_path))}"
    if src.chorus_mapping_path is not None and src.chorus_mapping_path.resolve() != CHORUS_MAPPING.resolve():
        text += f" --chorus-mapping {shlex.quote(shown_path(src.chorus_mapping_path))}"
    return text


#: Card colours of the Synthèse: (background, border) by tone.
_TONES = {"good": ("#E3F5E8", "#18753C"), "warn": ("#FFF4D6", "#B07B00"), "bad": ("#FFE9E9", "#CE0500"),
          "info": ("#EEF2FB", "#000091")}


def _tone(share: float, *, good: float = -0.05, warn: float = -0.15) -> str:
    """A gap's tone: within ``good`` of plan is good, within ``warn`` amber, else red."""
    if share != share:  # NaN: nothing planned
        return "info"
    return "good" if share >= good else "warn" if share >= warn else "bad"


def _card(head: str, value: str, sub: str, tone: str) -> str:
    """One key-figure card (inline styles: the page's policy allows no stylesheet file)."""
    from html import escape

    bg, border = _TONES[tone]
    return (f'<div style="flex:1 1 200px;background:{bg};border-left:6px solid {border};padding:6px 10px;'
            f'border-radius:4px;min-width:190px"><div style="font-size:85%;color:#3A3A3A">{escape(head)}</div>'
            f'<div style="font-size:135%;font-weight:bold;color:{border}">{escape(value)}</div>'
            f'<div style="font-size:80%;color:#3A3A3A">{escape(sub)}</div></div>')


def _savings_cards(inputs: ReportInputs, sv: pd.DataFrame) -> list[str]:
    """The year's realised savings and the cumulated savings against plan."""
    y, lang = inputs.year, inputs.lang
    k = lambda v: format_value(v, "k€", lang, decimals=1)  # noqa: E731
    cards = []
    for key, rows in (("card.savings_year", sv[sv["year"] == y]), ("card.savings_cum", sv[sv["year"] <= y])):
        p, a = rows["planned_keur"].sum(), rows["actual_keur"].sum()
        gap = _share(a - p, p)
        sub = label(f"{key}.sub", lang).format(planned=k(p), gap=format_value(gap, "share", lang, decimals=1))
        cards.append(_card(label(key, lang).format(year=y), k(a), sub, _tone(gap)))
    return [*cards, _evidence_card(inputs, sv[sv["year"] == y])]


def _evidence_card(inputs: ReportInputs, year_rows: pd.DataFrame) -> str:
    """The year's documented budget savings; productivity gains and undocumented savings beneath.

    Tone: good when nothing realised is undocumented, amber when under half of it is, red beyond.
    """
    from incubo_analysis.monitoring.variance import classify_savings

    lang = inputs.lang
    k = lambda v: format_value(v, "k€", lang, decimals=1)  # noqa: E731
    by_class = year_rows.groupby(classify_savings(year_rows))["actual_keur"].sum()
    amount = {c: float(by_class.get(c, 0.0)) for c in ("documented_budget", "productivity", "undocumented")}
    undocumented = _share(amount["undocumented"], float(year_rows["actual_keur"].sum()))
    tone = "info" if undocumented != undocumented else (
        "good" if undocumented == 0 else "warn" if undocumented < 0.5 else "bad")
    sub = label("ledger.card.sub", lang).format(productivity=k(amount["productivity"]),
                                                undocumented=k(amount["undocumented"]))
    return _card(label("ledger.card", lang).format(year=inputs.year), k(amount["documented_budget"]), sub, tone)


def _credit_and_indicator_cards(inputs: ReportInputs, cv: pd.DataFrame, ind: pd.DataFrame) -> list[str]:
    """Credits consumed in % of plan (CP, AE) and the indicators' RAG counts."""
    y, lang = inputs.year, inputs.lang
    pct = lambda v: format_value(v, "share", lang, decimals=0)  # noqa: E731
    rate = {}
    for credit in ("CP", "AE"):
        sel = cv[(cv["year"] == y) & (cv["credit"] == credit)]
        rate[credit] = (_share(sel["actual_keur"].sum(), sel["planned_keur"].sum()), sel)
    cp = rate["CP"][1]
    sub = label("card.credits.sub", lang).format(
        cp_keur=format_value(cp["actual_keur"].sum(), "k€", lang, decimals=1),
        cp_planned=format_value(cp["planned_keur"].sum(), "k€", lang, decimals=1), year=y,
        share=pct(cv[(cv["credit"] == "CP") & (cv["year"] <= y)]["share_of_budget"].sum()))
    credits = _card(label("card.credits", lang).format(year=y),
                    label("card.credits.value", lang).format(cp=pct(rate["CP"][0]), ae=pct(rate["AE"][0])),
                    sub, _tone(rate["CP"][0] - 1))
    counts = ind[ind["year"] == y]["status"].value_counts()
    n = {s: int(counts.get(s, 0)) for s in ("green", "amber", "red")}
    tone = "bad" if n["red"] else "warn" if n["amber"] else "good"
    indicators = _card(label("card.indicators", lang).format(year=y), label("card.indicators.value", lang).format(**n),
                       label("card.indicators.sub", lang).format(g=pct(inputs.green), a=pct(inputs.amber)), tone)
    return [credits, indicators]


def _chorus_cards(inputs: ReportInputs, tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """With a Chorus extract and a difference over 1 k€: one red card listing the first three."""
    cross = tables.get("credits_crosscheck")
    if cross is None or not cross["flagged"].any():
        return []
    lang = inputs.lang
    flagged = cross.loc[cross["flagged"]]
    tick = label("chart.quarterly.tick", lang)
    items = [f"{tick.format(year=int(r.year), quarter=int(r.quarter))} {r.credit} "
             f"{'+' if r.difference_keur > 0 else ''}{format_value(r.difference_keur, 'k€', lang, decimals=2)}"
             for r in flagged.head(3).itertuples(index=False)]
    listed = " ; ".join(items) if lang == "fr" else "; ".join(items)
    if len(flagged) > 3:
        listed += " …"
    sub = label("card.chorus.sub", lang).format(quarter=tick.format(year=inputs.year, quarter=4), list=listed)
    value = label("card.chorus.value" if len(flagged) > 1 else "card.chorus.value_one", lang).format(n=len(flagged))
    return [_card(label("card.chorus", lang), value, sub, "bad")]


def _plan_cards(inputs: ReportInputs, met: pd.Series) -> list[str]:
    """The plan's payback years and the FTAP doctrine reading (the scenario's metrics)."""
    lang = inputs.lang
    year = lambda v: label("missing", lang) if pd.isna(v) else str(int(v))  # noqa: E731
    payback = _card(label("card.payback", lang),
                    label("card.payback.value", lang).format(ftap=year(met.get("payback_year_ftap"))),
                    label("card.payback.sub", lang).format(total=year(met.get("payback_year_total"))), "info")
    return [payback, _doctrine_card(inputs, met)]


def _doctrine_card(inputs: ReportInputs, met: pd.Series) -> str:
    """The FTAP doctrine without a verdict: the range of its six readings, and the NPV at 3.2 %.

    When the horizon goes past the financing plan without running costs, the sub-line says
    that the horizon counts savings without costs.
    """
    from incubo_analysis.model.appraisal import DOCTRINE_METRICS
    from incubo_analysis.model.params import PLAN_LAST_YEAR

    lang = inputs.lang
    ratios = [float(met[m]) for m in DOCTRINE_METRICS if m in met and not pd.isna(met[m])]
    r = lambda v: format_value(v, "ratio", lang, decimals=2)  # noqa: E731
    value = label("appraisal.doctrine.range", lang).format(low=r(min(ratios)), high=r(max(ratios))) if ratios \
        else label("missing", lang)
    sub = label("appraisal.card.doctrine.sub", lang).format(
        npv=format_value(met.get("npv_3_2pct_keur"), "k€", lang, decimals=1))
    s = inputs.scenario
    if s.horizon_end > PLAN_LAST_YEAR and not s.running_costs_keur:
        sub += " " + label("appraisal.card.no_costs", lang).format(plan=PLAN_LAST_YEAR, last=s.horizon_end)
    return _card(label("appraisal.card.doctrine", lang), value, sub, "info")


def synthesis_html(inputs: ReportInputs, tables: Mapping[str, pd.DataFrame]) -> str:
    """The Synthèse: six key-figure cards and the headline chart (planned vs realised by year).

    Fits the first screen at 1366×768 under the title and the table of contents.
    """
    import base64
    import io

    import matplotlib.pyplot as plt

    from incubo_analysis.outputs.plots import plot_headline_savings

    sv = tables["savings_variance"]
    met = tables["metrics"].set_index("metric")["value"]
    cards = (_savings_cards(inputs, sv) + _credit_and_indicator_cards(inputs, tables["credits_variance"],
                                                                      tables["indicators"])
             + _chorus_cards(inputs, tables) + _plan_cards(inputs, met))
    ax = plot_headline_savings(sv, year=inputs.year, lang=inputs.lang)
    buf = io.BytesIO()
    ax.figure.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    plt.close(ax.figure)
    year_rows = sv[sv["year"] == inputs.year]
    alt = label("alt.headline", inputs.lang).format(
        first=int(sv["year"].min()), year=inputs.year,
        actual=format_value(year_rows["actual_keur"].sum(), "k€", inputs.lang, decimals=1),
        planned=format_value(year_rows["planned_keur"].sum(), "k€", inputs.lang, decimals=1))
    from html import escape

    img = (f'<img src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}" alt="{escape(alt)}" '
           'style="width:420px;max-width:100%;flex:0 0 auto">')
    grid = ('<div style="display:flex;flex-wrap:wrap;gap:8px;flex:1 1 520px;align-content:flex-start">'
            + "".join(cards) + "</div>")
    return f'<div style="display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start">{grid}{img}</div>'


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
    """User text as inert markdown (see :func:`incubo_analysis.outputs.workflow.markdown_text`)."""
    from incubo_analysis.outputs.workflow import markdown_text

    return markdown_text(value)


def _intro_markdown(inputs: ReportInputs, title: str) -> str:
    """The title, the lead and the source of the actuals, the scenario's name and the path escaped."""
    from incubo_analysis.outputs.workflow import is_example_actuals

    lang = inputs.lang
    lead = label("report.lead", lang).replace("`incubo_report_{year}.xlsx`", "<code>incubo_report_{year}.xlsx</code>")
    key = "note.actuals.example" if is_example_actuals(inputs.actuals_path) else "note.actuals"
    source = label(key, lang).format(path=f"<code>{_md_text(inputs.shown['actuals'])}</code>")
    scenario = _md_text(label(inputs.scenario.name, lang))  # the baseline by its label, others by their name
    return f"# {_md_text(title)}\n\n" + lead.format(scenario=scenario, year=inputs.year) + f" {source}"


def _provenance_markdown(prov: Mapping[str, str], lang: str) -> str:
    """The provenance table (file names, paths, hashes, versions), every value escaped."""
    from incubo_analysis.outputs.excel import provenance_key  # the keys in words, as in the annex

    rows = "\n".join(f"| {_md_text(provenance_key(str(k), lang))} | <code>{_md_text(v)}</code> |"
                     for k, v in prov.items())
    return (f"| {label('report.provenance.item', lang)} | "
            f"{label('report.provenance.value', lang)} |\n|---|---|\n{rows}")


#: The page's sections after the Synthèse: (anchor, label key, notebooks in order).
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("economies", "report.section.savings", ("04_savings_variance.ipynb",)),
    ("credits-indicateurs", "report.section.credits", ("05_credits_and_indicators.ipynb",)),
    ("modele-scenarios", "report.section.model", ("02_savings_model.ipynb", "03_scenarios.ipynb")),
    ("annexe-rapprochement", "report.section.annex", ("01_financing_plan.ipynb",)),
)

#: Cells of notebook 01 in the report's order: its lead, the named inconsistencies, the
#: counts, then the financing plan (cell ids; the others follow in notebook order).
_ANNEX_ORDER = ("01-00", "01-10", "01-11", "01-07", "01-08", "01-09", "01-03", "01-04", "01-05", "01-06")


def _heading(anchor: str, text: str, level: int = 2) -> str:
    """A heading with a stable anchor (raw HTML in a markdown cell: the text is escaped)."""
    from html import escape

    return f'<h{level} id="{anchor}">{escape(text)}</h{level}>'


def _section_fields(inputs: ReportInputs) -> dict[str, object]:
    """Fields of the section titles and alt texts: year, credit, last year of the plan."""
    return {"year": inputs.year, "credit": "CP", "last": inputs.scenario.horizon_end, "first": 2019}


def _notebook_cells(nb: Any, lang: str, fields: Mapping[str, object], drop: frozenset[str] = frozenset()) -> list:
    """A notebook's cells as the page shows them: markdown from the label table, one level
    down and without the notebook's title; code cells with outputs, charts with alt text.
    Cells tagged with a tag of ``drop`` are left out (the sources not given: :func:`_dropped_tags`)."""
    import nbformat

    from incubo_analysis.labels import has_label

    cells = []
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if "parameters" in tags or "injected-parameters" in tags or drop.intersection(tags):
            continue
        if cell.cell_type == "code" and not cell.get("outputs"):
            continue
        key = f"nb.{cell.get('id')}"
        if cell.cell_type == "markdown":
            text = label(key, lang) if has_label(key) else cell.source
            text = re.sub(r"\A# [^\n]*\n*", "", text)  # the section heading replaces the title
            text = re.sub(r"^(#{2,5}) ", r"#\1 ", text, flags=re.M)
            if text.strip():
                cells.append(nbformat.v4.new_markdown_cell(text))
            continue
        alt_key = f"alt.{cell.get('id')}"
        for out in cell.get("outputs", []):
            if "image/png" in out.get("data", {}):
                out.setdefault("metadata", {})["alt"] = (
                    label(alt_key, lang).format(**fields) if has_label(alt_key) else "")
        cells.append(cell)
    return cells


def _dropped_tags(inputs: ReportInputs) -> frozenset[str]:
    """Tags of the notebook cells about a source not given (``ds-export``, ``chorus``): not on the page."""
    return frozenset(tag for tag, given in (("ds-export", inputs.sources.dossiers is not None),
                                            ("chorus", inputs.sources.chorus is not None)) if not given)


def _ordered(nb: Any, name: str) -> Any:
    """Notebook 01 in the annex's order (:data:`_ANNEX_ORDER`); the others as they are."""
    if not name.startswith("01"):
        return nb
    rank = {cid: i for i, cid in enumerate(_ANNEX_ORDER)}
    nb.cells = sorted(nb.cells, key=lambda c: rank.get(c.get("id"), len(rank)))
    return nb


def _html_cell(html: str) -> Any:
    """A code cell whose only output is ``html`` (the page's own blocks: TOC, Synthèse)."""
    import nbformat

    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": html})]
    return cell


def _toc_html(lang: str, entries: list[tuple[str, str]]) -> str:
    """The clickable table of contents."""
    from html import escape

    links = "".join(f'<li><a href="#{a}">{escape(t)}</a></li>' for a, t in entries)
    return (f'<nav aria-label="{escape(label("report.toc", lang))}" style="margin:0.3em 0 0.6em">'
            f'<strong>{escape(label("report.toc", lang))}</strong>'
            f'<ol style="margin:0.2em 0;padding-left:1.4em;columns:2">{links}</ol></nav>')


def _page_cells(executed: Mapping[str, Path], inputs: ReportInputs, prov: Mapping[str, str],
                tables: Mapping[str, pd.DataFrame] | None, title: str) -> list:
    """Every cell of the page in reading order: intro, TOC, Synthèse, sections, provenance."""
    import nbformat

    lang, fields = inputs.lang, _section_fields(inputs)
    by_name = {Path(str(k)).name: v for k, v in executed.items()}
    entries = [("synthese", label("report.section.summary", lang).format(**fields))]
    entries += [(a, label(k, lang).format(**fields)) for a, k, _ in SECTIONS]
    entries.append(("provenance", label("report.section.provenance", lang)))
    cells = [nbformat.v4.new_markdown_cell(_intro_markdown(inputs, title)), _html_cell(_toc_html(lang, entries)),
             nbformat.v4.new_markdown_cell(_heading(*entries[0])),
             _html_cell(synthesis_html(inputs, tables if tables is not None else report_tables(inputs)))]
    known = {n for _, _, names in SECTIONS for n in names}
    for (anchor, text), (_, _, names) in zip(entries[1:], SECTIONS, strict=False):
        cells.append(nbformat.v4.new_markdown_cell(_heading(anchor, text)))
        if anchor == "annexe-rapprochement":
            cells.append(nbformat.v4.new_markdown_cell(label("report.annex.lead", lang)))
        extra = [n for n in by_name if n not in known] if anchor == "economies" else []
        for name in [*names, *extra]:
            if name in by_name:
                nb = _ordered(nbformat.read(by_name[name], as_version=4), name)
                cells += _notebook_cells(nb, lang, fields, _dropped_tags(inputs))
    cells.append(nbformat.v4.new_markdown_cell(_heading(*entries[-1])))
    cells.append(nbformat.v4.new_markdown_cell(_generation_line(inputs, prov)))
    cells.append(nbformat.v4.new_markdown_cell(_provenance_markdown(prov, lang)))
    return cells


def _generation_line(inputs: ReportInputs, prov: Mapping[str, str]) -> str:
    """Version and input hashes, no timestamp."""
    return label("report.generated", inputs.lang).format(
        version=_md_text(__version__), actuals=f"<code>{inputs.actuals.sha256[:16]}</code>",
        scenario=f"<code>{sha256_file(inputs.scenario_path)[:16]}</code>")


#: The image block of the page: the alt text of each chart from its output's metadata.
_IMAGE_BLOCK = (
    "{% block data_png scoped %}"
    '<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">'
    "<img src=\"data:image/png;base64,{{ output.data['image/png'] | escape_html }}\" "
    "alt=\"{{ output.metadata.get('alt', '') | escape_html }}\" style=\"max-width:100%\"></div>"
    "{%- endblock data_png %}\n"
)


def _html(executed: Mapping[str, Path], inputs: ReportInputs, prov: Mapping[str, str], path: Path,
          summary: pd.DataFrame, tables: Mapping[str, pd.DataFrame] | None = None) -> None:
    """One HTML page without code, message first (see :data:`SECTIONS`), then the provenance.

    User text written by this function (scenario name, file names and paths) is escaped by
    :func:`_md_text`; the notebooks show user text only in tables (pandas escapes them) and
    charts. The page carries :data:`REPORT_CSP` and no script. ``summary`` is the Excel
    annex's key-figure table (the page's Synthèse draws its cards from ``tables``).
    """
    import nbformat

    lang = inputs.lang
    title = label("report.title", lang).format(year=inputs.year)
    merged = nbformat.v4.new_notebook()
    merged.metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                                      "name": "python3"}, "language_info": {"name": "python"},
                       "title": title}
    merged.cells = _page_cells(executed, inputs, prov, tables, title)
    for i, cell in enumerate(merged.cells):
        cell["id"] = f"report-{i:03d}"
    path.write_text(render_page(merged, title=title, lang=lang), encoding="utf-8")


def render_page(merged: Any, *, title: str, lang: str) -> str:
    """A page's HTML from a notebook of its cells: no code, :data:`REPORT_CSP`, no script, alt texts.

    Parameters
    ----------
    merged : nbformat.NotebookNode
        The page's cells (markdown and code cells with outputs; each chart's alt text in its
        output's ``metadata["alt"]``).
    title : str
        The page's ``<title>``.
    lang : {"fr", "en"}
        The page's ``<html lang>``.

    Returns
    -------
    str
        The HTML page (the annual report's and the quarterly pack's).
    """
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                            extra_loaders=[DictLoader({"incubo_report.html.j2": _PAGE_TEMPLATE + _IMAGE_BLOCK})],
                            template_file="incubo_report.html.j2")
    body, _ = exporter.from_notebook_node(merged, resources={"metadata": {"name": title}})
    return re.sub(r"<html[^>]*>", f'<html lang="{lang}">', body, count=1)


def key_figure_card(head: str, value: str, sub: str, tone: str) -> str:
    """One key-figure card of a page's synthesis (``tone``: ``good``, ``warn``, ``bad`` or ``info``)."""
    return _card(head, value, sub, tone)


def toc_html(lang: str, entries: list[tuple[str, str]]) -> str:
    """The clickable table of contents of a page: ``entries`` are (anchor, title)."""
    return _toc_html(lang, entries)


def page_heading(anchor: str, text: str, level: int = 2) -> str:
    """A heading with a stable anchor (raw HTML for a markdown cell; ``text`` is escaped)."""
    return _heading(anchor, text, level)


def html_output_cell(html: str) -> Any:
    """A code cell whose only output is ``html`` (a page's own blocks: TOC, cards)."""
    return _html_cell(html)


def provenance_markdown(prov: Mapping[str, str], lang: str) -> str:
    """The provenance table of a page (keys in words, every value escaped)."""
    return _provenance_markdown(prov, lang)


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
            summary, prov, tables = _write_tables(inputs, tmp)
            import nbconvert  # noqa: F401  (imported while the kernels run)
        except BaseException:
            notebooks.cancel()
            notebooks.exception()  # wait for the kernels before the folder is removed
            raise
        executed = notebooks.result()
        progress(label("report.progress.html", inputs.lang))
        _html(executed, inputs, prov, tmp / f"incubo_report_{inputs.year}.html", summary, tables)
    return Path(out)


def _write_tables(inputs: ReportInputs, tmp: Path) -> tuple[pd.DataFrame, dict[str, str], dict[str, pd.DataFrame]]:
    """CSV tables and the Excel annex; returns the summary, the provenance and the tables."""
    from incubo_analysis.outputs.excel import assumptions_table, workbook_filename, write_report_workbook

    tables = report_tables(inputs)
    prov = provenance(inputs)
    write_csv(tables["savings_variance"], tmp / "savings_variance.csv")
    write_csv(tables["credits_variance"], tmp / "credits_variance.csv")
    write_csv(tables["indicators"], tmp / "indicators_status.csv")
    for name in ("processing_times", "credits_crosscheck"):
        if name in tables:  # only with --ds-export / --chorus
            write_csv(tables[name], tmp / f"{name}.csv")
    summary = summary_table(inputs, tables)
    write_report_workbook(
        tmp / workbook_filename(inputs.year), year=inputs.year,
        summary=summary,
        savings_variance=tables["savings_variance"],
        savings_cumulative=tables["savings_cumulative"],
        savings_by_programme=tables["savings_by_programme"],
        savings_by_evidence=tables.get("savings_by_evidence"),
        credits_variance=tables["credits_variance"],
        credits_quarterly=tables["credits_quarterly"],
        indicators=tables["indicators"],
        reconciliation=tables["reconciliation"],
        assumptions=assumptions_table(),
        provenance=prov, lang=inputs.lang,
        processing_times=tables.get("processing_times"),
        credits_crosscheck=tables.get("credits_crosscheck"),
    )
    return summary, prov, tables

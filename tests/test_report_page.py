"""The annual report page, message first: section order, TOC, full explanations, cards, languages.

One report run per language (module fixture) on the shipped example; expected figures by hand
from the example workbook (tools/example_actuals.py) and the contract.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser

import nbformat
import pytest

from incubo_analysis.contract.schema import LEVERS
from incubo_analysis.labels import label
from incubo_analysis.outputs.report import REPORT_NOTEBOOKS
from incubo_analysis.paths import EXAMPLE_ACTUALS, ROOT
from tests.helpers import add_savings_rows


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.alts: list[str | None] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "a" and a.get("href", "").startswith("#"):
            self.hrefs.append(a["href"][1:])
        if tag == "img":
            self.alts.append(a.get("alt"))
        if tag == "style":
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "style":
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


#: The two report runs: French on the shipped example (2021), English on a workbook that is
#: not the example, for 2023 with the longer horizon (a year after the contract: it crashed once).
RUNS = {"fr": {"year": 2021, "scenario": None}, "en": {"year": 2023, "scenario": "params/horizon_2026.yaml"}}


@pytest.fixture(scope="module", params=["fr", "en"])
def page(request, tmp_path_factory):
    """One real ``incubo report`` per language, run as a user runs it (its console is kept)."""
    lang, run_of = request.param, RUNS[request.param]
    base = tmp_path_factory.mktemp(f"report_{lang}")
    actuals = EXAMPLE_ACTUALS
    if run_of["year"] == 2023:  # the example plus 19 + 5 + 4 + 3 = 31 FTE freed in 2023
        rows = [("dematerialisation", 2023, 19.0), ("process_optimisation", 2023, 5.0),
                ("digital_tools_and_data", 2023, 4.0), ("user_support", 2023, 3.0)]
        actuals = add_savings_rows(EXAMPLE_ACTUALS, base / "actuals_2023.xlsx", "Économies", rows)
    out = base / "r"
    argv = ["report", "--year", str(run_of["year"]), "--actuals", str(actuals), "--out", str(out), "--lang", lang]
    if run_of["scenario"]:
        argv += ["--scenario", str(ROOT / run_of["scenario"])]
    run = subprocess.run([sys.executable, "-m", "incubo_analysis", *argv], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    html = (out / f"incubo_report_{run_of['year']}.html").read_text(encoding="utf-8")
    parsed = _Page()
    parsed.feed(html)
    CONSOLE[lang] = (run.stdout, run.stderr, out)
    return lang, html, parsed, re.sub(r"[ \t\r\n]+", " ", " ".join(parsed.text))


#: lang -> (stdout, stderr, output folder) of the report runs of the ``page`` fixture.
CONSOLE: dict[str, tuple[str, str, object]] = {}


def test_sections_in_reading_order_and_toc_resolves(page):
    lang, html, parsed, _text = page
    order = ["synthese", "economies", "credits-indicateurs", "modele-scenarios", "annexe-rapprochement", "provenance"]
    positions = [html.index(f'id="{a}"') for a in order]
    assert positions == sorted(positions)
    assert set(order) <= set(parsed.hrefs)
    assert not [h for h in parsed.hrefs if h not in parsed.ids]


def test_cards_carry_the_example_figures(page):
    lang, _html, _parsed, text = page
    if lang == "fr":  # 2021: 1 051,25 k€ realised (example) vs 20+5+4+3 ETP × 62,5 % × 57 = 1 140 k€
        assert "1\u202f051,3\u00a0k€" in text and "1\u202f140,0\u00a0k€" in text and "\u22127,8\u202f%" in text
        assert "Synthèse 2021" in text
    else:  # 2023 with horizon_2026: 31 × 57 = 1 767 k€ realised vs the run rate 32 × 57 = 1 824 k€, −3.1 %
        assert "Savings realised in 2023 1,767.0\u00a0k€ planned 1,824.0\u00a0k€ · gap -3.1%" in text
        assert "Summary 2023" in text


def test_explanations_in_full_and_every_chart_described(page):
    _lang, _html, parsed, text = page
    src = (ROOT / "tools" / "example_actuals.py").read_text(encoding="utf-8")
    longest = max(re.findall(r'"([^"\n]{40,})"', src), key=len)
    assert longest in text
    assert parsed.alts and all(a and "No description" not in a for a in parsed.alts)


def test_no_code_names_in_the_page_text(page):
    _lang, _html, _parsed, text = page
    codes = [*LEVERS, "cofinancing", "npv_keur", "roi_ftap", "roi_total", "explanation_threshold",
             "payback_year_ftap", "ftap_doctrine_ratio_commitment", "planned_keur", "actual_keur"]
    assert not [c for c in codes if re.search(rf"\b{c}\b", text)]


FRENCH_WORDS = ("Économies", "Synthèse", "réalisé", "prévu", "Crédits consommés", "Indicateurs face",
                "Sommaire", "Annexe", "Montants", "vert", "orange", "rouge", "Scénario", "cumul")


def test_english_page_has_no_french_words(page):
    lang, _html, parsed, text = page
    if lang != "en":
        pytest.skip("English page only")
    text = " ".join(t for t in parsed.text if "«" not in t)  # transcribed contract labels quote it: « … »
    found = [w for w in FRENCH_WORDS if re.search(rf"(?<!\w){w}(?!\w)", text)]
    assert not found


def test_example_note_only_for_the_example(page):
    """The French run reads the shipped example (said fictitious); the English one another workbook."""
    lang, _html, _parsed, text = page
    fictitious = label("note.actuals.example", lang).split("{path}")[1].strip(" *.")
    assert (fictitious in text) == (lang == "fr")


def test_every_report_markdown_cell_has_its_label():
    from incubo_analysis.outputs.report import REPORT_NOTEBOOKS

    for name in REPORT_NOTEBOOKS:
        for cell in nbformat.read(ROOT / "notebooks" / name, as_version=4).cells:
            if cell.cell_type == "markdown":
                assert label(f"nb.{cell.id}", "fr") == cell.source, f"{name} {cell.id}"
                assert label(f"nb.{cell.id}", "en") not in ("", cell.source)


def test_a_clean_report_run_prints_progress_and_the_result_only(page):
    """A quiet console (issue 10 § 6): the progress lines and where the result is, nothing else.

    The run is a real process (the ``page`` fixture), so its standard error holds whatever the
    kernels print: ipykernel's "[IPKernelApp] WARNING | Kernel is running over TCP without
    encryption" or "[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel." would show here.
    """
    lang = page[0]
    stdout_text, stderr_text, out = CONSOLE[lang]
    err = stderr_text.splitlines()
    n = len(REPORT_NOTEBOOKS)
    expected = [
        label("report.progress.validating", lang).format(year=RUNS[lang]["year"]),
        label("report.progress.notebooks", lang).format(n=n),
        *sorted(f"  [{i}/{n}] {name}" for i, name in enumerate(REPORT_NOTEBOOKS, 1)),
        label("report.progress.html", lang),
    ]
    # the notebooks finish in any order: compare the "[i/n] NAME" lines as a set of names
    notebook_lines = [line for line in err if line.startswith("  [")]
    assert sorted(line.split("] ", 1)[1] for line in notebook_lines) == sorted(REPORT_NOTEBOOKS)
    assert [line.split("] ")[0] for line in notebook_lines] == [f"  [{i}/{n}" for i in range(1, n + 1)]
    assert [line for line in err if not line.startswith("  [")] == [expected[0], expected[1], expected[-1]]
    assert not any(line.startswith("[IPKernelApp]") or "Traceback" in line or "WARNING" in line for line in err)
    stdout = stdout_text.splitlines()
    done = label("report.done", lang).split("{seconds}")[0]
    annex = label("report.done.annex", lang).split("{path}")[0]
    assert len(stdout) == 2 and stdout[0].startswith(done) and stdout[1].startswith(annex)
    # the injected parameters keep their accents (the guard's translator)
    for name in REPORT_NOTEBOOKS:
        nb = nbformat.read(out / "notebooks" / name, as_version=4)
        injected = "".join(c.source for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
        assert "\\x" not in injected and "\\u" not in injected, (name, injected[:500])
        if name == "02_savings_model.ipynb":
            shown = {"fr": 'description = "Contrat Incub-O, section 3 : 32 ETP de catégorie B à 57 k€',
                     "en": 'description = "Horizon prolongé jusqu\'en 2026'}[lang]  # the scenarios' own words
            assert shown in injected, injected

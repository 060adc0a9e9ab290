"""The annual report page, message first: section order, TOC, full explanations, cards, languages.

One report run per language (module fixture) on the shipped example; expected figures by hand
from the example workbook (tools/example_actuals.py) and the contract.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nbformat
import pytest

from incubo_analysis.contract.schema import LEVERS
from incubo_analysis.labels import label
from incubo_analysis.paths import EXAMPLE_ACTUALS, ROOT


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


@pytest.fixture(scope="module", params=["fr", "en"])
def page(request, tmp_path_factory):
    from incubo_analysis.cli import main

    out = tmp_path_factory.mktemp(f"report_{request.param}") / "r"
    argv = ["report", "--year", "2021", "--actuals", str(EXAMPLE_ACTUALS), "--out", str(out), "--lang", request.param]
    assert main(argv) == 0
    html = (out / "incubo_report_2021.html").read_text(encoding="utf-8")
    parsed = _Page()
    parsed.feed(html)
    return request.param, html, parsed, re.sub(r"[ \t\r\n]+", " ", " ".join(parsed.text))


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
    else:
        assert "1,051.3\u00a0k€" in text and "1,140.0\u00a0k€" in text and "-7.8%" in text


def test_explanations_in_full_and_every_chart_described(page):
    _lang, _html, parsed, text = page
    src = (ROOT / "tools" / "example_actuals.py").read_text(encoding="utf-8")
    longest = max(re.findall(r'"([^"\n]{40,})"', src), key=len)
    assert longest in text
    assert parsed.alts and all(a and "No description" not in a for a in parsed.alts)


def test_no_code_names_in_the_page_text(page):
    _lang, _html, _parsed, text = page
    codes = [*LEVERS, "cofinancing", "npv_keur", "roi_ftap", "roi_total", "explanation_threshold",
             "payback_year_ftap", "ftap_doctrine_ratio", "planned_keur", "actual_keur"]
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
    lang, _html, _parsed, text = page
    assert label("note.actuals.example", lang).split("{path}")[1].strip(" *.") in text


def test_every_report_markdown_cell_has_its_label():
    from incubo_analysis.outputs.report import REPORT_NOTEBOOKS

    for name in REPORT_NOTEBOOKS:
        for cell in nbformat.read(ROOT / "notebooks" / name, as_version=4).cells:
            if cell.cell_type == "markdown":
                assert label(f"nb.{cell.id}", "fr") == cell.source, f"{name} {cell.id}"
                assert label(f"nb.{cell.id}", "en") not in ("", cell.source)

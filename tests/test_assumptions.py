"""The assumptions log: one source (docs/assumptions.yaml), the markdown generated from it.

``docs/assumptions.md`` must be what ``python -m tools.assumptions`` writes (nobody edits one
without the other), and every entry is written in English and in French.
"""

from __future__ import annotations

import re

import pytest

from incubo_analysis.errors import SchemaError
from incubo_analysis.outputs.excel import ASSUMPTIONS_COLUMNS, ASSUMPTIONS_SOURCE, assumptions_table, load_assumptions
from incubo_analysis.paths import DOCS_DIR
from tools.assumptions import main, render_markdown

FIELDS = ("assumption", "source", "relied_on_by")


def _entries(doc):
    return [e for s in doc["sections"] for t in s["tables"] for e in t["entries"]]


@pytest.fixture(scope="module")
def doc():
    return load_assumptions()


def test_the_markdown_is_generated_from_the_source(doc):
    md = (DOCS_DIR / "assumptions.md").read_text(encoding="utf-8")
    assert render_markdown(doc) == md, "docs/assumptions.md is out of date: run python -m tools.assumptions"
    assert main(["--check"]) == 0


def test_every_entry_of_the_markdown_is_in_the_source(doc):
    md = (DOCS_DIR / "assumptions.md").read_text(encoding="utf-8")
    md_ids = re.findall(r"^\| ([A-Z][0-9]+) \|", md, flags=re.MULTILINE)
    assert md_ids == [e["id"] for e in _entries(doc)]
    # C1-C12, M1-M15, U1-U8, B1-B9, A1-A20, R1-R11, N1-N7, X1-X7, E1-E5, P1-P2, O1-O5 at least
    # (the quarterly cycle and the real sources add their own families)
    assert len(md_ids) == len(set(md_ids)) >= 101


def test_every_entry_has_both_languages(doc):
    for entry in _entries(doc):
        for field in FIELDS:
            texts = entry[field]
            assert set(texts) == {"en", "fr"} and all(t.strip() for t in texts.values()), (entry["id"], field)
        # a translation, not a copy of the English
        assert entry["assumption"]["fr"] != entry["assumption"]["en"], entry["id"]
    for section in doc["sections"]:
        assert section["heading"]["fr"] != section["heading"]["en"]


def test_french_keeps_the_numbers(doc):
    """Each figure of an English entry appears in its French twin (decimal point → comma)."""
    number = re.compile(r"\d+(?:[.,]\d+)?")
    for entry in _entries(doc):
        en = {n.replace(".", ",") for n in number.findall(entry["assumption"]["en"])}
        fr = {n.replace(".", ",") for n in number.findall(entry["assumption"]["fr"])}
        assert len(en - fr) <= max(1, len(en) // 5), (entry["id"], sorted(en - fr))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_table_in_each_language(doc, lang):
    table = assumptions_table(lang=lang)
    assert list(table.columns) == list(ASSUMPTIONS_COLUMNS)
    assert table["id"].tolist() == [e["id"] for e in _entries(doc)]
    assert not table[["assumption", "source", "relied_on_by"]].stack().str.contains(r"\*\*|`").any()
    first = table.iloc[0]
    assert first["section"] == _plain_heading(doc, lang)


def _plain_heading(doc, lang):
    return doc["sections"][0]["heading"][lang]


def test_table_with_both_languages():
    both = assumptions_table()
    fr = assumptions_table(lang="fr")
    assert list(both.columns) == [*ASSUMPTIONS_COLUMNS, "section_fr", "assumption_fr", "source_fr",
                                  "relied_on_by_fr"]
    assert both["assumption_fr"].tolist() == fr["assumption"].tolist()
    c10 = both.set_index("id").loc["C10"]
    assert c10["assumption"].startswith('"1,3 M€" of savings (§ 5.2) matches no table total.')
    assert c10["assumption_fr"].startswith("Les « 1,3 M€ » d'économies (§ 5.2) ne correspondent à aucun total")


def test_codes_become_labels_in_the_sheet_text():
    fr = assumptions_table(lang="fr").set_index("id")
    # `realisation_rate` in the source, its label in the sheet; the markdown keeps the key
    assert "realisation_rate" in (DOCS_DIR / "assumptions.md").read_text(encoding="utf-8")
    assert "Taux de réalisation" in fr.loc["B5", "assumption"]
    assert not fr[["assumption", "source", "relied_on_by"]].stack().str.contains(
        r"\b(?:unit_cost_keur|realisation_rate|npv_keur|roi_ftap|base_year|horizon_end)\b").any()


# ----------------------------------------------------------------------------- refusals
GOOD_ENTRY = ("    - id: C1\n      assumption: {en: Amounts as printed, fr: Montants tels qu'imprimés}\n"
              "      source: {en: seed README, fr: README d'origine}\n"
              "      relied_on_by: {en: every figure, fr: tous les chiffres}\n")
HEAD = ("title: {en: Log, fr: Journal}\nintro: {en: Intro, fr: Introduction}\nsections:\n"
        "- heading: {en: 1. Contract, fr: 1. Contrat}\n  tables:\n  - entries:\n")


def test_a_small_source(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(HEAD + GOOD_ENTRY, encoding="utf-8")
    assert render_markdown(load_assumptions(path)) == (
        "# Log\n\nIntro\n\n## 1. Contract\n\n| # | assumption | source | relied on by |\n|---|---|---|---|\n"
        "| C1 | Amounts as printed | seed README | every figure |\n")
    assert assumptions_table(path, lang="fr").iloc[0].tolist() == [
        "1. Contrat", "C1", "Montants tels qu'imprimés", "README d'origine", "tous les chiffres"]


@pytest.mark.parametrize(("text", "message"), [
    (HEAD + GOOD_ENTRY.replace(", fr: Montants tels qu'imprimés", ""), r"C1\)\.assumption: expected a mapping"),
    (HEAD + GOOD_ENTRY.replace("fr: tous les chiffres", "fr: ''"), r"relied_on_by\.fr: expected a non-empty text"),
    (HEAD + GOOD_ENTRY + GOOD_ENTRY, "id C1 defined twice"),
    (HEAD + GOOD_ENTRY.replace("id: C1", "id: c-1"), "expected an id such as C1"),
    (HEAD + GOOD_ENTRY.replace("      source:", "      note: x\n      source:"), "unknown keys note"),
    ("title: [unclosed", "cannot be read as UTF-8 YAML"),
    ("- just a list\n", "expected a mapping with title, intro and a list of sections"),
])
def test_refusals(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SchemaError, match=message):
        load_assumptions(path)


def test_missing_source(tmp_path):
    with pytest.raises(SchemaError, match="nowhere.yaml: file not found"):
        load_assumptions(tmp_path / "nowhere.yaml")
    assert ASSUMPTIONS_SOURCE.name == "assumptions.yaml" and ASSUMPTIONS_SOURCE.exists()

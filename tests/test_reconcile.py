"""Reconciliation: statuses worked out by hand from the printed contract."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from incubo_analysis.contract.reconcile import (
    checks_in_language,
    classify,
    condense_mismatches,
    reconcile_contract,
)
from incubo_analysis.contract.schema import LEVERS
from incubo_analysis.outputs.tables import reconciliation_mismatches, reconciliation_summary


@pytest.fixture(scope="module")
def rec() -> pd.DataFrame:
    return reconcile_contract()


def _one(rec, family, contains, year=None, credit=None) -> pd.Series:
    m = (rec["family"] == family) & rec["check"].str.contains(contains, regex=False)
    if year is not None:
        m &= rec["year"] == year
    if credit is not None:
        m &= rec["credit"] == credit
    rows = rec[m]
    assert len(rows) == 1, (contains, len(rows))
    return rows.iloc[0]


def test_columns_and_statuses(rec):
    assert list(rec.columns)[:5] == ["check", "stated", "computed", "difference", "status"]
    assert set(rec["status"]) <= {"ok", "rounding", "mismatch"}
    assert (rec["difference"] == rec["stated"] - rec["computed"]).all()
    assert rec["check"].is_unique


def test_classify_rule():
    assert classify(1.0, 1.0, 1) == "ok"
    assert classify(134, 133.5, 1) == "rounding"  # half a unit of the last printed digit
    assert classify(134, 133.49, 1) == "mismatch"
    assert classify(106.88, 106.875, 0.01) == "rounding"
    assert classify(1.0, 0.999, None) == "mismatch"  # exact figures admit no rounding


def test_axis1_t2_2018_is_a_mismatch(rec):
    # printed 40; lines 11 (coordinatrice) + 0 (ingénieur) + 8 (régions) + 20 (Intérieur) = 39
    row = _one(rec, "financing_total_vs_lines", "Axe 1 · Total T2 sur autres cofinancements", 2018, "AE")
    assert (row.stated, row.computed, row.status) == (40.0, 39.0, "mismatch")


def test_axis1_t3_2020_is_a_rounding(rec):
    # printed 134; lines 125 + 1 + 1.25 + 5 + 1.25 = 133.5
    row = _one(rec, "financing_total_vs_lines", "Axe 1 · Total T3 sur financement FTAP", 2020, "CP")
    assert (row.stated, row.computed, row.status) == (134.0, 133.5, "rounding")


def test_axis3_t3_cofinancing_omits_the_training_line(rec):
    # printed 5; lines 5 (salle Montpellier) + 15 (formations PFRH) = 20
    row = _one(rec, "financing_total_vs_lines", "Axe 3 · Total T3 sur autres cofinancements", 2019, "CP")
    assert (row.stated, row.computed, row.status) == (5.0, 20.0, "mismatch")


def test_mismatched_source_subtotals_are_exactly_those_found_by_hand(rec):
    """Subtotals per axis x title x source whose lines do not add up, found by reading the seed."""
    expected = set()
    expected |= {("Axe 1 · Total T2 sur autres cofinancements", 2018, c) for c in ("AE", "CP")}
    expected |= {("Axe 2 · Total T2 sur autres cofinancements", 2018, c) for c in ("AE", "CP")}
    expected |= {("Axe 3 · Total T2 sur autres cofinancements", y, c) for y in (2019, 2020, 2021) for c in ("AE", "CP")}
    expected |= {("Axe 3 · Total T3 sur autres cofinancements", 2018, "CP")}
    expected |= {("Axe 3 · Total T3 sur autres cofinancements", y, c) for y in (2019, 2020, 2021) for c in ("AE", "CP")}
    expected |= {("Axe 4 · Total T2 sur autres cofinancements", y, c) for y in (2019, 2020, 2021) for c in ("AE", "CP")}
    m = (rec["family"] == "financing_total_vs_lines") & rec["check"].str.contains(
        "sur financement FTAP|sur autres cofinancements") & (rec["status"] == "mismatch")
    found = {(r.check.split(" · 20")[0], int(r.year), r.credit) for r in rec[m].itertuples()}
    assert found == expected


def test_grand_total_vs_printed_axis_totals(rec):
    # printed "Coût total" 2018 AE 295; printed axis totals 40 + 44 + 138 + 74 = 296
    row = _one(rec, "financing_total_vs_subtotals", "Coût total", 2018, "AE")
    assert (row.stated, row.computed, row.status) == (295.0, 296.0, "mismatch")


def test_savings_total_rows(rec):
    # 2020: 427.5 + 106.88 + 85.5 + 64.125 = 684.005 printed 684 -> rounding
    row = _one(rec, "savings_total_vs_lines", "TOTAL", 2020, "CP")
    assert row.computed == pytest.approx(684.005) and row.status == "rounding"
    # 2019: 142.5 + 35.625 + 28.5 + 21.375 = 228 -> ok
    assert _one(rec, "savings_total_vs_lines", "TOTAL", 2019, "AE").status == "ok"


def test_savings_lever_rounding(rec):
    # 5 FTE x 57 x 0.625 = 178.125 printed 178.13
    row = _one(rec, "savings_lever_vs_etp", "levier Optimisation des processus", 2021, "CP")
    assert row.computed == pytest.approx(178.125) and row.status == "rounding"
    row = _one(rec, "savings_lever_vs_etp", "levier Dématérialisation", 2021, "CP")
    assert row.computed == pytest.approx(20 * 57 * 0.625) and row.status == "ok"


def test_text_figures(rec):
    text = rec[rec["family"] == "text_vs_tables"].set_index("check")
    ax1 = text.loc[[c for c in text.index if c.startswith("Demande FTAP axe 1")][0]]
    assert (ax1.stated, ax1.status) == (405.5, "ok")
    ftap_total = text.loc[[c for c in text.index if "1,2 million" in c][0]]
    assert ftap_total.computed == pytest.approx(405.5 + 321.5 + 230.5 + 277.5) and ftap_total.status == "rounding"
    lines = text.loc[[c for c in text.index if "2,7 millions" in c and "somme des lignes" in c][0]]
    # CP of all lines: 184 + 902 + 872 + 722 = 2 680 -> rounds to 2,7 M€
    assert lines.computed == pytest.approx(2680) and lines.status == "rounding"
    printed = text.loc[[c for c in text.index if "2,7 millions" in c and "imprimée" in c][0]]
    # printed "Coût total" CP: 180 + 886 + 856 + 706 = 2 628 -> 2,6 M€
    assert printed.computed == pytest.approx(2628) and printed.status == "mismatch"
    share = text.loc[[c for c in text.index if "46 %" in c and "somme des lignes" in c][0]]
    assert share.computed == pytest.approx(1235 / 2680) and share.status == "rounding"
    savings = text.loc[[c for c in text.index if "1,3 M€" in c][0]]
    assert savings.computed == pytest.approx(228 + 684 + 1140 + 1824) and savings.status == "mismatch"
    ax4 = text.loc[[c for c in text.index if c.startswith("Axe 4 · référents")][0]]
    # régions (2 + 5 x 3) / all referents (2 + 6 + (5 + 12) x 3) = 17 / 59 = 28.8 %
    assert ax4.computed == pytest.approx(17 / 59) and ax4.status == "mismatch"
    ax1r = text.loc[[c for c in text.index if c.startswith("Axe 1 · référents")][0]]
    assert ax1r.computed == pytest.approx(56 / 199) and ax1r.status == "rounding"


def test_summary_and_condensation(rec):
    text = reconciliation_summary(rec)
    counts = rec["status"].value_counts()
    assert f"{len(rec)} contrôles" in text
    assert f"{counts['mismatch']} écarts" in text
    groups = condense_mismatches(rec)
    assert groups["count"].sum() == counts["mismatch"]
    row = groups[groups["check"].str.startswith("Axe 3 · Total T2 sur autres cofinancements")].iloc[0]
    assert row["when"] == "2019-2021 AE/CP" and row["count"] == 6


def test_damaged_total_changes_the_findings(contract_copy):
    """A test that can fail: 'fixing' the axis-1 T2 total makes its mismatch disappear."""
    path = contract_copy / "financing_totals.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace("Total T2 sur autres cofinancements,,40,40,", "Total T2 sur autres cofinancements,,39,39,", 1)
    path.write_text(text, encoding="utf-8")
    rec2 = reconcile_contract(contract_copy)
    row = _one(rec2, "financing_total_vs_lines", "Axe 1 · Total T2 sur autres cofinancements", 2018, "AE")
    assert row.status == "ok"


def test_summary_figures_read_like_the_notebook(rec):
    """The printed figures are those of tables.reconciliation_mismatches: one decimal, U+2212, U+202F."""
    lines = reconciliation_summary(rec).splitlines()
    t2 = next(line for line in lines if line.startswith("Axe 3 · Total T2 - AXE 3"))
    assert t2.split()[-3:] == ["84,0", "85,0", "\u22121,0"]
    shares = [line for line in lines if "\u202f%" in line]
    assert shares, "a mismatch on a share is shown as a percentage"
    assert lines[-1].startswith("(montants en k€")


def test_summary_without_mismatch_is_one_line(rec):
    clean = rec[rec["status"] != "mismatch"]
    assert reconciliation_summary(clean).splitlines() == [
        f"Rapprochement du contrat : {len(clean)} contrôles — "
        f"{(clean['status'] == 'ok').sum()} ok, {(clean['status'] == 'rounding').sum()} arrondis, 0 écarts"
    ]


# --------------------------------------------------------------------------- descriptions in two languages

_FRENCH_WORDS = re.compile(r"\b(somme|lignes?|levier|leviers|phasage|Économies|texte|Axe|Ensemble|Demande|Coût "
                           r"global|Part|directions|Répartition|autres|dépenses|subvention|ETP|imprimés?)\b")
_ENGLISH_WORDS = re.compile(r"\b(sum|lines?|lever|levers|phasing|Savings|text|Axis|Whole|request|Overall|share|"
                            r"FTE|printed|spending|grant|Split|other)\b")
_CONTRACT_LABEL = re.compile(r" · (?:Total|TOTAL|Coût total)[^·:]*")  # a printed total's label, as printed


def _own_words(check: str) -> str:
    """A description without the contract's printed labels (quoted or between the dots), kept in French."""
    check = _CONTRACT_LABEL.sub(" ·", check)
    return re.sub(r"«[^»]*»|“[^”]*”", "", check)


def test_every_check_has_an_english_description(rec):
    assert rec["check_en"].is_unique and (rec["check_en"].str.strip() != "").all()
    en = checks_in_language(rec, "en")
    assert list(en.columns) == [c for c in rec.columns if c != "check_en"]
    assert (en["check"] == rec["check_en"]).all()
    assert (checks_in_language(rec, "fr")["check"] == rec["check"]).all()


def test_a_lever_check_in_both_languages(rec):
    # 4 FTE x 57 k€ x phasing 37.5 % (the 2020 TOTAL row 684 / run rate 1 824 = 0.375) = 85.5 k€
    row = _one(rec, "savings_lever_vs_etp", "levier Outils numériques et donnée", 2020, "AE")
    assert row.check == ("Économies · levier Outils numériques et donnée (4\u00a0ETP) · 2020 AE : "
                         "ETP × 57\u00a0k€ × phasage (37,5\u202f%)")
    assert row.check_en == ("Savings · lever Digital tools and data (4\u00a0FTE) · 2020 AE: "
                            "FTE × 57\u00a0k€ × phasing (37.5%)")
    assert row.computed == pytest.approx(4 * 57 * 0.375)


def test_descriptions_keep_to_their_language_and_show_no_code(rec):
    codes = [*(lv for lv in LEVERS if "_" in lv), "cofinancing", "financing_total", "savings_lever", "_keur"]
    for fr, en in zip(rec["check"], rec["check_en"], strict=True):
        assert not _ENGLISH_WORDS.search(_own_words(fr)), fr
        assert not _FRENCH_WORDS.search(_own_words(en)), en
        assert not any(code in fr or code in en for code in codes), (fr, en)
    assert rec["check_en"].str.contains("Axis 3 · Total T2 - AXE 3", regex=False).any()  # printed label kept


def test_english_mismatches_and_summary(rec):
    table = reconciliation_mismatches(rec, lang="en")
    assert any(c.startswith("Axis 3 · Total T2 sur autres cofinancements: sum of the lines") for c in table.index)
    assert not any(_FRENCH_WORDS.search(_own_words(c)) for c in table.index)
    text = reconciliation_summary(rec, lang="en")
    assert "Axis 3 · Total T2 - AXE 3: sum of the lines" in text and "somme des lignes" not in text

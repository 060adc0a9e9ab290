"""The one formatter (labels.format_value) and the one label table (labels.label).

Expected strings are written out by hand: NNBSP is the narrow no-break space U+202F (French
thousands separator, before "%"), NBSP the no-break space U+00A0 (before a unit), MINUS the
sign U+2212.
"""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import incubo_analysis
from incubo_analysis import labels as L
from incubo_analysis.errors import ParameterError
from incubo_analysis.labels import core as label_core
from incubo_analysis.outputs import excel, tables

NNBSP = "\u202f"
NBSP = "\u00a0"
MINUS = "\u2212"
PACKAGE = Path(incubo_analysis.__file__).parent

# ----------------------------------------------------------------------------- format_value, unit by unit

CASES = [
    # (value, unit, decimals, French, English)
    (1824, "keur", None, f"1{NNBSP}824,0{NBSP}k€", f"1,824.0{NBSP}k€"),
    (-26.5, "keur", 0, f"{MINUS}27{NBSP}k€", f"-27{NBSP}k€"),
    (0.4608, "share", None, f"46{NNBSP}%", "46%"),
    (0.4608, "share", 1, f"46,1{NNBSP}%", "46.1%"),
    (3.14159, "ratio", None, "3,14", "3.14"),
    (2021, "year", None, "2021", "2021"),
    (2021.0, "year", None, "2021", "2021"),
    (np.int64(2021), "year", None, "2021", "2021"),
    (2021.5, "year", 1, "2021,5", "2021.5"),
    (32, "etp", None, f"32,0{NBSP}ETP", f"32.0{NBSP}FTE"),
    (2.5, "fte", 2, f"2,50{NBSP}ETP", f"2.50{NBSP}FTE"),
    (2650, "count", None, f"2{NNBSP}650", "2,650"),
    (12, "days", None, f"12{NBSP}jours", f"12{NBSP}days"),
    (1, "days", None, f"1{NBSP}jour", f"1{NBSP}day"),
    (1234567.891, "number", 2, f"1{NNBSP}234{NNBSP}567,89", "1,234,567.89"),
    (True, "bool", None, "oui", "yes"),
    (np.bool_(False), "bool", None, "non", "no"),
]


@pytest.mark.parametrize(("value", "unit", "decimals", "fr", "en"), CASES)
def test_each_unit_in_both_languages(value, unit, decimals, fr, en):
    assert L.format_value(value, unit, decimals=decimals) == fr
    assert L.format_value(value, unit, "en", decimals=decimals) == en


@pytest.mark.parametrize("unit", list(L.UNITS))
@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA])
def test_missing_is_the_label_tables_mark(unit, missing):
    assert L.format_value(missing, unit) == L.label("missing") == "\u2013"
    assert L.format_value(missing, unit, "en") == L.label("missing", "en")


@pytest.mark.parametrize(("value", "decimals", "fr"), [
    (0.5, 0, "1"), (-0.5, 0, f"{MINUS}1"), (1.5, 0, "2"), (2.5, 0, "3"),  # not banker's rounding
    (2.675, 2, "2,68"),  # 2.675 is 2.67499999... in binary: the printed decimal is rounded
    (1.005, 2, "1,01"), (284.5, 0, "285"), (-0.04, 1, "0,0"),  # no negative zero
])
def test_halves_away_from_zero_on_the_printed_decimal(value, decimals, fr):
    assert L.format_value(value, "number", decimals=decimals) == fr


def test_a_year_is_never_grouped():
    for value in (2021, 2021.0, 10_000):
        assert NNBSP not in L.format_value(value, "year") and "," not in L.format_value(value, "year", "en")


def test_unit_spellings_of_tables_are_accepted():
    assert L.format_value(1824, "k€") == L.format_value(1824, "keur")
    assert L.format_value(0.46, "part") == L.format_value(0.46, "share")
    assert L.format_value(3, " ETP ") == L.format_value(3, "etp")


@pytest.mark.parametrize("unit", ["furlong", None, 3, "keuro"])
def test_unknown_unit_refused(unit):
    with pytest.raises(ParameterError, match="unit: expected one of keur, share"):
        L.format_value(1.0, unit)


@pytest.mark.parametrize("decimals", [-1, 10, 1.5, True, "2"])
def test_bad_decimals_refused(decimals):
    with pytest.raises(ParameterError, match="decimals: expected an integer 0-9"):
        L.format_value(1.0, "number", decimals=decimals)


def test_bad_lang_refused():
    with pytest.raises(ParameterError, match="lang: expected one of fr, en"):
        L.format_value(1.0, "keur", "de")


def test_infinity_is_written_not_rounded():
    assert L.format_value(math.inf, "number") == "+∞"
    assert L.format_value(-math.inf, "ratio") == f"{MINUS}∞"


def test_display_tables_use_format_value():
    """tables' kinds are units of format_value (no formatter of their own)."""
    for kind, (unit, _decimals) in tables.KINDS.items():
        assert unit in L.UNITS, kind
    frame = pd.DataFrame({"amount_keur": [1824.0], "year": [2021], "comment": [float("nan")]})
    shown = tables.format_columns(frame, {"amount_keur": "keur", "year": "year", "comment": "text"}, "en")
    # the header "Amount (k€)" states the unit: the cell is the number format_value writes, bare
    assert shown.iloc[0].tolist() == [L.format_value(1824, "number", "en", decimals=1), "2021", ""]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_unit_shown_once_in_display_tables(lang):
    """k€ and % stated by the header (or the title) are not repeated in every cell; elsewhere they stay."""
    frame = pd.DataFrame({"planned_keur": [1140.0], "variance_pct": [-0.078], "consumption_rate": [0.5]})
    shown = tables.format_columns(frame, {"planned_keur": "keur", "variance_pct": "pct1",
                                          "consumption_rate": "pct"}, lang)
    assert list(shown.columns)[:2] == [L.label("planned_keur", lang), L.label("variance_pct", lang)]
    assert "(k€)" in shown.columns[0] and "(%)" in shown.columns[1]
    planned, gap, rate = shown.iloc[0].tolist()
    assert planned == ("1\u202f140,0" if lang == "fr" else "1,140.0")
    assert gap == ("\u22127,8" if lang == "fr" else "-7.8")  # -0.078 as a percentage, 1 decimal
    assert rate == ("50\u202f%" if lang == "fr" else "50%")  # "Taux de consommation": no unit in the header
    cells = " ".join(shown.to_numpy().ravel().tolist()[:2])
    assert "k€" not in cells and "%" not in cells


def test_unit_once_in_the_model_tables():
    from incubo_analysis.model.appraisal import metrics
    from incubo_analysis.model.params import baseline
    from incubo_analysis.model.savings import savings_by_lever

    b = baseline()
    by_year = tables.savings_by_year(savings_by_lever(b))  # title "(k€)"
    assert not any("k€" in c for c in by_year.to_numpy().ravel())
    assert by_year.loc[L.label("total"), "2022"] == "1\u202f824,0"  # 32 ETP × 57 k€ × 100 %
    comparison = tables.metrics_comparison(metrics(b))
    npv = comparison.loc[L.label("npv_keur")].iloc[0]
    assert "(k€)" in L.label("npv_keur") and "k€" not in npv
    params = tables.scenario_parameters(b)
    assert params.loc[L.label("unit_cost_keur")].iloc[0] == "57,0"  # header "(k€/an)": the unit once


# ----------------------------------------------------------------------------- the label table


def test_every_key_has_both_languages():
    for key, texts in label_core._LABELS.items():
        assert isinstance(texts, tuple) and len(texts) == 2, key
        assert all(isinstance(t, str) and t.strip() for t in texts), key
    for key, texts in label_core._SHORT.items():
        assert len(texts) == 2 and all(t.strip() for t in texts), key


def test_templates_have_the_same_fields_in_both_languages():
    fields = re.compile(r"\{(\w*)\}")
    for key, (fr, en) in label_core._LABELS.items():
        assert sorted(fields.findall(fr)) == sorted(fields.findall(en)), key


def test_one_wording_per_reconciliation_family_and_status():
    # the wording the notebooks show (01_financing_plan, reconciliation counts)
    assert L.label("financing_total_vs_lines") == "Totaux du plan de financement vs lignes"
    assert L.label("family") == "Famille de contrôles"
    assert [L.label(s) for s in ("ok", "rounding", "mismatch")] == ["ok", "arrondi", "écart"]


def test_excel_sheets_come_from_the_label_table():
    for key in excel.SHEETS:
        assert L.has_label(f"sheet.{key}") and L.has_label(f"sheet.{key}.title"), key
    assert excel.sheet_names("en")[:2] == ["Summary", "Savings"]


def _package_sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("name", ["_EXTRA", "_EXTRA_LABELS", "_SHEET_HEADERS", "TEXTS"])
def test_no_module_keeps_a_label_table_of_its_own(name):
    for path in _package_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            targets = (node.targets if isinstance(node, ast.Assign)
                       else [node.target] if isinstance(node, ast.AnnAssign) else [])
            for target in targets:
                assert not (isinstance(target, ast.Name) and target.id == name), f"{path}: {name}"


def _label_keys_used() -> list[tuple[str, str]]:
    """(file, key) of every label("...") / L.label("...") call with a literal key in the package."""
    found = []
    for path in _package_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            first = node.args[0]
            if name == "label" and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((path.name, first.value))
    return found


def test_every_literal_key_used_resolves():
    used = _label_keys_used()
    assert len(used) > 50  # the scan does find the calls
    unknown = [(f, k) for f, k in used if not L.has_label(k)]
    assert not unknown, unknown

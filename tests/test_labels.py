"""Labels (fr/en) and number formatting of incubo_analysis.labels.

Expected strings are written out by hand, with the characters spelled: NNBSP is the narrow
no-break space U+202F (French thousands separator, before "%"), NBSP the no-break space
U+00A0 (before "k€"), MINUS the sign U+2212.
"""

from __future__ import annotations

import importlib
import math

import numpy as np
import pandas as pd
import pytest

from incubo_analysis import labels as L
from incubo_analysis.contract import schema
from incubo_analysis.errors import ParameterError
from incubo_analysis.labels import core as label_core

NNBSP = "\u202f"
NBSP = "\u00a0"
MINUS = "\u2212"


# ----------------------------------------------------------------------------- number formats


class TestFmtKeur:
    def test_contract_run_rate_french(self):
        # 32 FTE x 57 k€ = 1 824 k€ (contract section 3)
        assert L.fmt_keur(32 * 57) == "1" + NNBSP + "824,0" + NBSP + "k€"

    def test_english(self):
        assert L.fmt_keur(1824, lang="en") == "1,824.0" + NBSP + "k€"

    def test_decimals_and_rounding(self):
        assert L.fmt_keur(106.88, 2) == "106,88" + NBSP + "k€"
        assert L.fmt_keur(106.88, 0) == "107" + NBSP + "k€"
        # halves away from zero: 284.5 -> 285 (Python's round() would give 284)
        assert L.fmt_keur(284.5, 0) == "285" + NBSP + "k€"
        assert L.fmt_keur(-284.5, 0) == MINUS + "285" + NBSP + "k€"

    def test_negative_and_millions(self):
        # variance of the issue: 2.0 FTE x 58 - 2.5 x 57 = 116 - 142.5 = -26.5 k€
        assert L.fmt_keur(2.0 * 58 - 2.5 * 57) == MINUS + "26,5" + NBSP + "k€"
        assert L.fmt_keur(-1234567.0, 0, "en") == "-1,234,567" + NBSP + "k€"
        assert L.fmt_keur(1234567.0, 0) == "1" + NNBSP + "234" + NNBSP + "567" + NBSP + "k€"

    def test_no_negative_zero(self):
        assert L.fmt_keur(-0.01) == "0,0" + NBSP + "k€"

    @pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA])
    def test_missing(self, missing):
        assert L.fmt_keur(missing) == "\u2013"
        assert L.fmt_pct(missing) == "\u2013"
        assert L.fmt_number(missing) == "\u2013"
        assert L.fmt_year(missing) == "\u2013"

    def test_numpy_scalars(self):
        assert L.fmt_keur(np.float64(2628.0), 0) == "2" + NNBSP + "628" + NBSP + "k€"
        assert L.fmt_number(np.int64(1235)) == "1" + NNBSP + "235"


class TestFmtPct:
    def test_french_and_english(self):
        # FTAP share of the total cost: 1 235 / 2 628 = 0.46994 -> "47 %"
        assert L.fmt_pct(1235 / 2628) == "47" + NNBSP + "%"
        assert L.fmt_pct(1235 / 2628, lang="en") == "47%"

    def test_decimals(self):
        # phasing 2019: 12.5 %
        assert L.fmt_pct(0.125, 1) == "12,5" + NNBSP + "%"
        assert L.fmt_pct(0.125, 1, "en") == "12.5%"

    def test_negative(self):
        assert L.fmt_pct(-26.5 / 142.5, 1) == MINUS + "18,6" + NNBSP + "%"


class TestFmtNumberYear:
    def test_number(self):
        assert L.fmt_number(2500) == "2" + NNBSP + "500"
        assert L.fmt_number(2500, lang="en") == "2,500"
        assert L.fmt_number(999.96, 1) == "1" + NNBSP + "000,0"
        assert L.fmt_number(float("inf")) == "+∞"

    def test_year_has_no_separator(self):
        assert L.fmt_year(2021) == "2021"
        assert L.fmt_year(2021.0, "en") == "2021"
        assert L.fmt_year(np.int64(2019)) == "2019"

    def test_year_refuses_fraction(self):
        with pytest.raises(ValueError, match="2021.5"):
            L.fmt_year(2021.5)

    def test_bad_lang(self):
        with pytest.raises(ParameterError, match="lang.*'de'"):
            L.fmt_keur(1.0, lang="de")


class TestFormatters:
    def test_keur_formatter(self):
        assert L.keur_formatter()(1500.0, 0) == "1" + NNBSP + "500"
        assert L.keur_formatter("en")(1500.0, 0) == "1,500"
        assert L.keur_formatter(unit=True)(250.0, 0) == "250" + NBSP + "k€"
        assert L.keur_formatter()(-500.0, 0) == MINUS + "500"

    def test_pct_formatter(self):
        assert L.pct_formatter()(0.75, 0) == "75" + NNBSP + "%"
        assert L.pct_formatter("en")(0.75, 0) == "75%"


# ----------------------------------------------------------------------------- labels


class TestLabel:
    def test_examples_of_the_brief(self):
        assert L.label("dematerialisation") == "Dématérialisation des procédures"
        assert L.label(1) == "Axe 1 – Simplification (dématérialisation)"
        assert L.label(4) == "Axe 4 – Inclusion numérique"
        assert L.label("T2") == "Titre 2 – personnel"
        assert L.label("T6") == "Titre 6 – intervention"
        assert L.label("cofinancing") == "Cofinancements"
        assert L.label("AE") == "Autorisations d'engagement (AE)"
        assert L.label("CP") == "Crédits de paiement (CP)"
        assert L.label("green") == "vert"
        assert L.label("total_savings_keur") == "Économies totales (k€)"
        assert L.label("run_rate_keur") == "Économies en régime de croisière (k€/an)"
        assert L.label("npv_keur") == "VAN (k€)"
        assert L.label("roi_ftap") == "ROI sur crédits FTAP"
        assert L.label("roi_total") == "ROI sur l'ensemble des crédits publics"
        assert L.label("planned_keur") == "Prévu (k€)"
        assert L.label("actual_keur") == "Réalisé (k€)"
        assert L.label("variance_keur") == "Écart (k€)"
        assert L.label("variance_pct") == "Écart (%)"
        assert L.label("volume_effect_keur") == "Effet volume (k€)"
        assert L.label("price_effect_keur") == "Effet prix (k€)"
        assert L.label("explanation") == "Explication de l'écart"
        assert L.label("consumption_rate") == "Taux de consommation"
        assert L.label("share_of_budget") == "Part du budget global"
        assert L.label("attainment") == "Taux d'atteinte"

    def test_english(self):
        assert L.label("dematerialisation", "en") == "Dematerialisation of procedures"
        assert L.label("npv_keur", "en") == "NPV (k€)"
        assert L.label("amber", "en") == "amber"

    def test_short_forms(self):
        assert L.label(2, short=True) == "Axe 2 – Accélération"
        assert L.label("T3", short=True) == "T3 – fonctionnement"
        assert L.label("CP", short=True) == "CP"
        # no short form: the long one
        assert L.label("planned_keur", short=True) == "Prévu (k€)"

    def test_numpy_and_float_axis_codes(self):
        assert L.label(np.int64(3)) == L.label(3) == L.label(3.0)

    def test_bool_does_not_collide_with_axis_1(self):
        # True == 1 in Python: the two must not share a dict entry
        assert L.label(True) == "oui"
        assert L.label(np.bool_(False), "en") == "no"
        assert L.label(1).startswith("Axe 1")

    def test_unknown_key_returns_itself(self):
        assert L.label("no_such_code") == "no_such_code"
        assert L.label(2019) == "2019"
        assert L.label(None) == "None"
        assert L.label(["unhashable"]) == "['unhashable']"
        assert not L.has_label("no_such_code")

    def test_bad_lang(self):
        with pytest.raises(ParameterError, match="lang: expected one of fr, en, got 'EN'"):
            L.label("T2", "EN")


def _code_lists():
    """Every tuple of codes or column names declared by the package's modules."""
    lists = []
    for name in schema.__all__:
        value = getattr(schema, name)
        if isinstance(value, tuple) and name != "CONTRACT_YEARS":
            lists.append((f"schema.{name}", value))
    # lists declared by the other modules (a missing module or name fails: never skipped)
    for module, names in (
        ("monitoring.variance", ("SAVINGS_VARIANCE_COLUMNS", "SAVINGS_CUMULATIVE_COLUMNS", "CREDITS_VARIANCE_COLUMNS",
                                 "CREDITS_QUARTERLY_COLUMNS", "INDICATOR_STATUS_COLUMNS", "PROGRAMME_COLUMNS",
                                 "STATUSES", "PROGRAMME_SHARES")),
        ("model.appraisal", ("METRICS",)),
        ("model.uncertainty", ("UNCERTAIN_PARAMETERS",)),
        ("model.params", ("PARAMETER_KEYS",)),
        ("monitoring.reader", ("SAVINGS_ACTUALS_COLUMNS", "CREDITS_ACTUALS_COLUMNS",
                               "INDICATORS_ACTUALS_COLUMNS")),
    ):
        mod = importlib.import_module(f"incubo_analysis.{module}")
        for name in names:
            lists.append((f"{module.rsplit('.', 1)[-1]}.{name}", tuple(getattr(mod, name))))
    return lists


@pytest.mark.parametrize("where, codes", _code_lists(), ids=lambda v: v if isinstance(v, str) else "")
@pytest.mark.parametrize("lang", L.LANGS)
def test_every_code_list_is_labelled(where, codes, lang):
    missing = [c for c in codes if not L.has_label(c)]
    assert not missing, f"{where}: no label for {missing}"
    for code in codes:
        text = L.label(code, lang)
        assert text and text.strip() == text


INDICATOR_IDS = (
    "axis1_procedures_prototyped", "axis1_deployment_rate", "axis2_projects_incubated",
    "axis3_agents_trained", "axis4_experiments_launched", "axis1_processing_time_reduction",
    "axis1_user_satisfaction", "axis2_user_satisfaction", "axis3_agent_satisfaction",
    "axis4_user_satisfaction", "savings_total_keur",
)


@pytest.mark.parametrize("lang", L.LANGS)
def test_indicators_and_metrics_labelled(lang):
    keys = INDICATOR_IDS + (
        "payback_year_ftap", "payback_year_total",
        "ftap_doctrine_ratio_commitment", "ftap_doctrine_ratio_cumulated_all_money",
        "switch_realisation_npv0", "switch_unit_cost_npv0", "switch_delay_npv0",
        "switch_realisation_roi1", "switch_unit_cost_roi1", "switch_delay_roi1",
    )
    for key in keys:
        assert L.has_label(key), key
    # French and English differ where the words differ
    assert L.label("axis3_agents_trained", "fr") != L.label("axis3_agents_trained", "en")


def test_french_and_english_labels_are_distinct_tables():
    # every key with a label has a non-empty label in both languages
    for key in list(label_core._LABELS):
        fr, en = label_core._LABELS[key]
        assert fr and en, key


def test_chart_templates_format_in_both_languages():
    # the placeholders are the same in both languages
    import string

    for key, (fr, en) in label_core._LABELS.items():
        if isinstance(key, str) and key.startswith("chart."):
            fields_fr = {f for _, f, _, _ in string.Formatter().parse(fr) if f}
            fields_en = {f for _, f, _, _ in string.Formatter().parse(en) if f}
            assert fields_fr == fields_en, key


# ----------------------------------------------------------------------------- relabel


class TestRelabel:
    @pytest.fixture
    def frame(self):
        return pd.DataFrame(
            {
                "axis": [1, 4],
                "lever": ["dematerialisation", "other_lever"],
                "status": ["green", "red"],
                "target": [1.0, 2.0],
                "explanation_missing": [True, False],
                "actual_keur": [142.5, 64.125],
            }
        )

    def test_french(self, frame):
        out = L.relabel(frame)
        assert out.columns.tolist() == [
            "Axe", "Levier", "Statut", "Cible", "Explication manquante", "Réalisé (k€)",
        ]
        assert out.iloc[:, 0].tolist() == ["Axe 1 – Simplification", "Axe 4 – Inclusion"]
        assert out.iloc[:, 1].tolist() == ["Dématérialisation", "other_lever"]  # unknown kept
        assert out.iloc[:, 2].tolist() == ["vert", "rouge"]
        # a numeric target 1.0 is not mistaken for axis 1
        assert out.iloc[:, 3].tolist() == [1.0, 2.0]
        assert out.iloc[:, 4].tolist() == ["oui", "non"]
        assert out.iloc[:, 5].tolist() == [142.5, 64.125]

    def test_english(self, frame):
        out = L.relabel(frame, lang="en")
        assert out.columns[0] == "Axis"
        assert out.iloc[1, 2] == "red"
        assert out.iloc[0, 4] == "yes"

    def test_does_not_modify_input(self, frame):
        before = frame.copy()
        L.relabel(frame)
        pd.testing.assert_frame_equal(frame, before)

    def test_named_index_and_wide_columns(self):
        wide = pd.DataFrame({"dematerialisation": [1.0], "user_support": [2.0]}, index=pd.Index([2], name="axis"))
        out = L.relabel(wide)
        assert out.index.name == "Axe"
        assert out.index.tolist() == ["Axe 2 – Accélération"]
        assert out.columns.tolist() == ["Dématérialisation des procédures", "Accompagnement des usagers"]

    def test_missing_values_kept(self):
        out = L.relabel(pd.DataFrame({"status": ["green", None]}))
        assert out.iloc[0, 0] == "vert"
        assert out.iloc[1, 0] is None or (isinstance(out.iloc[1, 0], float) and math.isnan(out.iloc[1, 0]))

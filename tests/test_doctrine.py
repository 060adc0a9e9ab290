"""The FTAP doctrine under every reading (issue 11, deliverable 6): hand values from the contract."""

from __future__ import annotations

import math

import pytest

from incubo_analysis.model.appraisal import DOCTRINE_METRICS, cost_plan, doctrine_readings, metrics
from incubo_analysis.model.params import baseline, scenario_from_mapping
from incubo_analysis.model.uncertainty import monte_carlo

# Contract § 2: FTAP CP 475 (2019) + 455 (2020) + 305 (2021) = 1 235 k€; FTAP AE from 2018 (100 k€),
# FTAP CP from 2019. All CP: co-financing 184 + 427 + 417 + 417 = 1 445 k€, + 1 235 = 2 680 k€.
# Contract § 3: savings 228 / 684 / 1 140 / 1 824 k€ in 2019 / 2020 / 2021 / 2022.
FTAP_CP, ALL_CP = 1235.0, 2680.0
COMMITMENT = 1140.0  # savings of 2018 + 3 = 2021
FIRST_PAYMENT = 1824.0  # savings of 2019 + 3 = 2022
CUMULATED = 228.0 + 684.0 + 1140.0  # 2019..2021 = 2 052
HAND = {
    "ftap_doctrine_ratio_commitment": COMMITMENT / FTAP_CP,  # 0.923
    "ftap_doctrine_ratio_first_payment": FIRST_PAYMENT / FTAP_CP,  # 1.477
    "ftap_doctrine_ratio_cumulated": CUMULATED / FTAP_CP,  # 1.662
    "ftap_doctrine_ratio_commitment_all_money": COMMITMENT / ALL_CP,  # 0.425
    "ftap_doctrine_ratio_first_payment_all_money": FIRST_PAYMENT / ALL_CP,  # 0.681
    "ftap_doctrine_ratio_cumulated_all_money": CUMULATED / ALL_CP,  # 0.766
}


def _values(scenario):
    return metrics(scenario).set_index("metric")["value"]


def test_six_readings_of_the_baseline_by_hand():
    m = _values(baseline())
    assert set(DOCTRINE_METRICS) == set(HAND)
    for name, value in HAND.items():
        assert m[name] == pytest.approx(value, rel=1e-12), name


def test_doctrine_years_from_the_plan():
    c = cost_plan()
    assert (c.first_ftap_commitment, c.first_ftap_payment) == (2018, 2019)
    assert c.doctrine_years() == {"commitment": (2021,), "first_payment": (2022,), "cumulated": (2019, 2020, 2021)}
    assert float(c.ftap_cp.sum()) == FTAP_CP and float(c.total_cp.sum()) == ALL_CP


def test_readings_do_not_depend_on_the_horizon():
    # the money invested and the doctrine years are the plan's: a horizon that stops in 2020 or
    # starts in 2021 reads the same savings path (no growth, so the same amounts)
    for s in (baseline().replace(horizon_end=2020), baseline().replace(base_year=2021, horizon_end=2021)):
        m = _values(s)
        for name, value in HAND.items():
            assert m[name] == pytest.approx(value, rel=1e-12), (s.horizon_end, name)


def test_readings_scale_with_realisation():
    m = _values(baseline().replace(realisation_rate=0.5))
    assert m["ftap_doctrine_ratio_first_payment"] == pytest.approx(0.5 * 1824 / 1235)


def test_no_verdict_metric_left():
    names = set(metrics(baseline())["metric"])
    assert "ftap_doctrine_met" not in names and "ftap_doctrine_year" not in names


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_readings_table_with_sources(lang):
    t = doctrine_readings(baseline(), lang=lang)
    assert len(t) == 6 and t.shape[1] == 6
    ratios = t.iloc[:, 4].tolist()
    dec = "," if lang == "fr" else "."
    assert ratios == [x.replace(".", dec) for x in ("0.92", "1.48", "1.66", "0.43", "0.68", "0.77")]
    sources = " ".join(t.iloc[:, 5])
    assert "un euro engagé" in sources and "pérenne" in sources and "sur trois ans" in sources
    assert "RAP 2019" in sources or "2019 annual performance report" in sources
    text = " ".join(map(str, [*t.index, *t.columns, *t.to_numpy().ravel()]))
    assert not any(w in text for w in ("respectée", "non respectée", " not met", " met "))
    assert t.iloc[2, 1] == ("2019–2021")


def test_readings_table_from_metrics_equals_from_scenario():
    s = baseline().replace(name="r80", realisation_rate=0.8)
    assert doctrine_readings(metrics(s), lang="en").equals(doctrine_readings(s, lang="en"))


@pytest.mark.parametrize("extra", [{}, {"base_year": 2000, "horizon_end": 2010}, {"horizon_end": 2020}])
def test_monte_carlo_computes_every_reading(extra):
    # a zero-width distribution: every draw is the 75 % scenario; the readings scale by 0.75,
    # whether their years are rows of the horizon (first case) or kept apart (the others)
    s = scenario_from_mapping({"uncertainty": {"realisation_rate": {"dist": "uniform", "low": 0.75, "high": 0.75}},
                               **extra})
    r = monte_carlo(s, 2000, 5).summary.set_index("metric")
    for name, value in HAND.items():
        for col in ("mean", "p10", "p50", "p90"):
            assert r.loc[name, col] == pytest.approx(0.75 * value, rel=1e-12), (extra, name, col)
    assert not any(math.isnan(r.loc[name, "p50"]) for name in HAND)

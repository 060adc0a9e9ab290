"""The discount rate 3.2 % (France Stratégie 2021) and the NPV at 1.2 %, 3.2 % and 4.5 % (issue 11, deliverable 7)."""

from __future__ import annotations

import pytest

from incubo_analysis.model.appraisal import RATE_METRICS, REFERENCE_RATES, metrics, npv_by_rate
from incubo_analysis.model.params import DEFAULTS, baseline, load_scenario
from incubo_analysis.paths import PARAMS_DIR

# The contract, by year 2018..2022 (§ 2 and § 3), k€:
#   savings     0     228    684   1 140  1 824
#   all CP    184     902    872     722      0   (FTAP 0/475/455/305/0 + co-financing 184/427/417/417/0)
#   net      -184    -674   -188     418  1 824
NET = {2018: -184.0, 2019: -674.0, 2020: -188.0, 2021: 418.0, 2022: 1824.0}


def _npv_by_hand(rate: float) -> float:
    # explicit sum of (savings - costs) / (1 + rate)^(year - 2018), base year undiscounted
    return sum(v / (1.0 + rate) ** (y - 2018) for y, v in NET.items())


def test_default_rate_is_france_strategie_2021():
    # 1.2 % risk-free + beta x 2 % with beta = 1 (Ni & Maurice, Oct 2021)
    assert DEFAULTS["discount_rate"] == 0.032
    assert baseline().discount_rate == 0.032
    assert load_scenario(PARAMS_DIR / "horizon_2026.yaml").discount_rate == 0.032


def test_npv_at_3_2_pct_by_an_independent_formula():
    # -184 - 674/1.032 - 188/1.032^2 + 418/1.032^3 + 1824/1.032^4 = 974.76 k€
    m = metrics(baseline()).set_index("metric")["value"]
    assert m["npv_keur"] == pytest.approx(_npv_by_hand(0.032), rel=1e-12)
    assert m["npv_keur"] == pytest.approx(974.76, abs=0.01)
    assert m["npv_3_2pct_keur"] == pytest.approx(m["npv_keur"], rel=1e-12)


def test_npv_at_the_three_reference_rates():
    m = metrics(baseline()).set_index("metric")["value"]
    assert REFERENCE_RATES == (0.012, 0.032, 0.045)
    for name, rate in zip(RATE_METRICS, REFERENCE_RATES, strict=True):
        assert m[name] == pytest.approx(_npv_by_hand(rate), rel=1e-12), name
    assert m["npv_4_5pct_keur"] == pytest.approx(894.7, abs=0.05)  # the figure published before the change
    assert m["npv_1_2pct_keur"] > m["npv_3_2pct_keur"] > m["npv_4_5pct_keur"]


def test_rate_metrics_ignore_the_scenario_rate():
    a = metrics(baseline().replace(discount_rate=0.10)).set_index("metric")["value"]
    b = metrics(baseline()).set_index("metric")["value"]
    for name in RATE_METRICS:
        assert a[name] == pytest.approx(b[name], rel=1e-12)
    assert a["npv_keur"] == pytest.approx(_npv_by_hand(0.10), rel=1e-12)


def test_npv_by_rate_table():
    t = npv_by_rate([baseline(), baseline().replace(name="r75", realisation_rate=0.75)])
    assert list(t.columns) == ["scenario", "rate", "npv_keur"]
    assert len(t) == 6
    base = t[t["scenario"] == "baseline"]
    assert base["rate"].tolist() == [0.012, 0.032, 0.045]
    assert base["npv_keur"].tolist() == pytest.approx([_npv_by_hand(r) for r in REFERENCE_RATES], rel=1e-12)
    # at 0 %: total savings 3 876 - all CP 2 680 = 1 196
    assert npv_by_rate(baseline(), [0.0])["npv_keur"].iloc[0] == pytest.approx(1196.0)

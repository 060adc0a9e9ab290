"""Costs after the plan: ``running_costs_keur`` (issue 11, deliverable 8)."""

from __future__ import annotations

import pytest

from incubo_analysis.errors import ParameterError
from incubo_analysis.model.appraisal import cashflows, horizon_cost_note, metrics
from incubo_analysis.model.params import load_scenario, scenario_from_mapping, scenario_to_yaml
from incubo_analysis.model.uncertainty import monte_carlo
from incubo_analysis.paths import PARAMS_DIR


def _m(scenario):
    return metrics(scenario).set_index("metric")["value"]


def _refusal(mapping, source="scen.yaml") -> ParameterError:
    with pytest.raises(ParameterError) as info:
        scenario_from_mapping(mapping, source=source)
    return info.value


def test_negative_amount_refused_in_french_and_english():
    e = _refusal({"horizon_end": 2024, "running_costs_keur": {2023: -5}})
    assert e.message_in() == ("scen.yaml : clé 'running_costs_keur.2023' : attendu un montant en k€ par an "
                              "entre 0 et 100000, trouvé -5")
    assert e.message_in("en").startswith("scen.yaml: key 'running_costs_keur.2023': expected an amount")
    assert e.message == e.message_in("en")


@pytest.mark.parametrize("year", [2021, 2022, 2025])
def test_year_outside_the_plan_s_after_years_refused(year):
    # 2021-2022: within the financing plan; 2025: after horizon_end 2024
    e = _refusal({"horizon_end": 2024, "running_costs_keur": {year: 10}})
    assert f"running_costs_keur.{year}" in e.message_in()
    assert "(2023–2024)" in e.message_in() and "(2023-2024)" in e.message_in("en")


def test_horizon_within_the_plan_leaves_no_room():
    e = _refusal({"running_costs_keur": {2023: 10}})  # horizon_end 2022
    assert "allongez horizon_end" in e.message_in() and "extend horizon_end" in e.message_in("en")


@pytest.mark.parametrize("value", [[10, 20], 12.5, "2023: 10"])
def test_not_a_mapping_refused(value):
    e = _refusal({"horizon_end": 2024, "running_costs_keur": value})
    assert e.message_in().startswith("scen.yaml : clé 'running_costs_keur' : attendu une table année → k€ par an")


@pytest.mark.parametrize("bad", [{"soon": 10}, {2023: "ten"}, {2023: True}, {2023: float("nan")}, {2023: 1e6}])
def test_bad_key_or_amount_refused(bad):
    e = _refusal({"horizon_end": 2024, "running_costs_keur": bad})
    assert "running_costs_keur." in e.message_in() and "running_costs_keur." in e.message_in("en")


def test_refusal_names_the_file_and_exits_2(tmp_path):
    from incubo_analysis.cli.main import main

    f = tmp_path / "late.yaml"
    f.write_text("horizon_end: 2024\nrunning_costs_keur:\n  2023: -1\n", encoding="utf-8")
    with pytest.raises(ParameterError) as info:
        load_scenario(f)
    assert info.value.message_in().startswith(f"{f} : clé 'running_costs_keur.2023'")
    assert main(["scenario", str(f), "--out", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()


def test_round_trip_and_year_spelling():
    s = scenario_from_mapping({"name": "run", "horizon_end": 2024, "running_costs_keur": {"2023": 40, 2024: 60.5}})
    assert dict(s.running_costs_keur) == {2023: 40.0, 2024: 60.5}
    back = scenario_from_mapping(__import__("yaml").safe_load(scenario_to_yaml(s)))
    assert back == s
    assert scenario_from_mapping({"running_costs_keur": None}).running_costs_keur == {}


def test_npv_roi_payback_count_running_costs_by_hand():
    plain = scenario_from_mapping({"horizon_end": 2024})
    run = scenario_from_mapping({"horizon_end": 2024, "running_costs_keur": {2023: 100, 2024: 300}})
    a, b = _m(plain), _m(run)
    # NPV falls by the running costs discounted to 2018 at 3.2 %: 100 / 1.032^5 + 300 / 1.032^6
    drop = 100 / 1.032**5 + 300 / 1.032**6
    assert a["npv_keur"] - b["npv_keur"] == pytest.approx(drop, rel=1e-12)
    assert a["npv_3_2pct_keur"] - b["npv_3_2pct_keur"] == pytest.approx(drop, rel=1e-12)
    assert a["npv_1_2pct_keur"] - b["npv_1_2pct_keur"] == pytest.approx(100 / 1.012**5 + 300 / 1.012**6)
    # total ROI: savings 3 876 + 2 x 1 824 = 7 524 over all CP 2 680 + 400 of running costs
    assert b["roi_total"] == pytest.approx(7524 / 3080)
    assert a["roi_total"] == pytest.approx(7524 / 2680)
    # FTAP money and the doctrine are the plan's: unchanged
    for name in ("roi_ftap", "payback_year_ftap", "ftap_doctrine_ratio_cumulated_all_money"):
        assert a[name] == b[name]
    assert b["payback_year_total"] == 2022  # 3 876 >= 2 680 in 2022, before the running costs


def test_running_costs_can_delay_the_payback():
    # a scenario late by two years pays back later because of its running costs
    late = {"horizon_end": 2026, "delay_years": 2}
    a = _m(scenario_from_mapping(late))
    b = _m(scenario_from_mapping({**late, "running_costs_keur": {y: 1000 for y in range(2023, 2027)}}))
    # late by 2: savings 0,0,0,228,684,1140,1824,1824,1824 from 2018; cum 228 (2021), 912, 2052, 3876 (2024)
    # all CP 2 680 by 2021: plain pays back in 2024 (3 876 >= 2 680);
    # with 1 000 a year from 2023: cost 4 680 by 2024 > 3 876; 2025: 5 700 >= 5 680 -> 2025
    assert a["payback_year_total"] == 2024
    assert b["payback_year_total"] == 2025


def test_cashflows_show_the_running_costs():
    s = scenario_from_mapping({"horizon_end": 2024, "running_costs_keur": {2024: 50}})
    cf = cashflows(s).set_index("year")
    assert cf.loc[2024, "cost_running_keur"] == 50.0
    assert cf.loc[2024, "cost_total_keur"] == 50.0  # the plan has no CP in 2024
    assert cf.loc[2023, "cost_total_keur"] == 0.0


def test_monte_carlo_counts_running_costs():
    s = scenario_from_mapping({"horizon_end": 2024, "running_costs_keur": {2023: 100, 2024: 300},
                               "uncertainty": {"realisation_rate": {"dist": "uniform", "low": 0.75, "high": 0.75}}})
    r = monte_carlo(s, 1000, 2).summary.set_index("metric")
    det = _m(s.replace(realisation_rate=0.75, uncertainty=None))
    for name in ("npv_keur", "roi_total", "payback_year_total"):
        assert r.loc[name, "p50"] == pytest.approx(det[name], rel=1e-12), name


def test_horizon_note():
    assert horizon_cost_note(scenario_from_mapping({})) == ""
    h26 = load_scenario(PARAMS_DIR / "horizon_2026.yaml")
    assert h26.running_costs_keur == {}  # a documented choice: the contract prices no cost after 2022
    assert horizon_cost_note(h26).endswith("l'horizon compte des économies sans coûts.")
    assert horizon_cost_note(h26, lang="en").endswith("the horizon counts savings without costs.")
    with_costs = h26.replace(running_costs_keur={2023: 10, 2026: 20})
    assert "30,0" in horizon_cost_note(with_costs) and "(2023–2026)" in horizon_cost_note(with_costs)

"""Scenario parameter files: the loader's contract and every refusal, one test each."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import pydantic
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from incubo_analysis.contract.schema import LEVERS
from incubo_analysis.errors import ParameterError
from incubo_analysis.model.params import (
    DEFAULTS,
    PARAMETER_KEYS,
    Scenario,
    baseline,
    load_scenario,
    scenario_from_mapping,
    scenario_to_yaml,
)
from incubo_analysis.paths import PARAMS_DIR, scenario_files


def _write(tmp_path: Path, text: str, name: str = "x.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def _refused(tmp_path: Path, text: str, *fragments: str) -> str:
    """Load ``text``; assert a one-line ParameterError naming the file and each fragment."""
    p = _write(tmp_path, text)
    with pytest.raises(ParameterError) as info:
        load_scenario(p)
    msg = info.value.message
    assert "\n" not in msg, msg
    assert str(p) in msg, msg
    for f in fragments:
        assert f in msg, msg
    return msg


# --------------------------------------------------------------------------- #
# what is accepted
# --------------------------------------------------------------------------- #


def test_baseline_file_is_the_contract():
    b = baseline()
    assert b.name == "baseline"
    assert b.unit_cost_keur == 57.0
    assert b.unit_cost_growth == 0.0
    assert dict(b.etp) == {"dematerialisation": 20, "process_optimisation": 5,
                           "digital_tools_and_data": 4, "user_support": 3}
    assert b.total_etp == 32  # 20 + 5 + 4 + 3
    assert dict(b.phasing) == {2019: 0.125, 2020: 0.375, 2021: 0.625, 2022: 1.0}
    assert (b.delay_years, b.realisation_rate, b.base_year, b.horizon_end) == (0, 1.0, 2018, 2022)
    assert b.discount_rate == 0.032  # France Stratégie 2021: 1.2 % + 1 x 2 %
    assert b.uncertainty is None
    assert all(v == 0 for v in b.lever_delay_years.values())


def test_baseline_file_equals_the_loader_defaults():
    from_defaults = scenario_from_mapping({}).model_dump()
    from_file = baseline().model_dump()
    for key in PARAMETER_KEYS:
        if key not in ("name", "description"):
            assert from_file[key] == from_defaults[key], key


def test_every_shipped_file_loads():
    names = {load_scenario(p).name for p in scenario_files()}
    assert {"baseline", "demat_one_year_late", "realisation_75", "gvt_1_5pct",
            "optimism_bias", "horizon_2026", "uncertainty"} <= names


def test_shipped_files_are_papermill_parameter_files():
    # papermill passes the top-level mapping as notebook parameters: keys must be identifiers
    for p in scenario_files():
        raw = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        assert isinstance(raw, dict)
        assert all(isinstance(k, str) and k.isidentifier() and k in PARAMETER_KEYS for k in raw), p


def test_empty_file_is_the_baseline_named_after_the_file(tmp_path):
    s = load_scenario(_write(tmp_path, "", name="nothing.yaml"))
    assert s.name == "nothing"
    assert s.model_dump(exclude={"name", "description"}) == baseline().model_dump(exclude={"name", "description"})


def test_comment_only_file_is_the_baseline(tmp_path):
    assert load_scenario(_write(tmp_path, "# nothing here\n")).unit_cost_keur == 57.0


def test_partial_etp_overrides_only_the_levers_it_names(tmp_path):
    s = load_scenario(_write(tmp_path, "etp:\n  user_support: 1.5\n"))
    assert dict(s.etp) == {"dematerialisation": 20, "process_optimisation": 5,
                           "digital_tools_and_data": 4, "user_support": 1.5}


def test_phasing_replaces_the_whole_curve(tmp_path):
    s = load_scenario(_write(tmp_path, "phasing:\n  2020: 0.5\n  2021: 1.0\n"))
    assert dict(s.phasing) == {2020: 0.5, 2021: 1.0}


def test_phasing_keys_may_be_strings_of_digits(tmp_path):
    s = load_scenario(_write(tmp_path, "phasing:\n  '2019': 0.1\n  2020: 1\n"))
    assert dict(s.phasing) == {2019: 0.1, 2020: 1.0}


def test_integers_accepted_where_numbers_are_expected(tmp_path):
    s = load_scenario(_write(tmp_path, "unit_cost_keur: 60\nrealisation_rate: 1\n"))
    assert s.unit_cost_keur == 60.0 and isinstance(s.unit_cost_keur, float)


def test_name_defaults_to_the_file_stem_and_name_key_wins(tmp_path):
    assert load_scenario(_write(tmp_path, "delay_years: 1\n", name="late.yaml")).name == "late"
    assert load_scenario(_write(tmp_path, "name: other\n", name="late.yaml")).name == "other"


def test_fractional_delay_is_allowed(tmp_path):
    assert load_scenario(_write(tmp_path, "delay_years: 0.5\n")).delay_years == 0.5


def test_scenario_is_immutable_and_hashable():
    b = baseline()
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        b.unit_cost_keur = 60  # type: ignore[misc]
    with pytest.raises(TypeError):
        b.etp["user_support"] = 0  # type: ignore[index]
    with pytest.raises(TypeError):
        b.phasing[2019] = 0  # type: ignore[index]
    assert hash(b) == hash(baseline())
    assert {b, baseline()} == {b}


def test_scenario_from_mapping_accepts_papermill_style_variables():
    s = scenario_from_mapping(dict(name="nb", unit_cost_keur=60, realisation_rate=0.5, delay_years=1,
                                   phasing={2019: 0.125, 2020: 0.375, 2021: 0.625, 2022: 1.0}))
    assert (s.name, s.unit_cost_keur, s.realisation_rate, s.delay_years) == ("nb", 60.0, 0.5, 1.0)


def test_scenario_from_mapping_refuses_with_the_source_label():
    with pytest.raises(ParameterError, match=r"^<parameters>: key 'realisation_rate'"):
        scenario_from_mapping({"realisation_rate": 2})


def test_parameter_keys():
    assert PARAMETER_KEYS[:2] == ("name", "description")
    assert set(DEFAULTS) == set(PARAMETER_KEYS)


def test_uncertainty_block_with_the_four_kinds(tmp_path):
    s = load_scenario(PARAMS_DIR / "uncertainty.yaml")
    kinds = {d.dist for d in s.uncertainty.values()}
    assert kinds == {"uniform", "triangular", "normal", "discrete"}


def test_uncertainty_on_one_lever_fte(tmp_path):
    s = load_scenario(_write(tmp_path, """\
        uncertainty:
          etp.dematerialisation: {dist: uniform, low: 10, high: 20}
        """))
    assert s.uncertainty["etp.dematerialisation"].high == 20


def test_to_yaml_round_trips(tmp_path):
    s = scenario_from_mapping({
        "name": "explored", "unit_cost_keur": 61.5, "etp": {"user_support": 2},
        "phasing": {2019: 0.0, 2020: 0.5, 2022: 1}, "lever_delay_years": {"dematerialisation": 1},
        "uncertainty": {"realisation_rate": {"dist": "discrete", "values": [0.5, 1], "weights": [1, 3]}},
    })
    path = tmp_path / "explored.yaml"
    text = scenario_to_yaml(s, path)
    assert path.read_text(encoding="utf-8") == text
    assert "dematerialisation: 20" not in text  # only what differs
    assert load_scenario(path) == s


def test_to_yaml_of_a_shipped_file_round_trips(tmp_path):
    for p in scenario_files():
        s = load_scenario(p)
        q = tmp_path / p.name
        scenario_to_yaml(s, q)
        assert load_scenario(q) == s, p


@settings(max_examples=40, deadline=None)
@given(
    unit_cost=st.floats(0, 500, allow_nan=False),
    growth=st.floats(0, 0.2, allow_nan=False),
    realisation=st.floats(0, 1, allow_nan=False),
    delay=st.floats(0, 5, allow_nan=False),
    fte=st.floats(0, 100, allow_nan=False),
)
def test_to_yaml_round_trips_any_values(tmp_path_factory, unit_cost, growth, realisation, delay, fte):
    s = scenario_from_mapping({"name": "h", "unit_cost_keur": unit_cost, "unit_cost_growth": growth,
                               "realisation_rate": realisation, "delay_years": delay,
                               "etp": {"process_optimisation": fte}})
    p = tmp_path_factory.mktemp("rt") / "h.yaml"
    scenario_to_yaml(s, p)
    assert load_scenario(p) == s


# --------------------------------------------------------------------------- #
# refusals: one test each
# --------------------------------------------------------------------------- #


def test_refuses_unknown_top_level_key(tmp_path):
    _refused(tmp_path, "unit_cost: 60\n", "key 'unit_cost'", "unknown parameter")


def test_refuses_unknown_lever(tmp_path):
    _refused(tmp_path, "etp:\n  robots: 3\n", "etp.robots", "unknown lever")


def test_refuses_unknown_lever_in_lever_delays(tmp_path):
    _refused(tmp_path, "lever_delay_years:\n  robots: 1\n", "lever_delay_years.robots", "unknown lever")


def test_refuses_text_where_a_number_is_expected(tmp_path):
    msg = _refused(tmp_path, "etp:\n  dematerialisation: abc\n", "key 'etp.dematerialisation'")
    assert "expected a number between 0 and 1000, got 'abc'" in msg


def test_refuses_bool_where_a_number_is_expected(tmp_path):
    _refused(tmp_path, "realisation_rate: yes\n", "key 'realisation_rate'", "got True")


def test_refuses_negative_amount(tmp_path):
    _refused(tmp_path, "unit_cost_keur: -57\n", "key 'unit_cost_keur'", "between 0 and 10000", "-57")


def test_refuses_negative_fte(tmp_path):
    _refused(tmp_path, "etp:\n  user_support: -1\n", "etp.user_support", "between 0 and 1000")


def test_refuses_negative_rate(tmp_path):
    _refused(tmp_path, "discount_rate: -0.01\n", "key 'discount_rate'", "between 0 and 0.5")


def test_refuses_negative_growth(tmp_path):
    _refused(tmp_path, "unit_cost_growth: -0.01\n", "key 'unit_cost_growth'")


def test_refuses_negative_delay(tmp_path):
    _refused(tmp_path, "delay_years: -1\n", "key 'delay_years'")


def test_refuses_realisation_above_one(tmp_path):
    _refused(tmp_path, "realisation_rate: 1.2\n", "key 'realisation_rate'", "between 0 and 1")


def test_refuses_phasing_share_above_one(tmp_path):
    _refused(tmp_path, "phasing:\n  2019: 0.5\n  2022: 1.5\n", "phasing.2022", "between 0 and 1")


def test_refuses_decreasing_phasing(tmp_path):
    _refused(tmp_path, "phasing:\n  2019: 0.125\n  2020: 0.0375\n", "phasing.2020", "cannot fall")


def test_refuses_empty_phasing(tmp_path):
    _refused(tmp_path, "phasing: {}\n", "key 'phasing'", "at least one year")


def test_refuses_non_year_phasing_key(tmp_path):
    _refused(tmp_path, "phasing:\n  next: 0.5\n", "phasing.next", "year")


def test_refuses_phasing_that_is_not_a_mapping(tmp_path):
    _refused(tmp_path, "phasing: [0.1, 0.2]\n", "key 'phasing'", "mapping")


def test_refuses_horizon_before_base_year(tmp_path):
    _refused(tmp_path, "horizon_end: 2017\n", "key 'horizon_end'", "base_year")


def test_refuses_too_long_horizon(tmp_path):
    _refused(tmp_path, "horizon_end: 2199\n", "key 'horizon_end'", "at most 100 years")


def test_refuses_fractional_year(tmp_path):
    _refused(tmp_path, "base_year: 2018.5\n", "key 'base_year'", "integer")


def test_refuses_nan(tmp_path):
    _refused(tmp_path, "unit_cost_keur: .nan\n", "key 'unit_cost_keur'")


def test_refuses_infinity(tmp_path):
    _refused(tmp_path, "unit_cost_keur: .inf\n", "key 'unit_cost_keur'")


def test_refuses_non_text_name(tmp_path):
    _refused(tmp_path, "name: 12\n", "key 'name'", "text")


def test_refuses_empty_name(tmp_path):
    _refused(tmp_path, "name: ''\n", "key 'name'")


def test_refuses_top_level_list(tmp_path):
    _refused(tmp_path, "- unit_cost_keur: 60\n", "top level", "list")


def test_refuses_top_level_scalar(tmp_path):
    _refused(tmp_path, "57\n", "top level")


def test_refuses_yaml_syntax_error_with_line_and_column(tmp_path):
    _refused(tmp_path, "name: a\netp: {dematerialisation: 20\n", "line 3", "column", "YAML syntax error")


def test_refuses_python_tag_and_executes_nothing(tmp_path):
    marker = tmp_path / "pwned"
    _refused(tmp_path, f"name: !!python/object/apply:os.system ['touch {marker}']\n",
             "line 1", "tag", "python")
    assert not marker.exists()


def test_refuses_any_explicit_tag(tmp_path):
    _refused(tmp_path, "unit_cost_keur: !!float '57'\n", "tag")


def test_refuses_duplicated_key(tmp_path):
    _refused(tmp_path, "unit_cost_keur: 57\nunit_cost_keur: 60\n", "line 2", "duplicated key")


def test_refuses_unknown_distribution_kind(tmp_path):
    _refused(tmp_path, "uncertainty:\n  unit_cost_keur: {dist: lognormal, mean: 57}\n",
             "uncertainty.unit_cost_keur.dist", "lognormal")


def test_refuses_distribution_without_kind(tmp_path):
    _refused(tmp_path, "uncertainty:\n  unit_cost_keur: {low: 50, high: 60}\n",
             "uncertainty.unit_cost_keur.dist")


def test_refuses_unknown_distribution_field(tmp_path):
    _refused(tmp_path, "uncertainty:\n  unit_cost_keur: {dist: uniform, low: 50, high: 60, mode: 55}\n",
             "uncertainty.unit_cost_keur.mode", "unknown field of a uniform distribution")


def test_refuses_missing_distribution_field(tmp_path):
    _refused(tmp_path, "uncertainty:\n  unit_cost_keur: {dist: normal, mean: 57}\n",
             "uncertainty.unit_cost_keur.sd", "missing")


def test_refuses_uncertainty_on_a_non_scalar_parameter(tmp_path):
    _refused(tmp_path, "uncertainty:\n  phasing: {dist: uniform, low: 0, high: 1}\n",
             "uncertainty.phasing", "not an uncertain parameter")


def test_refuses_uncertainty_on_an_unknown_parameter(tmp_path):
    _refused(tmp_path, "uncertainty:\n  staff: {dist: uniform, low: 0, high: 1}\n",
             "uncertainty.staff", "not an uncertain parameter")


def test_refuses_uniform_with_low_above_high(tmp_path):
    _refused(tmp_path, "uncertainty:\n  unit_cost_keur: {dist: uniform, low: 60, high: 50}\n",
             "uncertainty.unit_cost_keur.high")


def test_refuses_triangular_mode_outside(tmp_path):
    _refused(tmp_path, "uncertainty:\n  unit_cost_keur: {dist: triangular, low: 50, mode: 70, high: 60}\n",
             "uncertainty.unit_cost_keur.high")


def test_refuses_negative_sd(tmp_path):
    _refused(tmp_path, "uncertainty:\n  unit_cost_keur: {dist: normal, mean: 57, sd: -1}\n",
             "uncertainty.unit_cost_keur.sd", ">= 0")


def test_refuses_weights_not_matching_values(tmp_path):
    _refused(tmp_path, "uncertainty:\n  delay_years: {dist: discrete, values: [0, 1], weights: [1]}\n",
             "uncertainty.delay_years.weights", "2 weights")


def test_refuses_all_zero_weights(tmp_path):
    _refused(tmp_path, "uncertainty:\n  delay_years: {dist: discrete, values: [0, 1], weights: [0, 0]}\n",
             "uncertainty.delay_years.weights")


def test_refuses_empty_discrete_values(tmp_path):
    _refused(tmp_path, "uncertainty:\n  delay_years: {dist: discrete, values: []}\n",
             "uncertainty.delay_years.values")


def test_refuses_text_in_discrete_values(tmp_path):
    _refused(tmp_path, "uncertainty:\n  delay_years: {dist: discrete, values: [0, late]}\n",
             "uncertainty.delay_years.values.1", "got 'late'")


def test_refuses_distribution_outside_the_parameter_domain(tmp_path):
    _refused(tmp_path, "uncertainty:\n  realisation_rate: {dist: uniform, low: 0.5, high: 1.2}\n",
             "uncertainty.realisation_rate", "[0, 1]")


def test_refuses_normal_mean_outside_the_parameter_domain(tmp_path):
    _refused(tmp_path, "uncertainty:\n  realisation_rate: {dist: normal, mean: 1.5, sd: 0.1}\n",
             "uncertainty.realisation_rate.mean")


def test_refuses_distribution_that_is_not_a_mapping(tmp_path):
    _refused(tmp_path, "uncertainty:\n  unit_cost_keur: 57\n", "uncertainty.unit_cost_keur")


def test_refuses_missing_file(tmp_path):
    with pytest.raises(ParameterError, match="file not found"):
        load_scenario(tmp_path / "absent.yaml")


def test_refuses_a_folder(tmp_path):
    with pytest.raises(ParameterError, match="folder"):
        load_scenario(tmp_path)


def test_refuses_non_utf8_file(tmp_path):
    p = tmp_path / "latin1.yaml"
    p.write_bytes("description: économies\n".encode("latin-1"))
    with pytest.raises(ParameterError, match="UTF-8"):
        load_scenario(p)


def test_direct_construction_is_validated_too():
    with pytest.raises(pydantic.ValidationError, match="etp"):
        Scenario(name="x", etp={lv: -1.0 for lv in LEVERS}, phasing={2019: 1.0},
                 lever_delay_years={lv: 0.0 for lv in LEVERS})


def test_replace_validates():
    with pytest.raises(ParameterError, match="realisation_rate"):
        baseline().replace(realisation_rate=-1)
    assert math.isclose(baseline().replace(etp={"user_support": 0}).total_etp, 29.0)  # 32 - 3

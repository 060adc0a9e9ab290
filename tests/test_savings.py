"""The savings model: hand-computed values from contract section 3."""

from __future__ import annotations

import numpy as np
import pytest

from incubo_analysis.model.params import baseline, scenario_from_mapping
from incubo_analysis.model.savings import planned_savings, savings_by_lever, savings_matrix

# Contract section 3 table, as printed (k€), years 2019..2022 (2018 = 0).
PRINTED = {
    "dematerialisation": [142.5, 427.5, 712.5, 1140],
    "process_optimisation": [35.625, 106.88, 178.13, 285],
    "digital_tools_and_data": [28.5, 85.5, 142.5, 228],
    "user_support": [21.375, 64.125, 106.88, 171],
}
PRINTED_TOTAL = [228, 684, 1140, 1824]


def test_baseline_reproduces_contract_table_to_printed_rounding():
    df = savings_by_lever(baseline())
    for lever, printed in PRINTED.items():
        got = df.loc[df["lever"] == lever].sort_values("year")["amount_keur"].to_numpy()
        assert got[0] == 0.0  # 2018
        # printed to 2 decimals at most: 106.88 for 5 x 57 x 0.375 = 106.875
        np.testing.assert_allclose(got[1:], printed, atol=0.005 + 1e-9)
    totals = df.groupby("year")["amount_keur"].sum().to_numpy()
    np.testing.assert_allclose(totals, [0, *PRINTED_TOTAL], atol=1e-9)


def test_issue_example_unit_cost_60_realisation_half_one_year_late():
    s = scenario_from_mapping({"unit_cost_keur": 60, "realisation_rate": 0.5, "delay_years": 1})
    df = savings_by_lever(s)
    total_2021 = df.loc[df["year"] == 2021, "amount_keur"].sum()
    # one year late: 2021 reaches the 2020 share, 37.5 %
    assert total_2021 == pytest.approx(32 * 60 * 0.5 * 0.375)  # = 360 k€
    assert total_2021 == pytest.approx(360.0)


def test_planned_savings_columns_and_values():
    p = planned_savings(baseline())
    assert list(p.columns) == ["lever", "year", "planned_etp", "unit_cost_keur", "amount_keur"]
    assert sorted(set(p["year"])) == [2018, 2019, 2020, 2021, 2022]
    row = p.loc[(p["lever"] == "user_support") & (p["year"] == 2021)].iloc[0]
    assert row["planned_etp"] == pytest.approx(3 * 0.625)  # 1.875 FTE
    assert row["amount_keur"] == pytest.approx(3 * 0.625 * 57)  # 106.875


def test_savings_matrix_shape():
    m, years = savings_matrix([baseline(), baseline()])
    assert m.shape == (2, 4, 5)
    assert years.tolist() == [2018, 2019, 2020, 2021, 2022]


# --------------------------------------------------------------------------- #
# invariants (hypothesis)
# --------------------------------------------------------------------------- #

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from incubo_analysis.contract.schema import LEVERS  # noqa: E402

YEARS = np.arange(2018, 2031)
_unit = st.floats(1, 200, allow_nan=False)
_share = st.floats(0, 1, allow_nan=False)
_growth = st.floats(0, 0.1, allow_nan=False)
_fte = st.floats(0, 50, allow_nan=False)
SETTINGS = settings(max_examples=60, deadline=None)


def _m(**kw):
    return savings_matrix([scenario_from_mapping(kw)], YEARS)[0][0]  # (lever, year)


@SETTINGS
@given(u=_unit, k=st.floats(0, 10, allow_nan=False), r=_share, g=_growth)
def test_linear_in_unit_cost(u, k, r, g):
    a = _m(unit_cost_keur=u, realisation_rate=r, unit_cost_growth=g)
    b = _m(unit_cost_keur=u * k, realisation_rate=r, unit_cost_growth=g)
    np.testing.assert_allclose(b, k * a, rtol=1e-12, atol=1e-9)


@SETTINGS
@given(fte=st.lists(_fte, min_size=4, max_size=4), k=st.floats(0, 10, allow_nan=False), d=st.floats(0, 3))
def test_linear_in_fte_and_each_lever_depends_on_its_own_fte(fte, k, d):
    etp = dict(zip(LEVERS, fte, strict=True))
    a = _m(etp=etp, delay_years=d)
    b = _m(etp={lv: v * k for lv, v in etp.items()}, delay_years=d)
    np.testing.assert_allclose(b, k * a, rtol=1e-12, atol=1e-9)
    one = _m(etp={lv: (v if lv == "user_support" else 0.0) for lv, v in etp.items()}, delay_years=d)
    np.testing.assert_allclose(one[3], a[3], rtol=1e-12)
    assert not one[:3].any()


@SETTINGS
@given(r1=_share, r2=_share, g=_growth, d=st.floats(0, 3))
def test_monotone_in_realisation(r1, r2, g, d):
    lo, hi = sorted((r1, r2))
    a = _m(realisation_rate=lo, unit_cost_growth=g, delay_years=d)
    b = _m(realisation_rate=hi, unit_cost_growth=g, delay_years=d)
    assert np.all(b >= a - 1e-9)


@SETTINGS
@given(k=st.integers(0, 6), r=_share, g=_growth)
def test_integer_delay_shifts_the_volume_by_k_years(k, r, g):
    base = planned_by_year(scenario_from_mapping({"realisation_rate": r, "unit_cost_growth": g,
                                                  "horizon_end": 2030}))
    late = planned_by_year(scenario_from_mapping({"realisation_rate": r, "unit_cost_growth": g,
                                                  "horizon_end": 2030, "delay_years": k}))
    # FTE freed in year t with delay k = FTE freed in year t - k without delay (0 before)
    shifted = np.concatenate([np.zeros(k), base[: len(base) - k]])
    np.testing.assert_allclose(late, shifted, rtol=1e-12, atol=1e-12)


@SETTINGS
@given(k=st.integers(0, 6), u=_unit)
def test_integer_delay_shifts_the_savings_by_k_years_without_growth(k, u):
    a = _m(unit_cost_keur=u)
    b = _m(unit_cost_keur=u, delay_years=k)
    np.testing.assert_allclose(b[:, k:], a[:, : a.shape[1] - k], rtol=1e-12)
    assert not b[:, :k].any()


@SETTINGS
@given(d1=st.floats(0, 6), d2=st.floats(0, 6))
def test_savings_never_rise_with_the_delay(d1, d2):
    lo, hi = sorted((d1, d2))
    assert np.all(_m(delay_years=hi) <= _m(delay_years=lo) + 1e-9)


def test_fractional_delay_interpolates_between_whole_years():
    # half a year late: 2021 share = (0.625 + 0.375) / 2 = 0.5 of 32 FTE x 57 k€
    total = _m(delay_years=0.5).sum(axis=0)
    assert total[YEARS.tolist().index(2021)] == pytest.approx(32 * 57 * 0.5)


def test_lever_delay_moves_only_its_lever():
    a = _m()
    b = _m(lever_delay_years={"dematerialisation": 1})
    np.testing.assert_allclose(b[1:], a[1:])
    np.testing.assert_allclose(b[0, 1:], a[0, :-1])
    # 2020 total: demat at the 2019 share 12.5 %, others at 37.5 %: (20 x .125 + 12 x .375) x 57
    assert b[:, 2].sum() == pytest.approx((20 * 0.125 + 12 * 0.375) * 57)


def test_growth_compounds_from_base_year():
    m = _m(unit_cost_growth=0.015)
    # 2022: 32 FTE x 57 x 1.015^4
    assert m[:, 4].sum() == pytest.approx(32 * 57 * 1.015**4)


def test_phasing_holds_its_last_share_after_the_last_year():
    m = _m(horizon_end=2026)
    np.testing.assert_allclose(m.sum(axis=0)[4:], 1824.0)


def test_batch_equals_one_by_one_with_different_phasings_and_horizons():
    scen = [
        scenario_from_mapping({"name": "a"}),
        scenario_from_mapping({"name": "b", "phasing": {2019: 0.0, 2020: 0.5}, "delay_years": 0.3,
                               "unit_cost_growth": 0.02, "horizon_end": 2025}),
        scenario_from_mapping({"name": "c", "lever_delay_years": {"user_support": 2.5},
                               "realisation_rate": 0.4, "base_year": 2019}),
    ]
    batch, years = savings_matrix(scen, YEARS)
    for i, s in enumerate(scen):
        one, _ = savings_matrix([s], YEARS)
        np.testing.assert_allclose(batch[i], one[0], rtol=1e-13)
    tidy = savings_by_lever(scen)
    assert sorted(set(tidy.loc[tidy["scenario"] == "b", "year"])) == list(range(2018, 2026))
    assert sorted(set(tidy.loc[tidy["scenario"] == "c", "year"])) == list(range(2019, 2023))


def test_savings_by_lever_columns():
    df = savings_by_lever(baseline())
    assert list(df.columns) == ["scenario", "lever", "year", "amount_keur"]
    assert len(df) == 4 * 5


def planned_by_year(s):
    p = planned_savings(s)
    return p.groupby("year")["planned_etp"].sum().to_numpy()

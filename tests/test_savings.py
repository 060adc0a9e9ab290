"""The savings model: hand-computed values from contract section 3."""

from __future__ import annotations

import numpy as np
import pytest

from incubo_analysis.params import baseline, scenario_from_mapping
from incubo_analysis.savings import planned_savings, savings_by_lever, savings_matrix

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

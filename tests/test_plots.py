"""Charts of incubo_analysis.outputs.plots, on small frames built by hand from the data specs.

Each expected height, position or label is worked out in the test (sums written out),
mostly with figures of the contract (e.g. axis 1, 2019: T3 160 + 11 = 171, T2 40 + 111 =
151, total 322 k€).
"""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")  # tests only: the library never selects a backend

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from incubo_analysis.errors import ParameterError, SchemaError  # noqa: E402
from incubo_analysis.outputs import plots as P  # noqa: E402
from incubo_analysis.outputs import style as S  # noqa: E402

NNBSP = "\u202f"
NBSP = "\u00a0"
MINUS = "\u2212"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(autouse=True)
def _forbid_show_and_save(monkeypatch):
    """The plot functions must never show or save."""

    def forbidden(*_a, **_k):
        raise AssertionError("plot functions must not show or save")

    monkeypatch.setattr(plt, "show", forbidden)
    monkeypatch.setattr(plt, "savefig", forbidden)
    monkeypatch.setattr(Figure, "savefig", forbidden)


def patches_by_gid(ax):
    return {p.get_gid(): p for p in ax.patches if p.get_gid()}


def lines_by_gid(ax):
    return {ln.get_gid(): ln for ln in ax.lines if ln.get_gid()}


def texts(ax):
    return [t.get_text() for t in ax.texts]


def yticklabels_top_down(ax):
    pairs = sorted(zip(ax.get_yticks(), [t.get_text() for t in ax.get_yticklabels()], strict=True), reverse=True)
    return [text for _pos, text in pairs]


def legend_texts(ax_or_fig):
    legends = ax_or_fig.legends if isinstance(ax_or_fig, Figure) else [ax_or_fig.get_legend()]
    return [t.get_text() for lg in legends if lg is not None for t in lg.get_texts()]


# ----------------------------------------------------------------------------- frames


def _plan_rows(axis, title, source, line, amounts):
    """amounts: {(year, credit): k€}; every year 2018-2019 × credit gets a row (zeros included)."""
    return [
        dict(axis=axis, title=title, source=source, line=line, year=year, credit=credit,
             amount_keur=float(amounts.get((year, credit), 0.0)))
        for year in (2018, 2019) for credit in ("AE", "CP")
    ]


@pytest.fixture
def plan():
    rows = []
    # axis 1, 2019 (contract section 2): T2 cofinanced 40 + 111 = 151; T3 FTAP 160 + 11 = 171
    rows += _plan_rows(1, "T2", "cofinancing", "Chef de projet", {(2019, "AE"): 40, (2019, "CP"): 40})
    rows += _plan_rows(1, "T2", "cofinancing", "Agents", {(2019, "AE"): 111, (2019, "CP"): 111})
    rows += _plan_rows(1, "T3", "FTAP", "Prestations", {(2019, "AE"): 160, (2019, "CP"): 160})
    rows += _plan_rows(1, "T3", "FTAP", "Communication", {(2019, "AE"): 11, (2019, "CP"): 11})
    # axis 3, 2018: a T6 grant committed (AE 50) but not paid (CP 0)
    rows += _plan_rows(3, "T6", "FTAP", "Subvention FING", {(2018, "AE"): 50})
    return pd.DataFrame(rows)


@pytest.fixture
def savings():
    # contract section 3, 2019 and 2020, as printed
    rows = [
        ("dematerialisation", 2019, 142.5), ("process_optimisation", 2019, 35.625),
        ("digital_tools_and_data", 2019, 28.5), ("user_support", 2019, 21.375),
        ("dematerialisation", 2020, 427.5), ("process_optimisation", 2020, 106.88),
        ("digital_tools_and_data", 2020, 85.5), ("user_support", 2020, 64.125),
    ]
    return pd.DataFrame(rows, columns=["lever", "year", "amount_keur"])


@pytest.fixture
def cashflows():
    years = [2018, 2019, 2020, 2021, 2022]
    savings = [0.0, 228.0, 684.0, 1140.0, 1824.0]
    cost_ftap = [0.0, 450.0, 350.0, 435.0, 0.0]
    cost_total = [181.0, 885.0, 857.0, 705.0, 0.0]
    frame = pd.DataFrame(
        {"year": years, "savings_keur": savings, "cost_ftap_keur": cost_ftap, "cost_total_keur": cost_total,
         "discount_factor": [1 / 1.045 ** (y - 2018) for y in years]}
    )
    frame["cum_savings_keur"] = np.cumsum(savings)  # 0, 228, 912, 2052, 3876
    frame["cum_cost_ftap_keur"] = np.cumsum(cost_ftap)  # 0, 450, 800, 1235, 1235
    frame["cum_cost_total_keur"] = np.cumsum(cost_total)  # 181, 1066, 1923, 2628, 2628
    return frame


@pytest.fixture
def metrics():
    rows = [
        ("late", "npv_keur", -120.0), ("baseline", "npv_keur", 894.7), ("r75", "npv_keur", 310.0),
        ("late", "roi_total", 0.95), ("baseline", "roi_total", 1.45), ("r75", "roi_total", 1.08),
        ("late", "payback_year_total", math.nan), ("baseline", "payback_year_total", 2022.0),
        ("r75", "payback_year_total", 2022.0),
    ]
    return pd.DataFrame(rows, columns=["scenario", "metric", "value"])


@pytest.fixture
def tornado():
    base = 900.0
    rows = [
        # parameter, low, high, value_at_low, value_at_high ; swing = |high - low|
        ("delay_years", 0.0, 1.0, 900.0, 800.0),  # swing 100
        ("realisation_rate", 0.55, 0.95, 600.0, 900.0 - 0.0 + 0.0),  # swing 300 (high = base)
        ("unit_cost_keur", 50.0, 62.0, 800.0, 1000.0),  # swing 200
    ]
    frame = pd.DataFrame(rows, columns=["parameter", "low", "high", "value_at_low", "value_at_high"])
    frame["metric"] = "npv_keur"
    frame["base_value"] = base
    frame["swing"] = (frame["value_at_high"] - frame["value_at_low"]).abs()
    return frame[["parameter", "low", "high", "metric", "base_value", "value_at_low", "value_at_high", "swing"]]


@pytest.fixture
def mc_savings():
    return pd.DataFrame(
        {
            "year": [2019, 2020, 2021],
            "mean": [200.0, 600.0, 1000.0], "p10": [100.0, 400.0, 700.0],
            "p50": [210.0, 610.0, 1010.0], "p90": [300.0, 800.0, 1300.0],
            "cum_mean": [200.0, 800.0, 1800.0], "cum_p10": [100.0, 500.0, 1200.0],
            "cum_p50": [210.0, 820.0, 1830.0], "cum_p90": [300.0, 1100.0, 2400.0],
        }
    )


@pytest.fixture
def variance():
    # issue 4's example on process_optimisation 2021: 2.0 FTE at 58 instead of 2.5 at 57:
    # planned 142.5, actual 116, volume (2.0-2.5)*57 = -28.5, price 2.0*(58-57) = +2.0
    rows = [
        ("dematerialisation", 2020, 7.5, 5.0, 427.5, 285.0, -142.5, 0.0, "Vague décalée", False),
        ("dematerialisation", 2021, 12.5, 12.5, 712.5, 712.5, 0.0, 0.0, "", False),
        ("process_optimisation", 2020, 1.875, 1.875, 106.875, 106.875, 0.0, 0.0, "", False),
        ("process_optimisation", 2021, 2.5, 2.0, 142.5, 116.0, -28.5, 2.0, "", True),
    ]
    frame = pd.DataFrame(
        rows,
        columns=["lever", "year", "planned_etp", "actual_etp", "planned_keur", "actual_keur",
                 "volume_effect_keur", "price_effect_keur", "explanation", "explanation_missing"],
    )
    frame["variance_keur"] = frame["actual_keur"] - frame["planned_keur"]
    frame["variance_pct"] = frame["variance_keur"] / frame["planned_keur"]
    return frame


@pytest.fixture
def credits():
    rows = [
        # axis, title, source, year, credit, planned, actual
        (1, "T2", "cofinancing", 2019, "CP", 151.0, 148.0),
        (1, "T3", "FTAP", 2019, "CP", 171.0, 120.0),
        (1, "T3", "FTAP", 2020, "CP", 134.0, 100.0),
        (2, "T3", "FTAP", 2019, "CP", 113.0, 113.0),
        (1, "T3", "FTAP", 2019, "AE", 171.0, 171.0),
    ]
    frame = pd.DataFrame(rows, columns=["axis", "title", "source", "year", "credit", "planned_keur", "actual_keur"])
    frame["variance_keur"] = frame["actual_keur"] - frame["planned_keur"]
    frame["consumption_rate"] = frame["actual_keur"] / frame["planned_keur"]
    frame["share_of_budget"] = frame["actual_keur"] / 2628.0
    return frame


@pytest.fixture
def quarterly():
    quarters = ((1, 10.0, 10.0), (2, 20.0, 30.0), (3, 30.0, 60.0), (4, 40.0, 100.0))
    rows = [(1, 2019, q, "CP", a, c) for q, a, c in quarters]
    rows += [(2, 2019, 1, "CP", 5.0, 5.0), (2, 2019, 2, "CP", 10.0, 15.0)]
    rows += [(1, 2019, 1, "AE", 99.0, 99.0)]
    frame = pd.DataFrame(rows, columns=["axis", "year", "quarter", "credit", "actual_keur", "cumulated_keur"])
    frame["cumulated_share_of_budget"] = frame["cumulated_keur"] / 1000.0
    return frame


@pytest.fixture
def status():
    rows = [
        ("axis3_agents_trained", 2019, 750.0, 700.0, "amber"),
        ("axis3_agents_trained", 2020, 1500.0, 1600.0, "green"),
        ("axis3_agents_trained", 2021, 2500.0, math.nan, "red"),
        ("axis2_projects_incubated", 2020, 7.0, math.nan, "red"),
        ("axis1_deployment_rate", 2020, 0.60, 0.30, "red"),
    ]
    frame = pd.DataFrame(rows, columns=["indicator", "year", "target", "actual", "status"])
    frame["attainment"] = frame["actual"] / frame["target"]
    return frame[["indicator", "year", "target", "actual", "attainment", "status"]]


@pytest.fixture
def targets():
    return pd.DataFrame(
        {
            "indicator": ["axis3_agents_trained"] * 3 + ["axis1_deployment_rate"] * 3,
            "axis": [3, 3, 3, 1, 1, 1],
            "year": [2019, 2020, 2021] * 2,
            "target": [750.0, 1500.0, 2500.0, 0.30, 0.60, 1.00],
            "unit": ["count"] * 3 + ["share"] * 3,
        }
    )


# ----------------------------------------------------------------------------- 1. financing


class TestFinancing:
    def test_panels_and_stacked_heights(self, plan):
        grid = P.plot_financing_by_axis(plan)
        assert isinstance(grid, np.ndarray) and grid.shape == (2, 2)
        ax1 = grid.flat[0]
        bars = patches_by_gid(ax1)
        t3 = bars["T3|FTAP|CP|2019|1"]
        t2 = bars["T2|cofinancing|CP|2019|1"]
        assert t3.get_height() == pytest.approx(160 + 11)
        assert t3.get_y() == pytest.approx(0.0)  # FTAP stacked first
        assert t2.get_height() == pytest.approx(40 + 111)
        assert t2.get_y() == pytest.approx(171.0)  # on top of the FTAP segment
        assert "322" in texts(ax1)  # total 171 + 151
        # FTAP plain, co-financing hatched; colours of the titles
        assert not t3.get_hatch()
        assert t2.get_hatch() == S.SOURCE_HATCHES["cofinancing"]
        assert to_hex(t3.get_facecolor()) == S.TITLE_COLORS["T3"].lower()

    def test_zero_amounts_draw_nothing(self, plan):
        grid = P.plot_financing_by_axis(plan)
        ax3 = grid.flat[2]
        assert not [g for g in patches_by_gid(ax3) if "|CP|2018|" in g]  # CP 2018 of axis 3 is 0

    def test_ae(self, plan):
        grid = P.plot_financing_by_axis(plan, credit="AE")
        assert patches_by_gid(grid.flat[2])["T6|FTAP|AE|2018|3"].get_height() == pytest.approx(50.0)
        assert not any("|CP|" in g for ax in grid.flat for g in patches_by_gid(ax))

    def test_both_credits_side_by_side(self, plan):
        grid = P.plot_financing_by_axis(plan, credit="both")
        bars = patches_by_gid(grid.flat[0])
        ae, cp = bars["T3|FTAP|AE|2019|1"], bars["T3|FTAP|CP|2019|1"]
        assert ae.get_x() < cp.get_x()
        assert ae.get_height() == cp.get_height() == pytest.approx(171.0)

    def test_labels_french_and_english(self, plan):
        grid = P.plot_financing_by_axis(plan)
        assert grid.flat[0].get_title("left") == "Axe 1 – Simplification"
        fig = grid.flat[0].figure
        assert "Cofinancements" in legend_texts(fig)
        assert "Crédits de paiement (CP)" in fig.get_suptitle()
        grid_en = P.plot_financing_by_axis(plan, lang="en")
        assert grid_en.flat[3].get_title("left") == "Axis 4 – Inclusion"
        assert "Co-financing" in legend_texts(grid_en.flat[0].figure)

    def test_french_tick_format(self, plan):
        grid = P.plot_financing_by_axis(plan)
        fmt = grid.flat[0].yaxis.get_major_formatter()
        assert fmt(1500.0, 0) == "1" + NNBSP + "500"

    def test_given_axes_no_new_figure(self, plan):
        fig, axes = plt.subplots(1, 4)
        before = plt.get_fignums()
        grid = P.plot_financing_by_axis(plan, axes=axes)
        assert plt.get_fignums() == before
        assert grid.shape == (4,) and grid[0] is axes[0]

    def test_errors(self, plan):
        with pytest.raises(ParameterError, match="credit: expected 'AE', 'CP' or 'both', got 'XX'"):
            P.plot_financing_by_axis(plan, credit="XX")
        with pytest.raises(SchemaError, match="missing column.*'amount_keur'"):
            P.plot_financing_by_axis(plan.drop(columns="amount_keur"))
        bad = plan.copy()
        bad.loc[0, "title"] = "T9"
        with pytest.raises(SchemaError, match="'title' has unknown value 'T9'"):
            P.plot_financing_by_axis(bad)
        _fig, two = plt.subplots(1, 2)
        with pytest.raises(ParameterError, match="axes: expected 4 Axes"):
            P.plot_financing_by_axis(plan, axes=two)


# ----------------------------------------------------------------------------- 2. savings


class TestSavingsByLever:
    def test_stacked_heights_and_totals(self, savings):
        ax = P.plot_savings_by_lever(savings)
        bars = patches_by_gid(ax)
        top = bars["user_support|2019"]
        assert top.get_y() == pytest.approx(142.5 + 35.625 + 28.5)  # = 206.625
        assert top.get_y() + top.get_height() == pytest.approx(228.0)
        assert bars["dematerialisation|2020"].get_height() == pytest.approx(427.5)
        # totals: 228 ; 427.5 + 106.88 + 85.5 + 64.125 = 684.005 -> "684"
        assert "228" in texts(ax) and "684" in texts(ax)

    def test_legend_fr_en(self, savings):
        assert "Dématérialisation" in legend_texts(P.plot_savings_by_lever(savings))
        assert "Dematerialisation" in legend_texts(P.plot_savings_by_lever(savings, lang="en"))

    def test_scenario_selection(self, savings):
        two = pd.concat([savings.assign(scenario="baseline"), savings.assign(scenario="late", amount_keur=1.0)])
        with pytest.raises(ParameterError, match="2 scenarios"):
            P.plot_savings_by_lever(two)
        ax = P.plot_savings_by_lever(two, scenario="late")
        assert patches_by_gid(ax)["dematerialisation|2019"].get_height() == pytest.approx(1.0)
        with pytest.raises(ParameterError, match="'nope' not in the frame"):
            P.plot_savings_by_lever(two, scenario="nope")
        with pytest.raises(ParameterError, match="no 'scenario' column"):
            P.plot_savings_by_lever(savings, scenario="late")


# ----------------------------------------------------------------------------- 3. payback


class TestPayback:
    def test_lines_and_payback_years(self, cashflows):
        ax = P.plot_cumulative_payback(cashflows)
        lines = lines_by_gid(ax)
        np.testing.assert_allclose(lines["cum_savings"].get_ydata(), [0, 228, 912, 2052, 3876])
        np.testing.assert_allclose(lines["cum_cost_total"].get_ydata(), [181, 1066, 1923, 2628, 2628])
        # FTAP: 2018 has 0 >= 0 but no money spent yet; 2019: 228 < 450; 2020: 912 >= 800 -> 2020
        assert list(lines["payback_ftap"].get_xdata()) == [2020, 2020]
        # total: 2021: 2052 < 2628; 2022: 3876 >= 2628 -> 2022
        assert list(lines["payback_total"].get_xdata()) == [2022, 2022]
        assert "Retour FTAP : 2020" in texts(ax)
        assert "Retour global : 2022" in texts(ax)

    def test_never_paid_back(self, cashflows):
        frame = cashflows.assign(cum_cost_total_keur=cashflows["cum_cost_total_keur"] * 10)
        ax = P.plot_cumulative_payback(frame, lang="en")
        assert "payback_total" not in lines_by_gid(ax)
        assert any("no payback within horizon (all public money)" in t for t in texts(ax))

    def test_payback_rule(self):
        years = np.array([2018, 2019, 2020])
        assert P._payback_year(years, np.array([0.0, 0, 5]), np.array([0.0, 0, 0])) is None  # never spent
        assert P._payback_year(years, np.array([0.0, 10, 20]), np.array([0.0, 10, 10])) == 2019  # reached exactly


# ----------------------------------------------------------------------------- 4. scenarios


class TestScenarioComparison:
    def test_baseline_on_top_and_values(self, metrics):
        ax = P.plot_scenario_comparison(metrics)
        assert yticklabels_top_down(ax) == ["Référence (contrat)", "late", "r75"]
        bars = patches_by_gid(ax)
        assert bars["scenario|late"].get_width() == pytest.approx(-120.0)
        assert to_hex(bars["scenario|baseline"].get_facecolor()) == S.SERIES_COLORS["baseline"].lower()
        assert to_hex(bars["scenario|r75"].get_facecolor()) == S.SERIES_COLORS["scenario"].lower()
        assert MINUS + "120" + NBSP + "k€" in texts(ax)  # whole k€ from 100 k€ up
        assert ax.get_xlabel() == "VAN (k€)"

    def test_roi_threshold(self, metrics):
        ax = P.plot_scenario_comparison(metrics, metric="roi_total", lang="en")
        assert any(list(ln.get_xdata()) == [1.0, 1.0] for ln in ax.lines)
        assert "1.45" in texts(ax)

    def test_payback_dots_and_missing(self, metrics):
        ax = P.plot_scenario_comparison(metrics, metric="payback_year_total")
        assert list(lines_by_gid(ax)["scenario|baseline"].get_xdata()) == [2022.0]
        assert "pas de retour sur l'horizon" in texts(ax)

    def test_first_scenario_is_baseline_when_none_named_so(self, metrics):
        frame = metrics.loc[metrics["scenario"] != "baseline"]
        ax = P.plot_scenario_comparison(frame)
        assert yticklabels_top_down(ax)[0] == "late"

    def test_errors(self, metrics):
        with pytest.raises(ParameterError, match="metric: 'nope' not in the metrics frame"):
            P.plot_scenario_comparison(metrics, metric="nope")
        with pytest.raises(ParameterError, match="baseline: 'x' not among"):
            P.plot_scenario_comparison(metrics, baseline="x")
        with pytest.raises(SchemaError, match="several rows"):
            P.plot_scenario_comparison(pd.concat([metrics, metrics]))


# ----------------------------------------------------------------------------- 5. tornado


class TestTornado:
    def test_order_follows_swing(self, tornado):
        ax = P.plot_tornado(tornado)
        # swings: realisation 300 > unit cost 200 > delay 100
        assert yticklabels_top_down(ax) == [
            "Taux de réalisation", "Coût unitaire d'un ETP (k€/an)", "Retard (années)",
        ]

    def test_bars_from_base(self, tornado):
        ax = P.plot_tornado(tornado)
        bars = patches_by_gid(ax)
        low = bars["unit_cost_keur|low"]
        assert low.get_x() == pytest.approx(900.0)
        assert low.get_width() == pytest.approx(800.0 - 900.0)
        assert bars["unit_cost_keur|high"].get_width() == pytest.approx(1000.0 - 900.0)
        # ends annotated with the parameter values
        assert "50" + NBSP + "k€" in texts(ax)
        assert "55" + NNBSP + "%" in texts(ax)
        assert "1 an" in texts(ax)

    def test_same_side_bars_are_split(self):
        frame = pd.DataFrame(
            {"parameter": ["unit_cost_growth"], "low": [0.004], "high": [0.016], "metric": ["npv_keur"],
             "base_value": [900.0], "value_at_low": [930.0], "value_at_high": [1070.0], "swing": [140.0]}
        )
        bars = patches_by_gid(P.plot_tornado(frame))
        assert bars["unit_cost_growth|low"].get_height() == pytest.approx(0.31)
        assert bars["unit_cost_growth|low"].get_y() > bars["unit_cost_growth|high"].get_y()

    def test_metric_selection(self, tornado):
        two = pd.concat([tornado, tornado.assign(metric="roi_total")])
        with pytest.raises(ParameterError, match="pass metric=NAME"):
            P.plot_tornado(two)
        ax = P.plot_tornado(two, metric="roi_total", lang="en")
        assert ax.get_title("left") == "Sensitivity – Total ROI"


# ----------------------------------------------------------------------------- 6. fan


class TestFan:
    def test_band_spans_p10_p90(self, mc_savings):
        ax = P.plot_montecarlo_fan(mc_savings)
        band = next(c for c in ax.collections if c.get_gid() == "band")
        vertices = band.get_paths()[0].vertices
        for year, p10, p90 in zip(mc_savings["year"], mc_savings["cum_p10"], mc_savings["cum_p90"], strict=True):
            ys = vertices[np.isclose(vertices[:, 0], year), 1]
            assert ys.min() == pytest.approx(p10) and ys.max() == pytest.approx(p90)
        np.testing.assert_allclose(lines_by_gid(ax)["p50"].get_ydata(), [210, 820, 1830])

    def test_annual(self, mc_savings):
        ax = P.plot_montecarlo_fan(mc_savings, cumulative=False, lang="en")
        np.testing.assert_allclose(lines_by_gid(ax)["p50"].get_ydata(), [210, 610, 1010])
        assert ax.get_title("left") == "Annual savings – Monte Carlo simulation"

    def test_targets(self, mc_savings):
        ax = P.plot_montecarlo_fan(mc_savings, target_keur=1300)
        assert list(lines_by_gid(ax)["target|Objectif"].get_ydata()) == [1300, 1300]
        assert "Objectif : 1" + NNBSP + "300" + NBSP + "k€" in legend_texts(ax)
        ax2 = P.plot_montecarlo_fan(mc_savings, target_keur={"ftap_money": 1235.0, "Objectif 1,3 M€": 1300.0})
        assert {"target|Crédits FTAP", "target|Objectif 1,3 M€"} <= set(lines_by_gid(ax2))
        with pytest.raises(ParameterError, match="target_keur"):
            P.plot_montecarlo_fan(mc_savings, target_keur={"x": "1300"})

    def test_missing_columns(self, mc_savings):
        with pytest.raises(SchemaError, match="'cum_p90'"):
            P.plot_montecarlo_fan(mc_savings.drop(columns="cum_p90"))


# ----------------------------------------------------------------------------- 7. variance


class TestSavingsVariance:
    def test_summed_over_years(self, variance):
        ax = P.plot_savings_variance(variance)
        bars = patches_by_gid(ax)
        assert bars["planned|dematerialisation"].get_height() == pytest.approx(427.5 + 712.5)
        assert bars["actual|dematerialisation"].get_height() == pytest.approx(285.0 + 712.5)
        # (997.5 - 1140) / 1140 = -12.5 % -> "−13 %" (half away from zero)
        assert MINUS + "13" + NNBSP + "%" in texts(ax)
        # process_optimisation: (222.875 - 249.375) / 249.375 = -10.6 % and flagged (no explanation)
        assert MINUS + "11" + NNBSP + "% *" in texts(ax)
        assert any(t.startswith("* écart au-delà du seuil") for t in texts(ax))

    def test_one_year(self, variance):
        ax = P.plot_savings_variance(variance, year=2020, lang="en")
        bars = patches_by_gid(ax)
        assert bars["actual|dematerialisation"].get_height() == pytest.approx(285.0)
        assert "-33%" in texts(ax)  # (285 - 427.5) / 427.5 = -33.3 %
        assert not any(t.startswith("*") for t in texts(ax))  # 2020 has nothing flagged
        assert ax.get_title("left") == "Planned and actual savings by lever – 2020"
        with pytest.raises(ParameterError, match="year: 2030 not in the savings variance"):
            P.plot_savings_variance(variance, year=2030)


class TestWaterfall:
    def test_steps(self, variance):
        ax = P.plot_variance_waterfall(variance, year=2021)
        bars = patches_by_gid(ax)
        # 2021: planned 712.5 + 142.5 = 855; volume demat 0; volume process -28.5; price +2.0
        assert bars["waterfall|planned"].get_height() == pytest.approx(855.0)
        vol = bars["waterfall|volume|process_optimisation"]
        assert vol.get_y() == pytest.approx(855.0) and vol.get_height() == pytest.approx(-28.5)
        price = bars["waterfall|price"]
        assert price.get_y() == pytest.approx(855.0 - 28.5) and price.get_height() == pytest.approx(2.0)
        # actual = 712.5 + 116 = 828.5 = 855 - 28.5 + 2
        assert bars["waterfall|actual"].get_height() == pytest.approx(828.5)
        assert MINUS + "28,5" in texts(ax) and "+2" in texts(ax)
        labels = [t.get_text() for t in ax.get_xticklabels()]
        assert labels[0] == "Prévu" and labels[-1] == "Réalisé"

    def test_zoom(self, variance):
        ax = P.plot_variance_waterfall(variance)
        # all years: planned 1389.375, lowest level 1389.375 - 142.5 - 28.5 = 1218.375
        assert ax.get_ylim()[0] > 0
        assert "échelle tronquée" in texts(ax)
        assert P.plot_variance_waterfall(variance, zoom=False).get_ylim()[0] == 0


# ----------------------------------------------------------------------------- 8. credits


class TestCredits:
    def test_consumption_all_years(self, credits):
        ax = P.plot_credits_consumption(credits)
        bars = patches_by_gid(ax)
        assert bars["planned|1|T3"].get_height() == pytest.approx(171 + 134)  # CP only, AE excluded
        assert bars["actual|1|T3"].get_height() == pytest.approx(120 + 100)
        assert bars["actual|1|T3"].get_y() == pytest.approx(148.0)  # stacked on T2
        # rate axis 1 = (148 + 220) / (151 + 305) = 368 / 456 = 80.7 % ; axis 2 = 100 %
        assert "81" + NNBSP + "%" in texts(ax)
        assert "100" + NNBSP + "%" in texts(ax)

    def test_one_year_and_cumulative(self, credits):
        ax = P.plot_credits_consumption(credits, year=2019)
        # (148 + 120) / (151 + 171) = 268 / 322 = 83.2 %
        assert "83" + NNBSP + "%" in texts(ax)
        ax = P.plot_credits_consumption(credits, year=2020, cumulative=True, lang="en")
        assert "81%" in texts(ax)
        ax = P.plot_credits_consumption(credits, credit="AE")
        assert "100" + NNBSP + "%" in texts(ax)  # AE axis 1: 171 / 171

    def test_errors(self, credits):
        with pytest.raises(ParameterError, match="credit: expected 'AE' or 'CP'"):
            P.plot_credits_consumption(credits, credit="both")
        with pytest.raises(ParameterError, match="year: 2010"):
            P.plot_credits_consumption(credits, year=2010)

    def test_a_year_after_the_plan_is_an_empty_chart(self, credits):
        """Reports after the contract (e.g. 2023 with a longer horizon) show no credits, no error."""
        ax = P.plot_credits_consumption(credits, year=2025)
        assert not [p for p in ax.patches if (p.get_gid() or "").startswith(("planned|", "actual|"))]
        ax = P.plot_credits_consumption(credits, year=2025, cumulative=True)
        assert "81" + NNBSP + "%" in texts(ax)  # every year up to 2025: the whole frame
        bad = credits.copy()
        bad.loc[0, "axis"] = 7
        with pytest.raises(SchemaError, match="'axis' has unknown value 7"):
            P.plot_credits_consumption(bad)

    def test_quarterly(self, quarterly):
        ax = P.plot_credits_quarterly(quarterly)
        lines = lines_by_gid(ax)
        np.testing.assert_allclose(lines["quarterly|1"].get_ydata(), [10, 30, 60, 100])
        assert list(lines["quarterly|1"].get_xdata()) == [0, 1, 2, 3]
        assert list(lines["quarterly|2"].get_xdata()) == [0, 1]
        assert [t.get_text() for t in ax.get_xticklabels()][:2] == ["2019-T1", "2019-T2"]
        ax_en = P.plot_credits_quarterly(quarterly, lang="en", share=True)
        np.testing.assert_allclose(lines_by_gid(ax_en)["quarterly|1"].get_ydata(), [0.01, 0.03, 0.06, 0.10])
        assert ax_en.get_xticklabels()[0].get_text() == "2019-Q1"
        assert "Axis 1 – Simplification" in legend_texts(ax_en)
        ae = P.plot_credits_quarterly(quarterly, credit="AE")
        np.testing.assert_allclose(lines_by_gid(ae)["quarterly|1"].get_ydata(), [99.0])

    def test_quarterly_bad_quarter(self, quarterly):
        bad = quarterly.copy()
        bad.loc[0, "quarter"] = 5
        with pytest.raises(SchemaError, match="'quarter' has unknown value 5"):
            P.plot_credits_quarterly(bad)


# ----------------------------------------------------------------------------- 9. indicators


class TestIndicators:
    def test_single_indicator(self, status, targets):
        ax = P.plot_indicator_progress(status, targets=targets, indicator="axis3_agents_trained")
        lines = lines_by_gid(ax)
        np.testing.assert_allclose(lines["target_path"].get_ydata(), [750, 1500, 2500])
        assert to_hex(lines["point|2019"].get_color()) == S.RAG_COLORS["amber"].lower()
        assert to_hex(lines["point|2020"].get_color()) == S.RAG_COLORS["green"].lower()
        assert "point|2021" not in lines  # not reported
        assert ax.get_title("left") == "Axe 3 – Agents sensibilisés au numérique"
        assert "1" + NNBSP + "600" in texts(ax)

    def test_single_share_indicator_without_targets(self, status):
        ax = P.plot_indicator_progress(status, indicator="axis1_deployment_rate", lang="en")
        assert "30%" in texts(ax)  # the actual 0.30 read as a share
        assert ax.yaxis.get_major_formatter()(0.5, 0) == "50%"

    def test_overview(self, status, targets):
        ax = P.plot_indicator_progress(status, targets=targets)
        # latest year with a reported value: 2020
        assert ax.get_title("left").endswith("2020")
        bars = patches_by_gid(ax)
        assert bars["attainment|axis3_agents_trained"].get_width() == pytest.approx(1600 / 1500)
        assert bars["attainment|axis1_deployment_rate"].get_width() == pytest.approx(0.30 / 0.60)
        assert to_hex(bars["attainment|axis1_deployment_rate"].get_facecolor()) == S.RAG_COLORS["red"].lower()
        assert "attainment|axis2_projects_incubated" not in bars
        assert "non renseigné" in texts(ax)
        assert "107" + NNBSP + "%  (1" + NNBSP + "600 / 1" + NNBSP + "500)" in texts(ax)

    def test_errors(self, status):
        with pytest.raises(ParameterError, match="indicator: 'nope'"):
            P.plot_indicator_progress(status, indicator="nope")
        with pytest.raises(ParameterError, match="year: 2030"):
            P.plot_indicator_progress(status, year=2030)
        bad = status.assign(status="blue")
        with pytest.raises(SchemaError, match="unknown value 'blue'"):
            P.plot_indicator_progress(bad)


# ----------------------------------------------------------------------------- common contract


CALLS = [
    ("plot_savings_by_lever", "savings", {}),
    ("plot_cumulative_payback", "cashflows", {}),
    ("plot_scenario_comparison", "metrics", {}),
    ("plot_tornado", "tornado", {}),
    ("plot_montecarlo_fan", "mc_savings", {"target_keur": 1300.0}),
    ("plot_savings_variance", "variance", {}),
    ("plot_variance_waterfall", "variance", {}),
    ("plot_credits_consumption", "credits", {}),
    ("plot_credits_quarterly", "quarterly", {}),
    ("plot_indicator_progress", "status", {}),
    ("plot_indicator_progress", "status", {"indicator": "axis3_agents_trained"}),
]


@pytest.mark.parametrize("func, fixture, kwargs", CALLS)
class TestCommonContract:
    def test_given_ax_no_new_figure_input_untouched_style_fixed(self, func, fixture, kwargs, request):
        data = request.getfixturevalue(fixture)
        before_data = data.copy(deep=True)
        fig, ax = plt.subplots(dpi=20)
        before = plt.get_fignums()
        assert getattr(P, func)(data, ax=ax, **kwargs) is ax
        assert plt.get_fignums() == before  # no figure created
        pd.testing.assert_frame_equal(data, before_data)  # input not modified
        # the look survives outside the style context (a notebook draws the figure later)
        assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()
        fig.canvas.draw()
        # house tick sizes (13 - 1 or 13 - 2 pt), not matplotlib's default 10 pt
        assert ax.yaxis.get_major_ticks()[0].label1.get_fontsize() in (S.FONT_SIZE - 1, S.FONT_SIZE - 2)

    def test_creates_one_slide_sized_figure_when_no_ax(self, func, fixture, kwargs, request):
        ax = getattr(P, func)(request.getfixturevalue(fixture), **kwargs)
        assert plt.get_fignums() == [ax.figure.number]
        assert ax.figure.get_size_inches()[0] >= 10.0

    def test_french_by_default_english_on_request_title_options(self, func, fixture, kwargs, request):
        data = request.getfixturevalue(fixture)
        fr = getattr(P, func)(data, ax=plt.subplots()[1], **kwargs).get_title("left")
        en = getattr(P, func)(data, ax=plt.subplots()[1], lang="en", **kwargs).get_title("left")
        assert fr and en and fr != en
        assert getattr(P, func)(data, ax=plt.subplots()[1], title="", **kwargs).get_title("left") == ""
        assert getattr(P, func)(data, ax=plt.subplots()[1], title="Diapo 3", **kwargs).get_title("left") == "Diapo 3"

    def test_refusals(self, func, fixture, kwargs, request):
        data = request.getfixturevalue(fixture)
        with pytest.raises(ParameterError, match="lang"):
            getattr(P, func)(data, lang="de", **kwargs)
        with pytest.raises(SchemaError, match="expected a pandas DataFrame"):
            getattr(P, func)({"year": [2019]}, **kwargs)
        with pytest.raises(SchemaError, match="missing column"):
            getattr(P, func)(data.drop(columns=data.columns[0]), **kwargs)
        assert plt.get_fignums() == []  # refused before drawing anything


def test_rc_restored_after_plotting(savings):
    before = dict(matplotlib.rcParams)
    P.plot_savings_by_lever(savings)
    assert matplotlib.rcParams["axes.spines.top"] == before["axes.spines.top"]
    assert matplotlib.rcParams["figure.figsize"] == before["figure.figsize"]


def test_payback_marks_agree_with_the_appraisal_on_the_baseline():
    """The chart's payback years are those of appraisal.metrics (same rule, issue 3)."""
    appraisal = pytest.importorskip("incubo_analysis.model.appraisal")
    params = pytest.importorskip("incubo_analysis.model.params")
    base = params.baseline()
    values = appraisal.metrics([base]).set_index("metric")["value"]
    ax = P.plot_cumulative_payback(appraisal.cashflows(base))
    lines = lines_by_gid(ax)
    for which in ("ftap", "total"):
        expected = values[f"payback_year_{which}"]
        if math.isnan(expected):
            assert f"payback_{which}" not in lines
        else:
            assert lines[f"payback_{which}"].get_xdata()[0] == expected


def test_style_context_keeps_interactive_mode_switched_on_inside():
    """The inline backend turns interactive mode on while the first figure is drawn: the
    style context must not switch it off again on exit (later figures would not show)."""
    was = matplotlib.is_interactive()
    try:
        matplotlib.interactive(False)
        with S.style_context():
            matplotlib.interactive(True)
        assert matplotlib.is_interactive()
    finally:
        matplotlib.interactive(was)

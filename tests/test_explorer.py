"""The scenario explorer: live updates, the metrics it shows, saving, refusals, the charts.

Expected values are worked out by hand from the contract (section 3: 32 FTE at 57 k€,
phased 12.5 / 37.5 / 62.5 / 100 % over 2019-2022, i.e. 228 / 684 / 1 140 / 1 824 k€;
section 2: CP of the financing-plan lines 184 / 902 / 872 / 722 / 0 k€, 2 680 k€ in all,
of which FTAP 1 235 k€). Charts render with the Agg canvas (no backend is selected).
"""

from __future__ import annotations

import hashlib
import io
import math
from pathlib import Path

import ipywidgets as W
import numpy as np
import pytest
from PIL import Image

from incubo_analysis.contract.loaders import load_financing_plan
from incubo_analysis.contract.schema import LEVERS
from incubo_analysis.errors import ParameterError
from incubo_analysis.labels import NBSP, NNBSP, label
from incubo_analysis.model import appraisal, params, savings
from incubo_analysis.model.params import PARAMETER_KEYS, baseline, load_scenario, save_scenario, scenario_from_mapping
from incubo_analysis.outputs import explorer as E
from incubo_analysis.outputs import plots
from incubo_analysis.outputs.explorer import app, charts, compute, controls
from incubo_analysis.paths import BASELINE_PARAMS, PARAMS_DIR

CONTRACT_TOTAL_KEUR = 228 + 684 + 1140 + 1824  # = 3 876 k€, contract section 3
CP_LINES_KEUR = 184 + 902 + 872 + 722 + 0  # = 2 680 k€, financing-plan lines (all sources)
FTAP_CP_KEUR = 1235.0


@pytest.fixture(scope="module")
def plan():
    return load_financing_plan()


@pytest.fixture(scope="module")
def shared(plan):
    return E.Explorer(plan=plan, predraw=False)


@pytest.fixture
def ex(shared):
    """One explorer for the module, back at the contract baseline for each test."""
    shared.reset()
    row = shared._save_row
    row.filename.value = "mon_scenario.yaml"
    row.description.value = ""
    row.overwrite.value = False
    row.message.value = ""
    return shared


def _fresh(scenario, plan, **kwargs) -> E.Explorer:
    """A new explorer (only its starting horizon drawn)."""
    return E.Explorer(scenario, plan=plan, predraw=False, **kwargs)


def _state_total(explorer: E.Explorer) -> float:
    return float(explorer._state.values.sum())


# ---------------------------------------------------------------------------- updates


def test_starts_at_the_contract_baseline(ex):
    assert ex.scenario == baseline()
    m = ex.metrics()
    assert m["total_savings_keur"] == pytest.approx(CONTRACT_TOTAL_KEUR)
    assert m["run_rate_keur"] == pytest.approx(1824.0)
    # ROI on FTAP money: 3 876 / 1 235 = 3.138...; on all CP: 3 876 / 2 680 = 1.446...
    assert m["roi_ftap"] == pytest.approx(3876 / 1235)
    assert m["roi_total"] == pytest.approx(3876 / 2680)


def test_realisation_half_halves_total_savings(ex):
    assert ex.update(realisation_rate=0.5) is True
    assert ex.scenario.realisation_rate == 0.5
    # everything else unchanged
    assert ex.scenario.replace(realisation_rate=1.0) == baseline()
    # 0.5 x (228 + 684 + 1 140 + 1 824) = 1 938 k€
    assert ex.metrics()["total_savings_keur"] == pytest.approx(0.5 * CONTRACT_TOTAL_KEUR)
    assert ex.metrics()["total_savings_keur"] == pytest.approx(1938.0)
    assert _state_total(ex) == pytest.approx(1938.0)
    assert ex.metrics()["run_rate_keur"] == pytest.approx(0.5 * 1824)


def test_unit_cost_realisation_and_delay_combine(ex):
    # issue 3's hand example: unit cost 60, realisation 0.5, one year late:
    # 2021 savings = 32 x 60 x 0.5 x 0.375 = 360 k€ (2021 takes 2020's share)
    assert ex.update(unit_cost_keur=60.0, realisation_rate=0.5, delay_years=1.0)
    years = ex._state.years.tolist()
    per_year = ex._state.values.sum(axis=0)
    assert per_year[years.index(2021)] == pytest.approx(32 * 60 * 0.5 * 0.375)
    assert per_year[years.index(2022)] == pytest.approx(32 * 60 * 0.5 * 0.625)
    assert per_year[years.index(2019)] == pytest.approx(0.0)


def test_fte_per_lever_partial_update(ex):
    assert ex.update(etp={"user_support": 0.0})
    assert ex.scenario.etp["user_support"] == 0.0
    assert ex.scenario.etp["dematerialisation"] == 20.0
    # 29 FTE x 57 k€ x (0.125 + 0.375 + 0.625 + 1) = 3 512.625 k€
    assert ex.metrics()["total_savings_keur"] == pytest.approx(29 * 57 * 2.125)
    assert pytest.approx(3512.625) == 29 * 57 * 2.125


def test_horizon_extends_the_years(ex):
    assert ex.update(horizon_end=2026)
    assert ex._state.years.tolist() == list(range(2018, 2027))
    # four more years at the run rate: 3 876 + 4 x 1 824 = 11 172 k€
    assert ex.metrics()["total_savings_keur"] == pytest.approx(3876 + 4 * 1824)
    bars = [p for p in ex.figures["savings"].axes[0].patches if p.get_gid()]
    assert len(bars) == 4 * 9


def test_discount_rate_moves_npv_but_not_the_charts(ex):
    renders = {k: c.renders for k, c in ex._charts.items()}
    assert ex.update(discount_rate=0.0)
    # undiscounted NPV = savings - all CP of the lines = 3 876 - 2 680 = 1 196 k€
    assert ex.metrics()["npv_keur"] == pytest.approx(CONTRACT_TOTAL_KEUR - CP_LINES_KEUR)
    assert {k: c.renders for k, c in ex._charts.items()} == renders  # nothing to redraw


def test_metrics_agree_with_the_appraisal_module(ex, plan):
    assert ex.update(realisation_rate=0.8, delay_years=0.5, unit_cost_growth=0.015, horizon_end=2025)
    tidy = appraisal.metrics(ex.scenario, plan=plan).set_index("metric")["value"]
    mine = ex.metrics()
    assert list(mine) == list(appraisal.METRICS)
    for metric in appraisal.METRICS:
        a, b = mine[metric], float(tidy[metric])
        assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b), metric
    # the savings and cash flows drawn are the model's
    frame = savings.savings_by_lever(ex.scenario)
    for j, lever in enumerate(LEVERS):
        expected = frame.loc[frame["lever"] == lever].sort_values("year")["amount_keur"].to_numpy()
        np.testing.assert_allclose(ex._state.values[j], expected)
    cash = appraisal.cashflows(ex.scenario, plan=plan)
    np.testing.assert_allclose(ex._state.cum_savings, cash["cum_savings_keur"])
    np.testing.assert_allclose(ex._state.cum_ftap, cash["cum_cost_ftap_keur"])
    np.testing.assert_allclose(ex._state.cum_total, cash["cum_cost_total_keur"])
    assert ex._state.cum_ftap[-1] == pytest.approx(FTAP_CP_KEUR)


def test_moving_a_slider_updates_the_scenario(ex):
    ex._controls.widgets["delay_years"].value = 1.0
    assert ex.scenario.delay_years == 1.0
    ex._controls.widgets["etp.process_optimisation"].value = 2.5
    assert ex.scenario.etp["process_optimisation"] == 2.5
    ex._controls.widgets["unit_cost_growth"].value = 0.015000000000000001  # slider float noise
    assert ex.scenario.unit_cost_growth == 0.015
    ex._controls.widgets["horizon_end"].value = 2024
    assert ex.scenario.horizon_end == 2024
    assert ex.message == ""


def test_update_shows_the_values_on_the_controls(ex):
    assert ex.update(realisation_rate=0.75, etp={"dematerialisation": 12.0}, horizon_end=2027)
    assert ex._controls.widgets["realisation_rate"].value == 0.75
    assert ex._controls.widgets["etp.dematerialisation"].value == 12.0
    assert ex._controls.widgets["horizon_end"].value == 2027


def test_controls_widen_for_a_scenario_outside_their_range(plan):
    start = baseline().replace(unit_cost_keur=120.0, horizon_end=2035)
    ex = _fresh(start, plan)
    assert ex._controls.widgets["unit_cost_keur"].value == 120.0
    assert ex._controls.widgets["horizon_end"].max == 2035
    assert ex.scenario == start


def test_reset_goes_back_to_the_start(ex):
    ex.update(realisation_rate=0.3, horizon_end=2029)
    ex._controls.reset.click()
    assert ex.scenario == baseline()
    assert ex._controls.widgets["horizon_end"].value == 2022


# ---------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "values, key",
    [
        ({"realisation_rate": 1.5}, "realisation_rate"),
        ({"realisation_rate": -0.1}, "realisation_rate"),
        ({"unit_cost_keur": -1.0}, "unit_cost_keur"),
        ({"discount_rate": float("nan")}, "discount_rate"),
        ({"delay_years": "one"}, "delay_years"),
        ({"etp": {"teleportation": 3.0}}, "etp.teleportation"),
        ({"etp": {"user_support": -2.0}}, "etp.user_support"),
        ({"horizon_end": 2010}, "horizon_end"),
        ({"no_such_key": 1}, "no_such_key"),
    ],
)
def test_invalid_values_show_a_message_instead_of_raising(ex, values, key):
    before = ex.scenario
    renders = {k: c.renders for k, c in ex._charts.items()}
    assert ex.update(**values) is False
    assert ex.scenario == before  # unchanged
    assert key in ex.message and "\n" not in ex.message
    assert not ex.message.startswith("<")  # no internal source label
    assert key in ex._w_message.value and "Valeur refusée" in ex._w_message.value
    assert {k: c.renders for k, c in ex._charts.items()} == renders
    # the next valid update clears the message
    assert ex.update(realisation_rate=0.9)
    assert ex.message == "" and ex._w_message.value == ""


def test_a_failing_control_callback_never_raises(ex, monkeypatch):
    def boom(**_values):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ex, "update", boom)
    ex._controls.widgets["realisation_rate"].value = 0.4  # the callback runs and fails
    assert "disk on fire" in ex._w_message.value and "RuntimeError" in ex._w_message.value


def test_bad_language_and_bad_scenario_are_refused(plan):
    with pytest.raises(ParameterError, match="lang"):
        E.Explorer(lang="de", plan=plan)
    with pytest.raises(ParameterError, match="scenario"):
        E.Explorer({"realisation_rate": 0.5}, plan=plan)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="no_such_file.yaml"):
        E.Explorer.from_params("no_such_file.yaml")


def test_from_params_reads_a_params_file(tmp_path, plan):
    path = tmp_path / "late.yaml"
    path.write_text("name: late\ndelay_years: 1\n", encoding="utf-8")
    ex = E.Explorer.from_params(path, plan=plan, predraw=False)
    assert ex.scenario.name == "late" and ex.scenario.delay_years == 1.0
    assert ex._controls.widgets["delay_years"].value == 1.0
    # a bare name is looked up in params/
    assert E.Explorer.from_params("realisation_75.yaml", plan=plan, predraw=False).scenario == load_scenario(
        BASELINE_PARAMS.parent / "realisation_75.yaml"
    )
    assert E.Explorer.from_params("", plan=plan, predraw=False).scenario == baseline()


# ---------------------------------------------------------------------------- saving


def test_save_writes_yaml_that_reads_back_equal(ex, tmp_path):
    assert ex.update(realisation_rate=0.75, delay_years=0.5, etp={"user_support": 2.0},
                     unit_cost_growth=0.015, horizon_end=2026)
    path = ex.save(tmp_path / "officer_try.yaml", description="Essai du COPIL")
    loaded = load_scenario(path)
    assert loaded == ex.scenario.replace(name="officer_try", description="Essai du COPIL")
    text = path.read_text(encoding="utf-8")
    # only what differs from the contract, and never a key the loader does not know
    assert "unit_cost_keur" not in text and "discount_rate" not in text
    import yaml

    keys = set(yaml.safe_load(text))
    assert keys <= set(PARAMETER_KEYS)
    assert keys == {"name", "description", "realisation_rate", "delay_years", "etp", "unit_cost_growth",
                    "horizon_end"}
    assert yaml.safe_load(text)["etp"] == {"user_support": 2}
    assert "/" not in text.split("\n", 1)[1]  # no absolute path in the file


def test_save_refuses_the_baseline_and_non_yaml_names(ex, tmp_path):
    digest = hashlib.sha256(BASELINE_PARAMS.read_bytes()).hexdigest()
    ex.update(realisation_rate=0.5)
    with pytest.raises(ParameterError, match="baseline"):
        ex.save(BASELINE_PARAMS)
    with pytest.raises(ParameterError, match=r"\.yaml"):
        ex.save(tmp_path / "x.txt")
    with pytest.raises(ParameterError, match="n'existe pas"):
        ex.save(tmp_path / "missing" / "x.yaml")
    assert hashlib.sha256(BASELINE_PARAMS.read_bytes()).hexdigest() == digest
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "name", ["baseline", "baseline.yaml", "Baseline.yml", "../x", "a/b.yaml", "", "  ", "x y", "x.txt",
             ".hidden", "a" * 70, "x.yaml.yaml"],
)
def test_save_to_params_refuses_bad_names(ex, tmp_path, name):
    with pytest.raises(ParameterError):
        ex.save_to_params(name, folder=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_save_to_params_refuses_overwriting_unless_asked(ex, tmp_path):
    ex.update(realisation_rate=0.6)
    first = ex.save_to_params("essai", folder=tmp_path)
    assert first == tmp_path / "essai.yaml"
    ex.update(realisation_rate=0.7)
    with pytest.raises(ParameterError, match="le fichier existe déjà"):
        ex.save_to_params("essai.yaml", folder=tmp_path)
    assert load_scenario(first).realisation_rate == 0.6
    ex.save_to_params("essai.yaml", folder=tmp_path, overwrite=True)
    assert load_scenario(first).realisation_rate == 0.7
    assert sorted(p.name for p in tmp_path.iterdir()) == ["essai.yaml"]  # no temporary file left


def test_save_button_writes_into_params_and_says_so(ex, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "PARAMS_DIR", tmp_path)
    ex.update(realisation_rate=0.75)
    ex._save_row.filename.value = "realisation_75_copil"
    ex._save_row.description.value = "Réalisation à 75 %"
    ex._save_row.button.click()
    path = tmp_path / "realisation_75_copil.yaml"
    assert load_scenario(path) == ex.scenario.replace(name="realisation_75_copil", description="Réalisation à 75 %")
    msg = ex._save_row.message.value
    assert "Enregistré" in msg and "realisation_75_copil.yaml" in msg
    assert str(tmp_path.parent) not in msg or "realisation_75_copil.yaml" in msg


@pytest.mark.parametrize("name", ["baseline.yaml", "../escape", "a/b"])
def test_save_button_refuses_without_raising(ex, tmp_path, monkeypatch, name):
    monkeypatch.setattr(app, "PARAMS_DIR", tmp_path)
    ex._save_row.filename.value = name
    ex._save_row.button.click()  # never raises
    assert "Enregistrement refusé" in ex._save_row.message.value
    assert list(tmp_path.iterdir()) == []


def test_save_button_refuses_an_existing_file_then_replaces_it_when_ticked(ex, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "PARAMS_DIR", tmp_path)
    (tmp_path / "mine.yaml").write_text("name: mine\n", encoding="utf-8")
    ex.update(delay_years=2.0)
    ex._save_row.filename.value = "mine.yaml"
    ex._save_row.button.click()
    refusal = ex._save_row.message.value
    assert "Enregistrement refusé : mine.yaml : le fichier existe déjà" in refusal
    assert "Remplacer s&#x27;il existe" in refusal and "already" not in refusal and "tick" not in refusal
    assert load_scenario(tmp_path / "mine.yaml").delay_years == 0.0
    ex._save_row.overwrite.value = True
    ex._save_row.button.click()
    assert "Enregistré" in ex._save_row.message.value
    assert load_scenario(tmp_path / "mine.yaml").delay_years == 2.0


def test_save_button_reports_a_write_failure(ex, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "PARAMS_DIR", tmp_path)

    def fail(*_args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(params.os, "replace", fail)
    ex._save_row.filename.value = "locked"
    ex._save_row.button.click()
    assert "Écriture impossible" in ex._save_row.message.value
    assert "Permission denied" in ex._save_row.message.value
    assert list(tmp_path.iterdir()) == []  # the temporary file was removed


# ---------------------------------------------------------------------------- display


def test_widget_is_an_ipywidgets_box(ex):
    box = ex.widget()
    assert isinstance(box, W.Box)
    assert ex.widget() is box  # built once
    outputs = [c.out for c in ex._charts.values()]
    for out in outputs:
        assert out.outputs and "image/png" in out.outputs[0]["data"]


def test_controls_beside_the_charts_fit_a_laptop_screen(ex):
    """At 1366 x 768 (JupyterLab's file browser open: about 930 px for the output), a slider
    and the charts it moves are on screen together: one column of controls beside the two charts."""
    top = ex.widget().children[0]
    assert isinstance(top, W.HBox)
    left, right = top.children
    slider_classes = {c for w in _all_widgets(left) for c in w._dom_classes if c.startswith("incubo-ctl-")}
    assert slider_classes == {f"incubo-ctl-{key}" for key in E.CONTROL_KEYS}
    chart_classes = {c for w in _all_widgets(right) for c in w._dom_classes if c.startswith("incubo-chart-")}
    assert chart_classes == {"incubo-chart-savings", "incubo-chart-payback"}
    width, height = (round(v * charts.DPI) for v in charts.FIGSIZE)
    chart_box = int(ex._charts["savings"].out.layout.width.removesuffix("px"))
    assert controls.CONTROLS_WIDTH + 16 + chart_box <= 930
    assert height <= 260  # two charts with their titles and legends in about 650 px of height
    for chart in ex._charts.values():
        png = Image.open(io.BytesIO(chart.png))
        assert png.size == (width, height)


@pytest.mark.parametrize("lang, text", [("fr", "Exécutez la cellule pour afficher l'explorateur."),
                                        ("en", "Run the cell to show the explorer.")])
def test_the_stored_text_form_is_an_instruction_not_the_repr(plan, lang, text):
    bundle = _fresh(None, plan, lang=lang).widget()._repr_mimebundle_()
    assert bundle["text/plain"] == text
    assert "application/vnd.jupyter.widget-view+json" in bundle


@pytest.mark.parametrize("lang, words", [("fr", "Graphique « Économies"), ("en", "Chart “")])
def test_chart_images_have_an_alt_text(plan, lang, words):
    for chart in _fresh(None, plan, lang=lang)._charts.values():
        data = chart.out.outputs[0]["data"]
        assert data["image/png"] and data["text/plain"] == chart.title
        html_img = data["text/html"]
        assert html_img.startswith('<img src="data:image/png;base64,' + data["image/png"] + '"')
        assert 'alt="' in html_img and "No description" not in html_img
        assert (words in chart.alt) if chart.name == "savings" or lang == "en" else chart.alt.startswith("Graphique")


def test_an_english_explorer_refuses_in_english(plan, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "PARAMS_DIR", tmp_path)
    ex_en = _fresh(None, plan, lang="en")
    ex_en._save_row.filename.value = "baseline"
    ex_en._save_row.button.click()
    msg = ex_en._save_row.message.value
    assert "Not saved: file name" in msg and "never overwritten" in msg and "nom de fichier" not in msg


def test_metrics_table_in_french_format(ex):
    ex.update(realisation_rate=0.5)
    table = ex.metrics_table()
    assert list(table.columns) == ["Scénario exploré", "Référence (contrat)"]
    assert table.index.name == "Métrique"
    assert len(table) == len(appraisal.METRICS)
    total = table.loc["Économies totales (k€)"].tolist()
    assert total == [f"1{NNBSP}938{NBSP}k€", f"3{NNBSP}876{NBSP}k€"]
    assert table.loc["Année de retour sur investissement (FTAP)"].tolist()[1] == "2021"
    # ROI on FTAP money at 50 %: 1 938 / 1 235 = 1.569... -> "1,57"
    assert table.loc["ROI sur crédits FTAP"].tolist()[0] == "1,57"
    # commitment reading at 50 %: 0.5 x 1 140 / 1 235 = 0.4615... -> "0,46"
    doctrine = label("ftap_doctrine_ratio_commitment")
    assert table.loc[doctrine].tolist()[0] == "0,46"
    # the same table is shown in the interface
    assert f"1{NNBSP}938{NBSP}k€" in ex._w_metrics.value


def test_english_labels(plan):
    ex = _fresh(None, plan, lang="en")
    table = ex.metrics_table()
    assert list(table.columns) == ["Explored scenario", "Baseline (contract)"]
    assert table.loc["Total savings (k€)"].tolist()[0] == f"3,876{NBSP}k€"
    assert ex._controls.widgets["realisation_rate"].description == "Realisation rate"


def test_savings_table(ex):
    ex.update(realisation_rate=0.5)
    table = ex.savings_table()
    assert list(table.columns) == [2018, 2019, 2020, 2021, 2022]
    # half of 228 / 684 / 1 140 / 1 824
    assert table.loc["Total"].tolist() == ["0,0", "114,0", "342,0", "570,0", "912,0"]
    # dematerialisation 2020: 20 x 0.5 x 0.375 x 57 = 213.75 -> "213,8"
    assert table.loc["Dématérialisation", 2020] == "213,8"


# ---------------------------------------------------------------------------- charts


def _chart_snapshot(explorer: E.Explorer) -> dict:
    sav = explorer._charts["savings"]
    pay = explorer._charts["payback"]
    bars = {b.get_gid(): (round(b.get_y(), 9), round(b.get_height(), 9)) for b in sav.ax.patches if b.get_gid()}
    notes = [(n.get_visible(), n.get_text(), tuple(np.round(n.xy, 9))) for n in sav.handles["notes"]]
    lines = {g: np.round(ln.get_ydata(), 9).tolist() for g, ln in pay.handles["lines"].items()
             if g in ("cum_savings", "cum_cost_ftap", "cum_cost_total")}
    markers = {
        w: (v.get_visible(), v.get_xdata()[0] if v.get_visible() else None, n.get_text() if n.get_visible() else "")
        for w, (v, n) in pay.handles["markers"].items()
    }
    never = pay.handles["never"]
    return {"bars": bars, "notes": notes, "lines": lines, "markers": markers,
            "never": never.get_text() if never.get_visible() else "",
            "ylim": (sav.ax.get_ylim(), pay.ax.get_ylim())}


def test_in_place_updates_draw_what_a_fresh_explorer_draws(ex, plan):
    # a path through structure-preserving updates (same years): bars, labels, markers move in place
    for values in ({"realisation_rate": 0.4}, {"delay_years": 2.0}, {"delay_years": 0.25},
                   {"unit_cost_keur": 45.0}, {"etp": {"dematerialisation": 0.0}}):
        assert ex.update(**values)
    moved = _chart_snapshot(ex)
    fresh = _chart_snapshot(_fresh(ex.scenario, plan))
    assert moved == fresh


def test_blitted_png_equals_a_full_draw(ex, plan):
    ex.update(realisation_rate=0.5)  # same y scale as the baseline (scale set by the contract)
    charts = ex._charts
    full = {k: c.full_draws for k, c in charts.items()}
    ex.update(realisation_rate=0.55)
    assert {k: c.full_draws for k, c in charts.items()} == full  # blitted
    fresh = _fresh(ex.scenario, plan)
    for name in charts:
        assert charts[name].png == fresh._charts[name].png, name  # no stale pixels
        image = Image.open(io.BytesIO(charts[name].png))
        assert image.size == (int(E.FIGSIZE[0] * E.DPI), int(E.FIGSIZE[1] * E.DPI))


def test_payback_markers_match_the_library_chart(ex, plan):
    from matplotlib.figure import Figure

    for values in ({}, {"realisation_rate": 0.3}, {"realisation_rate": 0.6, "horizon_end": 2026},
                   {"delay_years": 3.0}):
        ex.reset()
        assert ex.update(**values)
        ax = plots.plot_cumulative_payback(appraisal.cashflows(ex.scenario, plan=plan), title="",
                                           ax=Figure().add_subplot())
        lib_x = {ln.get_gid(): ln.get_xdata()[0] for ln in ax.lines if str(ln.get_gid()).startswith("payback_")}
        lib_texts = sorted(t.get_text() for t in ax.texts)
        pay = ex._charts["payback"]
        mine_x = {v.get_gid(): v.get_xdata()[0] for v, _n in pay.handles["markers"].values() if v.get_visible()}
        mine_texts = sorted(
            [n.get_text() for _v, n in pay.handles["markers"].values() if n.get_visible()]
            + ([pay.handles["never"].get_text()] if pay.handles["never"].get_visible() else [])
        )
        assert mine_x == lib_x, values
        assert mine_texts == lib_texts, values


def test_y_scale_follows_the_contract_then_grows(ex):
    top0 = ex._charts["savings"].ax.get_ylim()[1]
    # 1 824 k€ x 1.15 = 2 097.6 -> next round number 2 500
    assert top0 == 2500.0
    ex.update(realisation_rate=0.5)
    assert ex._charts["savings"].ax.get_ylim()[1] == 2500.0  # smaller bars on the same axis
    ex.update(realisation_rate=1.0, unit_cost_keur=90.0)
    # 32 x 90 = 2 880 k€ x 1.15 = 3 312 -> 4 000
    assert ex._charts["savings"].ax.get_ylim()[1] == 4000.0


def test_nice_ceiling():
    assert [charts.nice_ceiling(x) for x in (0.9, 1.0, 1.1, 2097.6, 3312.0, 9001.0, 0.0, -5.0)] == [
        1.0, 1.0, 1.2, 2500.0, 4000.0, 10000.0, 1.0, 1.0,
    ]


def test_no_backend_is_selected_and_no_pyplot_figure_is_made(ex, plan):
    import matplotlib
    from matplotlib._pylab_helpers import Gcf

    for path in Path(E.__file__).parent.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "matplotlib.use(" not in source and "MPLBACKEND" not in source, path.name
    backend = matplotlib.rcParams._get_backend_or_none()
    managers = len(Gcf.get_all_fig_managers())
    other = _fresh(None, plan)
    other.update(horizon_end=2026, realisation_rate=0.5)
    # persistent figures are not managed by pyplot: the inline backend never shows them twice
    assert len(Gcf.get_all_fig_managers()) == managers
    assert matplotlib.rcParams._get_backend_or_none() == backend


# ---------------------------------------------------------------------------- speed-ups


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"delay_years": 1.25, "realisation_rate": 0.7},
        {"realisation_rate": 0.35, "horizon_end": 2026, "unit_cost_growth": 0.02},
        {"unit_cost_keur": 35.0, "discount_rate": 0.08, "horizon_end": 2030},
        {"lever_delay_years": {"dematerialisation": 0.5, "process_optimisation": 1.75}, "horizon_end": 2027},
        {"realisation_rate": 0.0},
    ],
)
def test_switching_values_equal_the_library_bisection(plan, changes):
    # reference: the library's 60-step bisection on the full model (appraisal.switching_values)
    costs = appraisal.cost_plan(plan)
    scenario = baseline().replace(**changes)
    a = savings.scenario_arrays(scenario, hi_year=costs.first_ftap_commitment + 3)
    expected = appraisal.switching_values(a, costs)
    mine = compute.switching_values_one(a, costs)
    assert set(mine) == set(expected) == set(appraisal.SWITCH_METRICS)
    for key in expected:
        e, m = float(expected[key][0]), float(mine[key][0])
        assert (math.isnan(e) and math.isnan(m)) or abs(e - m) <= 1e-9, (key, e, m)


def test_going_back_to_a_y_scale_is_a_blit_with_the_same_pixels(ex, plan):
    sav = ex._charts["savings"]
    big = {"unit_cost_keur": 90.0, "etp": {lever: 40.0 for lever in LEVERS}}
    ex.update(**big)  # 4 x 40 FTE x 90 k€ = 14 400 k€, x 1.15 = 16 560 -> y top 20 000
    assert sav.ax.get_ylim()[1] == 20000.0
    ex.reset()  # 2 097.6 < 40 % of 20 000: back to the contract's 2 500
    assert sav.ax.get_ylim()[1] == 2500.0
    full = sav.full_draws
    ex.update(**big)  # 20 000 again: its background is kept, no full draw
    ex.update(etp={LEVERS[0]: 39.5})
    assert sav.ax.get_ylim()[1] == 20000.0
    assert sav.full_draws == full
    assert sav.png == _fresh(ex.scenario, plan)._charts["savings"].png  # no stale pixels


def test_a_horizon_is_drawn_once_when_first_shown_then_its_figure_reused(plan):
    ex = _fresh(None, plan)
    start = tuple(range(2018, 2023))
    for chart in ex._charts.values():  # only the starting horizon is drawn when the explorer is made
        assert list(chart.pages) == [start] and chart.full_draws == 1
    seen = {(name, 2022): chart.fig for name, chart in ex._charts.items()}
    for end in (2030, 2024, 2027, 2022, 2030, 2024, 2027):
        full = {k: c.full_draws for k, c in ex._charts.items()}
        assert ex.update(horizon_end=end)
        years = list(range(2018, end + 1))
        for name, chart in ex._charts.items():
            assert chart.key == tuple(years)
            assert [int(x) for x in chart.ax.get_xticks() if 2018 <= x <= end] == years
            if (name, end) in seen:  # seen before: the same figure, blitted (no full draw)
                assert chart.fig is seen[name, end], (name, end)
                assert chart.full_draws == full[name], (name, end)
            else:  # first time: a new figure, drawn once in full
                assert all(chart.fig is not fig for fig in seen.values())
                assert chart.full_draws == full[name] + 1, (name, end)
                seen[name, end] = chart.fig
        bars = [p for p in ex.figures["savings"].axes[0].patches if p.get_gid()]
        assert len(bars) == 4 * len(years)
    assert ex.update(horizon_end=2026, realisation_rate=0.6)
    fresh = _fresh(ex.scenario, plan)
    assert _chart_snapshot(ex) == _chart_snapshot(fresh)
    for name, chart in ex._charts.items():
        assert chart.png == fresh._charts[name].png, name


def test_background_drawing_prepares_every_horizon_while_updates_go_on(plan):
    ex = E.Explorer(plan=plan)  # draws the other horizons in a background thread
    for end in (2023, 2029, 2025):  # updates while it draws: serialised with it by the explorer's lock
        assert ex.update(horizon_end=end, realisation_rate=0.8)
    assert ex.wait_until_drawn(timeout=300)
    assert ex._predraw.error is None
    every = sorted(tuple(range(2018, end + 1)) for end in range(2022, 2031))
    for chart in ex._charts.values():
        assert sorted(chart.pages) == every
        assert chart.full_draws == 9  # each horizon drawn once, in the thread or when shown
    full = {k: c.full_draws for k, c in ex._charts.items()}
    for end in (2027, 2030, 2024):
        assert ex.update(horizon_end=end)
        for chart in ex._charts.values():
            assert chart.fig is chart.pages[tuple(range(2018, end + 1))].fig
    assert {k: c.full_draws for k, c in ex._charts.items()} == full  # drawn in advance: blits
    assert ex.update(horizon_end=2026, realisation_rate=0.6)
    fresh = _fresh(ex.scenario, plan)
    assert _chart_snapshot(ex) == _chart_snapshot(fresh)
    for name, chart in ex._charts.items():
        assert chart.png == fresh._charts[name].png, name


def test_no_background_drawing_when_not_asked(ex):
    assert ex.wait_until_drawn(timeout=0) is True
    assert ex._predraw is None


# ---------------------------------------------------------------------------- browser hooks and public helpers


def _all_widgets(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _all_widgets(child)


def test_widgets_carry_the_css_classes_of_the_browser_test(ex):
    expected = (
        ["incubo-explorer", "incubo-metrics", "incubo-message", "incubo-save-name", "incubo-save-replace",
         "incubo-save-message",
         "incubo-save-button", "incubo-reset", "incubo-chart-savings", "incubo-chart-payback"]
        + [f"incubo-ctl-{key}" for key in E.CONTROL_KEYS]
    )
    assert len(E.CONTROL_KEYS) == 10  # 5 parameters, 4 levers, the horizon
    found = [c for w in _all_widgets(ex.widget()) for c in w._dom_classes if c.startswith("incubo-")]
    assert sorted(found) == sorted(expected)  # each exactly once
    assert isinstance(ex._controls.widgets["horizon_end"], W.IntSlider)
    assert ex._controls.widgets["delay_years"].step == 0.25
    out = ex._charts["savings"].out
    assert isinstance(out, W.Output) and "incubo-chart-savings" in out._dom_classes
    assert "incubo-save-button" in ex._save_row.button._dom_classes


def test_control_change_rounds_slider_noise_and_nests_fte():
    assert controls.control_change("unit_cost_growth", 0.015000000000000001) == {"unit_cost_growth": 0.015}
    assert controls.control_change("horizon_end", 2026.0) == {"horizon_end": 2026}
    assert controls.control_change("etp.user_support", 2.5) == {"etp": {"user_support": 2.5}}
    with pytest.raises(KeyError):
        controls.control_change("no_such_control", 1.0)


def test_save_scenario_writes_refuses_and_replaces(tmp_path):
    s60 = scenario_from_mapping({"name": "r60", "realisation_rate": 0.6})
    path = save_scenario(s60, "r60", directory=tmp_path)
    assert path == tmp_path / "r60.yaml"
    assert load_scenario(path) == s60
    assert path.read_text(encoding="utf-8") == "name: r60\nrealisation_rate: 0.6\n"  # no comment asked
    with pytest.raises(ParameterError, match="le fichier existe déjà"):
        save_scenario(s60.replace(realisation_rate=0.7), "r60.yaml", directory=tmp_path)
    with pytest.raises(ParameterError, match="already exists"):
        save_scenario(s60.replace(realisation_rate=0.7), "r60.yaml", directory=tmp_path, lang="en")
    assert load_scenario(path).realisation_rate == 0.6
    save_scenario(s60.replace(realisation_rate=0.7), "r60.yaml", directory=tmp_path, replace=True)
    assert load_scenario(path).realisation_rate == 0.7
    noted = save_scenario(s60, "noted.yml", directory=tmp_path, comment="from a test")
    assert noted.read_text(encoding="utf-8").startswith("# from a test\nname: r60\n")
    (tmp_path / "folder.yaml").mkdir()
    with pytest.raises(ParameterError, match="c'est un dossier"):
        save_scenario(s60, "folder", directory=tmp_path)
    with pytest.raises(ParameterError, match="is a folder"):
        save_scenario(s60, "folder", directory=tmp_path, lang="en")
    with pytest.raises(ParameterError, match="n'existe pas"):
        save_scenario(s60, "r60", directory=tmp_path / "missing")
    for bad in ("baseline", "BASELINE.yaml", "../r60", "r 60", "", "r60.txt"):
        with pytest.raises(ParameterError, match="nom de fichier"):
            save_scenario(s60, bad, directory=tmp_path)
        with pytest.raises(ParameterError, match="file name"):
            save_scenario(s60, bad, directory=tmp_path, lang="en")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.yaml", "noted.yml", "r60.yaml"]


def test_save_scenario_never_touches_the_contract_baseline():
    digest = hashlib.sha256(BASELINE_PARAMS.read_bytes()).hexdigest()
    with pytest.raises(ParameterError, match="n'est jamais remplacé"):
        save_scenario(baseline().replace(realisation_rate=0.5), "baseline.yaml", replace=True)
    assert hashlib.sha256(BASELINE_PARAMS.read_bytes()).hexdigest() == digest


def test_save_scenario_never_touches_the_chorus_mapping():
    mapping = PARAMS_DIR / "chorus_mapping.yaml"
    digest = hashlib.sha256(mapping.read_bytes()).hexdigest()
    for name in ("chorus_mapping", "chorus_mapping.yaml", "Chorus_Mapping.yaml"):
        with pytest.raises(ParameterError, match="n'est pas un scénario"):
            save_scenario(baseline().replace(realisation_rate=0.5), name, replace=True)
    assert hashlib.sha256(mapping.read_bytes()).hexdigest() == digest


def test_present_value_parts_undiscounted_are_the_contract_totals(plan):
    costs = appraisal.cost_plan(plan)
    a = savings.scenario_arrays([baseline().replace(discount_rate=0.0), baseline()],
                                hi_year=costs.first_ftap_commitment + 3)
    pv_s, pv_c, tot_s, tot_c = appraisal.present_value_parts(a, costs)
    # at 0 %: PV = totals = 3 876 k€ of savings and 2 680 k€ of CP
    assert pv_s[0] == pytest.approx(CONTRACT_TOTAL_KEUR) and tot_s[0] == pytest.approx(CONTRACT_TOTAL_KEUR)
    assert pv_c[0] == pytest.approx(CP_LINES_KEUR) and tot_c[0] == pytest.approx(CP_LINES_KEUR)
    # at 3.2 % from 2018: 228 / 1.032 + 684 / 1.032^2 + 1 140 / 1.032^3 + 1 824 / 1.032^4
    expected = 228 / 1.032 + 684 / 1.032**2 + 1140 / 1.032**3 + 1824 / 1.032**4
    assert pv_s[1] == pytest.approx(expected) and tot_s[1] == pytest.approx(CONTRACT_TOTAL_KEUR)
    assert appraisal.BISECTION_STEPS == 60

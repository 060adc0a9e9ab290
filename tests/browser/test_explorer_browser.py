"""The scenario explorer in a real browser: JupyterLab, headless Chromium, the keyboard.

The officer's path through ``notebooks/00_explorer.ipynb``: Run All, move every
slider with the arrow keys, read the metrics table, try to save under a refused
name, save under a new name. The DOM is reached only through the explorer's
``incubo-*`` classes (``tests/browser/HOOKS.md``).

Expected figures are worked out by hand from the contract (section 3): 32 FTE at
57 k€/year phased 12.5 / 37.5 / 62.5 / 100 % over 2019-2022, so 228 + 684 + 1140 +
1824 = 3876 k€ of savings over the contract's horizon and 32 x 57 = 1824 k€/year at
run rate; at a realisation rate of 50 % both halve: 1938 k€ and 912 k€. French
format: narrow no-break space (U+202F) between thousands, no-break space before k€,
whole k€ from 100 k€.
"""

from __future__ import annotations

import hashlib
import secrets
import time

import pytest
from explorer_lab import CHARTS, ExplorerPage

from incubo_analysis.model.params import load_scenario
from incubo_analysis.outputs.explorer import CONTROL_KEYS, DPI, FIGSIZE
from incubo_analysis.paths import PARAMS_DIR

TOTAL = "Économies totales (k€)"
RUN_RATE = "Économies en régime de croisière (k€/an)"
NNBSP, NBSP = "\u202f", "\u00a0"
BASELINE_TOTAL = f"3{NNBSP}876{NBSP}k€"  # 228 + 684 + 1140 + 1824
BASELINE_RUN_RATE = f"1{NNBSP}824{NBSP}k€"  # 32 FTE x 57 k€
HALF_TOTAL = f"1{NNBSP}938{NBSP}k€"  # 3876 / 2
HALF_RUN_RATE = f"912{NBSP}k€"  # 1824 / 2

# One arrow press = one step of the slider (the explorer's ranges, tests/browser/HOOKS.md).
STEPS = {
    "realisation_rate": 0.01,
    "delay_years": 0.25,
    "unit_cost_keur": 0.5,
    "unit_cost_growth": 0.001,
    "discount_rate": 0.001,
    "etp.dematerialisation": 0.5,
    "etp.process_optimisation": 0.5,
    "etp.digital_tools_and_data": 0.5,
    "etp.user_support": 0.5,
    "horizon_end": 1,
}
# The discount rate moves neither chart (undiscounted savings and costs): only the metrics.
CHARTS_MOVED = {key: () if key == "discount_rate" else CHARTS for key in CONTROL_KEYS}


def params_snapshot() -> dict[str, str]:
    """Every file of params/ and the SHA-256 of its bytes."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(PARAMS_DIR.iterdir()) if p.is_file()}


def reset(ex: ExplorerPage) -> None:
    """Back to the starting scenario (the contract) with the reset button; wait for the table."""
    ex.mark()
    ex.page.locator(".incubo-reset").click()
    ex.page.wait_for_function(
        """(want) => { const t = document.querySelector('.incubo-metrics table');
             const row = t && Array.from(t.tBodies[0].rows).find(r => r.cells[0].textContent.trim() === want[0]);
             return !!row && row.cells[1].textContent.trim() === want[1]; }""",
        arg=[TOTAL, BASELINE_TOTAL],
    )
    ex.settle()


def step_to(ex: ExplorerPage, key: str, target: float, presses: int = 40) -> None:
    """Move a slider to ``target`` with PageUp/PageDown (5 steps) then the arrows, waiting for each update."""
    step = STEPS[key]
    for _ in range(presses):
        value = ex.slider_state(key)[0]
        gap = round((target - value) / step)
        if gap == 0:
            return
        arrow = ("PageUp" if gap > 0 else "PageDown") if abs(gap) >= 5 else ("ArrowRight" if gap > 0 else "ArrowLeft")
        ex.press(key, arrow)
        ex.wait_probe(CHARTS_MOVED[key], metrics=True)
    pytest.fail(f"{key}: {target} not reached in {presses} key presses (at {ex.slider_state(key)[0]})")


def test_every_control_has_its_step() -> None:
    """A control added to the explorer is moved by this test too (give its step above)."""
    assert set(STEPS) == set(CONTROL_KEYS)


def test_run_all_shows_the_contract(explorer: ExplorerPage) -> None:
    """After Run All: both charts as PNG images of the declared size, the contract's metrics in both columns."""
    for name in CHARTS:
        img = explorer.page.locator(f".incubo-chart-{name} img").first
        assert (img.get_attribute("src") or "").startswith("data:image/png;base64,")
        size = [round(FIGSIZE[0] * DPI), round(FIGSIZE[1] * DPI)]  # 560 x 250 px: fits beside the controls
        assert img.evaluate("i => [i.naturalWidth, i.naturalHeight]") == size
        assert (img.get_attribute("alt") or "").strip(), "every chart image has an alt text"
    table = explorer.metrics()
    assert table[TOTAL] == (BASELINE_TOTAL, BASELINE_TOTAL)
    assert table[RUN_RATE] == (BASELINE_RUN_RATE, BASELINE_RUN_RATE)
    assert explorer.page.locator(".incubo-message").inner_text().strip() == ""


@pytest.mark.parametrize("key", CONTROL_KEYS)
def test_each_slider_moves_the_charts_and_the_metrics(explorer: ExplorerPage, key: str) -> None:
    """One arrow press on a slider's handle: one step; new chart images and a new metrics table."""
    reset(explorer)
    value, lo, hi = explorer.slider_state(key)
    arrow, direction = explorer.arrow_towards_inside(key, +1)
    charts_before, table_before = explorer.chart_srcs(), explorer.metrics()
    explorer.press(key, arrow)
    explorer.wait_probe(CHARTS_MOVED[key], metrics=True)
    explorer.settle()
    assert explorer.slider_state(key)[0] == pytest.approx(value + direction * STEPS[key])
    charts_after, table_after = explorer.chart_srcs(), explorer.metrics()
    for name in CHARTS:
        changed = charts_after[name] != charts_before[name]
        assert changed == (name in CHARTS_MOVED[key]), f"{key}: chart {name} {'changed' if changed else 'unchanged'}"
    assert table_after != table_before
    assert {label: ref for label, (_mine, ref) in table_after.items()} == {
        label: ref for label, (_mine, ref) in table_before.items()
    }, "the contract column never moves"
    assert explorer.page.locator(".incubo-message").inner_text().strip() == ""


def test_realisation_half_halves_the_savings(explorer: ExplorerPage) -> None:
    """Realisation rate at 50 %: total and run-rate savings halve; the contract column stays."""
    reset(explorer)
    before = explorer.chart_srcs()
    step_to(explorer, "realisation_rate", 0.5)
    explorer.settle()
    assert explorer.slider_state("realisation_rate")[0] == pytest.approx(0.5)
    assert explorer.page.locator(".incubo-ctl-realisation_rate .widget-readout").inner_text().strip() == "50%"
    table = explorer.metrics()
    assert table[TOTAL] == (HALF_TOTAL, BASELINE_TOTAL)
    assert table[RUN_RATE] == (HALF_RUN_RATE, BASELINE_RUN_RATE)
    after = explorer.chart_srcs()
    assert all(after[name] != before[name] for name in CHARTS)


def test_refused_value_shows_its_message_and_changes_nothing(explorer: ExplorerPage) -> None:
    """A value the model refuses (typed in a new cell: the sliders cannot reach one) is shown in red, nothing moves."""
    reset(explorer)
    charts, table, files = explorer.chart_srcs(), explorer.metrics(), params_snapshot()
    output = explorer.run_code_cell("explorer.update(realisation_rate=1.5)")
    assert output.endswith("False")
    message = explorer.page.locator(".incubo-message")
    message.get_by_text("Valeur refusée").wait_for(state="visible")
    text = message.inner_text().strip()
    assert text.startswith("Valeur refusée : ") and "realisation_rate" in text and "1,5" in text, text  # French figures
    assert explorer.chart_srcs() == charts
    assert explorer.metrics() == table
    assert explorer.slider_state("realisation_rate")[0] == 1.0
    assert params_snapshot() == files


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("baseline", "baseline.yaml"),  # the contract's file is never replaced
        ("../escape", "../escape"),  # no folder
        ("mauvais nom!", "mauvais nom!"),  # letters, digits, _ and - only
    ],
)
def test_refused_save_name_says_why_and_writes_nothing(explorer: ExplorerPage, name: str, fragment: str) -> None:
    """A refused file name: the refusal is shown in the save row, params/ is left byte for byte."""
    before = params_snapshot()
    explorer.page.locator(".incubo-save-name input").fill(name)
    explorer.page.locator(".incubo-save-replace input[type=checkbox]").set_checked(True)  # even when replacing
    explorer.page.locator(".incubo-save-button").click()
    message = explorer.save_message(f"Enregistrement refusé : nom de fichier '{fragment}'")
    assert message.startswith("Enregistrement refusé")
    time.sleep(0.5)  # nothing is written later either
    assert params_snapshot() == before
    explorer.page.locator(".incubo-save-replace input[type=checkbox]").set_checked(False)


def test_save_writes_a_valid_params_file(explorer: ExplorerPage) -> None:
    """Save under a new name: params/NAME.yaml reads back as the explored scenario (one year of delay)."""
    reset(explorer)
    step_to(explorer, "delay_years", 1.0)  # 4 presses of 0.25 year
    name = f"browser_test_{secrets.token_hex(4)}"
    path = PARAMS_DIR / f"{name}.yaml"
    assert not path.exists()
    try:
        explorer.page.locator(".incubo-save-name input").fill(name)
        explorer.page.locator(".incubo-save-button").click()
        message = explorer.save_message(f"params/{name}.yaml")
        assert message.startswith("Enregistré : params/")
        deadline = time.monotonic() + 10
        while not path.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        scenario = load_scenario(path)
        assert scenario.name == name
        assert scenario.delay_years == 1.0
        assert scenario.realisation_rate == 1.0
        assert scenario.unit_cost_keur == 57
        assert dict(scenario.etp) == {
            "dematerialisation": 20, "process_optimisation": 5, "digital_tools_and_data": 4, "user_support": 3,
        }
        assert scenario.horizon_end == 2022
    finally:
        path.unlink(missing_ok=True)

"""The scenario / montecarlo / sensitivity commands, through ``incubo_analysis.cli.main.main``."""

from __future__ import annotations

import pandas as pd
import pytest

from incubo_analysis.cli.main import main
from incubo_analysis.io import sha256_file
from incubo_analysis.paths import PARAMS_DIR, scenario_files

BASELINE = str(PARAMS_DIR / "baseline.yaml")
UNCERTAIN = str(PARAMS_DIR / "uncertainty.yaml")


def _bad(tmp_path, text, name="bad.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def _assert_refused(capsys, argv, out, *fragments):
    rc = main(argv)
    err = capsys.readouterr().err
    assert rc == 2
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    for f in fragments:
        assert f in err, err
    assert not out.exists()
    assert not list(out.parent.glob(f".{out.name}.tmp-*"))  # no leftover temp folder


def test_scenario_all_shipped_files(tmp_path, capsys):
    out = tmp_path / "cmp"
    files = [str(p) for p in scenario_files()]
    assert main(["scenario", *files, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "VAN (k€)" in printed and "Économies totales (k€)" in printed and "baseline" in printed
    assert "npv_keur" not in printed and "wrote" not in printed
    sav = pd.read_csv(out / "savings.csv")
    met = pd.read_csv(out / "metrics.csv")
    assert list(sav.columns) == ["scenario", "lever", "year", "amount_keur"]
    assert list(met.columns) == ["scenario", "metric", "value"]
    assert len(set(met["scenario"])) == len(files)
    base = sav.loc[sav["scenario"] == "baseline"].groupby("year")["amount_keur"].sum()
    assert base.tolist() == [0, 228, 684, 1140, 1824]
    assert sav.loc[sav["scenario"] == "horizon_2026", "year"].max() == 2026


def test_scenario_named_by_stem_without_name_key(tmp_path):
    f = _bad(tmp_path, "realisation_rate: 0.5\n", name="half.yaml")
    out = tmp_path / "o"
    assert main(["scenario", f, "--out", str(out)]) == 0
    assert set(pd.read_csv(out / "metrics.csv")["scenario"]) == {"half"}


def test_scenario_duplicate_names_refused(tmp_path, capsys):
    f = _bad(tmp_path, "name: baseline\nrealisation_rate: 0.5\n")
    _assert_refused(capsys, ["scenario", BASELINE, f, "--out", str(tmp_path / "o")], tmp_path / "o",
                    "« baseline » est déjà pris par")


def test_scenario_refusals_in_english_with_lang_en(tmp_path, capsys):
    f = _bad(tmp_path, "name: baseline\nrealisation_rate: 0.5\n")
    assert main(["scenario", BASELINE, f, "--lang", "en", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "'baseline' already used by" in err and "déjà" not in err
    assert main(["montecarlo", UNCERTAIN, "--seed", "-1", "--lang", "en", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "--seed: expected a whole number >= 0, got -1" in err and "attendu" not in err


def test_scenario_bad_key_exit_2_nothing_written(tmp_path, capsys):
    f = _bad(tmp_path, "etp:\n  dematerialisation: abc\n")
    _assert_refused(capsys, ["scenario", BASELINE, f, "--out", str(tmp_path / "o")], tmp_path / "o",
                    "bad.yaml", "clé etp.dematerialisation", "reçu « abc »")  # French by default


def test_scenario_yaml_error_exit_2(tmp_path, capsys):
    f = _bad(tmp_path, "name: [unclosed\n")
    _assert_refused(capsys, ["scenario", f, "--out", str(tmp_path / "o")], tmp_path / "o", "ligne 2, colonne 1")


def test_scenario_missing_file_exit_2(tmp_path, capsys):
    _assert_refused(capsys, ["scenario", str(tmp_path / "nope.yaml"), "--out", str(tmp_path / "o")],
                    tmp_path / "o", "fichier introuvable")


def test_bad_input_leaves_an_existing_out_untouched(tmp_path, capsys):
    out = tmp_path / "o"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    f = _bad(tmp_path, "unknown: 1\n")
    assert main(["scenario", f, "--out", str(out)]) == 2
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_out_that_is_a_file_is_refused(tmp_path, capsys):
    out = tmp_path / "o"
    out.write_text("not a folder")
    assert main(["scenario", BASELINE, "--out", str(out)]) == 2
    assert out.read_text() == "not a folder"


def test_montecarlo_same_seed_byte_identical(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        assert main(["montecarlo", UNCERTAIN, "--draws", "3000", "--seed", "12", "--out", str(out)]) == 0
    for name in ("montecarlo_summary.csv", "montecarlo_savings.csv", "montecarlo_probabilities.csv"):
        assert sha256_file(a / name) == sha256_file(b / name)
    s = pd.read_csv(a / "montecarlo_summary.csv")
    assert list(s.columns) == ["metric", "mean", "p10", "p50", "p90"]
    y = pd.read_csv(a / "montecarlo_savings.csv")
    assert list(y.columns) == ["year", "mean", "p10", "p50", "p90", "cum_mean", "cum_p10", "cum_p50", "cum_p90"]


def test_montecarlo_other_seed_other_files(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["montecarlo", UNCERTAIN, "--draws", "3000", "--seed", "1", "--out", str(a)]) == 0
    assert main(["montecarlo", UNCERTAIN, "--draws", "3000", "--seed", "2", "--out", str(b)]) == 0
    assert sha256_file(a / "montecarlo_summary.csv") != sha256_file(b / "montecarlo_summary.csv")


def test_montecarlo_without_uncertainty_block_exit_2(tmp_path, capsys):
    _assert_refused(capsys, ["montecarlo", BASELINE, "--draws", "10", "--out", str(tmp_path / "o")],
                    tmp_path / "o", "uncertainty")


@pytest.mark.parametrize("draws", ["0", "-5"])
def test_montecarlo_bad_draws_exit_2(tmp_path, capsys, draws):
    _assert_refused(capsys, ["montecarlo", UNCERTAIN, "--draws", draws, "--out", str(tmp_path / "o")],
                    tmp_path / "o", "--draws")


def test_montecarlo_too_many_draws_exit_2(tmp_path, capsys):
    _assert_refused(capsys, ["montecarlo", UNCERTAIN, "--draws", "100000001", "--out", str(tmp_path / "o")],
                    tmp_path / "o", "--draws : nombre entier entre 1 et 10\u202f000\u202f000 attendu")


def test_montecarlo_negative_seed_exit_2(tmp_path, capsys):
    _assert_refused(capsys, ["montecarlo", UNCERTAIN, "--seed", "-1", "--out", str(tmp_path / "o")],
                    tmp_path / "o", "--seed")


def test_montecarlo_bad_distribution_exit_2(tmp_path, capsys):
    f = _bad(tmp_path, "uncertainty:\n  realisation_rate: {dist: beta, a: 1}\n")
    _assert_refused(capsys, ["montecarlo", f, "--out", str(tmp_path / "o")], tmp_path / "o",
                    "uncertainty.realisation_rate.dist")


def test_sensitivity_writes_tornado(tmp_path, capsys):
    out = tmp_path / "t"
    assert main(["sensitivity", UNCERTAIN, "--out", str(out)]) == 0
    t = pd.read_csv(out / "tornado.csv")
    assert list(t.columns) == ["parameter", "low", "high", "metric", "base_value",
                               "value_at_low", "value_at_high", "swing"]
    assert set(t["metric"]) == {"npv_keur"}
    assert t["swing"].is_monotonic_decreasing


def test_sensitivity_without_uncertainty_block_exit_2(tmp_path, capsys):
    _assert_refused(capsys, ["sensitivity", BASELINE, "--out", str(tmp_path / "o")], tmp_path / "o",
                    "uncertainty")


@pytest.mark.parametrize(("horizon_end", "draws"), [(2022, 7_864_321), (2118, 604_948), (2060, 10_000_000)])
def test_montecarlo_draws_above_the_memory_budget_exit_2(tmp_path, capsys, horizon_end, draws):
    # issue 9: --draws 10000000 with a long horizon needed over 7.5 GiB; the cap now
    # follows the horizon (uncertainty.max_draws, budget MEMORY_BUDGET_MIB)
    from incubo_analysis.model.params import load_scenario
    from incubo_analysis.model.uncertainty import MEMORY_BUDGET_MIB, max_draws

    path = _bad(tmp_path, f"uncertainty:\n  realisation_rate: {{dist: uniform, low: 0.5, high: 1}}\n"
                          f"horizon_end: {horizon_end}\n")
    cap = max_draws(load_scenario(path))
    assert draws > cap
    _assert_refused(capsys, ["montecarlo", path, "--draws", str(draws), "--out", str(tmp_path / "o")],
                    tmp_path / "o", "--draws", f"at most {cap:_}", f"{MEMORY_BUDGET_MIB} MiB", path)


@pytest.mark.parametrize("text", [
    "uncertainty:\n  delay_years: {dist: discrete, values: [0, 1], weights: [1.0e+308, 1.0e+308]}\n",
    "uncertainty:\n  unit_cost_keur: {dist: triangular, low: 0, mode: 1, high: 1.0e+300}\n",
    "uncertainty:\n  unit_cost_keur: {dist: uniform, low: 0, high: 1.7e+308}\n",
])
@pytest.mark.parametrize("command", ["scenario", "montecarlo", "sensitivity"])
def test_absurd_distributions_exit_2_naming_the_file(tmp_path, capsys, text, command):
    # issue 9: weights [1e308, 1e308] overflowed math.fsum (exit 1); a huge triangular's
    # sensitivity error named "<replace>"; a uniform up to 1.7e308 gave inf in the outputs
    path = _bad(tmp_path, text)
    extra = ["--draws", "100"] if command == "montecarlo" else []
    _assert_refused(capsys, [command, path, *extra, "--out", str(tmp_path / "o")], tmp_path / "o",
                    path, "uncertainty.")
    assert "<replace>" not in capsys.readouterr().err


@pytest.mark.parametrize(("text", "key"), [
    ("unit_cost_keur: 1.0e+308\n", "unit_cost_keur"),
    ("unit_cost_growth: 1000\nhorizon_end: 2118\n", "unit_cost_growth"),
    ("phasing: {? [1, 2] : 0.5}\n", "ligne 1"),
    ("phasing: {2019: 0.5, \"2019\": 0.6}\n", "phasing.2019"),
    ("name: " + "[" * 500 + "]" * 500 + "\n", "ligne 1"),
])
def test_scenario_nonsense_and_hostile_yaml_exit_2(tmp_path, capsys, text, key):
    # issue 9 reproductions: inf in metrics.csv, TypeError, silent duplicate year, RecursionError
    path = _bad(tmp_path, text)
    _assert_refused(capsys, ["scenario", path, "--out", str(tmp_path / "o")], tmp_path / "o", path, key)


# Code names a summary must not show (metrics, parameters, targets, English words).
CODE_NAMES = ("_keur", "roi_", "payback_", "realisation_rate", "delay_years", "unit_cost", "ftap_money",
              "contract_1_3", "all_public_money", "etp.", "wrote", "draws", "swing")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_summaries_speak_the_readers_language_without_code_names(tmp_path, capsys, lang):
    from incubo_analysis.cli.model import run_montecarlo, run_scenario, run_sensitivity

    assert run_scenario([BASELINE], str(tmp_path / "s"), lang=lang) == 0
    assert run_montecarlo(UNCERTAIN, draws=500, seed=1, out=str(tmp_path / "m"), lang=lang) == 0
    assert run_sensitivity(UNCERTAIN, str(tmp_path / "t"), lang=lang) == 0
    printed = capsys.readouterr().out
    expected = {"fr": ("VAN", "Fichiers écrits dans", "tirages, graine 1", "Taux de réalisation : de 55,0",
                       "probabilité"),
                "en": ("NPV", "Files written in", "500 draws, seed 1", "Realisation rate: from 55.0%",
                       "probability")}[lang]
    for text in expected:
        assert text in printed, (text, printed)
    unwanted = CODE_NAMES if lang == "fr" else CODE_NAMES[:-3]
    for code in unwanted:
        assert code not in printed.replace(str(tmp_path), ""), (code, printed)


def test_scenario_glob_skips_the_chorus_mapping_and_says_so(tmp_path, capsys):
    out = tmp_path / "o"
    files = [str(PARAMS_DIR / "baseline.yaml"), str(PARAMS_DIR / "chorus_mapping.yaml")]
    assert main(["scenario", *files, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "chorus_mapping.yaml : ignoré, ce n'est pas un scénario" in printed
    assert set(pd.read_csv(out / "metrics.csv")["scenario"]) == {"baseline"}

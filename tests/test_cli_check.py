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

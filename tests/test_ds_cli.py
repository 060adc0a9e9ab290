"""`incubo check --ds-export FILE…`: summary, exit codes, located French messages."""

from __future__ import annotations

import subprocess
import sys

import pytest

from incubo_analysis.cli.main import main
from incubo_analysis.monitoring.ds import EXAMPLE_DS_DIR

XLSX = [str(p) for p in sorted(EXAMPLE_DS_DIR.glob("*.xlsx"))]
HEAD = "ID;Email;État du dossier;Déposé le;Passé en instruction le;Traité le"


def _bad_csv(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(HEAD + "\n"
                    "1;a@exemple.invalid;Accepté;04/01/2021 09:00;;05/01/2021 09:00\n"
                    "2;b@exemple.invalid;Refusé;04/01/2021 09:00;;le 5 janvier\n", encoding="utf-8-sig")
    return path


def test_check_ds_exports_prints_a_french_summary(capsys):
    assert main(["check", "--ds-export", *XLSX]) == 0
    out = capsys.readouterr().out
    assert "Exports démarches-simplifiées : 3 fichier(s) valide(s), 260 dossiers" in out
    assert "date de dépôt lue dans « Passé en construction le »" in out
    for name in ("Demande de subvention DETR", "Autorisation de transport exceptionnel",
                 "Agrément d'association de protection de l'environnement"):
        assert f"  {name} : " in out
    assert "délai médian" in out and "jours" in out
    assert "exemple.invalid" not in out and "FICTIF" not in out


def test_check_ds_exports_in_english(capsys):
    assert main(["check", "--ds-export", XLSX[0], "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "valid file(s)" in out and "median time" in out and "délai" not in out


def test_malformed_export_exits_2_with_a_located_french_message(tmp_path, capsys):
    assert main(["check", "--ds-export", XLSX[0], str(_bad_csv(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert err.startswith("incubo check : erreur : ")
    assert "export.csv, ligne 3, colonne « Traité le » : trouvé 'le 5 janvier' ; une date est attendue" in err
    assert "Traceback" not in err


def test_missing_column_and_english_message(tmp_path, capsys):
    path = tmp_path / "short.csv"
    path.write_text("ID;État du dossier;Déposé le\n1;Accepté;04/01/2021\n", encoding="utf-8")
    assert main(["check", "--ds-export", str(path), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "short.csv, row 1: the decision date column is missing" in err and "'Traité le'" in err


def test_the_same_dossiers_twice_are_refused(capsys):
    csv = str(EXAMPLE_DS_DIR / "formats" / "agrement_association_environnement.csv")
    assert main(["check", "--ds-export", *XLSX, csv]) == 2
    err = capsys.readouterr().err
    assert "figure déjà dans" in err and "60 dossier(s) de ce fichier y figurent déjà" in err


@pytest.mark.parametrize("name", ["absent.xlsx", "notes.pdf"])
def test_unusable_paths_exit_2(tmp_path, capsys, name):
    if name.endswith(".pdf"):
        (tmp_path / name).write_bytes(b"%PDF-1.4")
    assert main(["check", "--ds-export", str(tmp_path / name)]) == 2
    assert "incubo check : erreur : " in capsys.readouterr().err


def test_malformed_export_as_a_real_process(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "incubo_analysis", "check", "--ds-export", str(_bad_csv(tmp_path))],
        capture_output=True, text=True,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "ligne 3, colonne « Traité le »" in lines[0] and proc.stdout == ""

"""``incubo check --chorus FILE [--actuals FILE]``: summary, cross-check, exit 2 on a malformed extract."""

from __future__ import annotations

from incubo_analysis.cli.main import main
from incubo_analysis.labels import NBSP
from incubo_analysis.paths import EXAMPLE_ACTUALS, EXAMPLE_CHORUS

EXTRACT = str(EXAMPLE_CHORUS)


def test_summary_of_the_example_extract(capsys):
    assert main(["check", "--chorus", EXTRACT]) == 0
    out = capsys.readouterr().out
    # Counted from tools/example_chorus.py: 12 quarters; on the activity, AE 12 + 6 (booked above then
    # corrected, even quarters) = 18, CP 2 × 12 = 24, reductions (200) 12, cancelled payments 2 × 4 = 8,
    # the two deliberate lines and 3 carry-overs (350): 67; other activities 3 × 12 = 36: 103 read;
    # kept = 67 − 12 (200) − 3 (350) = 52.
    assert "103 lignes de données lues, 67 sur l'activité 034901011101, 52 retenues" in out
    assert "2019 : AE" in out and "2021 : AE" in out and "2022" not in out  # carry-over of 01.01.2022 not kept
    assert "Rapprochement" not in out  # no --actuals, no cross-check


def test_crosscheck_with_the_example_workbook(capsys):
    assert main(["check", "--chorus", EXTRACT, "--actuals", str(EXAMPLE_ACTUALS)]) == 0
    out = capsys.readouterr().out
    assert "2 trimestre(s) × nature de crédit avec un écart de plus de 1,0" in out
    assert f"2020T3 CP : classeur 68,30{NBSP}k€, Chorus 70,78{NBSP}k€, écart 2,48{NBSP}k€" in out
    assert f"2021T2 AE : classeur 54,00{NBSP}k€, Chorus 52,25{NBSP}k€, écart \u22121,75{NBSP}k€" in out


def test_english_summary(capsys):
    assert main(["check", "--chorus", EXTRACT, "--actuals", str(EXAMPLE_ACTUALS), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "103 data lines read" in out and "2 quarter(s) × credit with a difference over 1.0" in out
    assert "classeur" not in out and "écart" not in out


def test_malformed_extract_exits_2_with_a_located_french_message(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("Titre;\nActivité;Date comptable;Montant (EUR);Nature de crédit;Centre financier;Type de montant\n"
                   "034901011101;15.13.2020;100,00;AE;0349-CDBU-DR31;100\n", encoding="utf-8")
    assert main(["check", "--chorus", str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "1 problème(s) dans l'extraction Chorus" in captured.err
    assert ("ligne 3, colonne « Date comptable » : lu « 15.13.2020 », attendu : une date comme 31.12.2021"
            in captured.err)
    assert "Traceback" not in captured.err


def test_missing_column_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("Activité;Montant (EUR)\n034901011101;1,00\n", encoding="utf-8")
    assert main(["check", "--chorus", str(bad)]) == 2
    assert "ligne d'en-tête du tableau introuvable" in capsys.readouterr().err


def test_bad_mapping_exits_2_naming_the_key(tmp_path, capsys):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("file: {}\nvalues: {}\ncolumns: {activite: [A]}\ncredit: {from: column}\n"
                       "activity_filter: ['1']\namount_types: {}\n", encoding="utf-8")
    assert main(["check", "--chorus", EXTRACT, "--chorus-mapping", str(mapping)]) == 2
    assert "clé inconnue « columns.activite »" in capsys.readouterr().err


def test_another_layout_through_the_mapping_option(tmp_path, capsys):
    extract = tmp_path / "ae_cp.csv"
    extract.write_text("Code activité;Date;AE;CP\n034901011101;03.03.2021;1500,00;\n034901011101;04.05.2021;;250,00\n",
                       encoding="utf-8")
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "file: {}\nvalues: {}\ncolumns: {activity: [Code activité], posting_date: [Date]}\n"
        "credit: {from: amount_columns, amount_columns: {AE: [AE], CP: [CP]}}\n"
        "activity_filter: ['034901011101']\namount_types: {}\n", encoding="utf-8")
    assert main(["check", "--chorus", str(extract), "--chorus-mapping", str(mapping)]) == 0
    # 1 500,00 € AE and 250,00 € CP in 2021
    assert f"2021 : AE 1,5{NBSP}k€ ; CP 0,3{NBSP}k€" in capsys.readouterr().out


def test_extract_with_nothing_on_the_activity(tmp_path, capsys):
    extract = tmp_path / "other.csv"
    extract.write_text("Activité;Date comptable;Montant (EUR);Nature de crédit;Centre financier;Type de montant\n"
                       "034901011102;01.01.2020;1,00;AE;X;100\n", encoding="utf-8")
    assert main(["check", "--chorus", str(extract)]) == 0
    out = capsys.readouterr().out
    assert "1 lignes de données lues, 0 sur l'activité 034901011101, 0 retenues" in out
    assert "Aucune ligne retenue." in out

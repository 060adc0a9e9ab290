"""``incubo report --ds-export … --chorus …``: the sources read up front (exit 2, located French messages),
the tables on the shipped examples checked by hand, and one end-to-end run (CSV, annex sheets, page text)."""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from incubo_analysis.cli.main import main
from incubo_analysis.monitoring.annual import report_tables, validate_report_inputs
from incubo_analysis.monitoring.sources import read_sources
from incubo_analysis.outputs.excel import HEADER_ROW
from incubo_analysis.paths import EXAMPLE_ACTUALS, EXAMPLE_CHORUS, ROOT

DS_DIR = ROOT / "data" / "raw" / "ds"
DS_EXPORTS = sorted(DS_DIR.glob("*.xlsx"))  # the three démarches (not formats/: the same dossiers again)
BASE = ["report", "--year", "2021", "--actuals", str(EXAMPLE_ACTUALS)]


def _refused(capsys, out: Path, *options: str) -> str:
    """Run ``incubo report`` with ``options``: exit 2, nothing written; return the French message."""
    assert main([*BASE, *options, "--out", str(out)]) == 2
    assert not out.exists()
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def _csv_export(path: Path, rows: list[str], header: str = "ID;État du dossier;Déposé le;Traité le") -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


# --- read_sources: every input checked before anything runs -------------------------------------


def test_export_without_a_decision_column_is_refused_with_file_and_row(tmp_path, capsys):
    export = _csv_export(tmp_path / "detr.csv", ["1;Accepté;05/01/2021 10:00;20/02/2021 10:00"],
                         header="ID;État du dossier;Déposé le")
    err = _refused(capsys, tmp_path / "out", "--ds-export", str(export))
    assert "detr.csv, ligne 1 : la colonne de la date de traitement manque" in err
    assert "« Traité le »" in err  # the accepted headers are named


def test_unparsable_date_is_located_by_row_and_column(tmp_path, capsys):
    export = _csv_export(tmp_path / "detr.csv", ["1;Accepté;05/01/2021 10:00;20/02/2021 10:00",
                                                 "2;Accepté;le 6 janvier;20/02/2021 10:00"])
    err = _refused(capsys, tmp_path / "out", "--ds-export", str(export))
    assert "detr.csv, ligne 3, colonne « Déposé le » : trouvé 'le 6 janvier' ; une date est attendue" in err


def test_the_same_dossiers_in_two_formats_are_refused(tmp_path, capsys):
    agrement = DS_DIR / "agrement_association_environnement.xlsx"
    err = _refused(capsys, tmp_path / "out", "--ds-export", str(agrement),
                   str(DS_DIR / "formats" / "agrement_association_environnement.csv"))
    assert "figure déjà dans" in err and "ne donnez pas deux exports des mêmes dossiers" in err


def test_an_export_given_twice_is_refused(tmp_path, capsys):
    export = str(DS_EXPORTS[0])
    err = _refused(capsys, tmp_path / "out", "--ds-export", export, export)
    assert "fichier donné deux fois" in err


def test_missing_chorus_extract_is_refused(tmp_path, capsys):
    err = _refused(capsys, tmp_path / "out", "--chorus", str(tmp_path / "absent.csv"))
    assert "absent.csv : fichier introuvable" in err


def test_chorus_mapping_without_extract_is_refused(tmp_path, capsys):
    err = _refused(capsys, tmp_path / "out", "--chorus-mapping", "params/chorus_mapping.yaml")
    assert "--chorus-mapping params/chorus_mapping.yaml : donné sans --chorus" in err


def test_bad_chorus_amount_names_line_and_column(tmp_path, capsys):
    lines = EXAMPLE_CHORUS.read_bytes().decode("cp1252").splitlines()  # INFOCENTRE writes Windows-1252
    # the first data line on the contract's activity gets an amount that is not one
    index = next(i for i, line in enumerate(lines) if "034901011101" in line)
    cells = lines[index].split(";")
    amount = next(j for j, c in enumerate(cells) if re.fullmatch(r"-?[\d .]+,\d\d", c.strip()))
    cells[amount] = "douze"
    lines[index] = ";".join(cells)
    bad = tmp_path / "chorus.csv"
    bad.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    err = _refused(capsys, tmp_path / "out", "--chorus", str(bad))
    assert f"chorus.csv, ligne {index + 1}, colonne" in err and "lu « douze »" in err


def test_english_messages_with_lang_en(tmp_path, capsys):
    export = _csv_export(tmp_path / "detr.csv", ["1;Accepté;05/01/2021 10:00;20/02/2021 10:00"],
                         header="ID;État du dossier;Déposé le")
    err = _refused(capsys, tmp_path / "out", "--ds-export", str(export), "--lang", "en")
    assert "detr.csv, row 1: the decision date column is missing" in err


def test_no_source_reads_nothing():
    sources = read_sources()
    assert sources.dossiers is None and sources.chorus is None and not sources.given and not sources.hashes


# --- the tables on the shipped examples, by hand ---------------------------------------------------


@pytest.fixture(scope="module")
def tables():
    inputs = validate_report_inputs(year=2021, actuals=EXAMPLE_ACTUALS, scenario=None, ds_exports=DS_EXPORTS,
                                    chorus=EXAMPLE_CHORUS)
    return inputs, report_tables(inputs)


def test_indicator_two_thirds_at_2021T4(tables):
    _inputs, t = tables
    red = t["processing_time_reduction"].set_index("demarche")
    # reached when the 2021T1-2021T4 median is at most half the reference (docs/assumptions D7, D8):
    # DETR 120 d -> at most 60 d, median about 50; transport 45 d -> 22.5 d, about 15; agrément 90 d -> 45 d, about 67
    assert red.loc["Demande de subvention DETR", "reference_days"] == 120
    assert 45 < red.loc["Demande de subvention DETR", "median_days"] < 55
    assert 12 < red.loc["Autorisation de transport exceptionnel", "median_days"] < 18
    assert 62 < red.loc["Agrément d'association de protection de l'environnement", "median_days"] < 72
    assert red["reached"].tolist() == [False, True, True]  # agrément, transport, DETR (the workbook's order)
    assert (red["window_start"].unique().tolist(), red["window_end"].unique().tolist()) == (["2021T1"], ["2021T4"])
    ind = t["processing_time_indicator"].iloc[0]
    assert math.isclose(ind["value"], 2 / 3)  # 2 démarches out of 3 with a reference
    assert (ind["n_references"], ind["n_reached"], ind["n_demarches"], ind["quarter"]) == (3, 2, 3, "2021T4")
    assert ind["target"] == 0.5 and ind["typed_value"] == 0.35  # 0.35: typed in the example's sheet
    assert math.isclose(ind["attainment"], (2 / 3) / 0.5) and ind["status"] == "green"  # 133 % >= 95 %


def test_computed_indicator_replaces_the_typed_one(tables):
    _inputs, t = tables
    row = t["indicators"].query("indicator == 'axis1_processing_time_reduction' and year == 2021").iloc[0]
    assert math.isclose(row["actual"], 2 / 3) and row["status"] == "green"
    others = t["indicators"].query("indicator != 'axis1_processing_time_reduction'")
    assert len(others) == len(t["indicators"]) - 1 and "axis1_procedures_prototyped" in set(others["indicator"])


def test_crosscheck_has_exactly_the_two_deliberate_differences(tables):
    _inputs, t = tables
    cross = t["credits_crosscheck"]
    flagged = cross.loc[cross["flagged"], ["year", "quarter", "credit", "difference_keur"]]
    # data/raw/chorus/README.md (assumption K8): 2020 T3 CP +2,48 k€, 2021 T2 AE −1,75 k€
    assert [tuple(r) for r in flagged.itertuples(index=False)] == [(2020, 3, "CP", 2.48), (2021, 2, "AE", -1.75)]
    assert (cross["year"] * 10 + cross["quarter"]).max() <= 20214  # up to 2021T4 only
    assert len(cross) == 3 * 4 * 2  # 2019-2021, four quarters, AE and CP


def test_processing_times_stop_at_the_report_year(tables):
    _inputs, t = tables
    times = t["processing_times"]
    assert times["period"].max() <= "2021T4" and set(times["demarche"]) == {
        "Demande de subvention DETR", "Autorisation de transport exceptionnel",
        "Agrément d'association de protection de l'environnement"}


def test_report_tables_without_sources_has_no_source_table():
    inputs = validate_report_inputs(year=2021, actuals=EXAMPLE_ACTUALS, scenario=None)
    names = set(report_tables(inputs))
    assert not names & {"processing_times", "processing_time_reduction", "processing_time_indicator",
                        "credits_crosscheck"}


# --- one end-to-end run -------------------------------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


@pytest.fixture(scope="module")
def sources_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sources") / "2021"
    assert main([*BASE, "--ds-export", *map(str, DS_EXPORTS), "--chorus", str(EXAMPLE_CHORUS),
                 "--out", str(out)]) == 0
    return out


@pytest.mark.kernel
@pytest.mark.slow
def test_report_with_sources_writes_the_two_csv_files(sources_report):
    names = sorted(p.name for p in sources_report.iterdir())
    assert {"processing_times.csv", "credits_crosscheck.csv"} <= set(names)
    times = pd.read_csv(sources_report / "processing_times.csv")
    assert list(times.columns) == ["demarche", "period", "n_deposited", "n_processed", "median_days", "p90_days",
                                   "mean_days_winsorised"]
    assert not {"Email", "Nom", "Prénom"} & set(times.columns)
    cross = pd.read_csv(sources_report / "credits_crosscheck.csv")
    assert cross["flagged"].sum() == 2


@pytest.mark.kernel
@pytest.mark.slow
def test_report_with_sources_annex_sheets(sources_report):
    wb = openpyxl.load_workbook(sources_report / "incubo_report_2021.xlsx")
    names = wb.sheetnames
    at = names.index("Indicateurs")
    assert names[at + 1: at + 3] == ["Délais de traitement", "Contrôle Chorus"]
    sheet = pd.read_excel(sources_report / "incubo_report_2021.xlsx", sheet_name="Contrôle Chorus",
                          header=HEADER_ROW - 1, engine="openpyxl")
    assert sheet["Écart signalé"].tolist().count("oui") == 2
    # amounts to the cent, so that workbook − Chorus reads as the difference shown (2,48, not 2,5)
    ws = wb["Contrôle Chorus"]
    formats = {c.number_format for row in ws.iter_rows(min_row=HEADER_ROW + 1) for c in row
               if isinstance(c.value, float)}
    assert formats and all(f.startswith("#,##0.00") for f in formats), formats
    provenance = "\n".join(str(c.value) for row in wb["Provenance"].iter_rows() for c in row)
    assert "data/raw/chorus/example_extract.csv" in provenance and "Demande de subvention DETR.xlsx" in provenance


@pytest.mark.kernel
@pytest.mark.slow
def test_report_with_sources_page_text(sources_report):
    parser = _Text()
    parser.feed((sources_report / "incubo_report_2021.html").read_text(encoding="utf-8"))
    text = re.sub(r"\s+", " ", " ".join(parser.parts))
    assert "Délai de traitement des démarches dématérialisées" in text
    assert "Valeur calculée à partir des exports démarches-simplifiées 67 %" in text
    assert "Valeur saisie dans le classeur (feuille « Indicateurs ») 35 %" in text
    assert "3 démarches distinctes ont des dossiers dans les exports fournis" in text
    assert "Rapprochement des crédits avec Chorus" in text and "2 écarts de plus de 1 k€" in text
    assert text.count("Écart > 1 k€") == 2
    codes = ["axis1_processing_time_reduction", "processing_times", "credits_crosscheck", "difference_keur",
             "workbook_keur", "n_processed", "median_days", "demarche", "flagged", "reference_days"]
    assert not [c for c in codes if re.search(rf"\b{c}\b", text)]

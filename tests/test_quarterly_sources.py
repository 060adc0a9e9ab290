"""``incubo quarterly`` with the real sources (issue 12 § 5): démarches-simplifiées exports and a Chorus extract.

Expected values come from the shipped fictitious files, computed here by another path:
- the processing time: medians of (Traité − Déposé) read straight from the three xlsx exports with
  pandas, against the reference times of the example workbook (DETR 120 d, exceptional transport
  45 d, Agrément 90 d; data/raw/ds/README.md);
- the cross-check: the two deliberate differences of the Chorus example (data/raw/chorus/README.md):
  2020T3 CP, Chorus 70,78 − workbook 68,30 = +2,48 k€; 2021T2 AE, 52,25 − 54,00 = −1,75 k€.
"""

from __future__ import annotations

import csv
import math
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from incubo_analysis.cli.main import main
from incubo_analysis.errors import InputError
from incubo_analysis.monitoring.quarterly import (
    indicators_at_quarter,
    measured_indicators,
    quarterly_tables,
    validate_quarterly_inputs,
)
from incubo_analysis.paths import EXAMPLE_ACTUALS, ROOT

DS_DIR = ROOT / "data" / "raw" / "ds"
DS_EXPORTS = sorted(str(p) for p in DS_DIR.glob("*.xlsx"))
CHORUS = str(ROOT / "data" / "raw" / "chorus" / "example_extract.csv")
INDICATOR = "axis1_processing_time_reduction"


# --------------------------------------------------------------------------- #
# The measured indicator in the table of indicators (no file)
# --------------------------------------------------------------------------- #
def _none() -> pd.DataFrame:
    return pd.DataFrame({"indicator": ["axis1_user_satisfaction"], "year": [2021], "value": [0.8], "comment": [""]})


def _row(table: pd.DataFrame) -> pd.Series:
    return table.loc[table["indicator"] == INDICATOR].iloc[0]


@pytest.mark.parametrize(("value", "quarter", "status", "attainment"), [
    (2 / 3, "2021T4", "green", (2 / 3) / 0.5),   # 0.667 / 0.5 = 133 % >= 95 %
    (0.45, "2021T2", "amber", 0.9),              # 0.45 / 0.5 = 90 %: between 75 % and 95 %
    (1 / 3, "2021T1", "red", 2 / 3),             # 0.333 / 0.5 = 67 % < 75 %
    (2 / 3, "2020T4", "not_due", (2 / 3) / 0.5),  # target end 2021: not yet due in 2020, value shown
])
def test_the_measured_share_replaces_the_typed_value(value, quarter, status, attainment):
    typed = pd.concat([_none(), pd.DataFrame({"indicator": [INDICATOR], "year": [2020], "value": [0.35],
                                              "comment": [""]})], ignore_index=True)
    base = indicators_at_quarter(typed, quarter)
    out = _row(measured_indicators(base, pd.DataFrame({"value": [value]}), quarter))
    assert out["actual"] == pytest.approx(value) and out["attainment"] == pytest.approx(attainment)
    assert out["status"] == status and int(out["value_year"]) == int(quarter[:4])
    # the other rows are untouched
    others = measured_indicators(base, pd.DataFrame({"value": [value]}), quarter)
    assert others[others["indicator"] != INDICATOR].equals(base[base["indicator"] != INDICATOR])


def test_no_measure_leaves_the_indicators_as_reported():
    base = indicators_at_quarter(_none(), "2021T4")
    assert measured_indicators(base, None, "2021T4").equals(base)
    # a NaN share: the workbook has no reference time, nothing is measured
    assert measured_indicators(base, pd.DataFrame({"value": [math.nan]}), "2021T4").equals(base)
    assert _row(base)["status"] == "red"  # due in 2021 and nothing typed, as before


# --------------------------------------------------------------------------- #
# The tables of the pack with the shipped examples (in process)
# --------------------------------------------------------------------------- #
def _medians_2021_by_hand() -> dict[str, float]:
    """Median days from deposit to decision of the dossiers decided in 2021, from the raw xlsx."""
    medians = {}
    for path in DS_EXPORTS:
        frame = pd.read_excel(path, sheet_name=0, engine="openpyxl")
        deposit = "Déposé le" if "Déposé le" in frame.columns else "Passé en construction le"
        dates = {}
        for col in (deposit, "Traité le"):
            raw = frame[col]
            dates[col] = raw if pd.api.types.is_datetime64_any_dtype(raw) else pd.to_datetime(
                raw, format="%d/%m/%Y %H:%M")
        decided = frame["État du dossier"].isin(["Accepté", "Refusé", "Classé sans suite"]) & dates["Traité le"].notna()
        in_2021 = decided & (dates["Traité le"].dt.year == 2021)
        days = (dates["Traité le"] - dates[deposit])[in_2021].dt.total_seconds() / 86400
        medians[Path(path).stem] = float(days.median())
    return medians


def test_the_example_exports_by_hand_detr_and_transport_reach_50_percent_agrement_does_not():
    med = _medians_2021_by_hand()
    references = {"Demande de subvention DETR": 120, "Autorisation de transport exceptionnel": 45,
                  "agrement_association_environnement": 90}
    reached = {name: med[name] <= references[name] / 2 for name in references}
    assert reached == {"Demande de subvention DETR": True, "Autorisation de transport exceptionnel": True,
                       "agrement_association_environnement": False}
    inputs = validate_quarterly_inputs(quarter="2021T4", actuals=EXAMPLE_ACTUALS, ds_exports=DS_EXPORTS)
    tables = quarterly_tables(inputs)
    red = tables["processing_time_reduction"].set_index("demarche")
    # the pack's medians agree with the raw files (to the minute: Paris summer time moves none by an hour)
    assert red.loc["Demande de subvention DETR", "median_days"] == pytest.approx(
        med["Demande de subvention DETR"], abs=0.05)
    assert red.loc["Autorisation de transport exceptionnel", "median_days"] == pytest.approx(
        med["Autorisation de transport exceptionnel"], abs=0.05)
    row = _row(tables["indicators"])
    assert row["actual"] == pytest.approx(2 / 3) and row["status"] == "green"  # 2/3 >= 0.5: 133 %
    assert int(tables["processing_time_indicator"]["n_demarches"].iloc[0]) == 3


def _flagged(cross: pd.DataFrame) -> list[tuple[int, int, str, float]]:
    f = cross[cross["flagged"]]
    return [(int(y), int(q), c, round(float(d), 2)) for y, q, c, d in
            zip(f["year"], f["quarter"], f["credit"], f["difference_keur"], strict=True)]


def test_the_crosscheck_covers_the_quarters_up_to_the_pack_quarter():
    early = quarterly_tables(validate_quarterly_inputs(quarter="2020T2", actuals=EXAMPLE_ACTUALS, chorus=CHORUS))
    cross = early["credits_crosscheck"]
    assert (cross["year"] * 4 + cross["quarter"]).max() == 2020 * 4 + 2  # nothing after 2020T2
    assert _flagged(cross) == []  # 2020T3 and 2021T2 are both after 2020T2
    assert "processing_times" not in early  # no export given: no DS table
    late = quarterly_tables(validate_quarterly_inputs(quarter="2021T4", actuals=EXAMPLE_ACTUALS, chorus=CHORUS))
    assert _flagged(late["credits_crosscheck"]) == [(2020, 3, "CP", 2.48), (2021, 2, "AE", -1.75)]


def test_without_sources_the_tables_are_the_same_as_before():
    inputs = validate_quarterly_inputs(quarter="2021T4", actuals=EXAMPLE_ACTUALS)
    tables = quarterly_tables(inputs)
    assert not {"processing_times", "processing_time_reduction", "credits_crosscheck"} & set(tables)
    assert _row(tables["indicators"])["actual"] == pytest.approx(0.35)  # the typed value (example workbook)


# --------------------------------------------------------------------------- #
# Refusals (exit 2, French, nothing written)
# --------------------------------------------------------------------------- #
def _bad_export(tmp_path: Path) -> Path:
    """An export whose second dossier was processed before it was deposited (row 3 of the file)."""
    path = tmp_path / "Démarche cassée.csv"
    path.write_text("ID;État du dossier;Déposé le;Traité le\n"
                    "1;Accepté;02/01/2021 10:00;10/01/2021 10:00\n"
                    "2;Accepté;20/01/2021 10:00;10/01/2021 10:00\n", encoding="utf-8")
    return path


def test_a_malformed_export_is_refused_through_incubo_quarterly(tmp_path, capsys):
    out = tmp_path / "o"
    code = main(["quarterly", "--quarter", "2021T4", "--actuals", str(EXAMPLE_ACTUALS), "--ds-export",
                 str(_bad_export(tmp_path)), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and not out.exists()
    assert "Démarche cassée.csv" in err and "ligne 3" in err and "« Traité le »" in err  # file, row, column (fr)


def test_a_missing_extract_and_a_lone_mapping_are_refused(tmp_path, capsys):
    out = tmp_path / "o"
    code = main(["quarterly", "--quarter", "2021T4", "--actuals", str(EXAMPLE_ACTUALS), "--chorus",
                 str(tmp_path / "absent.csv"), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "absent.csv" in err and "introuvable" in err and not out.exists()
    with pytest.raises(InputError):
        validate_quarterly_inputs(quarter="2021T4", actuals=EXAMPLE_ACTUALS,
                                  chorus_mapping=ROOT / "params" / "chorus_mapping.yaml")


# --------------------------------------------------------------------------- #
# End to end: two real runs, as a user runs them
# --------------------------------------------------------------------------- #
def _run(quarter: str, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "incubo_analysis", "quarterly", "--quarter", quarter,
                           "--actuals", str(EXAMPLE_ACTUALS), "--ds-export", *DS_EXPORTS, "--chorus", CHORUS,
                           "--out", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=600)


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    base = tmp_path_factory.mktemp("quarterly_sources")
    runs = {}
    for quarter in ("2021T4", "2020T2"):
        proc = _run(quarter, base / quarter)
        assert proc.returncode == 0, proc.stderr[-3000:]
        runs[quarter] = base / quarter
    return runs


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.kernel
def test_the_pack_writes_the_two_csv_files(packs):
    out = packs["2021T4"]
    with (out / "processing_times.csv").open(encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == ["demarche", "period", "n_deposited", "n_processed", "median_days",
                                        "p90_days", "mean_days_winsorised"]
    times = _csv(out / "processing_times.csv")
    assert {r["demarche"] for r in times} == {"Demande de subvention DETR", "Autorisation de transport exceptionnel",
                                              "Agrément d'association de protection de l'environnement"}
    assert max(r["period"] for r in times) == "2021T4"
    text = (out / "processing_times.csv").read_text(encoding="utf-8")
    assert "@exemple.invalid" not in text and "FICTIF" not in text  # no personal data copied
    cross = _csv(out / "credits_crosscheck.csv")
    flagged = [(r["year"], r["quarter"], r["credit"], float(r["difference_keur"])) for r in cross
               if r["flagged"] == "True"]
    assert flagged == [("2020", "3", "CP", pytest.approx(2.48)), ("2021", "2", "AE", pytest.approx(-1.75))]


@pytest.mark.kernel
def test_at_2020T2_the_crosscheck_stops_at_2020T2(packs):
    cross = _csv(packs["2020T2"] / "credits_crosscheck.csv")
    assert max((int(r["year"]), int(r["quarter"])) for r in cross) == (2020, 2)
    assert not [r for r in cross if r["flagged"] == "True"]
    times = _csv(packs["2020T2"] / "processing_times.csv")
    assert max(r["period"] for r in times) == "2020T2"


@pytest.mark.kernel
def test_the_workbook_gains_the_two_sheets_and_the_measured_indicator(packs):
    from openpyxl import load_workbook

    wb = load_workbook(packs["2021T4"] / "suivi_2021T4.xlsx", read_only=True)
    assert {"Délais de traitement", "Contrôle Chorus"} <= set(wb.sheetnames)
    assert wb.sheetnames[-1] == "Provenance"
    rows = [r for r in wb["Indicateurs"].iter_rows(values_only=True)]
    measured = [r for r in rows if r and r[0] == "Axe 1 – Réduction du délai de traitement"]
    assert measured and pytest.approx(2 / 3) in measured[0]
    prov = " ".join(str(c) for r in wb["Provenance"].iter_rows(values_only=True) for c in r if c)
    assert "example_extract.csv" in prov and "Demande de subvention DETR.xlsx" in prov


@pytest.mark.kernel
def test_the_french_page_shows_the_sources_without_code_names(packs):
    html = (packs["2021T4"] / "suivi_2021T4.html").read_text(encoding="utf-8")
    text = re.sub(r"<style.*?</style>|<[^>]+>", " ", html, flags=re.S)
    for words in ("Démarches ayant des dossiers à fin 2021T4", "Délai de traitement par démarche, dossiers traités "
                  "de 2021T1 à 2021T4", "rapprochés de Chorus", "Écarts avec Chorus à fin 2021T4",
                  "2 écarts de plus de 1 k€", "2 des 3 démarches ayant un délai de référence ont réduit"):
        assert words in text, words
    assert re.search(r"⚠ \+2,48", text) and re.search(r"⚠ −1,75", text)
    assert 'alt="Graphique : délai médian de traitement' in html
    codes = ["processing_times", "credits_crosscheck", "workbook_keur", "chorus_keur", "n_processed", "demarche",
             "reached", "True", "False", "not_due"]
    assert not [c for c in codes if re.search(rf"\b{c}\b", text)]
    assert "@exemple.invalid" not in html

"""Démarches-simplifiées exports: reader (formats, header variants, errors), statistics, indicator, chart.

Expected values are computed by hand in the comments (numpy's linear percentile: the value at
position (n − 1) × p / 100 of the sorted sample, interpolated between its neighbours).
"""

from __future__ import annotations

import datetime as dt
import math

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from incubo_analysis.errors import DsExportError, InputError, ParameterError, SchemaError  # noqa: E402
from incubo_analysis.monitoring import ds  # noqa: E402
from tools import example_ds  # noqa: E402

PARIS = "Europe/Paris"
DETR = "Demande de subvention DETR"
TRANSPORT = "Autorisation de transport exceptionnel"
AGREMENT = "Agrément d'association de protection de l'environnement"
REFERENCES = pd.DataFrame({"demarche": [DETR, TRANSPORT, AGREMENT], "reference_days": [120.0, 45.0, 90.0],
                           "source": ["exemple", "exemple", "exemple"]})
XLSX = sorted(ds.EXAMPLE_DS_DIR.glob("*.xlsx"))


def _t(text: str) -> pd.Timestamp:
    return pd.Timestamp(text).tz_localize(PARIS)


def _dossier(demarche, number, state, deposited, processed=None):
    dep = _t(deposited)
    done = _t(processed) if processed else pd.NaT
    days = (done - dep).total_seconds() / 86400 if processed else math.nan
    return {"demarche": demarche, "dossier_id": number, "state": state, "deposited_at": dep,
            "instruction_at": pd.NaT, "processed_at": done, "processing_days": days}


def _table(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(ds.DS_COLUMNS))
    for c in ("deposited_at", "instruction_at", "processed_at"):
        frame[c] = pd.to_datetime(frame[c], utc=True).dt.tz_convert(PARIS)
    return frame


@pytest.fixture
def tiny() -> pd.DataFrame:
    """Démarche A: 5 decided in 2021T1 (2, 4, 6, 8, 30 days), 2 in 2021T2 (10, 20 days), 1 open.

    Démarche B: 2 decided in 2021T2 (5, 7 days). Démarche D: 1 decided in 2020T2 (3 days).
    """
    rows = [_dossier("A", i + 1, "accepte", "2021-01-04 09:00", f"2021-01-{4 + d:02d} 09:00")
            for i, d in enumerate((2, 4, 6, 8))]
    rows += [_dossier("A", 5, "refuse", "2021-01-04 09:00", "2021-02-03 09:00"),  # 30 days
             _dossier("A", 6, "sans_suite", "2021-04-06 09:00", "2021-04-16 09:00"),  # 10 days
             _dossier("A", 7, "accepte", "2021-04-06 09:00", "2021-04-26 09:00"),  # 20 days
             _dossier("A", 8, "en_instruction", "2021-05-03 10:00"),
             _dossier("B", 1, "accepte", "2021-04-01 09:00", "2021-04-06 09:00"),  # 5 days
             _dossier("B", 2, "accepte", "2021-04-01 09:00", "2021-04-08 09:00"),  # 7 days
             _dossier("D", 1, "accepte", "2020-04-01 09:00", "2020-04-04 09:00")]  # 3 days
    return _table(rows)


# ----------------------------------------------------------------------------- statistics


def test_processing_times_by_hand(tiny):
    out = ds.processing_times(tiny)
    assert list(out.columns) == list(ds.PROCESSING_TIMES_COLUMNS)
    a1 = out.loc[(out["demarche"] == "A") & (out["period"] == "2021T1")].iloc[0]
    # sorted 2, 4, 6, 8, 30: median 6; p90 at position 4 × 0.9 = 3.6: 8 + 0.6 × (30 − 8) = 21.2;
    # p5 at 0.2: 2 + 0.2 × 2 = 2.4, p95 at 3.8: 8 + 0.8 × 22 = 25.6; clipped 2.4, 4, 6, 8, 25.6 → 46 / 5 = 9.2
    assert (a1["n_deposited"], a1["n_processed"]) == (5, 5)
    assert a1["median_days"] == pytest.approx(6.0)
    assert a1["p90_days"] == pytest.approx(21.2)
    assert a1["mean_days_winsorised"] == pytest.approx(9.2)
    a2 = out.loc[(out["demarche"] == "A") & (out["period"] == "2021T2")].iloc[0]
    # 10, 20: median 15; p90 at 0.9: 19; clip at 10.5 and 19.5 → mean 15; deposited in T2: 6, 7, 8
    assert (a2["n_deposited"], a2["n_processed"]) == (3, 2)
    assert (a2["median_days"], a2["p90_days"], a2["mean_days_winsorised"]) == pytest.approx((15.0, 19.0, 15.0))
    assert out["period"].tolist() == ["2021T1", "2021T2", "2021T2", "2020T2"]  # A, A, B, D: sorted by démarche
    assert out["n_deposited"].dtype == "int64" and out["n_processed"].dtype == "int64"


def test_a_period_without_decision_has_nan_statistics():
    frame = _table([_dossier("A", 1, "en_construction", "2021-02-01 10:00"),
                    _dossier("A", 2, "accepte", "2021-02-01 10:00", "2021-05-01 10:00")])  # in T2
    out = ds.processing_times(frame).set_index("period")
    assert out.loc["2021T1", "n_deposited"] == 2 and out.loc["2021T1", "n_processed"] == 0
    assert math.isnan(out.loc["2021T1", "median_days"])
    # 89 calendar days, but clocks went forward on 28 March: 89 days − 1 hour of elapsed time = 88 + 23/24
    assert out.loc["2021T2", "n_deposited"] == 0 and out.loc["2021T2", "median_days"] == pytest.approx(88 + 23 / 24)


def test_periods_are_paris_calendar_quarters():
    # 2021-03-31 23:30 Paris is 21:30 UTC (T1); 2021-04-01 00:30 Paris is 2021-03-31 22:30 UTC, but T2 in Paris
    frame = _table([_dossier("A", 1, "accepte", "2021-03-01 10:00", "2021-03-31 23:30"),
                    _dossier("A", 2, "accepte", "2021-03-01 10:00", "2021-04-01 00:30")])
    assert ds.processing_times(frame)["n_processed"].tolist() == [1, 1]
    assert ds.processing_times(frame)["period"].tolist() == ["2021T1", "2021T2"]


def test_other_frequencies_and_a_bad_one(tiny):
    monthly = ds.processing_times(tiny, freq="M")
    assert monthly.loc[monthly["demarche"] == "A", "period"].tolist() == ["2021-01", "2021-02", "2021-04", "2021-05"]
    yearly = ds.processing_times(tiny, freq="Y")
    assert yearly.loc[yearly["demarche"] == "A", "n_processed"].tolist() == [7]
    with pytest.raises(ParameterError) as err:
        ds.processing_times(tiny, freq="W")
    assert "trimestre" in err.value.message_in("fr")


def test_winsorised_mean_by_hand():
    # 1..20 and 1000: n = 21, p5 at position 20 × 0.05 = 1 → the value 2; p95 at position 19 → 20;
    # clipped: 1 → 2 and 1000 → 20, the rest unchanged: 2, 2, 3, …, 20, 20
    values = list(range(1, 21)) + [1000]
    expected = (sum(range(2, 21)) + 2 + 20) / 21  # 209 + 22 = 231 → 11.0
    assert ds.winsorised_mean(values) == pytest.approx(expected) == pytest.approx(11.0)
    assert math.isnan(ds.winsorised_mean([]))
    assert ds.winsorised_mean([7.0, float("nan")]) == 7.0


# ----------------------------------------------------------------------------- indicator


def test_reduction_over_the_last_four_quarters(tiny):
    refs = pd.DataFrame({"demarche": ["A", "B", "C"], "reference_days": [20, 10, 50], "source": ["s1", "s2", "s3"]})
    out = ds.processing_time_reduction(tiny, refs, as_of="2021T2")
    assert list(out.columns) == list(ds.REDUCTION_COLUMNS)
    a, b, c = (out.iloc[i] for i in range(3))
    # window 2020T3..2021T2; A: 2, 4, 6, 8, 10, 20, 30 → median 8; 1 − 8/20 = 0.6 ≥ 0.5
    assert (a["window_start"], a["window_end"], a["n_processed"]) == ("2020T3", "2021T2", 7)
    assert a["median_days"] == pytest.approx(8.0) and a["reduction"] == pytest.approx(0.6) and a["reached"]
    # B: 5, 7 → median 6; 1 − 6/10 = 0.4 < 0.5
    assert b["reduction"] == pytest.approx(0.4) and not b["reached"]
    # C: no dossier: NaN, not reached (still counted in the share)
    assert c["n_processed"] == 0 and math.isnan(c["reduction"]) and not c["reached"]
    assert c["reference_source"] == "s3"
    assert ds.axis1_processing_time_reduction(tiny, refs, as_of="2021T2") == pytest.approx(1 / 3)


def test_reduction_window_and_boundary(tiny):
    # as_of 2021T1: window 2020T2..2021T1; A: 2, 4, 6, 8, 30 → median 6; D: 3 (2020T2, inside)
    refs = pd.DataFrame({"demarche": ["A", "D"], "reference_days": [12.0, 6.0]})
    out = ds.processing_time_reduction(tiny, refs, as_of=pd.Period("2021Q1", freq="Q"))
    assert out["median_days"].tolist() == pytest.approx([6.0, 3.0])
    assert out["reduction"].tolist() == pytest.approx([0.5, 0.5])  # exactly 50 %: reached
    assert out["reached"].tolist() == [True, True]
    # as_of 2021T2: D's 2020T2 dossier left the window
    later = ds.processing_time_reduction(tiny, refs, as_of="2021T2")
    assert later["n_processed"].tolist() == [7, 0]
    # A: median 8 of 12 → 1 − 8/12 = 1/3, not reached; D: no dossier, not reached → 0 of 2
    assert ds.axis1_processing_time_reduction(tiny, refs, as_of="2021T2") == 0.0


def test_references_match_names_loosely_and_are_checked(tiny):
    frame = tiny.assign(demarche=tiny["demarche"].replace({"A": "Agrément d’association"}))
    refs = pd.DataFrame({"demarche": ["  agrement d'association "], "reference_days": [20]})
    assert ds.processing_time_reduction(frame, refs, as_of="2021T2")["n_processed"].tolist() == [7]
    with pytest.raises(SchemaError, match="reference_days"):
        ds.processing_time_reduction(tiny, pd.DataFrame({"demarche": ["A"]}), as_of="2021T2")
    with pytest.raises(SchemaError) as err:
        ds.processing_time_reduction(tiny, pd.DataFrame({"demarche": ["A"], "reference_days": [0]}), as_of="2021T2")
    assert "supérieur à 0" in err.value.message_in("fr")
    with pytest.raises(SchemaError) as err:
        ds.processing_time_reduction(tiny, pd.DataFrame({"demarche": ["A", "a"], "reference_days": [1, 2]}),
                                     as_of="2021T2")
    assert "deux fois" in err.value.message_in("fr")
    with pytest.raises(SchemaError):
        ds.processing_time_reduction(tiny, refs, as_of="2021-13")
    with pytest.raises(SchemaError, match="missing column"):
        ds.processing_times(tiny.drop(columns="processed_at"))
    assert math.isnan(ds.axis1_processing_time_reduction(tiny, refs.iloc[0:0], as_of="2021T2"))


def test_count_demarches(tiny):
    assert ds.count_demarches(tiny) == 3  # A, B, D
    assert ds.count_demarches(tiny, as_of="2020T2") == 1  # only D deposited by end of June 2020
    assert ds.count_demarches(tiny, as_of="2021T1") == 2  # A (January 2021) and D


def test_overview(tiny):
    out = ds.ds_overview(tiny)
    assert out["demarche"].tolist() == ["A", "B", "D"]
    assert out["n_dossiers"].tolist() == [8, 2, 1] and out["n_processed"].tolist() == [7, 2, 1]
    assert out["median_days"].tolist() == pytest.approx([8.0, 6.0, 3.0])


# ----------------------------------------------------------------------------- the fixtures


def test_fixtures_give_two_thirds_at_end_2021():
    dossiers = ds.read_ds_exports(XLSX)
    table = ds.processing_time_reduction(dossiers, REFERENCES, as_of="2021T4")
    assert table["reached"].tolist() == [True, True, False]
    assert ds.axis1_processing_time_reduction(dossiers, REFERENCES, as_of="2021T4") == pytest.approx(2 / 3)
    assert ds.count_demarches(dossiers) == 3
    assert set(dossiers["state"]) == set(ds.DS_STATES)
    assert dossiers["processing_days"].isna().sum() > 0  # open dossiers
    assert 150 <= len(dossiers) <= 400


def test_fixture_formats_read_identically():
    xlsx = ds.read_ds_export(ds.EXAMPLE_DS_DIR / example_ds.EXAMPLE_FILES["agrement"])
    csv = ds.read_ds_export(ds.EXAMPLE_DS_DIR / example_ds.EXAMPLE_FILES["agrement_csv"])
    ods = ds.read_ds_export(ds.EXAMPLE_DS_DIR / example_ds.EXAMPLE_FILES["agrement_ods"])
    pd.testing.assert_frame_equal(xlsx, csv)
    pd.testing.assert_frame_equal(xlsx, ods)
    assert set(xlsx["demarche"]) == {AGREMENT}  # column in xlsx/csv, sheet name in ods


def test_fixture_header_variants_and_names():
    detr = ds.load_ds_export(ds.EXAMPLE_DS_DIR / example_ds.EXAMPLE_FILES["detr"])
    assert detr.headers["deposited_at"] == "Passé en construction le"
    assert set(detr.dossiers["demarche"]) == {DETR}  # sheet "Dossiers" is generic: the file name
    transport = ds.load_ds_export(ds.EXAMPLE_DS_DIR / example_ds.EXAMPLE_FILES["transport"])
    assert transport.headers["deposited_at"] == "Déposé le" and set(transport.dossiers["demarche"]) == {TRANSPORT}


def test_no_personal_data_is_copied():
    files = [*XLSX, *sorted((ds.EXAMPLE_DS_DIR / "formats").iterdir())]
    for path in files:
        frame = ds.read_ds_export(path)
        assert list(frame.columns) == list(ds.DS_COLUMNS)
        text = frame.astype(str).to_csv()
        for fake in ("exemple.invalid", "FICTIF", "Prénomfictif", "instructeur.fictif", "Mme"):
            assert fake not in text, (path.name, fake)
    # the fixtures do hold them (else the test proves nothing)
    raw = (ds.EXAMPLE_DS_DIR / example_ds.EXAMPLE_FILES["agrement_csv"]).read_text(encoding="utf-8-sig")
    assert "usager.fictif001@exemple.invalid" in raw and "FICTIF" in raw and "Prénomfictif001" in raw


def test_generator_is_byte_identical(tmp_path):
    written = example_ds.build_example_ds(tmp_path)
    for path in written:
        committed = ds.EXAMPLE_DS_DIR / path.relative_to(tmp_path)
        assert path.read_bytes() == committed.read_bytes(), path.name
    again = example_ds.build_example_ds(tmp_path / "again")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in written]


# ----------------------------------------------------------------------------- reader: formats and variants


HEAD = ["ID", "Email", "Nom", "État du dossier", "Déposé le", "Passé en instruction le", "Traité le", "Commune"]
ROWS = [
    ["101", "a@exemple.invalid", "FICTIF", "Accepté", "04/01/2021 09:00", "05/01/2021 10:00", "14/01/2021 21:00",
     "Auch"],
    ["102", "b@exemple.invalid", "FICTIF", "En instruction", "05/01/2021 09:00", "06/01/2021 09:00", "", "Foix"],
]


def _csv(path, head=HEAD, rows=ROWS, sep=";", bom=True, encoding="utf-8"):
    text = "\r\n".join(sep.join(r) for r in [head, *rows]) + "\r\n"
    path.write_bytes(("\ufeff" if bom else "").encode(encoding) + text.encode(encoding))
    return path


def _xlsx(path, head=HEAD, rows=ROWS, sheet="Dossiers"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(head)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _check_basic(frame, name):
    assert list(frame.columns) == list(ds.DS_COLUMNS)
    assert frame["demarche"].tolist() == [name, name]
    assert frame["dossier_id"].tolist() == [101, 102] and frame["dossier_id"].dtype == "int64"
    assert frame["state"].tolist() == ["accepte", "en_instruction"]
    assert frame["deposited_at"].iloc[0] == _t("2021-01-04 09:00")
    assert str(frame["deposited_at"].dt.tz) == PARIS
    assert frame["processed_at"].iloc[0] == _t("2021-01-14 21:00") and pd.isna(frame["processed_at"].iloc[1])
    # 4 Jan 09:00 → 14 Jan 21:00: 10.5 days
    assert frame["processing_days"].iloc[0] == pytest.approx(10.5) and math.isnan(frame["processing_days"].iloc[1])


@pytest.mark.parametrize(("sep", "bom", "encoding"), [(";", True, "utf-8"), (",", False, "utf-8"),
                                                      ("\t", False, "utf-8"), (";", False, "cp1252")])
def test_csv_separators_and_encodings(tmp_path, sep, bom, encoding):
    _check_basic(ds.read_ds_export(_csv(tmp_path / "Ma démarche.csv", sep=sep, bom=bom, encoding=encoding)),
                 "Ma démarche")


def test_xlsx_with_excel_dates_and_serial_numbers(tmp_path):
    rows = [[101, "a@x", "N", "Accepté", dt.datetime(2021, 1, 4, 9), None, 44210.875, "Auch"],  # serial: 14/01 21:00
            [102, "b@x", "N", "En instruction", "2021-01-05T09:00:00+01:00", None, None, "Foix"]]
    _check_basic(ds.read_ds_export(_xlsx(tmp_path / "x.xlsx", rows=rows), demarche="Donnée"), "Donnée")


def test_ods_sheet_name_is_the_demarche(tmp_path):
    frame = pd.DataFrame(ROWS, columns=HEAD)
    with pd.ExcelWriter(tmp_path / "export.ods", engine="odf") as writer:
        frame.to_excel(writer, sheet_name="Permis de végétaliser", index=False)
    _check_basic(ds.read_ds_export(tmp_path / "export.ods"), "Permis de végétaliser")


@pytest.mark.parametrize("deposit", ["Déposé le", "Passé en construction le", "depose_at", "en_construction_at",
                                     "initiated_at", "Date de dépôt", "  DÉPOSÉ   LE "])
def test_each_deposit_header_variant(tmp_path, deposit):
    head = [*HEAD[:4], deposit, *HEAD[5:]]
    _check_basic(ds.read_ds_export(_csv(tmp_path / "d.csv", head=head)), "d")


@pytest.mark.parametrize(("ident", "state", "instruction", "processed"), [
    ("ID", "État du dossier", "Passé en instruction le", "Traité le"),
    ("id", "state", "en_instruction_at", "processed_at"),
    ("Numéro de dossier", "État", "received_at", "Date de traitement"),
    ("Nº dossier", "Etat du dossier", "Date de passage en instruction", "Date de décision"),
])
def test_other_header_variants(tmp_path, ident, state, instruction, processed):
    head = [ident, "Email", "Nom", state, "Déposé le", instruction, processed, "Commune"]
    _check_basic(ds.read_ds_export(_csv(tmp_path / "d.csv", head=head)), "d")


@pytest.mark.parametrize(("spelling", "code"), [
    ("En construction", "en_construction"), ("en_construction", "en_construction"), ("initiated", "en_construction"),
    ("En instruction", "en_instruction"), ("received", "en_instruction"), ("Accepté", "accepte"),
    ("accepte", "accepte"), ("Refusé", "refuse"), ("refuse", "refuse"), ("Classé sans suite", "sans_suite"),
    ("Sans suite", "sans_suite"), ("sans_suite", "sans_suite"), ("ACCEPTÉ", "accepte"),
])
def test_state_spellings(tmp_path, spelling, code):
    rows = [["7", "e", "n", spelling, "04/01/2021 09:00", "", "05/01/2021 09:00", ""]]
    assert ds.read_ds_export(_csv(tmp_path / "s.csv", rows=rows))["state"].tolist() == [code]


@pytest.mark.parametrize(("text", "expected"), [
    ("04/03/2021 10:12", "2021-03-04 10:12"), ("04/03/2021 10:12:30", "2021-03-04 10:12:30"),
    ("04/03/2021", "2021-03-04 00:00"), ("2021-03-04", "2021-03-04 00:00"),
    ("2021-03-04 10:12:00 +0100", "2021-03-04 10:12"), ("2021-03-04T10:12:00+01:00", "2021-03-04 10:12"),
    ("2021-03-04T09:12:00Z", "2021-03-04 10:12"), ("2021-07-04 10:12:00 +0200", "2021-07-04 10:12"),
])
def test_date_formats(tmp_path, text, expected):
    rows = [["7", "e", "n", "En construction", text, "", "", ""]]
    assert ds.read_ds_export(_csv(tmp_path / "s.csv", rows=rows))["deposited_at"].iloc[0] == _t(expected)


def test_demarche_column_wins_over_file_name_and_argument_over_column(tmp_path):
    head = ["Démarche", *HEAD]
    rows = [["Démarche X", *ROWS[0]], ["Démarche X", *ROWS[1]]]
    path = _csv(tmp_path / "file.csv", head=head, rows=rows)
    assert set(ds.read_ds_export(path)["demarche"]) == {"Démarche X"}
    assert set(ds.read_ds_export(path, demarche="Y")["demarche"]) == {"Y"}


def test_dossiers_sheet_is_chosen_and_blank_rows_skipped(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Avis"
    wb.active.append(["Dossier ID", "Réponse"])
    ws = wb.create_sheet("Dossiers")
    ws.append([])  # a blank first row: the header is the first non-blank row
    ws.append(HEAD)
    ws.append(ROWS[0])
    ws.append([])
    ws.append(ROWS[1])
    wb.save(tmp_path / "Nom du fichier.xlsx")
    export = ds.load_ds_export(tmp_path / "Nom du fichier.xlsx")
    _check_basic(export.dossiers, "Nom du fichier")
    assert export.rows == (3, 5)


def test_an_undecided_dossier_with_a_stale_decision_date_is_not_processed(tmp_path):
    rows = [["7", "e", "n", "En instruction", "04/01/2021 09:00", "05/01/2021 09:00", "10/01/2021 09:00", ""]]
    frame = ds.read_ds_export(_csv(tmp_path / "s.csv", rows=rows))
    assert pd.isna(frame["processed_at"].iloc[0]) and math.isnan(frame["processing_days"].iloc[0])


def test_empty_export_gives_an_empty_typed_table(tmp_path):
    frame = ds.read_ds_export(_csv(tmp_path / "e.csv", rows=[]))
    assert frame.empty and list(frame.columns) == list(ds.DS_COLUMNS)
    assert ds.processing_times(frame).empty


# ----------------------------------------------------------------------------- reader: errors


def _error(path, lang="fr", **kw) -> DsExportError:
    with pytest.raises(DsExportError) as err:
        ds.read_ds_export(path, lang=lang, **kw)
    assert isinstance(err.value, InputError)
    return err.value


def _text(err: DsExportError) -> str:
    return "\n".join([err.message_in("fr"), *err.problems])


def test_missing_column_is_located_in_french(tmp_path):
    head = ["ID", "Email", "Nom", "État du dossier", "Déposé le", "Passé en instruction le", "Décision", "Commune"]
    err = _error(_csv(tmp_path / "m.csv", head=head))
    text = _text(err)
    assert "m.csv, ligne 1 : la colonne de la date de traitement manque" in text
    assert "« Traité le »" in text and "'Décision'" in text


def test_missing_column_in_english(tmp_path):
    err = _error(_csv(tmp_path / "m.csv", head=["ID", "Email"]), lang="en")
    text = "\n".join([err.message_in("en"), *err.problems])
    assert "3 problems" in text and "row 1: the dossier state column is missing" in text


@pytest.mark.parametrize(("row", "column", "value", "expected"), [
    (0, 4, "32/13/2021", "ligne 2, colonne « Déposé le » : trouvé '32/13/2021' ; une date est attendue"),
    (1, 5, "demain", "ligne 3, colonne « Passé en instruction le » : trouvé 'demain'"),
    (0, 6, "", "ligne 2, colonne « Traité le » : vide ; une date est attendue pour un dossier à l'état « Accepté »"),
    (1, 4, "", "ligne 3, colonne « Déposé le » : vide"),
    (0, 3, "Validé", "ligne 2, colonne « État du dossier » : trouvé 'Validé' ; un état parmi En construction"),
    (1, 0, "12a", "ligne 3, colonne « ID » : trouvé '12a' ; un numéro de dossier entier positif est attendu"),
    (1, 0, "0", "ligne 3, colonne « ID » : trouvé '0'"),
])
def test_bad_cells_are_located(tmp_path, row, column, value, expected):
    rows = [list(r) for r in ROWS]
    rows[row][column] = value
    err = _error(_csv(tmp_path / "bad.csv", rows=rows))
    assert expected in _text(err)
    assert _text(err).startswith("bad.csv") or str(tmp_path) in _text(err)


def test_processed_before_deposited(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][6] = "03/01/2021 09:00"
    err = _error(_csv(tmp_path / "b.csv", rows=rows))
    assert ("ligne 2, colonne « Traité le » : le 03/01/2021 09:00 précède le dépôt du 04/01/2021 09:00 "
            "(colonne « Déposé le »)") in _text(err)


def test_duplicate_id(tmp_path):
    rows = [ROWS[0], ROWS[1], ["101", "", "", "Refusé", "06/01/2021 09:00", "", "07/01/2021 09:00", ""]]
    err = _error(_csv(tmp_path / "d.csv", rows=rows))
    assert "ligne 4, colonne « ID » : le dossier 101 figure déjà en ligne 2" in _text(err)


def test_several_problems_are_all_listed(tmp_path):
    rows = [[r[0], r[1], r[2], "???", "x", *r[5:]] for r in ROWS]
    err = _error(_csv(tmp_path / "p.csv", rows=rows))
    assert err.message_in("fr").endswith("p.csv : 4 problèmes") and err.message_in("en").endswith("4 problems")
    assert len(err.problems) == 4


def test_xlsx_errors_name_the_sheet(tmp_path):
    rows = [[101, "a", "n", "Accepté", dt.datetime(2021, 1, 4, 9), None, "hier", "x"]]
    err = _error(_xlsx(tmp_path / "w.xlsx", rows=rows))
    assert "w.xlsx, feuille « Dossiers », ligne 2, colonne « Traité le » : trouvé 'hier'" in _text(err)


def test_unusable_files(tmp_path):
    assert "fichier introuvable" in _error(tmp_path / "absent.xlsx").message_in("fr")
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    assert "extension « .pdf » non prise en charge" in _error(tmp_path / "a.pdf").message_in("fr")
    (tmp_path / "fake.xlsx").write_text("ID;État du dossier\n1;Accepté\n", encoding="utf-8")
    assert "illisible comme fichier xlsx" in _error(tmp_path / "fake.xlsx").message_in("fr")
    (tmp_path / "fake.ods").write_bytes(b"PK\x03\x04 not really a zip")
    assert "illisible comme fichier ods" in _error(tmp_path / "fake.ods").message_in("fr")
    (tmp_path / "empty.csv").write_bytes(b"")
    assert "aucune ligne d'en-tête" in _error(tmp_path / "empty.csv").message_in("fr")


def test_duplicate_across_files(tmp_path):
    a = _csv(tmp_path / "a.csv", head=["Démarche", *HEAD], rows=[["M", *r] for r in ROWS])
    b = _xlsx(tmp_path / "b.xlsx", head=["Démarche", *HEAD], rows=[["m", *ROWS[1]]])
    with pytest.raises(DsExportError) as err:
        ds.read_ds_exports([a, b])
    assert ("b.xlsx, feuille « Dossiers », ligne 2 : le dossier 102 de la démarche « m » figure déjà dans "
            f"{a}, ligne 3") in err.value.message_in("fr")
    # the same ID in two démarches is two dossiers
    c = _csv(tmp_path / "c.csv", head=["Démarche", *HEAD], rows=[["N", *r] for r in ROWS])
    assert len(ds.read_ds_exports([a, c])) == 4


# ----------------------------------------------------------------------------- chart


def test_chart_relative_and_days(tiny):
    from incubo_analysis.outputs.source_plots import plot_processing_times

    times = ds.processing_times(tiny)
    refs = pd.DataFrame({"demarche": ["A", "B"], "reference_days": [20.0, 10.0]})
    ax = plot_processing_times(times, refs)
    gids = {line.get_gid() for line in ax.get_lines()}
    assert {"processing|A", "processing|B", "processing|reference", "processing|target"} <= gids
    line_a = next(line for line in ax.get_lines() if line.get_gid() == "processing|A")
    assert np.allclose(line_a.get_ydata(), [6 / 20, 15 / 20])  # medians 6 and 15 days over a 20-day reference
    target = next(line for line in ax.get_lines() if line.get_gid() == "processing|target")
    assert np.allclose(target.get_ydata(), [0.5, 0.5])
    assert "cible : 50" in ax.get_title(loc="left")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2021-T1", "2021-T2"]
    en = plot_processing_times(times, refs, lang="en", relative=False)
    title = en.get_title(loc="left")
    assert title.startswith("Median processing time") and "délai" not in title.lower()
    gids = {line.get_gid() for line in en.get_lines()}
    assert {"processing|reference|A", "processing|target|B"} <= gids
    line_b = next(line for line in en.get_lines() if line.get_gid() == "processing|target|B")
    assert np.allclose(line_b.get_ydata(), [5.0, 5.0])
    assert "D" not in {line.get_gid().split("|")[-1] for line in en.get_lines() if line.get_gid()}  # no reference
    import matplotlib.pyplot as plt

    plt.close("all")


def test_chart_refuses_a_frame_without_its_columns():
    from incubo_analysis.outputs.source_plots import plot_processing_times

    with pytest.raises(SchemaError, match="median_days"):
        plot_processing_times(pd.DataFrame({"demarche": [], "period": []}), REFERENCES)

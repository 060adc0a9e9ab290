"""Chorus extracts: the reader, its mapping, the cross-check with the workbook, the example extract.

Expected values are computed by hand from the small extracts written here (arithmetic in the
comments), never pasted from the code's output.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from incubo_analysis.errors import InputError, ParameterError
from incubo_analysis.model.params import load_scenario
from incubo_analysis.monitoring.chorus import (
    CHORUS_COLUMNS,
    CROSSCHECK_COLUMNS,
    ChorusError,
    credits_crosscheck,
    load_chorus_mapping,
    read_chorus_extract,
)
from incubo_analysis.monitoring.reader import read_actuals
from incubo_analysis.paths import CHORUS_MAPPING, EXAMPLE_ACTUALS, EXAMPLE_CHORUS, scenario_files
from tools.example_chorus import DELIBERATE, render_example_chorus

HEADER = ("Centre financier;Domaine fonctionnel;Activité;Type de montant;Type de montant;Nature de crédit;"
          "Date comptable;N° pièce;Montant (EUR)")

# Four title/perimeter lines, the header on line 5, nine data lines, a blank line, a total line.
TINY = "\n".join([
    "Restitution INFOCENTRE : extraction de test;;;;;;;;",
    "Dernière MàJ des données :;;;;;;;;",
    "03.02.2022 05:32:09;;;;;;;;",
    ";Exercice comptable;2021;;;;;;",
    HEADER,
    "0349-CDBU-DR31;0349-01;BG00/034901011101;100;Original;AE;05.01.2021;EJ1;10 000,00",      # line 6
    "0349-CDBU-DR31;0349-01;034901011101;0150;Modification;AE;10.02.2021;EJ1;\u20131 500,50",  # line 7
    "0349-CDBU-DR31;0349-01;034901011101;100;Original;CP;15.03.2021;DP1;2\u00a0345,67",        # line 8
    "0349-CDBU-DR31;0349-01;034901011101;200;Réduction;AE;15.03.2021;EJ1;-2345,67",           # line 9
    "0349-CDBU-DR31;0349-01;034901011101;100;Original;CP;02.04.2021;#;1000,00",               # line 10
    "0349-CDBU-DR31;0349-01;034901011101;100;Original;CP;09.04.2021;#;1000,00-",              # line 11
    "0349-CDBU-DR31;0349-01;034901011101;350;Report exercice suivant;AE;01.01.2022;EJ1;8 500,00",
    "0349-CDBU-DR31;0349-01;034901011102;100;Original;AE;06.01.2021;EJ9;99 999,00",
    "0354-DR31-DR31;#;035401020101;#;#;CP;#;#;12,00",
    ";;;;;;;;",
    "Résultat global;;;;;;;;20 000,00",
]) + "\n"


def _write(tmp_path: Path, text: str, name: str = "extract.csv", encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def _mapping(tmp_path: Path, change) -> Path:  # noqa: ANN001 - change: a function editing the raw yaml dict
    raw = yaml.safe_load(CHORUS_MAPPING.read_text(encoding="utf-8"))
    change(raw)
    p = tmp_path / "mapping.yaml"
    p.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return p


def _problems(exc: pytest.ExceptionInfo) -> str:
    return "\n".join([exc.value.message_in("fr"), *exc.value.problems])


# ---------------------------------------------------------------------------- the reader


def test_tiny_extract_hand_computed_sums(tmp_path):
    ch = read_chorus_extract(_write(tmp_path, TINY))
    assert list(ch.columns) == list(CHORUS_COLUMNS)
    # kept: lines 6, 7 (AE 100 and 150), 8, 10, 11 (CP 100); not line 9 (200: reduction by a payment),
    # nor the 350 carry-over, nor the two other activities, nor the blank and total lines.
    assert ch["line"].tolist() == [6, 7, 8, 10, 11]
    assert ch.attrs["chorus_lines"] == {"read": 9, "activity": 7, "kept": 5}
    sums = ch.groupby(["year", "quarter", "credit"])["amount_keur"].sum()
    assert sums[(2021, 1, "AE")] == pytest.approx(8.4995)    # 10 000,00 − 1 500,50 = 8 499,50 €
    assert sums[(2021, 1, "CP")] == pytest.approx(2.34567)   # 2 345,67 €
    assert sums[(2021, 2, "CP")] == pytest.approx(0.0)       # 1 000,00 paid then cancelled (1000,00-)
    assert len(sums) == 3
    first = ch.iloc[0]
    assert first["activity"] == "034901011101"  # "BG00/" stripped
    assert first["financial_centre"] == "0349-CDBU-DR31" and first["functional_domain"] == "0349-01"
    assert first["amount_type"] == "100" and ch.iloc[1]["amount_type"] == "150"  # "0150" read as 150
    assert first["posting_date"] == pd.Timestamp("2021-01-05")
    assert ch.loc[ch["line"] == 10, "document"].item() == ""  # "#": not assigned
    assert ch["year"].dtype == "int64" and ch["amount_keur"].dtype == "float64"


def test_cp1252_and_crlf_are_read(tmp_path):
    ch = read_chorus_extract(_write(tmp_path, TINY.replace("\n", "\r\n"), encoding="cp1252"))
    assert len(ch) == 5 and ch["line"].tolist() == [6, 7, 8, 10, 11]


def test_carry_over_can_be_counted_by_changing_the_yaml(tmp_path):
    def count_carry_over(raw):
        raw["amount_types"]["rules"][350]["counts_for"] = ["AE"]

    ch = read_chorus_extract(_write(tmp_path, TINY), mapping=_mapping(tmp_path, count_carry_over))
    # the 350 line (01.01.2022, 8 500,00 €) now counts: 2022 T1 AE = 8.5 k€
    assert ch.loc[(ch["year"] == 2022) & (ch["credit"] == "AE"), "amount_keur"].sum() == pytest.approx(8.5)


ALT = "\n".join([
    "Extraction AE CP;;;;",
    "Référentiel de programmation;Date de comptabilisation;Montant engagé;Montant payé;CF",
    "034901011101;2020-07-01;1,250.00;;0349-CDBU-DR31",
    "034901011101;2020-08-15;;300.10;0349-CDBU-DR31",
    "034901011101;2020-10-01;-250.00;125.00;0349-CDBU-DR31",
    "034901011199;2020-10-01;5000.00;5000.00;X",
]) + "\n"


def _two_amount_columns(raw):
    raw["file"]["header_line"] = 2
    raw["values"].update({"date_format": "%Y-%m-%d", "decimal": ".", "thousands": [","]})
    raw["columns"] = {"activity": ["Référentiel de programmation"], "posting_date": ["Date de comptabilisation"],
                      "financial_centre": ["CF"]}
    raw["credit"] = {"from": "amount_columns", "amount_columns": {"AE": ["Montant engagé"], "CP": ["Montant payé"]}}


def test_other_layout_two_amount_columns_by_changing_only_the_yaml(tmp_path):
    ch = read_chorus_extract(_write(tmp_path, ALT, encoding="cp1252"),
                             mapping=_mapping(tmp_path, _two_amount_columns))
    got = {(r.year, r.quarter, r.credit): r.amount_keur for r in ch.itertuples()}
    # 1,250.00 € AE in Q3; 300.10 € CP in Q3; −250.00 € AE and 125.00 € CP in Q4; the 4th line is another activity
    assert got == pytest.approx({(2020, 3, "AE"): 1.25, (2020, 3, "CP"): 0.3001,
                                 (2020, 4, "AE"): -0.25, (2020, 4, "CP"): 0.125})
    assert set(ch["amount_type"]) == {""} and set(ch["document"]) == {""}  # not in this layout


def test_fixed_credit_layout(tmp_path):
    text = "Activité;Date comptable;Montant\n034901011101;01.02.2019;1 000,00\n"

    def fixed_cp(raw):
        raw["columns"] = {"activity": ["Activité"], "posting_date": ["Date comptable"], "amount": ["Montant"]}
        raw["credit"] = {"from": "fixed", "fixed": "CP"}

    ch = read_chorus_extract(_write(tmp_path, text), mapping=_mapping(tmp_path, fixed_cp))
    assert ch[["year", "quarter", "credit", "amount_keur"]].values.tolist() == [[2019, 1, "CP", 1.0]]


def test_xlsx_extract_with_typed_cells(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Restitution INFOCENTRE"])
    ws.append(["Affichage :"])
    ws.append(HEADER.split(";"))
    codes = ["0349-CDBU-DR31", "0349-01", "034901011101"]
    ws.append([*codes, 100, "Original", "AE", dt.datetime(2019, 11, 4), "EJ", 4200.5])
    ws.append([*codes, "100", "Original", "CP", "04.12.2019", "DP", "-200,5"])
    path = tmp_path / "extract.xlsx"
    wb.save(path)
    ch = read_chorus_extract(path)
    # 4 200,50 € AE and −200,50 € CP, both in 2019 T4; rows 4 and 5 of the sheet
    assert ch[["quarter", "credit", "amount_keur", "line"]].values.tolist() == [[4, "AE", 4.2005, 4],
                                                                               [4, "CP", -0.2005, 5]]


# ---------------------------------------------------------------------------- error paths


def test_bad_date_and_bad_amount_are_located_in_french(tmp_path):
    text = TINY.replace("05.01.2021", "32.01.2021").replace("2\u00a0345,67", "2 345,6x")
    path = _write(tmp_path, text)
    with pytest.raises(ChorusError) as exc:
        read_chorus_extract(path)
    assert isinstance(exc.value, InputError)
    assert exc.value.message_in("fr") == f"{path} : 2 problème(s) dans l'extraction Chorus."
    assert any("ligne 6" in p and "« Date comptable »" in p and "32.01.2021" in p and "31.12.2021" in p
               for p in exc.value.problems)
    assert any("ligne 8" in p and "« Montant (EUR) »" in p and "2 345,6x" in p for p in exc.value.problems)


def test_messages_in_english(tmp_path):
    with pytest.raises(ChorusError) as exc:
        read_chorus_extract(_write(tmp_path, TINY.replace(";AE;05.01.2021", ";XX;05.01.2021")), lang="en")
    assert "problem(s) in the Chorus extract" in exc.value.message_in("en")
    assert exc.value.problems == (
        f"{tmp_path / 'extract.csv'}, line 6, column \"Nature de crédit\": found \"XX\", expected the credit AE "
        "or CP (AE, Autorisations d'engagement, Montant engagé, CP, Crédits de paiement, Montant payé).",
    )


def test_unknown_amount_type_refused_or_ignored_by_the_yaml(tmp_path):
    path = _write(tmp_path, TINY.replace(";100;Original;CP;15.03.2021", ";999;Inconnu;CP;15.03.2021"))
    with pytest.raises(ChorusError) as exc:
        read_chorus_extract(path)
    assert "ligne 8" in _problems(exc) and "« Type de montant »" in _problems(exc) and "999" in _problems(exc)

    def ignore(raw):
        raw["amount_types"]["unknown"] = "ignore"

    ch = read_chorus_extract(path, mapping=_mapping(tmp_path, ignore))
    assert ch["line"].tolist() == [6, 7, 10, 11]  # line 8 skipped


def test_missing_column_is_named(tmp_path):
    text = TINY.replace("Date comptable", "Date")
    with pytest.raises(ChorusError) as exc:
        read_chorus_extract(_write(tmp_path, text))
    assert "ligne d'en-tête du tableau introuvable" in exc.value.message_in("fr")
    assert "« Date comptable »" in exc.value.message_in("fr")

    def fixed_header(raw):
        raw["file"]["header_line"] = 5

    with pytest.raises(ChorusError) as exc:
        read_chorus_extract(_write(tmp_path, text), mapping=_mapping(tmp_path, fixed_header))
    assert exc.value.message_in("fr") == (
        f"{tmp_path / 'extract.csv'}, ligne 5 (en-tête) : colonne « Date comptable » absente "
        "(noms acceptés : « Date comptable », « Date de comptabilisation »)."
    )


def test_bad_lines_on_other_activities_are_not_errors(tmp_path):
    # the last line of TINY (another programme) has "#" as its date: counted as read, never parsed
    assert len(read_chorus_extract(_write(tmp_path, TINY))) == 5


def test_missing_file(tmp_path):
    with pytest.raises(ChorusError) as exc:
        read_chorus_extract(tmp_path / "nope.csv")
    assert exc.value.message_in("fr").endswith("nope.csv : fichier introuvable.")


@pytest.mark.parametrize(("change", "fragment"), [
    (lambda raw: raw["columns"].update({"montant": ["X"]}), "clé inconnue « columns.montant »"),
    (lambda raw: raw.update({"extra": 1}), "clé inconnue « extra »"),
    (lambda raw: raw["credit"].update({"from": "both"}), "clé « credit.from » : lu « both »"),
    (lambda raw: raw["file"].update({"header_line": 0}), "clé « file.header_line » : lu « 0 »"),
    (lambda raw: raw["values"].update({"thousands": [","]}), "clé « values.thousands »"),
    (lambda raw: raw["amount_types"]["rules"][100].update({"counts_for": ["XX"]}),
     "clé « amount_types.rules.100.counts_for »"),
    (lambda raw: raw.pop("activity_filter"), "clé « activity_filter » manquante"),
    (lambda raw: raw["columns"].pop("activity"), "clé « columns.activity » manquante"),
])
def test_mapping_errors_name_the_key(tmp_path, change, fragment):
    with pytest.raises(ParameterError) as exc:
        load_chorus_mapping(_mapping(tmp_path, change))
    assert fragment in exc.value.message_in("fr")
    assert "mapping.yaml" in exc.value.message_in("fr")


def test_mapping_is_not_a_scenario():
    assert CHORUS_MAPPING.name not in {p.name for p in scenario_files()}
    assert "baseline.yaml" in {p.name for p in scenario_files()}
    with pytest.raises(ParameterError) as exc:  # passed as a scenario by mistake: the unknown key is named
        load_scenario(CHORUS_MAPPING)
    assert "chorus_mapping.yaml" in str(exc.value) and "'file'" in str(exc.value)


# ---------------------------------------------------------------------------- the cross-check


def _credits(rows):
    return pd.DataFrame(rows, columns=["axis", "title", "source", "year", "quarter", "ae_keur", "cp_keur"])


def test_crosscheck_on_hand_made_frames():
    workbook = _credits([
        (1, "T3", "FTAP", 2019, 1, 10.0, 2.0),
        (2, "T3", "FTAP", 2019, 1, 5.5, 1.0),         # summed over axes: AE 15.5, CP 3.0
        (2, "T3", "cofinancing", 2019, 1, 100.0, 100.0),  # not FTAP: ignored
        (3, "T6", "FTAP", 2019, 2, 4.0, 0.0),          # 2019 T2: AE 4.0, CP 0.0
    ])
    chorus = pd.DataFrame({
        "year": [2019, 2019, 2019, 2019, 2019],
        "quarter": [1, 1, 1, 2, 3],
        "credit": ["AE", "AE", "CP", "AE", "CP"],
        "amount_keur": [15.0, 0.5, 4.25, 2.9, 0.7],
    })
    out = credits_crosscheck(workbook, chorus)
    assert list(out.columns) == list(CROSSCHECK_COLUMNS)
    rows = {(r.year, r.quarter, r.credit): (r.workbook_keur, r.chorus_keur, r.difference_keur, r.flagged)
            for r in out.itertuples()}
    nan = float("nan")
    expected = {
        (2019, 1, "AE"): (15.5, 15.5, 0.0, False),    # 15.0 + 0.5 = 15.5
        (2019, 1, "CP"): (3.0, 4.25, 1.25, True),     # 4.25 − 3.0 = 1.25 > 1
        (2019, 2, "AE"): (4.0, 2.9, -1.1, True),      # 2.9 − 4.0 = −1.1, |−1.1| > 1
        (2019, 2, "CP"): (0.0, nan, 0.0, False),      # workbook only (0), nothing in Chorus
        (2019, 3, "CP"): (nan, 0.7, 0.7, False),      # Chorus only
    }
    assert rows.keys() == expected.keys()
    for key, (wb, ch, diff, flag) in expected.items():
        got = rows[key]
        assert got[0] == pytest.approx(wb, nan_ok=True) and got[1] == pytest.approx(ch, nan_ok=True), key
        assert got[2] == pytest.approx(diff) and got[3] is flag, key
    # the threshold is a parameter: at 1.2 k€ only the 1.25 k€ difference remains flagged
    assert credits_crosscheck(workbook, chorus, threshold_keur=1.2)["flagged"].sum() == 1
    with pytest.raises(ParameterError):
        credits_crosscheck(workbook, chorus, threshold_keur=-1)


def test_crosscheck_difference_equal_to_threshold_is_not_flagged():
    workbook = _credits([(1, "T3", "FTAP", 2020, 1, 2.0, 0.0)])
    chorus = pd.DataFrame({"year": [2020], "quarter": [1], "credit": ["AE"], "amount_keur": [3.0]})
    out = credits_crosscheck(workbook, chorus)  # 3.0 − 2.0 = 1.0, not strictly above 1.0
    assert not out["flagged"].any()


# ---------------------------------------------------------------------------- the example extract


def test_example_extract_flags_exactly_the_two_deliberate_differences():
    out = credits_crosscheck(read_actuals(EXAMPLE_ACTUALS), read_chorus_extract(EXAMPLE_CHORUS))
    flagged = out.loc[out["flagged"]]
    assert {(r.year, r.quarter, r.credit): r.difference_keur for r in flagged.itertuples()} == pytest.approx(
        {(2020, 3, "CP"): 2.48, (2021, 2, "AE"): -1.75})  # 2 480,00 € paid, 1 750,00 € de-committed
    assert set(DELIBERATE) == {(2020, 3, "CP"), (2021, 2, "AE")}
    others = out.loc[~out["flagged"]]
    assert (others["difference_keur"] == 0.0).all()  # every other quarter reproduced exactly
    assert len(out) == 3 * 4 * 2  # 2019–2021, four quarters, AE and CP: no quarter on one side only
    # 2020 T3 CP of the workbook: FTAP rows 24.0 + 19.0 + 10.5 + 14.8 (axes 1-4, T3) + 0.0 (T6) = 68.3
    row = out.set_index(["year", "quarter", "credit"]).loc[(2020, 3, "CP")]
    assert row["workbook_keur"] == pytest.approx(68.3) and row["chorus_keur"] == pytest.approx(70.78)


def test_example_extract_regenerates_byte_identical():
    assert render_example_chorus() == EXAMPLE_CHORUS.read_bytes()


def test_example_extract_holds_lines_that_must_not_count():
    text = EXAMPLE_CHORUS.read_bytes().decode("cp1252")
    assert text.startswith("Restitution INFOCENTRE") and "\r\n" in text
    rows = [line.split(";") for line in text.splitlines()[8:]]
    assert {r[4] for r in rows} == {"100", "150", "200", "350"}
    assert any(r[3] != "034901011101" for r in rows)
    assert any(r[9].startswith("-") for r in rows) and any("#" in r for r in rows)

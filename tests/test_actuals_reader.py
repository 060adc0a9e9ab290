"""The strict reader of the actuals workbook: what it accepts, and every refusal (one test each).

Workbooks are built inside the tests with openpyxl; the files in tests/fixtures/ are the
ones a real spreadsheet program wrote (LibreOffice 7.4), see tests/fixtures/README.md.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from incubo_analysis.errors import ActualsError, InputError
from incubo_analysis.monitoring.reader import Actuals, read_actuals
from tests.helpers import build_workbook as build

FIXTURES = Path(__file__).parent / "fixtures"

SAV = ["lever", "year", "etp_freed", "unit_cost_keur", "explanation"]
CRE = ["axis", "title", "source", "year", "quarter", "ae_keur", "cp_keur"]
IND = ["indicator", "year", "value", "comment"]


def sheets(**override):
    """A small valid workbook's content; override a sheet with a list of rows (header first)."""
    content = {
        "savings": [SAV,
                    ["dematerialisation", 2019, 2.0, 58, "retard de la vague"],
                    ["user_support", 2019, 0.375, None, None]],
        "credits": [CRE,
                    [1, "T3", "FTAP", 2019, 1, 40.0, 10.0],
                    [1, "T3", "FTAP", 2019, 2, 20.5, 30.0]],
        "indicators": [IND,
                       ["axis2_projects_incubated", 2019, 3, "ok"],
                       ["axis1_user_satisfaction", 2021, 0.78, None]],
    }
    content.update(override)
    return content




def problems_of(path: Path, **kw) -> list[str]:
    """The problems found, in English by default (these workbooks are English; the French
    messages are tested in the section "Messages in French")."""
    kw.setdefault("lang", "en")
    with pytest.raises(ActualsError) as info:
        read_actuals(path, **kw)
    assert isinstance(info.value, InputError)
    return list(info.value.problems) or [info.value.message]


def only_problem(path: Path) -> str:
    found = problems_of(path)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- #
# What it accepts
# --------------------------------------------------------------------------- #
def test_reads_a_valid_workbook(tmp_path):
    a = read_actuals(build(tmp_path / "a.xlsx", sheets()))
    assert isinstance(a, Actuals)
    assert list(a.savings.columns) == [*SAV, "nature", "programme", "justificatif"]  # ledger columns, "" here
    assert set(a.savings["nature"]) == {""} and set(a.savings["justificatif"]) == {""}
    assert list(a.credits.columns) == CRE
    assert list(a.indicators.columns) == IND
    s = a.savings.set_index("lever")
    assert s.loc["dematerialisation", "etp_freed"] == 2.0
    assert s.loc["dematerialisation", "unit_cost_keur"] == 58.0
    assert s.loc["dematerialisation", "explanation"] == "retard de la vague"
    assert math.isnan(s.loc["user_support", "unit_cost_keur"])  # blank = the plan's
    assert s.loc["user_support", "explanation"] == ""
    assert a.savings["year"].dtype == "int64" and a.credits["axis"].dtype == "int64"
    assert a.credits["ae_keur"].tolist() == [40.0, 20.5]
    assert a.indicators.set_index("indicator").loc["axis1_user_satisfaction", "value"] == 0.78
    assert a.path == tmp_path / "a.xlsx" and len(a.sha256) == 64
    assert a.years == (2019, 2021)


def test_headers_and_sheet_names_are_case_and_space_insensitive(tmp_path):
    content = sheets()
    content = {
        "Savings ": [["  LEVER", "Year", "ETP Freed", "Unit Cost KEUR ", "Explanation"], *content["savings"][1:]],
        "CREDITS": [["Axis", "TITLE", "source", "year", "Quarter", "AE-keur", "cp keur"], *content["credits"][1:]],
        "indicators": [["Indicator", "YEAR", "Value", "Comment"], *content["indicators"][1:]],
    }
    a = read_actuals(build(tmp_path / "h.xlsx", content))
    assert len(a.savings) == 2 and len(a.credits) == 2 and len(a.indicators) == 2


def test_codes_are_matched_case_insensitively(tmp_path):
    content = sheets(
        savings=[SAV, [" Dematerialisation ", 2019, 2.0, None, None]],
        credits=[CRE, [1, "t3", "ftap", 2019, 1, 1.0, 1.0], [2, "T2", "Cofinancing", 2019, 1, 1.0, 1.0]],
    )
    a = read_actuals(build(tmp_path / "c.xlsx", content))
    assert a.savings["lever"].tolist() == ["dematerialisation"]
    assert sorted(zip(a.credits["title"], a.credits["source"], strict=True)) == [("T2", "cofinancing"), ("T3", "FTAP")]


def test_blank_rows_are_skipped(tmp_path):
    content = sheets(savings=[
        SAV,
        [None] * 5,
        ["dematerialisation", 2019, 2.0, None, None],
        [None, None, "  ", None, None],  # whitespace only: blank
        [None] * 5,
        ["dematerialisation", 2020, 5.0, None, None],
    ])
    a = read_actuals(build(tmp_path / "b.xlsx", content))
    assert a.savings["year"].tolist() == [2019, 2020]


def test_rows_with_keys_but_no_values_mean_nothing_reported(tmp_path):
    # The template pre-fills the key columns: such rows are skipped.
    content = sheets(
        savings=[SAV, ["dematerialisation", 2019, 2.0, None, None], ["dematerialisation", 2020, None, None, None]],
        credits=[CRE, [1, "T3", "FTAP", 2019, 1, 5.0, None], [1, "T3", "FTAP", 2019, 2, None, None]],
        indicators=[IND, ["axis2_projects_incubated", 2019, None, None]],
    )
    a = read_actuals(build(tmp_path / "k.xlsx", content))
    assert a.savings["year"].tolist() == [2019]
    assert a.credits["quarter"].tolist() == [1]
    assert a.credits["cp_keur"].tolist() == [0.0]  # blank CP beside a filled AE = 0
    assert a.indicators.empty


def test_extra_columns_and_sheets_are_ignored(tmp_path):
    content = sheets(savings=[
        ["note", *SAV, "planned_etp", "=formula col"],
        ["x", "dematerialisation", 2019, 2.0, None, None, 2.5, "anything"],
    ])
    content["notes"] = [["free", "text"], ["1", "=A1"]]
    a = read_actuals(build(tmp_path / "e.xlsx", content))
    assert a.savings["etp_freed"].tolist() == [2.0]


def test_integral_floats_are_accepted_for_years_axes_quarters(tmp_path):
    content = sheets(credits=[CRE, [1.0, "T3", "FTAP", 2019.0, 2.0, 1.0, 1.0]])
    a = read_actuals(build(tmp_path / "f.xlsx", content))
    assert a.credits.loc[0, ["axis", "year", "quarter"]].tolist() == [1, 2019, 2]


def test_year_limit_follows_the_scenario_horizon(tmp_path):
    from incubo_analysis.model.params import baseline

    path = build(tmp_path / "y.xlsx", sheets(savings=[SAV, ["dematerialisation", 2024, 20.0, None, None]]))
    assert "2024" in only_problem(path)
    later = baseline().model_copy(update={"horizon_end": 2026})
    assert read_actuals(path, scenario=later).savings["year"].tolist() == [2024]


def test_text_fields_keep_numbers_typed_as_explanations(tmp_path):
    content = sheets(indicators=[IND, ["axis2_projects_incubated", 2019, 3, 42]])
    a = read_actuals(build(tmp_path / "t.xlsx", content))
    assert a.indicators["comment"].tolist() == ["42"]


def test_cached_formula_values_are_read(tmp_path):
    """A workbook whose formulas carry cached values (as Excel writes them) is read through them."""
    path = build(tmp_path / "f.xlsx", sheets(savings=[SAV, ["dematerialisation", 2019, "=2.5*0.8", "=57+1", None]]))
    raw = path.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<f>2.5*0.8</f><v />", b"<f>2.5*0.8</f><v>2</v>")
                data = data.replace(b"<f>57+1</f><v />", b"<f>57+1</f><v>58</v>")
            zout.writestr(info, data)
    path.write_bytes(out.getvalue())
    a = read_actuals(path)
    assert a.savings.loc[0, ["etp_freed", "unit_cost_keur"]].tolist() == [2.0, 58.0]


def test_libreoffice_formula_workbook_is_read_through_cached_values():
    # tests/fixtures/formulas_libreoffice.xlsx: formulas written by openpyxl (no cached values),
    # then opened and saved by LibreOffice 7.4 headless, which computed and cached them.
    a = read_actuals(FIXTURES / "formulas_libreoffice.xlsx")
    s = a.savings.set_index("lever")
    assert s.loc["dematerialisation", "etp_freed"] == 2.5 * 0.8
    assert s.loc["dematerialisation", "unit_cost_keur"] == 57 + 1
    assert s.loc["user_support", "year"] == 2018 + 1
    assert s.loc["user_support", "etp_freed"] == 3 * 0.125
    assert a.credits.loc[0, ["ae_keur", "cp_keur"]].tolist() == [10 + 2.5, 1 + 2]
    assert a.indicators.loc[0, "value"] == 1 + 2


def test_reading_is_pure_and_sorted(tmp_path):
    content = sheets(savings=[SAV, ["user_support", 2020, 1.0, None, None],
                              ["dematerialisation", 2020, 1.0, None, None],
                              ["dematerialisation", 2019, 1.0, None, None]])
    path = build(tmp_path / "s.xlsx", content)
    before = path.read_bytes()
    a = read_actuals(path)
    assert path.read_bytes() == before
    assert list(zip(a.savings["lever"], a.savings["year"], strict=True)) == [
        ("dematerialisation", 2019), ("dematerialisation", 2020), ("user_support", 2020)]


# --------------------------------------------------------------------------- #
# Refusals: content (each message names sheet and cell, the value and what was expected)
# --------------------------------------------------------------------------- #
def test_refuses_missing_sheet(tmp_path):
    content = sheets()
    del content["credits"]
    msg = only_problem(build(tmp_path / "m.xlsx", content))
    assert "sheet 'Credits' is missing" in msg and "Axis, Title, Source" in msg


def test_refuses_missing_column(tmp_path):
    content = sheets(savings=[["lever", "year", "etp", "unit_cost_keur", "explanation"],
                              ["dematerialisation", 2019, 2.0, None, None]])
    msg = only_problem(build(tmp_path / "c.xlsx", content))
    assert msg.startswith("savings!1: required column 'FTE freed' is missing")
    assert "'etp'" in msg  # what was found


def test_refuses_duplicated_column(tmp_path):
    content = sheets(savings=[[*SAV, "ETP freed"], ["dematerialisation", 2019, 2.0, None, None, 3.0]])
    msg = only_problem(build(tmp_path / "d.xlsx", content))
    assert msg.startswith("savings!F1: column 'FTE freed' appears twice (already at C1)")


def test_refuses_text_where_a_number_is_expected(tmp_path):
    content = sheets(savings=[SAV, ["dematerialisation", 2019, "deux", None, None]])
    msg = only_problem(build(tmp_path / "t.xlsx", content))
    assert msg == "savings!C2 (FTE freed): found text 'deux'; expected a number: a number of FTE >= 0"


def test_refuses_a_number_stored_as_text_with_a_hint(tmp_path):
    content = sheets(credits=[CRE, [1, "T3", "FTAP", 2019, 1, "12,5", 1.0]])
    msg = only_problem(build(tmp_path / "t.xlsx", content))
    assert msg.startswith("credits!F2 (AE consumed (k€)): found text '12,5' (a number stored as text")


def test_refuses_negative_fte(tmp_path):
    content = sheets(savings=[SAV, ["dematerialisation", 2019, -1.5, None, None]])
    msg = only_problem(build(tmp_path / "n.xlsx", content))
    assert msg == "savings!C2 (FTE freed): found -1.5; expected a number of FTE >= 0"


def test_refuses_negative_amounts(tmp_path):
    content = sheets(credits=[CRE, [1, "T3", "FTAP", 2019, 1, 10.0, -3]])
    msg = only_problem(build(tmp_path / "n.xlsx", content))
    assert msg == "credits!G2 (CP consumed (k€)): found -3; expected an amount in k€ >= 0"


def test_refuses_zero_or_negative_unit_cost(tmp_path):
    content = sheets(savings=[SAV, ["dematerialisation", 2019, 1.0, 0, None]])
    msg = only_problem(build(tmp_path / "u.xlsx", content))
    assert msg.startswith("savings!D2 (Unit cost (k€/FTE)): found 0; expected a unit cost")


def test_refuses_unknown_lever(tmp_path):
    content = sheets(savings=[SAV, ["teleworking", 2019, 1.0, None, None]])
    msg = only_problem(build(tmp_path / "l.xlsx", content))
    assert msg.startswith("savings!A2 (Lever): found an unknown value 'teleworking'; "
                          "expected one of 'Dematerialisation of procedures', ")


def test_refuses_unknown_axis(tmp_path):
    content = sheets(credits=[CRE, [5, "T3", "FTAP", 2019, 1, 1.0, 1.0]])
    msg = only_problem(build(tmp_path / "a.xlsx", content))
    assert msg == "credits!A2 (Axis): found 5; expected an axis from 1 to 4"


def test_refuses_unknown_title(tmp_path):
    content = sheets(credits=[CRE, [1, "T5", "FTAP", 2019, 1, 1.0, 1.0]])
    msg = only_problem(build(tmp_path / "t.xlsx", content))
    assert msg == ("credits!B2 (Title): found an unknown value 'T5'; "
                   "expected one of 'T2 – staff', 'T3 – operating', 'T6 – grants'")


def test_refuses_unknown_source(tmp_path):
    content = sheets(credits=[CRE, [1, "T3", "FEDER", 2019, 1, 1.0, 1.0]])
    msg = only_problem(build(tmp_path / "s.xlsx", content))
    assert msg == "credits!C2 (Source): found an unknown value 'FEDER'; expected one of 'FTAP', 'Co-financing'"


def test_refuses_unknown_indicator(tmp_path):
    content = sheets(indicators=[IND, ["axis9_happiness", 2019, 1, None]])
    msg = only_problem(build(tmp_path / "i.xlsx", content))
    assert msg.startswith("indicators!A2 (Indicator): found an unknown value 'axis9_happiness'; "
                          "expected one of 'Axis 1 – Procedures prototyped', ")


def test_refuses_a_year_outside_the_contract(tmp_path):
    content = sheets(savings=[SAV, ["dematerialisation", 2023, 1.0, None, None],
                              ["user_support", 2017, 1.0, None, None]])
    found = problems_of(build(tmp_path / "y.xlsx", content))
    assert found == ["savings!B2 (Year): found 2023; expected a contract year from 2018 to 2022",
                     "savings!B3 (Year): found 2017; expected a contract year from 2018 to 2022"]


def test_refuses_a_fractional_year(tmp_path):
    content = sheets(savings=[SAV, ["dematerialisation", 2019.5, 1.0, None, None]])
    msg = only_problem(build(tmp_path / "y.xlsx", content))
    assert msg == "savings!B2 (Year): found 2019.5; expected a whole number: a contract year from 2018 to 2022"


def test_refuses_a_quarter_outside_1_to_4(tmp_path):
    content = sheets(credits=[CRE, [1, "T3", "FTAP", 2019, 5, 1.0, 1.0], [1, "T3", "FTAP", 2019, 0, 1.0, 1.0]])
    found = problems_of(build(tmp_path / "q.xlsx", content))
    assert found == ["credits!E2 (Quarter): found 5; expected a quarter from 1 to 4",
                     "credits!E3 (Quarter): found 0; expected a quarter from 1 to 4"]


def test_refuses_duplicate_savings_keys(tmp_path):
    content = sheets(savings=[SAV, ["dematerialisation", 2019, 1.0, None, None],
                              ["user_support", 2019, 1.0, None, None],
                              ["Dematerialisation", 2019.0, 2.0, None, None]])
    msg = only_problem(build(tmp_path / "d.xlsx", content))
    assert msg.startswith("savings!4: duplicate key (Lever = Dematerialisation of procedures, Year = 2019) "
                          "already on row 2")


def test_refuses_duplicate_credit_keys(tmp_path):
    content = sheets(credits=[CRE, [1, "T3", "FTAP", 2019, 1, 1.0, 1.0], [1, "T3", "FTAP", 2019, 1, 2.0, 2.0]])
    msg = only_problem(build(tmp_path / "d.xlsx", content))
    assert msg.startswith("credits!3: duplicate key (Axis = Axis 1 – Simplification (dematerialisation), "
                          "Title = T3 – operating, Source = FTAP, Year = 2019, Quarter = 1) already on row 2")


def test_refuses_duplicate_indicator_keys(tmp_path):
    content = sheets(indicators=[IND, ["axis2_projects_incubated", 2019, 3, None],
                                 ["axis2_projects_incubated", 2019, 4, None]])
    msg = only_problem(build(tmp_path / "d.xlsx", content))
    assert msg.startswith("indicators!3: duplicate key (Indicator = Axis 2 – Projects incubated, Year = 2019) "
                          "already on row 2")


def test_refuses_a_formula_with_no_cached_value(tmp_path):
    # openpyxl writes formulas without computing them: exactly the case to refuse (never read as 0).
    content = sheets(savings=[SAV, ["dematerialisation", 2019, "=2.5*0.8", None, None]])
    msg = only_problem(build(tmp_path / "f.xlsx", content))
    assert msg.startswith("savings!C2 (FTE freed): a formula (=2.5*0.8) with no cached value; "
                          "expected a computed value")


def test_refuses_a_cached_spreadsheet_error(tmp_path):
    path = build(tmp_path / "e.xlsx", sheets(savings=[SAV, ["dematerialisation", 2019, "=1/0", None, None]]))
    raw = path.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<c r="C2"><f>1/0</f><v />',
                              b'<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v>', data)
            zout.writestr(info, data)
    path.write_bytes(out.getvalue())
    msg = only_problem(path)
    assert msg.startswith("savings!C2 (FTE freed): found the spreadsheet error #DIV/0!")


def test_refuses_booleans_and_dates_as_numbers(tmp_path):
    import datetime as dt

    content = sheets(savings=[SAV, ["dematerialisation", 2019, True, None, None],
                              ["user_support", dt.datetime(2019, 1, 1), 1.0, None, None]])
    found = problems_of(build(tmp_path / "b.xlsx", content))
    assert found[0].startswith("savings!C2 (FTE freed): found a boolean (TRUE)")
    assert found[1].startswith("savings!B3 (Year): found a date (2019-01-01 00:00:00)")


def test_refuses_an_explanation_without_a_value(tmp_path):
    content = sheets(savings=[SAV, ["dematerialisation", 2019, None, None, "retard"]])
    msg = only_problem(build(tmp_path / "x.xlsx", content))
    assert msg.startswith("savings!C2 (FTE freed): blank, but 'Explanation of the variance' is filled on row 2")


def test_refuses_a_unit_cost_without_fte(tmp_path):
    content = sheets(savings=[SAV, ["dematerialisation", 2019, None, 58, None]])
    msg = only_problem(build(tmp_path / "x.xlsx", content))
    assert msg == "savings!C2 (FTE freed): found a blank cell; expected a number of FTE >= 0"


def test_refuses_values_without_keys(tmp_path):
    content = sheets(credits=[CRE, [None, "T3", "FTAP", 2019, 1, 1.0, 1.0]])
    msg = only_problem(build(tmp_path / "k.xlsx", content))
    assert msg.startswith("credits!A2 (Axis): found a blank cell; expected one of 'Axis 1 – Simplification")


def test_refuses_a_percentage_typed_as_a_whole_number(tmp_path):
    content = sheets(indicators=[IND, ["axis1_user_satisfaction", 2021, 78, None]])
    msg = only_problem(build(tmp_path / "p.xlsx", content))
    assert msg.startswith("indicators!C2 (Value): found 78; expected a share from 0 to 1")


def test_refuses_a_negative_count_but_accepts_a_negative_reduction(tmp_path):
    content = sheets(indicators=[IND, ["axis2_projects_incubated", 2019, -1, None],
                                 ["axis1_processing_time_reduction", 2021, -0.1, "délai allongé"]])
    msg = only_problem(build(tmp_path / "n.xlsx", content))
    assert msg == "indicators!C2 (Value): found -1; expected a value >= 0 for \"Axis 2 – Projects incubated\""


def test_collects_all_problems_in_one_pass(tmp_path):
    content = sheets(
        savings=[SAV, ["teleworking", 2019, 1.0, None, None], ["dematerialisation", 2030, -1, None, None]],
        credits=[CRE, [1, "T3", "FTAP", 2019, 7, 1.0, 1.0]],
    )
    del content["indicators"]
    path = build(tmp_path / "all.xlsx", content)
    with pytest.raises(ActualsError) as info:
        read_actuals(path, lang="en")
    err = info.value
    assert err.message == f"{path}: 5 problems"
    cells = [p.split(" ")[0] for p in err.problems]
    assert cells == ["savings!A2", "savings!B3", "savings!C3", "credits!E2", "sheet"]
    assert "sheet 'Indicators' is missing" in err.problems[4]


# --------------------------------------------------------------------------- #
# Refusals: the file itself
# --------------------------------------------------------------------------- #
def test_refuses_a_missing_file(tmp_path):
    msg = only_problem(tmp_path / "nope.xlsx")
    assert msg == f"{tmp_path / 'nope.xlsx'}: file not found (expected an .xlsx actuals workbook)"


def test_refuses_a_folder(tmp_path):
    assert "not a file" in only_problem(tmp_path)


def test_refuses_an_empty_file(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert only_problem(path) == f"{path}: empty file (0 bytes), expected an .xlsx workbook"


def test_refuses_a_truncated_file(tmp_path):
    good = build(tmp_path / "good.xlsx", sheets()).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good[: len(good) // 2])
    msg = only_problem(path)
    assert msg.startswith(f"{path}: truncated or corrupt xlsx workbook")


def test_refuses_a_file_with_a_corrupt_member(tmp_path):
    good = bytearray(build(tmp_path / "good.xlsx", sheets()).read_bytes())
    # Flip bytes inside the first member's compressed data (after its 30-byte local header):
    # the central directory survives, the CRC check fails.
    start = 30 + int.from_bytes(good[26:28], "little") + 5
    good[start:start + 8] = b"\x00" * 8
    path = tmp_path / "crc.xlsx"
    path.write_bytes(bytes(good))
    assert "truncated or corrupt" in only_problem(path)


def test_refuses_a_csv_renamed_xlsx(tmp_path):
    path = tmp_path / "renamed.xlsx"
    path.write_text("lever;year;etp_freed\ndematerialisation;2019;2,0\n", encoding="utf-8")
    msg = only_problem(path)
    assert msg.startswith(f"{path}: not an xlsx workbook: found a text file (a CSV renamed .xlsx?)")


def test_refuses_an_old_xls(tmp_path):
    # A real Excel 97 file written by LibreOffice (tests/fixtures/old_excel97.xls), renamed .xlsx.
    path = tmp_path / "old.xlsx"
    path.write_bytes((FIXTURES / "old_excel97.xls").read_bytes())
    assert path.read_bytes()[:4] == bytes.fromhex("D0CF11E0")
    msg = only_problem(path)
    assert "OLE2 compound file (magic bytes D0 CF 11 E0)" in msg
    assert "password-protected or old .xls" in msg


def test_refuses_a_password_protected_workbook():
    # A real ECMA-376 encrypted xlsx (password "secret"; see tests/fixtures/README.md): an OLE2 file.
    path = FIXTURES / "password_protected.xlsx"
    msg = only_problem(path)
    assert msg.startswith(f"{path}: found an OLE2 compound file")
    assert "password-protected or old .xls" in msg


def test_refuses_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "z.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("content.xml", "<office:document/>")
    assert "a zip archive but not an xlsx workbook" in only_problem(path)


def _with_part(src: Path, dest: Path, name: str, transform) -> Path:
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, transform(data) if info.filename == name else data)
    dest.write_bytes(out.getvalue())
    return dest


def test_refuses_an_xml_entity_bomb(tmp_path):
    good = build(tmp_path / "good.xlsx", sheets())
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')

    def inject(data: bytes) -> bytes:
        data = re.sub(rb"^<\?xml[^>]*\?>", b"", data)
        return bomb + data.replace(b"<t>retard de la vague</t>", b"<t>&lol3;</t>")

    path = _with_part(good, tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", inject)
    msg = only_problem(path)
    assert msg.startswith(f"{path}: part xl/worksheets/sheet1.xml declares XML entities (a possible entity bomb)")


def test_entity_bomb_is_caught_by_defusedxml_even_without_the_byte_scan(tmp_path, monkeypatch):
    """The parse with defusedxml (forbid_entities) is the real guard; the byte scan only adds a clear message.

    Here the declaration is UTF-16 encoded, which the ASCII byte scan cannot see.
    """
    good = build(tmp_path / "good.xlsx", sheets())
    text = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">&a;</Relationships>')
    path = _with_part(good, tmp_path / "bomb16.xlsx", "_rels/.rels", lambda _: text.encode("utf-16"))
    msg = only_problem(path)
    assert msg.startswith(f"{path}: part _rels/.rels carries forbidden XML (EntitiesForbidden")


def test_openpyxl_alone_also_refuses_the_bomb_but_says_less(tmp_path):
    """What really happens without our pre-check: openpyxl 3.1 parses through defusedxml and fails
    with a generic 'invalid XML' ValueError (no part named); so the reader checks parts first."""
    from openpyxl import load_workbook

    good = build(tmp_path / "good.xlsx", sheets())

    def inject(data: bytes) -> bytes:
        data = re.sub(rb"^<\?xml[^>]*\?>", b"", data)
        return (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY l "lol"><!ENTITY l2 "&l;&l;">]>'
                + data.replace(b"<t>retard de la vague</t>", b"<t>&l2;</t>"))

    path = _with_part(good, tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", inject)
    with pytest.raises(ValueError, match="invalid XML"):
        load_workbook(path)


def test_refuses_malformed_xml(tmp_path):
    good = build(tmp_path / "good.xlsx", sheets())
    path = _with_part(good, tmp_path / "bad.xlsx", "xl/workbook.xml", lambda d: d[: len(d) // 2])
    assert "xl/workbook.xml is not well-formed XML" in only_problem(path)


def test_libreoffice_round_trip_gives_the_same_tables():
    """tests/fixtures/example_actuals_libreoffice.xlsx is the example workbook opened and re-saved
    by LibreOffice 7.4 (soffice --headless --convert-to xlsx): a real LibreOffice file."""
    from incubo_analysis.paths import EXAMPLE_ACTUALS

    original = read_actuals(EXAMPLE_ACTUALS)
    resaved = read_actuals(FIXTURES / "example_actuals_libreoffice.xlsx")
    # the fixture predates the ledger columns and the follow-up sheets (issue 11): same savings
    # figures, credits and indicators; its ledger columns read blank
    pd.testing.assert_frame_equal(original.savings[SAV], resaved.savings[SAV])
    for name in ("credits", "indicators"):
        pd.testing.assert_frame_equal(getattr(original, name), getattr(resaved, name))
    assert original.sha256 != resaved.sha256  # really another file


# --------------------------------------------------------------------------- #
# Issue 9: hostile and careless workbooks (bounded work, no traceback, located messages)
# --------------------------------------------------------------------------- #
EXAMPLE_SAVINGS_PART = "xl/worksheets/sheet2.xml"  # README is the example's first sheet


def _example_with(tmp_path: Path, name: str, transform, part: str = EXAMPLE_SAVINGS_PART) -> Path:
    from incubo_analysis.paths import EXAMPLE_ACTUALS

    return _with_part(EXAMPLE_ACTUALS, tmp_path / name, part, transform)


def _append_row(xml: str):
    return lambda data: data.replace(b"</sheetData>", xml.encode() + b"</sheetData>")


def _set_c2(inner: bytes, t: bytes = b"n"):
    """Replace the value of savings!C2 (FTE freed) of a workbook built by ``build``."""
    return lambda data: re.sub(rb'<c r="C2" t="n"><v>[^<]*</v>', b'<c r="C2" t="' + t + b'">' + inner, data, count=1)


def test_stray_cell_in_last_row_is_ignored_fast(tmp_path):
    """Issue 9: one value in Z1048576 (an ignored column) took 80 s and 2.3 GB; now read in well
    under 2 s to exactly the example's tables (only the rows present in the file are visited)."""
    import time

    from incubo_analysis.paths import EXAMPLE_ACTUALS

    path = _example_with(tmp_path, "stray.xlsx", _append_row('<row r="1048576"><c r="Z1048576"><v>1</v></c></row>'))
    start = time.perf_counter()
    stray = read_actuals(path)
    assert time.perf_counter() - start < 2.0
    original = read_actuals(EXAMPLE_ACTUALS)
    for name in ("savings", "credits", "indicators"):
        pd.testing.assert_frame_equal(getattr(original, name), getattr(stray, name))


def test_refuses_a_row_beyond_the_last_spreadsheet_row(tmp_path):
    """Issue 9: a value at row 1 048 577 took 95 s then a traceback."""
    import time

    path = _example_with(tmp_path, "far.xlsx", _append_row('<row r="1048577"><c r="A1048577"><v>1</v></c></row>'))
    start = time.perf_counter()
    msg = only_problem(path)
    assert time.perf_counter() - start < 2.0
    assert msg.startswith("Économies!A1048577: row 1048577 is beyond the last row a spreadsheet can hold (1048576)")


def test_refuses_data_beyond_the_row_cap(tmp_path):
    from incubo_analysis.monitoring.reader import ROW_CAP

    path = build(tmp_path / "cap.xlsx", sheets())
    row = ROW_CAP + 2
    path = _with_part(path, tmp_path / "cap2.xlsx", "xl/worksheets/sheet1.xml",
                      _append_row(f'<row r="{row}"><c r="C{row}" t="n"><v>1</v></c></row>'))
    msg = only_problem(path)
    assert msg.startswith(f"savings!C{row} (FTE freed): data on row {row}, beyond the {ROW_CAP} data rows")


def test_refuses_a_400_digit_integer(tmp_path):
    """Issue 9: a cell <v> with a 400-digit integer raised OverflowError."""
    path = build(tmp_path / "a.xlsx", sheets())
    path = _with_part(path, tmp_path / "big.xlsx", "xl/worksheets/sheet1.xml", _set_c2(b"<v>" + b"9" * 400 + b"</v>"))
    msg = only_problem(path)
    assert msg.startswith("savings!C2 (FTE freed): found a whole number of about 400 digits; expected a number")
    assert len(msg) < 200


def test_refuses_zip_entries_flagged_encrypted(tmp_path):
    """Issue 9: zip entries flagged encrypted raised RuntimeError."""
    raw = bytearray(build(tmp_path / "a.xlsx", sheets()).read_bytes())
    for sig, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # local and central headers
        pos = raw.find(sig)
        while pos != -1:
            raw[pos + at] |= 0x1
            pos = raw.find(sig, pos + 4)
    path = tmp_path / "enc.xlsx"
    path.write_bytes(bytes(raw))
    msg = only_problem(path)
    assert msg.startswith(f"{path}: part ") and "is flagged as encrypted in the zip archive" in msg


@pytest.mark.parametrize(("sheet_rows", "cell", "expected"), [
    ({"savings": [SAV, ["dematerialisation", 2019, 1e200, None, None]]},
     "savings!C2 (FTE freed): found 1e+200", "a number of FTE <= 10,000"),
    ({"savings": [SAV, ["dematerialisation", 2019, 1.0, 1e5, None]]},
     "savings!D2 (Unit cost (k€/FTE)): found 100000", "<= 10,000"),
    ({"credits": [CRE, [1, "T3", "FTAP", 2019, 1, 2e7, 1.0]]},
     "credits!F2 (AE consumed (k€)): found 20000000", "an amount in k€ <= 10,000,000"),
    ({"indicators": [IND, ["axis1_processing_time_reduction", 2021, -1e200, None]]},
     "indicators!C2 (Value): found -1e+200", "a number from -1,000,000,000 to 1,000,000,000"),
])
def test_refuses_numbers_beyond_the_domain_bounds(tmp_path, sheet_rows, cell, expected):
    """Issue 9: etp_freed = 1e200 passed the reader, then decimal.InvalidOperation in check and report."""
    msg = only_problem(build(tmp_path / "b.xlsx", sheets(**sheet_rows)))
    assert msg.startswith(cell + "; expected ") and expected in msg


def test_accepts_numbers_at_the_domain_bounds(tmp_path):
    content = sheets(savings=[SAV, ["dematerialisation", 2019, 10_000, 10_000, None]],
                     credits=[CRE, [1, "T3", "FTAP", 2019, 1, 1e7, 1e7]])
    a = read_actuals(build(tmp_path / "b.xlsx", content))
    assert a.savings["etp_freed"].tolist() == [10_000.0] and a.credits["ae_keur"].tolist() == [1e7]


def test_refuses_a_text_longer_than_a_spreadsheet_cell(tmp_path):
    # openpyxl cuts what it writes to 32767 characters: the long text is put in the XML directly.
    path = build(tmp_path / "t.xlsx", sheets())
    path = _with_part(path, tmp_path / "t2.xlsx", "xl/worksheets/sheet1.xml",
                      lambda d: d.replace(b"<t>retard de la vague</t>", b"<t>" + b"x" * 40_000 + b"</t>"))
    msg = only_problem(path)
    assert msg == ("savings!E2 (Explanation of the variance): found a text of 40000 characters; expected at most 32767 "
                   "characters (the limit of a spreadsheet cell)")


def test_long_unknown_codes_are_shown_cut(tmp_path):
    content = sheets(savings=[SAV, ["x" * 100_000, 2019, 1.0, None, None]])
    msg = only_problem(build(tmp_path / "l.xlsx", content))
    assert msg.startswith("savings!A2 (Lever): found an unknown value 'xxxx") and len(msg) < 600


@pytest.mark.parametrize(("part", "transform", "located"), [
    ("xl/workbook.xml", lambda d: d.replace(b'name="savings" ', b"", 1),
     "part xl/workbook.xml, its relationships or its entry in [Content_Types].xml is invalid (TypeError"),
    ("xl/styles.xml", lambda d: re.sub(rb'numFmtId="\d+"', b'numFmtId="x"', d),
     "the styles part (xl/styles.xml) is invalid (TypeError"),
    ("xl/worksheets/sheet1.xml", _set_c2(b"<v>abc</v>"),
     "savings: the sheet's XML (xl/worksheets/sheet1.xml) cannot be read after row 1 (ValueError"),
    ("xl/worksheets/sheet1.xml", lambda d: d.replace(b"</sheetData>", b'<row r="5"><c r="ZZZZ5"><v>1</v></c></row>'
                                                     b"</sheetData>"),
     "savings: the sheet's XML (xl/worksheets/sheet1.xml) cannot be read after row 3 (ValueError"),
])
def test_corrupt_xml_members_are_located(tmp_path, part, transform, located):
    """Issue 9: four corrupt-XML workbooks printed openpyxl's text with no location; now the part
    (or the sheet and row) is named, with a short reason."""
    path = _with_part(build(tmp_path / "a.xlsx", sheets()), tmp_path / "x.xlsx", part, transform)
    msg = only_problem(path)
    assert located in msg, msg
    assert len(msg) < 400


def test_refuses_two_sheets_whose_names_read_alike(tmp_path):
    """Issue 9: 'Savings-' before 'savings' was read silently (the wrong one)."""
    content = {"Savings-": [SAV, ["user_support", 2019, 9.0, None, None]], **sheets()}
    msg = only_problem(build(tmp_path / "alike.xlsx", content))
    assert msg.startswith("sheets 'Savings-', 'savings' all read as 'Savings'")
    assert "expected exactly one sheet 'Savings'" in msg


def test_many_problems_are_all_collected_and_shown_capped(tmp_path):
    content = sheets(savings=[SAV] + [["dematerialisation", 2019, -1, None, None]] * 120)
    with pytest.raises(ActualsError) as info:
        read_actuals(build(tmp_path / "many.xlsx", content))
    err = info.value
    assert len(err.problems) == 120
    shown = err.shown_problems()
    assert len(shown) == 51 and shown[:50] == err.problems[:50] and shown[50] == "… et 70 autres"
    assert err.shown_problems("en")[50] == "… and 70 more"
    assert str(err).count("\n") == 51


# --------------------------------------------------------------------------- #
# French and English workbooks; messages in French
# --------------------------------------------------------------------------- #
FR_SAV = ["Levier", "Année", "ETP libérés", "Coût unitaire (k€/ETP)", "Explication de l'écart"]
FR_CRE = ["Axe", "Titre", "Source", "Année", "Trimestre", "AE consommées (k€)", "CP consommés (k€)"]
FR_IND = ["Indicateur", "Année", "Valeur", "Commentaire"]


def french_sheets(**override):
    """The content of :func:`sheets` as the French template writes it (labels, not codes)."""
    content = {
        "Économies": [FR_SAV,
                      ["Dématérialisation des procédures", 2019, 2.0, 58, "retard de la vague"],
                      ["Accompagnement des usagers", 2019, 0.375, None, None]],
        "Crédits": [FR_CRE,
                    ["Axe 1 – Simplification (dématérialisation)", "T3 – fonctionnement", "FTAP", 2019, 1, 40.0, 10.0],
                    ["Axe 1 – Simplification (dématérialisation)", "T3 – fonctionnement", "FTAP", 2019, 2, 20.5, 30.0]],
        "Indicateurs": [FR_IND,
                        ["Nombre de projets incubés", 2019, 3, "ok"],
                        ["Taux de satisfaction des utilisateurs (axe 1)", 2021, 0.78, None]],
    }
    content.update(override)
    return content


def assert_same_tables(a: Actuals, b: Actuals, *, old: bool = False) -> None:
    """Same tables; ``old``: one of them predates the ledger columns and the follow-up sheets (compare the rest)."""
    for name in ("savings", "credits", "indicators", "milestones", "risks", "reference_delays"):
        left, right = getattr(a, name), getattr(b, name)
        if old and name == "savings":
            left, right = left[SAV], right[SAV]
        if old and name in ("milestones", "risks", "reference_delays"):
            continue
        pd.testing.assert_frame_equal(left, right, check_exact=True)


def test_a_french_and_an_english_workbook_give_identical_tables(tmp_path):
    french = read_actuals(build(tmp_path / "fr.xlsx", french_sheets()))
    english = read_actuals(build(tmp_path / "en.xlsx", sheets()))
    assert_same_tables(french, english)
    # the library's tables keep their English column names and codes
    assert list(french.savings.columns)[:5] == SAV and list(french.credits.columns) == CRE
    assert french.savings["lever"].tolist() == ["dematerialisation", "user_support"]
    assert french.credits[["axis", "title", "source"]].iloc[0].tolist() == [1, "T3", "FTAP"]
    assert french.indicators["indicator"].tolist() == ["axis2_projects_incubated", "axis1_user_satisfaction"]


def test_the_english_template_labels_read_too(tmp_path):
    content = {
        "Savings": [["Lever", "Year", "FTE freed", "Unit cost (k€/FTE)", "Explanation of the variance"],
                    ["Dematerialisation of procedures", 2019, 2.0, 58, "retard de la vague"],
                    ["User support", 2019, 0.375, None, None]],
        "Credits": [["Axis", "Title", "Source", "Year", "Quarter", "AE consumed (k€)", "CP consumed (k€)"],
                    ["Axis 1 – Simplification (dematerialisation)", "T3 – operating", "FTAP", 2019, 1, 40.0, 10.0],
                    ["Axis 1 – Simplification (dematerialisation)", "T3 – operating", "FTAP", 2019, 2, 20.5, 30.0]],
        "Indicators": [["Indicator", "Year", "Value", "Comment"],
                       ["Axis 2 – Projects incubated", 2019, 3, "ok"],
                       ["Axis 1 – User satisfaction", 2021, 0.78, None]],
    }
    assert_same_tables(read_actuals(build(tmp_path / "en.xlsx", content)),
                       read_actuals(build(tmp_path / "codes.xlsx", sheets())))


def test_mixed_languages_case_accents_and_spacing_are_ignored(tmp_path):
    content = {
        "ECONOMIES": [["levier", "ANNEE", "etp_freed", "Cout unitaire k€ ETP", "explanation"],
                      ["dematerialisation des procedures", 2019, 2.0, 58, "retard de la vague"],
                      ["User support", 2019, 0.375, None, None]],
        "credits": [["Axe", "title", "SOURCE", "Année", "quarter", "AE consommées (k€)", "cp_keur"],
                    ["Axe 1 – …", "t3", "ftap", 2019, 1, 40.0, 10.0],
                    ["1", "Titre 3 – fonctionnement", "FTAP", 2019, 2, 20.5, 30.0]],
        "Indicateurs": [IND,
                        ["axis2_projects_incubated", 2019, 3, "ok"],
                        ["Axe 1 – Satisfaction des usagers", 2021, 0.78, None]],
    }
    assert_same_tables(read_actuals(build(tmp_path / "mixed.xlsx", content)),
                       read_actuals(build(tmp_path / "codes.xlsx", sheets())))
    cofinancing = french_sheets(**{"Crédits": [FR_CRE, [2, "T2 – personnel", "Cofinancement", 2019, 1, 1.0, 1.0],
                                               [3, "T2", "cofinancing", 2019, 1, 1.0, 1.0],
                                               ["Axis 4", "T2", "Cofinancements", 2019, 1, 1.0, 1.0]]})
    a = read_actuals(build(tmp_path / "cof.xlsx", cofinancing))
    assert a.credits["source"].tolist() == ["cofinancing"] * 3
    assert a.credits["axis"].tolist() == [2, 3, 4]


def test_a_french_and_an_english_sheet_of_the_same_data_are_refused(tmp_path):
    content = {**french_sheets(), "savings": sheets()["savings"]}
    msg = only_problem(build(tmp_path / "both.xlsx", content))
    assert msg.startswith("sheets 'Économies', 'savings' all read as 'Savings'")
    fr = problems_of(build(tmp_path / "both2.xlsx", content), lang="fr")
    assert fr == ["les feuilles 'Économies', 'savings' se lisent toutes comme 'Économies' (les noms de feuilles "
                  "sont comparés sans tenir compte de la casse, des accents, des espaces ni de la ponctuation) ; "
                  "une seule feuille 'Économies' est attendue : renommez ou supprimez l'autre"]


def french_problems(path: Path) -> list[str]:
    """The problems in French, as read_actuals reports them by default."""
    with pytest.raises(ActualsError) as info:
        read_actuals(path)
    assert info.value.message.endswith(" problème") or info.value.message.endswith(" problèmes")
    return list(info.value.problems)


def test_french_message_for_a_number_stored_as_text(tmp_path):
    content = french_sheets(**{"Économies": [FR_SAV, ["Dématérialisation des procédures", 2019, "2,5", None, None]]})
    assert french_problems(build(tmp_path / "t.xlsx", content)) == [
        "Économies!C2 (ETP libérés) : trouvé le texte '2,5' (un nombre enregistré comme texte : ressaisissez-le "
        "comme nombre) ; attendu un nombre : un nombre d'ETP ≥ 0"]


def test_french_message_for_an_unknown_value(tmp_path):
    content = french_sheets(**{"Crédits": [FR_CRE, [1, "T3", "FEDER", 2019, 1, 1.0, 1.0]]})
    assert french_problems(build(tmp_path / "u.xlsx", content)) == [
        "Crédits!C2 (Source) : trouvé une valeur inconnue, 'FEDER' ; attendu l'une des valeurs 'FTAP', "
        "'Cofinancement'"]


def test_french_message_for_a_missing_sheet_and_a_missing_column(tmp_path):
    content = french_sheets(**{"Économies": [["Levier", "Année", "ETP", "Coût unitaire (k€/ETP)"]]})
    del content["Indicateurs"]
    assert french_problems(build(tmp_path / "m.xlsx", content)) == [
        "Économies!1 : la colonne obligatoire 'ETP libérés' manque dans la ligne d'en-tête (trouvé : 'Levier', "
        "'Année', 'ETP', 'Coût unitaire (k€/ETP)') ; colonnes attendues : Levier, Année, ETP libérés, "
        "Coût unitaire (k€/ETP), Explication de l'écart",
        "Économies!1 : la colonne obligatoire \"Explication de l'écart\" manque dans la ligne d'en-tête (trouvé : "
        "'Levier', 'Année', 'ETP', 'Coût unitaire (k€/ETP)') ; colonnes attendues : Levier, Année, ETP libérés, "
        "Coût unitaire (k€/ETP), Explication de l'écart",
        "feuille 'Indicateurs' absente (feuilles trouvées : 'Économies', 'Crédits') ; une feuille 'Indicateurs' "
        "est attendue, avec les colonnes Indicateur, Année, Valeur, Commentaire",
    ]


def test_french_message_for_a_duplicate_and_a_bound(tmp_path):
    content = french_sheets(**{"Économies": [FR_SAV, ["Dématérialisation des procédures", 2019, 1.0, None, None],
                                             ["dematerialisation", 2019, 2.0, None, None],
                                             ["Accompagnement des usagers", 2020, 1e200, None, None]]})
    assert french_problems(build(tmp_path / "d.xlsx", content)) == [
        "Économies!3 : clé en double (Levier = Dématérialisation des procédures, Année = 2019), déjà en ligne 2 ; "
        "une seule ligne par Levier × Année est attendue",
        "Économies!C4 (ETP libérés) : trouvé 1e+200 ; attendu un nombre d'ETP ≤ 10\u202f000 (la borne du domaine : "
        "sûrement une faute de frappe)",
    ]


def test_french_message_for_a_share_above_one_and_an_uncached_formula(tmp_path):
    content = french_sheets(**{"Indicateurs": [FR_IND, ["Taux de satisfaction des agents (axe 3)", 2021, 75, None],
                                               ["Nombre de projets incubés", 2019, "=1+2", None]]})
    assert french_problems(build(tmp_path / "s.xlsx", content)) == [
        "Indicateurs!C2 (Valeur) : trouvé 75 ; attendu une part de 0 à 1 pour « Taux de satisfaction des agents "
        "(axe 3) » (saisissez 75 % ou 0,75 pour 75 %)",
        "Indicateurs!C3 (Valeur) : une formule (=1+2) sans valeur calculée ; une valeur calculée est attendue : "
        "ouvrez le classeur dans Excel ou LibreOffice, laissez-le recalculer et enregistrez-le",
    ]


def test_french_messages_for_files_that_are_not_workbooks(tmp_path):
    with pytest.raises(ActualsError) as info:
        read_actuals(tmp_path / "absent.xlsx")
    assert info.value.message == f"{tmp_path / 'absent.xlsx'} : fichier introuvable (un classeur .xlsx des " \
                                 "réalisations est attendu)"
    csv = tmp_path / "renamed.xlsx"
    csv.write_text("lever;year\n", encoding="utf-8")
    with pytest.raises(ActualsError, match="ce n'est pas un classeur xlsx : un fichier texte"):
        read_actuals(csv)
    with pytest.raises(ActualsError, match="fichier composite OLE2 trouvé"):
        read_actuals(FIXTURES / "old_excel97.xls")


def test_old_english_fixtures_still_read():
    """The committed fixtures were written by LibreOffice from the English workbook of issue 9."""
    from incubo_analysis.paths import EXAMPLE_ACTUALS

    assert_same_tables(read_actuals(FIXTURES / "example_actuals_libreoffice.xlsx"), read_actuals(EXAMPLE_ACTUALS),
                       old=True)

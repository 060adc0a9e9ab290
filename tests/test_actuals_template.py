"""The workbook template, the FICTIF example, the actuals commands and the live LibreOffice round trip."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from incubo_analysis.cli.main import main
from incubo_analysis.errors import InputError
from incubo_analysis.monitoring.reader import read_actuals
from incubo_analysis.monitoring.template import write_actuals_template
from incubo_analysis.paths import EXAMPLE_ACTUALS
from tools.example_actuals import EXAMPLE_SAVINGS, build_example_actuals

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return write_actuals_template(tmp_path_factory.mktemp("tpl") / "actuals.xlsx")


# --------------------------------------------------------------------------- #
# Template
# --------------------------------------------------------------------------- #
FRENCH_SHEETS = ["Lisez-moi", "Économies", "Crédits", "Indicateurs", "Jalons", "Risques", "Délais de référence",
                 "Listes"]
FRENCH_HEADERS = {
    "Économies": ["Levier", "Année", "ETP libérés", "Coût unitaire (k€/ETP)", "Explication de l'écart",
                  "Nature", "Programme", "Justificatif",
                  "ETP prévus", "Coût unitaire prévu (k€/ETP)", "Économies prévues (k€)"],
    "Crédits": ["Axe", "Titre", "Source", "Année", "Trimestre", "AE consommées (k€)", "CP consommés (k€)",
                "AE prévues dans l'année (k€)", "CP prévus dans l'année (k€)"],
    "Indicateurs": ["Indicateur", "Année", "Valeur", "Commentaire", "Cible", "Unité"],
    "Jalons": ["Jalon", "Action (annexe III)", "Fin prévue (trimestre)", "Date de réalisation",
               "Nouvelle échéance prévue", "Commentaire"],
    "Risques": ["Identifiant", "Axe", "Description", "Probabilité (1–4)", "Impact (1–4)", "Mesure d'atténuation",
                "Responsable", "Statut", "Date d'identification", "Date de clôture"],
    "Délais de référence": ["Démarche", "Délai de référence (jours)", "Source"],
}
ENGLISH_SHEETS = ["Read me", "Savings", "Credits", "Indicators", "Milestones", "Risks", "Reference delays", "Lists"]
ENGLISH_HEADERS = {
    "Savings": ["Lever", "Year", "FTE freed", "Unit cost (k€/FTE)", "Explanation of the variance",
                "Nature", "Programme", "Evidence",
                "Planned FTE", "Planned unit cost (k€/FTE)", "Planned savings (k€)"],
    "Credits": ["Axis", "Title", "Source", "Year", "Quarter", "AE consumed (k€)", "CP consumed (k€)",
                "AE planned for the year (k€)", "CP planned for the year (k€)"],
    "Indicators": ["Indicator", "Year", "Value", "Comment", "Target", "Unit", "Wording in the contract"],
    "Milestones": ["Milestone", "Action (annex III)", "Planned end (quarter)", "Date completed", "Revised due date",
                   "Comment"],
    "Risks": ["Identifier", "Axis", "Description", "Probability (1–4)", "Impact (1–4)", "Mitigation", "Owner",
              "Status", "Date identified", "Date closed"],
    "Reference delays": ["Procedure", "Reference delay (days)", "Source"],
}
LEVER_CODES = ("dematerialisation", "process_optimisation", "digital_tools_and_data", "user_support", "cofinancing")


@pytest.fixture(scope="module")
def template_en(tmp_path_factory) -> Path:
    return write_actuals_template(tmp_path_factory.mktemp("tpl_en") / "actuals_en.xlsx", lang="en")


def test_template_sheets_and_headers(template):
    wb = load_workbook(template)
    assert wb.sheetnames == FRENCH_SHEETS
    assert wb["Listes"].sheet_state == "hidden"
    for name, header in FRENCH_HEADERS.items():
        assert [c.value for c in wb[name][1]] == header
        assert wb[name].freeze_panes == "A2"


def test_template_in_english_sheets_and_headers(template_en):
    wb = load_workbook(template_en)
    assert wb.sheetnames == ENGLISH_SHEETS
    for name, header in ENGLISH_HEADERS.items():
        assert [c.value for c in wb[name][1]] == header
    row = [c.value for c in wb["Savings"][2]]
    assert row[:2] == ["Dematerialisation of procedures", 2019]
    assert [c.value for c in wb["Credits"][2]][:3] == ["Axis 1 – Simplification (dematerialisation)",
                                                       "T2 – staff", "Co-financing"]


def test_template_reads_as_empty_tables(template, template_en):
    for path in (template, template_en):
        a = read_actuals(path)
        assert a.savings.empty and a.credits.empty and a.indicators.empty


def test_template_prefills_keys_and_shows_the_plan(template):
    wb = load_workbook(template)
    ws = wb["Économies"]
    rows = {(r[0], r[1]): r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    # 4 levers x 2019-2022 (2018: nothing planned).
    assert len(rows) == 16
    demat_2020 = rows[("Dématérialisation des procédures", 2020)]
    assert demat_2020[2] is None  # etp_freed left to the officer
    # planned_etp = 20 FTE x 37.5 % = 7.5; planned_keur = 7.5 x 57 = 427.5 (contract: 427,5)
    assert demat_2020[5:8] == (None, None, None)  # nature, programme, justificatif: the officer's
    assert demat_2020[8:11] == (7.5, 57.0, 427.5)
    ws = wb["Crédits"]
    credit_rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]]
    a1_t3_2019 = [r for r in credit_rows
                  if r[:4] == ("Axe 1 – Simplification (dématérialisation)", "T3 – fonctionnement", "FTAP", 2019)]
    assert [r[4] for r in a1_t3_2019] == [1, 2, 3, 4]
    # Axis 1, T3, FTAP, 2019 plan: 160 + 1 + 2.5 + 5 + 2.5 = 171 k€ (AE and CP), on the Q1 row.
    assert a1_t3_2019[0][7:9] == (171.0, 171.0)
    assert {r[2] for r in credit_rows} == {"FTAP", "Cofinancement"}
    ws = wb["Indicateurs"]
    targets = {(r[0], r[1]): r[4:6] for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    # the contract's wordings (data/raw/contract/indicators.csv), units as words
    assert targets[("Nombre d'agents passés par le programme de sensibilisation", 2020)] == (1500, "nombre")
    assert targets[("Montant d'économies générées (économies de personnel)", 2021)] == (1300, "k€")
    assert targets[("Taux de satisfaction des agents (axe 3)", 2021)] == (0.75, "%")


def test_template_has_drop_downs_and_number_formats(template):
    wb = load_workbook(template)
    ws = wb["Économies"]
    lists = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    assert lists["A2"].type == "list" and lists["A2"].formula1 == "='Listes'!$A$2:$A$5"
    assert lists["C2"].type == "decimal" and lists["C2"].operator == "greaterThanOrEqual"
    assert lists["C2"].prompt == "ETP libérés dans l'année, ≥ 0"
    assert ws["C2"].number_format == "0.00"
    assert ws["D2"].number_format == "#,##0.0"
    lists_ws = wb["Listes"]
    assert [c.value for c in lists_ws["A"]][1:5] == [
        "Dématérialisation des procédures", "Optimisation des processus (saisie, contrôles)",
        "Meilleur usage des outils numériques et de la donnée", "Accompagnement des usagers"]
    assert [c.value for c in lists_ws["D"]][1:3] == ["FTAP", "Cofinancement"]
    assert [c.value for c in lists_ws["B"]][1:3] == ["Axe 1 – Simplification (dématérialisation)",
                                                     "Axe 2 – Accélération (incubation)"]
    cws = wb["Crédits"]
    kinds = {str(dv.sqref).split(":")[0]: dv.type for dv in cws.data_validations.dataValidation}
    assert kinds == {"A2": "list", "B2": "list", "C2": "list", "D2": "list", "E2": "list",
                     "F2": "decimal", "G2": "decimal"}


def test_template_has_no_code_name(template):
    wb = load_workbook(template)
    texts = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    for code in (*LEVER_CODES, "etp_freed", "unit_cost_keur", "savings", "indicators", "count", "share"):
        assert not [t for t in texts if code in t], code


def test_template_readme_is_french_and_prints_on_two_pages(template):
    ws = load_workbook(template)["Lisez-moi"]
    text = " ".join(str(c.value) for c in ws["A"] if c.value)
    assert "Feuille Économies" in text and "k€" in text and "incubo check --actuals" in text
    assert "FICTI" not in text  # only the example is labelled fictitious
    assert ws.column_dimensions["A"].width <= 80
    assert all(c.alignment.wrap_text for c in ws["A"] if c.value)
    assert ws.page_setup.orientation == "portrait" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 2)


def test_template_bytes_do_not_depend_on_time(tmp_path):
    a = write_actuals_template(tmp_path / "a.xlsx")
    b = write_actuals_template(tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()


def test_template_follows_the_scenario(tmp_path):
    from incubo_analysis.model.params import baseline

    later = baseline().model_copy(update={"horizon_end": 2024})
    wb = load_workbook(write_actuals_template(tmp_path / "t.xlsx", scenario=later))
    years = [c.value for c in wb["Listes"]["E"]][1:]
    years = [y for y in years if y is not None]
    assert years == [2018, 2019, 2020, 2021, 2022, 2023, 2024]


# --------------------------------------------------------------------------- #
# The FICTIF example
# --------------------------------------------------------------------------- #
def test_committed_example_is_rebuilt_identically(tmp_path):
    rebuilt = build_example_actuals(tmp_path / "example.xlsx")
    assert rebuilt.read_bytes() == EXAMPLE_ACTUALS.read_bytes()


def test_example_is_labelled_fictitious():
    cell = load_workbook(EXAMPLE_ACTUALS)["Lisez-moi"]["A1"].value
    assert "FICTIF" in cell
    readme = (EXAMPLE_ACTUALS.parent / "README.md").read_text(encoding="utf-8")
    assert "FICTIF" in readme


def test_example_is_in_french():
    wb = load_workbook(EXAMPLE_ACTUALS)
    assert wb.sheetnames == FRENCH_SHEETS
    assert [c.value for c in wb["Économies"][1]] == FRENCH_HEADERS["Économies"]


def test_example_content():
    a = read_actuals(EXAMPLE_ACTUALS)
    assert len(a.savings) == 12 and len(a.indicators) == 21
    assert a.years == (2019, 2020, 2021)
    s = a.savings.set_index(["lever", "year"])
    for key, (etp, _cost, why) in EXAMPLE_SAVINGS.items():
        assert s.loc[key, "etp_freed"] == etp
        assert s.loc[key, "explanation"] == why
    assert s.loc[("dematerialisation", 2021), "unit_cost_keur"] == 58.0
    # every quarter of 2019-2021 for every planned financing group
    assert set(a.credits["quarter"]) == {1, 2, 3, 4}
    assert len(a.credits) % 4 == 0


# --------------------------------------------------------------------------- #
# Commands
# --------------------------------------------------------------------------- #
def test_cli_template_writes_a_workbook(tmp_path, capsys):
    path = tmp_path / "new.xlsx"
    assert main(["template", "actuals", str(path)]) == 0
    assert read_actuals(path).savings.empty
    out = capsys.readouterr().out
    assert "Classeur des réalisations écrit" in out and "incubo check --actuals" in out
    assert load_workbook(path).sheetnames == FRENCH_SHEETS


def test_cli_template_in_english(tmp_path, capsys):
    path = tmp_path / "new_en.xlsx"
    assert main(["template", "actuals", str(path), "--lang", "en"]) == 0
    assert "Actuals workbook written" in capsys.readouterr().out
    assert load_workbook(path).sheetnames == ENGLISH_SHEETS


def test_cli_template_refuses_a_non_xlsx_name(tmp_path, capsys):
    assert main(["template", "actuals", str(tmp_path / "new.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("incubo template : erreur : ")
    assert "un nom de fichier finissant par .xlsx est attendu" in err and "Traceback" not in err
    assert not (tmp_path / "new.csv").exists()
    assert main(["template", "actuals", str(tmp_path / "new.csv"), "--lang", "en"]) == 2
    assert "incubo template: error: " in capsys.readouterr().err


def test_cli_template_refuses_a_missing_folder(tmp_path, capsys):
    assert main(["template", "actuals", str(tmp_path / "nope" / "new.xlsx")]) == 2
    assert "n'existe pas" in capsys.readouterr().err


def test_template_write_is_atomic(tmp_path, monkeypatch):
    from incubo_analysis.cli import actuals as cli_actuals

    path = tmp_path / "keep.xlsx"
    path.write_bytes(b"previous")

    def boom(wb, buf):  # noqa: ANN001
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", boom)
    with pytest.raises(InputError, match="impossible d'écrire le classeur"):
        cli_actuals.run_template("actuals", str(path))
    assert path.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.xlsx"]


def test_cli_check_actuals_valid(capsys):
    assert main(["check", "--actuals", str(EXAMPLE_ACTUALS)]) == 0
    out = capsys.readouterr().out
    assert "Classeur des réalisations valide" in out
    assert "Économies 12, Crédits 140, Indicateurs 21" in out and "2019–2021" in out
    # 2020: 5.0 + 1.9 + 1.2 + 1.1 = 9.2 FTE freed vs 7.5 + 1.875 + 1.5 + 1.125 = 12.0 planned;
    # 9.2 x 57 = 524.4 k€ vs 12 x 57 = 684.0 k€: -159.6 k€, -23.3 %.
    # labels.format_value: minus sign U+2212, narrow no-break space U+202F before "%"
    assert "  2020          9,20       12,00      524,4      684,0     \u2212159,6   \u221223,3\u202f%" in out
    # labels.format_value: no-break space U+00A0 before "k€"
    assert "Optimisation des processus (saisie, contrôles) 2021 : écart \u221221,4\u00a0k€ (\u221212,0\u202f%)" in out
    assert len(out.splitlines()) <= 25  # one screen
    for code in LEVER_CODES:  # no code name reaches the reader
        assert code not in out


def test_cli_check_actuals_summary_in_english(capsys):
    assert main(["check", "--actuals", str(EXAMPLE_ACTUALS), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Valid actuals workbook" in out and "Savings 12, Credits 140, Indicators 21" in out
    assert "Process optimisation (data entry, controls) 2021: gap -21.4\u00a0k€ (-12.0%)" in out
    for code in LEVER_CODES:
        assert code not in out


def test_cli_check_actuals_invalid_exits_2_with_located_messages(tmp_path):
    wb = Workbook()
    wb.active.title = "savings"
    wb.active.append(["lever", "year", "etp_freed", "unit_cost_keur", "explanation"])
    wb.active.append(["dematerialisation", 2019, "beaucoup", None, None])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    proc = subprocess.run([sys.executable, "-m", "incubo_analysis", "check", "--actuals", str(path)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        f"incubo check : erreur : {path} : 3 problèmes",
        "  - savings!C2 (ETP libérés) : trouvé le texte 'beaucoup' ; attendu un nombre : un nombre d'ETP ≥ 0",
        "  - feuille 'Crédits' absente (feuilles trouvées : 'savings') ; une feuille 'Crédits' est attendue, "
        "avec les colonnes Axe, Titre, Source, Année, Trimestre, AE consommées (k€), CP consommés (k€)",
        "  - feuille 'Indicateurs' absente (feuilles trouvées : 'savings') ; une feuille 'Indicateurs' est "
        "attendue, avec les colonnes Indicateur, Année, Valeur, Commentaire",
    ]
    proc = subprocess.run([sys.executable, "-m", "incubo_analysis", "check", "--actuals", str(path),
                           "--lang", "en"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        f"incubo check: error: {path}: 3 problems",
        "  - savings!C2 (FTE freed): found text 'beaucoup'; expected a number: a number of FTE >= 0",
        "  - sheet 'Credits' is missing (found sheets: 'savings'); expected a sheet 'Credits' with columns "
        "Axis, Title, Source, Year, Quarter, AE consumed (k€), CP consumed (k€)",
        "  - sheet 'Indicators' is missing (found sheets: 'savings'); expected a sheet 'Indicators' with "
        "columns Indicator, Year, Value, Comment",
    ]


def test_cli_check_actuals_missing_file(tmp_path, capsys):
    assert main(["check", "--actuals", str(tmp_path / "absent.xlsx")]) == 2
    assert "fichier introuvable" in capsys.readouterr().err


# --------------------------------------------------------------------------- #
# Live LibreOffice round trip (skipped where soffice is absent, e.g. CI)
# --------------------------------------------------------------------------- #
def formula_workbook(path: Path) -> Path:
    """The source of tests/fixtures/formulas_libreoffice.xlsx: value cells are formulas."""
    wb = Workbook()
    ws = wb.active
    ws.title = "savings"
    ws.append(["lever", "year", "etp_freed", "unit_cost_keur", "explanation", "note"])
    ws.append(["dematerialisation", 2019, "=2.5*0.8", "=57+1", "formule"])
    ws.append(["user_support", "=2018+1", "=ROUND(3*0.125,3)", None, None])
    ws2 = wb.create_sheet("credits")
    ws2.append(["axis", "title", "source", "year", "quarter", "ae_keur", "cp_keur"])
    ws2.append([1, "T3", "FTAP", 2019, 1, "=10+2.5", "=SUM(1,2)"])
    ws3 = wb.create_sheet("indicators")
    ws3.append(["indicator", "year", "value", "comment"])
    ws3.append(["axis2_projects_incubated", 2019, "=1+2", ""])
    wb.save(path)
    return path


def _soffice_convert(src: Path, outdir: Path) -> Path:
    env = {"HOME": str(outdir / "home"), "PATH": "/usr/bin:/bin"}
    subprocess.run([SOFFICE, "--headless", "--norestore", "--convert-to", "xlsx", "--outdir", str(outdir),
                    str(src)], check=True, capture_output=True, timeout=180, env=env)
    return outdir / src.name


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_live_libreoffice_round_trip(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    example = shutil.copy(EXAMPLE_ACTUALS, src / "example.xlsx")
    formulas = formula_workbook(src / "formulas.xlsx")
    with pytest.raises(InputError, match="sans valeur calculée"):
        read_actuals(formulas)
    out = tmp_path / "out"
    resaved = _soffice_convert(Path(example), out)
    original, again = read_actuals(EXAMPLE_ACTUALS), read_actuals(resaved)
    for name in ("savings", "credits", "indicators", "milestones", "risks", "reference_delays"):
        pd.testing.assert_frame_equal(getattr(original, name), getattr(again, name))
    assert again.milestones["done_on"].notna().sum() == 39  # LibreOffice keeps the dates as dates
    computed = read_actuals(_soffice_convert(formulas, out))
    assert computed.savings.set_index("lever").loc["dematerialisation", "etp_freed"] == 2.5 * 0.8

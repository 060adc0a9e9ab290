"""The workbook's new parts (issue 11 § 1, 2, 5 and issue 12 § 3): the savings ledger columns, the
sheets "Jalons", "Risques" and "Délais de référence" — template, reader (French, English and code
names), every refusal with its located French message, older workbooks, the FICTIF example and the
``incubo check --actuals`` lines.

Workbooks are built inside the tests with openpyxl; expected values are typed by hand from the
rows written (dates, codes) or from data/raw/contract/milestones.csv read with the csv module.
"""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from incubo_analysis.cli.main import main
from incubo_analysis.errors import ActualsError
from incubo_analysis.monitoring.reader import (
    MILESTONES_ACTUALS_COLUMNS,
    REFERENCE_DELAYS_COLUMNS,
    RISKS_ACTUALS_COLUMNS,
    read_actuals,
)
from incubo_analysis.monitoring.template import write_actuals_template
from incubo_analysis.paths import EXAMPLE_ACTUALS
from tests.helpers import build_workbook as build
from tools.example_actuals import EXAMPLE_LEDGER

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
with open(ROOT / "data/raw/contract/milestones.csv", encoding="utf-8", newline="") as _fh:
    MILESTONES_CSV = list(csv.DictReader(_fh))

FR_SAV = ["Levier", "Année", "ETP libérés", "Coût unitaire (k€/ETP)", "Explication de l'écart",
          "Nature", "Programme", "Justificatif"]
FR_CRE = ["Axe", "Titre", "Source", "Année", "Trimestre", "AE consommées (k€)", "CP consommés (k€)"]
FR_IND = ["Indicateur", "Année", "Valeur", "Commentaire"]
FR_JAL = ["Jalon", "Action (annexe III)", "Fin prévue (trimestre)", "Date de réalisation",
          "Nouvelle échéance prévue", "Commentaire"]
FR_RIS = ["Identifiant", "Axe", "Description", "Probabilité (1–4)", "Impact (1–4)", "Mesure d'atténuation",
          "Responsable", "Statut", "Date d'identification", "Date de clôture"]
FR_DEL = ["Démarche", "Délai de référence (jours)", "Source"]
EN_JAL = ["Milestone", "Date completed", "Revised due date", "Comment"]
EN_RIS = ["Identifier", "Axis", "Description", "Probability (1–4)", "Impact (1–4)", "Mitigation", "Owner",
          "Status", "Date identified", "Date closed"]
EN_DEL = ["Procedure", "Reference delay (days)", "Source"]

D = dt.date


def base(**override) -> dict:
    """A small valid French workbook with the three original sheets; ``override`` adds or replaces sheets."""
    content = {
        "Économies": [FR_SAV, ["Dématérialisation des procédures", 2019, 2.0, None, None, None, None, None]],
        "Crédits": [FR_CRE, ["Axe 1 – Simplification (dématérialisation)", "T3 – fonctionnement", "FTAP", 2019, 1,
                             40.0, 10.0]],
        "Indicateurs": [FR_IND, ["Nombre de projets incubés", 2019, 3, None]],
    }
    content.update(override)
    return content




def problems(path: Path, lang: str = "fr") -> list[str]:
    with pytest.raises(ActualsError) as info:
        read_actuals(path, lang=lang)
    return list(info.value.problems) or [info.value.message]


def only_problem(path: Path, lang: str = "fr") -> str:
    found = problems(path, lang)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- #
# The savings ledger columns
# --------------------------------------------------------------------------- #
def test_ledger_columns_read_in_french_english_and_codes(tmp_path):
    french = base(**{"Économies": [
        FR_SAV,
        ["Dématérialisation des procédures", 2019, 2.0, None, None, "Non-remplacement", "0307",
         "Schéma d'emplois 2019"],
        ["Dématérialisation des procédures", 2020, 3.0, None, None, "SUPPRESSION DE POSTE", "0354-DR31", "CR DG"],
        ["Accompagnement des usagers", 2019, 0.5, None, None, " redéploiement ", None, None],
        ["Accompagnement des usagers", 2020, 0.5, None, None, "Gain de productivite", None, None],
        ["Accompagnement des usagers", 2021, 0.5, None, None, None, None, None],
    ]})
    english = base(**{"Économies": [
        ["Lever", "Year", "FTE freed", "Unit cost (k€/FTE)", "Explanation of the variance", "Nature", "Programme",
         "Evidence"],
        ["dematerialisation", 2019, 2.0, None, None, "Non-replacement", "0307", "Schéma d'emplois 2019"],
        ["dematerialisation", 2020, 3.0, None, None, "Post cut", "0354-DR31", "CR DG"],
        ["user_support", 2019, 0.5, None, None, "Redeployment", None, None],
        ["user_support", 2020, 0.5, None, None, "productivity gain", None, None],
        ["user_support", 2021, 0.5, None, None, None, None, None],
    ]})
    codes = base(**{"Économies": [
        ["lever", "year", "etp_freed", "unit_cost_keur", "explanation", "nature", "programme", "justificatif"],
        ["dematerialisation", 2019, 2.0, None, None, "non_replacement", "0307", "Schéma d'emplois 2019"],
        ["dematerialisation", 2020, 3.0, None, None, "post_cut", "0354-DR31", "CR DG"],
        ["user_support", 2019, 0.5, None, None, "redeployment", None, None],
        ["user_support", 2020, 0.5, None, None, "productivity", None, None],
        ["user_support", 2021, 0.5, None, None, None, None, None],
    ]})
    tables = [read_actuals(build(tmp_path / f"{n}.xlsx", c)).savings
              for n, c in (("fr", french), ("en", english), ("codes", codes))]
    for table in tables:
        assert table["nature"].tolist() == ["non_replacement", "post_cut", "redeployment", "productivity", ""]
        assert table["programme"].tolist() == ["0307", "0354-DR31", "", "", ""]
        assert table["justificatif"].tolist() == ["Schéma d'emplois 2019", "CR DG", "", "", ""]
        assert str(table["nature"].dtype) == "str"
    pd.testing.assert_frame_equal(tables[0], tables[1])
    pd.testing.assert_frame_equal(tables[0], tables[2])


def test_a_programme_typed_as_a_number_gets_its_leading_zero_back(tmp_path):
    content = base(**{"Économies": [FR_SAV,
                                    ["Dématérialisation des procédures", 2019, 2.0, None, None, None, 307, None],
                                    ["Dématérialisation des procédures", 2020, 2.0, None, None, None, 354.0, None]]})
    assert read_actuals(build(tmp_path / "p.xlsx", content)).savings["programme"].tolist() == ["0307", "0354"]


def test_a_workbook_without_the_ledger_columns_reads_them_blank(tmp_path):
    old = base(**{"Économies": [FR_SAV[:5], ["Dématérialisation des procédures", 2019, 2.0, None, "retard"]]})
    a = read_actuals(build(tmp_path / "old.xlsx", old))
    assert a.savings[["nature", "programme", "justificatif"]].iloc[0].tolist() == ["", "", ""]
    fixture = read_actuals(FIXTURES / "example_actuals_libreoffice.xlsx")  # written before issue 11
    assert len(fixture.savings) == 12
    assert set(fixture.savings["nature"]) == {""} and set(fixture.savings["justificatif"]) == {""}
    for name, columns in (("milestones", MILESTONES_ACTUALS_COLUMNS), ("risks", RISKS_ACTUALS_COLUMNS),
                          ("reference_delays", REFERENCE_DELAYS_COLUMNS)):
        frame = getattr(fixture, name)
        assert frame.empty and tuple(frame.columns) == columns


def test_refuses_an_unknown_nature_in_french(tmp_path):
    content = base(**{"Économies": [FR_SAV, ["Dématérialisation des procédures", 2019, 2.0, None, None,
                                             "Licenciement", None, None]]})
    assert only_problem(build(tmp_path / "n.xlsx", content)) == (
        "Économies!F2 (Nature) : trouvé une valeur inconnue, 'Licenciement' ; attendu l'une des valeurs "
        "'Suppression de poste', 'Non-remplacement', 'Redéploiement', 'Gain de productivité'")


def test_refuses_a_nature_without_fte(tmp_path):
    content = base(**{"Économies": [FR_SAV, ["Dématérialisation des procédures", 2019, None, None, None,
                                             "Non-remplacement", None, None]]})
    message = only_problem(build(tmp_path / "v.xlsx", content))
    assert message.startswith("Économies!C2 (ETP libérés) : vide, mais 'Nature' est rempli en ligne 2")


# --------------------------------------------------------------------------- #
# Jalons
# --------------------------------------------------------------------------- #
def test_milestones_read_from_ids_actions_and_date_forms(tmp_path):
    content = base(Jalons=[
        FR_JAL,
        ["J06", None, None, None, None, None],  # pre-filled, nothing reported: skipped
        ["Prototypage de 30 nouvelles démarches dématérialisées", None, None, "30/09/2020", None, None],  # J06
        ["j4", None, None, dt.datetime(2019, 11, 29, 15, 30), None, "31 démarches"],
        ["J07 – Déploiement de ces démarches", None, None, None, "2022-06-30", "reporté"],
        ["J12", None, None, None, None, "dépend de J07"],  # a comment alone is a report
        ["J05", None, None, D(2020, 2, 28), D(2020, 1, 31), None],
    ])
    a = read_actuals(build(tmp_path / "m.xlsx", content))
    m = a.milestones
    assert tuple(m.columns) == MILESTONES_ACTUALS_COLUMNS
    assert m["milestone_id"].tolist() == ["J04", "J05", "J06", "J07", "J12"]  # annex III order
    assert str(m["done_on"].dtype) == "datetime64[ns]" and str(m["forecast_on"].dtype) == "datetime64[ns]"
    done = dict(zip(m["milestone_id"], m["done_on"], strict=True))
    assert done["J04"] == pd.Timestamp("2019-11-29")  # the time of day is dropped
    assert done["J06"] == pd.Timestamp("2020-09-30") and done["J05"] == pd.Timestamp("2020-02-28")
    assert pd.isna(done["J07"]) and pd.isna(done["J12"])
    forecast = dict(zip(m["milestone_id"], m["forecast_on"], strict=True))
    assert forecast["J07"] == pd.Timestamp("2022-06-30") and forecast["J05"] == pd.Timestamp("2020-01-31")
    assert m.set_index("milestone_id").loc["J12", "comment"] == "dépend de J07"


def test_milestones_read_with_english_and_code_headers(tmp_path):
    rows = [["J04", D(2019, 11, 29), None, "ok"], ["J07", None, "2022-06-30", None]]
    english = read_actuals(build(tmp_path / "en.xlsx", base(Milestones=[EN_JAL, *rows]))).milestones
    codes = read_actuals(build(tmp_path / "c.xlsx", base(milestones=[list(MILESTONES_ACTUALS_COLUMNS), *rows])))
    pd.testing.assert_frame_equal(english, codes.milestones)
    assert english["milestone_id"].tolist() == ["J04", "J07"]


def test_refuses_unknown_and_ambiguous_milestones(tmp_path):
    ids = [r["milestone_id"] for r in MILESTONES_CSV]
    expected = (f"attendu un jalon de l'annexe III du contrat : son identifiant ({ids[0]} à {ids[-1]}) ou son "
                "action telle qu'imprimée")
    # "Déploiement de ces démarches sur l'ensemble des services" is printed twice (J07 and J09):
    # it names no single milestone.
    twice_action = "Déploiement de ces démarches sur l'ensemble des services"
    twice = [r["milestone_id"] for r in MILESTONES_CSV if r["action"] == twice_action]
    assert twice == ["J07", "J09"]
    content = base(Jalons=[FR_JAL, ["J99", None, None, "2020-01-01", None, None],
                           [twice_action, None, None, "2020-01-01", None, None],
                           [4, None, None, "2020-01-01", None, None]])
    found = problems(build(tmp_path / "u.xlsx", content))
    assert found == [
        f"Jalons!A2 (Jalon) : trouvé une valeur inconnue, 'J99' ; {expected}",
        # a long value is shown cut to 40 characters (37 and "...")
        f"Jalons!A3 (Jalon) : trouvé une valeur inconnue, {repr(twice_action[:37] + '...')} ; {expected}",
        f"Jalons!A4 (Jalon) : trouvé 4 ; {expected}",
    ]


@pytest.mark.parametrize(("cell", "shown"), [
    ("Sept. 2020", "le texte 'Sept. 2020'"),
    ("2020/09/30", "le texte '2020/09/30'"),
    ("30.09.2020", "le texte '30.09.2020'"),
    ("31/02/2020", "le texte '31/02/2020'"),  # no such day
    (44104, "44104"),  # a serial number without a date format is not a date
    (True, "un booléen (VRAI)"),
])
def test_refuses_a_date_that_is_not_a_date(tmp_path, cell, shown):
    content = base(Jalons=[FR_JAL, ["J04", None, None, cell, None, None]])
    assert only_problem(build(tmp_path / "d.xlsx", content)) == (
        f"Jalons!D2 (Date de réalisation) : trouvé {shown} ; attendu une date (date du tableur, 2020-09-30 ou "
        "30/09/2020)")


def test_refuses_a_date_outside_2000_2099(tmp_path):
    content = base(Jalons=[FR_JAL, ["J04", None, None, None, D(1999, 12, 31), None]])
    assert only_problem(build(tmp_path / "r.xlsx", content)) == (
        "Jalons!E2 (Nouvelle échéance prévue) : trouvé une date (31/12/1999) ; attendu une date du 01/01/2000 "
        "au 31/12/2099")


def test_refuses_a_milestone_reported_twice(tmp_path):
    content = base(Jalons=[FR_JAL, ["J04", None, None, "2019-11-29", None, None],
                           ["Prototypage de 30 démarches dématérialisées", None, None, "2019-12-02", None, None]])
    assert only_problem(build(tmp_path / "dup.xlsx", content)) == (
        "Jalons!3 : clé en double (Jalon = J04), déjà en ligne 2 ; une seule ligne par Jalon est attendue")


# --------------------------------------------------------------------------- #
# Risques
# --------------------------------------------------------------------------- #
RISK_FR = [
    ["R10", "Axe 2 – Accélération (incubation)", "Départ du développeur", 2, 4, "binôme", "Lab-O", "Clos",
     D(2019, 9, 10), "15/01/2020"],
    ["R2", 3, "Faible participation", 2, 2.0, None, None, "ouvert", "2019-05-06", None],
]
RISK_EN = [
    ["R10", "Axis 2 – Acceleration (incubation)", "Départ du développeur", 2, 4, "binôme", "Lab-O", "closed",
     D(2019, 9, 10), "15/01/2020"],
    ["R2", "Axis 3", "Faible participation", 2, 2, None, None, "Open", "2019-05-06", None],
]
RISK_CODES = [
    ["R10", 2, "Départ du développeur", 2, 4, "binôme", "Lab-O", "closed", D(2019, 9, 10), D(2020, 1, 15)],
    ["R2", "3", "Faible participation", 2, 2, None, None, "open", D(2019, 5, 6), None],
]


def test_risks_read_in_french_english_and_codes(tmp_path):
    french = read_actuals(build(tmp_path / "fr.xlsx", base(Risques=[FR_RIS, *RISK_FR]))).risks
    english = read_actuals(build(tmp_path / "en.xlsx", base(Risks=[EN_RIS, *RISK_EN]))).risks
    codes = read_actuals(build(tmp_path / "c.xlsx", base(risks=[list(RISKS_ACTUALS_COLUMNS), *RISK_CODES]))).risks
    pd.testing.assert_frame_equal(french, english)
    pd.testing.assert_frame_equal(french, codes)
    assert tuple(french.columns) == RISKS_ACTUALS_COLUMNS
    assert french["risk_id"].tolist() == ["R2", "R10"]  # natural order
    r = french.set_index("risk_id")
    assert r.loc["R10", "axis"] == 2 and r.loc["R2", "axis"] == 3
    assert r.loc["R10", "status"] == "closed" and r.loc["R2", "status"] == "open"
    assert r.loc["R10", "closed_on"] == pd.Timestamp("2020-01-15") and pd.isna(r.loc["R2", "closed_on"])
    assert r.loc["R2", "identified_on"] == pd.Timestamp("2019-05-06")
    assert r.loc["R2", "mitigation"] == "" and r.loc["R10", "owner"] == "Lab-O"
    assert {str(french[c].dtype) for c in ("axis", "probability", "impact")} == {"int64"}
    assert {str(french[c].dtype) for c in ("identified_on", "closed_on")} == {"datetime64[ns]"}


def test_short_risk_headers_without_their_parenthesis_are_accepted(tmp_path):
    header = [h.replace(" (1–4)", "") for h in FR_RIS]
    assert header[3:5] == ["Probabilité", "Impact"]
    a = read_actuals(build(tmp_path / "s.xlsx", base(Risques=[header, *RISK_FR])))
    assert a.risks["probability"].tolist() == [2, 2]


def risk(**change):
    row = dict(zip(RISKS_ACTUALS_COLUMNS, ["R1", 1, "Retard des éditeurs", 3, 3, None, None, "ouvert",
                                          "2019-02-15", None], strict=True))
    row.update(change)
    return list(row.values())


@pytest.mark.parametrize(("change", "message"), [
    ({"probability": 5}, "Risques!D2 (Probabilité (1–4)) : trouvé 5 ; attendu une probabilité de 1 à 4"),
    ({"probability": 0}, "Risques!D2 (Probabilité (1–4)) : trouvé 0 ; attendu une probabilité de 1 à 4"),
    ({"impact": 2.5}, "Risques!E2 (Impact (1–4)) : trouvé 2,5 ; attendu un nombre entier : un impact de 1 à 4"),
    ({"impact": None}, "Risques!E2 (Impact (1–4)) : trouvé une cellule vide ; attendu un impact de 1 à 4"),
    ({"status": "en cours"},
     "Risques!H2 (Statut) : trouvé une valeur inconnue, 'en cours' ; attendu l'une des valeurs 'ouvert', 'clos'"),
    ({"status": "clos"},
     "Risques!J2 (Date de clôture) : trouvé une cellule vide ; attendu la date de clôture du risque, puisque son "
     "statut est « clos »"),
    ({"closed_on": "2020-01-01"},
     "Risques!J2 (Date de clôture) : trouvé une date (01/01/2020) ; attendu une cellule vide pour un risque "
     "ouvert (choisissez le statut « clos » pour le clore)"),
    ({"status": "clos", "closed_on": "14/02/2019"},
     "Risques!J2 (Date de clôture) : trouvé une date (14/02/2019) ; attendu une date de clôture égale ou "
     "postérieure à la date d'identification (15/02/2019)"),
    ({"identified_on": None},
     "Risques!I2 (Date d'identification) : trouvé une cellule vide ; attendu une date (date du tableur, "
     "2020-09-30 ou 30/09/2020)"),
    ({"risk_id": None},
     "Risques!A2 (Identifiant) : trouvé une cellule vide ; attendu l'identifiant du risque (un texte non vide)"),
    ({"description": "  "},
     "Risques!C2 (Description) : trouvé une cellule vide ; attendu la description du risque (un texte non vide)"),
    ({"axis": 5}, "Risques!B2 (Axe) : trouvé 5 ; attendu un axe de 1 à 4"),
])
def test_each_risk_refusal_is_located_in_french(tmp_path, change, message):
    path = build(tmp_path / "r.xlsx", base(Risques=[FR_RIS, risk(**change)]))
    assert only_problem(path) == message


def test_a_risk_closed_on_the_day_it_was_identified_is_accepted(tmp_path):
    path = build(tmp_path / "same.xlsx", base(Risques=[FR_RIS, risk(status="clos", closed_on="2019-02-15")]))
    assert read_actuals(path).risks["closed_on"].tolist() == [pd.Timestamp("2019-02-15")]


def test_refuses_a_duplicate_risk_identifier_case_and_spacing_ignored(tmp_path):
    path = build(tmp_path / "dup.xlsx", base(Risques=[FR_RIS, risk(), risk(risk_id=" r1 ")]))
    assert only_problem(path) == (
        "Risques!3 : clé en double (Identifiant = r1), déjà en ligne 2 ; une seule ligne par Identifiant est "
        "attendue")


def test_refuses_a_risk_sheet_missing_a_column(tmp_path):
    header = [h for h in FR_RIS if h != "Statut"]
    row = risk()
    del row[7]
    message = only_problem(build(tmp_path / "col.xlsx", base(Risques=[header, row])))
    assert message.startswith("Risques!1 : la colonne obligatoire 'Statut' manque dans la ligne d'en-tête")


def test_refuses_two_sheets_of_risks(tmp_path):
    path = build(tmp_path / "two.xlsx", base(Risques=[FR_RIS, risk()], Risks=[EN_RIS, risk(risk_id="R2")]))
    assert only_problem(path).startswith("les feuilles 'Risques', 'Risks' se lisent toutes comme 'Risques'")


def test_risk_messages_in_english(tmp_path):
    path = build(tmp_path / "en.xlsx", base(Risks=[EN_RIS, risk(probability=7, status="closed")]))
    assert problems(path, "en") == [
        "Risks!D2 (Probability (1–4)): found 7; expected a probability from 1 to 4",
        "Risks!J2 (Date closed): found a blank cell; expected the risk's closing date, since its status is 'closed'",
    ]


# --------------------------------------------------------------------------- #
# Délais de référence
# --------------------------------------------------------------------------- #
def test_reference_delays_read_in_french_english_and_codes(tmp_path):
    rows = [["Demande de subvention DETR", 120, "Bilan 2017"], ["Autorisation de transport exceptionnel", 45.0, None]]
    tables = [read_actuals(build(tmp_path / f"{i}.xlsx", base(**{name: [header, *rows]}))).reference_delays
              for i, (name, header) in enumerate((("Délais de référence", FR_DEL), ("Reference delays", EN_DEL),
                                                  ("reference_delays", list(REFERENCE_DELAYS_COLUMNS))))]
    for table in tables[1:]:
        pd.testing.assert_frame_equal(tables[0], table)
    t = tables[0]
    assert tuple(t.columns) == REFERENCE_DELAYS_COLUMNS
    assert t["demarche"].tolist() == ["Autorisation de transport exceptionnel", "Demande de subvention DETR"]
    assert t["reference_days"].tolist() == [45.0, 120.0] and str(t["reference_days"].dtype) == "float64"
    assert t["source"].tolist() == ["", "Bilan 2017"]


@pytest.mark.parametrize(("rows", "message"), [
    ([["Demande de subvention DETR", 0, None]],
     "Délais de référence!B2 (Délai de référence (jours)) : trouvé 0 ; attendu un délai en jours > 0"),
    ([["Demande de subvention DETR", -5, None]],
     "Délais de référence!B2 (Délai de référence (jours)) : trouvé -5 ; attendu un délai en jours > 0"),
    ([["Demande de subvention DETR", "120 jours", None]],
     "Délais de référence!B2 (Délai de référence (jours)) : trouvé le texte '120 jours' ; attendu un nombre : "
     "un délai en jours > 0"),
    ([[None, 120, "Bilan 2017"]],
     "Délais de référence!A2 (Démarche) : trouvé une cellule vide ; attendu le nom de la démarche (un texte non "
     "vide)"),
    ([["Demande de subvention DETR", 120, None], ["demande de subvention  DETR", 100, None]],
     "Délais de référence!3 : clé en double (Démarche = demande de subvention  DETR), déjà en ligne 2 ; une seule "
     "ligne par Démarche est attendue"),
])
def test_each_reference_delay_refusal_is_located_in_french(tmp_path, rows, message):
    path = build(tmp_path / "d.xlsx", base(**{"Délais de référence": [FR_DEL, *rows]}))
    assert only_problem(path) == message


# --------------------------------------------------------------------------- #
# Template
# --------------------------------------------------------------------------- #
@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return write_actuals_template(tmp_path_factory.mktemp("tpl") / "t.xlsx")


def _checks(ws) -> dict[str, object]:
    return {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}


def test_template_prefills_one_row_per_milestone(template):
    ws = load_workbook(template)["Jalons"]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]]
    assert [r[0] for r in rows] == [m["milestone_id"] for m in MILESTONES_CSV]  # J01 ... in annex III order
    assert [r[1] for r in rows] == [m["action"] for m in MILESTONES_CSV]  # as printed
    assert [r[2] or "" for r in rows] == [m["planned_end"] for m in MILESTONES_CSV]
    assert all(r[3:] == (None, None, None) for r in rows)  # the officer's cells are blank
    assert ws["B2"].fill.fgColor.rgb == ws["C2"].fill.fgColor.rgb != ws["D2"].fill.fgColor.rgb  # grey vs input
    checks = _checks(ws)
    assert checks["D2"].type == checks["E2"].type == "date" and ws["D2"].number_format == "dd/mm/yyyy"
    assert checks["A2"].type == "list"


def test_template_risk_and_reference_checks(template):
    wb = load_workbook(template)
    checks = _checks(wb["Risques"])
    assert (checks["D2"].type, checks["D2"].formula1, checks["D2"].formula2) == ("whole", "1", "4")
    assert checks["E2"].type == "whole"
    assert checks["I2"].type == checks["J2"].type == "date"
    assert checks["B2"].type == checks["H2"].type == "list"
    lists = wb["Listes"]
    status_col = [c.value for c in lists[1]].index("Statut") + 1
    assert [lists.cell(row=r, column=status_col).value for r in (2, 3)] == ["ouvert", "clos"]
    assert checks["H2"].formula1.endswith(f"!${lists.cell(row=1, column=status_col).column_letter}$2:"
                                          f"${lists.cell(row=1, column=status_col).column_letter}$3")
    ref = _checks(wb["Délais de référence"])
    assert ref["B2"].type == "decimal" and ref["B2"].operator == "greaterThan"
    sav = wb["Économies"]
    assert _checks(sav)["F2"].type == "list" and sav["G2"].number_format == "@"  # a programme is text
    nature_col = [c.value for c in lists[1]].index("Nature") + 1
    assert [lists.cell(row=r, column=nature_col).value for r in range(2, 6)] == [
        "Suppression de poste", "Non-remplacement", "Redéploiement", "Gain de productivité"]


def test_english_template_lists(tmp_path):
    wb = load_workbook(write_actuals_template(tmp_path / "en.xlsx", lang="en"))
    lists = wb["Lists"]
    heads = [c.value for c in lists[1]]
    status, nature = heads.index("Status") + 1, heads.index("Nature") + 1
    assert [lists.cell(row=r, column=status).value for r in (2, 3)] == ["open", "closed"]
    assert [lists.cell(row=r, column=nature).value for r in range(2, 6)] == [
        "Post cut", "Non-replacement", "Redeployment", "Productivity gain"]
    assert [c.value for c in wb["Milestones"][2]][:2] == ["J01", MILESTONES_CSV[0]["action"]]


def test_template_readme_explains_the_new_sheets(template):
    text = " ".join(str(c.value) for c in load_workbook(template)["Lisez-moi"]["A"] if c.value)
    for word in ("Jalons", "Risques", "Délais de référence", "Justificatif", "non documentée"):
        assert word in text, word


# --------------------------------------------------------------------------- #
# The FICTIF example and the command line
# --------------------------------------------------------------------------- #
def test_example_ledger_milestones_risks_and_references():
    a = read_actuals(EXAMPLE_ACTUALS)
    s = a.savings.set_index(["lever", "year"])
    for key, (nature, programme, evidence) in EXAMPLE_LEDGER.items():
        assert tuple(s.loc[key, ["nature", "programme", "justificatif"]]) == (nature, programme, evidence)
    natures = set(a.savings["nature"])
    assert {"post_cut", "non_replacement", "redeployment", "productivity", ""} == natures
    budget = a.savings["nature"].isin(["post_cut", "non_replacement"])
    assert (budget & (a.savings["justificatif"] == "")).any()  # a budget nature without evidence
    # the three démarches of the DS fixtures, with the agreed reference delays
    delays = dict(zip(a.reference_delays["demarche"], a.reference_delays["reference_days"], strict=True))
    assert delays == {"Demande de subvention DETR": 120.0, "Autorisation de transport exceptionnel": 45.0,
                      "Agrément d'association de protection de l'environnement": 90.0}
    r = a.risks
    assert 6 <= len(r) <= 10 and set(r["status"]) == {"open", "closed"}
    assert r["identified_on"].dt.year.isin([2019, 2020, 2021]).all()
    assert (r.loc[r["status"] == "closed", "closed_on"] >= r.loc[r["status"] == "closed", "identified_on"]).all()
    m = a.milestones.set_index("milestone_id")
    assert pd.isna(m.loc["J07", "done_on"]) and m.loc["J07", "forecast_on"] == pd.Timestamp("2022-06-30")
    assert pd.isna(m.loc["J12", "done_on"]) and pd.isna(m.loc["J12", "forecast_on"])  # late
    # every milestone with a planned end is reported (data/raw/contract/milestones.csv)
    with_end = {r["milestone_id"] for r in MILESTONES_CSV if r["planned_end"]}
    assert set(m.index) == with_end


def test_cli_check_shows_the_follow_up_lines(capsys):
    assert main(["check", "--actuals", str(EXAMPLE_ACTUALS)]) == 0
    out = capsys.readouterr().out
    n = sum(1 for r in MILESTONES_CSV if r["planned_end"])  # all reported; J07 and J12 not done
    assert f"Jalons déclarés : {n} (réalisés : {n - 2}, reprogrammés : 1)" in out
    # open risks R2 2x2, R5 2x3, R6 3x2, R7 3x4: highest score 12
    assert "Risques au registre : 8 (ouverts : 4, clos : 4) ; score le plus élevé (probabilité × impact) " \
           "parmi les ouverts : 12" in out
    assert ("Délais de référence : Agrément d'association de protection de l'environnement 90 j ; Autorisation "
            "de transport exceptionnel 45 j ; Demande de subvention DETR 120 j") in out


def test_cli_check_on_an_old_workbook_says_nothing_reported(capsys):
    assert main(["check", "--actuals", str(FIXTURES / "example_actuals_libreoffice.xlsx"), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Milestones: none reported" in out and "Risks: empty register" in out
    assert "Reference delays: no procedure" in out


def test_cli_check_refuses_a_bad_risk_with_exit_2(tmp_path):
    path = build(tmp_path / "bad.xlsx", base(Risques=[FR_RIS, risk(probability=9)]))
    proc = subprocess.run([sys.executable, "-m", "incubo_analysis", "check", "--actuals", str(path)],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [
        f"incubo check : erreur : {path} : 1 problème",
        "  - Risques!D2 (Probabilité (1–4)) : trouvé 9 ; attendu une probabilité de 1 à 4",
    ]

"""Contract milestones (annex III): the transcription against the seed, the loader's checks, the statuses.

Expected values are read from the contract by hand (seed line numbers in comments) or computed by
hand from the status rules of ``incubo_analysis.monitoring.milestones`` (assumptions J9–J11).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from incubo_analysis.contract.loaders import load_indicator_targets, load_milestones
from incubo_analysis.contract.schema import MILESTONE_COLUMNS
from incubo_analysis.errors import ActualsError, ParameterError, SchemaError
from incubo_analysis.labels import label
from incubo_analysis.monitoring.milestones import (
    MILESTONE_STATUS_BY_QUARTER_COLUMNS,
    MILESTONE_STATUS_COLUMNS,
    milestone_status,
    milestone_status_by_quarter,
    milestone_status_counts,
)
from incubo_analysis.paths import ROOT

SEED = ROOT.parent / "shared" / "seeds" / "000_b3b5df683ccc295f.txt"
ASSUMPTIONS = ROOT / "docs" / "assumptions.yaml"


def _ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def seed_lines() -> list[str]:
    if not SEED.is_file():  # the seed sits beside the checkout (shared/seeds)
        pytest.skip("seed text not available")
    return SEED.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def ms() -> pd.DataFrame:
    return load_milestones()


# ----------------------------------------------------------------------------- the CSV against the seed


def _between(lines: list[str], start: str, stop: str) -> list[str]:
    """Non-empty lines strictly between the first line starting with ``start`` and the next with ``stop``."""
    i = next(n for n, t in enumerate(lines) if t.startswith(start))
    j = next(n for n in range(i + 1, len(lines)) if lines[n].startswith(stop))
    return [_ws(t) for t in lines[i + 1:j] if t.strip()]


def test_columns_and_ids(ms):
    assert tuple(ms.columns[: len(MILESTONE_COLUMNS)]) == MILESTONE_COLUMNS
    # J01 … J73 in order, no gap
    assert ms["milestone_id"].tolist() == [f"J{i:02d}" for i in range(1, len(ms) + 1)]
    assert ms["target"].dtype == float and ms["axis"].dtype == "int64"


def test_axis_1_and_2_actions_as_printed(seed_lines, ms):
    axis1 = _between(seed_lines, "AXE 1 - ", "AXE 2 - ")  # seed lines 306–314
    axis2 = _between(seed_lines, "AXE 2 - ", "jalons et réalisations clés")  # 316–331
    assert len(axis1) == 9 and len(axis2) == 16
    actions = ms[ms.milestone_kind == "action"]
    assert actions.loc[actions.axis == 1, "action"].tolist() == axis1
    assert actions.loc[actions.axis == 2, "action"].tolist() == axis2
    # first and last as printed (extraction spelling "concernées" kept)
    assert axis1[0] == "Lancement des marchés d'accompagnement"
    assert ms["action"].iloc[4] == "Déploiement de ces démarches sur l'ensemble des services concernées"
    assert axis2[-1] == "Préparation du transfert du proto vers les administrations centrales"


def test_key_milestones_of_axes_1_and_2(seed_lines, ms):
    # the "jalons et réalisations clés": four "Objectif" lines (347–353) then ten lines (355–373)
    jalons = _between(seed_lines, "Objectif: 30 démarches", "<p>AXE 3")
    assert len(jalons) == 3 + 10
    keys = ms[ms.milestone_kind == "key_milestone"]
    first = "Objectif: 30 démarches déployées sur les 13 dpts"  # the start line of _between, seed line 347
    assert keys.loc[keys.axis == 1, "action"].tolist() == [first, *jalons[:3]]
    assert keys.loc[keys.axis == 2, "action"].tolist() == jalons[3:]
    assert jalons[3] == "Choix du prestataire" and jalons[-1].startswith("Démonstration du proto")


def test_rows_per_axis_and_every_text_is_in_the_seed(seed_lines, ms):
    # axis 1: 9 actions + 4 objectives; axis 2: 16 + 10; axis 3: the 20 distinct cells of the rows
    # 375–379 (header and indicator cells left out); axis 4: the 14 distinct cells of 380–381
    assert ms.groupby("axis").size().to_dict() == {1: 13, 2: 26, 3: 20, 4: 14}
    text = _ws(re.sub(r"</?p>", " ", "\n".join(seed_lines)))
    for action in ms["action"]:
        assert action in text, action
    # the repeated axis-3 content waves appear once each
    waves = ms.loc[ms.action.str.startswith("Livraison de la vague"), "action"].tolist()
    assert waves == [f"Livraison de la vague {k} de contenus pédagogiques" for k in range(1, 6)]
    assert ms["action"].iloc[-1] == "Evaluation de l'impact social et économique des innovations"


# Derived quarters, read by hand from the contract (milestone: start, end, indicator, target, rule)
HAND_DERIVED = {
    # § 4.2: COPIL of 11 Sep 2018 completes the inventory, COPIL of 13 Dec 2018 selects (→ 2018T3–2018T4)
    "J02": ("2018T3", "2018T4", "", None, "J2"),
    "J03": ("2018T4", "2018T4", "", None, "J2"),
    "J15": ("2018T3", "2018T4", "", None, "J2"),
    "J31": ("", "2018T4", "", None, "J2"),
    # § 5.1: 30 démarches by end 2019, 60 by end 2020, 100 by end 2021
    "J04": ("2019T1", "2019T4", "axis1_procedures_prototyped", 30.0, "J3"),
    "J08": ("2021T1", "2021T4", "axis1_procedures_prototyped", 100.0, "J3"),
    "J11": ("", "2020T4", "axis1_procedures_prototyped", 60.0, "J3"),
    # § 5.1: deployment 30 % end 2019, 60 % end 2020, 100 %
    "J05": ("", "2019T4", "axis1_deployment_rate", 0.3, "J4"),
    "J13": ("", "2021T4", "axis1_deployment_rate", 1.0, "J4"),
    # § 5.1: 3 projects incubated end 2019, 7 by 2020 (3 + 4), 10 by 2021 (+ 3)
    "J16": ("2019T1", "2019T4", "axis2_projects_incubated", 3.0, "J5"),
    "J21": ("2020T1", "2020T4", "axis2_projects_incubated", 7.0, "J5"),
    "J29": ("", "2021T4", "", None, "J5"),
    # annex III: "enrichissement de la plateforme au fil de l'eau jusqu'à la fin 2020"
    "J56": ("", "2020T4", "", None, "J6"),
    # § 5.1: 2 500 agents by end 2021
    "J53": ("", "2021T4", "axis3_agents_trained", 2500.0, "J7"),
    # § 5.1: experiments 2 by end 2019, 4 by 2020, 5 by end 2021: waves 1–2, 3–4, 5
    "J66": ("", "2019T4", "axis4_experiments_launched", None, "J8"),
    "J67": ("", "2019T4", "axis4_experiments_launched", 2.0, "J8"),
    "J69": ("", "2020T4", "axis4_experiments_launched", 4.0, "J8"),
    "J70": ("", "2021T4", "axis4_experiments_launched", 5.0, "J8"),
}


@pytest.mark.parametrize("mid", sorted(HAND_DERIVED))
def test_derived_quarters_by_hand(ms, mid):
    start, end, indicator, target, rule = HAND_DERIVED[mid]
    row = ms.set_index("milestone_id").loc[mid]
    assert (row.planned_start, row.planned_end, row.indicator) == (start, end, indicator)
    assert (pd.isna(row.target) if target is None else row.target == target)
    assert (row.quarter_source, row.assumption) == ("derived", rule)


def test_not_derivable_rows_stay_blank(ms):
    # no sentence dates the calls for tenders, the waves 2–3 calls, the axis-3 content waves
    for mid in ("J01", "J14", "J20", "J25", "J30", "J42", "J46", "J47", "J52", "J60", "J73"):
        row = ms.set_index("milestone_id").loc[mid]
        assert (row.planned_start, row.planned_end, row.quarter_source, row.assumption) == ("", "", "", "")
    # 41 rows derived: axis 1: 12 (all but J01), axis 2: 20, axis 3: J48 J53 J54 J56, axis 4: 5 waves
    derived = ms[ms.quarter_source == "derived"]
    assert derived.groupby("axis").size().to_dict() == {1: 12, 2: 20, 3: 4, 4: 5}


def test_every_derivation_is_logged_in_the_assumptions(ms):
    doc = yaml.safe_load(ASSUMPTIONS.read_text(encoding="utf-8"))
    entries = {e["id"]: e for s in doc["sections"] for t in s["tables"] for e in t["entries"]}
    derived = ms[ms.quarter_source == "derived"]
    assert derived["assumption"].str.fullmatch(r"J\d+").all()
    for rule in sorted(set(derived["assumption"])):
        assert rule in entries, rule
        # the entry names the milestones it dates
        text = entries[rule]["assumption"]["en"]
        for mid in derived.loc[derived.assumption == rule, "milestone_id"]:
            assert mid in text, (rule, mid)


def test_targets_are_the_indicator_targets_of_the_planned_end_year(ms):
    targets = load_indicator_targets().set_index(["indicator", "year"])["target"]
    linked = ms[ms.target.notna()]
    # axis 1: J04–J13 (10), axis 2: J16 J21 J26, axis 3: J53, axis 4: J67 J69 J70 → 17
    assert len(linked) == 17
    for row in linked.itertuples():
        assert targets.loc[(row.indicator, int(row.planned_end[:4]))] == row.target, row.milestone_id


# ----------------------------------------------------------------------------- loader error paths


def _edit(contract_copy: Path, old: str, new: str) -> Path:
    path = contract_copy / "milestones.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_bad_quarter(contract_copy):
    path = _edit(contract_copy, "J04,1,Prototypage de 30 démarches dématérialisées,2019T1,2019T4",
                 "J04,1,Prototypage de 30 démarches dématérialisées,2019T1,2019T5")
    with pytest.raises(SchemaError, match=r"milestones\.csv: line 5, column 'planned_end': expected a quarter "
                                          r"written 2019T4, got '2019T5'"):
        load_milestones(path)


def test_other_quarter_spellings_are_read_as_codes(contract_copy):
    path = _edit(contract_copy, "J04,1,Prototypage de 30 démarches dématérialisées,2019T1,2019T4",
                 "J04,1,Prototypage de 30 démarches dématérialisées,2019-Q1,2019-T4")
    row = load_milestones(path).iloc[3]
    assert (row.planned_start, row.planned_end) == ("2019T1", "2019T4")


def test_start_after_end(contract_copy):
    path = _edit(contract_copy, "2020T1,2020T4,axis2_projects_incubated", "2021T1,2020T4,axis2_projects_incubated")
    with pytest.raises(SchemaError) as exc:
        load_milestones(path)
    # J21 is on line 22 (header = line 1)
    assert exc.value.message_in().endswith(
        "milestones.csv : ligne 22, colonne « planned_start » : début 2021T1 après la fin 2020T4")
    assert exc.value.message_in("en").endswith("milestones.csv: line 22, column 'planned_start': "
                                               "start 2021T1 after the end 2020T4")


def test_duplicate_id(contract_copy):
    path = _edit(contract_copy, "J73,4,", "J72,4,")
    with pytest.raises(SchemaError, match=r"milestones\.csv: line 74, column 'milestone_id': duplicate line"):
        load_milestones(path)


def test_malformed_id(contract_copy):
    path = _edit(contract_copy, "J73,4,", "M73,4,")
    with pytest.raises(SchemaError, match=r"line 74, column 'milestone_id': expected an id written J01"):
        load_milestones(path)


def test_unknown_indicator(contract_copy):
    path = _edit(contract_copy, "2019T4,axis1_deployment_rate,0.3,derived,action",
                 "2019T4,axis1_deployment_ratio,0.3,derived,action")
    with pytest.raises(SchemaError) as exc:
        load_milestones(path)
    assert exc.value.message_in().endswith("ligne 6, colonne « indicator » : indicateur inconnu "
                                           "« axis1_deployment_ratio » (absent de indicators.csv)")
    assert "line 6, column 'indicator': unknown indicator 'axis1_deployment_ratio'" in str(exc.value)


def test_target_without_indicator_and_quarter_without_source(contract_copy):
    path = _edit(contract_copy, "2019T4,axis1_deployment_rate,0.3,derived,action", "2019T4,,0.3,derived,action")
    with pytest.raises(SchemaError, match=r"line 6, column 'target': a target needs an indicator"):
        load_milestones(path)
    path = _edit(contract_copy, "2019T4,,0.3,derived,action", "2019T4,,,,action")
    with pytest.raises(SchemaError, match=r"line 6, column 'quarter_source': expected a source"):
        load_milestones(path)


# ----------------------------------------------------------------------------- statuses

D = pd.Timestamp
NAT = pd.NaT

# A hand-made calendar: id -> planned end ("" = none)
CAL = pd.DataFrame({
    "milestone_id": ["M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8", "M9"],
    "axis": [1, 1, 2, 2, 3, 3, 4, 4, 4],
    "action": [f"action {i}" for i in range(1, 10)],
    "planned_end": ["2019T4", "2020T2", "", "2019T2", "2020T4", "2020T2", "2021T4", "", ""],
})
REPORTED = pd.DataFrame({
    "milestone_id": ["M1", "M2", "M3", "M5", "M6", "M7", "M9"],
    "done_on": [D("2019-11-15"), NAT, NAT, D("2021-02-01"), NAT, NAT, D("2019-05-01")],
    "forecast_on": [NAT, D("2020-11-30"), D("2020-03-15"), NAT, D("2020-05-10"), D("2020-06-30"), NAT],
    "comment": ["livré", "", "", "", "", "avancé", ""],
})

# status of M1…M9 at the end of each quarter, by hand:
# M1 planned 2019T4, done 15 Nov 2019: on time until 2019T3, done from 2019T4.
# M2 planned 2020T2, forecast 30 Nov 2020 (2020T4 > 2020T2): rescheduled until the forecast passes at the
#    end of 2020T4 (30 Nov ≤ 31 Dec) → late.
# M3 no planned end, forecast 15 Mar 2020: on time until 2019T4, late from 2020T1 (15 Mar ≤ 31 Mar).
# M4 planned 2019T2, nothing reported: on time in 2019T1, late from 2019T2 (its quarter is over).
# M5 planned 2020T4, done 1 Feb 2021: late at 2020T4, done from 2021T1.
# M6 planned 2020T2, forecast 10 May 2020 (inside 2020T2: not a reschedule): late from 2020T2.
# M7 planned 2021T4, forecast 30 Jun 2020 passed, not done: the contract date holds → on time in 2020.
# M8 no planned end, nothing reported: on time. M9 no planned end, done 1 May 2019: done from 2019T2.
EXPECTED = {
    "2019T1": ["on_time", "rescheduled", "on_time", "on_time", "on_time", "on_time", "on_time", "on_time", "on_time"],
    "2019T2": ["on_time", "rescheduled", "on_time", "late", "on_time", "on_time", "on_time", "on_time", "done"],
    "2019T3": ["on_time", "rescheduled", "on_time", "late", "on_time", "on_time", "on_time", "on_time", "done"],
    "2019T4": ["done", "rescheduled", "on_time", "late", "on_time", "on_time", "on_time", "on_time", "done"],
    "2020T1": ["done", "rescheduled", "late", "late", "on_time", "on_time", "on_time", "on_time", "done"],
    "2020T2": ["done", "rescheduled", "late", "late", "on_time", "late", "on_time", "on_time", "done"],
    "2020T3": ["done", "rescheduled", "late", "late", "on_time", "late", "on_time", "on_time", "done"],
    "2020T4": ["done", "late", "late", "late", "late", "late", "on_time", "on_time", "done"],
    "2021T1": ["done", "late", "late", "late", "done", "late", "on_time", "on_time", "done"],
}


@pytest.mark.parametrize("quarter", sorted(EXPECTED))
def test_status_by_hand(quarter):
    out = milestone_status(CAL, REPORTED, quarter)
    assert tuple(out.columns) == MILESTONE_STATUS_COLUMNS
    assert out["status"].tolist() == EXPECTED[quarter]


def test_status_columns_and_dates():
    out = milestone_status(CAL, REPORTED, "2020-T4").set_index("milestone_id")
    assert out["done_on"].dtype == "datetime64[ns]"
    # M1 done 15 Nov 2019 ≤ 31 Dec 2020 is shown; M5 done 1 Feb 2021 is after the quarter: not known yet
    assert out.loc["M1", "done_on"] == D("2019-11-15") and pd.isna(out.loc["M5", "done_on"])
    assert out.loc["M2", "forecast_on"] == D("2020-11-30")
    assert (out.loc["M1", "comment"], out.loc["M8", "comment"]) == ("livré", "")
    assert (out.loc["M3", "planned_end"], out.loc["M2", "planned_end"]) == ("", "2020T2")


def test_by_quarter_view():
    view = milestone_status_by_quarter(CAL, REPORTED, "2019T1", "2021Q1")
    assert tuple(view.columns) == MILESTONE_STATUS_BY_QUARTER_COLUMNS
    assert len(view) == 9 * 9  # 9 milestones × 9 quarters (2019T1 … 2021T1)
    for quarter, statuses in EXPECTED.items():
        assert view.loc[view.quarter == quarter, "status"].tolist() == statuses
    with pytest.raises(ParameterError) as exc:
        milestone_status_by_quarter(CAL, REPORTED, "2020T1", "2019T4")
    assert exc.value.message_in() == "premier trimestre 2020T1 après le dernier 2019T4"


def test_nothing_reported_on_the_contract_calendar(ms):
    # at the end of 2019T1 the four milestones due in 2018T4 are late (J02, J03 axis 1; J15, J31 axis 2),
    # everything else is on time
    for reported in (None, pd.DataFrame(columns=["milestone_id", "done_on", "forecast_on", "comment"])):
        out = milestone_status(ms, reported, "2019T1")
        assert sorted(out.loc[out.status == "late", "milestone_id"]) == ["J02", "J03", "J15", "J31"]
        assert (out.status == "on_time").sum() == 73 - 4
    counts = milestone_status_counts(milestone_status(ms, None, "2019T1"))
    assert counts.loc[1].tolist() == [0, 13 - 2, 2, 0] and counts.loc[2].tolist() == [0, 26 - 2, 2, 0]
    assert counts.loc[3, "on_time"] == 20 and counts.loc[4, "late"] == 0


def test_reported_errors():
    bad = REPORTED.assign(milestone_id=["M1", "M2", "M3", "J99", "M6", "M7", "M9"])
    with pytest.raises(ActualsError) as exc:
        milestone_status(CAL, bad, "2020T1")
    assert exc.value.message_in() == ("jalons renseignés (feuille Jalons) : ligne 4, colonne « milestone_id » : "
                                      "jalon inconnu « J99 » (identifiant de milestones.csv attendu, J01…)")
    twice = REPORTED.assign(milestone_id=["M1", "M2", "M3", "M5", "M6", "M7", "M1"])
    with pytest.raises(ActualsError, match=r"row 7, column 'milestone_id': milestone 'M1' reported twice"):
        milestone_status(CAL, twice, "2020T1")
    not_a_date = REPORTED.astype({"done_on": object})
    not_a_date.loc[0, "done_on"] = "bientôt"
    with pytest.raises(ActualsError) as exc:
        milestone_status(CAL, not_a_date, "2020T1")
    assert exc.value.message_in() == ("jalons renseignés (feuille Jalons) : ligne 1, colonne « done_on » : "
                                      "date attendue, reçu « bientôt »")
    with pytest.raises(SchemaError, match="2020T3"):
        milestone_status(CAL, REPORTED, "2020T5")


def test_status_labels():
    assert [label(s) for s in ("done", "on_time", "late", "rescheduled")] == [
        "réalisé", "à l'heure", "en retard", "reprogrammé"]
    assert [label(s, "en") for s in ("done", "on_time", "late", "rescheduled")] == [
        "done", "on time", "late", "rescheduled"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_column_and_code_is_labelled(lang):
    from incubo_analysis.contract.schema import MILESTONE_KINDS, QUARTER_SOURCES
    from incubo_analysis.labels import has_label
    from incubo_analysis.monitoring.milestones import MILESTONE_STATUSES

    codes = (*MILESTONE_COLUMNS, *MILESTONE_KINDS, *QUARTER_SOURCES, *MILESTONE_STATUS_BY_QUARTER_COLUMNS,
             *MILESTONE_STATUSES, "milestone_kind")
    assert [c for c in codes if not has_label(c)] == []
    assert label("milestones.status_title", lang).format(quarter="2020T3").endswith("2020T3")

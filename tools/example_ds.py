"""Build the fictitious démarches-simplifiées exports of ``data/raw/ds/`` (deterministic).

Three invented démarches (the names of the example workbook's sheet "Délais de référence"),
2019-2021, exported as demarches-simplifiees.fr did over the years:

- ``Demande de subvention DETR.xlsx``: the 2019 layout ("Passé en construction le", "Archivé";
  sheets "Dossiers", "Etablissements", "Avis"), Excel dates; démarche read from the file name;
- ``Autorisation de transport exceptionnel.xlsx``: the recent layout ("Déposé le" from
  ``depose_at``, "Dernière mise à jour du dossier le", "À archiver", "Groupe instructeur"),
  Excel dates; démarche read from the file name;
- ``agrement_association_environnement.xlsx``: the 2020 layout ("Déposé le" from
  ``en_construction_at``) with a "Démarche" column added by the officer and dates as text
  ``dd/mm/yyyy hh:mm``;
- ``formats/``: the same Agrément dossiers as a CSV (``;``, UTF-8 with BOM, dates as Ruby's
  ``Time#to_s`` ``2021-03-04 10:12:00 +0100``, as DS's CSV export writes them) and as an ODS
  (sheet named after the démarche, ODS date cells). Pass either the xlsx or one of these, not both.

Every state appears (en construction, en instruction, accepté, refusé, classé sans suite), the
dossiers still open at the export date (15 January 2022) have no "Traité le", and each file has
fake personal columns (Email, Civilité, Nom, Prénom, Instructeurs) with obviously fictitious values
(``@exemple.invalid``, ``FICTIF``) that the reader must never copy. Processing times shrink over
2019-2020 so that over 2021T1-2021T4 the median of DETR (about 48 days against 120) and of the
exceptional transports (about 16 against 45) fall by more than 50 %, and the Agrément's (about 68
against 90) does not: ``axis1_processing_time_reduction`` is 2/3 at 2021T4.

Run ``python -m tools.example_ds`` to rewrite the files; the bytes do not depend on the clock
(fixed seed, fixed zip dates and document properties).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
from openpyxl import Workbook

from incubo_analysis.io import FIXED_TIMESTAMP, atomic_write_bytes, atomic_write_text, save_workbook_deterministic
from incubo_analysis.monitoring.ds import EXAMPLE_DS_DIR

__all__ = ["SEED", "EXPORT_DATE", "DEMARCHES", "EXAMPLE_FILES", "example_dossiers", "build_example_ds"]

SEED = 20211231
EXPORT_DATE = dt.datetime(2022, 1, 15, 9, 0)  #: dossiers not decided by then are still open


@dataclass(frozen=True)
class _Demarche:
    name: str
    reference_days: float  #: the example workbook's "Délais de référence"
    n: int  #: dossiers deposited 2019-2021
    first_id: int
    median_2019: float  #: median processing time (days) at the start of 2019
    median_2021: float  #: median from October 2020 on


DEMARCHES: tuple[_Demarche, ...] = (
    _Demarche("Demande de subvention DETR", 120.0, 90, 310_000, 125.0, 48.0),
    _Demarche("Autorisation de transport exceptionnel", 45.0, 110, 330_000, 47.0, 16.0),
    _Demarche("Agrément d'association de protection de l'environnement", 90.0, 60, 350_000, 95.0, 68.0),
)

EXAMPLE_FILES: dict[str, str] = {
    "detr": "Demande de subvention DETR.xlsx",
    "transport": "Autorisation de transport exceptionnel.xlsx",
    "agrement": "agrement_association_environnement.xlsx",
    "agrement_csv": "formats/agrement_association_environnement.csv",
    "agrement_ods": "formats/agrement_association_environnement.ods",
}

_STATE_LABELS = {"en_construction": "En construction", "en_instruction": "En instruction", "accepte": "Accepté",
                 "refuse": "Refusé", "sans_suite": "Classé sans suite"}
_MOTIVATIONS = {"accepte": "Dossier complet et conforme", "refuse": "Critères d'éligibilité non remplis",
                "sans_suite": "Demande retirée par le demandeur"}
_START = dt.datetime(2019, 1, 2)
_END = dt.datetime(2021, 12, 20)
_FLAT_FROM = dt.datetime(2020, 10, 1)


def _at_work(day: dt.datetime, rng: np.random.Generator) -> dt.datetime:
    """``day`` at a working hour (8:00-17:59; no daylight-saving ambiguity)."""
    return day.replace(hour=int(rng.integers(8, 18)), minute=int(rng.integers(0, 60)), second=0, microsecond=0)


def _median_at(d: _Demarche, when: dt.datetime) -> float:
    if when >= _FLAT_FROM:
        return d.median_2021
    share = (when - _START) / (_FLAT_FROM - _START)
    return d.median_2019 + (d.median_2021 - d.median_2019) * share


def example_dossiers(d: _Demarche, rng: np.random.Generator) -> list[dict[str, object]]:
    """The dossiers of one démarche: dates (naive Paris time), state, fake personal data, its own fields."""
    span = (_END - _START).days
    offsets = np.sort(rng.integers(0, span + 1, size=d.n))
    ids = d.first_id + np.cumsum(rng.integers(1, 40, size=d.n))
    dossiers = []
    for k, (offset, number) in enumerate(zip(offsets, ids, strict=True)):
        deposited = _at_work(_START + dt.timedelta(days=int(offset)), rng)
        days = _median_at(d, deposited) * float(np.exp(rng.normal(0.0, 0.3)))
        processed = _at_work(deposited + dt.timedelta(days=max(1, round(days))), rng)
        instruction = _at_work(deposited + dt.timedelta(days=max(0, round(days * rng.uniform(0.1, 0.4)))), rng)
        instruction = max(instruction, deposited + dt.timedelta(minutes=5))
        decided = rng.choice(["accepte", "refuse", "sans_suite"], p=[0.75, 0.15, 0.10])
        if processed > EXPORT_DATE:
            state, processed = ("en_instruction" if instruction <= EXPORT_DATE else "en_construction"), None
            instruction = instruction if state == "en_instruction" else None
        else:
            state = str(decided)
        dossiers.append({
            "id": int(number), "state": state, "deposited": deposited, "instruction": instruction,
            "processed": processed, "updated": (processed or instruction or deposited) + dt.timedelta(hours=2),
            "email": f"usager.fictif{k + 1:03d}@exemple.invalid", "civilite": "M." if k % 2 else "Mme",
            "nom": "FICTIF", "prenom": f"Prénomfictif{k + 1:03d}",
            "instructeurs": f"instructeur.fictif{k % 3 + 1}@exemple.invalid" if state != "en_construction" else "",
            "motivation": _MOTIVATIONS.get(state, ""), "k": k,
        })
    _force_all_states(dossiers)
    return dossiers


def _force_all_states(dossiers: list[dict[str, object]]) -> None:
    """The last dossier deposited is still en construction, the one before en instruction."""
    last, before = dossiers[-1], dossiers[-2]
    last.update(state="en_construction", instruction=None, processed=None, motivation="", instructeurs="")
    before.update(state="en_instruction", processed=None, motivation="")
    if before["instruction"] is None or before["instruction"] > EXPORT_DATE:
        before["instruction"] = before["deposited"] + dt.timedelta(days=1)


def _own_fields(d: _Demarche, row: dict[str, object]) -> dict[str, object]:
    """The démarche's own fields (ignored by the reader)."""
    k = int(row["k"])
    if d.name.startswith("Demande"):
        return {"Montant sollicité (€)": 20_000 + 1_500 * (k % 17),
                "Nature de l'opération": ("Voirie communale", "École", "Mairie")[k % 3]}
    if d.name.startswith("Autorisation"):
        return {"Catégorie de convoi": ("1re catégorie", "2e catégorie", "3e catégorie")[k % 3],
                "Longueur du convoi (m)": 20 + k % 25}
    return {"Nom de l'association": f"Association fictive n° {k + 1}", "Département": ("09", "31", "32", "81")[k % 4]}


def _layout_2019(d: _Demarche, row: dict[str, object]) -> dict[str, object]:
    return {"ID": row["id"], "Email": row["email"], "Civilité": row["civilite"], "Nom": row["nom"],
            "Prénom": row["prenom"], "Archivé": "false", "État du dossier": _STATE_LABELS[str(row["state"])],
            "Dernière mise à jour le": row["updated"], "Passé en construction le": row["deposited"],
            "Passé en instruction le": row["instruction"], "Traité le": row["processed"],
            "Motivation de la décision": row["motivation"], "Instructeurs": row["instructeurs"],
            **_own_fields(d, row)}


def _layout_2020(d: _Demarche, row: dict[str, object]) -> dict[str, object]:
    return {"ID": row["id"], "Email": row["email"], "Civilité": row["civilite"], "Nom": row["nom"],
            "Prénom": row["prenom"], "Archivé": "false", "État du dossier": _STATE_LABELS[str(row["state"])],
            "Dernière mise à jour le": row["updated"], "Déposé le": row["deposited"],
            "Passé en instruction le": row["instruction"], "Traité le": row["processed"],
            "Motivation de la décision": row["motivation"], "Instructeurs": row["instructeurs"],
            **_own_fields(d, row)}


def _layout_recent(d: _Demarche, row: dict[str, object]) -> dict[str, object]:
    return {"ID": row["id"], "Email": row["email"], "Connecté via": "", "Civilité": row["civilite"],
            "Nom": row["nom"], "Prénom": row["prenom"], "À archiver": "false",
            "État du dossier": _STATE_LABELS[str(row["state"])], "Dernière mise à jour le": row["updated"],
            "Dernière mise à jour du dossier le": row["updated"], "Déposé le": row["deposited"],
            "Passé en instruction le": row["instruction"], "Traité le": row["processed"],
            "Motivation de la décision": row["motivation"], "Instructeurs": row["instructeurs"],
            "Groupe instructeur": "défaut", **_own_fields(d, row)}


def _xlsx(records: list[dict[str, object]], path: Path, *, extra_sheets: bool, date_text: bool) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Dossiers"
    headers = list(records[0])
    ws.append(headers)
    for record in records:
        ws.append([_cell(v, date_text) for v in record.values()])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
    if extra_sheets:  # DS's other sheets (empty here): the reader must pick "Dossiers"
        wb.create_sheet("Etablissements").append(["Dossier ID", "Champ", "Établissement SIRET"])
        wb.create_sheet("Avis").append(["Dossier ID", "Question / Introduction", "Réponse", "Créé le", "Répondu le"])
    save_workbook_deterministic(wb, path)


def _cell(value: object, date_text: bool) -> object:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime) and date_text:
        return value.strftime("%d/%m/%Y %H:%M")
    return value


def _ruby_time(value: object) -> object:
    """A Paris time as Ruby's ``Time#to_s`` writes it (DS's CSV export): ``2021-03-04 10:12:00 +0100``."""
    if not isinstance(value, dt.datetime):
        return value
    return pd.Timestamp(value).tz_localize("Europe/Paris").strftime("%Y-%m-%d %H:%M:%S %z")


def _csv(records: list[dict[str, object]], path: Path) -> None:
    frame = pd.DataFrame([{k: _ruby_time(v) for k, v in r.items()} for r in records])
    text = frame.to_csv(sep=";", index=False, lineterminator="\r\n")
    atomic_write_bytes(path, "\ufeff".encode() + text.encode("utf-8"))


_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '</manifest:manifest>'
)


def _ods_cell(value: object) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, dt.datetime):
        return (f'<table:table-cell office:value-type="date" office:date-value="{value:%Y-%m-%dT%H:%M:%S}">'
                f"<text:p>{value:%d/%m/%Y %H:%M}</text:p></table:table-cell>")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    text = escape(str(value), {'"': "&quot;"})
    return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'


def _ods(records: list[dict[str, object]], path: Path, sheet: str) -> None:
    """A minimal OpenDocument spreadsheet written by hand: its bytes never depend on the clock or process."""
    rows = [list(records[0]), *[list(r.values()) for r in records]]
    body = "".join("<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>" for row in rows)
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_ODS_NS} office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="{escape(sheet, {chr(34): "&quot;"})}">'
               f"{body}</table:table></office:spreadsheet></office:body></office:document-content>")
    stamp = FIXED_TIMESTAMP.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for name, data, method in (("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED),
                                   ("content.xml", content, zipfile.ZIP_DEFLATED),
                                   ("META-INF/manifest.xml", _ODS_MANIFEST, zipfile.ZIP_DEFLATED)):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = method
            info.external_attr = 0o600 << 16
            zout.writestr(info, data.encode("utf-8"))
    atomic_write_bytes(path, out.getvalue())


_README = """# Fictitious démarches-simplifiées exports (FICTIF)

**Every dossier here is invented.** The names, emails (`@exemple.invalid`), dates and numbers are
generated by `tools/example_ds.py` (fixed seed {seed}; `python -m tools.example_ds` rewrites these
files byte for byte). They imitate the exports of demarches-simplifiees.fr for three fictitious
démarches, with the header layouts DS has used over the years (see `docs/assumptions.md`, family D):

- `Demande de subvention DETR.xlsx`: démarche named by the file; the 2019 layout ("Passé en
  construction le", "Archivé"; sheets Dossiers, Etablissements, Avis); Excel dates.
- `Autorisation de transport exceptionnel.xlsx`: démarche named by the file; the recent layout
  ("Déposé le" from `depose_at`, "Dernière mise à jour du dossier le", "À archiver", "Groupe
  instructeur"); Excel dates.
- `agrement_association_environnement.xlsx`: Agrément d'association de protection de
  l'environnement, named by a "Démarche" column; the 2020 layout ("Déposé le" from
  `en_construction_at`); dates as text `dd/mm/yyyy hh:mm`.
- `formats/agrement_association_environnement.csv`: the same Agrément dossiers ("Démarche" column),
  CSV `;`, UTF-8 with BOM, dates as Ruby `Time#to_s` (`2021-03-04 10:12:00 +0100`).
- `formats/agrement_association_environnement.ods`: the same Agrément dossiers, named by the sheet;
  OpenDocument, recent layout, ODS date cells.

Use the three `.xlsx` files together (`incubo check --ds-export data/raw/ds/*.xlsx`); the files of
`formats/` hold the same Agrément dossiers in other formats: give one of them *instead of* the Agrément
xlsx, never both (a dossier exported twice is refused).

Reference times (the example workbook's sheet "Délais de référence"): DETR 120 days, exceptional
transport 45 days, Agrément 90 days. Processing times were drawn so that over 2021T1-2021T4 the
first two fall by more than 50 % and the third does not (`axis1_processing_time_reduction` = 2/3).
Each file carries fake personal columns (Email, Civilité, Nom, Prénom, Instructeurs): the reader
never copies them.
"""


def build_example_ds(folder: Path = EXAMPLE_DS_DIR) -> list[Path]:
    """Write the fictitious exports and their README into ``folder``; return the files written."""
    rng = np.random.default_rng(SEED)
    detr, transport, agrement = (example_dossiers(d, rng) for d in DEMARCHES)
    (folder / "formats").mkdir(parents=True, exist_ok=True)
    paths = {key: folder / name for key, name in EXAMPLE_FILES.items()}
    _xlsx([_layout_2019(DEMARCHES[0], r) for r in detr], paths["detr"], extra_sheets=True, date_text=False)
    _xlsx([_layout_recent(DEMARCHES[1], r) for r in transport], paths["transport"], extra_sheets=False,
          date_text=False)
    with_column = [{"Démarche": DEMARCHES[2].name, **_layout_2020(DEMARCHES[2], r)} for r in agrement]
    _xlsx(with_column, paths["agrement"], extra_sheets=False, date_text=True)
    _csv(with_column, paths["agrement_csv"])
    _ods([_layout_recent(DEMARCHES[2], r) for r in agrement], paths["agrement_ods"], DEMARCHES[2].name)
    readme = folder / "README.md"
    atomic_write_text(readme, _README.format(seed=SEED))
    return [*paths.values(), readme]


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.example_ds [FOLDER]``: write the exports (default ``data/raw/ds``)."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else EXAMPLE_DS_DIR
    for path in build_example_ds(folder):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

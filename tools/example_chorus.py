"""Build the fictitious Chorus extract ``data/raw/chorus/example_extract.csv`` (FICTIF).

The extract imitates a Chorus INFOCENTRE restitution exported as CSV (``;``, cp1252, CRLF line
ends, title/date/perimeter lines before the table, ``#`` for "not assigned", dates ``31.12.2021``,
amounts in euros with a decimal comma) and is read with the default ``params/chorus_mapping.yaml``.
Every figure is invented. It reproduces the FTAP credits of the example workbook
(``data/raw/actuals/example_actuals.xlsx``, read with ``read_actuals``: sheet "Crédits", FTAP rows summed
over axes and budget titles, by year × quarter × AE/CP) **exactly, except two deliberate differences**
(:data:`DELIBERATE`), so that the cross-check (``incubo check --chorus … --actuals …``) has something
to show:

- 2020 T3, CP: a payment of 2 480,00 € booked in Chorus that the workbook does not declare
  (Chorus = workbook + 2,48 k€);
- 2021 T2, AE: a commitment reduced in Chorus by 1 750,00 € (amount type 150, negative) that the
  workbook does not show (Chorus = workbook − 1,75 k€).

Besides the lines that make up the workbook's totals, the extract holds lines that must *not* count:

- a commitment booked above its final amount, then corrected by a negative line (type 150) in the
  next month (every other quarter), and cancelled payments (a payment and its negative twin, type 100);
- reductions (type 200) of the commitments by their payments (not AE consumption);
- carry-overs of the open commitments to the next year (type 350, dated 1 January: not new
  consumption);
- lines on two other activities (same BOP, and another programme), filtered out;
- ``#`` for the documents of the cancellations and the functional area of the other programme.

The bytes depend only on the workbook's credits (no randomness, no date of writing):
``python -m tools.example_chorus`` rebuilds the committed file identically.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pandas as pd

from incubo_analysis.monitoring.reader import read_actuals
from incubo_analysis.paths import EXAMPLE_ACTUALS, EXAMPLE_CHORUS

__all__ = ["DELIBERATE", "ACTIVITY", "example_chorus_rows", "render_example_chorus", "build_example_chorus", "main"]

ACTIVITY = "034901011101"  # annex I: PREF IncubO Dép SIC
CENTRE = "0349-CDBU-DR31"  # annex I: BOP-UO 0349-CDBU-DR31
DOMAIN = "0349-01"  # annex I: action / functional area 0349-01
OTHER_SAME_BOP = "034901011102"  # fictitious other activity of the same BOP
OTHER_PROGRAMME = ("035401020101", "0354-DR31-DR31")  # fictitious activity of another programme
#: (year, quarter, credit) -> cents added in Chorus on top of the workbook's total.
DELIBERATE: dict[tuple[int, int, str], int] = {(2020, 3, "CP"): 248_000, (2021, 2, "AE"): -175_000}
AMOUNT_TYPES = {100: "Original", 150: "Modification", 200: "Réduction", 350: "Report exercice suivant"}
HEADER = ["Exercice comptable", "Centre financier", "Domaine fonctionnel", "Activité", "Type de montant",
          "Type de montant", "Nature de crédit", "Date comptable", "N° pièce", "Montant (EUR)"]
PREAMBLE = [
    ["Restitution INFOCENTRE – exécution détaillée AE / CP (extraction FICTIVE, données inventées)"],
    ["Dernière MàJ des données :"],
    ["31.01.2022 06:00:00"],
    ["Affichage :"],
    ["Périmètre :", "Centre financier " + CENTRE],
    ["Exercice comptable :", "2019 à 2021"],
    [],
]


def _workbook_cents(actuals_path: str | os.PathLike[str]) -> dict[tuple[int, int, str], int]:
    """FTAP credits of the workbook in cents of euro, by (year, quarter, credit)."""
    credits = read_actuals(actuals_path).credits
    ftap = credits.loc[credits["source"] == "FTAP"]
    out: dict[tuple[int, int, str], int] = {}
    for (year, quarter), group in ftap.groupby(["year", "quarter"], sort=True):
        for credit, col in (("AE", "ae_keur"), ("CP", "cp_keur")):
            out[(int(year), int(quarter), credit)] = round(float(group[col].sum()) * 100_000)
    return out


def _euros(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100},{abs(cents) % 100:02d}"


def _row(day: pd.Timestamp, credit: str, amount_type: int, cents: int, document: str, *,
         activity: str = ACTIVITY, centre: str = CENTRE, domain: str = DOMAIN) -> list[str]:
    return [str(day.year), centre, domain, activity, str(amount_type), AMOUNT_TYPES[amount_type], credit,
            day.strftime("%d.%m.%Y"), document, _euros(cents)]


def _quarter_rows(year: int, quarter: int, index: int, totals: dict[tuple[int, int, str], int]) -> list[list[str]]:
    """Lines of one quarter on the contract's activity (their counted sum is the total, plus DELIBERATE)."""
    month = 3 * (quarter - 1) + 1
    day = lambda m, d: pd.Timestamp(year, month + m, d)  # noqa: E731 - local shorthand
    ej = f"2103{year % 100:02d}{quarter}{index:03d}"
    rows: list[list[str]] = []
    ae = totals.get((year, quarter, "AE"), 0)
    if ae:
        bump = 123_456 if index % 2 == 0 else 0  # booked above, corrected next month
        rows.append(_row(day(0, 5 + quarter), "AE", 100, ae + bump, ej))
        if bump:
            rows.append(_row(day(1, 12), "AE", 150, -bump, ej))
    cp = totals.get((year, quarter, "CP"), 0)
    if cp:
        first = cp * 3 // 5
        rows.append(_row(day(1, 15), "CP", 100, first, f"1000{year % 100:02d}{quarter}{index:03d}1"))
        rows.append(_row(day(2, 25), "CP", 100, cp - first, f"1000{year % 100:02d}{quarter}{index:03d}2"))
        rows.append(_row(day(1, 15), "AE", 200, -first, ej))  # the commitment reduced by its payment
        if index % 3 == 1:  # a payment cancelled the same quarter
            rows.append(_row(day(2, 3), "CP", 100, 50_000, "#"))
            rows.append(_row(day(2, 10), "CP", 100, -50_000, "#"))
    if (year, quarter, "CP") in DELIBERATE:
        rows.append(_row(day(2, 18), "CP", 100, DELIBERATE[(year, quarter, "CP")], f"1000{year % 100:02d}9990"))
    if (year, quarter, "AE") in DELIBERATE:
        rows.append(_row(day(2, 20), "AE", 150, DELIBERATE[(year, quarter, "AE")], ej))
    return rows


def _other_rows(year: int, quarter: int, index: int) -> list[list[str]]:
    """Lines on other activities (filtered out by the reader)."""
    day = pd.Timestamp(year, 3 * (quarter - 1) + 2, 8)
    code, centre = OTHER_PROGRAMME
    return [
        _row(day, "AE", 100, 1_000_000 + 12_345 * index, f"2103{index:06d}", activity=OTHER_SAME_BOP),
        _row(day, "CP", 100, 400_000 + 6_789 * index, f"1000{index:06d}", activity=OTHER_SAME_BOP),
        _row(day, "CP", 100, 250_000 + 1_111 * index, f"1001{index:06d}", activity=code, centre=centre, domain="#"),
    ]


def example_chorus_rows(actuals_path: str | os.PathLike[str] = EXAMPLE_ACTUALS) -> list[list[str]]:
    """The table of the extract (header first), sorted by posting date, activity, credit and document."""
    totals = _workbook_cents(actuals_path)
    quarters = sorted({(y, q) for y, q, _ in totals})
    rows: list[list[str]] = []
    for index, (year, quarter) in enumerate(quarters):
        rows += _quarter_rows(year, quarter, index, totals) + _other_rows(year, quarter, index)
    for year in sorted({y for y, _ in quarters}):  # open commitments carried over on 1 January
        open_cents = sum(totals.get((year, q, "AE"), 0) for q in range(1, 5)) // 10
        rows.append(_row(pd.Timestamp(year + 1, 1, 1), "AE", 350, open_cents, f"2103{year % 100:02d}0000"))
    rows.sort(key=lambda r: (r[7][6:], r[7][3:5], r[7][:2], r[3], r[6], r[8], r[4], r[9]))
    return [HEADER, *rows]


def render_example_chorus(actuals_path: str | os.PathLike[str] = EXAMPLE_ACTUALS) -> bytes:
    """The bytes of the extract: cp1252, ``;``, CRLF, every line padded to the table's width."""
    width = len(HEADER)
    lines = [";".join([*row, *[""] * (width - len(row))]) for row in PREAMBLE + example_chorus_rows(actuals_path)]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def build_example_chorus(path: str | os.PathLike[str] = EXAMPLE_CHORUS,
                         actuals_path: str | os.PathLike[str] = EXAMPLE_ACTUALS) -> Path:
    """Write the extract (default ``data/raw/chorus/example_extract.csv``) and return its path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(render_example_chorus(actuals_path))
    return out


def main(argv: list[str] | None = None) -> int:
    """Rebuild the example extract: ``python -m tools.example_chorus [PATH]``."""
    argv = sys.argv[1:] if argv is None else argv
    path = build_example_chorus(argv[0]) if argv else build_example_chorus()
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

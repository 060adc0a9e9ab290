"""Small builders shared by the test modules (not fixtures)."""

from __future__ import annotations

from pathlib import Path


def add_savings_rows(source: Path, dest: Path, sheet: str, rows) -> Path:
    """Copy the workbook ``source`` to ``dest`` with savings rows appended to ``sheet``.

    ``rows``: (lever code, year, FTE freed) triples written in the first three columns
    (Lever / Year / FTE freed in both languages of the template; the reader accepts codes).
    """
    import openpyxl

    wb = openpyxl.load_workbook(source)
    ws = wb[sheet]
    for lever, year, etp in rows:
        row = ws.max_row + 1
        for column, value in enumerate((lever, year, etp), start=1):
            ws.cell(row=row, column=column, value=value)
    wb.save(dest)
    return dest

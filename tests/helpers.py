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


def build_workbook(path: Path, content: dict) -> Path:
    """Write an xlsx at ``path``: one sheet per ``content`` key, its rows (header first) from A1; None = blank."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in content.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
    wb.save(path)
    return path

"""The shared disk helpers: atomic file and folder writes, the deterministic xlsx writer."""

from __future__ import annotations

import datetime as dt
import os
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from incubo_analysis.io import (
    FIXED_TIMESTAMP,
    atomic_output_dir,
    atomic_write_bytes,
    atomic_write_text,
    save_workbook_deterministic,
)


def test_atomic_write_bytes_creates_parents_and_replaces(tmp_path):
    target = tmp_path / "a" / "b" / "file.bin"
    assert atomic_write_bytes(target, b"first") == target
    atomic_write_bytes(target, b"second")
    assert target.read_bytes() == b"second"
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)
    assert sorted(p.name for p in target.parent.iterdir()) == ["file.bin"]


def test_atomic_write_text_is_utf8_without_newline_translation(tmp_path):
    target = tmp_path / "t.yaml"
    atomic_write_text(target, "coût: 57 k€\r\nx\n")
    assert target.read_bytes() == "coût: 57 k€\r\nx\n".encode()


def test_atomic_write_failure_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "keep.txt"
    target.write_text("old")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_bytes(target, b"new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_atomic_write_refuses_a_folder_as_target(tmp_path):
    (tmp_path / "dir").mkdir()
    with pytest.raises(OSError):
        atomic_write_bytes(tmp_path / "dir", b"x")
    assert [p.name for p in tmp_path.iterdir()] == ["dir"]


def test_atomic_output_dir_keeps_the_old_folder_on_error(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("old")
    with pytest.raises(RuntimeError), atomic_output_dir(out) as tmp:
        (tmp / "new.txt").write_text("new")
        raise RuntimeError("failed half-way")
    assert [p.name for p in out.iterdir()] == ["old.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def _book() -> Workbook:
    wb = Workbook()
    wb.active["A1"] = 12.5
    return wb


def test_deterministic_workbook_bytes_do_not_depend_on_the_clock(tmp_path):
    wb = _book()
    wb.properties.created = dt.datetime(2031, 5, 6, 7, 8, 9)  # replaced by the fixed date
    a = save_workbook_deterministic(wb, tmp_path / "a.xlsx")
    b = save_workbook_deterministic(_book(), tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2018, 1, 1, 0, 0, 0)}
        core = zf.read("docProps/core.xml").decode()
    assert "2018-01-01T00:00:00Z" in core
    assert load_workbook(a).active["A1"].value == 12.5


def test_deterministic_workbook_takes_another_fixed_date(tmp_path):
    stamp = dt.datetime(1980, 1, 1)
    path = save_workbook_deterministic(_book(), tmp_path / "w.xlsx", timestamp=stamp)
    with zipfile.ZipFile(path) as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "1980-01-01T00:00:00Z" in zf.read("docProps/core.xml").decode()
    assert dt.datetime(2018, 1, 1) == FIXED_TIMESTAMP

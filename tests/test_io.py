"""The shared disk helpers: atomic file and folder writes, the deterministic xlsx writer."""

from __future__ import annotations

import datetime as dt
import os
import zipfile

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from incubo_analysis.errors import InputError
from incubo_analysis.io import (
    FIXED_TIMESTAMP,
    OUTPUT_MARKER,
    atomic_output_dir,
    atomic_write_bytes,
    atomic_write_text,
    check_output_dir,
    output_files_dir,
    save_workbook_deterministic,
    write_csv,
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
    with atomic_output_dir(out) as tmp:
        (tmp / "old.txt").write_text("old")
    with pytest.raises(RuntimeError), atomic_output_dir(out) as tmp:
        (tmp / "new.txt").write_text("new")
        raise RuntimeError("failed half-way")
    assert sorted(p.name for p in out.iterdir()) == [OUTPUT_MARKER, "old.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]


def test_marker_names_the_command_and_lists_the_files_without_a_date(tmp_path):
    for _ in range(2):
        with atomic_output_dir(tmp_path / "out", command="incubo scenario") as tmp:
            (tmp / "b.csv").write_text("b")
            (tmp / "sub").mkdir()
            (tmp / "sub" / "a.txt").write_text("a")
        text = (tmp_path / "out" / OUTPUT_MARKER).read_text(encoding="utf-8")
        assert text.startswith("# written by `incubo scenario`")
        assert text.splitlines()[1:] == ["b.csv", "sub/a.txt"]


def test_output_dir_of_the_user_is_refused_and_kept(tmp_path):
    out = tmp_path / "mydocs"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"years of work")
    with pytest.raises(InputError, match=r"^--out .*mydocs: holds thesis.docx, which incubo did not write"), \
            atomic_output_dir(out):
        raise AssertionError("not reached")
    assert (out / "thesis.docx").read_bytes() == b"years of work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mydocs"]  # refused before the lock


def test_a_file_added_to_an_incubo_folder_blocks_the_replacement(tmp_path):
    out = tmp_path / "out"
    with atomic_output_dir(out) as tmp:
        (tmp / "a.csv").write_text("a")
    (out / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="holds notes.txt, which incubo did not write"):
        check_output_dir(out)
    (out / "notes.txt").unlink()
    assert check_output_dir(out) == out


def test_a_forged_or_foreign_marker_does_not_make_a_folder_incubo_s(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / OUTPUT_MARKER).write_text("thesis.docx\n")  # no incubo header
    (out / "thesis.docx").write_text("x")
    with pytest.raises(InputError, match="thesis.docx"):
        check_output_dir(out)


def test_refusal_lists_at_most_three_entries(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in "abcde":
        (out / name).write_text(name)
    with pytest.raises(InputError, match=r"holds a, b, c and 2 more, which"):
        check_output_dir(out, option="--processed")


def test_an_empty_folder_is_taken_and_marked(tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    with atomic_output_dir(out) as tmp:
        (tmp / "x.csv").write_text("x")
    assert sorted(p.name for p in out.iterdir()) == [OUTPUT_MARKER, "x.csv"]


def test_leftovers_of_a_killed_run_are_removed_but_nothing_else(tmp_path):
    out = tmp_path / "out"
    for name in (".out.tmp-abcd1234", ".out.old-zz_y9876"):
        (tmp_path / name / "out").mkdir(parents=True)
        (tmp_path / name / "out" / "partial.csv").write_text("half")
    keep = [".out.tmp-TOOLONG123", ".other.tmp-abcd1234", "out.tmp-abcd1234"]
    for name in keep:
        (tmp_path / name).mkdir()
    with atomic_output_dir(out) as tmp:
        (tmp / "a.csv").write_text("a")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*keep, ".out.lock", "out"])


def test_a_run_holding_the_lock_makes_the_next_wait_then_refuses(tmp_path):
    from filelock import FileLock

    out = tmp_path / "out"
    with FileLock(tmp_path / ".out.lock"), pytest.raises(InputError, match=r"another incubo run is writing"), \
            atomic_output_dir(out, lock_timeout=0.2):
        raise AssertionError("not reached")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock"]


@pytest.mark.parametrize("where", ["file_parent", "file_grandparent"])
def test_a_parent_that_is_a_file_is_refused(tmp_path, where):
    (tmp_path / "f").write_text("x")
    out = tmp_path / "f" / "out" if where == "file_parent" else tmp_path / "f" / "a" / "out"
    with pytest.raises(InputError, match=r"f is a file, not a folder"):
        check_output_dir(out)


def test_a_read_only_parent_is_refused(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        if os.access(ro, os.W_OK):
            pytest.skip("permissions do not apply to this user (root)")
        with pytest.raises(InputError, match="cannot write in .*ro .permission denied"):
            check_output_dir(ro / "out")
    finally:
        ro.chmod(0o755)


def test_a_parent_without_write_access_is_refused_whoever_runs(tmp_path, monkeypatch):
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p) == str(tmp_path) else real_access(p, mode))
    with pytest.raises(InputError, match="cannot write in .* .permission denied.; choose another output folder"):
        check_output_dir(tmp_path / "out")


def test_symbolic_link_is_refused(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(InputError, match="is a symbolic link"):
        check_output_dir(tmp_path / "link")


def test_files_mode_keeps_other_files_and_refuses_to_overwrite_a_user_file(tmp_path):
    (tmp_path / "README.md").write_text("mine")
    (tmp_path / ".t.csv.tmp-abcd1234").write_text("left by a killed run")
    with output_files_dir(tmp_path, ["t.csv"], command="incubo check") as folder:
        write_csv(pd.DataFrame({"a": [1]}), folder / "t.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == [OUTPUT_MARKER, ".incubo-output.lock", "README.md", "t.csv"]
    with output_files_dir(tmp_path, ["t.csv", "u.csv"]) as folder:  # its own t.csv: replaced
        write_csv(pd.DataFrame({"a": [2]}), folder / "t.csv")
    assert (tmp_path / "t.csv").read_text() == "a\n2\n"
    (tmp_path / "v.csv").write_text("user's")
    with pytest.raises(InputError, match=r"--processed .*: holds v.csv, which incubo did not write"), \
            output_files_dir(tmp_path, ["v.csv"], option="--processed"):
        raise AssertionError("not reached")
    assert (tmp_path / "v.csv").read_text() == "user's"


def test_write_csv_neutralises_formulas_in_text_only(tmp_path):
    frame = pd.DataFrame({
        "text": ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "-12.5", "+3e2", "ok", None],
        "number": [-12.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
        "=col": list(range(10)),
    })
    write_csv(frame, tmp_path / "t.csv")
    lines = (tmp_path / "t.csv").read_bytes().decode("utf-8").split("\n")  # no newline translation
    assert lines[0] == "text,number,'=col"
    assert lines[1] == "\"'=HYPERLINK(\"\"http://x\"\")\",-12.5,0"
    assert [ln.split(",")[0] for ln in lines[2:5]] == ["'+1+1", "'-2+3", "'@SUM(A1)"]
    assert lines[5].startswith("'\tx,") and lines[6].startswith("'\rx,")
    assert [ln.split(",")[0] for ln in lines[7:11]] == ["-12.5", "+3e2", "ok", ""]
    back = pd.read_csv(tmp_path / "t.csv")
    assert back["number"].tolist()[0] == -12.5


def test_write_csv_is_atomic(tmp_path, monkeypatch):
    target = tmp_path / "t.csv"
    target.write_text("old")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_csv(pd.DataFrame({"a": [1]}), target)
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"] and target.read_text() == "old"


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


def test_a_folder_that_cannot_be_read_is_refused(tmp_path, monkeypatch):
    out = tmp_path / "out"
    with atomic_output_dir(out) as tmp:
        (tmp / "a.csv").write_text("a")

    def denied(path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "scandir", denied)  # os.walk and os.listdir both fail
    monkeypatch.setattr(os, "listdir", denied)
    with pytest.raises(InputError, match=r"cannot read what it holds \(Permission denied\)"):
        check_output_dir(out)

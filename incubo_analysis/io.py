"""Small disk helpers shared by every stage.

Atomic writes (a file or a whole folder appears complete or not at all),
deterministic CSV and xlsx files (same inputs, same bytes), file hashes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl import Workbook

__all__ = [
    "atomic_output_dir",
    "atomic_write_bytes",
    "atomic_write_text",
    "save_workbook_deterministic",
    "FIXED_TIMESTAMP",
    "write_csv",
    "sha256_file",
]

#: The date stamped into every deterministic xlsx (document properties and zip
#: entries), so that a workbook's bytes never depend on the time of writing.
FIXED_TIMESTAMP = dt.datetime(2018, 1, 1, 0, 0, 0)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *, mode: int = 0o644) -> Path:
    """Write ``data`` to ``path`` atomically: the file is complete or untouched.

    The bytes go to a temporary file beside ``path`` (same file system), which
    is then renamed over it; on any error the temporary file is removed and an
    existing ``path`` is left exactly as it was. Missing parent folders are
    created.

    Parameters
    ----------
    path : path
        Destination file (replaced if it exists).
    data : bytes
        The whole content.
    mode : int
        Permission bits of the new file (default ``0o644``).

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "sub" / "a.bin"
    >>> atomic_write_bytes(target, b"abc").read_bytes()
    b'abc'
    """
    path = Path(path)
    parent = path.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def atomic_write_text(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write_bytes`).

    The text is encoded with ``encoding`` and written as is (no newline
    translation).

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    return atomic_write_bytes(path, text.encode(encoding))


def save_workbook_deterministic(
    wb: Workbook, path: str | os.PathLike[str], *, timestamp: dt.datetime = FIXED_TIMESTAMP
) -> Path:
    """Save an openpyxl workbook atomically, with bytes independent of the clock.

    openpyxl stamps ``docProps/core.xml`` with the current time and the zip
    entries with the current date; both are replaced by ``timestamp``. The
    actuals template and its FICTIF example are written with it; every
    workbook the project writes should be.

    Parameters
    ----------
    wb : openpyxl.Workbook
        The workbook.
    path : path
        Destination (written to a temporary file beside it, then renamed).
    timestamp : datetime.datetime
        The fixed date (default :data:`FIXED_TIMESTAMP`, 2018-01-01; a zip
        entry cannot hold a date before 1980).

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    buf = io.BytesIO()
    wb.save(buf)
    stamp = timestamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                              rb"\g<1>" + stamp + rb"\g<2>", data)
            zi = zipfile.ZipInfo(info.filename, date_time=timestamp.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            zout.writestr(zi, data)
    return atomic_write_bytes(path, out.getvalue())


@contextlib.contextmanager
def atomic_output_dir(out: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary folder that replaces ``out`` only if the block succeeds.

    The temporary folder is created beside ``out`` (same file system, so the
    final move is a rename). On any exception it is removed and ``out`` is left
    exactly as it was; on success an existing ``out`` is replaced.

    Parameters
    ----------
    out : path
        Final output folder.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> base = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_output_dir(base / "out") as tmp:
    ...     _ = (tmp / "a.txt").write_text("x")
    >>> sorted(p.name for p in (base / "out").iterdir())
    ['a.txt']
    """
    out = Path(out)
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if out.exists() or out.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=parent))
        os.replace(out, old / out.name)
    try:
        os.replace(tmp, out)
    except BaseException:
        if old is not None:
            os.replace(old / out.name, out)
            shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    os.chmod(out, 0o755)


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write ``frame`` as a deterministic UTF-8 CSV (no index, ``\\n`` line ends).

    Floats are written with up to 10 significant decimals after rounding to
    1e-9 so that tiny floating-point noise never changes a file.
    """
    path = Path(path)
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(9)
    out.to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
    return path


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Return the SHA-256 hex digest of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()

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
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pandas as pd

from incubo_analysis.errors import InputError
from incubo_analysis.paths import DATA_PROCESSED, ROOT

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl import Workbook

__all__ = [
    "atomic_output_dir",
    "output_files_dir",
    "check_output_dir",
    "OUTPUT_MARKER",
    "LOCK_TIMEOUT_S",
    "atomic_write_bytes",
    "atomic_write_text",
    "save_workbook_deterministic",
    "FIXED_TIMESTAMP",
    "write_csv",
    "neutralise_formula",
    "FORMULA_PREFIXES",
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


#: Name of the marker file incubo writes into every output folder it makes. It lists the
#: files incubo wrote there (no date: same run, same bytes); a folder that carries it, and
#: holds nothing else, is incubo's own and the next run with the same output may replace it.
OUTPUT_MARKER = ".incubo-output"

#: Seconds a run waits for another incubo run that writes the same output folder before
#: giving up with exit code 2 (a report holds its folder for its whole build).
LOCK_TIMEOUT_S: float = 300.0

_MARKER_HEAD = ("# written by `{command}` (incubo-analysis). The next incubo run with this output folder "
                "replaces the files listed below; a folder holding anything else is never replaced.\n")
#: Temporary folders of :func:`atomic_output_dir` (``tempfile.mkdtemp``'s 8-character suffix).
_LEFTOVER_DIR = r"^\.{name}\.(?:tmp|old)-[a-z0-9_]{{8}}$"
#: Temporary files of :func:`atomic_write_bytes` (``mkstemp``), and of incubo before 0.2.
_LEFTOVER_FILE = r"^\.{name}\.tmp(?:-[a-z0-9_]{{8}})?$"
_SHOWN_ENTRIES = 3


def _refuse(option: str, out: str | os.PathLike[str], key: str, **fields: object) -> NoReturn:
    """Refuse ``out``: the reason ``out.KEY`` of the label table, in English and in French."""
    from incubo_analysis.labels import label  # the label table imports the errors, not this module

    texts = {lang: f"{option} {out}: " + label(f"out.{key}", lang).format(**fields) for lang in ("fr", "en")}
    raise InputError(texts["en"], texts=texts)


def _entries(names: list[str]) -> list[str]:
    """The first few names of ``names``, line breaks shown as ``\\n`` (never a second line)."""
    return [n.replace("\n", "\\n").replace("\r", "\\r") for n in names[:_SHOWN_ENTRIES]]


def _target(out: str | os.PathLike[str], option: str) -> Path:
    """The output folder as an absolute path (parent resolved, the folder itself not followed)."""
    raw = Path(os.path.abspath(out))  # "." and ".." against the working folder
    if not raw.name:
        _refuse(option, out, "root")
    return raw.parent.resolve() / raw.name


def _refuse_protected(target: Path, option: str, out: str | os.PathLike[str]) -> None:
    """Refuse the working folder, the project folder, their parents and a folder holding data/raw."""
    real = target.resolve()
    cwd = Path.cwd().resolve()
    if real == cwd or real in cwd.parents:
        _refuse(option, out, "working")
    if real == ROOT or real in ROOT.parents:
        _refuse(option, out, "project")
    if os.path.isdir(real / "data" / "raw"):
        _refuse(option, out, "data_raw")


def _check_parent(target: Path, option: str, out: str | os.PathLike[str]) -> None:
    """The nearest existing parent must be a folder this process may write in."""
    parent = target.parent
    while not os.path.exists(parent) and parent != parent.parent:
        parent = parent.parent
    if not os.path.isdir(parent):
        _refuse(option, out, "parent_file", parent=parent)
    if not os.access(parent, os.W_OK | os.X_OK):
        _refuse(option, out, "parent_readonly", parent=parent)


def _listed(folder: Path) -> set[str] | None:
    """The files listed by ``folder``'s marker, or None when it has no (readable) marker."""
    marker = folder / OUTPUT_MARKER
    if marker.is_symlink() or not marker.is_file():
        return None
    try:
        with open(marker, encoding="utf-8") as fh:
            text = fh.read(1 << 20)
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith("# written by `incubo"):
        return None
    return {line for line in text.splitlines() if line and not line.startswith("#")}


def _files(folder: Path) -> set[str]:
    """Every file (and symbolic link) under ``folder``, as POSIX paths relative to it."""
    def fail(exc: OSError) -> None:
        raise exc

    found: set[str] = set()
    for here, dirs, files in os.walk(folder, onerror=fail):  # an unreadable subfolder: not known to be ours
        rel = Path(here).relative_to(folder)
        found.update((rel / f).as_posix() for f in files)
        found.update((rel / d).as_posix() for d in dirs if os.path.islink(os.path.join(here, d)))
    found.discard(OUTPUT_MARKER)
    return found


def _foreign(folder: Path, names: Sequence[str] | None) -> list[str]:
    """What incubo would replace in ``folder`` without having written it."""
    listed = _listed(folder)
    if names is not None:  # files mode: only the files written are replaced
        if listed is None and folder.resolve() == DATA_PROCESSED:
            return []  # the project's own folder of generated tables
        return sorted(n for n in names if os.path.lexists(folder / n) and n not in (listed or set()))
    if listed is None:
        return sorted(os.listdir(folder))
    return sorted(_files(folder) - listed)


def check_output_dir(out: str | os.PathLike[str], *, option: str = "--out",
                     names: Sequence[str] | None = None) -> Path:
    """Refuse an output folder whose writing could lose a file that incubo did not write.

    Refused (:class:`~incubo_analysis.errors.InputError`, one line naming ``option``): the
    working folder or one of its parents (``.``, ``..``), the project folder or one of its
    parents, a folder holding ``data/raw``, a symbolic link, a path whose nearest existing
    parent is a file or not writable, an existing file, and an existing folder holding
    anything incubo did not write (it is not empty and has no :data:`OUTPUT_MARKER`, or holds
    files its marker does not list). Nothing is created.

    Parameters
    ----------
    out : path
        The output folder as the user gave it.
    option : str
        The command-line option shown in messages (``--out``, ``--processed``).
    names : sequence of str, optional
        Files mode (:func:`output_files_dir`): only these files of the folder would be
        replaced, so only they must be incubo's (the folder may hold anything else).

    Returns
    -------
    pathlib.Path
        The absolute output folder.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> base = pathlib.Path(tempfile.mkdtemp())
    >>> check_output_dir(base / "new") == base / "new"
    True
    >>> _ = (base / "mine").mkdir(), (base / "mine" / "thesis.docx").write_text("x")
    >>> check_output_dir(base / "mine")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    incubo_analysis.errors.InputError: --out .../mine: holds thesis.docx, which incubo did not write; ...
    """
    target = _target(out, option)
    _refuse_protected(target, option, out)
    _check_parent(target, option, out)
    if target.is_symlink():
        _refuse(option, out, "symlink")
    if os.path.lexists(target) and not target.is_dir():
        _refuse(option, out, "not_a_folder")
    if target.is_dir():
        try:
            foreign = _foreign(target, names)
        except OSError as exc:
            _refuse(option, out, "unreadable", reason=exc.strerror)
        if foreign:
            more = len(foreign) - _SHOWN_ENTRIES
            _refuse(option, out, "foreign_more" if more > 0 else "foreign", entries=", ".join(_entries(foreign)),
                    more=more)
    return target


def _make_parents(target: Path, option: str, out: str | os.PathLike[str]) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _refuse(option, out, "cannot_create_parent", parent=target.parent, reason=exc.strerror)


@contextlib.contextmanager
def _locked(lock_path: Path, option: str, out: str | os.PathLike[str], timeout: float | None) -> Iterator[None]:
    """Hold ``lock_path`` (an OS file lock, released if the process dies), or refuse after ``timeout``."""
    from filelock import FileLock, Timeout

    timeout = LOCK_TIMEOUT_S if timeout is None else timeout
    lock = FileLock(lock_path, timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        _refuse(option, out, "locked", seconds=f"{timeout:g}")
    try:
        yield
    finally:
        lock.release()


def _remove_leftovers(folder: Path, pattern: str, names: Sequence[str], *, dirs: bool) -> None:
    """Remove what a killed run left in ``folder``: temporary entries of ``names`` only."""
    matches = [re.compile(pattern.format(name=re.escape(n))) for n in names]
    for entry in os.scandir(folder):
        if not any(m.match(entry.name) for m in matches) or entry.is_symlink():
            continue
        if dirs and entry.is_dir():
            shutil.rmtree(entry.path, ignore_errors=True)
        elif not dirs and entry.is_file():
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def _write_marker(folder: Path, command: str, files: set[str]) -> None:
    text = _MARKER_HEAD.format(command=command) + "".join(f"{f}\n" for f in sorted(files))
    atomic_write_text(folder / OUTPUT_MARKER, text)


def _swap(tmp: Path, target: Path) -> None:
    """Move the finished ``tmp`` onto ``target`` (an existing one is replaced)."""
    old = None
    if os.path.lexists(target):
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.replace(target, old / target.name)
    try:
        os.replace(tmp, target)
    except BaseException:
        if old is not None:
            os.replace(old / target.name, target)
            shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    os.chmod(target, 0o755)


@contextlib.contextmanager
def atomic_output_dir(out: str | os.PathLike[str], *, command: str = "incubo", option: str = "--out",
                      lock_timeout: float | None = None) -> Iterator[Path]:
    """Yield a temporary folder that replaces ``out`` only if the block succeeds.

    ``out`` is first checked by :func:`check_output_dir` (nothing of the user's is ever
    replaced: bad folders raise :class:`~incubo_analysis.errors.InputError`). The run then
    holds a lock file ``.NAME.lock`` beside ``out`` (another run on the same folder waits up
    to ``lock_timeout`` seconds, then is refused), removes the temporary folders a killed run
    left beside it (``.NAME.tmp-*``, ``.NAME.old-*``), and yields a new temporary folder
    beside ``out`` (same file system, so the final move is a rename). On any exception it is
    removed and ``out`` is left exactly as it was; on success the marker
    :data:`OUTPUT_MARKER`, listing the files written, is added and the folder replaces ``out``.
    The lock file stays (an empty file: removing it would break the lock of a waiting run).

    Parameters
    ----------
    out : path
        Final output folder.
    command : str
        The command named in the marker (e.g. ``"incubo scenario"``).
    option : str
        The command-line option shown in messages.
    lock_timeout : float, optional
        Seconds to wait for another run writing ``out`` (default :data:`LOCK_TIMEOUT_S`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> base = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_output_dir(base / "out") as tmp:
    ...     _ = (tmp / "a.txt").write_text("x")
    >>> sorted(p.name for p in (base / "out").iterdir())
    ['.incubo-output', 'a.txt']
    >>> sorted(p.name for p in base.iterdir())
    ['.out.lock', 'out']
    """
    target = check_output_dir(out, option=option)
    _make_parents(target, option, out)
    with _locked(target.parent / f".{target.name}.lock", option, out, lock_timeout):
        _remove_leftovers(target.parent, _LEFTOVER_DIR, [target.name], dirs=True)
        check_output_dir(out, option=option)  # again, under the lock
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
        try:
            yield tmp
            _write_marker(tmp, command, _files(tmp))
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _swap(tmp, target)


@contextlib.contextmanager
def output_files_dir(out: str | os.PathLike[str], names: Sequence[str], *, command: str = "incubo",
                     option: str = "--out", lock_timeout: float | None = None) -> Iterator[Path]:
    """Yield the folder ``out`` for writing the files ``names`` into it (files mode).

    For a folder that may hold other files (``data/processed`` holds its README): only the
    files ``names`` are written, each atomically (write them with :func:`write_csv` or
    :func:`atomic_write_bytes`); anything else in the folder is left alone. Refused as in
    :func:`check_output_dir` (``names`` given: a file of that name must have been written by
    incubo). The run holds the lock file ``out/.incubo-output.lock``, removes the temporary
    files a killed run left (``.NAME.tmp-*``), and writes the marker :data:`OUTPUT_MARKER`
    listing ``names`` (with those of earlier runs still present) before the block, so that a
    run killed half-way leaves files the next run may replace.

    Parameters
    ----------
    out : path
        The folder (created if missing).
    names : sequence of str
        File names the block writes into it.
    command, option, lock_timeout
        As for :func:`atomic_output_dir`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> base = pathlib.Path(tempfile.mkdtemp())
    >>> (base / "notes.txt").write_text("mine") and None
    >>> with output_files_dir(base, ["t.csv"]) as folder:
    ...     _ = atomic_write_text(folder / "t.csv", "a\\n")
    >>> sorted(p.name for p in base.iterdir())
    ['.incubo-output', '.incubo-output.lock', 'notes.txt', 't.csv']
    """
    names = list(names)
    target = check_output_dir(out, option=option, names=names)
    _make_parents(target, option, out)
    try:
        target.mkdir(exist_ok=True)
    except OSError as exc:
        _refuse(option, out, "cannot_create", reason=exc.strerror)
    with _locked(target / f"{OUTPUT_MARKER}.lock", option, out, lock_timeout):
        check_output_dir(out, option=option, names=names)
        _remove_leftovers(target, _LEFTOVER_FILE, [*names, OUTPUT_MARKER], dirs=False)
        earlier = {n for n in (_listed(target) or set()) if os.path.lexists(target / n)}
        _write_marker(target, command, earlier | set(names))
        yield target


#: First characters that make a spreadsheet read a CSV cell as a formula (OWASP "CSV injection").
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise_formula(value: object) -> object:
    """Prefix ``'`` to a text that a spreadsheet would run as a formula; anything else as is.

    A text starting with one of :data:`FORMULA_PREFIXES` gets a leading apostrophe (the
    OWASP recommendation: the cell then shows as text), unless the whole text is a plain
    decimal number such as ``-12.5`` or ``+3e2`` (a spreadsheet reads it as that number,
    which runs nothing). Numbers, missing values and other texts are returned unchanged.

    Examples
    --------
    >>> print(neutralise_formula('=HYPERLINK("http://x", "y")'))
    '=HYPERLINK("http://x", "y")
    >>> neutralise_formula("-12.5"), neutralise_formula(-12.5), neutralise_formula("-2+3")
    ('-12.5', -12.5, "'-2+3")
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write ``frame`` as a deterministic UTF-8 CSV (no index, ``\\n`` line ends), atomically.

    Floats are written with up to 10 significant decimals after rounding to
    1e-9 so that tiny floating-point noise never changes a file. Text cells (and column
    names) that a spreadsheet would run as a formula are neutralised by
    :func:`neutralise_formula`; numeric columns are untouched. The file is written by
    :func:`atomic_write_bytes` (complete or untouched).
    """
    path = Path(path)
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if pd.api.types.is_float_dtype(series):
            out[col] = series.round(9)
        elif isinstance(series.dtype, pd.CategoricalDtype) or pd.api.types.is_object_dtype(series) \
                or pd.api.types.is_string_dtype(series):
            out[col] = series.astype(object).map(neutralise_formula)
    out.columns = [neutralise_formula(c) for c in out.columns]
    text = out.to_csv(None, index=False, lineterminator="\n", float_format="%.10g")
    return atomic_write_bytes(path, text.encode("utf-8"))


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Return the SHA-256 hex digest of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()

"""Drive the scenario explorer in JupyterLab with headless Chromium (shared by the test and the benchmark).

- :class:`LabServer` starts JupyterLab on 127.0.0.1 with a random token and a free
  port, serving a temporary folder that holds a *copy* of ``notebooks/00_explorer.ipynb``
  (JupyterLab may autosave what it runs: the project's notebook is never written),
  with its config, data, runtime, settings and workspace folders in that temporary
  folder too (nothing of the user's is read or touched). The kernel is the
  project's ``.venv`` Python with the package installed in editable mode, so the
  explorer saves into the project's ``params/``. :meth:`LabServer.stop` (also run on
  leaving the ``with`` block, on failure too) stops the server and its kernels.
- :func:`launch_chromium` starts the Debian ``/usr/bin/chromium`` through Playwright
  (never ``playwright install``) with a fresh profile.
- :class:`ExplorerPage` opens the notebook, runs all cells from the command palette,
  waits for the explorer and reads / moves its widgets through the CSS classes the
  explorer puts on them (``tests/browser/HOOKS.md``).

Every wait is bounded (:data:`TIMEOUT_MS` and the deadlines below).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "00_explorer.ipynb"
CHROMIUM = Path(os.environ.get("INCUBO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Longest wait for one thing in the page (ms): a chart, a message, a widget.
TIMEOUT_MS = 30_000
#: Longest wait for the explorer after Run All (ms): imports and the first charts, on a loaded machine.
STARTUP_TIMEOUT_MS = 120_000
#: Longest wait for the server to answer (s).
SERVER_TIMEOUT_S = 90.0
#: The charts, ``incubo-chart-<name>``.
CHARTS = ("savings", "payback")

# JupyterLab settings that keep the page quiet and offline: no news or update check,
# no autosave (the copy would be rewritten; the project's notebook never is).
_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}

# In the page: the key-down time and the time each chart image / the metrics table changed.
_PROBE_JS = """
() => {
  if (window.__incubo) { return; }
  const sel = {savings: '.incubo-chart-savings img', payback: '.incubo-chart-payback img'};
  const probe = {keydown: null, changed: {}, last: {}, metrics: null, lastMetrics: null};
  const look = () => {
    const now = performance.now();
    for (const [name, s] of Object.entries(sel)) {
      const img = document.querySelector(s);
      const src = img ? img.getAttribute('src') : null;
      if (src && src !== probe.last[name]) { probe.last[name] = src; probe.changed[name] = now; }
    }
    const table = document.querySelector('.incubo-metrics table');
    const text = table ? table.textContent : null;
    if (text !== null && text !== probe.lastMetrics) { probe.lastMetrics = text; probe.metrics = now; }
  };
  look();
  probe.changed = {}; probe.metrics = null;
  new MutationObserver(look).observe(document.body,
    {subtree: true, childList: true, attributes: true, attributeFilter: ['src'], characterData: true});
  window.addEventListener('keydown', (e) => { probe.keydown = performance.now(); probe.changed = {};
    probe.metrics = null; }, true);
  window.__incubo = probe;
}
"""


# In the page: the input prompts of the code cells ("[1]:", "[*]:", ...).
_PROMPTS_JS = "() => Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt'), p => p.textContent.trim())"


def chromium_missing_message() -> str:
    """What to do when the Debian Chromium is absent."""
    return (
        f"{CHROMIUM} not found: install Debian's Chromium with `apt-get update && apt-get install -y chromium` "
        "(as root; `make test-browser` does it when run as root), or point INCUBO_CHROMIUM at a Chromium binary"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LabServer:
    """A JupyterLab server of its own, on 127.0.0.1, serving a copy of the explorer notebook.

    Use it as a context manager; the server (and its kernels) is stopped on leaving,
    whatever happened.
    """

    notebook: Path = NOTEBOOK
    token: str = field(default_factory=lambda: secrets.token_hex(24))
    port: int = 0
    workdir: Path | None = None
    proc: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def notebook_url(self) -> str:
        """The notebook's page (``reset``: no saved workspace is restored)."""
        return f"{self.url}/lab/tree/{self.notebook.name}?reset&token={self.token}"

    def __enter__(self) -> LabServer:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def _prepare_dirs(self) -> dict[str, str]:
        self.workdir = Path(tempfile.mkdtemp(prefix="incubo-lab-"))
        served = self.workdir / "notebooks"
        served.mkdir()
        shutil.copy2(self.notebook, served / self.notebook.name)
        settings = self.workdir / "settings"
        for name, values in _SETTINGS.items():
            path = settings / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        env = dict(os.environ)
        for var, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                         ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython")):
            (self.workdir / sub).mkdir()
            env[var] = str(self.workdir / sub)
        env["JUPYTER_PLATFORM_DIRS"] = "1"
        env.pop("JUPYTER_TOKEN", None)
        return env

    def _command(self) -> list[str]:
        assert self.workdir is not None
        cmd = [
            sys.executable, "-m", "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.workdir / 'notebooks'}",
            f"--LabApp.user_settings_dir={self.workdir / 'settings'}",
            f"--LabApp.workspaces_dir={self.workdir / 'workspaces'}",
            "--LabApp.news_url=",
            "--ServerApp.open_browser=False",
        ]
        if os.getuid() == 0:
            cmd.append("--allow-root")
        return cmd

    def start(self) -> None:
        """Start the server on a free port (three tries) and wait until it answers."""
        env = self._prepare_dirs()
        assert self.workdir is not None
        self.log_path = self.workdir / "server.log"
        last_error = ""
        for _attempt in range(3):
            self.port = _free_port()
            with open(self.log_path, "ab") as log:
                self.proc = subprocess.Popen(
                    self._command(), cwd=self.workdir, env=env, stdout=log, stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL, start_new_session=True,
                )
            try:
                self._wait_ready()
                return
            except RuntimeError as exc:  # port taken in between, or a slow start: try again
                last_error = str(exc)
                self._terminate()
        raise RuntimeError(f"JupyterLab did not start: {last_error}\n{self.log_tail()}")

    def _wait_ready(self) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + SERVER_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with code {self.proc.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=5) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.25)
        raise RuntimeError(f"server not answering after {SERVER_TIMEOUT_S:.0f} s")

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server's log (for failure messages)."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def _terminate(self) -> None:
        """Stop the server process started here (SIGTERM, then SIGKILL of its own process group)."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(OSError):
            req = urllib.request.Request(f"{self.url}/api/shutdown?token={self.token}", method="POST", data=b"")
            urllib.request.urlopen(req, timeout=5).close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)  # the group created for this server only
                proc.wait(timeout=10)

    def stop(self) -> None:
        """Stop the server and remove its temporary folder."""
        self._terminate()
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None


@contextlib.contextmanager
def launch_chromium(viewport: tuple[int, int] = (1600, 1200)):
    """Playwright's sync API driving the Debian Chromium with a fresh profile; yields a browser context.

    The profile (``--user-data-dir``) is a new temporary folder, removed afterwards;
    Playwright takes it as ``launch_persistent_context``'s first argument.
    """
    if not CHROMIUM.exists():
        raise FileNotFoundError(chromium_missing_message())
    profile = tempfile.mkdtemp(prefix="incubo-chromium-")
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                profile, executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
                viewport={"width": viewport[0], "height": viewport[1]}, timeout=TIMEOUT_MS,
            )
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def control_selector(key: str) -> str:
    """CSS selector of a control (``incubo-ctl-<key>``; the ``.`` of ``etp.<lever>`` escaped)."""
    return ".incubo-ctl-" + key.replace(".", "\\.")


class ExplorerPage:
    """The explorer notebook open in a Playwright page."""

    def __init__(self, page: Any, server: LabServer) -> None:
        self.page = page
        self.server = server
        page.set_default_timeout(TIMEOUT_MS)

    # ------------------------------------------------------------------ startup
    def open(self) -> None:
        """Open the notebook and wait until its kernel is idle."""
        page = self.page
        page.on("dialog", lambda dialog: dialog.dismiss())
        page.goto(self.server.notebook_url(), wait_until="domcontentloaded", timeout=STARTUP_TIMEOUT_MS)
        page.locator(".jp-Notebook .jp-Cell").first.wait_for(state="visible", timeout=STARTUP_TIMEOUT_MS)
        page.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
        page.wait_for_function(
            """() => { const s = document.querySelector('.jp-Notebook-ExecutionIndicator');
                       return s && s.getAttribute('data-status') === 'idle'; }""",
            timeout=STARTUP_TIMEOUT_MS,
        )

    def run_all(self, tries: int = 6) -> float:
        """Run all cells from the command palette (keyboard); returns the page time (ms) of the Enter press.

        The palette is opened with Ctrl+Shift+C, "Run All Cells" typed and chosen with
        Enter. While JupyterLab is still settling (keys being bound, focus moving as the
        kernel connects) the palette may not open or close again at once: the whole
        sequence is then tried again, until the cells are seen queued or running.
        """
        page = self.page
        box = page.locator(".lm-CommandPalette-input")
        item = page.locator(".lm-CommandPalette-item", has_text="Run All Cells").first
        for _attempt in range(tries):
            try:
                page.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
                page.keyboard.press("Escape")
                page.keyboard.press("Control+Shift+C")
                box.fill("Run All Cells", timeout=3_000)
                item.wait_for(state="visible", timeout=3_000)
                label = item.locator(".lm-CommandPalette-itemLabel").inner_text(timeout=3_000).strip()
                assert label == "Run All Cells", f"command palette offers {label!r} first, not 'Run All Cells'"
                prompts = page.evaluate(_PROMPTS_JS)
                started = float(page.evaluate("performance.now()"))
                page.keyboard.press("Enter")
                page.wait_for_function(  # a cell queued or running ([*]), or a new execution count
                    f"(before) => {{ const now = ({_PROMPTS_JS})();"
                    " return now.some(t => t.includes('*')) || now.join('|') !== before.join('|'); }",
                    arg=prompts, timeout=5_000, polling="raf",
                )
                return started
            except PlaywrightTimeout:
                continue
        raise RuntimeError(f"Run All Cells could not be started from the command palette in {tries} tries")

    def wait_explorer(self) -> float:
        """Wait for the explorer and both chart images; returns the page time (ms) the first image appeared.

        Raises
        ------
        RuntimeError
            A cell printed an error (its text is in the message).
        """
        page = self.page
        page.wait_for_function(
            """() => { const i = document.querySelector('.incubo-chart-savings img, .incubo-chart-payback img');
                       if (i && i.complete && i.naturalWidth > 0) { window.__incuboFirst ??= performance.now(); }
                       return !!window.__incuboFirst || !!document.querySelector(
                         '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'); }""",
            timeout=STARTUP_TIMEOUT_MS, polling="raf",
        )
        first = page.evaluate("window.__incuboFirst")
        if first is None:
            raise RuntimeError(f"the notebook failed before showing the explorer:\n{self.cell_errors()}")
        for name in CHARTS:
            page.locator(f".incubo-chart-{name} img").first.wait_for(state="visible", timeout=STARTUP_TIMEOUT_MS)
        page.locator(".incubo-metrics table").wait_for(state="visible", timeout=STARTUP_TIMEOUT_MS)
        page.evaluate(_PROBE_JS)
        return float(first)

    def cell_errors(self) -> str:
        """The error outputs (tracebacks) shown in the notebook, as text."""
        texts = self.page.locator(
            '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
        ).all_inner_texts()
        return "\n".join(texts)[-4000:]

    # ------------------------------------------------------------------ reading
    def chart_src(self, name: str) -> str:
        """The ``src`` of a chart's image (a ``data:image/png`` URL)."""
        return self.page.locator(f".incubo-chart-{name} img").first.get_attribute("src") or ""

    def chart_srcs(self) -> dict[str, str]:
        return {name: self.chart_src(name) for name in CHARTS}

    def metrics(self) -> dict[str, tuple[str, str]]:
        """The metrics table: label -> (explored scenario, contract baseline), as shown."""
        rows = self.page.locator(".incubo-metrics table tbody tr").evaluate_all(
            "rows => rows.map(r => Array.from(r.cells, c => c.textContent.trim()))"
        )
        return {row[0]: (row[1], row[2]) for row in rows}

    def metrics_text(self) -> str:
        return self.page.locator(".incubo-metrics table").inner_text()

    def handle(self, key: str) -> Any:
        """The focusable handle of a control's slider."""
        return self.page.locator(f"{control_selector(key)} .noUi-handle").first

    def slider_state(self, key: str) -> tuple[float, float, float]:
        """(value, min, max) of a control, from the slider handle's ARIA attributes.

        The value is ``aria-valuetext`` (noUiSlider keeps it current; ipywidgets leaves
        ``aria-valuenow`` at the first value).
        """
        h = self.handle(key)
        return tuple(float(h.get_attribute(a) or "nan") for a in ("aria-valuetext", "aria-valuemin", "aria-valuemax"))

    def save_message(self, fragment: str) -> str:
        """Wait for the save row's message (``incubo-save-message``) containing ``fragment``; returns its text."""
        loc = self.page.locator(".incubo-save-message", has_text=fragment).last
        loc.wait_for(state="visible")
        return loc.inner_text().strip()

    # ------------------------------------------------------------------ acting
    def press(self, key: str, arrow: str) -> float:
        """Focus a slider's handle and press an arrow key; returns the page time (ms) of the key-down."""
        h = self.handle(key)
        h.focus()
        self.page.keyboard.press(arrow)
        return float(self.page.evaluate("window.__incubo.keydown"))

    def run_code_cell(self, code: str) -> str:
        """Add a code cell at the end of the notebook, type ``code``, run it (Shift+Enter); returns its output.

        What the notebook invites the officer to do (``explorer.save_to_params(...)`` in
        a new cell). The page holds a temporary copy of the notebook (autosave off).
        """
        page = self.page
        cells = page.locator(".jp-Notebook .jp-Cell")
        count = cells.count()
        cells.last.locator(".jp-InputPrompt").first.click()
        page.keyboard.press("Escape")
        page.keyboard.press("b")  # command mode: insert a cell below
        cell = cells.nth(count)
        cell.wait_for(state="visible")
        cell.locator(".cm-content").click()
        page.keyboard.insert_text(code)
        page.keyboard.press("Shift+Enter")
        prompt = cell.locator(".jp-InputPrompt").first
        page.wait_for_function(
            "(el) => /\\[\\d+\\]/.test(el.textContent)", arg=prompt.element_handle(), polling=100,
        )
        return cell.locator(".jp-OutputArea").first.inner_text().strip()

    def mark(self) -> None:
        """Start a new measurement without a key press (before a click): forget the changes seen."""
        self.page.evaluate("(() => { const p = window.__incubo; p.keydown = performance.now(); p.changed = {};"
                           " p.metrics = null; })()")

    def wait_probe(self, charts: tuple[str, ...], metrics: bool, timeout_ms: int = TIMEOUT_MS) -> dict[str, float]:
        """Wait until the probe saw the given charts (and the metrics table) change since the last key-down."""
        self.page.wait_for_function(
            """([charts, metrics]) => { const p = window.__incubo;
                 return charts.every(c => p.changed[c] !== undefined) && (!metrics || p.metrics !== null); }""",
            arg=[list(charts), metrics], timeout=timeout_ms, polling="raf",
        )
        probe = self.page.evaluate("({keydown: window.__incubo.keydown, changed: window.__incubo.changed,"
                                   " metrics: window.__incubo.metrics})")
        out = {name: probe["changed"][name] - probe["keydown"] for name in charts}
        if metrics:
            out["metrics"] = probe["metrics"] - probe["keydown"]
        return out

    def arrow_towards_inside(self, key: str, direction: int) -> tuple[str, int]:
        """The arrow that moves a control one step in ``direction`` (+1/-1), turning back at a bound."""
        value, lo, hi = self.slider_state(key)
        if direction > 0 and value >= hi:
            direction = -1
        elif direction < 0 and value <= lo:
            direction = 1
        return ("ArrowRight" if direction > 0 else "ArrowLeft"), direction

    def settle(self, quiet_ms: int = 400, timeout_ms: int = TIMEOUT_MS) -> None:
        """Wait until neither chart nor the metrics table changed for ``quiet_ms``."""
        self.page.wait_for_function(
            """(quiet) => { const p = window.__incubo; const now = performance.now();
                 const times = [p.metrics ?? 0, ...Object.values(p.changed)];
                 const lastChange = Math.max(p.keydown ?? 0, ...times);
                 return now - lastChange > quiet; }""",
            arg=quiet_ms, timeout=timeout_ms, polling=100,
        )

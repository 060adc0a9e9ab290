"""Fixtures of the browser test: one JupyterLab server, one Chromium, the explorer run once.

Run with ``make test-browser`` (the ``[browser]`` and ``[lab]`` extras and Debian's
``chromium``); ``make test`` never collects this folder. The server and the browser
are module-scoped: starting them and running the notebook costs seconds, and the
tests then act on the same explorer, each from a known state (the reset button).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from explorer_lab import CHROMIUM, ExplorerPage, LabServer, chromium_missing_message, launch_chromium


@pytest.fixture(scope="module")
def lab() -> Iterator[LabServer]:
    """A JupyterLab server of its own (stopped afterwards, on failure too)."""
    if not CHROMIUM.exists():
        pytest.fail(chromium_missing_message(), pytrace=False)
    with LabServer() as server:
        yield server


@pytest.fixture(scope="module")
def explorer(lab: LabServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ExplorerPage]:
    """The explorer notebook opened in headless Chromium, all cells run, the explorer shown."""
    with launch_chromium() as context:
        page = context.new_page()
        ex = ExplorerPage(page, lab)
        try:
            ex.open()
            ex.run_all()
            ex.wait_explorer()
        except Exception as exc:
            shot = tmp_path_factory.mktemp("browser") / "startup-failure.png"
            try:
                errors = ex.cell_errors()
                page.screenshot(path=str(shot))
            except Exception as inner:  # noqa: BLE001 - the page itself is broken: say so, keep the first error
                errors = f"(cannot read the page: {inner})"
            raise RuntimeError(f"{exc}\n--- screenshot: {shot} ---\n--- notebook errors ---\n{errors}\n"
                               f"--- server log ---\n{lab.log_tail()}") from exc
        yield ex

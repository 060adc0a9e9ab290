"""Shared fixtures, and the ``kernel`` marker that ``make test-fast`` deselects."""

from __future__ import annotations

import inspect
import re
import shutil
from pathlib import Path

import pytest

from incubo_analysis.paths import CONTRACT_DIR

# Fixtures that start Jupyter kernels (defined in the test modules that use them).
KERNEL_FIXTURES = {"notebook_kernel", "reports", "page"}
# Calls in a test's own source that start a kernel.
KERNEL_CALLS = re.compile(r"\b(execute_notebook|NotebookClient|KernelManager|start_new_kernel)\b|--nbval")


def _starts_a_kernel(item: pytest.Item) -> bool:
    if item.path.suffix == ".ipynb":  # an nbval cell
        return True
    if item.get_closest_marker("kernel") is not None:
        return True
    if KERNEL_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    func = getattr(item, "function", None)
    if func is None:  # doctests
        return False
    try:
        return bool(KERNEL_CALLS.search(inspect.getsource(func)))
    except (OSError, TypeError):
        return False


# What makes a kernel-free test slow: another process (a CLI run, a race, LibreOffice), a fuzz
# suite (hundreds of generated inputs) or the explorer's background drawing of every horizon.
SLOW_CALLS = re.compile(r"\b(subprocess|Popen|sys\.executable|soffice|wait_until_drawn|mp_context|_cli)\b")
SLOW_FILES = ("test_fuzz_scenarios.py", "test_fuzz_workbooks.py")


def _is_slow(item: pytest.Item) -> bool:
    if item.path.name in SLOW_FILES:
        return True
    func = getattr(item, "function", None)
    if func is None:
        return False
    try:
        return bool(SLOW_CALLS.search(inspect.getsource(func)))
    except (OSError, TypeError):
        return False


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests ``kernel`` (nbval cells, papermill, report runs) and ``slow`` (other processes, fuzz).

    ``make test-fast`` deselects both; ``make test`` runs everything.
    """
    for item in items:
        if _starts_a_kernel(item):
            item.add_marker(pytest.mark.kernel)
        elif _is_slow(item):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _no_kernel_unless_marked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test not marked ``kernel`` that launches one fails at once: ``make test-fast`` stays kernel-free."""
    if request.node.get_closest_marker("kernel") is not None:
        return
    from jupyter_client.manager import KernelManager

    async def refuse(self, *args, **kwargs):
        raise RuntimeError(f"{request.node.nodeid} starts a Jupyter kernel: mark it @pytest.mark.kernel "
                           "(or use a fixture listed in tests/conftest.py KERNEL_FIXTURES)")

    monkeypatch.setattr(KernelManager, "_async_launch_kernel", refuse)


@pytest.fixture
def contract_copy(tmp_path: Path) -> Path:
    """A private copy of data/raw/contract that a test may damage."""
    dest = tmp_path / "contract"
    shutil.copytree(CONTRACT_DIR, dest)
    return dest


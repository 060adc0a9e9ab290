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


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that starts a kernel ``kernel`` (nbval cells, papermill, report runs)."""
    for item in items:
        if _starts_a_kernel(item):
            item.add_marker(pytest.mark.kernel)


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


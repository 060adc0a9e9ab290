"""Shared fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from incubo_analysis.paths import CONTRACT_DIR


@pytest.fixture
def contract_copy(tmp_path: Path) -> Path:
    """A private copy of data/raw/contract that a test may damage."""
    dest = tmp_path / "contract"
    shutil.copytree(CONTRACT_DIR, dest)
    return dest

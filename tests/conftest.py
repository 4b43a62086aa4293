"""Shared fixtures: the real data in ../shared (skipped when absent), plugin isolation."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NANOKIT_SHARED", REPO.parent / "shared"))

# Tests do not pick up whatever plugins happen to be installed; plugin tests opt back in.
os.environ.setdefault("NANOKIT_DISABLE_PLUGINS", "1")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` (or ``$NANOKIT_SHARED/data``); skips the test where it is absent."""
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"real test data not found at {data} (set NANOKIT_SHARED to the shared folder)")
    return data

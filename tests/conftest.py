"""Shared fixtures: the real data in ../shared (skipped when absent), plugin isolation, a tiny
trained-network stand-in."""

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


@pytest.fixture
def tiny_network(tmp_path: Path) -> tuple[dict, Path]:
    """A two-level U-Net's model config and its (untrained) weights as safetensors."""
    pytest.importorskip("torch")
    from nanokit.apis.model import build_model
    from nanokit.utils.checkpoint import save_weights

    model = dict(
        type="EncoderDecoder",
        num_classes=2,
        backbone=dict(type="UNetEncoder", channels=(4, 8)),
        decoder=dict(type="UNetDecoder", channels=(4,), attention=dict(type="Identity")),
    )
    weights = save_weights(build_model(dict(model=model)).eval(), tmp_path / "tiny.safetensors")
    return model, weights

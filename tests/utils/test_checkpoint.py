"""Weights files that cannot be read are one NanokitError, whatever the reader raised."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import pytest

from nanokit.errors import NanokitError
from nanokit.utils.checkpoint import read_state_dict


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("weights.safetensors", b"\xff" * 64),  # a header length far beyond the file
        ("weights.pth", b"not a torch file"),
        ("weights.pth", b""),
    ],
)
def test_an_unreadable_weights_file_is_one_error(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    warns = pytest.warns(UserWarning) if name.endswith(".pth") else nullcontext()
    with pytest.raises(NanokitError, match=f"cannot read weights {path}: ") as info, warns:
        read_state_dict(path)
    assert "\n" not in str(info.value)


def test_a_missing_weights_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(NanokitError, match="weights file not found"):
        read_state_dict(tmp_path / "none.safetensors")

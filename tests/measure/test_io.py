"""Reading micrographs: bit depths, colour, alpha, size limits."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import tifffile

from nanokit.io import ImageReadError, read_image, to_grey8
from nanokit.io import images as io_images


def test_sixteen_bit_tiff_is_rescaled(tmp_path: Path) -> None:
    data = np.linspace(1000, 3000, 100 * 80).reshape(80, 100).astype(np.uint16)
    tifffile.imwrite(tmp_path / "a.tif", data)
    loaded = read_image(tmp_path / "a.tif")
    assert loaded.grey.dtype == np.uint8 and loaded.grey.min() == 0 and loaded.grey.max() == 255
    assert loaded.flags == ["16-bit rescaled to 8-bit"]


def test_colour_and_alpha(tmp_path: Path) -> None:
    grey = np.tile(np.arange(100, dtype=np.uint8), (70, 1))
    cv2.imwrite(str(tmp_path / "g.png"), np.dstack([grey, grey, grey]))
    assert read_image(tmp_path / "g.png").flags == []  # grey stored as RGB: nothing lost
    rgba = np.dstack([grey, grey // 2, grey, np.full_like(grey, 128)])
    loaded = to_grey8(rgba)
    assert loaded.flags == ["alpha dropped", "colour converted to grey"]
    assert loaded.grey.shape == (70, 100)


def test_size_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ImageReadError, match="too small"):
        to_grey8(np.zeros((32, 200), np.uint8))
    cv2.imwrite(str(tmp_path / "big.png"), np.zeros((100, 100), np.uint8))
    monkeypatch.setattr(io_images, "MAX_PIXELS", 5000)
    with pytest.raises(ImageReadError, match="too large"):
        read_image(tmp_path / "big.png")

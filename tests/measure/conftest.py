"""Small synthetic micrographs with known discs, and a stand-in for calibrate_image."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from nanokit.calibration.record import CalibrationRecord


@contextlib.contextmanager
def registered_segmenter(cls: type) -> Iterator[type]:
    """``cls`` in SEGMENTERS for the duration of the block (test-only segmenters)."""
    from nanokit.registry import SEGMENTERS

    SEGMENTERS.register_module(module=cls)
    try:
        yield cls
    finally:
        SEGMENTERS._module_dict.pop(cls.__name__, None)


def write_noisy(path: Path, grey: np.ndarray, seed: int = 0) -> Path:
    """``grey`` blurred (sigma 1 px) with Gaussian noise (sigma 3) added, written as 8-bit."""
    noise = np.random.default_rng(seed).normal(0, 3, grey.shape)
    noisy = cv2.GaussianBlur(grey.astype(np.float32), (0, 0), 1.0) + noise
    cv2.imwrite(str(path), np.clip(noisy, 0, 255).astype(np.uint8))
    return path


def _fake_calibrate(
    path: str | Path,
    image: np.ndarray | None = None,
    *,
    scale: float | None = None,
    scalebar: str = "auto",
    engine: object = None,
) -> CalibrationRecord:
    """Manual scale when given, else an unreadable scale bar (no OCR in these tests)."""
    if scale is not None:
        return CalibrationRecord(image=Path(path).name, ok=True, nm_per_px=scale, source="manual")
    return CalibrationRecord(image=Path(path).name, ok=False, error="scale bar unreadable")


def _disc_image(
    seed: int, n: int = 12, shape: tuple[int, int] = (240, 320)
) -> tuple[np.ndarray, list[int]]:
    """Bright, separated discs on a noisy dark background; returns the image and the radii."""
    rng = np.random.default_rng(seed)
    image = np.full(shape, 50, np.float64)
    radii: list[int] = []
    taken = np.zeros(shape, bool)
    while len(radii) < n:
        r = int(rng.integers(6, 14))
        x, y = (
            int(rng.integers(r + 3, shape[1] - r - 3)),
            int(rng.integers(r + 3, shape[0] - r - 3)),
        )
        disc = np.zeros(shape, np.uint8)
        cv2.circle(disc, (x, y), r + 3, 1, -1)
        if (taken & (disc > 0)).any():
            continue
        taken |= disc > 0
        cv2.circle(image, (x, y), r, 190, -1)
        radii.append(r)
    image += rng.normal(0, 6, shape)
    return np.clip(image, 0, 255).astype(np.uint8), radii


@pytest.fixture
def disc_folder(tmp_path: Path) -> Path:
    """A folder of three disc images (img0.png .. img2.png)."""
    folder = tmp_path / "images"
    folder.mkdir()
    for i in range(3):
        cv2.imwrite(str(folder / f"img{i}.png"), _disc_image(i)[0])
    return folder


@pytest.fixture
def disc_image():  # noqa: ANN201 - returns the function
    """``disc_image(seed) -> (image, radii)``: the images of :func:`disc_folder`."""
    return _disc_image


@pytest.fixture
def run_measure():  # noqa: ANN201 - returns the function
    """``run_measure(paths, out, scale=2.5, segmenter=None)``: measure with a stand-in
    calibration (and the default segmenter unless one is named)."""
    from nanokit.apis.measure import make_settings, measure

    def run(
        paths: list[Path], out: Path, scale: float | str | None = 2.5, segmenter: str | None = None
    ) -> dict:
        settings = make_settings(scale=scale)
        if segmenter is not None:
            settings.segmenter = {"type": segmenter}
        settings.calibrate = _fake_calibrate
        return measure(paths, out, settings=settings, quiet=True)

    return run

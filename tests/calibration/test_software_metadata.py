"""Pixel sizes that software wrote into a TIFF: ImageJ's Set Scale and OME-TIFF, made with
tifffile (which writes both as ImageJ and Bio-Formats do); print resolutions are no scale."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import tifffile

from nanokit.calibration.metadata import read_pixel_size
from nanokit.calibration.metadata.imagej import pixel_size as imagej_pixel_size

PIXELS = (np.arange(96 * 128) % 251).astype(np.uint8).reshape(96, 128)


def _imagej(path: Path, per_px: float, unit: str | None) -> Path:
    metadata = {"unit": unit} if unit else {}
    tifffile.imwrite(
        path, PIXELS, imagej=True, resolution=(1 / per_px, 1 / per_px), metadata=metadata
    )
    return path


@pytest.mark.parametrize(
    "per_px, unit, nm", [(2.5, "nm", 2.5), (0.0125, "micron", 12.5), (0.0125, "um", 12.5)]
)
def test_imagej_scale_is_user_set(tmp_path: Path, per_px: float, unit: str, nm: float) -> None:
    found = read_pixel_size(_imagej(tmp_path / "a.tif", per_px, unit))
    assert found is not None and found.vendor == "imagej"
    assert found.nm_per_px == pytest.approx(nm, rel=1e-6)
    assert found.check.status == "user-set"


def test_imagej_escaped_micro_sign() -> None:
    """ImageJ's description is ASCII: it writes µm as ``\\u00B5m``."""
    tags = {270: "ImageJ=1.54f\nunit=\\u00B5m\n", 282: (80, 1), 283: (80, 1)}
    found = imagej_pixel_size(tags)
    assert found is not None and found.nm_per_px == pytest.approx(12.5)


def test_imagej_without_a_length_unit_is_no_scale(tmp_path: Path) -> None:
    assert read_pixel_size(_imagej(tmp_path / "px.tif", 1.0, None)) is None
    assert read_pixel_size(_imagej(tmp_path / "inch.tif", 0.01, "inch")) is None


def test_imagej_non_square_pixels_are_no_scale() -> None:
    assert imagej_pixel_size({270: "ImageJ=1.54f\nunit=nm\n", 282: (1, 2), 283: (1, 3)}) is None


def test_print_resolution_is_no_scale(tmp_path: Path) -> None:
    path = tmp_path / "dpi.tif"
    tifffile.imwrite(path, PIXELS, resolution=(300, 300), resolutionunit="INCH")
    assert read_pixel_size(path) is None


@pytest.mark.parametrize(
    "metadata, nm",
    [
        # Y in µm (the schema's default unit), X in nm: not square
        ({"PhysicalSizeX": 2.5, "PhysicalSizeXUnit": "nm", "PhysicalSizeY": 2.5}, None),
        (
            {
                "PhysicalSizeX": 2.5,
                "PhysicalSizeXUnit": "nm",
                "PhysicalSizeY": 2.5,
                "PhysicalSizeYUnit": "nm",
            },
            2.5,
        ),
        ({"PhysicalSizeX": 0.004, "PhysicalSizeY": 0.004}, 4.0),  # µm when no unit is given
        ({"PhysicalSizeX": 0.004, "PhysicalSizeY": 0.008}, None),  # not square
    ],
)
def test_ome_tiff_physical_size(tmp_path: Path, metadata: dict, nm: float | None) -> None:
    path = tmp_path / "a.ome.tif"
    tifffile.imwrite(path, PIXELS, ome=True, metadata=metadata)
    found = read_pixel_size(path)
    if nm is None:
        assert found is None
    else:
        assert found is not None and found.vendor == "ome"
        assert found.check.status == "unchecked" and found.nm_per_px == pytest.approx(nm)


@pytest.mark.ocr
def test_a_stale_imagej_scale_gives_way_to_the_scale_bar(shared_data, tmp_path: Path) -> None:
    """A journal image saved from ImageJ with another image's scale (10 nm/px) over its own
    "1 µm" bar (6.17 nm/px): the bar is used and the disagreement flagged."""
    from nanokit.calibration.calibrators import build_chain
    from nanokit.io.images import read_image

    grey = read_image(shared_data / "scalebars/images/emps__2e4a3ab627.png").grey
    path = tmp_path / "saved_from_imagej.tif"
    tifffile.imwrite(path, grey, imagej=True, resolution=(100, 100), metadata={"unit": "micron"})
    rec = build_chain()(path)
    assert rec.ok and rec.source == "scalebar" and rec.metadata_vendor == "imagej"
    assert rec.nm_per_px == pytest.approx(6.135, rel=0.01)
    assert "used scale bar: metadata user-set" in rec.flags

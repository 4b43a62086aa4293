"""Vendor metadata readers on the real TIFFs in shared data, and on sidecars made in code."""

from __future__ import annotations

import pytest

from nanokit.calibration.metadata import jeol, read_pixel_size

SCALEBARS = "scalebars/images"


@pytest.mark.parametrize(
    "name, vendor, nm",
    [
        ("bamtsem__1908249.tif", "zeiss", 7.344),
        ("sembar__Zeiss_1.tif", "zeiss", 5.86),
        ("rs__test_tiff_Zeiss_SEM_1k.tif", "zeiss", 2615.0),
        ("rs__FEI-Helios-Ebeam-8bits.tif", "fei", 3372.4),
        ("sembar__Tescan_2.TIF", "tescan", 242.063904),
        ("sembar__Tescan_3.TIF", "tescan", 3.973702),
    ],
)
def test_vendor_tiffs(shared_data, name: str, vendor: str, nm: float) -> None:
    found = read_pixel_size(shared_data / SCALEBARS / name)
    assert found is not None
    assert found.vendor == vendor
    assert found.nm_per_px == pytest.approx(nm, rel=1e-6)


def test_tescan_gives_its_info_strip(shared_data) -> None:
    found = read_pixel_size(shared_data / SCALEBARS / "sembar__Tescan_3.TIF")
    assert found is not None and found.databar_rows == (1152, 1330)


def test_every_bam_sem_image_is_7_344_nm(shared_data) -> None:
    images = sorted((shared_data / "segmentation/bam_tio2_sem/images").glob("*.tif"))
    assert images
    for path in images[:5]:
        found = read_pixel_size(path)
        assert found is not None and found.nm_per_px == pytest.approx(7.344)


def test_journal_png_has_no_metadata(shared_data) -> None:
    assert read_pixel_size(shared_data / SCALEBARS / "ide__shape__mixed.png") is None


def test_hitachi_sidecar(tmp_path) -> None:
    image = tmp_path / "h.tif"
    image.write_bytes(b"")  # not a TIFF: only the sidecar counts
    (tmp_path / "h.txt").write_text("[SemImageFile]\nInstructName=S-4800\nPixelSize=4.961\n")
    found = read_pixel_size(image)
    assert found is not None and found.vendor == "hitachi"
    assert found.nm_per_px == pytest.approx(4.961)


def test_jeol_sidecar(tmp_path) -> None:
    image = tmp_path / "j.bmp"
    image.write_bytes(b"")
    (tmp_path / "j.txt").write_text(
        "$CM_FORMAT JEOL/SEM\n$CM_FULL_SIZE 1280 960\n$$SM_MICRON_BAR 160\n$$SM_MICRON_MARKER 1um\n"
    )
    found = read_pixel_size(image)
    assert found is not None and found.vendor == "jeol"
    assert found.nm_per_px == pytest.approx(1000 / 160)


def test_jeol_marker_rescaled_to_the_file_width() -> None:
    text = "$CM_FULL_SIZE 1280 960\n$$SM_MICRON_BAR 128\n$$SM_MICRON_MARKER 500nm\n"
    found = jeol.pixel_size(text, image_width=640)
    assert found is not None
    stored, check = found
    assert stored == pytest.approx(500 / 128)
    assert check.status == "rescaled" and check.nm_per_px == pytest.approx(500 / 128 * 2)


def test_no_metadata_and_unreadable_files(tmp_path) -> None:
    broken = tmp_path / "broken.tif"
    broken.write_bytes(b"II*\x00garbage")
    assert read_pixel_size(broken) is None
    assert read_pixel_size(tmp_path / "missing.tif") is None
    (tmp_path / "other.txt").write_text("not a sidecar")
    assert read_pixel_size(tmp_path / "other.png") is None

"""Metadata checked against the image it describes: a resized copy keeps the stored tags."""

from __future__ import annotations

from pathlib import Path

import pytest

from nanokit.calibration.calibrators import build_chain, chain_config
from nanokit.calibration.metadata import fei, read_pixel_size, tescan
from nanokit.calibration.metadata.check import check_field

IMAGES = "scalebars/images"
ZEISS_1K = "rs__test_tiff_Zeiss_SEM_1k.tif"


def resized_zeiss(src: Path, dst: Path, width: int) -> Path:
    """``src`` saved at ``width`` px with its CZ_SEM tag copied unchanged (as many tools do)."""
    import cv2
    import tifffile

    with tifffile.TiffFile(src) as tif:
        page = tif.pages[0]
        tag = page.tags[34118]
        tif.filehandle.seek(tag.valueoffset)
        raw = tif.filehandle.read(tag.count)
        data = page.asarray()
    height = round(data.shape[0] * width / data.shape[1])
    small = cv2.resize(data, (width, height), interpolation=cv2.INTER_AREA)
    tifffile.imwrite(
        dst, small, photometric="minisblack", extratags=[(34118, 2, len(raw), raw, True)]
    )
    return dst


@pytest.mark.parametrize(
    "name",
    [ZEISS_1K, "sembar__Zeiss_1.tif", "rs__FEI-Helios-Ebeam-8bits.tif", "sembar__Tescan_3.TIF"],
)
def test_vendor_files_as_stored_are_consistent(shared_data, name: str) -> None:
    found = read_pixel_size(shared_data / IMAGES / name)
    assert found is not None and found.check.status == "consistent"
    assert found.nm_per_px == found.stored_nm_per_px


def test_zeiss_saved_at_half_width_is_rescaled(shared_data, tmp_path) -> None:
    path = resized_zeiss(shared_data / IMAGES / ZEISS_1K, tmp_path / "z512.tif", 512)
    found = read_pixel_size(path)
    assert found is not None and found.vendor == "zeiss"
    assert found.stored_nm_per_px == pytest.approx(2615.0)
    assert found.check.status == "rescaled"
    assert found.nm_per_px == pytest.approx(2677e3 / 512)  # ap_width over the stored width
    assert "512 px" in found.check.note and "1024 px" in found.check.note


def test_resized_zeiss_is_flagged_in_the_record(shared_data, tmp_path) -> None:
    path = resized_zeiss(shared_data / IMAGES / ZEISS_1K, tmp_path / "z512.tif", 512)
    rec = build_chain(chain_config(scalebar="off"))(path)
    assert rec.ok and rec.source == "metadata" and rec.metadata_check == "rescaled"
    assert rec.metadata_nm_per_px == pytest.approx(2615.0)
    assert rec.nm_per_px == pytest.approx(2677e3 / 512)
    assert any(f.startswith("metadata rescaled: image is 512 px wide") for f in rec.flags)


def test_pixels_given_are_what_the_metadata_is_checked_against(shared_data) -> None:
    path = shared_data / IMAGES / "sembar__Zeiss_1.tif"
    assert read_pixel_size(path, (768, 1024)).check.status == "consistent"
    assert read_pixel_size(path, (768, 921)).check.nm_per_px == pytest.approx(6000 / 921)


def test_fei_resolution_and_field_width() -> None:
    tags = {
        34682: {
            "Scan": {"PixelWidth": 3.3724e-06, "HorFieldsize": 0.00172667},
            "Image": {"ResolutionX": 512},
        }
    }
    assert fei.check(tags, 512).status == "consistent"
    halved = fei.check(tags, 256)
    assert halved.status == "rescaled" and halved.nm_per_px == pytest.approx(1726.67e3 / 256)
    tags[34682]["Scan"]["HorFieldsize"] = 0.0035  # a field twice the pixels: contradictory tags
    assert fei.check(tags, 512).status == "inconsistent"


def test_tescan_magnification_gives_the_field(shared_data) -> None:
    import tifffile

    with tifffile.TiffFile(shared_data / IMAGES / "sembar__Tescan_2.TIF") as tif:
        tags = {t.code: t.value for t in tif.pages[0].tags.values()}
    assert tescan.check(tags, 1536).status == "consistent"
    resized = tescan.check(tags, 768)
    assert resized.status == "inconsistent" and resized.nm_per_px == pytest.approx(242.063904)


def test_check_field_without_a_field_is_unchecked() -> None:
    assert check_field(5.0, None, 100, None).status == "unchecked"
    rescaled = check_field(5.0, None, 50, 100)
    assert rescaled.status == "rescaled" and rescaled.nm_per_px == pytest.approx(10.0)


@pytest.mark.ocr
def test_the_lying_zeiss_file_is_resolved_to_its_bar(shared_data, tmp_path) -> None:
    """The issue's case: a TIFF saved at 512 px whose tag holds the 1024-px pixel size."""
    path = resized_zeiss(shared_data / IMAGES / ZEISS_1K, tmp_path / "z512.tif", 512)
    rec = build_chain()(path)
    assert rec.ok and rec.metadata_check == "rescaled"
    assert rec.value == 200 and rec.unit == "um" and rec.scalebar_nm_per_px is not None
    assert rec.source == "scalebar" and rec.nm_per_px == rec.scalebar_nm_per_px
    # 200 um over the halved 76-px tick-centre span
    assert rec.nm_per_px == pytest.approx(200e3 / 38, rel=0.02)
    assert "used scale bar: metadata rescaled" in rec.flags


@pytest.mark.ocr
def test_measure_reports_the_choice_in_images_csv(shared_data, tmp_path) -> None:
    import csv

    from nanokit.apis.measure import measure

    path = resized_zeiss(shared_data / IMAGES / ZEISS_1K, tmp_path / "z512.tif", 512)
    measure([path], tmp_path / "out", quiet=True)
    with (tmp_path / "out" / "images.csv").open(newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["calibration_source"] == "scalebar"
    assert float(row["nm_per_px"]) == pytest.approx(200e3 / 38, rel=0.02)
    assert "used scale bar: metadata rescaled" in row["qc_flags"]
    assert "metadata rescaled: image is 512 px wide" in row["qc_flags"]

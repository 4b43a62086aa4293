"""calibrate_image: SPEC's order, both values kept, the disagreement flag, bad files."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from nanokit.apis.scalebar import DISAGREE_FLAG, calibrate_image
from nanokit.calibration.record import CalibrationRecord
from nanokit.registry import CALIBRATORS


def test_calibrators_registered() -> None:
    for name in ("ManualCalibrator", "MetadataCalibrator", "ScalebarCalibrator"):
        assert CALIBRATORS.get(name) is not None


def test_manual_scale_wins(shared_data) -> None:
    path = shared_data / "scalebars/images/bamtsem__1908249.tif"
    rec = calibrate_image(path, scale=2.0)
    assert rec.ok and rec.source == "manual" and rec.nm_per_px == 2.0


def test_metadata_without_scalebar(shared_data) -> None:
    rec = calibrate_image(shared_data / "scalebars/images/sembar__Zeiss_3.tif", scalebar="off")
    assert rec.ok and rec.source == "metadata" and rec.nm_per_px == pytest.approx(2.93)
    assert rec.metadata_vendor == "zeiss" and rec.bar_px is None


@pytest.mark.ocr
def test_metadata_and_bar_both_kept(shared_data) -> None:
    rec = calibrate_image(shared_data / "scalebars/images/bamtsem__1908249.tif")
    assert rec.ok and rec.source == "metadata"
    assert rec.nm_per_px == pytest.approx(7.344)
    assert rec.metadata_nm_per_px == pytest.approx(7.344)
    # 200 nm over the 27 px tick-centre span: 7.41 nm/px, within 2 % of the metadata
    assert rec.scalebar_nm_per_px == pytest.approx(200 / 27, rel=1e-3)
    assert rec.value == 200 and rec.unit == "nm" and DISAGREE_FLAG not in rec.flags


@pytest.mark.ocr
def test_resampled_pixels_rescale_the_metadata_and_the_bar_wins(shared_data) -> None:
    # pixels resampled to 90 % width next to the file's tags: the tags describe 1024 px
    import cv2
    import tifffile

    src = shared_data / "scalebars/images/sembar__Zeiss_1.tif"
    grey = tifffile.imread(src)
    small = cv2.resize(
        grey, (int(grey.shape[1] * 0.9), grey.shape[0]), interpolation=cv2.INTER_AREA
    )
    rec = calibrate_image(src, small)
    assert rec.ok and rec.source == "scalebar" and rec.metadata_check == "rescaled"
    assert rec.metadata_nm_per_px == pytest.approx(5.86)
    assert rec.nm_per_px == rec.scalebar_nm_per_px == pytest.approx(1000 / (171 * 0.9), rel=0.01)
    assert "used scale bar: metadata rescaled" in rec.flags
    assert rec.decision.startswith("scale bar: metadata rescaled")


@pytest.mark.ocr
def test_no_metadata_uses_the_bar(shared_data) -> None:
    rec = calibrate_image(shared_data / "scalebars/images/ide__shape__mixed.png")
    assert rec.ok and rec.source == "scalebar" and rec.metadata_nm_per_px is None
    assert rec.nm_per_px == pytest.approx(200 / 112, rel=0.01)


def test_missing_file(tmp_path) -> None:
    rec = calibrate_image(tmp_path / "none.png")
    assert isinstance(rec, CalibrationRecord)
    assert not rec.ok and "not found" in rec.error


def test_corrupt_file(tmp_path) -> None:
    path = tmp_path / "bad.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    rec = calibrate_image(path)
    assert not rec.ok and rec.error


def test_metadata_survives_unreadable_pixels(shared_data, tmp_path) -> None:
    src = shared_data / "scalebars/images/sembar__Zeiss_3.tif"
    path = tmp_path / "z.tif"
    shutil.copy(src, path)
    rec = calibrate_image(path, np.zeros((5, 5), np.uint8))
    assert rec.ok and rec.source == "metadata"
    assert any("scale bar not read" in f for f in rec.flags)


@pytest.mark.ocr
@pytest.mark.parametrize("kind", ["uint16", "rgba"])
def test_sixteen_bit_and_rgba_files(tmp_path, kind: str) -> None:
    import cv2

    from nanokit.synth import make_sample

    image, _, truth = make_sample(2, style="journal_overlay")
    if kind == "uint16":
        data = image.astype(np.uint16) * 257
    else:
        data = np.dstack([image, image, image, np.full_like(image, 255)])
    path = tmp_path / f"{kind}.png"
    cv2.imwrite(str(path), data)
    rec = calibrate_image(path)
    bar = truth["scalebar"]
    assert rec.ok, rec.error
    assert rec.nm_per_px == pytest.approx(bar["value_nm"] / bar["bar_px"], rel=0.01)


def test_bad_scalebar_option(tmp_path) -> None:
    from nanokit.errors import NanokitError

    with pytest.raises(NanokitError):
        calibrate_image(tmp_path / "a.png", scalebar="maybe")

"""Manual calibration: --scale and the per-image CSV."""

from __future__ import annotations

import pytest

from nanokit.calibration.calibrators import ManualCalibrator
from nanokit.calibration.manual import lookup_scale, read_scale_csv
from nanokit.errors import NanokitError


def test_csv_by_name_and_stem(tmp_path) -> None:
    path = tmp_path / "scales.csv"
    path.write_text("image,nm_per_px\na.tif,2.5\nsub/b.png,0.75\n\n")
    scales = read_scale_csv(path)
    assert scales["a.tif"] == 2.5 and scales["a"] == 2.5
    assert lookup_scale(scales, "/data/a.tif") == 2.5
    assert lookup_scale(scales, "sub/b.png") == 0.75
    assert lookup_scale(scales, "c.tif") is None


@pytest.mark.parametrize(
    "text, words",
    [
        ("file,scale\n", None),
        ("image,size\na.tif,1\n", "columns"),
        ("image,nm_per_px\na.tif,abc\n", ":2"),
        ("image,nm_per_px\na.tif,1\nb.tif,-3\n", ":3"),
    ],
)
def test_csv_errors_name_the_problem(tmp_path, text: str, words: str | None) -> None:
    path = tmp_path / "s.csv"
    path.write_text(text)
    if words is None:
        assert read_scale_csv(path) == {}
        return
    with pytest.raises(NanokitError, match=words):
        read_scale_csv(path)


def test_missing_csv(tmp_path) -> None:
    with pytest.raises(NanokitError, match="not found"):
        read_scale_csv(tmp_path / "none.csv")


def test_manual_calibrator(tmp_path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("image,nm_per_px\na.tif,3\n")
    rec = ManualCalibrator(csv=str(path)).calibrate("x/a.tif")
    assert rec.ok and rec.nm_per_px == 3 and rec.source == "manual"
    assert not ManualCalibrator(csv=str(path)).calibrate("b.tif").ok
    assert ManualCalibrator(scale=1.5).calibrate("b.tif").nm_per_px == 1.5
    with pytest.raises(NanokitError):
        ManualCalibrator(scale=0)

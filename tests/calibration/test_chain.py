"""CalibrationChain: built from a calibration= config through CALIBRATORS, SPEC's order."""

from __future__ import annotations

import pytest

from nanokit.calibration.calibrators import CalibrationChain, build_chain, chain_config
from nanokit.errors import NanokitError
from nanokit.registry import CALIBRATORS, build

IMAGES = "scalebars/images"


def test_chain_is_registered_and_built_from_a_config() -> None:
    assert CALIBRATORS.get("CalibrationChain") is CalibrationChain
    chain = build(CALIBRATORS, chain_config(scale=2.0))
    assert [c.source for c in chain.calibrators] == ["manual", "metadata", "scalebar"]
    assert [c.source for c in build_chain(chain_config(scalebar="off")).calibrators] == ["metadata"]


def test_bad_options_are_one_line_errors() -> None:
    with pytest.raises(NanokitError, match="scalebar must be"):
        chain_config(scalebar="maybe")
    with pytest.raises(NanokitError, match="positive"):
        build_chain(chain_config(scale=-1.0))
    with pytest.raises(NanokitError, match="unknown type"):
        build_chain(dict(type="CalibrationChain", calibrators=[dict(type="Nope")]))


def test_manual_table_is_looked_up_by_the_chain(shared_data) -> None:
    chain = build_chain(chain_config(scales={"sembar__Zeiss_3": 1.5}, scalebar="off"))
    rec = chain(shared_data / IMAGES / "sembar__Zeiss_3.tif")
    assert rec.ok and rec.source == "manual" and rec.nm_per_px == 1.5
    assert rec.decision == "manual: given by the user"
    other = chain(shared_data / IMAGES / "sembar__Zeiss_1.tif")
    assert other.source == "metadata" and other.nm_per_px == pytest.approx(5.86)


def test_metadata_only_says_why(shared_data, tmp_path) -> None:
    chain = build_chain(chain_config(scalebar="off"))
    rec = chain(shared_data / IMAGES / "sembar__Zeiss_3.tif")
    assert rec.ok and rec.decision == "metadata (consistent); scale-bar reading is off"
    none = chain(shared_data / IMAGES / "ide__shape__mixed.png")
    assert not none.ok and none.nm_per_px is None
    assert none.error == "no pixel size in the file's metadata; scale-bar reading is off"


def test_manual_only_chain_reads_no_pixels(tmp_path) -> None:
    chain = build_chain(
        dict(type="CalibrationChain", calibrators=[dict(type="ManualCalibrator", scale=3.0)])
    )
    rec = chain(tmp_path / "missing.png")  # pixels are never read
    assert rec.ok and rec.nm_per_px == 3.0


def test_config_section_with_command_line_options(shared_data) -> None:
    from nanokit.config import load_config

    base = load_config("configs/_base_/calibration/default.py")["calibration"].to_dict()
    cfg = chain_config(scale=2.0, scalebar="off", base=base)
    assert [c["type"] for c in cfg["calibrators"]] == ["ManualCalibrator", "MetadataCalibrator"]
    assert cfg["disagree"] == 0.02
    assert build_chain(cfg)(shared_data / IMAGES / "sembar__Zeiss_3.tif").source == "manual"


def test_scalebar_command_takes_the_config_and_quiet(shared_data) -> None:
    import json

    from click.testing import CliRunner

    from nanokit.cli.main import cli

    path = shared_data / "formats/test_STEM_image.dm3"  # 68 px: metadata only, no OCR
    args = ["scalebar", "--quiet", "--json", "--config", "configs/_base_/calibration/default.py"]
    result = CliRunner().invoke(cli, [*args, str(path)])
    assert result.exit_code == 0, result.output
    (record,) = json.loads(result.stdout)
    assert record["source"] == "metadata" and record["metadata_vendor"] == "gatan"
    assert "scale bar" in record["decision"]


def test_measure_quiet_shows_no_progress_bar(tmp_path) -> None:
    import cv2
    import numpy as np
    from click.testing import CliRunner

    from nanokit.cli.main import cli

    image = np.full((96, 96), 40, np.uint8)
    cv2.circle(image, (48, 48), 12, 220, -1)
    cv2.imwrite(str(tmp_path / "a.png"), image)
    args = ["measure", str(tmp_path / "a.png"), "--out", str(tmp_path / "out"), "--scale", "2"]
    result = CliRunner().invoke(cli, [*args, "--scalebar", "off", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "img/s" not in result.stderr and "%|" not in result.stderr


def test_the_pixel_size_uncertainty_comes_from_the_bar_only() -> None:
    from nanokit.calibration.record import CalibrationRecord

    bar = dict(ok=True, nm_per_px=2.0, bar_px=80.0, bar_px_uncertainty=0.4)
    assert CalibrationRecord("a", source="scalebar", **bar).nm_per_px_uncertainty == 0.01
    # metadata won (the bar read beside it), a manual value, no calibration: none known
    assert CalibrationRecord("a", source="metadata", **bar).nm_per_px_uncertainty is None
    assert (
        CalibrationRecord("a", source="manual", ok=True, nm_per_px=2.0).nm_per_px_uncertainty
        is None
    )
    failed = CalibrationRecord("a", source="scalebar", **{**bar, "ok": False})
    assert failed.nm_per_px_uncertainty is None

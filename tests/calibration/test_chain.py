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

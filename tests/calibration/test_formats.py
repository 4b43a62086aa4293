"""Microscope formats with their own calibration (rosettasciio): shared/data/formats/truth.csv."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from nanokit.calibration.calibrators import build_chain, chain_config
from nanokit.errors import NanokitError

pytest.importorskip("rsciio", reason="rosettasciio not installed: pip install 'nanokit[formats]'")


def _truth(shared_data) -> list[dict[str, str]]:
    with (shared_data / "formats/truth.csv").open(newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_format_file_has_its_pixel_size_or_none(shared_data) -> None:
    chain = build_chain(chain_config(scalebar="off"))
    rows = _truth(shared_data)
    assert len(rows) == 7
    for row in rows:
        rec = chain(shared_data / "formats" / row["file"])
        if row["nm_per_px"]:
            assert rec.ok and rec.source == "metadata", (row["file"], rec.error)
            assert rec.nm_per_px == pytest.approx(float(row["nm_per_px"]), rel=1e-9), row["file"]
            assert rec.metadata_vendor in ("gatan", "tia", "velox", "mrc")
        else:  # test-1.dm4: scale 1 without a unit is pixels, never 1 nm/px
            assert not rec.ok and rec.nm_per_px is None, row["file"]
            assert "no spatial calibration" in rec.error


def test_emd_stack_in_pm_gives_its_first_frame(shared_data) -> None:
    from nanokit.io.microscope import read_microscope

    image = read_microscope(shared_data / "formats/fei_example_tem_stack.emd")
    assert image.data.shape == (3, 3) and image.flags == ["first of 2 frames"]
    assert image.nm_per_px == pytest.approx(8.172883192297851e-3)


def test_dm3_with_an_image_and_a_plot_picks_the_image(shared_data) -> None:
    from nanokit.io.images import read_image

    loaded = read_image(shared_data / "formats/multi_signal.dm3")
    assert loaded.grey.shape == (512, 512) and loaded.grey.dtype == np.uint8
    assert "16-bit rescaled to 8-bit" in loaded.flags


def test_tiny_format_images_are_one_line_errors(shared_data) -> None:
    from nanokit.io.images import ImageReadError, read_image

    with pytest.raises(ImageReadError, match="too small"):
        read_image(shared_data / "formats/test-1.dm4")


def test_missing_rosettasciio_names_the_extra(shared_data, monkeypatch) -> None:
    import sys

    from nanokit.io.microscope import read_microscope

    monkeypatch.setitem(sys.modules, "rsciio.digitalmicrograph", None)
    with pytest.raises(NanokitError, match=r"pip install 'nanokit\[formats\]'"):
        read_microscope(shared_data / "formats/test_STEM_image.dm3")


def test_corrupt_format_file(tmp_path) -> None:
    bad = tmp_path / "bad.dm3"
    bad.write_bytes(b"not a dm3 file")
    rec = build_chain(chain_config(scalebar="off"))(bad)
    assert not rec.ok and "unreadable .dm3 file" in rec.error


def test_measure_reads_a_format_file(shared_data, tmp_path) -> None:
    from nanokit.apis.measure import measure

    out = tmp_path / "out"
    measure([shared_data / "formats/multi_signal.dm3"], out, scalebar="off", quiet=True)
    rows = list(csv.DictReader((out / "images.csv").open()))
    assert rows[0]["calibration_source"] == "metadata"
    assert float(rows[0]["nm_per_px"]) == pytest.approx(0.017751578241586685, rel=1e-5)


def test_uncalibrated_format_file_says_why_with_the_scale_bar_on(shared_data) -> None:
    rec = build_chain()(shared_data / "formats/test-1.dm4")
    assert not rec.ok and "no spatial calibration in the file" in rec.error
    assert "image too small" in rec.error

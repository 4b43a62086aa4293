"""measure leaves out printed text (a panel letter "(b)") and still measures the particles."""

from __future__ import annotations

import csv
import sys
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

import cv2
import numpy as np
import pytest

from nanokit.segmentation import BaseSegmenter
from nanokit.segmentation.overlays import Box, drop_overlays

from .conftest import registered_segmenter, write_noisy

#: Nine dark discs 30 px wide on a bright substrate, a panel letter "(b)" in the top-left corner.
DISCS = [(140 + 70 * (i % 3), 90 + 70 * (i // 3)) for i in range(9)]


class DarkSegmenter(BaseSegmenter):
    """Every dark connected region is a particle (letters too), as networks do with printed
    text; regions that reach an overlay are left out, as every segmenter does."""

    def predict_mask(
        self,
        grey: np.ndarray,
        rows: tuple[int, int] | None = None,
        overlays: Sequence[Box] = (),
    ) -> np.ndarray:
        _, labels = cv2.connectedComponents((grey < 128).astype(np.uint8), connectivity=8)
        labels, self.at_overlays = drop_overlays(labels.astype(np.int32), overlays)
        return labels


@pytest.fixture
def dark_segmenter() -> Iterator[type]:
    with registered_segmenter(DarkSegmenter) as cls:
        yield cls


def _image(path: Path) -> Path:
    grey = np.full((320, 360), 200, np.uint8)
    for centre in DISCS:
        cv2.circle(grey, centre, 15, 50, -1)
    cv2.putText(grey, "(b)", (8, 50), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 30, 3, cv2.LINE_AA)
    return write_noisy(path, grey)


def _measure(tmp_path: Path, text_overlays: bool, vendor: str = "") -> list[dict[str, str]]:
    from nanokit.apis.measure import make_settings, measure

    from .conftest import _fake_calibrate

    def calibrate(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - as _fake_calibrate
        record = _fake_calibrate(*args, **kwargs)
        record.metadata_vendor = vendor
        return record

    settings = make_settings(scale=2.0)
    settings.segmenter = {"type": "DarkSegmenter"}
    settings.text_overlays = text_overlays
    settings.calibrate = calibrate
    out = tmp_path / f"out_{text_overlays}"
    measure([_image(tmp_path / "img.png")], out, settings=settings, quiet=True)
    with (out / "particles.csv").open(newline="") as f:
        return list(csv.DictReader(f))


def _in_letter(row: dict[str, str]) -> bool:
    return float(row["cx_px"]) < 100 and float(row["cy_px"]) < 70


@pytest.mark.parametrize("text_overlays", [True, False])
def test_panel_letter_is_not_measured(dark_segmenter, tmp_path: Path, text_overlays: bool) -> None:
    pytest.importorskip("rapidocr")
    rows = _measure(tmp_path, text_overlays)
    letter = [r for r in rows if _in_letter(r)]
    discs = [r for r in rows if not _in_letter(r)]
    assert len(discs) == 9
    assert [float(r["ecd_nm"]) for r in discs] == pytest.approx([60.0] * 9, rel=0.1)
    if text_overlays:
        assert letter == []
    else:  # without the option the letter's glyphs are measured: the test can fail
        assert len(letter) >= 2


def test_files_from_a_microscope_are_not_searched_for_text(
    dark_segmenter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An image with vendor metadata comes straight from the instrument: no figure lettering,
    so the detector (about 0.3 s of CPU) is not run."""
    from nanokit.ocr.text_boxes import TextFinder

    def fail(*args: object) -> None:
        raise AssertionError("the text detector ran")

    monkeypatch.setattr(TextFinder, "boxes", fail)
    rows = _measure(tmp_path, text_overlays=True, vendor="zeiss")
    assert len([r for r in rows if not _in_letter(r)]) == 9
    assert any(_in_letter(r) for r in rows)


def test_without_rapidocr_measure_runs_with_one_line_note(
    dark_segmenter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr", None)  # import rapidocr raises ImportError
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rows = _measure(tmp_path, text_overlays=True)
    notes = [str(w.message) for w in caught if "text_overlays" in str(w.message)]
    assert len(notes) == 1 and "\n" not in notes[0]
    assert "rapidocr" in notes[0]
    assert len([r for r in rows if not _in_letter(r)]) == 9
    assert any(_in_letter(r) for r in rows)  # measured as without the option


def test_drop_inside_keeps_the_particle_under_the_text() -> None:
    from nanokit.segmentation.overlays import drop_inside

    labels = np.zeros((100, 100), np.int32)
    labels[10:20, 10:14] = 1  # a glyph, wholly in the text box
    labels[15:90, 15:90] = 2  # a large particle the text is printed over, reaching the box
    box = (5.0, 5.0, 30.0, 25.0)
    kept = drop_inside(labels, [box])
    assert set(np.unique(kept)) == {0, 2}
    assert (kept == 2).sum() == (labels == 2).sum()
    separate = labels.copy()
    separate[10:20, 10:14] = 0
    separate[40:45, 0:4] = 3  # apart from the box
    assert drop_inside(separate > 0, [(0.0, 38.0, 10.0, 50.0)]).sum() == (separate == 2).sum()


def test_a_blank_image_is_neither_searched_for_text_nor_segmented(
    dark_segmenter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nanokit.apis.measure import make_settings, measure
    from nanokit.ocr.text_boxes import TextFinder

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("a blank image was searched or segmented")

    monkeypatch.setattr(TextFinder, "boxes", fail)
    monkeypatch.setattr(DarkSegmenter, "predict_mask", fail)
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((240, 320), 60, np.uint8))
    settings = make_settings(scale=2.0)
    settings.segmenter = {"type": "DarkSegmenter"}
    settings.text_overlays = True
    measure([blank], tmp_path / "out", settings=settings, quiet=True)
    with (tmp_path / "out" / "images.csv").open(newline="") as f:
        (row,) = csv.DictReader(f)
    assert row["status"] == "no particles" and row["n_particles"] == "0"


@pytest.mark.parametrize(("value", "expected"), [(False, False), (True, True), (None, None)])
def test_config_sets_the_text_detector_precision(
    tmp_path: Path, value: bool | None, expected: bool | None
) -> None:
    from mmengine.config import Config

    from nanokit.apis.image_files import ImageFilesWriter
    from nanokit.apis.measure import make_settings
    from nanokit.inference.cpu import has_int8_dot
    from nanokit.measure.pipeline import ImageProcessor

    measure_section = {} if value is None else {"text_detector_int8": value}
    settings = make_settings(Config(dict(measure=measure_section)), scale=2.0)
    assert settings.text_detector_int8 is expected
    finder = ImageProcessor(settings, tmp_path, ImageFilesWriter()).text_finder
    assert finder.int8 is (has_int8_dot() if expected is None else expected)


def test_a_text_detector_setting_that_is_not_a_bool_is_an_error() -> None:
    from mmengine.config import Config

    from nanokit.apis.measure import make_settings
    from nanokit.errors import NanokitError

    with pytest.raises(
        NanokitError, match=r"measure.text_detector_int8 must be True, False or None, got 'false'"
    ):
        make_settings(Config(dict(measure=dict(text_detector_int8="false"))), scale=2.0)

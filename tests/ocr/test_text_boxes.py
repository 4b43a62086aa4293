"""What counts as printed text among the boxes of rapidocr's text detector."""

from __future__ import annotations

import sys

import cv2
import numpy as np
import pytest

from nanokit.ocr.text_boxes import TextFinder, looks_like_text, stroke_ratio


@pytest.mark.parametrize(
    "text, score",
    [("(b)", 1.0), ("a", 1.0), ("B", 0.99), ("(a", 0.85), ("HFW", 0.99), ("30℃", 0.99)],
)
def test_printed_readings_are_text(text: str, score: float) -> None:
    assert looks_like_text(text, score)


@pytest.mark.parametrize(
    "text, score",
    [
        ("0", 1.0),  # a rod (EMPS 3d1937b05c)
        ("O", 0.96),  # a round particle
        ("00", 0.64),  # two cubes
        ("口", 0.94),  # a cube
        ("家", 0.77),  # a flower-like particle
        ("D", 0.79),  # a cube: a lone character needs 0.9
        ("V", 0.47),
        ("(b)", 0.6),
        ("--", 1.0),
        ("", 1.0),
    ],
)
def test_particle_readings_are_no_text(text: str, score: float) -> None:
    assert not looks_like_text(text, score)


def test_stroke_ratio_tells_glyphs_from_solid_blobs() -> None:
    letter = np.full((60, 80), 200, np.uint8)
    cv2.putText(letter, "(b)", (4, 45), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 30, 3, cv2.LINE_AA)
    blob = np.full((60, 60), 200, np.uint8)
    cv2.rectangle(blob, (12, 12), (47, 47), 60, -1)
    assert stroke_ratio(letter, (0, 0, 79, 59)) < 0.4
    assert stroke_ratio(blob, (0, 0, 59, 59)) > 0.6


@pytest.mark.parametrize("broken", ["missing", "models"])
def test_finder_without_rapidocr_warns_once(monkeypatch: pytest.MonkeyPatch, broken: str) -> None:
    if broken == "missing":
        monkeypatch.setitem(sys.modules, "rapidocr", None)  # import rapidocr fails
    else:
        rapidocr = pytest.importorskip("rapidocr")

        def no_models(*args: object, **kwargs: object) -> None:
            raise FileNotFoundError("PP-OCRv6_det_small.onnx\nsecond line")

        monkeypatch.setattr(rapidocr, "RapidOCR", no_models)
    finder = TextFinder()
    grey = np.full((64, 64), 128, np.uint8)
    with pytest.warns(UserWarning, match="text_overlays off") as caught:
        assert finder.boxes(grey) == []
        assert finder.boxes(grey) == []
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "\n" not in message and ("rapidocr" in message or "onnx" in message)


@pytest.mark.parametrize("side", [400, 2048])
def test_finder_reads_labels_of_small_and_large_images(side: int) -> None:
    """The detector sees large images reduced to DETECT_LONG_SIDE (labels drawn in proportion
    to the image still read) and small images enlarged, as rapidocr does."""
    pytest.importorskip("rapidocr")
    from nanokit.ocr.text_boxes import DETECT_LONG_SIDE, DETECT_SHORT_SIDE

    finder = TextFinder()
    height = side * 3 // 4
    grey = np.full((height, side), 150, np.uint8)
    finder.boxes(grey)  # rapidocr builds its detector on first use
    seen: list[tuple[int, ...]] = []
    session = finder._ocr.text_det.session
    finder._ocr.text_det.session = lambda batch: seen.append(batch.shape) or session(batch)
    size = side / 400
    cv2.putText(
        grey,
        "(b) Au",
        (round(20 * size), round(50 * size)),
        cv2.FONT_HERSHEY_SIMPLEX,
        1.2 * size,
        20,
        max(1, round(3 * size)),
        cv2.LINE_AA,
    )
    boxes = finder.boxes(grey)
    # rapidocr rounds the detector's input to multiples of 32 px
    expected = DETECT_LONG_SIDE if side > DETECT_LONG_SIDE else side * DETECT_SHORT_SIDE / height
    assert len(seen) == 1 and abs(max(seen[0][2:]) - expected) <= 16
    assert len(boxes) == 1
    x0, y0, x1, y1 = boxes[0]
    assert x0 < 25 * size and y1 > 40 * size and x1 < 200 * size


def test_a_box_over_most_of_the_image_is_no_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """A detector box covering the micrograph, read as text, must not drop every particle;
    a panel letter's box beside it stays."""
    import nanokit.ocr.text_boxes as text_boxes

    finder = TextFinder()
    letter, whole = (10.0, 10.0, 60.0, 50.0), (0.0, 0.0, 399.0, 299.0)
    monkeypatch.setattr(finder, "_load", lambda: True)
    monkeypatch.setattr(finder, "detect", lambda grey: [whole, letter])
    monkeypatch.setattr(finder, "read", lambda grey, box: ("(b)", 1.0))
    monkeypatch.setattr(text_boxes, "stroke_ratio", lambda grey, box: 0.2)
    assert finder.boxes(np.full((300, 400), 128, np.uint8)) == [letter]


def test_the_scale_bar_label_s_own_text_box_is_kept_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    """EMPS 3d1937b05c: the label box of the scale-bar reader ends above the feet of "1 µm";
    the detector's box of that text is kept (not read again), so the feet are not particles."""
    import nanokit.ocr.text_boxes as text_boxes

    finder = TextFinder()
    label = (626.0, 437.0, 770.0, 480.0)  # as the scale-bar reader gave it
    detected = (622.0, 433.0, 774.0, 498.0)  # the detector's, feet and tail of µ included
    letter = (10.0, 10.0, 40.0, 40.0)
    reads = []
    monkeypatch.setattr(finder, "_load", lambda: True)
    monkeypatch.setattr(finder, "detect", lambda grey: [detected, letter])
    monkeypatch.setattr(finder, "read", lambda grey, box: reads.append(box) or ("e", 1.0))
    monkeypatch.setattr(text_boxes, "stroke_ratio", lambda grey, box: 0.2)
    grey = np.full((512, 779), 128, np.uint8)
    assert finder.boxes(grey, known=[label]) == [detected, letter]
    assert reads == [letter]

"""Printed text on a micrograph (panel letters, labels, data-bar words) as boxes, so that measure
leaves its glyphs out (``measure.text_overlays``).

rapidocr's text detector (PP-OCRv6 DBNet, shipped in its wheel) proposes boxes; its recogniser
reads each box in the particle rows, and a box counts as text only where the reading looks like
printed text (:func:`looks_like_text`) and holds thin strokes, not a solid blob
(:func:`stroke_ratio`). The detector alone also boxes particles: of its 276 boxes in the particle
rows of the scale-bar (50), EMPS (60) and BAM TiO2 (40) sets, about 37 were particles (cubes read
as '口' up to 0.94 and as 'D' at 0.98 and 0.79, a rod read as '0' at 1.00, a flower as '家', round
particles as '0', 'O', '8'); none passes, while 216 boxes do, 64 of them lone panel letters
('(b)', 'a', 'B', '(A)'). Printed text it leaves out: '(f)' read as '(1)', a lone 'C' at 0.84,
panel digits '1' (as a rod reads).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import first_line
from ..segmentation.overlays import Box, box_slices
from ._image import to_bgr

#: Recogniser score under which a reading is not taken for text. Particles the detector boxed
#: were read as Latin letters or digits at 0.18-0.69 (a rod end as '1' at 0.69, a cube as 'C' at
#: 0.42, 'V' 0.31, 'G' 0.18); printed panel letters at 0.76-1.0, most at 1.0.
MIN_SCORE = 0.8
#: Score a lone character ('D', not '(D)' or 'D)') needs: the least evidence of all readings. A
#: cube was read as 'D' at 0.79; lone printed letters at 0.84-1.0, all but one at 0.92 or more.
MIN_SCORE_GLYPH = 0.9
#: Readings of round and rod-like particles ('0' at 1.00 for a rod): one or two of these alone
#: are no text, whatever their score.
BLOB_CHARS = frozenset("0oO8Il1|@")
#: Stroke width over glyph size (:func:`stroke_ratio`) above which a box holds a solid blob, not
#: printed characters: panel letters and labels measured 0.04-0.37, a cube read as 'D' at 0.98
#: 0.75.
MAX_STROKE = 0.5
#: Non-ASCII characters printed labels use; any other (CJK, '口', '□': what the recogniser reads
#: particles as) makes a reading no text.
LABEL_CHARS = frozenset("µμ°℃Å×")
#: rapidocr's detector enlarges an image to this many px on its short side and reduces it only
#: past 2000 px on its long side ...
DETECT_SHORT_SIDE = 736
#: ... so the image it sees is scaled to at most this many px on its long side, as large as
#: rapidocr's rule makes it otherwise (small crops are still enlarged). The 150 images of the
#: scale-bar, EMPS and BAM sets enlarged 2x (1000-3000 px): 1.2 instead of 2.6 CPU s per image
#: on a Xeon core, and the text found closer to what the detector finds at their own size (6
#: boxes lost and 18 gained of 215, against 15 and 20 at rapidocr's sizes).
DETECT_LONG_SIDE = 1024
#: Largest share of the image a box of text may cover: the largest printed label of the
#: scale-bar, EMPS and BAM sets covers 10 %; the detector, seeing an EMPS train image of close-
#: packed spheres reduced to 640 px, boxed the whole image, and its reading passed as text (every
#: particle would have been dropped).
MAX_BOX_SHARE = 0.25


def detect_factor(shape: tuple[int, ...]) -> float:
    """Scale of the image the text detector sees, for a grey image of ``shape``."""
    short, long = min(shape[:2]), max(shape[:2])
    return min(max(DETECT_SHORT_SIDE / short, 1.0), DETECT_LONG_SIDE / long)


def looks_like_text(text: str, score: float, min_score: float = MIN_SCORE) -> bool:
    """Whether a recogniser's ``text`` read at ``score`` is printed text rather than a particle.

    Text needs ``score >= min_score`` (:data:`MIN_SCORE_GLYPH` for a lone character), only ASCII
    or :data:`LABEL_CHARS` characters, at least one ASCII letter or digit, and more than one or
    two :data:`BLOB_CHARS` alone ('0', 'O', '00', ...).
    """
    text = text.strip()
    if score < (max(min_score, MIN_SCORE_GLYPH) if len(text) == 1 else min_score) or not text:
        return False
    if any(not c.isascii() and c not in LABEL_CHARS for c in text):
        return False
    alnum = [c for c in text if c.isascii() and c.isalnum()]
    if not alnum:
        return False
    return not (len(alnum) <= 2 and set(alnum) <= BLOB_CHARS)


def stroke_ratio(grey: np.ndarray, box: Box) -> float:
    """Stroke width over glyph size of the largest glyph in ``box`` of ``grey``: about 0.1-0.4
    for printed characters, 0.6-1 for a solid particle.

    The box is split by Otsu's threshold; the ink is the side that does not hold most of the box
    edge (the detector's boxes have a margin of ground around the text). Stroke width is twice
    the largest distance from an ink pixel to the ground, glyph size the longer side of the
    largest ink component.
    """
    import cv2

    crop = grey[box_slices(box, 0)]
    if min(crop.shape) < 3:
        return 1.0
    _, binary = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    edge = np.concatenate([binary[0], binary[-1], binary[:, 0], binary[:, -1]])
    ink = (binary != (edge.mean() > 0.5)).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if count < 2:
        return 1.0
    largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    glyph = np.pad((labels == largest).astype(np.uint8), 1)
    width = 2 * float(cv2.distanceTransform(glyph, cv2.DIST_L2, 5).max())
    size = max(stats[largest, cv2.CC_STAT_WIDTH], stats[largest, cv2.CC_STAT_HEIGHT])
    return width / size


def _inside(box: Box, outer: Box, pad: float) -> bool:
    """Whether the centre of ``box`` lies in ``outer`` grown by ``pad`` px."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    x0, x1 = sorted((outer[0], outer[2]))
    y0, y1 = sorted((outer[1], outer[3]))
    return x0 - pad <= cx <= x1 + pad and y0 - pad <= cy <= y1 + pad


class TextFinder:
    """Boxes of printed text in a grey micrograph (rapidocr's detector, then its recogniser).

    Builds rapidocr on first use, in the process that uses it. Where rapidocr is missing or its
    models do not load, or detection fails, :meth:`boxes` returns no boxes and says so once, in a
    one-line :class:`UserWarning` (measure then runs as without text overlays).

    Args:
        threads: onnxruntime intra-op threads (1 is fastest on a busy 2-core CPU; -1 = all).
        min_score: recogniser score a reading needs (:func:`looks_like_text`).
        int8: run the detector in int8 (:mod:`nanokit.ocr.text_detector`, made on first use);
            None: where the CPU has int8 dot products (VNNI). Where the int8 detector cannot be
            made, a one-line warning says so and the fp32 one runs.
    """

    def __init__(
        self, threads: int = 1, min_score: float = MIN_SCORE, int8: bool | None = None
    ) -> None:
        from ..inference.cpu import has_int8_dot

        self.threads = threads
        self.min_score = min_score
        self.int8 = has_int8_dot() if int8 is None else int8
        self._ocr: Any = None
        self.error: str | None = None

    def _load(self) -> bool:
        if self._ocr is None and self.error is None:
            try:
                from rapidocr import RapidOCR

                params = {
                    "Global.log_level": "error",
                    "Global.text_score": 0.0,
                    "EngineConfig.onnxruntime.intra_op_num_threads": self.threads,
                    # the image comes scaled by detect_factor: rapidocr only rounds its
                    # sides to multiples of 32
                    "Det.limit_type": "max",
                    "Det.limit_side_len": DETECT_LONG_SIDE,
                }
                if self.int8:
                    params.update(self._int8_detector())
                self._ocr = RapidOCR(params=params)
            except Exception as exc:  # noqa: BLE001 - any failure only turns the option off
                self._fail(exc)
        return self._ocr is not None

    def _int8_detector(self) -> dict[str, str]:
        """rapidocr's parameter for the int8 detector; none (fp32) where it cannot be made."""
        from .text_detector import int8_detector

        try:
            return {"Det.model_path": str(int8_detector())}
        except Exception as exc:  # noqa: BLE001 - the fp32 detector still runs
            self.int8 = False
            warnings.warn(
                f"text detector in fp32: its int8 model cannot be made "
                f"({type(exc).__name__}: {first_line(exc)})",
                UserWarning,
                stacklevel=4,
            )
            return {}

    def _fail(self, exc: BaseException) -> None:
        self.error = f"{type(exc).__name__}: {first_line(exc)}"
        self._ocr = None
        warnings.warn(
            f"measure.text_overlays off: rapidocr's text detector is unavailable ({self.error})",
            UserWarning,
            stacklevel=3,
        )

    def detect(self, grey: np.ndarray) -> list[Box]:
        """Axis-aligned boxes (x0, y0, x1, y1) of every text line the detector proposes."""
        import cv2

        factor = detect_factor(grey.shape)
        scaled = grey
        if factor != 1.0:
            height, width = grey.shape[:2]
            # sides truncated, not rounded as utils.resize_by does: the reading thresholds were
            # set on these boxes, and one px more moved an EMPS panel letter's box enough for
            # its reading ('(f)') to drop from 0.96 to 0.77
            size = (max(1, int(width * factor)), max(1, int(height * factor)))
            interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_LINEAR
            scaled = cv2.resize(grey, size, interpolation=interpolation)
        out = self._ocr(to_bgr(scaled), use_det=True, use_cls=False, use_rec=False)
        boxes = out.boxes if out.boxes is not None else ()
        result = []
        for quad in boxes:
            quad = np.asarray(quad, dtype=float) / factor
            x0, y0 = quad.min(axis=0)
            x1, y1 = quad.max(axis=0)
            result.append((float(x0), float(y0), float(x1), float(y1)))
        return result

    def read(self, grey: np.ndarray, box: Box) -> tuple[str, float]:
        """The recogniser's (text, score) for ``box`` of ``grey``."""
        crop = grey[box_slices(box, 0)]
        if min(crop.shape) < 2:
            return "", 0.0
        out = self._ocr(to_bgr(crop), use_det=False, use_cls=False, use_rec=True)
        texts = out.txts or ()
        return " ".join(texts), float(np.mean(out.scores)) if texts else 0.0

    def boxes(
        self,
        grey: np.ndarray,
        rows: tuple[int, int] | None = None,
        known: Sequence[Box] = (),
    ) -> list[Box]:
        """Boxes of printed text in ``grey`` (uint8, (H, W)) that reach the particle ``rows``
        (top, bottom; None = all), leaving out those covering more than :data:`MAX_BOX_SHARE`
        of the image. Those centred in a ``known`` overlay (the scale bar and its label, read
        already) are kept unread: the detector's box takes in the whole glyphs, feet and
        descenders that the label's box may leave out; the others are read."""
        if not self._load():
            return []
        top, bottom = rows if rows is not None else (0, grey.shape[0])
        largest = MAX_BOX_SHARE * grey.shape[0] * grey.shape[1]
        try:
            found = []
            for box in self.detect(grey):
                if box[3] < top or box[1] >= bottom:
                    continue
                if (box[2] - box[0]) * (box[3] - box[1]) > largest:
                    continue
                if any(_inside(box, k, pad=3) for k in known):
                    found.append(box)
                    continue
                if stroke_ratio(grey, box) > MAX_STROKE:
                    continue
                if looks_like_text(*self.read(grey, box), min_score=self.min_score):
                    found.append(box)
            return found
        except Exception as exc:  # noqa: BLE001 - a failing detector must not fail the image
            self._fail(exc)
            return []

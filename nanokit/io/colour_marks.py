"""Coloured marks over a grey micrograph (a scale bar, its label, arrows, circles): found, set
off for the scale-bar reader, left out of measuring.

Journal figures often draw the scale bar and its label in yellow, red or cyan over a grey
micrograph. Weighted to luminance, a yellow bar on a bright TEM ground or a blue one on a dark
SEM ground is barely brighter or darker than its surroundings, and the scale-bar reader loses
it. Here such marks become white (the brightest of their channels) or black (the darkest),
whichever sets them off from their surroundings; a grey pixel keeps its grey. Not for a JPEG
(:func:`~nanokit.io.images.read_image` knows): it stores colour at half the resolution of
luminance, and a coloured mark set off by its colour would change length with it. Before
particles are segmented, the marks are filled in from around them (:func:`without_marks`).
"""

from __future__ import annotations

import numpy as np

#: A pixel is coloured when its channels differ by this much or more (8-bit) ...
COLOURED = 60
#: ... and grey when they differ by at most this much (JPEG's colour noise on a grey image).
GREY = 8
#: Marks cover at most this share of the image; more is a colour picture, not marks on grey.
MARKS_SHARE = 0.1
#: Fewer coloured pixels than this are noise, not marks.
MIN_MARK_PIXELS = 20
#: Coloured pixels mostly in compact blobs (over this share) are particles coloured in: such an
#: image is a colour picture, read by its luminance ...
MAX_BLOB_SHARE = 0.5
#: ... a blob being a component of this many px or more, ...
BLOB_AREA = 50
#: ... at least this share of its convex hull (rings, arrows and glyphs are less) ...
BLOB_SOLIDITY = 0.8
#: ... and at most this many times longer than wide (a bar is longer); and there are at least
#: this many such blobs (a bold label has a few compact glyphs).
BLOB_ASPECT = 3.0
MIN_BLOBS = 6
#: Pixels within this many px of a coloured one are part of its mark (anti-aliased edges, JPEG's
#: colour bleeding): there the largest or smallest channel is exact for any share of a
#: saturated colour over grey.
EDGE = 3
#: Luminance weights of R, G, B (ITU-R BT.601, as OpenCV's and Pillow's grey).
LUMA = np.array([0.299, 0.587, 0.114])


def find_marks(rgb: np.ndarray) -> np.ndarray | None:
    """(H, W) bool mask of the coloured marks of an (H, W, 3) uint8 RGB grey micrograph, and
    the pixels within :data:`EDGE` px of them (anti-aliased edges, JPEG's colour bleeding);
    None for any other image (a colour picture, a tinted one, one without coloured marks)."""
    if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3:
        return None
    chroma = _chroma(rgb)
    coloured = chroma >= COLOURED
    count = int(np.count_nonzero(coloured))
    if count < MIN_MARK_PIXELS or count > MARKS_SHARE * chroma.size:
        return None
    if float(np.median(chroma)) > GREY:
        return None  # a tinted micrograph: its own pixels are coloured too
    if _blob_share(coloured) > MAX_BLOB_SHARE:
        return None  # particles coloured in (a false-colour figure), not marks drawn over them
    return _near(coloured)


def _blob_share(coloured: np.ndarray) -> float:
    """Share of the coloured pixels in compact blobs (:data:`BLOB_AREA` px or more, convex to
    :data:`BLOB_SOLIDITY`, at most :data:`BLOB_ASPECT` times longer than wide), where there
    are :data:`MIN_BLOBS` or more (else 0): particles coloured in, where marks are strokes,
    rings, glyphs and long bars."""
    import cv2

    count, labels, stats, _ = cv2.connectedComponentsWithStats(coloured.astype(np.uint8), 8)
    blob, blobs = 0, 0
    for i in range(1, count):
        area = int(stats[i, cv2.CC_STAT_AREA])
        if area < BLOB_AREA:
            continue
        x, y = stats[i, cv2.CC_STAT_LEFT], stats[i, cv2.CC_STAT_TOP]
        w, h = stats[i, cv2.CC_STAT_WIDTH], stats[i, cv2.CC_STAT_HEIGHT]
        component = (labels[y : y + h, x : x + w] == i).astype(np.uint8)
        contours, _ = cv2.findContours(component, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        hull = cv2.convexHull(np.vstack(contours))
        (_, _), (side_a, side_b), _ = cv2.minAreaRect(hull)
        aspect = max(side_a, side_b) / max(min(side_a, side_b), 1.0)
        if area >= BLOB_SOLIDITY * cv2.contourArea(hull) and aspect <= BLOB_ASPECT:
            blob, blobs = blob + area, blobs + 1
    if blobs < MIN_BLOBS:
        return 0.0  # a few compact glyphs of a bold label
    return blob / max(int(np.count_nonzero(coloured)), 1)


def marks_grey(rgb: np.ndarray, marks: np.ndarray) -> np.ndarray:
    """(H, W) uint8 grey of an (H, W, 3) uint8 RGB image with its ``marks``
    (:func:`find_marks`) white or black, the rest its luminance.

    A mark's pixel becomes the largest of its channels (white for any saturated colour) where
    the marks' surroundings are dark, else the smallest (black). A mark's anti-aliased edge,
    part grey and part colour, thus goes part of the way, by its share of colour, so its
    outline stays where it was drawn; the micrograph keeps its grey.
    """
    channels = rgb.astype(np.int16)
    darkest, brightest = channels.min(axis=2), channels.max(axis=2)
    luma = rgb.astype(np.float64) @ LUMA
    around = marks & (brightest - darkest <= GREY)
    bright_ground = around.any() and float(luma[around].mean()) >= 128.0
    extreme = darkest if bright_ground else brightest
    grey = np.where(marks, extreme, np.round(luma))
    return np.clip(grey, 0, 255).astype(np.uint8)


def without_marks(grey: np.ndarray, marks: np.ndarray | None) -> np.ndarray:
    """``grey`` with its coloured ``marks`` filled in from around them (an arrow or circle
    drawn over a micrograph is no particle, nor part of one); ``grey`` itself without marks."""
    if marks is None:
        return grey
    import cv2

    return cv2.inpaint(grey, marks.astype(np.uint8), 3, cv2.INPAINT_TELEA)


def _chroma(rgb: np.ndarray) -> np.ndarray:
    """(H, W) int16: how far apart each pixel's channels are (0 for grey)."""
    channels = rgb.astype(np.int16)
    return channels.max(axis=2) - channels.min(axis=2)


def _near(marks: np.ndarray) -> np.ndarray:
    """``marks`` and the pixels within :data:`EDGE` px of them."""
    import cv2

    kernel = np.ones((2 * EDGE + 1, 2 * EDGE + 1), np.uint8)
    return cv2.dilate(marks.astype(np.uint8), kernel).astype(bool)

"""Elongated particles the network cuts because they lie along the image's axes, made whole
from a second look at the image turned by 45 degrees.

The network takes the middle of a rod lying within about 15 degrees of a row or column for
background (the straight parallel edges of a scale bar or of a panel's border look so): the
rod comes out as two pieces. Turned by 45 degrees, the same rod lies across the axes and
comes out whole. Pieces are joined only where the plain look parts them by background, not by
the boundary between touching particles, and only into a particle of the turned look that is
mostly made of them: the turned look adds no particle of its own.
"""

from __future__ import annotations

import cv2
import numpy as np
from scipy import ndimage

from ..sizing._geometry import label_aspect_ratios
from .neck_split import cut_by_frame
from .substrate import integer_median

#: The second look turns the image by this many degrees.
ANGLE = 45.0
#: Images where at least ``LONG_SHARE`` of the particles clear of the frame (and at least
#: ``MIN_PARTICLES``) are ``LONG_RATIO`` times as long as wide or more are looked at again:
#: rods and wires, also where the network cut many of them (the pieces are less elongated than
#: the rods). True of 6 of the 47 EMPS test images with 3 particles or more, 23 of 24 synthetic
#: rod scenes, 1 of BAM TiO2's 40, none of 80 synthetic scenes of round particles.
LONG_RATIO = 2.0
LONG_SHARE = 0.25
MIN_PARTICLES = 3
#: A piece: a particle of the plain look with at least this share of its px in one particle of
#: the turned look ...
PIECE_INSIDE = 0.5
#: ... which the pieces (two or more) cover by at least this share of its px ...
COVER = 0.6
#: ... and which takes at most this share of its px from other particles of the plain look.
OTHERS = 0.1


def elongated(labels: np.ndarray) -> bool:
    """Whether enough particles of ``labels`` clear of the frame are elongated (see
    :data:`LONG_RATIO`)."""
    ratios = label_aspect_ratios(labels)
    ratios[cut_by_frame(labels)] = np.nan
    ratios = ratios[np.isfinite(ratios)]
    return len(ratios) >= MIN_PARTICLES and np.mean(ratios >= LONG_RATIO) >= LONG_SHARE


def turned(image: np.ndarray, angle: float = ANGLE) -> tuple[np.ndarray, np.ndarray]:
    """(``image`` turned by ``angle`` degrees about its centre on a canvas that holds all of it,
    the 2 x 3 affine matrix that did it). The canvas's corners mirror the image."""
    height, width = image.shape[:2]
    side = int(np.ceil(np.hypot(height, width)))
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    matrix[:, 2] += ((side - width) / 2, (side - height) / 2)
    flags = dict(flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT_101)
    return cv2.warpAffine(image, matrix, (side, side), **flags), matrix


def turned_back(probs: np.ndarray, matrix: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """(C, H, W) ``probs`` of a :func:`turned` image brought back to the image's ``shape``."""
    inverse = cv2.invertAffineTransform(matrix)
    size = (shape[1], shape[0])
    return np.stack([cv2.warpAffine(p, inverse, size, flags=cv2.INTER_LINEAR) for p in probs])


def join_cut(
    labels: np.ndarray, turned_labels: np.ndarray, probs: np.ndarray, grey: np.ndarray
) -> np.ndarray:
    """``labels`` (the plain look) with the pieces of each particle of ``turned_labels`` (the
    turned look, brought back) made one particle, where ``probs`` (the plain look's background,
    interior, boundary probabilities) part them by background that has the particles' grey.

    A particle of the turned look joins the plain look's particles that lie mostly in it
    (:data:`PIECE_INSIDE`) when there are two or more, they cover :data:`COVER` of it and it
    takes no more than :data:`OTHERS` of its px from other particles. Where background of the
    plain look lies between them, the plain look must see it as background rather than a
    boundary (touching particles) and ``grey`` (the 8-bit image) there must be nearer the
    pieces' mean grey than the substrate's (a gap between particles lying end to end is
    substrate); pieces that touch are joined on the turned look's word (a boundary the network
    put across a rod looks like one between touching particles). Measured: dropping the
    boundary test joins more cut rods (synthetic rods 10.2 -> 9.4 %, segmenter alone) but also
    stacked plates of an EMPS train image (+26 -> +39 %); refusing pieces that touch joins
    far fewer (10.5 %).
    """
    count = int(labels.max()) + 1
    turned_count = int(turned_labels.max()) + 1
    if count < 3 or turned_count < 2:
        return labels
    areas = np.bincount(labels.ravel(), minlength=count)
    both = (labels > 0) & (turned_labels > 0)
    pairs, shared = np.unique(
        turned_labels[both].astype(np.int64) * count + labels[both], return_counts=True
    )
    owner, piece = np.divmod(pairs, count)
    inside = shared >= PIECE_INSIDE * areas[piece]
    owners, n_pieces = np.unique(owner[inside], return_counts=True)
    substrate = integer_median(grey[labels == 0]) if (labels == 0).any() else 0.0
    boxes, turned_boxes = ndimage.find_objects(labels), ndimage.find_objects(turned_labels)
    out = labels.copy()
    new_id = count
    for particle in owners[n_pieces >= 2].tolist():
        pieces = piece[inside & (owner == particle)]
        window = _enclosing([turned_boxes[particle - 1], *(boxes[p - 1] for p in pieces)])
        plain, grey_window = labels[window], grey[window]
        whole = turned_labels[window] == particle
        ours = np.isin(plain, pieces)
        if (ours & whole).sum() < COVER * whole.sum():
            continue
        if (whole & (plain > 0) & ~ours).sum() > OTHERS * whole.sum():
            continue
        gap = whole & (plain == 0)
        if gap.any():
            if probs[2][window][gap].mean() > probs[0][window][gap].mean():
                continue  # parted by a boundary: touching particles, not one cut in two
            between = float(grey_window[gap].mean())
            if abs(between - grey_window[ours].mean()) > abs(between - substrate):
                continue
        out[window][ours | gap] = new_id
        new_id += 1
    return out


def _enclosing(boxes: list[tuple[slice, slice]]) -> tuple[slice, slice]:
    """The (rows, columns) slices that hold all ``boxes``."""
    return (
        slice(min(b[0].start for b in boxes), max(b[0].stop for b in boxes)),
        slice(min(b[1].start for b in boxes), max(b[1].stop for b in boxes)),
    )

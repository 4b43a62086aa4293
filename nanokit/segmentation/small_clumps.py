"""Clumps no larger than one particle: a particle cut into pieces, joined again."""

from __future__ import annotations

import cv2
import numpy as np
from scipy import ndimage

from .instance_decoding import renumber
from .neck_split import cut_by_frame

#: A clump of touching regions is taken for one particle cut into pieces when its area is under
#: this many times the median area of the image's lone particles (touching no other, clear of
#: the frame) ...
LARGEST_CLUMP = 1.5
#: ... where there are at least this many lone particles to take that median over ...
MIN_LONE = 3
#: ... piece by piece: two touching pieces of such a clump become one where they meet along a
#: line at least this share of the narrower one's widest inscribed diameter. A cut across a
#: particle runs from edge to edge; two particles touch along a short line (a small one beside
#: a larger one, or a few small ones among large lone particles, are clumps under
#: :data:`LARGEST_CLUMP` too).
MIN_CONTACT = 0.9


def join_small_clumps(
    labels: np.ndarray,
    largest: float = LARGEST_CLUMP,
    min_lone: int = MIN_LONE,
    contact: float = MIN_CONTACT,
) -> np.ndarray:
    """``labels`` with the pieces of each clump of touching regions (8-neighbourhood, or 1 px
    apart) whose area is under ``largest`` x the median area of the lone particles joined where
    two of them meet along ``contact`` x the narrower one's widest inscribed diameter or more.

    Two particles that touch cover about twice the area of one; a clump no larger than one
    particle, whose pieces meet from edge to edge, is one particle that texture, pores, facets
    or the network's boundary class cut into pieces. Images with fewer than ``min_lone`` lone
    particles are returned unchanged (no size to judge by). Ids are renumbered 1..n.
    """
    count = int(labels.max())
    if count < 2:
        return labels
    touching = cv2.dilate((labels > 0).astype(np.uint8), np.ones((3, 3), np.uint8))
    _, clumps = cv2.connectedComponents(touching, connectivity=8)
    # a region lies in one clump (a region in pieces more than 1 px apart: in one of theirs)
    clump_of = np.zeros(count + 1, dtype=np.int64)
    clump_of[labels.ravel()] = clumps.ravel()
    areas = np.bincount(labels.ravel(), minlength=count + 1)
    ids = np.flatnonzero(areas[1:]) + 1
    regions = np.bincount(clump_of[ids], minlength=int(clumps.max()) + 1)
    clump_area = np.bincount(clump_of[ids], weights=areas[ids], minlength=regions.size)
    framed = np.zeros(regions.size, dtype=bool)
    framed[clump_of[cut_by_frame(labels)]] = True
    lone = (regions == 1) & ~framed
    if lone.sum() < min_lone:
        return labels
    small = (regions >= 2) & (clump_area < largest * np.median(clump_area[lone]))
    if not small.any():
        return labels
    boxes = ndimage.find_objects(labels)
    lut = np.arange(count + 1, dtype=labels.dtype)
    for clump in np.flatnonzero(small):
        for first, second in _cuts(labels, boxes, ids[clump_of[ids] == clump], contact):
            # both pieces, and those joined to either before, take the lower id
            low, high = sorted((lut[first], lut[second]))
            lut[lut == high] = low
    if (lut == np.arange(count + 1)).all():
        return labels
    return renumber(lut[labels])


def _cuts(
    labels: np.ndarray, boxes: list[tuple[slice, slice]], members: np.ndarray, share: float
) -> list[tuple[int, int]]:
    """Pairs (lower id first) of the regions ``members`` of ``labels`` (``boxes``: their
    bounding slices, ``scipy.ndimage.find_objects``) that meet along a line (pixels of the
    lower beside one of the higher) at least ``share`` x the widest inscribed diameter of the
    narrower one."""
    rows = [boxes[r - 1][0] for r in members]
    cols = [boxes[r - 1][1] for r in members]
    box = np.pad(
        labels[
            min(r.start for r in rows) : max(r.stop for r in rows),
            min(c.start for c in cols) : max(c.stop for c in cols),
        ],
        1,
    )
    masks = {int(r): box == r for r in members}
    widest = {
        r: 2.0 * float(cv2.distanceTransform(m.astype(np.uint8), cv2.DIST_L2, 5).max())
        for r, m in masks.items()
    }
    cuts = []
    for second, mask in masks.items():
        beside = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
        for first in masks:
            if first < second:
                contact = int((masks[first] & beside).sum())
                if contact and contact >= share * min(widest[first], widest[second]):
                    cuts.append((first, second))
    return cuts

"""Hollow particles: a ring the network breaks into arcs around a centre it takes for a
particle of its own (a hollow sphere, cage or frame seen in transmission). Only such centres
are joined: substrate enclosed by separate particles (a pocket in a clump) is left alone."""

from __future__ import annotations

import cv2
import numpy as np
from scipy import ndimage

from ..utils.morphology import grow_mask
from .instance_decoding import renumber
from .region_stats import label_mean, weighted_median
from .substrate import integer_median, pixel_noise

#: A centre: a particle whose mean grey lies within this share of the typical particle
#: contrast (typical particle grey minus the substrate's) of the substrate's grey ...
SUBSTRATE_LIKE = 0.3
#: ... with at least this many px ...
MIN_CENTRE_PX = 20
#: ... enclosed: of the pixels up to ``EDGE`` px outside it, at least ``ENCLOSED`` are pixels
#: of other particles ...
EDGE = 3
ENCLOSED = 0.75
#: ... that lie within ``BAND`` times its radius of it with at least ``IN_BAND`` of their
#: pixels (the arcs of a ring; a neighbour in a packing reaches beyond, and the centre is left
#: alone).
BAND = 1.0
IN_BAND = 0.8
#: ... at most ``MAX_ARCS`` of them (a ring of separate particles is not one), whose centroid
#: with the centre's lies within ``CONCENTRIC`` times the centre's radius of the centre's own
#: (a ring around it, not particles lying along one side of a pocket of substrate).
MAX_ARCS = 12
CONCENTRIC = 0.2
#: The typical particle contrast must be at least this many times the pixel noise.
MIN_SIGNAL = 3.0


def join_hollow(labels: np.ndarray, grey: np.ndarray) -> np.ndarray:
    """``labels`` with each hollow particle made one particle (centre, arcs and the gaps between
    them): a substrate-grey particle enclosed by arcs that lie around it and nowhere else.
    ``grey``: the 8-bit image."""
    count = int(labels.max()) + 1
    background = labels == 0
    if count < 3 or not background.any():
        return labels
    areas = np.bincount(labels.ravel(), minlength=count)
    present = np.flatnonzero(areas[1:]) + 1
    means = label_mean(grey.astype(np.float32), labels, count)
    substrate = integer_median(grey[background])
    span = weighted_median(means[present], areas[present]) - substrate
    centres = present[
        (np.abs(means[present] - substrate) <= SUBSTRATE_LIKE * abs(span))
        & (areas[present] >= MIN_CENTRE_PX)
    ]
    if not len(centres):
        return labels
    lut = np.arange(count, dtype=np.int32)
    fills = []
    boxes = ndimage.find_objects(labels)
    for centre in centres.tolist():
        band = max(2, round(BAND * np.sqrt(areas[centre] / np.pi)))
        ys, xs = boxes[centre - 1]
        y0, x0 = max(ys.start - 2 * band, 0), max(xs.start - 2 * band, 0)
        window = labels[y0 : ys.stop + 2 * band, x0 : xs.stop + 2 * band]
        own = window == centre
        edge = window[grow_mask(own, EDGE) & ~own]
        if (edge > 0).mean() < ENCLOSED:
            continue
        around = window[grow_mask(own, band) & ~own]
        arcs = np.setdiff1d(np.unique(edge[edge > 0]), [centre])
        in_ring = np.bincount(around, minlength=count)
        if not 0 < len(arcs) <= MAX_ARCS or (in_ring[arcs] < IN_BAND * areas[arcs]).any():
            continue
        whole = own | np.isin(window, arcs)
        offset = np.hypot(*np.subtract(ndimage.center_of_mass(whole), ndimage.center_of_mass(own)))
        if offset > CONCENTRIC * np.sqrt(areas[centre] / np.pi):
            continue
        if not fills and abs(span) < MIN_SIGNAL * max(pixel_noise(grey), 1.0):
            return labels  # no clear particle contrast: measured once, where a join is due
        lut[arcs] = centre
        fills.append((y0, x0, _hull(whole) & (window == 0), centre))
    if not fills:
        return labels
    joined = lut[labels]
    for y0, x0, gaps, centre in fills:
        h, w = gaps.shape
        joined[y0 : y0 + h, x0 : x0 + w][gaps] = centre
    return renumber(joined)


def _hull(region: np.ndarray) -> np.ndarray:
    """The convex hull of ``region`` (a hollow particle's outline: the gaps between its arcs
    closed)."""
    points = cv2.findNonZero(region.astype(np.uint8))
    hull = np.zeros(region.shape, np.uint8)
    cv2.fillConvexPoly(hull, cv2.convexHull(points), 1)
    return hull > 0

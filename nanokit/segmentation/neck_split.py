"""Particles that a segmenter kept as one although their outline has a neck: split at the neck."""

from __future__ import annotations

import cv2
import numpy as np
from scipy import ndimage

from ..sizing._geometry import convex_hull
from ..sizing.sizers.base import distance_markers, markers_per_clump

#: Particles cut by the image's edge are split only at deep necks: a centre must rise above the
#: saddle by at least this share of it (two bodies, not the ragged or tapering outline of one).
FRAME_CUT_RATIO = 0.5
#: ... and only when each body split off that lies clear of the frame is convex (solidity, its
#: area over its convex hull's, at least this): a particle, not a piece of a texture or of an
#: object that runs out of the image.
FRAME_CUT_SOLIDITY = 0.9


def split_at_necks(labels: np.ndarray, h: float, ratio: float) -> np.ndarray:
    """``labels`` with every particle whose own distance transform holds two or more maxima
    that stand out (see :func:`nanokit.sizing.sizers.base.distance_markers` for ``h`` and
    ``ratio``) split into the watershed basins of those maxima.

    A network that parts touching particles by a boundary class misses the boundaries it
    cannot see (small particles, low contrast between them); their shape still shows two
    bodies joined by a neck, which is what the classical sizer splits at. Each particle is
    measured on its own: pixels next to another particle count as its edge.

    Args:
        labels: (H, W) int32 particle labels, 0 = background.
        h: rise (px) of a maximum above the saddle that marks a small particle of its own.
        ratio: the same rise relative to the saddle, for large particles.

    Particles cut by the image's edge are split only at deep necks (:data:`FRAME_CUT_RATIO`)
    into convex bodies (:data:`FRAME_CUT_SOLIDITY`):
    part of their outline is the frame, not the particle, and a body split off a tapering
    object would be measured as a particle of its own; but touching particles merged with one
    cut by the frame must come apart, or all of them are lost with it.

    Returns:
        (H, W) int32 labels; particles without a neck keep their ids, split ones get new ids.
    """
    from skimage.segmentation import watershed

    if not labels.any():
        return labels
    inside = labels > 0
    padded = np.pad(labels, 1)
    for dy, dx in ((0, 1), (1, 0), (0, -1), (-1, 0)):
        neighbour = padded[1 + dy : 1 + dy + labels.shape[0], 1 + dx : 1 + dx + labels.shape[1]]
        inside &= (neighbour == labels) | (neighbour == 0)
    markers = distance_markers(inside, h, ratio)
    split = np.flatnonzero(markers_per_clump(labels, markers) >= 2)
    cut = cut_by_frame(labels)
    if cut.size:
        strict = distance_markers(inside, h, max(ratio, FRAME_CUT_RATIO))
        is_cut = np.isin(labels, cut)
        markers = np.where(is_cut, strict, markers)
        split = np.union1d(
            np.setdiff1d(split, cut), cut[markers_per_clump(labels, strict)[cut] >= 2]
        )
    if not len(split):
        return labels
    dist = cv2.distanceTransform(inside.astype(np.uint8), cv2.DIST_L2, 5)
    boxes = ndimage.find_objects(labels)
    out = labels.copy()
    next_id = int(labels.max()) + 1
    for particle in split:
        box = boxes[particle - 1]
        own = labels[box] == particle
        parts = watershed(-dist[box], np.where(own, markers[box], 0), mask=own, connectivity=1)
        if particle in cut and not _bodies_convex(parts, _frame_box(box, labels.shape)):
            continue
        ids, parts = np.unique(parts, return_inverse=True)
        parts = parts.reshape(own.shape)
        out[box][own] = next_id + parts[own] - (ids[0] == 0)
        next_id += len(ids) - (ids[0] == 0)
    return out


def _frame_box(box: tuple[slice, slice], shape: tuple[int, ...]) -> np.ndarray:
    """(h, w) bool: the pixels of ``box`` that lie on the image's edge."""
    on_edge = np.zeros((box[0].stop - box[0].start, box[1].stop - box[1].start), bool)
    on_edge[0, :] |= box[0].start == 0
    on_edge[-1, :] |= box[0].stop == shape[0]
    on_edge[:, 0] |= box[1].start == 0
    on_edge[:, -1] |= box[1].stop == shape[1]
    return on_edge


def _bodies_convex(parts: np.ndarray, on_edge: np.ndarray) -> bool:
    """Whether every part (label > 0) that does not reach the frame is convex."""
    for part in np.unique(parts[parts > 0]):
        body = parts == part
        if (body & on_edge).any():
            continue
        hull = cv2.contourArea(convex_hull(body).astype(np.float32))
        if body.sum() < FRAME_CUT_SOLIDITY * hull:
            return False
    return True


def cut_by_frame(labels: np.ndarray) -> np.ndarray:
    """Ids of the particles that touch the edge of ``labels``."""
    edge = np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])
    return np.unique(edge[edge > 0])

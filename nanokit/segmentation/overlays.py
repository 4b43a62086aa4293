"""Annotations drawn on a micrograph (scale bar, its label, the box under them): no particles."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

#: A box (x0, y0, x1, y1) in pixels, corners included, in any order.
Box = tuple[float, float, float, float]


def box_slices(box: Box, pad: int) -> tuple[slice, slice]:
    """(rows, columns) slices of ``box`` grown by ``pad`` px, for indexing an image."""
    x0, y0, x1, y1 = box
    ys = slice(max(0, int(min(y0, y1)) - pad), max(0, int(max(y0, y1)) + pad + 1))
    xs = slice(max(0, int(min(x0, x1)) - pad), max(0, int(max(x0, x1)) + pad + 1))
    return ys, xs


def outside_annotation(shape: tuple[int, ...], boxes: Sequence[Box]) -> np.ndarray | None:
    """(H, W) bool: the pixels clear of the annotation that ``boxes`` (scale bar, label) make
    up: their joint bounding box grown by half its height (the frame or filled box journals
    draw around them); None without boxes."""
    if not boxes:
        return None
    corners = np.asarray(boxes, dtype=float).reshape(-1, 2)  # (x, y) of every box corner
    (x0, y0), (x1, y1) = corners.min(axis=0), corners.max(axis=0)
    clear = np.ones(shape[:2], dtype=bool)
    clear[box_slices((x0, y0, x1, y1), max(1, round((y1 - y0) / 2)))] = False
    return clear


def touching(labels: np.ndarray, count: int, boxes: Sequence[Box], pad: int = 3) -> np.ndarray:
    """(count,) bool: which labels reach into ``boxes`` grown by ``pad`` px (label 0 never)."""
    hit = np.zeros(count, dtype=bool)
    for box in boxes:
        hit[np.unique(labels[box_slices(box, pad)])] = True
    hit[0] = False
    return hit


def drop_overlays(mask: np.ndarray, boxes: Sequence[Box], pad: int = 3) -> tuple[np.ndarray, int]:
    """(``mask`` without the regions that the overlay ``boxes`` hide, how many regions that
    drops). ``mask`` is bool (its connected regions) or int labels with 0 = ground (each
    particle). A region that only a thin bridge joins to a box keeps its part outside it
    (:func:`clear_bodies`)."""
    if not boxes or not mask.any():
        return mask, 0
    labelled, labels = _regions(mask)
    bodies = clear_bodies(labels, int(labels.max()) + 1, boxes, pad)
    if not bodies:
        return mask, 0
    out = np.array(labels, copy=True)
    for label, body in bodies.items():
        region = labels == label
        out[region if body is None else region & ~body] = 0
    dropped = sum(body is None for body in bodies.values())
    return (out > 0 if not labelled else out.astype(mask.dtype)), dropped


#: Largest length along which a particle may come within ``pad`` px of an annotation box, as a
#: share of its width (the diameter of the largest disc inside it), for its part outside the
#: box to be kept as whole: a disc whose chord along the box is half its diameter reaches
#: 7 % of its diameter into the box and its pad; its hidden part, if any, is under 3 % of
#: its area.
BRIDGE_SHARE = 0.5


def clear_bodies(
    labels: np.ndarray, count: int, boxes: Sequence[Box], pad: int = 3
) -> dict[int, np.ndarray | None]:
    """For each label that reaches into ``boxes`` grown by ``pad`` px: None where the boxes hide
    it, else the (H, W) bool mask of its part to keep.

    A region is hidden where it meets a box (within ``pad`` px) along more than
    :data:`BRIDGE_SHARE` of its own width: it goes on under the annotation. One that meets it
    along less is a whole particle that the segmentation joined to a glyph of the label or the
    end of the bar by a thin bridge: its largest part outside the boxes is kept.
    """
    hit = touching(labels, count, boxes, pad)
    if not hit.any():
        return {}
    covered = np.zeros(labels.shape, dtype=bool)
    near = np.zeros(labels.shape, dtype=bool)
    for box in boxes:
        covered[box_slices(box, 0)] = True
        near[box_slices(box, pad)] = True
    ring = near & ~covered
    return {
        int(label): _clear_body(labels == label, covered, ring, pad)
        for label in np.flatnonzero(hit)
    }


def hidden_regions(
    labels: np.ndarray, count: int, boxes: Sequence[Box], pad: int = 3
) -> np.ndarray:
    """(count,) bool: which labels ``boxes`` hide (:func:`clear_bodies`; label 0 never)."""
    hidden = np.zeros(count, dtype=bool)
    for label, body in clear_bodies(labels, count, boxes, pad).items():
        hidden[label] = body is None
    return hidden


def _clear_body(
    region: np.ndarray, covered: np.ndarray, ring: np.ndarray, pad: int
) -> np.ndarray | None:
    """The largest part of ``region`` outside ``covered`` where it meets ``ring`` (the ``pad``
    px around ``covered``) along at most :data:`BRIDGE_SHARE` of its width; else None."""
    ys, xs = np.nonzero(region)
    rows = slice(max(0, ys.min() - 1), ys.max() + 2)
    cols = slice(max(0, xs.min() - 1), xs.max() + 2)
    rest = (region[rows, cols] & ~covered[rows, cols]).astype(np.uint8)
    count, parts, stats, _ = cv2.connectedComponentsWithStats(rest, connectivity=8)
    if count < 2:
        return None
    largest = parts == 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    width = 2 * float(cv2.distanceTransform(largest.astype(np.uint8), cv2.DIST_L2, 5).max())
    contact = float((largest & ring[rows, cols]).sum()) / pad
    if contact > BRIDGE_SHARE * width:
        return None
    body = np.zeros(region.shape, dtype=bool)
    body[rows, cols] = largest
    return body


def drop_inside(mask: np.ndarray, boxes: Sequence[Box], share: float = 0.5) -> np.ndarray:
    """``mask`` (bool, or int labels with 0 = ground) without the regions that have at least
    ``share`` of their area inside ``boxes``: text printed on a micrograph, whose glyphs lie wholly
    in its box, while the particles it is printed over, that only reach into it, stay."""
    if not boxes or not mask.any():
        return mask
    labelled, labels = _regions(mask)
    count = int(labels.max()) + 1
    in_box = np.zeros(mask.shape, dtype=bool)
    for box in boxes:
        in_box[box_slices(box, 0)] = True
    area = np.bincount(labels.ravel(), minlength=count)
    inside = np.bincount(labels[in_box].ravel(), minlength=count)
    drop = inside >= share * np.maximum(area, 1)
    drop[0] = False
    if not drop.any():
        return mask
    if not labelled:
        return mask & ~drop[labels]
    out = mask.copy()
    out[drop[labels]] = 0
    return out


def _regions(mask: np.ndarray) -> tuple[bool, np.ndarray]:
    """(whether ``mask`` holds labels, its labels): int labels as they are, or the connected
    regions (8-connected) of a bool mask."""
    if mask.dtype != bool:
        return True, mask
    return False, cv2.connectedComponents(mask.astype(np.uint8), connectivity=8)[1]

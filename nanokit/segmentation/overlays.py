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


def touching(labels: np.ndarray, count: int, boxes: Sequence[Box], pad: int = 3) -> np.ndarray:
    """(count,) bool: which labels reach into ``boxes`` grown by ``pad`` px (label 0 never)."""
    hit = np.zeros(count, dtype=bool)
    for box in boxes:
        hit[np.unique(labels[box_slices(box, pad)])] = True
    hit[0] = False
    return hit


def drop_overlays(mask: np.ndarray, boxes: Sequence[Box]) -> tuple[np.ndarray, int]:
    """(``mask`` without its regions that reach the overlay ``boxes``, how many regions that
    drops). ``mask`` is bool (its connected regions) or int labels with 0 = ground (each
    particle)."""
    if not boxes or not mask.any():
        return mask, 0
    if mask.dtype == bool:
        count, labels = cv2.connectedComponents(mask.astype(np.uint8), connectivity=8)
        hit = touching(labels, count, boxes)
        return mask & ~hit[labels], int(hit.sum())
    hit = touching(mask, int(mask.max()) + 1, boxes)
    return np.where(hit[mask], 0, mask).astype(mask.dtype), int(hit.sum())


def drop_inside(mask: np.ndarray, boxes: Sequence[Box], share: float = 0.5) -> np.ndarray:
    """``mask`` (bool, or int labels with 0 = ground) without the regions that have at least
    ``share`` of their area inside ``boxes``: text printed on a micrograph, whose glyphs lie wholly
    in its box, while the particles it is printed over, that only reach into it, stay."""
    if not boxes or not mask.any():
        return mask
    labelled = mask.dtype != bool
    labels = mask if labelled else cv2.connectedComponents(mask.astype(np.uint8), connectivity=8)[1]
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

"""Tiled inference for large images: overlapping tiles, run in batches, blended seamlessly.

Each tile's probabilities are weighted by a window that is 1 in the tile's interior and along
image borders, and falls to 0 towards edges it shares with a neighbour: zero over the outer
quarter of the overlap (where zero padding and missing context spoil a network's output), then a
cosine ramp. Ramps of neighbouring tiles sum to one, so where the network sees enough context
the blended result equals whole-image inference.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from ..errors import NanokitError
from .base import InferenceBackend


def tile_starts(length: int, tile: int, overlap: int) -> list[int]:
    """Start offsets of tiles covering ``length`` px, neighbours overlapping by >= ``overlap``.

    Tiles are spread evenly from 0 to ``length - tile``; one tile at 0 if ``length <= tile``.
    """
    if length <= tile:
        return [0]
    n = math.ceil((length - overlap) / (tile - overlap))
    return [round(i * (length - tile) / (n - 1)) for i in range(n)]


def edge_ramp(size: int, overlap: int, left: bool, right: bool) -> np.ndarray:
    """1-D blending weights of one tile, (size,) float32.

    Args:
        size: tile length in px.
        overlap: nominal overlap with neighbours in px.
        left, right: whether a neighbouring tile overlaps this side (image borders stay at 1).
    """
    weights = np.ones(size, dtype=np.float32)
    if overlap <= 0:
        return weights
    margin = overlap // 4
    ramp_len = overlap - 2 * margin
    distance = np.arange(size, dtype=np.float32) + 0.5  # pixel centres from the edge
    ramp = np.sin(0.5 * np.pi * np.clip((distance - margin) / ramp_len, 0.0, 1.0)) ** 2
    if left:
        weights *= ramp
    if right:
        weights *= ramp[::-1]
    return weights


def softmax(logits: np.ndarray, axis: int = 1) -> np.ndarray:
    """Numerically stable softmax of float32 logits along ``axis``."""
    shifted = np.exp(logits - logits.max(axis=axis, keepdims=True))
    return shifted / shifted.sum(axis=axis, keepdims=True)


def predict_tiled(
    backend: InferenceBackend,
    image: np.ndarray,
    *,
    tile: int = 1024,
    overlap: int = 128,
    batch_size: int = 2,
) -> np.ndarray:
    """Class probabilities of one image, tiling it when it is larger than ``tile``.

    Args:
        backend: runs the network.
        image: (3, H, W) float32 in [0, 1].
        tile: largest tile side in px; an image that fits is run in one pass.
        overlap: overlap of neighbouring tiles in px, 0 <= overlap <= tile / 2.
        batch_size: tiles per forward pass.

    Returns:
        (C, H, W) float32 probabilities (softmax over classes), blended across tiles.
    """
    if tile < 1 or batch_size < 1:
        raise NanokitError(f"tile and batch_size must be >= 1, got {tile} and {batch_size}")
    if not 0 <= 2 * overlap <= tile:
        raise NanokitError(f"overlap must lie in [0, tile / 2] = [0, {tile // 2}], got {overlap}")
    _, height, width = image.shape
    tile_h, tile_w = min(tile, height), min(tile, width)
    ys = tile_starts(height, tile_h, overlap)
    xs = tile_starts(width, tile_w, overlap)
    if len(ys) == len(xs) == 1:
        return softmax(backend.predict(image[None]))[0]

    ramps_y = {y: edge_ramp(tile_h, overlap, y > 0, y + tile_h < height) for y in ys}
    ramps_x = {x: edge_ramp(tile_w, overlap, x > 0, x + tile_w < width) for x in xs}
    boxes = [(y, x) for y in ys for x in xs]
    total: np.ndarray | None = None
    weight_sum = np.zeros((height, width), dtype=np.float32)
    for chunk in _chunks(boxes, batch_size):
        batch = np.stack([image[:, y : y + tile_h, x : x + tile_w] for y, x in chunk])
        probs = softmax(backend.predict(batch))
        if total is None:
            total = np.zeros((probs.shape[1], height, width), dtype=np.float32)
        for (y, x), prob in zip(chunk, probs, strict=True):
            window = np.outer(ramps_y[y], ramps_x[x])
            total[:, y : y + tile_h, x : x + tile_w] += prob * window
            weight_sum[y : y + tile_h, x : x + tile_w] += window
    return total / weight_sum


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

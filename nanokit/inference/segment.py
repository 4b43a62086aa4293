"""Whole-image segmentation: any micrograph array in, a probability or label map out."""

from __future__ import annotations

from typing import Literal

import numpy as np

from ..errors import NanokitError
from .base import InferenceBackend
from .tiling import predict_tiled

#: the smallest side the segmentation models accept; smaller images are padded by mirroring.
MIN_SIDE = 64


def to_model_input(image: np.ndarray) -> np.ndarray:
    """Convert a micrograph to the network's input layout.

    Args:
        image: (H, W) grey, (H, W, 1), (H, W, 3) RGB or (H, W, 4) RGBA; uint8, uint16, bool, or
            float in [0, 1].

    Returns:
        (3, H, W) float32 in [0, 1], grey replicated to 3 channels, alpha dropped.
    """
    array = np.asarray(image)
    if array.ndim == 3 and array.shape[2] in (1, 3, 4):
        array = array[:, :, :3] if array.shape[2] != 1 else array[:, :, 0]
    if array.ndim not in (2, 3) or min(array.shape[:2]) == 0:
        raise NanokitError(f"expected an H x W or H x W x 3 image, got shape {array.shape}")
    if array.dtype == np.uint8:
        scaled = array.astype(np.float32) / 255.0
    elif array.dtype == np.uint16:
        scaled = array.astype(np.float32) / 65535.0
    elif array.dtype == bool:
        scaled = array.astype(np.float32)
    elif np.issubdtype(array.dtype, np.floating):
        scaled = array.astype(np.float32)
        if not np.isfinite(scaled).all() or scaled.min() < 0.0 or scaled.max() > 1.0:
            raise NanokitError("a float image must hold finite values in [0, 1]")
    else:
        raise NanokitError(f"unsupported image dtype {array.dtype} (use uint8, uint16 or float)")
    if scaled.ndim == 2:
        return np.ascontiguousarray(np.broadcast_to(scaled, (3, *scaled.shape)))
    return np.ascontiguousarray(scaled.transpose(2, 0, 1))


def segment_image(
    backend: InferenceBackend,
    image: np.ndarray,
    *,
    tile: int = 1024,
    overlap: int = 128,
    batch_size: int = 2,
    output: Literal["label", "prob"] = "label",
) -> np.ndarray:
    """Segment one micrograph, tiling it when it is larger than ``tile``.

    Args:
        backend: from :func:`nanokit.inference.build_backend`.
        image: (H, W) or (H, W, 3) array, uint8/uint16 or float in [0, 1] (see
            :func:`to_model_input`).
        tile: largest tile side in px; images up to tile x tile run in one pass.
        overlap: overlap of neighbouring tiles in px (<= tile / 2), blended with a cosine window.
        batch_size: tiles per forward pass.
        output: ``"label"`` for the (H, W) uint8 argmax class map (1 = particle for 2-class
            models), ``"prob"`` for (C, H, W) float32 class probabilities.

    Returns:
        The label map or the probabilities, at the input's H x W.
    """
    if output not in ("label", "prob"):
        raise NanokitError(f"output must be 'label' or 'prob', got {output!r}")
    chw = to_model_input(image)
    height, width = chw.shape[1:]
    pad_h, pad_w = max(0, MIN_SIDE - height), max(0, MIN_SIDE - width)
    if pad_h or pad_w:
        chw = np.pad(chw, ((0, 0), (0, pad_h), (0, pad_w)), mode="symmetric")
    probs = predict_tiled(backend, chw, tile=tile, overlap=overlap, batch_size=batch_size)
    probs = probs[:, :height, :width]
    if output == "prob":
        return np.ascontiguousarray(probs)
    return probs.argmax(axis=0).astype(np.uint8)

"""Reading micrographs and masks into nanokit's normalised arrays.

Every image becomes an (H, W, 3) float32 array in [0, 1], whatever its bit depth (8 or 16 bit)
and channels (grey, RGB, RGBA); every mask becomes an (H, W) uint8 array with 0 = background,
1 = particle and 255 = ignore.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import NanokitError
from ..io.images import ImageReadError
from ..io.images import read_array as io_read_array

#: Mask value for pixels that count neither in the loss nor in the metrics.
IGNORE_INDEX = 255


def read_array(path: str | Path) -> np.ndarray:
    """Read an image or mask file as stored (see :func:`nanokit.io.read_array`).

    Unreadable files raise a one-line :class:`NanokitError` naming the file.
    """
    try:
        return io_read_array(path)
    except ImageReadError as exc:
        raise NanokitError(f"cannot read {path}: {exc}") from None


def to_float_rgb(arr: np.ndarray) -> np.ndarray:
    """Normalise any grey/RGB/RGBA, 8/16-bit or float image to (H, W, 3) float32 in [0, 1].

    Integer images are divided by their dtype's maximum (so a 16-bit copy of an 8-bit image
    gives the same floats); float images are clipped to [0, 1]. Alpha is dropped and grey is
    replicated to three channels.
    """
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[..., 0]
    if arr.ndim == 3:
        arr = arr[..., :3]
        if arr.shape[2] != 3:
            raise NanokitError(f"expected 1, 3 or 4 channels, got {arr.shape[2]}")
    if np.issubdtype(arr.dtype, np.integer):
        out = arr.astype(np.float32) / float(np.iinfo(arr.dtype).max)
    elif arr.dtype == bool:
        out = arr.astype(np.float32)
    else:
        out = np.clip(arr.astype(np.float32), 0.0, 1.0)
    if out.ndim == 2:
        out = np.repeat(out[..., None], 3, axis=2)
    return np.ascontiguousarray(out)


def to_label_image(arr: np.ndarray) -> np.ndarray:
    """A mask file's content as an (H, W) int32 label image (colour masks: any channel > 0)."""
    if arr.ndim == 3:
        arr = (arr[..., :3] > 0).any(axis=2)
    return arr.astype(np.int32)


def to_binary_mask(labels: np.ndarray) -> np.ndarray:
    """Binary or instance labels -> (H, W) uint8 with 1 = particle, 0 = background."""
    return (labels > 0).astype(np.uint8)

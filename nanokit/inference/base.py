"""The interface every inference backend follows: a batch of images in, logits out."""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from ..errors import NanokitError


class InferenceBackend(ABC):
    """Runs a segmentation network on batches of images.

    Attributes:
        name: short name of the backend kind (``"torch"``, ``"onnx"``).
        notes: human-readable remarks on the settings actually used (e.g. why bf16 is off).
    """

    name: str = "base"

    def __init__(self) -> None:
        self.notes: list[str] = []

    @abstractmethod
    def _run(self, batch: np.ndarray) -> np.ndarray:
        """Forward a checked N x 3 x H x W float32 batch; return N x C x H x W logits."""

    def predict(self, batch: np.ndarray) -> np.ndarray:
        """Logits of a batch of images.

        Args:
            batch: (N, 3, H, W) float32 in [0, 1] (grey replicated to 3 channels).

        Returns:
            (N, C, H, W) float32 logits, C = number of classes.
        """
        return np.asarray(self._run(check_batch(batch)), dtype=np.float32)

    def describe(self) -> str:
        """One line naming the backend and its settings."""
        return self.name


def check_batch(batch: np.ndarray) -> np.ndarray:
    """Return ``batch`` as a C-contiguous float32 (N, 3, H, W) array or raise NanokitError."""
    if not isinstance(batch, np.ndarray) or batch.ndim != 4 or batch.shape[1] != 3:
        shape = getattr(batch, "shape", type(batch).__name__)
        raise NanokitError(f"a batch must be an N x 3 x H x W array, got {shape}")
    if min(batch.shape) == 0:
        raise NanokitError(f"empty batch of shape {batch.shape}")
    return np.ascontiguousarray(batch, dtype=np.float32)

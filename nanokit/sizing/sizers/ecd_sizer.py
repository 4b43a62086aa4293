"""The paper's sizing: connected components of the mask, each sized by its area."""

from __future__ import annotations

import numpy as np

from ...registry import SIZERS
from .base import BaseSizer


@SIZERS.register_module()
class EcdSizer(BaseSizer):
    """Each connected component of the mask is one particle (``cv2.connectedComponents``).

    Touching particles merge into one; they are flagged ``touching`` but not split (use
    :class:`WatershedSizer` for that).
    """

    def label(
        self, mask: np.ndarray, markers: np.ndarray, clumps: np.ndarray, touching: np.ndarray
    ) -> np.ndarray:
        """(H, W) bool mask -> (H, W) int32 connected-component labels (the clumps as they are)."""
        return clumps

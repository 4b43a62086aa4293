"""Touching particles split by a marker watershed on the distance transform, then sized."""

from __future__ import annotations

import numpy as np

from ...registry import SIZERS
from .base import BaseSizer


@SIZERS.register_module()
class WatershedSizer(BaseSizer):
    """Split clumps at the necks between distance-transform maxima, then size each part.

    A maximum of the (slightly smoothed) distance transform that rises ``touch_h`` px (small
    particles) or ``touch_ratio`` of the saddle height (large ones) above the saddle to its
    neighbour seeds a particle (see :func:`.base.distance_markers`); the watershed of the negated
    distance grows the seeds back to the mask's edge. Components without a seed stay whole.
    """

    def label(self, mask: np.ndarray, markers: np.ndarray) -> np.ndarray:
        """(H, W) bool mask -> (H, W) int32 labels with touching particles split."""
        import cv2
        from skimage.segmentation import watershed

        dist = cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 5)
        labels = watershed(
            -dist, markers, mask=mask, connectivity=2 if self.connectivity == 8 else 1
        )
        # Components too small or too flat for a seed keep their own label.
        unseeded = mask & (labels == 0)
        if unseeded.any():
            rest = self.components(unseeded)
            labels = np.where(rest > 0, rest + labels.max(), labels)
        return labels.astype(np.int32)

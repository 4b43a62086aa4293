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
    distance grows the seeds back to the mask's edge. Components with fewer than two seeds stay
    whole.
    """

    def label(
        self, mask: np.ndarray, markers: np.ndarray, clumps: np.ndarray, touching: np.ndarray
    ) -> np.ndarray:
        """(H, W) bool mask -> (H, W) int32 labels with touching particles split.

        Only clumps with two or more markers are flooded; every other clump (one marker, or
        too small or flat for any) is one particle as it is.
        """
        import cv2
        from skimage.segmentation import watershed

        split = touching[clumps]
        if not split.any():
            return clumps.astype(np.int32)
        dist = cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 5)
        parts = watershed(
            -dist,
            np.where(split, markers, 0),
            mask=split,
            connectivity=2 if self.connectivity == 8 else 1,
        )
        return np.where(split, parts + clumps.max(), clumps).astype(np.int32)

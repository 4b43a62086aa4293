"""Particles that overlap without a boundary the network sees: split at their brightness peaks.

A network that learnt from masks where a particle partly hidden behind another is rarely an
instance of its own merges such pairs (BAM TiO2 SEM powders: half the hand-drawn particles).
Where each particle of such a pair keeps brightness peaks of its own (SEM particles with bright
edges), the watershed of the smoothed grey from the peaks that stand out
(:func:`~nanokit.segmentation.clumps.split_clumps`) parts them. Textured, porous or rimmed
particles have many such peaks and are cut into pieces: an option for smooth particles (see
docs/results.md), off by default.
"""

from __future__ import annotations

import cv2
import numpy as np

from .clumps import split_clumps
from .instance_decoding import renumber
from .region_stats import label_mean

#: Smoothing (px) of the grey before its peaks are found: shading and pixel noise make no peak.
SIGMA = 3.0
#: A peak stands out when it rises this share of its particle's contrast above the saddle.
DYNAMIC = 0.2
#: Particles smaller than this (px) are not split.
MIN_AREA = 30


def split_at_peaks(
    image: np.ndarray, labels: np.ndarray, sigma: float = SIGMA, dynamic: float = DYNAMIC
) -> np.ndarray:
    """``labels`` with every particle that holds two or more brightness peaks (darkness peaks
    where the particles are darker than the background) split into their watershed basins.

    Args:
        image: (H, W) grey image the labels belong to.
        labels: (H, W) int32 particle labels, 0 = background.
        sigma: smoothing (px) of ``image`` before peaks are found.
        dynamic: rise of a peak above its saddle, as a share of its particle's contrast (its
            mean grey minus the background's median).

    Returns:
        (H, W) int32 labels renumbered 1..N.
    """
    if not labels.any() or labels.all():
        return labels
    grey = cv2.GaussianBlur(image.astype(np.float32), (0, 0), sigma)
    count = int(labels.max()) + 1
    level = label_mean(grey, labels, count)
    background = float(np.median(grey[labels == 0]))
    sign = 1.0 if np.nanmedian(level) >= background else -1.0
    base = np.full(count, sign * background, np.float32)
    scale = np.maximum(np.abs(np.nan_to_num(level, nan=background) - background), 1.0)
    parts, _ = split_clumps(
        sign * grey, labels, count, base, scale.astype(np.float32), MIN_AREA, dynamic
    )
    return renumber(parts.astype(np.int32))

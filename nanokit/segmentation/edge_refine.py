"""Particle outlines moved onto the image's own edge: half-way between particle and background."""

from __future__ import annotations

import cv2
import numpy as np

from .region_stats import label_mean, nearest_region

#: Half-width (px) of the band around each outline in which pixels are decided again.
BAND_PX = 2
#: The background level of a particle is the mean of a ring ``GAP_PX`` to
#: ``GAP_PX + RING_PX`` px outside it (clear of its blurred edge).
GAP_PX = 3
RING_PX = 4
#: A particle's own level is the most extreme (towards its polarity) mean grey of the 1-px rings
#: at depth 1 to ``band + RIM_PX`` px inside its outline where that is more extreme than its
#: core's mean; rings of fewer than ``MIN_RING_PIXELS`` pixels (small particles) are too noisy
#: to count.
RIM_PX = 2
MIN_RING_PIXELS = 12


def refine_edges(image: np.ndarray, labels: np.ndarray, band: int = BAND_PX) -> np.ndarray:
    """``labels`` whose outlines follow the half-contrast level of ``image``.

    A network draws outlines with the convention of the masks it learnt from (hand-drawn
    masks tend to enclose the whole dark rim); the size of a particle is better defined by
    the image: a pixel within ``band`` px of an outline belongs to the particle when its
    (lightly smoothed) grey value lies on the particle's side of the level half-way between
    the particle's own level and its background's mean (a ring outside). The particle's level
    is its core's mean, or the peak of its rim where that is more extreme: SEM particles have
    bright rims (edge effect), and half-way from the core's mean would put the outline outside
    the blurred rim (synthetic particles of 30 px grew by about 3 %). The peak is the most
    extreme mean of the 1-px rings of the unsmoothed image (averaged along the rim, not over
    noisy pixels): smoothing lowers a narrow peak and the level with it (the upper quartile
    of the smoothed rim left clean bright synthetic particles 1-2 % too large).
    Particles without a background ring or without contrast keep their outline; pixels
    between touching particles keep their owner.

    Args:
        image: (H, W) grey image the labels belong to.
        labels: (H, W) int32 particle labels, 0 = background.
        band: half-width (px) of the band decided again.

    Returns:
        (H, W) int32 labels with the same ids.
    """
    if not labels.any():
        return labels
    grey = cv2.GaussianBlur(image.astype(np.float32), (0, 0), 1.0)
    inside = labels > 0
    depth = cv2.distanceTransform(inside.astype(np.uint8), cv2.DIST_L2, 5)
    away, nearest = nearest_region(labels)
    core = np.where(depth > band + 0.5, labels, 0)
    count = int(labels.max()) + 1
    particle = label_mean(grey, core, count)
    particle = np.where(np.isnan(particle), label_mean(grey, labels, count), particle)
    ring = ~inside & (away > GAP_PX) & (away <= GAP_PX + RING_PX)
    background = label_mean(grey, np.where(ring, nearest, 0), count)
    polarity = np.nan_to_num(np.sign(particle - background))
    rim_level = _rim_level(image, labels, depth, band + RIM_PX, polarity)
    rim_level = np.where(np.isnan(rim_level), particle, rim_level)
    particle = np.where(polarity > 0, np.fmax(particle, rim_level), np.fmin(particle, rim_level))
    level = (particle + background) / 2
    owner = np.where(inside & (depth <= band + 0.5), labels, 0)
    owner = np.where(~inside & (away <= band), nearest, owner)
    decide = owner > 0
    own = owner[decide]
    valid = np.isfinite(level[own]) & (polarity[own] != 0)
    on_particle = (grey[decide] - level[own]) * polarity[own] > 0
    out = labels.copy()
    out[decide] = np.where(valid, np.where(on_particle, own, 0), labels[decide])
    return out.astype(np.int32)


def _rim_level(
    image: np.ndarray,
    labels: np.ndarray,
    depth: np.ndarray,
    rings: int,
    polarity: np.ndarray,
) -> np.ndarray:
    """(count,) per label the most extreme (brightest where its ``polarity`` is positive,
    darkest elsewhere) mean grey of ``image`` over the 1-px rings at depth 1..``rings`` px
    inside its outline, rings of at least :data:`MIN_RING_PIXELS` pixels (NaN where none)."""
    count = len(polarity)
    rim = (labels > 0) & (depth <= rings + 0.5)
    ring = np.clip(np.rint(depth[rim]).astype(np.int64), 1, rings) - 1
    index = labels[rim].astype(np.int64) * rings + ring
    sums = np.bincount(index, weights=image[rim].astype(np.float64), minlength=count * rings)
    pixels = np.bincount(index, minlength=count * rings)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(pixels >= MIN_RING_PIXELS, sums / pixels, np.nan).reshape(count, rings)
    sign = np.where(polarity > 0, 1.0, -1.0)
    # the most extreme mean towards the polarity is the largest of mean x sign
    extreme = np.nan_to_num(means * sign[:, None], nan=-np.inf).max(axis=1) * sign
    return np.where(np.isfinite(extreme), extreme, np.nan)

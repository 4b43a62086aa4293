"""Particles that do not stand out from their surroundings as the image's particles do.

A network that learnt what particles look like still outlines, on images it was never tuned for,
regions that have a particle's shape but not its contrast: faint smudges on an SEM substrate,
the gaps between touching rods, a hole in a TEM carbon film, the counter of a letter in a panel
label. Each has a step at its outline far smaller than the image's typical particle, or one of
the opposite sign (brighter than its surroundings where the particles are darker). Measured on
50 real vendor and journal micrographs nobody tuned for (see docs/measure.md).
"""

from __future__ import annotations

import numpy as np

from .region_stats import label_quantile, nearest_region, weighted_median
from .substrate import pixel_noise

#: A particle whose contrast (median inside minus median of the substrate around it) is under
#: this share of the image's typical particle contrast, or of the opposite sign, is dropped.
MIN_RELATIVE_CONTRAST = 0.2
#: The substrate around a particle: background pixels ``RING[0]`` to ``RING[1]`` px from it
#: (the first px are its blurred edge).
RING = (2.0, 6.0)
#: The rule needs this many particles with a measured contrast (the typical one is their median,
#: each weighted by its diameter).
MIN_PARTICLES = 3
#: ... and a typical contrast of at least this many times the pixel noise: on images without
#: clear particles (textures, grain structures) there is no polarity to compare with.
MIN_SIGNAL = 3.0
#: Least substrate pixels around a particle for its contrast to count (a particle in a dense
#: packing, whose surroundings are other particles, is kept).
MIN_RING_PIXELS = 8


def particle_contrasts(grey: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """(max label + 1,) float32: median grey inside each particle minus the median of the
    background ``RING`` px around it (NaN for label 0, absent labels and particles with fewer
    than ``MIN_RING_PIXELS`` background pixels around them)."""
    count = int(labels.max()) + 1
    values = grey.astype(np.float32)
    inside = labels > 0
    inner = label_quantile(values[inside], labels[inside], count, 0.5)
    distance, owner = nearest_region(labels)
    band = (distance > RING[0]) & (distance <= RING[1])
    outer = label_quantile(values[band], owner[band], count, 0.5)
    pixels = np.bincount(owner[band], minlength=count)
    contrast = inner - outer
    contrast[pixels < MIN_RING_PIXELS] = np.nan
    contrast[0] = np.nan
    return contrast


def faint_particles(
    grey: np.ndarray,
    labels: np.ndarray,
    min_relative: float = MIN_RELATIVE_CONTRAST,
    contrast: np.ndarray | None = None,
) -> np.ndarray:
    """(max label + 1,) bool: the particles :func:`drop_faint_labels` drops.

    Args:
        contrast: the :func:`particle_contrasts` of ``labels`` where the caller has them.
    """
    contrast = particle_contrasts(grey, labels) if contrast is None else contrast
    none = np.zeros(len(contrast), bool)
    measured = np.isfinite(contrast)
    if measured.sum() < MIN_PARTICLES:
        return none
    # Each particle weighs by its diameter (its outline, along which the contrast is measured):
    # a large particle is not outvoted by the specks on its halo, nor are many particles by a
    # few large folds of a film.
    diameter = np.sqrt(np.bincount(labels.ravel(), minlength=len(contrast)))
    typical = weighted_median(contrast[measured], diameter[measured])
    if abs(typical) < MIN_SIGNAL * max(pixel_noise(grey), 1.0):
        return none
    relative = contrast / typical
    return np.isfinite(relative) & (relative < min_relative)


def drop_faint_labels(
    grey: np.ndarray, labels: np.ndarray, min_relative: float = MIN_RELATIVE_CONTRAST
) -> np.ndarray:
    """``labels`` without the particles whose contrast is under ``min_relative`` times the
    typical particle's (the diameter-weighted median over particles) or of the opposite sign.

    The typical contrast's sign is the image's polarity (dark particles on a bright background
    or bright on dark). Nothing is dropped where fewer than ``MIN_PARTICLES`` particles have a
    measured contrast or the typical one is under ``MIN_SIGNAL`` times the pixel noise.

    Args:
        grey: (H, W) grey image.
        labels: (H, W) int particle labels (0 = background) of ``grey``.
        min_relative: least contrast, as a share of the typical particle contrast.

    Returns:
        (H, W) int32 labels, the dropped particles set to 0 (ids unchanged).
    """
    if not labels.any():
        return labels
    drop = faint_particles(grey, labels, min_relative)
    if not drop.any():
        return labels
    return np.where(drop[labels], 0, labels).astype(np.int32)

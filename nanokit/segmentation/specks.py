"""Speck removal shared by the segmenters: components (of a mask) or particles (of a label
image) far narrower than the typical particle (the area-weighted median one)."""

from __future__ import annotations

import cv2
import numpy as np

from ..sizing._geometry import ecd
from .faint import faint_particles, particle_contrasts
from .region_stats import weighted_median
from .substrate import pixel_noise

#: Components narrower than this share of the typical particle diameter are specks.
MIN_RELATIVE_D = 0.3
#: ... unless (labels with their image) one is distinct: it covers ``MIN_DISTINCT_AREA`` px and
#: a disc of ``MIN_DISTINCT_RELATIVE_D`` typical diameters (not debris), is compact
#: (its inscribed circle at least ``DISTINCT_ROUNDNESS`` times its ECD wide), touches no
#: other particle and stands out from the substrate around it like the typical particle does
#: (``DISTINCT_CONTRAST`` times its contrast, same sign) and far above the pixel noise
#: (``DISTINCT_SIGNAL`` times it): a second, smaller population of the same material (dots
#: beside plates), not a fragment, texture, noise or something far brighter (dust, lettering).
MIN_DISTINCT_AREA = 20
MIN_DISTINCT_RELATIVE_D = 0.1
DISTINCT_ROUNDNESS = 0.6
DISTINCT_CONTRAST = (1.0, 3.0)
DISTINCT_SIGNAL = 5.0


def disc_area(diameter: float) -> float:
    """Area (px) of a disc ``diameter`` px wide."""
    return float(np.pi / 4 * diameter**2)


def remove_small(mask: np.ndarray, min_area: float) -> np.ndarray:
    """``mask`` without its connected components smaller than ``min_area`` px."""
    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    keep = stats[:, cv2.CC_STAT_AREA] >= min_area
    keep[0] = False
    return keep[labels]


def drop_specks(mask: np.ndarray, diameter: float) -> np.ndarray:
    """``mask`` without components smaller than a disc of ``MIN_RELATIVE_D x diameter``."""
    return remove_small(mask, disc_area(MIN_RELATIVE_D * diameter))


def typical_diameter(mask: np.ndarray, min_area_px: int = 16) -> float | None:
    """Area-weighted median inscribed-circle diameter (px) of components of ``min_area_px`` or more.

    The inscribed circle of a clump of touching particles is about one particle wide, so merged
    particles do not inflate the estimate as their area would; weighting by area keeps many
    small noise specks from pulling it down.
    """
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        mask.astype(np.uint8), connectivity=8
    )
    keep = np.flatnonzero(stats[1:, cv2.CC_STAT_AREA] >= min_area_px) + 1
    if keep.size == 0:
        return None
    if mask.all():
        return None  # no background: nothing to measure a particle against
    dist = cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 5)
    inside = labels > 0
    radii = np.zeros(count, dtype=np.float32)
    np.maximum.at(radii, labels[inside], dist[inside])  # far faster than ndimage.maximum
    return 2 * weighted_median(radii[keep], stats[keep, cv2.CC_STAT_AREA])


def typical_label_diameter(labels: np.ndarray) -> float | None:
    """Area-weighted median ECD (px) of the particles in ``labels``; None without particles."""
    areas = np.bincount(labels.ravel())[1:]
    areas = areas[areas > 0]
    return _weighted_median_ecd(areas) if len(areas) else None


def drop_label_specks(labels: np.ndarray, grey: np.ndarray | None = None) -> np.ndarray:
    """``labels`` without particles smaller than a disc of ``MIN_RELATIVE_D`` times the
    area-weighted median particle diameter (fragments and texture beside real particles).

    With the ``grey`` image, the typical diameter leaves out faint regions
    (:func:`~nanokit.segmentation.faint.faint_particles`: a few large regions of a carbon film
    or substrate would otherwise make every real particle a speck) and small particles that
    are distinct (see :data:`MIN_DISTINCT_AREA`) are kept."""
    areas = np.bincount(labels.ravel())
    areas[0] = 0
    ids = np.flatnonzero(areas)
    if len(ids) < 2:
        return labels
    reference = ids
    if grey is not None:
        contrast = particle_contrasts(grey, labels)
        standing_out = ids[~faint_particles(grey, labels, contrast=contrast)[ids]]
        reference = standing_out if standing_out.size else ids
    typical = _weighted_median_ecd(areas[reference])
    keep = areas >= disc_area(MIN_RELATIVE_D * typical)
    keep[0] = True
    if grey is not None and not keep[ids].all():
        large_enough = areas >= max(MIN_DISTINCT_AREA, disc_area(MIN_DISTINCT_RELATIVE_D * typical))
        keep |= _distinct(grey, labels, keep, contrast) & large_enough
    return np.where(keep[labels], labels, 0).astype(np.int32)


def _distinct(
    grey: np.ndarray, labels: np.ndarray, kept: np.ndarray, contrast: np.ndarray
) -> np.ndarray:
    """(max label + 1,) bool: compact particles whose ``contrast`` with their surroundings
    (:func:`~nanokit.segmentation.faint.particle_contrasts`) is like the typical (area-weighted
    median) ``kept`` particle's (:data:`DISTINCT_CONTRAST`), far above the noise, and that touch
    no other particle."""
    reference = kept & np.isfinite(contrast)
    reference[0] = False
    if not reference.any():
        return np.zeros(len(contrast), bool)
    # Weighted by area: the large particles set it, not the many small regions of a texture.
    areas = np.bincount(labels.ravel(), minlength=len(contrast))
    typical = weighted_median(contrast[reference], areas[reference])
    if typical == 0:
        return np.zeros(len(contrast), bool)
    with np.errstate(invalid="ignore"):
        relative = contrast / typical
        alike = (relative >= DISTINCT_CONTRAST[0]) & (relative <= DISTINCT_CONTRAST[1])
        strong = np.abs(contrast) >= DISTINCT_SIGNAL * max(pixel_noise(grey), 1.0)
    return alike & strong & _compact(labels, areas) & ~_touching_others(labels, len(contrast))


def _compact(labels: np.ndarray, areas: np.ndarray) -> np.ndarray:
    """(len(areas),) bool: particles whose inscribed circle is at least
    :data:`DISTINCT_ROUNDNESS` times their ECD wide (dots, not strips or slivers)."""
    depth = cv2.distanceTransform((labels > 0).astype(np.uint8), cv2.DIST_L2, 5)
    widest = np.zeros(len(areas), np.float32)
    np.maximum.at(widest, labels[labels > 0], depth[labels > 0])
    with np.errstate(invalid="ignore", divide="ignore"):
        return 2 * widest >= DISTINCT_ROUNDNESS * ecd(areas)


def _touching_others(labels: np.ndarray, count: int, gap: int = 2) -> np.ndarray:
    """(count,) bool: particles within ``gap`` px of another particle."""
    size = (2 * gap + 1, 2 * gap + 1)
    highest = cv2.dilate(labels.astype(np.float32), np.ones(size, np.uint8))
    ids = np.where(labels > 0, labels, count).astype(np.float32)
    lowest = cv2.erode(ids, np.ones(size, np.uint8))
    clash = (highest != lowest) & (lowest < count) & (highest > 0)
    touching = np.zeros(count, bool)
    touching[np.unique(highest[clash]).astype(np.int64)] = True
    touching[np.unique(lowest[clash]).astype(np.int64)] = True
    return touching


def _weighted_median_ecd(areas: np.ndarray) -> float:
    """Area-weighted median ECD (px) of particles of ``areas`` (all > 0)."""
    return weighted_median(ecd(areas), areas)

"""Sharp-edged regions: particles have a step at their outline, substrate blotches a slope."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from ..utils.morphology import open_mask
from .overlays import Box, touching
from .region_stats import label_quantile, nearest_region
from .specks import MIN_RELATIVE_D, disc_area
from .substrate import wide_blur

#: Sharp-edged regions: the median grey 1 to 3 px inside a region's outline exceeds the median
#: 1 to 3 px outside it by this many spreads of the grey differences over 4 px (the distance
#: between the two bands): particles have steps there, substrate blotches gentle slopes.
_SHARP_K = 2.5
_SHARP_GAP, _SHARP_WIDTH = 1.0, 2.0
#: ... and by this share of the region's height (its 95 % quantile over the outside band):
#: a blotch's outline rises over 4 px by a small part of its height, a particle's by most.
_SHARP_SHARE = 0.4
#: Missed sharp regions: sharp-edged regions among the pixels this many noise levels above the
#: local mean (a Gaussian blur ``_LOCAL_MEAN`` typical diameters wide) are particles too ...
_LOCAL_K = 0.5
_LOCAL_MEAN = 1.0
#: ... with a step of this many spreads (``_SHARP_K`` for the size: it tolerates fewer texture
#: regions there, where they would set d, than here, where they must also reach ``floor``).
_LOCAL_SHARP_K = 2.0


def sharp_regions(
    grey: np.ndarray,
    mask: np.ndarray,
    polarity: str,
    denoise: float = 0.0,
    min_height: float = 0.0,
    k: float = _SHARP_K,
) -> tuple[np.ndarray, int]:
    """The components of ``mask`` with a step at their outline, and their number.

    A component's step is the median of ``grey`` in a band ``_SHARP_GAP`` to ``_SHARP_GAP +
    _SHARP_WIDTH`` px inside its outline minus the median in the same band outside it (towards
    the particles for ``"dark"``). It is sharp when the step is ``k`` or more times the
    robust spread of the grey differences between pixels as far apart as the two bands'
    middles (pixel noise, grain and the substrate's slopes over that distance) and
    ``_SHARP_SHARE`` or more of its height (its 95 % quantile over the outside band), and
    the height is ``min_height`` or more: particles have steep edges, substrate blotches and
    shading the same gentle slopes outside as inside.

    Args:
        grey: (H, W) float32 grey image.
        mask: (H, W) bool regions.
        polarity: ``"bright"`` or ``"dark"`` particles.
        denoise: Gaussian smoothing (px) of ``grey`` first (0: none).
        min_height: least height (grey levels).
        k: least step in spreads of the grey differences.

    Returns:
        ((H, W) bool mask of the sharp components, their number).
    """
    count, labels = cv2.connectedComponents(mask.astype(np.uint8), connectivity=8)
    if count <= 1:
        return mask, 0
    flat = cv2.GaussianBlur(grey, (0, 0), denoise) if denoise > 0 else grey
    flat = -flat if polarity == "dark" else flat
    reach = _SHARP_GAP + _SHARP_WIDTH
    inside = cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 5)
    band = (inside > _SHARP_GAP) & (inside <= reach)
    inner = label_quantile(flat[band], labels[band], count, 0.5)
    outside, owner = nearest_region(labels)
    band = (outside > _SHARP_GAP) & (outside <= reach)
    outer = label_quantile(flat[band], owner[band], count, 0.5)
    shift = round(2 * _SHARP_GAP + _SHARP_WIDTH)
    diffs = np.concatenate(
        [
            (flat[::4, shift::4] - flat[::4, :-shift:4]).ravel(),
            (flat[shift::4, ::4] - flat[:-shift:4, ::4]).ravel(),
        ]
    )
    spread = 1.4826 * float(np.median(np.abs(diffs - np.median(diffs))))
    height = label_quantile(flat[mask], labels[mask], count, 0.95) - outer
    step = np.nan_to_num(inner - outer, nan=-np.inf)
    height = np.nan_to_num(height, nan=-np.inf)
    keep = (step >= k * spread) & (step >= _SHARP_SHARE * height) & (height >= min_height)
    keep[0] = False
    return keep[labels], int(keep.sum())


def missed_sharp_regions(
    flat: np.ndarray,
    mask: np.ndarray,
    noise: float,
    floor: float,
    diameter: float,
    overlays: Sequence[Box] = (),
) -> np.ndarray:
    """Particles the contrast test missed: faint, but with a step at their outline.

    On a blotchy substrate the noise is as strong as a faint particle's contrast, so the
    substrate threshold finds no candidate or the contrast test drops it. Here the candidates
    are the components of the pixels ``_LOCAL_K`` noise levels above the local mean (a
    Gaussian blur of ``_LOCAL_MEAN * diameter`` px), opened by 1 px; those that touch
    neither ``mask`` nor an overlay, are no specks (``0.3 diameter`` wide or more) and have a
    step of ``_LOCAL_SHARP_K`` spreads at their outline and a height of ``floor`` or more
    (:func:`sharp_regions`) are returned.

    Args:
        flat: (H, W) float32 flattened image, particles bright.
        mask: (H, W) bool regions already kept.
        noise: the substrate's noise (grey levels).
        floor: least height (grey levels) of a particle: the share ``relative_contrast`` of
            the kept regions' typical contrast (real substrates have faint sharp texture).
        diameter: typical particle diameter (px).
        overlays: boxes of annotations (x0, y0, x1, y1) in ``flat``'s rows.

    Returns:
        (H, W) bool mask of the added regions.
    """
    local = flat > wide_blur(flat, _LOCAL_MEAN * diameter) + _LOCAL_K * noise
    local = open_mask(local, 1) & ~mask
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        local.astype(np.uint8), connectivity=8
    )
    near = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    drop = np.bincount(labels[near], minlength=count) > 0
    drop |= touching(labels, count, overlays)
    drop |= stats[:, cv2.CC_STAT_AREA] < disc_area(MIN_RELATIVE_D * diameter)  # specks
    drop[0] = True
    return sharp_regions(flat, ~drop[labels], "bright", min_height=floor, k=_LOCAL_SHARP_K)[0]

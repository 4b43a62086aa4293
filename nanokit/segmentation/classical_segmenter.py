"""The default segmenter: no training, no weights; denoise, flatten, then keep the regions that
stand out from their surroundings by more than the substrate's noise."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
from scipy import ndimage

from ..registry import SEGMENTERS
from ..utils.morphology import h_maxima
from .base import BaseSegmenter
from .overlays import Box, drop_overlays, touching
from .polarity import particle_polarity
from .region_stats import label_quantile
from .sharp_edges import sharp_regions
from .specks import MIN_RELATIVE_D, disc_area, drop_specks, remove_small, weighted_median

#: First-pass settings of the automatic mode (px), before the particle size is known: the
#: opening disc (half the background width) is wider than the largest particles.
_FIRST_PASS = {"denoise": 3.0, "background": 250.0}
#: Automatic mode: background width per px of typical particle diameter.
_AUTO_BACKGROUND = 3.0
#: Automatic mode: smoothing of noisy images per px of typical particle diameter.
_NOISY_DENOISE = 1 / 8
#: Automatic mode: particle contrast over pixel noise below which the image counts as noisy.
_NOISY_SNR = 5.0
#: Automatic mode: one more final pass when the final mask's typical diameter is this many
#: times smaller than the first pass's (clusters of small particles merged when smoothed).
_RESIZE_RATIO = 2.0
#: Candidate regions: pixels this many noise levels above the substrate.
_CANDIDATE_K = 1.5
#: Background ring of a region: starts this many px (plus the smoothing) outside it ...
_RING_GAP = 2.0
#: ... and is this share of the typical diameter wide (3 to 15 px).
_RING_WIDTH = 0.25
#: Clumps (regions over 1.5 typical particle areas) are split at peaks that rise this share of
#: the clump's contrast (at least ``_PEAK_NOISE`` noise levels) above their saddles.
_PEAK_DYNAMIC = 0.1
_PEAK_NOISE = 2.0
_CLUMP_AREAS = 1.5
#: Final passes drop regions both fainter than this share of the typical contrast and smaller,
#: once cut, than a disc of this share of the typical diameter: substrate blotches beside
#: large bright particles (11 synthetic sets: MRE never worse, 5.05 -> 4.83 % on average).
_FAINT_SMALL_CONTRAST = 0.5
_FAINT_SMALL_D = 0.5
#: Automatic mode: the typical diameter comes from the sharp-edged first-pass regions when
#: there are at least this many (else from all of them) ...
_MIN_SHARP = 5
#: ... of those at least this share of the first estimate wide: blotches inflate that up to
#: about 3 times, and specks, letters and the grain on large particles are narrower still.
_SHARP_MIN_RELATIVE_D = 0.2
#: Final pass: sharp-edged regions among the pixels this many noise levels above the local
#: mean (a Gaussian blur ``_LOCAL_MEAN`` typical diameters wide) are particles too.
_LOCAL_K = 0.5
_LOCAL_MEAN = 1.0
#: ... with a step of this many spreads (2.5 for the size: it tolerates fewer texture
#: regions there, where they would set d, than here, where they must also reach ``floor``).
_LOCAL_SHARP_K = 2.0
_LEVELS = 1000


@SEGMENTERS.register_module()
class ClassicalSegmenter(BaseSegmenter):
    """Grey image -> particle mask by smoothing, background removal and a contrast test.

    Each pass smooths, subtracts the substrate (a grey opening that removes everything
    narrower than its disc: the particles, not the substrate's blotches and shading) and
    measures the substrate level (median, clipped iteratively at 3 sigma: robust to the
    particles) and the local noise (the same spread of the image minus a Gaussian blur 4 times
    as wide as the background ring: pixel noise and fine texture, not shading). Candidate
    regions are the pixels 1.5 noise levels above the substrate. A region's
    contrast is its ``peak_quantile`` pixel minus the median of a background ring around it;
    it is kept only if that contrast is ``min_contrast`` noise levels or more, and at least
    ``relative_contrast`` of the typical contrast of the kept regions (their median weighted
    by area x contrast, so that many texture specks do not set it): faint substrate texture
    goes, faint particles stay; once the typical diameter is known, regions both below half
    the typical contrast and, once cut, smaller than half the typical diameter go too. Each
    kept region is cut at half its own contrast above its ring (``level``), so dim and
    bright particles alike are outlined at half height (dark particles at half the height of
    their ``dark_quantile`` pixel in the final pass); in the final pass clumps (over 1.5 typical particle areas) are first split
    at their brightness peaks (:func:`split_clumps`), so that each particle of a clump is
    tested and cut at its own height. Regions that reach an overlay (scale bar, label) are
    left out before any statistics. With ``"auto"`` settings a first pass (3 px smoothing, a
    125 px disc) estimates the typical particle diameter d (area-weighted median inscribed
    diameter) and the contrast over the pixel noise, then again from its sharp-edged regions
    of ``0.2 d`` or wider when there are 5 or more (:func:`sharp_regions`: smooth substrate
    blotches among faint small particles would set d); the final pass uses a ``1.5 d`` disc
    and smooths by 1 px, or by ``d / 8`` px (1.5 to 4) when the image is noisy, and runs once
    more with the final mask's d when that is 2 times smaller (dense clusters of small
    particles merge in the smoothed first pass); components narrower than ``0.3 d`` are
    dropped as specks.

    Args:
        denoise_sigma: Gaussian smoothing (px) before thresholding, ``"auto"`` or 0 (off).
        background_sigma: substrate scale (px): the opening disc is half of it wide
            (``"auto"``: ``3 d``), or None (off).
        polarity: ``"bright"`` (SEM: particles brighter than the substrate), ``"dark"`` (TEM
            bright field) or ``"auto"``: from the curvature of the strongest edges and the
            contrast against the image frame (see :func:`~.polarity.particle_polarity`).
        min_contrast: a region's contrast over its ring, in noise levels, below which it is
            substrate texture.
        relative_contrast: share of the typical contrast of the kept regions that a region
            must reach (0: off).
        peak_quantile: quantile of a region's pixels that stands for its plateau (the bright
            rim of SEM particles included).
        dark_quantile: for dark particles, the quantile whose height above the ring sets the
            outline level instead: their darkest pixels are the thick centre (TEM) and the
            noise, not the edge, and they have no bright rim (None: ``peak_quantile``).
        level: share of a region's contrast above its ring where its outline is cut.
        open_radius: radius (px) of the opening that removes specks and thin bridges.
        fill_holes: fill enclosed holes (dark particle centres in SEM edge contrast).
        split_valleys: when set, pixels of thin dark valleys (black top-hat of 7 px) deeper
            than this share of the particle contrast are cut out of the mask, which separates
            touching particles whose boundary is only a shading line (clustered SEM powders).
            Off by default: it over-splits the synthetic particles.
        split_peaks: cut 1-px lines between the parts of a clump split at its brightness
            peaks, so that touching particles with a dip between them are sized one by one
            (BAM TiO2 clusters: count bias -47 % -> -2 %). Off by default: it over-splits
            textured particles (EMPS TEM crops).
    """

    def __init__(
        self,
        denoise_sigma: float | str = "auto",
        background_sigma: float | str | None = "auto",
        polarity: str = "auto",
        min_contrast: float = 3.0,
        relative_contrast: float = 0.3,
        peak_quantile: float = 0.95,
        dark_quantile: float | None = 0.75,
        level: float = 0.5,
        open_radius: int = 1,
        fill_holes: bool = True,
        split_valleys: float | None = None,
        split_peaks: bool = False,
    ) -> None:
        if polarity not in ("auto", "bright", "dark"):
            raise ValueError(f"polarity must be 'auto', 'bright' or 'dark', got {polarity!r}")
        quantiles = (peak_quantile, peak_quantile if dark_quantile is None else dark_quantile)
        if not all(0 < q <= 1 for q in quantiles) or not 0 < level < 1:
            raise ValueError("peak_quantile and dark_quantile must be in (0, 1], level in (0, 1)")
        self.denoise_sigma = denoise_sigma
        self.background_sigma = background_sigma
        self.polarity = polarity
        self.min_contrast = min_contrast
        self.relative_contrast = relative_contrast
        self.peak_quantile = peak_quantile
        self.dark_quantile = dark_quantile
        self.level = level
        self.open_radius = open_radius
        self.fill_holes = fill_holes
        self.split_valleys = split_valleys
        self.split_peaks = split_peaks

    def predict_mask(
        self,
        image: np.ndarray,
        rows: tuple[int, int] | None = None,
        overlays: Sequence[Box] = (),
    ) -> np.ndarray:
        """Segment one image.

        Args:
            image: (H, W) uint8 grey image.
            rows: ``[top, bottom)`` rows to segment (outside the data bar); the rest stays
                background.
            overlays: boxes (x0, y0, x1, y1) of annotations drawn on the image (scale bar,
                label): regions that reach them are left out before any statistics, so that
                a bright bar or its box neither sets the typical contrast nor the size.

        Returns:
            (H, W) bool particle mask.
        """
        top, bottom = rows if rows is not None else (0, image.shape[0])
        grey = image[top:bottom].astype(np.float32)
        boxes = [(x0, y0 - top, x1, y1 - top) for x0, y0, x1, y1 in overlays]
        denoise, background = self.denoise_sigma, self.background_sigma
        polarity = self.polarity
        if polarity == "auto":
            polarity = particle_polarity(grey, boxes)
        d, noisy = None, False
        if "auto" in (denoise, background):
            first_denoise = _FIRST_PASS["denoise"] if denoise == "auto" else denoise
            first = self._segment(
                grey,
                first_denoise,
                _FIRST_PASS["background"] if background == "auto" else background,
                polarity,
                None,
                boxes,
            )
            d = typical_diameter(first)
            if d is not None:
                # Smooth substrate blotches that pass the first pass's contrast test would set
                # the size: take it from the sharp-edged regions (specks left out) if enough.
                wide = remove_small(first, disc_area(_SHARP_MIN_RELATIVE_D * d))
                sharp, n_sharp = sharp_regions(grey, wide, polarity, first_denoise)
                if n_sharp >= _MIN_SHARP:
                    first, d = sharp, typical_diameter(sharp)
            if denoise == "auto":
                # Sharp, clean images keep their edges; noisy ones are smoothed with the size.
                noisy = d is not None and _signal_to_noise(grey, first, polarity) < _NOISY_SNR
                denoise = _noisy_denoise(d) if noisy else 1.0
            if background == "auto":
                background = _auto_background(d) if d is not None else _FIRST_PASS["background"]
        mask = self._segment(grey, denoise, background, polarity, d, boxes)
        final_d = typical_diameter(mask) if d is not None else None
        if final_d is not None and final_d < d / _RESIZE_RATIO:
            # Dense clusters of small particles merge in the smoothed first pass and set d
            # too large; the sharper final mask tells: one more pass with its size.
            d = final_d
            if noisy:
                denoise = _noisy_denoise(d)
            if self.background_sigma == "auto":
                background = _auto_background(d)
            mask = self._segment(grey, denoise, background, polarity, d, boxes)
        if self.split_valleys:
            # The opening removes the 1-px bridges the top-hat leaves at the ends of a line.
            cut = mask & ~_valleys(grey, mask, polarity, self.split_valleys)
            mask = _open(cut, self.open_radius)
        if d is not None:
            mask = drop_specks(mask, d)
        full = np.zeros(image.shape[:2], dtype=bool)
        full[top:bottom] = mask
        return drop_overlays(full, overlays)

    def _segment(
        self,
        grey: np.ndarray,
        denoise: float,
        background: float | None,
        polarity: str,
        diameter: float | None,
        overlays: Sequence[Box] = (),
    ) -> np.ndarray:
        """One pass: the mask of the regions that pass the contrast test, cut at half height."""
        if denoise > 0:
            grey = cv2.GaussianBlur(grey, (0, 0), denoise)
        if polarity == "dark":
            grey = -grey
        if background:
            grey = grey - _open_background(grey, background / 2)
        substrate = background_level(grey)[0]
        ring_width = float(np.clip(_RING_WIDTH * (diameter or 20.0), 3, 15))
        # Local noise: what is left after removing variations wider than 4 rings (shading,
        # blotches), i.e. what a region can differ from its ring by chance.
        noise = background_level(grey - _wide_blur(grey, 4 * ring_width))[1]
        candidates = grey > substrate + _CANDIDATE_K * noise
        count, labels = cv2.connectedComponents(candidates.astype(np.uint8), connectivity=8)
        if count <= 1:
            return candidates
        ring = _ring_median(grey, candidates, labels, count, _RING_GAP + denoise, ring_width)
        ring = np.where(np.isnan(ring), substrate, ring)
        peak = label_quantile(grey[candidates], labels[candidates], count, self.peak_quantile)
        if diameter is None:  # first pass: a region is one part
            parts, region_of = labels, np.arange(count)
        else:  # particles of different brightness in one clump: each is cut at its own level
            scale = np.maximum(peak - ring, _PEAK_NOISE / _PEAK_DYNAMIC * noise)
            min_area = _CLUMP_AREAS * disc_area(diameter)
            parts, region_of = split_clumps(grey, labels, count, ring, scale, min_area)
            peak = label_quantile(
                grey[candidates], parts[candidates], len(region_of), self.peak_quantile
            )
        n_parts = len(region_of)
        base = ring[region_of]
        contrast = np.nan_to_num(peak - base, nan=-np.inf)
        on_overlay = touching(labels, count, overlays)[region_of]
        keep = (contrast >= self.min_contrast * noise) & ~on_overlay
        keep[0] = False
        floor = 0.0  # least contrast of a particle
        typical = None
        if self.relative_contrast and keep.any():
            area = np.bincount(parts.ravel(), minlength=n_parts)
            typical = weighted_median(contrast[keep], area[keep] * contrast[keep])
            floor = self.relative_contrast * typical
            keep &= contrast >= floor
        height = contrast
        if polarity == "dark" and self.dark_quantile is not None and diameter is not None:
            q = label_quantile(grey[candidates], parts[candidates], n_parts, self.dark_quantile)
            height = np.nan_to_num(q - base, nan=-np.inf)
        cut = np.where(keep, base + self.level * height, np.inf).astype(np.float32)
        mask = grey > cut[parts]
        if diameter is not None and typical is not None:
            faint = contrast < _FAINT_SMALL_CONTRAST * typical
            mask = _drop_faint_small(mask, parts, faint, disc_area(_FAINT_SMALL_D * diameter))
        if self.split_peaks and diameter is not None:
            mask = _separate_parts(mask, parts)
        if diameter is not None:
            mask |= _missed_sharp_regions(grey, mask, noise, floor, diameter, overlays)
        return self._clean(mask)

    def _clean(self, mask: np.ndarray) -> np.ndarray:
        """Opening against specks and bridges, then hole filling."""
        mask = _open(mask, self.open_radius)
        if self.fill_holes:
            mask = _fill_holes(mask)
        return mask


def _drop_faint_small(
    mask: np.ndarray, parts: np.ndarray, faint: np.ndarray, min_area: float
) -> np.ndarray:
    """``mask`` without the ``faint`` parts (bool per part label) that cover fewer than
    ``min_area`` px once cut: a faint blotch's candidate region is wide, its cut small."""
    area = np.bincount(parts[mask], minlength=len(faint))
    drop = faint & (area < min_area)
    drop[0] = False
    return mask & ~drop[parts] if drop.any() else mask


def _noisy_denoise(diameter: float) -> float:
    """Automatic smoothing (px) of a noisy image with particles ``diameter`` px wide."""
    return float(np.clip(diameter * _NOISY_DENOISE, 1.5, 4.0))


def _auto_background(diameter: float) -> float:
    """Automatic substrate scale (px) for particles ``diameter`` px wide."""
    return float(np.clip(diameter * _AUTO_BACKGROUND, 30, 250))


def background_level(flat: np.ndarray, clip: float = 3.0, rounds: int = 3) -> tuple[float, float]:
    """Substrate level and noise (grey levels) of a flattened image with bright particles.

    The median and the spread of the pixels below it (1.4826 x their median distance to
    it, unaffected by the particles above) are re-estimated from the pixels under
    ``median + clip * spread`` for ``rounds`` rounds. The noise includes the substrate's
    texture, which a particle has to stand out from.
    """
    values = flat[::2, ::4].ravel()  # 1 pixel in 8: medians of ~100k values, quick and stable
    level = float(np.median(values))
    spread = 0.0
    for _ in range(rounds):
        below = values[values <= level]
        spread = 1.4826 * float(np.median(level - below)) if below.size else 0.0
        values = values[values < level + clip * max(spread, 1e-3)]
        if values.size == 0:
            break
        level = float(np.median(values))
    return level, max(spread, 1e-3)


def _ring_median(
    flat: np.ndarray,
    regions: np.ndarray,
    labels: np.ndarray,
    count: int,
    gap: float,
    width: float,
) -> np.ndarray:
    """(count,) median of ``flat`` in a ring ``gap`` to ``gap + width`` px around each region.

    A ring pixel belongs to its nearest region (NaN for regions without ring pixels).
    """
    dist, nearest = cv2.distanceTransformWithLabels(
        (~regions).astype(np.uint8), cv2.DIST_L2, 5, labelType=cv2.DIST_LABEL_CCOMP
    )
    # The distance transform numbers the regions itself: map its ids onto ``labels``.
    lut = np.zeros(int(nearest.max()) + 1, dtype=np.int32)
    lut[nearest[regions]] = labels[regions]
    ring = (dist > gap) & (dist <= gap + width)
    return label_quantile(flat[ring], lut[nearest[ring]], count, 0.5)


def split_clumps(
    flat: np.ndarray,
    labels: np.ndarray,
    count: int,
    base: np.ndarray,
    scale: np.ndarray,
    min_area: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Split labelled regions of ``min_area`` px or more into the basins of their peaks.

    A peak is a regional maximum of the region's height above its ``base``, in units of its
    ``scale``, that rises ``_PEAK_DYNAMIC`` above the saddle to any brighter one (h-maxima);
    the region's pixels are flooded from the peaks (watershed). Flat tops, slopes and texture
    on a particle make no peak; a dimmer particle touching a brighter one does.

    Returns:
        (parts (H, W) int32 with 0 = background, (n_parts,) region label of each part).
    """
    from skimage.segmentation import watershed

    parts = labels.astype(np.int32)
    region_of = [np.arange(count)]
    n_parts = count
    areas = np.bincount(labels.ravel(), minlength=count)
    for region, box in enumerate(ndimage.find_objects(labels), start=1):
        if box is None or areas[region] < min_area:
            continue
        inside = labels[box] == region
        height = np.where(inside, (flat[box] - base[region]) / scale[region], 0)
        # Integer levels (1/_LEVELS of the scale): reconstruction of uint16 images is fast.
        levels = np.round(np.clip(height, 0, 60) * _LEVELS).astype(np.uint16)
        peaks = h_maxima(levels, round(_PEAK_DYNAMIC * _LEVELS)) & inside
        n_peaks, markers = cv2.connectedComponents(peaks.astype(np.uint8), connectivity=8)
        if n_peaks <= 2:
            continue
        basins = watershed(-height, markers, mask=inside)
        parts[box][inside] = n_parts + basins[inside] - 1
        region_of.append(np.full(n_peaks - 1, region))
        n_parts += n_peaks - 1
    return parts, np.concatenate(region_of)


def _missed_sharp_regions(
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
    local = flat > _wide_blur(flat, _LOCAL_MEAN * diameter) + _LOCAL_K * noise
    local = _open(local, 1) & ~mask
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        local.astype(np.uint8), connectivity=8
    )
    near = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    drop = np.bincount(labels[near], minlength=count) > 0
    drop |= touching(labels, count, overlays)
    drop |= stats[:, cv2.CC_STAT_AREA] < disc_area(MIN_RELATIVE_D * diameter)  # specks
    drop[0] = True
    return sharp_regions(flat, ~drop[labels], "bright", min_height=floor, k=_LOCAL_SHARP_K)[0]


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


def _valleys(grey: np.ndarray, mask: np.ndarray, polarity: str, depth: float) -> np.ndarray:
    """Thin dark lines (black top-hat, 7 px) deeper than ``depth`` times the particle contrast."""
    if not mask.any() or mask.all():
        return np.zeros(mask.shape, dtype=bool)
    smooth = cv2.GaussianBlur(grey, (0, 0), 1.0)
    smooth = -smooth if polarity == "dark" else smooth
    contrast = float(np.median(smooth[mask]) - np.median(smooth[~mask]))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7))
    return cv2.morphologyEx(smooth, cv2.MORPH_BLACKHAT, kernel) > depth * contrast


def _open_background(grey: np.ndarray, width: float) -> np.ndarray:
    """Substrate under bright particles: grey opening with a disc of ``width`` px, smoothed."""
    factor = int(max(1, width // 12))
    height, w = grey.shape
    small = cv2.resize(
        grey, (max(1, w // factor), max(1, height // factor)), interpolation=cv2.INTER_AREA
    )
    size = int(round(width / factor)) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    small = cv2.morphologyEx(small, cv2.MORPH_OPEN, kernel, borderType=cv2.BORDER_REFLECT)
    small = cv2.GaussianBlur(small, (0, 0), width / 2 / factor)
    return cv2.resize(small, (w, height), interpolation=cv2.INTER_LINEAR)


def _separate_parts(mask: np.ndarray, parts: np.ndarray) -> np.ndarray:
    """``mask`` without the pixels that touch (8-neighbourhood) another part of a lower id:
    a 1-px cut between the parts of a split clump, which the sizer then keeps apart."""
    ids = np.where(mask, parts, 0)
    lowest = cv2.erode(
        np.where(ids > 0, ids, 1 << 24).astype(np.float32), np.ones((3, 3), np.uint8)
    )
    return mask & ~((ids > 0) & (lowest < ids))


def _wide_blur(grey: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur of ``sigma`` px, at reduced resolution when that is over 8 px (fast)."""
    factor = int(sigma // 4)
    if factor <= 1:
        return cv2.GaussianBlur(grey, (0, 0), sigma)
    height, width = grey.shape
    size = (max(1, width // factor), max(1, height // factor))
    small = cv2.GaussianBlur(
        cv2.resize(grey, size, interpolation=cv2.INTER_AREA), (0, 0), sigma / factor
    )
    return cv2.resize(small, (width, height), interpolation=cv2.INTER_LINEAR)


def _open(mask: np.ndarray, radius: int) -> np.ndarray:
    """Morphological opening with a disc of ``radius`` px (0: unchanged)."""
    if radius <= 0:
        return mask
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    return cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, kernel).astype(bool)


def _fill_holes(mask: np.ndarray) -> np.ndarray:
    """``mask`` with every region of background not connected to the image edge filled."""
    padded = np.pad(mask.astype(np.uint8), 1)
    cv2.floodFill(padded, None, (0, 0), 2)
    return (padded != 2)[1:-1, 1:-1]


def _signal_to_noise(grey: np.ndarray, mask: np.ndarray, polarity: str) -> float:
    """Particle contrast (median inside minus outside ``mask``) over the pixel noise.

    The noise is the robust spread of differences between horizontal neighbours, which the
    slowly varying substrate texture hardly affects.
    """
    if not mask.any() or mask.all():
        return 0.0
    diff = np.diff(grey, axis=1).ravel()
    noise = 1.4826 * np.median(np.abs(diff - np.median(diff))) / np.sqrt(2)
    contrast = float(np.median(grey[mask]) - np.median(grey[~mask]))
    contrast = -contrast if polarity == "dark" else contrast
    return contrast / max(float(noise), 1e-6)

"""The default segmenter: no training, no weights; denoise, flatten, then keep the regions that
stand out from their surroundings by more than the substrate's noise."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from ..registry import SEGMENTERS
from ..utils.morphology import fill_holes, open_mask
from .base import BaseSegmenter
from .clumps import PEAK_DYNAMIC, separate_parts, split_clumps, valleys
from .overlays import Box, drop_overlays, hidden_regions
from .polarity import particle_polarity
from .region_stats import label_quantile, weighted_median
from .sharp_edges import missed_sharp_regions, sharp_regions
from .specks import disc_area, drop_specks, remove_small, typical_diameter
from .substrate import (
    background_level,
    open_background,
    ring_median,
    signal_to_noise,
    wide_blur,
)

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
#: Clumps (regions over 1.5 typical particle areas) are split at peaks that rise
#: :data:`~.clumps.PEAK_DYNAMIC` of the clump's contrast, and at least ``_PEAK_NOISE`` noise
#: levels, above their saddles.
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
        """(H, W) bool particle mask of ``image`` (see :meth:`BaseSegmenter.predict_mask`).
        Regions that the ``overlays`` hide are left out before any statistics, so that a
        bright bar or its box neither sets the typical contrast nor the size."""
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
                noisy = d is not None and signal_to_noise(grey, first, polarity) < _NOISY_SNR
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
            cut = mask & ~valleys(grey, mask, polarity, self.split_valleys)
            mask = open_mask(cut, self.open_radius)
        if d is not None:
            mask = drop_specks(mask, d)
        full = np.zeros(image.shape[:2], dtype=bool)
        full[top:bottom] = mask
        full, dropped = drop_overlays(full, overlays)
        self.at_overlays += dropped
        return full

    def _segment(
        self,
        grey: np.ndarray,
        denoise: float,
        background: float | None,
        polarity: str,
        diameter: float | None,
        overlays: Sequence[Box] = (),
    ) -> np.ndarray:
        """One pass: the mask of the regions that pass the contrast test, cut at half height
        (and :attr:`at_overlays`: how many of them reach the ``overlays``)."""
        self.at_overlays = 0
        if denoise > 0:
            grey = cv2.GaussianBlur(grey, (0, 0), denoise)
        if polarity == "dark":
            grey = -grey
        if background:
            grey = grey - open_background(grey, background / 2)
        substrate = background_level(grey)[0]
        ring_width = float(np.clip(_RING_WIDTH * (diameter or 20.0), 3, 15))
        # Local noise: what is left after removing variations wider than 4 rings (shading,
        # blotches), i.e. what a region can differ from its ring by chance.
        noise = background_level(grey - wide_blur(grey, 4 * ring_width))[1]
        candidates = grey > substrate + _CANDIDATE_K * noise
        count, labels = cv2.connectedComponents(candidates.astype(np.uint8), connectivity=8)
        if count <= 1:
            return candidates
        ring = ring_median(grey, labels, count, _RING_GAP + denoise, ring_width)
        ring = np.where(np.isnan(ring), substrate, ring)
        peak = label_quantile(grey[candidates], labels[candidates], count, self.peak_quantile)
        if diameter is None:  # first pass: a region is one part
            parts, region_of = labels, np.arange(count)
        else:  # particles of different brightness in one clump: each is cut at its own level
            scale = np.maximum(peak - ring, _PEAK_NOISE / PEAK_DYNAMIC * noise)
            min_area = _CLUMP_AREAS * disc_area(diameter)
            parts, region_of = split_clumps(grey, labels, count, ring, scale, min_area)
            peak = label_quantile(
                grey[candidates], parts[candidates], len(region_of), self.peak_quantile
            )
        n_parts = len(region_of)
        base = ring[region_of]
        contrast = np.nan_to_num(peak - base, nan=-np.inf)
        on_overlay = hidden_regions(labels, count, overlays)[region_of]
        standing_out = contrast >= self.min_contrast * noise
        standing_out[0] = False
        self.at_overlays = int(np.unique(region_of[standing_out & on_overlay]).size)
        keep = standing_out & ~on_overlay
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
            mask = separate_parts(mask, parts)
        if diameter is not None:
            mask |= missed_sharp_regions(grey, mask, noise, floor, diameter, overlays)
        return self._clean(mask)

    def _clean(self, mask: np.ndarray) -> np.ndarray:
        """Opening against specks and bridges, then hole filling."""
        mask = open_mask(mask, self.open_radius)
        if self.fill_holes:
            mask = fill_holes(mask)
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

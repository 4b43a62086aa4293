"""The sizer interface: a binary particle mask -> labelled particles with their sizes in px."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from scipy import ndimage

from ...utils.morphology import h_maxima
from .._geometry import shape_descriptors
from ..frame import Frame, valid_rows

#: Per-particle keys of :attr:`SizingResult.particles`, in output order (px units).
PARTICLE_KEYS = (
    "particle_id",
    "cx_px",
    "cy_px",
    "area_px",
    "ecd_px",
    "feret_max_px",
    "feret_min_px",
    "aspect_ratio",
    "circularity",
    "solidity",
    "touches_border",
    "touching",
)


@dataclass
class SizingResult:
    """Particles found in one mask.

    Attributes:
        labels: (H, W) int32 label image, 0 = background, ids 1..N matching ``particles``.
        particles: one dict per particle with :data:`PARTICLE_KEYS` (sizes in px).
            ``touches_border`` is True for particles cut by the image border or the data bar,
            ``touching`` for particles that belong to a clump of touching particles.
    """

    labels: np.ndarray
    particles: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def of_parts(
        cls, shape: tuple[int, int], parts: list[tuple[Frame, SizingResult]]
    ) -> SizingResult:
        """The particles of parts of an image of ``shape`` (each sized in its own px, as
        ``(frame, result)``) in the whole image: labels placed, centres shifted, ids numbered
        on from part to part."""
        labels = np.zeros(shape, np.int32)
        particles: list[dict[str, Any]] = []
        for frame, part in parts:
            offset = len(particles)
            labels[frame.slices] = np.where(part.labels > 0, part.labels + offset, 0)
            particles += [
                {**p, "particle_id": p["particle_id"] + offset} for p in frame.shift(part.particles)
            ]
        return cls(labels, particles)


#: Quantisation of the transformed distance map of :func:`distance_markers`, steps per unit.
_STEPS = 1024


def distance_markers(mask: np.ndarray, h: float, ratio: float) -> np.ndarray:
    """Markers of touching particles: maxima of the distance transform that stand out.

    A maximum (a particle centre) counts as a particle of its own when it rises above the
    saddle ``s`` towards its neighbour by ``h`` px for small particles and by ``ratio * s``
    for large ones: the h-maxima transform of ``log(h / ratio + dist)`` with height
    ``log(1 + ratio)``, so that ragged outlines of large particles do not split them.

    Args:
        mask: (H, W) bool particle mask.
        h: rise (px) that separates small particles.
        ratio: relative rise that separates large particles.

    Returns:
        (H, W) int32 label image of the markers, 0 elsewhere.
    """
    dist = cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 5)
    # Without background pixels OpenCV returns FLT_MAX; no distance exceeds the image size.
    dist = cv2.GaussianBlur(np.minimum(dist, float(max(mask.shape))), (0, 0), 1.0)
    # Integer levels: dilation of uint16 images is several times faster than of floats.
    levels = np.round(np.log(h / ratio + dist) * _STEPS).astype(np.uint16)
    levels[~mask] = 0
    peaks = h_maxima(levels, int(round(np.log1p(ratio) * _STEPS))) & mask
    return cv2.connectedComponents(peaks.astype(np.uint8), connectivity=8)[1]


def markers_per_clump(clumps: np.ndarray, markers: np.ndarray) -> np.ndarray:
    """(n_clumps,) number of distinct markers in each clump (connected component) of the mask;
    a clump holding two or more is a group of touching particles."""
    seeded = markers > 0
    # One int64 code per (clump, marker) pair: a 1-D unique is far faster than one over pairs.
    stride = int(markers.max()) + 1
    codes = np.unique(clumps[seeded].astype(np.int64) * stride + markers[seeded])
    return np.bincount(codes // stride, minlength=int(clumps.max()) + 1)


class BaseSizer:
    """Binary mask -> particles, with a minimum-size filter and border/data-bar exclusion.

    Subclasses implement :meth:`label`, which turns the mask into particle labels.

    Args:
        min_area_px: particles smaller than this (px**2) are dropped as noise.
        exclude_border: leave particles cut by the image border or the data bar out of the
            statistics (they are still listed, with ``touches_border`` set).
        connectivity: 4 or 8, how mask pixels connect into one particle.
        touch_h: rise (px) of a distance-transform maximum above the saddle to its
            neighbour that marks a separate small particle in a clump; used to flag touching
            particles (and by the watershed to split them).
        touch_ratio: the same rise relative to the saddle, for large particles.
    """

    def __init__(
        self,
        min_area_px: int = 10,
        exclude_border: bool = True,
        connectivity: int = 8,
        touch_h: float = 2.0,
        touch_ratio: float = 0.2,
    ) -> None:
        if connectivity not in (4, 8):
            raise ValueError(f"connectivity must be 4 or 8, got {connectivity}")
        self.min_area_px = min_area_px
        self.exclude_border = exclude_border
        self.connectivity = connectivity
        self.touch_h = touch_h
        self.touch_ratio = touch_ratio

    def components(self, mask: np.ndarray) -> np.ndarray:
        """(H, W) int32 connected components of a bool mask."""
        return cv2.connectedComponents(mask.astype(np.uint8), connectivity=self.connectivity)[1]

    def label(
        self, mask: np.ndarray, markers: np.ndarray, clumps: np.ndarray, touching: np.ndarray
    ) -> np.ndarray:
        """(H, W) bool mask -> (H, W) int32 particle labels, 0 = background.

        ``markers`` are the :func:`distance_markers` of the mask (int32 labels), ``clumps`` its
        connected components (int32 labels) and ``touching`` (n_clumps,) bool marks the clumps
        with two or more markers: groups of touching particles.
        """
        raise NotImplementedError

    def __call__(
        self, mask: np.ndarray, databar_rows: tuple[int, int] | None = None
    ) -> SizingResult:
        """Label and size the particles of ``mask``.

        Args:
            mask: (H, W) bool (or 0/non-zero) particle mask, or int32 particle labels from an
                instance-aware segmenter, which are sized as they are (not split again).
            databar_rows: inclusive rows ``(y0, y1)`` of the instrument data bar; nothing there
                counts as a particle, and particles reaching it count as cut.
        """
        if np.asarray(mask).dtype == np.int32:
            return self.size_labels(np.asarray(mask), databar_rows)
        mask = np.asarray(mask) > 0
        top, bottom = valid_rows(mask.shape[0], databar_rows)
        mask[:top] = False
        mask[bottom:] = False
        markers = distance_markers(mask, self.touch_h, self.touch_ratio)
        clumps = self.components(mask)
        touching = markers_per_clump(clumps, markers) >= 2
        return describe(
            self.label(mask, markers, clumps, touching),
            (top, bottom),
            min_area_px=self.min_area_px,
            touching_clumps=(clumps, touching),
        )

    def size_labels(
        self, labels: np.ndarray, databar_rows: tuple[int, int] | None = None
    ) -> SizingResult:
        """Size given particle labels; clumps of touching particles are the connected groups
        of labels."""
        top, bottom = valid_rows(labels.shape[0], databar_rows)
        labels = labels.copy()
        labels[:top] = 0
        labels[bottom:] = 0
        clumps = self.components(labels > 0)
        touching = markers_per_clump(clumps, labels) >= 2
        return describe(
            labels, (top, bottom), min_area_px=self.min_area_px, touching_clumps=(clumps, touching)
        )


def describe(
    labels: np.ndarray,
    rows: tuple[int, int] | None = None,
    min_area_px: int = 0,
    touching_clumps: tuple[np.ndarray, np.ndarray] | None = None,
) -> SizingResult:
    """Measure every labelled particle (px); drop those under ``min_area_px`` and renumber.

    Args:
        labels: (H, W) int label image, 0 = background.
        rows: ``[top, bottom)`` rows that hold the image proper (outside the data bar); a
            particle reaching the first/last of them or the left/right edge ``touches_border``.
        min_area_px: smallest particle kept (px**2).
        touching_clumps: (clump labels, bool per clump id) marking clumps of touching particles.

    Returns:
        A :class:`SizingResult` with ids 1..N in the order of the input labels.
    """
    height, width = labels.shape
    top, bottom = rows if rows is not None else (0, height)
    out = np.zeros(labels.shape, dtype=np.int32)
    particles: list[dict[str, Any]] = []
    areas = np.bincount(labels.ravel())
    for old_id, box in enumerate(ndimage.find_objects(labels), start=1):
        if box is None or areas[old_id] < max(min_area_px, 1):
            continue
        region = labels[box] == old_id
        y0, x0 = box[0].start, box[1].start
        touches = x0 == 0 or box[1].stop == width or y0 <= top or box[0].stop >= bottom
        touching = False
        if touching_clumps is not None:
            clumps, flags = touching_clumps
            touching = bool(flags[clumps[box][region]].any())
        new_id = len(particles) + 1
        out[box][region] = new_id
        shape = shape_descriptors(region)
        particles.append(
            {
                "particle_id": new_id,
                **shape,
                "cx_px": shape["cx_px"] + x0,
                "cy_px": shape["cy_px"] + y0,
                "touches_border": bool(touches),
                "touching": touching,
            }
        )
    return SizingResult(labels=out, particles=particles)

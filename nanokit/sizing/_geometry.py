"""Pure shape measurements of one particle region, all in pixels.

A region is a 2-D boolean array (a crop around one particle). Pixels are unit squares, so a
``w x h`` block of pixels has area ``w * h``, Feret diameters ``sqrt(w**2 + h**2)`` and ``min(w, h)``
and an aspect ratio of ``max(w, h) / min(w, h)``.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

#: Offsets from a pixel centre to its four corners.
_CORNERS = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5]], dtype=np.float64)
#: (x, y) @ this = (y, -x): a vector turned by 90 degrees.
_PERPENDICULAR = np.array([[0.0, -1.0], [1.0, 0.0]])


def ecd(area_px: float | np.ndarray) -> float | np.ndarray:
    """Area-equivalent circle diameter (px) of an area in px**2: ``sqrt(4 * area / pi)``."""
    return np.sqrt(4.0 * np.asarray(area_px, dtype=np.float64) / np.pi)


def _outer_contours(region: np.ndarray) -> list[np.ndarray]:
    """(N, 2) int x, y of the pixel centres on each outer boundary of ``region``."""
    contours, _ = cv2.findContours(
        np.ascontiguousarray(region, dtype=np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE
    )
    return [c.reshape(-1, 2) for c in contours]


def convex_hull(region: np.ndarray) -> np.ndarray:
    """(K, 2) float x, y vertices of the convex hull of the region's pixel squares, in order."""
    return _hull(_centre_hull(_outer_contours(region)))


def _centre_hull(contours: list[np.ndarray]) -> np.ndarray:
    """(K, 2) int x, y vertices of the convex hull of the boundary pixel centres, in order."""
    return cv2.convexHull(np.concatenate(contours)).reshape(-1, 2)


def _hull(centres: np.ndarray) -> np.ndarray:
    """:func:`convex_hull` from the region's :func:`_centre_hull`.

    The hull of the pixel squares is the hull of the corners of the squares whose centres
    are vertices of the centres' hull (fewer points than all boundary pixels' corners).
    """
    corners = (centres.astype(np.float64)[:, None, :] + _CORNERS[None]).reshape(-1, 2)
    return cv2.convexHull(corners.astype(np.float32)).reshape(-1, 2).astype(np.float64)


def feret_diameters(hull: np.ndarray) -> tuple[float, float]:
    """Maximum and minimum caliper (Feret) diameters in px of a convex polygon.

    Args:
        hull: (K, 2) vertices in order, as :func:`convex_hull` gives them.

    Returns:
        ``(feret_max, feret_min)``: the largest vertex distance and the smallest width over
        all edge directions (rotating calipers; the minimum lies along an edge).
    """
    feret_max = float(np.sqrt(((hull[:, None, :] - hull[None, :, :]) ** 2).sum(-1).max()))
    edges = np.concatenate((hull[1:], hull[:1])) - hull
    lengths = np.sqrt((edges**2).sum(1))
    keep = lengths > 1e-9
    # Width across each edge: spread of all vertices projected on the edge's (unit) normal.
    proj = hull @ (edges[keep] @ _PERPENDICULAR).T
    feret_min = float((np.ptp(proj, axis=0) / lengths[keep]).min())
    return feret_max, feret_min


def perimeter(region: np.ndarray) -> float:
    """Boundary length in px of a region.

    The chain of boundary pixel centres is measured with Vossepoel and Smeulders' weights
    (0.980 per axial step, 1.406 per diagonal step, -0.091 per change of direction), which
    removes most of the staircase bias, then grown by half a pixel outwards (+ pi), so that a
    disc of diameter d measures close to ``pi * d``.
    """
    return _perimeter(_outer_contours(region))


def _perimeter(contours: list[np.ndarray]) -> float:
    """:func:`perimeter` from the region's :func:`_outer_contours`."""
    length = math.pi
    for points in contours:
        steps = np.concatenate((points[1:], points[:1])) - points
        diagonal = np.count_nonzero(steps[:, 0] * steps[:, 1])
        direction = steps[:, 0] * 3 + steps[:, 1]
        turns = np.count_nonzero(direction != np.concatenate((direction[1:], direction[:1])))
        length += 0.980 * (len(points) - diagonal) + 1.406 * diagonal - 0.091 * turns
    return float(length)


def circularity(area_px: float, perimeter_px: float) -> float:
    """``4 * pi * area / perimeter**2``, 1 for a disc, clipped to [0, 1]."""
    if perimeter_px <= 0:
        return 0.0
    return float(min(1.0, 4.0 * math.pi * area_px / perimeter_px**2))


def aspect_ratio(region: np.ndarray) -> float:
    """Major over minor axis of the ellipse with the region's second moments (>= 1).

    Pixels count as unit squares (each adds 1/12 to both central moments), so a ``w x h`` block
    gives exactly ``max(w, h) / min(w, h)``.
    """
    return _aspect_ratio(_moments(region))


def label_aspect_ratios(labels: np.ndarray) -> np.ndarray:
    """(max label + 1,) :func:`aspect_ratio` of every particle of ``labels`` at once (NaN for
    label 0 and absent labels)."""
    flat = np.flatnonzero(labels)
    ids = labels.ravel()[flat]
    count = int(labels.max()) + 1
    y, x = np.divmod(flat, labels.shape[1])
    n = np.bincount(ids, minlength=count).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx, my = (np.bincount(ids, v, count) / n for v in (x, y))
        ratios = _ellipse_ratio(
            np.bincount(ids, x * x.astype(np.float64), count) / n - mx**2,
            np.bincount(ids, y * y.astype(np.float64), count) / n - my**2,
            np.bincount(ids, x * y.astype(np.float64), count) / n - mx * my,
        )
    ratios[0] = np.nan
    return ratios


def _moments(region: np.ndarray) -> dict[str, float]:
    """OpenCV's spatial and central moments of a region's pixels."""
    return cv2.moments(np.ascontiguousarray(region, dtype=np.uint8), binaryImage=True)


def _aspect_ratio(m: dict[str, float]) -> float:
    """:func:`aspect_ratio` from the region's :func:`_moments`."""
    return float(_ellipse_ratio(m["mu20"] / m["m00"], m["mu02"] / m["m00"], m["mu11"] / m["m00"]))


def _ellipse_ratio(
    var_x: float | np.ndarray, var_y: float | np.ndarray, cov: float | np.ndarray
) -> float | np.ndarray:
    """Major over minor axis of the ellipse with these central second moments per px (each
    px a unit square: 1/12 added to both variances); floats or arrays."""
    a, c = var_x + 1 / 12, var_y + 1 / 12
    spread = np.sqrt(((a - c) / 2) ** 2 + cov**2)
    return np.sqrt(((a + c) / 2 + spread) / ((a + c) / 2 - spread))


def shape_descriptors(region: np.ndarray) -> dict[str, float]:
    """All descriptors of one region (px).

    Args:
        region: (H, W) bool crop holding one particle.

    Returns:
        ``cx_px, cy_px`` (the centroid, from the crop's first pixel centre), ``area_px,
        ecd_px, feret_max_px, feret_min_px, aspect_ratio, circularity, solidity``.
    """
    region = np.ascontiguousarray(region, dtype=np.uint8)
    m = _moments(region)
    contours = _outer_contours(region)
    area = m["m00"]
    centres = _centre_hull(contours)
    feret_max, feret_min = feret_diameters(_hull(centres))
    return {
        "cx_px": m["m10"] / area,
        "cy_px": m["m01"] / area,
        "area_px": area,
        "ecd_px": float(ecd(area)),
        "feret_max_px": feret_max,
        "feret_min_px": feret_min,
        "aspect_ratio": _aspect_ratio(m),
        "circularity": circularity(area, _perimeter(contours)),
        "solidity": solidity(area, centres),
    }


def solidity(area: float, centres: np.ndarray) -> float:
    """Pixel count over the number of pixels in its convex hull (:func:`_centre_hull`): 1 for a
    convex particle, lower for two merged into one. The hull runs through boundary pixel
    centres; the pixels it holds are counted exactly by Pick's theorem (area + boundary points
    / 2 + 1)."""
    hull = centres.astype(np.int64)
    steps = np.abs(np.roll(hull, -1, axis=0) - hull)
    boundary = int(np.gcd(steps[:, 0], steps[:, 1]).sum()) if len(hull) > 1 else 0
    hull_pixels = cv2.contourArea(hull.astype(np.float32)) + boundary / 2 + 1
    return min(1.0, area / hull_pixels)

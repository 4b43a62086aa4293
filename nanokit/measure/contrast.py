"""How far particles stand out from the substrate's own texture: a reliability check."""

from __future__ import annotations

import cv2
import numpy as np

#: The image is shrunk so that a typical particle is about this many px wide (speed: the
#: measure then costs the same few ms whatever the particle size).
_WORKING_DIAMETER = 8.0


def contrast_to_texture(grey: np.ndarray, mask: np.ndarray, diameter: float) -> float | None:
    """Particle contrast over the substrate's texture at the particles' scale.

    Both are measured on the image minus its trend (a blur twice the particle width): the
    contrast is the median of the particle pixels minus the median of a thin ring around
    them (its absolute value: bright or dark particles alike); the texture is the robust
    spread (1.4826 x MAD) of the substrate, smoothed over a quarter of a particle width and
    taken at least half a particle width away from any particle. Blotches of the particles'
    own size are what a segmenter confuses with particles, so a low ratio (< 4 on synthetic
    images) marks images whose sizes and counts are unreliable.

    Args:
        grey: (H, W) grey image.
        mask: (H, W) bool particle mask of the same rows.
        diameter: typical particle diameter (px).

    Returns:
        The ratio, or None where there are no particles or too little substrate.
    """
    if not mask.any() or diameter <= 0:
        return None
    factor = max(1.0, diameter / _WORKING_DIAMETER)
    size = (max(1, round(grey.shape[1] / factor)), max(1, round(grey.shape[0] / factor)))
    small = cv2.resize(grey.astype(np.float32), size, interpolation=cv2.INTER_AREA)
    inside = cv2.resize(mask.astype(np.float32), size, interpolation=cv2.INTER_AREA) > 0.5
    if not inside.any():
        return None
    d = diameter / factor
    detail = small - cv2.GaussianBlur(small, (0, 0), 2 * d)
    ring = cv2.dilate(inside.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool) & ~inside
    reach = 2 * max(1, round(d / 2)) + 1
    near = cv2.dilate(
        inside.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (reach, reach))
    )
    substrate = cv2.GaussianBlur(detail, (0, 0), max(0.5, d / 4))[near == 0]
    if substrate.size < 100 or not ring.any():
        return None
    contrast = abs(float(np.median(detail[inside]) - np.median(detail[ring])))
    texture = 1.4826 * float(np.median(np.abs(substrate - np.median(substrate))))
    return contrast / max(texture, 1e-6)

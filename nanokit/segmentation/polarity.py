"""Are the particles brighter (SEM) or darker (TEM bright field) than their substrate?"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from .overlays import Box, box_slices

#: Margin (px) around overlays (scale bar, label) where the box drawn under them may lie.
OVERLAY_MARGIN = 16
#: Weight of the border-contrast score against the edge-curvature score.
_BORDER_WEIGHT = 0.5
#: Width (px) of the image frame taken as substrate by the border score.
_FRAME = 8
#: The curvature score averages the edges above this percentile of gradient magnitude: the
#: strongest 3 % are particle outlines even on grainy low-contrast substrates, where the 10 %
#: strongest are mostly grain (wrong polarity on 6 of 320 synthetic images, now none).
_STRONG_PERCENTILE = 97


def particle_polarity(grey: np.ndarray, overlays: Sequence[Box] = ()) -> str:
    """``"bright"`` or ``"dark"``: the sign of edge curvature + 0.5 x border contrast.

    Two cues, each in [-1, 1], positive for bright particles: the curvature of the strongest
    edges (:func:`curvature_score`; strong on sharp convex particles, fooled by text and
    frames on journal figures) and the contrast against the image frame
    (:func:`border_score`; the frame is mostly substrate, except where particles fill it).
    """
    score = curvature_score(grey, overlays) + _BORDER_WEIGHT * border_score(grey)
    return "bright" if score > 0 else "dark"


def curvature_score(grey: np.ndarray, overlays: Sequence[Box] = (), sigma: float = 1.5) -> float:
    """Mean curvature of the 3 % strongest edges: > 0 where they bend round bright regions.

    Particles are convex: at their edges the grey-level gradient converges towards a bright
    particle (negative divergence of the unit gradient) and diverges from a dark one. The
    divergence is averaged over the strongest edge pixels, weighted by gradient magnitude,
    so that soft substrate smudges (weak gradients) hardly count. Edges within
    ``OVERLAY_MARGIN`` px of an overlay (the box drawn under a scale bar) do not vote.
    """
    smooth = cv2.GaussianBlur(grey.astype(np.float32), (0, 0), sigma)
    gx = cv2.Sobel(smooth, cv2.CV_32F, 1, 0)
    gy = cv2.Sobel(smooth, cv2.CV_32F, 0, 1)
    magnitude = np.sqrt(gx * gx + gy * gy) + 1e-6
    divergence = cv2.Sobel(gx / magnitude, cv2.CV_32F, 1, 0) + cv2.Sobel(
        gy / magnitude, cv2.CV_32F, 0, 1
    )
    strong = magnitude > np.percentile(magnitude, _STRONG_PERCENTILE)
    for box in overlays:
        strong[box_slices(box, OVERLAY_MARGIN)] = False
    if not strong.any():
        return 0.0
    weights = magnitude[strong]
    return -float((weights * divergence[strong]).sum() / weights.sum())


def border_score(grey: np.ndarray) -> float:
    """How much further the bright tail (99th percentile) reaches from the substrate than the
    dark tail (1st), over the whole range; the substrate is the median of the image frame."""
    smooth = cv2.GaussianBlur(grey.astype(np.float32), (0, 0), 2.0)
    f = min(_FRAME, max(1, min(smooth.shape) // 4))
    frame = np.concatenate(
        [smooth[:f].ravel(), smooth[-f:].ravel(), smooth[:, :f].ravel(), smooth[:, -f:].ravel()]
    )
    substrate = float(np.median(frame))
    low, high = np.percentile(smooth, [1, 99])
    return float((high - substrate) - (substrate - low)) / max(float(high - low), 1e-3)

"""Journal-style scale bars drawn on the image itself, with or without a box behind them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from . import bars
from .label import paste, text_sprite
from .scale import Scale, format_label
from .truth import DrawnScaleBar

OVERLAY_STYLES = ("journal_overlay", "journal_overlay_box")


@dataclass(frozen=True)
class Overlay:
    """A bar + label sprite (alpha 1 = ink) to be placed with its top-left at (x, y)."""

    alpha: np.ndarray  # float32 (h, w), 1 on the bar, text coverage on the label
    x: int
    y: int
    box: bool
    drawn: DrawnScaleBar  # coordinates relative to the sprite

    @property
    def keepout(self) -> tuple[int, int, int, int]:
        """Inclusive image rectangle [x0, y0, x1, y1] that particles must stay out of."""
        h, w = self.alpha.shape
        return (self.x, self.y, self.x + w - 1, self.y + h - 1)


def make_overlay(
    rng: np.random.Generator, scale: Scale, style: str, width: int, height: int
) -> Overlay:
    """Lay out a bar with its label above or below, in a corner of a ``width`` x ``height`` image."""
    font = str(rng.choice(["sans", "sans-bold", "serif"], p=[0.45, 0.4, 0.15]))
    label = format_label(scale.value_nm, rng)
    sprite = text_sprite(label.text, font, int(rng.integers(16, 35)))
    line_h, label_w = sprite.shape
    thickness = int(rng.integers(3, 17))
    gap = int(rng.integers(0, 6))
    pad = int(rng.integers(4, 13)) if style == "journal_overlay_box" else 1
    w = max(scale.bar_px, label_w) + 2 * pad
    h = line_h + gap + thickness + 2 * pad
    alpha = np.zeros((h, w), np.float32)
    below = bool(rng.random() < 0.25)
    bar_y = pad + line_h + gap if not below else pad
    label_y = pad if not below else pad + thickness + gap
    bar = bars.plain_bar(alpha, (w - scale.bar_px) // 2, bar_y, scale.bar_px, thickness, 1.0)
    label_bbox = paste(alpha, sprite, (w - label_w) // 2, label_y, 1.0)
    margin_x, margin_y = int(rng.integers(8, 41)), int(rng.integers(8, 41))
    right, bottom = rng.random() < 0.5, rng.random() < 0.8
    x = width - margin_x - w if right else margin_x
    y = height - margin_y - h if bottom else margin_y
    drawn = DrawnScaleBar(
        label, scale, bar, label_bbox, style, "white", "below" if below else "above"
    )
    return Overlay(alpha, x, y, style == "journal_overlay_box", drawn)


def apply_overlay(image: np.ndarray, overlay: Overlay, rng: np.random.Generator) -> dict[str, Any]:
    """Draw ``overlay`` into ``image`` (float32 grey, modified in place).

    Without a box the bar is white on dark surroundings and black on bright ones; with a
    box the colours are random. Returns the truth ``scalebar`` record in image pixels.
    """
    h, w = overlay.alpha.shape
    region = image[overlay.y : overlay.y + h, overlay.x : overlay.x + w]
    if overlay.box:
        white = bool(rng.random() < 0.5)
        region[:] = 0.0 if white else 255.0
    else:
        white = float(region.mean()) < 128.0
    ink = 255.0 if white else 0.0
    region *= 1.0 - overlay.alpha
    region += ink * overlay.alpha
    drawn = replace(overlay.drawn, polarity="white" if white else "black")
    return drawn.record(overlay.x, overlay.y)

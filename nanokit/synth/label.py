"""Text for synthetic data bars: DejaVu fonts shipped with matplotlib, rendered as alpha sprites."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import NanokitError

#: font name -> DejaVu file in matplotlib's font folder (all have µ U+00B5 and μ U+03BC).
FONTS: dict[str, str] = {
    "sans": "DejaVuSans.ttf",
    "sans-bold": "DejaVuSans-Bold.ttf",
    "serif": "DejaVuSerif.ttf",
    "mono": "DejaVuSansMono.ttf",
}

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

BBox = tuple[int, int, int, int]


@lru_cache(maxsize=128)
def load_font(name: str, size_px: int) -> FreeTypeFont:
    """The DejaVu font ``name`` (a key of :data:`FONTS`) at ``size_px`` pixels per em."""
    import matplotlib
    from PIL import ImageFont

    if name not in FONTS:
        raise NanokitError(f"unknown font {name!r}; choose one of {', '.join(FONTS)}")
    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / FONTS[name]
    return ImageFont.truetype(str(path), size_px)


def text_sprite(text: str, font: str, size_px: int) -> np.ndarray:
    """Render one line of text as coverage in [0, 1].

    Returns:
        float32 (line_height, advance_width) alpha; the box is the font's line box (ascent +
        descent), so sprites of one font share a baseline when pasted at the same y.
    """
    from PIL import Image, ImageDraw

    pil_font = load_font(font, size_px)
    ascent, descent = pil_font.getmetrics()
    width = int(np.ceil(pil_font.getlength(text))) + 2
    canvas = Image.new("L", (width, ascent + descent), 0)
    ImageDraw.Draw(canvas).text((0, 0), text, fill=255, font=pil_font, anchor="la")
    return np.asarray(canvas, dtype=np.float32) / 255.0


def paste(canvas: np.ndarray, alpha: np.ndarray, x: int, y: int, value: float) -> BBox:
    """Blend ``value`` into ``canvas`` (float32, H x W) through ``alpha`` placed at (x, y).

    Returns:
        Inclusive ink box [x0, y0, x1, y1] in canvas pixels (where alpha > 0).
    """
    h, w = alpha.shape
    region = canvas[y : y + h, x : x + w]
    if region.shape != alpha.shape or x < 0 or y < 0:
        raise ValueError(f"sprite {alpha.shape} at ({x}, {y}) leaves canvas {canvas.shape}")
    region *= 1.0 - alpha
    region += value * alpha
    x0, y0, x1, y1 = ink_box(alpha)
    return (x + x0, y + y0, x + x1, y + y1)


def ink_box(alpha: np.ndarray) -> BBox:
    """Inclusive box [x0, y0, x1, y1] of the ink in a sprite, in sprite pixels."""
    rows = np.flatnonzero(alpha.max(axis=1) > 0)
    cols = np.flatnonzero(alpha.max(axis=0) > 0)
    return (int(cols[0]), int(rows[0]), int(cols[-1]), int(rows[-1]))


def render_label(
    text: str, height_px: int, polarity: str = "white", font: str = "sans"
) -> np.ndarray:
    """Render a scale-bar label as a stand-alone crop, e.g. for OCR tests.

    Args:
        text: the label, e.g. ``"500 nm"`` or ``"2 µm"``.
        height_px: height of the returned crop in pixels (>= 8); the line of text fills
            about 80 % of it.
        polarity: ``"white"`` (white text on black) or ``"black"`` (black on white).
        font: a key of :data:`FONTS`.

    Returns:
        uint8 (height_px, W) grey image, W = text width plus a margin on each side.
    """
    if polarity not in ("white", "black"):
        raise NanokitError(f"polarity must be 'white' or 'black', got {polarity!r}")
    if height_px < 8:
        raise NanokitError(f"height_px must be at least 8, got {height_px}")
    if not text.strip():
        raise NanokitError("render_label needs a non-empty text")
    margin = max(2, height_px // 10)
    size = max(4, int((height_px - 2 * margin) / 1.17))
    sprite = text_sprite(text, font, size)
    fg, bg = (255.0, 0.0) if polarity == "white" else (0.0, 255.0)
    canvas = np.full((height_px, sprite.shape[1] + 2 * margin), bg, np.float32)
    top = (height_px - sprite.shape[0]) // 2
    paste(canvas, sprite, margin, top, fg)
    return np.clip(np.rint(canvas), 0, 255).astype(np.uint8)

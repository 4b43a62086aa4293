"""Vendor-like data-bar strips drawn below the image (Zeiss, FEI, Tescan, Hitachi, JEOL, generic).

Each style draws a float32 (h, W) strip with instrument text and a scale bar whose label is
printed the way that vendor prints it; the caller stacks the strip under the micrograph.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import bars
from .instrument import (
    date_text,
    grouped,
    kilo_mag,
    length_text,
    random_instrument,
    sig,
    time_text,
)
from .label import ink_box, paste, text_sprite
from .scale import MICRO_SIGNS, Scale, format_label
from .truth import DrawnScaleBar

Strip = tuple[np.ndarray, DrawnScaleBar]
MICRO, MU = MICRO_SIGNS[0], MICRO_SIGNS[1]


def _grey(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(np.round(rng.uniform(lo, hi)))


def _fit(widths: list[int], fixed: int, width: int, margin: int, min_gap: int) -> int:
    """How many of the blocks ``widths`` (in order) fit in one row beside a ``fixed``-px block."""
    n = len(widths)
    while n and sum(widths[:n]) + fixed + min_gap * n > width - 2 * margin:
        n -= 1
    return n


def _spread(widths: list[int], width: int, margin: int) -> list[int]:
    """Left x of blocks spread with equal gaps over [margin, width - margin)."""
    gap = (width - 2 * margin - sum(widths)) / max(1, len(widths) - 1)
    xs, x = [], float(margin)
    for w in widths:
        xs.append(round(x))
        x += w + gap
    return xs


def zeiss(rng: np.random.Generator, scale: Scale, width: int) -> Strip:
    """Zeiss SmartSEM: black (or white) strip, three rows of ``Key = value``, ticked bar."""
    inst = random_instrument(rng, scale.nm_per_px, width, ("SE2", "InLens", "SESI", "BSD"))
    white_strip = bool(rng.random() < 0.3)
    bg, fg = (255.0, 0.0) if white_strip else (0.0, 255.0)
    h, size = int(rng.integers(58, 72)), int(rng.integers(13, 17))
    micro = MICRO if rng.random() < 0.7 else MU
    label = format_label(scale.value_nm, rng, space=True, micro=micro)
    mag = inst.mag(376.0)
    columns = [
        [
            f"Mag = {sig(mag / 1000, 4)} K X" if mag >= 1000 else f"Mag = {mag:.0f} X",
            f"EHT = {inst.hv_kv:.2f} kV",
            f"WD = {inst.wd_mm:.1f} mm",
        ],
        [
            f"Signal A = {inst.detector}",
            f"Date :{date_text(inst, 'dmy')}",
            f"Photo No. = {inst.photo}",
        ],
        [
            f"Width = {length_text(inst.hfw_nm, micro)}",
            f"Time :{time_text(inst)}",
            f"Aperture Size = 30.00 {micro}m",
        ],
        [f"File Name = IMG_{inst.photo:04d}.tif", "Stage at T = 0.0\u00b0", "Noise Reduction"],
    ]
    sprites = [[text_sprite(t, "sans", size) for t in columns[i]] for i in rng.permutation(4)]
    line_h = sprites[0][0].shape[0]
    canvas = np.full((h, width), bg, np.float32)
    if rng.random() < 0.5:  # frame
        canvas[[0, -1], :] = fg
        canvas[:, [0, -1]] = fg

    label_sprite = text_sprite(label.text, "sans", size)
    tick = int(rng.integers(3, 7))
    outer = bars.ticked_outer(scale.bar_px, 2, 0)
    block_w = max(outer, label_sprite.shape[1])
    text_w = [max(s.shape[1] for s in col) for col in sprites]
    n_text = _fit(text_w, block_w, width, 8, 24)
    slot = int(rng.integers(0, n_text + 1))
    widths = text_w[:n_text]
    widths.insert(slot, block_w)
    xs = _spread(widths, width, 8)
    block_x = xs.pop(slot)
    pad = (h - 3 * line_h) // 4
    for x, col in zip(xs, sprites[:n_text], strict=True):
        for i, sprite in enumerate(col):
            paste(canvas, sprite, x, pad + i * (line_h + pad), fg)

    top = (h - (line_h + 2 * tick + 3)) // 2
    centred = bool(rng.random() < 0.4)
    lx = block_x + (block_w - label_sprite.shape[1]) // 2 if centred else block_x
    bar_x = block_x + (block_w - outer) // 2 if centred else block_x
    label_bbox = paste(canvas, label_sprite, lx, top, fg)
    line_y = top + line_h + 1 + tick
    bar = bars.ticked_bar(canvas, bar_x, line_y, scale.bar_px, fg, tick_up=tick, tick_down=tick)
    polarity = "black" if white_strip else "white"
    return canvas, DrawnScaleBar(label, scale, bar, label_bbox, "zeiss_databar", polarity, "above")


def fei(rng: np.random.Generator, scale: Scale, width: int) -> Strip:
    """FEI/Thermo xT: grey cells, names over values; bar split by its centred label."""
    inst = random_instrument(rng, scale.nm_per_px, width, ("ETD", "TLD", "T1", "T2", "CBS"))
    h, size = int(rng.integers(46, 62)), int(rng.integers(12, 16))
    bg, sep, name_v = _grey(rng, 20, 60), _grey(rng, 90, 130), _grey(rng, 150, 205)
    value_font = "sans-bold" if rng.random() < 0.5 else "sans"
    label = format_label(scale.value_nm, rng, digits="plain", space=True, micro=MICRO)
    cells = [
        ("HV", f"{inst.hv_kv:.2f} kV"),
        ("spot", f"{inst.spot:.1f}"),
        ("det", inst.detector),
        ("mode", str(rng.choice(["SE", "BSE", "A+B"]))),
        ("HFW", length_text(inst.hfw_nm)),
        ("WD", f"{inst.wd_mm:.{int(rng.integers(1, 5))}f} mm"),
        ("mag", f"{grouped(inst.mag(207.0), ' ')} x"),
    ]
    sprites = [(text_sprite(n, "sans", size), text_sprite(v, value_font, size)) for n, v in cells]
    cpad = int(rng.integers(5, 9))
    cell_w = [max(a.shape[1], b.shape[1]) + 2 * cpad + 1 for a, b in sprites]
    outer = bars.ticked_outer(scale.bar_px, 1, 1)
    n_cells = _fit(cell_w, outer + 40, width, 0, 0)
    canvas = np.full((h, width), bg, np.float32)
    canvas[0, :] = sep
    line_h = sprites[0][0].shape[0]
    row1, row2 = max(1, h // 2 - line_h), h // 2 + (h // 2 - line_h) // 2
    x = 0
    for (name, value), w in zip(sprites[:n_cells], cell_w, strict=False):
        paste(canvas, name, x + cpad, row1, name_v)
        paste(canvas, value, x + cpad, row2, 255.0)
        x += w
        canvas[:, x - 1] = sep

    centre = (x + width) // 2
    line_t, tick = int(rng.integers(1, 3)), int(rng.integers(3, 6))
    label_sprite = text_sprite(label.text, "sans", size)
    ix0, iy0, ix1, iy1 = ink_box(label_sprite)
    lx = centre - (ix0 + ix1) // 2
    if ix1 - ix0 + 1 + 24 <= outer - 8:
        label_pos, line_y = "split", row1 + (iy0 + iy1) // 2
        gap: tuple[int, int] | None = (lx + ix0 - 6, lx + ix1 + 6)
    else:  # too short to split: label above the bar
        label_pos, line_y, gap = "above", row1 + line_h + tick + 1, None
    label_bbox = paste(canvas, label_sprite, lx, row1, 255.0)
    bar = bars.ticked_bar(
        canvas,
        centre - outer // 2,
        line_y,
        scale.bar_px,
        255.0,
        line_t=line_t,
        tick_w=1,
        tick_up=tick,
        tick_down=tick,
        inset=1,
        gap=gap,
    )
    if label_pos == "split" and rng.random() < 0.6:
        tag = str(rng.choice(["PSU-0237", "Quanta FEG 250", "Helios G4", "Nova NanoSEM"]))
        sprite = text_sprite(tag, "sans", size)
        paste(canvas, sprite, centre - sprite.shape[1] // 2, row2, 255.0)
    return canvas, DrawnScaleBar(label, scale, bar, label_bbox, "fei_databar", "white", label_pos)


def tescan(rng: np.random.Generator, scale: Scale, width: int) -> Strip:
    """Tescan: dark grid of ``Key: value`` cells; bold label over a bar with 1-px end ticks."""
    inst = random_instrument(rng, scale.nm_per_px, width, ("SE", "BSE", "In-Beam SE", "E-T"))
    h, size = int(rng.integers(50, 64)), int(rng.integers(12, 15))
    bg = _grey(rng, 35, 60)
    grid = bg + _grey(rng, 35, 60)
    label = format_label(scale.value_nm, rng, digits="plain", space=True, micro=MICRO)
    pairs = [
        (f"SEM HV: {inst.hv_kv:.1f} kV", f"SEM MAG: {kilo_mag(inst.mag(418.0), ' kx', ' x')}"),
        (f"WD: {inst.wd_mm:.2f} mm", f"Det: {inst.detector}"),
        (f"View field: {length_text(inst.hfw_nm)}", f"Date(m/d/y): {date_text(inst, 'mdy')}"),
    ]
    sprites = [(text_sprite(a, "sans", size), text_sprite(b, "sans", size)) for a, b in pairs]
    label_sprite = text_sprite(label.text, "sans-bold", size + 1)
    outer = bars.ticked_outer(scale.bar_px, 1, 0)
    cpad = int(rng.integers(8, 16))
    cell_w = [max(a.shape[1], b.shape[1]) + 2 * cpad + 1 for a, b in sprites]
    n_cells = _fit(cell_w, max(outer, label_sprite.shape[1]) + 32, width, 0, 0)
    canvas = np.full((h, width), bg, np.float32)
    canvas[0, :] = grid
    line_h = sprites[0][0].shape[0]
    x = 0
    for (a, b), w in zip(sprites[:n_cells], cell_w, strict=False):
        paste(canvas, a, x + cpad, (h // 2 - line_h) // 2 + 1, 255.0)
        paste(canvas, b, x + cpad, h // 2 + (h // 2 - line_h) // 2, 255.0)
        x += w
        canvas[:, x - 1] = grid
    canvas[h // 2, :x] = grid

    line_t, tick = int(rng.integers(2, 4)), int(rng.integers(4, 8))
    line_y = h - int(rng.integers(4, 9)) - line_t
    centre = (x + width) // 2
    top = line_y - tick - 2 - ink_box(label_sprite)[3]  # ink (with a µ tail) clear of the ticks
    label_bbox = paste(canvas, label_sprite, centre - label_sprite.shape[1] // 2, top, 255.0)
    bar = bars.ticked_bar(
        canvas,
        centre - outer // 2,
        line_y,
        scale.bar_px,
        255.0,
        line_t=line_t,
        tick_w=1,
        tick_up=tick,
        tick_down=0,
    )
    return canvas, DrawnScaleBar(label, scale, bar, label_bbox, "tescan", "white", "above")


def hitachi(rng: np.random.Generator, scale: Scale, width: int) -> Strip:
    """Hitachi: one line of settings; 11-tick dotted ruler at the top, label under its end."""
    inst = random_instrument(rng, scale.nm_per_px, width, ("SE(M)", "SE(U)", "SE(L)", "LA0(U)"))
    size = int(rng.integers(14, 21))
    font = "mono" if rng.random() < 0.3 else "sans"
    label = format_label(
        scale.value_nm, rng, digits="sig3", space=False, micro=str(rng.choice(["u", MICRO]))
    )
    model = str(rng.choice(["S4800", "SU8010", "SU8020", "SU8230", "SU70", "S-3400N", "SU5000"]))
    text = (
        f"{model} {inst.hv_kv:.1f}kV {inst.wd_mm:.1f}mm x{kilo_mag(inst.mag(127.0))} "
        f"{inst.detector}"
    )
    sprite, label_sprite = text_sprite(text, font, size), text_sprite(label.text, font, size)
    line_h = sprite.shape[0]
    tick_w, tall = int(rng.integers(1, 4)), int(rng.integers(8, 12))
    short = tall - int(rng.integers(0, 4))
    h = max(int(rng.integers(30, 44)), tall + line_h + 2)
    canvas = np.full((h, width), 0.0, np.float32)
    margin = int(rng.integers(8, 24))
    text_y = h - line_h
    paste(canvas, sprite, margin, text_y, 255.0)
    right = width - margin
    bar = bars.ruler(
        canvas,
        right - (scale.bar_px + tick_w - 1),
        tall - 1,
        scale.bar_px,
        255.0,
        tick_w=tick_w,
        short_h=short,
        tall_h=tall,
    )
    x1 = ink_box(label_sprite)[2]
    label_bbox = paste(canvas, label_sprite, right - x1, text_y, 255.0)
    return canvas, DrawnScaleBar(label, scale, bar, label_bbox, "hitachi_ruler", "white", "below")


def jeol(rng: np.random.Generator, scale: Scale, width: int) -> Strip:
    """JEOL: one spaced-out line of settings with a plain bar above or beside its label."""
    inst = random_instrument(rng, scale.nm_per_px, width, ("SEI", "LEI", "BEC", "COMPO"))
    size = int(rng.integers(14, 21))
    font = "mono" if rng.random() < 0.4 else "sans"
    label = format_label(
        scale.value_nm, rng, digits="plain", space=False, micro=str(rng.choice([MICRO, MU]))
    )
    mag = f"X{grouped(inst.mag(120.0), ',')}"
    items = [inst.detector, f"{inst.hv_kv:.1f}kV", mag]
    if rng.random() < 0.5:
        items = [mag.replace("X", "X "), f"{inst.hv_kv:.1f}kV", inst.detector, "SEM"]
    tail = [f"WD {inst.wd_mm:.1f}mm", time_text(inst)]
    sprites = [text_sprite(t, font, size) for t in items + tail]
    label_sprite = text_sprite(label.text, font, size)
    line_h = label_sprite.shape[0]
    ix0, iy0, ix1, iy1 = ink_box(label_sprite)
    above = bool(rng.random() < 0.5)
    thickness = int(rng.integers(2, 5)) if above else int(rng.integers(3, 8))
    if above:
        block_w = max(scale.bar_px, label_sprite.shape[1])
        h = max(int(rng.integers(28, 40)), thickness + line_h + 4)
    else:
        block_w = scale.bar_px + 8 + label_sprite.shape[1]
        h = max(int(rng.integers(28, 40)), line_h + 4)
    text_y = h - line_h - 1
    widths = [s.shape[1] for s in sprites]
    n = _fit(widths, block_w, width, 16, 20)
    slot = min(len(items), n)
    widths = widths[:n]
    widths.insert(slot, block_w)
    xs = _spread(widths, width, 16)
    block_x = xs.pop(slot)
    canvas = np.full((h, width), 0.0, np.float32)
    for x, s in zip(xs, sprites[:n], strict=True):
        paste(canvas, s, x, text_y, 255.0)
    if above:
        bar_x = block_x + (block_w - scale.bar_px) // 2
        bar = bars.plain_bar(
            canvas, bar_x, text_y + iy0 - thickness - 2, scale.bar_px, thickness, 255.0
        )
        lx = block_x + (block_w - label_sprite.shape[1]) // 2
    else:
        bar_y = text_y + (iy0 + iy1) // 2 - thickness // 2
        bar = bars.plain_bar(canvas, block_x, bar_y, scale.bar_px, thickness, 255.0)
        lx = block_x + scale.bar_px + 8 - ix0
    label_bbox = paste(canvas, label_sprite, lx, text_y, 255.0)
    pos = "below" if above else "beside"
    return canvas, DrawnScaleBar(label, scale, bar, label_bbox, "jeol_databar", "white", pos)


def generic(rng: np.random.Generator, scale: Scale, width: int) -> Strip:
    """Generic strip: ``SEM HV: 5.0 kV  WD: 8.1 mm  x50,000  Det: SE`` and a bar at the right.

    Black or white strip; plain bar or bar with end ticks; label above, left or right of it.
    """
    inst = random_instrument(rng, scale.nm_per_px, width, ("SE", "BSE", "InLens", "ETD"))
    white_strip = bool(rng.random() < 0.4)
    bg, fg = (255.0, 0.0) if white_strip else (0.0, 255.0)
    size = int(rng.integers(13, 19))
    font = str(rng.choice(["sans", "sans-bold", "mono", "serif"]))
    label = format_label(scale.value_nm, rng)
    text = (
        f"SEM HV: {inst.hv_kv:.1f} kV  WD: {inst.wd_mm:.1f} mm  "
        f"x{grouped(inst.mag(127.0), ',')}  Det: {inst.detector}"
    )
    sprite, label_sprite = text_sprite(text, font, size), text_sprite(label.text, font, size)
    line_h = label_sprite.shape[0]
    ix0, iy0, ix1, iy1 = ink_box(label_sprite)
    ticked = bool(rng.random() < 0.5)
    tick_w, line_t = int(rng.integers(1, 3)), int(rng.integers(1, 4))
    tick = int(rng.integers(3, 7))
    thickness = int(rng.integers(3, 9))
    outer = bars.ticked_outer(scale.bar_px, tick_w, 0) if ticked else scale.bar_px
    bar_h = line_t + 2 * tick if ticked else thickness
    pos = str(rng.choice(["above", "left", "right"]))
    if pos == "above":
        block_w, block_h = max(outer, label_sprite.shape[1]), line_h + 2 + bar_h
    else:
        block_w, block_h = outer + 10 + label_sprite.shape[1], max(line_h, bar_h)
    h = max(int(rng.integers(32, 56)), block_h + 8)
    margin = int(rng.integers(8, 30))
    canvas = np.full((h, width), bg, np.float32)
    if sprite.shape[1] + block_w + 2 * margin + 20 <= width:
        paste(canvas, sprite, margin, (h - line_h) // 2, fg)
    block_x, top = width - margin - block_w, (h - block_h) // 2
    if pos == "above":
        lx, ly = block_x + (block_w - label_sprite.shape[1]) // 2, top
        bar_x, bar_y = block_x + (block_w - outer) // 2, top + line_h + 2
    else:
        ly = (h - line_h) // 2
        bar_y = ly + (iy0 + iy1) // 2 - bar_h // 2
        bar_x = block_x if pos == "right" else width - margin - outer
        lx = block_x + outer + 10 - ix0 if pos == "right" else block_x - ix0
    label_bbox = paste(canvas, label_sprite, lx, ly, fg)
    if ticked:
        bar = bars.ticked_bar(
            canvas,
            bar_x,
            bar_y + tick,
            scale.bar_px,
            fg,
            line_t=line_t,
            tick_w=tick_w,
            tick_up=tick,
            tick_down=tick,
        )
    else:
        bar = bars.plain_bar(canvas, bar_x, bar_y, scale.bar_px, thickness, fg)
    polarity = "black" if white_strip else "white"
    label_pos = "above" if pos == "above" else "beside"
    return canvas, DrawnScaleBar(
        label, scale, bar, label_bbox, "generic_databar", polarity, label_pos
    )


#: style name -> strip painter
STRIP_STYLES: dict[str, Callable[[np.random.Generator, Scale, int], Strip]] = {
    "zeiss_databar": zeiss,
    "fei_databar": fei,
    "tescan": tescan,
    "hitachi_ruler": hitachi,
    "jeol_databar": jeol,
    "generic_databar": generic,
}

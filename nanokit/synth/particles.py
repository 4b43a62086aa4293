"""Near-round, cube-like or rod-like particles: per-image size distribution, placement with
touching and overlapping pairs, and SEM-like rendering (brighter edges) with an instance mask."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

#: diameter limits in px
MIN_D, MAX_D = 6.0, 120.0
#: most particles per image (keeps generation fast)
MAX_PARTICLES = 1500
#: shape harmonics k of the boundary r(theta) = r * (1 + sum a_k cos(k theta + phi_k))
HARMONICS = np.array([2, 3, 4])
#: in packed placement, least centre distance of overlapping particles / their summed radii
PACKED_GAP = 0.75
#: candidate positions tried per particle
TRIES = 24
#: longest rods, in widths (their area is about that of the disc of the drawn diameter)
MAX_ROD_LENGTH = 5.0
#: canvas padding (px) so that particle patches never need clipping
_PAD = int(MAX_D * 0.6 * np.sqrt(MAX_ROD_LENGTH)) + 8

Rect = tuple[int, int, int, int]


@dataclass(frozen=True)
class SizeModel:
    """Log-normal diameters (px) with ``median_px`` and log-std ``sigma``, clipped to limits."""

    median_px: float
    sigma: float

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        d = self.median_px * np.exp(self.sigma * rng.standard_normal(n))
        return np.clip(d, MIN_D, MAX_D)

    @property
    def mean_area(self) -> float:
        """Expected particle area in px^2 (before clipping)."""
        return float(np.pi / 4 * self.median_px**2 * np.exp(2 * self.sigma**2))


def random_size_model(rng: np.random.Generator) -> SizeModel:
    """Per-image sizes: median diameter 9-70 px (log-uniform), log-std 0.08-0.35."""
    median = float(np.exp(rng.uniform(np.log(9), np.log(70))))
    return SizeModel(median, float(rng.uniform(0.08, 0.35)))


@dataclass(frozen=True)
class Shapes:
    """Cube- or rod-like particles' corner sharpness ``power``, orientation ``turn`` (rad) and
    ``length`` in widths (:func:`squareness`), one of each per particle (arrays that broadcast
    like the particles' radii)."""

    power: np.ndarray
    turn: np.ndarray
    length: np.ndarray

    def __getitem__(self, index: Any) -> Shapes:
        return Shapes(self.power[index], self.turn[index], self.length[index])


@dataclass(frozen=True)
class Particles:
    """N particles in paint order: centres (px; pixel centres at integers, x right, y down),
    mean radii ``r``, boundary harmonics (amplitudes, phases: N x 3) and ``on_top``: placed
    against an earlier particle (touching or overlapping it), so painted over it."""

    cx: np.ndarray
    cy: np.ndarray
    r: np.ndarray
    amps: np.ndarray
    phases: np.ndarray
    on_top: np.ndarray
    #: cube- or rod-like particles' shapes; None = round
    shapes: Shapes | None = None

    def __len__(self) -> int:
        return int(self.r.size)

    @property
    def rmax(self) -> np.ndarray:
        return outer_radius(self.r, self.amps, self.shapes)


@dataclass(frozen=True)
class Facets:
    """Cube- or rod-like particles of one image: rectangles ``length`` times as long as wide
    (1: nanocubes seen face on; give or take 10 % for rods) with rounded corners of sharpness
    ``power`` (:func:`squareness`), turned by ``turn`` (rad) give or take ``spread`` (rad,
    standard deviation; about pi: every particle its own way)."""

    power: float
    turn: float
    spread: float
    length: float = 1.0

    def sample(self, rng: np.random.Generator, n: int) -> Shapes:
        """The shapes of ``n`` particles."""
        turn = self.turn + self.spread * rng.standard_normal(n)
        length = np.full(n, self.length)
        if self.length > 1:
            length = np.clip(length * rng.normal(1, 0.1, n), 1.2, MAX_ROD_LENGTH)
        return Shapes(np.full(n, self.power), turn, length)


def random_facets(rng: np.random.Generator) -> Facets:
    """Corners from well rounded (power 4) to nearly sharp (12); in half the images the cubes
    line up (within about 3 degrees), in half of those with the image's axes (as in
    self-assembled films imaged along a lattice row), else each is turned its own way."""
    power = float(rng.uniform(4, 12))
    if rng.random() < 0.5:
        return Facets(power, float(rng.uniform(0, np.pi / 2)), float(np.pi))
    turn = 0.0 if rng.random() < 0.5 else float(rng.uniform(0, np.pi / 2))
    return Facets(power, turn, float(np.radians(3)))


def random_rods(rng: np.random.Generator) -> Facets:
    """Nanorods: 2-4.5 times as long as wide, ends from elliptic (power 2.5) to near flat
    caps (4); lying every which way, or in a third of the images lined up within about 5
    degrees (with the image's axes in half of those)."""
    power, length = float(rng.uniform(2.5, 4)), float(rng.uniform(2, 4.5))
    if rng.random() < 2 / 3:
        return Facets(power, float(rng.uniform(0, np.pi)), float(np.pi), length)
    turn = 0.0 if rng.random() < 0.5 else float(rng.uniform(0, np.pi))
    return Facets(power, turn, float(np.radians(5)), length)


def outer_radius(r: np.ndarray, amps: np.ndarray, shapes: Shapes | None) -> np.ndarray:
    """Largest boundary radius (px) of particles of mean radius ``r`` (see :class:`Particles`)."""
    radius = r * (1 + amps.sum(axis=1))
    if shapes is None:
        return radius
    if not (shapes.length > 1).any():
        return radius * 2.0 ** (0.5 - 1 / shapes.power)
    return radius * np.hypot(shapes.length, 1)


def squareness(shape: Shapes, c: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Boundary radius of a rectangle ``length`` times as long as wide with rounded corners
    (superellipse |x / length|^p + |y|^p = 1, p = ``power``) turned by ``turn`` rad (of
    ``shape``), in the direction with cosine ``c`` and sine ``s``: 1 across the flats; a
    square with ``length`` 1, whose radius grows to 2^(1/2 - 1/p) towards the corners (p = 2:
    a circle)."""
    ct, st = np.cos(shape.turn), np.sin(shape.turn)
    along, across = np.abs(c * ct + s * st) / shape.length, np.abs(s * ct - c * st)
    return (along**shape.power + across**shape.power) ** (-1 / shape.power)


def boundary(
    r: np.ndarray,
    amps: np.ndarray,
    phases: np.ndarray,
    c: np.ndarray,
    s: np.ndarray,
    shape: Shapes | None = None,
) -> np.ndarray:
    """Boundary radius (px) in the direction with cosine ``c`` and sine ``s``.

    ``r`` broadcasts with c and s; ``amps`` and ``phases`` have the 3 harmonics (k = 2, 3, 4)
    in their last axis and otherwise broadcast like ``r``. Uses the multiple-angle formulas
    (no trigonometric calls per pixel). ``shape`` (broadcasting like ``r``) makes the particle
    cube- or rod-like (:func:`squareness`); None = round.
    """
    c2, s2 = c * c - s * s, 2 * c * s
    c3, s3 = c2 * c - s2 * s, s2 * c + c2 * s
    c4, s4 = c2 * c2 - s2 * s2, 2 * s2 * c2
    a, b = amps * np.cos(phases), amps * np.sin(phases)
    wave = (
        a[..., 0] * c2
        - b[..., 0] * s2
        + a[..., 1] * c3
        - b[..., 1] * s3
        + a[..., 2] * c4
        - b[..., 2] * s4
    )
    if shape is None:
        return r * (1 + wave)
    return r * (1 + wave) * squareness(shape, c, s)


@lru_cache(maxsize=256)
def _disk(radius: int) -> np.ndarray:
    """Boolean (2R+1, 2R+1) disk of integer radius R (read-only, cached)."""
    yy, xx = np.mgrid[-radius : radius + 1, -radius : radius + 1]
    disk = xx**2 + yy**2 <= radius**2
    disk.flags.writeable = False
    return disk


def place_particles(
    rng: np.random.Generator,
    sizes: SizeModel,
    shape: tuple[int, int],
    *,
    coverage: float,
    pair_rate: float,
    clustered: bool,
    keepout: Rect | None = None,
    open_bottom: bool = True,
    packed: bool = False,
    facets: Facets | None = None,
) -> Particles:
    """Random sequential placement, largest first, without unintended overlaps.

    Args:
        shape: (H, W) of the image area.
        coverage: target fraction of the area covered by particles.
        pair_rate: probability that a particle is put against an already placed one: touching
            (boundaries within 1 px) or, if it is 0.5-1x that one's size, overlapping it (it is
            painted on top).
        clustered: draw positions around a few cluster centres instead of uniformly.
        keepout: inclusive rectangle [x0, y0, x1, y1] no particle may reach (overlay bar).
        open_bottom: particles may be cut by the bottom edge; False keeps them >= 3 px
            above it (a data bar lies below).
        packed: a particle put against another may also overlap third ones (centres at
            least :data:`PACKED_GAP` x their summed radii apart): clumps, not only pairs.
        facets: cube- or rod-like particles (with half the outline harmonics of round ones;
            a rod's area about that of the disc of its drawn diameter); None = round ones.
    """
    h, w = shape
    free = h * w
    if keepout is not None:
        free -= (keepout[2] - keepout[0] + 1) * (keepout[3] - keepout[1] + 1)
    n = int(min(MAX_PARTICLES, max(5, coverage * free / sizes.mean_area)))
    r = np.sort(sizes.sample(rng, n))[::-1] / 2
    ecc = rng.uniform(0.02, 0.15)
    amps = rng.uniform(0, 1, (n, 3)) * np.array([ecc, 0.03, 0.03])
    phases = rng.uniform(0, 2 * np.pi, (n, 3))
    shapes = None
    if facets is not None:
        amps /= 2
        shapes = facets.sample(rng, n)
        if facets.length > 1:  # a rod's area about that of the drawn disc; a cube as wide
            r = r * np.sqrt(np.pi / 4 / shapes.length)
    rmax = outer_radius(r, amps, shapes)
    pair = rng.random(n) < pair_rate
    overlap = rng.random(n) < 0.4
    if clustered:
        centres = rng.uniform((0, 0), (w, h), (int(rng.integers(3, 12)), 2))
        which = rng.integers(len(centres), size=(n, TRIES))
        spread = rng.uniform(2, 6) * sizes.median_px
        cand = centres[which] + spread * rng.standard_normal((n, TRIES, 2))
    else:
        cand = rng.uniform((0, 0), (w, h), (n, TRIES, 2))
    in_area = (cand >= 0).all(axis=2) & (cand[..., 0] < w) & (cand[..., 1] < h)
    cells = (np.rint(cand).astype(np.int64) + _PAD).tolist()  # padded pixel of each candidate
    theta = rng.uniform(0, 2 * np.pi, n)
    squeeze = rng.uniform(0.72, 0.9, n)
    nudge = rng.uniform(-1.0, 0.3, n)
    partner = rng.random(n)

    # occupancy with a _PAD border: True where a new particle may not reach
    occ = np.zeros((h + 2 * _PAD, w + 2 * _PAD), bool)
    if not open_bottom:
        occ[_PAD + h - 3 :] = True
    if keepout is not None:
        x0, y0, x1, y1 = (v + _PAD for v in keepout)
        occ[y0 - 3 : y1 + 4, x0 - 3 : x1 + 4] = True
    static = occ.copy()  # bounds only, for pairs (checked exactly against other particles)
    keep, on_top = np.zeros(n, bool), np.zeros(n, bool)
    px, py = np.zeros(n), np.zeros(n)
    for i in range(n):
        placed = np.flatnonzero(keep)
        disk = _disk(int(np.ceil(rmax[i])))
        if pair[i] and placed.size:
            j = int(placed[int(partner[i] * placed.size)])
            c, sn = np.cos(theta[i]), np.sin(theta[i])
            contact = float(
                boundary(r[j], amps[j], phases[j], c, sn, None if shapes is None else shapes[j])
                + boundary(r[i], amps[i], phases[i], -c, -sn, None if shapes is None else shapes[i])
            )
            squeezed = overlap[i] and r[i] >= 0.5 * r[j]
            dist = contact * squeeze[i] if squeezed else contact + nudge[i]
            x, y = px[j] + dist * c, py[j] + dist * sn
            others = placed[placed != j]
            reach = (rmax[others] + rmax[i]) * PACKED_GAP if packed else rmax[others] + rmax[i] + 1
            gap2 = (px[others] - x) ** 2 + (py[others] - y) ** 2 - reach**2
            cx, cy = round(float(x)) + _PAD, round(float(y)) + _PAD
            ok = 0 <= x < w and 0 <= y < h and _fits(static, cx, cy, disk)
            ok = ok and bool(np.all(gap2 >= 0))
        else:
            ok = False
            for t in np.flatnonzero(in_area[i]).tolist():
                (cx, cy), (x, y) = cells[i][t], cand[i, t]
                if _fits(occ, cx, cy, disk):
                    ok = True
                    break
        if not ok:
            continue
        keep[i], on_top[i], px[i], py[i] = True, pair[i] and placed.size > 0, x, y
        grow = _disk(int(np.ceil(rmax[i] + 1)))
        g = grow.shape[0] // 2
        occ[cy - g : cy + g + 1, cx - g : cx + g + 1] |= grow
    return Particles(
        px[keep],
        py[keep],
        r[keep],
        amps[keep],
        phases[keep],
        on_top[keep],
        None if shapes is None else shapes[keep],
    )


def _fits(occ: np.ndarray, cx: int, cy: int, disk: np.ndarray) -> bool:
    """Whether ``disk`` centred at padded pixel (cx, cy) misses every occupied pixel of ``occ``."""
    g = disk.shape[0] // 2
    return not np.any(occ[cy - g : cy + g + 1, cx - g : cx + g + 1] & disk)


@dataclass(frozen=True)
class Look:
    """How particles appear: grey ``level`` + ``sign`` x contrast, edges brighter by ``edge``."""

    level: float  # substrate grey level
    contrast: float  # particle - substrate grey difference (magnitude)
    sign: int  # +1 bright particles (SE), -1 dark ones (BSE / transmission-like)
    edge: float  # extra brightness at the rim, as a fraction of the contrast
    edge_power: float  # how sharply the rim brightening rises towards the boundary
    shade: float  # one-sided shading (detector direction), fraction of the contrast
    shade_angle: float  # rad
    faint_rate: float  # fraction of particles with 30-60 % of the contrast


def render_particles(
    rng: np.random.Generator, parts: Particles, shape: tuple[int, int], look: Look
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Paint particles with anti-aliased edges; ``on_top`` ones last, in order, over the rest.

    Particles that are not ``on_top`` are at least ~1 px apart, so they are written in one
    scatter per patch size; the others are composited one by one.

    Returns:
        (colour, alpha, mask): premultiplied particle grey (float32 H x W), coverage in [0, 1]
        (float32 H x W) and uint16 instance ids 1..N in ``parts`` order (a pixel belongs to
        the top particle whose boundary contains its centre; 0 = substrate).
    """
    h, w = shape
    n = len(parts)
    contrast = look.contrast * rng.uniform(0.85, 1.15, n)
    faint = rng.random(n) < look.faint_rate
    contrast[faint] *= rng.uniform(0.3, 0.6, int(faint.sum()))
    colour = np.zeros((h + 2 * _PAD, w + 2 * _PAD), np.float32)
    alpha = np.zeros_like(colour)
    mask = np.zeros(colour.shape, np.uint16)
    stride = colour.shape[1]
    # patch side per particle, bucketed so that similar sizes are computed together
    side = (np.ceil((2 * np.ceil(parts.rmax + 1.5) + 1) / 8) * 8 + 1).astype(int)
    on_top: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
    for size in np.unique(side):
        idx = np.flatnonzero(side == size)
        flat, premult, cover, inside = _patches(parts, idx, int(size), contrast[idx], look, stride)
        free = ~parts.on_top[idx]
        sel = free[:, None, None] & (cover > 0)
        colour.flat[flat[sel]] = premult[sel]
        alpha.flat[flat[sel]] = cover[sel]
        sel = free[:, None, None] & inside
        ids = np.broadcast_to((idx + 1)[:, None, None], inside.shape)
        mask.flat[flat[sel]] = ids[sel]
        for m in np.flatnonzero(~free):
            on_top[int(idx[m])] = (flat[m], premult[m], cover[m], inside[m])
    for i in sorted(on_top):
        flat, premult, cover, inside = on_top[i]
        colour.flat[flat] = colour.flat[flat] * (1.0 - cover) + premult
        alpha.flat[flat] = alpha.flat[flat] * (1.0 - cover) + cover
        mask.flat[flat[inside]] = i + 1
    crop = (slice(_PAD, _PAD + h), slice(_PAD, _PAD + w))
    return colour[crop], alpha[crop], mask[crop]


def _patches(
    parts: Particles,
    idx: np.ndarray,
    side: int,
    contrast: np.ndarray,
    look: Look,
    stride: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Square ``side`` x ``side`` patches around particles ``idx`` (K of them).

    Returns:
        flat indices into the padded canvas (K x S x S, row stride ``stride``), premultiplied
        grey, coverage (float32) and inside (bool: pixel centre within the boundary).
    """
    cx, cy = parts.cx[idx], parts.cy[idx]
    x0 = np.floor(cx).astype(np.int64) - side // 2
    y0 = np.floor(cy).astype(np.int64) - side // 2
    steps = np.arange(side)
    dx = (x0[:, None] + steps - cx[:, None]).astype(np.float32)[:, None, :]
    dy = (y0[:, None] + steps - cy[:, None]).astype(np.float32)[:, :, None]
    flat = (y0[:, None, None] + _PAD + steps[None, :, None]) * stride + (
        x0[:, None, None] + _PAD + steps[None, None, :]
    )
    rho = np.sqrt(dx**2 + dy**2)
    unit = np.maximum(rho, np.float32(1e-6))
    amps = parts.amps[idx, None, None, :].astype(np.float32)
    phases = parts.phases[idx, None, None, :].astype(np.float32)
    r = parts.r[idx, None, None].astype(np.float32)
    shape = None if parts.shapes is None else parts.shapes[idx[:, None, None]]
    bound = boundary(r, amps, phases, dx / unit, dy / unit, shape)
    cover = np.clip(bound - rho + 0.5, 0.0, 1.0)
    k = contrast[:, None, None].astype(np.float32)
    rim = np.minimum(rho / bound, 1.0) ** np.float32(look.edge_power)
    tilt = (dx * float(np.cos(look.shade_angle)) + dy * float(np.sin(look.shade_angle))) / bound
    value = look.level + k * (look.sign + look.edge * rim + look.shade * tilt)
    return flat, (value * cover).astype(np.float32), cover, rho <= bound

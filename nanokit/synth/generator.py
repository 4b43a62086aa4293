"""One synthetic SEM sample (image, instance mask, truth) and whole data sets on disk."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NanokitError
from . import artifacts, background, particles
from .databar import STRIP_STYLES
from .overlay import OVERLAY_STYLES, apply_overlay, make_overlay
from .scale import choose_scale
from .truth import measure_particles

WIDTH, HEIGHT = 1024, 768
#: coverage and pair-rate ranges of crowded scenes (clusters of touching and overlapping
#: particles, as in dense powders); ordinary scenes draw 0.05-0.35 and 0-0.15.
CROWDED_COVERAGE = (0.35, 0.6)
CROWDED_PAIRS = (0.5, 0.9)
#: textured particles: interior grey modulated by up to this share of the particle contrast
#: (standard deviation about 0.6 of it), with grains of this many px (log-uniform, at most a
#: fifth of the median particle diameter): polycrystalline, porous or diffraction-contrast
#: particles whose inside is not flat.
TEXTURE_AMOUNT = (0.2, 0.6)
TEXTURE_GRAIN_PX = (1.5, 8.0)
#: the texture changes a pixel's contrast by at most this share of its particle's (so at
#: least 30 % of it remains)
TEXTURE_LIMIT = 0.7
#: every scale-bar style, vendor data-bar strips first
STYLES: tuple[str, ...] = (*STRIP_STYLES, *OVERLAY_STYLES)


def _look(rng: np.random.Generator) -> tuple[particles.Look, bool]:
    """Per-image particle appearance; returns (look, low_contrast)."""
    dark = bool(rng.random() < 0.25)
    low = bool(rng.random() < 0.2)
    level = rng.uniform(150, 215) if dark else rng.uniform(35, 120)
    contrast = rng.uniform(10, 22) if low else rng.uniform(40, 110)
    edge = rng.uniform(0.0, 0.2) if dark else rng.uniform(0.3, 0.9)
    if dark:
        contrast = min(contrast * 1.3, level - 15)
    else:  # keep the bright rim below saturation (with some headroom for jitter and shading)
        contrast = min(contrast, (235 - level) / (1.25 * (1 + edge)))
    look = particles.Look(
        level=float(level),
        contrast=float(contrast),
        sign=-1 if dark else 1,
        edge=float(edge),
        edge_power=float(rng.uniform(2.5, 7)),
        shade=float(rng.uniform(0, 0.25)),
        shade_angle=float(rng.uniform(0, 2 * np.pi)),
        faint_rate=float(rng.uniform(0, 0.15)),
    )
    return look, low


def _micrograph(
    rng: np.random.Generator,
    shape: tuple[int, int],
    keepout: particles.Rect | None,
    open_bottom: bool,
    crowded: bool = False,
    texture_rng: np.random.Generator | None = None,
    facets: particles.Facets | None = None,
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """Particles on a substrate with blur, scan jitter and noise; ``crowded``: clusters of
    many touching and overlapping particles (:data:`CROWDED_COVERAGE`, :data:`CROWDED_PAIRS`);
    ``texture_rng``: particles with textured insides (:func:`_texture`), drawn from it (so a
    sample's other content stays as without texture); ``facets``: cube- or rod-like particles.

    Returns:
        (image float32 H x W, mask uint16 H x W, scene parameters for the truth JSON).
    """
    sizes = particles.random_size_model(rng)
    look, low = _look(rng)
    coverage, pair_rate = rng.uniform(0.05, 0.35), rng.uniform(0.0, 0.15)
    clustered = bool(rng.random() < 0.35)
    if crowded:
        coverage, pair_rate = rng.uniform(*CROWDED_COVERAGE), rng.uniform(*CROWDED_PAIRS)
        clustered = True
    placed = particles.place_particles(
        rng,
        sizes,
        shape,
        coverage=coverage,
        pair_rate=pair_rate,
        clustered=clustered,
        keepout=keepout,
        open_bottom=open_bottom,
        packed=crowded,
        facets=facets,
    )
    colour, alpha, mask = particles.render_particles(rng, placed, shape, look)
    grain = background.smooth_noise(rng, shape, rng.uniform(1.5, 3.5))
    grain *= rng.uniform(1.5, 8) + rng.uniform(-1, 3) * alpha
    image = background.substrate(rng, shape, look.level) * (1 - alpha) + colour + grain
    if texture_rng is not None:
        image += _texture(texture_rng, shape, sizes.median_px, look) * alpha
    image += background.illumination(rng, shape)
    image = artifacts.blur(image, rng.uniform(0.4, 1.4))
    image, mask = artifacts.scan_jitter(rng, image, mask, rng.uniform(0.0, 0.8))
    sigma = rng.uniform(1.5, 4.0) if low else rng.uniform(2.0, 12.0)
    image = artifacts.add_noise(rng, image, sigma, rng.uniform(0.0, 0.3))
    scene = {
        "median_d_px": round(sizes.median_px, 3),
        "sigma_log_d": round(float(sizes.sigma), 4),
        "coverage": round(float(coverage), 4),
        "particle_polarity": "bright" if look.sign > 0 else "dark",
        "low_contrast": low,
        "clustered": clustered,
        "crowded": crowded,
        "textured": texture_rng is not None,
        "cubic": facets is not None and facets.length == 1,
        "rods": facets is not None and facets.length > 1,
    }
    return image, mask, scene


def _texture(
    rng: np.random.Generator, shape: tuple[int, int], median_px: float, look: particles.Look
) -> np.ndarray:
    """Grey offsets (float32 H x W) that make particle insides grainy: smooth noise scaled to
    a random share (:data:`TEXTURE_AMOUNT`) of the particle contrast, towards and away from
    the substrate, never cancelling more than :data:`TEXTURE_LIMIT` of it."""
    low, high = TEXTURE_GRAIN_PX
    high = float(np.clip(median_px / 5, low, high))
    grain = float(np.exp(rng.uniform(np.log(low), np.log(high))))
    amount = rng.uniform(*TEXTURE_AMOUNT)
    relative = np.clip(
        amount * background.smooth_noise(rng, shape, grain), -TEXTURE_LIMIT, TEXTURE_LIMIT
    )
    return (look.sign * look.contrast * relative).astype(np.float32)


def _renumber(mask: np.ndarray) -> np.ndarray:
    """Ids 1..N in order of first appearance in paint order, with gaps closed."""
    present = np.flatnonzero(np.bincount(mask.ravel()))
    present = present[present > 0]
    lut = np.zeros(int(mask.max()) + 1, np.uint16)
    lut[present] = np.arange(1, present.size + 1, dtype=np.uint16)
    return lut[mask]


def make_sample(
    seed: int,
    *,
    style: str | None = None,
    name: str | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
    crowded: bool = False,
    textured: bool = False,
    cubic: bool = False,
    rods: bool = False,
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """Generate one synthetic SEM micrograph with its truth; writes nothing.

    Args:
        seed: random seed (same seed -> identical outputs).
        style: scale-bar style, one of :data:`STYLES`; random when None.
        name: image id for the truth's ``image`` field (default ``synth_<seed>``).
        width, height: image size in px (at least 640 x 480).
        crowded: clusters of many touching and overlapping particles instead of a scene
            with a few touching pairs.
        textured: particles with grainy insides (grey varying by 20-60 % of their contrast);
            everything else in the sample is as without.
        cubic: cube-like particles (squares with rounded corners, lined up or turned each its
            own way: :func:`~nanokit.synth.particles.random_facets`).
        rods: rod-like particles (2-4.5 times as long as wide:
            :func:`~nanokit.synth.particles.random_rods`); not with ``cubic``.

    Returns:
        (image, mask, truth): uint8 (H, W) grey image, uint16 (H, W) instance labels
        (0 = background and data bar) and the truth dict described in CONTRACTS.md.
    """
    if style is not None and style not in STYLES:
        raise NanokitError(f"unknown synth style {style!r}; choose one of {', '.join(STYLES)}")
    if width < 640 or height < 480:
        raise NanokitError(f"synthetic images must be at least 640x480, got {width}x{height}")
    rng = np.random.default_rng(seed)
    texture_rng = np.random.default_rng([seed, 1]) if textured else None
    if cubic and rods:
        raise NanokitError("a synthetic sample holds cubes or rods, not both")
    facets = particles.random_facets(np.random.default_rng([seed, 2])) if cubic else None
    if rods:
        facets = particles.random_rods(np.random.default_rng([seed, 3]))
    scale = choose_scale(rng)
    if style is None:
        style = str(STYLES[rng.integers(len(STYLES))])
    databar: dict[str, int] | None = None
    if style in STRIP_STYLES:
        strip, drawn = STRIP_STYLES[style](rng, scale, width)
        area_h = height - strip.shape[0]
        image, mask, scene = _micrograph(
            rng,
            (area_h, width),
            None,
            open_bottom=False,
            crowded=crowded,
            texture_rng=texture_rng,
            facets=facets,
        )
        full = np.vstack([image, strip])
        scalebar = drawn.record(dy=area_h)
        databar = {"y0": area_h, "y1": height - 1}
    else:
        overlay = make_overlay(rng, scale, style, width, height)
        full, mask, scene = _micrograph(
            rng,
            (height, width),
            overlay.keepout,
            open_bottom=True,
            crowded=crowded,
            texture_rng=texture_rng,
            facets=facets,
        )
        scalebar = apply_overlay(full, overlay, rng)
    full_mask = np.zeros((height, width), np.uint16)
    full_mask[: mask.shape[0]] = _renumber(mask)
    image8 = np.clip(np.rint(full), 0, 255).astype(np.uint8)
    truth = {
        "image": f"{name or f'synth_{seed}'}.png",
        "width": width,
        "height": height,
        "seed": seed,
        "nm_per_px": scale.nm_per_px,
        "databar": databar,
        "scalebar": scalebar,
        "scene": scene,
        "particles": measure_particles(full_mask, scale.nm_per_px),
    }
    return image8, full_mask, truth


def sample_seed(seed: int, index: int) -> int:
    """Seed of image ``index`` in a data set made with ``seed`` (independent streams)."""
    return int(np.random.SeedSequence([seed, index]).generate_state(1)[0])


def generate_dataset(
    out: str | Path,
    n: int,
    seed: int = 0,
    *,
    crowded: float = 0.0,
    textured: float = 0.0,
    cubic: float = 0.0,
    rods: float = 0.0,
    quiet: bool = True,
) -> list[Path]:
    """Write ``n`` samples to ``out``: images/, masks/, truth/ and index.json.

    Args:
        out: output folder (created; existing files of the same names are replaced).
        n: number of images (>= 1).
        seed: data-set seed (>= 0); image i uses :func:`sample_seed` (seed, i).
        crowded: share of the images that are crowded scenes (see :func:`make_sample`),
            spread evenly over the set.
        textured: share of the images whose particles have grainy insides (that many,
            rounded, picked at random by ``seed``, independently of ``crowded``).
        cubic: share of the images whose particles are cube-like (picked likewise,
            independently of the other two).
        rods: share of the images whose particles are rod-like (picked among the others than
            the cube-like ones: ``cubic + rods`` at most 1).
        quiet: no progress bar.

    Returns:
        Paths of the written image PNGs, in order.
    """
    import cv2

    from ..utils.progress import progress

    if n <= 0:
        raise NanokitError(f"--n must be a positive number of images, got {n}")
    if seed < 0:
        raise NanokitError(f"--seed must be >= 0, got {seed}")
    shares = (("crowded", crowded), ("textured", textured), ("cubic", cubic), ("rods", rods))
    for what, share in shares:
        if not 0.0 <= share <= 1.0:
            raise NanokitError(f"the {what} share must be in [0, 1], got {share}")
    if round(cubic * n) + round(rods * n) > n:
        raise NanokitError(f"the cubic and rods shares add up to over 1: {cubic} + {rods}")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise NanokitError(f"{out} exists and is not a folder")
    for sub in ("images", "masks", "truth"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    written, entries = [], []
    textured_rank = np.random.default_rng([seed, 1]).permutation(n) < round(textured * n)
    shape_rank = np.random.default_rng([seed, 2]).permutation(n)
    cubic_rank = shape_rank < round(cubic * n)
    rods_rank = ~cubic_rank & (shape_rank < round(cubic * n) + round(rods * n))
    for i in progress(range(n), desc="synth", total=n, quiet=quiet):
        name = f"synth_{seed}_{i:04d}"
        is_crowded = int((i + 1) * crowded) > int(i * crowded)
        image, mask, truth = make_sample(
            sample_seed(seed, i),
            name=name,
            crowded=is_crowded,
            textured=bool(textured_rank[i]),
            cubic=bool(cubic_rank[i]),
            rods=bool(rods_rank[i]),
        )
        paths = {k: out / k / f"{name}.png" for k in ("images", "masks")}
        if not (
            cv2.imwrite(str(paths["images"]), image) and cv2.imwrite(str(paths["masks"]), mask)
        ):
            raise NanokitError(f"could not write {paths['images']} or its mask")
        (out / "truth" / f"{name}.json").write_text(
            json.dumps(truth, indent=1, ensure_ascii=False), encoding="utf-8"
        )
        written.append(paths["images"])
        entries.append(
            {
                "id": name,
                "image": f"images/{name}.png",
                "mask": f"masks/{name}.png",
                "truth": f"truth/{name}.json",
                "seed": truth["seed"],
                "style": truth["scalebar"]["style"],
                "nm_per_px": truth["nm_per_px"],
                "n_particles": len(truth["particles"]),
            }
        )
    index = {"generator": "nanokit.synth", "seed": seed, "n": n, "samples": entries}
    (out / "index.json").write_text(
        json.dumps(index, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    return written

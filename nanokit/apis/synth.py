"""``nanokit synth``: write a synthetic SEM data set with exact truth."""

from __future__ import annotations

from pathlib import Path

from ..synth import generate_dataset


def synthesize(
    out: str | Path,
    n: int,
    seed: int = 0,
    crowded: float = 0.0,
    textured: float = 0.0,
    cubic: float = 0.0,
    rods: float = 0.0,
    quiet: bool = False,
) -> list[Path]:
    """Write ``n`` synthetic micrographs with masks and truth JSON to ``out``.

    Args:
        out: output folder; gets images/, masks/, truth/ and index.json.
        n: number of images (>= 1).
        seed: data-set seed (>= 0); the same seed writes byte-identical files.
        crowded: share of crowded scenes (clumps of touching and overlapping particles).
        textured: share of scenes whose particles have grainy (textured) insides.
        cubic: share of scenes whose particles are cube-like (rounded squares).
        rods: share of scenes whose particles are rod-like (``cubic + rods`` at most 1).
        quiet: no progress bar.

    Returns:
        The written image paths.
    """
    return generate_dataset(
        out,
        n,
        seed,
        crowded=crowded,
        textured=textured,
        cubic=cubic,
        rods=rods,
        quiet=quiet,
    )

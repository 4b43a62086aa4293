"""QC flags from the particles: ``likely merged`` (large particles that are not convex),
``small in pixels`` and ``elongated``."""

from __future__ import annotations

import math
from typing import Any

from nanokit.measure.image_outputs import ELONGATED_RATIO, SMALL_PX, particle_flags


def _particles(
    areas_and_solidities: list[tuple[float, float]], aspect_ratio: float = 1.1
) -> list[dict[str, Any]]:
    return [
        {
            "area_px": area,
            "ecd_px": math.sqrt(4 * area / math.pi),
            "solidity": solidity,
            "aspect_ratio": aspect_ratio,
            "touching": False,
            "touches_border": False,
        }
        for area, solidity in areas_and_solidities
    ]


def test_large_concave_particles_raise_the_flag() -> None:
    singles = [(100.0, 0.97)] * 18
    merged = _particles(singles + [(200.0, 0.85), (210.0, 0.8)])
    assert "likely merged" in particle_flags(merged, merged, 3, 0.3)
    # two discs overlapping by a fifth of their diameter (solidity 0.94): SEM powders
    overlapping = _particles(singles + [(190.0, 0.94), (195.0, 0.93)])
    assert "likely merged" in particle_flags(overlapping, overlapping, 3, 0.3)


def test_large_convex_or_small_concave_particles_do_not() -> None:
    singles = [(100.0, 0.97)] * 18
    large_convex = _particles(singles + [(400.0, 0.98), (300.0, 0.97)])
    small_ragged = _particles(singles + [(90.0, 0.7), (110.0, 0.75)])
    for particles in (large_convex, small_ragged):
        assert "likely merged" not in particle_flags(particles, particles, 3, 0.3)


def test_particles_under_eight_px_across_are_small_in_pixels() -> None:
    def area(diameter: float) -> float:
        return math.pi * diameter**2 / 4

    small = _particles([(area(0.9 * SMALL_PX), 0.95)] * 12 + [(area(3 * SMALL_PX), 0.95)] * 5)
    assert "small in pixels" in particle_flags(small, small, 3, 0.3)
    fine = _particles([(area(1.2 * SMALL_PX), 0.95)] * 12)
    assert "small in pixels" not in particle_flags(fine, fine, 3, 0.3)
    assert "small in pixels" not in particle_flags([], [], 3, 0.3)


def test_rods_are_flagged_elongated_and_round_particles_are_not() -> None:
    rods = _particles([(300.0, 0.97)] * 5, aspect_ratio=1.1 * ELONGATED_RATIO)
    assert "elongated" in particle_flags(rods, rods, 3, 0.3)
    # a few rods among round particles, or too few particles to tell, are not
    mixed = _particles([(300.0, 0.97)] * 6) + rods
    assert "elongated" not in particle_flags(mixed, mixed, 3, 0.3)
    assert "elongated" not in particle_flags(rods[:2], rods[:2], 3, 0.3)

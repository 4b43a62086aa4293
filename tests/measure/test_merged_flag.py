"""The ``likely merged`` QC flag: large particles that are not convex."""

from __future__ import annotations

from typing import Any

from nanokit.measure.image_outputs import particle_flags


def _particles(areas_and_solidities: list[tuple[float, float]]) -> list[dict[str, Any]]:
    return [
        {"area_px": area, "solidity": solidity, "touching": False, "touches_border": False}
        for area, solidity in areas_and_solidities
    ]


def test_large_concave_particles_raise_the_flag() -> None:
    singles = [(100.0, 0.97)] * 18
    merged = _particles(singles + [(200.0, 0.85), (210.0, 0.8)])
    assert "likely merged" in particle_flags(merged, merged, 3, 0.3)


def test_large_convex_or_small_concave_particles_do_not() -> None:
    singles = [(100.0, 0.97)] * 18
    large_convex = _particles(singles + [(400.0, 0.98), (300.0, 0.95)])
    small_ragged = _particles(singles + [(90.0, 0.7), (110.0, 0.75)])
    for particles in (large_convex, small_ragged):
        assert "likely merged" not in particle_flags(particles, particles, 3, 0.3)

"""Particles that stand out from the substrate far less than the image's typical particle go."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from nanokit.segmentation.faint import drop_faint_labels, particle_contrasts

SIZE = 256
#: Six particles, two faint smudges and a region brighter than the substrate (a film hole).
PARTICLES = [(40, 40), (120, 40), (200, 40), (40, 120), (120, 120), (200, 120)]
SMUDGES = [(40, 200), (120, 200)]
HOLE = (200, 200)


def _scene(particle: float, substrate: float, smudge: float, hole: float, seed: int = 0):
    """(uint8 image, int32 labels): 20 px discs on a noisy substrate, one label each."""
    rng = np.random.default_rng(seed)
    grey = np.full((SIZE, SIZE), substrate, np.float32)
    labels = np.zeros((SIZE, SIZE), np.int32)
    centres = PARTICLES + SMUDGES + [HOLE]
    values = [particle] * len(PARTICLES) + [smudge] * len(SMUDGES) + [hole]
    for i, (centre, value) in enumerate(zip(centres, values, strict=True), start=1):
        cv2.circle(grey, centre, 10, float(value), -1)
        cv2.circle(labels, centre, 10, i, -1)
    grey = cv2.GaussianBlur(grey, (0, 0), 1.0) + rng.normal(0, 4, grey.shape)
    return np.clip(grey, 0, 255).astype(np.uint8), labels


@pytest.mark.parametrize(
    "particle, substrate, smudge, hole",
    [(40, 200, 185, 240), (200, 60, 75, 20)],
    ids=["dark particles (TEM)", "bright particles (SEM)"],
)
def test_smudges_and_opposite_regions_go_particles_stay(particle, substrate, smudge, hole) -> None:
    grey, labels = _scene(particle, substrate, smudge, hole)
    kept = set(np.unique(drop_faint_labels(grey, labels))) - {0}
    assert kept == set(range(1, len(PARTICLES) + 1))


def test_contrast_is_inside_minus_the_substrate_around() -> None:
    grey, labels = _scene(40, 200, 185, 240)
    contrast = particle_contrasts(grey, labels)
    assert np.isnan(contrast[0])
    assert contrast[1] == pytest.approx(-160, abs=8)
    assert contrast[len(PARTICLES) + 1] == pytest.approx(-15, abs=6)
    assert contrast[-1] == pytest.approx(40, abs=6)


def test_a_particle_lower_in_contrast_but_clearly_one_stays() -> None:
    """A thinner particle at 40 % of the others' contrast is a particle (mixed thicknesses)."""
    grey, labels = _scene(40, 200, 136, 40)
    kept = set(np.unique(drop_faint_labels(grey, labels))) - {0}
    assert kept == set(range(1, int(labels.max()) + 1))


def test_no_polarity_no_rule() -> None:
    """Regions on a texture (typical contrast within the noise) are left as they are."""
    rng = np.random.default_rng(1)
    grey = rng.normal(128, 20, (SIZE, SIZE)).clip(0, 255).astype(np.uint8)
    _, labels = _scene(40, 200, 185, 240)
    assert np.array_equal(drop_faint_labels(grey, labels), labels)


def test_too_few_particles_to_judge() -> None:
    grey, labels = _scene(40, 200, 185, 240)
    two = np.where(np.isin(labels, [1, len(PARTICLES) + 1]), labels, 0)
    assert np.array_equal(drop_faint_labels(grey, two), two)


def test_a_particle_without_substrate_around_it_stays() -> None:
    """In a dense packing a particle's surroundings are other particles: no contrast, kept."""
    grey, labels = _scene(40, 200, 185, 240)
    hole = int(labels.max())
    ring = cv2.dilate((labels == hole).astype(np.uint8), np.ones((15, 15), np.uint8)) > 0
    packed = np.where(ring & (labels == 0), hole + 1, labels)  # a particle all around the hole
    assert np.isnan(particle_contrasts(grey, packed)[hole])
    assert hole in drop_faint_labels(grey, packed)


def test_one_large_particle_is_not_outvoted_by_the_specks_on_its_halo() -> None:
    """A dark rod with a bright halo, and a dozen 3 px specks picked out of the halo: the
    rod sets the typical contrast (particles weigh by their diameter), the specks go."""
    rng = np.random.default_rng(2)
    grey = np.full((SIZE, SIZE), 150, np.float32)
    labels = np.zeros((SIZE, SIZE), np.int32)
    cv2.rectangle(grey, (20, 96), (236, 160), 210, -1)  # halo
    cv2.rectangle(grey, (28, 104), (228, 152), 40, -1)  # rod
    cv2.rectangle(labels, (28, 104), (228, 152), 1, -1)
    for i, x in enumerate(range(34, 226, 16), start=2):
        cv2.circle(labels, (x, 99), 2, i, -1)
    grey = np.clip(grey + rng.normal(0, 3, grey.shape), 0, 255).astype(np.uint8)
    assert set(np.unique(drop_faint_labels(grey, labels))) == {0, 1}

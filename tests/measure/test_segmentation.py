"""The classical segmenter on synthetic discs: both polarities, shading, the data bar."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from nanokit.segmentation import ClassicalSegmenter


@pytest.mark.parametrize("polarity", ["bright", "dark"])
def test_finds_discs_of_either_polarity(disc_image, polarity: str) -> None:
    image, radii = disc_image(1)
    if polarity == "dark":
        image = 255 - image
    truth = disc_image(1)[0] > 120
    mask = ClassicalSegmenter().predict_mask(image)
    iou = (mask & truth).sum() / (mask | truth).sum()
    assert iou > 0.9


def test_shading_is_removed(disc_image) -> None:
    image, _ = disc_image(2)
    truth = image > 120
    ramp = np.linspace(0, 90, image.shape[1])[None, :]
    shaded = np.clip(image + ramp, 0, 255).astype(np.uint8)
    mask = ClassicalSegmenter().predict_mask(shaded)
    assert (mask & truth).sum() / (mask | truth).sum() > 0.85


def test_rows_outside_are_never_segmented(disc_image) -> None:
    image, _ = disc_image(3)
    image[200:] = 255  # a bright data bar
    mask = ClassicalSegmenter().predict_mask(image, rows=(0, 200))
    assert not mask[200:].any() and mask[:200].any()


def test_rejects_unknown_settings() -> None:
    with pytest.raises(ValueError, match="polarity"):
        ClassicalSegmenter(polarity="grey")
    with pytest.raises(ValueError, match="method"):
        ClassicalSegmenter(method="kmeans")


def test_split_valleys_separates_particles_along_a_dark_line() -> None:
    from nanokit.sizing.sizers import EcdSizer, WatershedSizer

    rng = np.random.default_rng(0)
    image = np.full((120, 160), 40.0)
    image[30:90, 30:130] = 200
    image[30:90, 79:81] = 150  # a shading line between two touching particles, above Otsu
    image = np.clip(image + rng.normal(0, 4, image.shape), 0, 255).astype(np.uint8)
    merged = ClassicalSegmenter().predict_mask(image)
    split = ClassicalSegmenter(split_valleys=0.15).predict_mask(image)
    assert len(EcdSizer()(merged).particles) == 1
    # The cut leaves at most 1-px bridges at the line's ends, which the watershed splits.
    assert len(WatershedSizer()(split).particles) == 2
    assert EcdSizer()(split).labels.max() <= 2


@pytest.mark.parametrize("sign", [1, -1])
def test_faint_particles_on_smudged_substrate(sign: int) -> None:
    """Faint discs (contrast 15, noise 4) next to strong dark smudges: polarity and count hold."""
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[:300, :400]
    image = np.full((300, 400), 120.0)
    centres = [(40 + 60 * (i % 6), 40 + 70 * (i // 6)) for i in range(24)]
    for x, y in centres:
        image[(xx - x) ** 2 + (yy - y) ** 2 <= 10**2] += sign * 15
    # Wide smudges of the opposite sign, deeper than the particles are high.
    for x, y in [(70, 250), (330, 60)]:
        image -= sign * 30 * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * 25**2))
    image = np.clip(image + rng.normal(0, 4, image.shape), 0, 255).astype(np.uint8)
    mask = ClassicalSegmenter().predict_mask(image)
    labels, count = ndimage.label(mask)
    assert abs(count - len(centres)) <= 2
    assert all(labels[y, x] > 0 for x, y in centres[:6])

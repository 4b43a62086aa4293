"""The classical segmenter on synthetic discs: both polarities, shading, the data bar."""

from __future__ import annotations

import numpy as np
import pytest

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

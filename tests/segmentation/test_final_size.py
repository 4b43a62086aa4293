"""The final pass is redone with the final mask's size when the first pass merged clusters."""

from __future__ import annotations

import cv2

from nanokit.segmentation import ClassicalSegmenter
from nanokit.sizing.frame import valid_rows
from nanokit.synth.generator import make_sample, sample_seed


def test_dense_clusters_of_small_particles_are_not_merged() -> None:
    # A clean synthetic scene (seed 2026, image 19): clusters of ~10 px bright particles merge
    # in the first pass (3 px smoothing), which set d 2-4x too large; the final pass with
    # that d left 69 components for 159 particles, one more pass with the final mask's d 127.
    image, truth_mask, truth = make_sample(sample_seed(2026, 19))
    databar = truth["databar"]
    rows = valid_rows(image.shape[0], (databar["y0"], databar["y1"]) if databar else None)
    mask = ClassicalSegmenter().predict_mask(image, rows)
    found = cv2.connectedComponents(mask.astype("uint8"), connectivity=8)[0] - 1
    assert found > 0.7 * truth_mask.max()

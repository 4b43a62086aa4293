"""Tiled inference: grid, blending windows, equality with whole-image inference."""

from __future__ import annotations

import numpy as np
import pytest

from nanokit.errors import NanokitError
from nanokit.inference import build_backend, segment_image, to_model_input
from nanokit.inference.tiling import edge_ramp, predict_tiled, softmax, tile_starts

from ..numerics import FP32_U, fp32_tolerance


@pytest.mark.parametrize(
    ("length", "tile", "overlap"), [(100, 100, 16), (300, 128, 32), (1000, 256, 64), (129, 128, 0)]
)
def test_tiles_cover_with_enough_overlap(length, tile, overlap):
    starts = tile_starts(length, min(tile, length), overlap)
    assert starts[0] == 0
    assert starts[-1] + min(tile, length) == length
    assert all(b - a <= tile - overlap for a, b in zip(starts, starts[1:], strict=False))


def test_neighbouring_ramps_sum_to_one():
    ramp = edge_ramp(64, 32, left=True, right=False)
    # tile B starts 32 px after tile A, so A's right ramp and B's left ramp overlap exactly
    right = edge_ramp(64, 32, left=False, right=True)
    np.testing.assert_allclose(right[32:] + ramp[:32], 1.0, atol=1e-6)
    assert ramp[:8].max() == 0.0  # zero weight in the outer quarter of the overlap
    assert ramp[-1] == 1.0


def test_tiled_equals_whole_image(local_net, blobs):
    image = to_model_input(blobs(150, 230, seed=3))  # not a multiple of the tile
    backend = build_backend("torch", local_net, bf16=False)
    whole = softmax(backend.predict(image[None]))[0]
    tiled = predict_tiled(backend, image, tile=64, overlap=16, batch_size=3)
    assert tiled.shape == whole.shape == (2, 150, 230)
    # tiles and the whole image sum each convolution in other orders; a probability moves by at
    # most half the largest logit change (2 classes: dp = p (1 - p) d(l1 - l0)); blending up to
    # four tiles rounds a few more ulps of 1
    tolerance = 0.5 * fp32_tolerance(local_net, [image]) + 8 * FP32_U
    assert np.abs(tiled - whole).max() <= tolerance


def test_tiled_strided_model_close_to_whole(strided_net, blobs):
    image = to_model_input(blobs(200, 260, seed=4))
    backend = build_backend("torch", strided_net, bf16=False)
    whole = softmax(backend.predict(image[None]))[0]
    tiled = predict_tiled(backend, image, tile=96, overlap=32, batch_size=4)
    assert (tiled.argmax(0) == whole.argmax(0)).mean() > 0.99
    assert np.abs(tiled - whole).max() < 0.1


def test_segment_image_outputs(local_net, blobs):
    backend = build_backend("torch", local_net, bf16=False)
    image = blobs(100, 140)
    labels = segment_image(backend, image, tile=64, overlap=16)
    probs = segment_image(backend, image, tile=64, overlap=16, output="prob")
    assert labels.shape == (100, 140) and labels.dtype == np.uint8
    assert probs.shape == (2, 100, 140) and probs.dtype == np.float32
    np.testing.assert_allclose(probs.sum(0), 1.0, atol=1e-5)
    np.testing.assert_array_equal(labels, probs.argmax(0))
    rgb = np.repeat(image[:, :, None], 3, axis=2)
    np.testing.assert_array_equal(segment_image(backend, rgb, tile=64, overlap=16), labels)
    as_float = segment_image(backend, image.astype(np.float32) / 255, tile=64, overlap=16)
    assert (as_float == labels).mean() > 0.999


def test_small_image_is_padded(strided_net, blobs):
    backend = build_backend("torch", strided_net, bf16=False)
    assert segment_image(backend, blobs(20, 30)).shape == (20, 30)


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (np.zeros((4, 5, 6, 7), np.uint8), "H x W"),
        (np.full((70, 70), 2.0, np.float32), r"\[0, 1\]"),
        (np.zeros((70, 70), np.int64), "dtype"),
    ],
)
def test_bad_images_are_one_line_errors(local_net, image, message):
    backend = build_backend("torch", local_net, bf16=False)
    with pytest.raises(NanokitError, match=message):
        segment_image(backend, image)


def test_bad_tiling_options(local_net, blobs):
    backend = build_backend("torch", local_net, bf16=False)
    with pytest.raises(NanokitError, match="overlap"):
        segment_image(backend, blobs(100, 100), tile=64, overlap=40)
    with pytest.raises(NanokitError, match="output"):
        segment_image(backend, blobs(100, 100), output="logits")

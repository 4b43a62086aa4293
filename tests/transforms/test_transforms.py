"""Every augmentation moves image and mask together and keeps the mask's values valid."""

from __future__ import annotations

import numpy as np
import pytest

from nanokit.registry import TRANSFORMS, build

GEOMETRIC = [
    dict(type="RandomRescale", scale_range=(0.25, 2.0), aspect_jitter=0.3),
    dict(type="RandomFlip", prob=1.0),
    dict(type="RandomFlip", prob=1.0, direction="vertical"),
    dict(type="RandomTranslate", max_ratio=0.3, prob=1.0),
    dict(type="RandomCropPad", size=(48, 80)),
    dict(type="RandomCropPad", size=(90, 30)),
]


def _sample(seed: int = 0) -> dict:
    """An image equal to its mask: particles are exactly the bright pixels."""
    rng = np.random.default_rng(seed)
    gt = np.zeros((60, 70), np.uint8)
    for _ in range(5):
        y, x = rng.integers(5, 55), rng.integers(5, 65)
        gt[max(y - 6, 0) : y + 6, max(x - 4, 0) : x + 9] = 1
    img = np.repeat(gt[..., None].astype(np.float32), 3, axis=2)
    return {"img": img, "gt": gt}


@pytest.mark.parametrize("cfg", GEOMETRIC, ids=lambda c: f"{c['type']}")
@pytest.mark.parametrize("seed", range(4))
def test_geometric_transforms_keep_image_and_mask_aligned(cfg, seed):
    np.random.seed(seed)
    out = build(TRANSFORMS, dict(cfg))(_sample(seed))
    img, gt = out["img"], out["gt"]
    assert img.shape[:2] == gt.shape and img.shape[2] == 3 and img.dtype == np.float32
    assert set(np.unique(gt)) <= {0, 1, 255}
    valid = gt != 255
    # nearest-neighbour mask vs bilinear image: agree wherever the image is not an edge blend
    crisp = valid & ((img[..., 0] < 0.01) | (img[..., 0] > 0.99))
    assert crisp.sum() > 0.5 * valid.sum()
    np.testing.assert_array_equal(img[..., 0][crisp] > 0.5, gt[crisp] == 1)
    assert np.all(img[~valid] == 0)  # padding is black


def test_crop_pad_gives_the_training_size_and_flip_is_exact():
    np.random.seed(0)
    sample = _sample()
    out = build(TRANSFORMS, dict(type="RandomCropPad", size=(32, 100)))(dict(sample))
    assert out["gt"].shape == (32, 100) and (out["gt"] == 255).any()
    flipped = build(TRANSFORMS, dict(type="RandomFlip", prob=1.0))(_sample())
    np.testing.assert_array_equal(flipped["gt"], sample["gt"][:, ::-1])


def test_rescale_range_and_aspect_jitter():
    np.random.seed(1)
    t = build(TRANSFORMS, dict(type="RandomRescale", scale_range=(0.25, 2.0), aspect_jitter=0.3))
    sizes = np.array([t(_sample())["gt"].shape for _ in range(200)], dtype=float)
    scale = np.sqrt(sizes[:, 0] * sizes[:, 1] / (60 * 70))
    assert 0.24 <= scale.min() < 0.4 and 1.8 < scale.max() <= 2.02
    aspect = (sizes[:, 1] / 70) / (sizes[:, 0] / 60)
    assert 0.65 < aspect.min() < 0.8 and 1.2 < aspect.max() < 1.35


def test_hsv_jitter_changes_brightness_not_the_mask():
    np.random.seed(2)
    sample = _sample()
    sample["img"] = sample["img"] * 0.5 + 0.25
    out = build(
        TRANSFORMS, dict(type="HSVJitter", hue=0.1, saturation=(0.3, 1.7), value=(0.7, 1.3))
    )({"img": sample["img"].copy(), "gt": sample["gt"].copy()})
    np.testing.assert_array_equal(out["gt"], sample["gt"])
    ratio = out["img"][sample["gt"] == 1].mean() / 0.75
    assert 0.7 - 1e-3 <= ratio <= 1.3 + 1e-3
    np.testing.assert_allclose(out["img"][..., 0], out["img"][..., 1], atol=1e-5)  # grey stays grey
    colour = {
        "img": np.tile(np.array([0.8, 0.2, 0.2], np.float32), (4, 4, 1)),
        "gt": np.zeros((4, 4), np.uint8),
    }
    shifted = build(TRANSFORMS, dict(type="HSVJitter", hue=0.1, saturation=(1, 1), value=(1, 1)))(
        colour
    )
    assert shifted["img"].max() <= 1.0 and not np.allclose(shifted["img"], 0.0)

"""Targets that separate touching particles, and datasets that train on them."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from nanokit.datasets import MaskFolderDataset, SegConcatDataset
from nanokit.datasets.base import skip_ignore_id
from nanokit.datasets.instance_targets import (
    DISTANCE_BINS,
    boundary_target,
    distance_target,
    make_target,
    num_classes,
)
from nanokit.errors import NanokitError


def _touching_squares() -> np.ndarray:
    labels = np.zeros((20, 30), dtype=np.int32)
    labels[5:15, 5:15] = 1
    labels[5:15, 15:25] = 2
    return labels


def test_boundary_target_parts_touching_particles_with_a_band() -> None:
    target = boundary_target(_touching_squares())
    assert set(np.unique(target)) == {0, 1, 2}
    # the contact column of each square is boundary: a band two pixels wide between them
    assert (target[6:14, 14] == 2).all() and (target[6:14, 15] == 2).all()
    # so the interiors are two separate components
    interiors = cv2.connectedComponents((target == 1).astype(np.uint8), connectivity=8)[0] - 1
    assert interiors == 2
    assert (target[_touching_squares() == 0] == 0).all()


def test_distance_target_peaks_inside_every_particle_small_or_large() -> None:
    labels = _touching_squares()
    labels[2:5, 26:29] = 3  # a 3x3 particle
    target = distance_target(labels)
    assert target.max() == DISTANCE_BINS
    for ident in (1, 2, 3):
        assert target[labels == ident].max() == DISTANCE_BINS
    assert (target[labels > 0] >= 1).all() and (target[labels == 0] == 0).all()
    # the contact between the squares is their lowest level
    assert target[10, 14] == 1 and target[10, 15] == 1


def test_make_target_marks_ignored_pixels_and_rejects_unknown_targets() -> None:
    ignore = np.zeros((20, 30), dtype=bool)
    ignore[:, :3] = True
    out = make_target(_touching_squares(), "boundary", ignore)
    assert (out[:, :3] == 255).all() and out[:, 3:].max() == 2
    assert num_classes("boundary") == 3 and num_classes("distance") == DISTANCE_BINS + 1
    with pytest.raises(ValueError, match="target must be one of"):
        make_target(_touching_squares(), "flows")


def test_ids_never_collide_with_the_padding_value() -> None:
    ids = np.array([[0, 254, 255, 256]], dtype=np.int32)
    assert skip_ignore_id(ids).tolist() == [[0, 254, 256, 257]]


def _instance_folder(root: Path) -> Path:
    (root / "images").mkdir(parents=True)
    (root / "masks").mkdir()
    for i in range(3):
        image = np.full((64, 80), 40, np.uint8)
        labels = np.zeros((64, 80), np.uint16)
        labels[10:40, 10:40] = 255 + i  # an id that equals the ignore value
        labels[10:40, 40:70] = 3
        image[labels > 0] = 200
        cv2.imwrite(str(root / "images" / f"im{i}.png"), image)
        cv2.imwrite(str(root / "masks" / f"im{i}.png"), labels)
    return root


def test_dataset_encodes_the_target_after_the_pipeline(tmp_path: Path) -> None:
    root = _instance_folder(tmp_path / "set")
    pipeline = [dict(type="RandomCropPad", size=(96, 96))]
    ds = MaskFolderDataset(root, mask_kind="instance", target="boundary", pipeline=pipeline)
    gt = ds[0]["data_samples"].numpy()
    assert gt.shape == (96, 96)
    # padding is ignored, particles part along a boundary band, nothing else leaks in
    assert set(np.unique(gt)) == {0, 1, 2, 255}
    assert cv2.connectedComponents((gt == 1).astype(np.uint8), connectivity=8)[0] - 1 == 2
    binary = MaskFolderDataset(root, mask_kind="instance")[0]["data_samples"].numpy()
    assert set(np.unique(binary)) == {0, 1}
    with pytest.raises(NanokitError, match="target must be one of"):
        MaskFolderDataset(root, target="flows")


def test_concat_dataset_repeats_parts_and_lends_its_data_root(tmp_path: Path) -> None:
    real = _instance_folder(tmp_path / "real")
    other = _instance_folder(tmp_path / "other")
    ds = SegConcatDataset(
        [dict(type="MaskFolderDataset", data_root=str(real)), dict(type="MaskFolderDataset")],
        data_root=str(other),
        repeats=(2, 1),
    )
    assert len(ds) == 9
    assert ds.datasets[2].data_root == other
    with pytest.raises(NanokitError, match="repeats"):
        SegConcatDataset([dict(type="MaskFolderDataset", data_root=str(real))], repeats=(0,))


def test_binary_masks_with_particles_drawn_apart_give_one_instance_per_component(
    tmp_path: Path,
) -> None:
    """mask_kind="components": a binary mask whose touching particles are parted by a
    background line (4-connected) trains the boundary head on two particles, not one."""
    root = tmp_path / "set"
    (root / "images").mkdir(parents=True)
    (root / "masks").mkdir()
    mask = np.zeros((40, 60), np.uint8)
    mask[10:30, 10:30] = 255
    mask[10:30, 31:51] = 255  # column 30 stays background: the particles are drawn apart
    mask[29, 30] = 0
    cv2.imwrite(str(root / "images" / "a.png"), np.where(mask > 0, 200, 40).astype(np.uint8))
    cv2.imwrite(str(root / "masks" / "a.png"), mask)
    ds = MaskFolderDataset(root, mask_kind="components", target="boundary")
    assert sorted(np.unique(ds.get_instances(0)).tolist()) == [0, 1, 2]
    gt = ds[0]["data_samples"].numpy()
    interiors = cv2.connectedComponents((gt == 1).astype(np.uint8), connectivity=8)[0] - 1
    assert interiors == 2
    binary = MaskFolderDataset(root, mask_kind="binary")
    assert binary.get_instances(0) is None
    with pytest.raises(NanokitError, match="mask_kind must be one of"):
        MaskFolderDataset(root, mask_kind="blobs")

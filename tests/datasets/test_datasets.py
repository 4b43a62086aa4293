"""Datasets on tiny folders made in code: bit depths, channels, masks, Labelme, splits, data bar."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
import tifffile
import torch

from nanokit.datasets import LabelmeDataset, MaskFolderDataset, SynthDataset
from nanokit.datasets._databar import detect_databar
from nanokit.datasets._io import to_float_rgb
from nanokit.errors import NanokitError


def _grey(seed: int = 0, shape=(40, 48)) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


def _folder(
    tmp_path: Path, images: dict[str, np.ndarray], masks: dict[str, np.ndarray], ext=".png"
):
    (tmp_path / "images").mkdir()
    (tmp_path / "masks").mkdir()
    for name, img in images.items():
        path = tmp_path / "images" / f"{name}{ext}"
        if ext == ".png":
            bgr = (
                img
                if img.ndim == 2
                else cv2.cvtColor(
                    img, cv2.COLOR_RGBA2BGRA if img.shape[2] == 4 else cv2.COLOR_RGB2BGR
                )
            )
            cv2.imwrite(str(path), bgr)
        else:
            tifffile.imwrite(path, img)
    for name, mask in masks.items():
        cv2.imwrite(str(tmp_path / "masks" / f"{name}.png"), mask)
    return tmp_path


def test_bit_depths_and_channels_normalise_alike(tmp_path):
    g8 = _grey()
    rgb = np.repeat(g8[..., None], 3, axis=2)
    rgba = np.concatenate([rgb, np.full_like(g8[..., None], 7)], axis=2)
    images = {"a8": g8, "b16": g8.astype(np.uint16) * 257, "c_rgb": rgb, "d_rgba": rgba}
    mask = np.zeros_like(g8)
    mask[5:15, 5:20] = 255
    ds = MaskFolderDataset(_folder(tmp_path, images, {k: mask for k in images}))
    items = [ds[i] for i in range(len(ds))]
    ref = items[0]["inputs"]
    assert ref.shape == (3, 40, 48) and ref.dtype == torch.float32
    assert torch.allclose(ref[0], torch.from_numpy(g8 / 255.0).float())
    for item in items[1:]:
        assert torch.allclose(item["inputs"], ref, atol=1e-6), item["meta"]["name"]


def test_sixteen_bit_tiff_and_colour(tmp_path):
    rgb = np.random.default_rng(1).integers(0, 65536, (20, 30, 3), dtype=np.uint16)
    out = to_float_rgb(rgb)
    assert out.shape == (20, 30, 3) and out.max() <= 1.0
    np.testing.assert_allclose(out, rgb / 65535.0, atol=1e-6)
    ds = MaskFolderDataset(
        _folder(tmp_path, {"x": rgb}, {"x": np.zeros((20, 30), np.uint8)}, ext=".tif")
    )
    np.testing.assert_allclose(ds[0]["inputs"].numpy().transpose(1, 2, 0), out, atol=1e-6)


def test_instance_masks_become_binary_with_instances_kept(tmp_path):
    labels = np.zeros((32, 32), np.uint16)
    labels[2:10, 2:10] = 1
    labels[12:20, 12:30] = 2
    labels[22:30, 3:9] = 300
    root = tmp_path / "d"
    (root / "images").mkdir(parents=True)
    (root / "masks").mkdir()
    cv2.imwrite(str(root / "images" / "i.png"), _grey(shape=(32, 32)))
    cv2.imwrite(str(root / "masks" / "i_m.png"), labels)
    ds = MaskFolderDataset(root, mask_suffix="_m")
    gt = ds[0]["data_samples"]
    assert gt.dtype == torch.int64
    assert set(torch.unique(gt).tolist()) == {0, 1}
    assert int(gt.sum()) == int((labels > 0).sum())
    inst = ds.get_instances(0)
    assert sorted(np.unique(inst).tolist()) == [0, 1, 2, 300]
    assert MaskFolderDataset(root, mask_suffix="_m", mask_kind="binary").get_instances(0) is None


def test_missing_mask_and_missing_root_are_one_line_errors(tmp_path):
    with pytest.raises(NanokitError, match="put images in"):
        MaskFolderDataset(tmp_path / "nowhere")
    root = _folder(tmp_path, {"a": _grey()}, {})
    with pytest.raises(NanokitError, match="no mask for a.png"):
        MaskFolderDataset(root)


def test_seeded_splits_are_deterministic_and_disjoint(tmp_path):
    names = [f"n{i:02d}" for i in range(20)]
    img = _grey(shape=(8, 8))
    root = _folder(tmp_path, dict.fromkeys(names, img), dict.fromkeys(names, img * 0))
    kw = dict(split_ratios=(0.6, 0.2, 0.2), split_seed=3)
    parts = {
        s: [x["name"] for x in MaskFolderDataset(root, split=s, **kw).samples]
        for s in ("train", "val", "test")
    }
    assert [len(p) for p in parts.values()] == [12, 4, 4]
    assert sorted(sum(parts.values(), [])) == names
    again = [x["name"] for x in MaskFolderDataset(root, split="train", **kw).samples]
    assert again == parts["train"]
    other = [
        x["name"]
        for x in MaskFolderDataset(
            root, split="train", split_ratios=(0.6, 0.2, 0.2), split_seed=4
        ).samples
    ]
    assert other != parts["train"]
    (root / "test.txt").write_text("n03\nn07.png  # comment\n\n")
    listed = MaskFolderDataset(root, split="test", split_file="test.txt")
    assert [x["name"] for x in listed.samples] == ["n03", "n07"]
    (root / "bad.txt").write_text("zz\n")
    with pytest.raises(NanokitError, match="not in"):
        MaskFolderDataset(root, split_file="bad.txt")


def _image_with_databar(bar_rows: int = 12) -> np.ndarray:
    img = np.random.default_rng(0).integers(30, 220, (100, 120), dtype=np.uint8)
    img[-bar_rows:] = 0
    cv2.putText(img, "200 nm", (5, 100 - 3), cv2.FONT_HERSHEY_PLAIN, 0.6, 255, 1)
    return img


def test_databar_detected_and_cropped(tmp_path):
    img = _image_with_databar(12)
    assert detect_databar(img) == 88
    assert (
        detect_databar(np.random.default_rng(1).integers(0, 255, (100, 120), dtype=np.uint8))
        is None
    )
    mask = np.zeros_like(img)
    mask[90:] = 255  # annotation that leaks into the bar must not be scored
    root = _folder(tmp_path, {"a": img}, {"a": mask})
    for databar in ("detect", 12):
        item = MaskFolderDataset(root, databar=databar)[0]
        assert item["inputs"].shape == (3, 88, 120)
        assert item["data_samples"].shape == (88, 120) and int(item["data_samples"].sum()) == 0
        assert item["meta"]["databar_y0"] == 88
    assert MaskFolderDataset(root)[0]["inputs"].shape == (3, 100, 120)


def _labelme(tmp_path: Path) -> Path:
    cv2.imwrite(str(tmp_path / "p.png"), _grey(shape=(30, 40)))
    ann = {
        "imagePath": "p.png",
        "imageHeight": 30,
        "imageWidth": 40,
        "shapes": [
            {
                "label": "particle",
                "shape_type": "polygon",
                "points": [[2, 2], [11, 2], [11, 11], [2, 11]],
            },
            {"label": "particle", "shape_type": "rectangle", "points": [[30, 20], [20, 25]]},
            {"label": "dust", "shape_type": "polygon", "points": [[25, 2], [35, 2], [35, 8]]},
            {"label": "particle", "shape_type": "circle", "points": [[6, 22], [6, 25]]},
        ],
    }
    (tmp_path / "p.json").write_text(json.dumps(ann))
    return tmp_path


def test_labelme_polygons_become_instance_masks(tmp_path):
    ds = LabelmeDataset(_labelme(tmp_path), label_names=["particle"])
    gt = ds[0]["data_samples"].numpy()
    inst = ds.get_instances(0)
    assert (inst == 1).sum() == 100  # 10 x 10 polygon, vertices inclusive
    assert (inst == 2).sum() == 11 * 6  # rectangle rows 20-25, cols 20-30
    assert 25 <= (inst == 3).sum() <= 35  # disc of radius 3
    assert gt[2:12, 2:12].all() and gt[:2].sum() == 0
    assert gt[4, 33] == 0  # "dust" is not a particle
    assert LabelmeDataset(tmp_path).get_instances(0).max() == 4  # every label


def test_synth_layout_uses_truth_databar(tmp_path):
    root = tmp_path / "s"
    for sub in ("images", "masks", "truth"):
        (root / sub).mkdir(parents=True)
    cv2.imwrite(str(root / "images" / "0001.png"), _grey(shape=(64, 80)))
    labels = np.zeros((64, 80), np.uint16)
    labels[5:15, 5:15] = 1
    labels[55:60, 5:15] = 2
    cv2.imwrite(str(root / "masks" / "0001.png"), labels)
    (root / "truth" / "0001.json").write_text(json.dumps({"databar": {"y0": 50, "y1": 64}}))
    ds = SynthDataset(root)
    item = ds[0]
    assert item["data_samples"].shape == (50, 80) and int(item["data_samples"].sum()) == 100
    assert sorted(np.unique(ds.get_instances(0)).tolist()) == [0, 1]


def test_convert_labelme_cli_writes_masks(tmp_path):
    from click.testing import CliRunner

    from nanokit.cli.main import cli

    (tmp_path / "src").mkdir()
    src = _labelme(tmp_path / "src")
    result = CliRunner().invoke(
        cli, ["convert", "labelme", str(src), str(tmp_path / "out"), "--labels", "particle"]
    )
    assert result.exit_code == 0, result.output
    mask = cv2.imread(str(tmp_path / "out" / "p.png"), cv2.IMREAD_UNCHANGED)
    assert mask.dtype == np.uint8 and set(np.unique(mask)) == {0, 255}
    assert (mask[2:12, 2:12] == 255).all() and mask[4, 33] == 0
    result = CliRunner().invoke(
        cli, ["convert", "labelme", str(src), str(tmp_path / "ids"), "--instances"]
    )
    assert result.exit_code == 0, result.output
    ids = cv2.imread(str(tmp_path / "ids" / "p.png"), cv2.IMREAD_UNCHANGED)
    assert ids.dtype == np.uint16 and ids.max() == 4
    bad = CliRunner().invoke(
        cli, ["convert", "labelme", str(tmp_path / "out"), str(tmp_path / "x")]
    )
    assert bad.exit_code == 1 and "no Labelme .json files" in bad.output


def test_real_bam_and_emps_sets(shared_data):
    seg = shared_data / "segmentation"
    bam = MaskFolderDataset(
        seg / "bam_tio2_sem",
        mask_suffix="_m",
        databar="detect",
        split="test",
        split_ratios=(0.6, 0.2, 0.2),
    )
    assert len(bam) == 8
    item = bam[0]
    assert item["inputs"].shape == (3, 712, 1024) and item["meta"]["databar_y0"] == 712
    assert set(torch.unique(item["data_samples"]).tolist()) == {0, 1}
    emps = MaskFolderDataset(
        seg / "emps", mask_kind="instance", split="val", split_ratios=(0.6, 0.2, 0.2)
    )
    assert len(emps) == 12 and emps.get_instances(0).max() >= 1

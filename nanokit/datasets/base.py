"""Shared machinery of nanokit's segmentation datasets."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.utils.data import Dataset

from ..errors import NanokitError
from ._databar import databar_start
from ._io import IGNORE_INDEX, read_array, to_binary_mask, to_float_rgb
from ._split import SPLITS, ratio_split, read_split_file
from .instance_targets import TARGETS, make_target


class BaseSegDataset(Dataset):
    """Images with particle masks, yielding what the Runner and the segmentors expect.

    Each item is ``dict(inputs=(3, H, W) float tensor in [0, 1], data_samples=(H, W) long
    tensor with 0 = background, 1 = particle, 255 = ignore, meta=dict(name, img_path,
    ori_shape, databar_y0))``. The data bar (rows ``databar_y0`` and below) is cropped off
    before the pipeline, so it is neither trained on nor evaluated.

    Subclasses list their samples (:meth:`load_samples`) and read one label image
    (:meth:`load_labels`).

    Args:
        data_root: folder holding the data set.
        split: ``"train"``, ``"val"``, ``"test"`` or None for every sample.
        split_file: text file (relative to ``data_root`` unless absolute) listing the split's
            image names, one per line; without it the split is a seeded shuffle cut at
            ``split_ratios``.
        split_ratios: train, val, test fractions for the seeded split.
        split_seed: seed of that shuffle.
        pipeline: transform configs (``TRANSFORMS``), applied to image and mask together.
        databar: None, ``"detect"``, or the number of bottom rows the data bar takes.
        target: ``"binary"`` (0 background, 1 particle), or an encoding that separates
            touching particles, made from instance masks after the pipeline (see
            :mod:`nanokit.datasets.instance_targets`): ``"boundary"`` (background / interior /
            boundary) or ``"distance"`` (quantised normalised distance to the particle's edge).
    """

    #: Class names, for mmengine's evaluator and visualiser.
    metainfo = {"classes": ("background", "particle")}
    #: True when :meth:`load_labels` gives one id per particle (sizing metrics possible).
    has_instances = False

    def __init__(
        self,
        data_root: str | Path,
        split: str | None = None,
        split_file: str | None = None,
        split_ratios: Sequence[float] = (0.8, 0.1, 0.1),
        split_seed: int = 0,
        pipeline: Sequence[dict] = (),
        databar: str | int | None = None,
        target: str = "binary",
    ) -> None:
        from ..registry import TRANSFORMS, build

        if target not in TARGETS:
            raise NanokitError(f"target must be one of {TARGETS}, got {target!r}")
        self.target = target
        self.data_root = Path(data_root)
        self.databar = databar
        samples = self.load_samples()
        if not samples:
            raise NanokitError(f"no samples found in {self.data_root}")
        self.samples = self._select(samples, split, split_file, split_ratios, split_seed)
        self.split = split
        self.pipeline = [build(TRANSFORMS, dict(t)) for t in pipeline]

    # --- to be provided by subclasses -----------------------------------------------------
    def load_samples(self) -> list[dict[str, Any]]:
        """One dict per image with at least ``name`` (unique stem) and ``img_path``."""
        raise NotImplementedError

    def load_labels(self, sample: dict[str, Any], shape: tuple[int, int]) -> np.ndarray:
        """The (H, W) int label image of ``sample``: 0 background, > 0 particle (ids)."""
        raise NotImplementedError

    def load_image(self, sample: dict[str, Any]) -> np.ndarray:
        """The image of ``sample`` as stored (see :func:`read_array`)."""
        return read_array(sample["img_path"])

    def databar_y0(self, sample: dict[str, Any], image: np.ndarray) -> int | None:
        """First data-bar row of ``sample`` or None (uses the ``databar`` setting)."""
        return databar_start(image, self.databar)

    # --- the dataset protocol --------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, idx: int) -> dict[str, Any]:
        img, gt, meta = self.load(idx)
        results = {"img": img, "gt": gt}
        for transform in self.pipeline:
            results = transform(results)
        gt = results["gt"]
        if self.target != "binary":
            ignore = gt == IGNORE_INDEX
            gt = make_target(np.where(ignore, 0, gt), self.target, ignore)
        return {
            "inputs": torch.from_numpy(np.ascontiguousarray(results["img"].transpose(2, 0, 1))),
            "data_samples": torch.from_numpy(gt.astype(np.int64)),
            "meta": meta,
        }

    def load(self, idx: int) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
        """Image (H, W, 3) float32, mask and meta, data bar cropped.

        The mask is (H, W) uint8 0/1 for the binary target; for the others it is the int32
        instance ids (renumbered past :data:`IGNORE_INDEX`), encoded after the pipeline.
        """
        sample = self.samples[idx]
        raw = self.load_image(sample)
        img = to_float_rgb(raw)
        labels = self.load_labels(sample, img.shape[:2])
        gt = to_binary_mask(labels) if self.target == "binary" else skip_ignore_id(labels)
        y0 = self.databar_y0(sample, raw)
        if y0 is not None:
            img, gt = img[:y0], gt[:y0]
        meta = {
            "name": sample["name"],
            "img_path": str(sample["img_path"]),
            "ori_shape": tuple(raw.shape[:2]),
            "databar_y0": -1 if y0 is None else int(y0),
        }
        return img, gt, meta

    def get_instances(self, idx: int) -> np.ndarray | None:
        """Per-particle truth of sample ``idx``: (H, W) int ids, data bar cropped, or None."""
        if not self.has_instances:
            return None
        sample = self.samples[idx]
        raw = self.load_image(sample)
        labels = self.load_labels(sample, raw.shape[:2])
        y0 = self.databar_y0(sample, raw)
        return labels if y0 is None else labels[:y0]

    @staticmethod
    def _check_shape(labels: np.ndarray, shape: tuple[int, int], where: Path | str) -> np.ndarray:
        if labels.shape != tuple(shape):
            raise NanokitError(f"{where}: mask is {labels.shape}, image is {tuple(shape)}")
        return labels

    def _select(
        self,
        samples: list[dict[str, Any]],
        split: str | None,
        split_file: str | None,
        ratios: Sequence[float],
        seed: int,
    ) -> list[dict[str, Any]]:
        if split is None and split_file is None:
            return samples
        by_name = {s["name"]: s for s in samples}
        if split_file is not None:
            path = Path(split_file)
            names = read_split_file(path if path.is_absolute() else self.data_root / path)
            missing = [n for n in names if n not in by_name]
            if missing:
                raise NanokitError(
                    f"{split_file} lists {len(missing)} image(s) not in {self.data_root}, "
                    f"e.g. {missing[0]!r}"
                )
        else:
            if split not in SPLITS:
                raise NanokitError(f"split must be one of {SPLITS}, got {split!r}")
            names = ratio_split(list(by_name), split, ratios, seed)
        if not names:
            raise NanokitError(f"the {split or split_file} split of {self.data_root} is empty")
        return [by_name[n] for n in names]


def skip_ignore_id(labels: np.ndarray) -> np.ndarray:
    """int32 instance ids with id :data:`IGNORE_INDEX` and above moved up by one, so that
    the padding value of the transforms never names a particle."""
    ids = labels.astype(np.int32)
    return np.where(ids >= IGNORE_INDEX, ids + 1, ids)


def find_images(folder: Path, what: str) -> list[Path]:
    """Image files directly in ``folder``, sorted; a one-line error says what belongs there."""
    from ..io.images import list_images

    if not folder.is_dir():
        raise NanokitError(f"{what} folder not found: {folder}")
    files = list_images(folder)
    if not files:
        raise NanokitError(f"no images (.png/.tif/.jpg) in {folder}; put the {what} there")
    return files


__all__ = ["IGNORE_INDEX", "BaseSegDataset", "find_images"]

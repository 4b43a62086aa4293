"""Images annotated with Labelme (JSON polygons), as the paper's data set was."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NanokitError
from ..registry import DATASETS
from ._io import read_array
from ._labelme import decode_image_data, labelme_image_path, labelme_to_labels, read_labelme
from .base import BaseSegDataset


@DATASETS.register_module()
class LabelmeDataset(BaseSegDataset):
    """``data_root/ann_dir/*.json`` Labelme files, each next to (or embedding) its image.

    Every polygon, rectangle or circle whose label is in ``label_names`` is one particle.

    Args:
        ann_dir: folder of the JSON files under ``data_root``.
        label_names: labels that mark particles; None takes every label.
        **kwargs: :class:`BaseSegDataset` arguments (split, pipeline, databar, ...).
    """

    has_instances = True

    def __init__(
        self,
        data_root: str | Path,
        ann_dir: str = ".",
        label_names: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.ann_dir = ann_dir
        self.label_names = None if label_names is None else set(label_names)
        super().__init__(data_root, **kwargs)

    def load_samples(self) -> list[dict[str, Any]]:
        folder = Path(self.data_root) / self.ann_dir
        if not folder.is_dir():
            raise NanokitError(
                f"data root not found: {folder}; put Labelme .json files there, each next to "
                "the image it annotates"
            )
        files = sorted(folder.glob("*.json"))
        if not files:
            raise NanokitError(f"no Labelme .json files in {folder}")
        samples = []
        for path in files:
            ann = read_labelme(path)
            img = labelme_image_path(ann, path)
            if img is None and not ann.get("imageData"):
                raise NanokitError(f"{path}: image {ann.get('imagePath')!r} not found")
            samples.append({"name": path.stem, "img_path": img or path, "ann_path": path})
        return samples

    def load_image(self, sample: dict[str, Any]) -> np.ndarray:
        if sample["img_path"] == sample["ann_path"]:
            arr = decode_image_data(read_labelme(sample["ann_path"]))
            if arr is None:
                raise NanokitError(f"{sample['ann_path']}: cannot decode the embedded image")
            return arr
        return read_array(sample["img_path"])

    def load_labels(self, sample: dict[str, Any], shape: tuple[int, int]) -> np.ndarray:
        ann = read_labelme(sample["ann_path"])
        return labelme_to_labels(ann, shape, self.label_names)

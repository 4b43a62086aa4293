"""Images in one folder, binary or instance-label masks in another."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NanokitError
from ..io.images import IMAGE_SUFFIXES
from ..registry import DATASETS
from ._io import read_array, to_label_image
from .base import BaseSegDataset, find_images
from .instance_targets import instances_from_components

#: How a mask folder's masks are read (see :class:`MaskFolderDataset`).
MASK_KINDS = ("auto", "binary", "instance", "components")


@DATASETS.register_module()
class MaskFolderDataset(BaseSegDataset):
    """``data_root/img_dir/<name>.<ext>`` with ``data_root/mask_dir/<name><mask_suffix>.<ext>``.

    Masks are PNG or TIFF: binary (0 and any one other value, e.g. 0/255) or instance labels
    (0 background, one id per particle, typically uint16). ``mask_kind="auto"`` treats a mask
    with more than one non-zero value as instances; ``"instance"`` and ``"binary"`` force it.
    ``"components"`` reads a binary mask whose particles are drawn apart (a background line
    between touching ones, as in masks "separated by 4-connectivity") and makes each
    4-connected component a particle: instance targets from binary masks.

    Args:
        img_dir: image folder under ``data_root``.
        mask_dir: mask folder under ``data_root``.
        mask_suffix: text after the image stem in a mask's name (``"_m"`` for ``x_m.tif``).
        mask_kind: ``"auto"``, ``"binary"``, ``"instance"`` or ``"components"``.
        **kwargs: :class:`BaseSegDataset` arguments (split, pipeline, databar, ...).
    """

    def __init__(
        self,
        data_root: str | Path,
        img_dir: str = "images",
        mask_dir: str = "masks",
        mask_suffix: str = "",
        mask_kind: str = "auto",
        **kwargs: Any,
    ) -> None:
        if mask_kind not in MASK_KINDS:
            raise NanokitError(
                f"mask_kind must be one of {', '.join(MASK_KINDS)}, got {mask_kind!r}"
            )
        self.img_dir, self.mask_dir, self.mask_suffix = img_dir, mask_dir, mask_suffix
        self.mask_kind = mask_kind
        super().__init__(data_root, **kwargs)

    @property
    def has_instances(self) -> bool:  # type: ignore[override]
        return self.mask_kind != "binary"

    def load_samples(self) -> list[dict[str, Any]]:
        root = Path(self.data_root)
        if not root.is_dir():
            raise NanokitError(
                f"data root not found: {root}; put images in {root / self.img_dir} and masks "
                f"named <image name>{self.mask_suffix}.png/.tif in {root / self.mask_dir}"
            )
        images = find_images(root / self.img_dir, "images")
        masks = {
            p.stem: p
            for p in (root / self.mask_dir).glob(f"*{self.mask_suffix}.*")
            if p.suffix.lower() in IMAGE_SUFFIXES
        }
        samples = []
        for img in images:
            mask = masks.get(img.stem + self.mask_suffix)
            if mask is None:
                raise NanokitError(
                    f"no mask for {img.name}: expected {root / self.mask_dir}/"
                    f"{img.stem}{self.mask_suffix}.png (or .tif)"
                )
            samples.append({"name": img.stem, "img_path": img, "mask_path": mask})
        return samples

    def load_labels(self, sample: dict[str, Any], shape: tuple[int, int]) -> np.ndarray:
        labels = self._check_shape(
            to_label_image(read_array(sample["mask_path"])), shape, sample["mask_path"]
        )
        if self.mask_kind == "binary":
            return (labels > 0).astype(np.int32)
        if self.mask_kind == "components":
            return instances_from_components(labels)
        return labels

    def get_instances(self, idx: int) -> np.ndarray | None:
        """Instance ids of sample ``idx``; None for binary masks (no per-particle truth)."""
        labels = super().get_instances(idx)
        if labels is None or (self.mask_kind == "auto" and len(np.unique(labels)) <= 2):
            return None
        return labels

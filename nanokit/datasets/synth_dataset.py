"""The folder that ``nanokit synth`` writes: images, instance masks and truth JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NanokitError
from ..registry import DATASETS
from .mask_folder_dataset import MaskFolderDataset


@DATASETS.register_module()
class SynthDataset(MaskFolderDataset):
    """``data_root/{images,masks,truth}/<id>.*`` from :func:`nanokit.synth.generate_dataset`.

    Masks are uint16 instance labels; the data bar rows come from each truth JSON
    (``databar.y0``), so the ``databar`` argument is only used where a file gives none.

    Args:
        **kwargs: :class:`BaseSegDataset` arguments (split, pipeline, ...).
    """

    def __init__(self, data_root: str | Path, **kwargs: Any) -> None:
        kwargs.setdefault("mask_kind", "instance")
        super().__init__(data_root, img_dir="images", mask_dir="masks", **kwargs)

    def load_samples(self) -> list[dict[str, Any]]:
        samples = super().load_samples()
        for sample in samples:
            truth = Path(self.data_root) / "truth" / f"{sample['name']}.json"
            if not truth.is_file():
                raise NanokitError(f"missing truth file {truth} (run `nanokit synth` again)")
            sample["truth_path"] = truth
        return samples

    def databar_y0(self, sample: dict[str, Any], image: np.ndarray) -> int | None:
        truth = json.loads(Path(sample["truth_path"]).read_text())
        bar = truth.get("databar")
        if bar:
            return int(bar["y0"])
        return super().databar_y0(sample, image)

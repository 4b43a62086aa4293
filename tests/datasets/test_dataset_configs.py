"""The real-data configs inherit the generic mask-folder loaders and keep their own settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from mmengine.config import Config

BASES = Path(__file__).resolve().parents[2] / "configs" / "_base_" / "datasets"
EXPECTED = {
    "bam_tio2": dict(mask_suffix="_m", mask_kind="binary", databar=56),
    "emps": dict(mask_kind="instance", databar=None),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_split_gets_the_data_set_specific_settings(name):
    cfg = Config.fromfile(BASES / f"{name}.py")
    for split in ("train", "val", "test"):
        dataset = cfg[f"{split}_dataloader"]["dataset"]
        assert dataset["type"] == "MaskFolderDataset"
        assert dataset["split"] == split
        assert tuple(dataset["split_ratios"]) == (0.6, 0.2, 0.2)
        assert {k: dataset[k] for k in EXPECTED[name]} == EXPECTED[name]
    assert "pipeline" in cfg.train_dataloader.dataset
    assert "pipeline" not in cfg.test_dataloader.dataset
    assert cfg.test_dataloader.sampler.shuffle is False

"""Data sets of a training/evaluation config: where they live and how they are built."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from mmengine.config import Config

from ..errors import NanokitError


def data_root(cfg: Config) -> Path:
    """The config's data root; synthetic configs default to ``<work_dir>/data``."""
    root = cfg.get("data_root")
    if root:
        return Path(root)
    if cfg.get("synth"):
        return Path(cfg.work_dir) / "data"
    raise NanokitError("the config sets no data_root (the folder with images/ and masks/)")


def prepare_data(cfg: Config) -> None:
    """Generate the synthetic data set of a config with ``synth=dict(n, seed[, crowded,
    textured, cubic, rods])`` if absent (shares of crowded scenes, of textured, cube-like and
    rod-like particles, :func:`nanokit.synth.generate_dataset`)."""
    synth = cfg.get("synth")
    root = data_root(cfg)
    if not synth or (root / "index.json").is_file():
        return
    from ..synth import generate_dataset

    generate_dataset(
        root,
        n=int(synth["n"]),
        seed=int(synth.get("seed", 0)),
        crowded=float(synth.get("crowded", 0.0)),
        textured=float(synth.get("textured", 0.0)),
        cubic=float(synth.get("cubic", 0.0)),
        rods=float(synth.get("rods", 0.0)),
    )


def loader_cfg(cfg: Config, key: str) -> dict[str, Any]:
    """``cfg[key]`` (e.g. ``train_dataloader``) as a plain dict with its dataset built."""
    if not cfg.get(key):
        raise NanokitError(f"the config has no {key}")
    loader = copy.deepcopy(cfg[key].to_dict() if hasattr(cfg[key], "to_dict") else dict(cfg[key]))
    loader["dataset"] = build_dataset(cfg, key)
    return loader


def build_dataset(cfg: Config, key: str) -> Any:
    """The dataset of ``cfg[key]``, its ``data_root`` defaulting to the config's."""
    from ..registry import DATASETS, build

    ds = copy.deepcopy(dict(cfg[key]["dataset"]))
    ds.setdefault("data_root", str(data_root(cfg)))
    return build(DATASETS, ds)

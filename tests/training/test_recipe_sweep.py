"""benchmarks/recipe_sweep.py: each variant is the shipped recipe with only its changes."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from nanokit.config import load_config

from ..benchmark_scripts import load_benchmark


@pytest.fixture(scope="module")
def sweep():
    return load_benchmark("recipe_sweep")


def _steps(cfg, kind: str) -> list:
    datasets = cfg.train_dataloader.dataset.datasets
    return [step for ds in datasets for step in ds.pipeline if step.type == kind]


def _written(sweep, name: str, tmp_path: Path):
    args = argparse.Namespace(
        workers=2, emps_train=tmp_path / "emps", set={"synth.n": 8}, work=tmp_path
    )
    return load_config(str(sweep.variant_config(name, args)))


def test_a_variant_changes_only_what_it_names(sweep, tmp_path: Path) -> None:
    recipe = _written(sweep, "recipe", tmp_path)
    strong = _written(sweep, "ep20_strong_wide", tmp_path)
    assert recipe.model == strong.model
    assert recipe.max_epochs == 12 and strong.max_epochs == 20
    assert all(step.gamma == sweep.STRONG["gamma"] for step in _steps(strong, "RandomDegrade"))
    assert all(
        dict(step) == dict(type="RandomDegrade", prob=0.3)
        for step in _steps(recipe, "RandomDegrade")
    )
    assert all(tuple(s.scale_range) == (0.25, 2.0) for s in _steps(strong, "RandomRescale"))
    emps = [d for d in strong.train_dataloader.dataset.datasets if d.type == "MaskFolderDataset"]
    assert emps[0].data_root == str(tmp_path / "emps")
    assert strong.data_root == recipe.data_root and strong.synth.n == 8
    assert recipe.synth.crowded == strong.synth.crowded == 0.5
    sparse = _written(sweep, "sparse", tmp_path)
    assert sparse.synth.crowded == 0.0 and sparse.data_root != strong.data_root
    assert strong.train_dataloader.num_workers == 2
    warmup = _written(sweep, "warmup", tmp_path)
    first, *rest = warmup.param_scheduler
    assert first.type == "LinearLR" and not first.by_epoch and first.end == 100
    assert rest == recipe.param_scheduler
    assert all(s.type != "LinearLR" for s in recipe.param_scheduler)
    textured = _written(sweep, "textured_warmup", tmp_path)
    assert textured.synth.textured == 0.4 and textured.synth.crowded == 0.5
    assert textured.data_root != recipe.data_root and "textured" not in recipe.synth
    assert textured.param_scheduler == warmup.param_scheduler


def test_every_variant_fits_the_recipe_cpu_budget(sweep) -> None:
    recipe = load_config(str(sweep.CONFIG))
    assert recipe.max_epochs <= 20
    assert all(v.get("max_epochs", recipe.max_epochs) <= 20 for v in sweep.VARIANTS.values())

"""Variants of the measure network's recipe, trained side by side (on one GPU, or one at a time
on a CPU).

Every variant is ``configs/measure/instance_boundary_effnet_lite0.py`` with a few settings
changed (seed, epochs, strength of the degradations, rescale range, crowded scenes, a warm-up
of the learning rate); each stays within the recipe's CPU budget (at most 20 epochs: under 2 h
on a 2-core CPU). The variants run at once, as separate ``nanokit run`` processes, on synthetic
sets made first (one per distinct synthetic setting: half of the recipe's synthetic images are
crowded scenes of touching and overlapping clumps, ``sparse`` has none). A variant still
running when ``--budget-s`` is spent is stopped and its last epoch kept.

Writes ``OUT/<variant>.safetensors`` (float16 weights: half the size; loading casts them back)
and ``OUT/sweep.jsonl`` (one line per variant: its changes, whether it finished, epochs done,
wall seconds, last loss, the end of its log). Evaluate a variant with
``benchmarks/measure.py real --segmenter
'{"type": "InstanceSegmenter", "checkpoint": "OUT/<variant>.safetensors"}'``.

    python3 benchmarks/recipe_sweep.py --out OUT --emps-train ../shared/data/segmentation/emps_train
    python3 benchmarks/recipe_sweep.py --out OUT --emps-train DIR --variants strong --workers 1
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "configs" / "measure" / "instance_boundary_effnet_lite0.py"
# Degradations strong enough for gamma 2 / 0.5 and heavy noise (the recipe: prob 0.3, gamma
# 0.7-1.5, contrast 0.5-1.5, noise sd up to 0.08, blur sigma up to 2).
STRONG = dict(
    prob=0.5, gamma=(0.45, 2.2), contrast=(0.4, 1.6), noise_std=(0.01, 0.1), blur_sigma=(0.5, 2.5)
)
VARIANTS: dict[str, dict[str, Any]] = {
    "recipe": {},
    "recipe_seed1": {"seed": 1},
    "ep20": {"max_epochs": 20},
    "strong": {"degrade": STRONG},
    "ep20_strong": {"max_epochs": 20, "degrade": STRONG},
    "ep20_strong_seed1": {"max_epochs": 20, "degrade": STRONG, "seed": 1},
    "ep20_strong_wide": {
        "max_epochs": 20,
        "degrade": STRONG,
        "scale_range": (0.25, 2.0),
    },
    "warmup": {"warmup_iters": 100},
    "textured": {"textured": 0.4},
    "textured_warmup": {"textured": 0.4, "warmup_iters": 100},
    "sparse": {"crowded": 0.0},
    "sparse_seed1": {"crowded": 0.0, "seed": 1},
}


def variant_config(name: str, args: argparse.Namespace) -> Path:
    """Write the config of variant ``name`` (the recipe with its changes) and return its path."""
    from nanokit.config import load_config

    change = VARIANTS[name]
    cfg = load_config(str(CONFIG))
    if "crowded" in change:
        cfg.synth.crowded = change["crowded"]
    if "textured" in change:
        cfg.synth.textured = change["textured"]
    cfg.randomness = dict(seed=change.get("seed", 42), deterministic=False)
    cfg.max_epochs = change.get("max_epochs", cfg.max_epochs)
    if "warmup_iters" in change:
        # linear warm-up from 1 % of the learning rate, beside the cosine schedule
        warmup = dict(
            type="LinearLR", start_factor=0.01, by_epoch=False, begin=0, end=change["warmup_iters"]
        )
        cfg.param_scheduler = [warmup, *cfg.param_scheduler]
    cfg.env_cfg = dict(cudnn_benchmark=True, dist_cfg=dict(backend="gloo"))
    cfg.default_hooks.logger.interval = 50
    loader = cfg.train_dataloader
    loader.num_workers = args.workers
    loader.persistent_workers = args.workers > 0
    for dataset in loader.dataset.datasets:
        if dataset.type == "MaskFolderDataset":
            dataset.data_root = str(args.emps_train)
        for step in dataset.pipeline:
            if step.type == "RandomDegrade":
                step.update(change.get("degrade", {}))
            if step.type == "RandomRescale" and "scale_range" in change:
                step.scale_range = change["scale_range"]
    cfg.merge_from_dict(args.set)
    # variants with the same synthetic setting share one set
    synth = cfg.synth
    name_of_set = f"synth_n{synth.n}_seed{synth.seed}_crowded{synth.get('crowded', 0.0)}"
    if synth.get("textured"):
        name_of_set += f"_textured{synth.textured}"
    cfg.data_root = str(args.work / name_of_set)
    path = args.work / name / "config.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    cfg.dump(str(path))
    return path


def half_weights(src: Path, dst: Path) -> None:
    """Copy safetensors ``src`` to ``dst`` with floating-point tensors in float16."""
    from safetensors.torch import save_file

    from nanokit.utils.checkpoint import read_state_dict

    state = read_state_dict(src)
    save_file({k: v.half() if v.is_floating_point() else v for k, v in state.items()}, str(dst))


def last_loss(work: Path) -> float | None:
    """The last logged training loss of a run in ``work`` (mmengine's scalars.json)."""
    logs = sorted(work.glob("*/vis_data/scalars.json"))
    if not logs:
        return None
    lines = [json.loads(x) for x in logs[-1].read_text().splitlines() if '"loss"' in x]
    return lines[-1]["loss"] if lines else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="results folder")
    parser.add_argument("--emps-train", type=Path, required=True, help="EMPS train split root")
    parser.add_argument("--work", type=Path, default=Path("work_dirs/recipe_sweep"))
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated names")
    parser.add_argument(
        "--budget-s",
        type=float,
        default=None,
        help="wall seconds for training (default: no limit; each variant runs to its end)",
    )
    parser.add_argument("--workers", type=int, default=2, help="loader workers per variant")
    parser.add_argument(
        "--set", nargs="*", default=[], help="KEY=VALUE overrides for every variant (smoke runs)"
    )
    args = parser.parse_args()
    from nanokit.cli.options import parse_cfg_options

    args.set = parse_cfg_options(tuple(args.set))
    names = [n for n in args.variants.split(",") if n]
    unknown = sorted(set(names) - set(VARIANTS))
    if unknown:
        sys.exit(f"unknown variants: {', '.join(unknown)}; known: {', '.join(VARIANTS)}")
    if not (args.emps_train / "images").is_dir():
        sys.exit(f"--emps-train: no images folder in {args.emps_train}")
    args.out.mkdir(parents=True, exist_ok=True)
    start = time.time()

    from nanokit.apis._seg_data import prepare_data
    from nanokit.config import load_config

    configs = {name: variant_config(name, args) for name in names}
    for config in configs.values():
        prepare_data(load_config(str(config)))  # made once per synthetic setting
    print(f"synthetic sets ready after {time.time() - start:.0f} s", flush=True)

    runs = {}
    for name, config in configs.items():
        log = (args.work / name / "run.log").open("w")
        cmd = [sys.executable, "-c", "from nanokit.cli.main import cli; cli()", "run", str(config)]
        cmd += ["--work-dir", str(args.work / name)]
        runs[name] = (subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT), time.time())
    deadline = start + args.budget_s if args.budget_s else float("inf")
    ended: dict[str, float] = {}
    while len(ended) < len(runs) and time.time() < deadline:
        for name, (proc, _) in runs.items():
            if name not in ended and proc.poll() is not None:
                ended[name] = time.time()
        time.sleep(2)
    with (args.out / "sweep.jsonl").open("w") as fh:
        for name, (proc, began) in runs.items():
            finished = name in ended
            if not finished:
                proc.kill()
                proc.wait()
            work = args.work / name
            saved = [int(p.stem.split("_")[1]) for p in work.glob("epoch_*.pth")]
            weights = work / "last.safetensors"
            if weights.is_file():
                half_weights(weights, args.out / f"{name}.safetensors")
            row = dict(
                variant=name,
                change=VARIANTS[name],
                finished=finished and proc.returncode == 0,
                epochs_done=max(saved, default=0),
                wall_s=round(ended.get(name, time.time()) - began, 1),
                last_loss=last_loss(work),
                log_tail=(work / "run.log").read_text()[-600:],
            )
            fh.write(json.dumps(row, default=str) + "\n")
            print(json.dumps({k: row[k] for k in ("variant", "finished", "epochs_done")}))
    print(f"done in {time.time() - start:.0f} s")


if __name__ == "__main__":
    main()

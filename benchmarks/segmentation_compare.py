"""Segmentation models compared on the fixed BAM TiO2 split under one equal, reduced CPU budget.

Each row trains one config of ``configs/bam_tio2/`` with the same overrides (epochs, crop, batch,
no backbone freezing, cross-entropy + Dice loss, Adam lr 1e-3), tests it on the 8 test images and records IoU/precision/recall/F1, the
parameter count and the wall-clock training time. Results go to ``OUT/results.json`` and a
Markdown table ``OUT/results.md``; every row's work dir keeps its log, curves and metrics.

    nice -n 10 .venv/bin/python benchmarks/segmentation_compare.py --epochs 6 --crop 256 --batch 4

Not part of CI: on a shared 2-core CPU a row takes minutes to tens of minutes.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from nanokit.inference.cpu import describe_cpu

#: row name -> config under configs/bam_tio2/, cheapest first so that a short session gets rows
ROWS = {
    "U-Net EfficientNet-Lite0 (ImageNet) + CRCRA": "unet_effnet_lite0_bam_tio2.py",
    "SegFormer MiT-B0": "segformer_mit_b0_bam_tio2.py",
    "paper (U-Net ResNet50 + CRCRA/CBAM)": "unet_resnet50_crcra_bam_tio2.py",
    "U-Net ResNet50, no CBAM (ablation)": "unet_resnet50_bam_tio2.py",
    "DeepLabv3+ ResNet50": "deeplabv3plus_resnet50_bam_tio2.py",
    "PSPNet ResNet50": "pspnet_resnet50_bam_tio2.py",
    "U-Net (plain encoder)": "unet_bam_tio2.py",
}


def overrides(epochs: int, crop: int, batch: int, seed: int) -> dict:
    """The equal budget applied to every row."""
    return {
        "randomness.seed": seed,
        "max_epochs": epochs,
        "freeze_backbone_epochs": 0,
        "checkpoint_interval": epochs,
        "crop_size": (crop, crop),
        "train_dataloader.batch_size": batch,
        "train_cfg.val_interval": epochs,
        # cross-entropy + Dice for every row: under a few dozen iterations cross-entropy alone
        # leaves most models predicting background everywhere
        "model.loss": [dict(type="CrossEntropyLoss"), dict(type="DiceLoss")],
        "optim_wrapper.optimizer.lr": 1e-3,  # the paper's 1e-4 barely moves in a few dozen steps
        "default_hooks.logger.interval": 4,
    }


def run_row(name: str, config: Path, out: Path, budget: dict) -> dict:
    """Train and test one config; returns its table row."""
    from nanokit.apis import evaluate, train
    from nanokit.apis._seg_data import build_dataset
    from nanokit.apis.run import resolve_config
    from nanokit.models.builder import build_model

    work = out / config.stem
    cfg = resolve_config(config, work_dir=str(work), overrides=budget)
    params = sum(p.numel() for p in build_model(cfg).parameters())
    start, start_cpu = time.perf_counter(), time.process_time()
    train.run_stage(cfg, quiet=True)
    train_s, train_cpu_s = time.perf_counter() - start, time.process_time() - start_cpu
    n_train = len(build_dataset(cfg, "train_dataloader"))
    iters = cfg.max_epochs * -(-n_train // cfg.train_dataloader.batch_size)
    result = evaluate.run_stage(cfg, quiet=True)
    m = result["metrics"]
    return {
        "model": name,
        "config": str(config),
        "IoU": m["IoU"],
        "Recall": m["Recall"],
        "Precision": m["Precision"],
        "F1": m["F1"],
        "params_M": params / 1e6,
        "train_min": train_s / 60,
        "train_cpu_min": train_cpu_s / 60,
        "epochs": cfg.max_epochs,
        "iters": iters,
        "checkpoint": result["checkpoint"],
    }


def table(rows: list[dict]) -> str:
    head = (
        "| model | IoU % | recall % | precision % | F1 % | params (M) | train wall (min) "
        "| train CPU (min) | epochs / iters |"
    )
    lines = [head, "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['model']} | {100 * r['IoU']:.2f} | {100 * r['Recall']:.2f} | "
            f"{100 * r['Precision']:.2f} | {100 * r['F1']:.2f} | {r['params_M']:.1f} | "
            f"{r['train_min']:.1f} | {r.get('train_cpu_min', float('nan')):.1f} | "
            f"{r['epochs']} / {r['iters']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--crop", type=int, default=256)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument(
        "--seed", type=int, default=42, help="training seed (the split stays fixed)"
    )
    parser.add_argument("--rows", default=None, help="comma-separated config stems (default: all)")
    parser.add_argument("--out", type=Path, default=Path("work_dirs/segmentation_compare"))
    args = parser.parse_args()
    print(f"# CPU: {describe_cpu()}", flush=True)

    configs = Path(__file__).resolve().parents[1] / "configs" / "bam_tio2"
    wanted = set(args.rows.split(",")) if args.rows else None
    budget = overrides(args.epochs, args.crop, args.batch, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    results_file = args.out / "results.json"
    rows = json.loads(results_file.read_text()) if results_file.is_file() else []
    done = {r["config"] for r in rows}
    for name, file in ROWS.items():
        config = configs / file
        if (wanted and config.stem not in wanted) or str(config) in done:
            continue
        print(f"== {name}: {config.name}", flush=True)
        rows.append(run_row(name, config, args.out, budget))
        results_file.write_text(json.dumps(rows, indent=1))
        (args.out / "results.md").write_text(table(rows))
        print(table(rows[-1:]), flush=True)
    print(table(rows))


if __name__ == "__main__":
    main()

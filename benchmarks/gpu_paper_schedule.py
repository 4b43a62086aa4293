"""The paper's schedule on one GPU: its model against the no-CBAM ablation on the BAM TiO2 split.

Rows in priority order: paper model and ablation with the first seed, then both with the next
seed, and so on. Every row trains with the configs' own schedule (100 epochs, backbone frozen for
50, Adam lr 1e-4 with cosine decay, cross-entropy, 512x512 crops, batch 2) and tests on the 8 test
images; only the seed, the data root, the loader workers, cuDNN autotuning and the validation
interval are set here. A short probe run first times a frozen and an unfrozen epoch, a validation
and the test stage; if the full schedule of the first two rows does not fit ``--budget-s``, every
row gets the same shorter schedule (a multiple of 10 epochs, backbone frozen for the first half).
A row starts only when its estimate fits the time left.

Writes ``OUT/results.jsonl`` (one line per row as soon as it ends), ``OUT/results.md`` and keeps
the work dirs (checkpoints, logs) under ``--work``, away from OUT.

    python3 benchmarks/gpu_paper_schedule.py --out $OUT --data-root .gpudata/bam_tio2_sem \
        --budget-s 480 --require-cuda
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from segmentation_compare import ROWS, run_row  # noqa: E402

from nanokit.inference.cpu import describe_cpu

CONFIGS = Path(__file__).resolve().parents[1] / "configs" / "bam_tio2"
PAIR = ("unet_resnet50_crcra_bam_tio2", "unet_resnet50_bam_tio2")
NAMES = {Path(file).stem: name for name, file in ROWS.items()}
SAFETY = 1.15  # estimates are multiplied by this before they are compared with the time left


def settings(args: argparse.Namespace, seed: int, epochs: int | None = None) -> dict:
    """Overrides of one row: the configs' schedule, with ``epochs`` (frozen for half) if given."""
    loader = dict(num_workers=args.workers, persistent_workers=args.workers > 0)
    ov = {
        "randomness.seed": seed,
        "train_cfg.val_interval": args.val_interval,
        "env_cfg.cudnn_benchmark": True,
        "train_dataloader.num_workers": loader["num_workers"],
        "train_dataloader.persistent_workers": loader["persistent_workers"],
        "val_dataloader.num_workers": min(2, args.workers),
        "val_dataloader.persistent_workers": loader["persistent_workers"],
        "default_hooks.logger.interval": 50,
    }
    if args.data_root:
        ov["data_root"] = str(args.data_root)
    if args.crop:
        ov["crop_size"] = (args.crop, args.crop)
    if epochs is not None:
        ov.update(max_epochs=epochs, freeze_backbone_epochs=epochs // 2)
    return ov


def probe(args: argparse.Namespace, seed: int) -> dict:
    """Time a frozen and an unfrozen epoch, one validation and the test stage (4 epochs run).

    Every probe epoch saves a checkpoint (``epoch_N.pth``) and the end of training rewrites
    ``curves.json``; their file times split the run.
    """
    ov = settings(args, seed, epochs=4)
    ov.update(checkpoint_interval=1)
    ov["train_cfg.val_interval"] = 4
    work = args.work / "probe" / PAIR[0]
    start = time.time()
    row = run_row("probe", CONFIGS / f"{PAIR[0]}.py", work.parent, ov)

    def saved(name: str) -> float:
        return (work / name).stat().st_mtime

    epochs = [saved(f"epoch_{i}.pth") for i in range(1, 5)]
    frozen, unfrozen = epochs[1] - epochs[0], epochs[3] - epochs[2]
    end_train = saved("curves.json")  # rewritten when training ends
    return {
        "frozen_epoch_s": frozen,
        "unfrozen_epoch_s": unfrozen,
        "val_s": end_train - epochs[3],  # validation, saving the best, the last export
        "startup_s": max(epochs[0] - start - frozen, 0.0),
        "test_s": time.time() - end_train,
        "row": row,
    }


def estimate(p: dict, epochs: int, val_interval: int) -> float:
    """Seconds one row of ``epochs`` epochs (frozen for half) takes, train and test."""
    train = p["startup_s"] + epochs / 2 * (p["frozen_epoch_s"] + p["unfrozen_epoch_s"])
    return train + math.ceil(epochs / val_interval) * p["val_s"] + p["test_s"]


def choose_epochs(p: dict, full: int, left: float, val_interval: int) -> int:
    """The full schedule if two rows fit in ``left`` seconds, else the longest that does."""
    for epochs in sorted({full, *range(10, full + 1, 10)}, reverse=True):
        if 2 * SAFETY * estimate(p, epochs, val_interval) <= left:
            return epochs
    return 10


def table(rows: list[dict]) -> str:
    lines = [
        "| model | seed | epochs (frozen) / iters | IoU % | precision % | recall % | F1 % "
        "| train s | test s | GPU mem GiB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r['seed']} | {r['epochs']} ({r['frozen_epochs']}) / {r['iters']} "
            f"| {100 * r['IoU']:.2f} | {100 * r['Precision']:.2f} | {100 * r['Recall']:.2f} "
            f"| {100 * r['F1']:.2f} | {r['train_s']:.0f} | {r['test_s']:.0f} | {r['gpu_mem_gib']:.1f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="results folder (small files)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/gpu_paper_schedule"))
    parser.add_argument("--data-root", type=Path, default=None, help="default: the config's")
    parser.add_argument("--seeds", default="42,43", help="comma-separated training seeds")
    parser.add_argument("--budget-s", type=float, default=480, help="wall seconds for everything")
    parser.add_argument("--epochs", type=int, default=None, help="force a schedule (no probe)")
    parser.add_argument("--val-interval", type=int, default=5, help="epochs between validations")
    parser.add_argument("--workers", type=int, default=8, help="training loader workers")
    parser.add_argument("--crop", type=int, default=None, help="crop side (default: config's)")
    parser.add_argument("--require-cuda", action="store_true", help="stop if there is no GPU")
    args = parser.parse_args()
    print(f"# CPU: {describe_cpu()}", flush=True)
    start = time.perf_counter()

    import torch

    cuda = torch.cuda.is_available()
    device = torch.cuda.get_device_name(0) if cuda else "cpu"
    print(f"torch {torch.__version__}, device: {device}", flush=True)
    if args.require_cuda and not cuda:
        sys.exit("no CUDA device")
    args.out.mkdir(parents=True, exist_ok=True)
    seeds = [int(s) for s in args.seeds.split(",")]

    def left() -> float:
        return args.budget_s - (time.perf_counter() - start)

    p = None
    epochs = args.epochs
    if epochs is None:
        try:
            p = probe(args, seeds[0])
        except OSError as exc:  # a file the timing needs is missing: rows without estimates
            print(f"probe timing failed ({exc}); full schedule, no estimates", flush=True)
    if p is not None:
        summary = {k: round(v, 2) for k, v in p.items() if k != "row"}
        print(f"probe: {json.dumps(summary)}", flush=True)
        (args.out / "probe.json").write_text(json.dumps({**summary, "device": device}, indent=1))
        epochs = choose_epochs(p, 100, left(), args.val_interval)
        print(
            f"schedule: {epochs} epochs, frozen {epochs // 2}; one row ~"
            f"{estimate(p, epochs, args.val_interval):.0f} s; {left():.0f} s left",
            flush=True,
        )

    rows: list[dict] = []
    for seed in seeds:
        for stem in PAIR:
            if p is not None and SAFETY * estimate(p, epochs, args.val_interval) > left():
                print(f"skip {stem} seed {seed}: {left():.0f} s left", flush=True)
                continue
            if cuda:
                torch.cuda.reset_peak_memory_stats()
            t0 = time.perf_counter()
            ov = settings(args, seed, epochs)
            row = run_row(NAMES[stem], CONFIGS / f"{stem}.py", args.work / f"seed{seed}", ov)
            wall = time.perf_counter() - t0
            curves = args.work / f"seed{seed}" / stem / "curves.json"
            row.update(
                seed=seed,
                frozen_epochs=ov.get("freeze_backbone_epochs", row["epochs"] // 2),
                train_s=row["train_min"] * 60,
                test_s=wall - row["train_min"] * 60,
                device=device,
                gpu_mem_gib=torch.cuda.max_memory_allocated() / 2**30 if cuda else 0.0,
                curves=json.loads(curves.read_text()) if curves.is_file() else None,
            )
            rows.append(row)
            with open(args.out / "results.jsonl", "a") as fh:
                fh.write(json.dumps(row) + "\n")
            (args.out / "results.md").write_text(f"device: {device}\n\n" + table(rows))
            print(table(rows[-1:]).splitlines()[-1], f"(row wall {wall:.0f} s)", flush=True)
    print(table(rows), flush=True)
    print(f"total {time.perf_counter() - start:.0f} s", flush=True)


if __name__ == "__main__":
    main()

"""Side-by-side CPU inference: eager fp32, channels-last, bf16, ONNX Runtime fp32 and int8.

Usage (from the repository root; be nice to other jobs on a shared machine):

    nice -n 10 .venv/bin/python benchmarks/inference.py
    nice -n 10 .venv/bin/python benchmarks/inference.py --models unet_effnet_lite0 --images 2

For each model config (default: the light EfficientNet-Lite0 U-Net, then the paper's ResNet50
CRCRA U-Net) at 1024 x 768 this
1. generates the quickstart config's synthetic data set once (nanokit.synth, 60 images) and
   takes its test split (9 labelled images) for timing and accuracy and a few images of its
   validation split for int8 calibration;
2. builds the model with trained weights when it finds some that fit (``--checkpoint NAME=PATH``
   or the newest fitting file under work_dirs/), else the config's initial weights;
3. counts the FLOPs of one forward (torch.utils.flop_counter) and exports ONNX fp32 and static
   int8 (QDQ, per-channel);
4. runs every variant in its own process (clean peak RSS): one warm-up image, then one image per
   call through ``nanokit.inference.segment_image``, timing wall and process CPU time;
5. prints a Markdown table per model and one for all: median ms/image, speed-up versus eager
   fp32, GFLOP/s, share of this machine's fp32 matmul rate (the best of measurements at the
   start and after each model), peak RSS, IoU of the particle class against the
   synthetic truth, its change versus eager fp32 (same images), the pixel agreement with
   eager fp32 and the mean absolute difference of the particle probability from eager fp32.
   Where the CPU has no native bf16, bf16 is emulated and many times slower, so it runs on one
   image only (marked in the table).

Without trained weights the IoU against the truth means nothing, and so does the pixel agreement
(an untrained network's two logits are nearly equal, so rounding flips whole images); the
probability difference from eager fp32 is then the accuracy proxy, and the table says so. Results also go to WORK_DIR/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

from nanokit.inference.cpu import describe_cpu, has_int8_dot, has_native_bf16

REPO = Path(__file__).resolve().parents[1]
CONFIGS = REPO / "configs" / "models"
DEFAULT_MODELS = ("unet_effnet_lite0", "unet_resnet50_crcra")
#: variant -> backend settings; eager_fp32 is the reference of every ratio.
VARIANTS: dict[str, dict] = {
    "eager_fp32": {"kind": "torch", "channels_last": False, "bf16": False},
    "channels_last": {"kind": "torch", "channels_last": True, "bf16": False},
    "bf16": {"kind": "torch", "channels_last": True, "bf16": True},
    "onnx_fp32": {"kind": "onnx", "precision": "fp32"},
    "onnx_int8": {"kind": "onnx", "precision": "int8"},
}

#: the variant that runs what ``measure.inference='auto'`` chooses.
AUTO_VARIANTS = {
    "torch-bf16": "bf16",
    "onnx-int8": "onnx_int8",
    "onnx-fp32": "onnx_fp32",
    "torch-fp32": "channels_last",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--models",
        nargs="+",
        default=list(DEFAULT_MODELS),
        help="config names under configs/models or config paths",
    )
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument(
        "--images", type=int, default=9, help="timed + scored test images per variant (<= 9)"
    )
    parser.add_argument("--calib", type=int, default=4, help="int8 calibration images")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--checkpoint",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="trained weights for a model config (repeatable)",
    )
    parser.add_argument("--work-dir", type=Path, default=REPO / "work_dirs" / "bench_inference")
    parser.add_argument(
        "--reuse-exports",
        action="store_true",
        help="keep ONNX files of an earlier run made from the same weights",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        run_worker(json.loads(args.worker))
        return

    import torch

    torch.set_num_threads(args.threads)
    work = args.work_dir
    data = make_data(work / "data", args.images, args.calib)
    height, width = np.load(data / "eval.npz")["images"].shape[1:]
    matmul = matmul_gflops()
    print(
        f"# CPU: {describe_cpu()}; native bf16: {_yes(has_native_bf16())}, int8 dot (VNNI): "
        f"{_yes(has_int8_dot())}; {args.threads} threads, torch {torch.__version__}, "
        f"fp32 matmul {matmul:.0f} GFLOP/s; {args.images} images {width}x{height} per "
        f"variant after 1 warm-up; load average {_load()}",
        flush=True,
    )
    checkpoints = dict(item.split("=", 1) for item in args.checkpoint)
    results = []
    for name in args.models:
        config = Path(name) if name.endswith(".py") else CONFIGS / f"{name}.py"
        results.append(bench_model(config, checkpoints, data, args, (height, width)))
        (work / "results.json").write_text(json.dumps(results, indent=1))
        # other jobs slow a single measurement down: keep the best rate seen so far
        matmul = max(matmul, matmul_gflops())
        print_table(results[-1:], matmul)
    if len(results) > 1:
        print_table(results, matmul)
    print(f"# fp32 matmul reference {matmul:.0f} GFLOP/s; load average at the end: {_load()}")


def bench_model(config: Path, checkpoints: dict, data: Path, args, hw: tuple[int, int]) -> dict:
    """Export, then run every variant of one model config in its own process."""
    from nanokit import build_model
    from nanokit.inference.export import export_onnx, load_calibration_images, quantize_int8
    from nanokit.utils.checkpoint import load_weights, save_weights

    out = args.work_dir / config.stem
    out.mkdir(parents=True, exist_ok=True)
    model = build_model(config)
    checkpoint = checkpoints.get(config.stem) or find_checkpoint(model)
    if checkpoint:
        load_weights(model, checkpoint)
    weights = checkpoint or str(save_weights(model, out / "initial.safetensors"))
    flops = count_flops(model, *hw)
    params = sum(p.numel() for p in model.parameters()) / 1e6
    print(
        f"## {config.stem}: {params:.1f} M parameters, {flops / 1e9:.0f} GFLOP per image, "
        f"weights: {checkpoint or 'initial (untrained)'}",
        flush=True,
    )
    fp32, int8, stamp = out / "model_fp32.onnx", out / "model_int8.onnx", out / "weights.txt"
    source = f"{checkpoint or 'initial'} calib={args.calib}"
    reuse = args.reuse_exports and int8.is_file() and stamp.is_file()
    if reuse and stamp.read_text() == source:
        print("#   reusing the ONNX exports of an earlier run", flush=True)
    else:
        start = time.perf_counter()
        export_onnx(model, fp32)
        exported = time.perf_counter()
        calib = load_calibration_images(data / "calib", n=args.calib)
        quantize_int8(fp32, int8, calib)
        stamp.write_text(source)
        print(
            f"#   export {exported - start:.0f} s, int8 calibration on {len(calib)} crops "
            f"{time.perf_counter() - exported:.0f} s",
            flush=True,
        )
    del model
    truth = np.load(data / "eval.npz")["truth"]
    rows = {}
    for variant in args.variants:
        spec = dict(
            VARIANTS[variant],
            variant=variant,
            config=str(config),
            checkpoint=checkpoint,
            onnx=str(int8 if VARIANTS[variant].get("precision") == "int8" else fp32),
            data=str(data / "eval.npz"),
            threads=args.threads,
            labels=str(out / f"labels_{variant}.npy"),
        )
        row = run_variant(spec)
        if row.get("error"):
            print(f"#   {variant}: FAILED {row['error']}", flush=True)
        else:
            labels = np.load(spec["labels"])
            row.update(scores(labels, truth[: len(labels)]))
            print(
                f"#   {variant}: {row['median_ms']:.0f} ms/image, {row['rss_mb']:.0f} MB, "
                f"{row['describe']}",
                flush=True,
            )
        rows[variant] = row
    reference = rows.get("eager_fp32", {})
    if reference.get("labels"):
        ref_labels = np.load(reference["labels"])
        for row in rows.values():
            if not row.get("error"):
                labels = np.load(row["labels"])
                row["agree_fp32"] = float((labels == ref_labels[: len(labels)]).mean())
                ref_probs = np.load(probs_path(reference["labels"]))[: len(labels)]
                diff = np.abs(np.load(probs_path(row["labels"])).astype(np.float32) - ref_probs)
                row["prob_diff_fp32"] = float(diff.mean())
                row["iou_ref"] = scores(ref_labels[: len(labels)], truth[: len(labels)])["iou"]
    return {
        "model": config.stem,
        "params_m": params,
        "gflop": flops / 1e9,
        "checkpoint": checkpoint,
        "variants": rows,
        "auto": auto_choice(config, weights, int8, rows),
    }


def auto_choice(config: Path, weights: str, int8: Path, rows: dict) -> dict:
    """What ``measure.inference='auto'`` chooses for the model on this CPU, decided afresh.

    The int8 export counts as registered (as ``nanokit export --int8`` does it) when it agreed
    with eager fp32 on as many pixels as ``nanokit export`` requires.
    """
    from nanokit.apis.export import INT8_MIN_AGREEMENT
    from nanokit.inference.select import choose_auto, register_int8

    cache = int8.parent / "auto"
    shutil.rmtree(cache, ignore_errors=True)
    if rows.get("onnx_int8", {}).get("agree_fp32", 0.0) >= INT8_MIN_AGREEMENT:
        register_int8(config, weights, int8, cache)
    start = time.perf_counter()
    choice = choose_auto(config, weights, cache).to_json()
    choice["decide_s"] = time.perf_counter() - start
    print(f"#   auto: {choice}", flush=True)
    return choice


def run_variant(spec: dict) -> dict:
    """Run one variant in a fresh interpreter; its JSON result, or {"error": ...}."""
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", json.dumps(spec)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": tail}
    return json.loads(lines[-1])


def run_worker(spec: dict) -> None:
    """Worker process: build the backend, time segment_image per image, save the label maps."""
    from nanokit.inference import build_backend, segment_image

    if spec["kind"] == "torch":
        from nanokit import build_model

        model = build_model(spec["config"], checkpoint=spec["checkpoint"])
        backend = build_backend(
            "torch",
            model,
            channels_last=spec["channels_last"],
            bf16=spec["bf16"],
            threads=spec["threads"],
        )
    else:
        backend = build_backend("onnx", spec["onnx"], threads=spec["threads"])
    images = np.load(spec["data"])["images"]
    if getattr(backend, "bf16", False) and not has_native_bf16():
        images = images[:1]  # emulated bf16 is many times slower: one image is enough to see it
    tile = max(images.shape[1:])  # whole image in one pass
    segment_image(backend, images[0], tile=tile)
    wall, cpu, probs = [], [], []
    for image in images:
        start, start_cpu = time.perf_counter(), time.process_time()
        probs.append(segment_image(backend, image, tile=tile, output="prob")[1])
        wall.append(1000 * (time.perf_counter() - start))
        cpu.append(1000 * (time.process_time() - start_cpu))
    np.save(spec["labels"], (np.stack(probs) > 0.5).astype(np.uint8))
    np.save(probs_path(spec["labels"]), np.stack(probs).astype(np.float16))
    print(
        json.dumps(
            {
                "wall_ms": wall,
                "cpu_ms": cpu,
                "median_ms": statistics.median(wall),
                "median_cpu_ms": statistics.median(cpu),
                "rss_mb": peak_rss_mb(),
                "describe": backend.describe(),
                "notes": backend.notes,
                "labels": spec["labels"],
                "n_images": len(images),
            }
        )
    )


def probs_path(labels_path: str) -> str:
    """Where a worker saves the particle probabilities next to its label maps."""
    return labels_path.replace("labels_", "probs_")


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB (VmHWM; unlike ru_maxrss, reset by exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def make_data(folder: Path, n_eval: int, n_calib: int) -> Path:
    """eval.npz (images, particle truth): the first ``n_eval`` images of the quickstart config's
    synthetic test split; calib/: ``n_calib`` images of its validation split. The data set
    (60 images of 1024 x 768 px) is generated into ``folder`` once and reused."""
    import cv2

    from nanokit.apis._seg_data import build_dataset, prepare_data
    from nanokit.config import load_config

    cfg = load_config(REPO / "configs" / "quickstart.py")
    cfg.work_dir = str(folder)  # data_root defaults to <work_dir>/data
    prepare_data(cfg)
    test = build_dataset(cfg, "test_dataloader").samples[:n_eval]
    val = build_dataset(cfg, "val_dataloader").samples[:n_calib]
    eval_file = folder / "eval.npz"
    names = [s["name"] for s in test]
    cached = np.load(eval_file) if eval_file.is_file() else {}
    if "names" not in cached or list(cached["names"]) != names:
        read = [
            cv2.imread(str(s[k]), cv2.IMREAD_UNCHANGED)
            for s in test
            for k in ("img_path", "mask_path")
        ]
        np.savez_compressed(
            eval_file,
            names=np.array(names),
            images=np.stack(read[0::2]),
            truth=np.stack([mask > 0 for mask in read[1::2]]),
        )
    calib = folder / "calib"
    shutil.rmtree(calib, ignore_errors=True)
    calib.mkdir()
    for sample in val:
        shutil.copy(sample["img_path"], calib / Path(sample["img_path"]).name)
    return folder


def find_checkpoint(model) -> str | None:
    """Newest weights file under work_dirs/ that loads strictly into ``model``, if any."""
    from nanokit.errors import NanokitError
    from nanokit.utils.checkpoint import read_state_dict

    names = set(model.state_dict())
    files = [
        p for pattern in ("*.safetensors", "*.pth") for p in (REPO / "work_dirs").rglob(pattern)
    ]
    for path in sorted(files, key=lambda p: p.stat().st_mtime, reverse=True)[:20]:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # mmengine checkpoints: weights_only=False
                state = read_state_dict(path)
        except (NanokitError, OSError, RuntimeError):
            continue
        if set(state) == names and all(
            state[k].shape == v.shape for k, v in model.state_dict().items()
        ):
            return str(path)
    return None


def count_flops(model, height: int, width: int) -> float:
    """FLOPs of one forward of a 1 x 3 x H x W image (a multiply-add counts 2)."""
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    counter = FlopCounterMode(display=False)
    with torch.inference_mode(), counter:
        model.eval()(torch.rand(1, 3, height, width))
    return float(counter.get_total_flops())


def matmul_gflops(n: int = 2048, reps: int = 5) -> float:
    """Best fp32 matmul rate of this machine in GFLOP/s (n x n by n x n)."""
    import torch

    a, b = torch.rand(n, n), torch.rand(n, n)
    torch.mm(a, b)
    best = min(_timed(lambda: torch.mm(a, b)) for _ in range(reps))
    return 2 * n**3 / best / 1e9


def scores(labels: np.ndarray, truth: np.ndarray) -> dict:
    """IoU (%) of the particle class against the truth, pooled over images."""
    pred = labels == 1
    union = np.logical_or(pred, truth).sum()
    return {"iou": float(100 * np.logical_and(pred, truth).sum() / union) if union else 0.0}


def print_table(results: list[dict], matmul: float) -> None:
    """One Markdown table over all models and variants."""
    print(
        "\n| model | variant | ms/image | x eager fp32 | CPU ms/image | GFLOP/s | % of matmul "
        "| peak RSS MB | IoU % | dIoU pts | agree fp32 % | mean abs dp fp32 |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        rows = result["variants"]
        ref = rows.get("eager_fp32", {})
        for variant, row in rows.items():
            if row.get("error"):
                print(f"| {result['model']} | {variant} | failed: {row['error'][:60]} |||||||||||")
                continue
            seconds = row["median_ms"] / 1000
            speed = ref["median_ms"] / row["median_ms"] if ref.get("median_ms") else float("nan")
            rate = result["gflop"] / seconds
            label = variant if row.get("n_images", 0) != 1 else f"{variant} (1 image)"
            diou = row["iou"] - row["iou_ref"] if "iou_ref" in row else float("nan")
            print(
                f"| {result['model']} | {label} | {row['median_ms']:.0f} | {speed:.2f} "
                f"| {row['median_cpu_ms']:.0f} | {rate:.0f} | {100 * rate / matmul:.0f} | {row['rss_mb']:.0f} "
                f"| {row['iou']:.2f} | {diou:+.2f} | {100 * row.get('agree_fp32', float('nan')):.2f} "
                f"| {row.get('prob_diff_fp32', float('nan')):.4f} |"
            )
        if not result["checkpoint"]:
            print(
                f"| {result['model']} | untrained weights: IoU vs truth is meaningless, "
                "'mean abs dp fp32' is the accuracy proxy |||||||||||"
            )
    for result in results:
        auto = result["auto"]
        row = result["variants"].get(AUTO_VARIANTS[auto["backend"]], {})
        ref = result["variants"].get("eager_fp32", {})
        speed = ref.get("median_ms", float("nan")) / row.get("median_ms", float("nan"))
        check = (
            f"{100 * auto['mask_agreement']:.2f} % of pixels as fp32, mean size "
            f"{100 * auto['mean_size_change']:+.2f} % on the calibration image"
            if auto["mask_agreement"] is not None
            else "fp32"
        )
        print(
            f"# auto for {result['model']}: {auto['backend']} ({check}; decided in "
            f"{auto['decide_s']:.0f} s) = {AUTO_VARIANTS[auto['backend']]}, {speed:.2f}x eager fp32"
            + "".join(f"; {note}" for note in auto["notes"])
        )
    notes = {n for r in results for row in r["variants"].values() for n in row.get("notes", [])}
    for note in sorted(notes):
        print(f"# note: {note}")


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()

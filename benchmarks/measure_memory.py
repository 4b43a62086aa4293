"""Is the memory of ``measure`` flat over many images? Resident memory sampled while it runs.

Usage (from the repository root; be nice to other jobs on a shared machine):

    nice -n 10 .venv/bin/python benchmarks/measure_memory.py
    nice -n 10 .venv/bin/python benchmarks/measure_memory.py --paths network \\
        --config configs/quickstart.py --checkpoint work_dirs/quickstart/best.safetensors

Makes ``--n`` small grey micrographs (random crops of ``nanokit.synth`` images, flipped at
random, so every image differs) and runs ``nanokit.apis.measure.measure`` over them in this
process, one worker, writing every output (masks, overlays, per-image histograms, CSVs, and
the report at the end). The settings' calibration hook (a fixed scale, no OCR) also samples
the resident memory (VmRSS of /proc/self/status) and the number of live Python objects every
``--every`` images. Paths: ``classical`` (the default segmenter) and ``network`` (a trained
model from ``--config``/``--checkpoint`` through the backend that ``measure.inference`` picks,
ONNX Runtime by default). A leak shows as RSS growing between the first sample after warm-up
and the last; the table prints both and the growth per 1,000 images.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import time
from pathlib import Path

import numpy as np

from nanokit.inference.cpu import describe_cpu

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="images per path")
    parser.add_argument("--size", type=int, default=256, help="image side, px")
    parser.add_argument("--every", type=int, default=100, help="images between samples")
    parser.add_argument(
        "--paths", nargs="+", default=["classical"], choices=["classical", "network"]
    )
    parser.add_argument("--config", default=str(REPO / "configs" / "quickstart.py"))
    parser.add_argument("--checkpoint", help="trained weights (or .onnx) for the network path")
    parser.add_argument("--work-dir", type=Path, default=REPO / "work_dirs" / "measure_memory")
    args = parser.parse_args()
    print(f"# CPU: {describe_cpu()}", flush=True)
    if "network" in args.paths and not args.checkpoint:
        parser.error("the network path needs --checkpoint")
    images = make_images(args.work_dir / f"images_{args.size}", args.n, args.size)
    print(f"# {args.n} images {args.size}x{args.size} px, one worker; load average {_load()}")
    for path in args.paths:
        curve, seconds = run_path(path, images, args)
        print_curve(path, curve, seconds, args.n)


def make_images(folder: Path, n: int, size: int) -> Path:
    """``n`` PNGs of size x size px cut from synthetic micrographs (reused when present)."""
    import cv2

    from nanokit.synth import make_sample

    folder.mkdir(parents=True, exist_ok=True)
    if len(list(folder.glob("*.png"))) == n:
        return folder
    per_sample = 20
    rng = np.random.default_rng(0)
    for start in range(0, n, per_sample):
        grey = make_sample(start, width=640, height=480)[0]
        for i in range(start, min(n, start + per_sample)):
            top = rng.integers(0, grey.shape[0] - 160 - size)  # above the data bar
            left = rng.integers(0, grey.shape[1] - size)
            crop = grey[top : top + size, left : left + size]
            crop = crop[:, ::-1] if rng.random() < 0.5 else crop
            cv2.imwrite(str(folder / f"img_{i:04d}.png"), np.ascontiguousarray(crop))
    return folder


class Sampler:
    """The calibration hook of MeasureSettings: a fixed scale, and a memory sample every
    ``every`` images (before the image is processed)."""

    def __init__(self, every: int) -> None:
        self.every = every
        self.count = 0
        self.curve: list[tuple[int, float, int]] = []

    def __call__(self, path, image=None, **options):
        from nanokit.apis.scalebar import calibrate_image

        if self.count % self.every == 0:
            self.curve.append((self.count, rss_mb(), len(gc.get_objects())))
            print(f"#   {self.count} images: {self.curve[-1][1]:.0f} MB", flush=True)
        self.count += 1
        return calibrate_image(path, image, **options)


def run_path(path: str, images: Path, args) -> tuple[list[tuple[int, float, int]], float]:
    """Run measure over ``images`` on one path; the (images done, RSS MB, objects) curve."""
    import shutil

    from nanokit.apis.measure import make_settings, measure

    out = args.work_dir / f"out_{path}"
    shutil.rmtree(out, ignore_errors=True)  # a resumed run would skip every image
    if path == "network":
        settings = make_settings(args.config, args.checkpoint, scale=2.0, scalebar="off")
    else:
        settings = make_settings(scale=2.0, scalebar="off")
    sampler = Sampler(args.every)
    settings = dataclasses.replace(settings, calibrate=sampler)
    start = time.perf_counter()
    measure([images], out, quiet=True, settings=settings)
    seconds = time.perf_counter() - start
    gc.collect()
    return [*sampler.curve, (sampler.count, rss_mb(), len(gc.get_objects()))], seconds


def print_curve(path: str, curve: list[tuple[int, float, int]], seconds: float, n: int) -> None:
    """Markdown table of the samples and the growth after the first ``every`` images."""
    print(f"\n## {path}: {n} images in {seconds:.0f} s ({1000 * seconds / n:.0f} ms/image)")
    print("| images done | RSS MB | Python objects |")
    print("|---:|---:|---:|")
    for count, rss, objects in curve:
        label = f"{count} (after report)" if count == curve[-1][0] else str(count)
        print(f"| {label} | {rss:.0f} | {objects} |")
    if len(curve) >= 3:
        (n0, rss0, obj0), (n1, rss1, obj1) = curve[1], curve[-2]
        per_k = 1000 / max(1, n1 - n0)
        print(
            f"# growth from image {n0} to {n1}: {rss1 - rss0:+.1f} MB RSS "
            f"({(rss1 - rss0) * per_k:+.1f} MB per 1,000 images), {obj1 - obj0:+d} objects"
        )


def rss_mb() -> float:
    """Resident memory of this process in MB (VmRSS)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()

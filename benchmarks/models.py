"""Parameter count and CPU forward time of every model config.

Usage (from the repository root; slow on a small CPU, so be nice to other jobs):

    nice -n 10 .venv/bin/python benchmarks/models.py --runs 2 --warmup 1

Prints a Markdown table: config, parameters (millions), the median wall time of
``model(images)`` for one 1 x 3 x 768 x 1024 image under ``torch.inference_mode`` and the median
CPU time of this process during the call (all threads; less sensitive to other jobs on a shared
machine than the wall time). The load average before and after is printed too.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

import torch

from nanokit import build_model
from nanokit.inference.cpu import describe_cpu

CONFIGS = Path(__file__).resolve().parents[1] / "configs" / "models"


def bench(
    config: Path, height: int, width: int, warmup: int, runs: int
) -> tuple[float, float, float]:
    """(parameters in millions, median wall s, median CPU s) of one forward of one config."""
    model = build_model(config).eval()
    params = sum(p.numel() for p in model.parameters()) / 1e6
    images = torch.rand(1, 3, height, width, generator=torch.Generator().manual_seed(0))
    wall, cpu = [], []
    with torch.inference_mode():
        for i in range(warmup + runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            model(images)
            if i >= warmup:
                wall.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
    return params, statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("configs", nargs="*", type=Path, help="default: configs/models/*.py")
    parser.add_argument("--height", type=int, default=768)
    parser.add_argument("--width", type=int, default=1024)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"# CPU: {describe_cpu()}", flush=True)
    configs = args.configs or sorted(CONFIGS.glob("*.py"))
    print(
        f"# {platform.processor() or platform.machine()}, {torch.get_num_threads()} torch threads, "
        f"torch {torch.__version__}; input 1 x 3 x {args.height} x {args.width}; "
        f"median of {args.runs} runs after {args.warmup} warm-up; load average {_load()}"
    )
    print("| config | params (M) | forward wall (s) | forward CPU (s) |")
    print("|---|---:|---:|---:|")
    for config in configs:
        params, wall, cpu = bench(config, args.height, args.width, args.warmup, args.runs)
        print(f"| {config.stem} | {params:.2f} | {wall:.2f} | {cpu:.2f} |", flush=True)
    print(f"# load average at the end: {_load()}")


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()

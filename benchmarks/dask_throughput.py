"""Throughput of ``nanokit measure`` on the local backend and on 1, 2, ... dask workers.

Usage (from the repository root; be nice to other jobs on a shared machine):

    nice -n 10 .venv/bin/python benchmarks/dask_throughput.py --n 16 --workers 1,2

Makes ``--n`` synthetic micrographs (1024 x 768, ``nanokit.synth``) and measures them with the
classical segmenter and a manual scale (no OCR): once in this process (local backend, one
worker) and once per ``--workers`` value on a LocalCluster of that many single-threaded worker
processes (the one ``--backend dask --workers N`` starts). Each cluster is started and warmed up (imports, first image) before the clock
starts, so the timings are the steady state that a long batch sees; the start-up time is
printed apart. Prints a Markdown table: images per second (wall clock, pooled report
included), the ratio to one dask worker, and the CPU seconds per image of the workers (less
sensitive to other jobs than the wall clock). The load average before and after is printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from distributed import Client

from nanokit.apis.measure import make_settings, measure
from nanokit.distributed.dask_backend import local_cluster
from nanokit.inference.cpu import describe_cpu
from nanokit.synth import generate_dataset

SCALE = 2.0  # nm per px


def _cpu_seconds() -> float:
    """CPU time of the calling process (run on each worker)."""
    return time.process_time()


def timed_run(images: Path, out: Path, **kwargs: object) -> float:
    """Wall seconds of one ``measure`` run into a fresh ``out``."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    measure([images], out, settings=make_settings(scale=SCALE), quiet=True, **kwargs)
    return time.perf_counter() - start


def bench_dask(images: Path, warm: Path, scratch: Path, workers: int) -> tuple[float, float, float]:
    """(start-up s, run s, worker CPU s) on a LocalCluster of ``workers`` processes."""
    start = time.perf_counter()
    with local_cluster(workers) as cluster, Client(cluster) as client:
        address = cluster.scheduler_address
        timed_run(warm, scratch / "warm", backend="dask", scheduler=address)
        startup = time.perf_counter() - start
        cpu0 = sum(client.run(_cpu_seconds).values())
        seconds = timed_run(images, scratch / f"dask{workers}", backend="dask", scheduler=address)
        cpu = sum(client.run(_cpu_seconds).values()) - cpu0
    return startup, seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=16, help="synthetic images to measure")
    parser.add_argument("--workers", default="1,2", help="dask worker counts, comma-separated")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"# CPU: {describe_cpu()}", flush=True)
    counts = [int(w) for w in args.workers.split(",")]

    print(f"load average before: {os.getloadavg()}, CPUs: {os.cpu_count()}")
    with tempfile.TemporaryDirectory(prefix="nanokit-dask-bench-") as tmp:
        scratch = Path(tmp)
        images = generate_dataset(scratch / "data", n=args.n, seed=args.seed)[0].parent
        warm = scratch / "warm"
        warm.mkdir()
        for path in sorted(images.iterdir())[: max(counts)]:  # one image per worker
            shutil.copy(path, warm / path.name)

        timed_run(warm, scratch / "warm_local")
        cpu0 = time.process_time()
        local = timed_run(images, scratch / "local")
        rows = [("local", 1, "-", local, time.process_time() - cpu0)]
        for workers in counts:
            startup, seconds, cpu = bench_dask(images, warm, scratch, workers)
            rows.append(("dask", workers, f"{startup:.1f}", seconds, cpu))

    base = next((r[3] for r in rows if r[0] == "dask" and r[1] == 1), None)
    print(f"\n{args.n} images of 1024 x 768, classical segmenter, manual scale\n")
    print("| backend | workers | start-up s | run s | images/s | vs 1 dask worker | CPU s/image |")
    print("|---|---|---|---|---|---|---|")
    for backend, workers, startup, seconds, cpu in rows:
        ratio = f"{base / seconds:.2f}" if base else "-"
        print(
            f"| {backend} | {workers} | {startup} | {seconds:.1f} | {args.n / seconds:.3f} "
            f"| {ratio} | {cpu / args.n:.2f} |"
        )
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()

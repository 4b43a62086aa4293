"""An out-of-process OCR engine's costs: worker start-up and milliseconds per label.

    .venv/bin/python benchmarks/ocr_worker.py [--engine paddleocr] [--labels 40] [--starts 3]

Start-up: process start, the engine's imports, model load and handshake, ``--starts`` times.
Per label: the round trip of one ``engine.read`` on a rendered label crop (crop encoding, the
pipe, recognition, the answer), median over ``--labels`` labels after one warm-up read, and how
many of them were read right. Wall times and CPU times (the worker's, read from /proc, plus this
process's: on a shared machine the CPU times are the comparable figures). Prints the CPU.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from nanokit.inference.cpu import describe_cpu
from nanokit.ocr import build_engine
from nanokit.ocr.units import parse_scale_label
from nanokit.synth import render_label


def worker_cpu_s(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


TEXTS = ("200 nm", "50 nm", "1.5 µm", "2,5 µm", "100 nm", "500 µm", "10 nm", "2 mm")


def main() -> None:
    """Print start-up seconds, ms per label and labels read right."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", default="paddleocr")
    parser.add_argument("--labels", type=int, default=40)
    parser.add_argument("--starts", type=int, default=3)
    args = parser.parse_args()
    print(f"CPU: {describe_cpu()}")
    starts = []
    for _ in range(args.starts):
        engine = build_engine(args.engine)
        begin, cpu = time.perf_counter(), time.process_time()
        engine.read(render_label("1 nm", 24, "white"))  # starts the worker
        wall = time.perf_counter() - begin
        starts.append((wall, worker_cpu_s(engine.worker.pid) + time.process_time() - cpu))
        engine.close()
    walls = ", ".join(f"{w:.1f}" for w, _ in starts)
    cpus = ", ".join(f"{c:.1f}" for _, c in starts)
    print(f"{args.engine}: start-up (first read) {walls} s wall, {cpus} s CPU")
    engine = build_engine(args.engine)
    engine.read(render_label("1 nm", 24, "white"))
    pid = engine.worker.pid
    times, right = [], 0
    cpu = worker_cpu_s(pid) + time.process_time()
    for i in range(args.labels):
        text = TEXTS[i % len(TEXTS)]
        crop = render_label(text, 20 + 4 * (i % 5), ("white", "black")[i % 2])
        begin = time.perf_counter()
        result = engine.read(crop)
        times.append(1000 * (time.perf_counter() - begin))
        got, want = parse_scale_label(result.text), parse_scale_label(text)
        right += got is not None and (got.value, got.unit) == (want.value, want.unit)
    cpu_ms = 1000 * (worker_cpu_s(pid) + time.process_time() - cpu) / args.labels
    engine.close()
    print(
        f"{args.engine}: {statistics.median(times):.1f} ms/label wall (median of {args.labels}), "
        f"{cpu_ms:.1f} ms/label CPU (worker + this process), {right}/{args.labels} read right"
    )


if __name__ == "__main__":
    main()

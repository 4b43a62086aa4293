"""An out-of-process OCR engine's costs: worker start-up and milliseconds per label.

    .venv/bin/python benchmarks/ocr_worker.py [--engine paddleocr] [--labels 40] [--starts 3]

Start-up: process start, the engine's imports, model load and handshake, ``--starts`` times.
Per label: the round trip of one ``engine.read`` on a rendered label crop (crop encoding, the
pipe, recognition, the answer), median over ``--labels`` labels after one warm-up read, and how
many of them were read right. Prints the CPU.
"""

from __future__ import annotations

import argparse
import statistics
import time

from nanokit.inference.cpu import describe_cpu
from nanokit.ocr import build_engine
from nanokit.ocr.units import parse_scale_label
from nanokit.synth import render_label

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
        begin = time.perf_counter()
        engine.read(render_label("1 nm", 24, "white"))  # starts the worker
        starts.append(time.perf_counter() - begin)
        engine.close()
    print(f"{args.engine}: start-up (first read) {', '.join(f'{s:.1f}' for s in starts)} s")
    engine = build_engine(args.engine)
    engine.read(render_label("1 nm", 24, "white"))
    times, right = [], 0
    for i in range(args.labels):
        text = TEXTS[i % len(TEXTS)]
        crop = render_label(text, 20 + 4 * (i % 5), ("white", "black")[i % 2])
        begin = time.perf_counter()
        result = engine.read(crop)
        times.append(1000 * (time.perf_counter() - begin))
        got, want = parse_scale_label(result.text), parse_scale_label(text)
        right += got is not None and (got.value, got.unit) == (want.value, want.unit)
    engine.close()
    print(
        f"{args.engine}: {statistics.median(times):.1f} ms/label (median of {args.labels}, "
        f"worker overhead included), {right}/{args.labels} read right"
    )


if __name__ == "__main__":
    main()

"""Stress sweep of the bar measurement: bars drawn in code, blurred, measured and settled.

    .venv/bin/python benchmarks/scalebar_sweep.py [-v]

Three sweeps (no OCR; the true length is known exactly):

- ``plain``: bars 3-12 px thick, 40-300 px long, Gaussian blur sigma 0.5-4 px;
- ``ticked``: Zeiss-like lines with 1-3-px end ticks sticking out 1, 3 or 8 px, tick-centre
  span 30-300 px, sigma 0-3 px;
- ``short``: plain bars 1-7 px thick and 20-50 px long whose ends cover a fraction of a column
  (drawn 4 x larger and shrunk), sigma 0.3-2 px (journal crops of instrument data bars).

Per sweep: bars found, accepted (length uncertain by at most the detector's
``MAX_BAR_UNCERTAINTY``) and accepted but more than 1 % off (silently wrong). ``-v`` lists
those.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import cv2
import numpy as np

from nanokit.inference.cpu import describe_cpu
from nanokit.scalebar.bar_finder import find_bars
from nanokit.scalebar.detectors.paper_scalebar_detector import MAX_BAR_UNCERTAINTY

#: One case: a description, the image and the true calibrated length, px.
Case = tuple[str, np.ndarray, float]


def _ground(seed: int, level: int, noise: float, shape: tuple[int, int]) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.normal(level, noise, shape).clip(0, 255).astype(np.uint8)


def _blur(img: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(img, (0, 0), sigma) if sigma > 0 else img


def plain_cases() -> Iterator[Case]:
    """Plain bars, integer ends, heavily blurred."""
    for seed in range(2):
        for sigma in np.arange(0.5, 4.01, 0.25):
            for thick in (3, 6, 12):
                for length in (40, 80, 160, 300):
                    img = _ground(seed, 60, 4, (200, 500))
                    img[100 : 100 + thick, 100 : 100 + length] = 250
                    yield (
                        f"s{seed} sigma {sigma:.2f} thick {thick} L {length}",
                        _blur(img, sigma),
                        float(length),
                    )


def ticked_cases() -> Iterator[Case]:
    """Zeiss-like ticked lines; the truth is the tick-centre span."""
    for seed in range(2):
        for sigma in np.arange(0.0, 3.01, 0.25):
            for tick in (1, 2, 3):
                for length in (30, 60, 150, 300):
                    for out in (8, 3, 1):
                        img = _ground(seed, 40, 3, (200, 500))
                        x0, x1 = 100, 100 + length + tick - 1
                        img[100:102, x0 : x1 + 1] = 245
                        img[100 - out : 102 + out, x0 : x0 + tick] = 245
                        img[100 - out : 102 + out, x1 - tick + 1 : x1 + 1] = 245
                        name = f"s{seed} sigma {sigma:.2f} tick {tick} L {length} out {out}"
                        yield name, _blur(img, sigma), float(length)


def short_cases() -> Iterator[Case]:
    """Short plain bars with partly covered end columns (drawn 4 x larger, then shrunk)."""
    for seed in range(2):
        for sigma in np.arange(0.3, 2.01, 0.1):
            for thick in (1, 3, 7):
                for length in (20, 25, 32, 39, 50):
                    for phase in (0, 1, 2, 3):
                        big = np.full((400, 800), 40, np.uint8)
                        x0 = 400 + phase
                        big[200 : 200 + 4 * thick, x0 : x0 + 4 * length + phase] = 250
                        small = cv2.resize(big, (200, 100), interpolation=cv2.INTER_AREA)
                        noise = np.random.default_rng(seed).normal(0, 3, small.shape)
                        img = np.clip(small + noise, 0, 255).astype(np.uint8)
                        name = f"s{seed} sigma {sigma:.1f} thick {thick} L {length} +{phase}/4"
                        yield name, _blur(img, float(sigma)), length + phase / 4


def run(name: str, cases: Iterator[Case], verbose: bool) -> None:
    """Measure every case and print the summary of the sweep."""
    found = accepted = wrong = 0
    for case, img, truth in cases:
        bars = find_bars(img)
        if not bars:
            continue
        found += 1
        bar = bars[0]
        if bar.uncertainty > MAX_BAR_UNCERTAINTY * bar.length:
            continue  # refused: the detector gives ok=false
        accepted += 1
        if abs(bar.length / truth - 1) > 0.01:
            wrong += 1
            if verbose:
                print(f"  wrong {case}: {bar.length:.2f} px ± {bar.uncertainty:.2f}")
    print(f"{name:8s} found {found:4d}  accepted {accepted:4d}  accepted but > 1 % off {wrong:3d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", action="store_true", help="list the silently wrong cases")
    args = parser.parse_args()
    print(f"# CPU: {describe_cpu()}", flush=True)
    run("plain", plain_cases(), args.v)
    run("ticked", ticked_cases(), args.v)
    run("short", short_cases(), args.v)


if __name__ == "__main__":
    main()

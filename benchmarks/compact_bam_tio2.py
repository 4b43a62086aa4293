"""Copy the BAM TiO2 set as lossless PNGs (about half the size of its raw TIFFs).

For taking the set where ``../shared`` does not travel (e.g. a GPU machine), in the layout that
``configs/_base_/datasets/bam_tio2.py`` reads: ``OUT/images/<name>.png``, ``OUT/masks/<name>_m.png``.
Every file is read back and compared pixel by pixel with its source.

    .venv/bin/python benchmarks/compact_bam_tio2.py --out .gpudata/bam_tio2_sem
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np

from nanokit.io.images import read_array

SOURCE = Path(__file__).resolve().parents[2] / "shared/data/segmentation/bam_tio2_sem"


def compact(src: Path, out: Path) -> int:
    """Write every TIFF of ``src/images`` and ``src/masks`` as PNG under ``out``; returns bytes."""
    total = 0
    for sub in ("images", "masks"):
        (out / sub).mkdir(parents=True, exist_ok=True)
        for path in sorted((src / sub).glob("*.tif")):
            data = read_array(path)
            if data.ndim != 2:
                raise SystemExit(f"{path}: expected a single-channel image, got {data.shape}")
            dst = out / sub / f"{path.stem}.png"
            cv2.imwrite(str(dst), data, [cv2.IMWRITE_PNG_COMPRESSION, 9])
            if not np.array_equal(read_array(dst), data):
                raise SystemExit(f"{dst}: pixels differ from {path}")
            total += dst.stat().st_size
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=Path(".gpudata/bam_tio2_sem"))
    args = parser.parse_args()
    size = compact(args.src, args.out)
    print(f"{args.out}: {size / 2**20:.1f} MiB, same pixels as {args.src}")


if __name__ == "__main__":
    main()

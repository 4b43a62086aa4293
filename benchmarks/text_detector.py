"""The printed-text search with the int8 text detector against fp32: the same text, how fast.

    .venv/bin/python benchmarks/text_detector.py [--every-train 6] [--data ../shared/data]

Runs :class:`nanokit.ocr.text_boxes.TextFinder` both ways on the real images of the shared sets
(the 50 scale-bar images, the EMPS test sample, BAM TiO2 and every Nth EMPS train image), in the
rows ``measure`` measures (above a data bar), one thread. Prints each image whose kept boxes
differ (a box of one without a box of the other at IoU > 0.5, with the fp32 recogniser's
reading), the totals and the seconds per image. The int8 detector is made first if it is not
in the cache (about 20 s).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from nanokit.calibration.databar import find_databar
from nanokit.inference.cpu import describe_cpu
from nanokit.io import read_image
from nanokit.ocr.text_boxes import TextFinder
from nanokit.ocr.text_detector import int8_detector
from nanokit.segmentation.overlays import Box
from nanokit.sizing.frame import valid_rows

REPO = Path(__file__).resolve().parents[1]


def _iou(a: Box, b: Box) -> float:
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - w * h
    return w * h / union if union > 0 else 0.0


def _unmatched(boxes: list[Box], others: list[Box]) -> list[Box]:
    return [box for box in boxes if not any(_iou(box, other) > 0.5 for other in others)]


def _images(data: Path, every_train: int) -> list[Path]:
    segmentation = data / "segmentation"
    return [
        *sorted((data / "scalebars" / "images").glob("*")),
        *sorted((segmentation / "emps" / "images").glob("*.png")),
        *sorted((segmentation / "bam_tio2_sem" / "images").glob("*.tif")),
        *sorted((segmentation / "emps_train" / "images").glob("*.png"))[::every_train],
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--every-train", type=int, default=6, help="every Nth EMPS train image")
    args = parser.parse_args()
    if args.every_train < 1:
        parser.error("--every-train must be 1 or more")
    paths = _images(args.data, args.every_train)
    if not paths:
        parser.error(f"no images of the shared sets under {args.data}")
    print(f"# CPU: {describe_cpu()}", flush=True)
    int8_detector()
    finders = {"fp32": TextFinder(int8=False), "int8": TextFinder(int8=True)}
    seconds = {name: 0.0 for name in finders}
    kept = {name: 0 for name in finders}
    lost = gained = images = 0
    for path in paths:
        grey = read_image(path).grey
        rows = valid_rows(grey.shape[0], find_databar(grey))
        found = {}
        for name, finder in finders.items():
            start = time.perf_counter()
            found[name] = finder.boxes(grey, rows)
            seconds[name] += time.perf_counter() - start
            kept[name] += len(found[name])
        images += 1
        only_fp32 = _unmatched(found["fp32"], found["int8"])
        only_int8 = _unmatched(found["int8"], found["fp32"])
        lost, gained = lost + len(only_fp32), gained + len(only_int8)
        if only_fp32 or only_int8:
            read = finders["fp32"].read
            print(
                f"{path.name}: only fp32 {[read(grey, b)[0] for b in only_fp32]}, "
                f"only int8 {[read(grey, b)[0] for b in only_int8]}"
            )
    print(
        f"\n{images} images: text boxes kept fp32 {kept['fp32']}, int8 {kept['int8']} "
        f"({lost} of fp32's without an int8 match, {gained} of int8's without an fp32 match); "
        f"text search {seconds['fp32'] / images:.3f} s per image in fp32, "
        f"{seconds['int8'] / images:.3f} s in int8"
    )


if __name__ == "__main__":
    main()

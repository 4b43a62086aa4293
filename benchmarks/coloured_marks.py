"""Coloured arrows, circles and panel letters drawn over real micrographs: what they do to sizes.

    .venv/bin/python benchmarks/coloured_marks.py [--n 20] [--data ../shared/data/segmentation]

Draws three arrows, a circle and a panel letter "(a)" in red, yellow or green (anti-aliased,
2 px, as figure software draws them) on the first N images of the EMPS test sample, and runs
``nanokit measure`` (manual scale 1, default segmenter) on the images as they are, on the
marked ones as nanokit reads them (coloured marks filled in from around them before
segmenting) and on the marked ones turned to luminance grey first (as before). Prints, per
image and in total, the particle count and mean size of each against the unmarked image.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
from pathlib import Path

import cv2
import numpy as np

from nanokit.apis.measure import measure
from nanokit.inference.cpu import describe_cpu
from nanokit.io.images import colour_to_grey

REPO = Path(__file__).resolve().parents[1]
#: BGR colours of the marks.
COLOURS = ((0, 0, 255), (0, 255, 255), (0, 255, 0))


def draw_marks(grey: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(H, W, 3) BGR ``grey`` with arrows, a circle and "(a)" drawn in one colour."""
    height, width = grey.shape
    bgr = np.dstack([grey, grey, grey])
    colour = COLOURS[int(rng.integers(len(COLOURS)))]
    for _ in range(3):
        x, y = int(rng.integers(40, width - 40)), int(rng.integers(40, height - 40))
        cv2.arrowedLine(bgr, (x - 30, y - 30), (x, y), colour, 2, cv2.LINE_AA, tipLength=0.4)
    x, y = int(rng.integers(60, width - 60)), int(rng.integers(60, height - 60))
    cv2.circle(bgr, (x, y), 25, colour, 2, cv2.LINE_AA)
    cv2.putText(bgr, "(a)", (10, 35), cv2.FONT_HERSHEY_SIMPLEX, 1.0, colour, 2, cv2.LINE_AA)
    return bgr


def _measured(folder: Path, out: Path) -> dict[str, tuple[int, float]]:
    measure([folder], out, scale=1.0, workers=2, quiet=True)
    with (out / "images.csv").open(newline="") as fh:
        return {
            r["image"]: (int(r["n_particles"]), float(r["mean_d_nm"] or "nan"))
            for r in csv.DictReader(fh)
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared/data/segmentation")
    args = parser.parse_args()
    print(f"# CPU: {describe_cpu()}", flush=True)
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folders = {name: root / name for name in ("plain", "marked", "luminance")}
        for folder in folders.values():
            folder.mkdir()
        for path in sorted((args.data / "emps" / "images").glob("*.png"))[: args.n]:
            grey = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
            marked = draw_marks(grey, rng)
            cv2.imwrite(str(folders["plain"] / path.name), grey)
            cv2.imwrite(str(folders["marked"] / path.name), marked)
            luminance = colour_to_grey(marked[..., ::-1], set_off_marks=False)[0]
            cv2.imwrite(str(folders["luminance"] / path.name), luminance)
        results = {
            name: _measured(folder, root / f"{name}_out") for name, folder in folders.items()
        }
    print("| image | plain: n, mean px | marked, filled in | marked, luminance |")
    print("|---|---|---|---|")
    changes: dict[str, list[float]] = {"marked": [], "luminance": []}
    for image, (n, mean) in results["plain"].items():
        cells = [f"{n}, {mean:.1f}"]
        for name in changes:
            n_other, mean_other = results[name][image]
            changes[name].append(abs(mean_other / mean - 1))
            cells.append(f"{n_other}, {mean_other:.1f}")
        print(f"| {image} | {' | '.join(cells)} |")
    for name, values in changes.items():
        within = sum(v <= 0.01 for v in values)
        print(
            f"== {name}: mean size within 1 % of the plain image's on {within}/{len(values)}, "
            f"mean |change| {100 * float(np.nanmean(values)):.1f} %"
        )


if __name__ == "__main__":
    main()

"""Scale-bar reading accuracy and speed on the real images of shared/data and on synthetic ones.

    .venv/bin/python benchmarks/scalebar.py [--real DIR] [--resized F,...] [--coloured C,...]
        [--outlined W,...] [--panels] [--degraded] [--jpeg Q] [--synth N] [--seed0 S]
        [--synth-enlarged F] [--engine NAME] [--only SUBSTR]

Prints one line per image (OK = nm/px within 1 %, BAD = ok but wrong: silently wrong,
FAIL = reported failure) and a summary per set: within 1 %, failures, silently wrong, ms per
image (median wall time after the OCR model is loaded, and CPU time summed over threads).
The real truth is ``scalebars/truth.csv``; ``--resized`` adds each real image scaled by each
factor (reduced: smaller text and bars, as in journal figures; enlarged: as instruments draw
them at higher resolutions; the true nm/px divided by the factor);
``--coloured`` adds the real journal overlays (``vendor_style`` ``*overlay*``) that the reader
reads, with their bar and label redrawn in each colour (``yellow,red,green,cyan,orange,blue``
or ``all``, as journal figures draw them; the marks are located by the reading of the grey
image, then the coloured image is read afresh); ``--outlined`` adds the same overlays with
their bar and label outlined in the other ink, each width in px (a stroke journal figures add);
``--panels`` adds figures of two panels: the real images in pairs, side by side and one above
the other (a 10 px white gutter), and the second at half size as an inset in the first, where
a figure of two pixel sizes must be refused (no one pixel size fits it) and a reading of either
is silently wrong; ``--degraded`` adds the real images under each degradation of
``benchmarks/measure.py degraded`` (JPEG, noise, gamma, inversion, blur, halved contrast,
uneven light, white and black margins, two panels); ``--jpeg Q`` stores every image as a JPEG
file of quality Q (colour at half resolution, as most encoders store it) and reads it back as
``nanokit`` reads files;
synthetic truth comes from ``nanokit.synth.make_sample`` (styles in turn, seeds S..S+N-1),
enlarged by ``--synth-enlarged`` (bicubic).
"""

from __future__ import annotations

import argparse
import csv
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from nanokit.inference.cpu import describe_cpu
from nanokit.io.images import read_image
from nanokit.ocr import build_engine
from nanokit.ocr.units import NM_PER_UNIT
from nanokit.scalebar.reader import read_scalebar

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "scalebars"
TOLERANCE = 0.01


def real_samples(folder: Path) -> Iterator[tuple[str, np.ndarray, float]]:
    """(name, grey image, true nm/px) for every row of truth.csv."""
    with (folder / "truth.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            nm = float(row["value"]) * NM_PER_UNIT[row["unit"]]
            grey = read_image(folder / "images" / row["image"]).grey
            yield row["image"], grey, nm / float(row["bar_px"])


def resized_samples(folder: Path, factors: list[float]) -> Iterator[tuple[str, np.ndarray, float]]:
    """The real samples scaled by each factor, truth divided by it: reduced by area, enlarged
    by bicubic interpolation (smooth edges, as an instrument's own rendering at a higher
    resolution has, where block copies would reduce back to the image itself)."""
    for name, grey, truth in real_samples(folder):
        for f in factors:
            scaled = _rescaled(grey, f)
            yield f"{name}@{f:g}", scaled, truth * grey.shape[1] / scaled.shape[1]


def _rescaled(grey: np.ndarray, factor: float) -> np.ndarray:
    """``grey`` scaled by ``factor``, each side rounded to whole px: reduced by area, enlarged
    by bicubic interpolation."""
    import cv2

    size = (round(grey.shape[1] * factor), round(grey.shape[0] * factor))
    how = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    return cv2.resize(grey, size, interpolation=how)


def _overlay_marks(
    folder: Path, engine
) -> Iterator[tuple[str, np.ndarray, float, tuple[int, int, int, int], str]]:
    """(name, grey, true nm/px, box around bar and label, polarity) of the real journal
    overlays (``vendor_style`` ``*overlay*``) the reader reads: the label from its reading,
    the bar from truth.csv."""
    with (folder / "truth.csv").open(newline="") as fh:
        rows = {row["image"]: row for row in csv.DictReader(fh)}
    for name, grey, truth in real_samples(folder):
        row = rows[name]
        if "overlay" not in row["vendor_style"]:
            continue  # instruments draw their data bars in white or black
        rec = read_scalebar(grey, engine, name=name)
        if not rec.ok or rec.label_bbox is None:
            continue
        bar = [int(row[k]) for k in ("bar_x0", "bar_y0", "bar_x1", "bar_y1")]
        label, pad = rec.label_bbox, 4
        box = (
            min(label[0], bar[0]) - pad,
            min(label[1], bar[1]) - pad,
            max(label[2], bar[2]) + pad + 1,
            max(label[3], bar[3]) + pad + 1,
        )
        yield name, grey, truth, box, row["bar_polarity"]


def coloured_samples(
    folder: Path, colours: list[str], engine
) -> Iterator[tuple[str, np.ndarray, float]]:
    """The real journal overlays the reader reads, their bar and label drawn in each colour."""
    from nanokit.synth.coloured_marks import MARK_COLOURS, recolour_marks

    for name, grey, truth, box, polarity in _overlay_marks(folder, engine):
        for colour in colours:
            yield (
                f"{colour}:{name}",
                recolour_marks(grey, box, polarity, MARK_COLOURS[colour]),
                truth,
            )


def outlined_samples(
    folder: Path, widths: list[int], engine
) -> Iterator[tuple[str, np.ndarray, float]]:
    """The real journal overlays the reader reads, their bar and label outlined."""
    from nanokit.synth.outlined_marks import outline_marks

    for name, grey, truth, box, polarity in _overlay_marks(folder, engine):
        for width in widths:
            yield f"outline{width}:{name}", outline_marks(grey, box, polarity, width), truth


def panel_samples(folder: Path) -> Iterator[tuple[str, np.ndarray, float | None]]:
    """The real samples in consecutive pairs, side by side (``a+b``) and one above the other
    (``a/b``) with a 10 px white gutter, and ``b`` at half size as an inset in the top right
    corner of ``a`` (``a^b``, a 3 px white frame); truth None where the pixel sizes differ by
    more than :data:`TOLERANCE` (the inset's is twice ``b``'s)."""
    import cv2

    samples = real_samples(folder)
    for (name_a, a, truth_a), (name_b, b, truth_b) in zip(samples, samples, strict=False):
        truth = truth_a if abs(truth_a / truth_b - 1) <= TOLERANCE else None
        height, width = max(a.shape[0], b.shape[0]), max(a.shape[1], b.shape[1])
        wide = [np.pad(x, ((0, height - x.shape[0]), (0, 10)), constant_values=255) for x in (a, b)]
        tall = [np.pad(x, ((0, 10), (0, width - x.shape[1])), constant_values=255) for x in (a, b)]
        yield f"{name_a}+{name_b}", np.hstack(wide), truth
        yield f"{name_a}/{name_b}", np.vstack(tall), truth
        half = cv2.resize(b, (b.shape[1] // 2, b.shape[0] // 2), interpolation=cv2.INTER_AREA)
        inset = np.pad(half, 3, constant_values=255)
        if inset.shape[0] <= a.shape[0] and inset.shape[1] <= a.shape[1]:
            figure = a.copy()
            figure[: inset.shape[0], a.shape[1] - inset.shape[1] :] = inset
            same = abs(truth_a / (truth_b * b.shape[1] / half.shape[1]) - 1) <= TOLERANCE
            yield f"{name_a}^{name_b}", figure, truth_a if same else None


def degraded_samples(
    folder: Path,
) -> Iterator[tuple[str, Iterator[tuple[str, np.ndarray, float]]]]:
    """(label, samples) of the real samples under each of ``benchmarks/measure.py``'s
    degradations (JPEG, noise, gamma, inversion, blur, halved contrast, uneven light,
    margins, two panels)."""
    from measure import DEGRADATIONS

    for label, transform in DEGRADATIONS.items():
        yield label, ((name, transform(grey, None)[0], t) for name, grey, t in real_samples(folder))


def as_jpeg(
    samples: Iterator[tuple[str, np.ndarray, float | None]], quality: int
) -> Iterator[tuple[str, np.ndarray, float | None]]:
    """``samples`` stored as JPEG files of ``quality`` and read back as ``nanokit`` reads
    files (:func:`~nanokit.io.images.read_image`)."""
    import tempfile

    import cv2

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "image.jpg"
        for name, image, truth in samples:
            bgr = image[..., ::-1] if image.ndim == 3 else image
            cv2.imwrite(str(path), bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
            yield name, read_image(path).grey, truth


def synth_samples(
    n: int, seed0: int = 0, enlarge: float = 1.0
) -> Iterator[tuple[str, np.ndarray, float]]:
    """(name, image, true nm/px) of ``n`` synthetic images from ``seed0`` on, styles in turn,
    enlarged by ``enlarge`` (bicubic)."""
    from nanokit.synth import STYLES, make_sample

    for seed in range(seed0, seed0 + n):
        style = STYLES[seed % len(STYLES)]
        image, _, truth = make_sample(seed, style=style)
        bar = truth["scalebar"]
        scaled = _rescaled(image, enlarge) if enlarge != 1.0 else image
        yield (
            f"synth_{seed}_{style}",
            scaled,
            bar["value_nm"] / bar["bar_px"] * image.shape[1] / scaled.shape[1],
        )


def run(
    name: str, samples: Iterator[tuple[str, np.ndarray, float | None]], engine, only: str
) -> None:
    """Read every sample, print per-image lines and the summary of the set (truth None: no
    pixel size fits the image, a refusal is right)."""
    good = bad = failed = refused = 0
    times: list[float] = []
    cpu: list[float] = []
    for image, grey, truth in samples:
        if only and only not in image:
            continue
        start, start_cpu = time.perf_counter(), time.process_time()
        rec = read_scalebar(grey, engine, name=image)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        if not rec.ok:
            failed += truth is not None
            refused += truth is None
            tag = "FAIL" if truth is not None else "OK  "
            print(f"{tag} {image[:44]:44s} {1000 * times[-1]:6.0f} ms  {rec.error}")
            continue
        if truth is None:
            bad += 1
            print(f"BAD  {image[:44]:44s} read {rec.nm_per_px:.4g} nm/px: fits one part only")
            continue
        err = rec.nm_per_px / truth - 1
        within = abs(err) <= TOLERANCE
        good += within
        bad += not within
        print(
            f"{'OK  ' if within else 'BAD '} {image[:44]:44s} {1000 * times[-1]:6.0f} ms  "
            f"{rec.text!r:20s} bar {rec.bar_px:7.1f} ± {rec.bar_px_uncertainty:4.2f} px  "
            f"err {100 * err:+6.2f} %"
        )
    total = good + bad + failed + refused
    if total:
        print(
            f"== {name}: within 1 % {good}/{total} ({100 * good / total:.1f} %), "
            + (f"refused rightly (no one pixel size) {refused}, " if refused else "")
            + f"failures {failed}, silently wrong {bad}, "
            f"{1000 * float(np.median(times)):.0f} ms/image (median), "
            f"{1000 * float(np.mean(times)):.0f} ms mean, "
            f"{1000 * float(np.median(cpu)):.0f} ms CPU/image (median, all threads)\n"
        )


def _colours(text: str) -> list[str]:
    """``--coloured``: colour names of ``MARK_COLOURS``, comma-separated, or ``all``."""
    from nanokit.synth.coloured_marks import MARK_COLOURS

    colours = list(MARK_COLOURS) if text == "all" else text.split(",")
    if unknown := [c for c in colours if c not in MARK_COLOURS]:
        known = ", ".join(MARK_COLOURS)
        raise argparse.ArgumentTypeError(f"unknown {', '.join(unknown)} (known: all, {known})")
    return colours


def _widths(text: str) -> list[int]:
    """``--outlined``: stroke widths in px, comma-separated."""
    try:
        widths = [int(w) for w in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not whole numbers of px: {text!r}") from None
    if any(w < 1 for w in widths):
        raise argparse.ArgumentTypeError(f"widths must be 1 px or more: {text!r}")
    return widths


def _enlargement(text: str) -> float:
    """``--synth-enlarged``: a factor of 1 or more."""
    try:
        factor = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not factor >= 1.0:
        raise argparse.ArgumentTypeError(f"an enlargement is 1 or more: {text!r}")
    return factor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=SHARED, help="folder with truth.csv")
    parser.add_argument("--resized", default="", help="scale factors for resized real images")
    parser.add_argument(
        "--coloured", type=_colours, default=[], help="colours of redrawn bars, or 'all'"
    )
    parser.add_argument(
        "--outlined", type=_widths, default=[], help="outline widths (px) of redrawn bars"
    )
    parser.add_argument("--panels", action="store_true", help="add two-panel figures")
    parser.add_argument(
        "--degraded",
        action="store_true",
        help="add the real images under measure.py's degradations",
    )
    parser.add_argument("--jpeg", type=int, default=0, help="JPEG quality to store images at")
    parser.add_argument("--synth", type=int, default=48, help="synthetic images (0: none)")
    parser.add_argument("--seed0", type=int, default=0, help="first synthetic seed")
    parser.add_argument(
        "--synth-enlarged",
        type=_enlargement,
        default=1.0,
        help="factor the synthetic images are enlarged by",
    )
    parser.add_argument("--engine", default=None, help="OCR engine (default: DEFAULT_ENGINE)")
    parser.add_argument("--only", default="", help="only images whose name contains this")
    args = parser.parse_args()
    print(f"# CPU: {describe_cpu()}", flush=True)
    engine = build_engine(args.engine)
    engine.read(np.full((32, 96), 255, np.uint8))  # load the model before timing

    def stored(samples: Iterator[tuple[str, np.ndarray, float | None]]):
        return as_jpeg(samples, args.jpeg) if args.jpeg else samples

    if (args.real / "truth.csv").is_file():
        run("real", stored(real_samples(args.real)), engine, args.only)
        if args.resized:
            factors = [float(f) for f in args.resized.split(",")]
            run("real resized", stored(resized_samples(args.real, factors)), engine, args.only)
        if args.coloured:
            samples = coloured_samples(args.real, args.coloured, engine)
            run("real coloured", stored(samples), engine, args.only)
        if args.outlined:
            samples = outlined_samples(args.real, args.outlined, engine)
            run("real outlined", stored(samples), engine, args.only)
        if args.panels:
            run("real panels", stored(panel_samples(args.real)), engine, args.only)
        if args.degraded:
            for label, samples in degraded_samples(args.real):
                run(f"real, {label}", stored(samples), engine, args.only)
    if args.synth:
        samples = synth_samples(args.synth, args.seed0, args.synth_enlarged)
        run("synthetic", stored(samples), engine, args.only)


if __name__ == "__main__":
    main()

"""Benchmark of ``nanokit measure``'s pipeline, with any registered segmenter.

    python benchmarks/measure.py synth [--n 40 --seed 2026 --workers 2 --crowded 0 --textured 0
        --cubic 0 --rods 0]
        [--segmenter TYPE]
    python benchmarks/measure.py real  [--data ../shared/data/segmentation] [--segmenter TYPE]
    python benchmarks/measure.py rescaled [--factors 0.5,0.7,1,1.4,2] [--segmenter TYPE]
    python benchmarks/measure.py degraded [--segmenter TYPE]
    python benchmarks/measure.py heads [--segmenter JSON]
    python benchmarks/measure.py speed [--n 20 --workers 2] [--segmenter TYPE]
    python benchmarks/measure.py compare [--segmenters A,B] [--n 40 --seed 2026]

synth: fresh ``nanokit synth`` images through the whole pipeline (scale bars read by OCR);
per-image mean ECD (nm) and particle count against the generator's truth (particles cut by the
border or the data bar left out on both sides). real: BAM TiO2 SEM (Zeiss metadata, 7.344 nm/px)
and EMPS (no calibration: px) against sizes from their ground-truth masks, with the share of
hand-drawn particles measured one to one, merged with another, split or missed, and the count of
measured particles on the masks' background. rescaled: the EMPS
test sample resized by each factor (the same particles over fewer or more px). degraded: the
EMPS test sample under JPEG, added noise, gamma, inverted grey levels, blur, halved contrast
and uneven illumination (a ramp, a vignette), framed by a white or black margin, and beside
its mirror image as a figure of two panels (in the last three the hand particles the
micrograph's own edges cut are taken out of the truth). heads: the segmenter
alone on the same images (no OCR; compares network heads and decodings). speed: images/s of
the segmenter on 1024x768 images with a manual scale (no OCR), after the workers started.
compare: real, synth and speed for each segmenter, then one summary table.
``--segmenter`` names a SEGMENTERS type or gives a JSON config (default: the pipeline's
default segmenter); ``--split-peaks`` sets that option of the classical or instance segmenter,
``--split-valleys`` the classical one's; ``--text-int8 off`` runs the printed-text detector in
fp32 on any CPU. Prints markdown tables.
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import cv2
import numpy as np

from nanokit.apis.image_files import ImageFilesWriter
from nanokit.apis.measure import make_settings, measure
from nanokit.calibration.databar import find_databar
from nanokit.datasets.instance_targets import instances_from_components
from nanokit.inference.cpu import describe_cpu
from nanokit.measure.pipeline import (
    DEFAULT_SEGMENTER,
    ImageProcessor,
    MeasureSettings,
    collect_images,
)
from nanokit.sizing.frame import databar_inside_margins, find_frame, valid_rows
from nanokit.sizing.sizers import describe
from nanokit.utils.resize import resize_by

REPO = Path(__file__).resolve().parents[1]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def _per_image(out: Path, unit: str) -> dict[str, tuple[int, float]]:
    """image file name -> (count, mean ECD) of the measured particles in ``out``."""
    sizes: dict[str, list[float]] = {}
    for p in _read(out / "particles.csv"):
        if p["touches_border"] == "false":
            sizes.setdefault(Path(p["image"]).name, []).append(float(p[f"ecd_{unit}"] or "nan"))
    return {name: (len(v), float(np.mean(v))) for name, v in sizes.items()}


def _written_labels(out: Path, image: Path, shape: tuple[int, ...]) -> np.ndarray:
    """The labels that ``measure`` wrote into ``out`` for ``image`` (none: all background)."""
    labels = cv2.imread(str(out / "masks" / f"{image.stem}.png"), cv2.IMREAD_UNCHANGED)
    return labels if labels is not None else np.zeros(shape, np.int64)


class _Match(NamedTuple):
    """Measured labels against hand-drawn instances (:func:`_match`): both as int64 ids, the
    (measured id, hand-drawn id, shared px) of every overlapping pair, and the areas of both."""

    pred: np.ndarray
    truth: np.ndarray
    p_ids: np.ndarray
    t_ids: np.ndarray
    inter: np.ndarray
    area_p: np.ndarray
    area_t: np.ndarray


def _match(pred: np.ndarray, truth: np.ndarray) -> _Match:
    """Labels ``pred`` against the int instance ids ``truth`` (instances under 10 px left out),
    overlaps counted once for :func:`_label_scores` and :func:`_fates`."""
    pred = pred.astype(np.int64)
    truth = describe(truth.astype(np.int32), min_area_px=10).labels.astype(np.int64)
    n_true = int(truth.max())
    both = (pred > 0) & (truth > 0)
    pairs, inter = np.unique(pred[both] * (n_true + 1) + truth[both], return_counts=True)
    area_p = np.bincount(pred.ravel(), minlength=int(pred.max()) + 1)
    area_t = np.bincount(truth.ravel(), minlength=n_true + 1)
    return _Match(pred, truth, pairs // (n_true + 1), pairs % (n_true + 1), inter, area_p, area_t)


def _label_scores(m: _Match) -> tuple[float, float]:
    """Foreground IoU and instance F1 at IoU 0.5 of a :func:`_match`."""
    pred, truth = m.pred > 0, m.truth > 0
    iou = float((pred & truth).sum() / max((pred | truth).sum(), 1))
    n_pred, n_true = len(m.area_p) - 1, len(m.area_t) - 1
    if n_pred + n_true == 0:
        return iou, 1.0
    matched = int((m.inter / (m.area_p[m.p_ids] + m.area_t[m.t_ids] - m.inter) > 0.5).sum())
    return iou, 2 * matched / (n_pred + n_true)


#: How a hand-drawn particle fares (:func:`_fates`).
FATES = ("matched", "merged", "split", "missed")
#: ... and a measured particle that has no hand-drawn one under it.
EXTRA = "extra"


def _fates(m: _Match) -> tuple[np.ndarray, list[float]]:
    """Counts of the hand-drawn particles of a :func:`_match` per :data:`FATES`, then of
    the measured particles of 10 px or more that lie mostly (half or more) on the background of
    the hand masks (specks, debris, fragments: :data:`EXTRA`); and the area ratios (measured /
    hand-drawn) of the matched ones. Merged: half of it or more lies in a measured particle that
    holds half or more of another one too; matched: else, in one measured particle at IoU over
    0.5; split: two or more measured particles hold a fifth of it each; missed: the rest."""
    counts = np.zeros(len(FATES) + 1, int)
    ratios: list[float] = []
    p_ids, t_ids, inter, area_p, area_t = m.p_ids, m.t_ids, m.inter, m.area_p, m.area_t
    on_truth = np.bincount(p_ids, weights=inter, minlength=len(area_p))
    counts[-1] = int(((area_p >= 10) & (on_truth < 0.5 * area_p))[1:].sum())
    holds = inter >= 0.5 * area_t[t_ids]
    held = np.bincount(p_ids[holds], minlength=len(area_p))
    iou = inter / (area_p[p_ids] + area_t[t_ids] - inter)
    for t in range(1, len(area_t)):
        mine = t_ids == t
        holders = np.flatnonzero(mine & holds)
        if (held[p_ids[holders]] >= 2).any():
            counts[1] += 1
        elif (iou[holders] > 0.5).any():
            counts[0] += 1
            ratios.append(float(area_p[p_ids[holders[0]]] / area_t[t]))
        else:
            counts[2 if (inter[mine] >= 0.2 * area_t[t]).sum() >= 2 else 3] += 1
    return counts, ratios


def _print_fates(name: str, fates: list[tuple[np.ndarray, list[float]]]) -> None:
    """One line: the share of hand-drawn particles per fate over a set's images."""
    counts = np.sum([c for c, _ in fates], axis=0)
    drawn, extra = counts[: len(FATES)], counts[-1]
    ratios = [r for _, image in fates for r in image]
    shares = ", ".join(
        f"{f} {100 * c / max(drawn.sum(), 1):.1f} %" for f, c in zip(FATES, drawn, strict=True)
    )
    ecd = np.sqrt(np.median(ratios)) if ratios else float("nan")
    print(
        f"{name}: {drawn.sum()} hand-drawn particles: {shares}; "
        f"median ECD ratio of the matched ones {ecd:.3f}; "
        f"{extra} measured particles on the hand masks' background"
    )


def _mean_scores(scores: list[tuple[float, float]]) -> dict[str, float]:
    """Mean foreground IoU and mean instance F1 over images."""
    iou, f1 = np.array(scores).T
    return {"mask_iou": float(iou.mean()), "instance_f1": float(f1.mean())}


def _compare(rows: list[tuple[str, int, float, int, float]]) -> dict[str, float]:
    """rows of (image, n_pred, mean_pred, n_true, mean_true) -> summary metrics."""
    from scipy.stats import spearmanr  # here: the worker pool re-imports this script

    n_p, m_p, n_t, m_t = (np.array([r[i] for r in rows], dtype=float) for i in (1, 2, 3, 4))
    truth = np.isfinite(m_t) & (n_t > 0)
    ok = truth & np.isfinite(m_p)
    rel = np.abs(m_p[ok] / m_t[ok] - 1)
    return {
        "images": int(ok.sum()),
        "no_particles": int((truth & ~ok).sum()),
        "mre_%": 100 * float(rel.mean()),
        "median_re_%": 100 * float(np.median(rel)),
        "size_bias_%": 100 * float(np.mean(m_p[ok] / m_t[ok] - 1)),
        "spearman": float(spearmanr(m_p[ok], m_t[ok])[0]),
        # Counts over every image with truth: an image without particles is 100 % off.
        "count_err_%": 100 * float(np.mean(np.abs(n_p[truth] / n_t[truth] - 1))),
        "count_bias_%": 100 * float(np.mean(n_p[truth] / n_t[truth] - 1)),
        "count_ratio_median": float(np.median(n_p[truth] / n_t[truth])),
    }


def _table(title: str, results: dict[str, dict[str, float]]) -> None:
    keys = [
        "images",
        "no_particles",
        "mre_%",
        "median_re_%",
        "size_bias_%",
        "spearman",
        "count_err_%",
        "count_bias_%",
        "count_ratio_median",
    ]
    keys += [k for k in ("mask_iou", "instance_f1") if all(k in r for r in results.values())]
    print(f"\n### {title}\n\n| subset | " + " | ".join(keys) + " |")
    print("|---" * (len(keys) + 1) + "|")
    for name, r in results.items():
        print(f"| {name} | " + " | ".join(f"{r[k]:.3g}" for k in keys) + " |")


#: ``measure.text_detector_int8`` of every run (``--text-int8``; None: as the CPU allows).
TEXT_INT8: bool | None = None


def _settings(segmenter: dict, scale: float | None = None) -> MeasureSettings:
    settings = make_settings(scale=scale)
    settings.segmenter = dict(segmenter)
    settings.text_detector_int8 = TEXT_INT8
    return settings


def bench_synth(
    n: int,
    seed: int,
    workers: int,
    segmenter: dict,
    crowded: float = 0.0,
    textured: float = 0.0,
    cubic: float = 0.0,
    rods: float = 0.0,
) -> dict[str, float]:
    from nanokit.synth import generate_dataset

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "synth"
        generate_dataset(
            root, n=n, seed=seed, crowded=crowded, textured=textured, cubic=cubic, rods=rods
        )
        start = time.perf_counter()
        settings = _settings(segmenter)
        measure(
            [root / "images"], Path(tmp) / "out", workers=workers, quiet=True, settings=settings
        )
        wall = time.perf_counter() - start
        images = {Path(r["image"]).name: r for r in _read(Path(tmp) / "out" / "images.csv")}
        pred = _per_image(Path(tmp) / "out", "px")
        groups: dict[str, list] = {"all": [], "clean": [], "low contrast": []}
        groups.update({"clean, clustered": [], "clean, dark particles": []})
        groups.update({"not flagged low contrast": [], "flagged low contrast": []})
        scale_err = []
        for truth_file in sorted((root / "truth").glob("*.json")):
            t = json.loads(truth_file.read_text())
            true = [p["ecd_nm"] for p in t["particles"] if not p["touches_border"]]
            name = t["image"]
            read = images[name]["nm_per_px"]
            if read:
                scale_err.append(abs(float(read) / t["nm_per_px"] - 1))
            # Images whose scale bar was not read are sized with the true scale (sizing error).
            nm = float(read) if read else t["nm_per_px"]
            n_p, m_px = pred.get(name, (0, float("nan")))
            row = (name, n_p, m_px * nm, len(true), float(np.mean(true)))
            groups["all"].append(row)
            scene = t["scene"]
            groups["low contrast" if scene["low_contrast"] else "clean"].append(row)
            if not scene["low_contrast"] and scene["clustered"]:
                groups["clean, clustered"].append(row)
            if not scene["low_contrast"] and scene["particle_polarity"] == "dark":
                groups["clean, dark particles"].append(row)
            flagged = "low contrast" in images[name]["qc_flags"]
            groups["flagged low contrast" if flagged else "not flagged low contrast"].append(row)
        calibrated = len(scale_err)
        print(
            f"\n{n} synth images (seed {seed}, crowded share {crowded}, "
            f"textured share {textured}, cubic share {cubic}, rods share {rods}), {segmenter}, "
            f"{workers} workers: {wall:.1f} s wall "
            f"({n / wall:.2f} images/s incl. worker start and OCR); "
            f"scale bars read: {calibrated}/{n}, mean |error| of their nm/px "
            f"{100 * np.mean(scale_err):.2f} %"
        )
        results = {k: _compare(v) for k, v in groups.items() if v}
        _table("synthetic (nm; OCR failures sized with the true scale)", results)
    return results["all"]


def _whole_sizes(labels: np.ndarray, image: np.ndarray) -> list[float]:
    """ECD (px) of the labelled particles that the image's frame (inside the data bar and any
    uniform margin, as ``measure`` finds it) does not cut."""
    frame = find_frame(image, databar_inside_margins(image))
    result = describe(labels[frame.slices].astype(np.int32), min_area_px=10)
    return [p["ecd_px"] for p in result.particles if not p["touches_border"]]


def _truth_sizes(labels: np.ndarray, image: np.ndarray) -> tuple[int, float]:
    """Count and mean ECD (px) of ground-truth instances (those the frame cuts left out)."""
    d = _whole_sizes(labels, image)
    return len(d), float(np.mean(d)) if d else float("nan")


#: QC flags whose images' errors the real-image benchmarks print apart.
CHECKED_FLAGS = ("low contrast", "uncertain segmentation", "unstable split", "likely merged")


def _print_flagged(name: str, out: Path, rows: list[tuple[str, int, float, int, float]]) -> None:
    """For each of :data:`CHECKED_FLAGS`: how many images ``measure`` flagged so, and the errors
    with and without."""
    flags = {Path(r["image"]).name: r["qc_flags"] for r in _read(out / "images.csv")}
    for flag in CHECKED_FLAGS:
        flagged, rest = [], []
        for r in rows:
            (flagged if flag in flags.get(r[0], "") else rest).append(r)
        parts = [f"{name}: {len(flagged)}/{len(rows)} images flagged {flag}"]
        for label, group in (("flagged", flagged), ("not flagged", rest)):
            if group:
                c = _compare(group)
                parts.append(
                    f"{label}: MRE {c['mre_%']:.1f} %, count error {c['count_err_%']:.1f} %"
                )
        print("; ".join(parts))


def bench_real(data: Path, workers: int, segmenter: dict) -> dict[str, dict[str, float]]:
    """BAM TiO2 and EMPS through ``nanokit measure`` against sizes from their GT masks."""
    import tifffile

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        # BAM TiO2: binary masks with 1-px gaps between particles (4-connected components).
        bam = data / "bam_tio2_sem"
        settings = _settings(segmenter)
        measure([bam / "images"], Path(tmp) / "bam", workers=workers, quiet=True, settings=settings)
        pred = _per_image(Path(tmp) / "bam", "px")
        rows, iou, fates = [], [], []
        for path in sorted((bam / "images").glob("*.tif")):
            image = tifffile.imread(path)
            labels = instances_from_components(
                tifffile.imread(bam / "masks" / f"{path.stem}_m.tif")
            )
            match = _match(_written_labels(Path(tmp) / "bam", path, labels.shape), labels)
            iou.append(_label_scores(match))
            fates.append(_fates(match))
            rows.append(
                (path.name, *pred.get(path.name, (0, float("nan"))), *_truth_sizes(labels, image))
            )
        results["BAM TiO2 SEM (40)"] = _compare(rows)
        results["BAM TiO2 SEM (40)"].update(_mean_scores(iou))
        _print_flagged("BAM", Path(tmp) / "bam", rows)
        _print_fates("BAM", fates)
        nm = {
            Path(r["image"]).name: r["nm_per_px"] for r in _read(Path(tmp) / "bam" / "images.csv")
        }
        print(f"\nBAM calibration: {sorted(set(nm.values()))} nm/px")
        # EMPS: uint16 instance masks, journal crops (sizes compared in px); their scale bars are
        # read as in any run, so that the segmenter knows where the bar and its label lie.
        emps = data / "emps"
        results["EMPS (60)"] = _emps_scores(
            emps / "images", emps / "masks", Path(tmp) / "emps", workers, segmenter
        )
    _table(f"real images vs ground-truth masks (px), segmenter {segmenter}", results)
    return results


def _emps_scores(
    images: Path, masks: Path, out: Path, workers: int, segmenter: dict, label: str = "EMPS"
) -> dict[str, float]:
    """``measure`` on EMPS-style images (PNG + uint16 instance mask of the same name), scored
    in px against the masks."""
    measure([images], out, workers=workers, quiet=True, settings=_settings(segmenter))
    pred = _per_image(out, "px")
    rows, iou, fates = [], [], []
    for path in sorted(images.glob("*.png")):
        image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
        labels = cv2.imread(str(masks / path.name), cv2.IMREAD_UNCHANGED).astype(np.int32)
        match = _match(_written_labels(out, path, labels.shape), labels)
        iou.append(_label_scores(match))
        fates.append(_fates(match))
        rows.append(
            (path.name, *pred.get(path.name, (0, float("nan"))), *_truth_sizes(labels, image))
        )
    _print_flagged(label, out, rows)
    _print_fates(label, fates)
    return {**_compare(rows), **_mean_scores(iou)}


#: (image, instance mask) -> the same, transformed.
Transform = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def _resized(factor: float) -> Transform:
    """Images by area (down) or linear (up) interpolation, masks by nearest neighbour."""

    def resize(image: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        scaled = resize_by(image, factor)
        size = (scaled.shape[1], scaled.shape[0])
        return (
            scaled,
            cv2.resize(mask, size, interpolation=cv2.INTER_NEAREST),
        )

    return resize


def _jpeg(image: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 30])[1]
    return cv2.imdecode(encoded, cv2.IMREAD_GRAYSCALE), mask


def _noisy(image: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    noise = np.random.default_rng(0).normal(0, 12, image.shape)
    return np.clip(image + noise, 0, 255).astype(np.uint8), mask


def _gamma(image: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return (255 * (image / 255.0) ** 2).astype(np.uint8), mask


def _blurred(image: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Out of focus: Gaussian blur of 2 px."""
    return cv2.GaussianBlur(image, (0, 0), 2.0), mask


def _flat(image: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Half the contrast about the grey scale's middle (64..191 for 0..255)."""
    return (64 + image.astype(np.float32) * 0.5).astype(np.uint8), mask


def _ramp(image: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Illumination falling linearly from the top left corner (x 1) to the bottom right (x 0.5),
    as a tilted or charging SEM specimen or a TEM beam off centre gives."""
    height, width = image.shape
    ys, xs = np.mgrid[0:height, 0:width]
    gain = 1.0 - 0.5 * (ys / (height - 1) + xs / (width - 1)) / 2
    return np.clip(image * gain, 0, 255).astype(np.uint8), mask


def _vignette(image: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Illumination falling with the distance from the centre, to x 0.5 in the corners."""
    height, width = image.shape
    ys, xs = np.mgrid[0:height, 0:width]
    r2 = ((ys - (height - 1) / 2) / (height / 2)) ** 2 + ((xs - (width - 1) / 2) / (width / 2)) ** 2
    gain = 1.0 - 0.5 * r2 / 2
    return np.clip(image * gain, 0, 255).astype(np.uint8), mask


def _margin(value: int, width: int = 15) -> Transform:
    """A uniform border of grey ``value``, as a micrograph cut from a figure keeps. The hand
    masks' particles that the micrograph's own edge cuts are taken out of the truth: ``measure``
    must leave them out as cut whether or not it finds the margin."""

    def transform(image: np.ndarray, mask: np.ndarray | None) -> tuple[np.ndarray, Any]:
        framed = np.pad(image, width, constant_values=value)
        return framed, None if mask is None else np.pad(_whole(mask), width)

    return transform


def _whole(mask: np.ndarray) -> np.ndarray:
    """``mask`` without the particles that the micrograph's edge cuts."""
    edge = np.unique(np.concatenate([mask[0], mask[-1], mask[:, 0], mask[:, -1]]))
    return np.where(np.isin(mask, edge[edge > 0]), 0, mask)


def _two_panels(image: np.ndarray, mask: np.ndarray | None) -> tuple[np.ndarray, Any]:
    """The image beside its mirror image with a 10-px white gutter, as a figure lays out two
    panels of one magnification; the particles the micrograph's edges cut are taken out of the
    truth (``measure`` must leave out those the gutter cuts)."""
    gutter = np.full((image.shape[0], 10), 255, image.dtype)
    figure = np.hstack([image, gutter, image[:, ::-1]])
    if mask is None:
        return figure, None
    whole = _whole(mask)
    mirrored = np.where(whole > 0, whole + whole.max(), 0)[:, ::-1]
    return figure, np.hstack([whole, np.zeros_like(gutter, dtype=whole.dtype), mirrored])


#: Degradations a user's micrographs may carry that the EMPS crops do not (or not all).
DEGRADATIONS: dict[str, Transform] = {
    "JPEG quality 30": _jpeg,
    "Gaussian noise, sd 12 grey levels": _noisy,
    "gamma 2 (darker mid-tones)": _gamma,
    "inverted (dark <-> bright)": lambda image, mask: (255 - image, mask),
    "Gaussian blur, sigma 2 px": _blurred,
    "contrast halved": _flat,
    "illumination ramp to x 0.5": _ramp,
    "vignette to x 0.5 in the corners": _vignette,
    "white margin 15 px": _margin(255),
    "black margin 15 px": _margin(0),
    "two panels (beside its mirror image, 10 px white gutter)": _two_panels,
}


def _transformed_scores(
    data: Path, workers: int, segmenter: dict, transforms: dict[str, Transform]
) -> dict[str, dict[str, float]]:
    """:func:`_emps_scores` of the EMPS test sample under each transform."""
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for index, (name, transform) in enumerate(transforms.items()):
            root = Path(tmp) / f"set{index}"
            for kind in ("images", "masks"):
                (root / kind).mkdir(parents=True)
            for path in sorted((data / "emps" / "images").glob("*.png")):
                image, mask = transform(
                    cv2.imread(str(path), cv2.IMREAD_GRAYSCALE),
                    cv2.imread(str(data / "emps" / "masks" / path.name), cv2.IMREAD_UNCHANGED),
                )
                cv2.imwrite(str(root / "images" / path.name), image)
                cv2.imwrite(str(root / "masks" / path.name), mask)
            results[name] = _emps_scores(
                root / "images", root / "masks", Path(tmp) / f"out{index}", workers, segmenter, name
            )
    return results


def bench_rescaled(data: Path, workers: int, segmenter: dict, factors: list[float]) -> None:
    """The EMPS test sample resized by each factor: how sizes hold up when the same particles
    span fewer or more px."""
    transforms = {f"EMPS (60) x{factor:g}": _resized(factor) for factor in factors}
    results = _transformed_scores(data, workers, segmenter, transforms)
    _table(f"EMPS test sample resized (px), segmenter {segmenter}", results)


def bench_degraded(data: Path, workers: int, segmenter: dict) -> None:
    """The EMPS test sample under each of :data:`DEGRADATIONS` (same particles, same px)."""
    results = _transformed_scores(data, workers, segmenter, DEGRADATIONS)
    _table(f"EMPS test sample degraded (px), segmenter {segmenter}", results)


def _real_sets(data: Path) -> dict[str, list[tuple[str, np.ndarray, np.ndarray]]]:
    """EMPS test sample and BAM TiO2 as (name, grey uint8 image, instance truth) triples."""
    import tifffile

    emps = [
        (
            p.name,
            cv2.imread(str(p), cv2.IMREAD_GRAYSCALE),
            cv2.imread(str(data / "emps" / "masks" / p.name), cv2.IMREAD_UNCHANGED),
        )
        for p in sorted((data / "emps" / "images").glob("*.png"))
    ]
    bam = []
    for p in sorted((data / "bam_tio2_sem" / "images").glob("*.tif")):
        truth = instances_from_components(
            tifffile.imread(data / "bam_tio2_sem" / "masks" / f"{p.stem}_m.tif")
        )
        bam.append((p.name, tifffile.imread(p), truth))
    return {"EMPS (60)": emps, "BAM TiO2 SEM (40)": bam}


def bench_heads(data: Path, segmenter: dict) -> None:
    """The segmenter alone on every real image (no OCR, scale bars left in the image, px)."""
    from nanokit.measure.pipeline import _build
    from nanokit.registry import SEGMENTERS
    from nanokit.segmentation import BaseSegmenter  # noqa: F401 - registers the segmenters

    seg = _build(SEGMENTERS, segmenter)
    results = {}
    for name, items in _real_sets(data).items():
        rows, scores = [], []
        for image_name, image, truth in items:
            rows_ = valid_rows(image.shape[0], find_databar(image))
            pred = seg.predict_mask(image, rows_)
            measured = _whole_sizes(pred, image)
            pred = describe(pred.astype(np.int32), rows_, min_area_px=10)
            scores.append(_label_scores(_match(pred.labels, truth)))
            mean = float(np.mean(measured)) if measured else float("nan")
            rows.append((image_name, len(measured), mean, *_truth_sizes(truth, image)))
        results[name] = {**_compare(rows), **_mean_scores(scores)}
    _table(f"segmenter alone (no OCR, px), {segmenter}", results)


def bench_speed(n: int, workers: int, segmenter: dict) -> float:
    from nanokit.synth import generate_dataset

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "synth"
        generate_dataset(root, n=n, seed=99)
        settings = _settings(segmenter, scale=2.0)
        start = time.perf_counter()
        measure(
            [root / "images"], Path(tmp) / "out", workers=workers, quiet=True, settings=settings
        )
        wall = time.perf_counter() - start
        # Steady state of one process: the first image pays for imports.
        processor = ImageProcessor(settings, Path(tmp) / "one", ImageFilesWriter())
        jobs = collect_images([root / "images"])
        processor(jobs[0])
        start, cpu = time.perf_counter(), time.process_time()
        for job in jobs[1:]:
            processor(job)
        per_image = (time.perf_counter() - start) / (len(jobs) - 1)
        cpu_per_image = (time.process_time() - cpu) / (len(jobs) - 1)
    print(
        f"\nspeed, {segmenter}, 1024x768, manual scale (no OCR): {workers} workers on {n} "
        f"images {wall:.1f} s incl. pool start = {n / wall:.2f} images/s; one process in steady "
        f"state {per_image:.3f} s/image = {1 / per_image:.2f} images/s per worker, "
        f"{cpu_per_image:.3f} CPU s/image (= {workers / cpu_per_image:.2f} images/s on "
        f"{workers} idle cores)"
    )
    return cpu_per_image


def bench_compare(args: argparse.Namespace, segmenters: list[dict]) -> None:
    """real, synth and speed for each segmenter, then one summary table."""
    rows = []
    for segmenter in segmenters:
        real = bench_real(args.data, args.workers, segmenter)
        synth = bench_synth(args.n, args.seed, args.workers, segmenter)
        cpu = bench_speed(12, args.workers, segmenter)
        emps, bam = real["EMPS (60)"], real["BAM TiO2 SEM (40)"]
        rows.append(
            (
                json.dumps(segmenter),
                f"{emps['mre_%']:.1f} %",
                f"{emps['spearman']:.2f}",
                f"{emps['instance_f1']:.2f}",
                f"{emps['count_ratio_median']:.2f}",
                f"{bam['mre_%']:.1f} %",
                f"{bam['count_ratio_median']:.2f}",
                f"{bam['mask_iou']:.2f}",
                f"{synth['mre_%']:.1f} %",
                f"{cpu:.2f}",
            )
        )
    print(
        f"\n### segmenters compared (whole pipeline; synthetic: {args.n} images of seed "
        f"{args.seed}; CPU s per 1024x768 image without OCR)\n\n| segmenter | EMPS MRE | EMPS "
        "Spearman | EMPS F1 | EMPS count ratio | BAM MRE | BAM count ratio | BAM IoU | "
        "synthetic MRE | CPU s/image |\n" + "|---" * 10 + "|"
    )
    for row in rows:
        print("| " + " | ".join(row) + " |")


def _factors(text: str) -> list[float]:
    """``--factors``: comma-separated positive numbers."""
    try:
        factors = [float(f) for f in text.split(",")]
    except ValueError:
        factors = []
    if not factors or min(factors) <= 0:
        raise argparse.ArgumentTypeError(f"positive numbers separated by commas, got {text!r}")
    return factors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "what", choices=["synth", "real", "rescaled", "degraded", "heads", "speed", "compare"]
    )
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--crowded", type=float, default=0.0, help="synth: share of crowded scenes (clumps)"
    )
    parser.add_argument(
        "--textured",
        type=float,
        default=0.0,
        help="synth: share of scenes whose particles have grainy insides",
    )
    parser.add_argument(
        "--cubic", type=float, default=0.0, help="synth: share of scenes of cube-like particles"
    )
    parser.add_argument(
        "--rods", type=float, default=0.0, help="synth: share of scenes of rod-like particles"
    )
    parser.add_argument(
        "--segmenter",
        default=DEFAULT_SEGMENTER["type"],
        help="SEGMENTERS type, or a JSON config such as "
        '\'{"type": "InstanceSegmenter", "decoding": "binary"}\'',
    )
    parser.add_argument(
        "--segmenters",
        default="ClassicalSegmenter,InstanceSegmenter",
        help="compare: SEGMENTERS types or JSON configs, separated by ';' or ','",
    )
    parser.add_argument(
        "--factors",
        type=_factors,
        default=[0.5, 0.7, 1.0, 1.4, 2.0],
        help="rescaled: resize factors, comma-separated",
    )
    parser.add_argument(
        "--split-valleys", type=float, default=None, help="ClassicalSegmenter option"
    )
    parser.add_argument(
        "--split-peaks", action="store_true", help="segmenter option (classical or instance)"
    )
    parser.add_argument(
        "--text-int8",
        choices=("auto", "on", "off"),
        default="auto",
        help="text detector in int8 (measure.text_detector_int8; auto: on CPUs with VNNI)",
    )
    parser.add_argument(
        "--data", type=Path, default=REPO.parent / "shared" / "data" / "segmentation"
    )
    args = parser.parse_args()
    global TEXT_INT8
    TEXT_INT8 = {"auto": None, "on": True, "off": False}[args.text_int8]
    print(f"# CPU: {describe_cpu()}, text detector int8: {args.text_int8}", flush=True)
    segmenter = (
        json.loads(args.segmenter) if args.segmenter.startswith("{") else {"type": args.segmenter}
    )
    if args.split_peaks:
        segmenter["split_peaks"] = True
    if segmenter["type"] == "ClassicalSegmenter":
        segmenter["split_valleys"] = args.split_valleys
    if args.what == "compare":
        parts = args.segmenters.split(";" if "{" in args.segmenters else ",")
        configs = [json.loads(p) if p.startswith("{") else {"type": p} for p in parts]
        bench_compare(args, configs)
    elif args.what == "synth":
        bench_synth(
            args.n,
            args.seed,
            args.workers,
            segmenter,
            args.crowded,
            args.textured,
            args.cubic,
            args.rods,
        )
    elif args.what == "real":
        bench_real(args.data, args.workers, segmenter)
    elif args.what == "rescaled":
        bench_rescaled(args.data, args.workers, segmenter, args.factors)
    elif args.what == "degraded":
        bench_degraded(args.data, args.workers, segmenter)
    elif args.what == "heads":
        bench_heads(args.data, segmenter)
    else:
        bench_speed(args.n, args.workers, segmenter)


if __name__ == "__main__":
    main()

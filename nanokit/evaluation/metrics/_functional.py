"""Pure metric maths: pixel confusion counts, the paper's eqs 5-8, and its sizing metrics."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np

IGNORE_INDEX = 255


def confusion_counts(
    pred: np.ndarray, gt: np.ndarray, ignore_index: int = IGNORE_INDEX
) -> dict[str, int]:
    """Pixel counts of the particle class (label 1) where ``gt`` is not ``ignore_index``.

    Args:
        pred: (H, W) predicted labels (0 background, 1 particle).
        gt: (H, W) true labels, same shape.

    Returns:
        dict with ``tp``, ``fp``, ``fn``, ``tn`` (pixels).
    """
    if pred.shape != gt.shape:
        raise ValueError(f"prediction {pred.shape} and truth {gt.shape} differ in shape")
    valid = gt != ignore_index
    p = (pred == 1) & valid
    t = (gt == 1) & valid
    tp = int(np.count_nonzero(p & t))
    fp = int(np.count_nonzero(p & ~t))
    fn = int(np.count_nonzero(~p & t & valid))
    tn = int(np.count_nonzero(valid)) - tp - fp - fn
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn}


def _ratio(num: float, den: float) -> float:
    return num / den if den > 0 else math.nan


def segmentation_scores(tp: int, fp: int, fn: int, tn: int) -> dict[str, float]:
    """The paper's eqs 5-8 for the particle class, plus mIoU and pixel accuracy (fractions).

    IoU = TP / (TP + FP + FN), recall = TP / (TP + FN), precision = TP / (TP + FP),
    F1 = 2 P R / (P + R); mIoU averages the particle and background IoU. Undefined ratios
    (empty denominators) are NaN.
    """
    iou = _ratio(tp, tp + fp + fn)
    recall = _ratio(tp, tp + fn)
    precision = _ratio(tp, tp + fp)
    f1 = _ratio(2 * precision * recall, precision + recall)
    iou_bg = _ratio(tn, tn + fp + fn)
    defined = [v for v in (iou, iou_bg) if not math.isnan(v)]
    return {
        "IoU": iou,
        "Precision": precision,
        "Recall": recall,
        "F1": f1,
        "mIoU": sum(defined) / len(defined) if defined else math.nan,
        "Accuracy": _ratio(tp + tn, tp + fp + fn + tn),
    }


def sum_counts(rows: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """Pixel counts accumulated over many images (how the paper aggregates a split)."""
    total = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    for row in rows:
        for key in total:
            total[key] += int(row[key])
    return total


def particle_ecds(
    labels: np.ndarray, instances: bool, min_area: int = 10, exclude_border: bool = True
) -> np.ndarray:
    """Area-equivalent circle diameters (px) of the particles in a label image.

    Args:
        labels: (H, W) ints: instance ids (``instances=True``) or a binary mask whose
            8-connected components are the particles (the paper's cv2.connectedComponents).
        min_area: particles smaller than this many px are dropped.
        exclude_border: drop particles touching the image border.

    Returns:
        1-D float array of ECDs in px.
    """
    import cv2

    from ...sizing._geometry import ecd

    if instances:
        ids = labels.astype(np.int64)
    else:
        _, ids = cv2.connectedComponents((labels == 1).astype(np.uint8), connectivity=8)
    areas = np.bincount(ids.ravel())
    keep = areas >= min_area
    keep[0] = False
    if exclude_border:
        border = np.concatenate([ids[0], ids[-1], ids[:, 0], ids[:, -1]])
        keep[np.unique(border)] = False
    return np.asarray(ecd(areas[keep]), dtype=float)


def size_summary(ecds: np.ndarray) -> dict[str, float]:
    """Count, mean and standard deviation (px) of a set of particle sizes."""
    n = int(ecds.size)
    return {
        "n": n,
        "mean": float(ecds.mean()) if n else math.nan,
        "std": float(ecds.std(ddof=1)) if n > 1 else math.nan,
    }


def sizing_scores(
    pred_mean: Iterable[float], true_mean: Iterable[float], pred_std: Iterable[float]
) -> dict[str, float]:
    """The paper's sizing metrics over images (sizes in any one unit, e.g. px).

    Spearman rank correlation of per-image mean sizes, mean relative error of the mean size
    |model - manual| / manual, and logR-Acc (eq 9): the fraction of images whose model mean
    lies within one model standard deviation of the manual mean. Images without a mean on
    either side are skipped; logR-Acc also skips images with fewer than two particles (no
    standard deviation), as the paper did.
    """
    from scipy.stats import spearmanr

    pm, tm, ps = (np.asarray(list(v), dtype=float) for v in (pred_mean, true_mean, pred_std))
    ok = np.isfinite(pm) & np.isfinite(tm) & (tm > 0)
    out = {"n_sized": int(ok.sum()), "Spearman": math.nan, "MRE": math.nan, "logR_Acc": math.nan}
    if ok.sum() >= 2:
        rho = spearmanr(pm[ok], tm[ok]).statistic
        out["Spearman"] = float(rho)
    if ok.any():
        out["MRE"] = float(np.mean(np.abs(pm[ok] - tm[ok]) / tm[ok]))
    has_std = ok & np.isfinite(ps)
    if has_std.any():
        out["logR_Acc"] = float(np.mean(np.abs(pm[has_std] - tm[has_std]) <= ps[has_std]))
    return out

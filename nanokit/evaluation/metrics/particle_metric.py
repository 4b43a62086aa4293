"""Segmentation (and, with per-particle truth, sizing) metrics of the particle class."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from mmengine.evaluator import BaseMetric

from ...registry import METRICS
from ._functional import (
    confusion_counts,
    particle_ecds,
    segmentation_scores,
    size_summary,
    sizing_scores,
    sum_counts,
)


@METRICS.register_module()
class ParticleMetric(BaseMetric):
    """IoU, precision, recall, F1 (the paper's eqs 5-8), mIoU and accuracy over a split.

    Pixel counts are summed over all images before the ratios are taken. When a prediction
    comes with per-particle truth (``instances``, an (H, W) id image), each image's mean
    particle size (ECD, px) is measured on both sides and the split gets the paper's
    Spearman, MRE and logR-Acc (eq 9) as well.

    ``process`` takes the segmentor's ``predict`` outputs: dicts with ``pred`` and ``gt``
    ((H, W) tensors or arrays) and optionally ``instances``; image names come from
    ``data_batch["meta"]["name"]``. ``self.results`` keeps one row per image, which
    ``nanokit test`` writes as its per-image table.

    Args:
        min_area: smallest particle (px) counted in the sizing metrics.
        exclude_border: leave particles cut by the image border out of the sizing metrics.
        ignore_index: truth value of pixels that are not scored.
    """

    default_prefix = ""  # metric keys stay "IoU", "F1", ... (no "prefix/")

    def __init__(
        self,
        min_area: int = 10,
        exclude_border: bool = True,
        ignore_index: int = 255,
        collect_device: str = "cpu",
        prefix: str | None = None,
    ) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.min_area = min_area
        self.exclude_border = exclude_border
        self.ignore_index = ignore_index

    def process(self, data_batch: Any, data_samples: Sequence[dict]) -> None:
        names = _batch_names(data_batch, len(data_samples), len(self.results))
        for name, sample in zip(names, data_samples, strict=True):
            pred = _numpy(sample["pred"])
            gt = _numpy(sample["gt"])
            row: dict[str, Any] = {"image": name}
            row.update(confusion_counts(pred, gt, self.ignore_index))
            row.update(segmentation_scores(row["tp"], row["fp"], row["fn"], row["tn"]))
            instances = sample.get("instances")
            if instances is not None:
                scored = np.where(gt == self.ignore_index, 0, pred)
                truth = np.where(gt == self.ignore_index, 0, _numpy(instances))
                pred_size = size_summary(self._ecds(scored, instances=False))
                true_size = size_summary(self._ecds(truth, instances=True))
                row.update({f"pred_{k}_px": v for k, v in pred_size.items()})
                row.update({f"true_{k}_px": v for k, v in true_size.items()})
            self.results.append(row)

    def _ecds(self, labels: np.ndarray, instances: bool) -> np.ndarray:
        return particle_ecds(labels, instances, self.min_area, self.exclude_border)

    def compute_metrics(self, results: list[dict[str, Any]]) -> dict[str, float]:
        """Split-level scores from per-image rows (counts summed, then eqs 5-8)."""
        totals = sum_counts(results)
        metrics: dict[str, float] = dict(segmentation_scores(**totals))
        metrics.update({k.upper(): int(v) for k, v in totals.items()})
        metrics["n_images"] = len(results)
        sized = [r for r in results if "pred_mean_px" in r]
        if sized:
            metrics.update(
                sizing_scores(
                    [r["pred_mean_px"] for r in sized],
                    [r["true_mean_px"] for r in sized],
                    [r["pred_std_px"] for r in sized],
                )
            )
        return metrics


def _numpy(value: Any) -> np.ndarray:
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    return np.asarray(value)


def _batch_names(data_batch: Any, n: int, offset: int) -> list[str]:
    meta = data_batch.get("meta") if isinstance(data_batch, dict) else None
    names = meta.get("name") if isinstance(meta, dict) else None
    if names is None or len(names) != n:
        return [f"image_{offset + i:04d}" for i in range(n)]
    return [str(v) for v in names]

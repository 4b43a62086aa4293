"""Metrics against hand-computed values (the paper's eqs 5-9)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from nanokit.evaluation.metrics import ParticleMetric
from nanokit.evaluation.metrics._functional import (
    confusion_counts,
    particle_ecds,
    segmentation_scores,
    sizing_scores,
)
from nanokit.registry import METRICS, build


def test_confusion_counts_skip_ignored_pixels():
    gt = np.array([[1, 1, 0, 0], [1, 0, 0, 255]])
    pred = np.array([[1, 0, 1, 0], [1, 0, 1, 1]])
    assert confusion_counts(pred, gt) == {"tp": 2, "fp": 2, "fn": 1, "tn": 2}


def test_scores_follow_equations_5_to_8():
    s = segmentation_scores(tp=60, fp=20, fn=20, tn=100)
    assert s["IoU"] == pytest.approx(60 / 100)
    assert s["Recall"] == pytest.approx(60 / 80)
    assert s["Precision"] == pytest.approx(60 / 80)
    assert s["F1"] == pytest.approx(0.75)
    assert s["mIoU"] == pytest.approx((0.6 + 100 / 140) / 2)
    assert s["Accuracy"] == pytest.approx(160 / 200)
    s = segmentation_scores(tp=30, fp=10, fn=50, tn=0)
    assert (s["Precision"], s["Recall"]) == (pytest.approx(0.75), pytest.approx(0.375))
    assert s["F1"] == pytest.approx(2 * 0.75 * 0.375 / 1.125)
    assert math.isnan(segmentation_scores(0, 0, 0, 5)["IoU"])


def test_metric_accumulates_pixel_counts_over_the_split():
    metric = build(METRICS, dict(type="ParticleMetric"))
    a_gt = torch.tensor([[1, 1], [0, 0]])
    a_pred = torch.tensor([[1, 1], [1, 0]])  # tp 2, fp 1
    b_gt = torch.tensor([[1, 1, 1], [1, 0, 0]])
    b_pred = torch.tensor([[0, 0, 0], [1, 0, 0]])  # tp 1, fn 3, tn 2
    batch = {"meta": {"name": ["a", "b"]}}
    metric.process(batch, [{"pred": a_pred, "gt": a_gt}, {"pred": b_pred, "gt": b_gt}])
    out = metric.compute_metrics(metric.results)
    assert (out["TP"], out["FP"], out["FN"], out["TN"]) == (3, 1, 3, 3)
    assert out["IoU"] == pytest.approx(3 / 7)  # not the mean of per-image IoUs (2/3, 1/4)
    assert out["Precision"] == pytest.approx(3 / 4) and out["Recall"] == pytest.approx(3 / 6)
    assert [r["image"] for r in metric.results] == ["a", "b"]
    assert metric.results[1]["IoU"] == pytest.approx(0.25)


def test_particle_sizes_and_sizing_metrics():
    labels = np.zeros((40, 40), np.int32)
    labels[5:15, 5:15] = 1  # 100 px
    labels[20:24, 20:24] = 2  # 16 px
    labels[0:5, 30:35] = 3  # touches the border
    ecds = particle_ecds(labels, instances=True, min_area=10)
    np.testing.assert_allclose(sorted(ecds), np.sqrt(4 * np.array([16, 100]) / np.pi))
    binary = particle_ecds((labels > 0).astype(int), instances=False, min_area=20)
    np.testing.assert_allclose(binary, [np.sqrt(400 / np.pi)])

    # model means 10, 22, 29 (std 1, 1, nan); manual means 11, 20, 30
    out = sizing_scores([10, 22, 29], [11, 20, 30], [1.0, 1.0, math.nan])
    assert out["Spearman"] == pytest.approx(1.0)
    assert out["MRE"] == pytest.approx((1 / 11 + 2 / 20 + 1 / 30) / 3)
    assert out["logR_Acc"] == pytest.approx(0.5)  # |10-11| <= 1 yes, |22-20| <= 1 no; 3rd skipped
    assert sizing_scores([3, 2, 1], [1, 2, 3], [0, 0, 0])["Spearman"] == pytest.approx(-1.0)


def test_metric_reports_sizing_when_instances_are_given():
    truth = np.zeros((30, 30), np.int32)
    truth[3:9, 3:9] = 1
    truth[15:25, 15:25] = 2
    pred = (truth > 0).astype(np.int64)
    metric = ParticleMetric(min_area=5)
    metric.process({}, [{"pred": pred, "gt": pred.copy(), "instances": truth}])
    row = metric.results[0]
    assert row["image"] == "image_0000"
    assert row["pred_n_px"] == row["true_n_px"] == 2
    assert row["pred_mean_px"] == pytest.approx(row["true_mean_px"])
    out = metric.compute_metrics(metric.results)
    assert out["IoU"] == 1.0 and out["MRE"] == pytest.approx(0.0) and out["logR_Acc"] == 1.0

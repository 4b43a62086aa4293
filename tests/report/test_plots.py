"""Histograms: a reused figure draws the same pixels as a new one; sizes over decades get a
log axis."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np

from nanokit.measure.stats import summarize
from nanokit.report.plots import FigurePool, histogram_png, spans_decades


def _draw(sizes: np.ndarray, unit: str, path: Path) -> np.ndarray:
    stats = summarize(sizes, n_boot=0)
    histogram_png(sizes, path, unit, f"{sizes.size} particles", stats, size=(5.0, 3.2))
    return cv2.imread(str(path), cv2.IMREAD_UNCHANGED)


def _draw_in_new_thread(sizes: np.ndarray, unit: str, path: Path) -> np.ndarray:
    """A plot on a figure of its own (figures are reused per thread)."""
    out: list[np.ndarray] = []
    thread = threading.Thread(target=lambda: out.append(_draw(sizes, unit, path)))
    thread.start()
    thread.join()
    return out[0]


def test_reused_figure_draws_the_same_pixels(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    samples = {
        "many": (np.exp(rng.normal(3.0, 0.3, 400)), "nm"),
        "none": (np.array([]), "px"),
        "one": (np.array([12.5]), "nm"),
        "large": (np.exp(rng.normal(11.0, 0.2, 50)), "nm"),
        "pooled samples": (
            np.exp(np.r_[rng.normal(3.0, 0.3, 200), rng.normal(9.0, 0.3, 60)]),
            "nm",
        ),
    }
    fresh = {name: _draw_in_new_thread(*s, tmp_path / f"{name}.png") for name, s in samples.items()}
    for round_ in range(2):  # every sample after every other one
        for name, (sizes, unit) in samples.items():
            reused = _draw(sizes, unit, tmp_path / f"{name}_{round_}.png")
            assert np.array_equal(reused, fresh[name]), name
    assert not np.array_equal(fresh["many"], fresh["large"])


def test_pooled_figure_draws_the_same_pixels(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    samples = [np.exp(rng.normal(3.0, 0.3, 400)), np.array([]), np.exp(rng.normal(9.0, 0.2, 50))]
    pool = FigurePool()
    for i, sizes in enumerate(samples * 2):
        stats = summarize(sizes, n_boot=0)
        histogram_png(sizes, tmp_path / "new.png", "nm", "t", stats, size=(5.0, 3.2))
        histogram_png(sizes, tmp_path / "pool.png", "nm", "t", stats, (5.0, 3.2), figures=pool)
        new, pooled = (cv2.imread(str(tmp_path / f"{n}.png")) for n in ("new", "pool"))
        assert np.array_equal(new, pooled), i


def test_sizes_over_decades_get_a_log_axis(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    one_sample = np.exp(rng.normal(3.0, 0.4, 300))
    two_samples = np.r_[one_sample, np.exp(rng.normal(9.0, 0.3, 100))]
    assert not spans_decades(one_sample)
    assert spans_decades(two_samples)
    assert not spans_decades(np.array([5.0])) and not spans_decades(np.array([0.0, 100.0]))
    pool = FigurePool()
    histogram_png(
        two_samples, tmp_path / "h.png", "nm", stats=summarize(two_samples, n_boot=0), figures=pool
    )
    ((_, ax),) = pool._by_size.values()
    assert ax.get_xscale() == "log"
    assert ax.get_xlim()[0] > 0

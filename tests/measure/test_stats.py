"""Statistics on known samples: moments, percentiles, bootstrap CIs, log-normal fit."""

from __future__ import annotations

import numpy as np
import pytest

from nanokit.measure.stats import lognormal_fit, summarize


def test_known_sample() -> None:
    d = np.arange(1.0, 101.0)  # 1..100
    s = summarize(d, n_boot=0)
    assert s["n"] == 100
    assert s["mean"] == pytest.approx(50.5)
    assert s["std"] == pytest.approx(np.std(d, ddof=1))
    assert (s["d10"], s["d50"], s["d90"]) == pytest.approx((10.9, 50.5, 90.1))
    assert s["ci"]["mean"] is None


def test_bootstrap_interval_covers_truth_and_shrinks() -> None:
    rng = np.random.default_rng(3)
    small = summarize(rng.normal(100, 10, 50), seed=1)
    large = summarize(rng.normal(100, 10, 2000), seed=1)
    for s in (small, large):
        low, high = s["ci"]["mean"]
        assert low < s["mean"] < high
        assert low < 100 < high
        assert s["ci"]["d10"][0] < s["d10"] < s["ci"]["d10"][1]
    width = lambda s: s["ci"]["mean"][1] - s["ci"]["mean"][0]  # noqa: E731
    assert width(large) < width(small) / 4
    # Standard error of the mean: 10 / sqrt(50) -> 95 % half-width about 2.8.
    assert width(small) == pytest.approx(2 * 1.96 * 10 / np.sqrt(50), rel=0.3)


def test_bootstrap_is_reproducible() -> None:
    d = np.random.default_rng(0).lognormal(3, 0.3, 40)
    assert summarize(d, seed=5)["ci"] == summarize(d, seed=5)["ci"]


def test_lognormal_fit_recovers_parameters() -> None:
    d = np.random.default_rng(7).lognormal(np.log(40.0), 0.25, 5000)
    fit = lognormal_fit(d)
    assert fit["median"] == pytest.approx(40.0, rel=0.02)
    assert fit["gsd"] == pytest.approx(np.exp(0.25), rel=0.03)


def test_empty_and_single_samples() -> None:
    empty = summarize([])
    assert empty["n"] == 0 and empty["mean"] is None and empty["lognormal"] is None
    one = summarize([12.0])
    assert one["mean"] == 12.0 and one["std"] is None and one["ci"]["mean"] is None


def test_a_scale_uncertainty_widens_every_interval_alike() -> None:
    d = np.random.default_rng(3).lognormal(3.0, 0.3, 200)
    plain, widened = summarize(d), summarize(d, scale_uncertainty=0.02)
    for name in ("mean", "std", "d10", "d50", "d90"):
        assert widened[name] == plain[name]
        low, high = plain["ci"][name]
        assert widened["ci"][name] == pytest.approx([low * 0.98, high * 1.02])
    assert widened["scale_uncertainty"] == 0.02 and plain["scale_uncertainty"] == 0.0

"""Size statistics of one sample of diameters: moments, percentiles, bootstrap CIs, log-normal fit."""

from __future__ import annotations

from typing import Any

import numpy as np

#: Statistics that get a bootstrap confidence interval.
STAT_NAMES = ("mean", "std", "d10", "d50", "d90")


def _stats(samples: np.ndarray) -> dict[str, np.ndarray]:
    """Statistics along the last axis of (..., n) diameters."""
    d10, d50, d90 = np.percentile(samples, [10, 50, 90], axis=-1)
    std = samples.std(axis=-1, ddof=1) if samples.shape[-1] > 1 else np.full(d50.shape, np.nan)
    return {"mean": samples.mean(axis=-1), "std": std, "d10": d10, "d50": d50, "d90": d90}


def lognormal_fit(diameters: np.ndarray) -> dict[str, float] | None:
    """Maximum-likelihood log-normal fit of positive diameters.

    Returns:
        ``mu`` and ``sigma`` of ln(d), ``median`` = exp(mu) and geometric standard deviation
        ``gsd`` = exp(sigma), or None for fewer than two positive values.
    """
    d = np.asarray(diameters, dtype=np.float64)
    d = d[d > 0]
    if d.size < 2:
        return None
    logs = np.log(d)
    mu, sigma = float(logs.mean()), float(logs.std())
    return {"mu": mu, "sigma": sigma, "median": float(np.exp(mu)), "gsd": float(np.exp(sigma))}


def summarize(
    diameters: np.ndarray | list[float],
    n_boot: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
    scale_uncertainty: float = 0.0,
) -> dict[str, Any]:
    """N, mean, sample std, D10/D50/D90, their bootstrap CIs and a log-normal fit.

    Args:
        diameters: (n,) diameters in any one unit.
        n_boot: bootstrap resamples for the confidence intervals; 0 skips them.
        confidence: two-sided coverage of the percentile intervals.
        seed: seed of the resampling, so reruns give the same intervals.
        scale_uncertainty: relative uncertainty of the scale the diameters were converted
            with (the calibration's, e.g. 0.004 for a bar known to ±0.4 %). Every statistic
            scales with it alike, in the same direction for every particle, so it does not
            average out: each interval [low, high] becomes [low (1 - u), high (1 + u)].

    Returns:
        ``{"n", "mean", "std", "d10", "d50", "d90", "ci": {name: [low, high]}, "lognormal",
        "scale_uncertainty"}``; statistics are None where undefined (no particles; std and
        CIs of one particle).
    """
    d = np.asarray(diameters, dtype=np.float64)
    d = d[np.isfinite(d)]
    out: dict[str, Any] = {"n": int(d.size), **{name: None for name in STAT_NAMES}}
    out["ci"] = {name: None for name in STAT_NAMES}
    out["lognormal"] = lognormal_fit(d)
    out["scale_uncertainty"] = float(scale_uncertainty)
    if d.size == 0:
        return out
    for name, value in _stats(d).items():
        out[name] = None if np.isnan(value) else float(value)
    if n_boot > 0 and d.size > 1:
        rng = np.random.default_rng(seed)
        alpha = (1.0 - confidence) / 2.0
        chunks = []
        per_chunk = max(1, 2_000_000 // d.size)
        for start in range(0, n_boot, per_chunk):
            idx = rng.integers(0, d.size, size=(min(per_chunk, n_boot - start), d.size))
            chunks.append(_stats(d[idx]))
        for name in STAT_NAMES:
            values = np.concatenate([c[name] for c in chunks])
            low, high = np.quantile(values, [alpha, 1.0 - alpha])
            out["ci"][name] = [
                float(low * (1 - scale_uncertainty)),
                float(high * (1 + scale_uncertainty)),
            ]
    return out

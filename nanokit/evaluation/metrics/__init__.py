"""Metrics (registered in ``METRICS``) and the pure functions behind them."""

from __future__ import annotations

from .particle_metric import ParticleMetric

__all__ = ["ParticleMetric"]

"""``nanokit.apis.model.build_model``: re-exported from :mod:`nanokit.models.builder`."""

from __future__ import annotations

from ..models.builder import build_model

__all__ = ["build_model"]

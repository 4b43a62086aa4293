"""Synthetic SEM micrographs of near-round particles with instance masks, vendor-like data
bars and exact truth (``nanokit synth``)."""

from __future__ import annotations

from .generator import STYLES, generate_dataset, make_sample
from .label import render_label

__all__ = ["STYLES", "generate_dataset", "make_sample", "render_label"]

"""Choosing which samples belong to a split: a list file or a seeded ratio."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from ..errors import NanokitError

SPLITS = ("train", "val", "test")


def read_split_file(path: str | Path) -> list[str]:
    """Sample names (file stems), one per line; blank lines and ``#`` comments skipped."""
    path = Path(path)
    if not path.is_file():
        raise NanokitError(f"split file not found: {path}")
    names = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(Path(line).stem)
    return names


def ratio_split(names: Sequence[str], split: str, ratios: Sequence[float], seed: int) -> list[str]:
    """The names of ``split`` after a seeded shuffle cut at ``ratios`` (train, val, test).

    The same names, ratios and seed always give the same, disjoint splits.
    """
    if split not in SPLITS:
        raise NanokitError(f"split must be one of {SPLITS}, got {split!r}")
    if len(ratios) != 3 or min(ratios) < 0 or sum(ratios) <= 0:
        raise NanokitError(f"split_ratios must be three non-negative numbers, got {ratios!r}")
    order = sorted(names)
    random.Random(seed).shuffle(order)
    total = float(sum(ratios))
    n_train = round(len(order) * ratios[0] / total)
    n_val = round(len(order) * ratios[1] / total)
    bounds = {"train": (0, n_train), "val": (n_train, n_train + n_val)}
    start, stop = bounds.get(split, (n_train + n_val, len(order)))
    return order[start:stop]

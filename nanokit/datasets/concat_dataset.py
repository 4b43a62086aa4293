"""Several segmentation datasets trained on as one (e.g. real masks + synthetic images)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from torch.utils.data import ConcatDataset

from ..errors import NanokitError
from ..registry import DATASETS


@DATASETS.register_module()
class SegConcatDataset(ConcatDataset):
    """The samples of every dataset in ``datasets``, one after the other.

    Args:
        datasets: DATASETS configs; one without ``data_root`` gets this one's.
        data_root: default data root of the parts (the config's, e.g. a synthetic set's
            ``<work_dir>/data``).
        repeats: how many times each part's samples are listed (balances a small real set
            against a large synthetic one); default once each.
    """

    def __init__(
        self,
        datasets: Sequence[dict[str, Any]],
        data_root: str | Path | None = None,
        repeats: Sequence[int] | None = None,
    ) -> None:
        from ..registry import build

        if not datasets:
            raise NanokitError("SegConcatDataset needs at least one dataset")
        repeats = list(repeats) if repeats is not None else [1] * len(datasets)
        if len(repeats) != len(datasets) or min(repeats) < 1:
            raise NanokitError("repeats must give a count >= 1 for every dataset")
        parts = []
        for cfg, times in zip(datasets, repeats, strict=True):
            cfg = dict(cfg)
            if data_root is not None:
                cfg.setdefault("data_root", str(data_root))
            parts.extend([build(DATASETS, cfg)] * times)
        super().__init__(parts)
        self.metainfo = parts[0].metainfo

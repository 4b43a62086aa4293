"""Test-only hook (imported by the DDP test's config): every rank writes its weight sums."""

from __future__ import annotations

import json
from pathlib import Path

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from nanokit.registry import HOOKS


@HOOKS.register_module()
class RankWeightsProbe(Hook):
    """``rank<R>.json`` in the work dir: parameter sums before and after training, and this
    rank's training losses by epoch."""

    def before_train(self, runner) -> None:  # noqa: ANN001 - mmengine Runner
        self.before = _sums(runner.model)
        self.losses: dict[int, list[float]] = {}

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:  # noqa: ANN001
        self.losses.setdefault(runner.epoch + 1, []).append(outputs["loss"].item())

    def after_train(self, runner) -> None:  # noqa: ANN001
        probe = {"before": self.before, "after": _sums(runner.model), "losses": self.losses}
        Path(runner.work_dir, f"rank{runner.rank}.json").write_text(json.dumps(probe))


def _sums(model) -> dict[str, float]:  # noqa: ANN001
    model = model.module if is_model_wrapper(model) else model
    return {name: float(p.detach().double().sum()) for name, p in model.named_parameters()}

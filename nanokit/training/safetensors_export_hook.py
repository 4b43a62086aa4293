"""Weights as safetensors beside mmengine's checkpoints (loadable with torch >= 2.6)."""

from __future__ import annotations

from pathlib import Path

from mmengine.dist import master_only
from mmengine.hooks import Hook

from ..registry import HOOKS
from ..utils.checkpoint import save_weights
from ._utils import unwrap


@HOOKS.register_module()
class SafetensorsExportHook(Hook):
    """Write ``best.safetensors`` and ``last.safetensors`` (model state dict only).

    ``best`` follows the Runner's ``best_score`` (CheckpointHook ``save_best``) after each
    validation; ``last`` is written every ``interval`` epochs and when training ends.

    Args:
        interval: epochs between ``last.safetensors`` updates.
    """

    priority = "LOWEST"  # after CheckpointHook has updated best_score

    def __init__(self, interval: int = 5) -> None:
        self.interval = interval
        self._best: float | None = None

    @master_only
    def _save(self, runner, name: str) -> Path:  # noqa: ANN001 - mmengine Runner
        return save_weights(unwrap(runner.model), Path(runner.work_dir) / name)

    def before_train(self, runner) -> None:  # noqa: ANN001
        # after a resume the restored best_score is already exported: keep it
        hub = runner.message_hub
        if "best_score" in hub.runtime_info:
            self._best = float(hub.get_info("best_score"))

    def after_train_epoch(self, runner) -> None:  # noqa: ANN001
        if self.every_n_epochs(runner, self.interval):
            self._save(runner, "last.safetensors")

    def after_val_epoch(self, runner, metrics=None) -> None:  # noqa: ANN001
        hub = runner.message_hub
        if "best_score" not in hub.runtime_info:
            return
        best = float(hub.get_info("best_score"))
        if self._best is None or best != self._best:
            path = self._save(runner, "best.safetensors")
            runner.logger.info(f"best model so far ({best:.4f}) exported to {path}")
            self._best = best

    def after_train(self, runner) -> None:  # noqa: ANN001
        self._save(runner, "last.safetensors")

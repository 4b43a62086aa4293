"""Training curves: the loss per epoch and the validation metrics, as a PNG and JSON."""

from __future__ import annotations

import json
from pathlib import Path

from mmengine.dist import master_only
from mmengine.hooks import Hook

from ..registry import HOOKS


@HOOKS.register_module()
class CurvePlotHook(Hook):
    """Plot mean training loss per epoch and validation ``metric_keys`` into ``curves.png``.

    The numbers go to ``curves.json`` too, and both files are rewritten after every
    validation and at the end of training.

    Args:
        metric_keys: validation metrics to plot (fractions, right axis).
        filename: PNG name in the work dir.
    """

    priority = "LOW"

    def __init__(
        self, metric_keys: tuple[str, ...] = ("IoU",), filename: str = "curves.png"
    ) -> None:
        self.metric_keys = tuple(metric_keys)
        self.filename = filename
        self.loss: dict[int, list[float]] = {}
        self.val: dict[str, list[tuple[int, float]]] = {k: [] for k in self.metric_keys}

    def before_train(self, runner) -> None:  # noqa: ANN001
        # after a resume, keep the curves of the epochs that are already done
        previous = Path(runner.work_dir) / "curves.json"
        if runner.epoch == 0 or not previous.is_file():
            return
        data = json.loads(previous.read_text())
        for epoch, loss in zip(data["epoch"], data["train_loss"], strict=True):
            if epoch <= runner.epoch:
                self.loss[epoch] = [loss]
        for key, points in data.get("val", {}).items():
            if key in self.val:
                self.val[key] = [(e, v) for e, v in points if e <= runner.epoch]

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:  # noqa: ANN001
        if outputs and "loss" in outputs:
            self.loss.setdefault(runner.epoch + 1, []).append(outputs["loss"].item())

    def after_val_epoch(self, runner, metrics=None) -> None:  # noqa: ANN001
        for key in self.metric_keys:
            if metrics and key in metrics:
                self.val[key].append((runner.epoch, float(metrics[key])))
        self._write(runner)

    def after_train(self, runner) -> None:  # noqa: ANN001
        self._write(runner)

    @master_only
    def _write(self, runner) -> None:  # noqa: ANN001
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        epochs = sorted(self.loss)
        mean_loss = [sum(self.loss[e]) / len(self.loss[e]) for e in epochs]
        work_dir = Path(runner.work_dir)
        (work_dir / "curves.json").write_text(
            json.dumps({"epoch": epochs, "train_loss": mean_loss, "val": self.val}, indent=1)
        )
        fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=100)
        ax.plot(epochs, mean_loss, "o-", color="tab:blue", ms=3, label="train loss")
        ax.set_xlabel("epoch")
        ax.set_ylabel("training loss (mean per epoch)", color="tab:blue")
        ax.grid(alpha=0.3)
        ax2 = ax.twinx()
        colours = iter(["tab:orange", "tab:green", "tab:red", "tab:purple"] * 4)
        for key, points in self.val.items():
            if points:
                ax2.plot(
                    *zip(*points, strict=True), "s-", ms=4, color=next(colours), label=f"val {key}"
                )
        ax2.set_ylabel("validation metric")
        ax2.set_ylim(0, 1)
        handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
        ax.legend(handles, [h.get_label() for h in handles], loc="center right")
        ax.set_title(Path(runner.work_dir).name)
        fig.tight_layout()
        fig.savefig(work_dir / self.filename)
        plt.close(fig)

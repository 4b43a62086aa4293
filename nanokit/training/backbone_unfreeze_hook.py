"""The paper's freezing schedule: backbone frozen for the first epochs, then fine-tuned."""

from __future__ import annotations

from mmengine.hooks import Hook

from ..registry import HOOKS
from ._utils import unwrap


@HOOKS.register_module()
class BackboneUnfreezeHook(Hook):
    """Keep the backbone frozen before epoch ``unfreeze_epoch`` and train it from then on.

    Calls ``model.freeze_backbone(frozen)`` at the start of every training epoch, so the state
    is right after a resume too. ``unfreeze_epoch=0`` never freezes. Epochs count from 0:
    with ``unfreeze_epoch=50`` the backbone is frozen in epochs 1-50 as the log numbers them
    and trained in epochs 51-100.

    Args:
        unfreeze_epoch: number of epochs with a frozen backbone.
    """

    priority = "NORMAL"

    def __init__(self, unfreeze_epoch: int = 50) -> None:
        self.unfreeze_epoch = int(unfreeze_epoch)
        self._frozen: bool | None = None

    def before_train_epoch(self, runner) -> None:  # noqa: ANN001 - mmengine Runner
        frozen = runner.epoch < self.unfreeze_epoch
        if frozen != self._frozen:
            unwrap(runner.model).freeze_backbone(frozen)
            if self._frozen is not None or not frozen:
                runner.logger.info(
                    f"backbone {'frozen' if frozen else 'unfrozen'} from epoch {runner.epoch + 1}"
                )
            self._frozen = frozen

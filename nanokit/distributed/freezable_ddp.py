"""DDP that also synchronises parameters that are frozen when the model is wrapped."""

from __future__ import annotations

from typing import Any

from mmengine.model import MMDistributedDataParallel
from torch import nn

from ..registry import MODEL_WRAPPERS


@MODEL_WRAPPERS.register_module()
class FreezableDDP(MMDistributedDataParallel):
    """:class:`MMDistributedDataParallel` over every parameter, frozen ones included.

    DDP leaves out the parameters that do not require gradients when it is built, so a
    backbone built frozen (``backbone=dict(..., frozen=True)``) and unfrozen later by
    :class:`~nanokit.training.BackboneUnfreezeHook` would be trained with each rank's own
    gradients. Here every parameter is registered with DDP and the frozen ones stay frozen;
    use it with ``find_unused_parameters=True`` so that frozen parameters count as unused.
    Config type (mmengine looks wrappers up in its root registry): ``nanokit.FreezableDDP``.
    """

    def __init__(self, module: nn.Module, **kwargs: Any) -> None:
        frozen = [p for p in module.parameters() if not p.requires_grad]
        for param in frozen:
            param.requires_grad_(True)
        try:
            super().__init__(module=module, **kwargs)
        finally:
            for param in frozen:
                param.requires_grad_(False)

"""Training losses; importing this package registers them."""

from .base import BaseLoss
from .cross_entropy_loss import CrossEntropyLoss
from .dice_loss import DiceLoss
from .focal_loss import FocalLoss

__all__ = ["BaseLoss", "CrossEntropyLoss", "DiceLoss", "FocalLoss"]

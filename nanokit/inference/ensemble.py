"""Several trained networks run as one: their class probabilities averaged."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import NanokitError
from .base import InferenceBackend
from .tiling import softmax


class EnsembleBackend(InferenceBackend):
    """Runs every member on each batch and returns the log of their mean class probabilities.

    The softmax of what it returns is the members' mean softmax, so callers that turn logits
    into probabilities get the average probability, as in a deep ensemble (Lakshminarayanan
    et al., NeurIPS 2017). Members must predict the same classes.
    """

    name = "ensemble"

    def __init__(self, members: Sequence[InferenceBackend]) -> None:
        super().__init__()
        if len(members) < 2:
            raise NanokitError(f"an ensemble needs at least two networks, got {len(members)}")
        self.members = list(members)
        for member in self.members:
            self.notes.extend(member.notes)

    def _run(self, batch: np.ndarray) -> np.ndarray:
        total: np.ndarray | None = None
        for member in self.members:
            probs = softmax(member.predict(batch))
            if total is not None and probs.shape != total.shape:
                raise NanokitError(
                    f"ensemble members disagree on their output: {probs.shape} vs {total.shape}"
                )
            total = probs if total is None else total + probs
        assert total is not None
        return np.log(np.maximum(total / len(self.members), np.finfo(np.float32).tiny))

    def describe(self) -> str:
        return f"mean of {len(self.members)} networks ({', '.join(m.describe() for m in self.members)})"

"""Several networks run as one backend: their class probabilities averaged."""

from __future__ import annotations

import numpy as np
import pytest

from nanokit.errors import NanokitError
from nanokit.inference.base import InferenceBackend
from nanokit.inference.ensemble import EnsembleBackend
from nanokit.inference.tiling import softmax


class FixedLogits(InferenceBackend):
    """Returns the same per-pixel logits for every image of the batch."""

    name = "fixed"

    def __init__(self, logits: list[float]) -> None:
        super().__init__()
        self.logits = np.asarray(logits, np.float32)

    def _run(self, batch: np.ndarray) -> np.ndarray:
        n, _, h, w = batch.shape
        return np.broadcast_to(self.logits[None, :, None, None], (n, len(self.logits), h, w))


def test_its_softmax_is_the_members_mean_probability() -> None:
    members = [FixedLogits([2.0, 0.0, -1.0]), FixedLogits([-3.0, 1.0, 0.5])]
    batch = np.zeros((2, 3, 4, 5), np.float32)
    got = softmax(EnsembleBackend(members).predict(batch))
    expected = (softmax(members[0].predict(batch)) + softmax(members[1].predict(batch))) / 2
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    assert got.shape == (2, 3, 4, 5)


def test_a_sure_member_does_not_give_infinite_logits() -> None:
    members = [FixedLogits([100.0, -100.0]), FixedLogits([100.0, -100.0])]
    logits = EnsembleBackend(members).predict(np.zeros((1, 3, 2, 2), np.float32))
    assert np.isfinite(logits).all()
    assert (logits.argmax(axis=1) == 0).all()


def test_members_with_other_classes_or_one_member_are_errors() -> None:
    batch = np.zeros((1, 3, 2, 2), np.float32)
    with pytest.raises(NanokitError, match="disagree"):
        EnsembleBackend([FixedLogits([1.0, 0.0]), FixedLogits([1.0, 0.0, 0.0])]).predict(batch)
    with pytest.raises(NanokitError, match="at least two"):
        EnsembleBackend([FixedLogits([1.0, 0.0])])

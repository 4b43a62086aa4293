"""The interface every measurement segmenter implements: a grey image in, particles out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np

from .overlays import Box


class BaseSegmenter(ABC):
    """A segmenter that ``nanokit measure`` runs on each image.

    Subclasses implement :meth:`predict_mask` and are registered in
    :data:`nanokit.registry.SEGMENTERS`; a config picks one with
    ``measure = dict(segmenter=dict(type="Name", ...))`` and ``nanokit measure --segmenter Name``
    picks one on the command line. The keyword arguments of ``__init__`` are the config's options.

    Attributes:
        confidence: the segmenter's certainty about the last image it segmented, in [0, 1]
            (images.csv ``seg_confidence``; below ``measure.min_confidence`` the image is flagged
            ``uncertain segmentation``), or None for segmenters that do not estimate one.
        split_sensitivity: relative change of the last image's mean particle size when the
            segmenter parts touching particles more strictly (images.csv
            ``split_sensitivity``; above ``measure.max_split_sensitivity`` the image is flagged
            ``unstable split``), or None for segmenters that do not measure it.
        at_overlays: particles of the last image left out because they reach the scale bar or
            its label (``overlays``; their size is unknown); ``nanokit measure`` sets it to 0
            before each image and flags ``many cut by scale bar`` from it.
    """

    confidence: float | None = None
    split_sensitivity: float | None = None
    at_overlays: int = 0

    @abstractmethod
    def predict_mask(
        self,
        grey: np.ndarray,
        rows: tuple[int, int] | None = None,
        overlays: Sequence[Box] = (),
    ) -> np.ndarray:
        """Segment one image.

        Args:
            grey: (H, W) uint8 grey image.
            rows: ``[top, bottom)`` rows to segment (outside the data bar); the rest stays
                background. None: every row.
            overlays: boxes (x0, y0, x1, y1) of annotations drawn on the image (scale bar,
                label): particles that reach them are left out.

        Returns:
            (H, W) bool particle mask, which the sizer splits into particles; or (H, W) int32
            labels (0 background, one id per particle) from segmenters that separate touching
            particles themselves, which the sizer measures as they are.
        """


def segmenter_type(name: str) -> str:
    """The registered :data:`~nanokit.registry.SEGMENTERS` type that ``name`` means.

    ``name`` is a registered type (``ClassicalSegmenter``) or a short alias: the type name in any
    case, without the ``Segmenter`` suffix, ``-`` and ``_`` ignored (``classical``,
    ``synth-unet``, ``instance``). Plugins are loaded first, so their segmenters count too.

    Raises:
        NanokitError: one line naming the registered segmenters when ``name`` matches none.
    """
    from .. import segmentation  # noqa: F401 - registers the built-in segmenters
    from ..errors import NanokitError
    from ..plugins import load_plugins
    from ..registry import SEGMENTERS

    load_plugins()
    names = sorted(SEGMENTERS.module_dict)
    if name in names:
        return name

    def key(text: str) -> str:
        return text.lower().replace("-", "").replace("_", "")

    wanted = key(name)
    for registered in names:
        if wanted in (key(registered), key(registered.removesuffix("Segmenter"))):
            return registered
    raise NanokitError(f"unknown segmenter {name!r}; registered: {', '.join(names) or 'none'}")

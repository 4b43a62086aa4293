"""Saving corrected labels back to ``masks/<key>.png`` of their run, for ``nanokit remeasure``."""

from __future__ import annotations

import os
from pathlib import Path

import napari.layers
import numpy as np
from magicgui import magic_factory

from nanokit.errors import NanokitError

from .run_layers import METADATA_KEY


def save_labels(layer: napari.layers.Labels) -> Path:
    """Write ``layer``'s labels as the uint16 label image of the run and image it came from.

    Raises:
        NanokitError: the layer did not come from a measure output (or its run is gone), its
            shape differs from the image's, or it holds labels a 16-bit image cannot.
    """
    import cv2

    from nanokit.measure.run_folder import load_run

    origin = layer.metadata.get(METADATA_KEY)
    if not origin:
        raise NanokitError(
            f"layer {layer.name!r} did not come from a nanokit measure output: nothing to save to"
        )
    try:
        target = load_run(origin["run"])[origin["key"]].mask_path
    except KeyError:
        target = None
    if target is None:
        raise NanokitError(f"run {origin['run']} has no label image of {origin['image']!r}")
    data = np.asarray(layer.data)
    previous = cv2.imread(str(target), cv2.IMREAD_UNCHANGED)
    if previous is not None and previous.shape != data.shape:
        raise NanokitError(
            f"labels of layer {layer.name!r} are {data.shape}, {target} is {previous.shape}"
        )
    if data.size and (data.min() < 0 or data.max() > np.iinfo(np.uint16).max):
        raise NanokitError(f"labels of layer {layer.name!r} must lie in 0-65535 for a 16-bit PNG")
    ok, png = cv2.imencode(".png", data.astype(np.uint16))
    if not ok:
        raise NanokitError(f"cannot encode the labels of layer {layer.name!r} as PNG")
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(png.tobytes())
    os.replace(tmp, target)
    return target


@magic_factory(call_button="Save labels for remeasure")
def save_labels_widget(labels: napari.layers.Labels) -> None:
    """Dock widget: save the chosen labels layer to its run's masks/ (one-line message)."""
    from napari.utils.notifications import show_error, show_info

    try:
        target = save_labels(labels)
    except NanokitError as exc:
        show_error(str(exc))
        return
    show_info(f"saved {target}; run: nanokit remeasure {target.parent.parent}")

"""Annotation conversion: Labelme JSON polygons -> nanokit mask images."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import NanokitError


def convert_labelme(
    src: str | Path,
    dst: str | Path,
    label_names: Sequence[str] | None = None,
    instances: bool = False,
    quiet: bool = False,
) -> list[Path]:
    """Rasterise every Labelme file in ``src`` (a folder or one .json) into ``dst/<stem>.png``.

    Args:
        src: a Labelme ``.json`` file or a folder of them.
        dst: output folder (created).
        label_names: labels that mark particles; None takes every label.
        instances: write uint16 instance ids (1..N per shape) instead of binary 0/255 masks.
        quiet: no progress bar.

    Returns:
        The written mask paths.
    """
    import cv2
    import numpy as np

    from ..datasets._io import read_array
    from ..datasets._labelme import (
        decode_image_data,
        labelme_image_path,
        labelme_to_labels,
        read_labelme,
    )
    from ..utils.progress import progress

    src, dst = Path(src), Path(dst)
    files = [src] if src.is_file() else sorted(src.glob("*.json"))
    if not files:
        raise NanokitError(f"no Labelme .json files in {src}")
    dst.mkdir(parents=True, exist_ok=True)
    names = None if label_names is None else set(label_names)
    written = []
    for path in progress(files, desc="convert", total=len(files), quiet=quiet):
        ann = read_labelme(path)
        shape = None
        if not ann.get("imageHeight") or not ann.get("imageWidth"):
            image_path = labelme_image_path(ann, path)
            image = read_array(image_path) if image_path else decode_image_data(ann)
            if image is None:
                raise NanokitError(f"{path}: no image size and no image to read it from")
            shape = image.shape[:2]
        labels = labelme_to_labels(ann, shape, names)
        if instances:
            if labels.max() > np.iinfo(np.uint16).max:
                raise NanokitError(f"{path}: more than 65535 shapes")
            mask = labels.astype(np.uint16)
        else:
            mask = np.where(labels > 0, 255, 0).astype(np.uint8)
        out = dst / f"{path.stem}.png"
        if not cv2.imwrite(str(out), mask):
            raise NanokitError(f"cannot write {out}")
        written.append(out)
    return written

"""Rasterising Labelme annotations (JSON polygons) into label images."""

from __future__ import annotations

import base64
import json
from collections.abc import Collection
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NanokitError, first_line
from ..io.images import IMAGE_SUFFIXES


def read_labelme(path: str | Path) -> dict[str, Any]:
    """The parsed Labelme JSON at ``path``; a bad file gives a one-line error."""
    path = Path(path)
    try:
        ann = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise NanokitError(first_line(f"cannot read Labelme file {path}: {exc}")) from exc
    if not isinstance(ann, dict) or not isinstance(ann.get("shapes"), list):
        raise NanokitError(f"{path} is not a Labelme file (no 'shapes' list)")
    return ann


def labelme_image_path(ann: dict[str, Any], json_path: Path) -> Path | None:
    """The image a Labelme file annotates: its ``imagePath``, else a same-stem image file."""
    if ann.get("imagePath"):
        candidate = (json_path.parent / ann["imagePath"]).resolve()
        if candidate.is_file():
            return candidate
    for suffix in IMAGE_SUFFIXES:
        candidate = json_path.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def decode_image_data(ann: dict[str, Any]) -> np.ndarray | None:
    """The image embedded in a Labelme file (``imageData``, base64) as stored, or None."""
    if not ann.get("imageData"):
        return None
    import cv2

    buf = np.frombuffer(base64.b64decode(ann["imageData"]), dtype=np.uint8)
    arr = cv2.imdecode(buf, cv2.IMREAD_UNCHANGED)
    if arr is not None and arr.ndim == 3:
        code = cv2.COLOR_BGRA2RGBA if arr.shape[2] == 4 else cv2.COLOR_BGR2RGB
        arr = cv2.cvtColor(arr, code)
    return arr


def labelme_to_labels(
    ann: dict[str, Any],
    shape: tuple[int, int] | None = None,
    label_names: Collection[str] | None = None,
) -> np.ndarray:
    """Draw each particle shape of a Labelme annotation with its own id.

    Polygons, rectangles and circles are filled; lines and points are skipped. Later shapes
    overwrite earlier ones where they overlap.

    Args:
        ann: parsed Labelme JSON.
        shape: (H, W) of the image; defaults to ``imageHeight``/``imageWidth``.
        label_names: labels that mark particles; None takes every label.

    Returns:
        (H, W) int32 label image: 0 background, 1..N the particle shapes in file order.
    """
    import cv2

    if shape is None:
        if not ann.get("imageHeight") or not ann.get("imageWidth"):
            raise NanokitError("the Labelme file gives no imageHeight/imageWidth")
        shape = (int(ann["imageHeight"]), int(ann["imageWidth"]))
    labels = np.zeros(shape, dtype=np.int32)
    next_id = 1
    for item in ann["shapes"]:
        if label_names is not None and item.get("label") not in label_names:
            continue
        kind = item.get("shape_type") or "polygon"
        pts = np.asarray(item.get("points", []), dtype=np.float64).reshape(-1, 2)
        if kind == "polygon" and len(pts) >= 3:
            cv2.fillPoly(labels, [np.round(pts).astype(np.int32)], int(next_id))
        elif kind == "rectangle" and len(pts) == 2:
            (x0, y0), (x1, y1) = np.round(np.sort(pts, axis=0)).astype(int)
            labels[max(y0, 0) : y1 + 1, max(x0, 0) : x1 + 1] = next_id
        elif kind == "circle" and len(pts) == 2:
            radius = int(round(float(np.hypot(*(pts[1] - pts[0])))))
            centre = tuple(int(v) for v in np.round(pts[0]))
            cv2.circle(labels, centre, radius, int(next_id), thickness=-1)
        else:
            continue
        next_id += 1
    return labels

"""The end of a measure run: pooled histogram, summary.json and a self-contained report.html.

The page is the jinja2 template ``report.html`` shipped beside this module, filled with the
run's typed statistics (:func:`~nanokit.report.run_stats.collect`).
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from functools import partial
from importlib.resources import files
from pathlib import Path
from typing import Any

from ..measure.stats import STAT_NAMES
from .plots import histogram_png
from .run_stats import ImageStats, RunStats, collect

#: Width (px) of the overlay thumbnails embedded in the report.
THUMB_WIDTH = 420
#: The page's template (package data of ``nanokit.report``).
TEMPLATE = "report.html"


def write_report(out: str | Path, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write ``histogram.png``, ``summary.json`` and ``report.html`` for the run in ``out``.

    Args:
        out: a ``nanokit measure`` output folder (manifest, particles.csv, overlays/, ...).
        settings: how the run was configured, copied into the summary.

    Returns:
        The summary (as written to summary.json).
    """
    out = Path(out)
    settings = settings or {}
    exclude = (settings.get("sizer") or {}).get("exclude_border", True)
    run = collect(out, exclude_border=exclude)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The pooled histogram (matplotlib, holding the GIL) is drawn during the thumbnails.
        histogram = pool.submit(
            histogram_png,
            run.pooled_sizes,
            out / "histogram.png",
            run.unit,
            "all images",
            run.pooled,
        )
        thumbnails = _thumbnails(run.images)
        histogram.result()
    summary = {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "n_images": len(run.images),
        "status_counts": dict(run.status_counts),
        "qc_flag_counts": dict(run.flag_counts),
        "unit": run.unit,
        "pooled": run.pooled,
        "images": [
            {
                "image": im.record.image,
                "unit": im.record.unit,
                "status": im.record.status,
                "qc_flags": list(im.record.qc_flags),
                **im.stats,
            }
            for im in run.images
        ],
        "settings": settings,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    page = render_html(out, run, summary, thumbnails)
    (out / "report.html").write_text(page, encoding="utf-8")
    return summary


def render_html(
    out: Path, run: RunStats, summary: dict[str, Any], thumbnails: dict[str, tuple[str, str]]
) -> str:
    """The report page of the run in ``out`` (``thumbnails``: overlay and histogram ``data:``
    URIs by image, see :func:`_thumbnails`)."""
    import jinja2

    env = jinja2.Environment(autoescape=True)
    env.filters.update(num=_num, cell=_cell)
    template = env.from_string((files(__package__) / TEMPLATE).read_text(encoding="utf-8"))
    return template.render(
        out=str(out),
        run=run,
        summary=summary,
        stat_names=STAT_NAMES,
        pipeline=_pipeline(summary["settings"]),
        histogram=_png_data(out / "histogram.png"),
        thumbnails=thumbnails,
    )


def _num(value: Any, digits: int = 4) -> str:
    """A statistic as shown: ``digits`` significant digits, ``–`` when missing."""
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def _cell(value: Any) -> str:
    """A value as images.csv writes it (6 significant digits for floats)."""
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def _pipeline(settings: dict[str, Any]) -> list[str]:
    """What segmented and sized the images, from the run's settings."""
    parts = []
    for key in ("segmenter", "sizer"):
        value = settings.get(key)
        name = value.get("type") if isinstance(value, dict) else value
        if name:
            parts.append(f"{key}: {name}")
    if settings.get("checkpoint"):
        parts.append(f"weights: {Path(settings['checkpoint']).name}")
    inference = settings.get("inference") or {}
    if inference.get("backend"):
        text = f"inference: {inference['backend']} (auto on {inference['cpu']}"
        if inference.get("mask_agreement") is not None:
            text += (
                f"; against fp32 {100 * inference['mask_agreement']:.2f} % of pixels alike, "
                f"mean size {100 * inference['mean_size_change']:+.2f} %"
            )
        parts.append("; ".join([text + ")", *inference["notes"]]))
    elif inference.get("requested"):
        parts.append(f"inference: {inference['requested']}")
    return parts


def _thread_map(fn: Callable[[Any], Any], items: Iterable[Any]) -> list[Any]:
    """``[fn(item) for item in items]`` on one thread per core: OpenCV's codecs release the GIL."""
    with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        return list(pool.map(fn, items))


def _png_data(path: Path, width: int | None = None) -> str:
    """``data:`` URI of an image file, downscaled to ``width`` px as JPEG when given."""
    if not path.is_file():
        return ""
    if width is None:
        return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()
    import cv2

    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        return ""
    if image.shape[1] > width:
        height = round(image.shape[0] * width / image.shape[1])
        image = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 82])
    return "data:image/jpeg;base64," + base64.b64encode(buf.tobytes()).decode() if ok else ""


def _thumbnails(images: list[ImageStats]) -> dict[str, tuple[str, str]]:
    """Overlay and histogram thumbnails (``data:`` URIs) of the images that have an overlay."""
    records = [im.record for im in images if im.record.overlay_path]
    paths = [p for r in records for p in (r.overlay_path, r.histogram_path or Path())]
    uris = _thread_map(partial(_png_data, width=THUMB_WIDTH), paths)
    return {r.image: (uris[2 * i], uris[2 * i + 1]) for i, r in enumerate(records)}

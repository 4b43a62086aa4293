"""The end of a measure run: pooled histogram, summary.json and a self-contained report.html."""

from __future__ import annotations

import base64
import html
import json
import math
import os
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from ..measure.outputs import read_rows
from ..measure.run_folder import load_run
from ..measure.stats import STAT_NAMES, summarize
from .plots import histogram_png

#: Width (px) of the overlay thumbnails embedded in the report.
THUMB_WIDTH = 420


def _num(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def collect(out: Path, exclude_border: bool = True) -> dict[str, Any]:
    """Statistics of every image in ``out``'s CSVs and of all calibrated particles pooled.

    Returns:
        ``{"images": [...], "pooled": {...}, "unit", "status_counts", "flag_counts"}``; each
        image carries its CSV row, ``unit`` (nm, or px when uncalibrated) and ``stats`` of its
        measured particles (with bootstrap CIs).
    """
    # By name, not in the order that workers finished them: the same run gives the same
    # report, bootstrap intervals included (each image's resampling is seeded by its place).
    rows = sorted(read_rows(out / "images.csv"), key=lambda r: r["image"])
    sizes: dict[str, list[tuple[float | None, float]]] = {}
    for p in read_rows(out / "particles.csv"):
        if exclude_border and p["touches_border"] == "true":
            continue
        sizes.setdefault(p["image"], []).append((_num(p["ecd_nm"]), float(p["ecd_px"])))
    samples = []
    pooled_nm: list[float] = []
    pooled_px: list[float] = []
    for row in rows:
        values = sizes.get(row["image"], [])
        calibrated = _num(row["nm_per_px"]) is not None
        d = np.array([nm if calibrated else px for nm, px in values], dtype=np.float64)
        (pooled_nm if calibrated else pooled_px).extend(d.tolist())
        samples.append((row, "nm" if calibrated else "px", d))
    unit = "nm" if pooled_nm or not pooled_px else "px"
    pooled = np.array(pooled_nm if unit == "nm" else pooled_px)
    # The pooled sample first: the longest job, the others fill the other threads meanwhile.
    pooled_stats, *stats = _thread_map(
        lambda job: summarize(job[0], seed=job[1]),
        [(pooled, 0)] + [(d, index) for index, (_, _, d) in enumerate(samples)],
    )
    images = [
        {
            "row": row,
            "unit": image_unit,
            "stats": image_stats,
            "flags": [f for f in row["qc_flags"].split("; ") if f],
        }
        for (row, image_unit, _), image_stats in zip(samples, stats, strict=True)
    ]
    return {
        "images": images,
        "unit": unit,
        "pooled": pooled_stats,
        "pooled_sizes": pooled,
        "status_counts": Counter(r["status"].split(":")[0].split(";")[0] for r in rows),
        "flag_counts": Counter(f for im in images for f in im["flags"]),
    }


def _thread_map(fn: Callable[[Any], Any], items: Iterable[Any]) -> list[Any]:
    """``[fn(item) for item in items]`` on one thread per core: NumPy's partitioning (bootstrap
    percentiles) and OpenCV's codecs (thumbnails) release the GIL."""
    with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        return list(pool.map(fn, items))


def write_report(out: str | Path, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write ``histogram.png``, ``summary.json`` and ``report.html`` for the rows in ``out``.

    Args:
        out: a ``nanokit measure`` output folder (images.csv, particles.csv, overlays/, ...).
        settings: how the run was configured, copied into the summary.

    Returns:
        The summary (as written to summary.json).
    """
    out = Path(out)
    settings = settings or {}
    exclude = (settings.get("sizer") or {}).get("exclude_border", True)
    data = collect(out, exclude_border=exclude)
    unit = data["unit"]
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The pooled histogram (matplotlib, holding the GIL) is drawn during the thumbnails.
        histogram = pool.submit(
            histogram_png,
            data["pooled_sizes"],
            out / "histogram.png",
            unit,
            "all images",
            data["pooled"],
        )
        thumbnails = _thumbnails(out, data["images"])
        histogram.result()
    summary = {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "n_images": len(data["images"]),
        "status_counts": dict(data["status_counts"]),
        "qc_flag_counts": dict(data["flag_counts"]),
        "unit": unit,
        "pooled": data["pooled"],
        "images": [
            {
                "image": im["row"]["image"],
                "unit": im["unit"],
                "status": im["row"]["status"],
                "qc_flags": im["flags"],
                **im["stats"],
            }
            for im in data["images"]
        ],
        "settings": settings,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    (out / "report.html").write_text(_html(out, data, summary, thumbnails), encoding="utf-8")
    return summary


# --- HTML ----------------------------------------------------------------------------------
_CSS = """
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1300px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 6px;
text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}
.flag{display:inline-block;background:#fde2cf;color:#8a3b00;border-radius:3px;padding:0 4px;
margin:1px;font-size:12px}.bad{color:#b00020}.ok{color:#1b7a1b}
.cards{display:flex;flex-wrap:wrap;gap:14px}.card{border:1px solid #ddd;padding:8px;
width:430px;font-size:13px}.card img{max-width:100%}.muted{color:#777}
"""


def _fmt(value: Any, digits: int = 4) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return html.escape(str(value))


def _with_ci(stats: dict[str, Any], name: str) -> str:
    ci = stats["ci"].get(name)
    value = _fmt(stats[name])
    if ci is None:
        return value
    return f"{value} <span class=muted>[{_fmt(ci[0])}, {_fmt(ci[1])}]</span>"


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


def _thumbnails(out: Path, images: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """Overlay and histogram thumbnails (``data:`` URIs) of the images that have an overlay,
    found through the run's manifest."""
    wanted = {im["row"]["image"] for im in images}
    records = [r for r in load_run(out).images if r.image in wanted and r.overlay_path]
    paths = [p for r in records for p in (r.overlay_path, r.histogram_path or Path())]
    uris = _thread_map(partial(_png_data, width=THUMB_WIDTH), paths)
    return {r.image: (uris[2 * i], uris[2 * i + 1]) for i, r in enumerate(records)}


def _flags(flags: list[str]) -> str:
    return "".join(f"<span class=flag>{html.escape(f)}</span>" for f in flags)


def _stats_table(stats: dict[str, Any], unit: str) -> str:
    head = "".join(f"<th>{n.upper() if n.startswith('d') else n} ({unit})</th>" for n in STAT_NAMES)
    cells = "".join(f"<td>{_with_ci(stats, n)}</td>" for n in STAT_NAMES)
    fit = stats.get("lognormal")
    fit_cells = (
        f"<td>{_fmt(fit['median'])}</td><td>{_fmt(fit['gsd'], 3)}</td>"
        if fit
        else "<td>–</td><td>–</td>"
    )
    return (
        f"<table><tr><th>N</th>{head}<th>log-normal median ({unit})</th><th>GSD</th></tr>"
        f"<tr><td>{stats['n']}</td>{cells}{fit_cells}</tr></table>"
        "<p class=muted>Brackets: bootstrap 95 % confidence intervals (1000 resamples). "
        "Sizes are area-equivalent circle diameters (ECD); particles cut by the image border "
        "or the data bar are left out.</p>"
    )


def _calibration(row: dict[str, str]) -> str:
    if not row.get("nm_per_px"):
        return "<span class=bad>uncalibrated (px)</span>"
    text = f"{_fmt(_num(row['nm_per_px']))} nm/px <span class=muted>({html.escape(row['calibration_source'])})</span>"
    if row.get("scalebar_value"):
        text += (
            f"<br><span class=muted>bar {html.escape(row['scalebar_value'])} "
            f"{html.escape(row['scalebar_unit'])} = {html.escape(row['scalebar_bar_px'])} px"
            f"{' · OCR “' + html.escape(row['ocr_text']) + '”' if row.get('ocr_text') else ''}</span>"
        )
    return text


def _pipeline(settings: dict[str, Any]) -> str:
    """What segmented and sized the images, from the run's settings."""
    parts = []
    for key in ("segmenter", "sizer"):
        value = settings.get(key)
        name = value.get("type") if isinstance(value, dict) else value
        if name:
            parts.append(f"{key}: {html.escape(str(name))}")
    if settings.get("checkpoint"):
        parts.append(f"weights: {html.escape(Path(settings['checkpoint']).name)}")
    inference = settings.get("inference") or {}
    if inference.get("backend"):
        text = f"inference: {inference['backend']} (auto on {inference['cpu']}"
        if inference.get("mask_agreement") is not None:
            text += (
                f"; against fp32 {100 * inference['mask_agreement']:.2f} % of pixels alike, "
                f"mean size {100 * inference['mean_size_change']:+.2f} %"
            )
        parts.append(html.escape("; ".join([text + ")", *inference["notes"]])))
    elif inference.get("requested"):
        parts.append(f"inference: {html.escape(inference['requested'])}")
    return " · ".join(parts)


def _html(
    out: Path,
    data: dict[str, Any],
    summary: dict[str, Any],
    thumbnails: dict[str, tuple[str, str]],
) -> str:
    unit = data["unit"]
    status = ", ".join(f"{n} {html.escape(k)}" for k, n in data["status_counts"].items())
    flags = _flags([f"{k} × {n}" for k, n in data["flag_counts"].items()]) or "none"
    parts = [
        "<!doctype html><html><head><meta charset=utf-8><title>nanokit measure report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>nanokit measure report</h1>",
        f"<p class=muted>{html.escape(str(out))} · {summary['created']} · "
        f"{summary['n_images']} images ({status})</p>",
        f"<p class=muted>{_pipeline(summary['settings'])}</p>",
        f"<h2>All images pooled ({unit})</h2>",
        _stats_table(data["pooled"], unit),
        f"<p><img src='{_png_data(out / 'histogram.png')}' alt='pooled histogram'></p>",
        f"<p>QC flags: {flags}</p>",
        "<h2>Per image</h2><table><tr><th class=l>image</th><th>size (px)</th>"
        "<th class=l>calibration</th><th>N</th><th>mean ± std</th><th>D10</th><th>D50</th>"
        "<th>D90</th><th class=l>status</th><th class=l>QC flags</th></tr>",
    ]
    for im in data["images"]:
        row, st, u = im["row"], im["stats"], im["unit"]
        ok = row["status"] == "ok"
        size = f"{row['width']}×{row['height']}" if row.get("width") else "–"
        mean = f"{_fmt(st['mean'])} ± {_fmt(st['std'])} {u}" if st["n"] else "–"
        parts.append(
            f"<tr><td class=l>{html.escape(row['image'])}</td><td>{size}</td>"
            f"<td class=l>{_calibration(row)}</td><td>{st['n']}</td><td>{mean}</td>"
            f"<td>{_with_ci(st, 'd10')}</td><td>{_with_ci(st, 'd50')}</td><td>{_with_ci(st, 'd90')}</td>"
            f"<td class='l {'ok' if ok else 'bad'}'>{html.escape(row['status'])}</td>"
            f"<td class=l>{_flags(im['flags'])}</td></tr>"
        )
    parts.append("</table><h2>Overlays and histograms</h2><div class=cards>")
    for im in data["images"]:
        row = im["row"]
        if row["image"] not in thumbnails:
            continue
        overlay, histogram = thumbnails[row["image"]]
        parts.append(
            f"<div class=card><b>{html.escape(row['image'])}</b> · {_calibration(row)}<br>"
            f"<img src='{overlay}' alt='overlay'><img src='{histogram}' alt='histogram'>"
            f"{_stats_table(im['stats'], im['unit']) if im['stats']['n'] else ''}"
            f"{_flags(im['flags'])}</div>"
        )
    parts.append(
        "</div><p class=muted>Green outlines: measured particles; orange: cut by the border or "
        "the data bar (not measured); cyan boxes: scale bar and its label; magenta line: edge "
        "of the data bar.</p></body></html>"
    )
    return "\n".join(parts)

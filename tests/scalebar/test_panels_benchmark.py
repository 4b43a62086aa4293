"""benchmarks/scalebar.py --panels: the two-panel figures and their truth."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from ..benchmark_scripts import load_benchmark


def _truth_folder(tmp_path: Path) -> Path:
    (tmp_path / "images").mkdir()
    rows = [
        ("a.png", 100, 80, 50),
        ("b.png", 100, 70, 50),
        ("c.png", 200, 70, 40),
        ("d.png", 100, 70, 20),
    ]
    lines = ["image,value,unit,bar_px"]
    for name, height, width, bar_px in rows:
        cv2.imwrite(str(tmp_path / "images" / name), np.full((height, width), 90, np.uint8))
        lines.append(f"{name},100,nm,{bar_px}")
    (tmp_path / "truth.csv").write_text("\n".join(lines) + "\n")
    return tmp_path


def test_pairs_side_by_side_and_no_truth_where_pixel_sizes_differ(tmp_path: Path) -> None:
    bench = load_benchmark("scalebar")
    samples = list(bench.panel_samples(_truth_folder(tmp_path)))
    names = [name for name, _, _ in samples]
    assert names == [
        "a.png+b.png",
        "a.png/b.png",
        "a.png^b.png",
        "c.png+d.png",
        "c.png/d.png",
        "c.png^d.png",
    ]
    (_, same, truth_same), (_, stacked, _), (_, inset, truth_inset) = samples[:3]
    (_, other, truth_other) = samples[3]
    assert same.shape == (100, 80 + 10 + 70 + 10)
    assert truth_same == 2.0  # 100 nm over 50 px in both panels
    assert truth_other is None  # 2.5 and 5 nm/px: no one pixel size fits
    assert other.shape == (200, 70 + 10 + 70 + 10)
    assert (other[100:, 80:150] == 255).all()  # the shorter panel padded white below
    assert stacked.shape == (100 + 10 + 100 + 10, 80)
    assert (stacked[110:210, 70:] == 255).all()  # the narrower panel padded white on the right
    # b at half size (50 x 35) framed by 3 px of white in a's top right corner: 4 nm/px in 2
    assert truth_inset is None and inset.shape == (100, 80)
    assert (inset[:56, 80 - 41 :][[0, 55]] == 255).all() and (inset[3:53, 42:77] == 90).all()
    assert (inset[56:] == 90).all() and (inset[:, : 80 - 41] == 90).all()

"""The manifest of a measure output folder, read back by ``load_run``."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from nanokit.errors import NanokitError
from nanokit.measure.run_folder import MANIFEST, load_run


def test_load_run_gives_typed_records_of_every_image(
    disc_folder: Path, tmp_path: Path, run_measure
) -> None:
    (disc_folder / "broken.png").write_bytes(b"not a png")
    out = tmp_path / "out"
    run_measure([disc_folder], out, scale=2.5)
    run = load_run(out)
    assert [r.image for r in run.images] == ["broken.png", "img0.png", "img1.png", "img2.png"]
    record = run["img1"]
    assert record is run["img1.png"]
    assert record.key == "img1" and record.source == (disc_folder / "img1.png").absolute()
    assert record.nm_per_px == pytest.approx(2.5) and record.status == "ok"
    assert record.width == 320 and record.height == 240
    assert record.mask_path == out.absolute() / "masks" / "img1.png"
    assert record.roi_path == out.absolute() / "rois" / "img1.zip"
    assert record.tiff_path.is_file() and record.overlay_path.is_file()
    labels = cv2.imread(str(record.mask_path), cv2.IMREAD_UNCHANGED)
    assert labels.shape == (240, 320) and labels.max() > 0
    assert record.edited() == [] and record.corrected is None
    failed = run["broken.png"]
    assert failed.status.startswith("failed: ") and failed.mask_path is None
    assert failed.nm_per_px is None


def test_edited_files_are_told_by_their_checksums(
    disc_folder: Path, tmp_path: Path, run_measure
) -> None:
    out = tmp_path / "out"
    run_measure([disc_folder / "img0.png"], out)
    record = load_run(out)["img0"]
    labels = cv2.imread(str(record.mask_path), cv2.IMREAD_UNCHANGED)
    labels[labels == 1] = 0
    cv2.imwrite(str(record.mask_path), labels.astype(np.uint16))
    assert load_run(out)["img0"].edited() == ["mask"]


def test_a_rerun_keeps_one_record_per_image(disc_folder: Path, tmp_path: Path, run_measure) -> None:
    out = tmp_path / "out"
    run_measure([disc_folder / "img0.png"], out)
    run_measure([disc_folder], out)
    lines = (out / MANIFEST).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    assert [r.key for r in load_run(out).images] == ["img0", "img1", "img2"]


def test_a_folder_without_manifest_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NanokitError, match="not a nanokit measure output folder"):
        load_run(tmp_path)
    (tmp_path / MANIFEST).write_text("{not json\n", encoding="utf-8")
    with pytest.raises(NanokitError, match=r"manifest.jsonl:1: not a manifest record"):
        load_run(tmp_path)


def test_a_record_without_a_frame_takes_the_rows_outside_its_data_bar() -> None:
    from nanokit.measure.run_folder import ImageRecord
    from nanokit.sizing.frame import Frame

    old = ImageRecord("a.png", "a", None, 1.0, "ok", width=300, height=200, databar_rows=(180, 199))
    assert old.image_frames == [Frame(0, 180, 0, 300)]
    new = ImageRecord(
        "a.png",
        "a",
        None,
        1.0,
        "ok",
        width=300,
        height=200,
        databar_rows=(180, 199),
        frames=((5, 180, 5, 140), (5, 180, 150, 295)),
    )
    assert new.image_frames == [Frame(5, 180, 5, 140), Frame(5, 180, 150, 295)]
    back = ImageRecord.from_json(new.to_json(Path("/x")), Path("/x"))
    assert back.image_frames == new.image_frames

"""list_images: the image files directly in a folder, sorted."""

from __future__ import annotations

from pathlib import Path

from nanokit.io import list_images


def test_lists_image_files_only_sorted(tmp_path: Path) -> None:
    for name in ("b.png", "a.TIF", "c.dm3", "notes.txt", "labels.json"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "folder.png").mkdir()
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.png").write_bytes(b"")
    assert [p.name for p in list_images(tmp_path)] == ["a.TIF", "b.png", "c.dm3"]
    assert list_images(tmp_path / "sub") == [tmp_path / "sub" / "d.png"]

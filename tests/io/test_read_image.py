"""Reading images: a broken file is one error, with nothing printed by the decoder."""

from __future__ import annotations

import pytest

from nanokit.io.images import ImageReadError, read_image


def test_a_corrupt_png_is_one_error_and_opencv_prints_nothing(tmp_path, capfd) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\nbroken")
    with pytest.raises(ImageReadError, match="unreadable or corrupt image file"):
        read_image(broken)
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""

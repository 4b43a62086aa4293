"""Reading images: a broken file is one error (nothing printed by the decoder); what the reader
chose (a stack's first frame) is flagged."""

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


@pytest.mark.parametrize("imagej", [False, True])
def test_a_tiff_stack_is_read_as_its_first_frame_and_says_so(tmp_path, imagej: bool) -> None:
    import numpy as np
    import tifffile

    stack = np.zeros((5, 80, 100), np.uint8)
    stack[0, 10:20] = 200  # only the first frame has the stripe
    options = dict(imagej=True) if imagej else dict(photometric="minisblack")
    tifffile.imwrite(tmp_path / "stack.tif", stack, **options)
    loaded = read_image(tmp_path / "stack.tif")
    assert loaded.grey.shape == (80, 100) and loaded.grey[15, 50] == 200
    assert loaded.flags == ["first of 5 frames"]


def test_an_rgb_tiff_is_one_frame(tmp_path) -> None:
    import numpy as np
    import tifffile

    tifffile.imwrite(tmp_path / "rgb.tif", np.zeros((80, 100, 3), np.uint8), photometric="rgb")
    assert read_image(tmp_path / "rgb.tif").flags == []


def test_what_a_microscope_reader_chose_is_flagged(tmp_path, monkeypatch) -> None:
    import numpy as np

    from nanokit.io import images
    from nanokit.io.microscope import MicroscopeImage

    frame = np.zeros((80, 100), np.uint16)
    stack = MicroscopeImage(data=frame, nm_per_px=0.5, flags=["first of 2 frames"])
    monkeypatch.setattr(images, "read_microscope", lambda path: stack)
    (tmp_path / "stack.emd").write_bytes(b"")
    loaded = read_image(tmp_path / "stack.emd")
    assert loaded.flags == ["first of 2 frames", "16-bit rescaled to 8-bit"]


def test_hot_and_dead_pixels_do_not_squeeze_a_deep_image(tmp_path) -> None:
    """A 16-bit camera frame (1 Mpx) spanning 1000-4060 with 30 saturated and 5 dead pixels:
    rescaled from its full range it kept 14 of 256 grey levels, the hot pixels specks."""
    import numpy as np
    import tifffile

    rng = np.random.default_rng(0)
    ramp = np.tile(np.linspace(0, 255, 1000), (1000, 1))
    clean = (1000 + 12 * ramp).astype(np.uint16)
    hot = clean.copy()
    ys, xs = rng.integers(0, 1000, 35), rng.integers(0, 1000, 35)
    hot[ys[:30], xs[:30]] = 65535
    hot[ys[30:], xs[30:]] = 0
    tifffile.imwrite(tmp_path / "clean.tif", clean)
    tifffile.imwrite(tmp_path / "hot.tif", hot)
    read_clean = read_image(tmp_path / "clean.tif").grey
    read_hot = read_image(tmp_path / "hot.tif").grey
    assert len(np.unique(read_hot)) > 200
    # the outliers take their neighbours' level, the rest is the clean frame's to a level
    assert np.abs(read_hot.astype(int) - read_clean).max() <= 2

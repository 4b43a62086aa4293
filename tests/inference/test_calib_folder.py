"""``nanokit export --int8 --calib DIR`` accepts the folder ``nanokit synth`` writes."""

from __future__ import annotations

import pytest

from nanokit.errors import NanokitError
from nanokit.inference.export import load_calibration_images


def test_synth_output_folder_is_read_from_its_images(tmp_path) -> None:
    from nanokit.apis.synth import synthesize

    synthesize(tmp_path / "synth", n=2, seed=0, quiet=True)
    images = load_calibration_images(tmp_path / "synth", n=8, crop=64)
    assert len(images) == 2 and images[0].shape == (3, 64, 64)


def test_folder_without_images_is_a_one_line_error(tmp_path) -> None:
    (tmp_path / "empty" / "images").mkdir(parents=True)
    with pytest.raises(NanokitError, match="no images"):
        load_calibration_images(tmp_path / "empty")

"""A fourth segmenter is one registered class: measure runs it from a config or ``--segmenter``."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from mmengine.config import Config

from nanokit.cli.main import cli
from nanokit.segmentation import BaseSegmenter
from nanokit.segmentation.overlays import Box, drop_overlays

from .conftest import registered_segmenter


class ThresholdSegmenter(BaseSegmenter):
    """Pixels brighter than ``level``; reports a fixed ``certainty`` as its confidence and
    ``sensitivity`` as its split sensitivity."""

    def __init__(
        self, level: int = 120, certainty: float = 0.5, sensitivity: float | None = None
    ) -> None:
        self.level = level
        self.certainty = certainty
        self.sensitivity = sensitivity

    def predict_mask(
        self,
        grey: np.ndarray,
        rows: tuple[int, int] | None = None,
        overlays: Sequence[Box] = (),
    ) -> np.ndarray:
        top, bottom = rows if rows is not None else (0, grey.shape[0])
        mask = np.zeros(grey.shape, bool)
        mask[top:bottom] = grey[top:bottom] > self.level
        self.confidence = self.certainty
        self.split_sensitivity = self.sensitivity
        return drop_overlays(mask, overlays)[0]


@pytest.fixture
def threshold_segmenter() -> Iterator[type]:
    """Registers :class:`ThresholdSegmenter` in SEGMENTERS for one test."""
    with registered_segmenter(ThresholdSegmenter) as cls:
        yield cls


def _images_csv(out: Path) -> list[dict[str, str]]:
    with (out / "images.csv").open(newline="") as f:
        return list(csv.DictReader(f))


def test_a_registered_segmenter_runs_from_a_config(
    threshold_segmenter, disc_folder: Path, tmp_path: Path
) -> None:
    from nanokit.apis.measure import make_settings, measure

    from .conftest import _fake_calibrate

    cfg = Config(dict(measure=dict(segmenter=dict(type="ThresholdSegmenter", certainty=0.6))))
    settings = make_settings(cfg, scale=2.5)
    settings.calibrate = _fake_calibrate
    summary = measure([disc_folder / "img0.png"], tmp_path / "out", settings=settings, quiet=True)
    assert summary["pooled"]["n"] == 12
    (row,) = _images_csv(tmp_path / "out")
    assert float(row["seg_confidence"]) == pytest.approx(0.6)
    assert "uncertain segmentation" in row["qc_flags"]


@pytest.mark.parametrize(("sensitivity", "flagged"), [(0.3, True), (0.05, False), (None, False)])
def test_a_split_sensitive_image_is_flagged(
    threshold_segmenter, disc_folder: Path, tmp_path: Path, sensitivity: float | None, flagged: bool
) -> None:
    from nanokit.apis.measure import make_settings, measure

    from .conftest import _fake_calibrate

    segmenter = dict(type="ThresholdSegmenter", certainty=0.95, sensitivity=sensitivity)
    settings = make_settings(Config(dict(measure=dict(segmenter=segmenter))), scale=2.5)
    settings.calibrate = _fake_calibrate
    measure([disc_folder / "img0.png"], tmp_path / "out", settings=settings, quiet=True)
    (row,) = _images_csv(tmp_path / "out")
    assert row["split_sensitivity"] == ("" if sensitivity is None else str(sensitivity))
    assert ("unstable split" in row["qc_flags"]) is flagged
    assert "uncertain segmentation" not in row["qc_flags"]


def test_the_split_limit_comes_from_the_config() -> None:
    from nanokit.apis.measure import make_settings

    assert (
        make_settings(Config(dict(measure=dict(max_split_sensitivity=0.25)))).max_split_sensitivity
        == 0.25
    )
    assert make_settings().max_split_sensitivity == 0.1


@pytest.mark.parametrize("name", ["ThresholdSegmenter", "threshold"])
def test_segmenter_option_picks_a_registered_segmenter(
    threshold_segmenter, disc_folder: Path, tmp_path: Path, name: str
) -> None:
    out = tmp_path / "out"
    args = [str(disc_folder / "img0.png"), "--out", str(out), "--scale", "3"]
    result = CliRunner().invoke(cli, ["--quiet", "measure", *args, "--segmenter", name])
    assert result.exit_code == 0, result.output
    assert "12 particles" in result.output
    (row,) = _images_csv(out)
    assert float(row["seg_confidence"]) == pytest.approx(0.5)


def test_segmenter_option_overrides_the_config(threshold_segmenter, tmp_path: Path) -> None:
    from nanokit.apis.measure import make_settings

    cfg = Config(dict(measure=dict(segmenter=dict(type="ThresholdSegmenter", level=99))))
    assert make_settings(cfg, segmenter="classical").segmenter == {"type": "ClassicalSegmenter"}
    same = make_settings(cfg, segmenter="threshold").segmenter  # same type: options stay
    assert same == {"type": "ThresholdSegmenter", "level": 99}


def test_segmenter_option_names_the_network_segmenter_with_a_checkpoint(tmp_path: Path) -> None:
    from nanokit.apis.measure import make_settings

    checkpoint = tmp_path / "w.safetensors"
    checkpoint.write_bytes(b"")
    cfg = Config(dict(model=dict(type="EncoderDecoder")))
    default = make_settings(cfg, checkpoint, scale=1.0)
    assert default.segmenter_config()["type"] == "NetworkSegmenter"
    chosen = make_settings(cfg, checkpoint, scale=1.0, segmenter="instance")
    assert chosen.segmenter_config() == {
        "type": "InstanceSegmenter",
        "config": chosen.model_config,
        "checkpoint": str(checkpoint),
    }


def test_a_bad_segmenter_name_is_one_error_line(disc_folder: Path, tmp_path: Path) -> None:
    args = [str(disc_folder), "--out", str(tmp_path / "out"), "--segmenter", "nosuch"]
    result = CliRunner().invoke(cli, ["--quiet", "measure", *args])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: unknown segmenter 'nosuch'")
    assert "ClassicalSegmenter" in lines[0] and "NetworkSegmenter" in lines[0]
    assert "Traceback" not in result.output


def test_a_bad_segmenter_type_in_a_config_is_one_error(tmp_path: Path) -> None:
    from nanokit.apis.measure import measure
    from nanokit.errors import NanokitError

    config = tmp_path / "bad.py"
    config.write_text("measure = dict(segmenter=dict(type='NoSuchSegmenter'))\n")
    with pytest.raises(NanokitError, match="unknown type 'NoSuchSegmenter'; registered: "):
        measure([tmp_path], tmp_path / "out", config=config, quiet=True)


def test_an_unreadable_checkpoint_stops_before_any_image(
    disc_folder: Path, tmp_path: Path, tiny_network: tuple[dict, Path]
) -> None:
    from nanokit.apis.measure import measure
    from nanokit.errors import NanokitError

    model, _ = tiny_network
    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(b"\xff" * 64)
    config = Config(dict(model=model, crop_size=(128, 128)))
    with pytest.raises(NanokitError, match="cannot read weights .*broken.safetensors"):
        measure([disc_folder], tmp_path / "out", config=config, checkpoint=broken, quiet=True)
    assert not (tmp_path / "out" / "images.csv").exists()


def test_a_class_that_is_no_base_segmenter_is_refused(tmp_path: Path) -> None:
    from nanokit.apis.measure import make_settings
    from nanokit.errors import NanokitError
    from nanokit.measure.pipeline import ImageProcessor

    class Loose:
        def predict_mask(self, grey, rows=None, overlays=()):  # noqa: ANN001, ANN202
            return grey > 0

    with registered_segmenter(Loose):
        settings = make_settings(Config(dict(measure=dict(segmenter=dict(type="Loose")))))
        with pytest.raises(NanokitError, match="does not derive from .*BaseSegmenter"):
            ImageProcessor(settings, tmp_path).check()


def test_config_and_checkpoint_run_the_network_segmenter(
    disc_folder: Path, tmp_path: Path, tiny_network: tuple[dict, Path]
) -> None:
    from nanokit.apis.measure import make_settings, measure

    from .conftest import _fake_calibrate

    model, weights = tiny_network
    cfg = Config(dict(model=model, crop_size=(128, 128)))
    settings = make_settings(cfg, weights, scale=2.5, inference="torch")
    settings.calibrate = _fake_calibrate
    summary = measure([disc_folder / "img0.png"], tmp_path / "out", settings=settings, quiet=True)
    assert summary["settings"]["segmenter"] == "NetworkSegmenter"
    assert "segmenter: NetworkSegmenter" in (tmp_path / "out" / "report.html").read_text()
    (row,) = _images_csv(tmp_path / "out")
    assert row["status"] != "" and not row["status"].startswith("failed")


def test_inference_option_reaches_the_shipped_network_and_the_summary(monkeypatch) -> None:
    from nanokit.apis.measure import _inference, make_settings
    from nanokit.inference import select
    from nanokit.segmentation import instance_segmenter

    pinned = make_settings(scale=1.0, inference="torch")
    assert pinned.segmenter == {"type": "InstanceSegmenter", "inference": "torch"}
    assert _inference(pinned) == {"requested": "torch"}
    asked = []

    def fake_choice(config, weights):
        asked.append((config, weights))
        return select.AutoChoice("onnx-fp32", "a CPU")

    monkeypatch.setattr(select, "choose_auto", fake_choice)
    record = _inference(make_settings(scale=1.0))
    assert record["requested"] == "auto" and record["backend"] == "onnx-fp32"
    assert asked == [(dict(model=instance_segmenter.MODEL), instance_segmenter.WEIGHTS)]
    assert _inference(make_settings(scale=1.0, segmenter="classical")) is None

"""``nanokit measure`` on the command line, the ``measure`` stage, and network segmentation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from mmengine.config import Config

from nanokit.cli.main import cli


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--quiet", "measure", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scale", "abc"], "--scale is neither a number nor a CSV file: abc"),
        (["--scale", "-2"], "--scale must be a positive number"),
        (["--workers", "0"], "--workers must be at least 1"),
        (["--checkpoint", "w.safetensors"], "--checkpoint needs --config"),
        (["--segmenter", "classical", "--inference", "torch"], "ClassicalSegmenter runs none"),
    ],
)
def test_bad_options_give_one_line_errors(
    disc_folder: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    code, output = _invoke(str(disc_folder), "--out", str(tmp_path / "out"), *args)
    assert code == 1
    lines = output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0]


@pytest.mark.parametrize(("option", "expected"), [(None, "onnx"), ("torch", "torch")])
def test_inference_option_overrides_the_config(
    tmp_path: Path, option: str | None, expected: str
) -> None:
    from nanokit.apis.measure import make_settings

    checkpoint = tmp_path / "w.safetensors"
    checkpoint.write_bytes(b"")
    cfg = Config(dict(model=dict(type="EncoderDecoder"), measure=dict(inference="onnx")))
    settings = make_settings(cfg, checkpoint, scale=1.0, inference=option)
    assert settings.model_config["measure"]["inference"] == expected
    assert cfg.measure.inference == "onnx"  # the caller's config is left as it was


def test_folder_without_images_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, output = _invoke(str(tmp_path / "empty"), "--out", str(tmp_path / "out"))
    assert code == 1 and output.startswith("Error: no images") and "Traceback" not in output


def test_cli_with_manual_scale(disc_folder: Path, tmp_path: Path) -> None:
    code, output = _invoke(
        str(disc_folder / "img0.png"), "--out", str(tmp_path / "out"), "--scale", "3"
    )
    assert code == 0, output
    assert "1 images (1 ok); 12 particles" in output
    assert (tmp_path / "out" / "report.html").is_file()


def test_measure_stage_of_a_config(disc_folder: Path, tmp_path: Path) -> None:
    from nanokit.apis.measure import run_stage

    cfg = Config(
        {
            "work_dir": str(tmp_path / "work"),
            "measure": {
                "images": [str(disc_folder)],
                "segmenter": {"type": "ClassicalSegmenter"},
                "sizer": {"type": "EcdSizer", "min_area_px": 10},
                "scale": 1.5,
            },
        }
    )
    summary = run_stage(cfg, quiet=True)
    assert summary["n_images"] == 3 and summary["pooled"]["n"] == 36
    assert (tmp_path / "work" / "measure" / "report.html").is_file()


def test_network_segmenter_tiles_large_images() -> None:
    torch = pytest.importorskip("torch")
    from nanokit.inference import build_backend
    from nanokit.segmentation import NetworkSegmenter

    class Brightness(torch.nn.Module):
        """Particle logit = brightness - 0.5; records the input sizes it sees."""

        def __init__(self) -> None:
            super().__init__()
            self.sizes: list[tuple[int, int]] = []

        def forward(self, x: torch.Tensor, mode: str = "tensor") -> torch.Tensor:
            self.sizes.append(tuple(x.shape[-2:]))
            grey = x[:, :1]
            return torch.cat([0.5 - grey, grey - 0.5], dim=1)

    model = Brightness()
    image = np.zeros((200, 300), np.uint8)
    image[50:90, 100:160] = 220
    image[150:, :] = 255  # the data bar: never segmented
    segmenter = NetworkSegmenter(build_backend("torch", model, bf16=False), tile=96, overlap=32)
    mask = segmenter.predict_mask(image, rows=(0, 150))
    assert mask[50:90, 100:160].all() and mask.sum() == 40 * 60
    assert max(max(s) for s in model.sizes) <= 96  # tiled, never downscaled

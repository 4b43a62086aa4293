"""The line ``nanokit run/test`` prints once the test stage has finished."""

from __future__ import annotations

import pytest
from mmengine.config import Config

from nanokit.cli.stage_summary import print_stage_summary


def test_test_stage_prints_its_metrics_other_stages_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    cfg = Config(dict(work_dir="/tmp/nk_work"))
    metrics = dict(n_images=3, IoU=0.9, Precision=0.95, Recall=0.92, F1=0.935)
    print_stage_summary("train", cfg, None)
    assert capsys.readouterr().out == ""
    print_stage_summary("test", cfg, dict(metrics=metrics))
    assert capsys.readouterr().out == (
        "test on 3 images: IoU 0.9000  precision 0.9500  recall 0.9200  F1 0.9350 "
        "-> /tmp/nk_work/metrics.json\n"
    )

"""The ``test`` stage: a trained model on the test split -> metrics.json and a per-image table."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

from mmengine.config import Config

from ..errors import NanokitError
from ._seg_data import build_dataset, data_root, prepare_data

#: Weights that ``test`` looks for in the work dir when the config gives no ``load_from``.
DEFAULT_WEIGHTS = ("best.safetensors", "last.safetensors")


def find_weights(cfg: Config) -> Path:
    """``cfg.load_from``, else the best (or last) safetensors export in the work dir."""
    if cfg.get("load_from"):
        return Path(cfg.load_from)
    for name in DEFAULT_WEIGHTS:
        path = Path(cfg.work_dir) / name
        if path.is_file():
            return path
    raise NanokitError(
        f"no weights to test: train first or pass --checkpoint (looked for {', '.join(DEFAULT_WEIGHTS)} "
        f"in {cfg.work_dir})"
    )


def evaluate(
    cfg: Config, quiet: bool = False, split_key: str = "test_dataloader"
) -> dict[str, Any]:
    """Predict every image of ``cfg[split_key]`` at full size and score it.

    Returns:
        dict with ``metrics`` (split-level, fractions; see
        :class:`~nanokit.evaluation.metrics.ParticleMetric`) and ``per_image`` rows.
    """
    import torch

    from ..models.builder import build_model
    from ..registry import METRICS, build
    from ..training.checkpoint import trusted_checkpoints
    from ..utils.progress import progress

    weights = find_weights(cfg)
    with trusted_checkpoints():  # mmengine .pth files load with weights_only=True too
        model = build_model(cfg, checkpoint=weights)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model.to(device).eval()
    dataset = build_dataset(cfg, split_key)
    metric_cfg = cfg.get("test_evaluator") or dict(type="ParticleMetric")
    metric = build(METRICS, dict(metric_cfg))
    for idx in progress(range(len(dataset)), desc="test", total=len(dataset), quiet=quiet):
        item = dataset[idx]
        with torch.no_grad():
            inputs = item["inputs"][None].to(device)
            outputs = model(inputs, item["data_samples"][None], mode="predict")
        instances = dataset.get_instances(idx)
        if instances is not None:
            outputs[0]["instances"] = instances
        metric.process({"meta": {"name": [item["meta"]["name"]]}}, outputs)
    return {
        "metrics": metric.compute_metrics(metric.results),
        "per_image": list(metric.results),
        "checkpoint": str(weights),
        "data_root": str(data_root(cfg)),
        "split": cfg[split_key]["dataset"].get("split"),
    }


def run_stage(cfg: Config, quiet: bool = False) -> dict[str, Any]:
    """Evaluate and write ``metrics.json`` and ``per_image.csv`` into ``cfg.work_dir``."""
    prepare_data(cfg)
    result = evaluate(cfg, quiet=quiet)
    out = Path(cfg.work_dir)
    out.mkdir(parents=True, exist_ok=True)
    summary = {k: v for k, v in result.items() if k != "per_image"}
    (out / "metrics.json").write_text(json.dumps(_json_safe(summary), indent=2) + "\n")
    write_table(result["per_image"], out / "per_image.csv")
    return result


def write_table(rows: list[dict[str, Any]], path: Path) -> Path:
    """Per-image rows as CSV (columns in first-seen order; NaN written empty)."""
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row.get(k)) for k in columns})
    return path


def _cell(value: Any) -> Any:
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.6g}"
    return "" if value is None else value


def _json_safe(value: Any) -> Any:
    """NaN -> null, tuples -> lists, numpy scalars -> Python numbers."""
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value

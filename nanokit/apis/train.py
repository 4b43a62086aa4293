"""The ``train`` stage: mmengine's Runner with nanokit's datasets, metrics and hooks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mmengine.config import Config

from ..errors import NanokitError
from ._seg_data import loader_cfg, prepare_data


def sync_schedule(cfg: Config) -> Config:
    """Copy the config's top-level knobs into the Runner's dicts (in place).

    ``max_epochs`` -> ``train_cfg.max_epochs`` and the end (``T_max``) of the epoch-based
    schedulers that end with the training (a warm-up keeps its own end);
    ``freeze_backbone_epochs`` -> :class:`BackboneUnfreezeHook`;
    ``checkpoint_interval`` -> CheckpointHook and :class:`SafetensorsExportHook`;
    ``crop_size`` -> ``RandomCropPad`` in the training pipeline. A knob that is absent leaves
    the dicts as they are.
    """
    knobs = {k: cfg.get(k) for k in ("max_epochs", "freeze_backbone_epochs", "checkpoint_interval")}
    epochs, freeze, interval = knobs.values()
    if epochs is not None:
        old_end = cfg.train_cfg.get("max_epochs")
        cfg.train_cfg.max_epochs = epochs
        for sched in cfg.get("param_scheduler") or []:
            # schedulers that span the training follow it; a warm-up's own end stays
            if sched.get("by_epoch", True) and sched.get("end") in (old_end, epochs):
                sched["end"] = epochs
                if "T_max" in sched:
                    sched["T_max"] = epochs - sched.get("begin", 0)
    hooks = {h["type"]: h for h in cfg.get("custom_hooks") or []}
    if freeze is not None and "BackboneUnfreezeHook" in hooks:
        hooks["BackboneUnfreezeHook"]["unfreeze_epoch"] = freeze
    if interval is not None:
        if "SafetensorsExportHook" in hooks:
            hooks["SafetensorsExportHook"]["interval"] = interval
        if cfg.get("default_hooks", {}).get("checkpoint"):
            cfg.default_hooks.checkpoint.interval = interval
    if cfg.get("crop_size") is not None:
        for step in cfg.train_dataloader.dataset.get("pipeline", []):
            if step["type"] == "RandomCropPad":
                step["size"] = tuple(cfg.crop_size)
    return cfg


def build_runner(cfg: Config, train: bool = True, quiet: bool = False) -> Any:
    """An mmengine ``Runner`` for ``cfg``: model, data loaders, evaluator, schedule, hooks.

    The model comes from :func:`nanokit.build_model` with a
    :class:`~nanokit.training.SegDataPreprocessor`; datasets and metrics are built through
    nanokit's registries so that a bad config gives a one-line error. ``init_weights`` (a
    safetensors file of the same model, e.g. the network nanokit ships) starts training from
    those weights (fine-tuning); ``load_from`` is an mmengine checkpoint the Runner loads.
    """
    from mmengine.dataset import pseudo_collate
    from mmengine.evaluator import Evaluator
    from mmengine.runner import Runner, set_random_seed

    from ..distributed.launcher import prepare_launcher
    from ..models.builder import build_model
    from ..registry import METRICS, build
    from ..training import SegDataPreprocessor

    randomness = cfg.get("randomness", dict(seed=42))
    set_random_seed(**randomness)  # the model's initial weights come from this seed too
    model = build_model(cfg, checkpoint=cfg.get("init_weights"))
    model.data_preprocessor = SegDataPreprocessor()

    def loader(key: str) -> dict[str, Any]:
        spec = loader_cfg(cfg, key)
        spec["collate_fn"] = dict(type=pseudo_collate)
        return spec

    def evaluator(key: str) -> Evaluator:
        metrics = cfg[key] if isinstance(cfg[key], list) else [cfg[key]]
        return Evaluator([build(METRICS, dict(m)) for m in metrics])

    kwargs: dict[str, Any] = {}
    if train:
        kwargs.update(
            train_dataloader=loader("train_dataloader"),
            train_cfg=cfg.train_cfg,
            optim_wrapper=cfg.optim_wrapper,
            param_scheduler=cfg.get("param_scheduler"),
            val_dataloader=loader("val_dataloader"),
            val_cfg=cfg.get("val_cfg", dict()),
            val_evaluator=evaluator("val_evaluator"),
        )
    return Runner(
        model=model,
        work_dir=cfg.work_dir,
        default_hooks=cfg.get("default_hooks"),
        custom_hooks=cfg.get("custom_hooks"),
        load_from=cfg.get("load_from"),
        resume=bool(cfg.get("resume", False)),
        launcher=prepare_launcher(cfg) if train else "none",
        env_cfg=cfg.get("env_cfg", dict(dist_cfg=dict(backend="gloo"))),
        log_processor=cfg.get("log_processor"),
        log_level="WARNING" if quiet else cfg.get("log_level", "INFO"),
        visualizer=cfg.get("visualizer"),
        default_scope=cfg.get("default_scope", "nanokit"),
        randomness=randomness,
        experiment_name=cfg.get("experiment_name"),
        cfg=cfg,
        **kwargs,
    )


def run_stage(cfg: Config, quiet: bool = False) -> Path:
    """Train ``cfg``'s model; returns the work dir holding checkpoints, log and curves.

    Writes ``epoch_N.pth`` (every ``checkpoint_interval`` epochs), ``best_IoU_epoch_N.pth``,
    ``best.safetensors`` / ``last.safetensors``, ``curves.png``/``curves.json`` and the log
    (under ``<timestamp>/``) into ``cfg.work_dir``. ``resume=True`` continues from the
    latest checkpoint there.
    """
    from ..distributed.launcher import init_distributed, main_process_first
    from ..training.checkpoint import trusted_checkpoints

    Path(cfg.work_dir).mkdir(parents=True, exist_ok=True)
    init_distributed(cfg.get("launcher") or "none")
    with main_process_first():  # rank 0 writes a synthetic data set, the others wait
        prepare_data(cfg)
    sync_schedule(cfg)
    runner = build_runner(cfg, train=True, quiet=quiet)
    with trusted_checkpoints():
        try:
            runner.train()
        except NanokitError:
            raise
        except RuntimeError as exc:
            if "out of memory" in str(exc).lower():
                raise NanokitError(
                    "out of memory while training; lower train_dataloader.batch_size or crop_size"
                ) from exc
            raise
    return Path(cfg.work_dir)

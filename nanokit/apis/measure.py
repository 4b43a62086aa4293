"""``nanokit measure`` and the ``measure`` stage of ``nanokit run``."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import NanokitError
from ..measure.outputs import RunFiles
from ..measure.pipeline import (
    DEFAULT_SEGMENTER,
    DEFAULT_SIZER,
    ImageJob,
    ImageProcessor,
    MeasureSettings,
    collect_images,
)
from ..measure.result import ImageResult, ImageWriter
from ..utils.progress import progress
from .image_files import ImageFilesWriter

if TYPE_CHECKING:
    from ..config import ConfigLike


def parse_scale(scale: float | str | Path | None) -> tuple[float | None, dict[str, float] | None]:
    """``--scale``: a number (nm per px for all images) or a CSV of image -> nm_per_px."""
    if scale is None:
        return None, None
    try:
        value = float(scale)
    except (TypeError, ValueError):
        path = Path(scale)
        if not path.is_file():
            raise NanokitError(f"--scale is neither a number nor a CSV file: {scale}") from None
        from ..calibration.manual import read_scale_csv

        return None, read_scale_csv(path)
    if not value > 0:
        raise NanokitError(f"--scale must be a positive number of nm per px, got {scale}")
    return value, None


def make_settings(
    config: ConfigLike | None = None,
    checkpoint: str | Path | None = None,
    scale: float | str | Path | None = None,
    scalebar: str = "auto",
    inference: str | None = None,
    segmenter: str | None = None,
) -> MeasureSettings:
    """Settings from an optional config's ``measure`` section and the command-line options.

    Without ``checkpoint`` the config's ``measure.segmenter`` (default: the classical
    segmenter) segments; with it, the config's trained ``model``, run by the backend that
    ``inference`` names (default: the config's ``measure.inference``, else ``"auto"``).
    ``segmenter`` (``--segmenter``: a SEGMENTERS type or its short alias, see
    :func:`~nanokit.segmentation.base.segmenter_type`) replaces ``measure.segmenter`` (whose
    options stay when it names the same type); with ``checkpoint`` it is the segmenter that
    runs the network (default ``NetworkSegmenter``).
    """
    if scalebar not in ("auto", "off"):
        raise NanokitError(f"--scalebar must be 'auto' or 'off', got {scalebar!r}")
    cfg = None
    if config is not None:
        # Imported here: mmengine takes a third of a second, which the main process of a
        # run with worker processes and no config does not need.
        from ..config import load_config

        cfg = load_config(config)
    section = dict(cfg.get("measure") or {}) if cfg is not None else {}
    if checkpoint is not None:
        if cfg is None or not cfg.get("model"):
            raise NanokitError("--checkpoint needs --config with the model it was trained with")
        if not Path(checkpoint).is_file():
            raise NanokitError(f"checkpoint not found: {checkpoint}")
    model_config = _plain(cfg) if checkpoint is not None else None
    if inference is not None and model_config is not None:
        model_config.setdefault("measure", {})["inference"] = inference
    value, table = parse_scale(scale if scale is not None else section.get("scale"))
    segmenter_cfg = dict(_plain(section.get("segmenter") or DEFAULT_SEGMENTER))
    network_segmenter = "NetworkSegmenter"
    if segmenter is not None:
        from ..segmentation.base import segmenter_type

        name = segmenter_type(segmenter)
        if checkpoint is not None:
            network_segmenter = name
        elif segmenter_cfg.get("type") != name:
            segmenter_cfg = {"type": name}
    if inference is not None and model_config is None:
        if _shipped_network(segmenter_cfg) is None:
            raise NanokitError(
                f"--inference chooses how a network runs: {segmenter_cfg['type']} runs none "
                "(use the default segmenter, or --checkpoint with --config)"
            )
        segmenter_cfg["inference"] = inference
    return MeasureSettings(
        segmenter=segmenter_cfg,
        model_config=model_config,
        checkpoint=str(checkpoint) if checkpoint is not None else None,
        network_segmenter=network_segmenter,
        sizer=_plain(section.get("sizer") or DEFAULT_SIZER),
        scale=value,
        scales=table,
        scalebar=scalebar if scalebar != "auto" else section.get("scalebar", "auto"),
        ocr_engine=_plain(section.get("ocr_engine")),
        calibration=_plain(cfg.get("calibration")) if cfg is not None else None,
        few_particles=int(section.get("few_particles", 10)),
        touching_fraction=float(section.get("touching_fraction", 0.3)),
        low_contrast=float(section.get("low_contrast", 4.0)),
        min_confidence=float(section.get("min_confidence", 0.85)),
        max_split_sensitivity=float(
            section.get("max_split_sensitivity", MeasureSettings.max_split_sensitivity)
        ),
        faint_contrast=_optional_float(section.get("faint_contrast", 0.2)),
        text_overlays=bool(section.get("text_overlays", True)),
        text_detector_int8=_optional_bool(section.get("text_detector_int8"), "text_detector_int8"),
    )


def _optional_bool(value: Any, key: str) -> bool | None:
    """``value`` of ``measure.<key>``: True, False or None (a string such as "false" is an
    error, not True)."""
    if value is not None and not isinstance(value, bool):
        raise NanokitError(f"measure.{key} must be True, False or None, got {value!r}")
    return value


def _optional_float(value: Any) -> float | None:
    """``value`` as a float, None kept."""
    return None if value is None else float(value)


def _plain(value: Any) -> Any:
    """mmengine ConfigDicts -> plain dicts (picklable for worker processes)."""
    return value.to_dict() if hasattr(value, "to_dict") else value


def measure(
    paths: Sequence[str | Path],
    out: str | Path,
    config: ConfigLike | None = None,
    checkpoint: str | Path | None = None,
    scale: float | str | Path | None = None,
    scalebar: str = "auto",
    workers: int = 1,
    quiet: bool = False,
    settings: MeasureSettings | None = None,
    backend: str = "local",
    scheduler: str | None = None,
    inference: str | None = None,
    segmenter: str | None = None,
    unit: str = "nm",
) -> dict[str, Any]:
    """Measure particle sizes in images and folders; write SPEC's outputs into ``out``.

    Resumable: images with a done-marker in ``out`` are skipped, the others (new, failed or
    interrupted) are processed and appended. The pooled histogram, ``summary.json`` and
    ``report.html`` are rebuilt from all rows in ``out`` at the end.

    Args:
        paths: image files and folders of images.
        out: output folder.
        config: config whose ``measure`` section (and ``model``, with ``checkpoint``) is used.
        checkpoint: trained network weights; without them the classical segmenter is used.
        scale: nm per px for all images, or a CSV of image -> nm_per_px.
        scalebar: ``"auto"`` to read scale bars, ``"off"`` not to.
        workers: processes working on images in parallel (with ``backend="dask"``: the
            size of the local dask cluster).
        quiet: no progress bar.
        settings: ready-made settings instead of config/checkpoint/scale/scalebar.
        backend: ``"local"`` (this machine's processes) or ``"dask"`` (tasks on a
            dask.distributed cluster, see :mod:`nanokit.distributed.dask_backend`).
        scheduler: address of the dask scheduler; None starts a local cluster.
        inference: how the trained model runs (``"auto"``, ``"torch"`` or ``"onnx"``, see
            :func:`nanokit.inference.select.network_backend`); None = the config's
            ``measure.inference``, else ``"auto"``.
        segmenter: SEGMENTERS type (or short alias) replacing the config's
            ``measure.segmenter`` (see :func:`make_settings`).
        unit: unit of the statistics in ``results.xlsx``: ``"nm"`` or ``"um"``.

    Returns:
        The summary written to ``summary.json``.
    """
    from ..report import write_report
    from ..report.excel import check_unit, write_workbook

    check_unit(unit)
    if workers < 1:
        raise NanokitError(f"--workers must be at least 1, got {workers}")
    if backend not in ("local", "dask"):
        raise NanokitError(f"--backend must be 'local' or 'dask', got {backend!r}")
    if scheduler and backend != "dask":
        raise NanokitError("--scheduler needs --backend dask")
    settings = settings or make_settings(
        config, checkpoint, scale, scalebar, inference, segmenter=segmenter
    )
    ImageProcessor(settings, Path(out)).check()
    jobs = collect_images(list(paths))
    if not jobs:
        raise NanokitError("no images given")
    out = Path(out)
    files = RunFiles(out)
    done = files.done_keys()
    todo = [job for job in jobs if job.image not in done]
    writer = ImageFilesWriter()
    if backend == "dask":
        from ..distributed.dask_backend import run_jobs

        results = run_jobs(todo, settings, out, writer, scheduler=scheduler, workers=workers)
    else:
        results = _run(todo, settings, out, writer, workers)
    for result in progress(results, "measure", total=len(todo), quiet=quiet):
        files.append(result)
    summary = write_report(
        out, settings={"skipped": len(jobs) - len(todo), "backend": backend, **_describe(settings)}
    )
    write_workbook(out, summary, unit=unit)
    return summary


def _describe(settings: MeasureSettings) -> dict[str, Any]:
    """The settings as they go into summary.json."""
    return {
        "segmenter": settings.network_segmenter if settings.checkpoint else settings.segmenter,
        "checkpoint": settings.checkpoint,
        "sizer": settings.sizer,
        "scale": settings.scale,
        "scalebar": settings.scalebar,
        "ocr_engine": settings.ocr_engine,
        "inference": _inference(settings),
        "few_particles": settings.few_particles,
        "touching_fraction": settings.touching_fraction,
        "faint_contrast": settings.faint_contrast,
        "text_overlays": settings.text_overlays,
        "text_detector_int8": settings.text_detector_int8,
    }


def _inference(settings: MeasureSettings) -> dict[str, Any] | None:
    """How the network ran (a trained one, or the one a segmenter ships with): what was asked
    for and, for ``auto`` with weights, its choice on this CPU with the check against fp32
    (decided, and cached, when the network was built); None without a network."""
    if settings.checkpoint is not None:
        model_config, weights = settings.model_config, Path(settings.checkpoint)
        requested = (model_config.get("measure") or {}).get("inference", "auto")
    else:
        shipped = _shipped_network(settings.segmenter)
        if shipped is None:
            return None
        model_config, weights = shipped
        requested = settings.segmenter.get("inference", "auto")
    if requested != "auto" or weights.suffix.lower() == ".onnx":
        return {"requested": requested}
    from ..inference.select import choose_auto

    return {"requested": requested, **choose_auto(model_config, weights).to_json()}


def _shipped_network(segmenter: dict[str, Any]) -> tuple[Any, Path] | None:
    """(model config, weights) of the network a segmenter config runs, for segmenters that
    ship one (their ``network`` method); None for the others."""
    from ..registry import SEGMENTERS
    from ..segmentation import BaseSegmenter  # noqa: F401 - registers the segmenters

    # module_dict, not SEGMENTERS.get: that imports the registry's locations, torch among them
    # (over a second), even for the classical segmenter.
    network = getattr(SEGMENTERS.module_dict.get(segmenter["type"]), "network", None)
    return network({k: v for k, v in segmenter.items() if k != "type"}) if network else None


class _PoolProcess:
    """The processor of one pool process: built once by the pool's initializer (:meth:`start`),
    used by every task the process runs (:meth:`measure`). Each process has its own class."""

    processor: ImageProcessor | None = None

    @classmethod
    def start(cls, settings: MeasureSettings, out: Path, writer: ImageWriter, workers: int) -> None:
        import cv2

        from ..inference.threads import share_cores
        from ..utils.warning_lines import show_warnings_as_lines

        show_warnings_as_lines()  # as the command line shows them: workers print to its stderr
        cv2.setNumThreads(1)  # one image per process; threads would only compete for the cores
        share_cores(workers)  # a network gets this process's share of the cores, not all
        cls.processor = ImageProcessor(settings, out, writer)

    @classmethod
    def measure(cls, job: ImageJob) -> ImageResult:
        if cls.processor is None:
            raise RuntimeError("a pool task ran before the pool's initializer")
        return cls.processor(job)


def _run(
    jobs: list[ImageJob], settings: MeasureSettings, out: Path, writer: ImageWriter, workers: int
) -> Iterator[ImageResult]:
    """Results of ``jobs`` as they finish (in input order with one worker)."""
    if workers == 1 or len(jobs) <= 1:
        processor = ImageProcessor(settings, out, writer)
        yield from (processor(job) for job in jobs)
        return
    from ..ocr.shared import shared_engine

    workers = min(workers, len(jobs))
    context = multiprocessing.get_context("forkserver")
    # An out-of-process OCR engine (PaddleOCR) runs one worker for all processes, not one each.
    with (
        shared_engine(settings.ocr_engine, context) as engine,
        ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_PoolProcess.start,
            initargs=(replace(settings, ocr_engine=engine), out, writer, workers),
        ) as pool,
    ):
        futures = [pool.submit(_PoolProcess.measure, job) for job in jobs]
        yield from (future.result() for future in as_completed(futures))


def run_stage(cfg: Any, quiet: bool = False) -> dict[str, Any]:
    """The ``measure`` stage of ``nanokit run``: size particles in the test images.

    ``cfg.measure`` may set ``images`` (paths; default: the test split's images),
    ``out`` (default ``<work_dir>/measure``), ``checkpoint`` (default: the trained weights in
    the work dir), ``workers``, ``unit`` (of results.xlsx: nm or um) and the keys
    :func:`make_settings` reads.
    """
    from .evaluate import find_weights

    section = cfg.get("measure") or {}
    images = section.get("images") or _test_images(cfg)
    checkpoint = section.get("checkpoint")
    if checkpoint is None and not section.get("segmenter"):
        checkpoint = find_weights(cfg)
    out = section.get("out") or Path(cfg.work_dir) / "measure"
    settings = make_settings(cfg, checkpoint, section.get("scale"), section.get("scalebar", "auto"))
    return measure(
        images,
        out,
        workers=int(section.get("workers", 1)),
        quiet=quiet,
        settings=settings,
        backend=section.get("backend", "local"),
        scheduler=section.get("scheduler"),
        unit=section.get("unit", "nm"),
    )


def _test_images(cfg: Any) -> list[str]:
    """Image paths of the config's test split."""
    from ._seg_data import build_dataset, prepare_data

    prepare_data(cfg)
    dataset = build_dataset(cfg, "test_dataloader")
    return [str(sample["img_path"]) for sample in dataset.samples]

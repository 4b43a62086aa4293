"""Which backend runs a trained network: ``auto`` picks per CPU and checks its pick against fp32.

``auto`` tries, in order, what this CPU runs fast (:mod:`nanokit.inference.cpu`):

1. AMX with bf16: PyTorch autocast to bf16, channels-last (AVX512-BF16 alone is not enough:
   on an AMD EPYC with it, PyTorch bf16 ran no faster than ONNX Runtime fp32, docs/inference.md);
2. int8 dot products (VNNI): the int8 ONNX model that ``nanokit export --int8`` registered for
   these weights after its own accuracy check (:func:`int8_cache_path`);
3. ONNX Runtime fp32, exported on first use: the same masks as PyTorch fp32, faster than it
   on every CPU measured (docs/inference.md).

A reduced-precision pick (1, 2) is checked against PyTorch fp32 on a calibration image (a crop
of a synthetic SEM sample): at least :data:`MIN_MASK_AGREEMENT` of the pixels in the same class
and the mean particle size (ECD) within :data:`MAX_SIZE_CHANGE`; and it must pay: run that image
at least :data:`MIN_SPEEDUP` times as fast as ONNX Runtime fp32 on this machine (a network of
depthwise convolutions gains little from AMX). One that misses any is dropped with a note and
the next is tried. The decision (:class:`AutoChoice`) is kept next to the exports, keyed by the
weights, the model config and code, the CPU's speed flags, the torch and onnxruntime versions
and these limits, so later runs and parallel workers reuse it without checking again.

Without onnxruntime, or when the export fails or differs from PyTorch, ``auto`` runs PyTorch
fp32 and says why in its notes.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

import numpy as np

from ..errors import MissingExtraError, NanokitError
from .base import InferenceBackend
from .cpu import SPEED_FLAGS, cpu_flags, describe_cpu, has_amx_bf16, has_int8_dot
from .factory import build_backend

#: what a config's ``measure.inference`` may say.
INFERENCE_CHOICES = ("auto", "torch", "onnx")
#: the backends ``auto`` chooses from (precision after the dash).
AUTO_BACKENDS = ("torch-bf16", "onnx-int8", "onnx-fp32", "torch-fp32")
#: least share of the calibration image's pixels a reduced-precision pick must class as fp32 does.
MIN_MASK_AGREEMENT = 0.99
#: largest relative change of the mean particle size (ECD) a reduced-precision pick may cause.
MAX_SIZE_CHANGE = 0.01
#: least speed-up over ONNX Runtime fp32 (PyTorch fp32 without it) on the calibration image for
#: which a reduced-precision pick is worth its differences from fp32.
MIN_SPEEDUP = 1.5
#: (height, width) of the calibration crop, px, and the seed of its synthetic sample.
CALIBRATION_HW = (512, 512)
CALIBRATION_SEED = 0


@dataclass
class AutoChoice:
    """What ``auto`` chose for a network on this CPU, and how the choice held against fp32.

    Attributes:
        backend: one of :data:`AUTO_BACKENDS`.
        cpu: the CPU's model name and the speed flags the choice was made from.
        mask_agreement: share of the calibration image's pixels classed as by PyTorch fp32
            (None where the backend computes in fp32).
        mean_size_change: relative change of the mean particle ECD there (None likewise).
        speedup: how many times as fast as the fp32 baseline it ran there (None likewise).
        notes: why faster candidates were passed over.
    """

    backend: str
    cpu: str
    mask_agreement: float | None = None
    mean_size_change: float | None = None
    speedup: float | None = None
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The choice as it goes into summary.json."""
        return asdict(self)


def default_cache_dir() -> Path:
    """Where exported models and ``auto`` decisions are kept: ``onnx`` in the user cache folder
    of the platform (``~/.cache/nanokit/onnx`` on Linux, or under ``$XDG_CACHE_HOME``)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("nanokit", appauthor=False)) / "onnx"


def network_backend(
    config: Any,
    checkpoint: str | Path,
    inference: str = "auto",
    cache_dir: str | Path | None = None,
) -> InferenceBackend:
    """The inference backend for a config's trained model.

    Args:
        config: config with the ``model`` the weights belong to (path, dict or mmengine Config).
        checkpoint: trained weights (safetensors or torch file), or an ``.onnx`` file from
            ``nanokit export`` (fp32 or int8), which is always run by ONNX Runtime.
        inference: ``"auto"`` (:func:`choose_auto`), ``"onnx"`` (ONNX Runtime fp32; an error
            without onnxruntime) or ``"torch"`` (PyTorch, bf16 where the CPU has it natively).
        cache_dir: folder of exported models and ``auto`` decisions; None =
            :func:`default_cache_dir`.

    Returns:
        A backend; its ``notes`` say what ``auto`` passed over and why.
    """
    if inference not in INFERENCE_CHOICES:
        raise NanokitError(
            f"measure.inference must be one of {', '.join(INFERENCE_CHOICES)}, got {inference!r}"
        )
    checkpoint = Path(checkpoint)
    if checkpoint.suffix.lower() == ".onnx":
        if inference == "torch":
            raise NanokitError(
                f"{checkpoint.name} is an ONNX file: the torch backend needs weights"
            )
        return build_backend("onnx", checkpoint)
    if inference == "torch":
        return _torch_backend(config, checkpoint)
    if inference == "onnx":
        return build_backend("onnx", cached_export(config, checkpoint, cache_dir))
    choice = choose_auto(config, checkpoint, cache_dir)
    backend = _auto_backend(choice.backend, config, checkpoint, cache_dir)
    backend.notes.extend(choice.notes)
    return backend


def choose_auto(
    config: Any, checkpoint: str | Path, cache_dir: str | Path | None = None
) -> AutoChoice:
    """The backend ``auto`` runs ``config``'s model with ``checkpoint`` on this CPU.

    Made once per weights, model, CPU and library versions (see the module docstring) and kept
    in ``cache_dir``; an unwritable cache only means deciding again next time.
    """
    from ..config import load_config

    cfg = load_config(config)
    checkpoint = _weights(cfg, checkpoint)
    folder = _cache_folder(cache_dir)
    flags = cpu_flags()
    candidates = auto_candidates(flags, int8_cache_path(cfg, checkpoint, folder).is_file())
    # the limits are part of the key: a decision made under other limits is made anew
    limits = f"{MIN_MASK_AGREEMENT} {MAX_SIZE_CHANGE} {MIN_SPEEDUP}"
    key = f"{_platform_key(flags)} {candidates} {limits}"
    key = hashlib.sha256(key.encode()).hexdigest()[:12]
    record = folder / f"{_export_stem(cfg, checkpoint)}-auto-{key}.json"
    try:
        return AutoChoice(**json.loads(record.read_text()))
    except (OSError, ValueError, TypeError):
        pass  # not decided yet here (or an unreadable record): decide again
    choice = _decide(cfg, checkpoint, candidates, folder, flags)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=folder, suffix=".json.tmp")
        with os.fdopen(handle, "w") as fh:
            json.dump(choice.to_json(), fh)
        os.replace(tmp, record)
    except OSError:
        pass
    return choice


def auto_candidates(flags: frozenset[str], int8_model: bool) -> list[str]:
    """The backends ``auto`` tries, in order, on a CPU with ``flags``.

    Args:
        flags: CPU feature flags (``/proc/cpuinfo``).
        int8_model: an int8 export of the weights is registered (:func:`int8_cache_path`).
    """
    candidates = []
    if has_amx_bf16(flags):
        candidates.append("torch-bf16")
    if int8_model and has_int8_dot(flags):
        candidates.append("onnx-int8")
    return [*candidates, "onnx-fp32"]


def _decide(
    cfg: Any, checkpoint: Path, candidates: list[str], folder: Path, flags: frozenset[str]
) -> AutoChoice:
    """The first of ``candidates`` that holds against PyTorch fp32 and pays (see the module
    docstring); ONNX fp32 (the last) needs no check, and PyTorch fp32 replaces it where it
    cannot be had."""
    choice = AutoChoice("", describe_cpu(flags))
    reference: tuple[InferenceBackend, np.ndarray] | None = None
    baseline: tuple[str, float] | None = None
    for name in candidates:
        if name == "onnx-fp32":
            break
        try:
            candidate = _auto_backend(name, cfg, checkpoint, folder)
        except NanokitError as exc:
            choice.notes.append(f"{name} not used: {exc}")
            continue
        if reference is None:
            reference = _auto_backend("torch-fp32", cfg, checkpoint, folder), calibration_image()
        agreement, change = compare_to_fp32(reference[0], candidate, reference[1])
        if agreement < MIN_MASK_AGREEMENT or abs(change) > MAX_SIZE_CHANGE:
            choice.notes.append(
                f"{name} not used: against fp32 on the calibration image it agrees on "
                f"{100 * agreement:.2f} % of pixels (needs {100 * MIN_MASK_AGREEMENT:g} %) and "
                f"changes the mean particle size by {100 * change:+.2f} % (allowed "
                f"±{100 * MAX_SIZE_CHANGE:g} %)"
            )
            continue
        if baseline is None:
            baseline = _fp32_baseline(cfg, checkpoint, folder, *reference)
        speedup = baseline[1] / seconds_per_pass(candidate, reference[1])
        if speedup < MIN_SPEEDUP:
            choice.notes.append(
                f"{name} not used: on the calibration image it runs {speedup:.2f}x as fast as "
                f"{baseline[0]} (needs {MIN_SPEEDUP:g}x)"
            )
            continue
        choice.backend, choice.mask_agreement, choice.mean_size_change = name, agreement, change
        choice.speedup = speedup
        return choice
    choice.backend = "onnx-fp32"
    try:
        cached_export(cfg, checkpoint, folder)
    except NanokitError as exc:
        missing = isinstance(exc, MissingExtraError)
        # a model that PyTorch cannot run either is an error, not a fallback
        _auto_backend("torch-fp32", cfg, checkpoint, folder)
        choice.notes.append(
            f"PyTorch instead of ONNX Runtime: {'onnxruntime is not installed' if missing else exc}"
        )
        if not missing:
            warnings.warn(f"running PyTorch: {exc}", UserWarning, stacklevel=4)
        choice.backend = "torch-fp32"
    return choice


def _fp32_baseline(
    cfg: Any, checkpoint: Path, folder: Path, torch_fp32: InferenceBackend, image: np.ndarray
) -> tuple[str, float]:
    """(name, seconds per pass on ``image``) of what ``auto`` runs without reduced precision:
    ONNX Runtime fp32, or ``torch_fp32`` where that cannot be had."""
    try:
        return "onnx-fp32", seconds_per_pass(
            _auto_backend("onnx-fp32", cfg, checkpoint, folder), image
        )
    except NanokitError:
        return "torch-fp32", seconds_per_pass(torch_fp32, image)


def seconds_per_pass(backend: InferenceBackend, image: np.ndarray, repeats: int = 5) -> float:
    """Shortest of ``repeats`` timed passes of ``backend`` over ``image`` (after one untimed:
    first calls allocate and pick kernels)."""
    from .segment import segment_image

    segment_image(backend, image, output="prob")
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        segment_image(backend, image, output="prob")
        times.append(time.perf_counter() - start)
    return min(times)


def compare_to_fp32(
    reference: InferenceBackend, candidate: InferenceBackend, image: np.ndarray
) -> tuple[float, float]:
    """(mask agreement, relative change of the mean particle ECD) of ``candidate`` against the
    fp32 ``reference`` on one grey image; the change is 0 where neither finds particles and
    infinite where only one does."""
    from .segment import segment_image

    expected = segment_image(reference, image) == 1
    got = segment_image(candidate, image) == 1
    sizes = [_mean_ecd(mask) for mask in (expected, got)]
    if sizes[0] == 0.0 or sizes[1] == 0.0:
        change = 0.0 if sizes[0] == sizes[1] else float("inf")
    else:
        change = sizes[1] / sizes[0] - 1
    return float((expected == got).mean()), change


def _mean_ecd(mask: np.ndarray) -> float:
    """Mean area-equivalent diameter (px) of the connected regions of ``mask``; 0 without any."""
    import cv2

    from ..sizing._geometry import ecd

    count, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    areas = stats[1:count, cv2.CC_STAT_AREA].astype(np.float64)
    return float(ecd(areas).mean()) if areas.size else 0.0


def calibration_image() -> np.ndarray:
    """The grey uint8 image ``auto`` checks its pick on: a :data:`CALIBRATION_HW` crop of
    synthetic SEM sample :data:`CALIBRATION_SEED`, above its data bar."""
    from ..synth import make_sample

    image = make_sample(CALIBRATION_SEED)[0]
    height, width = CALIBRATION_HW
    left = (image.shape[1] - width) // 2
    return np.ascontiguousarray(image[:height, left : left + width])


def _auto_backend(
    name: str, cfg: Any, checkpoint: Path, folder: str | Path | None
) -> InferenceBackend:
    """The backend of one of :data:`AUTO_BACKENDS`."""
    if name == "onnx-fp32":
        return build_backend("onnx", cached_export(cfg, checkpoint, folder))
    if name == "onnx-int8":
        return build_backend("onnx", int8_cache_path(cfg, checkpoint, folder))
    return _torch_backend(cfg, checkpoint, bf16=name == "torch-bf16")


def int8_cache_path(
    config: Any, checkpoint: str | Path, cache_dir: str | Path | None = None
) -> Path:
    """Where ``nanokit export --int8`` registers an int8 model of these weights for ``auto``."""
    from ..config import load_config

    cfg = load_config(config)
    folder = _cache_folder(cache_dir)
    return folder / f"{_export_stem(cfg, _weights(cfg, checkpoint))}-int8.onnx"


def register_int8(
    config: Any, checkpoint: str | Path, onnx_path: str | Path, cache_dir: str | Path | None = None
) -> Path:
    """Copy an int8 export of these weights that passed its accuracy check to where ``auto``
    looks for one (:func:`int8_cache_path`); returns that path."""
    target = int8_cache_path(config, checkpoint, cache_dir)
    try:
        return write_cached(target, lambda tmp: shutil.copyfile(onnx_path, tmp))
    except OSError as exc:
        raise NanokitError(f"cannot write the ONNX cache folder {target.parent}: {exc}") from exc


def cached_export(config: Any, checkpoint: str | Path, cache_dir: str | Path | None = None) -> Path:
    """The fp32 ONNX export of ``config``'s model with ``checkpoint``, made on first use.

    The file is named by a digest of the weights file, the model config and nanokit's model
    code, so changed weights, a changed model or changed model code give a new export. An
    export that differs from PyTorch is not kept.

    Returns:
        Path of the cached ``.onnx`` file.
    """
    from .onnx_backend import import_onnxruntime

    import_onnxruntime()
    from ..config import load_config
    from ..models.builder import build_model

    cfg = load_config(config)
    checkpoint = _weights(cfg, checkpoint)
    folder = _cache_folder(cache_dir)
    target = folder / f"{_export_stem(cfg, checkpoint)}.onnx"
    if target.is_file():
        return target
    from .export import check_export_fp32, export_onnx

    model = build_model(cfg, checkpoint)

    def export(tmp: Path) -> None:
        export_onnx(model, tmp)
        check_export_fp32(model, tmp)

    return write_cached(target, export)


def write_cached(target: Path, make: Callable[[Path], None]) -> Path:
    """``target`` in the ONNX cache, written by ``make`` into a temporary file of its folder
    that then replaces it (atomic: parallel workers may make it at the same time)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=target.parent, suffix=".onnx.tmp")
        os.close(handle)
    except OSError as exc:
        raise NanokitError(f"cannot write the ONNX cache folder {target.parent}: {exc}") from exc
    try:
        make(Path(tmp))
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def _cache_folder(cache_dir: str | Path | None) -> Path:
    return Path(cache_dir) if cache_dir is not None else default_cache_dir()


def _weights(cfg: Any, checkpoint: str | Path) -> Path:
    """``checkpoint`` as a Path, or NanokitError when it or the config's model is missing."""
    if not cfg.get("model"):
        raise NanokitError("the config has no 'model' to export")
    checkpoint = Path(checkpoint)
    if not checkpoint.is_file():
        raise NanokitError(f"checkpoint not found: {checkpoint}")
    return checkpoint


@functools.cache
def model_code_digest() -> str:
    """SHA-256 over the source files of :mod:`nanokit.models` (their paths and bytes)."""
    root = Path(__file__).resolve().parents[1] / "models"
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _export_stem(cfg: Any, checkpoint: Path) -> str:
    """``<weights stem>-<digest>``: the name of the files cached for these weights and model."""
    return f"{checkpoint.stem}-{_digest(cfg.model, checkpoint)}"


def _platform_key(flags: frozenset[str]) -> str:
    """The CPU's speed flags and the torch and onnxruntime versions, as one string."""
    versions = []
    for package in ("torch", "onnxruntime"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} none")
    return " ".join([*sorted(flags & set(SPEED_FLAGS)), *versions])


def _torch_backend(
    config: Any, checkpoint: Path, bf16: bool | Literal["auto"] = "auto"
) -> InferenceBackend:
    from ..models.builder import build_model

    return build_backend("torch", build_model(config, checkpoint), bf16=bf16)


def _digest(model_cfg: Any, checkpoint: Path) -> str:
    """16 hex digits of SHA-256 over the model config, nanokit's model code and the weights
    file's bytes: an export made before the code that builds the model changed is not reused."""
    plain = model_cfg.to_dict() if hasattr(model_cfg, "to_dict") else model_cfg
    digest = hashlib.sha256(json.dumps(plain, sort_keys=True, default=str).encode())
    digest.update(model_code_digest().encode())
    with checkpoint.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:16]

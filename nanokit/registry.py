"""Every registry of nanokit, all in scope ``nanokit``.

A component is a class registered under its class name; a config picks it with
``dict(type="Name", ...)``. ``locations`` makes the first ``get``/``build`` import the module
that fills the registry, so this file imports nothing heavy.

``SEGMENTORS``, ``DATASETS``, ``TRANSFORMS`` and ``METRICS`` are children of mmengine's roots so
that mmengine's ``Runner`` can build them; the runner-side children (loops, hooks, optimizers,
...) exist for the same reason. The other concerns are roots of their own.
"""

from __future__ import annotations

from typing import Any

from mmengine.registry import DATA_SAMPLERS as MMENGINE_DATA_SAMPLERS
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import EVALUATOR as MMENGINE_EVALUATOR
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import LOG_PROCESSORS as MMENGINE_LOG_PROCESSORS
from mmengine.registry import LOOPS as MMENGINE_LOOPS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODEL_WRAPPERS as MMENGINE_MODEL_WRAPPERS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import OPTIM_WRAPPER_CONSTRUCTORS as MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS
from mmengine.registry import OPTIM_WRAPPERS as MMENGINE_OPTIM_WRAPPERS
from mmengine.registry import OPTIMIZERS as MMENGINE_OPTIMIZERS
from mmengine.registry import PARAM_SCHEDULERS as MMENGINE_PARAM_SCHEDULERS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import VISBACKENDS as MMENGINE_VISBACKENDS
from mmengine.registry import VISUALIZERS as MMENGINE_VISUALIZERS
from mmengine.registry import WEIGHT_INITIALIZERS as MMENGINE_WEIGHT_INITIALIZERS
from mmengine.registry import Registry

from .errors import NanokitError

SCOPE = "nanokit"

# --- components that mmengine's Runner builds: children of its roots -------------------------
#: Whole models: N x 3 x H x W images -> N x num_classes x H x W logits (the networks that
#: ``nanokit train`` trains; measurement segmenters that run them are in ``SEGMENTERS``).
SEGMENTORS = Registry(
    "segmentor",
    parent=MMENGINE_MODELS,
    scope=SCOPE,
    locations=["nanokit.models.segmentors"],
)
#: Labelled image collections for training and evaluation.
DATASETS = Registry(
    "dataset", parent=MMENGINE_DATASETS, scope=SCOPE, locations=["nanokit.datasets"]
)
#: Data augmentation and pre-processing, applied to image and mask alike.
TRANSFORMS = Registry(
    "transform", parent=MMENGINE_TRANSFORMS, scope=SCOPE, locations=["nanokit.transforms"]
)
#: Segmentation and sizing metrics.
METRICS = Registry(
    "metric", parent=MMENGINE_METRICS, scope=SCOPE, locations=["nanokit.evaluation.metrics"]
)

# --- runner plumbing, so that default_scope='nanokit' resolves everywhere -------------------
LOOPS = Registry("loop", parent=MMENGINE_LOOPS, scope=SCOPE, locations=["nanokit.training"])
HOOKS = Registry("hook", parent=MMENGINE_HOOKS, scope=SCOPE, locations=["nanokit.training"])
OPTIMIZERS = Registry("optimizer", parent=MMENGINE_OPTIMIZERS, scope=SCOPE)
OPTIM_WRAPPERS = Registry("optim_wrapper", parent=MMENGINE_OPTIM_WRAPPERS, scope=SCOPE)
OPTIM_WRAPPER_CONSTRUCTORS = Registry(
    "optimizer wrapper constructor", parent=MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS, scope=SCOPE
)
PARAM_SCHEDULERS = Registry("parameter scheduler", parent=MMENGINE_PARAM_SCHEDULERS, scope=SCOPE)
DATA_SAMPLERS = Registry("data sampler", parent=MMENGINE_DATA_SAMPLERS, scope=SCOPE)
EVALUATOR = Registry("evaluator", parent=MMENGINE_EVALUATOR, scope=SCOPE)
MODEL_WRAPPERS = Registry("model_wrapper", parent=MMENGINE_MODEL_WRAPPERS, scope=SCOPE)
WEIGHT_INITIALIZERS = Registry(
    "weight initializer", parent=MMENGINE_WEIGHT_INITIALIZERS, scope=SCOPE
)
VISUALIZERS = Registry("visualizer", parent=MMENGINE_VISUALIZERS, scope=SCOPE)
VISBACKENDS = Registry("vis_backend", parent=MMENGINE_VISBACKENDS, scope=SCOPE)
LOG_PROCESSORS = Registry("log_processor", parent=MMENGINE_LOG_PROCESSORS, scope=SCOPE)

# --- nanokit's own concerns: roots ------------------------------------------------------------
#: Encoders giving multi-scale features (timm wrappers, plain U-Net encoder, MiT).
BACKBONES = Registry("backbone", scope=SCOPE, locations=["nanokit.models.backbones"])
#: Optional feature adapters between backbone and decoder.
NECKS = Registry("neck", scope=SCOPE, locations=["nanokit.models.necks"])
#: Attention blocks used inside decoders (CBAM, SE, scSE, ECA, identity).
ATTENTION = Registry("attention", scope=SCOPE, locations=["nanokit.models.attention"])
#: Decoders / heads producing per-pixel logits from encoder features.
DECODERS = Registry("decoder", scope=SCOPE, locations=["nanokit.models.decoders"])
#: Training losses.
LOSSES = Registry("loss", scope=SCOPE, locations=["nanokit.models.losses"])
#: Text recognisers for scale-bar labels (crop -> text, box, confidence).
OCR_ENGINES = Registry("ocr engine", scope=SCOPE, locations=["nanokit.ocr.engines"])
#: Scale-bar locators: image -> value, unit, bar length in px.
SCALEBAR_DETECTORS = Registry(
    "scalebar detector", scope=SCOPE, locations=["nanokit.scalebar.detectors"]
)
#: Sources of the pixel size: manual, vendor metadata, scale bar.
CALIBRATORS = Registry("calibrator", scope=SCOPE, locations=["nanokit.calibration.calibrators"])
#: Measurement segmenters (classical, trained networks): grey image -> particle mask or labels
#: through one ``predict_mask`` (``nanokit.segmentation.BaseSegmenter``).
SEGMENTERS = Registry("segmenter", scope=SCOPE, locations=["nanokit.segmentation"])
#: Mask -> per-particle sizes (ECD, watershed splitting, shape descriptors).
SIZERS = Registry("sizer", scope=SCOPE, locations=["nanokit.sizing.sizers"])

#: The registries that `nanokit list` shows, by the names SPEC uses.
REGISTRIES: dict[str, Registry] = {
    "BACKBONES": BACKBONES,
    "NECKS": NECKS,
    "ATTENTION": ATTENTION,
    "DECODERS": DECODERS,
    "SEGMENTORS": SEGMENTORS,
    "LOSSES": LOSSES,
    "TRANSFORMS": TRANSFORMS,
    "DATASETS": DATASETS,
    "METRICS": METRICS,
    "OCR_ENGINES": OCR_ENGINES,
    "SCALEBAR_DETECTORS": SCALEBAR_DETECTORS,
    "CALIBRATORS": CALIBRATORS,
    "SEGMENTERS": SEGMENTERS,
    "SIZERS": SIZERS,
}


def build(registry: Registry, cfg: dict[str, Any], **default_args: Any) -> Any:
    """Build ``cfg`` from ``registry`` after loading plugins.

    Unlike ``Registry.build`` this rejects dotted ``type`` names (which mmengine would import as
    a module path) and unknown names with a one-line :class:`NanokitError`.
    """
    from .plugins import load_plugins

    load_plugins()
    if not isinstance(cfg, dict) or "type" not in cfg:
        raise NanokitError(f"{registry.name}: a config needs a 'type' key, got {cfg!r}")
    name = cfg["type"]
    if not isinstance(name, str) or "." in name:
        raise NanokitError(f"{registry.name}: 'type' must be a registered name, got {name!r}")
    if registry.get(name) is None:
        known = ", ".join(sorted(registry.module_dict)) or "none"
        raise NanokitError(f"{registry.name}: unknown type {name!r}; registered: {known}")
    return registry.build(cfg, default_args=default_args or None)

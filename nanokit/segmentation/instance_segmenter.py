"""The instance-aware network that ships with nanokit: particles and the boundaries between them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ..errors import NanokitError
from ..registry import SEGMENTERS
from ..sizing._geometry import ecd
from ..utils.contrast import widen_contrast
from ..utils.resize import resize_by
from .edge_refine import refine_edges
from .hollow import join_hollow
from .instance_decoding import DECODINGS
from .neck_split import cut_by_frame, split_at_necks
from .network_segmenter import NetworkSegmenter
from .overlays import Box, drop_overlays, outside_annotation
from .peak_split import split_at_peaks
from .small_clumps import join_small_clumps
from .specks import drop_label_specks, typical_label_diameter
from .turned_view import elongated, join_cut, turned, turned_back

#: The shipped network: EfficientNet-Lite0 encoder, CRCRA (CBAM) U-Net decoder at a quarter of the
#: paper's width, three classes (background / interior / boundary). Trained by
#: ``configs/measure/instance_boundary_effnet_lite0.py``, whose model must equal this one (a test
#: checks; ``pretrained`` only matters for training).
MODEL: dict[str, Any] = dict(
    type="EncoderDecoder",
    num_classes=3,
    backbone=dict(type="TimmBackbone", model_name="tf_efficientnet_lite0", pretrained=None),
    decoder=dict(
        type="UNetDecoder",
        channels=(128, 64, 32, 16),
        block=dict(type="CRCRA"),
        attention=dict(type="CBAM", reduction=4, kernel_size=7),
    ),
)
#: Its weights (safetensors), package data.
WEIGHTS = Path(__file__).with_name("weights") / "instance_boundary_effnet_lite0.safetensors"
#: Particles whose typical diameter exceeds this (px) are larger than most the network saw in
#: training (it fragments them, the more the larger); such images are segmented at reduced size
#: (``shrink_large``)...
LARGEST_DIAMETER = 128.0
#: ... so that the typical particle measures this many px (the middle of the sizes it learnt
#: from: EMPS particles rescaled 0.3-1.6x) ...
SHRUNK_DIAMETER = 64.0
#: ... but reduced by this factor at most: each px of the reduced image spans 1 / factor px of
#: the outline, and the edge refinement moves outlines by 2 px at most; ...
SMALLEST_SHRINK = 0.25
#: ... and to this many px on its short side at least (the network learnt from crops of this
#: size: a smaller image gives it less context than it learnt with).
SMALLEST_SHRUNK_SIDE = 256
#: Particles whose typical diameter at full size exceeds this (px), the middle of the sizes the
#: network learnt from, are segmented again reduced so that it measures
#: :data:`REDUCED_DIAMETER` px (``shrink_large``): over-split large particles (facets, pores)
#: come out whole more often (segmenter alone, EMPS train split: MRE 9.2 -> 8.9 %). The
#: probe's far larger particles stay brought to :data:`SHRUNK_DIAMETER`: at 48 px too, the EMPS
#: test sample enlarged 1.4x / 2x measured 10.3 / 8.7 % against 10.0 / 8.4 %.
MIDDLE_DIAMETER = 64.0
REDUCED_DIAMETER = 48.0
#: Particles whose typical diameter is under this (px) are smaller than most the network saw in
#: training (it merges touching ones); such images are segmented again at ``ENLARGE`` x their
#: size (``enlarge_small``), up to :data:`MAX_ENLARGED_PIXELS` px.
SMALLEST_DIAMETER = 16.0
ENLARGE = 2.0
MAX_ENLARGED_PIXELS = 25_000_000
#: Size of the probe that finds large particles, relative to the image (cheap: 1/16 the pixels).
PROBE_FACTOR = 0.25
#: A faint image (one ``stretch`` widens) is shown to the network smoothed (Gaussian) by an
#: eighth of its typical particle's diameter as the probe sees it, at most this many px (none
#: where the probe finds no particle): relative to its particles' contrast, its noise and
#: substrate texture are beyond what the network learnt from, and it takes faint particles
#: for fragments or misses them (other shares and caps measured: docs/results.md).
FAINT_SMOOTHING = 1.5
FAINT_SMOOTHING_SHARE = 1 / 8
#: Certainty below which an image is segmented again for particles too small for the network,
#: or a reduced image is not trusted.
UNSURE = 0.85
#: Default seed threshold and neck split (docs/measure.md compares the choices).
SEED = 0.85
NECKS = (1.0, 0.1)
#: Stricter seed threshold with which each image is decoded again for
#: :attr:`InstanceSegmenter.split_sensitivity`.
CHECK_SEED = 0.95


@SEGMENTERS.register_module()
class InstanceSegmenter(NetworkSegmenter):
    """A network that predicts particles *and* what separates touching ones, decoded into labels.

    :meth:`predict_mask` returns int32 labels (one id per particle), which the sizer measures
    as they are. After each image, :attr:`confidence` holds the network's mean certainty over
    the particles and their surroundings (1 = every pixel decided with probability 1), and
    :attr:`split_sensitivity` how much the mean particle size changes when the image is decoded
    again with the stricter ``check_seed`` (0 = not at all; large where touching particles part
    or merge on a hair's breadth).

    Args:
        config: config (path or dict) holding the ``model``; None = the shipped :data:`MODEL`.
        checkpoint: weights; None = the shipped :data:`WEIGHTS`.
        decoding: ``"boundary"``, ``"distance"`` or ``"binary"`` (how the head's classes turn
            into particles, see :mod:`nanokit.segmentation.instance_decoding`).
        seed: probability (boundary) or level (distance) above which a pixel seeds a particle;
            higher keeps particles that touch apart where the network is unsure between them.
        necks: ``(h, ratio)`` of :func:`~nanokit.segmentation.neck_split.split_at_necks`: split
            particles whose outline shows two bodies joined by a neck; None = keep them whole.
        split_peaks: split a particle that holds two or more brightness peaks into one per
            peak (:func:`~nanokit.segmentation.peak_split.split_at_peaks`): smooth particles
            that overlap without a boundary the network sees (SEM powders); it cuts textured,
            porous or rimmed particles into pieces, so it is off by default.
        hollow: make each hollow particle one (a substrate-grey centre the network takes for a
            particle, enclosed by arcs of the ring: :func:`~nanokit.segmentation.hollow.join_hollow`).
        turn_elongated: look again, turned by 45 degrees, at images where a quarter of the
            particles are twice as long as wide or more, and join the pieces of rods the network
            cut because they lie along the image's axes
            (:mod:`~nanokit.segmentation.turned_view`).
        refine: move each outline onto the image's half-contrast level
            (:func:`~nanokit.segmentation.edge_refine.refine_edges`): sizes by the image's own
            edge, not by the convention of the masks the network learnt from.
        shrink_large: segment a quarter-size probe of each image first; when its typical
            particle clear of the frame is larger than :data:`LARGEST_DIAMETER` px, segment the
            image reduced so that it measures :data:`SHRUNK_DIAMETER` px (down to
            :data:`SMALLEST_SHRINK` x its size and :data:`SMALLEST_SHRUNK_SIDE` px), and keep
            that when the network is sure of it (certainty :data:`UNSURE` or more): the network
            fragments particles much larger than those it learnt from. Likewise, when the
            typical particle of the image at its own size measures over
            :data:`MIDDLE_DIAMETER` px, the image is segmented again reduced so that it measures
            :data:`REDUCED_DIAMETER` px, kept where the network is sure of it; that decides how
            the particles part, the full-size pass where the background is.
        enlarge_small: when the network is unsure of an image and its typical particle
            measures under :data:`SMALLEST_DIAMETER`, segment it at :data:`ENLARGE` x its size
            too and keep that when the network is surer of it (touching small particles merge
            less).
        specks: drop particles smaller than a disc of 0.3 typical diameters (fragments and
            substrate texture), like the classical segmenter's final pass, unless they are
            distinct (:func:`~nanokit.segmentation.specks.drop_label_specks`).
        join_small: within each clump of touching particles smaller than one and a half lone
            particles (median area), join the pieces that meet from edge to edge: one particle
            that texture, pores or facets cut
            (:func:`~nanokit.segmentation.small_clumps.join_small_clumps`).
        check_seed: seed threshold of the second decoding that measures
            :attr:`split_sensitivity`; None = no second decoding (sensitivity None).
        stretch: show the network faint images (grey range under half the full scale)
            stretched to that range (:func:`~nanokit.utils.contrast.widen_contrast`): it learnt
            from images of ample contrast and misses faint particles; outlines are refined
            and particles judged on the image as it is.
        smooth_faint: show the network faint images (those ``stretch`` widens) smoothed too,
            by :data:`FAINT_SMOOTHING_SHARE` of their typical particle's diameter, at most
            :data:`FAINT_SMOOTHING` px.
        inference: ``"auto"``, ``"onnx"`` or ``"torch"`` (see
            :func:`nanokit.inference.select.network_backend`).
        tile: tile side (px); fully convolutional, so whole images up to this size run at once.
        overlap: px shared by neighbouring tiles.
    """

    def __init__(
        self,
        config: Any = None,
        checkpoint: str | Path | None = None,
        decoding: str = "boundary",
        seed: float = SEED,
        necks: tuple[float, float] | None = NECKS,
        split_peaks: bool = False,
        hollow: bool = True,
        turn_elongated: bool = True,
        refine: bool = True,
        shrink_large: bool = True,
        enlarge_small: bool = True,
        specks: bool = True,
        join_small: bool = True,
        check_seed: float | None = CHECK_SEED,
        stretch: bool = True,
        smooth_faint: bool = True,
        inference: str = "auto",
        tile: int = 1024,
        overlap: int = 64,
    ) -> None:
        from ..inference.select import network_backend

        if decoding not in DECODINGS:
            raise ValueError(f"decoding must be one of {', '.join(DECODINGS)}, got {decoding!r}")
        model, weights = self.network(dict(config=config, checkpoint=checkpoint))
        if not weights.is_file():
            raise NanokitError(f"weights not found: {weights}")
        super().__init__(
            network_backend(model, weights, inference), tile=tile, overlap=overlap, batch_size=1
        )
        self.decoding = DECODINGS[decoding]
        self.seed = seed
        self.necks = tuple(necks) if necks is not None else None
        self.split_peaks = split_peaks
        self.hollow = hollow
        self.turn_elongated = turn_elongated
        self.refine = refine
        self.shrink_large = shrink_large
        self.enlarge_small = enlarge_small
        self.specks = specks
        self.join_small = join_small
        self.check_seed = check_seed
        self.stretch = stretch
        self.smooth_faint = smooth_faint
        self.confidence: float | None = None
        self.split_sensitivity: float | None = None
        #: the scale (x its size) at which the last image's particles were decided
        self._factor = 1.0

    @staticmethod
    def network(options: dict[str, Any]) -> tuple[Any, Path]:
        """(config with the model, weights) that a segmenter built with ``options`` runs."""
        config = options.get("config") or dict(model=MODEL)
        checkpoint = options.get("checkpoint")
        return config, Path(checkpoint) if checkpoint is not None else WEIGHTS

    def predict_mask(
        self,
        image: np.ndarray,
        rows: tuple[int, int] | None = None,
        overlays: Sequence[Box] = (),
    ) -> np.ndarray:
        """(H, W) int32 particle labels of ``image`` (see :meth:`NetworkSegmenter.predict_mask`
        for ``rows`` and ``overlays``)."""
        top, bottom = rows if rows is not None else (0, image.shape[0])
        part = image[top:bottom]
        seen = part
        if self.stretch:
            # the annotation (a white box, black bar) would set the range of a faint image
            clear = outside_annotation(image.shape, overlays)
            seen = widen_contrast(part, where=None if clear is None else clear[top:bottom])
        faint = seen is not part
        typical = self._probe_diameter(seen) if self.shrink_large or faint else None
        if faint and self.smooth_faint and typical is not None:
            sigma = min(FAINT_SMOOTHING, FAINT_SMOOTHING_SHARE * typical)
            seen = cv2.GaussianBlur(seen, (0, 0), sigma)
        self._factor = 1.0
        probs, raw, sure = self._segment(seen, typical)
        decoded = probs
        if sure < UNSURE and self.enlarge_small:
            probs, raw, decoded = self._enlarged_if_surer(seen, probs, raw, sure)
        labels = self._finish(part, raw)
        turned_labels = self._turned_look(seen, part, labels)
        if turned_labels is not None:
            labels = join_cut(labels, turned_labels, probs, part)
        self.confidence = certainty(probs, labels)
        self.split_sensitivity = None
        if self.check_seed is not None:
            strict = self._labels(decoded, self.check_seed, part.shape)
            # the same particles before the clean-up give the same after it (a third of the
            # EMPS and synthetic images): no second clean-up
            if not same_partition(raw, strict):
                strict = self._finish(part, strict)
                if turned_labels is not None:
                    strict = join_cut(strict, turned_labels, probs, part)
            else:
                strict = labels
            self.split_sensitivity = size_change(labels, strict)
        full = np.zeros(image.shape[:2], dtype=np.int32)
        full[top:bottom] = labels
        full, self.at_overlays = drop_overlays(full, overlays)
        return full

    def _finish(self, image: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """Decoded ``labels`` of ``image`` split at necks (and peaks), refined and without
        specks (as the options say)."""
        if self.necks is not None:
            labels = split_at_necks(labels, *self.necks)
        if self.split_peaks:
            labels = split_at_peaks(image, labels)
        if self.hollow:
            labels = join_hollow(labels, image)
        if self.refine:
            labels = refine_edges(image, labels)
        if self.specks:
            labels = drop_label_specks(labels, image)
        if self.join_small:
            labels = join_small_clumps(labels)
        return labels

    def _turned_look(
        self, seen: np.ndarray, part: np.ndarray, labels: np.ndarray
    ) -> np.ndarray | None:
        """Labels of ``seen`` (the image as the network saw it; ``part`` as it is) turned by
        45 degrees, segmented at the scale its ``labels`` were and turned back, where they are
        elongated (:func:`~nanokit.segmentation.turned_view.elongated`, and ``turn_elongated``);
        else None."""
        if not (self.turn_elongated and elongated(labels)):
            return None
        image, matrix = turned(seen)
        if image.shape[0] * image.shape[1] * self._factor**2 > MAX_ENLARGED_PIXELS:
            return None
        grow = image.shape[0] / max(seen.shape[:2])  # tiles as many as for the image itself
        probs = turned_back(self._probs(image, self._factor, grow=grow), matrix, seen.shape)
        return self._finish(part, self.decode(probs))

    def _labels(self, probs: np.ndarray, seed: float, shape: tuple[int, ...]) -> np.ndarray:
        """``probs`` decoded with ``seed``, brought to ``shape`` (:func:`at_size`)."""
        return at_size(self.decoding(probs, seed), shape)

    def _segment(
        self, image: np.ndarray, typical: float | None
    ) -> tuple[np.ndarray, np.ndarray, float]:
        """(probs, labels, certainty) of ``image``, segmented reduced where its particles are
        too large for the network (``shrink_large``; ``typical``: their diameter as the probe
        sees it, :meth:`_probe_diameter`) and the network is sure of the reduced image; else
        at its own size."""
        factor = self._shrink_factor(typical, image.shape) if self.shrink_large else 1.0
        segmented = self._decoded(image, factor)
        if factor != 1.0 and segmented[2] < UNSURE:
            # Dense clusters of small particles look like large particles to the probe; reduced,
            # they are a texture the network is unsure of.
            return self._decoded(image, 1.0)
        if factor == 1.0 and self.shrink_large:
            return self._reduced_if_sure(image, segmented)
        self._factor = factor
        return segmented

    def _reduced_if_sure(
        self, image: np.ndarray, segmented: tuple[np.ndarray, np.ndarray, float]
    ) -> tuple[np.ndarray, np.ndarray, float]:
        """``segmented`` (``image`` at its own size), or ``image`` segmented reduced so that its
        typical particle measures :data:`REDUCED_DIAMETER` px where it measures over
        :data:`MIDDLE_DIAMETER` px at its own size and the network is sure of the reduced image
        (certainty :data:`UNSURE` or more), with the full-size pass's background."""
        typical = typical_clear_diameter(segmented[1])
        if typical is None or typical <= MIDDLE_DIAMETER:
            return segmented
        factor = shrink_factor(REDUCED_DIAMETER / typical, image.shape)
        if factor == 1.0:
            return segmented
        # The reduced image decides how particles part, the full-size one where the background
        # is: reduced, a narrow gap between particles is as wide as the boundary band between
        # touching ones, and the particles would take it in.
        full = segmented[0]
        reduced = self._judged(np.where(full[0] >= 0.5, full, self._probs(image, factor)))
        if reduced[2] < UNSURE:
            return segmented
        self._factor = factor
        return reduced

    def _decoded(
        self, image: np.ndarray, factor: float, restore: bool = True
    ) -> tuple[np.ndarray, np.ndarray, float]:
        """(probs, labels, certainty) of ``image`` segmented at ``factor`` x its size (see
        :meth:`_probs` for ``restore``)."""
        return self._judged(self._probs(image, factor, restore))

    def _judged(self, probs: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        """(``probs``, their labels, the network's certainty of them)."""
        labels = self.decode(probs)
        return probs, labels, certainty(probs, labels)

    def _enlarged_if_surer(
        self, image: np.ndarray, probs: np.ndarray, labels: np.ndarray, sure: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(probs, labels, probs as decoded) of ``image`` segmented at :data:`ENLARGE` x its
        size, where its particles are small for the network and the network is surer there
        than ``sure`` (its certainty of ``labels``); else those given.
        Labels are decoded at the enlarged size (the boundaries between small particles are
        a pixel or two wide) and brought back by nearest neighbour."""
        typical = typical_label_diameter(labels)
        if typical is None or typical >= SMALLEST_DIAMETER:
            return probs, labels, probs
        if image.shape[0] * image.shape[1] * ENLARGE**2 > MAX_ENLARGED_PIXELS:
            return probs, labels, probs
        big, big_labels, big_sure = self._decoded(image, ENLARGE, restore=False)
        if big_sure <= sure:
            return probs, labels, probs
        self._factor = ENLARGE
        size = (image.shape[1], image.shape[0])
        return (
            np.stack([cv2.resize(p, size, interpolation=cv2.INTER_AREA) for p in big]),
            at_size(big_labels, image.shape),
            big,
        )

    @staticmethod
    def _shrink_factor(typical: float | None, shape: tuple[int, ...]) -> float:
        """1.0, or the factor that brings particles too large for the network (``typical``
        px across as the probe sees them) in an image of ``shape`` to :data:`SHRUNK_DIAMETER`
        px."""
        if typical is None or typical <= LARGEST_DIAMETER:
            return 1.0
        return shrink_factor(SHRUNK_DIAMETER / typical, shape)

    def _probe_diameter(self, image: np.ndarray) -> float | None:
        """Typical diameter (px of ``image``) of its particles as a probe at
        :data:`PROBE_FACTOR` x its size sees them, those cut by the frame left out; None where
        the probe is too small or finds none."""
        if min(image.shape[:2]) * PROBE_FACTOR < 64:
            return None
        # The probe is decoded at its own size (a 16th of the pixels: the same typical diameter
        # within 1 % as decoded at full size); its typical diameter is taken over the particles
        # clear of the frame (as sizes are) where there are any: regions cut by it include
        # substrate and halos and have no size of their own. Specks (next to the typical
        # region, cut by the frame or not) are left out first: where every particle is cut by
        # the frame, the few regions clear of it are fragments, not the particles' size.
        probe = self.decode(self._probs(image, PROBE_FACTOR, restore=False))
        typical = typical_clear_diameter(probe)
        return None if typical is None else typical * image.shape[1] / probe.shape[1]

    def decode(self, probs: np.ndarray) -> np.ndarray:
        """(C, H, W) class probabilities -> (H, W) int32 particle labels."""
        return self.decoding(probs, self.seed)

    def _probs(
        self, image: np.ndarray, factor: float, restore: bool = True, grow: float = 1.0
    ) -> np.ndarray:
        """(C, H, W) probabilities of ``image`` segmented at ``factor`` x its size, brought
        back to its size unless ``restore`` is False; its tiles ``grow`` times as large as
        usual (an image made larger by turning it)."""
        from ..inference import segment_image

        height, width = image.shape[:2]
        scaled = resize_by(image, factor, min_side=8)
        # Tiles grow with the image: an enlarged image in tiles of the usual size would
        # recompute their overlaps (twice the network time at 2x).
        tile = round(self.tile * max(factor, 1.0) * grow)
        probs = segment_image(
            self.backend, scaled, tile=tile, overlap=self.overlap, batch_size=1, output="prob"
        )
        if factor == 1.0 or not restore:
            return probs
        return np.stack(
            [cv2.resize(p, (width, height), interpolation=cv2.INTER_LINEAR) for p in probs]
        )


def typical_clear_diameter(labels: np.ndarray) -> float | None:
    """Typical diameter (px, :func:`typical_label_diameter`) of the particles of ``labels``
    clear of the frame, specks left out; of all of them where none is clear of it."""
    labels = drop_label_specks(labels)
    clear = np.where(np.isin(labels, cut_by_frame(labels)), 0, labels)
    return typical_label_diameter(clear if clear.any() else labels)


def shrink_factor(factor: float, shape: tuple[int, ...]) -> float:
    """``factor`` (< 1 reduces) bounded to :data:`SMALLEST_SHRINK` and to leave
    :data:`SMALLEST_SHRUNK_SIDE` px on the short side of an image of ``shape``; 1.0 at most."""
    return min(max(factor, SMALLEST_SHRINK, SMALLEST_SHRUNK_SIDE / min(shape[:2])), 1.0)


def at_size(labels: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``labels`` brought to ``shape``'s (H, W) by nearest neighbour (themselves where they
    have it already)."""
    if labels.shape == shape[:2]:
        return labels
    return cv2.resize(labels, (shape[1], shape[0]), interpolation=cv2.INTER_NEAREST)


def same_partition(labels: np.ndarray, other: np.ndarray) -> bool:
    """Whether ``labels`` and ``other`` hold the same particles, whatever their ids."""
    if labels.max() != other.max():
        return False
    pairs = labels.astype(np.int64) * (int(other.max()) + 1) + other
    return len(np.unique(pairs)) == int(labels.max()) + 1


def size_change(labels: np.ndarray, other: np.ndarray) -> float | None:
    """Relative change of the mean particle ECD from ``labels`` to ``other`` (particles clear of
    the frame where there are any, as sizes are reported); None where ``labels`` holds no
    particle, 1.0 where ``other`` holds none."""
    before, after = _mean_ecd(labels), _mean_ecd(other)
    if before is None:
        return None
    return 1.0 if after is None else abs(after / before - 1)


def _mean_ecd(labels: np.ndarray) -> float | None:
    """Mean ECD (px) of the particles of ``labels`` clear of the frame (all where none is)."""
    areas = np.bincount(labels.ravel())
    areas[0] = 0
    clear = areas.copy()
    clear[cut_by_frame(labels)] = 0
    areas = clear if clear.any() else areas
    areas = areas[areas > 0]
    return float(np.mean(ecd(areas))) if len(areas) else None


def certainty(probs: np.ndarray, labels: np.ndarray, pad: int = 3) -> float:
    """Mean top-class probability over the particles and a ``pad``-px ring around them (where
    the decisions that shape the sizes are made); 1.0 for an image without particles."""
    region = labels > 0
    if not region.any():
        return 1.0
    kernel = np.ones((2 * pad + 1, 2 * pad + 1), np.uint8)
    region = cv2.dilate(region.astype(np.uint8), kernel) > 0
    return float(probs.max(axis=0)[region].mean())

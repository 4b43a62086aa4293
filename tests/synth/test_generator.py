"""Synthetic SEM samples: determinism, truth consistency, scale bars as drawn."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest
from scipy import ndimage

from nanokit.errors import NanokitError
from nanokit.synth import STYLES, generate_dataset, make_sample
from nanokit.synth.particles import MAX_D, MIN_D, random_size_model

SEED0 = 1000


@pytest.fixture(scope="module")
def samples() -> dict[str, tuple[np.ndarray, np.ndarray, dict]]:
    """One sample per scale-bar style."""
    return {style: make_sample(SEED0 + i, style=style) for i, style in enumerate(STYLES)}


def test_same_seed_same_sample_and_different_seeds_differ() -> None:
    a_img, a_mask, a_truth = make_sample(7)
    b_img, b_mask, b_truth = make_sample(7)
    c_img, _, c_truth = make_sample(8)
    assert np.array_equal(a_img, b_img) and np.array_equal(a_mask, b_mask)
    assert a_truth == b_truth
    assert not np.array_equal(a_img, c_img)
    assert a_truth["particles"] != c_truth["particles"]


def test_dataset_files_are_byte_identical_per_seed(tmp_path) -> None:
    def digest(root) -> dict[str, str]:
        files = sorted(p for p in root.rglob("*") if p.is_file())
        return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}

    generate_dataset(tmp_path / "a", 2, seed=5)
    generate_dataset(tmp_path / "b", 2, seed=5)
    generate_dataset(tmp_path / "c", 2, seed=6)
    a, b = digest(tmp_path / "a"), digest(tmp_path / "b")
    assert len(a) == 7 and a == b  # 2 images + 2 masks + 2 truth + index
    c = digest(tmp_path / "c")
    assert not set(a.values()) & set(c.values())


def test_outputs_have_contract_types(samples) -> None:
    for image, mask, truth in samples.values():
        assert image.dtype == np.uint8 and image.shape == (768, 1024)
        assert mask.dtype == np.uint16 and mask.shape == (768, 1024)
        assert (truth["width"], truth["height"]) == (1024, 768)
        assert set(truth) >= {"image", "seed", "nm_per_px", "databar", "scalebar", "particles"}
        json.dumps(truth)  # serialisable


def test_particles_match_mask(samples) -> None:
    for _, mask, truth in samples.values():
        parts = truth["particles"]
        assert parts, "every sample has particles"
        areas = np.bincount(mask.ravel(), minlength=len(parts) + 1)
        assert [p["id"] for p in parts] == list(range(1, len(parts) + 1))
        assert areas[1:].tolist() == [p["area_px"] for p in parts]
        ids = [p["id"] for p in parts]
        centres = ndimage.center_of_mass(np.ones(mask.shape), mask, ids)
        boxes = ndimage.find_objects(mask)
        for p, (cy, cx), box in zip(parts, centres, boxes, strict=True):
            assert p["cx"] == pytest.approx(cx, abs=1e-2)
            assert p["cy"] == pytest.approx(cy, abs=1e-2)
            assert p["ecd_px"] == pytest.approx(np.sqrt(4 * p["area_px"] / np.pi), rel=1e-4)
            assert p["ecd_nm"] == pytest.approx(p["ecd_px"] * truth["nm_per_px"], rel=1e-4)
            ys, xs = box
            on_edge = xs.start == 0 or ys.start == 0 or xs.stop == 1024 or ys.stop == 768
            assert p["touches_border"] == on_edge


def test_touching_particles_stay_distinct_instances(samples) -> None:
    touching = 0
    for style, (_, mask, _) in samples.items():
        right, down = (mask[:, :-1], mask[:, 1:]), (mask[:-1], mask[1:])
        for a, b in (right, down):
            pairs = (a != b) & (a > 0) & (b > 0)
            touching += len({(int(x), int(y)) for x, y in zip(a[pairs], b[pairs], strict=True)})
        for i, box in enumerate(ndimage.find_objects(mask), start=1):
            _, n = ndimage.label(mask[box] == i, structure=np.ones((3, 3)))
            assert n == 1, f"{style}: particle {i} is split into {n} pieces"
    assert touching >= 5


def test_particles_stay_out_of_the_data_bar(samples) -> None:
    for style, (_, mask, truth) in samples.items():
        bar = truth["scalebar"]
        x0, y0, x1, y1 = bar["bar_bbox"]
        assert not mask[y0 : y1 + 1, x0 : x1 + 1].any(), style
        lx0, ly0, lx1, ly1 = bar["label_bbox"]
        assert not mask[ly0 : ly1 + 1, lx0 : lx1 + 1].any(), style
        if truth["databar"] is not None:
            assert truth["databar"]["y1"] == 767
            assert truth["databar"]["y0"] <= min(y0, ly0)
            assert not mask[truth["databar"]["y0"] :].any(), style


def _runs(row: np.ndarray) -> list[tuple[int, int]]:
    """Inclusive [start, end] of the True runs in a 1-D bool array."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], row.astype(int), [0]])))
    return list(zip(edges[::2], edges[1::2] - 1, strict=True))


def _measure_bar(image: np.ndarray, bar: dict) -> tuple[int, int]:
    """(outer length, calibrated length) of the bar measured from the image pixels."""
    x0, y0, x1, y1 = bar["bar_bbox"]
    crop = image[y0 : y1 + 1, x0 : x1 + 1]
    ink = crop == 255 if bar["polarity"] == "white" else crop == 0
    cols = np.flatnonzero(ink.any(axis=0))
    outer = int(cols[-1] - cols[0] + 1)
    if bar["bar_kind"] == "plain":
        assert ink.all(), "a plain bar fills its box"
        return outer, outer
    # ticked bars and rulers: the top row of the box holds only (end) ticks
    runs = _runs(ink[0])
    (a0, a1), (b0, b1) = runs[0], runs[-1]
    return outer, int(round((b0 + b1) / 2 - (a0 + a1) / 2))


def test_drawn_bar_length_matches_truth(samples) -> None:
    for style, (image, _, truth) in samples.items():
        bar = truth["scalebar"]
        outer, calibrated = _measure_bar(image, bar)
        assert outer == bar["bar_px_outer"] == bar["bar_bbox"][2] - bar["bar_bbox"][0] + 1, style
        assert calibrated == bar["bar_px"], style


def test_bar_conventions_per_kind(samples) -> None:
    kinds = {truth["scalebar"]["bar_kind"] for _, _, truth in samples.values()}
    assert kinds == {"plain", "end_ticks", "ruler"}
    fei = samples["fei_databar"][2]["scalebar"]
    assert fei["bar_px_outer"] - fei["bar_px"] == 3  # 1-px ticks 1 px inside each end
    zeiss = samples["zeiss_databar"][2]["scalebar"]
    assert zeiss["bar_px_outer"] - zeiss["bar_px"] == 2  # 2-px end ticks
    tescan = samples["tescan"][2]["scalebar"]
    assert tescan["bar_px_outer"] - tescan["bar_px"] == 1  # 1-px end ticks


def test_calibration_is_consistent(samples) -> None:
    for style, (_, _, truth) in samples.items():
        bar = truth["scalebar"]
        assert truth["nm_per_px"] == bar["value_nm"] / bar["bar_px"], style
        assert 60 <= bar["bar_px"] <= 300
        assert 0.2 * 0.8 <= truth["nm_per_px"] <= 50 * 1.25
        mantissa = bar["value_nm"] / 10 ** np.floor(np.log10(bar["value_nm"]))
        assert round(mantissa, 6) in (1, 2, 5)
        factor = {"nm": 1, "um": 1000}[bar["unit"]]
        assert bar["value"] * factor == pytest.approx(bar["value_nm"])


def test_label_text_parses_to_the_truth(samples) -> None:
    units = pytest.importorskip("nanokit.ocr.units")
    for style, (_, _, truth) in samples.items():
        bar = truth["scalebar"]
        label = units.parse_scale_label(bar["text"], reads_micro=True)
        assert label is not None, bar["text"]
        assert label.value_nm == pytest.approx(bar["value_nm"]), (style, bar["text"])


def test_label_and_bar_boxes_are_separate_and_inside(samples) -> None:
    for style, (image, _, truth) in samples.items():
        bar = truth["scalebar"]
        for x0, y0, x1, y1 in (bar["bar_bbox"], bar["label_bbox"]):
            assert 0 <= x0 <= x1 < 1024 and 0 <= y0 <= y1 < 768, style
        bx0, by0, bx1, by1 = bar["bar_bbox"]
        lx0, ly0, lx1, ly1 = bar["label_bbox"]
        label = image[ly0 : ly1 + 1, lx0 : lx1 + 1]
        assert label.max() > label.min() + 100, f"{style}: label has contrast"
        if bar["label_pos"] != "split":  # FEI prints the label inside the bar's gap
            disjoint = lx1 < bx0 or bx1 < lx0 or ly1 < by0 or by1 < ly0
            assert disjoint, style


def test_sizes_span_small_and_large(samples) -> None:
    medians = [random_size_model(np.random.default_rng(s)).median_px for s in range(300)]
    assert min(medians) < 12 and max(medians) > 55
    ecds = [
        p["ecd_px"]
        for _, _, t in samples.values()
        for p in t["particles"]
        if not p["touches_border"]
    ]
    assert MIN_D - 1 <= min(ecds) < 12 and 60 < max(ecds) <= MAX_D * 1.2


def test_mean_size_varies_between_images(samples) -> None:
    means = [
        np.mean([p["ecd_px"] for p in t["particles"] if not p["touches_border"]])
        for _, _, t in samples.values()
    ]
    assert max(means) > 2 * min(means)


def test_bad_arguments_are_one_line_errors(tmp_path) -> None:
    with pytest.raises(NanokitError, match="positive"):
        generate_dataset(tmp_path, 0, seed=0)
    with pytest.raises(NanokitError, match="seed"):
        generate_dataset(tmp_path, 1, seed=-3)
    with pytest.raises(NanokitError, match="unknown synth style"):
        make_sample(0, style="nope")


def _touching_pairs(mask: np.ndarray) -> int:
    """Number of distinct pairs of instances that share a pixel edge."""
    pairs = set()
    for a, b in ((mask[:, :-1], mask[:, 1:]), (mask[:-1], mask[1:])):
        both = (a != b) & (a > 0) & (b > 0)
        pairs |= {tuple(sorted((int(x), int(y)))) for x, y in zip(a[both], b[both], strict=True)}
    return len(pairs)


def _assert_whole_instances(mask: np.ndarray) -> None:
    """Every particle of ``mask`` is one 8-connected piece."""
    for i, box in enumerate(ndimage.find_objects(mask), start=1):
        _, n = ndimage.label(mask[box] == i, structure=np.ones((3, 3)))
        assert n == 1, f"particle {i} is split into {n} pieces"


def test_crowded_scenes_pack_particles_into_clumps_of_whole_instances() -> None:
    for seed in (11, 14):
        _, plain, plain_truth = make_sample(seed)
        _, crowded, truth = make_sample(seed, crowded=True)
        assert truth["scene"]["crowded"] and not plain_truth["scene"]["crowded"]
        assert (crowded > 0).mean() > (plain > 0).mean()
        # most particles touch or overlap another one, far more than in the ordinary scene
        assert _touching_pairs(crowded) > 0.5 * crowded.max() > _touching_pairs(plain)
        _assert_whole_instances(crowded)


def test_crowded_share_is_spread_over_the_set(tmp_path) -> None:
    generate_dataset(tmp_path, 4, seed=3, crowded=0.5)
    flags = [
        json.loads((tmp_path / "truth" / f"synth_3_{i:04d}.json").read_text())["scene"]["crowded"]
        for i in range(4)
    ]
    assert flags == [False, True, False, True]
    with pytest.raises(NanokitError, match="crowded share"):
        generate_dataset(tmp_path, 1, seed=0, crowded=1.5)


def test_textured_particles_vary_inside_and_leave_the_rest_of_the_sample_as_it_was() -> None:
    for seed in (3, 25):
        plain, mask, truth = make_sample(seed)
        textured, textured_mask, textured_truth = make_sample(seed, textured=True)
        assert textured_truth["scene"]["textured"] and not truth["scene"]["textured"]
        assert (textured_mask == mask).all() and textured_truth["particles"] == truth["particles"]
        inside = ndimage.binary_erosion(mask > 0, iterations=3)
        outside = ndimage.binary_dilation(mask > 0, iterations=4, border_value=0) == 0
        change = textured.astype(float) - plain.astype(float)
        # the particles' insides change by several grey levels, the substrate not at all
        assert np.abs(change[inside]).mean() > 3 * max(np.abs(change[outside]).mean(), 0.5)
        assert np.abs(change[outside]).max() <= 1


def test_textured_share_is_picked_independently_of_the_crowded_one(tmp_path) -> None:
    generate_dataset(tmp_path, 8, seed=3, crowded=0.5, textured=0.5)
    scenes = [
        json.loads((tmp_path / "truth" / f"synth_3_{i:04d}.json").read_text())["scene"]
        for i in range(8)
    ]
    assert sum(s["textured"] for s in scenes) == 4
    assert {(s["crowded"], s["textured"]) for s in scenes} == {
        (False, False),
        (False, True),
        (True, False),
        (True, True),
    }
    with pytest.raises(NanokitError, match="textured share"):
        generate_dataset(tmp_path, 1, seed=0, textured=-0.1)


def _rectangularity(mask: np.ndarray) -> list[float]:
    """Area / least enclosing rectangle's area of each particle of ``mask`` at least 15 px
    across and clear of the frame (1 for a square, pi / 4 for a disc)."""
    import cv2

    shares = []
    for i, box in enumerate(ndimage.find_objects(mask), start=1):
        if box is None:
            continue
        piece = (mask[box] == i).astype(np.uint8)
        touches = box[0].start == 0 or box[1].start == 0
        touches |= box[0].stop == mask.shape[0] or box[1].stop == mask.shape[1]
        if touches or min(piece.shape) < 15:
            continue
        contours, _ = cv2.findContours(piece, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        (_, _), (w, h), _ = cv2.minAreaRect(max(contours, key=cv2.contourArea))
        shares.append(float(piece.sum()) / ((w + 1) * (h + 1)))
    return shares


def test_cubic_particles_are_rounded_squares_of_whole_instances() -> None:
    for seed in (4, 9):
        _, round_mask, round_truth = make_sample(seed)
        _, mask, truth = make_sample(seed, cubic=True, crowded=seed == 4)
        assert truth["scene"]["cubic"] and not round_truth["scene"]["cubic"]
        cubic, rounded = _rectangularity(mask), _rectangularity(round_mask)
        assert len(cubic) >= 10 and len(rounded) >= 10
        # a disc fills pi / 4 = 0.79 of its rectangle, a square with rounded corners over 0.9
        assert np.median(cubic) > 0.86 > 0.82 > np.median(rounded)
        _assert_whole_instances(mask)


def test_cubic_share_is_picked_and_checked(tmp_path) -> None:
    generate_dataset(tmp_path, 6, seed=2, cubic=0.5)
    scenes = [
        json.loads((tmp_path / "truth" / f"synth_2_{i:04d}.json").read_text())["scene"]
        for i in range(6)
    ]
    assert sum(s["cubic"] for s in scenes) == 3
    with pytest.raises(NanokitError, match="cubic share"):
        generate_dataset(tmp_path, 1, seed=0, cubic=2.0)


def test_rods_are_long_whole_instances_and_exclude_cubes(tmp_path) -> None:
    import cv2

    _, mask, truth = make_sample(5, rods=True)
    assert truth["scene"]["rods"] and not truth["scene"]["cubic"]
    _assert_whole_instances(mask)
    elongation = []
    for i, box in enumerate(ndimage.find_objects(mask), start=1):
        piece = (mask[box] == i).astype(np.uint8)
        if min(box[0].start, box[1].start) > 0 and box[0].stop < 768 and box[1].stop < 1024:
            contours, _ = cv2.findContours(piece, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
            (_, _), (w, h), _ = cv2.minAreaRect(max(contours, key=cv2.contourArea))
            elongation.append(max(w, h) / max(min(w, h), 1))
    assert len(elongation) >= 10 and np.median(elongation) > 1.8
    with pytest.raises(NanokitError, match="cubes or rods"):
        make_sample(5, rods=True, cubic=True)
    with pytest.raises(NanokitError, match="add up to over 1"):
        generate_dataset(tmp_path, 4, seed=0, cubic=0.5, rods=0.75)
    generate_dataset(tmp_path / "set", 6, seed=2, cubic=0.5, rods=0.5)
    scenes = [
        json.loads(p.read_text())["scene"] for p in sorted((tmp_path / "set" / "truth").iterdir())
    ]
    assert [s["cubic"] for s in scenes].count(True) == 3
    assert all(s["cubic"] != s["rods"] for s in scenes)

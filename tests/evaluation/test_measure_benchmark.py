"""benchmarks/measure.py: how each hand-drawn particle fares against the measured labels, and
which measured particles have none under them."""

from __future__ import annotations

import numpy as np
import pytest

from ..benchmark_scripts import load_benchmark


@pytest.fixture(scope="module")
def bench():
    return load_benchmark("measure")


def test_fates_tell_matched_merged_split_and_missed(bench) -> None:
    truth = np.zeros((60, 120), np.int32)
    truth[5:25, 5:25] = 1  # measured alone, a little larger: matched
    truth[5:25, 40:60] = 2  # 2 and 3 measured as one particle: merged
    truth[5:25, 60:80] = 3
    truth[35:55, 5:45] = 4  # measured as two halves: split
    truth[35:55, 80:100] = 5  # not measured: missed
    pred = np.zeros_like(truth)
    pred[4:26, 4:26] = 1
    pred[5:25, 40:80] = 2
    pred[35:55, 5:25] = 3
    pred[35:55, 25:45] = 4
    pred[40:50, 105:115] = 5  # on the hand masks' background: extra
    pred[2:4, 110:113] = 6  # under 10 px: not counted
    counts, ratios = bench._fates(bench._match(pred, truth))
    assert dict(zip((*bench.FATES, bench.EXTRA), counts.tolist(), strict=True)) == {
        "matched": 1,
        "merged": 2,
        "split": 1,
        "missed": 1,
        "extra": 1,
    }
    assert ratios == pytest.approx([22 * 22 / 400])


@pytest.mark.parametrize("name", ["_ramp", "_vignette"])
def test_uneven_illumination_halves_the_grey_where_it_is_darkest(bench, name: str) -> None:
    image = np.full((101, 201), 200, np.uint8)
    mask = np.zeros(image.shape, np.uint16)
    lit, kept = getattr(bench, name)(image, mask)
    assert kept is mask and lit.dtype == np.uint8
    bright = (0, 0) if name == "_ramp" else (50, 100)  # top left corner / centre
    assert lit[bright] == 200
    assert abs(int(lit[-1, -1]) - 100) <= 1  # bottom right corner: about half
    assert lit.min() == lit[-1, -1] and lit.max() == 200


def test_halved_contrast_maps_the_grey_scale_to_its_middle_half(bench) -> None:
    image = np.array([[0, 128, 255]], np.uint8)
    flat, _ = bench._flat(image, None)
    assert flat.tolist() == [[64, 128, 191]]


def test_blur_softens_an_edge_and_keeps_the_mean(bench) -> None:
    image = np.zeros((40, 40), np.uint8)
    image[:, 20:] = 200
    soft, _ = bench._blurred(image, None)
    assert 0 < soft[20, 19] < 200 and 0 < soft[20, 20] < 200
    assert abs(float(soft.mean()) - float(image.mean())) < 1


def test_a_margin_frames_the_image_and_leaves_the_particles_cut_by_its_edge_out_of_the_truth(
    bench,
) -> None:
    image = np.full((30, 40), 100, np.uint8)
    mask = np.zeros(image.shape, np.uint16)
    mask[0:5, 10:15] = 1  # cut by the micrograph's top edge
    mask[10:20, 10:20] = 2  # whole
    mask[25:30, 35:40] = 3  # cut by its bottom right corner
    framed, truth = bench._margin(255, width=4)(image, mask)
    assert framed.shape == truth.shape == (38, 48)
    assert (framed[:4] == 255).all() and (framed[4:-4, 4:-4] == image).all()
    assert np.unique(truth).tolist() == [0, 2] and (truth[14:24, 14:24] == 2).all()


def test_a_margin_frames_an_image_without_a_mask(bench) -> None:
    framed, mask = bench._margin(0, width=3)(np.full((10, 12), 100, np.uint8), None)
    assert mask is None and framed.shape == (16, 18) and framed[0, 0] == 0


def test_two_panels_mirror_the_image_and_number_the_second_panel_s_particles_on(bench) -> None:
    image = np.arange(12, dtype=np.uint8).reshape(3, 4)
    mask = np.zeros((3, 4), np.uint16)
    mask[1, 1] = 1  # whole
    mask[0, 3] = 2  # cut by the micrograph's edge
    figure, truth = bench._two_panels(image, mask)
    assert figure.shape == truth.shape == (3, 18)
    assert (figure[:, 4:14] == 255).all() and (figure[:, 14:] == image[:, ::-1]).all()
    assert truth[1, 1] == 1 and truth[1, 16] == 2 and np.unique(truth).tolist() == [0, 1, 2]

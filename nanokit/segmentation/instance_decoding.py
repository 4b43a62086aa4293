"""Class probabilities of an instance-aware network -> particle labels (seeded watershed).

Each decoder takes the (C, H, W) softmax output of one network head and returns (H, W) int32
labels, 0 = background, one id per particle:

* :func:`labels_from_binary`: background / particle; connected components (the paper's sizing).
* :func:`labels_from_boundary`: background / interior / boundary; interiors seed a watershed
  that grows them over the boundary band, so touching particles part where the band runs;
  neighbours with no boundary between them are one particle (:func:`merge_unparted`).
* :func:`labels_from_distance`: background + quantised normalised distance levels; the expected
  level is a smooth "energy" whose upper half seeds a watershed over the particle mask.
"""

from __future__ import annotations

import cv2
import numpy as np

#: Smallest seed kept (px): one-pixel interiors are noise, not particles.
MIN_SEED_PX = 3
#: Mean boundary probability along the line between two neighbouring regions under which they
#: are one particle. Between two hand-drawn particles the shipped network puts far more: on 60
#: of its EMPS training images none of 1426 such lines is under 0.2 (8 under 0.3, 10th
#: percentile 0.61); on the EMPS test sample 3.6 % and on BAM TiO2 0.3 % are under 0.2. Of
#: the lines within one hand-drawn particle of those test sets (a porous or grainy particle
#: whose interior dips under the seed threshold), 63 % (EMPS) and 43 % (BAM) are.
UNPARTED = 0.2


def foreground(probs: np.ndarray) -> np.ndarray:
    """Pixels where the network is surer of some particle class than of background."""
    return probs[0] < 0.5


def labels_from_binary(probs: np.ndarray, seed: float = 0.5) -> np.ndarray:
    """Connected components (8-connected) of the foreground (``seed`` unused: no seeds)."""
    return cv2.connectedComponents(foreground(probs).astype(np.uint8), connectivity=8)[1]


def labels_from_boundary(probs: np.ndarray, seed: float = 0.5) -> np.ndarray:
    """Watershed of the interior probability, seeded where it exceeds ``seed``; neighbours
    the network sees no boundary between merged (:func:`merge_unparted`)."""
    labels = _seeded_watershed(probs[1], probs[1] > seed, foreground(probs))
    return merge_unparted(labels, probs[2])


def merge_unparted(labels: np.ndarray, boundary: np.ndarray, level: float = UNPARTED) -> np.ndarray:
    """``labels`` with neighbouring regions merged where the mean of ``boundary`` (the
    boundary class's probability) over the pixels on either side of their shared line is
    under ``level``: seeds split by a dip of the interior probability, not by a boundary."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    count = int(labels.max())
    if count < 2:
        return labels
    keys, evidence = [], []
    for a, b, pa, pb in (
        (labels[:, :-1], labels[:, 1:], boundary[:, :-1], boundary[:, 1:]),
        (labels[:-1], labels[1:], boundary[:-1], boundary[1:]),
    ):
        touching = (a != b) & (a > 0) & (b > 0)
        low, high = np.minimum(a, b)[touching], np.maximum(a, b)[touching]
        keys.append(low.astype(np.int64) * (count + 1) + high)
        evidence.append((pa[touching] + pb[touching]) / 2)
    pair_keys, pair_of = np.unique(np.concatenate(keys), return_inverse=True)
    if not len(pair_keys):
        return labels
    mean = np.bincount(pair_of, weights=np.concatenate(evidence)) / np.bincount(pair_of)
    merged = pair_keys[mean < level]
    if not len(merged):
        return labels
    graph = coo_matrix(
        (np.ones(len(merged)), (merged // (count + 1), merged % (count + 1))),
        shape=(count + 1, count + 1),
    )
    _, component = connected_components(graph, directed=False)
    lut = np.where(np.arange(count + 1) > 0, component + 1, 0).astype(np.int32)
    return renumber(lut[labels])


def labels_from_distance(probs: np.ndarray, seed: float = 0.5) -> np.ndarray:
    """Watershed of the expected normalised distance, seeded where it passes ``seed``."""
    bins = probs.shape[0] - 1
    levels = np.arange(bins + 1, dtype=np.float32)[:, None, None] / bins
    energy = (probs * levels).sum(axis=0)
    return _seeded_watershed(energy, energy > seed, foreground(probs))


#: Decoding of each training target (see :mod:`nanokit.datasets.instance_targets`); each takes
#: the probabilities and a seed threshold.
DECODINGS = {
    "binary": labels_from_binary,
    "boundary": labels_from_boundary,
    "distance": labels_from_distance,
}


def _seeded_watershed(height: np.ndarray, seeds: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Watershed of ``-height`` inside ``mask`` from the components of ``seeds``; mask regions
    that hold no seed (particles too small for an interior) stay particles of their own."""
    from skimage.segmentation import watershed

    seeds = seeds & mask
    count, markers, stats, _ = cv2.connectedComponentsWithStats(
        seeds.astype(np.uint8), connectivity=4
    )
    small = stats[:, cv2.CC_STAT_AREA] < MIN_SEED_PX
    small[0] = False
    markers[small[markers]] = 0
    if markers.any():
        labels = watershed(-height, markers, mask=mask, connectivity=1)
    else:
        labels = np.zeros(mask.shape, dtype=np.int32)
    rest_count, rest = cv2.connectedComponents(
        (mask & (labels == 0)).astype(np.uint8), connectivity=8
    )
    labels = np.where(rest > 0, rest + count, labels)
    return renumber(labels)


def renumber(labels: np.ndarray) -> np.ndarray:
    """Labels renumbered 1..N in the order of their ids, 0 kept (a look-up table: no sort of
    the image's pixels)."""
    present = np.bincount(labels.ravel()) > 0
    present[0] = False
    lut = np.zeros(len(present), np.int32)
    lut[present] = np.arange(1, int(present.sum()) + 1, dtype=np.int32)
    return lut[labels]

"""How the categories of k split into those of k+1, and the palette positions that follow them.

Between consecutive k the contingency table of the two labellings says which
categories of k+1 come from which of k. Palette positions (tomoclust.colors
turns them into colours) always follow the velocity order (slowest reddest,
fastest bluest, on ColorBrewer's colour-blind-safe RdYlBu); within that order
a category of k+1 that keeps most of one category of k (its "heir") keeps that
category's position, so a province that persists keeps its colour from one map
to the next where the order allows it. The clustergram is
tomoclust.lineage_plots.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PERSIST_SHARE = 0.5  # an heir keeps at least this share of its parent


def contingency(labels_a: np.ndarray, labels_b: np.ndarray, k_a: int, k_b: int) -> np.ndarray:
    """counts[i, j] = profiles in category i at k_a and in j at k_b."""
    counts = np.zeros((k_a, k_b), dtype=np.int64)
    np.add.at(counts, (labels_a, labels_b), 1)
    return counts


def match_categories(reference: np.ndarray, other: np.ndarray, k: int, weights: np.ndarray | None = None) -> np.ndarray:
    """For each category id of ``other``, the category of ``reference`` it is matched to.

    The one-to-one assignment (Hungarian algorithm, scipy) that maximises the weight (count, or ``weights`` such as
    cell areas) of the points both labellings put in matched categories, over the points both label (ids >= 0).
    """
    from scipy.optimize import linear_sum_assignment

    both = (reference >= 0) & (other >= 0)
    overlap = np.zeros((k, k))
    np.add.at(overlap, (other[both], reference[both]), 1.0 if weights is None else weights[both])
    rows, cols = linear_sum_assignment(-overlap)
    mapping = np.empty(k, dtype=np.int32)
    mapping[rows] = cols
    return mapping


def lineage_edges(labels_by_k: dict[int, np.ndarray]) -> pd.DataFrame:
    """One row per (category at k, category at the next k) pair that share profiles."""
    ks = sorted(labels_by_k)
    rows = []
    for k, k_next in zip(ks, ks[1:]):
        counts = contingency(labels_by_k[k], labels_by_k[k_next], k, k_next)
        parent_size, child_size = counts.sum(axis=1), counts.sum(axis=0)
        for i, j in zip(*np.nonzero(counts)):
            rows.append(
                {
                    "k": k,
                    "category": int(i),
                    "k_next": k_next,
                    "category_next": int(j),
                    "n_profiles": int(counts[i, j]),
                    "share_of_category": counts[i, j] / parent_size[i],
                    "share_of_next": counts[i, j] / child_size[j],
                }
            )
    return pd.DataFrame(
        rows, columns=["k", "category", "k_next", "category_next", "n_profiles", "share_of_category", "share_of_next"]
    )


def _ordered_heirs(inherited: np.ndarray, weight: np.ndarray, gap: float) -> np.ndarray:
    """Which inherited positions can be kept while positions rise with category id (velocity order).

    Category 0 (slowest) is pinned at 0, category k-1 (fastest) at 1; between them the heirs whose positions
    increase with their id, with room for ``gap`` per category between them, and of those the set that keeps the
    most profiles (weighted longest increasing subsequence). Returns a boolean mask of the heirs kept.
    """
    k = inherited.size
    anchors = [0] + [j for j in range(1, k - 1) if not np.isnan(inherited[j])] + [k - 1]
    position = {0: 0.0, k - 1: 1.0, **{j: float(inherited[j]) for j in anchors[1:-1]}}
    best = {0: 0.0}
    previous: dict[int, int] = {}
    for j in anchors[1:]:
        gain = 0.0 if j == k - 1 else float(weight[j])
        options = [
            (best[i] + gain, i)
            for i in anchors
            if i < j and i in best and position[j] - position[i] >= (j - i) * gap - 1e-12
        ]
        if options:
            best[j], previous[j] = max(options)
    kept = np.zeros(k, dtype=bool)
    j = k - 1
    while j in previous:
        j = previous[j]
        kept[j] = j != 0
    return kept


def lineage_positions(labels_by_k: dict[int, np.ndarray]) -> dict[int, np.ndarray]:
    """Palette position in [0, 1] (0 slow red, 1 fast blue) of every category at every k.

    Positions always rise with category id, which is the velocity order (category 0 the slowest): the slowest
    category is the reddest and the fastest the bluest at every k. Within that order a category that persists
    from k-1 (its heir keeps at least PERSIST_SHARE of it) keeps its colour, those that keep the most profiles
    first; the others are spread evenly between their ordered neighbours.
    """
    ks = sorted(labels_by_k)
    positions = {ks[0]: rank_positions([ks[0]])[ks[0]]}
    for k, k_next in zip(ks, ks[1:]):
        counts = contingency(labels_by_k[k], labels_by_k[k_next], k, k_next)
        parent_size = counts.sum(axis=1)
        main_parent = counts.argmax(axis=0)
        inherited = np.full(k_next, np.nan)
        kept_profiles = np.zeros(k_next)
        for i in range(k):
            children = np.flatnonzero(main_parent == i)
            if children.size == 0:
                continue
            heir = children[np.argmax(counts[i, children])]
            if parent_size[i] and counts[i, heir] / parent_size[i] >= PERSIST_SHARE:
                inherited[heir], kept_profiles[heir] = positions[k][i], counts[i, heir]
        if k_next < 2:
            positions[k_next] = np.array([0.5])
            continue
        kept = _ordered_heirs(inherited, kept_profiles, gap=0.5 / (k_next - 1))
        new = np.where(kept, inherited, np.nan)
        new[0], new[-1] = 0.0, 1.0
        anchors = np.flatnonzero(~np.isnan(new))
        for left, right in zip(anchors, anchors[1:]):
            new[left + 1 : right] = np.linspace(new[left], new[right], right - left + 1)[1:-1]
        positions[k_next] = new
    return positions


def rank_positions(ks) -> dict[int, np.ndarray]:
    """Palette positions by velocity rank alone (``maps.colors: rank``)."""
    return {k: np.linspace(0.0, 1.0, k) if k > 1 else np.array([0.5]) for k in ks}

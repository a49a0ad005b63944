"""How the categories of k split into those of k+1, and colours that follow them.

Between consecutive k the contingency table of the two labellings says which
categories of k+1 come from which of k. A category of k+1 that keeps most of
one category of k (its "heir") keeps that category's colour, so a province
that persists keeps its colour from one map to the next; the new categories
of a split take the palette position nearest their velocity rank that is free.
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


def lineage_edges(labels_by_k: dict[int, np.ndarray]) -> pd.DataFrame:
    """One row per (category at k, category at the next k) pair that share profiles."""
    ks = sorted(labels_by_k)
    rows = []
    for k, k_next in zip(ks, ks[1:]):
        counts = contingency(labels_by_k[k], labels_by_k[k_next], k, k_next)
        parent_size, child_size = counts.sum(axis=1), counts.sum(axis=0)
        for i, j in zip(*np.nonzero(counts)):
            rows.append({
                "k": k, "category": int(i), "k_next": k_next, "category_next": int(j), "n_profiles": int(counts[i, j]),
                "share_of_category": counts[i, j] / parent_size[i], "share_of_next": counts[i, j] / child_size[j],
            })
    return pd.DataFrame(rows, columns=["k", "category", "k_next", "category_next", "n_profiles", "share_of_category", "share_of_next"])


def _free_position(target: float, taken: list[float], gap: float) -> float:
    candidates = np.linspace(0.0, 1.0, 401)
    if not taken:
        return target
    distance = np.min(np.abs(candidates[:, None] - np.asarray(taken)[None, :]), axis=1)
    ok = distance >= gap
    if ok.any():
        return float(candidates[ok][np.argmin(np.abs(candidates[ok] - target))])
    return float(candidates[np.argmax(distance)])


def lineage_positions(labels_by_k: dict[int, np.ndarray]) -> dict[int, np.ndarray]:
    """Palette position in [0, 1] (0 slow red, 1 fast blue) of every category at every k.

    At the smallest k positions follow the velocity order (category ids). At
    each next k the heir of a category inherits its position; the others get
    the free position nearest to their rank.
    """
    ks = sorted(labels_by_k)
    positions = {ks[0]: np.linspace(0.0, 1.0, ks[0]) if ks[0] > 1 else np.array([0.5])}
    for k, k_next in zip(ks, ks[1:]):
        counts = contingency(labels_by_k[k], labels_by_k[k_next], k, k_next)
        parent_size = counts.sum(axis=1)
        main_parent = counts.argmax(axis=0)
        new = np.full(k_next, np.nan)
        for i in range(k):
            children = np.flatnonzero(main_parent == i)
            if children.size == 0:
                continue
            heir = children[np.argmax(counts[i, children])]
            if parent_size[i] and counts[i, heir] / parent_size[i] >= PERSIST_SHARE:
                new[heir] = positions[k][i]
        gap = 0.5 / max(k_next - 1, 1)
        ranks = np.linspace(0.0, 1.0, k_next)
        for j in np.flatnonzero(np.isnan(new)):
            new[j] = _free_position(ranks[j], [p for p in new if not np.isnan(p)], gap)
        positions[k_next] = new
    return positions


def rank_positions(ks) -> dict[int, np.ndarray]:
    """Palette positions by velocity rank alone (``maps.colors: rank``)."""
    return {k: np.linspace(0.0, 1.0, k) if k > 1 else np.array([0.5]) for k in ks}


def categories_table(fits: dict, scheme: str = "lineage") -> pd.DataFrame:
    """``categories.csv``: every category of every k with its size, area share, centre average and colour.

    The colours of every figure come from here (``scheme``: lineage or rank).
    """
    from .colors import palette_colors

    labels = {k: fit["labels"].values for k, fit in fits.items()}
    positions = lineage_positions(labels) if scheme == "lineage" else rank_positions(labels)
    rows = []
    for k, fit in sorted(fits.items()):
        sizes, areas = fit["cluster_size"].values, fit["cluster_area_percent"].values
        means = fit["center_depth_mean"].values
        for category, (p, rgba) in enumerate(zip(positions[k], palette_colors(positions[k]))):
            rows.append({"k": k, "category": category, "size": int(sizes[category]), "area_percent": float(areas[category]),
                         "center_depth_mean": float(means[category]), "position": round(float(p), 6), "color": to_hex(rgba)})
    return pd.DataFrame(rows)


def colour_source(settings: dict) -> str:
    """How a figure's colours were chosen, for its log (settings: rules/common.smk's COLOR_SETTINGS)."""
    return f"colours from categories.csv ({settings['scheme']}, lineage from k={settings['from_k']})"


def to_hex(rgba) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(int(round(255 * c)) for c in rgba[:3]))


def colors_of(categories: pd.DataFrame, k: int) -> np.ndarray:
    """RGBA of the categories of k, in category order, from ``categories.csv``."""
    from matplotlib.colors import to_rgba_array

    rows = categories[categories["k"] == k].sort_values("category")
    if len(rows) != k:
        raise ValueError(f"categories.csv has {len(rows)} categories for k={k}, expected {k}")
    return to_rgba_array(rows["color"].tolist())


def plot_lineage(edges: pd.DataFrame, nodes: pd.DataFrame, colors: pd.DataFrame, model: str, units: str):
    """A clustergram: categories at each k placed by their centre's depth average, splits as bands."""
    from .plotting import plt

    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    total = nodes.groupby("k")["size"].sum().max()
    y = {(r.k, r.category): r.center_depth_mean for r in nodes.itertuples()}
    for e in edges.itertuples():
        share = e.n_profiles / total
        if share < 0.005:
            continue
        color = colors.set_index(["k", "category"]).loc[(e.k_next, e.category_next), "color"]
        ax.plot([e.k, e.k_next], [y[(e.k, e.category)], y[(e.k_next, e.category_next)]], color=color,
                lw=0.5 + 14.0 * share, alpha=0.55, solid_capstyle="butt", zorder=1)
    node_colors = colors.set_index(["k", "category"])["color"]
    ax.scatter(nodes["k"], nodes["center_depth_mean"], s=8 + 300 * nodes["size"] / total,
               c=[node_colors.loc[(k, c)] for k, c in zip(nodes["k"], nodes["category"])], edgecolors="0.2", linewidths=0.4, zorder=2)
    ax.set_xlabel("number of clusters k")
    ax.set_ylabel(f"centre profile, depth average ({units})" if units else "centre profile, depth average")
    ax.set_title(f"{model}: how categories split as k grows (band width ∝ profiles)")
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    ax.grid(alpha=0.3, lw=0.5)
    return fig

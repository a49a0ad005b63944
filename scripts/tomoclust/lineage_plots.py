"""The clustergram: how the categories split as k grows (tomoclust.lineage), in their categories.csv colours."""

from __future__ import annotations

import pandas as pd

from .plotting import plt


def plot_lineage(edges: pd.DataFrame, nodes: pd.DataFrame, colors: pd.DataFrame, model: str, units: str):
    """A clustergram: categories at each k placed by their centre's depth average, splits as bands."""
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    total = nodes.groupby("k")["size"].sum().max()
    y = {(r.k, r.category): r.center_depth_mean for r in nodes.itertuples()}
    for e in edges.itertuples():
        share = e.n_profiles / total
        if share < 0.005:
            continue
        color = colors.set_index(["k", "category"]).loc[(e.k_next, e.category_next), "color"]
        ax.plot(
            [e.k, e.k_next],
            [y[(e.k, e.category)], y[(e.k_next, e.category_next)]],
            color=color,
            lw=0.5 + 14.0 * share,
            alpha=0.55,
            solid_capstyle="butt",
            zorder=1,
        )
    node_colors = colors.set_index(["k", "category"])["color"]
    ax.scatter(
        nodes["k"],
        nodes["center_depth_mean"],
        s=8 + 300 * nodes["size"] / total,
        c=[node_colors.loc[(k, c)] for k, c in zip(nodes["k"], nodes["category"])],
        edgecolors="0.2",
        linewidths=0.4,
        zorder=2,
    )
    ax.set_xlabel("number of clusters k")
    ax.set_ylabel(f"centre profile, depth average ({units})" if units else "centre profile, depth average")
    ax.set_title(f"{model}: how categories split as k grows (band width ∝ profiles)")
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    ax.grid(alpha=0.3, lw=0.5)
    return fig

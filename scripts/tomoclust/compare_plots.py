"""Figures of a comparison of models (tomoclust.compare): the vote map, the agreement against k, matched categories."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from .colors import category_colors, grey_colors, vote_colors
from .grid import NO_PROFILE
from .maps import add_category_colorbar, choose_projection, draw_category_map
from .plotting import plt


def plot_vote_map(votes: xr.Dataset, k: int, title: str, style):
    """Map of slow votes: 0 (no model) .. N (every model); grey where no model has a profile."""
    layer = votes.sel(k=k)
    n = int(votes.attrs["n_models_compared"])
    lat, lon = votes["latitude"].values, votes["longitude"].values
    grid = np.where(layer["n_models"].values > 0, layer["slow_votes"].values, NO_PROFILE)
    colors = vote_colors(n)
    projection = choose_projection(
        float(lon.min()), float(lon.max()), float(lat.min()), float(lat.max()), style.projection
    )
    fig = plt.figure(figsize=(6.4, 4.2))
    ax = fig.add_subplot(1, 1, 1, projection=projection)
    mesh = draw_category_map(ax, lat, lon, grid, n + 1, style, colors)
    add_category_colorbar(
        fig,
        mesh,
        ax,
        n + 1,
        [f"{v} of {n}" for v in range(n + 1)],
        label="models putting the point in their slowest category",
        first_on_top=False,
    )
    ax.set_title(title, fontsize=9)
    return fig


def plot_agreement(table: pd.DataFrame, title: str):
    """Adjusted Rand index of every pair of models against k (agreement.csv)."""
    from matplotlib.ticker import MaxNLocator

    fig, ax = plt.subplots(figsize=(4.8, 3.2))
    for (a, b), rows in table.groupby(["model_a", "model_b"], sort=False):
        ax.plot(rows["k"], rows["ari"], "o-", ms=3, lw=1.0, label=f"{a} vs {b}")
    ax.set_xlabel("number of clusters k")
    ax.set_ylabel("adjusted Rand index (equal-area points)")
    ax.set_ylim(min(0.0, float(table["ari"].min()) - 0.05) if len(table) else 0.0, 1.02)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3, lw=0.4)
    ax.legend(frameon=False, fontsize=7)
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return fig


def plot_matched_categories(matched: xr.Dataset, k: int, title: str, style):
    """Consensus map, agreement count, and one vote map per matched category, at k."""
    layer = matched.sel(k=k)
    n = int(matched.attrs["n_models_compared"])
    lat, lon = matched["latitude"].values, matched["longitude"].values
    projection = choose_projection(
        float(lon.min()), float(lon.max()), float(lat.min()), float(lat.max()), style.projection
    )
    panels = 2 + k
    ncols = 3
    nrows = -(-panels // ncols)
    global_extent = float(np.ptp(lon)) >= 300.0  # a global map is twice as wide as high: lower rows
    fig = plt.figure(figsize=(7.2, (1.45 if global_extent else 2.3) * nrows + 0.5))
    count_colors = grey_colors(n)
    votes_colors = vote_colors(n)
    consensus = layer["consensus"].values
    maps = [
        (consensus, k, category_colors(k), [str(c) for c in range(k)], "consensus (first model's ids)", True),
        (
            np.where(consensus >= 0, layer["consensus_votes"].values - 1, NO_PROFILE),
            n,
            count_colors,
            [f"{v + 1} of {n}" for v in range(n)],
            "models giving the consensus",
            False,
        ),
    ] + [
        (
            np.where(layer["n_models"].values > 0, layer["category_votes"].sel(category=c).values, NO_PROFILE),
            n + 1,
            votes_colors,
            [f"{v} of {n}" for v in range(n + 1)],
            f"votes for matched category {c}",
            False,
        )
        for c in range(k)
    ]
    for i, (grid, n_classes, colors, names, label, first_on_top) in enumerate(maps):
        ax = fig.add_subplot(nrows, ncols, i + 1, projection=projection)
        # Small panels of one region: the gridlines without labels (the first panel's frame shows the region).
        mesh = draw_category_map(ax, lat, lon, grid, n_classes, style, colors, grid_labels=False)
        cbar = add_category_colorbar(
            fig, mesh, ax, n_classes, names if n_classes <= 12 else None, label="", first_on_top=first_on_top
        )
        cbar.ax.tick_params(labelsize=6)
        ax.set_title(label, fontsize=8)
    fig.suptitle(title, fontsize=9)
    fig.subplots_adjust(left=0.03, right=0.95, wspace=0.35, hspace=0.25, top=0.88 if nrows == 1 else 0.92)
    return fig

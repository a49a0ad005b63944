"""The figure of a joint fit (tomoclust.joint): its categories on a map, every variable's centres beside it."""

from __future__ import annotations

import numpy as np

from .colors import category_colors
from .maps import add_category_colorbar, choose_projection, draw_category_map
from .plotting import plt


def plot_joint(
    lat,
    lon,
    labels2d,
    centers: dict[str, np.ndarray],
    depths: dict[str, np.ndarray],
    units: dict[str, str],
    k: int,
    title: str,
    style,
    colors=None,
):
    """The joint categories on a map, and every variable's centre profiles beside it (one panel per variable)."""
    colors = category_colors(k) if colors is None else colors
    projection = choose_projection(
        float(np.min(lon)), float(np.max(lon)), float(np.min(lat)), float(np.max(lat)), style.projection
    )
    n_vars = len(centers)
    fig = plt.figure(figsize=(5.0 + 2.0 * n_vars, 4.4))
    # An empty column between the map's colour bar and the profiles.
    grid = fig.add_gridspec(1, 2 + n_vars, width_ratios=[2.4, 0.55] + [1.0] * n_vars, wspace=0.45)
    map_ax = fig.add_subplot(grid[0, 0], projection=projection)
    mesh = draw_category_map(map_ax, lat, lon, labels2d, k, style, colors)
    add_category_colorbar(fig, mesh, map_ax, k, cax=map_ax.inset_axes([1.03, 0.0, 0.035, 1.0]))
    for i, (name, center) in enumerate(centers.items()):
        ax = fig.add_subplot(grid[0, 2 + i])
        for c in range(k):
            ax.plot(center[c], depths[name], color=colors[c], lw=1.6)
        ax.set_ylim(depths[name].max(), depths[name].min())
        ax.set_xlabel(f"{name} ({units[name]})" if units[name] else name)
        if i == 0:
            ax.set_ylabel("depth (km)")
        ax.grid(alpha=0.3, lw=0.4)
        ax.set_title(f"centres: {name}", fontsize=8)
    fig.suptitle(title, fontsize=9)
    return fig

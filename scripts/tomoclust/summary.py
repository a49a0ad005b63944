"""The manuscript panel: elbow, category maps and centre profiles for a few k."""

from __future__ import annotations

import logging
import string

import numpy as np
from matplotlib.ticker import MaxNLocator

from .colors import category_colors
from .maps import MapStyle, add_category_colorbar, choose_projection, draw_category_map, draw_dots
from .plotting import plt
from .profile_plots import axis_label

log = logging.getLogger(__name__)
PAGE_WIDTH_IN = 7.2  # two-column journal page


def choose_figure_k(figure_k, knee: int | None, k_values: list[int]) -> list[int]:
    """The k shown in the panel: the configured list, or the knee and its two neighbours."""
    available = sorted(k_values)
    if figure_k != "auto":
        chosen = [k for k in figure_k if k in available]
        missing = sorted(set(figure_k) - set(chosen))
        if missing:
            log.warning(
                "figure_k %s not fitted (k.min..k.max is %d..%d); left out", missing, available[0], available[-1]
            )
        return chosen
    if knee is None:
        center = available[len(available) // 2]
        log.warning("no knee found; the panel shows k around the middle of the range (%d) instead", center)
    else:
        center = knee
    index = available.index(center) if center in available else len(available) // 2
    start = min(max(index - 1, 0), max(len(available) - 3, 0))
    return available[start : start + 3]


def draw_centers(ax, centers, std, depth, k, units, colors=None):
    colors = category_colors(k) if colors is None else colors
    for c in range(k):
        ax.fill_betweenx(depth, centers[c] - std[c], centers[c] + std[c], color=colors[c], alpha=0.25, lw=0)
        ax.plot(centers[c], depth, color=colors[c], lw=1.5)
    ax.set_ylim(depth.max(), depth.min())
    ax.set_xlabel(units)
    ax.grid(alpha=0.25, lw=0.4)


def plot_summary(
    table,
    selection,
    lat,
    lon,
    fits: dict,
    blocks,
    units,
    model,
    style: MapStyle,
    colors: dict | None = None,
    uncertain: dict | None = None,
):
    """fits: {k: (labels2d, centers, members' std at each depth)} for the chosen k; colors: {k: RGBA array};
    blocks: each variable's columns (tomoclust.joint.variable_blocks), a panel of centres each; units: the fit's."""
    colors = colors or {}
    ks = sorted(fits)
    projection = choose_projection(
        float(lon.min()), float(lon.max()), float(lat.min()), float(lat.max()), style.projection
    )
    n_rows = 1 + len(ks)
    fig = plt.figure(figsize=(PAGE_WIDTH_IN, 2.0 + 2.9 * len(ks)))
    grid = fig.add_gridspec(
        n_rows, 2, height_ratios=[0.8] + [1.0] * len(ks), width_ratios=[1.0, 0.5], hspace=0.46, wspace=0.62
    )
    letters = iter(string.ascii_lowercase)

    ax = fig.add_subplot(grid[0, :])
    ax.plot(table["k"], table["inertia"], "o-", color="0.2", ms=3, lw=1.0)
    for k in ks:
        y = float(table.loc[table["k"] == k, "inertia"].iloc[0])
        ax.plot([k], [y], "s", color="tab:blue", ms=5, zorder=3)
    knee = selection.get("knee")
    if knee is not None:
        ax.axvline(knee, color="tab:red", lw=0.8, ls="--", label=f"knee k = {knee}")
        ax.legend(frameon=False)
    ax.set_xlabel("number of clusters k")
    ax.set_ylabel(f"inertia [({units})²]" if len(blocks) == 1 else "inertia (joined profiles, each variable scaled)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"({next(letters)}) {model}: inertia against k", loc="left")

    for row, k in enumerate(ks, start=1):
        labels2d, centers, std = fits[k]
        map_ax = fig.add_subplot(grid[row, 0], projection=projection)
        mesh = draw_category_map(map_ax, lat, lon, labels2d, k, style, colors.get(k))
        if uncertain is not None:
            draw_dots(map_ax, lat, lon, uncertain[k], map_width_in=0.6 * PAGE_WIDTH_IN)
        # An inset follows the map's aspect-corrected frame, so the bar hugs the map.
        add_category_colorbar(
            fig,
            mesh,
            map_ax,
            k,
            cax=map_ax.inset_axes([1.03, 0.0, 0.035, 1.0]),
            ordered_by=blocks[0].name if len(blocks) > 1 else None,
        )
        map_ax.set_title(f"({next(letters)}) k = {k}", loc="left")
        cells = grid[row, 1].subgridspec(1, len(blocks), wspace=0.35)
        first_ax = None
        for column, block in enumerate(blocks):
            same_depths = first_ax is not None and np.array_equal(block.depth, blocks[0].depth)
            prof_ax = fig.add_subplot(cells[0, column], sharey=first_ax if same_depths else None)
            label = axis_label(block, len(blocks))
            draw_centers(prof_ax, block.values(centers), block.values(std), block.depth, k, label, colors.get(k))
            if column == 0:
                first_ax = prof_ax
                prof_ax.set_ylabel("depth (km)")
                prof_ax.set_title(f"({next(letters)}) centres ±1σ, k = {k}", loc="left")
            elif same_depths:  # one depth axis for the row
                prof_ax.yaxis.set_tick_params(labelleft=False)
    return fig

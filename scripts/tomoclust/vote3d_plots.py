"""Figures of the 3-D vote (tomoclust.vote3d): slow area against depth, and vote maps at a few depths."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from .colors import grey_colors, vote_colors
from .grid import NO_PROFILE
from .maps import MapStyle, add_category_colorbar, choose_projection, draw_category_map
from .plotting import plt


def plot_slow_area(area: pd.DataFrame, volume: pd.DataFrame, k: int, title: str):
    """Slow area (% of the region at mid-depth) against window mid-depth: one line per model (dashed, grey to black)
    and one per vote threshold >= m of n (solid, the vote maps' colours); the legend gives each curve's volume."""
    area, volume = area[area["k"] == k], volume[volume["k"] == k].set_index("curve")
    n = int(area["n_models"].iloc[0])
    fig, ax = plt.subplots(figsize=(5.2, 4.4))
    models = [c for c in dict.fromkeys(area.loc[area["kind"] == "model", "curve"])]
    greys = grey_colors(max(len(models), 1), 0.45, 0.9)
    colors = vote_colors(n)
    styles = [(c, {"color": greys[i], "ls": "--", "lw": 1.0, "marker": "o", "ms": 2.5}) for i, c in enumerate(models)]
    styles += [
        (f">= {m} of {n}", {"color": colors[m], "ls": "-", "lw": 1.3 + 0.4 * m, "marker": "o", "ms": 3})
        for m in range(1, n + 1)
    ]
    for curve, style in styles:
        rows = area[area["curve"] == curve].sort_values("mid_depth_km")
        row = volume.loc[curve]
        label = curve.replace(">=", "≥") + (" (majority)" if row["majority"] else "")
        label += (
            f": {row['percent_of_whole_mantle']:.2f}% of the mantle, {row['percent_of_lower_mantle']:.2f}% of the LM"
        )
        ax.plot(rows["slow_area_percent"], rows["mid_depth_km"], label=label, **style)
    top, bottom = area["window_top_km"].min(), area["window_bottom_km"].max()
    ax.set_ylim(bottom, top)
    ax.set_xlim(left=0)
    ax.set_xlabel("slow area (% of the area every model covers, at mid-depth)")
    ax.set_ylabel("window mid-depth (km)")
    first = volume.iloc[0]
    ax.set_title(
        f"{title}\nvolumes of the shells {first['shells_top_km']:g}-{first['shells_bottom_km']:g} km", fontsize=9
    )
    ax.grid(alpha=0.3, lw=0.4)
    # Below the axes: the curves fill the depth axis from side to side.
    ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(-0.02, -0.13), ncol=1)
    return fig


def plot_vote_maps(votes: xr.Dataset, k: int, depths: list[float], title: str, style: MapStyle):
    """Maps of the slow votes (0 of n .. n of n) at the windows of ``depths`` (mid-depths), one panel each."""
    n = int(votes.attrs["n_models_compared"])
    lat, lon = votes["latitude"].values, votes["longitude"].values
    projection = choose_projection(
        float(lon.min()), float(lon.max()), float(lat.min()), float(lat.max()), style.projection
    )
    ncols = 1 if len(depths) <= 3 else 2
    nrows = -(-len(depths) // ncols)
    global_extent = float(np.ptp(lon)) >= 300.0  # a global map is twice as wide as high
    width = 6.4 if ncols == 1 else 7.2
    fig = plt.figure(figsize=(width, (2.6 if global_extent else 3.6) * nrows / (1 if ncols == 1 else 1.6) + 0.6))
    colors = vote_colors(n)
    names = [f"{v} of {n}" for v in range(n + 1)]
    layer = votes.sel(k=k)
    mesh, axes = None, []
    for i, depth in enumerate(depths):
        window = layer.sel(depth=depth)
        grid = np.where(window["n_models"].values > 0, window["slow_votes"].values, NO_PROFILE)
        ax = fig.add_subplot(nrows, ncols, i + 1, projection=projection)
        mesh = draw_category_map(ax, lat, lon, grid, n + 1, style, colors, grid_labels=False)
        top, bottom = votes["depth_bounds"].sel(depth=depth).values
        ax.set_title(f"{depth:g} km (window {top:g}-{bottom:g} km)", fontsize=8)
        axes.append(ax)
    cbar = add_category_colorbar(
        fig, mesh, axes, n + 1, names, label="models putting the point in their slowest category", first_on_top=False
    )
    cbar.ax.tick_params(labelsize=7)
    fig.suptitle(title, fontsize=9)
    return fig

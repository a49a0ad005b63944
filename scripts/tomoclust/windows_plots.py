"""The figure of the depth windows (tomoclust.windows): the slowest category's area through depth."""

from __future__ import annotations

import pandas as pd

from .plotting import plt
from .windows import volume_shares


def plot_depth_windows(table: pd.DataFrame, model: str):
    """The slowest category's area against the windows' mid-depth, one line per k (its volume share in the legend)."""
    fig, ax = plt.subplots(figsize=(4.2, 4.6))
    shares = volume_shares(table)
    for k, rows in table.groupby("k"):
        ax.plot(
            rows["slow_area_percent"],
            rows["mid_depth_km"],
            "o-",
            ms=3,
            lw=1.2,
            label=f"k = {k}: {shares[k]:.1f}% of the volume",
        )
    top, bottom = table["window_top_km"].min(), table["window_bottom_km"].max()
    ax.set_ylim(bottom, top)
    ax.set_xlabel("area of the slowest category (% of the region, at mid-depth)")
    ax.set_ylabel("window mid-depth (km)")
    width = float((table["window_bottom_km"] - table["window_top_km"]).iloc[0])
    step = float(table["shell_thickness_km"].iloc[0])
    ax.set_title(f"{model}: slowest category through depth\n(windows {width:g} km wide every {step:g} km)", fontsize=9)
    ax.grid(alpha=0.3, lw=0.4)
    ax.legend(frameon=False, fontsize=7)
    fig.tight_layout()
    return fig

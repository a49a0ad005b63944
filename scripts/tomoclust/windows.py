"""Following a structure through depth: clustering in moving depth windows (Cottaar & Lekic 2016).

Each window takes the depths it spans from the model's profiles.nc (extracted
and transformed over the whole depth range: per-depth transforms such as
``demean`` are the same either way; ``standardize`` is over the whole range)
and is clustered on its own at the k values asked, categories ordered slowest
first as everywhere.
The slowest category's area is measured at the window's mid-depth (true cell
areas shrunk to that radius), and its volume by letting each window stand for
the shell ``step`` km thick around its mid-depth (windows overlap; the shells
they stand for do not). The figure is tomoclust.windows_plots.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .joint import is_joint, variable_blocks
from .preprocess import EARTH_RADIUS_KM, depth_average


def window_ranges(depth_range, width: float, step: float) -> list[tuple[float, float]]:
    """(top, bottom) of every window of ``width`` km every ``step`` km inside ``depth_range``."""
    top, bottom = sorted(float(v) for v in depth_range)
    starts = np.arange(top, bottom - width + 1e-6, step)
    return [(float(s), float(s + width)) for s in starts]


def fit_window(profiles_ds, top: float, bottom: float, k: int, fit_params: dict, where: str) -> np.ndarray:
    """Labels (slowest first) of a k-means fit of the profiles' depths within [top, bottom]."""
    from .fit import fit_kmeans

    depth = profiles_ds["depth"].values
    inside = (depth >= top - 1e-6) & (depth <= bottom + 1e-6)
    first = variable_blocks(profiles_ds)[0]
    inside_first = inside[first.columns]
    if inside_first.sum() < 2:
        raise ValueError(
            f"{where} holds {int(inside_first.sum())} of the model's depths ({first.depth.tolist()}); a profile "
            f"needs at least 2: widen `depth_windows.width`, or resample the model with `depth_weighting: "
            f"resample` and a `depth_step`"
        )
    order_values = None
    if is_joint(profiles_ds):  # several variables: ordered by the first one's average over the window
        columns = profiles_ds["profiles"].values[:, first.columns]
        order_values = depth_average(columns[:, inside_first], first.depth[inside_first])
    elif "profile_depth_mean" in profiles_ds:  # standardized profiles: ordered by their depth average before
        order_values = profiles_ds["profile_depth_mean"].values
    return fit_kmeans(
        profiles_ds["profiles"].values[:, inside],
        depth[inside],
        k,
        **fit_params,
        depth_weight=profiles_ds["depth_weight"].values[inside],
        fit_mask=profiles_ds["in_fit_subset"].values.astype(bool),
        order_values=order_values,
    ).labels


def slowest_category_rows(
    profiles_ds, labels_by_k: dict[int, np.ndarray], top: float, bottom: float, step: float
) -> list[dict]:
    """One row per k: the slowest category's area (at mid-depth), its share, and its volume in the window's shell."""
    mid = 0.5 * (top + bottom)
    shrink = ((EARTH_RADIUS_KM - mid) / EARTH_RADIUS_KM) ** 2  # cell areas at the mid-depth radius
    area = profiles_ds["profile_area"].values * shrink
    total = float(area.sum())
    rows = []
    for k, labels in sorted(labels_by_k.items()):
        slow = float(area[labels == 0].sum())
        rows.append(
            {
                "window_top_km": top,
                "window_bottom_km": bottom,
                "mid_depth_km": mid,
                "k": k,
                "n_profiles": int(labels.size),
                "slow_area_km2": slow,
                "region_area_km2": total,
                "slow_area_percent": 100.0 * slow / total if total > 0 else np.nan,
                "shell_thickness_km": float(step),
                "slow_volume_km3": slow * step,
                "region_volume_km3": total * step,
            }
        )
    return rows


def volume_shares(table: pd.DataFrame) -> pd.Series:
    """Per k: the slowest category's share (%) of the volume the windows stand for."""
    sums = table.groupby("k")[["slow_volume_km3", "region_volume_km3"]].sum()
    return 100.0 * sums["slow_volume_km3"] / sums["region_volume_km3"]

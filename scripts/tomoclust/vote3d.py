"""Depth-window comparisons across models: a 3-D vote of slow material (after Cottaar & Lekic 2016).

Every compared model is clustered in the same moving depth windows (tomoclust.windows: each window cut out of the
model's profiles.nc, fitted on its own, categories ordered slowest first). At each window the labels are put on the
comparison's common grid by nearest neighbour, as the 2-D comparison does (tomoclust.compare.labels_on_common_grid),
matched across models by area overlap (tomoclust.compare.matched_dataset), and counted: how many models put each
point in their slowest category (tomoclust.compare.vote_dataset). The result is a vote through depth, window
mid-depth x latitude x longitude.

Areas are measured at each window's mid-depth (true cell areas shrunk to that radius) over the points every model
covers. Volumes let each window stand for the spherical shell ``step`` km thick around its mid-depth, as
``depth_windows`` does; the shells of consecutive windows touch without overlapping. A point's share of a shell is its
share of the sphere's area, so a volume is that share times the exact shell volume (4/3 pi (r_top^3 - r_bottom^3)).
The whole mantle is the shell from the surface (radius 6371 km) to the core-mantle boundary at 2891 km depth; the
lower mantle that from 660 km down to it. Only the shells the windows stand for are counted: slow material above the
first or below the last shell is not in the volumes.

numpy, pandas and xarray only: no drawing here (tomoclust.vote3d_plots draws).
"""

from __future__ import annotations

import json
import logging

import numpy as np
import pandas as pd
import xarray as xr

from .compare import labels_on_common_grid, matched_dataset, vote_dataset
from .grid import labels_on_grid
from .preprocess import EARTH_RADIUS_KM, cell_areas, preprocessing_attrs
from .provenance import carried_citation
from .windows import fit_window, window_ranges

log = logging.getLogger(__name__)

CMB_DEPTH_KM = 2891.0
LOWER_MANTLE_TOP_KM = 660.0
# Where the volume shares are counted: (top, bottom) depth in km.
MANTLE_LAYERS = {"whole_mantle": (0.0, CMB_DEPTH_KM), "lower_mantle": (LOWER_MANTLE_TOP_KM, CMB_DEPTH_KM)}
VOTE_DIMS = ("k", "depth", "latitude", "longitude")
DEPTH_ATTRS = {
    "standard_name": "depth",
    "long_name": "mid-depth of the depth window",
    "units": "km",
    "positive": "down",
    "bounds": "depth_bounds",
}
DEPTH_BOUNDS_ATTRS = {"long_name": "top and bottom of the depth window", "units": "km"}


# --- Geometry -------------------------------------------------------------------------------------------------------


def shell_volume(top_km, bottom_km):
    """Volume (km³) of the spherical shell between two depths (arrays broadcast; 0 where bottom <= top)."""
    top, bottom = np.asarray(top_km, dtype=float), np.asarray(bottom_km, dtype=float)
    r_top, r_bottom = EARTH_RADIUS_KM - top, EARTH_RADIUS_KM - np.maximum(bottom, top)
    return 4.0 / 3.0 * np.pi * (r_top**3 - r_bottom**3)


def layer_volume(layer: str) -> float:
    """Volume (km³) of ``whole_mantle`` or ``lower_mantle`` (MANTLE_LAYERS)."""
    return float(shell_volume(*MANTLE_LAYERS[layer]))


def shell_bounds(mid_depths, step: float) -> np.ndarray:
    """(top, bottom) of the shell ``step`` km thick around each window's mid-depth, shape (n, 2)."""
    mid = np.asarray(mid_depths, dtype=float)
    return np.stack([mid - 0.5 * step, mid + 0.5 * step], axis=1)


def clipped_shell_volume(bounds: np.ndarray, layer: str) -> np.ndarray:
    """Volume of each shell (rows of ``bounds``) inside a mantle layer."""
    top, bottom = MANTLE_LAYERS[layer]
    return shell_volume(np.clip(bounds[:, 0], top, bottom), np.clip(bounds[:, 1], top, bottom))


def majority(n_models: int) -> int:
    """The smallest number of votes that is more than half of ``n_models``."""
    return n_models // 2 + 1


# --- One model through the windows ------------------------------------------------------------------------------------


def window_labels(profiles_ds: xr.Dataset, windows: dict, depth_range, fit_params: dict, model: str) -> xr.Dataset:
    """labels(k, depth, latitude, longitude) of a model clustered in moving depth windows, on the model's own grid.

    ``windows``: ``{width, step, k}`` (the comparison's ``depth_windows``); ``depth_range``: where the windows move
    (the comparison's models share it, so every model gets the same windows). ``depth`` is the window's mid-depth,
    with its top and bottom as CF bounds. -1 where the grid point has no complete profile.
    """
    ranges = window_ranges(depth_range, windows["width"], windows["step"])
    if not ranges:
        raise ValueError(
            f"model '{model}': no depth window of {windows['width']:g} km fits in {list(depth_range)} km; "
            f"lower `depth_windows.width` of the comparison"
        )
    ks = sorted(int(k) for k in windows["k"])
    layers = np.empty((len(ks), len(ranges), profiles_ds.sizes["latitude"], profiles_ds.sizes["longitude"]), np.int32)
    for j, (top, bottom) in enumerate(ranges):
        where = f"model '{model}', depth window {top:g}-{bottom:g} km"
        for i, k in enumerate(ks):
            layers[i, j] = labels_on_grid(profiles_ds, fit_window(profiles_ds, top, bottom, k, fit_params, where))
    bounds = np.asarray(ranges, dtype=float)
    return xr.Dataset(
        data_vars={
            "labels": (
                VOTE_DIMS,
                layers,
                {
                    "long_name": "cluster category of the depth window (0 = slowest centre)",
                    "comment": "-1 where the grid point has no complete profile",
                    "valid_min": np.int32(0),
                },
            ),
            "depth_bounds": (("depth", "bounds"), bounds, DEPTH_BOUNDS_ATTRS),
        },
        coords={
            "k": ("k", np.asarray(ks, dtype=np.int32), {"long_name": "number of clusters"}),
            "depth": ("depth", bounds.mean(axis=1), DEPTH_ATTRS),
            "latitude": profiles_ds["latitude"],
            "longitude": profiles_ds["longitude"],
        },
        attrs={
            "title": f"k-means categories of model {model} in moving depth windows",
            "model": model,
            "Conventions": "CF-1.8",
            "depth_windows": json.dumps(dict(windows), sort_keys=True),
            **preprocessing_attrs(profiles_ds.attrs),
            **carried_citation(profiles_ds.attrs),
        },
    )


# --- Several models on one grid ---------------------------------------------------------------------------------------


def windows_on_common_grid(cubes: dict[str, xr.Dataset], spacing="auto") -> xr.Dataset:
    """labels(model, k, depth, latitude, longitude): every model's window labels on the comparison's common grid.

    The windows (top, bottom) must be the same in every model; the k are those every model has.
    """
    names = list(cubes)
    first = cubes[names[0]]
    for name in names[1:]:
        same = cubes[name].sizes["depth"] == first.sizes["depth"] and np.allclose(
            cubes[name]["depth_bounds"].values, first["depth_bounds"].values
        )
        if not same:
            raise ValueError(
                f"models {names[0]} and {name} were clustered in different depth windows "
                f"({first['depth_bounds'].values.tolist()} against {cubes[name]['depth_bounds'].values.tolist()}); "
                f"give the compared models the same `depth` in `models`"
            )
    layers = []
    compare_log = logging.getLogger(labels_on_common_grid.__module__)
    level = compare_log.level
    try:
        for j in range(first.sizes["depth"]):
            layers.append(labels_on_common_grid({n: cube.isel(depth=j) for n, cube in cubes.items()}, spacing))
            compare_log.setLevel(max(level, logging.WARNING))  # every window is regridded as the first: logged once
    finally:
        compare_log.setLevel(level)
    log.info("the %d windows of every model regridded as the first", first.sizes["depth"])
    common = xr.concat(
        layers, dim="depth", coords="minimal", compat="override", join="override", combine_attrs="override"
    )
    common = common.assign_coords(depth=first["depth"]).transpose("model", *VOTE_DIMS)
    common["depth_bounds"] = first["depth_bounds"]
    common.attrs["depth_windows"] = first.attrs.get("depth_windows", "")
    return common


def vote3d_dataset(common: xr.Dataset, step: float) -> xr.Dataset:
    """``vote3d.nc``: at every window (mid-depth), k and grid point, how many models call it slowest, and more.

    Variables: ``slow_votes`` (models whose own slowest category holds the point), ``fast_votes``, ``n_models``
    (models with a profile there), ``labels`` (each model's own categories on the common grid), and, from the
    categories matched to the first model's at each window and k (maximum area overlap, tomoclust.compare
    .matched_dataset): ``matched_labels``, ``category_votes``, ``consensus``, ``consensus_votes``,
    ``category_matching``. ``shell_bounds``: the shell each window stands for in the volumes.
    """
    ks = [int(k) for k in common["k"].values]
    votes, matched = [], []
    for j in range(common.sizes["depth"]):
        window = common.isel(depth=j).drop_vars(["depth", "depth_bounds"], errors="ignore")
        votes.append(vote_dataset(window, ks))
        matched.append(matched_dataset(window, ks))
    depth = common["depth"]
    joined = xr.concat(votes, dim=depth, combine_attrs="drop_conflicts")
    joined_matched = xr.concat(matched, dim=depth, combine_attrs="drop_conflicts")
    models = [str(m) for m in common["model"].values]
    ds = xr.Dataset(
        data_vars={
            "slow_votes": joined["slow_votes"].transpose(*VOTE_DIMS),
            "fast_votes": joined["fast_votes"].transpose(*VOTE_DIMS),
            "n_models": joined["n_models"].transpose(*VOTE_DIMS),
            "labels": common["labels"].transpose("model", *VOTE_DIMS),
            "matched_labels": joined_matched["matched_labels"].transpose("model", *VOTE_DIMS),
            "category_votes": joined_matched["category_votes"].transpose(
                "k", "depth", "category", "latitude", "longitude"
            ),
            "consensus": joined_matched["consensus"].transpose(*VOTE_DIMS),
            "consensus_votes": joined_matched["consensus_votes"].transpose(*VOTE_DIMS),
            "category_matching": joined_matched["category_matching"].transpose("k", "depth", "model", "category"),
            "depth_bounds": common["depth_bounds"],
            "shell_bounds": (
                ("depth", "bounds"),
                shell_bounds(depth.values, step),
                {"long_name": "top and bottom of the shell the window stands for in the volumes", "units": "km"},
            ),
        },
        coords={
            "model": ("model", np.array(models, dtype=object)),
            "k": common["k"],
            "depth": depth,
            "category": joined_matched["category"],
            "latitude": common["latitude"],
            "longitude": common["longitude"],
        },
    )
    ds["depth"].attrs = dict(DEPTH_ATTRS)
    ds["depth_bounds"].attrs = dict(DEPTH_BOUNDS_ATTRS)
    ds["labels"].attrs = {
        "long_name": "each model's own category in the window (0 = slowest centre)",
        "comment": "-1 where the model has no profile; nearest-neighbour regridding",
        "units": "1",
    }
    for name in ("slow_votes", "fast_votes", "n_models", "category_votes", "consensus_votes"):
        ds[name].attrs["units"] = "1"
    ds["slow_votes"].attrs["long_name"] = "number of models whose slowest category (0) of the window holds the point"
    ds["fast_votes"].attrs["long_name"] = "number of models whose fastest category (k-1) of the window holds the point"
    ds.attrs = {
        "Conventions": "CF-1.8",
        "models": ", ".join(models),
        "n_models_compared": len(models),
        "common_grid": common.attrs.get("common_grid", ""),
        "preprocessing": common.attrs.get("preprocessing", ""),
        "depth_windows": common.attrs.get("depth_windows", ""),
        "shell_thickness_km": float(step),
        "method": "3-D vote (after Lekic et al. 2012 and Cottaar & Lekic 2016): "
        "each model clustered in the same moving depth windows, categories ordered slowest first; "
        "at each window the count of models placing the point in their slowest category, "
        "and the categories matched to the first model's by maximum area overlap (Hungarian assignment) "
        "on the points both cover",
    }
    return ds


# --- Areas and volumes ------------------------------------------------------------------------------------------------


def _curves(votes: xr.Dataset, k: int, j: int):
    """(kind, model, min_votes, label, mask) of every curve at k and window j, over the points every model covers."""
    n = int(votes.attrs["n_models_compared"])
    covered = votes["n_models"].sel(k=k).values[j] == n
    labels = votes["labels"].sel(k=k).values[:, j]
    slow = votes["slow_votes"].sel(k=k).values[j]
    curves = [
        ("model", str(model), np.nan, str(model), covered & (labels[m] == 0))
        for m, model in enumerate(votes["model"].values)
    ]
    curves += [("vote", "", m, f">= {m} of {n}", covered & (slow >= m)) for m in range(1, n + 1)]
    return covered, curves


def slow_area_table(votes: xr.Dataset) -> pd.DataFrame:
    """``vote3d_area.csv``: per k and window, the slow area of each model and of each vote threshold (>= m of n).

    Areas at the window's mid-depth radius (km²), over the points every model covers (``region_area_km2``).
    """
    lat, lon = votes["latitude"].values, votes["longitude"].values
    surface_area = np.broadcast_to(cell_areas(lat, lon), (lat.size, lon.size))
    n = int(votes.attrs["n_models_compared"])
    bounds = votes["depth_bounds"].values
    rows = []
    for k in votes["k"].values.tolist():
        for j, mid in enumerate(votes["depth"].values.tolist()):
            area = surface_area * ((EARTH_RADIUS_KM - mid) / EARTH_RADIUS_KM) ** 2
            covered, curves = _curves(votes, k, j)
            region = float(area[covered].sum())
            for kind, model, min_votes, label, mask in curves:
                slow = float(area[mask].sum())
                rows.append(
                    {
                        "k": int(k),
                        "window_top_km": float(bounds[j, 0]),
                        "window_bottom_km": float(bounds[j, 1]),
                        "mid_depth_km": float(mid),
                        "curve": label,
                        "kind": kind,
                        "model": model,
                        "min_votes": min_votes,
                        "n_models": n,
                        "slow_area_km2": slow,
                        "region_area_km2": region,
                        "slow_area_percent": 100.0 * slow / region if region > 0 else np.nan,
                    }
                )
    return pd.DataFrame(rows)


def slow_volume_table(area: pd.DataFrame, step: float) -> pd.DataFrame:
    """``vote3d_volume.csv``: per k and curve (each model, each threshold >= m of n), the slow volume of the shells.

    Each window stands for the shell ``step`` km thick around its mid-depth; a curve's share of that shell is its
    slow area over the area of the sphere at mid-depth. Shares (%) of the whole mantle (0-2891 km), of the lower
    mantle (660-2891 km; shells above 660 km count only below it) and of the region the shells cover
    (``percent_of_shells``: the points every model covers, between ``shells_top_km`` and ``shells_bottom_km``).
    """
    volumes = {layer: layer_volume(layer) for layer in MANTLE_LAYERS}
    rows = []
    for (k, label), curve in area.groupby(["k", "curve"], sort=False):
        curve = curve.sort_values("mid_depth_km")
        mid = curve["mid_depth_km"].to_numpy()
        bounds = shell_bounds(mid, step)
        sphere = 4.0 * np.pi * (EARTH_RADIUS_KM - mid) ** 2
        share = curve["slow_area_km2"].to_numpy() / sphere  # of each shell
        region_share = curve["region_area_km2"].to_numpy() / sphere
        row = {
            "k": int(k),
            "curve": label,
            "kind": curve["kind"].iloc[0],
            "model": curve["model"].iloc[0],
            "min_votes": curve["min_votes"].iloc[0],
            "n_models": int(curve["n_models"].iloc[0]),
            "majority": bool(
                curve["kind"].iloc[0] == "vote"
                and curve["min_votes"].iloc[0] == majority(int(curve["n_models"].iloc[0]))
            ),
            "n_windows": int(mid.size),
            "shells_top_km": float(bounds[0, 0]),
            "shells_bottom_km": float(bounds[-1, 1]),
            "slow_volume_km3": float((share * shell_volume(bounds[:, 0], bounds[:, 1])).sum()),
            "shells_volume_km3": float((region_share * shell_volume(bounds[:, 0], bounds[:, 1])).sum()),
        }
        row["percent_of_shells"] = (
            100.0 * row["slow_volume_km3"] / row["shells_volume_km3"] if row["shells_volume_km3"] > 0 else np.nan
        )
        for layer, total in volumes.items():
            inside = float((share * clipped_shell_volume(bounds, layer)).sum())
            row[f"slow_volume_{layer}_km3"] = inside
            row[f"percent_of_{layer}"] = 100.0 * inside / total
        rows.append(row)
    return pd.DataFrame(rows)


# --- Which windows the maps show --------------------------------------------------------------------------------------


def vote_map_depths(mid_depths, requested=None) -> list[float]:
    """Mid-depths of the windows to map: nearest to each ``requested`` depth (km), or by default the shallowest,
    middle and deepest window (fewer when there are fewer windows)."""
    mid = np.asarray(mid_depths, dtype=float)
    if requested is None or requested == "auto":
        chosen = mid[[0, (mid.size - 1) // 2, mid.size - 1]]
    else:
        chosen = mid[[int(np.abs(mid - float(d)).argmin()) for d in requested]]
    return [float(d) for d in dict.fromkeys(chosen.tolist())]

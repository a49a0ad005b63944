"""Several models side by side: labels on a common grid, agreement at each k, vote maps.

Models come on different grids (2° or 1°, longitudes 0..360 or -180..180,
regional windows). Category labels are regridded by nearest neighbour, never
interpolated (the mean of category 0 and category 2 is not category 1). A
target point takes a model's label only when that model has a grid point
within half of its own spacing, so nothing is extrapolated beyond a region.

The vote map follows Lekic et al. (2012, EPSL), who combined the cluster
analyses of five lower-mantle models: at each point, how many models put it
in their slowest category (category 0, the lowest depth-averaged centre).
The figures are tomoclust.compare_plots.
"""

from __future__ import annotations

import itertools
import json
import logging

import numpy as np
import pandas as pd
import xarray as xr

from .grid import NO_PROFILE
from .lineage import match_categories
from .preprocess import cell_areas, equal_area_mask, preprocessing_attrs, wrap_longitude_like

log = logging.getLogger(__name__)


def grid_spacing(coord: np.ndarray) -> float:
    coord = np.asarray(coord, dtype=float)
    return float(np.median(np.abs(np.diff(coord)))) if coord.size > 1 else 1.0


def is_periodic(lon: np.ndarray) -> bool:
    """Does the longitude coordinate go all the way round?"""
    return np.size(lon) > 1 and (np.ptp(lon) + grid_spacing(lon)) >= 359.9


def nearest_index(source: np.ndarray, target: np.ndarray, periodic: bool = False) -> np.ndarray:
    """For each target coordinate, the index of the nearest source one, or -1 if it is farther than half a source
    cell."""
    source, target = np.asarray(source, dtype=float), np.asarray(target, dtype=float)
    difference = target[:, None] - source[None, :]
    if periodic:
        difference = (difference + 180.0) % 360.0 - 180.0
    distance = np.abs(difference)
    index = distance.argmin(axis=1)
    too_far = distance[np.arange(target.size), index] > 0.5 * grid_spacing(source) * (1 + 1e-6)
    return np.where(too_far, -1, index)


def common_grid(grids: dict[str, tuple[np.ndarray, np.ndarray]], spacing="auto") -> tuple[np.ndarray, np.ndarray, str]:
    """Target (lat, lon) for the comparison, and how it was chosen.

    ``auto``: the grid of the coarsest model (no model is upsampled into detail
    it does not have). A number: a regular grid at that spacing over the
    latitudes all models cover, all the way round when every model is global.
    """
    if spacing == "auto":
        name = max(grids, key=lambda n: grid_spacing(grids[n][0]) * grid_spacing(grids[n][1]))
        lat, lon = grids[name]
        return np.asarray(lat, float), np.asarray(lon, float), f"grid of the coarsest model, {name}"
    step = float(spacing)
    lat_lo = max(float(np.min(lat)) for lat, _ in grids.values())
    lat_hi = min(float(np.max(lat)) for lat, _ in grids.values())
    lat = np.arange(np.ceil(lat_lo / step) * step, lat_hi + 1e-9, step)
    if all(is_periodic(lon) for _, lon in grids.values()):
        lon = np.arange(-180.0, 180.0 - 1e-9, step)
    else:
        first = next(iter(grids.values()))[1]
        lows = [float(np.min(wrap_longitude_like(lon, first))) for _, lon in grids.values()]
        highs = [float(np.max(wrap_longitude_like(lon, first))) for _, lon in grids.values()]
        lon = np.arange(np.ceil(max(lows) / step) * step, min(highs) + 1e-9, step)
    if lat.size == 0 or lon.size == 0:
        raise ValueError(f"the models' regions do not overlap: nothing to compare (grids {list(grids)})")
    return lat, lon, f"regular {step:g} degree grid"


def regrid_labels(
    labels: np.ndarray, lat: np.ndarray, lon: np.ndarray, target_lat: np.ndarray, target_lon: np.ndarray
) -> np.ndarray:
    """labels(..., lat, lon) by nearest neighbour onto the target grid; -1 outside the model."""
    lat_i = nearest_index(lat, target_lat)
    lon_i = nearest_index(lon, target_lon, periodic=is_periodic(lon))
    picked = np.asarray(labels)[..., np.clip(lat_i, 0, None)[:, None], np.clip(lon_i, 0, None)[None, :]]
    outside = (lat_i[:, None] < 0) | (lon_i[None, :] < 0)
    return np.where(outside, NO_PROFILE, picked).astype(np.int32)


def labels_on_common_grid(cubes: dict[str, xr.Dataset], spacing="auto") -> xr.Dataset:
    """labels(model, k, latitude, longitude) for the k every model has, from each model's labels.nc."""
    names = list(cubes)
    common_k = sorted(set.intersection(*(set(cubes[n]["k"].values.tolist()) for n in names)))
    if not common_k:
        raise ValueError(f"models {names} have no k in common")
    grids = {n: (cubes[n]["latitude"].values, cubes[n]["longitude"].values) for n in names}
    lat, lon, how = common_grid(grids, spacing)
    layers = []
    for name in names:
        src_lat, src_lon = grids[name]
        same = (
            src_lat.shape == lat.shape
            and src_lon.shape == lon.shape
            and np.allclose(src_lat, lat)
            and np.allclose(wrap_longitude_like(src_lon, lon), lon)
        )
        labels = cubes[name]["labels"].sel(k=common_k).values
        layers.append(labels if same else regrid_labels(labels, src_lat, src_lon, lat, lon))
        log.info(
            "model %s: %s",
            name,
            "already on the common grid"
            if same
            else f"regridded by nearest neighbour from {src_lat.size} x {src_lon.size} to {lat.size} x {lon.size}",
        )
    return xr.Dataset(
        data_vars={
            "labels": (
                ("model", "k", "latitude", "longitude"),
                np.stack(layers).astype(np.int32),
                {
                    "long_name": "cluster category on the common grid (0 = slowest centre)",
                    "comment": "-1 where the model has no profile; nearest-neighbour regridding",
                },
            )
        },
        coords={
            "model": ("model", np.array(names, dtype=object)),
            "k": ("k", np.array(common_k, dtype=np.int32), {"long_name": "number of clusters"}),
            "latitude": ("latitude", lat, {"standard_name": "latitude", "units": "degrees_north"}),
            "longitude": ("longitude", lon, {"standard_name": "longitude", "units": "degrees_east"}),
        },
        attrs={
            "Conventions": "CF-1.8",
            "common_grid": how,
            "preprocessing": json.dumps({n: preprocessing_attrs(cubes[n].attrs) for n in names}),
        },
    )


def agreement_table(common: xr.Dataset) -> pd.DataFrame:
    """Adjusted Rand index between every pair of models at every k, where both have a label.

    ``ari`` is computed on the equal-area subset of the common grid (each
    point stands for the same area); ``ari_all_points`` on every grid point.
    """
    from sklearn.metrics import adjusted_rand_score

    equal_area = equal_area_mask(common["latitude"].values, common["longitude"].values)
    labels = common["labels"].values
    models = [str(m) for m in common["model"].values]
    rows = []
    for (a, name_a), (b, name_b) in itertools.combinations(enumerate(models), 2):
        for j, k in enumerate(common["k"].values):
            la, lb = labels[a, j], labels[b, j]
            both = (la >= 0) & (lb >= 0)
            sampled = both & equal_area
            rows.append(
                {
                    "k": int(k),
                    "model_a": name_a,
                    "model_b": name_b,
                    "ari": adjusted_rand_score(la[sampled], lb[sampled]) if sampled.any() else np.nan,
                    "ari_all_points": adjusted_rand_score(la[both], lb[both]) if both.any() else np.nan,
                    "n_points": int(sampled.sum()),
                    "n_points_all": int(both.sum()),
                }
            )
    return pd.DataFrame(rows)


def vote_dataset(common: xr.Dataset, vote_k: list[int]) -> xr.Dataset:
    """votes(k, lat, lon): how many models put each point in their slowest (and fastest) category."""
    labels = common["labels"].sel(k=vote_k).values  # model, k, lat, lon
    has_label = labels >= 0
    slowest = (labels == 0).sum(axis=0)
    fastest = (labels == np.asarray(vote_k)[None, :, None, None] - 1).sum(axis=0)
    n_models = has_label.sum(axis=0)
    models = [str(m) for m in common["model"].values]
    return xr.Dataset(
        data_vars={
            "slow_votes": (
                ("k", "latitude", "longitude"),
                slowest.astype(np.int16),
                {"long_name": "number of models whose slowest category (0) holds the point"},
            ),
            "fast_votes": (
                ("k", "latitude", "longitude"),
                fastest.astype(np.int16),
                {"long_name": "number of models whose fastest category (k-1) holds the point"},
            ),
            "n_models": (
                ("k", "latitude", "longitude"),
                n_models.astype(np.int16),
                {"long_name": "number of models with a profile at the point"},
            ),
        },
        coords={
            "k": ("k", np.asarray(vote_k, dtype=np.int32)),
            "latitude": common["latitude"],
            "longitude": common["longitude"],
        },
        attrs={
            "Conventions": "CF-1.8",
            "models": ", ".join(models),
            "n_models_compared": len(models),
            "common_grid": common.attrs.get("common_grid", ""),
            "preprocessing": common.attrs.get("preprocessing", ""),
            "method": "vote map (Lekic et al. 2012): count of models placing the point in their slowest category",
        },
    )


def vote_shares(votes: xr.Dataset, k: int) -> dict[str, float]:
    """Shares of the area every model covers: all models call it slowest, some do, none does."""
    layer = votes.sel(k=k)
    n = int(votes.attrs["n_models_compared"])
    area = cell_areas(votes["latitude"].values, votes["longitude"].values)
    covered = layer["n_models"].values == n
    slow = layer["slow_votes"].values
    total = max(float(area[covered].sum()), 1e-300)
    return {
        "all_slowest": float(area[covered & (slow == n)].sum() / total),
        "split": float(area[covered & (slow > 0) & (slow < n)].sum() / total),
        "none_slowest": float(area[covered & (slow == 0)].sum() / total),
    }


def matched_dataset(common: xr.Dataset, vote_k: list[int]) -> xr.Dataset:
    """``matched.nc``: every model's categories matched to the first model's, per k in ``vote_k``.

    Matched by area overlap (tomoclust.lineage.match_categories) rather than centre-profile distance: it needs
    nothing but the labels, so it works whatever the models' units (km/s or percent), transforms and depth sampling.
    The price: the matched agreement is the best any one-to-one renaming can give, an upper bound.

    Per point and k: how many models give each matched category (``category_votes``), the ``consensus`` (the matched
    category most models give; on a tie the first model's), and ``consensus_votes`` (how many models give it).
    """
    models = [str(m) for m in common["model"].values]
    lat, lon = common["latitude"].values, common["longitude"].values
    area = np.broadcast_to(cell_areas(lat, lon), (lat.size, lon.size))
    n_categories = max(vote_k)
    shape = (len(vote_k), lat.size, lon.size)
    matched = np.full((len(models), *shape), NO_PROFILE, dtype=np.int32)
    mapping = np.full((len(vote_k), len(models), n_categories), -1, dtype=np.int32)
    votes = np.zeros((len(vote_k), n_categories, lat.size, lon.size), dtype=np.int16)
    for i, k in enumerate(vote_k):
        layers = common["labels"].sel(k=k).values  # model, lat, lon
        for m in range(len(models)):
            mapping[i, m, :k] = np.arange(k) if m == 0 else match_categories(layers[0], layers[m], k, area)
            matched[m, i] = np.where(layers[m] >= 0, mapping[i, m, :k][np.clip(layers[m], 0, None)], NO_PROFILE)
        for c in range(k):
            votes[i, c] = (matched[:, i] == c).sum(axis=0)
    n_models = (matched >= 0).sum(axis=0)
    most = votes.max(axis=1)
    first = matched[0]
    first_is_most = (first >= 0) & (np.take_along_axis(votes, np.clip(first, 0, None)[:, None], axis=1)[:, 0] == most)
    consensus = np.where(first_is_most, first, votes.argmax(axis=1)).astype(np.int32)
    consensus = np.where(n_models > 0, consensus, NO_PROFILE)
    dims = ("k", "latitude", "longitude")
    return xr.Dataset(
        data_vars={
            "matched_labels": (
                ("model",) + dims,
                matched,
                {
                    "long_name": "category of each model, renamed to the first model's matched category",
                    "comment": "-1 where the model has no profile",
                },
            ),
            "category_votes": (
                ("k", "category") + dims[1:],
                votes,
                {
                    "long_name": "number of models giving the point this matched category",
                    "comment": "categories >= k are 0 at that k",
                },
            ),
            "consensus": (
                dims,
                consensus,
                {
                    "long_name": "matched category most models give (on a tie, the first model's)",
                    "comment": "-1 where no model has a profile",
                },
            ),
            "consensus_votes": (
                dims,
                np.where(n_models > 0, most, 0).astype(np.int16),
                {"long_name": "number of models giving the consensus category"},
            ),
            "n_models": (
                dims,
                n_models.astype(np.int16),
                {"long_name": "number of models with a profile at the point"},
            ),
            "category_matching": (
                ("k", "model", "category"),
                mapping,
                {
                    "long_name": "first-model category each model's category is matched to",
                    "comment": "-1 for categories >= k",
                },
            ),
        },
        coords={
            "model": ("model", models),
            "k": ("k", np.asarray(vote_k, dtype=np.int32)),
            "category": ("category", np.arange(n_categories, dtype=np.int32)),
            "latitude": common["latitude"],
            "longitude": common["longitude"],
        },
        attrs={
            "Conventions": "CF-1.8",
            "models": ", ".join(models),
            "reference_model": models[0],
            "n_models_compared": len(models),
            "common_grid": common.attrs.get("common_grid", ""),
            "method": "categories matched to the first model's by maximum area overlap (Hungarian assignment, "
            "scipy.optimize.linear_sum_assignment) on the points both cover; an upper bound of agreement",
        },
    )


def matched_agreement(matched: xr.Dataset, k: int) -> float:
    """Share of the area every model covers where every model gives the same matched category."""
    layer = matched.sel(k=k)
    n = int(matched.attrs["n_models_compared"])
    area = np.broadcast_to(cell_areas(matched["latitude"].values, matched["longitude"].values), layer["n_models"].shape)
    covered = layer["n_models"].values == n
    total = float(area[covered].sum())
    return float(area[covered & (layer["consensus_votes"].values == n)].sum()) / total if total > 0 else float("nan")

"""Several variables in one fit (e.g. Vs and Vp of one model): join their profiles so that none dominates.

Each variable is extracted as a single-variable model would be (same region, depths, transform and depth
weighting), and only the grid points complete in every variable are kept. Each variable is then divided by its
weighted root-mean-square (over its profiles and depths, with its depth weights), and its depth weights are
rescaled to sum to 1: in the squared distance between two joined profiles every variable counts the same, whatever
its units (km/s, percent) or spread. The scales are recorded in the output. The figures are
tomoclust.joint_plots.
"""

from __future__ import annotations

from functools import reduce

import numpy as np
import xarray as xr

from .grid import NO_PROFILE


def common_profiles(datasets: dict[str, xr.Dataset]) -> dict[str, np.ndarray]:
    """For each variable, the indices (into its profiles) of the grid points complete in every variable, in one order.

    Profiles are stored latitude then longitude ascending, so each variable's grid keys ascend.
    """
    keys = {
        name: ds["profile_lat_index"].values.astype(np.int64) * ds.sizes["longitude"] + ds["profile_lon_index"].values
        for name, ds in datasets.items()
    }
    shared = reduce(np.intersect1d, keys.values())
    return {name: np.searchsorted(key, shared) for name, key in keys.items()}


def join_variables(datasets: dict[str, xr.Dataset]) -> dict:
    """The joined, scaled profiles and their depth weights, and what was done (scales, depths per variable)."""
    index = common_profiles(datasets)
    blocks, weights, scales, depths = [], [], {}, {}
    for name, ds in datasets.items():
        values = ds["profiles"].values[index[name]].astype(np.float64)
        weight = ds["depth_weight"].values.astype(np.float64)
        weight = weight / weight.sum()
        rms = float(np.sqrt(np.mean((values**2) @ weight)))
        scales[name] = rms if rms > 0 else 1.0
        blocks.append(values / scales[name])
        weights.append(weight)
        depths[name] = ds["depth"].values
    first = next(iter(datasets.values()))
    rows = index[next(iter(datasets))]
    return {
        "profiles": np.hstack(blocks),
        "depth_weight": np.concatenate(weights),
        "scales": scales,
        "depths": depths,
        "index": index,
        "profile_area": first["profile_area"].values[rows],
        "in_fit_subset": first["in_fit_subset"].values.astype(bool)[rows],
        "lat_index": first["profile_lat_index"].values[rows],
        "lon_index": first["profile_lon_index"].values[rows],
    }


def fit_joint(joined: dict, datasets: dict[str, xr.Dataset], k: int, fit_params: dict):
    """A euclidean k-means fit of the joined profiles; categories ordered slowest first in the first variable.

    Returns the labels and each variable's centre profiles in its own units.
    """
    from .fit import fit_kmeans
    from .preprocess import depth_average

    first_name, first = next(iter(datasets.items()))
    first_values = first["profiles"].values[joined["index"][first_name]]
    order_values = depth_average(first_values, first["depth"].values)  # each member's depth average, first variable
    n = joined["profiles"].shape[1]
    # fit_kmeans orders by order_values; its depth argument only labels the joined axis here.
    result = fit_kmeans(
        joined["profiles"],
        np.arange(n, dtype=float),
        k,
        **fit_params,
        depth_weight=joined["depth_weight"],
        fit_mask=joined["in_fit_subset"],
        order_values=order_values,
    )
    centers, start = {}, 0
    for name, ds in datasets.items():
        width = ds.sizes["depth"]
        centers[name] = result.centers[:, start : start + width] * joined["scales"][name]
        start += width
    return result.labels, centers


def joint_dataset(joined: dict, datasets: dict[str, xr.Dataset], fits: dict[int, tuple], model: str) -> xr.Dataset:
    """``joint/joint.nc``: the joint categories on the grid for every k, each variable's centres, and the scales."""
    first = next(iter(datasets.values()))
    n_lat, n_lon = first.sizes["latitude"], first.sizes["longitude"]
    ks = sorted(fits)
    labels = np.full((len(ks), n_lat, n_lon), NO_PROFILE, dtype=np.int32)
    for i, k in enumerate(ks):
        labels[i, joined["lat_index"], joined["lon_index"]] = fits[k][0]
    data = {
        "labels": (
            ("k", "latitude", "longitude"),
            labels,
            {
                "long_name": "category of the joint fit of "
                + ", ".join(datasets)
                + " (0 = slowest in "
                + next(iter(datasets))
                + ")",
                "comment": "-1 where a variable has no complete profile",
            },
        )
    }
    n_clusters = max(ks)
    for name, ds in datasets.items():
        centers = np.full((len(ks), n_clusters, ds.sizes["depth"]), np.nan)
        for i, k in enumerate(ks):
            centers[i, :k] = fits[k][1][name]
        data[f"centers_{name}"] = (
            ("k", "cluster", f"depth_{name}"),
            centers,
            {
                "long_name": f"centre profiles of {name} (its own units)",
                "units": ds["profiles"].attrs.get("units", ""),
                "joint_scale": joined["scales"][name],
            },
        )
    coords = {
        "k": ("k", np.asarray(ks, dtype=np.int32)),
        "cluster": ("cluster", np.arange(n_clusters, dtype=np.int32)),
        "latitude": first["latitude"],
        "longitude": first["longitude"],
        **{f"depth_{name}": (f"depth_{name}", ds["depth"].values, {"units": "km"}) for name, ds in datasets.items()},
    }
    return xr.Dataset(
        data,
        coords=coords,
        attrs={
            "title": f"Joint k-means fit of {', '.join(datasets)} of model {model}",
            "model": model,
            "Conventions": "CF-1.8",
            "variables": ", ".join(datasets),
            "n_profiles": int(joined["profiles"].shape[0]),
            "scaling": "each variable divided by its depth-weighted RMS (joint_scale of its centres), "
            "its depth weights rescaled to sum to 1, so every variable counts the same in the distance",
            **{f"joint_scale_{name}": float(scale) for name, scale in joined["scales"].items()},
        },
    )

"""Gather per-k fits into tables, the knee, and the labels cube on the model grid (put there by tomoclust.grid)."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import xarray as xr

from .grid import labels_on_grid
from .preprocess import PREPROCESSING_ATTRS, preprocessing_attrs

log = logging.getLogger(__name__)


INERTIA_COLUMNS = ["k", "inertia", "n_iter", "smallest_cluster", "metric"]


def fit_table(fits: dict[int, xr.Dataset]) -> pd.DataFrame:
    """One row per k: inertia, iterations, and every per-k criterion the fits hold."""
    rows = []
    for k, fit in sorted(fits.items()):
        row = {
            "k": k,
            "inertia": float(fit["inertia"]),
            "n_iter": int(fit["n_iter"]),
            "smallest_cluster": int(fit["cluster_size"].min()),
            "metric": fit.attrs.get("fit_metric", ""),
            "units": fit["centers"].attrs.get("units", ""),
            **preprocessing_attrs(fit.attrs),
        }
        for name, var in fit.data_vars.items():
            if var.ndim == 0 and name not in row:
                row[name] = float(var)
        rows.append(row)
    return pd.DataFrame(rows)


def k_selection(table: pd.DataFrame, sensitivity: float = 1.0) -> dict:
    """``k_selection.json``: the inertia knee, and the k each criterion prefers."""
    from .criteria import preferred_k

    selection = find_knee(table["k"].to_numpy(), table["inertia"].to_numpy(), sensitivity)
    preferred = {"inertia_knee": selection["knee"]}
    if "distortion" in table:
        preferred["distortion_knee"] = find_knee(table["k"].to_numpy(), table["distortion"].to_numpy(), sensitivity)[
            "knee"
        ]
    preferred.update(preferred_k(table))
    selection["preferred"] = preferred
    selection["units"] = str(table["units"].iloc[0]) if len(table) else ""
    if len(table) and set(PREPROCESSING_ATTRS) <= set(table):
        selection["preprocessing"] = preprocessing_attrs(table.iloc[0])
    return selection


def find_knee(k: np.ndarray, inertia: np.ndarray, sensitivity: float = 1.0) -> dict:
    """The elbow of inertia(k) by the Kneedle algorithm (kneed).

    Returns a dict for ``k_selection.json``; ``knee`` is None when the curve has
    no knee (too few k, or a straight line), never a guess.
    """
    from kneed import KneeLocator

    k = np.asarray(k, dtype=int)
    inertia = np.asarray(inertia, dtype=float)
    knee = None
    if k.size >= 3:
        locator = KneeLocator(
            k, inertia, curve="convex", direction="decreasing", S=sensitivity, interp_method="interp1d"
        )
        knee = None if locator.knee is None else int(locator.knee)
    result = {
        "knee": knee,
        "method": "kneed.KneeLocator(curve='convex', direction='decreasing')",
        "sensitivity": sensitivity,
        "k_min": int(k.min()) if k.size else None,
        "k_max": int(k.max()) if k.size else None,
        "criterion": "inertia",
    }
    if knee is None:
        log.warning("no knee found in inertia(k) for k=%s..%s; widen k.min..k.max", result["k_min"], result["k_max"])
    else:
        log.info("knee of inertia(k) at k=%d (k=%d..%d)", knee, result["k_min"], result["k_max"])
    return result


def labels_cube(profiles_ds: xr.Dataset, fits: dict[int, xr.Dataset]) -> xr.Dataset:
    """labels(k, latitude, longitude) on the model's grid, -1 where there is no profile."""
    n_lat, n_lon = profiles_ds.sizes["latitude"], profiles_ds.sizes["longitude"]
    ks = sorted(fits)
    layers = [labels_on_grid(profiles_ds, fits[k]["labels"].values) for k in ks]
    ds = xr.Dataset(
        data_vars={
            "labels": (
                ("k", "latitude", "longitude"),
                np.stack(layers) if layers else np.empty((0, n_lat, n_lon), np.int32),
                {
                    "long_name": "cluster category (0 = slowest centre)",
                    # No _FillValue on purpose: readers would turn the ints into floats with NaN.
                    "comment": "-1 where the grid point has no complete profile",
                    "valid_min": np.int32(0),
                },
            )
        },
        coords={
            "k": ("k", np.asarray(ks, dtype=np.int32), {"long_name": "number of clusters"}),
            "latitude": profiles_ds["latitude"],
            "longitude": profiles_ds["longitude"],
        },
        attrs={
            "title": f"k-means categories of model {profiles_ds.attrs.get('model', '?')}",
            "model": profiles_ds.attrs.get("model", ""),
            "Conventions": "CF-1.8",
            **preprocessing_attrs(profiles_ds.attrs),
        },
    )
    return ds

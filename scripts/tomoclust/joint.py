"""Several variables in one fit (e.g. Vs and Vp of one model): one profiles.nc of their joined profiles.

Each variable is extracted as a single-variable model would be (same region, depths, transform and depth
weighting), and only the grid points complete in every variable are kept. Each variable is then divided by its
weighted root-mean-square (over its profiles and depths, with its depth weights), and its depth weights are
rescaled to sum to 1: in the squared distance between two joined profiles every variable counts the same, whatever
its units (km/s, percent) or spread.

Along the ``depth`` dimension of a joint profiles.nc the columns of each variable follow one another: ``depth``
holds each column's depth, ``depth_variable`` its variable and ``depth_scale`` what it was divided by (column x scale
= the variable in its own units, given in ``depth_variable``'s ``units_of_<name>`` attributes). Every later stage
fits, gathers and maps these profiles as it would one variable's. Categories are ordered by the first variable's
depth average (``profile_depth_mean``), so colours follow its velocity. Readers that need depths (figures,
classification, depth windows) take each variable's columns from :func:`variable_blocks`, which gives one block
for a single-variable profiles.nc.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

import numpy as np
import xarray as xr

from .preprocess import depth_average


@dataclass(frozen=True)
class VariableBlock:
    """One variable's columns of the depth axis of a profiles.nc (or a fit), and how to put them in its units."""

    name: str
    columns: slice
    depth: np.ndarray
    scale: float
    units: str

    def values(self, array: np.ndarray) -> np.ndarray:
        """The block's columns (last axis) of ``array``, in the variable's own units (a view when its scale is 1, as
        for a single variable: no copy of a profile matrix of 10^6 rows for each figure)."""
        columns = np.asarray(array)[..., self.columns]
        return columns if self.scale == 1.0 else columns * self.scale


def variable_blocks(ds: xr.Dataset, units: str = "") -> list[VariableBlock]:
    """Each variable's columns of ``ds``'s depth axis (profiles.nc or fits/k{k}.nc), in order.

    A single-variable dataset is one block of every depth, scale 1, in ``units`` (or the profiles' units).
    """
    depth = ds["depth"].values
    if "depth_variable" not in ds.coords:
        name = str(ds["profiles"].attrs.get("source_variable", "")) if "profiles" in ds else ""
        units = units or (str(ds["profiles"].attrs.get("units", "")) if "profiles" in ds else "")
        return [VariableBlock(name, slice(0, depth.size), depth, 1.0, units)]
    names = ds["depth_variable"].values.astype(str)
    scales = ds["depth_scale"].values
    starts = [0, *(np.flatnonzero(names[1:] != names[:-1]) + 1).tolist()]
    ends = [*starts[1:], names.size]
    return [
        VariableBlock(
            str(names[a]),
            slice(a, b),
            depth[a:b],
            float(scales[a]),
            str(ds["depth_variable"].attrs.get(f"units_of_{names[a]}", "")),
        )
        for a, b in zip(starts, ends)
    ]


def is_joint(ds: xr.Dataset) -> bool:
    """Whether ``ds`` (profiles.nc or a fit) holds the joined profiles of several variables."""
    return "depth_variable" in ds.coords


def ordering_variable(ds: xr.Dataset) -> str | None:
    """The variable whose depth average orders the categories of a joint ``ds`` (the first), or None for one
    variable."""
    return variable_blocks(ds)[0].name if is_joint(ds) else None


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


def rms_scale(values: np.ndarray, weight: np.ndarray) -> float:
    """The depth-weighted root-mean-square of ``values`` (weights summing to 1), or 1 where it is 0."""
    rms = float(np.sqrt(np.mean((values.astype(np.float64) ** 2) @ weight)))
    return rms if rms > 0 else 1.0


def joint_status(datasets: dict[str, xr.Dataset]) -> np.ndarray:
    """Complete where every variable is, no data where none has any, incomplete (dropped) elsewhere (the
    profile_status flags 0, 1, 2 of tomoclust.extract)."""
    stacked = np.stack([ds["profile_status"].values for ds in datasets.values()])
    complete = (stacked == 0).all(axis=0)
    empty = (stacked == 2).all(axis=0)
    return np.where(complete, 0, np.where(empty, 2, 1)).astype(np.int8)


def joint_profiles(datasets: dict[str, xr.Dataset]) -> xr.Dataset:
    """profiles.nc of the joined, scaled profiles of ``datasets`` (each a single variable's profiles.nc, one grid)."""
    names = list(datasets)
    first_name, first = names[0], datasets[names[0]]
    index = common_profiles(datasets)
    rows = index[first_name]
    columns, weights, scales, depths, units = [], [], {}, [], {}
    for name, ds in datasets.items():
        values = ds["profiles"].values[index[name]]
        weight = ds["depth_weight"].values.astype(np.float64)
        weight = weight / weight.sum()
        scales[name] = rms_scale(values, weight)
        columns.append((values / scales[name]).astype(values.dtype, copy=False))
        weights.append(weight)
        depths.append(ds["depth"].values)
        units[name] = str(ds["profiles"].attrs.get("units", ""))
    if "profile_depth_mean" in first:  # standardized: the depth average before standardizing
        order_key = first["profile_depth_mean"].values[rows]
        order_units = first["profile_depth_mean"].attrs.get("units")
    else:
        order_key = depth_average(first["profiles"].values[rows].astype(np.float64), first["depth"].values)
        order_units = units[first_name]
    variable_of = np.concatenate([np.full(d.size, name, dtype=object) for name, d in zip(names, depths)])
    status = joint_status(datasets)
    per_profile = first.drop_dims("depth").drop_vars(["profile_depth_mean", "profile_depth_std"], errors="ignore")
    ds = per_profile.isel(profile=rows)
    ds["profile_status"] = (("latitude", "longitude"), status, first["profile_status"].attrs)
    ds = ds.assign_coords(
        depth=(
            "depth",
            np.concatenate(depths),
            {**first["depth"].attrs, "comment": "each variable's depths in turn (see depth_variable)"},
        ),
        depth_variable=(
            "depth",
            variable_of.astype(str),
            {
                "long_name": "variable of each column of the joined profiles",
                **{f"units_of_{name}": units[name] for name in names},
            },
        ),
        depth_scale=(
            "depth",
            np.concatenate([np.full(d.size, scales[name]) for name, d in zip(names, depths)]),
            {
                "long_name": "scale each variable was divided by (its depth-weighted RMS over the profiles)",
                "comment": "column x depth_scale = the variable in its own units",
            },
        ),
    )
    ds["profiles"] = (
        ("profile", "depth"),
        np.hstack(columns),
        {
            "long_name": f"joined profiles of {', '.join(names)}, each divided by its depth_scale",
            "units": "1",
            "source_variable": ", ".join(names),
            "transform": first["profiles"].attrs.get("transform", "none"),
        },
    )
    ds["depth_weight"] = (
        ("depth",),
        np.concatenate(weights),
        {
            "long_name": "weight of each depth in the distance between profiles",
            "comment": "each variable's depth weights rescaled to sum to 1, so every variable counts the same",
        },
    )
    ds["profile_depth_mean"] = (
        ("profile",),
        order_key,
        {
            "long_name": f"depth average of {first_name}, the first of the joined variables (the categories' order)",
            **({"units": order_units} if order_units else {}),
        },
    )
    region_area = float(ds["profile_area"].values.sum())
    ds.attrs.update(
        {
            "title": f"Joined depth profiles of {', '.join(names)} of model {first.attrs.get('model', '')}",
            "variables": ", ".join(names),
            "n_profiles": int(rows.size),
            "n_incomplete_dropped": int((status == 1).sum()),
            "n_no_data": int((status == 2).sum()),
            "n_fit_profiles": int(ds["in_fit_subset"].values.sum()),
            "region_area_km2": region_area,
            "joint_scaling": "each variable divided by its depth-weighted RMS (depth_scale), its depth weights "
            "rescaled to sum to 1, so every variable counts the same in the distance; categories ordered by "
            f"{first_name}",
            **{f"joint_scale_{name}": float(scale) for name, scale in scales.items()},
        }
    )
    return ds

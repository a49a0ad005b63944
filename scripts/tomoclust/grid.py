"""The model grid: per-profile values put back on (latitude, longitude), and the one name for "no profile there".

profiles.nc stores the complete profiles of a model in a row each, with the grid indices of each
(``profile_lat_index``, ``profile_lon_index``); every labels, confidence and vote file, and every map, puts values
back on the grid here. NO_PROFILE marks the grid points without a complete profile wherever an integer is stored
(a category, a demo province, a vote count): never a category, and never a number of votes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import xarray as xr

NO_PROFILE = -1


def on_grid(profiles_ds: xr.Dataset, values: np.ndarray, fill) -> np.ndarray:
    """Per-profile values put back on the (latitude, longitude) grid, ``fill`` where no profile (values' dtype)."""
    values = np.asarray(values)
    grid = np.full((profiles_ds.sizes["latitude"], profiles_ds.sizes["longitude"]), fill, dtype=values.dtype)
    grid[profiles_ds["profile_lat_index"].values, profiles_ds["profile_lon_index"].values] = values
    return grid


def labels_on_grid(profiles_ds: xr.Dataset, labels: np.ndarray) -> np.ndarray:
    """Per-profile labels put back on the (latitude, longitude) grid, NO_PROFILE where no profile."""
    return on_grid(profiles_ds, np.asarray(labels, dtype=np.int32), NO_PROFILE)

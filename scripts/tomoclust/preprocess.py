"""What happens to the profiles between the model file and the fit.

Real models differ from the demo in three ways that bias k-means if ignored:

* the variable may be absolute velocity (km/s), whose depth gradient dwarfs
  lateral differences: ``transform`` turns it into a perturbation;
* depths are sampled irregularly (SEMum: every 20 km near the top, every
  100 km below): euclidean distance then counts densely sampled depths more
  often, so ``depth_weighting`` weights each depth by the thickness it
  represents, or resamples the profile to a uniform depth grid;
* a latitude/longitude grid has as many points in a cell at 80° N as at the
  equator, whose area is six times larger: ``area_weighting`` fits on an
  equal-area subset of the grid and assigns every other point to its nearest
  centre (TimeSeriesKMeans has no sample weights, so none are faked).

Everything here is numpy only, so the extraction job stays light.
"""

from __future__ import annotations

import logging

import numpy as np

EARTH_RADIUS_KM = 6371.0
TRANSFORMS = ("none", "demean", "percent", "standardize")
DEPTH_WEIGHTINGS = ("none", "thickness", "resample")
# Area weighting "auto" is on when grid cells of the region differ in area by more than this factor.
AUTO_AREA_RATIO = 2.0
# ``percent`` divides by the lateral mean: refused when it is not this many lateral standard deviations from 0.
PERCENT_MIN_MEAN_TO_SPREAD = 5.0

log = logging.getLogger(__name__)


def cell_edges(centers: np.ndarray) -> np.ndarray:
    """Edges halfway between grid centres; the outer edges mirror the first and last half-spacing."""
    centers = np.asarray(centers, dtype=float)
    if centers.size == 1:
        return np.array([centers[0] - 0.5, centers[0] + 0.5])
    mid = 0.5 * (centers[1:] + centers[:-1])
    return np.concatenate([[2 * centers[0] - mid[0]], mid, [2 * centers[-1] - mid[-1]]])


def cell_areas(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Area in km² of each (latitude, longitude) grid cell on a sphere, cells clipped at the poles."""
    lat_edges = np.radians(np.clip(cell_edges(lat), -90.0, 90.0))
    lon_widths = np.radians(np.abs(np.diff(cell_edges(lon))))
    band = np.abs(np.diff(np.sin(lat_edges)))
    return EARTH_RADIUS_KM**2 * band[:, None] * lon_widths[None, :]


def wrap_longitude_like(lon: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Longitudes in the convention of ``reference``: -180..180 if it has negative values, else 0..360."""
    lon = np.asarray(lon, dtype=float)
    return (lon + 180.0) % 360.0 - 180.0 if np.min(reference) < 0 else lon % 360.0


def depth_thickness(depth: np.ndarray) -> np.ndarray:
    """Thickness (km) each depth sample represents: half the distance to each neighbour (trapezoid rule)."""
    depth = np.asarray(depth, dtype=float)
    if depth.size < 2:
        return np.ones_like(depth)
    gaps = np.diff(depth)
    return 0.5 * (np.concatenate([[0.0], gaps]) + np.concatenate([gaps, [0.0]]))


def depth_weights(depth: np.ndarray, method: str) -> np.ndarray:
    """Per-depth weights with mean 1 (so inertia keeps the scale of the model's units)."""
    if method == "thickness":
        thickness = depth_thickness(depth)
        return thickness / thickness.mean()
    return np.ones(np.asarray(depth).size)


def uniform_depths(depth: np.ndarray, step: float | None = None) -> np.ndarray:
    """A uniform depth grid over the same range; by default as fine as the finest original spacing."""
    depth = np.asarray(depth, dtype=float)
    step = float(step) if step else float(np.min(np.diff(depth)))
    n = int(np.ceil(round((depth[-1] - depth[0]) / step, 6))) + 1
    return np.linspace(depth[0], depth[-1], max(n, 2))


def resample_profiles(profiles: np.ndarray, depth: np.ndarray, new_depth: np.ndarray) -> np.ndarray:
    """Linear interpolation of every profile onto ``new_depth`` (inside the original range)."""
    depth = np.asarray(depth, dtype=float)
    upper = np.clip(np.searchsorted(depth, new_depth, side="right"), 1, depth.size - 1)
    lower = upper - 1
    frac = (new_depth - depth[lower]) / (depth[upper] - depth[lower])
    return profiles[:, lower] * (1.0 - frac) + profiles[:, upper] * frac


def depth_average(values: np.ndarray, depth: np.ndarray) -> np.ndarray:
    """Thickness-weighted mean over the last axis (trapezoid rule), independent of how depths are sampled."""
    depth = np.asarray(depth, dtype=float)
    span = depth[-1] - depth[0]
    if span <= 0:
        return np.mean(values, axis=-1)
    return np.trapezoid(values, depth, axis=-1) / span


def lateral_mean(profiles: np.ndarray, area: np.ndarray) -> np.ndarray:
    """Area-weighted mean over the profiles at each depth (the region's 1-D reference)."""
    weights = np.asarray(area, dtype=float)
    return (weights @ np.asarray(profiles, dtype=float)) / weights.sum()


class TransformError(ValueError):
    """A transform that does not make sense for these values."""


def apply_transform(profiles: np.ndarray, depth: np.ndarray, area: np.ndarray, transform: str, units: str):
    """Return (transformed profiles, new units, description, extra variables for profiles.nc).

    ``demean`` and ``percent`` are relative to the area-weighted lateral mean
    at each depth; ``standardize`` makes every profile zero-mean, unit-variance
    over depth (depth averages by the trapezoid rule, so irregular sampling
    does not tilt them).
    """
    if transform == "none":
        return profiles, units, "values as in the model file", {}
    if transform in ("demean", "percent"):
        reference = lateral_mean(profiles, area)
        extra = {"lateral_mean": reference}
        if transform == "demean":
            return profiles - reference, units, "deviation from the area-weighted lateral mean at each depth", extra
        spread = np.sqrt(lateral_mean((profiles - reference) ** 2, area))
        ratio = np.abs(reference) / np.maximum(spread, 1e-300)
        if np.any(ratio < PERCENT_MIN_MEAN_TO_SPREAD):
            where = int(np.argmin(ratio))
            raise TransformError(
                f"transform 'percent' needs absolute values, but at {float(np.asarray(depth)[where]):g} km "
                f"the lateral mean ({float(reference[where]):.4g}) is not large against the lateral spread "
                f"({float(spread[where]):.4g}): the variable looks like a perturbation already; use 'demean' or 'none'"
            )
        return (
            100.0 * (profiles - reference) / reference,
            "%",
            "percent deviation from the area-weighted lateral mean at each depth",
            extra,
        )
    if transform == "standardize":
        mean = depth_average(profiles, depth)
        spread = np.sqrt(depth_average((profiles - mean[:, None]) ** 2, depth))
        flat = spread <= 0
        if flat.any():
            log.warning("transform standardize: %d profile(s) constant with depth are set to 0", int(flat.sum()))
        scaled = (profiles - mean[:, None]) / np.where(flat, 1.0, spread)[:, None]
        return (
            scaled,
            "1",
            "each profile minus its depth average, divided by its standard deviation over depth",
            {"profile_depth_mean": mean, "profile_depth_std": spread},
        )
    raise TransformError(f"unknown transform '{transform}'; expected one of {TRANSFORMS}")


def area_ratio(lat: np.ndarray) -> float:
    """How many times larger the largest grid cell of the region is than the smallest (a polar cap row is tiny)."""
    lat = np.asarray(lat, dtype=float)
    if lat.size < 2:
        return 1.0
    band = np.abs(np.diff(np.sin(np.radians(np.clip(cell_edges(lat), -90.0, 90.0)))))
    spacing = np.abs(np.diff(cell_edges(lat)))
    return float(np.max(band / spacing) / np.min(band / spacing))


def area_weighting_on(setting, lat: np.ndarray) -> bool:
    """``auto``: on when the region's cells differ in area by more than AUTO_AREA_RATIO (every global model)."""
    if setting == "auto":
        return area_ratio(lat) > AUTO_AREA_RATIO
    return bool(setting)


def equal_area_columns(n_lon: int, share: float, row: int) -> np.ndarray:
    """Evenly spaced column indices keeping about ``share`` of ``n_lon`` (at least one).

    Successive rows are offset by the golden ratio so kept columns do not line
    up into meridional stripes. Deterministic: the same grid gives the same subset.
    """
    keep = int(np.clip(np.round(n_lon * share), 1, n_lon))
    offset = (row * 0.6180339887498949) % 1.0
    return np.unique(np.floor((np.arange(keep) + offset) * n_lon / keep).astype(int) % n_lon)


def equal_area_mask(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Grid points (lat, lon) kept so that every kept point stands for about the same area.

    Each latitude row keeps a share of its columns proportional to its cell
    area relative to the row of largest cells (thinning by latitude).
    """
    areas = cell_areas(lat, lon).mean(axis=1)
    share = areas / areas.max()
    mask = np.zeros((np.size(lat), np.size(lon)), dtype=bool)
    for row, fraction in enumerate(share):
        mask[row, equal_area_columns(np.size(lon), fraction, row)] = True
    return mask


PREPROCESSING_ATTRS = ("transform", "depth_weighting", "area_weighting")


def preprocessing_attrs(attrs) -> dict[str, str]:
    """What was done to the profiles, as recorded in profiles.nc, every fit, labels.nc and k_selection.json (and the
    variables joined, for a joint fit)."""
    recorded = {name: str(attrs.get(name, "")) for name in PREPROCESSING_ATTRS}
    if attrs.get("variables"):
        recorded["variables"] = str(attrs["variables"])
    return recorded


def preprocessing_label(attrs) -> str:
    """Short description for figure titles, from the attributes of profiles.nc or a fit."""
    transform = attrs.get("transform", "none")
    parts = [f"joint fit of {attrs['variables']}"] if attrs.get("variables") else []
    parts += ["no transform" if transform == "none" else transform]
    parts += {"thickness": ["depths by thickness"], "resample": ["uniform depths"]}.get(
        attrs.get("depth_weighting", "none"), []
    )
    if attrs.get("area_weighting") == "on":
        parts.append("equal-area")
    return ", ".join(parts)

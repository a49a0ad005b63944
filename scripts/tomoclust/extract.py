"""Read a tomography model in any common layout and stack its depth profiles.

Whatever the file's dimension order, coordinate names, longitude convention
(0..360 or -180..180, with or without a duplicated meridian), coordinate
direction or fill values, the profiles come out in one canonical order:
latitude ascending, then longitude ascending, depth ascending in km.
That makes every later result independent of how the file is stored.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import xarray as xr

from . import preprocess
from .joint import joint_profiles
from .provenance import carried_citation, model_citation_attrs

LATITUDE_NAMES = ("latitude", "lat", "y", "nav_lat")
LONGITUDE_NAMES = ("longitude", "lon", "x", "nav_lon")
DEPTH_NAMES = ("depth", "dep", "z", "depth_km")
DEPTH_UNITS_KM = {"km", "kilometer", "kilometers", "kilometre", "kilometres"}
DEPTH_UNITS_M = {"m", "meter", "meters", "metre", "metres"}
DEPTH_UNITS = ("km", "m")

STATUS_COMPLETE, STATUS_INCOMPLETE, STATUS_EMPTY = 0, 1, 2

log = logging.getLogger(__name__)


class ModelInputError(ValueError):
    """A model file or its config entry cannot be used; the message says how to fix it."""


@dataclass(frozen=True)
class ModelSpec:
    """One entry of the config's ``models`` list."""

    name: str
    path: str
    variable: str | None
    region: dict | None = None
    depth: tuple[float, float] | None = None
    dims: dict | None = None
    transform: str = "none"
    depth_weighting: str = "none"
    depth_step: float | None = None
    area_weighting: bool | str = "auto"
    depth_units: str | None = None
    depth_positive: str | None = None
    variables: tuple[str, ...] | None = None  # several variables joined into one profiles.nc (tomoclust.joint)

    @classmethod
    def from_config(cls, entry: dict) -> "ModelSpec":
        depth = entry.get("depth")
        return cls(
            name=entry["name"],
            path=str(entry["path"]),
            variable=entry.get("variable"),
            region=entry.get("region"),
            depth=tuple(depth) if depth is not None else None,
            dims=entry.get("dims"),
            transform=entry.get("transform", "none"),
            depth_weighting=entry.get("depth_weighting", "none"),
            depth_step=entry.get("depth_step"),
            area_weighting=entry.get("area_weighting", "auto"),
            depth_units=entry.get("depth_units"),
            depth_positive=entry.get("depth_positive"),
            variables=tuple(entry["variables"]) if entry.get("variables") else None,
        )

    def error(self, message: str, key: str | None = None) -> ModelInputError:
        where = f"model '{self.name}' (file {self.path})"
        hint = f" Fix `models[name={self.name}].{key}` in the config." if key else ""
        return ModelInputError(f"{where}: {message}.{hint}")


def file_contents(ds: xr.Dataset) -> dict[str, list[str]]:
    """What a model file holds: each variable with its dimensions, for messages that refuse it."""
    return {str(name): list(map(str, var.dims)) for name, var in ds.data_vars.items()}


def with_variable(spec: ModelSpec) -> ModelSpec:
    """The spec with its variable named: as configured, or the file's only variable of 3 or more dimensions."""
    if spec.variable:
        return spec
    path = Path(spec.path)
    if not path.is_file():
        raise spec.error("file not found", "path")
    with xr.open_dataset(path, decode_times=False) as probe:
        volumes = [str(name) for name, var in probe.data_vars.items() if var.ndim >= 3]
        holds = file_contents(probe)
    if len(volumes) != 1:
        found = "no variable" if not volumes else f"{len(volumes)} variables ({volumes})"
        raise spec.error(
            f"no `variable` named, and the file has {found} with 3 or more dimensions to choose from; it holds {holds}",
            "variable",
        )
    log.info(
        "model %s: no variable named; using '%s', the file's only 3-D variable (of %s)", spec.name, volumes[0], holds
    )
    return replace(spec, variable=volumes[0])


def _find_dimension(da: xr.DataArray, spec: ModelSpec, role: str, candidates: tuple[str, ...], holds=None) -> str:
    override = (spec.dims or {}).get(role)
    if override:
        if override not in da.dims:
            raise spec.error(
                f"dims.{role} = '{override}' is not a dimension of '{spec.variable}' (it has {list(da.dims)})",
                f"dims.{role}",
            )
        return override
    lowered = {str(d).lower(): d for d in da.dims}
    for name in candidates:
        if name in lowered:
            return lowered[name]
    raise spec.error(
        f"no {role} dimension found in variable '{spec.variable}' with dims {list(da.dims)}; "
        f"looked for {list(candidates)}; map yours with `dims: {{{role}: <name>}}`"
        + (f". The file holds {holds}" if holds else ""),
        f"dims.{role}",
    )


def wrap_longitude(lon: np.ndarray, convention: str) -> np.ndarray:
    """Longitudes in [-180, 180) for convention '180', in [0, 360) for '360'."""
    lon = np.asarray(lon, dtype=float)
    if convention == "180":
        return (lon + 180.0) % 360.0 - 180.0
    return lon % 360.0


def longitude_window(lon_range) -> tuple[str, tuple[float, float] | None]:
    """Choose the longitude convention in which a region is one contiguous interval.

    Returns the convention and the (min, max) window in it, or None for the
    whole globe. A region crossing the antimeridian (e.g. [120, 300] or
    [170, -170]) is contiguous in 0..360; any other in -180..180.
    """
    if lon_range is None:
        return "180", None
    lo, hi = (float(v) for v in lon_range)
    if hi - lo >= 360.0:
        return "180", None
    lo180 = float(wrap_longitude(lo, "180"))
    hi180 = float(wrap_longitude(hi, "180"))
    if hi180 == -180.0 and hi > lo:
        hi180 = 180.0
    if lo180 <= hi180 and not (lo > hi):
        return "180", (lo180, hi180)
    lo360 = float(wrap_longitude(lo, "360"))
    hi360 = float(wrap_longitude(hi, "360"))
    if hi360 <= lo360:
        hi360 += 360.0
    return "360", (lo360, hi360)


def _unit_name(units: str) -> str:
    """'Kilometers downward', 'km_downward', 'KM' -> 'kilometers' / 'km': the unit, without the direction."""
    name = re.sub(r"[\s_-]+", "_", str(units).strip().lower())
    return re.sub(r"_?(downwards?|down|below_(the_)?surface|positive_down)$", "", name)


def _depth_in_km(depth: xr.DataArray, spec: ModelSpec) -> np.ndarray:
    """Depth in km, positive down, from the coordinate's units and positive attributes (or the config's overrides)."""
    file_units = str(depth.attrs.get("units", "")).strip()
    units = _unit_name(spec.depth_units or file_units)
    values = np.asarray(depth.values, dtype=float)
    positive = str(spec.depth_positive or depth.attrs.get("positive", "")).strip().lower()
    if positive == "up":
        log.info(
            "model %s: depth is positive up (%s); values negated to depth below the surface",
            spec.name,
            "config `depth_positive`" if spec.depth_positive else "the file's `positive` attribute",
        )
        values = -values
    if np.nanmin(values) < 0.0:
        raise spec.error(
            f"depth has negative values (down to {np.nanmin(values):g}) and no `positive: up` attribute; if depth is "
            "counted upward, set `depth_positive: up`",
            "depth_positive",
        )
    if units in DEPTH_UNITS_M:
        log.info("model %s: depth units '%s' converted to km", spec.name, spec.depth_units or file_units)
        return values / 1000.0
    if units in DEPTH_UNITS_KM:
        if units != "km":
            log.info("model %s: depth units '%s' read as km", spec.name, spec.depth_units or file_units)
        return values
    if units:
        raise spec.error(
            f"depth units '{file_units}' are not understood (expected km or m); if they are one of "
            "these, set `depth_units: km` or `depth_units: m`",
            "depth_units",
        )
    if np.nanmax(np.abs(values)) > 6400.0:
        raise spec.error(
            "depth has no units attribute and values up to "
            f"{np.nanmax(values):g}, deeper than the Earth's radius in km; is it in metres? Set `depth_units: m`",
            "depth_units",
        )
    log.warning("model %s: depth has no units attribute; assuming km (set `depth_units` to say so)", spec.name)
    return values


NUMERIC_ATTRS = ("scale_factor", "add_offset", "_FillValue", "missing_value", "valid_min", "valid_max", "valid_range")
_C_NUMBER = re.compile(r"^([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdDlL]?$")


def parse_number_text(text: str) -> list[float]:
    """Numbers written as text, C-style suffixes included: '1.f' -> [1.0], '-1000.f, 1000.f' -> [-1000.0, 1000.0]."""
    numbers = []
    for token in re.split(r"[,\s]+", str(text).strip()):
        match = _C_NUMBER.match(token)
        if token and match is None:
            raise ValueError(f"'{token}' is not a number")
        if token:
            numbers.append(float(match.group(1)))
    if not numbers:
        raise ValueError("no number in it")
    return numbers


def numeric_attributes(attrs: dict, spec: ModelSpec) -> dict:
    """The variable's CF attributes that are numbers stored as text, as numbers (logged); refused when unreadable."""
    fixed = {}
    for name in NUMERIC_ATTRS:
        value = attrs.get(name)
        if not isinstance(value, str):
            continue
        try:
            numbers = parse_number_text(value)
        except ValueError as exc:
            raise spec.error(
                f"attribute {name} = '{value}' of variable '{spec.variable}' is text that holds no number "
                f"({exc}). No config key reads past it: fix the attribute in the file, e.g. with NCO "
                f"`ncatted -a {name},{spec.variable},d,, {spec.path}` (delete it) or `-a {name},{spec.variable},"
                f"o,f,<number>` (overwrite), then run again"
            ) from exc
        expected = 2 if name == "valid_range" else 1
        if len(numbers) != expected:
            raise spec.error(
                f"attribute {name} = '{value}' of variable '{spec.variable}' holds {len(numbers)} numbers, "
                f"expected {expected}. No config key reads past it: fix the attribute in the file, e.g. with "
                f"NCO `ncatted -a {name},{spec.variable},o,f,<{expected} number(s)> {spec.path}`, then run again"
            )
        fixed[name] = np.asarray(numbers) if expected == 2 else numbers[0]
        log.info(
            "model %s: attribute %s of '%s' is stored as text '%s'; read as %s",
            spec.name,
            name,
            spec.variable,
            value,
            numbers if expected == 2 else numbers[0],
        )
    return fixed


def valid_range(attrs: dict) -> tuple[float, float] | None:
    """(min, max) from valid_range or valid_min/valid_max, in the stored (packed) values, or None."""
    if "valid_range" in attrs:
        low, high = (float(v) for v in np.ravel(attrs["valid_range"])[:2])
        return low, high
    if "valid_min" in attrs or "valid_max" in attrs:
        return float(attrs.get("valid_min", -np.inf)), float(attrs.get("valid_max", np.inf))
    return None


def open_model(spec: ModelSpec, block_mb: float = 64.0) -> xr.DataArray:
    """Open the model lazily as a DataArray on canonical (depth, latitude, longitude).

    Latitude and depth ascend, longitudes follow the convention that keeps the
    configured region contiguous, a duplicated meridian is dropped. Nothing but
    coordinates is read here; values are dask-backed in latitude blocks of
    about ``block_mb`` MB so later steps never load the whole file.
    """
    path = Path(spec.path)
    if not path.is_file():
        raise spec.error("file not found", "path")
    try:
        probe = xr.open_dataset(path, decode_times=False)
    except Exception as exc:  # netCDF4/h5 raise several types for a non-netCDF file
        raise spec.error(f"cannot be read as netCDF/HDF5 ({type(exc).__name__}: {exc})", "path") from exc
    with probe:
        if spec.variable not in probe.data_vars:
            raise spec.error(
                f"variable '{spec.variable}' not in file; it has {sorted(map(str, probe.data_vars))}", "variable"
            )
        probe_var = probe[spec.variable]
        holds = file_contents(probe)
        if probe_var.ndim < 3:
            raise spec.error(
                f"variable '{spec.variable}' has only the dimensions {list(map(str, probe_var.dims))}; "
                f"a model needs depth, latitude and longitude. The file holds {holds}",
                "variable",
            )
        lat_dim = _find_dimension(probe_var, spec, "latitude", LATITUDE_NAMES, holds)
        lon_dim = _find_dimension(probe_var, spec, "longitude", LONGITUDE_NAMES, holds)
        depth_dim = _find_dimension(probe_var, spec, "depth", DEPTH_NAMES, holds)
        extra = [d for d in probe_var.dims if d not in (lat_dim, lon_dim, depth_dim)]
        if any(probe_var.sizes[d] != 1 for d in extra):
            sizes = {str(d): int(probe_var.sizes[d]) for d in extra}
            raise spec.error(
                f"variable '{spec.variable}' has extra dimensions {sizes} besides {lat_dim}, {lon_dim} and "
                f"{depth_dim}; only depth, latitude, longitude are supported. No config key selects along "
                f"them: cut one out of the file, e.g. with NCO `ncks -d {next(iter(sizes))},0 {spec.path} "
                f"one.nc`, and point `models[name={spec.name}].path` at it"
            )
        row_bytes = probe_var.sizes[lon_dim] * probe_var.sizes[depth_dim] * max(probe_var.dtype.itemsize, 4)
        rows = int(max(1, min(probe_var.sizes[lat_dim], block_mb * 1e6 // row_bytes)))

    # Decoded by xarray after the attributes that real files store as text ('1.f') are made numbers again.
    ds = xr.open_dataset(path, decode_cf=False, chunks={lat_dim: rows, lon_dim: -1, depth_dim: -1})
    stored = ds[spec.variable]
    stored.attrs.update(numeric_attributes(stored.attrs, spec))
    valid = valid_range(stored.attrs)
    if valid is not None:  # CF: valid_min/max/range are in the stored values, before scale and offset
        outside = (stored < valid[0]) | (stored > valid[1])
    ds = xr.decode_cf(ds, decode_times=False)
    da = ds[spec.variable]
    da.attrs.update(model_citation_attrs(ds.attrs, path.name))
    if valid is not None:
        log.info(
            "model %s: values outside the valid range %s of '%s' are masked", spec.name, list(valid), spec.variable
        )
        da = da.where(~outside)
    da = da.isel({d: 0 for d in da.dims if d not in (lat_dim, lon_dim, depth_dim)}, drop=True)
    for dim in (lat_dim, lon_dim, depth_dim):
        if dim not in da.coords:
            raise spec.error(
                f"dimension '{dim}' of variable '{spec.variable}' has no coordinate variable (no {dim} "
                f"values in the file); if another dimension is meant, map it with `dims`, else add the "
                f"coordinate to the file (e.g. xarray `ds.assign_coords({dim}=...)`)",
                "dims",
            )
    depth_km = _depth_in_km(da[depth_dim], spec)
    da = da.assign_coords({depth_dim: depth_km})
    da = da.rename({lat_dim: "latitude", lon_dim: "longitude", depth_dim: "depth"})
    da = da.transpose("depth", "latitude", "longitude")
    da = da.isel(
        depth=np.argsort(da["depth"].values, kind="stable"), latitude=np.argsort(da["latitude"].values, kind="stable")
    )
    return da


def select_region(da: xr.DataArray, spec: ModelSpec) -> xr.DataArray:
    """Apply the config's region and depth range; wrap and deduplicate longitudes."""
    region = spec.region or {}
    convention, window = longitude_window(region.get("lon"))
    lon = wrap_longitude(da["longitude"].values, convention)
    unique_lon, first = np.unique(lon, return_index=True)
    if unique_lon.size < lon.size:
        log.info(
            "model %s: dropped %d duplicated longitude column(s) (e.g. both -180 and 180)",
            spec.name,
            lon.size - unique_lon.size,
        )
    da = da.isel(longitude=first).assign_coords(longitude=unique_lon)
    if window is not None:
        da = da.sel(longitude=slice(*window))
    if region.get("lat") is not None:
        lat_lo, lat_hi = sorted(float(v) for v in region["lat"])
        da = da.sel(latitude=slice(lat_lo, lat_hi))
    if spec.depth is not None:
        d_lo, d_hi = sorted(float(v) for v in spec.depth)
        da = da.sel(depth=slice(d_lo, d_hi))
    for dim, key in (("latitude", "region.lat"), ("longitude", "region.lon"), ("depth", "depth")):
        if da.sizes[dim] == 0:
            raise spec.error(f"the {key} selection leaves no {dim} in the model", key)
    if da.sizes["depth"] < 2:
        raise spec.error("the depth range keeps fewer than 2 depths; a profile needs at least 2", "depth")
    return da


def stack_complete_profiles(da: xr.DataArray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (profiles[n, depth], status[lat, lon], flat grid index of each profile).

    Works through latitude blocks (the dask chunks) so memory stays bounded by
    one block plus the profile matrix. A profile is complete when every depth
    is finite.
    """
    n_depth, n_lat, n_lon = (da.sizes[d] for d in ("depth", "latitude", "longitude"))
    rows = int(da.chunks[1][0]) if da.chunks else n_lat
    status = np.empty((n_lat, n_lon), dtype=np.int8)
    blocks, indices = [], []
    for start in range(0, n_lat, rows):
        block = np.asarray(da.isel(latitude=slice(start, start + rows)).values)  # depth, lat, lon
        finite = np.isfinite(block)
        complete = finite.all(axis=0)
        status_block = np.where(
            complete, STATUS_COMPLETE, np.where(finite.any(axis=0), STATUS_INCOMPLETE, STATUS_EMPTY)
        )
        status[start : start + block.shape[1]] = status_block
        lat_i, lon_i = np.nonzero(complete)
        blocks.append(block[:, lat_i, lon_i].T)
        indices.append((lat_i + start) * n_lon + lon_i)
    dtype = da.dtype if np.issubdtype(da.dtype, np.floating) else np.float64
    profiles = np.concatenate(blocks).astype(dtype, copy=False) if blocks else np.empty((0, n_depth), dtype)
    return profiles, status, np.concatenate(indices)


def source_units(da: xr.DataArray) -> str:
    """The variable's units, or those at the end of its display_name or long_name ('S Velocity (km/s)',
    'dVs perturbation (%)') when the file has no units attribute."""
    units = str(da.attrs.get("units", "")).strip()
    for name in ("display_name", "long_name"):
        if units:
            break
        found = re.search(r"\(([^()]+)\)\s*$", str(da.attrs.get(name, "")))
        units = found.group(1).strip() if found else ""
        if units:
            log.info("units '%s' read from the variable's %s", units, name)
    return units


@dataclass
class Prepared:
    """Profiles ready for the fit, and what was done to them."""

    profiles: np.ndarray
    depth: np.ndarray
    units: str
    profile_area: np.ndarray
    in_fit_subset: np.ndarray
    depth_weight: np.ndarray
    transform_description: str
    area_weighting: bool
    extra: dict


def prepare_profiles(spec: ModelSpec, da: xr.DataArray, profiles: np.ndarray, flat_index: np.ndarray) -> Prepared:
    """Resample depths, transform values, weight depths, pick the equal-area fit subset (see preprocess)."""
    lat, lon = da["latitude"].values, da["longitude"].values
    n_lon = lon.size
    lat_index, lon_index = flat_index // n_lon, flat_index % n_lon
    depth = da["depth"].values.astype(float)
    units = source_units(da)
    if spec.depth_weighting == "resample":
        new_depth = preprocess.uniform_depths(depth, spec.depth_step)
        log.info(
            "model %s: profiles resampled from %d irregular depths to %d depths every %.4g km",
            spec.name,
            depth.size,
            new_depth.size,
            new_depth[1] - new_depth[0],
        )
        profiles, depth = preprocess.resample_profiles(profiles, depth, new_depth), new_depth
    elif spec.depth_weighting == "none":
        gaps = np.diff(depth)
        if gaps.size and gaps.max() > 1.5 * gaps.min():
            log.warning(
                "model %s: depths are irregular (spacing %.4g..%.4g km) and depth_weighting is 'none', so densely "
                "sampled depths count more; consider `depth_weighting: thickness`",
                spec.name,
                gaps.min(),
                gaps.max(),
            )
    area = preprocess.cell_areas(lat, lon)[lat_index, lon_index]
    try:
        profiles, units, description, extra = preprocess.apply_transform(profiles, depth, area, spec.transform, units)
    except preprocess.TransformError as exc:
        raise spec.error(str(exc), "transform") from exc
    weighted = preprocess.area_weighting_on(spec.area_weighting, lat)
    in_subset = (
        preprocess.equal_area_mask(lat, lon)[lat_index, lon_index]
        if weighted
        else np.ones(profiles.shape[0], dtype=bool)
    )
    log.info(
        "model %s: transform %s (%s); depth weighting %s; area weighting %s (setting %s, cell areas differ %.3gx) "
        "-> fit on %d of %d profiles",
        spec.name,
        spec.transform,
        description,
        spec.depth_weighting,
        "on" if weighted else "off",
        spec.area_weighting,
        preprocess.area_ratio(lat),
        int(in_subset.sum()),
        in_subset.size,
    )
    return Prepared(
        profiles,
        depth,
        units,
        area,
        in_subset,
        preprocess.depth_weights(depth, spec.depth_weighting),
        description,
        weighted,
        extra,
    )


def profiles_dataset(
    spec: ModelSpec, da: xr.DataArray, prepared: Prepared, status: np.ndarray, flat_index: np.ndarray
) -> xr.Dataset:
    n_lon = da.sizes["longitude"]
    lat_index = (flat_index // n_lon).astype(np.int32)
    lon_index = (flat_index % n_lon).astype(np.int32)
    lat = da["latitude"].values.astype(float)
    lon = da["longitude"].values.astype(float)
    value_attrs = {k: v for k, v in da.attrs.items() if k in ("long_name", "display_name", "standard_name")}
    value_attrs.setdefault("long_name", spec.variable)
    if spec.transform != "none":
        value_attrs = {"long_name": f"{value_attrs['long_name']} ({spec.transform}: {prepared.transform_description})"}
    if prepared.units:
        value_attrs["units"] = prepared.units
    units_of_file = source_units(da)
    extra_vars = {}
    if "lateral_mean" in prepared.extra:
        extra_vars["lateral_mean"] = (
            ("depth",),
            prepared.extra["lateral_mean"],
            {
                "long_name": f"area-weighted lateral mean of {spec.variable} at each depth "
                "(reference of the transform)",
                **({"units": units_of_file} if units_of_file else {}),
            },
        )
    for name, what in (("profile_depth_mean", "depth average"), ("profile_depth_std", "standard deviation over depth")):
        if name in prepared.extra:
            extra_vars[name] = (
                ("profile",),
                prepared.extra[name],
                {
                    "long_name": f"{what} of the profile before standardizing",
                    **({"units": units_of_file} if units_of_file else {}),
                },
            )
    depth_description = {
        "none": "all depths weigh the same",
        "thickness": "each depth weighted by the thickness it represents (trapezoid rule), mean 1",
        "resample": "profiles linearly resampled to uniform depths; all depths weigh the same",
    }[spec.depth_weighting]
    region_area = float(prepared.profile_area.sum())
    ds = xr.Dataset(
        data_vars={
            "profiles": (
                ("profile", "depth"),
                prepared.profiles,
                {**value_attrs, "source_variable": spec.variable, "transform": spec.transform},
            ),
            "profile_lat_index": (
                ("profile",),
                lat_index,
                {"long_name": "index of the profile's latitude in the latitude coordinate"},
            ),
            "profile_lon_index": (
                ("profile",),
                lon_index,
                {"long_name": "index of the profile's longitude in the longitude coordinate"},
            ),
            "profile_area": (
                ("profile",),
                prepared.profile_area,
                {"long_name": "area of the profile's grid cell", "units": "km2"},
            ),
            "in_fit_subset": (
                ("profile",),
                prepared.in_fit_subset.astype(np.int8),
                {
                    "long_name": "profile is in the equal-area subset the k-means fit uses",
                    "flag_values": np.array([0, 1], dtype=np.int8),
                    "flag_meanings": "assigned_to_nearest_centre fitted",
                },
            ),
            "depth_weight": (
                ("depth",),
                prepared.depth_weight,
                {"long_name": "weight of each depth in the distance between profiles", "comment": depth_description},
            ),
            **extra_vars,
            "profile_status": (
                ("latitude", "longitude"),
                status,
                {
                    "long_name": "completeness of the depth profile at each grid point",
                    "flag_values": np.array([STATUS_COMPLETE, STATUS_INCOMPLETE, STATUS_EMPTY], dtype=np.int8),
                    "flag_meanings": "complete incomplete_dropped no_data",
                },
            ),
        },
        coords={
            "depth": (
                "depth",
                prepared.depth,
                {"long_name": "depth below earth surface", "units": "km", "positive": "down"},
            ),
            "latitude": ("latitude", lat, {"standard_name": "latitude", "units": "degrees_north"}),
            "longitude": ("longitude", lon, {"standard_name": "longitude", "units": "degrees_east"}),
            "profile_latitude": (("profile",), lat[lat_index], {"standard_name": "latitude", "units": "degrees_north"}),
            "profile_longitude": (
                ("profile",),
                lon[lon_index],
                {"standard_name": "longitude", "units": "degrees_east"},
            ),
        },
        attrs={
            "title": f"Depth profiles of model {spec.name}",
            "model": spec.name,
            "Conventions": "CF-1.8",
            "profile_order": "latitude ascending, then longitude ascending",
            "n_grid_points": int(status.size),
            "n_profiles": int(prepared.profiles.shape[0]),
            "n_incomplete_dropped": int((status == STATUS_INCOMPLETE).sum()),
            "n_no_data": int((status == STATUS_EMPTY).sum()),
            "transform": spec.transform,
            "transform_description": prepared.transform_description,
            "depth_weighting": spec.depth_weighting,
            "area_weighting": "on" if prepared.area_weighting else "off",
            "area_weighting_setting": str(spec.area_weighting),
            "n_fit_profiles": int(prepared.in_fit_subset.sum()),
            "region_area_km2": region_area,
            **carried_citation(da.attrs),
        },
    )
    return ds


def extract_model(spec: ModelSpec, block_mb: float = 64.0) -> xr.Dataset:
    """Everything between the model file and ``profiles.nc``: of one variable, or the joined ``variables``."""
    if spec.variables:
        datasets = {
            name: extract_model(replace(spec, variable=name, variables=None), block_mb=block_mb)
            for name in spec.variables
        }
        joined = joint_profiles(datasets)
        log.info(
            "model %s: %d profiles complete in every variable of %s (%d grid points incomplete in one dropped); "
            "each divided by its depth-weighted RMS %s; categories ordered by %s",
            spec.name,
            joined.attrs["n_profiles"],
            list(spec.variables),
            joined.attrs["n_incomplete_dropped"],
            {name: round(joined.attrs[f"joint_scale_{name}"], 6) for name in spec.variables},
            spec.variables[0],
        )
        return joined
    spec = with_variable(spec)
    da = select_region(open_model(spec, block_mb=block_mb), spec)
    log.info(
        "model %s: grid %d lat x %d lon x %d depths (%.1f..%.1f km), lat %.2f..%.2f, lon %.2f..%.2f",
        spec.name,
        da.sizes["latitude"],
        da.sizes["longitude"],
        da.sizes["depth"],
        float(da.depth[0]),
        float(da.depth[-1]),
        float(da.latitude[0]),
        float(da.latitude[-1]),
        float(da.longitude[0]),
        float(da.longitude[-1]),
    )
    profiles, status, flat_index = stack_complete_profiles(da)
    if profiles.shape[0] == 0:
        raise spec.error(
            "no complete depth profile left after masking NaN/fill values in the selected region and depth "
            f"range; widen `models[name={spec.name}].region` or `.depth` in the config (the file's NaN or fill "
            "values cover all of them)"
        )
    prepared = prepare_profiles(spec, da, profiles, flat_index)
    ds = profiles_dataset(spec, da, prepared, status, flat_index)
    log.info("model %s: cite as: %s", spec.name, ds.attrs["model_citation"])
    log.info(
        "model %s: %d complete profiles kept of %d grid points; dropped %d incomplete, %d with no data",
        spec.name,
        ds.attrs["n_profiles"],
        ds.attrs["n_grid_points"],
        ds.attrs["n_incomplete_dropped"],
        ds.attrs["n_no_data"],
    )
    return ds

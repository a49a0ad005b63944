"""The data of the explore pages (``explore.html``): every k of a model, or of a comparison, as compact arrays.

Computing only (numpy, xarray, pandas); ``tomoclust.explore_page`` lays the arrays out with Bokeh. One
entry per grid point with a profile, and per k one byte for its category (bit 7: uncertain) and one for its
margin, so the page grows as ``profiles × (2 k-values + 2 depths)`` bytes (base64: ×4/3) plus the centres'
curves (``sum of k × 5 × depths`` floats) and BokehJS itself (about 1.7 MB). Above ``max_mb`` the map shows
every ``stride``-th grid point in latitude and longitude (centres and envelopes still come from every profile),
and the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr

from .joint import is_joint, variable_blocks

UNCERTAIN_BIT = 128  # categories are 0..k-1 < 128; the uncertain flag rides in the byte's top bit
NO_VALUE = 255  # a margin byte (or a comparison's category byte) where there is none
MARGIN_STEPS = 254  # margin 0..1 stored as round(margin * 254)
QUANTILES = (0.05, 0.25, 0.75, 0.95)  # the envelopes of the profile figures (tomoclust.profile_plots)
BOKEH_BYTES = 1_800_000  # BokehJS and its widgets, inline
BASE64 = 4 / 3
CRITERIA_SKIPPED = ("k", "inertia", "n_iter", "smallest_cluster", "metric", "n_fit_profiles", "units")


@dataclass
class Points:
    """The grid points a map shows: their coordinates, and which profile (or grid cell) each is."""

    lat: np.ndarray
    lon: np.ndarray
    lat_index: np.ndarray
    lon_index: np.ndarray
    profile: np.ndarray  # index into profiles.nc's profiles (model page) or -1 (comparison page)
    cell: tuple[float, float]  # (dlat, dlon) of one drawn cell, degrees
    stride: int = 1
    n_total: int = 0  # points before decimation

    @property
    def decimated(self) -> bool:
        return self.stride > 1


@dataclass
class ModelPage:
    """What the page of one model shows, every array already in the compact form the page stores."""

    model: str
    citation: str
    units: str
    ks: list[int]
    initial_k: int
    knee: int | None
    preferred: dict
    criteria: pd.DataFrame
    points: Points
    codes: dict[int, np.ndarray]  # k -> uint8 per point: category | UNCERTAIN_BIT
    margins: dict[int, np.ndarray]  # k -> uint8 per point: round(margin * MARGIN_STEPS), NO_VALUE where none
    depth: np.ndarray
    profiles: np.ndarray  # int16 (n_points, n_depth), value = offset + scale * stored
    profile_scale: float
    profile_offset: float
    categories: pd.DataFrame  # k, category, color, area_percent, center_depth_mean, size (one row per category)
    curves: np.ndarray  # float32 (rows of categories, 5, n_depth): centre, q05, q25, q75, q95
    uncertain_percent: dict[int, float]
    thresholds: dict
    coastlines: list[np.ndarray] = field(default_factory=list)  # (n, 2) lon, lat lines
    note: str = ""
    estimated_mb: float = 0.0


def page_megabytes(n_points: int, n_k: int, n_depth: int, n_curves: int, n_values_per_k: int = 2) -> float:
    """Estimated size of a page: BokehJS, per point (coordinates, stored per-k bytes, profile, the initial k's
    columns), and the centres' curves."""
    per_point = BASE64 * (8 + n_values_per_k * n_k + 2 * n_depth) + 40
    return (BOKEH_BYTES + n_points * per_point + BASE64 * 4 * 5 * n_depth * n_curves + 200 * n_curves) / 1e6


def choose_stride(lat_index: np.ndarray, lon_index: np.ndarray, size_of, max_mb: float) -> int:
    """The smallest stride in latitude and longitude (1: every point) whose page ``size_of(n_points)`` fits in
    max_mb."""
    stride = 1
    while stride < 64:
        n = int(np.count_nonzero((lat_index % stride == 0) & (lon_index % stride == 0)))
        if size_of(n) <= max_mb or n <= 1:
            return stride
        stride += 1
    return stride


def grid_cell(lat: np.ndarray, lon: np.ndarray) -> tuple[float, float]:
    step = lambda c: float(np.median(np.abs(np.diff(c)))) if np.size(c) > 1 else 1.0  # noqa: E731
    return step(lat), step(lon)


def decimation_note(points: Points, size_mb: float, max_mb: float) -> str:
    if not points.decimated:
        return ""
    return (
        f"The map shows every {points.stride}th grid point in latitude and longitude ({points.lat.size:,} of "
        f"{points.n_total:,} points): with all of them this page would be about {size_mb:.0f} MB, above the "
        f"{max_mb:g} MB of the config key explore.max_mb. Centres and envelopes use every profile."
    )


def margin_bytes(margin: np.ndarray) -> np.ndarray:
    margin = np.asarray(margin, dtype=float)
    stored = np.round(np.clip(margin, 0.0, 1.0) * MARGIN_STEPS)
    return np.where(np.isfinite(margin), stored, NO_VALUE).astype(np.uint8)


def quantize(values: np.ndarray) -> tuple[np.ndarray, float, float]:
    """int16 values and (scale, offset) with value = offset + scale * stored (NaN stored as -32768)."""
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    scale = (high - low) / 65000.0 or 1.0
    offset = 0.5 * (low + high)
    stored = np.where(np.isfinite(values), np.round((values - offset) / scale), -32768)
    return stored.astype(np.int16), scale, offset


def category_curves(profiles: np.ndarray, labels: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """(k, 5, n_depth): each centre, then the 5, 25, 75 and 95 % quantiles of its members at every depth."""
    k, n_depth = centers.shape
    curves = np.full((k, 1 + len(QUANTILES), n_depth), np.nan, dtype=np.float32)
    curves[:, 0] = centers
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(k + 1))
    for c in range(k):
        members = profiles[order[bounds[c] : bounds[c + 1]]]
        if members.shape[0]:
            curves[c, 1:] = np.quantile(members, QUANTILES, axis=0)
    return curves


def coastline_lines(
    lines: list[np.ndarray], extent: tuple[float, float, float, float], lon_0_360: bool, margin: float = 2.0
) -> list[np.ndarray]:
    """The parts of the basemap's lines (lon, lat) near the map's extent, in the model's longitude convention."""
    lon_min, lon_max, lat_min, lat_max = extent
    kept = []
    for line in lines:
        line = np.asarray(line, dtype=np.float64).copy()
        if lon_0_360:
            line[:, 0] = np.mod(line[:, 0], 360.0)
        # a line wrapped across the map's seam is cut there
        cuts = np.flatnonzero(np.abs(np.diff(line[:, 0])) > 180.0) + 1
        for part in np.split(line, cuts):
            inside = (
                (part[:, 0] >= lon_min - margin)
                & (part[:, 0] <= lon_max + margin)
                & (part[:, 1] >= lat_min - margin)
                & (part[:, 1] <= lat_max + margin)
            )
            if part.shape[0] > 1 and inside.any():
                kept.append(part.astype(np.float32))
    return kept


def model_points(profiles_ds: xr.Dataset, max_points_of) -> Points:
    """The profiles' grid points, every ``stride``-th in latitude and longitude where ``max_points_of`` asks."""
    lat_index = profiles_ds["profile_lat_index"].values.astype(np.int64)
    lon_index = profiles_ds["profile_lon_index"].values.astype(np.int64)
    stride = max_points_of(lat_index, lon_index)
    keep = np.flatnonzero((lat_index % stride == 0) & (lon_index % stride == 0))
    lat, lon = profiles_ds["latitude"].values, profiles_ds["longitude"].values
    dlat, dlon = grid_cell(lat, lon)
    return Points(
        lat=lat[lat_index[keep]].astype(np.float32),
        lon=lon[lon_index[keep]].astype(np.float32),
        lat_index=lat_index[keep],
        lon_index=lon_index[keep],
        profile=keep,
        cell=(dlat * stride, dlon * stride),
        stride=stride,
        n_total=lat_index.size,
    )


def model_page_data(
    model: str,
    profiles_ds: xr.Dataset,
    centers: dict[int, np.ndarray],
    labels: xr.Dataset,
    confidence: xr.Dataset,
    criteria: pd.DataFrame,
    selection: dict,
    categories: pd.DataFrame,
    basemap_lines: list[np.ndarray],
    max_mb: float,
    citation: str = "",
    thresholds: dict | None = None,
) -> ModelPage:
    """Everything the page of one model stores.

    ``centers``: k -> (k, n_depth) centre profiles of the fits; ``labels``/``confidence``: labels.nc and
    confidence.nc (k, latitude, longitude); the tables as gathered.
    """
    ks = [int(k) for k in labels["k"].values]
    # Several variables: the page draws the first one, in its own units (the categories come from all of them).
    shown = variable_blocks(profiles_ds)[0]
    profiles = shown.values(profiles_ds["profiles"].values)
    centers = {k: shown.values(values) for k, values in centers.items()}
    depth = shown.depth.astype(np.float32)
    n_curves = int(sum(ks))
    size_of = lambda n: page_megabytes(n, len(ks), depth.size, n_curves)  # noqa: E731
    full_mb = size_of(profiles.shape[0])
    points = model_points(profiles_ds, lambda li, lo: choose_stride(li, lo, size_of, max_mb))
    grid = (points.lat_index, points.lon_index)
    codes, margins, curves = {}, {}, []
    labels_of_profiles = labels["labels"].values[
        :, profiles_ds["profile_lat_index"].values, profiles_ds["profile_lon_index"].values
    ]
    for i, k in enumerate(ks):
        uncertain = confidence["uncertain"].values[i][grid] == 1
        codes[k] = labels["labels"].values[i][grid].astype(np.uint8) | (UNCERTAIN_BIT * uncertain).astype(np.uint8)
        margins[k] = margin_bytes(confidence["margin"].values[i][grid])
        curves.append(category_curves(profiles, labels_of_profiles[i], np.asarray(centers[k])))
    stored, scale, offset = quantize(profiles[points.profile])
    table = categories[categories["k"].isin(ks)].sort_values(["k", "category"]).reset_index(drop=True)
    lon = profiles_ds["longitude"].values
    extent = (float(points.lon.min()), float(points.lon.max()), float(points.lat.min()), float(points.lat.max()))
    knee = selection.get("knee")
    return ModelPage(
        model=model,
        citation=citation or str(selection.get("model_citation", "")),
        units=str(profiles_ds["profiles"].attrs.get("display_name") or shown.units)
        if not is_joint(profiles_ds)
        else f"{shown.name} {shown.units}",
        ks=ks,
        initial_k=int(knee) if knee in ks else ks[0],
        knee=int(knee) if knee is not None else None,
        preferred=dict(selection.get("preferred", {})),
        criteria=criteria[criteria["k"].isin(ks)].reset_index(drop=True),
        points=points,
        codes=codes,
        margins=margins,
        depth=depth,
        profiles=stored,
        profile_scale=scale,
        profile_offset=offset,
        categories=table,
        curves=np.concatenate(curves).astype(np.float32),
        uncertain_percent={k: float(v) for k, v in zip(ks, confidence["uncertain_area_percent"].values)},
        thresholds=dict(
            thresholds
            or {
                "margin": confidence.attrs.get("margin_threshold"),
                "coassignment": confidence.attrs.get("coassignment_threshold"),
            }
        ),
        coastlines=coastline_lines(basemap_lines, extent, bool(lon.max() > 180.0)),
        note=" ".join(filter(None, [joint_note(profiles_ds), decimation_note(points, full_mb, max_mb)])),
        estimated_mb=size_of(points.lat.size),
    )


def joint_note(profiles_ds: xr.Dataset) -> str:
    """What the profile panels of a joint fit show, or nothing for a single variable."""
    if not is_joint(profiles_ds):
        return ""
    names = [block.name for block in variable_blocks(profiles_ds)]
    return (
        f"The categories come from the joint fit of {', '.join(names)}; the profile panels show {names[0]}, the "
        f"first, in its own units (the profile figures of results/{profiles_ds.attrs.get('model', '')}/figures "
        "show every variable)."
    )


@dataclass
class ComparisonPage:
    """What the page of a comparison shows: every model's categories on the common grid at every k, and the vote."""

    name: str
    models: list[str]
    citation: str
    ks: list[int]
    initial_k: int
    points: Points
    codes: dict[tuple[int, int], np.ndarray]  # (model index, k) -> uint8 category, NO_VALUE where none
    votes: dict[int, np.ndarray]  # k -> uint8 number of models putting the point in their slowest category
    colors: dict[str, pd.DataFrame]  # model -> its categories.csv (k, category, color)
    elbows: dict[str, pd.DataFrame]  # model -> its criteria.csv (k, inertia)
    knees: dict[str, int | None]
    agreement: pd.DataFrame
    vote_k: list[int]
    coastlines: list[np.ndarray] = field(default_factory=list)
    note: str = ""
    estimated_mb: float = 0.0


def comparison_page_data(
    name: str,
    common: xr.Dataset,
    votes: xr.Dataset,
    categories: dict[str, pd.DataFrame],
    criteria: dict[str, pd.DataFrame],
    selections: dict[str, dict],
    agreement: pd.DataFrame,
    basemap_lines: list[np.ndarray],
    max_mb: float,
    citation: str = "",
) -> ComparisonPage:
    """``common``: the comparison's labels.nc (model, k, latitude, longitude); ``votes``: its vote.nc (the
    vote of its vote_k), recomputed here at every k by the same rule (tomoclust.compare.vote_dataset)."""
    from .compare import vote_dataset

    models = [str(m) for m in common["model"].values]
    ks = [int(k) for k in common["k"].values]
    cube = common["labels"].values  # model, k, lat, lon
    covered = (cube >= 0).any(axis=(0, 1))
    lat_index, lon_index = np.nonzero(covered)
    size_of = lambda n: page_megabytes(n, len(ks), 0, 0, n_values_per_k=len(models) + 1)  # noqa: E731
    stride = choose_stride(lat_index, lon_index, size_of, max_mb)
    full_mb = size_of(lat_index.size)
    keep = (lat_index % stride == 0) & (lon_index % stride == 0)
    total = lat_index.size
    lat_index, lon_index = lat_index[keep], lon_index[keep]
    lat, lon = common["latitude"].values, common["longitude"].values
    dlat, dlon = grid_cell(lat, lon)
    points = Points(
        lat=lat[lat_index].astype(np.float32),
        lon=lon[lon_index].astype(np.float32),
        lat_index=lat_index,
        lon_index=lon_index,
        profile=np.full(lat_index.size, -1),
        cell=(dlat * stride, dlon * stride),
        stride=stride,
        n_total=total,
    )
    every_k = vote_dataset(common, ks)
    codes = {
        (m, k): np.where(cube[m, i][lat_index, lon_index] >= 0, cube[m, i][lat_index, lon_index], NO_VALUE).astype(
            np.uint8
        )
        for m in range(len(models))
        for i, k in enumerate(ks)
    }
    vote_of = {k: every_k["slow_votes"].values[i][lat_index, lon_index].astype(np.uint8) for i, k in enumerate(ks)}
    extent = (float(points.lon.min()), float(points.lon.max()), float(points.lat.min()), float(points.lat.max()))
    knees = {m: selections[m].get("knee") for m in models}
    common_knees = [k for k in knees.values() if k in ks]
    return ComparisonPage(
        name=name,
        models=models,
        citation=citation or str(votes.attrs.get("model_citation") or common.attrs.get("model_citation", "")),
        ks=ks,
        initial_k=int(common_knees[0]) if common_knees else ks[0],
        points=points,
        codes=codes,
        votes=vote_of,
        colors={m: categories[m] for m in models},
        elbows={m: criteria[m][["k", "inertia"]] for m in models},
        knees=knees,
        agreement=agreement,
        vote_k=[int(k) for k in votes["k"].values],
        coastlines=coastline_lines(basemap_lines, extent, bool(lon.max() > 180.0)),
        note=decimation_note(points, full_mb, max_mb),
        estimated_mb=size_of(points.lat.size),
    )


def criteria_columns(criteria: pd.DataFrame) -> list[str]:
    """The criteria of criteria.csv besides inertia (silhouette, distortion, stability...), numeric ones only."""
    return [
        c
        for c in criteria.columns
        if c not in CRITERIA_SKIPPED and pd.api.types.is_numeric_dtype(criteria[c]) and criteria[c].notna().any()
    ]


def normalized(values: np.ndarray) -> np.ndarray:
    """0..1 over the k range (min to max), to draw criteria of different units on one axis."""
    values = np.asarray(values, dtype=float)
    low, high = np.nanmin(values), np.nanmax(values)
    return (values - low) / (high - low) if high > low else np.zeros_like(values)

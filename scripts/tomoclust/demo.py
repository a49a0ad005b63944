"""A synthetic Western-US shear-velocity model with known provinces.

The model follows the IRIS EMC netCDF conventions (``dvs`` in percent on
``depth, latitude, longitude``, depth in km positive down) so the workflow
can be run and checked on a fresh machine with no download. The ground
truth is stored as ``province`` so tests can score a clustering against it.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from .grid import NO_PROFILE

# Order matters: it is the integer stored in ``province``.
PROVINCES = (
    "basin_and_range",
    "colorado_plateau",
    "rocky_mountain_front_rio_grande_rift",
    "great_plains_craton",
    "cascadia_slab",
    "yellowstone_snake_river_plain",
)

DEFAULT_GRID = {
    "lon_min": -125.0,
    "lon_max": -100.0,
    "lat_min": 30.0,
    "lat_max": 50.0,
    "spacing": 0.2,
    "depth_min": 20.0,
    "depth_max": 800.0,
    "n_depth": 40,
}


def _gauss(z, center, width):
    return np.exp(-0.5 * ((z - center) / width) ** 2)


def province_profiles(depth_km: np.ndarray, lon: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """dvs(depth) in percent for every province.

    The Cascadia slab profile depends on longitude (the slab dips east), so
    it is returned per column when ``lon`` is given, otherwise at the trench.
    """
    z = np.asarray(depth_km, dtype=float)
    profiles = {
        "basin_and_range": -4.0 * _gauss(z, 100.0, 55.0) + 0.6 * _gauss(z, 500.0, 120.0),
        "colorado_plateau": 2.5 * _gauss(z, 70.0, 50.0) - 1.5 * _gauss(z, 220.0, 50.0),
        "rocky_mountain_front_rio_grande_rift": -2.2 * _gauss(z, 70.0, 45.0) + 0.8 * _gauss(z, 300.0, 80.0),
        "great_plains_craton": 3.8 * np.clip(1.0 - (z / 270.0) ** 3, 0.0, None) + 0.3,
        "yellowstone_snake_river_plain": -3.5 * _gauss(z, 90.0, 60.0) - 2.4 * np.clip(1.0 - z / 650.0, 0.0, None),
    }
    wedge = -1.8 * _gauss(z, 70.0, 35.0)
    if lon is None:
        slab_depth = np.array([150.0])
    else:
        # 150 km at the coast, ~380 km under the arc: a slab dipping east.
        slab_depth = 150.0 + (np.asarray(lon, dtype=float) + 124.5) * 55.0
    slab = 3.0 * _gauss(z[None, :], np.atleast_1d(slab_depth)[:, None], 90.0) + wedge[None, :]
    profiles["cascadia_slab"] = slab if lon is not None else slab[0]
    return profiles


def _coast_longitude(lat: np.ndarray) -> np.ndarray:
    """Approximate Pacific coast (lon east) as a function of latitude."""
    lat_knots = np.array([30.0, 32.5, 34.5, 36.5, 40.0, 43.0, 46.0, 50.0])
    lon_knots = np.array([-116.0, -117.1, -120.6, -121.9, -124.3, -124.5, -124.0, -125.5])
    return np.interp(lat, lat_knots, lon_knots)


def province_map(lat2d: np.ndarray, lon2d: np.ndarray) -> np.ndarray:
    """Integer province id on a lat/lon grid (no masking)."""
    prov = np.full(lat2d.shape, PROVINCES.index("basin_and_range"), dtype=np.int32)
    rocky = (lon2d >= -109.5) & (lon2d < -104.0)
    northern_rockies = (lat2d >= 44.5) & (lon2d >= -116.0) & (lon2d < -104.0)
    prov[rocky | northern_rockies] = PROVINCES.index("rocky_mountain_front_rio_grande_rift")
    prov[lon2d >= -104.0] = PROVINCES.index("great_plains_craton")
    plateau = ((lon2d + 110.8) / 2.6) ** 2 + ((lat2d - 36.8) / 2.4) ** 2 <= 1.0
    prov[plateau] = PROVINCES.index("colorado_plateau")
    cascadia = (lat2d >= 40.3) & (lon2d <= -121.0)
    prov[cascadia] = PROVINCES.index("cascadia_slab")
    # Snake River Plain: a band from south-west Idaho to the Yellowstone hotspot.
    a = np.array([-116.5, 43.0])
    b = np.array([-110.5, 44.6])
    ab = b - a
    t = np.clip(((lon2d - a[0]) * ab[0] + (lat2d - a[1]) * ab[1]) / (ab @ ab), 0.0, 1.0)
    dist = np.hypot(lon2d - (a[0] + t * ab[0]), lat2d - (a[1] + t * ab[1]))
    prov[dist <= 0.9] = PROVINCES.index("yellowstone_snake_river_plain")
    return prov


def _smooth_field(rng: np.random.Generator, shape: tuple[int, int], correlation_cells: float) -> np.ndarray:
    """Unit-variance Gaussian random field with a Gaussian correlation length."""
    white = rng.standard_normal(shape)
    ky = np.fft.fftfreq(shape[0])[:, None]
    kx = np.fft.fftfreq(shape[1])[None, :]
    spectrum = np.exp(-2.0 * (np.pi * correlation_cells) ** 2 * (kx**2 + ky**2))
    field = np.real(np.fft.ifft2(np.fft.fft2(white) * spectrum))
    return field / field.std()


def make_demo_model(
    seed: int = 20240601,
    spacing: float = DEFAULT_GRID["spacing"],
    n_depth: int = DEFAULT_GRID["n_depth"],
    heterogeneity_percent: float = 0.2,
    noise_percent: float = 0.15,
    blur_degrees: float = 0.3,
) -> xr.Dataset:
    """Build the synthetic model. Deterministic for a given seed and grid.

    ``spacing`` (degrees) scales the number of profiles: 0.2 gives ~11,000,
    0.05 ~180,000; the benchmark uses it to make bigger models.
    ``blur_degrees``: the province profiles are blended across their
    boundaries by a Gaussian of this width, as a tomographic inversion's
    smoothing does: a point near a boundary is between two provinces, as in a
    real model (``province`` keeps the sharp boundaries).
    """
    g = DEFAULT_GRID
    rng = np.random.default_rng(seed)
    n_lat = int(round((g["lat_max"] - g["lat_min"]) / spacing)) + 1
    n_lon = int(round((g["lon_max"] - g["lon_min"]) / spacing)) + 1
    lat = np.round(np.linspace(g["lat_min"], g["lat_max"], n_lat), 6)
    lon = np.round(np.linspace(g["lon_min"], g["lon_max"], n_lon), 6)
    depth = np.linspace(g["depth_min"], g["depth_max"], n_depth)
    lat2d, lon2d = np.meshgrid(lat, lon, indexing="ij")

    province = province_map(lat2d, lon2d)
    dvs = np.empty((n_depth, n_lat, n_lon))
    base = province_profiles(depth)
    for pid, name in enumerate(PROVINCES):
        inside = province == pid
        if name == "cascadia_slab":
            dvs[:, inside] = province_profiles(depth, lon2d[inside])["cascadia_slab"].T
        else:
            dvs[:, inside] = base[name][:, None]
    if blur_degrees > 0:
        from scipy.ndimage import gaussian_filter

        dvs = gaussian_filter(dvs, sigma=(0.0, blur_degrees / spacing, blur_degrees / spacing), mode="nearest")

    # Lateral heterogeneity ~1° correlation, strongest in the lithosphere.
    correlation_cells = 1.0 / spacing
    depth_taper = 0.4 + 0.6 * _gauss(depth, 100.0, 150.0)
    for _ in range(2):
        field = _smooth_field(rng, (n_lat, n_lon), correlation_cells)
        shape_in_depth = np.sin(
            np.pi * (depth - depth[0]) / (depth[-1] - depth[0]) * rng.uniform(0.5, 2.0) + rng.uniform(0, np.pi)
        )
        dvs += heterogeneity_percent / np.sqrt(2) * (depth_taper * shape_in_depth)[:, None, None] * field[None]
    dvs += noise_percent * rng.standard_normal(dvs.shape)

    # No data offshore, and a ragged eastern and southern edge as in real models.
    offshore = lon2d < _coast_longitude(lat2d)
    edge_east = g["lon_max"] - 0.6 - 0.4 * _smooth_field(rng, (n_lat, 1), correlation_cells)[:, :1]
    ragged = lon2d > edge_east
    edge_south = g["lat_min"] + 0.4 + 0.3 * _smooth_field(rng, (1, n_lon), correlation_cells)[:1, :]
    ragged |= lat2d < edge_south
    no_data = offshore | ragged
    dvs[:, no_data] = np.nan
    # A band just inside the ragged edge lost its deepest values (incomplete profiles).
    near_edge = ~no_data & ((lon2d > edge_east - 0.4) | (lat2d < edge_south + 0.3))
    deep = depth > 600.0
    dvs[deep[:, None, None] & near_edge[None, :, :]] = np.nan
    province = np.where(np.isfinite(dvs).all(axis=0), province, NO_PROFILE).astype(np.int32)

    ds = xr.Dataset(
        data_vars={
            "dvs": (
                ("depth", "latitude", "longitude"),
                dvs.astype(np.float32),
                {
                    "long_name": "Shear-wave velocity perturbation",
                    "display_name": "dVs (%)",
                    "standard_name": "seismic_shear_wave_velocity_perturbation",
                    "units": "percent",
                },
            ),
            "province": (
                ("latitude", "longitude"),
                province,
                {
                    "long_name": "Ground-truth tectonic province of the synthetic model",
                    "flag_values": np.arange(len(PROVINCES), dtype=np.int32),
                    "flag_meanings": " ".join(PROVINCES),
                    "missing_value": np.int32(NO_PROFILE),
                },
            ),
        },
        coords={
            "depth": ("depth", depth, {"long_name": "depth below earth surface", "units": "km", "positive": "down"}),
            "latitude": (
                "latitude",
                lat,
                {"long_name": "Latitude; positive north", "units": "degrees_north", "standard_name": "latitude"},
            ),
            "longitude": (
                "longitude",
                lon,
                {"long_name": "Longitude; positive east", "units": "degrees_east", "standard_name": "longitude"},
            ),
        },
        attrs={
            "title": "Synthetic Western-US shear-velocity model (demo for tomography clustering)",
            "id": "wus_synthetic",
            "summary": (
                "Six provinces with distinct dVs(depth) profiles (Basin and Range, Colorado Plateau, "
                "Rocky Mountain front / Rio Grande rift, Great Plains craton, Cascadia slab, "
                "Yellowstone-Snake River Plain), plus smooth lateral heterogeneity and noise. "
                "Synthetic: not a real Earth model."
            ),
            # Named as the IRIS EMC names a model's authors and reference, so the demo's figures say what they show.
            "author_name": "tomography k-means workflow (synthetic demo)",
            "reference": "Synthetic model made by tomoclust.demo.make_demo_model; "
            "not a published Earth model, cite none",
            "Conventions": "CF-1.8",
            "source": f"tomoclust.demo.make_demo_model(seed={seed}, spacing={spacing}, n_depth={n_depth})",
            "geospatial_lat_min": float(lat[0]),
            "geospatial_lat_max": float(lat[-1]),
            "geospatial_lat_units": "degrees_north",
            "geospatial_lat_resolution": spacing,
            "geospatial_lon_min": float(lon[0]),
            "geospatial_lon_max": float(lon[-1]),
            "geospatial_lon_units": "degrees_east",
            "geospatial_lon_resolution": spacing,
            "geospatial_vertical_min": float(depth[0]),
            "geospatial_vertical_max": float(depth[-1]),
            "geospatial_vertical_units": "km",
            "geospatial_vertical_positive": "down",
        },
    )
    return ds

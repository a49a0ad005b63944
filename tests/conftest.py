"""Shared fixtures and helpers: the workflow's modules on sys.path, small hand-made models, and running the workflow.

Markers (pytest.ini): ``workflow`` runs Snakemake (a copy of the workflow, a dry run, a lint, a parse of the rules);
``slurm`` needs a SLURM cluster, ``browser`` headless Chromium, ``real_models`` the models in ../shared. The fast
loop is ``pytest -m "not workflow"``.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"
SHARED_MODELS = SHARED / "data" / "models"
sys.path.insert(0, str(PROJECT / "scripts"))

needs_shared_models = pytest.mark.skipif(
    not (SHARED_MODELS / "SEMum_vs.nc").is_file(),
    reason=f"real tomography models not found at {SHARED_MODELS} (../shared is absent on this machine)",
)
WORKFLOW_FILES = (
    "Snakefile",
    "config.yaml",
    "rules",
    "scripts",
    "schemas",
    "envs",
    "report",
    "profiles",
    "resources/basemap",
)


# --- Running the workflow (the tests marked workflow) ------------------------------------------------------------


def copy_workflow(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in WORKFLOW_FILES:
        src = PROJECT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    return dest


def snakemake(workdir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", *args],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result


def assert_same_results(a: Path, b: Path, model: str = "small") -> None:
    """Fits (labels, centres, inertia), inertia.csv and labels.nc of two workdirs are bit-identical."""
    # The fits of k.min..k.max; beyond k.max each layout of jobs fits the rest of its last chunk.
    ks = pd.read_csv(a / "results" / model / "inertia.csv")["k"].tolist()
    fits = [a / "results" / model / "fits" / f"k{k}.nc" for k in ks]
    assert fits
    for fit in fits:
        with xr.open_dataset(fit) as x, xr.open_dataset(b / "results" / model / "fits" / fit.name) as y:
            np.testing.assert_array_equal(x["labels"].values, y["labels"].values)
            np.testing.assert_array_equal(x["centers"].values, y["centers"].values)
            assert float(x["inertia"]) == float(y["inertia"])
    pd.testing.assert_frame_equal(
        pd.read_csv(a / "results" / model / "inertia.csv"), pd.read_csv(b / "results" / model / "inertia.csv")
    )
    with (
        xr.open_dataset(a / "results" / model / "labels.nc") as x,
        xr.open_dataset(b / "results" / model / "labels.nc") as y,
    ):
        np.testing.assert_array_equal(x["labels"].values, y["labels"].values)


def write_config(path: Path, k_max: int, **overrides) -> Path:
    config = {
        "models": [
            {
                "name": "small",
                "path": "resources/demo/wus_synthetic.nc",
                "variable": "dvs",
                "region": {"lat": [36, 44], "lon": [-118, -108]},
                "depth": [20, 600],
            }
        ],
        "k": {"min": 2, "max": k_max},
        "maps": {"pdf": [3]},
        **overrides,
    }
    path.write_text(yaml.safe_dump(config))
    return path


def value_at(cube: xr.Dataset, lat: float, lon: float, k: int, variable: str = "labels") -> int:
    """``variable`` at k at the grid point nearest (lat, lon), longitude in either convention (labels.nc, vote.nc)."""
    lat_index = int(np.abs(cube["latitude"].values - lat).argmin())
    lon_index = int(np.abs((cube["longitude"].values - lon + 180.0) % 360.0 - 180.0).argmin())
    return int(cube[variable].sel(k=k).isel(latitude=lat_index, longitude=lon_index))


# --- Servers and models ------------------------------------------------------------------------------------------


@contextmanager
def serve_directory(directory: Path):
    """A real HTTP server on localhost serving ``directory``; yields (base URL, list of the paths requested)."""
    requested: list[str] = []

    class Handler(SimpleHTTPRequestHandler):
        def do_GET(self):
            requested.append(self.path)
            super().do_GET()

        def log_message(self, *args):  # quiet: pytest shows failures, not access logs
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requested
    finally:
        server.shutdown()
        server.server_close()


def closed_port_url(path: str = "model.nc") -> str:
    """A URL on localhost where nothing listens: what an offline machine sees (the connection is refused at once)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/{path}"


def assert_colors_follow_category_order(categories_csv: Path) -> None:
    """Every k of a categories.csv (the colours of every map and profile figure): colours run along the palette from
    red to blue in category order (velocity order, category 0 the slowest), read back from the hex colours."""
    import pandas as pd
    from matplotlib.colors import to_rgb

    from tomoclust.colors import palette_colors

    samples = np.linspace(0.0, 1.0, 2001)
    palette = palette_colors(samples)[:, :3]
    table = pd.read_csv(categories_csv)
    for k, rows in table.groupby("k"):
        rgb = np.array([to_rgb(c) for c in rows.sort_values("category")["color"]])
        along = samples[np.argmin(((rgb[:, None, :] - palette[None, :, :]) ** 2).sum(axis=2), axis=1)]
        assert np.all(np.diff(along) > 0), f"{categories_csv}, k={k}: colours out of velocity order {along.round(3)}"
        assert along[0] < 0.01 and along[-1] > 0.99, (
            f"{categories_csv}, k={k}: slowest not the reddest or fastest not the bluest"
        )
        centers = rows.sort_values("category")["center_depth_mean"].to_numpy()
        assert np.all(np.diff(centers) >= 0), f"{categories_csv}, k={k}: category ids not in velocity order"


def small_global_model(n_depth: int = 5, step: float = 30.0) -> xr.Dataset:
    """A global model on lon -180..180 (both ends present), lat -90..90, with a few NaN profiles."""
    lat = np.arange(-90.0, 90.0 + step / 2, step)
    lon = np.arange(-180.0, 180.0 + step / 2, step)
    depth = np.linspace(50.0, 650.0, n_depth)
    rng = np.random.default_rng(1)
    values = rng.normal(size=(n_depth, lat.size, lon.size))
    # The +180 column is the same meridian as -180: same data, as in real files.
    values[:, :, -1] = values[:, :, 0]
    values[:, 1, 2] = np.nan  # an empty profile
    values[-1, 2, 3] = np.nan  # an incomplete one
    return xr.Dataset(
        {"vs": (("depth", "latitude", "longitude"), values.astype(np.float32), {"units": "percent"})},
        coords={
            "depth": ("depth", depth, {"units": "km", "positive": "down"}),
            "latitude": ("latitude", lat, {"units": "degrees_north"}),
            "longitude": ("longitude", lon, {"units": "degrees_east"}),
        },
    )


def two_variable_model() -> tuple[xr.Dataset, np.ndarray]:
    """Four provinces in quadrants: 0 the reference, 1 slow in Vs only, 2 slow in Vp only, 3 fast in Vs only.

    dvs in percent, vp in km/s with a lateral spread 40 times larger: a plain join would follow vp alone.
    """
    lat = np.arange(30.0, 50.0, 0.5)
    lon = np.arange(-120.0, -100.0, 0.5)
    depth = np.linspace(50.0, 600.0, 12)
    lat2d, lon2d = np.meshgrid(lat, lon, indexing="ij")
    province = (lat2d >= 40).astype(int) * 2 + (lon2d >= -110).astype(int)
    bump = np.exp(-0.5 * ((depth - 150.0) / 80.0) ** 2)
    rng = np.random.default_rng(4)
    dvs = np.zeros((depth.size, lat.size, lon.size))
    dvp = np.zeros_like(dvs)
    dvs[:, province == 1] = -2.0 * bump[:, None]
    dvp[:, province == 2] = -2.0 * bump[:, None]
    dvs[:, province == 3] = 2.0 * bump[:, None]
    dvs += 0.15 * rng.standard_normal(dvs.shape)
    vp = 10.0 + 40.0 * (0.01 * dvp) * 10.0 + 0.15 * rng.standard_normal(dvp.shape) * 0.4  # km/s-like, large spread
    ds = xr.Dataset(
        {
            "dvs": (("depth", "latitude", "longitude"), dvs.astype(np.float32), {"units": "percent"}),
            "vp": (("depth", "latitude", "longitude"), vp.astype(np.float32), {"units": "km/s"}),
        },
        coords={
            "depth": ("depth", depth, {"units": "km", "positive": "down"}),
            "latitude": ("latitude", lat, {"units": "degrees_north"}),
            "longitude": ("longitude", lon, {"units": "degrees_east"}),
        },
        attrs={"title": "two-variable test model", "id": "vs_vp_test"},
    )
    return ds, province


# --- Synthetic global models with two planted slow bodies (the 3-D vote) -------------------------------------

CENTRES = ((0.0, 20.0), (0.0, -160.0))  # an "African" and a "Pacific" body, antipodal


def planted_radius(depth):
    """Angular radius (degrees) of each planted body: 18 deg at 1000 km widening to 40 deg at 2800 km."""
    return 18.0 + 22.0 * (np.asarray(depth, dtype=float) - 1000.0) / 1800.0


def planted_share(depth):
    """Share of the sphere inside the two bodies at a depth (two caps of angular radius theta: 1 - cos theta)."""
    return 1.0 - np.cos(np.radians(planted_radius(depth)))


def planted_volume(top, bottom):
    """Volume (km³) of the two bodies between two depths, by quadrature."""
    from tomoclust.preprocess import EARTH_RADIUS_KM

    depth = np.linspace(top, bottom, 2001)
    integrand = planted_share(depth) * 4 * np.pi * (EARTH_RADIUS_KM - depth) ** 2
    return float(np.sum(0.5 * (integrand[1:] + integrand[:-1]) * np.diff(depth)))


def angular_distance(lat, lon, lat0, lon0):
    lat, lon, lat0, lon0 = map(np.radians, (lat, lon, lat0, lon0))
    cos = np.sin(lat) * np.sin(lat0) + np.cos(lat) * np.cos(lat0) * np.cos(lon - lon0)
    return np.degrees(np.arccos(np.clip(cos, -1, 1)))


def noisy_model(step_deg, lon_start, radius_change, shift, seed):
    """A global Vs-like model: -1 inside the bodies (radius changed by ``radius_change`` degrees, centres shifted by
    ``shift`` degrees of longitude), 0 outside, Gaussian noise of 0.25 everywhere."""
    lat = np.arange(-90.0 + step_deg / 2, 90.0, step_deg)
    lon = np.arange(lon_start, lon_start + 360.0 - 1e-9, step_deg)
    depth = np.arange(1000.0, 2801.0, 100.0)
    inside = np.zeros((depth.size, lat.size, lon.size), dtype=bool)
    for lat0, lon0 in CENTRES:
        distance = angular_distance(lat[:, None], lon[None, :], lat0, lon0 + shift)
        inside |= distance[None] <= (planted_radius(depth) + radius_change)[:, None, None]
    rng = np.random.default_rng(seed)
    values = np.where(inside, -1.0, 0.0) + 0.25 * rng.standard_normal(inside.shape)
    return xr.Dataset(
        {"dvs": (("depth", "latitude", "longitude"), values.astype(np.float32), {"units": "percent"})},
        coords={
            "depth": ("depth", depth, {"units": "km", "positive": "down"}),
            "latitude": ("latitude", lat, {"units": "degrees_north"}),
            "longitude": ("longitude", lon, {"units": "degrees_east"}),
        },
        attrs={"title": f"synthetic model {seed}", "reference": "none: a test model"},
    )


@pytest.fixture(scope="session")
def demo_model():
    from tomoclust.demo import make_demo_model

    return make_demo_model()


@pytest.fixture(scope="session")
def demo_extracted(tmp_path_factory, demo_model):
    """profiles.nc of the demo model, extracted once for every test that reads it."""
    from tomoclust.extract import ModelSpec, extract_model

    path = tmp_path_factory.mktemp("demo") / "demo.nc"
    demo_model.to_netcdf(path)
    return extract_model(ModelSpec(name="demo", path=str(path), variable="dvs"))


@pytest.fixture(scope="session")
def demo_fits(demo_extracted):
    """The demo's euclidean fits of k = 2..20 (seed 0, margins too), fitted once for every test that reads them.

    With the sklearn engine: the tests that read these judge what a fit gives (provinces, knee, order, margins,
    criteria), which both engines give (tests/test_engines.py holds them to each other on the demo), and it fits
    in a tenth of tslearn's time, which keeps the fast loop fast.
    """
    from tomoclust.fit import fit_kmeans

    X, depth = demo_extracted["profiles"].values, demo_extracted["depth"].values
    return {k: fit_kmeans(X, depth, k, random_state=0, with_margin=True, engine="sklearn") for k in range(2, 21)}


@pytest.fixture
def small_model_file(tmp_path):
    path = tmp_path / "global.nc"
    small_global_model().to_netcdf(path)
    return path


@pytest.fixture
def served_model(tmp_path):
    """A small model file on a local HTTP server: (URL, its sha256, the list of requests the server received)."""
    served = tmp_path / "served"
    served.mkdir()
    small_global_model().to_netcdf(served / "model.nc")
    digest = hashlib.sha256((served / "model.nc").read_bytes()).hexdigest()
    with serve_directory(served) as (base_url, requested):
        yield f"{base_url}/model.nc", digest, requested

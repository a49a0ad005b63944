"""Shared fixtures: the workflow's modules on sys.path, small hand-made models."""
from __future__ import annotations

import functools
import sys
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"
SHARED_MODELS = SHARED / "data" / "models"
sys.path.insert(0, str(PROJECT / "scripts"))

needs_shared_models = pytest.mark.skipif(
    not (SHARED_MODELS / "SEMum_vs.nc").is_file(),
    reason=f"real tomography models not found at {SHARED_MODELS} (../shared is absent on this machine)",
)


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


def assert_colours_follow_category_order(categories_csv: Path) -> None:
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
        assert along[0] < 0.01 and along[-1] > 0.99, f"{categories_csv}, k={k}: slowest not the reddest or fastest not the bluest"
        centres = rows.sort_values("category")["center_depth_mean"].to_numpy()
        assert np.all(np.diff(centres) >= 0), f"{categories_csv}, k={k}: category ids not in velocity order"


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


@pytest.fixture(scope="session")
def demo_model():
    from tomoclust.demo import make_demo_model

    return make_demo_model()


@pytest.fixture
def small_model_file(tmp_path):
    path = tmp_path / "global.nc"
    small_global_model().to_netcdf(path)
    return path

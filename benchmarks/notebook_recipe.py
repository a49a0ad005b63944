"""The notebook this workflow replaces, as one script: the performance baseline.

Load the model with xarray, stack the complete depth profiles, fit
TimeSeriesKMeans(k, euclidean (or dtw), max_iter=10, random_state=0) for every k in a
serial loop (or with dask.delayed on a distributed.Client, as the original
analysis did), plot inertia against k, and save one cartopy category map PNG
per k with 110m coastlines.

    python benchmarks/notebook_recipe.py MODEL.nc VARIABLE OUTDIR [--k-min 3 --k-max 50] [--metric dtw] [--dask N]
"""

import argparse
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore", message="h5py not installed")

import cartopy.crs as ccrs  # noqa: E402
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402
from tslearn.clustering import TimeSeriesKMeans  # noqa: E402


def fit(X, k, max_iter, metric="euclidean"):
    km = TimeSeriesKMeans(n_clusters=k, metric=metric, max_iter=max_iter, random_state=0).fit(X)
    return k, km.labels_, km.inertia_


def save_map(lat, lon, grid, k, path):
    fig = plt.figure(figsize=(8, 5))
    ax = plt.axes(projection=ccrs.PlateCarree())
    ax.pcolormesh(lon, lat, grid, transform=ccrs.PlateCarree(), cmap="tab20")
    ax.coastlines("110m")
    ax.set_title(f"k = {k}")
    plt.savefig(path)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("variable")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--k-min", type=int, default=3)
    parser.add_argument("--k-max", type=int, default=50)
    parser.add_argument("--max-iter", type=int, default=10)
    parser.add_argument("--metric", default="euclidean", help="euclidean (the notebook's) or dtw")
    parser.add_argument(
        "--dask", type=int, default=0, help="fit with dask.delayed on a distributed.Client of N workers"
    )
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()

    da = xr.open_dataset(args.model)[args.variable]
    lat_name = "latitude" if "latitude" in da.dims else "lat"
    lon_name = "longitude" if "longitude" in da.dims else "lon"
    stacked = da.stack(profile=(lat_name, lon_name)).transpose("profile", "depth")
    values = stacked.values
    complete = np.isfinite(values).all(axis=1)
    X = values[complete][:, :, np.newaxis]
    lat, lon = da[lat_name].values, da[lon_name].values
    ks = list(range(args.k_min, args.k_max + 1))

    if args.dask:
        import dask
        from distributed import Client

        with Client(n_workers=args.dask, threads_per_worker=1, processes=True, dashboard_address=None):
            results = dask.compute(*[dask.delayed(fit)(X, k, args.max_iter, args.metric) for k in ks])
    else:
        results = [fit(X, k, args.max_iter, args.metric) for k in ks]

    inertia = []
    for k, labels, k_inertia in results:
        inertia.append(k_inertia)
        full = np.full(values.shape[0], np.nan)
        full[complete] = labels
        save_map(lat, lon, full.reshape(lat.size, lon.size), k, args.outdir / f"map_k{k}.png")
    plt.figure()
    plt.plot(ks, inertia, "o-")
    plt.xlabel("k")
    plt.ylabel("inertia")
    plt.savefig(args.outdir / "elbow.png")
    print(f"notebook recipe: {len(ks)} fits and maps in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()

"""Reading and writing the workflow's own files: profiles.nc, fits, tables.

Every rule script reads and writes through here; the domain modules take and
return arrays, datasets and tables, never paths. (Reading a model file as it
comes, with its many conventions, is the extraction's job: tomoclust.extract.)
Writes are atomic: a killed job never leaves a file that looks complete.
(Downloading a model file is tomoclust.download's.)
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # xarray is imported where a netCDF file is read: the table-only jobs start faster
    import xarray as xr


def read_dataset(path: str | os.PathLike, variables: list[str] | None = None) -> xr.Dataset:
    """A netCDF file (or only ``variables`` and their coordinates) in memory, the file closed again."""
    import xarray as xr

    with xr.open_dataset(path) as ds:
        return (ds if variables is None else ds[variables]).load()


def read_fits(paths) -> dict[int, xr.Dataset]:
    """The fits ``fits/k{k}.nc`` keyed by their k (read from the file, not the name)."""
    fits = {}
    for path in paths:
        fit = read_dataset(path)
        fits[int(fit["k"])] = fit
    return dict(sorted(fits.items()))


def read_figure_inputs(
    profiles_path, fit_paths, categories_path
) -> tuple[xr.Dataset, dict[int, xr.Dataset], pd.DataFrame]:
    """What a job drawing the per-k figures of a chunk reads: profiles.nc, the chunk's fits, categories.csv."""
    return read_dataset(profiles_path), read_fits(fit_paths), read_table(categories_path)


def k_of_path(path: str | os.PathLike, extensions: tuple[str, ...] = ("nc",)) -> int:
    """k of a per-k file (``fits/k{k}.nc``, ``maps/k{k}.png``) from its name alone, to choose files before opening
    them."""
    match = re.fullmatch(rf"k(\d+)\.({'|'.join(extensions)})", Path(path).name)
    if match is None:
        raise ValueError(f"{path} is not a per-k figure or fit file named k{{k}}.{'/'.join(extensions)}")
    return int(match.group(1))


def read_attributes(path: str | os.PathLike, names: tuple[str, ...]) -> dict:
    """Global attributes of a netCDF file (those of ``names`` it has), without reading any data."""
    import netCDF4

    with netCDF4.Dataset(path) as ds:
        return {name: ds.getncattr(name) for name in names if name in ds.ncattrs()}


def read_citation(path: str | os.PathLike) -> str:
    """The ``model_citation`` an output carries (netCDF global attribute, or key of k_selection.json): for captions."""
    if str(path).endswith(".json"):
        return str(read_json(path).get("model_citation", ""))
    return str(read_attributes(path, ("model_citation",)).get("model_citation", ""))


def read_json(path: str | os.PathLike) -> dict:
    with open(path) as handle:
        return json.load(handle)


def read_table(path: str | os.PathLike) -> pd.DataFrame:
    return pd.read_csv(path)


@contextmanager
def atomic_path(final: str | os.PathLike):
    """Yield a temporary path beside ``final``; rename onto ``final`` only on success."""
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    for stale in final.parent.glob(f".{final.name}.*.part"):  # left by a job killed with SIGKILL
        stale.unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".part", dir=final.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, final)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_netcdf(ds: xr.Dataset, path: str | os.PathLike) -> None:
    """Write a dataset atomically, compressed, NETCDF4 format."""
    encoding = {
        name: {"zlib": True, "complevel": 4}
        for name, var in ds.data_vars.items()
        if var.ndim >= 1 and var.dtype.kind in "fiu"
    }
    with atomic_path(path) as tmp:
        ds.to_netcdf(tmp, format="NETCDF4", engine="netcdf4", encoding=encoding)


def write_text(text: str, path: str | os.PathLike) -> None:
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text)


def write_table(table: pd.DataFrame, path: str | os.PathLike, float_format: str | None = None) -> None:
    write_text(table.to_csv(index=False, float_format=float_format), path)


def write_json(data: dict, path: str | os.PathLike) -> None:
    write_text(json.dumps(data, indent=2) + "\n", path)


def read_shapefile_lines(path: str | os.PathLike) -> list:
    """Every part of every shape of a shapefile (the shipped Natural Earth basemap) as an (n, 2) lon, lat array."""
    import numpy as np
    import shapefile  # pyshp

    lines = []
    with shapefile.Reader(str(path)) as reader:
        for shape in reader.iterShapes():
            points = np.asarray(shape.points, dtype=float)
            bounds = [*shape.parts, len(points)]
            lines.extend(points[start:end] for start, end in zip(bounds[:-1], bounds[1:]) if end - start > 1)
    return lines

"""Provenance recorded in every output: config, input checksum, versions."""
from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

TRACKED_PACKAGES = ("numpy", "xarray", "netCDF4", "dask", "tslearn", "scikit-learn", "kneed", "matplotlib", "cartopy", "snakemake")


def sha256sum(path: str | os.PathLike, block_size: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(block_size), b""):
            digest.update(block)
    return digest.hexdigest()


def software_versions(packages: tuple[str, ...] = TRACKED_PACKAGES) -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in packages:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def provenance_attrs(config: dict, inputs: dict[str, str] | None = None) -> dict[str, str]:
    """Global attributes for a netCDF output (all strings, so any reader keeps them)."""
    attrs = {
        "workflow": "tomography k-means clustering (Snakemake)",
        "workflow_config": json.dumps(config, sort_keys=True, default=str),
        "software_versions": json.dumps(software_versions(), sort_keys=True),
        "date_created": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
    }
    for label, path in (inputs or {}).items():
        attrs[f"{label}_file"] = str(path)
        attrs[f"{label}_sha256"] = sha256sum(path)
    return attrs


@contextmanager
def atomic_path(final: str | os.PathLike):
    """Yield a temporary path beside ``final``; rename onto ``final`` only on success.

    A killed job then never leaves a file that looks complete.
    """
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


def write_netcdf(ds, path: str | os.PathLike) -> None:
    """Write a dataset atomically, compressed, with NETCDF4 format."""
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

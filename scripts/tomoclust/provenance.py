"""Provenance recorded in every output: config, input checksum, versions."""
from __future__ import annotations

import hashlib
import json
import os
import platform
from datetime import datetime, timezone
from importlib import metadata

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

"""Provenance recorded in every output: config, input checksum, versions."""

from __future__ import annotations

import hashlib
import json
import os
import platform
from datetime import datetime, timezone
from importlib import metadata

# The IRIS EMC global attributes that say which model a file holds and whom to cite, whichever a file has.
CITATION_ATTRS = (
    "title",
    "id",
    "reference",
    "references",
    "reference_pid",
    "author_name",
    "acknowledgment",
    "data_revision",
)
CITATION_PREFIX = "model_"
TRACKED_PACKAGES = (
    "numpy",
    "xarray",
    "netCDF4",
    "dask",
    "tslearn",
    "scikit-learn",
    "kneed",
    "matplotlib",
    "cartopy",
    "snakemake",
)


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


def model_citation_attrs(source_attrs: dict, file_name: str) -> dict[str, str]:
    """The model file's citation attributes as ``model_title``, ``model_reference_pid``..., plus ``model_citation``:
    one line naming the model and whom to cite, for captions and figure metadata."""
    found = {
        f"{CITATION_PREFIX}{name}": " ".join(str(source_attrs[name]).split())
        for name in CITATION_ATTRS
        if str(source_attrs.get(name, "")).strip()
    }
    found[f"{CITATION_PREFIX}citation"] = citation_text(found, file_name)
    return found


def citation_text(citation: dict[str, str], file_name: str) -> str:
    """``id: title. authors. reference. doi:... . references. data revision ...`` from the ``model_*`` attributes."""
    get = lambda name: citation.get(f"{CITATION_PREFIX}{name}", "")  # noqa: E731
    head = ": ".join(part for part in (get("id"), get("title")) if part) or file_name
    doi = get("reference_pid")
    if doi and not doi.lower().startswith(("doi:", "http")):
        doi = f"doi:{doi}"
    parts = [
        head,
        get("author_name"),
        get("reference"),
        doi,
        get("references"),
        f"data revision {get('data_revision')}" if get("data_revision") else "",
    ]
    if not any(get(name) for name in ("reference", "references", "reference_pid", "author_name")):
        parts.append(
            f"(the file {file_name} names no reference: none of reference, references, reference_pid, author_name)"
        )
    return ". ".join(part.rstrip(".") for part in parts if part)


def carried_citation(attrs: dict) -> dict[str, str]:
    """The ``model_*`` citation attributes of an upstream output, to copy into the next one."""
    return {name: value for name, value in attrs.items() if name.startswith(CITATION_PREFIX)}

"""Downloading a model file given by its URL (the download_model rule): pooch, its checksum, and a log of its own.

Runs in Snakemake's own process (the rule's ``run:`` block, rules/download.smk), never in a rule's job: pooch is
needed only where a model is downloaded.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path


class DownloadError(RuntimeError):
    """A model file that could not be downloaded, or not the file its checksum names."""


def download_file(url: str, destination: str | os.PathLike, sha256: str | None = None) -> str:
    """Download ``url`` to ``destination`` with pooch; returns the file's SHA-256.

    pooch writes to a temporary file beside the destination and moves it into
    place only once complete and matching ``sha256``: a failed or mismatching
    download leaves no file behind. A destination already there and matching is
    reused without a request.
    """
    import pooch
    import requests

    from .provenance import sha256sum

    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    by_hand = f"put the file at {destination} by hand" + (f" (sha256 {sha256})" if sha256 else "")
    try:
        pooch.retrieve(
            url,
            known_hash=f"sha256:{sha256}" if sha256 else None,
            fname=destination.name,
            path=destination.parent,
            progressbar=False,
        )
    except requests.exceptions.RequestException as error:
        raise DownloadError(
            f"cannot download {url}: {type(error).__name__}: {error}. Without internet (an offline laptop, a compute "
            f"node), download it elsewhere and {by_hand}, then run again"
        ) from error
    except ValueError as error:  # pooch: the downloaded file's hash is not the known one
        if "hash" not in str(error).lower():
            raise
        raise DownloadError(
            f"{url} downloaded, but it is not the file the config names: {error}. Nothing was kept at {destination}. "
            f"Check the URL and `sha256` (a new data revision of the model has a new checksum), or {by_hand}"
        ) from error
    return sha256sum(destination)


def fetch_model(destination: str | os.PathLike, source: dict, log_path: str | os.PathLike) -> None:
    """The download_model rule's code: ``source`` = {url, sha256, models} (config.model_downloads), logged to
    ``log_path``.

    Runs in Snakemake's own process (a localrule's ``run:``), so it logs to its file through its own handler and
    leaves Snakemake's logging alone.
    """
    log = logging.getLogger("tomoclust.download")
    log.setLevel(logging.INFO)
    handler = logging.FileHandler(log_path, mode="w")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    models = ", ".join(source["models"])
    try:
        log.info("models %s: downloading %s to %s", models, source["url"], destination)
        try:
            digest = download_file(source["url"], destination, source.get("sha256"))
        except DownloadError as error:
            keys = " / ".join(f"`models[name={name}].url`" for name in source["models"])
            message = f"models {models} ({keys}): {error}"
            log.error(message)
            raise DownloadError(message) from None
        if source.get("sha256"):
            log.info("checksum verified: sha256 %s", digest)
        else:
            log.warning(
                "no `sha256` in the config for models %s; this file's is %s: add `sha256: %s` to pin it",
                models,
                digest,
                digest,
            )
    finally:
        log.removeHandler(handler)
        handler.close()

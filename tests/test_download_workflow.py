"""Models by address, run by the workflow: downloaded once from a real local HTTP server, offline, put by hand."""

import hashlib
import time

import numpy as np
import pytest
import xarray as xr
import yaml

from conftest import closed_port_url, copy_workflow, small_global_model, snakemake

pytestmark = pytest.mark.workflow


def test_the_workflow_downloads_a_model_once_and_clusters_it(served_model, tmp_path):
    """End to end: a config whose model is on the local HTTP server; a second run fetches nothing."""
    url, digest, requested = served_model
    workdir = copy_workflow(tmp_path / "work")
    config = {
        "models": [{"name": "remote", "url": url, "sha256": digest, "variable": "vs"}],
        "k": {"min": 2, "max": 3},
        "k_per_job": 2,
        "maps": {"pdf": "none"},
        "stability": {"restarts": 0},
    }
    (workdir / "remote.yaml").write_text(yaml.safe_dump(config))
    snakemake(workdir, "results/remote/labels.nc", "--configfile", "remote.yaml")
    downloaded = workdir / "resources" / "models" / "model.nc"
    assert hashlib.sha256(downloaded.read_bytes()).hexdigest() == digest
    assert "checksum verified" in (workdir / "resources" / "models" / "logs" / "model.nc.log").read_text()
    with xr.open_dataset(workdir / "results" / "remote" / "labels.nc") as labels:
        assert labels.attrs["source_sha256"] == digest
        assert set(np.unique(labels["labels"].sel(k=3).values)) >= {0, 1, 2}
    result = snakemake(workdir, "results/remote/labels.nc", "--configfile", "remote.yaml")
    assert requested == ["/model.nc"] and "Nothing to be done" in result.stdout + result.stderr


def test_the_workflow_offline_stops_with_the_url_and_the_path(tmp_path):
    workdir = copy_workflow(tmp_path / "work")
    url = closed_port_url("SEMum_vs.nc")
    config = {"models": [{"name": "remote", "url": url, "variable": "v"}], "k": {"min": 2, "max": 3}, "k_per_job": 2}
    (workdir / "remote.yaml").write_text(yaml.safe_dump(config))
    result = snakemake(workdir, "results/remote/profiles.nc", "--configfile", "remote.yaml", check=False)
    assert result.returncode != 0
    log = (workdir / "resources" / "models" / "logs" / "SEMum_vs.nc.log").read_text()
    assert (
        url in log
        and "put the file at resources/models/SEMum_vs.nc by hand" in log
        and "models[name=remote].url" in log
    )
    assert not (workdir / "resources" / "models" / "SEMum_vs.nc").exists()


def test_a_file_put_by_hand_is_used_and_its_checksum_checked(tmp_path):
    """Offline: the file in resources/models/ is used as is, and refused when it is not the file the config names."""
    workdir = copy_workflow(tmp_path / "work")
    (workdir / "resources" / "models").mkdir(parents=True)
    small_global_model().to_netcdf(workdir / "resources" / "models" / "model.nc")
    config = {
        "models": [{"name": "remote", "url": closed_port_url("model.nc"), "sha256": "d" * 64, "variable": "vs"}],
        "k": {"min": 2, "max": 3},
        "k_per_job": 2,
    }
    (workdir / "remote.yaml").write_text(yaml.safe_dump(config))
    result = snakemake(workdir, "results/remote/profiles.nc", "--configfile", "remote.yaml", check=False)
    assert result.returncode != 0
    log = (workdir / "results" / "remote" / "logs" / "extract_profiles.log").read_text()
    assert f"not the {'d' * 64} the config names" in log and "models[name=remote].sha256" in log


def test_a_file_put_by_hand_survives_a_newer_workflow(tmp_path):
    """Offline, after a `git pull` that touched every script and rule: the hand-placed model is used, never deleted
    for a rerun of its download (which would fail offline)."""
    import os

    workdir = copy_workflow(tmp_path / "work")
    model = workdir / "resources" / "models" / "model.nc"
    model.parent.mkdir(parents=True)
    small_global_model().to_netcdf(model)
    digest = hashlib.sha256(model.read_bytes()).hexdigest()
    # The scripts and rules newer than the model, as after a pull (the model is put back a day, not the code forward:
    # code in the future is clock skew to Snakemake now that it is an input).
    earlier = time.time() - 86400
    os.utime(model, (earlier, earlier))
    config = {
        "models": [{"name": "remote", "url": closed_port_url("model.nc"), "sha256": digest, "variable": "vs"}],
        "k": {"min": 2, "max": 3},
        "k_per_job": 2,
    }
    (workdir / "remote.yaml").write_text(yaml.safe_dump(config))
    snakemake(workdir, "results/remote/profiles.nc", "--configfile", "remote.yaml")
    assert model.is_file() and hashlib.sha256(model.read_bytes()).hexdigest() == digest
    assert not (workdir / "resources" / "models" / "logs").exists(), "no download attempted"

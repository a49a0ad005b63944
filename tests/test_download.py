"""Models by address (issue 14, item 3): pooch downloads from a real local HTTP server, checksums, the offline message."""
import hashlib
import time

import numpy as np
import pytest
import xarray as xr
import yaml
from conftest import closed_port_url, serve_directory, small_global_model
from snakemake.utils import validate
from test_workflow import copy_workflow, snakemake

from conftest import PROJECT
from tomoclust.config import check_config, model_downloads, model_file
from tomoclust.io import DownloadError, download_file

SCHEMA = str(PROJECT / "schemas" / "config.schema.yaml")


@pytest.fixture
def served_model(tmp_path):
    """A small model file on a local HTTP server: (URL, its sha256, the list of requests the server received)."""
    served = tmp_path / "served"
    served.mkdir()
    small_global_model().to_netcdf(served / "model.nc")
    digest = hashlib.sha256((served / "model.nc").read_bytes()).hexdigest()
    with serve_directory(served) as (base_url, requested):
        yield f"{base_url}/model.nc", digest, requested


def test_download_checks_the_checksum_and_reuses_the_file(served_model, tmp_path):
    url, digest, requested = served_model
    destination = tmp_path / "resources" / "models" / "model.nc"
    assert download_file(url, destination, digest) == digest
    assert destination.is_file() and requested == ["/model.nc"]
    assert download_file(url, destination, digest) == digest
    assert requested == ["/model.nc"], "a file already there with the right checksum is not fetched again"


def test_a_checksum_mismatch_keeps_nothing(served_model, tmp_path):
    url, digest, _ = served_model
    folder = tmp_path / "models"
    with pytest.raises(DownloadError, match="not the file the config names") as error:
        download_file(url, folder / "model.nc", "0" * 64)
    assert "sha256" in str(error.value) and str(folder / "model.nc") in str(error.value)
    assert list(folder.iterdir()) == [], "no partial or mismatching file left behind"


def test_offline_fails_at_once_naming_the_url_and_where_to_put_the_file(tmp_path):
    url = closed_port_url("SEMum_vs.nc")
    destination = tmp_path / "resources" / "models" / "SEMum_vs.nc"
    start = time.perf_counter()
    with pytest.raises(DownloadError) as error:
        download_file(url, destination, "a" * 64)
    assert time.perf_counter() - start < 10
    message = str(error.value)
    assert url in message and f"put the file at {destination} by hand (sha256 {'a' * 64})" in message
    assert not destination.exists()


def test_a_model_by_url_is_validated_and_read_from_resources_models():
    config = {"models": [
        {"name": "a", "url": "https://example.org/files/S362ANI%2BM_vs.nc", "sha256": "b" * 64, "variable": "v"},
        {"name": "b", "url": "https://example.org/files/S362ANI%2BM_vs.nc", "sha256": "b" * 64, "variable": "v",
         "depth": [1000, 2800]},
    ]}
    validate(config, SCHEMA, set_default=True)
    check_config(config, "resources/demo/wus_synthetic.nc")
    assert model_file(config["models"][0]) == "resources/models/S362ANI+M_vs.nc"
    assert model_downloads(config["models"]) == {"S362ANI+M_vs.nc": {
        "url": "https://example.org/files/S362ANI%2BM_vs.nc", "sha256": "b" * 64, "models": ["a", "b"]}}
    config["models"][1]["sha256"] = "c" * 64
    with pytest.raises(ValueError, match="download different files to the same resources/models/S362ANI"):
        check_config(config, "resources/demo/wus_synthetic.nc")


@pytest.mark.parametrize("entry, message", [
    ({"name": "a", "variable": "v"}, "model 'a' needs either `path` .* or `url` .*and has neither"),
    ({"name": "a", "variable": "v", "path": "m.nc", "url": "https://example.org/m.nc"}, "not both"),
])
def test_a_model_needs_exactly_one_of_path_and_url(entry, message):
    config = {"models": [entry]}
    validate(config, SCHEMA, set_default=True)
    with pytest.raises(ValueError, match=message):
        check_config(config, "resources/demo/wus_synthetic.nc")


@pytest.mark.parametrize("entry", [
    {"name": "a", "variable": "v", "url": "ftp://example.org/m.nc"},
    {"name": "a", "variable": "v", "url": "https://example.org/m.nc", "sha256": "not-a-checksum"},
])
def test_only_http_addresses_and_real_checksums_pass_the_schema(entry):
    with pytest.raises(Exception, match="does not match"):
        validate({"models": [entry]}, SCHEMA, set_default=True)


def test_the_workflow_downloads_a_model_once_and_clusters_it(served_model, tmp_path):
    """End to end: a config whose model is on the local HTTP server; a second run fetches nothing."""
    url, digest, requested = served_model
    workdir = copy_workflow(tmp_path / "work")
    config = {"models": [{"name": "remote", "url": url, "sha256": digest, "variable": "vs"}],
              "k": {"min": 2, "max": 3}, "maps": {"pdf": "none"}, "stability": {"restarts": 0}}
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
    config = {"models": [{"name": "remote", "url": url, "variable": "v"}], "k": {"min": 2, "max": 3}}
    (workdir / "remote.yaml").write_text(yaml.safe_dump(config))
    result = snakemake(workdir, "results/remote/profiles.nc", "--configfile", "remote.yaml", check=False)
    assert result.returncode != 0
    log = (workdir / "resources" / "models" / "logs" / "SEMum_vs.nc.log").read_text()
    assert url in log and "put the file at resources/models/SEMum_vs.nc by hand" in log and "models[name=remote].url" in log
    assert not (workdir / "resources" / "models" / "SEMum_vs.nc").exists()


def test_a_file_put_by_hand_is_used_and_its_checksum_checked(tmp_path):
    """Offline: the file in resources/models/ is used as is, and refused when it is not the file the config names."""
    workdir = copy_workflow(tmp_path / "work")
    (workdir / "resources" / "models").mkdir(parents=True)
    small_global_model().to_netcdf(workdir / "resources" / "models" / "model.nc")
    config = {"models": [{"name": "remote", "url": closed_port_url("model.nc"), "sha256": "d" * 64, "variable": "vs"}],
              "k": {"min": 2, "max": 3}}
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
    later = time.time() + 60
    for path in [*(workdir / "scripts").rglob("*.py"), *(workdir / "rules").glob("*.smk"), workdir / "Snakefile"]:
        os.utime(path, (later, later))
    config = {"models": [{"name": "remote", "url": closed_port_url("model.nc"), "sha256": digest, "variable": "vs"}],
              "k": {"min": 2, "max": 3}}
    (workdir / "remote.yaml").write_text(yaml.safe_dump(config))
    snakemake(workdir, "results/remote/profiles.nc", "--configfile", "remote.yaml")
    assert model.is_file() and hashlib.sha256(model.read_bytes()).hexdigest() == digest
    assert not (workdir / "resources" / "models" / "logs").exists(), "no download attempted"

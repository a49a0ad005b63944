"""Models by address (issue 14, item 3): pooch downloads from a real local HTTP server, checksums, the offline
message."""

import time

import pytest
from snakemake.utils import validate

from conftest import PROJECT, closed_port_url
from tomoclust.config import check_config, model_downloads, model_file
from tomoclust.download import DownloadError, download_file

SCHEMA = str(PROJECT / "schemas" / "config.schema.yaml")


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
    config = {
        "models": [
            {"name": "a", "url": "https://example.org/files/S362ANI%2BM_vs.nc", "sha256": "b" * 64, "variable": "v"},
            {
                "name": "b",
                "url": "https://example.org/files/S362ANI%2BM_vs.nc",
                "sha256": "b" * 64,
                "variable": "v",
                "depth": [1000, 2800],
            },
        ]
    }
    validate(config, SCHEMA, set_default=True)
    check_config(config, "resources/demo/wus_synthetic.nc")
    assert model_file(config["models"][0]) == "resources/models/S362ANI+M_vs.nc"
    assert model_downloads(config["models"]) == {
        "S362ANI+M_vs.nc": {
            "url": "https://example.org/files/S362ANI%2BM_vs.nc",
            "sha256": "b" * 64,
            "models": ["a", "b"],
        }
    }
    config["models"][1]["sha256"] = "c" * 64
    with pytest.raises(ValueError, match="download different files to the same resources/models/S362ANI"):
        check_config(config, "resources/demo/wus_synthetic.nc")


@pytest.mark.parametrize(
    "entry, message",
    [
        ({"name": "a", "variable": "v"}, "model 'a' needs either `path` .* or `url` .*and has neither"),
        ({"name": "a", "variable": "v", "path": "m.nc", "url": "https://example.org/m.nc"}, "not both"),
    ],
)
def test_a_model_needs_exactly_one_of_path_and_url(entry, message):
    config = {"models": [entry]}
    validate(config, SCHEMA, set_default=True)
    with pytest.raises(ValueError, match=message):
        check_config(config, "resources/demo/wus_synthetic.nc")


@pytest.mark.parametrize(
    "entry",
    [
        {"name": "a", "variable": "v", "url": "ftp://example.org/m.nc"},
        {"name": "a", "variable": "v", "url": "https://example.org/m.nc", "sha256": "not-a-checksum"},
    ],
)
def test_only_http_addresses_and_real_checksums_pass_the_schema(entry):
    with pytest.raises(Exception, match="does not match"):
        validate({"models": [entry]}, SCHEMA, set_default=True)

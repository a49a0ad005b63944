"""The warm worker gives the same results as a job's own process, reports failures, and is optional."""
import os
from types import SimpleNamespace

import numpy as np
import pytest
import xarray as xr
from snakemake.iocontainers import Namedlist

from tomoclust import warm
from tomoclust.extract import ModelSpec, extract_model


def fake_snakemake(tmp_path, k, name):
    return SimpleNamespace(
        input=Namedlist(fromdict={"profiles": str(tmp_path / "profiles.nc")}),
        output=Namedlist(fromdict={"fit": str(tmp_path / f"{name}_k{k}.nc")}),
        params=Namedlist(fromdict={
            "k": k, "fit": {"metric": "euclidean", "max_iter": 20, "n_init": 1, "random_state": 0},
            "criteria": {"silhouette_sample": 500, "random_state": 0},
            "stability": {"restarts": 2, "subsample": 300, "random_state": 0},
        }),
        log=Namedlist([str(tmp_path / f"{name}_k{k}.log")]),
        wildcards=Namedlist(fromdict={"model": "small", "k": str(k)}),
        threads=1,
    )


@pytest.fixture
def profiles_file(tmp_path, demo_model):
    model = tmp_path / "demo.nc"
    demo_model.isel(latitude=slice(0, 40), longitude=slice(40, 90)).to_netcdf(model)
    extract_model(ModelSpec(name="small", path=str(model), variable="dvs")).to_netcdf(tmp_path / "profiles.nc")
    return tmp_path / "profiles.nc"


@pytest.fixture
def worker(monkeypatch):
    process = warm.start_worker()
    yield process
    warm.stop_worker(process)
    assert process.poll() is not None, "the worker stops when asked"


def test_jobspec_reads_like_the_snakemake_object(tmp_path):
    spec = warm.JobSpec.from_snakemake(fake_snakemake(tmp_path, 3, "a"))
    assert spec.input.profiles == spec.input[0] == str(tmp_path / "profiles.nc")
    assert spec.params.k == 3 and spec.params.fit["max_iter"] == 20
    assert spec.wildcards.model == "small" and spec.threads == 1 and len(spec.log) == 1


def test_worker_gives_the_same_result_as_a_process_of_its_own(tmp_path, profiles_file, worker):
    warm.run_job("fit_kmeans", fake_snakemake(tmp_path, 4, "warm"))
    assert "inertia" in (tmp_path / "warm_k4.log").read_text(), "the job logged to its own log file"
    os.environ.pop(warm.ENV_SOCKET)
    warm.run_job("fit_kmeans", fake_snakemake(tmp_path, 4, "cold"))
    with xr.open_dataset(tmp_path / "warm_k4.nc") as a, xr.open_dataset(tmp_path / "cold_k4.nc") as b:
        np.testing.assert_array_equal(a["labels"].values, b["labels"].values)
        np.testing.assert_array_equal(a["centers"].values, b["centers"].values)
        assert float(a["inertia"]) == float(b["inertia"])


def test_worker_failure_reaches_the_job_and_its_log(tmp_path, profiles_file, worker, capsys):
    too_many = 10_000
    with pytest.raises(SystemExit) as exit_info:
        warm.run_job("fit_kmeans", fake_snakemake(tmp_path, too_many, "bad"))
    assert exit_info.value.code == 1
    message = f"k={too_many} is more than the"
    assert message in capsys.readouterr().err
    assert message in (tmp_path / f"bad_k{too_many}.log").read_text()
    assert not (tmp_path / f"bad_k{too_many}.nc").exists()
    warm.run_job("fit_kmeans", fake_snakemake(tmp_path, 3, "after"))  # the worker survives a failed job
    assert (tmp_path / "after_k3.nc").is_file()


def test_without_a_worker_the_job_runs_in_its_own_process(tmp_path, profiles_file, monkeypatch):
    monkeypatch.setenv(warm.ENV_SOCKET, str(tmp_path / "nobody.sock"))
    monkeypatch.setenv(warm.ENV_PID, "0")
    warm.run_job("fit_kmeans", fake_snakemake(tmp_path, 3, "fallback"))
    assert (tmp_path / "fallback_k3.nc").is_file()

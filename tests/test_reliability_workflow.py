"""Run by the workflow: bad input fails fast with a clear message; interrupted runs resume to the same results;
paths with spaces and quotes work. (Runs are deterministic whatever the cores and chunks: test_engines_workflow.py.)"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import xarray as xr
import yaml

from conftest import assert_same_results, copy_workflow, snakemake

pytestmark = pytest.mark.workflow

FITS_AND_TABLES = ("results/small/inertia.csv", "results/small/labels.nc")


def _config(path: Path, **overrides) -> Path:
    config = {
        "models": [
            {
                "name": "small",
                "path": "resources/demo/wus_synthetic.nc",
                "variable": "dvs",
                "region": {"lat": [36, 44], "lon": [-118, -108]},
                "depth": [20, 600],
            }
        ],
        "k": {"min": 2, "max": 6},
        "k_per_job": 5,
        # What is tested here (refusals, resuming, quoting) holds for either engine; scikit-learn's starts faster.
        "fit": {"engine": "sklearn"},
    }
    config.update(overrides)
    path.write_text(yaml.safe_dump(config))
    return path


# --- bad input -------------------------------------------------------------------------------------


def test_missing_model_file_is_refused_before_any_job(tmp_path):
    workdir = copy_workflow(tmp_path)
    bad = _config(workdir / "bad.yaml", models=[{"name": "wus", "path": "models/nowhere.nc", "variable": "vs"}])
    result = snakemake(workdir, "--configfile", str(bad), "--dry-run", check=False)
    text = result.stdout + result.stderr
    assert result.returncode != 0
    assert "model 'wus': file 'models/nowhere.nc' not found" in text and "`models[name=wus].path`" in text


def test_k_max_above_the_number_of_profiles_stops_the_run_before_any_fit(tmp_path):
    """The issue's case: 4 complete profiles, k.max = 8. The extraction (a checkpoint) runs, then the run stops
    with the count and the key to change; no fit job starts, not even the one of k = 2..4."""
    workdir = copy_workflow(tmp_path)
    tiny = {
        "name": "small",
        "path": "resources/demo/wus_synthetic.nc",
        "variable": "dvs",
        "region": {"lat": [39.99, 40.21], "lon": [-112.01, -111.79]},
        "area_weighting": False,
    }
    config = _config(workdir / "tiny.yaml", models=[tiny], k={"min": 2, "max": 8})
    result = snakemake(workdir, "--configfile", str(config), "--config", "k_per_job=3", check=False)
    assert result.returncode != 0
    with xr.open_dataset(workdir / "results/small/profiles.nc") as profiles:
        assert profiles.sizes["profile"] == 4
    output = result.stdout + result.stderr
    assert "model 'small': k=8 is more than the 4 complete profiles" in output and "lower `k.max`" in output
    assert not (workdir / "results/small/fits").exists(), "no fit written"
    assert not (workdir / "results/small/logs/fit").exists(), "no fit job started"


# --- determinism and interrupted runs ---------------------------------------------------------------


@pytest.fixture(scope="module")
def reference_run(tmp_path_factory):
    workdir = copy_workflow(tmp_path_factory.mktemp("reference"))
    config = _config(workdir / "small.yaml")
    snakemake(workdir, *FITS_AND_TABLES, "--configfile", str(config))
    return workdir


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_killed_run_resumes_to_the_same_results(tmp_path, reference_run, sig):
    workdir = copy_workflow(tmp_path)
    config = _config(workdir / "small.yaml")
    run = subprocess.Popen(
        # One k per job: fits remain to run when the first one is written (the reference run used the default
        # chunks; results do not depend on them, test_engines_workflow.py).
        [sys.executable, "-m", "snakemake", *FITS_AND_TABLES, "--cores", "2", "--configfile", str(config)]
        + ["--config", "k_per_job=1"],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # A shell without job control starts background commands with SIGINT ignored; Snakemake must see it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    fits = workdir / "results/small/fits"
    deadline = time.monotonic() + 120
    while len(list(fits.glob("k*.nc"))) < 1 and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.05)
    assert run.poll() is None, "the run ended before it could be interrupted"
    os.kill(run.pid, sig)
    run.wait(timeout=120)
    time.sleep(2)  # after SIGKILL, jobs already started finish on their own; let them
    assert not (workdir / "results/small/labels.nc").exists(), "interrupted before the end"

    snakemake(workdir, "--unlock", "--configfile", str(config))  # a SIGKILLed Snakemake leaves its lock behind
    resumed = snakemake(
        workdir, *FITS_AND_TABLES, "--configfile", str(config), "--config", "k_per_job=1", "--rerun-incomplete"
    )
    assert "Nothing to be done" not in resumed.stdout + resumed.stderr
    assert_same_results(reference_run, workdir)
    assert not list((workdir / "results").rglob("*.part")), "no temporary file left behind"


# --- nothing runs from data ---------------------------------------------------------------------------


def test_paths_with_spaces_and_quotes(tmp_path, demo_model):
    workdir = copy_workflow(Path(tmp_path / 'my work dir\'s "copy"'))
    models = workdir / "model files (v2)"
    models.mkdir()
    model = models / "wus demo; rm -rf $HOME 'x'.nc"
    demo_model.isel(latitude=slice(20, 60), longitude=slice(20, 80)).to_netcdf(model)
    config = _config(
        workdir / "odd names.yaml",
        models=[{"name": "small", "path": str(model.relative_to(workdir)), "variable": "dvs"}],
        k={"min": 2, "max": 3},
        k_per_job=2,
    )
    snakemake(workdir, *FITS_AND_TABLES, "results/small/figures/maps/k3.png", "--configfile", str(config))
    with xr.open_dataset(workdir / "results/small/profiles.nc") as profiles:
        assert profiles.attrs["source_file"].endswith("'x'.nc")
    assert (workdir / "results/small/figures/maps/k3.png").is_file()

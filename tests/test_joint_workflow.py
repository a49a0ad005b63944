"""Several variables in one fit, run by the whole workflow: Vs and Vp joined in profiles.nc, then fits, the knee,
maps, profile figures, the panel and the report, as for one variable."""

import json
import zipfile

import numpy as np
import pytest
import xarray as xr
import yaml
from sklearn.metrics import adjusted_rand_score

from conftest import copy_workflow, snakemake, two_variable_model

pytestmark = pytest.mark.workflow
PLANTED_K = 4


@pytest.fixture(scope="module")
def joint_run(tmp_path_factory):
    ds, province = two_variable_model()
    workdir = copy_workflow(tmp_path_factory.mktemp("joint"))
    ds.to_netcdf(workdir / "vsvp.nc")
    config = {
        "models": [{"name": "vsvp", "path": "vsvp.nc", "variables": ["dvs", "vp"], "transform": "demean"}],
        "k": {"min": 2, "max": 8},
        "k_per_job": 4,
        "maps": {"k": [PLANTED_K], "overlays": []},
        "stability": {"restarts": 0},
    }
    (workdir / "vsvp.yaml").write_text(yaml.safe_dump(config))
    snakemake(workdir, "--configfile", "vsvp.yaml")
    return workdir, province


def test_the_main_pipeline_recovers_the_provinces_each_variable_alone_cannot(joint_run):
    workdir, province = joint_run
    results = workdir / "results" / "vsvp"
    with xr.open_dataset(results / "labels.nc") as labels:
        assert adjusted_rand_score(province.ravel(), labels["labels"].sel(k=PLANTED_K).values.ravel()) >= 0.9
        assert labels.attrs["variables"] == "dvs, vp"
    knee = json.loads((results / "k_selection.json").read_text())["knee"]
    assert abs(knee - PLANTED_K) <= 1, f"knee at k = {knee}"
    assert not (results / "joint").exists(), "no side outputs: the joint fit is the model's fit"


def test_profiles_nc_records_each_variables_depths_and_scale(joint_run):
    workdir, _ = joint_run
    with xr.open_dataset(workdir / "results/vsvp/profiles.nc") as profiles:
        assert profiles.sizes["depth"] == 24, "12 depths of dvs, then 12 of vp"
        assert list(np.unique(profiles["depth_variable"].values)) == ["dvs", "vp"]
        assert profiles["depth_variable"].attrs["units_of_vp"] == "km/s"
        scales = {name: profiles.attrs[f"joint_scale_{name}"] for name in ("dvs", "vp")}
        assert scales["vp"] > 2 * scales["dvs"]
        assert np.allclose(profiles["depth_scale"].values, np.repeat([scales["dvs"], scales["vp"]], 12))
    with xr.open_dataset(workdir / f"results/vsvp/fits/k{PLANTED_K}.nc") as fit:
        key = fit["center_depth_mean"]
        assert "dvs" in key.attrs["long_name"] and key.attrs["units"] == "percent", "colours follow dvs's velocity"
        assert np.all(np.diff(key.values) > 0), "category 0 the slowest in dvs"


def test_every_figure_shows_the_joint_fit_and_the_report_holds_its_maps(joint_run):
    workdir, _ = joint_run
    figures = workdir / "results" / "vsvp" / "figures"
    for name in (f"maps/k{PLANTED_K}.png", f"profiles/k{PLANTED_K}.png", "summary.pdf", "elbow.png"):
        assert (figures / name).stat().st_size > 10_000, name
    report = workdir / "report.zip"
    snakemake(workdir, "--configfile", "vsvp.yaml", "--report", str(report))
    joint_map = (figures / f"maps/k{PLANTED_K}.png").read_bytes()
    with zipfile.ZipFile(report) as archive:  # the report stores each file under a hash, as it is
        held = [archive.read(name) for name in archive.namelist() if name.endswith(f"/k{PLANTED_K}.png")]
    assert joint_map in held, "the report holds the joint fit's category map"

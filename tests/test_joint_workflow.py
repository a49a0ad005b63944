"""Several variables in one fit, run by the workflow: the joint fit of Vs and Vp and its figure."""

import pytest
import xarray as xr
import yaml
from sklearn.metrics import adjusted_rand_score

from conftest import copy_workflow, snakemake, two_variable_model

pytestmark = pytest.mark.workflow


def test_joint_fit_end_to_end(tmp_path):
    ds, province = two_variable_model()
    workdir = copy_workflow(tmp_path)
    ds.to_netcdf(workdir / "vsvp.nc")
    config = {
        "models": [{"name": "vsvp", "path": "vsvp.nc", "variables": ["dvs", "vp"], "transform": "demean"}],
        "k": {"min": 2, "max": 4},
        "k_per_job": 3,
        "maps": {"k": [4], "overlays": []},
        "stability": {"restarts": 0},
    }
    (workdir / "vsvp.yaml").write_text(yaml.safe_dump(config))
    snakemake(
        workdir,
        "results/vsvp/joint/joint.nc",
        "results/vsvp/joint/figures/k4.png",
        "results/vsvp/labels.nc",
        "--configfile",
        "vsvp.yaml",
    )
    with xr.open_dataset(workdir / "results/vsvp/joint/joint.nc") as joint:
        labels = joint["labels"].sel(k=4).values
        assert adjusted_rand_score(province.ravel(), labels.ravel()) >= 0.9
        assert joint["centers_vp"].attrs["units"] == "km/s" and "joint_scale_vp" in joint.attrs
    with xr.open_dataset(workdir / "results/vsvp/labels.nc") as single:  # the single-variable pipeline: dvs, the first
        assert adjusted_rand_score(province.ravel(), single["labels"].sel(k=4).values.ravel()) < 0.9
    assert (workdir / "results/vsvp/joint/figures/k4.png").stat().st_size > 10_000

"""The 3-D vote run by the workflow on two synthetic models (the example's lower mantle on the real models is in
test_real_models.py, on the example's own run)."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml

from conftest import (
    copy_workflow,
    noisy_model,
    planted_volume,
    snakemake,
)

pytestmark = pytest.mark.workflow


# --- End to end -------------------------------------------------------------------------------------------------------


def _vote3d_targets(name, models, ks):
    out = [f"results/compare/{name}/{f}" for f in ("vote3d.nc", "vote3d_area.csv", "vote3d_volume.csv")]
    out += [f"results/compare/{name}/windows/{m}.nc" for m in models]
    return out + [
        f"results/compare/{name}/figures/{f}_k{k}.{e}"
        for f in ("vote3d_area", "vote3d_maps")
        for k in ks
        for e in ("png", "pdf")
    ]


def test_a_3d_vote_runs_end_to_end_on_two_synthetic_models(tmp_path):
    """Two synthetic models on two grids with depth windows through Snakemake; a second comparison without
    depth_windows gets no 3-D vote job."""
    workdir = copy_workflow(tmp_path)
    specs = {"planted": (8.0, -180.0, 0.0, 0.0, 2), "large": (10.0, 0.0, 1.5, -2.0, 3)}
    for name, spec in specs.items():
        noisy_model(*spec).to_netcdf(workdir / f"{name}.nc")
    models = [{"name": n, "path": f"{n}.nc", "variable": "dvs", "depth": [1000, 2800]} for n in specs]
    config = {
        "models": models,
        "k": {"min": 2, "max": 3},
        "k_per_job": 2,
        "stability": {"restarts": 0},
        "compare": [
            {
                "name": "bodies",
                "models": list(specs),
                "vote_depths": [1300, 2500],
                "depth_windows": {"width": 600, "step": 300, "k": [2]},
            },
            {"name": "plain", "models": ["large", "planted"]},
        ],
    }
    (workdir / "bodies.yaml").write_text(yaml.safe_dump(config))
    targets = _vote3d_targets("bodies", list(specs), [2])
    snakemake(workdir, *targets, "--configfile", "bodies.yaml")
    for target in targets:
        assert (workdir / target).stat().st_size > 0, target
    out = workdir / "results" / "compare" / "bodies"
    with xr.open_dataset(out / "vote3d.nc") as votes:
        assert votes["slow_votes"].dims == ("k", "depth", "latitude", "longitude")
        np.testing.assert_array_equal(votes["depth"].values, [1300.0, 1600.0, 1900.0, 2200.0, 2500.0])
        assert votes.attrs["Conventions"] == "CF-1.8" and votes.attrs["models"] == "planted, large"
        assert votes["depth"].attrs["units"] == "km" and votes.sizes["latitude"] == 18  # the coarsest, 10-degree grid
        assert votes.attrs["model_citation"].count("none: a test model") == 2
    volume = pd.read_csv(out / "vote3d_volume.csv").set_index("curve")
    both, either = volume.loc[">= 2 of 2"], volume.loc[">= 1 of 2"]
    planted = planted_volume(both["shells_top_km"], both["shells_bottom_km"])
    assert both["majority"] and both["slow_volume_km3"] < planted < either["slow_volume_km3"]
    assert both["slow_volume_km3"] == pytest.approx(planted, rel=0.15)  # coarse grids and windows
    assert "maps at the windows of mid-depth [1300.0, 2500.0] km" in (out / "logs" / "vote3d_maps_k2.log").read_text()
    # The comparison without depth_windows: its own outputs only, as before.
    everything = snakemake(workdir, "--dry-run", "--forceall", "--configfile", "bodies.yaml").stdout
    assert "results/compare/plain/vote.nc" in everything and "results/compare/bodies/vote3d.nc" in everything
    assert "results/compare/plain/vote3d" not in everything and "results/compare/plain/windows" not in everything

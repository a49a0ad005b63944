"""The 3-D vote run by the workflow: two synthetic models, and the example's lower mantle on the real models."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml

from conftest import (
    PROJECT,
    SHARED_MODELS,
    copy_workflow,
    needs_shared_models,
    noisy_model,
    planted_volume,
    snakemake,
    value_at,
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


# --- Real models ------------------------------------------------------------------------------------------------------


@needs_shared_models
@pytest.mark.real_models
def test_the_lower_mantle_3d_vote_of_the_example_on_the_real_models(tmp_path):
    """examples/global_mantle.yaml's lower_mantle_3d (SEMum and S362ANI+M, 1000-2800 km) on ../shared/data/models:
    the table and the figures; both LLSVPs slow in both models at the deepest window."""
    example = yaml.safe_load((PROJECT / "examples" / "global_mantle.yaml").read_text())
    comparison = next(c for c in example["compare"] if c["name"] == "lower_mantle_3d")
    models = [m for m in example["models"] if m["name"] in comparison["models"]]
    workdir = copy_workflow(tmp_path)
    (workdir / "resources" / "models").mkdir(parents=True)
    for name in ("SEMum_vs.nc", "S362ANI+M_vs.nc"):  # where download_model puts the example's files
        (workdir / "resources" / "models" / name).symlink_to(SHARED_MODELS / name)
    # k = 3 only (Cottaar & Lekic's k), to keep the test short; the example also votes at k = 2.
    comparison["depth_windows"]["k"] = [3]
    config = {"models": models, "k": {"min": 2, "max": 3}, "k_per_job": 2, "compare": [comparison]}
    (workdir / "lm3d.yaml").write_text(yaml.safe_dump(config))
    targets = _vote3d_targets("lower_mantle_3d", comparison["models"], comparison["depth_windows"]["k"])
    snakemake(workdir, *targets, "--configfile", "lm3d.yaml")
    out = workdir / "results" / "compare" / "lower_mantle_3d"
    for target in targets:
        assert (workdir / target).stat().st_size > 0, target
    volume = pd.read_csv(out / "vote3d_volume.csv")
    both = volume[(volume["curve"] == ">= 2 of 2")].set_index("k")
    assert both.loc[3, "majority"] and both.loc[3, "shells_top_km"] == 1200 and both.loc[3, "shells_bottom_km"] == 2600
    # Slow where both agree: a few % of the mantle, less than where either model says slow.
    either = volume[(volume["curve"] == ">= 1 of 2")].set_index("k")
    assert 2.0 < both.loc[3, "percent_of_whole_mantle"] < either.loc[3, "percent_of_whole_mantle"] < 20.0
    assert both.loc[3, "percent_of_lower_mantle"] > both.loc[3, "percent_of_whole_mantle"]
    area = pd.read_csv(out / "vote3d_area.csv")
    both_area = area[(area["curve"] == ">= 2 of 2") & (area["k"] == 3)].sort_values("mid_depth_km")
    assert both_area["slow_area_percent"].iloc[-1] > both_area["slow_area_percent"].iloc[0]  # LLSVPs widen downward
    with xr.open_dataset(out / "vote3d.nc") as votes:
        deepest = votes.isel(depth=-1).load()
    for lat, lon in ((-10.0, 20.0), (-10.0, -150.0)):  # African and Pacific LLSVPs
        assert value_at(deepest, lat, lon, 3, "slow_votes") == 2, (lat, lon)

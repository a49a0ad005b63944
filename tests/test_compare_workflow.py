"""Several models compared by the workflow: two windows of the demo, regridded, voted, matched and drawn."""

import pandas as pd
import pytest
import xarray as xr
import yaml

from conftest import copy_workflow, snakemake

pytestmark = pytest.mark.workflow

DEMO_MODEL_PATH = "resources/demo/wus_synthetic.nc"


def test_comparison_runs_end_to_end_on_two_windows_of_the_demo(tmp_path):
    """Runs without ../shared: two overlapping windows of the demo, one area-weighted, compared through Snakemake."""
    workdir = copy_workflow(tmp_path)
    demo = {"path": DEMO_MODEL_PATH, "variable": "dvs", "depth": [20, 600]}
    config = {
        "models": [
            {"name": "west", **demo, "region": {"lat": [36, 42], "lon": [-118, -110]}},
            {
                "name": "east",
                **demo,
                "region": {"lat": [38, 44], "lon": [-114, -106]},
                "area_weighting": True,
                "transform": "demean",
                "depth_weighting": "thickness",
            },
        ],
        "k": {"min": 2, "max": 3},
        "k_per_job": 2,
        "maps": {"k": [2]},
        "figure_k": [2],
        "stability": {"restarts": 0},
        "compare": [{"name": "windows", "models": ["west", "east"], "vote_k": [2]}],
    }
    (workdir / "windows.yaml").write_text(yaml.safe_dump(config))
    out = workdir / "results" / "compare" / "windows"
    figures = ("vote_k2.png", "vote_k2.pdf", "matched_k2.png", "matched_k2.pdf", "agreement.png", "agreement.pdf")
    # The comparison's outputs and what they need, not every model's own figures (test_workflow.py has those).
    tables = [out / name for name in ("labels.nc", "vote.nc", "agreement.csv", "matched.nc")]
    targets = [str(path.relative_to(workdir)) for path in [*tables, *(out / "figures" / f for f in figures)]]
    snakemake(workdir, *targets, "--configfile", "windows.yaml")
    with xr.open_dataset(out / "labels.nc") as common, xr.open_dataset(out / "vote.nc") as votes:
        labels = common["labels"].values
        lat, lon = common["latitude"].values, common["longitude"].values
        # The common grid is west's; east has labels only where the windows overlap.
        assert lat.min() >= 36 and lat.max() <= 42 and lon.min() >= -118 and lon.max() <= -110
        east_has = labels[1, 0] >= 0
        assert east_has.any() and not east_has.all()
        assert (lat[east_has.any(axis=1)] >= 38 - 0.1).all() and (lon[east_has.any(axis=0)] >= -114 - 0.1).all()
        assert int(votes["n_models"].max()) == 2 and (votes["slow_votes"] <= votes["n_models"]).all()
        assert "demean" in votes.attrs["preprocessing"]
    agreement = pd.read_csv(out / "agreement.csv")
    assert agreement["k"].tolist() == [2, 3] and agreement["n_points_all"].gt(0).all()
    for figure in figures:
        assert (out / "figures" / figure).stat().st_size > 0
    with xr.open_dataset(out / "matched.nc") as matched:
        assert matched["category_votes"].dims == ("k", "category", "latitude", "longitude")
        overlap = matched["n_models"].sel(k=2).values == 2
        assert overlap.any() and (matched["consensus_votes"].sel(k=2).values[overlap] >= 1).all()

"""Moving depth windows run by the workflow: the slowest category through depth, and the refusal of windows wider
than the depth range."""

import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import copy_workflow, small_global_model, snakemake

pytestmark = pytest.mark.workflow


def test_depth_windows_end_to_end_on_a_model_whose_slow_region_shrinks_with_depth(tmp_path):
    """A slow cap that narrows with depth: the slowest category's area falls from window to window."""
    ds = small_global_model(n_depth=13, step=10.0)
    lat = ds["latitude"].values[:, None]
    depth = ds["depth"].values
    radius = 70.0 - 60.0 * (depth - depth[0]) / (depth[-1] - depth[0])  # degrees from the pole, shrinking downward
    slow = (90.0 - lat)[None, :, :] <= radius[:, None, None]
    rng = np.random.default_rng(0)
    values = np.where(slow, -2.0, 1.0) + 0.05 * rng.standard_normal((depth.size, *ds["vs"].shape[1:]))
    ds["vs"] = (ds["vs"].dims, values.astype(np.float32), ds["vs"].attrs)
    workdir = copy_workflow(tmp_path)
    ds.to_netcdf(workdir / "cap.nc")
    config = {
        "models": [
            {
                "name": "cap",
                "path": "cap.nc",
                "variable": "vs",
                "depth": [50, 650],
                "area_weighting": False,
                "depth_windows": {"width": 200, "step": 100, "k": [2]},
            }
        ],
        "k": {"min": 2, "max": 3},
        "k_per_job": 2,
        "stability": {"restarts": 0},
    }
    (workdir / "cap.yaml").write_text(yaml.safe_dump(config))
    snakemake(
        workdir, "results/cap/depth_windows.csv", "results/cap/figures/depth_windows.png", "--configfile", "cap.yaml"
    )
    table = pd.read_csv(workdir / "results/cap/depth_windows.csv")
    assert table["window_top_km"].tolist() == [50, 150, 250, 350, 450]
    assert np.all(np.diff(table["slow_area_percent"]) < 0), table["slow_area_percent"].tolist()
    assert (workdir / "results/cap/figures/depth_windows.png").stat().st_size > 10_000
    assert "of the volume of the windows' shells" in (workdir / "results/cap/logs/depth_windows.log").read_text()


def test_depth_windows_wider_than_the_depth_range_are_refused(tmp_path):
    workdir = copy_workflow(tmp_path)
    config = {
        "models": [
            {
                "name": "w",
                "path": "resources/demo/wus_synthetic.nc",
                "variable": "dvs",
                "depth": [20, 200],
                "depth_windows": {"width": 300, "step": 100},
            }
        ]
    }
    (workdir / "bad.yaml").write_text(yaml.safe_dump(config))
    result = snakemake(workdir, "--configfile", "bad.yaml", "--dry-run", check=False)
    assert result.returncode != 0 and "`depth_windows` of 300 km need a `depth` range" in result.stdout + result.stderr

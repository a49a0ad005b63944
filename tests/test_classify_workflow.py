"""A regionalisation applied to other models, run by the workflow: classification with saved centres."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml

from conftest import copy_workflow, snakemake

pytestmark = pytest.mark.workflow

DEMO = {"path": "resources/demo/wus_synthetic.nc", "variable": "dvs", "depth": [20, 600]}


def test_a_model_classified_with_its_own_centers_gets_its_own_labels_and_others_a_map(tmp_path):
    workdir = copy_workflow(tmp_path)
    config = {
        "models": [
            {"name": "west", **DEMO, "region": {"lat": [36, 42], "lon": [-118, -110]}},
            {"name": "east", **DEMO, "region": {"lat": [38, 44], "lon": [-114, -106]}},
        ],
        "k": {"min": 2, "max": 4},
        "k_per_job": 3,
        "maps": {"k": [3], "pdf": "none"},
        "figure_k": [3],
        "stability": {"restarts": 0},
        "classify": [{"name": "west_types", "reference": {"model": "west", "k": 3}, "targets": ["west", "east"]}],
    }
    (workdir / "classify.yaml").write_text(yaml.safe_dump(config))
    out = workdir / "results" / "classify" / "west_types"
    figures = ("west.png", "east.png", "east.pdf", "agreement.png", "agreement.pdf")
    # The classification's outputs and what they need, not every model's own figures (test_workflow.py has those).
    wanted = [
        out / "west/labels.nc",
        out / "east/labels.nc",
        out / "agreement.csv",
        *(out / "figures" / f for f in figures),
    ]
    snakemake(workdir, *(str(path.relative_to(workdir)) for path in wanted), "--configfile", "classify.yaml")
    with xr.open_dataset(out / "west" / "labels.nc") as own, xr.open_dataset(workdir / "results/west/labels.nc") as fit:
        np.testing.assert_array_equal(own["labels"].values, fit["labels"].sel(k=3).values)
        assert own.attrs["ari_with_own_fit"] == 1.0 and own.attrs["agreement_area_percent"] == pytest.approx(100.0)
    with xr.open_dataset(out / "east" / "labels.nc") as east:
        labels = east["labels"].values
        assert set(np.unique(labels[labels >= 0])) <= {0, 1, 2} and (labels >= 0).sum() > 100
        assert np.isfinite(east["margin"].values[labels >= 0]).all()
        assert 0.0 < east.attrs["agreement_area_percent"] <= 100.0
    table = pd.read_csv(out / "agreement.csv")
    assert table["target"].tolist() == ["west", "east"] and table["ari_with_own_fit"].iloc[0] == 1.0
    for figure in figures:
        assert (out / "figures" / figure).stat().st_size > 0


def test_a_classification_of_unknown_models_is_refused(tmp_path):
    workdir = copy_workflow(tmp_path)
    config = {
        "models": [{"name": "west", **DEMO}],
        "classify": [{"name": "c", "reference": {"model": "west", "k": 3}, "targets": ["nowhere"]}],
    }
    (workdir / "bad.yaml").write_text(yaml.safe_dump(config))
    result = snakemake(workdir, "--configfile", "bad.yaml", "--dry-run", check=False)
    assert (
        result.returncode != 0 and "names models ['nowhere'] that are not in `models`" in result.stdout + result.stderr
    )

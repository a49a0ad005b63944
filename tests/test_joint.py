"""Several variables in one fit (issue 16, item 1): Vs and Vp joined so that none dominates."""

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from conftest import two_variable_model
from tomoclust.extract import ModelSpec, extract_model
from tomoclust.fit import fit_kmeans
from tomoclust.joint import fit_joint, join_variables


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    ds, province = two_variable_model()
    path = tmp_path_factory.mktemp("joint") / "model.nc"
    ds.to_netcdf(path)
    datasets = {
        name: extract_model(ModelSpec(name="m", path=str(path), variable=name, transform="demean"))
        for name in ("dvs", "vp")
    }
    return datasets, province


def test_the_joint_fit_recovers_every_province_where_each_variable_alone_cannot(extracted):
    datasets, province = extracted
    joined = join_variables(datasets)
    truth = province[joined["lat_index"], joined["lon_index"]]
    labels, centers = fit_joint(joined, datasets, 4, {"random_state": 0})
    assert adjusted_rand_score(truth, labels) >= 0.9
    for name, ds in datasets.items():
        alone = fit_kmeans(ds["profiles"].values, ds["depth"].values, 4, random_state=0).labels
        assert adjusted_rand_score(truth, alone) < 0.9, f"{name} alone separates all four"
    assert set(centers) == {"dvs", "vp"} and centers["vp"].shape == (4, 12)


def test_each_variable_counts_the_same_whatever_its_units(extracted):
    datasets, _ = extracted
    joined = join_variables(datasets)
    n_depth = datasets["dvs"].sizes["depth"]
    weights = joined["depth_weight"]
    for block in (slice(0, n_depth), slice(n_depth, 2 * n_depth)):
        energy = np.mean((joined["profiles"][:, block] ** 2) @ weights[block])
        assert energy == pytest.approx(1.0)
    assert joined["scales"]["vp"] > 2 * joined["scales"]["dvs"], "vp's spread is the larger, and is scaled down"

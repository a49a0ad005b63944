"""Several variables in one fit: Vs and Vp joined into one profiles.nc so that none dominates, and the stages that
need depths (classification, depth windows) taking each variable's columns apart again."""

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from conftest import two_variable_model
from tomoclust.classify import ClassifyError, classify_profiles
from tomoclust.extract import ModelSpec, extract_model
from tomoclust.fit import fit_kmeans, fit_profiles
from tomoclust.joint import is_joint, variable_blocks
from tomoclust.windows import fit_window

FIT = {
    "engine": "tslearn",
    "metric": "euclidean",
    "max_iter": 50,
    "n_init": 1,
    "random_state": 0,
    "metric_params": {},
    "tol": None,
}
CRITERIA = {"silhouette_sample": 500, "random_state": 0}
NO_RESTARTS = {"restarts": 0, "subsample": 10, "random_state": 0}


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    ds, province = two_variable_model()
    path = tmp_path_factory.mktemp("joint") / "model.nc"
    ds.to_netcdf(path)
    return path, province


def extracted(path, **entry):
    return extract_model(ModelSpec.from_config({"name": "m", "path": str(path), "transform": "demean", **entry}))


@pytest.fixture(scope="module")
def joined(model_file):
    path, province = model_file
    return extracted(path, variables=["dvs", "vp"]), province


def test_the_joint_fit_recovers_every_province_where_each_variable_alone_cannot(model_file, joined):
    path, _ = model_file
    profiles, province = joined
    truth = province[profiles["profile_lat_index"].values, profiles["profile_lon_index"].values]
    fit = fit_profiles(profiles, 4, FIT, CRITERIA, NO_RESTARTS)
    assert adjusted_rand_score(truth, fit["labels"].values) >= 0.9
    for name in ("dvs", "vp"):
        alone = extracted(path, variable=name)
        labels = fit_kmeans(alone["profiles"].values, alone["depth"].values, 4, random_state=0).labels
        assert adjusted_rand_score(truth, labels) < 0.9, f"{name} alone separates all four"


def test_each_variable_counts_the_same_whatever_its_units(joined):
    profiles, _ = joined
    values, weights = profiles["profiles"].values, profiles["depth_weight"].values
    blocks = variable_blocks(profiles)
    assert [(b.name, b.units, b.depth.size) for b in blocks] == [("dvs", "percent", 12), ("vp", "km/s", 12)]
    for block in blocks:
        energy = np.mean((values[:, block.columns] ** 2) @ weights[block.columns])
        assert energy == pytest.approx(1.0)
        assert weights[block.columns].sum() == pytest.approx(1.0)
    assert blocks[1].scale > 2 * blocks[0].scale, "vp's spread is the larger, and is scaled down"


def test_a_block_gives_back_the_variable_in_its_own_units(model_file, joined):
    path, _ = model_file
    profiles, _ = joined
    for block in variable_blocks(profiles):
        alone = extracted(path, variable=block.name)
        assert np.allclose(block.values(profiles["profiles"].values), alone["profiles"].values)
        assert np.array_equal(block.depth, alone["depth"].values)
    single = extracted(path, variable="dvs")
    assert not is_joint(single) and [b.scale for b in variable_blocks(single)] == [1.0]


def test_categories_are_ordered_by_the_first_variables_velocity(joined):
    profiles, _ = joined
    fit = fit_profiles(profiles, 4, FIT, CRITERIA, NO_RESTARTS)
    dvs = variable_blocks(profiles)[0]
    own_means = [
        dvs.values(profiles["profiles"].values)[fit["labels"].values == c].mean() for c in range(4)
    ]  # depths are even, so the plain mean orders as the thickness-weighted one
    assert np.all(np.diff(own_means) > 0)
    assert fit["center_depth_mean"].attrs["units"] == "percent"
    assert fit.attrs["variables"] == "dvs, vp"


def test_a_joint_model_is_classified_with_the_centers_of_a_joint_reference(joined):
    profiles, province = joined
    fit = fit_profiles(profiles, 4, FIT, CRITERIA, NO_RESTARTS)
    result = classify_profiles(profiles, fit, profiles)
    assert adjusted_rand_score(fit["labels"].values, result["labels"]) == 1.0, "itself: its own categories"
    assert result["depth"].size == 24


def test_classification_refuses_a_target_with_other_variables(model_file, joined):
    path, _ = model_file
    profiles, _ = joined
    fit = fit_profiles(profiles, 4, FIT, CRITERIA, NO_RESTARTS)
    with pytest.raises(ClassifyError, match="give the target model the same `variables`"):
        classify_profiles(profiles, fit, extracted(path, variable="dvs"))


def test_a_depth_window_fits_both_variables_and_orders_by_the_first(joined):
    profiles, province = joined
    truth = province[profiles["profile_lat_index"].values, profiles["profile_lon_index"].values]
    labels = fit_window(profiles, 50.0, 300.0, 4, {"random_state": 0}, "window 50-300 km")
    assert adjusted_rand_score(truth, labels) >= 0.9, "the bump at 150 km, in both variables"
    dvs = variable_blocks(profiles)[0]
    means = [dvs.values(profiles["profiles"].values)[labels == c, :6].mean() for c in range(4)]
    assert np.all(np.diff(means) > 0)


def test_a_fit_of_joined_profiles_keeps_the_columns_variables(joined):
    profiles, _ = joined
    fit = fit_profiles(profiles, 2, FIT, CRITERIA, NO_RESTARTS)
    blocks = variable_blocks(fit, units="1")
    assert [(b.name, b.units) for b in blocks] == [("dvs", "percent"), ("vp", "km/s")]
    assert fit["member_quantiles"].shape[-1] == 24

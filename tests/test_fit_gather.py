"""Fits, category ordering, knee and labels cube; the demo's known answer."""

import numpy as np
import pytest
import xarray as xr
from sklearn.metrics import adjusted_rand_score

from tomoclust.fit import fit_dataset, fit_kmeans, velocity_order
from tomoclust.gather import find_knee, fit_table, labels_cube
from tomoclust.io import read_fits, write_netcdf
from tomoclust.preprocess import depth_average


def test_depth_average_weights_by_thickness():
    depth = np.array([0.0, 10.0, 100.0])
    # Trapezoid: the 10-100 km layer (value 1) counts 9 times as much as 0-10 (value 0..).
    assert depth_average(np.array([0.0, 0.0, 1.0]), depth) == pytest.approx(0.45)
    assert depth_average(np.array([2.0, 2.0, 2.0]), depth) == pytest.approx(2.0)


def test_velocity_order_slowest_first():
    centers = np.array([[1.0, 1.0], [-2.0, -2.0], [0.0, 0.5]])
    labels = np.array([0, 1, 2, 1])
    order, key = velocity_order(labels, centers, np.array([0.0, 1.0]))
    new_id = np.argsort(order)  # the renumbering fit_kmeans applies: category order[i] becomes i
    np.testing.assert_array_equal(new_id[labels], [2, 0, 1, 0])
    np.testing.assert_array_equal(centers[order][:, 0], [-2.0, 0.0, 1.0])
    assert np.all(np.diff(key[order]) > 0)


@pytest.fixture(scope="module")
def demo_profiles(demo_extracted, demo_model):
    """profiles.nc of the demo (conftest), and the planted province of each profile; demo_fits (conftest) fits it."""
    profiles = demo_extracted
    truth = demo_model["province"].values[profiles["profile_lat_index"].values, profiles["profile_lon_index"].values]
    return profiles, truth


def test_demo_k6_recovers_provinces(demo_profiles, demo_fits):
    _, truth = demo_profiles
    assert (truth >= 0).all(), "every extracted profile has a ground-truth province"
    assert adjusted_rand_score(truth, demo_fits[6].labels) >= 0.9


def test_demo_knee_near_six(demo_fits):
    ks = np.array(sorted(demo_fits))
    selection = find_knee(ks, np.array([demo_fits[k].inertia for k in ks]))
    assert selection["knee"] is not None and abs(selection["knee"] - 6) <= 2


def test_every_k_is_ordered_slowest_first(demo_fits):
    for k, fit in demo_fits.items():
        assert fit.centers.shape[0] == k
        assert np.all(np.diff(fit.depth_mean_of_centers) > 0), f"k={k}"
        assert set(np.unique(fit.labels)) == set(range(k))


def test_fit_is_deterministic(demo_profiles):
    profiles, _ = demo_profiles
    X, depth = profiles["profiles"].values, profiles["depth"].values
    a = fit_kmeans(X, depth, 5, random_state=3)
    b = fit_kmeans(X, depth, 5, random_state=3)
    np.testing.assert_array_equal(a.labels, b.labels)
    assert a.inertia == b.inertia


def test_fit_rejects_bad_k_and_metric():
    X = np.zeros((3, 4))
    with pytest.raises(ValueError, match="between 2 and the number of profiles"):
        fit_kmeans(X, np.arange(4.0), 5)
    with pytest.raises(ValueError, match="fit.metric"):
        fit_kmeans(X, np.arange(4.0), 2, metric="cosine")


def test_dtw_metric_runs(demo_profiles):
    profiles, _ = demo_profiles
    X = profiles["profiles"].values[::40]
    result = fit_kmeans(
        X,
        profiles["depth"].values,
        3,
        metric="dtw",
        max_iter=3,
        metric_params={"global_constraint": "sakoe_chiba", "sakoe_chiba_radius": 2},
    )
    assert result.centers.shape == (3, X.shape[1])


def test_fit_file_gather_and_labels_cube(tmp_path, demo_profiles, demo_fits):
    profiles, truth = demo_profiles
    paths = []
    for k in (4, 2, 3):  # out of order on purpose
        path = tmp_path / f"k{k}.nc"
        write_netcdf(fit_dataset(demo_fits[k], profiles, k, {"metric": "euclidean"}), path)
        paths.append(path)
    fits = read_fits(paths)
    assert list(fits) == [2, 3, 4], "fits keyed by the k they hold, in order"
    table = fit_table(fits)
    assert table["k"].tolist() == [2, 3, 4]
    assert np.all(np.diff(table["inertia"]) < 0)
    assert table.loc[0, "units"] == "percent" and table.loc[0, "metric"] == "euclidean"

    cube = labels_cube(profiles, fits)
    path = tmp_path / "labels.nc"
    cube.to_netcdf(path)
    with xr.open_dataset(path) as reread:
        labels = reread["labels"]
        assert labels.dims == ("k", "latitude", "longitude")
        assert labels.dtype.kind == "i", "readers get ints, not floats with NaN"
        np.testing.assert_array_equal(reread["k"].values, [2, 3, 4])
        status = profiles["profile_status"].values
        assert np.all((labels.sel(k=3).values == -1) == (status != 0))
        lat_i, lon_i = profiles["profile_lat_index"].values, profiles["profile_lon_index"].values
        np.testing.assert_array_equal(labels.sel(k=4).values[lat_i, lon_i], demo_fits[4].labels)


def test_find_knee_on_a_known_curve():
    k = np.arange(2, 16)
    inertia = np.where(k <= 5, 100.0 - 28.0 * (k - 2), 16.0 - 0.5 * (k - 5))
    assert find_knee(k, inertia)["knee"] == 5


def test_find_knee_without_knee_says_none():
    assert find_knee(np.array([2, 3]), np.array([2.0, 1.0]))["knee"] is None
    assert find_knee(np.arange(2, 10), np.linspace(10, 2, 8))["knee"] is None


def test_tslearn_dtw_kernels_are_kept_by_numbas_cache():
    """tslearn compiles its DTW kernels in every process; numba's cache, switched on for them, keeps them."""
    import sys

    from numba.core.caching import NullCache
    from numba.core.dispatcher import Dispatcher

    from tomoclust.fit import cache_tslearn_kernels

    # The DTW of test_dtw_metric_runs: kernels that process compiled already are not compiled again.
    fit_kmeans(
        np.random.default_rng(0).normal(size=(12, 6)),
        np.arange(6.0),
        2,
        metric="dtw",
        max_iter=1,
        metric_params={"global_constraint": "sakoe_chiba", "sakoe_chiba_radius": 2},
    )
    assert cache_tslearn_kernels() == 0, "the DTW fit already switched every kernel on"
    kernels = [
        obj
        for name, module in list(sys.modules.items())
        if name.startswith("tslearn") and module is not None
        for obj in vars(module).values()
        if isinstance(obj, Dispatcher)
    ]
    assert kernels and not any(isinstance(kernel._cache, NullCache) for kernel in kernels)

"""fit.engine: tslearn's TimeSeriesKMeans (the notebook's call) and scikit-learn's KMeans with cell-area weights."""

import numpy as np
import pytest
import xarray as xr
from sklearn.metrics import adjusted_rand_score

from tomoclust.config import check_engine
from tomoclust.extract import ModelSpec, extract_model
from tomoclust.fit import fit_kmeans, fit_profiles

FIT = {"metric": "euclidean", "max_iter": 50, "n_init": 1, "random_state": 0, "metric_params": {}, "tol": None}
CRITERIA = {"silhouette_sample": 1000, "random_state": 0}
NO_RESTARTS = {"restarts": 0, "subsample": 100, "random_state": 0}


@pytest.fixture(scope="module")
def demo_extracted(tmp_path_factory, demo_model):
    path = tmp_path_factory.mktemp("demo") / "demo.nc"
    demo_model.to_netcdf(path)
    return extract_model(ModelSpec(name="demo", path=str(path), variable="dvs"))


def test_both_engines_recover_the_planted_provinces_and_agree(demo_extracted, demo_model):
    truth = demo_model["province"].values[
        demo_extracted["profile_lat_index"].values, demo_extracted["profile_lon_index"].values
    ]
    labels = {}
    for engine in ("tslearn", "sklearn"):
        fit = fit_profiles(demo_extracted, 6, {**FIT, "engine": engine}, CRITERIA, NO_RESTARTS)
        assert fit.attrs["fit_engine"] == engine
        assert fit.attrs["title"].startswith(
            {"tslearn": "tslearn TimeSeriesKMeans", "sklearn": "scikit-learn KMeans"}[engine]
        )
        labels[engine] = fit["labels"].values
        assert adjusted_rand_score(truth, labels[engine]) >= 0.9, engine
    assert adjusted_rand_score(labels["tslearn"], labels["sklearn"]) >= 0.9


@pytest.mark.parametrize("k", [3, 6])
def test_the_tslearn_engine_is_the_notebooks_call(demo_extracted, k):
    """With the notebook's settings (raw profiles, max_iter 10, seed 0) the fit is TimeSeriesKMeans' own: the same
    partition and centres, the engine's inertia to the bit; the stored inertia, from the final centres, is no larger."""
    from tslearn.clustering import TimeSeriesKMeans

    X, depth = demo_extracted["profiles"].values.astype(np.float64), demo_extracted["depth"].values
    notebook = TimeSeriesKMeans(n_clusters=k, metric="euclidean", max_iter=10, random_state=0).fit(X[:, :, np.newaxis])
    ours = fit_kmeans(X, depth, k, max_iter=10, random_state=0, engine="tslearn")
    assert ours.engine_inertia == notebook.inertia_
    pairs = np.unique(np.stack([ours.labels, notebook.labels_]), axis=1)
    assert pairs.shape[1] == k, "the same partition, categories renumbered slowest first"
    np.testing.assert_allclose(ours.centers[pairs[0]], notebook.cluster_centers_[pairs[1], :, 0], rtol=0, atol=1e-12)
    assert ours.inertia <= notebook.inertia_ * (1 + 1e-12)


def test_inertia_has_one_definition_whatever_the_engine(demo_extracted):
    X, depth = demo_extracted["profiles"].values.astype(np.float64), demo_extracted["depth"].values
    for engine in ("tslearn", "sklearn"):
        fit = fit_kmeans(X, depth, 4, engine=engine)
        expected = np.mean(np.sum((X - fit.centers[fit.labels]) ** 2, axis=1))
        assert fit.inertia == pytest.approx(expected, rel=1e-10), engine
    sklearn_fit = fit_kmeans(X, depth, 4, engine="sklearn")
    assert sklearn_fit.engine_inertia == pytest.approx(sklearn_fit.inertia * X.shape[0], rel=1e-8), "sklearn: a sum"


def test_dtw_with_sklearn_is_refused_naming_the_key_and_its_advice_works():
    for metric in ("dtw", "softdtw"):
        with pytest.raises(ValueError, match="fit.engine"):
            check_engine("sklearn", metric)
        check_engine("tslearn", metric)  # the advice: `fit.engine: tslearn`
    with pytest.raises(ValueError, match="fit.engine"):
        fit_kmeans(np.zeros((10, 3)), np.arange(3.0), 2, metric="dtw", engine="sklearn")


def global_provinces(tmp_path) -> str:
    """A global model whose three provinces are latitude bands with noise: the polar cells are small, the
    equatorial ones large, so an unweighted fit and an area-weighted one see different shares."""
    lat, lon, depth = np.arange(-88.0, 89.0, 4.0), np.arange(-180.0, 180.0, 4.0), np.linspace(50.0, 650.0, 6)
    band = np.digitize(np.abs(lat), [25.0, 60.0])  # 0 tropics, 1 mid-latitudes, 2 polar caps
    shapes = np.array(
        [[-2.0, -1.5, -1.0, -0.5, 0.0, 0.0], [0.5, 0.5, 0.3, 0.1, 0.0, 0.0], [2.0, 1.8, 1.2, 0.6, 0.2, 0.0]]
    )
    rng = np.random.default_rng(3)
    values = shapes[band][:, None, :] + rng.normal(scale=0.6, size=(lat.size, lon.size, depth.size))
    ds = xr.Dataset(
        {
            "vs": (
                ("depth", "latitude", "longitude"),
                values.transpose(2, 0, 1).astype(np.float32),
                {"units": "percent"},
            )
        },
        coords={
            "depth": ("depth", depth, {"units": "km"}),
            "latitude": ("latitude", lat, {"units": "degrees_north"}),
            "longitude": ("longitude", lon, {"units": "degrees_east"}),
        },
    )
    path = tmp_path / "global.nc"
    ds.to_netcdf(path)
    return str(path)


def test_the_area_weighted_fit_counts_every_profile_by_its_cell_area(tmp_path):
    ds = extract_model(ModelSpec(name="global", path=global_provinces(tmp_path), variable="vs", area_weighting=True))
    assert int(ds["in_fit_subset"].sum()) < ds.sizes["profile"], "the equal-area subset leaves profiles out"
    # Converged (centres are the means of their members) and the best of several starts, each at its own objective.
    weighted = fit_profiles(
        ds, 3, {**FIT, "engine": "sklearn", "max_iter": 300, "tol": 0.0, "n_init": 10}, CRITERIA, NO_RESTARTS
    )
    subset = fit_profiles(ds, 3, {**FIT, "engine": "tslearn", "n_init": 3}, CRITERIA, NO_RESTARTS)
    assert weighted.attrs["fit_weighting"].startswith("cell-area sample weights")
    assert subset.attrs["fit_weighting"].startswith("equal-area subset")
    assert int(weighted["n_fit_profiles"]) == ds.sizes["profile"] > int(subset["n_fit_profiles"])

    X, area = ds["profiles"].values.astype(np.float64), ds["profile_area"].values
    labels = weighted["labels"].values
    for c in range(3):
        members = labels == c
        np.testing.assert_allclose(
            weighted["centers"].values[c], np.average(X[members], axis=0, weights=area[members]), rtol=1e-6, atol=1e-9
        )

    scale = np.sqrt(ds["depth_weight"].values)

    def area_weighted_inertia(fit):
        residual = (X - fit["centers"].values[fit["labels"].values]) * scale
        return float(np.average(np.sum(residual**2, axis=1), weights=area))

    assert float(weighted["inertia"]) == pytest.approx(area_weighted_inertia(weighted), rel=1e-8)
    assert area_weighted_inertia(weighted) < area_weighted_inertia(subset)

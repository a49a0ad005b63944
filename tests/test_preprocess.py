"""Transforms, depth weighting and area weighting (issue 8), without Snakemake."""

import numpy as np
import pytest
import xarray as xr

from conftest import small_global_model
from tomoclust import preprocess
from tomoclust.extract import ModelSpec, extract_model
from tomoclust.fit import fit_dataset, fit_kmeans

GLOBAL_LAT = np.arange(-90.0, 90.1, 2.0)
GLOBAL_LON = np.arange(-180.0, 180.0, 2.0)


def test_cell_areas_cover_the_sphere_once():
    areas = preprocess.cell_areas(GLOBAL_LAT, GLOBAL_LON)
    assert areas.sum() == pytest.approx(4 * np.pi * preprocess.EARTH_RADIUS_KM**2, rel=1e-9)
    equator, high = areas[GLOBAL_LAT == 0.0, 0][0], areas[GLOBAL_LAT == 80.0, 0][0]
    assert high / equator == pytest.approx(np.cos(np.radians(80.0)), rel=1e-3)


def test_depth_thickness_is_the_trapezoid_share():
    np.testing.assert_allclose(preprocess.depth_thickness(np.array([0.0, 10.0, 30.0])), [5.0, 15.0, 10.0])
    weights = preprocess.depth_weights(np.array([80.0, 100.0, 150.0, 250.0]), "thickness")
    assert weights.mean() == pytest.approx(1.0)
    assert weights[0] < weights[-1]  # the sparse deep sample stands for more of the mantle
    np.testing.assert_array_equal(preprocess.depth_weights(np.array([1.0, 2.0, 5.0]), "none"), np.ones(3))


def test_equal_area_subset_keeps_one_point_per_equal_area_and_is_deterministic():
    mask = preprocess.equal_area_mask(GLOBAL_LAT, GLOBAL_LON)
    np.testing.assert_array_equal(mask, preprocess.equal_area_mask(GLOBAL_LAT, GLOBAL_LON))
    row_area = preprocess.cell_areas(GLOBAL_LAT, GLOBAL_LON).sum(axis=1)
    area_per_point = row_area / mask.sum(axis=1)
    mid_latitudes = np.abs(GLOBAL_LAT) <= 80.0
    assert area_per_point[mid_latitudes].max() / area_per_point[mid_latitudes].min() < 1.15
    assert mask[GLOBAL_LAT == 0.0].all()  # the row of largest cells keeps every point
    assert 0.6 < mask.mean() < 0.67  # 2/pi of a global grid
    # Kept points are spread over longitude, not bunched on one side.
    kept = GLOBAL_LON[mask[GLOBAL_LAT == 60.0][0]]
    assert kept.size == pytest.approx(GLOBAL_LON.size / 2, abs=1) and np.ptp(kept) > 340


def test_area_weighting_auto_is_on_for_global_grids_only():
    assert preprocess.area_weighting_on("auto", GLOBAL_LAT)
    assert not preprocess.area_weighting_on("auto", np.arange(30.0, 50.1, 0.2))  # the Western US demo
    assert preprocess.area_weighting_on(True, np.arange(30.0, 50.1, 0.2))
    assert not preprocess.area_weighting_on(False, GLOBAL_LAT)


def _absolute_profiles(n=200, seed=0):
    rng = np.random.default_rng(seed)
    depth = np.array([80.0, 100.0, 150.0, 250.0, 400.0])
    reference = 4.4 + 0.001 * depth  # km/s increasing with depth
    return reference + 0.05 * rng.normal(size=(n, depth.size)), depth, rng.uniform(1.0, 3.0, n)


def test_demean_and_percent_are_relative_to_the_area_weighted_lateral_mean():
    profiles, depth, area = _absolute_profiles()
    demeaned, units, _, extra = preprocess.apply_transform(profiles, depth, area, "demean", "km/s")
    assert units == "km/s"
    np.testing.assert_allclose(area @ demeaned / area.sum(), 0.0, atol=1e-12)
    np.testing.assert_allclose(extra["lateral_mean"], area @ profiles / area.sum())
    percent, units, _, _ = preprocess.apply_transform(profiles, depth, area, "percent", "km/s")
    assert units == "%"
    np.testing.assert_allclose(percent, 100 * demeaned / extra["lateral_mean"])


def test_percent_of_a_perturbation_is_refused():
    profiles, depth, area = _absolute_profiles()
    with pytest.raises(preprocess.TransformError, match="use 'demean' or 'none'"):
        preprocess.apply_transform(profiles - profiles.mean(axis=0), depth, np.ones(len(profiles)), "percent", "%")


def test_standardize_gives_zero_mean_unit_spread_over_depth():
    profiles, depth, area = _absolute_profiles()
    profiles[0] = 4.5  # constant with depth: set to 0, not divided by zero
    scaled, units, _, extra = preprocess.apply_transform(profiles, depth, area, "standardize", "km/s")
    assert units == "1"
    np.testing.assert_allclose(preprocess.depth_average(scaled, depth), 0.0, atol=1e-12)
    np.testing.assert_allclose(np.sqrt(preprocess.depth_average(scaled[1:] ** 2, depth)), 1.0)
    np.testing.assert_array_equal(scaled[0], 0.0)
    assert set(extra) == {"profile_depth_mean", "profile_depth_std"}


def test_resampling_to_uniform_depths_keeps_the_range_and_linear_profiles():
    depth = np.array([80.0, 100.0, 150.0, 200.0, 350.0])
    new_depth = preprocess.uniform_depths(depth)
    assert new_depth[0] == 80.0 and new_depth[-1] == 350.0
    assert np.allclose(np.diff(new_depth), np.diff(new_depth)[0]) and np.diff(new_depth)[0] <= 20.0
    linear = 3.0 + 0.01 * depth
    np.testing.assert_allclose(
        preprocess.resample_profiles(linear[None, :], depth, new_depth)[0], 3.0 + 0.01 * new_depth
    )
    assert preprocess.uniform_depths(depth, 90.0).size == 4


def test_depth_weighted_fit_reports_centers_in_the_models_units():
    profiles, depth, _ = _absolute_profiles(n=300)
    profiles[:150, :2] += 0.3  # two groups differing at the densely sampled top
    weight = preprocess.depth_weights(depth, "thickness")
    result = fit_kmeans(profiles, depth, 2, depth_weight=weight)
    scaled = fit_kmeans(profiles * np.sqrt(weight), depth, 2)
    from sklearn.metrics import adjusted_rand_score

    assert adjusted_rand_score(result.labels, scaled.labels) == 1.0
    for c in range(2):  # a euclidean k-means centre is the mean of its members, in km/s
        np.testing.assert_allclose(result.centers[c], profiles[result.labels == c].mean(axis=0), rtol=1e-10)


def test_fit_on_a_subset_assigns_every_other_profile_to_its_nearest_center():
    profiles, depth, _ = _absolute_profiles(n=400, seed=3)
    profiles[:200] += 0.2
    weight = preprocess.depth_weights(depth, "thickness")
    mask = np.zeros(400, bool)
    mask[::3] = True
    result = fit_kmeans(profiles, depth, 3, depth_weight=weight, fit_mask=mask)
    assert result.labels.shape == (400,)
    distance = (((profiles[:, None, :] - result.centers[None]) ** 2) * weight).sum(axis=2)
    np.testing.assert_array_equal(result.labels[~mask], distance[~mask].argmin(axis=1))


def test_global_model_extracts_with_transform_weights_and_areas(tmp_path):
    model = small_global_model(n_depth=5, step=10.0)
    model["vs"] = 4.5 + 0.1 * model["vs"]  # absolute velocity, km/s
    model["vs"].attrs = {"display_name": "Vs (km/s)"}
    path = tmp_path / "global.nc"
    model.to_netcdf(path)
    spec = ModelSpec(name="g", path=str(path), variable="vs", transform="percent", depth_weighting="thickness")
    ds = extract_model(spec)
    assert ds.attrs["transform"] == "percent" and ds.attrs["area_weighting"] == "on"
    assert ds["profiles"].attrs["units"] == "%" and ds["lateral_mean"].attrs["units"] == "km/s"
    assert 0 < ds.attrs["n_fit_profiles"] < ds.attrs["n_profiles"]
    assert ds["profile_area"].sum() == pytest.approx(ds.attrs["region_area_km2"])
    fit = fit_kmeans(
        ds["profiles"].values,
        ds["depth"].values,
        3,
        depth_weight=ds["depth_weight"].values,
        fit_mask=ds["in_fit_subset"].values.astype(bool),
    )
    out = fit_dataset(fit, ds, 3, {"metric": "euclidean"})
    assert float(out["cluster_area_percent"].sum()) == pytest.approx(100.0)
    assert float(out["cluster_area"].sum()) == pytest.approx(ds.attrs["region_area_km2"])
    assert int(out["cluster_size"].sum()) == ds.sizes["profile"]
    assert int(out["n_fit_profiles"]) == ds.attrs["n_fit_profiles"]
    assert out.attrs["transform"] == "percent" and out["centers"].attrs["units"] == "%"


def test_transform_error_names_the_model_and_the_key(tmp_path):
    path = tmp_path / "global.nc"
    small_global_model().to_netcdf(path)  # a perturbation in percent
    with pytest.raises(ValueError, match=r"model 'p'.*models\[name=p\]\.transform"):
        extract_model(ModelSpec(name="p", path=str(path), variable="vs", transform="percent"))


def test_demo_defaults_change_nothing(demo_model, tmp_path):
    path = tmp_path / "demo.nc"
    demo_model.to_netcdf(path)
    ds = extract_model(ModelSpec(name="demo", path=str(path), variable="dvs"))
    assert ds.attrs["area_weighting"] == "off" and ds.attrs["transform"] == "none"
    np.testing.assert_array_equal(ds["depth_weight"].values, 1.0)
    with xr.open_dataset(path) as raw:
        first = raw["dvs"].sel(latitude=ds["profile_latitude"][0], longitude=ds["profile_longitude"][0]).values
    np.testing.assert_allclose(ds["profiles"].values[0], first)


def test_standardized_categories_are_ordered_by_their_velocity_before_standardizing():
    depth = np.linspace(50.0, 400.0, 8)
    rng = np.random.default_rng(5)
    slow_increasing = 4.2 + 0.002 * depth + 0.005 * rng.normal(size=(100, 8))  # slow, steep gradient
    fast_decreasing = 5.0 - 0.001 * depth + 0.005 * rng.normal(size=(100, 8))  # fast, reversed gradient
    profiles = np.vstack([fast_decreasing, slow_increasing])
    scaled, _, _, extra = preprocess.apply_transform(profiles, depth, np.ones(200), "standardize", "km/s")
    result = fit_kmeans(scaled, depth, 2, order_values=extra["profile_depth_mean"])
    assert (result.labels[100:] == 0).all() and (result.labels[:100] == 1).all()
    assert result.depth_mean_of_centers[0] < result.depth_mean_of_centers[1]
    assert result.depth_mean_of_centers[0] == pytest.approx(extra["profile_depth_mean"][100:].mean())


def test_resample_gives_profiles_nc_a_uniform_depth_grid(tmp_path):
    model = small_global_model(n_depth=5, step=30.0).assign_coords(depth=[50.0, 100.0, 200.0, 400.0, 650.0])
    model["depth"].attrs["units"] = "km"
    path = tmp_path / "irregular.nc"
    model.to_netcdf(path)
    ds = extract_model(ModelSpec(name="r", path=str(path), variable="vs", depth_weighting="resample"))
    depth = ds["depth"].values
    assert depth[0] == 50.0 and depth[-1] == 650.0 and depth.size == 13
    np.testing.assert_allclose(np.diff(depth), 50.0)
    np.testing.assert_array_equal(ds["depth_weight"].values, 1.0)
    assert ds.attrs["depth_weighting"] == "resample"
    # A resampled profile passes through the original samples.
    with xr.open_dataset(path) as raw:
        first = raw["vs"].sel(latitude=ds["profile_latitude"][0], longitude=ds["profile_longitude"][0]).values
    np.testing.assert_allclose(ds["profiles"].values[0][[0, 1, 3, 7, 12]], first, rtol=1e-6)

"""Bad input fails fast with a clear message; storage never changes the numbers (the workflow's runs: determinism,
interrupted runs, odd paths: test_reliability_workflow.py)."""

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from tomoclust.extract import ModelInputError, ModelSpec, extract_model
from tomoclust.fit import fit_kmeans

# --- bad input -------------------------------------------------------------------------------------


def test_depth_units_not_understood(tmp_path, demo_model):
    ds = demo_model.copy()
    ds["depth"].attrs["units"] = "furlongs"
    ds.to_netcdf(tmp_path / "odd.nc")
    with pytest.raises(ModelInputError, match="model 'odd' .*depth units 'furlongs' are not understood"):
        extract_model(ModelSpec(name="odd", path=str(tmp_path / "odd.nc"), variable="dvs"))


def test_depth_in_metres_without_units_is_refused(tmp_path, demo_model):
    ds = demo_model.assign_coords(depth=("depth", demo_model.depth.values * 1000.0))
    ds.to_netcdf(tmp_path / "metres.nc")
    with pytest.raises(ModelInputError, match="is it in metres"):
        extract_model(ModelSpec(name="metres", path=str(tmp_path / "metres.nc"), variable="dvs"))


def test_no_complete_profile_left(tmp_path, demo_model):
    demo_model.to_netcdf(tmp_path / "demo.nc")
    offshore = ModelSpec(
        name="sea", path=str(tmp_path / "demo.nc"), variable="dvs", region={"lat": [45, 48], "lon": [-125, -124.8]}
    )
    with pytest.raises(ModelInputError, match="model 'sea' .*no complete depth profile left"):
        extract_model(offshore)


# --- same numbers whatever the storage --------------------------------------------------------------


def _variants(ds):
    yield "canonical", ds, None
    yield "transposed", ds.transpose("longitude", "latitude", "depth"), None
    yield "descending_lat", ds.isel(latitude=slice(None, None, -1)), None
    yield "lon_0_360", ds.assign_coords(longitude=ds.longitude % 360), None
    yield "unsorted_lon", ds.isel(longitude=np.random.default_rng(3).permutation(ds.sizes["longitude"])), None
    yield "renamed", ds.rename({"latitude": "lat", "longitude": "lon", "dvs": "vs_perturbation"}), None
    yield "fill_value", ds, {"dvs": {"_FillValue": np.float32(9.96921e36)}}


def test_identical_clusterings_whatever_the_storage(tmp_path, demo_model):
    subset = demo_model.isel(latitude=slice(20, 70), longitude=slice(10, 70))
    labels = {}
    for name, ds, encoding in _variants(subset):
        path = tmp_path / f"{name}.nc"
        ds.to_netcdf(path, encoding=encoding)
        variable = "vs_perturbation" if name == "renamed" else "dvs"
        profiles = extract_model(ModelSpec(name=name, path=str(path), variable=variable))
        X, depth = profiles["profiles"].values, profiles["depth"].values
        # Either engine is deterministic; the storage is what varies here.
        labels[name] = {k: fit_kmeans(X, depth, k, random_state=0, engine="sklearn").labels for k in (2, 3, 4, 6)}
    for name, by_k in labels.items():
        for k, k_labels in by_k.items():
            assert adjusted_rand_score(labels["canonical"][k], k_labels) == 1.0, (name, k)
            np.testing.assert_array_equal(labels["canonical"][k], k_labels)

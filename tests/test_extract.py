"""Reading models stored in every common convention gives the same canonical profiles."""

import numpy as np
import pytest
import xarray as xr

from conftest import SHARED_MODELS, needs_shared_models, small_global_model
from tomoclust.extract import (
    STATUS_COMPLETE,
    STATUS_EMPTY,
    STATUS_INCOMPLETE,
    ModelInputError,
    ModelSpec,
    extract_model,
    longitude_window,
    wrap_longitude,
)


def _extract(ds, tmp_path, variable="vs", name="m", encoding=None, **spec):
    path = tmp_path / f"{name}.nc"
    ds.to_netcdf(path, encoding=encoding)
    return extract_model(ModelSpec(name=name, path=str(path), variable=variable, **spec), block_mb=0.001)


@pytest.fixture
def canonical(tmp_path):
    return _extract(small_global_model(), tmp_path, name="canonical")


def _assert_same_profiles(result, reference):
    np.testing.assert_array_equal(result["profiles"].values, reference["profiles"].values)
    np.testing.assert_array_equal(result["latitude"].values, reference["latitude"].values)
    np.testing.assert_array_equal(result["longitude"].values, reference["longitude"].values)
    np.testing.assert_array_equal(result["depth"].values, reference["depth"].values)
    np.testing.assert_array_equal(result["profile_status"].values, reference["profile_status"].values)


def test_canonical_order_and_duplicate_meridian(canonical):
    lon = canonical["longitude"].values
    assert lon[0] == -180.0 and lon[-1] == 150.0, "the +180 column duplicates -180 and is dropped"
    assert np.all(np.diff(lon) > 0) and np.all(np.diff(canonical["latitude"].values) > 0)
    lat_i = canonical["profile_lat_index"].values
    lon_i = canonical["profile_lon_index"].values
    flat = lat_i * lon.size + lon_i
    assert np.all(np.diff(flat) > 0), "profiles ordered by latitude then longitude"
    status = canonical["profile_status"].values
    assert (status == STATUS_EMPTY).sum() == 1 and (status == STATUS_INCOMPLETE).sum() == 1
    assert canonical.attrs["n_profiles"] == (status == STATUS_COMPLETE).sum() == status.size - 2
    assert canonical.attrs["n_incomplete_dropped"] == 1 and canonical.attrs["n_no_data"] == 1


def test_profiles_hold_the_file_values(canonical):
    ds = small_global_model()
    i = 5
    lat = canonical["profile_latitude"].values[i]
    lon = canonical["profile_longitude"].values[i]
    expected = ds["vs"].sel(latitude=lat, longitude=lon).values
    np.testing.assert_array_equal(canonical["profiles"].values[i], expected)


@pytest.mark.parametrize(
    "variant",
    [
        "transposed",
        "short_names",
        "lon_0_360",
        "descending_lat",
        "descending_depth",
        "fill_value",
        "unsorted_lon",
        "depth_in_m",
    ],
)
def test_storage_conventions_give_identical_profiles(variant, tmp_path, canonical):
    ds = small_global_model()
    encoding = None
    if variant == "transposed":
        ds = ds.transpose("longitude", "depth", "latitude")
    elif variant == "short_names":
        ds = ds.rename({"latitude": "lat", "longitude": "lon"})
    elif variant == "lon_0_360":
        ds = ds.isel(longitude=slice(0, -1))  # 0..330 has no duplicated meridian
        ds = ds.assign_coords(longitude=ds.longitude % 360).sortby("longitude")
    elif variant == "descending_lat":
        ds = ds.isel(latitude=slice(None, None, -1))
    elif variant == "descending_depth":
        ds = ds.isel(depth=slice(None, None, -1))
    elif variant == "fill_value":
        encoding = {"vs": {"_FillValue": np.float32(-99999.0)}}
    elif variant == "unsorted_lon":
        ds = ds.isel(longitude=np.random.default_rng(0).permutation(ds.sizes["longitude"]))
    elif variant == "depth_in_m":
        ds = ds.assign_coords(depth=("depth", ds.depth.values * 1000.0, {"units": "m"}))
    result = _extract(ds, tmp_path, name=variant, encoding=encoding)
    _assert_same_profiles(result, canonical)


def test_fill_value_is_stored_as_number_not_nan(tmp_path, canonical):
    path = tmp_path / "fill.nc"
    small_global_model().to_netcdf(path, encoding={"vs": {"_FillValue": np.float32(-99999.0)}})
    with xr.open_dataset(path, mask_and_scale=False) as raw:
        assert (raw["vs"].values == -99999.0).any(), "the test file really uses a fill value"


@pytest.mark.parametrize(
    "lon_range, convention, window",
    [
        (None, "180", None),
        ([-125, -100], "180", (-125.0, -100.0)),
        ([235, 260], "180", (-125.0, -100.0)),
        ([0, 180], "180", (0.0, 180.0)),
        ([170, -170], "360", (170.0, 190.0)),
        ([120, 300], "360", (120.0, 300.0)),
        ([0, 360], "180", None),
        ([-180, 180], "180", None),
    ],
)
def test_longitude_window(lon_range, convention, window):
    assert longitude_window(lon_range) == (convention, window)


def test_wrap_longitude():
    np.testing.assert_array_equal(wrap_longitude([0, 180, 190, 358, -180], "180"), [0, -180, -170, -2, -180])
    np.testing.assert_array_equal(wrap_longitude([-170, -2, 0, 180], "360"), [190, 358, 0, 180])


def test_region_across_antimeridian(tmp_path):
    result = _extract(small_global_model(), tmp_path, region={"lat": [-30, 30], "lon": [150, -150]})
    np.testing.assert_array_equal(result["longitude"].values, [150.0, 180.0, 210.0])
    np.testing.assert_array_equal(result["latitude"].values, [-30.0, 0.0, 30.0])


def test_region_and_depth_selection(tmp_path):
    result = _extract(small_global_model(), tmp_path, region={"lat": [60, -60], "lon": [-60, 60]}, depth=(100, 500))
    np.testing.assert_array_equal(result["latitude"].values, [-60.0, -30.0, 0.0, 30.0, 60.0])
    np.testing.assert_array_equal(result["longitude"].values, [-60.0, -30.0, 0.0, 30.0, 60.0])
    np.testing.assert_array_equal(result["depth"].values, [200.0, 350.0, 500.0])


def test_demo_model_conventions(demo_model):
    assert demo_model["dvs"].dims == ("depth", "latitude", "longitude")
    assert demo_model["depth"].attrs["units"] == "km" and demo_model["depth"].attrs["positive"] == "down"
    assert demo_model["dvs"].attrs["units"] == "percent"
    assert demo_model.attrs["geospatial_lon_min"] == -125.0
    province = demo_model["province"].values
    assert set(np.unique(province)) == {-1, 0, 1, 2, 3, 4, 5}
    complete = np.isfinite(demo_model["dvs"].values).all(axis=0)
    np.testing.assert_array_equal(province >= 0, complete)
    assert 9_500 <= complete.sum() <= 12_000, "about 11,000 profiles"
    assert (np.isfinite(demo_model["dvs"].values).any(axis=0) & ~complete).sum() > 0, "some incomplete profiles"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"path": "nowhere.nc"}, "file not found"),
        ({"variable": "dvp"}, "variable 'dvp' not in file; it has ['vs']"),
        ({"region": {"lat": [10, 20]}}, "region.lat"),
        ({"depth": (700, 900)}, "depth"),
        ({"dims": {"depth": "radius"}}, "dims.depth"),
    ],
)
def test_clear_errors(small_model_file, change, message):
    spec = {"name": "bad", "path": str(small_model_file), "variable": "vs", **change}
    with pytest.raises(ModelInputError) as error:
        extract_model(ModelSpec(**spec))
    assert message in str(error.value)
    assert "model 'bad'" in str(error.value)


def test_not_a_netcdf_file(tmp_path):
    path = tmp_path / "notes.nc"
    path.write_text("not a netCDF file")
    with pytest.raises(ModelInputError, match="cannot be read as netCDF"):
        extract_model(ModelSpec(name="txt", path=str(path), variable="vs"))


def test_unrecognised_dimension_names(tmp_path):
    ds = small_global_model().rename({"latitude": "theta"})
    path = tmp_path / "theta.nc"
    ds.to_netcdf(path)
    with pytest.raises(ModelInputError, match=r"looked for .*'lat'.*dims: \{latitude: <name>\}"):
        extract_model(ModelSpec(name="theta", path=str(path), variable="vs"))
    mapped = extract_model(ModelSpec(name="theta", path=str(path), variable="vs", dims={"latitude": "theta"}))
    assert mapped.sizes["latitude"] == 7


@needs_shared_models
@pytest.mark.real_models
def test_semum_0_360_longitudes():
    spec = ModelSpec(name="semum", path=str(SHARED_MODELS / "SEMum_vs.nc"), variable="v", depth=(80, 350))
    ds = extract_model(spec)
    assert (
        ds.sizes["longitude"] == 180
        and ds["longitude"].values.min() == -180.0
        and ds["longitude"].values.max() == 178.0
    )
    assert ds.sizes["profile"] == 16_380
    np.testing.assert_array_equal(ds["depth"].values, [80, 100, 150, 200, 250, 300, 350])


@needs_shared_models
@pytest.mark.real_models
def test_s362anim_duplicate_meridian_dropped():
    spec = ModelSpec(name="s362", path=str(SHARED_MODELS / "S362ANI+M_vs.nc"), variable="v", depth=(1000, 2800))
    ds = extract_model(spec)
    assert ds.sizes["longitude"] == 180, "-180 and 180 are one meridian"
    assert ds.sizes["profile"] == 91 * 180


def _with_depth(values, **attrs):
    ds = small_global_model()
    return ds.assign_coords(depth=("depth", values, attrs))


@pytest.mark.parametrize(
    "depth_factor, attrs",
    [
        (1.0, {"units": "km_downward"}),
        (1.0, {"units": "kilometer"}),
        (1.0, {"units": "Kilometers"}),
        (1.0, {"units": "kilometers downward"}),
        (1000.0, {"units": "meters"}),
        (1000.0, {"units": "metres"}),
        (-1.0, {"units": "km", "positive": "up"}),
        (-1000.0, {"units": "m", "positive": "up"}),
    ],
    ids=[
        "km_downward",
        "kilometer",
        "Kilometers",
        "kilometers downward",
        "meters",
        "metres",
        "positive_up_km",
        "positive_up_m",
    ],
)
def test_depth_units_and_direction_as_real_files_spell_them(tmp_path, canonical, depth_factor, attrs):
    depth = small_global_model()["depth"].values * depth_factor
    result = _extract(_with_depth(depth, **attrs), tmp_path, name="spelled")
    _assert_same_profiles(result, canonical)


def test_negative_depths_without_direction_are_refused_with_the_key_that_fixes_them(tmp_path, canonical):
    ds = _with_depth(-small_global_model()["depth"].values, units="km")
    with pytest.raises(
        ModelInputError, match=r"negative values .*`depth_positive: up`.*models\[name=neg\]\.depth_positive"
    ):
        _extract(ds, tmp_path, name="neg")
    _assert_same_profiles(_extract(ds, tmp_path, name="neg_fixed", depth_positive="up"), canonical)


def test_unknown_depth_units_name_the_key_that_fixes_them(tmp_path, canonical):
    ds = _with_depth(small_global_model()["depth"].values, units="kmdepth")
    with pytest.raises(
        ModelInputError, match=r"depth units 'kmdepth' are not understood.*models\[name=odd\]\.depth_units"
    ):
        _extract(ds, tmp_path, name="odd")
    _assert_same_profiles(_extract(ds, tmp_path, name="odd_fixed", depth_units="km"), canonical)


def _set_attributes(path, variable, **attrs):
    import netCDF4

    with netCDF4.Dataset(path, "a") as nc:
        for name, value in attrs.items():
            nc[variable].setncattr(name, value)


def test_numbers_stored_as_text_are_read_and_logged(tmp_path, canonical, caplog):
    path = tmp_path / "text.nc"
    small_global_model().to_netcdf(path)
    _set_attributes(path, "vs", scale_factor="1.f", add_offset="0.f", valid_range="-1000.f, 1000.f")
    with caplog.at_level("INFO"):
        result = extract_model(ModelSpec(name="text", path=str(path), variable="vs"), block_mb=0.001)
    _assert_same_profiles(result, canonical)
    assert "attribute scale_factor of 'vs' is stored as text '1.f'; read as 1.0" in caplog.text
    assert "valid_range" in caplog.text


@pytest.mark.parametrize(
    "attrs",
    [{"valid_range": "-50.f, 50.f"}, {"valid_min": -50.0, "valid_max": 50.0}, {"valid_max": np.float32(50.0)}],
    ids=["valid_range_text", "valid_min_max", "valid_max"],
)
def test_values_outside_the_valid_range_are_masked(tmp_path, canonical, attrs):
    ds = small_global_model()
    ds["vs"].values[0, 4, 5] = 999.0  # a bad value the file marks only through its valid range
    path = tmp_path / "valid.nc"
    ds.to_netcdf(path)
    _set_attributes(path, "vs", **attrs)
    result = extract_model(ModelSpec(name="valid", path=str(path), variable="vs"), block_mb=0.001)
    status = result["profile_status"].values
    assert status[4, 5] == STATUS_INCOMPLETE and canonical["profile_status"].values[4, 5] == STATUS_COMPLETE
    assert result.attrs["n_profiles"] == canonical.attrs["n_profiles"] - 1


def test_text_that_holds_no_number_names_the_attribute(tmp_path):
    path = tmp_path / "bad_text.nc"
    small_global_model().to_netcdf(path)
    _set_attributes(path, "vs", scale_factor="one")
    with pytest.raises(
        ModelInputError, match="attribute scale_factor = 'one' of variable 'vs' is text that holds no number"
    ):
        extract_model(ModelSpec(name="bad", path=str(path), variable="vs"))


def test_a_two_dimensional_variable_is_refused_with_what_the_file_holds(tmp_path):
    ds = small_global_model()
    ds["surface"] = ds["vs"].isel(depth=0, drop=True)
    path = tmp_path / "flat.nc"
    ds.to_netcdf(path)
    with pytest.raises(
        ModelInputError,
        match=r"only the dimensions \['latitude', 'longitude'\].*The file holds .*'vs': "
        r"\['depth', 'latitude', 'longitude'\]",
    ):
        extract_model(ModelSpec(name="flat", path=str(path), variable="surface"))


def test_perturbation_units_only_in_the_long_name():
    from tomoclust.extract import source_units

    da = xr.DataArray([1.0], attrs={"long_name": "dVs perturbation (percent)"})
    assert source_units(da) == "percent"
    da = xr.DataArray([1.0], attrs={"display_name": "S Velocity (km/s)", "long_name": "vs (m/s)"})
    assert source_units(da) == "km/s", "display_name first, as before"


EMC_ATTRS = {
    "title": "A test model of the mantle",
    "id": "TEST-M1_kmps",
    "reference": "Doe, J. (2020). A test model. GJI 1, 1-10.",
    "reference_pid": "10.1093/gji/test.0001",
    "author_name": "Jane Doe",
    "acknowledgment": "Model was provided by Jane Doe",
    "data_revision": "r1.1",
    "references": "https://example.org/test-m1",
}


def test_the_model_citation_is_carried_into_profiles(tmp_path):
    ds = small_global_model()
    ds.attrs.update(EMC_ATTRS)
    result = _extract(ds, tmp_path, name="cited")
    for name, value in EMC_ATTRS.items():
        assert result.attrs[f"model_{name}"] == value
    citation = result.attrs["model_citation"]
    assert citation.startswith("TEST-M1_kmps: A test model of the mantle. Jane Doe. Doe, J. (2020)")
    assert "doi:10.1093/gji/test.0001" in citation and "data revision r1.1" in citation


def test_a_file_without_citation_attributes_says_so(tmp_path):
    result = _extract(small_global_model(), tmp_path, name="anonymous")
    assert result.attrs["model_citation"].startswith("anonymous.nc. (the file anonymous.nc names no reference")


def test_the_only_three_dimensional_variable_is_used_when_none_is_named(tmp_path, canonical, caplog):
    ds = small_global_model()
    ds["surface_heat_flow"] = ds["vs"].isel(depth=0, drop=True)
    with caplog.at_level("INFO"):
        result = _extract(ds, tmp_path, variable=None, name="unnamed")
    _assert_same_profiles(result, canonical)
    assert "using 'vs', the file's only 3-D variable" in caplog.text


def test_several_volumes_and_none_named_is_refused_with_what_the_file_holds(tmp_path):
    ds = small_global_model()
    ds["vp"] = ds["vs"] * 1.8
    with pytest.raises(
        ModelInputError,
        match=r"no `variable` named, and the file has 2 variables \(\['vs', 'vp'\]\).*"
        r"it holds \{'vs': \['depth', 'latitude', 'longitude'\].*models\[name=two\]\.variable",
    ):
        _extract(ds, tmp_path, variable=None, name="two")


def test_no_depth_dimension_is_refused_with_what_the_file_holds(tmp_path):
    ds = small_global_model().rename({"depth": "layer"})
    with pytest.raises(
        ModelInputError,
        match=r"no depth dimension found.*The file holds \{'vs': \['layer', 'latitude', "
        r"'longitude'\]\}.*models\[name=layers\]\.dims\.depth",
    ):
        _extract(ds, tmp_path, name="layers")

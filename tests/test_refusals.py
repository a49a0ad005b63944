"""Every refusal's advice works: apply what the message says, run again, and it passes.

Unit level (the reader and the config checks called directly). Where a message names a key and a value
(`depth_units: m`), the test takes them from the message; where it names a key and lists the choices, the test
takes one from the list. Where no key can fix the file, the message says what in the file is wrong and what to do.
"""

import copy
import re

import numpy as np
import pytest

from conftest import small_global_model
from tomoclust.config import check_config, check_k_counts
from tomoclust.extract import ModelInputError, ModelSpec, extract_model

# --- The reader (tomoclust.extract) -------------------------------------------------------------------------------


def extract(ds, tmp_path, **spec):
    path = tmp_path / "model.nc"
    if not path.exists():
        ds.to_netcdf(path)
    spec = {"name": "m", "path": str(path), "variable": "vs", **spec}
    return extract_model(ModelSpec(**spec), block_mb=0.01)


def refusal(ds, tmp_path, **spec) -> str:
    with pytest.raises(ModelInputError) as error:
        extract(ds, tmp_path, **spec)
    return str(error.value)


def advised_setting(message: str) -> tuple[str, str]:
    """The `key: value` a message says to set."""
    match = re.search(r"set `(\w+): (\w+)`", message, re.IGNORECASE)
    assert match, f"no `key: value` to set in: {message}"
    return match.group(1), match.group(2)


def test_depth_in_metres_without_units(tmp_path):
    ds = small_global_model()
    ds["depth"] = ds["depth"] * 1000.0
    ds["depth"].attrs = {}
    message = refusal(ds, tmp_path)
    key, value = advised_setting(message)
    assert extract(ds, tmp_path, **{key: value})["depth"].max() < 700


def test_depth_units_not_understood(tmp_path):
    ds = small_global_model()
    ds["depth"].attrs["units"] = "kilometres deep"
    key, value = advised_setting(refusal(ds, tmp_path))
    assert key == "depth_units"
    assert extract(ds, tmp_path, **{key: value})["depth"].max() < 700


def test_depth_counted_upward(tmp_path):
    ds = small_global_model()
    ds["depth"] = -ds["depth"]
    ds["depth"].attrs = {"units": "km"}
    key, value = advised_setting(refusal(ds, tmp_path))
    assert extract(ds, tmp_path, **{key: value})["depth"].min() > 0


def test_variable_not_in_the_file(tmp_path):
    ds = small_global_model()
    message = refusal(ds, tmp_path, variable="dvs")
    assert "`models[name=m].variable`" in message
    listed = re.search(r"it has \[([^\]]*)\]", message).group(1)
    choice = listed.split(",")[0].strip(" '")
    assert extract(ds, tmp_path, variable=choice)["profiles"].size


def test_several_volumes_and_no_variable(tmp_path):
    ds = small_global_model()
    ds["vp"] = ds["vs"] * 2
    message = refusal(ds, tmp_path, variable=None)
    assert "`models[name=m].variable`" in message
    choice = re.search(r"\(\[([^\]]*)\]\)", message).group(1).split(",")[0].strip(" '")
    assert extract(ds, tmp_path, variable=choice)["profiles"].size


def test_dimension_not_found_is_mapped_with_dims(tmp_path):
    ds = small_global_model().rename({"latitude": "row"})
    message = refusal(ds, tmp_path)
    assert "`dims: {latitude: <name>}`" in message and "'row'" in message
    assert extract(ds, tmp_path, dims={"latitude": "row"})["profiles"].size


def test_dims_override_that_is_no_dimension(tmp_path):
    ds = small_global_model()
    message = refusal(ds, tmp_path, dims={"depth": "z"})
    assert "`models[name=m].dims.depth`" in message
    choices = re.search(r"it has \[([^\]]*)\]", message).group(1)
    assert "'depth'" in choices
    assert extract(ds, tmp_path, dims={"depth": "depth"})["profiles"].size


def test_depth_range_keeping_one_depth(tmp_path):
    ds = small_global_model()
    message = refusal(ds, tmp_path, depth=(100, 200))
    assert "`models[name=m].depth`" in message
    assert extract(ds, tmp_path, depth=(50, 650))["profiles"].size


def test_region_with_no_profile(tmp_path):
    ds = small_global_model()
    ds["vs"][:] = np.nan
    ds["vs"][:, 3, 3] = 1.0
    message = refusal(ds, tmp_path, region={"lat": [30, 60], "lon": [150, 170]})
    assert "widen `models[name=m].region` or `.depth`" in message
    assert extract(ds, tmp_path, region={"lat": [-10, 10], "lon": [-100, -80]})["profiles"].size


def test_unreadable_attribute_says_what_to_do_outside_the_workflow(tmp_path):
    """No key reads past a broken attribute: the message names it, its value, and the command that fixes the file."""
    ds = small_global_model()
    ds["vs"].attrs["valid_range"] = "low, high"
    message = refusal(ds, tmp_path)
    assert "valid_range = 'low, high'" in message and "'vs'" in message
    assert "ncatted" in message and "Fix `models" not in message


def test_extra_dimension_says_what_to_do_outside_the_workflow(tmp_path):
    ds = small_global_model().expand_dims(time=2).transpose("time", ...)
    message = refusal(ds, tmp_path)
    assert "{'time': 2}" in message and "ncks -d time,0" in message and "`models[name=m].path`" in message
    # The advice, done with xarray here: the first time step alone, and `path` pointed at it.
    one = tmp_path / "one.nc"
    ds.isel(time=0).to_netcdf(one)
    assert extract(ds, tmp_path, path=str(one))["profiles"].size


# --- The config checks (tomoclust.config) --------------------------------------------------------------------------


def config_with(tmp_path, **overrides):
    model = tmp_path / "model.nc"
    small_global_model().to_netcdf(model)
    config = {
        "models": [
            {"name": "a", "path": str(model), "variable": "vs"},
            {"name": "b", "path": str(model), "variable": "vs"},
        ],
        "k": {"min": 2, "max": 6},
        "maps": {"k": "all", "pdf": "figure_k"},
        "figure_k": "auto",
        "fit": {"metric": "euclidean", "engine": "tslearn"},
        "compare": [],
        "classify": [],
    }
    for key, value in overrides.items():
        config[key] = value
    return config


def refused_config(config) -> str:
    with pytest.raises(ValueError) as error:
        check_config(config, "resources/demo/wus_synthetic.nc")
    return str(error.value)


def test_path_and_url_both_given(tmp_path):
    config = config_with(tmp_path)
    config["models"][0]["url"] = "https://example.org/model.nc"
    assert "not both" in refused_config(config) and "`models[name=a]`" in refused_config(config)
    del config["models"][0]["url"]
    check_config(config, "")


def test_missing_file(tmp_path):
    config = config_with(tmp_path)
    config["models"][1]["path"] = str(tmp_path / "absent.nc")
    assert "`models[name=b].path`" in refused_config(config)
    config["models"][1]["path"] = config["models"][0]["path"]
    check_config(config, "")


def test_k_range_reversed(tmp_path):
    config = config_with(tmp_path, k={"min": 6, "max": 2})
    assert "`k.min` (6) is larger than `k.max` (2)" in refused_config(config)
    config["k"] = {"min": 2, "max": 6}
    check_config(config, "")


@pytest.mark.parametrize("key", ["maps.k", "figure_k", "maps.pdf"])
def test_k_list_outside_the_range(tmp_path, key):
    config = config_with(tmp_path)
    section, _, name = key.rpartition(".")
    target = config[section] if section else config
    target[name or key] = [3, 9]
    message = refused_config(config)
    assert f"`{key}` lists k = [9]" in message
    target[name or key] = [3]
    check_config(config, "")


def test_comparison_of_unknown_and_differently_deep_models(tmp_path):
    config = config_with(tmp_path, compare=[{"name": "c", "models": ["a", "z"], "vote_k": [2]}])
    assert "['z']" in refused_config(config)
    config["compare"][0]["models"] = ["a", "b"]
    config["models"][0]["depth"] = [50, 400]
    message = refused_config(config)
    assert "give them the same `depth` in `models`" in message
    config["models"][1]["depth"] = [50, 400]
    check_config(config, "")


def test_joint_fit_needs_euclidean(tmp_path):
    config = config_with(tmp_path)
    config["models"][0]["variables"] = ["vs"]
    config["fit"]["metric"] = "dtw"
    assert "set `fit.metric: euclidean`" in refused_config(config)
    config["fit"]["metric"] = "euclidean"
    check_config(config, "")


def test_a_classification_target_named_like_the_agreement_figure(tmp_path):
    config = config_with(tmp_path)
    config["models"][0]["name"] = "agreement"
    config["classify"] = [{"name": "c", "reference": {"model": "agreement", "k": 3}, "targets": ["agreement"]}]
    assert "rename the model in `models` and in `classify[name=c].targets`" in refused_config(config)


def test_a_variable_other_than_the_first_of_variables(tmp_path):
    config = config_with(tmp_path)
    config["models"][0].update(variable="vp", variables=["vs", "vp"])
    assert "drop `models[name=a].variable` or put it first in `.variables`" in refused_config(config)
    config["models"][0]["variables"] = ["vp", "vs"]
    check_config(config, "")


def test_depth_windows_wider_than_the_depth_range(tmp_path):
    config = config_with(tmp_path)
    config["models"][0].update(depth=[50, 250], depth_windows={"width": 400, "step": 100, "k": [2]})
    assert "`models[name=a].depth` or `.depth_windows.width`" in refused_config(config)
    config["models"][0]["depth_windows"]["width"] = 200
    check_config(config, "")


def test_two_downloads_to_one_file(tmp_path):
    config = config_with(tmp_path)
    config["models"] = [
        {"name": "a", "url": "https://example.org/m.nc", "sha256": "1" * 64},
        {"name": "b", "url": "https://example.org/m.nc", "sha256": "2" * 64},
    ]
    assert "give them the same `url` and `sha256`" in refused_config(config)
    config["models"][1]["sha256"] = "1" * 64
    check_config(config, "")


def test_classification_of_unknown_model_and_k_outside(tmp_path):
    config = config_with(tmp_path, classify=[{"name": "c", "reference": {"model": "z", "k": 3}, "targets": ["b"]}])
    assert "`classify[name=c]`" in refused_config(config)
    config["classify"][0]["reference"] = {"model": "a", "k": 9}
    assert "`reference.k` = 9" in refused_config(config)
    config["classify"][0]["reference"]["k"] = 3
    check_config(config, "")


def test_k_max_more_than_the_profiles():
    with pytest.raises(ValueError) as error:
        check_k_counts(range(2, 41), 30, 30, "m", "profiles.nc")
    advised = int(re.search(r"lower `k.max` to at most (\d+)", str(error.value)).group(1))
    check_k_counts(range(2, advised + 1), 30, 30, "m", "profiles.nc")


def test_config_fixtures_are_independent(tmp_path):
    """A guard for the tests above: each builds its own config."""
    a, b = config_with(tmp_path), copy.deepcopy(config_with(tmp_path))
    assert a == b

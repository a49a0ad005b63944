"""Depth-window comparisons across models, the 3-D vote (issue 23, item 2); its runs through the workflow:
test_vote3d_workflow.py."""

import numpy as np
import pytest
import xarray as xr

from conftest import noisy_model, planted_share, planted_volume
from tomoclust.extract import ModelSpec, extract_model
from tomoclust.preprocess import EARTH_RADIUS_KM
from tomoclust.vote3d import (
    CMB_DEPTH_KM,
    LOWER_MANTLE_TOP_KM,
    layer_volume,
    majority,
    shell_volume,
    slow_area_table,
    slow_volume_table,
    vote3d_dataset,
    vote_map_depths,
    window_labels,
    windows_on_common_grid,
)

FIT = {"metric": "euclidean", "max_iter": 50, "n_init": 1, "random_state": 0, "engine": "sklearn"}
WINDOWS = {"width": 300, "step": 100, "k": [2]}
DEPTH_RANGE = (1000.0, 2800.0)


# --- Geometry ---------------------------------------------------------------------------------------------------------


def test_shell_volumes_of_the_mantle():
    r, r_cmb, r_660 = EARTH_RADIUS_KM, EARTH_RADIUS_KM - CMB_DEPTH_KM, EARTH_RADIUS_KM - LOWER_MANTLE_TOP_KM
    assert layer_volume("whole_mantle") == pytest.approx(4 / 3 * np.pi * (r**3 - r_cmb**3))
    assert layer_volume("lower_mantle") == pytest.approx(4 / 3 * np.pi * (r_660**3 - r_cmb**3))
    assert layer_volume("whole_mantle") == pytest.approx(9.06e11, rel=0.01)  # the textbook 9.1e11 km³
    np.testing.assert_allclose(shell_volume([0.0, 100.0], [100.0, 50.0]), [shell_volume(0, 100), 0.0])


def test_majority_and_the_depths_of_the_maps():
    assert [majority(n) for n in (1, 2, 3, 4, 5)] == [1, 2, 2, 3, 3]
    mids = np.arange(1150.0, 2651.0, 100.0)  # 16 windows
    assert vote_map_depths(mids) == [1150.0, 1850.0, 2650.0]
    assert vote_map_depths(mids, "auto") == vote_map_depths(mids)
    assert vote_map_depths(mids, [1960, 2890, 1990]) == [1950.0, 2650.0]  # nearest window, each once
    assert vote_map_depths([1500.0]) == [1500.0]


def _votes(labels, lat, lon, depth=(1150.0, 1250.0), step=100.0):
    """vote3d.nc of hand-made window labels (model, depth, lat, lon) at k = 2, through the module's own functions."""
    labels = np.asarray(labels, dtype=np.int32)
    cubes = {}
    for m, name in enumerate(["a", "b", "c"][: labels.shape[0]]):
        cubes[name] = xr.Dataset(
            {
                "labels": (("k", "depth", "latitude", "longitude"), labels[m][None]),
                "depth_bounds": (("depth", "bounds"), np.array([[d - 150, d + 150] for d in depth])),
            },
            coords={"k": [2], "depth": list(depth), "latitude": lat, "longitude": lon},
        )
    return vote3d_dataset(windows_on_common_grid(cubes), step)


def test_area_table_counts_each_model_and_each_threshold_over_the_points_all_cover():
    lat, lon = np.array([-45.0, 45.0]), np.array([-90.0, 90.0])  # four equal cells
    a = [[[0, 0], [1, 1]], [[0, 1], [1, 1]]]
    b = [[[0, 1], [1, 1]], [[0, 0], [0, -1]]]  # no profile in the last cell of the second window
    c = [[[1, 0], [0, 1]], [[0, 1], [1, 1]]]
    votes = _votes([a, b, c], lat, lon)
    np.testing.assert_array_equal(votes["slow_votes"].sel(k=2).values[0], [[2, 2], [1, 0]])
    assert votes["slow_votes"].dims == ("k", "depth", "latitude", "longitude")
    assert votes["depth"].attrs["units"] == "km" and votes["depth"].attrs["positive"] == "down"
    table = slow_area_table(votes).set_index(["mid_depth_km", "curve"])
    assert table.loc[(1150.0, "a"), "slow_area_percent"] == pytest.approx(50.0)
    assert table.loc[(1150.0, ">= 1 of 3"), "slow_area_percent"] == pytest.approx(75.0)
    assert table.loc[(1150.0, ">= 2 of 3"), "slow_area_percent"] == pytest.approx(50.0)
    assert table.loc[(1150.0, ">= 3 of 3"), "slow_area_percent"] == pytest.approx(0.0)
    # Second window: three cells covered by every model; >= 2 of 3 slow in the first only.
    shrink = ((EARTH_RADIUS_KM - 1250.0) / EARTH_RADIUS_KM) ** 2
    assert table.loc[(1250.0, ">= 2 of 3"), "region_area_km2"] == pytest.approx(3 * np.pi * EARTH_RADIUS_KM**2 * shrink)
    assert table.loc[(1250.0, ">= 2 of 3"), "slow_area_percent"] == pytest.approx(100 / 3)
    assert table.loc[(1250.0, "b"), "slow_area_percent"] == pytest.approx(100.0)


def test_volumes_let_each_window_stand_for_its_shell():
    lat, lon = np.array([-45.0, 45.0]), np.array([-90.0, 90.0])
    a = [[[0, 0], [1, 1]], [[0, 1], [1, 1]]]
    votes = _votes([a, a], lat, lon)
    volume = slow_volume_table(slow_area_table(votes), 100.0).set_index("curve")
    expected = 0.5 * shell_volume(1100, 1200) + 0.25 * shell_volume(1200, 1300)
    assert volume.loc[">= 2 of 2", "slow_volume_km3"] == pytest.approx(expected)
    assert volume.loc[">= 2 of 2", "percent_of_whole_mantle"] == pytest.approx(
        100 * expected / layer_volume("whole_mantle")
    )
    assert volume.loc[">= 2 of 2", "percent_of_lower_mantle"] == pytest.approx(
        100 * expected / layer_volume("lower_mantle")
    )
    assert volume.loc[">= 2 of 2", "percent_of_shells"] == pytest.approx(100 * expected / shell_volume(1100, 1300))
    assert volume.loc[">= 2 of 2", "majority"] and not volume.loc[">= 1 of 2", "majority"]
    assert (volume.loc[">= 2 of 2", "shells_top_km"], volume.loc[">= 2 of 2", "shells_bottom_km"]) == (1100.0, 1300.0)


def test_models_clustered_in_different_windows_are_refused():
    lat, lon = np.array([0.0]), np.array([0.0, 90.0])
    cube = lambda top: xr.Dataset(  # noqa: E731
        {
            "labels": (("k", "depth", "latitude", "longitude"), np.zeros((1, 1, 1, 2), np.int32)),
            "depth_bounds": (("depth", "bounds"), np.array([[top, top + 300.0]])),
        },
        coords={"k": [2], "depth": [top + 150.0], "latitude": lat, "longitude": lon},
    )
    with pytest.raises(ValueError, match="different depth windows"):
        windows_on_common_grid({"a": cube(1000.0), "b": cube(1050.0)})


# --- Synthetic: two slow bodies planted in three noisy models (conftest.noisy_model) ----------------------------------

# Slightly different boundaries: radii 1.5 degrees smaller / as planted / 1.5 larger, centres shifted by up to 2
# degrees; the third model on a coarser 5-degree grid with longitudes 0..360 (regridded onto it).
SYNTHETIC = {
    "small": (4.0, -180.0, -1.5, 2.0, 1),
    "planted": (4.0, -180.0, 0.0, 0.0, 2),
    "large": (5.0, 0.0, 1.5, -2.0, 3),
}


def write_synthetic_models(directory):
    paths = {}
    for name, spec in SYNTHETIC.items():
        paths[name] = directory / f"{name}.nc"
        noisy_model(*spec).to_netcdf(paths[name])
    return paths


@pytest.fixture(scope="module")
def synthetic_votes(tmp_path_factory):
    paths = write_synthetic_models(tmp_path_factory.mktemp("synthetic"))
    cubes = {}
    for name, path in paths.items():
        profiles = extract_model(ModelSpec(name=name, path=str(path), variable="dvs", depth=DEPTH_RANGE))
        cubes[name] = window_labels(profiles, WINDOWS, DEPTH_RANGE, FIT, name)
    votes = vote3d_dataset(windows_on_common_grid(cubes), WINDOWS["step"])
    area = slow_area_table(votes)
    return cubes, votes, area, slow_volume_table(area, WINDOWS["step"])


def test_every_model_gets_the_same_windows_slowest_first(synthetic_votes):
    cubes, votes, _, _ = synthetic_votes
    for cube in cubes.values():
        np.testing.assert_array_equal(cube["depth"].values, np.arange(1150.0, 2651.0, 100.0))
        assert cube["depth_bounds"].values[0].tolist() == [1000.0, 1300.0]
        assert "none: a test model" in cube.attrs["model_citation"]
    # Category 0 is the slow body in every model and window: the planted centre is slowest everywhere.
    lat_i = int(np.abs(votes["latitude"].values).argmin())
    lon_i = int(np.abs(votes["longitude"].values - 20.0).argmin())
    assert (votes["slow_votes"].sel(k=2).values[:, lat_i, lon_i] == 3).all()
    assert votes.sizes["latitude"] == 36 and votes.sizes["longitude"] == 72  # the coarsest model's grid
    # Matched across models at every window: the slow categories match one another.
    assert (votes["category_matching"].sel(k=2).values[:, :, 0] == 0).all()


def test_the_majority_volume_is_the_planted_volume(synthetic_votes):
    _, _, _, volume = synthetic_votes
    row = volume[(volume["k"] == 2) & volume["majority"]].iloc[0]
    assert row["curve"] == ">= 2 of 3"
    planted = planted_volume(row["shells_top_km"], row["shells_bottom_km"])
    assert row["slow_volume_km3"] == pytest.approx(planted, rel=0.10)
    # Thresholds nest: more votes, less volume.
    votes = volume[volume["kind"] == "vote"].sort_values("min_votes")
    assert np.all(np.diff(votes["slow_volume_km3"]) < 0)


def test_the_slow_area_follows_the_planted_shape_through_depth(synthetic_votes):
    _, _, area, _ = synthetic_votes
    curve = area[area["curve"] == ">= 2 of 3"].sort_values("mid_depth_km")
    planted = 100.0 * planted_share(curve["mid_depth_km"].to_numpy())
    recovered = curve["slow_area_percent"].to_numpy()
    assert np.abs(recovered - planted).max() < 2.0, np.c_[planted, recovered].round(1)
    assert np.corrcoef(recovered, planted)[0, 1] > 0.99
    # Each model's own curve follows its own boundary: the larger bodies are larger at every depth.
    by_model = area[area["kind"] == "model"].pivot(index="mid_depth_km", columns="model", values="slow_area_percent")
    assert (by_model["small"] < by_model["planted"]).all() and (by_model["planted"] < by_model["large"]).all()


# --- Config -----------------------------------------------------------------------------------------------------------


def _config(**comparison):
    demo = {"path": "resources/demo/wus_synthetic.nc", "variable": "dvs", "depth": [20, 600]}
    return {
        "models": [{"name": "a", **demo}, {"name": "b", **demo}],
        "compare": [{"name": "c", "models": ["a", "b"], **comparison}],
    }


def test_a_comparison_without_depth_windows_keeps_its_entry_as_before():
    """No schema default is filled into a comparison without depth_windows: its rules' params are as before."""
    from snakemake.utils import validate

    from conftest import PROJECT

    config = _config()
    validate(config, str(PROJECT / "schemas" / "config.schema.yaml"), set_default=True)
    assert config["compare"][0] == {"name": "c", "models": ["a", "b"], "vote_k": [2], "grid": "auto"}
    config = _config(depth_windows={"width": 200, "step": 100})
    validate(config, str(PROJECT / "schemas" / "config.schema.yaml"), set_default=True)
    assert config["compare"][0]["depth_windows"] == {"width": 200, "step": 100, "k": [2]}


@pytest.mark.parametrize(
    "comparison, message",
    [
        ({"vote_depths": [100]}, "needs `compare[name=c].depth_windows`"),
        ({"depth_windows": {"width": 700, "step": 100}}, "fix `compare[name=c].depth_windows.width`"),
        ({"depth_windows": {"width": 200, "step": 100}, "vote_depths": [700]}, "fix `compare[name=c].vote_depths`"),
    ],
)
def test_bad_3d_vote_keys_are_refused_with_the_key_to_fix(comparison, message):
    from snakemake.utils import validate

    from conftest import PROJECT
    from tomoclust.config import check_config

    config = _config(**comparison)
    validate(config, str(PROJECT / "schemas" / "config.schema.yaml"), set_default=True)
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        check_config(config, "resources/demo/wus_synthetic.nc")


def test_depth_windows_without_a_depth_range_are_refused():
    from snakemake.utils import validate

    from conftest import PROJECT
    from tomoclust.config import check_config

    config = _config(depth_windows={"width": 200, "step": 100})
    for model in config["models"]:
        del model["depth"]
    validate(config, str(PROJECT / "schemas" / "config.schema.yaml"), set_default=True)
    with pytest.raises(ValueError, match="give them the same `depth`"):
        check_config(config, "resources/demo/wus_synthetic.nc")


def test_the_3d_vote_figures(synthetic_votes, tmp_path):
    from tomoclust.maps import MapStyle
    from tomoclust.plotting import plt, save_figure
    from tomoclust.vote3d_plots import plot_slow_area, plot_vote_maps

    _, votes, area, volume = synthetic_votes
    fig = plot_slow_area(area, volume, 2, "slow area")
    assert len(fig.axes[0].lines) == 3 + 3, "one curve per model and one per threshold >= m of 3"
    save_figure(
        fig, tmp_path / "area.png", dpi=40, bbox_inches=None
    )  # a low resolution: every artist is drawn all the same
    assert (tmp_path / "area.png").stat().st_size > 1_000
    depths = vote_map_depths(votes["depth"].values)
    fig = plot_vote_maps(votes, 2, depths, "votes", MapStyle(resolution="110m"))
    assert len(fig.axes) == len(depths) + 1, "a map per depth and one colour bar"
    plt.close(fig)  # unrendered: cartopy projects the lines when drawn (the workflow runs draw the maps)

"""Depth-window comparisons across models, the 3-D vote (issue 23, item 2)."""
import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml
from conftest import SHARED_MODELS, needs_shared_models
from test_workflow import copy_workflow, snakemake

from tomoclust.extract import ModelSpec, extract_model
from tomoclust.preprocess import EARTH_RADIUS_KM
from tomoclust.vote3d import (
    CMB_DEPTH_KM, LOWER_MANTLE_TOP_KM, layer_volume, majority, shell_volume, slow_area_table, slow_volume_table,
    vote3d_dataset, vote_map_depths, window_labels, windows_on_common_grid,
)

FIT = {"metric": "euclidean", "max_iter": 50, "n_init": 1, "random_state": 0}
WINDOWS = {"width": 300, "step": 100, "k": [2]}
DEPTH_RANGE = (1000.0, 2800.0)


# --- Geometry ----------------------------------------------------------------------------------------------------------

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
            {"labels": (("k", "depth", "latitude", "longitude"), labels[m][None]),
             "depth_bounds": (("depth", "bounds"), np.array([[d - 150, d + 150] for d in depth]))},
            coords={"k": [2], "depth": list(depth), "latitude": lat, "longitude": lon})
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
    assert volume.loc[">= 2 of 2", "percent_of_whole_mantle"] == pytest.approx(100 * expected / layer_volume("whole_mantle"))
    assert volume.loc[">= 2 of 2", "percent_of_lower_mantle"] == pytest.approx(100 * expected / layer_volume("lower_mantle"))
    assert volume.loc[">= 2 of 2", "percent_of_shells"] == pytest.approx(100 * expected / shell_volume(1100, 1300))
    assert volume.loc[">= 2 of 2", "majority"] and not volume.loc[">= 1 of 2", "majority"]
    assert (volume.loc[">= 2 of 2", "shells_top_km"], volume.loc[">= 2 of 2", "shells_bottom_km"]) == (1100.0, 1300.0)


def test_models_clustered_in_different_windows_are_refused():
    lat, lon = np.array([0.0]), np.array([0.0, 90.0])
    cube = lambda top: xr.Dataset(  # noqa: E731
        {"labels": (("k", "depth", "latitude", "longitude"), np.zeros((1, 1, 1, 2), np.int32)),
         "depth_bounds": (("depth", "bounds"), np.array([[top, top + 300.0]]))},
        coords={"k": [2], "depth": [top + 150.0], "latitude": lat, "longitude": lon})
    with pytest.raises(ValueError, match="different depth windows"):
        windows_on_common_grid({"a": cube(1000.0), "b": cube(1050.0)})


# --- Synthetic: two slow bodies planted in three noisy models ----------------------------------------------------------

CENTRES = ((0.0, 20.0), (0.0, -160.0))  # an "African" and a "Pacific" body, antipodal


def planted_radius(depth):
    """Angular radius (degrees) of each planted body: 18 deg at 1000 km widening to 40 deg at 2800 km."""
    return 18.0 + 22.0 * (np.asarray(depth, dtype=float) - 1000.0) / 1800.0


def planted_share(depth):
    """Share of the sphere inside the two bodies at a depth (two caps of angular radius theta: 1 - cos theta)."""
    return 1.0 - np.cos(np.radians(planted_radius(depth)))


def planted_volume(top, bottom):
    """Volume (km³) of the two bodies between two depths, by quadrature."""
    depth = np.linspace(top, bottom, 2001)
    integrand = planted_share(depth) * 4 * np.pi * (EARTH_RADIUS_KM - depth) ** 2
    return float(np.sum(0.5 * (integrand[1:] + integrand[:-1]) * np.diff(depth)))


def angular_distance(lat, lon, lat0, lon0):
    lat, lon, lat0, lon0 = map(np.radians, (lat, lon, lat0, lon0))
    cos = np.sin(lat) * np.sin(lat0) + np.cos(lat) * np.cos(lat0) * np.cos(lon - lon0)
    return np.degrees(np.arccos(np.clip(cos, -1, 1)))


def noisy_model(step_deg, lon_start, radius_change, shift, seed):
    """A global Vs-like model: -1 inside the bodies (radius changed by ``radius_change`` degrees, centres shifted by
    ``shift`` degrees of longitude), 0 outside, Gaussian noise of 0.25 everywhere."""
    lat = np.arange(-90.0 + step_deg / 2, 90.0, step_deg)
    lon = np.arange(lon_start, lon_start + 360.0 - 1e-9, step_deg)
    depth = np.arange(1000.0, 2801.0, 100.0)
    inside = np.zeros((depth.size, lat.size, lon.size), dtype=bool)
    for lat0, lon0 in CENTRES:
        distance = angular_distance(lat[:, None], lon[None, :], lat0, lon0 + shift)
        inside |= distance[None] <= (planted_radius(depth) + radius_change)[:, None, None]
    rng = np.random.default_rng(seed)
    values = np.where(inside, -1.0, 0.0) + 0.25 * rng.standard_normal(inside.shape)
    return xr.Dataset(
        {"dvs": (("depth", "latitude", "longitude"), values.astype(np.float32), {"units": "percent"})},
        coords={"depth": ("depth", depth, {"units": "km", "positive": "down"}),
                "latitude": ("latitude", lat, {"units": "degrees_north"}),
                "longitude": ("longitude", lon, {"units": "degrees_east"})},
        attrs={"title": f"synthetic model {seed}", "reference": "none: a test model"})


# Slightly different boundaries: radii 1.5 degrees smaller / as planted / 1.5 larger, centres shifted by up to 2
# degrees; the third model on a coarser 5-degree grid with longitudes 0..360 (regridded onto it).
SYNTHETIC = {"small": (4.0, -180.0, -1.5, 2.0, 1), "planted": (4.0, -180.0, 0.0, 0.0, 2),
             "large": (5.0, 0.0, 1.5, -2.0, 3)}


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


# --- Config ------------------------------------------------------------------------------------------------------------

def _config(**comparison):
    demo = {"path": "resources/demo/wus_synthetic.nc", "variable": "dvs", "depth": [20, 600]}
    return {"models": [{"name": "a", **demo}, {"name": "b", **demo}],
            "compare": [{"name": "c", "models": ["a", "b"], **comparison}]}


def test_a_comparison_without_depth_windows_keeps_its_entry_as_before():
    """No schema default is filled into a comparison without depth_windows: its rules' params are as before."""
    from conftest import PROJECT
    from snakemake.utils import validate

    config = _config()
    validate(config, str(PROJECT / "schemas" / "config.schema.yaml"), set_default=True)
    assert config["compare"][0] == {"name": "c", "models": ["a", "b"], "vote_k": [2], "grid": "auto"}
    config = _config(depth_windows={"width": 200, "step": 100})
    validate(config, str(PROJECT / "schemas" / "config.schema.yaml"), set_default=True)
    assert config["compare"][0]["depth_windows"] == {"width": 200, "step": 100, "k": [2]}


@pytest.mark.parametrize("comparison, message", [
    ({"vote_depths": [100]}, "needs `compare[name=c].depth_windows`"),
    ({"depth_windows": {"width": 700, "step": 100}}, "fix `compare[name=c].depth_windows.width`"),
    ({"depth_windows": {"width": 200, "step": 100}, "vote_depths": [700]}, "fix `compare[name=c].vote_depths`"),
])
def test_bad_3d_vote_keys_are_refused_with_the_key_to_fix(comparison, message):
    from conftest import PROJECT
    from snakemake.utils import validate

    from tomoclust.config import check_config

    config = _config(**comparison)
    validate(config, str(PROJECT / "schemas" / "config.schema.yaml"), set_default=True)
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        check_config(config, "resources/demo/wus_synthetic.nc")


def test_depth_windows_without_a_depth_range_are_refused():
    from conftest import PROJECT
    from snakemake.utils import validate

    from tomoclust.config import check_config

    config = _config(depth_windows={"width": 200, "step": 100})
    for model in config["models"]:
        del model["depth"]
    validate(config, str(PROJECT / "schemas" / "config.schema.yaml"), set_default=True)
    with pytest.raises(ValueError, match="give them the same `depth`"):
        check_config(config, "resources/demo/wus_synthetic.nc")


# --- End to end --------------------------------------------------------------------------------------------------------

def _vote3d_targets(name, models, ks):
    out = [f"results/compare/{name}/{f}" for f in ("vote3d.nc", "vote3d_area.csv", "vote3d_volume.csv")]
    out += [f"results/compare/{name}/windows/{m}.nc" for m in models]
    return out + [f"results/compare/{name}/figures/{f}_k{k}.{e}" for f in ("vote3d_area", "vote3d_maps") for k in ks
                  for e in ("png", "pdf")]


@pytest.mark.workflow
def test_a_3d_vote_runs_end_to_end_on_two_synthetic_models(tmp_path):
    """Two synthetic models on two grids with depth windows through Snakemake; a second comparison without
    depth_windows gets no 3-D vote job."""
    workdir = copy_workflow(tmp_path)
    specs = {"planted": (8.0, -180.0, 0.0, 0.0, 2), "large": (10.0, 0.0, 1.5, -2.0, 3)}
    for name, spec in specs.items():
        noisy_model(*spec).to_netcdf(workdir / f"{name}.nc")
    models = [{"name": n, "path": f"{n}.nc", "variable": "dvs", "depth": [1000, 2800]} for n in specs]
    config = {"models": models, "k": {"min": 2, "max": 3}, "stability": {"restarts": 0},
              "compare": [{"name": "bodies", "models": list(specs), "vote_depths": [1300, 2500],
                           "depth_windows": {"width": 600, "step": 300, "k": [2]}},
                          {"name": "plain", "models": ["large", "planted"]}]}
    (workdir / "bodies.yaml").write_text(yaml.safe_dump(config))
    targets = _vote3d_targets("bodies", list(specs), [2])
    snakemake(workdir, *targets, "--configfile", "bodies.yaml")
    for target in targets:
        assert (workdir / target).stat().st_size > 0, target
    out = workdir / "results" / "compare" / "bodies"
    with xr.open_dataset(out / "vote3d.nc") as votes:
        assert votes["slow_votes"].dims == ("k", "depth", "latitude", "longitude")
        np.testing.assert_array_equal(votes["depth"].values, [1300.0, 1600.0, 1900.0, 2200.0, 2500.0])
        assert votes.attrs["Conventions"] == "CF-1.8" and votes.attrs["models"] == "planted, large"
        assert votes["depth"].attrs["units"] == "km" and votes.sizes["latitude"] == 18  # the coarsest, 10-degree grid
        assert votes.attrs["model_citation"].count("none: a test model") == 2
    volume = pd.read_csv(out / "vote3d_volume.csv").set_index("curve")
    both, either = volume.loc[">= 2 of 2"], volume.loc[">= 1 of 2"]
    planted = planted_volume(both["shells_top_km"], both["shells_bottom_km"])
    assert both["majority"] and both["slow_volume_km3"] < planted < either["slow_volume_km3"]
    assert both["slow_volume_km3"] == pytest.approx(planted, rel=0.15)  # coarse grids and windows
    assert "maps at the windows of mid-depth [1300.0, 2500.0] km" in (out / "logs" / "vote3d_maps_k2.log").read_text()
    # The comparison without depth_windows: its own outputs only, as before.
    everything = snakemake(workdir, "--dry-run", "--forceall", "--configfile", "bodies.yaml").stdout
    assert "results/compare/plain/vote.nc" in everything and "results/compare/bodies/vote3d.nc" in everything
    assert "results/compare/plain/vote3d" not in everything and "results/compare/plain/windows" not in everything


# --- Real models -------------------------------------------------------------------------------------------------------

@needs_shared_models
@pytest.mark.workflow
def test_the_lower_mantle_3d_vote_of_the_example_on_the_real_models(tmp_path):
    """examples/global_mantle.yaml's lower_mantle_3d (SEMum and S362ANI+M, 1000-2800 km) on ../shared/data/models:
    the table and the figures; both LLSVPs slow in both models at the deepest window."""
    from conftest import PROJECT

    from tomoclust.gather import value_at

    example = yaml.safe_load((PROJECT / "examples" / "global_mantle.yaml").read_text())
    comparison = next(c for c in example["compare"] if c["name"] == "lower_mantle_3d")
    models = [m for m in example["models"] if m["name"] in comparison["models"]]
    workdir = copy_workflow(tmp_path)
    (workdir / "resources" / "models").mkdir(parents=True)
    for name in ("SEMum_vs.nc", "S362ANI+M_vs.nc"):  # where download_model puts the example's files
        (workdir / "resources" / "models" / name).symlink_to(SHARED_MODELS / name)
    # k = 3 only (Cottaar & Lekic's k), to keep the test short; the example also votes at k = 2.
    comparison["depth_windows"]["k"] = [3]
    config = {"models": models, "k": {"min": 2, "max": 3}, "compare": [comparison]}
    (workdir / "lm3d.yaml").write_text(yaml.safe_dump(config))
    targets = _vote3d_targets("lower_mantle_3d", comparison["models"], comparison["depth_windows"]["k"])
    snakemake(workdir, *targets, "--configfile", "lm3d.yaml")
    out = workdir / "results" / "compare" / "lower_mantle_3d"
    for target in targets:
        assert (workdir / target).stat().st_size > 0, target
    volume = pd.read_csv(out / "vote3d_volume.csv")
    both = volume[(volume["curve"] == ">= 2 of 2")].set_index("k")
    assert both.loc[3, "majority"] and both.loc[3, "shells_top_km"] == 1200 and both.loc[3, "shells_bottom_km"] == 2600
    # Slow where both agree: a few % of the mantle, less than where either model says slow.
    either = volume[(volume["curve"] == ">= 1 of 2")].set_index("k")
    assert 2.0 < both.loc[3, "percent_of_whole_mantle"] < either.loc[3, "percent_of_whole_mantle"] < 20.0
    assert both.loc[3, "percent_of_lower_mantle"] > both.loc[3, "percent_of_whole_mantle"]
    area = pd.read_csv(out / "vote3d_area.csv")
    both_area = area[(area["curve"] == ">= 2 of 2") & (area["k"] == 3)].sort_values("mid_depth_km")
    assert both_area["slow_area_percent"].iloc[-1] > both_area["slow_area_percent"].iloc[0]  # LLSVPs widen downward
    with xr.open_dataset(out / "vote3d.nc") as votes:
        deepest = votes.isel(depth=-1).load()
    for lat, lon in ((-10.0, 20.0), (-10.0, -150.0)):  # African and Pacific LLSVPs
        assert value_at(deepest, lat, lon, 3, "slow_votes") == 2, (lat, lon)

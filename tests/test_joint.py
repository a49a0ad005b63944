"""Several variables in one fit (issue 16, item 1): Vs and Vp joined so that none dominates."""
import numpy as np
import pytest
import xarray as xr
import yaml
from sklearn.metrics import adjusted_rand_score
from test_workflow import copy_workflow, snakemake

from tomoclust.extract import ModelSpec, extract_model
from tomoclust.fit import fit_kmeans
from tomoclust.joint import fit_joint, join_variables


def two_variable_model() -> tuple[xr.Dataset, np.ndarray]:
    """Four provinces in quadrants: 0 the reference, 1 slow in Vs only, 2 slow in Vp only, 3 fast in Vs only.

    dvs in percent, vp in km/s with a lateral spread 40 times larger: a plain join would follow vp alone.
    """
    lat = np.arange(30.0, 50.0, 0.5)
    lon = np.arange(-120.0, -100.0, 0.5)
    depth = np.linspace(50.0, 600.0, 12)
    lat2d, lon2d = np.meshgrid(lat, lon, indexing="ij")
    province = (lat2d >= 40).astype(int) * 2 + (lon2d >= -110).astype(int)
    bump = np.exp(-0.5 * ((depth - 150.0) / 80.0) ** 2)
    rng = np.random.default_rng(4)
    dvs = np.zeros((depth.size, lat.size, lon.size))
    dvp = np.zeros_like(dvs)
    dvs[:, province == 1] = -2.0 * bump[:, None]
    dvp[:, province == 2] = -2.0 * bump[:, None]
    dvs[:, province == 3] = 2.0 * bump[:, None]
    dvs += 0.15 * rng.standard_normal(dvs.shape)
    vp = 10.0 + 40.0 * (0.01 * dvp) * 10.0 + 0.15 * rng.standard_normal(dvp.shape) * 0.4  # km/s-like, large spread
    ds = xr.Dataset(
        {"dvs": (("depth", "latitude", "longitude"), dvs.astype(np.float32), {"units": "percent"}),
         "vp": (("depth", "latitude", "longitude"), vp.astype(np.float32), {"units": "km/s"})},
        coords={"depth": ("depth", depth, {"units": "km", "positive": "down"}),
                "latitude": ("latitude", lat, {"units": "degrees_north"}),
                "longitude": ("longitude", lon, {"units": "degrees_east"})},
        attrs={"title": "two-variable test model", "id": "vs_vp_test"},
    )
    return ds, province


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    ds, province = two_variable_model()
    path = tmp_path_factory.mktemp("joint") / "model.nc"
    ds.to_netcdf(path)
    datasets = {name: extract_model(ModelSpec(name="m", path=str(path), variable=name, transform="demean"))
                for name in ("dvs", "vp")}
    return datasets, province


def test_the_joint_fit_recovers_every_province_where_each_variable_alone_cannot(extracted):
    datasets, province = extracted
    joined = join_variables(datasets)
    truth = province[joined["lat_index"], joined["lon_index"]]
    labels, centres = fit_joint(joined, datasets, 4, {"random_state": 0})
    assert adjusted_rand_score(truth, labels) >= 0.9
    for name, ds in datasets.items():
        alone = fit_kmeans(ds["profiles"].values, ds["depth"].values, 4, random_state=0).labels
        assert adjusted_rand_score(truth, alone) < 0.9, f"{name} alone separates all four"
    assert set(centres) == {"dvs", "vp"} and centres["vp"].shape == (4, 12)


def test_each_variable_counts_the_same_whatever_its_units(extracted):
    datasets, _ = extracted
    joined = join_variables(datasets)
    n_depth = datasets["dvs"].sizes["depth"]
    weights = joined["depth_weight"]
    for block in (slice(0, n_depth), slice(n_depth, 2 * n_depth)):
        energy = np.mean((joined["profiles"][:, block] ** 2) @ weights[block])
        assert energy == pytest.approx(1.0)
    assert joined["scales"]["vp"] > 2 * joined["scales"]["dvs"], "vp's spread is the larger, and is scaled down"


def test_joint_fit_end_to_end(tmp_path):
    ds, province = two_variable_model()
    workdir = copy_workflow(tmp_path)
    ds.to_netcdf(workdir / "vsvp.nc")
    config = {"models": [{"name": "vsvp", "path": "vsvp.nc", "variables": ["dvs", "vp"], "transform": "demean"}],
              "k": {"min": 2, "max": 4}, "maps": {"k": [4], "overlays": []}, "stability": {"restarts": 0}}
    (workdir / "vsvp.yaml").write_text(yaml.safe_dump(config))
    snakemake(workdir, "results/vsvp/joint/joint.nc", "results/vsvp/joint/figures/k4.png", "results/vsvp/labels.nc",
              "--configfile", "vsvp.yaml")
    with xr.open_dataset(workdir / "results/vsvp/joint/joint.nc") as joint:
        labels = joint["labels"].sel(k=4).values
        assert adjusted_rand_score(province.ravel(), labels.ravel()) >= 0.9
        assert joint["centers_vp"].attrs["units"] == "km/s" and "joint_scale_vp" in joint.attrs
    with xr.open_dataset(workdir / "results/vsvp/labels.nc") as single:  # the single-variable pipeline: dvs, the first
        assert adjusted_rand_score(province.ravel(), single["labels"].sel(k=4).values.ravel()) < 0.9
    assert (workdir / "results/vsvp/joint/figures/k4.png").stat().st_size > 10_000

"""Several models: regridding labels, agreement, vote maps, config checks (issue 8)."""

import numpy as np
import pytest
import xarray as xr
import yaml
from snakemake.utils import validate

from conftest import PROJECT
from tomoclust.compare import (
    agreement_table,
    common_grid,
    labels_on_common_grid,
    matched_agreement,
    matched_dataset,
    nearest_index,
    regrid_labels,
    vote_dataset,
)
from tomoclust.config import check_config

DEMO_MODEL_PATH = "resources/demo/wus_synthetic.nc"


def _cube(labels, lat, lon, ks):
    return xr.Dataset(
        {"labels": (("k", "latitude", "longitude"), np.asarray(labels, dtype=np.int32))},
        coords={"k": ks, "latitude": lat, "longitude": lon},
    )


def test_nearest_index_wraps_longitude_and_refuses_far_points():
    source = np.arange(0.0, 360.0, 2.0)
    np.testing.assert_array_equal(nearest_index(source, np.array([-180.0, -2.0, 0.4]), periodic=True), [90, 179, 0])
    regional = np.arange(-120.0, -100.0, 1.0)
    np.testing.assert_array_equal(nearest_index(regional, np.array([-119.6, -100.6, -99.0, 0.0])), [0, 19, -1, -1])


def test_labels_from_0_360_and_180_grids_land_on_the_same_points():
    lat = np.arange(-88.0, 89.0, 4.0)
    lon180 = np.arange(-180.0, 180.0, 4.0)
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, size=(1, lat.size, lon180.size))
    order = np.argsort(lon180 % 360.0)
    cube360 = _cube(labels[..., order], lat, (lon180 % 360.0)[order], [3])
    common = labels_on_common_grid({"a": _cube(labels, lat, lon180, [3]), "b": cube360})
    np.testing.assert_array_equal(common["labels"].sel(model="a").values, common["labels"].sel(model="b").values)


def test_a_finer_regional_model_is_regridded_by_nearest_neighbour_and_blank_outside():
    coarse_lat, coarse_lon = np.arange(-10.0, 10.1, 2.0), np.arange(-10.0, 10.1, 2.0)
    fine_lat, fine_lon = np.arange(-4.0, 4.01, 0.5), np.arange(-4.0, 4.01, 0.5)
    fine = np.where(fine_lon[None, :] < 0, 0, 1) * np.ones((fine_lat.size, 1), int)
    lat, lon, how = common_grid({"coarse": (coarse_lat, coarse_lon), "fine": (fine_lat, fine_lon)})
    assert "coarse" in how
    out = regrid_labels(fine[None], fine_lat, fine_lon, lat, lon)[0]
    inside = (np.abs(lat)[:, None] <= 4) & (np.abs(lon)[None, :] <= 4)
    assert (out[~inside] == -1).all()
    np.testing.assert_array_equal(
        out[inside].reshape(5, 5), np.where(lon[np.abs(lon) <= 4] < 0, 0, 1) * np.ones((5, 1), int)
    )
    lat2, lon2, how2 = common_grid({"coarse": (coarse_lat, coarse_lon), "fine": (fine_lat, fine_lon)}, 1.0)
    assert lat2[0] == -4.0 and lat2[-1] == 4.0 and lon2.size == 9 and "1 degree" in how2


def test_agreement_ignores_label_names_and_votes_count_slowest_categories():
    lat, lon = np.arange(-60.0, 61.0, 10.0), np.arange(-180.0, 180.0, 10.0)
    rng = np.random.default_rng(1)
    a = rng.integers(0, 2, size=(2, lat.size, lon.size))
    a[1] = rng.integers(0, 3, size=(lat.size, lon.size))
    b = a.copy()
    b[0] = 1 - a[0]  # the same partition with swapped names at k=2
    c = a.copy()
    c[:, 0, :] = -1  # no profile in the first row
    common = labels_on_common_grid(
        {"a": _cube(a, lat, lon, [2, 3]), "b": _cube(b, lat, lon, [2, 3]), "c": _cube(c, lat, lon, [2, 3])}
    )
    table = agreement_table(common)
    assert len(table) == 6 and set(table["k"]) == {2, 3}
    np.testing.assert_allclose(table["ari"], 1.0)
    assert table.loc[(table.model_b == "c"), "n_points_all"].eq((lat.size - 1) * lon.size).all()
    votes = vote_dataset(common, [2])
    expected = (a[0] == 0).astype(int) + (b[0] == 0) + (c[0] == 0)
    np.testing.assert_array_equal(votes["slow_votes"].sel(k=2).values, expected)
    np.testing.assert_array_equal(votes["n_models"].sel(k=2).values[0], 2)
    assert votes.attrs["n_models_compared"] == 3


@pytest.mark.parametrize(
    "comparison, message",
    [
        ({"name": "c", "models": ["demo", "nope"]}, "not in `models`"),
        ({"name": "c", "models": ["demo", "shallow"]}, "different depth ranges"),
        ({"name": "c", "models": ["demo", "demo"]}, "at least two different models"),
        ({"name": "c", "models": ["demo", "copy"], "vote_k": [9]}, "`compare[name=c].vote_k` lists k = [9]"),
    ],
)
def test_bad_comparisons_are_refused_with_the_key_to_fix(comparison, message):
    demo = {"path": DEMO_MODEL_PATH, "variable": "dvs"}
    config = {
        "models": [{"name": "demo", **demo}, {"name": "copy", **demo}, {"name": "shallow", **demo, "depth": [20, 200]}],
        "k": {"min": 2, "max": 4},
        "compare": [comparison],
    }
    validate(config, str(PROJECT / "schemas" / "config.schema.yaml"), set_default=True)
    with pytest.raises(ValueError) as error:
        check_config(config, DEMO_MODEL_PATH)
    assert message in str(error.value)


def test_a_model_named_compare_is_refused():
    config = {"models": [{"name": "compare", "path": DEMO_MODEL_PATH, "variable": "dvs"}]}
    validate(config, str(PROJECT / "schemas" / "config.schema.yaml"), set_default=True)
    with pytest.raises(ValueError, match="may not be named 'compare'"):
        check_config(config, DEMO_MODEL_PATH)


def test_the_example_config_is_valid_and_fills_defaults():
    config = yaml.safe_load((PROJECT / "examples" / "global_mantle.yaml").read_text())
    validate(config, str(PROJECT / "schemas" / "config.schema.yaml"), set_default=True)
    assert config["compare"][0]["grid"] == "auto"
    assert config["models"][2]["area_weighting"] == "auto"


def test_two_copies_of_the_demo_with_permuted_ids_agree_everywhere(demo_model):
    """The demo's planted provinces as the categories of two "models", the second with its ids permuted at each k."""
    province = demo_model["province"].values
    lat, lon = demo_model["latitude"].values, demo_model["longitude"].values
    rng = np.random.default_rng(3)
    layers_a, layers_b, permutations = [], [], {}
    for k in (3, 6):
        labels = np.where(province >= 0, province % k, -1)
        permutations[k] = rng.permutation(k)
        layers_a.append(labels)
        layers_b.append(np.where(labels >= 0, permutations[k][np.clip(labels, 0, None)], -1))
    common = labels_on_common_grid({"a": _cube(layers_a, lat, lon, [3, 6]), "b": _cube(layers_b, lat, lon, [3, 6])})
    matched = matched_dataset(common, [3, 6])
    covered = province >= 0
    for k in (3, 6):
        layer = matched.sel(k=k)
        assert matched_agreement(matched, k) == 1.0
        assert (layer["consensus_votes"].values[covered] == 2).all(), "agreement 1.0 everywhere"
        np.testing.assert_array_equal(layer["consensus"].values, layers_a[(3, 6).index(k)])
        inverse = np.argsort(permutations[k])
        np.testing.assert_array_equal(layer["category_matching"].sel(model="b").values[:k], inverse)
        votes = layer["category_votes"].values
        assert (votes.sum(axis=0)[covered] == 2).all() and (votes[k:] == 0).all()
    naive = vote_dataset(common, [6]).sel(k=6)
    assert (naive["slow_votes"].values[covered] == 2).mean() < 1.0, "without matching, category 0 is not category 0"


def test_matching_follows_overlap_when_models_disagree():
    lat, lon = np.array([0.0, 1.0]), np.array([0.0, 1.0, 2.0])
    a = [[[0, 0, 1], [1, 1, 1]]]
    b = [[[1, 1, 1], [0, 0, 0]]]  # b's 0 overlaps a's 1 on three cells; b's 1 overlaps a's 0 on two
    matched = matched_dataset(labels_on_common_grid({"a": _cube(a, lat, lon, [2]), "b": _cube(b, lat, lon, [2])}), [2])
    np.testing.assert_array_equal(matched["category_matching"].sel(k=2, model="b").values, [1, 0])
    np.testing.assert_array_equal(matched["consensus_votes"].sel(k=2).values, [[2, 2, 1], [2, 2, 2]])


def test_vote_shares_split_the_covered_area():
    from tomoclust.compare import vote_shares

    lat, lon = np.array([-1.0, 1.0]), np.array([0.0, 2.0])
    a = np.array([[[0, 0], [1, 1]]])
    b = np.array([[[0, 1], [1, -1]]])
    votes = vote_dataset(labels_on_common_grid({"a": _cube(a, lat, lon, [2]), "b": _cube(b, lat, lon, [2])}), [2])
    shares = vote_shares(votes, 2)
    # Covered by both: three equal cells; one slowest in both, one split, one in neither.
    assert shares == pytest.approx({"all_slowest": 1 / 3, "split": 1 / 3, "none_slowest": 1 / 3})


def test_chunks_of_k_never_depend_on_k_max():
    """The chunks are fixed by k.min and their size; the last is whole, so a larger k.max only adds chunks."""
    from tomoclust.config import k_chunks, k_per_job

    size = k_per_job("auto", "euclidean")
    before, after = k_chunks(3, 50, size), k_chunks(3, 55, size)
    assert before[0][0] == 3 and sum(len(c) for c in before) == 48 and before[-1][-1] == 50
    assert after[: len(before)] == before and after[len(before) :] == [list(range(51, 63))], "one new whole chunk"
    assert k_chunks(2, 20, 12) == k_chunks(2, 25, 12) == [list(range(2, 14)), list(range(14, 26))]
    assert k_chunks(2, 4, k_per_job("auto", "dtw")) == [[2, 3], [4, 5]], "expensive k: fewer per job"
    assert k_chunks(2, 6, 1) == [[2], [3], [4], [5], [6]], "one k per job: exactly k.min..k.max"


def test_pdf_k_follow_maps_pdf():
    from tomoclust.config import pdf_k_values

    def config(pdf, figure_k="auto"):
        return {"maps": {"pdf": pdf}, "figure_k": figure_k}

    maps_k = [2, 3, 4, 5]
    assert pdf_k_values(config("figure_k"), maps_k) == []
    assert pdf_k_values(config("figure_k", [3, 9]), maps_k) == [3]
    assert pdf_k_values(config("all"), maps_k) == maps_k
    assert pdf_k_values(config("none", [3]), maps_k) == []
    assert pdf_k_values(config([5, 2]), maps_k) == [2, 5]

"""Validation on real tomography models (issue 8): the example config end to end on ../shared/data/models.

SEMum's upper mantle must split into cratons (fast) and spreading ridges (slow),
the lower mantle of S362ANI+M into the two LLSVPs (slow) and the circum-Pacific
ring (fast), and both lower-mantle models must vote for the LLSVPs. The
reference points are in examples/reference_points.yaml.
"""

from urllib.parse import unquote, urlparse

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml

from conftest import (
    PROJECT,
    SHARED_MODELS,
    assert_colors_follow_category_order,
    copy_workflow,
    needs_shared_models,
    serve_directory,
    snakemake,
    value_at,
)
from tomoclust.compare import matched_agreement

pytestmark = [needs_shared_models, pytest.mark.real_models, pytest.mark.workflow]

REFERENCE = yaml.safe_load((PROJECT / "examples" / "reference_points.yaml").read_text())
SLOW, FAST = 0, 1  # categories at k = 2


@pytest.fixture(scope="module")
def example_run(tmp_path_factory):
    """examples/global_mantle.yaml as documented, with fewer k and maps so the suite stays short (three k per job,
    so that only k = 2..4 are fitted: the last chunk is fitted whole).

    Its models come by URL: a local HTTP server stands in for the download host, serving the ../shared copies at
    the example's URL paths, so the example's download, file names and sha256 are what is checked.
    """
    root = tmp_path_factory.mktemp("real")
    example = yaml.safe_load((PROJECT / "examples" / "global_mantle.yaml").read_text())
    served = root / "served"
    for entry in example["models"]:
        url_path = unquote(urlparse(entry["url"]).path)
        (served / url_path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        if not (served / url_path.lstrip("/")).exists():
            (served / url_path.lstrip("/")).symlink_to(SHARED_MODELS / url_path.rsplit("/", 1)[1])
    workdir = copy_workflow(root / "work")
    with serve_directory(served) as (base_url, requested):
        for entry in example["models"]:
            entry["url"] = base_url + urlparse(entry["url"]).path
        (workdir / "global_mantle_local.yaml").write_text(yaml.safe_dump(example))
        (workdir / "fewer_k.yaml").write_text(
            yaml.safe_dump(
                {
                    "k": {"min": 2, "max": 4},
                    "k_per_job": 3,
                    "maps": {"k": [2]},
                    "figure_k": [2, 3],
                    "stability": {"restarts": 1},
                }
            )
        )
        snakemake(workdir, "--configfile", "global_mantle_local.yaml", "fewer_k.yaml")
    assert len(requested) == 2, f"each model file downloaded once: {requested}"
    return workdir / "results"


def test_global_models_have_a_profile_everywhere(example_run):
    for model in ("SEMum_um", "SEMum_um_unweighted", "SEMum_lm", "S362ANIM_um", "S362ANIM_lm"):
        with xr.open_dataset(example_run / model / "labels.nc") as labels:
            assert labels.sizes == {"k": 3, "latitude": 91, "longitude": 180}, model
            assert (labels["labels"].values >= 0).all(), f"{model}: every grid point has a complete profile"


def _labels(results, model):
    with xr.open_dataset(results / model / "labels.nc") as cube:
        return cube.load()


@pytest.mark.parametrize(
    "model, layer, kind, expected",
    [
        ("SEMum_um", "upper_mantle", "fast", FAST),  # SEMum 80-350 km: cratons
        ("SEMum_um", "upper_mantle", "slow", SLOW),  # spreading ridges
        ("S362ANIM_lm", "lower_mantle", "slow", SLOW),  # S362ANI+M 1000-2800 km: the LLSVPs
        ("S362ANIM_lm", "lower_mantle", "fast", FAST),  # the circum-Pacific ring
    ],
)
def test_reference_points_fall_in_the_expected_category(example_run, model, layer, kind, expected):
    cube = _labels(example_run, model)
    found = {name: value_at(cube, lat, lon, 2) for name, (lat, lon) in REFERENCE[layer][kind].items()}
    wrong = {name: category for name, category in found.items() if category != expected}
    assert not wrong, f"{model}, k=2: expected category {expected} ({kind}) at {wrong}"


def test_vote_map_gives_both_llsvps_every_vote(example_run):
    with xr.open_dataset(example_run / "compare" / "lower_mantle" / "vote.nc") as votes:
        votes = votes.load()
    n = int(votes.attrs["n_models_compared"])
    assert n == 2 and set(votes.attrs["models"].split(", ")) == {"SEMum_lm", "S362ANIM_lm"}
    for name, (lat, lon) in REFERENCE["lower_mantle"]["slow"].items():
        assert value_at(votes, lat, lon, 2, "slow_votes") == n, name
    for name, (lat, lon) in REFERENCE["lower_mantle"]["fast"].items():
        assert value_at(votes, lat, lon, 2, "fast_votes") >= 1, name
    assert (votes["slow_votes"] <= votes["n_models"]).all()
    assert (example_run / "compare" / "lower_mantle" / "figures" / "vote_k2.pdf").stat().st_size > 0


def test_area_weighted_and_unweighted_fits_are_both_there_and_differ(example_run):
    with (
        xr.open_dataset(example_run / "SEMum_um" / "fits" / "k2.nc") as weighted,
        xr.open_dataset(example_run / "SEMum_um_unweighted" / "fits" / "k2.nc") as unweighted,
    ):
        assert weighted.attrs["area_weighting"] == "on" and unweighted.attrs["area_weighting"] == "off"
        assert int(weighted["n_fit_profiles"]) < weighted.sizes["profile"] == int(unweighted["n_fit_profiles"])
        for fit in (weighted, unweighted):
            assert float(fit["cluster_area_percent"].sum()) == pytest.approx(100.0)
            assert fit["centers"].attrs["units"] == "km/s" and fit.attrs["transform"] == "demean"
        # Unweighted, polar rows (small cells, mostly fast here) count as much as equatorial ones.
        assert not np.array_equal(weighted["labels"].values, unweighted["labels"].values)
    agreement = pd.read_csv(example_run / "compare" / "SEMum_area_weighting" / "agreement.csv")
    assert agreement["k"].tolist() == [2, 3, 4]
    assert agreement["ari"].between(0.3, 0.999).all()


def test_matched_categories_of_the_lower_mantle_models(example_run):
    """SEMum and S362ANI+M, 1000-2800 km: matched at k = 2 and 3, consensus and per-category votes exist; at k = 2 the
    matching keeps slow with slow (the LLSVPs) and the models agree on most of the mantle."""
    out = example_run / "compare" / "lower_mantle"
    with xr.open_dataset(out / "matched.nc") as matched:
        np.testing.assert_array_equal(matched["category_matching"].sel(k=2, model="S362ANIM_lm").values[:2], [0, 1])
        assert matched_agreement(matched, 2) > 0.7
        assert set(np.unique(matched["consensus"].sel(k=3).values)) == {0, 1, 2}
    for k in (2, 3):
        assert (out / "figures" / f"matched_k{k}.png").stat().st_size > 20_000


def test_lower_mantle_agreement_and_outputs_describe_themselves(example_run):
    agreement = pd.read_csv(example_run / "compare" / "lower_mantle" / "agreement.csv")
    assert set(agreement.columns) >= {"k", "model_a", "model_b", "ari", "ari_all_points", "n_points"}
    assert agreement.loc[agreement["k"] == 2, "ari"].item() > 0.3
    with xr.open_dataset(example_run / "S362ANIM_lm" / "profiles.nc") as profiles:
        assert profiles["profiles"].attrs["units"] == "kmps"  # as in the file; figures show km/s
        assert profiles.attrs["depth_weighting"] == "thickness"
        assert profiles["depth_weight"].values[-1] < profiles["depth_weight"].values[-2]  # 2800 km: half a 50 km gap
        # The lateral mean is the model's 1-D reference: PREM's Vs is 6.38 km/s at 1000 km and 7.27 km/s at 2800 km.
        reference = profiles["lateral_mean"].values
        assert np.all(np.diff(reference) >= 0)
        np.testing.assert_allclose(reference[[0, -1]], [6.38, 7.27], atol=0.05)


def test_colors_follow_the_velocity_order_in_every_model(example_run):
    models = [path.parent for path in example_run.glob("*/categories.csv")]
    assert len(models) == 5
    for model in models:
        assert_colors_follow_category_order(model / "categories.csv")


def test_s362anim_classified_with_semum_types_puts_every_craton_in_the_fast_type(example_run):
    """SEMum's upper-mantle centres at k = 4 applied to S362ANI+M's upper mantle (the example's `classify`)."""
    out = example_run / "classify" / "semum_um_types"
    table = pd.read_csv(out / "agreement.csv")
    assert table["target"].tolist() == ["S362ANIM_um"] and table["k"].tolist() == [4]
    assert table["ari_with_own_fit"].item() > 0.4 and table["agreement_area_percent"].item() > 60
    with xr.open_dataset(out / "S362ANIM_um" / "labels.nc") as classified:
        cube = classified.expand_dims(k=[4]).load()
    fast = {name: value_at(cube, lat, lon, 4) for name, (lat, lon) in REFERENCE["upper_mantle"]["fast"].items()}
    assert all(category == 3 for category in fast.values()), fast
    slow = {name: value_at(cube, lat, lon, 4) for name, (lat, lon) in REFERENCE["upper_mantle"]["slow"].items()}
    assert all(category <= 1 for category in slow.values()), slow
    for figure in ("S362ANIM_um.png", "agreement.png"):
        assert (out / "figures" / figure).stat().st_size > 10_000


def test_semum_lower_mantle_slow_category_through_depth_windows(example_run):
    """The example's depth windows on SEMum's lower mantle: 16 windows of 300 km every 100 km, k = 2."""
    table = pd.read_csv(example_run / "SEMum_lm" / "depth_windows.csv")
    assert table["window_top_km"].tolist() == list(range(1000, 2600, 100)) and set(table["k"]) == {2}
    assert table["slow_area_percent"].between(10, 70).all()
    share = 100 * table["slow_volume_km3"].sum() / table["region_volume_km3"].sum()
    assert 20 < share < 60
    assert f"fills {share:.1f}% of the volume" in (example_run / "SEMum_lm" / "logs" / "depth_windows.log").read_text()
    assert (example_run / "SEMum_lm" / "figures" / "depth_windows.png").stat().st_size > 10_000


def test_the_lower_mantle_3d_vote_of_the_example(example_run):
    """The example's lower_mantle_3d (SEMum and S362ANI+M, 1000-2800 km, k = 2 and 3): the tables and the figures;
    at Cottaar & Lekic's k = 3 both LLSVPs are slow in both models at the deepest window."""
    out = example_run / "compare" / "lower_mantle_3d"
    outputs = [out / name for name in ("vote3d.nc", "vote3d_area.csv", "vote3d_volume.csv")]
    outputs += [out / "windows" / f"{model}.nc" for model in ("SEMum_lm", "S362ANIM_lm")]
    outputs += [
        out / "figures" / f"{f}_k{k}.{e}"
        for f in ("vote3d_area", "vote3d_maps")
        for k in (2, 3)
        for e in ("png", "pdf")
    ]
    for path in outputs:
        assert path.stat().st_size > 0, path
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

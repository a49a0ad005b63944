"""End to end: the Snakemake workflow on a small demo config in a temporary directory (all marked workflow)."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml

from conftest import (
    assert_colors_follow_category_order,
    copy_workflow,
    snakemake,
    write_config,
)

pytestmark = pytest.mark.workflow


# Three k per job, so that k = 2..4 is one whole chunk and k.max = 7 adds one (the default is 12 per job).
CHUNKS_OF_THREE = ("--config", "k_per_job=3")


@pytest.fixture(scope="module")
def workflow_run(tmp_path_factory):
    workdir = copy_workflow(tmp_path_factory.mktemp("workflow"))
    config = write_config(workdir / "small.yaml", k_max=4)
    snakemake(workdir, "--configfile", str(config), *CHUNKS_OF_THREE)
    return workdir, config


def jobs_of_dry_run(workdir: Path, *args: str) -> dict[str, int]:
    """{rule: number of jobs} that a dry run would run."""
    text = snakemake(workdir, *args, "--dry-run").stdout
    table = text.split("Job stats:", 1)[1].split("total", 1)[0] if "Job stats:" in text else ""
    return {name: int(count) for name, count in (line.split() for line in table.splitlines()[3:] if line.strip())}


def test_outputs_of_the_contract(workflow_run):
    workdir, _ = workflow_run
    out = workdir / "results" / "small"
    for rel in [
        "profiles.nc",
        "inertia.csv",
        "k_selection.json",
        "labels.nc",
        "figures/elbow.png",
        "figures/elbow.pdf",
        "fits/k2.nc",
        "fits/k3.nc",
        "fits/k4.nc",
        "logs/extract_profiles.log",
        "logs/fit/k2-4.log",
        "benchmarks/fit/k2-4.tsv",
        "logs/maps/k2-4.log",
        "categories.csv",
        "lineage.csv",
        "criteria.csv",
        "confidence.nc",
        "figures/confidence/k2.png",
        "figures/confidence/k3.pdf",
    ]:
        assert (out / rel).is_file(), rel
    table = pd.read_csv(out / "inertia.csv")
    assert table["k"].tolist() == [2, 3, 4] and {"k", "inertia"} <= set(table.columns)
    selection = json.loads((out / "k_selection.json").read_text())
    assert "knee" in selection
    with xr.open_dataset(out / "labels.nc") as labels:
        assert labels["labels"].dims == ("k", "latitude", "longitude")
        assert labels["latitude"].min() >= 36 and labels["longitude"].max() <= -108
    with xr.open_dataset(out / "fits" / "k3.nc") as fit:
        assert int(fit["k"]) == 3 and fit.attrs["fit_metric"] == "euclidean"
        assert len(fit.attrs["source_sha256"]) == 64 and "tslearn" in fit.attrs["software_versions"]
    assert "complete profiles kept" in (out / "logs" / "extract_profiles.log").read_text()
    assert (out / "figures" / "elbow.pdf").read_bytes().startswith(b"%PDF")


def test_every_output_names_the_model_and_whom_to_cite(workflow_run):
    """The model file's EMC citation attributes reach profiles.nc, every fit, labels.nc and the figures' metadata."""
    workdir, _ = workflow_run
    out = workdir / "results" / "small"
    with xr.open_dataset(workdir / "resources" / "demo" / "wus_synthetic.nc") as model:
        reference, author = model.attrs["reference"], model.attrs["author_name"]
    for path in ["profiles.nc", "fits/k2.nc", "fits/k4.nc", "labels.nc"]:
        with xr.open_dataset(out / path) as ds:
            assert ds.attrs["model_reference"] == reference and ds.attrs["model_author_name"] == author, path
            assert ds.attrs["model_citation"].startswith("wus_synthetic: Synthetic Western-US"), path
    citation = json.loads((out / "k_selection.json").read_text())["model_citation"]
    assert reference in citation
    from PIL import Image  # matplotlib's own PNG reader

    assert reference in Image.open(out / "figures" / "maps" / "k3.png").text["Source"]
    summary = (out / "figures" / "summary.pdf").read_bytes()
    assert b"/Subject (Model: wus_synthetic" in summary, "the manuscript panel's PDF metadata name the model"


def test_figures_of_every_k(workflow_run):
    workdir, _ = workflow_run
    figures = workdir / "results" / "small" / "figures"
    for k in (2, 3, 4):
        for kind in ("maps", "profiles"):
            assert (figures / kind / f"k{k}.png").read_bytes()[:4] == b"\x89PNG"
            # Vector PDFs only for the k in maps.pdf ([3] here); PNG for the browsing set.
            assert (figures / kind / f"k{k}.pdf").is_file() == (k == 3)
    assert (figures / "maps" / "k3.pdf").read_bytes()[:4] == b"%PDF"
    summary = (figures / "summary.pdf").read_bytes()
    assert summary.startswith(b"%PDF") and b"/FontFile2" in summary, "vector PDF with embedded fonts"
    map_log = (workdir / "results" / "small" / "logs" / "maps" / "k2-4.log").read_text()
    assert map_log.count("map projection: LambertConformal") == 1, "one canvas for the category and confidence maps"
    assert "maps and confidence maps of k = [2, 3, 4] written" in map_log
    # The default config draws the shipped basemap: 1:50m for a region, US state lines, and never a warning about it.
    assert "basemap at 50m: coastline (" in map_log and "resources/basemap/us_census" in map_log
    assert "WARNING" not in map_log, map_log


def test_confidence_of_every_point_at_every_k(workflow_run):
    workdir, _ = workflow_run
    out = workdir / "results" / "small"
    with xr.open_dataset(out / "confidence.nc") as confidence, xr.open_dataset(out / "labels.nc") as labels:
        assert confidence["margin"].dims == ("k", "latitude", "longitude") and confidence["k"].values.tolist() == [
            2,
            3,
            4,
        ]
        has_profile = (labels["labels"] >= 0).values
        margin, agree = confidence["margin"].values, confidence["coassignment"].values
        assert np.isfinite(margin[has_profile]).all() and np.isnan(margin[~has_profile]).all()
        assert ((margin[has_profile] >= 0) & (margin[has_profile] <= 1)).all()
        assert ((agree[has_profile] >= 0) & (agree[has_profile] <= 1)).all(), "restarts ran (stability.restarts 4)"
        uncertain = confidence["uncertain"].values
        np.testing.assert_array_equal(
            uncertain[has_profile] == 1, (margin < 0.1)[has_profile] | (agree < 0.75)[has_profile]
        )
        assert (uncertain[~has_profile] == -1).all()
        assert confidence["uncertain_area_percent"].dims == ("k",)
        assert confidence.attrs["model_citation"].startswith("wus_synthetic")
    map_log = (out / "logs" / "maps" / "k2-4.log").read_text()
    assert re.search(r"k=3: dots: uncertain, \d+% of the area \(margin < 0.1 or co-assignment < 0.75\)", map_log)


def test_colors_follow_the_velocity_order_at_every_k(workflow_run):
    workdir, _ = workflow_run
    assert_colors_follow_category_order(workdir / "results" / "small" / "categories.csv")


def test_categories_are_ordered_slowest_first_in_stored_fits(workflow_run):
    from tomoclust.preprocess import depth_average

    workdir, _ = workflow_run
    for path in sorted((workdir / "results" / "small" / "fits").glob("k*.nc")):
        with xr.open_dataset(path) as fit:
            key = depth_average(fit["centers"].values, fit["depth"].values)
            assert np.all(np.diff(key) > 0), path.name
            np.testing.assert_allclose(key, fit["center_depth_mean"].values)
            assert set(np.unique(fit["labels"].values)) == set(range(int(fit["k"])))


def test_rerun_does_nothing_and_k_max_fits_only_new_k(workflow_run):
    workdir, config = workflow_run
    dry = snakemake(workdir, "--configfile", str(config), *CHUNKS_OF_THREE, "--dry-run")
    assert "Nothing to be done" in dry.stdout + dry.stderr

    results = workdir / "results" / "small"
    old_files = (
        sorted(results.glob("fits/k*.nc"))
        + sorted(results.glob("figures/maps/k*.png"))
        + sorted(results.glob("figures/profiles/k*.png"))
    )
    before = {p: p.stat().st_mtime_ns for p in old_files}
    # Chunks of three k from k.min = 2: 2-4, 5-7. k.max 4 -> 5 adds the chunk 5-7, fitted and drawn whole.
    bigger = write_config(workdir / "bigger.yaml", k_max=5)
    assert jobs_of_dry_run(workdir, "--configfile", str(bigger), *CHUNKS_OF_THREE) == {
        "fit_kmeans_k5_7": 1,
        "gather_fits": 1,
        "plot_choosing_k": 1,
        "plot_maps_k5_7": 1,
        "plot_profiles_k5_7": 1,
        "plot_summary": 1,
        "explore_model": 1,
        "all": 1,
    }
    snakemake(workdir, "--configfile", str(bigger), *CHUNKS_OF_THREE)
    assert sorted(p.name for p in results.glob("fits/k*.nc")) == [f"k{k}.nc" for k in range(2, 8)], "chunk 5-7 whole"
    assert all(p.stat().st_mtime_ns == mtime for p, mtime in before.items()), (
        "existing fits and figures were not redone"
    )
    assert pd.read_csv(results / "inertia.csv")["k"].tolist() == [2, 3, 4, 5]
    assert (results / "figures" / "maps" / "k7.png").is_file(), "the new chunk is drawn whole"
    # k.max 5 -> 7 stays in the chunk 5-7: nothing is fitted or drawn, the tables grow.
    before = {p: p.stat().st_mtime_ns for p in [*results.glob("fits/k*.nc"), *results.glob("figures/*/k*.png")]}
    biggest = write_config(workdir / "biggest.yaml", k_max=7)
    jobs = jobs_of_dry_run(workdir, "--configfile", str(biggest), *CHUNKS_OF_THREE)
    assert not [job for job in jobs if job.startswith(("fit_kmeans", "plot_maps", "plot_profiles"))], jobs
    assert "gather_fits" in jobs, jobs
    snakemake(workdir, "--configfile", str(biggest), *CHUNKS_OF_THREE)
    assert all(p.stat().st_mtime_ns == mtime for p, mtime in before.items()), "no fit or figure redone"
    assert pd.read_csv(results / "inertia.csv")["k"].tolist() == [2, 3, 4, 5, 6, 7]


def test_memory_and_runtime_requests_grow_with_the_attempt(workflow_run):
    """The fit and figure rules' mem_mb and runtime at attempt 2 are twice attempt 1's: a job retried after an
    out-of-memory kill or a time-out (the SLURM profile's `retries`) asks for more."""
    from snakemake.api import (
        ConfigSettings,
        DAGSettings,
        OutputSettings,
        ResourceSettings,
        SnakemakeApi,
        StorageSettings,
    )
    from snakemake.settings.types import Quietness

    workdir, config = workflow_run
    targets = {"results/small/fits/k2.nc", "results/small/figures/maps/k2.png", "results/small/figures/profiles/k2.png"}
    with SnakemakeApi(OutputSettings(quiet={Quietness.ALL})) as api:
        workflow_api = api.workflow(
            snakefile=workdir / "Snakefile",
            workdir=workdir,
            resource_settings=ResourceSettings(cores=1),
            config_settings=ConfigSettings(configfiles=[config], config={"k_per_job": 3}),
            storage_settings=StorageSettings(),
        )
        workflow_api.dag(DAGSettings(targets=targets, forcetargets=True))
        workflow = workflow_api._workflow
        workflow._prepare_dag(forceall=False, ignore_incomplete=True, lock_warn_only=True, nolock=True)
        workflow._build_dag()
        jobs = {job.rule.name: job for job in workflow.dag.jobs if set(map(str, job.output)) & targets}
        assert set(jobs) == {"fit_kmeans_k2_4", "plot_maps_k2_4", "plot_profiles_k2_4"}
        for name, job in jobs.items():
            # Setting a job's attempt makes Snakemake evaluate its resources again, as it does for a retry.
            requests = {}
            for attempt in (1, 2):
                job.attempt = attempt
                requests[attempt] = {resource: job.resources[resource] for resource in ("mem_mb", "runtime")}
            for resource in ("mem_mb", "runtime"):
                first, second = requests[1][resource], requests[2][resource]
                assert second == 2 * first > 0, f"{name} {resource}: {first} then {second}"


def test_a_map_setting_redraws_maps_and_refits_nothing(workflow_run):
    workdir, config = workflow_run
    other = write_config(workdir / "other_projection.yaml", k_max=7, maps={"pdf": [3], "projection": "PlateCarree"})
    jobs = jobs_of_dry_run(workdir, "--configfile", str(other), *CHUNKS_OF_THREE)
    assert set(jobs) == {"plot_maps_k2_4", "plot_maps_k5_7", "plot_summary", "all"}, jobs


def test_k_range_outside_a_list_of_k_is_refused_before_any_job(tmp_path):
    workdir = copy_workflow(tmp_path)
    config = write_config(workdir / "bad.yaml", k_max=4, maps={"pdf": [9]})
    result = snakemake(workdir, "--configfile", str(config), "--dry-run", check=False)
    assert result.returncode != 0 and "`maps.pdf` lists k = [9]" in result.stdout + result.stderr


def test_a_script_runs_by_hand_as_its_rule(workflow_run, tmp_path):
    """python scripts/fit_kmeans.py OUTPUT builds the job's snakemake object from the Snakefile and runs the rule's
    code."""
    source, config = workflow_run
    workdir = copy_workflow(tmp_path / "by_hand")
    shutil.copytree(source / "results", workdir / "results")
    shutil.copytree(source / "resources", workdir / "resources", dirs_exist_ok=True)
    fit = workdir / "results" / "small" / "fits" / "k3.nc"
    fit.unlink()
    result = subprocess.run(
        [sys.executable, "scripts/fit_kmeans.py", "results/small/fits/k3.nc", "--configfile", str(config)],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "model small: fits of k = [2, 3, 4] written" in (workdir / "results/small/logs/fit/k2-4.log").read_text()
    with xr.open_dataset(fit) as by_hand, xr.open_dataset(source / "results/small/fits/k3.nc") as by_snakemake:
        np.testing.assert_array_equal(by_hand["labels"].values, by_snakemake["labels"].values)
        assert float(by_hand["inertia"]) == float(by_snakemake["inertia"])


def test_lint_is_clean(workflow_run):
    workdir, config = workflow_run
    result = snakemake(workdir, "--configfile", str(config), "--lint", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Congratulations" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "config, message",
    [
        ({"models": [{"name": "a", "variable": "v"}]}, "model 'a' needs either `path` (a local file) or `url`"),
        ({"models": [{"name": "a", "path": "x.nc", "variable": "v", "colour": "red"}]}, "colour"),
        ({"k": {"min": 1, "max": 5}}, "minimum"),
        ({"k": {"min": 6, "max": 5}}, "`k.min` (6) is larger than `k.max` (5)"),
        ({"fit": {"metric": "cosine"}}, "cosine"),
        (
            {
                "models": [
                    {"name": "a", "path": "x.nc", "variable": "v"},
                    {"name": "a", "path": "y.nc", "variable": "v"},
                ]
            },
            "duplicated in `models`: ['a']",
        ),
    ],
)
def test_bad_config_is_refused_with_a_message(tmp_path, config, message):
    workdir = copy_workflow(tmp_path)
    bad = workdir / "bad.yaml"
    bad.write_text(yaml.safe_dump(config))
    result = snakemake(workdir, "--configfile", str(bad), "--dry-run", check=False)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr


@pytest.mark.browser
def test_report_renders_in_headless_chromium(workflow_run, tmp_path):
    from browser import chromium_unavailable_reason, open_report_result

    reason = chromium_unavailable_reason()
    if reason:
        pytest.skip(reason)
    workdir, config = workflow_run
    report = workdir / "report.html"
    snakemake(workdir, "--configfile", str(config), *CHUNKS_OF_THREE, "--report", str(report))
    assert report.stat().st_size > 0
    shown = open_report_result(report, category="Category maps", row=["small", "3"], screenshot=tmp_path / "report.png")
    assert shown["image_width"] > 500, "the k=3 map was decoded and drawn"
    assert "mapped back to" in shown["text"] and "maps/k{k}.png" in shown["text"], "caption shown"
    assert "Model and whom to cite: wus_synthetic: Synthetic Western-US" in shown["text"], "the caption names the model"
    assert (tmp_path / "report.png").stat().st_size > 20_000
    shown = open_report_result(report, category="Choosing k", row=["small", "elbow"])
    assert shown["image_width"] > 500


def test_a_fit_jobs_benchmark_measures_the_fit_itself(tmp_path):
    """Snakemake's benchmark file of a fit job records that job's own process: its memory grows with the data."""
    from tomoclust.demo import make_demo_model

    workdir = copy_workflow(tmp_path)
    big = make_demo_model(spacing=0.06).drop_vars("province")
    big.to_netcdf(workdir / "big.nc")
    config = {
        "models": [
            {"name": "big", "path": "big.nc", "variable": "dvs"},
            {"name": "small", "path": "big.nc", "variable": "dvs", "region": {"lat": [40, 41], "lon": [-112, -111]}},
        ],
        "k": {"min": 2, "max": 2},
        "fit": {"max_iter": 3},
        "stability": {"restarts": 0},
        "k_per_job": 1,  # one fit per job, so the benchmark file is k2.tsv and measures that fit alone
    }
    (workdir / "two_sizes.yaml").write_text(yaml.safe_dump(config))
    snakemake(workdir, "results/big/fits/k2.nc", "results/small/fits/k2.nc", "--configfile", "two_sizes.yaml")

    def benchmark(model):
        header, values = (workdir / "results" / model / "benchmarks" / "fit" / "k2.tsv").read_text().splitlines()[:2]
        return dict(zip(header.split("\t"), values.split("\t")))

    with xr.open_dataset(workdir / "results" / "big" / "profiles.nc") as profiles:
        matrix_mb = profiles["profiles"].size * 8 / 1e6  # the float64 copy the fit works on
    big_run, small_run = benchmark("big"), benchmark("small")
    assert matrix_mb > 30
    assert float(big_run["max_rss"]) - float(small_run["max_rss"]) > 2 * matrix_mb, (big_run, small_run, matrix_mb)
    assert float(big_run["cpu_time"]) > float(small_run["cpu_time"]) > 0.5, "CPU of the job's process, imports included"

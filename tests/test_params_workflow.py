"""Params carry only what the job uses: a config key that a job does not read reruns nothing (dry runs).

One real run of a tiny config (a model given by `url`, served from localhost, k = 2..3 in one fit job), then dry
runs of variants of its config with Snakemake's default `--rerun-triggers`: which jobs would run again.
"""

import copy
import re

import pytest
import yaml

from conftest import copy_workflow, serve_directory, small_global_model, snakemake

pytestmark = pytest.mark.workflow

# The outputs of the stages under test: download, extraction, fits.
TARGETS = ("results/small/profiles.nc", "results/small/fits/k2.nc", "results/small/fits/k3.nc")


def base_config(url: str) -> dict:
    return {
        "models": [{"name": "small", "url": url, "variable": "vs", "depth": [50, 650]}],
        "k": {"min": 2, "max": 3},
        "k_per_job": 2,
        "stability": {"restarts": 0},
        "compare": [],
        "classify": [],
    }


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    """(workdir, config, sha256 of the served file) after a real run of TARGETS; the server stays up for the dry
    runs."""
    served = tmp_path_factory.mktemp("served")
    small_global_model(n_depth=6).to_netcdf(served / "small.nc")
    with serve_directory(served) as (base, _):
        workdir = copy_workflow(tmp_path_factory.mktemp("params"))
        config = base_config(f"{base}/small.nc")
        (workdir / "run.yaml").write_text(yaml.safe_dump(config))
        snakemake(workdir, *TARGETS, "--configfile", "run.yaml")
        from tomoclust.provenance import sha256sum

        yield workdir, config, sha256sum(served / "small.nc")


def jobs_to_rerun(workdir, config: dict) -> list[str]:
    """The rules of the jobs a dry run of ``config`` would run for TARGETS (default rerun triggers)."""
    (workdir / "variant.yaml").write_text(yaml.safe_dump(config))
    result = snakemake(workdir, "-n", *TARGETS, "--configfile", "variant.yaml")
    stats = result.stdout.split("Job stats:")[1].split("total")[0] if "Job stats:" in result.stdout else ""
    return sorted(re.findall(r"^(\w+)\s+\d+$", stats, re.M))


def variant(config: dict, change) -> dict:
    changed = copy.deepcopy(config)
    change(changed)
    return changed


def second_entry(config):
    config["models"].append({**config["models"][0], "name": "small_again"})


VARIANTS_THAT_RERUN_NOTHING = {
    "sha256 added": lambda c, digest: c["models"][0].update(sha256=digest),
    "a second model on the same url": lambda c, digest: second_entry(c),
    "depth_windows added": lambda c, digest: c["models"][0].update(depth_windows={"width": 200, "step": 100, "k": [2]}),
    "a classification": lambda c, digest: (
        second_entry(c),
        c["classify"].append({"name": "by_small", "reference": {"model": "small", "k": 2}, "targets": ["small_again"]}),
    ),
    "a comparison": lambda c, digest: (
        second_entry(c),
        c["compare"].append({"name": "twice", "models": ["small", "small_again"], "vote_k": [2]}),
    ),
}


def test_keys_no_job_reads_rerun_nothing(finished_run):
    """All of VARIANTS_THAT_RERUN_NOTHING at once (one dry run: each costs seconds)."""
    workdir, config, digest = finished_run
    changed = copy.deepcopy(config)
    for change in VARIANTS_THAT_RERUN_NOTHING.values():
        change(changed, digest)
    changed["models"] = list({entry["name"]: entry for entry in changed["models"]}.values())  # one second entry
    assert jobs_to_rerun(workdir, changed) == [], list(VARIANTS_THAT_RERUN_NOTHING)


@pytest.mark.parametrize(
    "change",
    [
        lambda entry: entry.update(depth=[50, 500]),
        lambda entry: entry.update(transform="demean"),
    ],
    ids=["depth", "transform"],
)
def test_extraction_key_reruns_extraction_and_fits(finished_run, change):
    workdir, config, _ = finished_run
    rerun = jobs_to_rerun(workdir, variant(config, lambda c: change(c["models"][0])))
    assert "download_model" not in rerun
    assert "extract_profiles" in rerun
    assert [name for name in rerun if name.startswith("fit_kmeans")], rerun

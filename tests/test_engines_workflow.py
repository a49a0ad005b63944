"""fit.engine and the job layout through Snakemake: bit-identical results whatever the cores, the chunks or the
executor, for each engine; a larger k.max that refits and redraws nothing; one rule per stage with one k per job."""

import re
import subprocess

import pytest

from conftest import assert_same_results, copy_workflow, snakemake, write_config

pytestmark = pytest.mark.workflow

TABLES = ("results/small/inertia.csv", "results/small/labels.nc")


def engine_config(workdir, engine: str, k_max: int = 5):
    return write_config(
        workdir / "small.yaml",
        k_max=k_max,
        fit={"engine": engine, "max_iter": 20},
        stability={"restarts": 2, "subsample": 300},
    )


@pytest.mark.parametrize("engine", ["tslearn", "sklearn"])
def test_each_engine_gives_the_same_numbers_whatever_the_cores_and_the_chunks(tmp_path, engine):
    runs = []
    for cores, k_per_job in (("2", "auto"), ("1", "1"), ("2", "2")):
        workdir = copy_workflow(tmp_path / f"cores{cores}_k{k_per_job}")
        config = engine_config(workdir, engine)
        snakemake(workdir, *TABLES, "--cores", cores, "--configfile", str(config), "--config", f"k_per_job={k_per_job}")
        runs.append(workdir)
    for other in runs[1:]:
        assert_same_results(runs[0], other)


def _mtimes(workdir):
    per_k = [*workdir.glob("results/small/fits/k*.nc"), *workdir.glob("results/small/figures/*/k*.png")]
    return {path.relative_to(workdir): path.stat().st_mtime_ns for path in per_k}


def test_a_larger_k_max_refits_and_redraws_nothing_that_exists(tmp_path):
    """Chunks of three k from k.min = 2: 2-4, 5-7, 8-10. k.max 5 -> 7 stays in the chunk 5-7, fitted and drawn whole
    at the first run; 7 -> 8 adds the chunk 8-10 and touches nothing else."""
    workdir = copy_workflow(tmp_path / "grow")
    chunks = ("--config", "k_per_job=3")
    snakemake(workdir, "--configfile", str(engine_config(workdir, "sklearn", k_max=5)), *chunks)
    before = _mtimes(workdir)
    assert workdir.joinpath("results/small/fits/k7.nc").is_file(), "the last chunk is fitted whole"
    assert workdir.joinpath("results/small/figures/maps/k7.png").is_file(), "and drawn whole"

    for k_max, new in ((7, set()), (8, {"fit_kmeans_k8_10", "plot_maps_k8_10", "plot_profiles_k8_10"})):
        config = engine_config(workdir, "sklearn", k_max=k_max)
        dry = snakemake(workdir, "--configfile", str(config), *chunks, "--dry-run")
        jobs = set(re.findall(r"^(?:local)?rule (\w+):", dry.stdout, flags=re.MULTILINE))
        fit_jobs = {job for job in jobs if job.startswith("fit_kmeans")}
        assert fit_jobs == {job for job in new if job.startswith("fit_kmeans")}, f"k.max {k_max}: {sorted(jobs)}"
        assert not {job for job in jobs if job.startswith(("plot_maps", "plot_profiles"))} - new, sorted(jobs)
        assert "gather_fits" in jobs, "the tables now cover the new k.max"
        snakemake(workdir, "--configfile", str(config), *chunks)
        after = _mtimes(workdir)
        assert {path: after[path] for path in before} == before, f"k.max {k_max}: an existing fit or figure changed"
        before = after
    for k in (8, 9, 10):
        assert workdir.joinpath(f"results/small/figures/maps/k{k}.png").is_file(), "the new chunk is drawn whole"
    inertia = workdir / "results/small/inertia.csv"
    assert inertia.read_text().count("\n") == 1 + 7, "the tables cover exactly k.min..k.max = 2..8"


def test_one_k_per_job_makes_one_rule_per_stage(tmp_path):
    workdir = copy_workflow(tmp_path / "rules")
    rules = snakemake(workdir, "--list-rules", "--config", "k_per_job=1").stdout.split()
    for stage in ("fit_kmeans", "plot_maps", "plot_profiles"):
        assert stage in rules
        assert not [rule for rule in rules if rule.startswith(f"{stage}_k")], "no chunk rules"
    chunked = snakemake(workdir, "--list-rules").stdout.split()
    assert "fit_kmeans_k2_13" in chunked and "fit_kmeans" not in chunked


def test_memory_and_runtime_requests_grow_with_the_attempt(tmp_path):
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

    workdir = copy_workflow(tmp_path / "attempt")
    config = engine_config(workdir, "sklearn", k_max=3)
    snakemake(
        workdir,
        "results/small/fits/k2.nc",
        "results/small/categories.csv",
        "--configfile",
        str(config),
        "--config",
        "k_per_job=1",
    )
    targets = {"results/small/fits/k2.nc", "results/small/figures/maps/k2.png", "results/small/figures/profiles/k2.png"}
    with SnakemakeApi(OutputSettings(quiet={Quietness.ALL})) as api:
        workflow_api = api.workflow(
            snakefile=workdir / "Snakefile",
            workdir=workdir,
            resource_settings=ResourceSettings(cores=1),
            config_settings=ConfigSettings(configfiles=[config], config={"k_per_job": 1}),
            storage_settings=StorageSettings(),
        )
        workflow_api.dag(DAGSettings(targets=targets, forcetargets=True))
        workflow = workflow_api._workflow
        workflow._prepare_dag(forceall=False, ignore_incomplete=True, lock_warn_only=True, nolock=True)
        workflow._build_dag()
        jobs = {job.rule.name: job for job in workflow.dag.jobs if set(map(str, job.output)) & targets}
        assert set(jobs) == {"fit_kmeans", "plot_maps", "plot_profiles"}
        for name, job in jobs.items():
            # Setting a job's attempt makes Snakemake evaluate its resources again, as it does for a retry.
            requests = {}
            for attempt in (1, 2):
                job.attempt = attempt
                requests[attempt] = {resource: job.resources[resource] for resource in ("mem_mb", "runtime")}
            for resource in ("mem_mb", "runtime"):
                first, second = requests[1][resource], requests[2][resource]
                assert second == 2 * first > 0, f"{name} {resource}: {first} then {second}"


def slurm_reason():
    from test_slurm_workflow import slurm_unavailable_reason

    return slurm_unavailable_reason()


@pytest.mark.slurm
def test_on_slurm_set_resources_reaches_the_fit_jobs_and_results_equal_local(tmp_path):
    """`--set-resources fit_kmeans:mem_mb=...` through the SLURM profile (one rule per stage there), for the
    scikit-learn engine; the numbers equal a local run's bit for bit."""
    reason = slurm_reason()
    if reason:
        pytest.skip(reason)
    from test_slurm_workflow import LOCAL_CLUSTER_FLAGS

    runs = {}
    for mode in ("slurm", "local"):
        workdir = copy_workflow(tmp_path / mode)
        config = engine_config(workdir, "sklearn", k_max=3)
        args = [*TABLES, "--configfile", str(config)]
        if mode == "slurm":
            # Targets stay in front: --set-resources takes every word that follows it.
            args = [
                *args,
                "--profile",
                "profiles/slurm",
                *LOCAL_CLUSTER_FLAGS,
                "--set-resources",
                "fit_kmeans:mem_mb=1234",
            ]
        result = snakemake(workdir, *args)
        runs[mode] = (workdir, result.stdout + result.stderr)
    assert_same_results(runs["slurm"][0], runs["local"][0])
    submitted = dict(re.findall(r"submitted with SLURM jobid (\d+) \(log: \S*/rule_(\w+?)/", runs["slurm"][1]))
    fits = [job for job, rule in submitted.items() if rule == "fit_kmeans"]
    assert len(fits) == 2, "k = 2 and 3, one cluster job each"
    memory = subprocess.run(
        ["squeue", "--states=all", "-h", "-j", ",".join(fits), "-o", "%m"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert memory and all(value.rstrip("M") == "1234" for value in memory), memory

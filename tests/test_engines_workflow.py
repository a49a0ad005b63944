"""fit.engine and the job layout through Snakemake: bit-identical results whatever the cores, the chunks or the
executor, for each engine; one rule per stage with one k per job. (A larger k.max that refits and redraws nothing:
test_workflow.py.)"""

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
    """Two cores with the default chunks against one core with one k per job (the other rule, fit_kmeans with a
    {k} wildcard): every k fitted in another process, in another order."""
    runs = []
    for cores, k_per_job in (("2", "auto"), ("1", "1")):
        workdir = copy_workflow(tmp_path / f"cores{cores}_k{k_per_job}")
        config = engine_config(workdir, engine)
        snakemake(workdir, *TABLES, "--cores", cores, "--configfile", str(config), "--config", f"k_per_job={k_per_job}")
        runs.append(workdir)
    for other in runs[1:]:
        assert_same_results(runs[0], other)


def test_one_k_per_job_makes_one_rule_per_stage(tmp_path):
    workdir = copy_workflow(tmp_path / "rules")
    rules = snakemake(workdir, "--list-rules", "--config", "k_per_job=1").stdout.split()
    for stage in ("fit_kmeans", "plot_maps", "plot_profiles"):
        assert stage in rules
        assert not [rule for rule in rules if rule.startswith(f"{stage}_k")], "no chunk rules"
    chunked = snakemake(workdir, "--list-rules").stdout.split()
    assert "fit_kmeans_k2_13" in chunked and "fit_kmeans" not in chunked


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

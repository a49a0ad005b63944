"""The workflow through `--profile profiles/slurm` on a real (one-node) SLURM cluster.

tests/slurm/start_slurm.sh starts one on this machine (CI does); without a
cluster the test skips.
"""

import re
import shutil
import subprocess
import sys
import time

import pytest

from conftest import assert_same_results, copy_workflow, snakemake, write_config

pytestmark = [pytest.mark.slurm, pytest.mark.workflow]

TARGETS = ("results/small/inertia.csv", "results/small/labels.nc")
# Fast polling for a local cluster; the profile's own values suit a real one.
LOCAL_CLUSTER_FLAGS = (
    "--slurm-no-account",
    "--slurm-status-command",
    "squeue",
    "--slurm-init-seconds-before-status-checks",
    "1",
    "--seconds-between-status-checks",
    "2",
)


def slurm_unavailable_reason():
    if shutil.which("sinfo") is None or shutil.which("sbatch") is None:
        return "SLURM is not installed (tests/slurm/start_slurm.sh installs and starts a local one)"
    result = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True, timeout=20)
    if result.returncode != 0 or not re.search(r"idle|mixed|alloc", result.stdout):
        return (
            f"no SLURM node accepts jobs (sinfo: {result.stdout.strip() or result.stderr.strip()}); "
            "run tests/slurm/start_slurm.sh"
        )
    return None


SET_FIT_MEMORY = ("--set-resources", "fit_kmeans:mem_mb=1234")


@pytest.fixture(scope="module")
def slurm_and_local_runs(tmp_path_factory):
    reason = slurm_unavailable_reason()
    if reason:
        pytest.skip(reason)
    runs = {}
    for mode in ("slurm", "local"):
        workdir = copy_workflow(tmp_path_factory.mktemp(mode))
        config = write_config(workdir / "small.yaml", k_max=4)
        args = [*TARGETS, "--configfile", str(config)]
        if mode == "slurm":
            # Targets stay in front: --set-resources takes every word after it.
            args = [*args, "--profile", "profiles/slurm", *LOCAL_CLUSTER_FLAGS, *SET_FIT_MEMORY]
        result = snakemake(workdir, *args)
        runs[mode] = (workdir, result.stdout + result.stderr)
    return runs


def test_every_job_ran_as_a_slurm_job(slurm_and_local_runs):
    _, output = slurm_and_local_runs["slurm"]
    submitted = dict(re.findall(r"submitted with SLURM jobid (\d+) \(log: \S*/rule_(\w+?)/", output))
    fits = [job for job, rule in submitted.items() if rule.startswith("fit_kmeans")]
    assert [submitted[job] for job in fits] == ["fit_kmeans"] * 3, (
        "the profile's k_per_job=1: one rule with a {k} wildcard, one k (2, 3, 4) per cluster job"
    )
    assert "extract_profiles" in submitted.values()
    assert "gather_fits" not in submitted.values(), "the cheap gather runs beside Snakemake (localrules)"
    states = subprocess.run(
        ["squeue", "--states=all", "-h", "-j", ",".join(submitted), "-o", "%i %T"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    finished = dict(line.split() for line in states if line.strip())
    assert set(finished) == set(submitted)
    assert set(finished.values()) == {"COMPLETED"}


def test_set_resources_reaches_the_fit_jobs(slurm_and_local_runs):
    """`--set-resources fit_kmeans:mem_mb=...` (one rule of every k with the profile's k_per_job=1) reaches SLURM."""
    _, output = slurm_and_local_runs["slurm"]
    submitted = dict(re.findall(r"submitted with SLURM jobid (\d+) \(log: \S*/rule_(\w+?)/", output))
    fits = [job for job, rule in submitted.items() if rule == "fit_kmeans"]
    memory = subprocess.run(
        ["squeue", "--states=all", "-h", "-j", ",".join(fits), "-o", "%m"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert fits and memory and all(value.rstrip("M") == "1234" for value in memory), memory


def test_slurm_results_equal_local_bit_for_bit(slurm_and_local_runs):
    assert_same_results(slurm_and_local_runs["slurm"][0], slurm_and_local_runs["local"][0])


def test_rerun_through_the_profile_redoes_nothing(slurm_and_local_runs):
    workdir, _ = slurm_and_local_runs["slurm"]
    result = snakemake(
        workdir,
        "--profile",
        "profiles/slurm",
        *LOCAL_CLUSTER_FLAGS,
        *TARGETS,
        "--configfile",
        str(workdir / "small.yaml"),
        "--dry-run",
    )
    assert "Nothing to be done" in result.stdout + result.stderr


def test_a_lost_cluster_job_is_retried(tmp_path):
    """Cancel a fit job on the cluster (as a node failure or preemption would); the profile's retries redo it."""
    reason = slurm_unavailable_reason()
    if reason:
        pytest.skip(reason)
    workdir = copy_workflow(tmp_path / "lost")
    config = write_config(workdir / "small.yaml", k_max=4)
    run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "snakemake",
            "--cores",
            "2",
            "--profile",
            "profiles/slurm",
            *LOCAL_CLUSTER_FLAGS,
            *TARGETS,
            "--configfile",
            str(config),
        ],
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    cancelled = None
    deadline = time.monotonic() + 120
    while cancelled is None and time.monotonic() < deadline and run.poll() is None:
        queue = subprocess.run(["squeue", "-h", "-o", "%i %k %T"], capture_output=True, text=True).stdout.split("\n")
        live = [line.split() for line in queue if "rule_fit_kmeans" in line]
        live = [job for job in live if job[2] in ("PENDING", "RUNNING", "CONFIGURING")]
        if live:
            cancelled = live[0][0]
            subprocess.run(["scancel", cancelled], check=True)
        time.sleep(0.1)
    output, _ = run.communicate(timeout=600)
    assert cancelled is not None, "no fit job was seen in the queue to cancel"
    assert run.returncode == 0, output[-3000:]
    fit_jobs = re.findall(r"submitted with SLURM jobid (\d+) \(log: \S*/rule_fit_kmeans/", output)
    assert cancelled in fit_jobs and len(fit_jobs) == 4, "three fits plus one retry of the cancelled one"
    assert len(list((workdir / "results/small/fits").glob("k*.nc"))) == 3

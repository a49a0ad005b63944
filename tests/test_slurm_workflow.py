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


def cancel_first_fit_job(run: subprocess.Popen, timeout: float = 120) -> str | None:
    """Cancel the first fit job seen in the queue (as a node failure or preemption would); its SLURM job id."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and run.poll() is None:
        queue = subprocess.run(["squeue", "-h", "-o", "%i %k %T"], capture_output=True, text=True).stdout.split("\n")
        live = [line.split() for line in queue if "rule_fit_kmeans" in line]
        live = [job for job in live if job[2] in ("PENDING", "RUNNING", "CONFIGURING")]
        if live:
            subprocess.run(["scancel", live[0][0]], check=True)
            return live[0][0]
        time.sleep(0.1)
    return None


@pytest.fixture(scope="module")
def slurm_and_local_runs(tmp_path_factory):
    """The same small run through the SLURM profile and locally. On the cluster one fit job is cancelled while it
    runs, so the same run also shows the profile's retries at work."""
    reason = slurm_unavailable_reason()
    if reason:
        pytest.skip(reason)
    runs = {}
    for mode in ("slurm", "local"):
        workdir = copy_workflow(tmp_path_factory.mktemp(mode))
        config = write_config(workdir / "small.yaml", k_max=4)
        args = [*TARGETS, "--configfile", str(config)]
        if mode == "local":
            runs[mode] = (workdir, None, snakemake(workdir, *args).stdout)
            continue
        # Targets stay in front: --set-resources takes every word after it.
        args = [*args, "--profile", "profiles/slurm", *LOCAL_CLUSTER_FLAGS, *SET_FIT_MEMORY]
        run = subprocess.Popen(
            [sys.executable, "-m", "snakemake", "--cores", "2", *args],
            cwd=workdir,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        cancelled = cancel_first_fit_job(run)
        output, _ = run.communicate(timeout=600)
        assert run.returncode == 0, output[-3000:]
        runs[mode] = (workdir, cancelled, output)
    return runs


def submitted_jobs(output: str) -> dict[str, str]:
    """SLURM job id -> rule of every job the run submitted."""
    return dict(re.findall(r"submitted with SLURM jobid (\d+) \(log: \S*/rule_(\w+?)/", output))


def test_every_job_ran_as_a_slurm_job(slurm_and_local_runs):
    _, cancelled, output = slurm_and_local_runs["slurm"]
    submitted = submitted_jobs(output)
    fits = [job for job, rule in submitted.items() if rule.startswith("fit_kmeans")]
    assert {submitted[job] for job in fits} == {"fit_kmeans"}, (
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
    assert finished.pop(cancelled) == "CANCELLED"
    assert set(finished.values()) == {"COMPLETED"}


def test_a_lost_cluster_job_is_retried(slurm_and_local_runs):
    """The cancelled fit job is resubmitted by the profile's retries, and the run ends with every fit."""
    workdir, cancelled, output = slurm_and_local_runs["slurm"]
    assert cancelled is not None, "no fit job was seen in the queue to cancel"
    fit_jobs = [job for job, rule in submitted_jobs(output).items() if rule == "fit_kmeans"]
    assert cancelled in fit_jobs and len(fit_jobs) == 4, "three fits plus one retry of the cancelled one"
    assert len(list((workdir / "results/small/fits").glob("k*.nc"))) == 3


def test_set_resources_reaches_the_fit_jobs(slurm_and_local_runs):
    """`--set-resources fit_kmeans:mem_mb=...` (one rule of every k with the profile's k_per_job=1) reaches SLURM."""
    _, _, output = slurm_and_local_runs["slurm"]
    fits = [job for job, rule in submitted_jobs(output).items() if rule == "fit_kmeans"]
    memory = subprocess.run(
        ["squeue", "--states=all", "-h", "-j", ",".join(fits), "-o", "%m"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert fits and memory and all(value.rstrip("M") == "1234" for value in memory), memory


def test_slurm_results_equal_local_bit_for_bit(slurm_and_local_runs):
    assert_same_results(slurm_and_local_runs["slurm"][0], slurm_and_local_runs["local"][0])


def test_rerun_through_the_profile_redoes_nothing(slurm_and_local_runs):
    workdir, _, _ = slurm_and_local_runs["slurm"]
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

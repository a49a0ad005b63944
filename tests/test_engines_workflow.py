"""fit.engine and the job layout through Snakemake: bit-identical results whatever the cores and the chunks, for
each engine; one rule per stage with one k per job. (The SLURM executor: test_slurm_workflow.py; a larger k.max
that refits and redraws nothing: test_workflow.py.)"""

import pytest

from conftest import assert_same_results, copy_workflow, snakemake, write_config

pytestmark = pytest.mark.workflow

TABLES = ("results/small/inertia.csv", "results/small/labels.nc")


def engine_config(workdir, engine: str, k_max: int = 4):
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

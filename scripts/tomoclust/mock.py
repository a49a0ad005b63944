"""Run a rule's script by hand, outside a workflow run, for debugging.

Snakemake hands a rule's script a ``snakemake`` object (input, output, params,
wildcards, log...). :func:`mock_snakemake` builds the same object from the
Snakefile for the job that makes a given output file, so that

    .venv/bin/python scripts/fit_kmeans.py results/demo/fits/k6.nc
    .venv/bin/python scripts/plot_maps.py results/demo/figures/maps/k6.png --configfile my.yaml

runs that job's code in the foreground (a debugger, print statements,
``python -X importtime``...), on the inputs a previous run left. The idea is
PyPSA-Eur's ``mock_snakemake``; this one finds the job by its output file.
"""

from __future__ import annotations

import argparse
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def mock_snakemake(script: str, target: str, configfiles: list[str] | None = None, workdir: str | Path = "."):
    """The ``snakemake`` object of the job of ``script``'s rule that writes ``target``."""
    from snakemake.api import (
        ConfigSettings,
        DAGSettings,
        OutputSettings,
        ResourceSettings,
        SnakemakeApi,
        StorageSettings,
    )
    from snakemake.iocontainers import Snakemake
    from snakemake.settings.types import Quietness

    with SnakemakeApi(OutputSettings(quiet={Quietness.ALL})) as api:
        workflow_api = api.workflow(
            snakefile=PROJECT / "Snakefile",
            workdir=Path(workdir).resolve(),
            config_settings=ConfigSettings(configfiles=[Path(c).resolve() for c in configfiles or []]),
            resource_settings=ResourceSettings(cores=1),
            storage_settings=StorageSettings(),
        )
        workflow_api.dag(DAGSettings(targets={target}, forcetargets=True))
        # The DAG Snakemake would build for this target, without locking or running it.
        workflow = workflow_api._workflow
        workflow._prepare_dag(forceall=False, ignore_incomplete=True, lock_warn_only=True, nolock=True)
        workflow._build_dag()
        job = next((job for job in workflow.dag.jobs if target in job.output), None)
        script_name = Path(script).name
        if job is None or Path(str(job.rule.script)).name != script_name:
            raise SystemExit(f"no rule running {script_name} writes {target}; see the outputs in rules/*.smk")
        for path in [*job.output, *job.log]:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return Snakemake(
            job.input,
            job.output,
            job.params,
            job.wildcards,
            1,
            job.resources,
            job.log,
            workflow.config,
            job.rule.name,
            None,
            scriptdir=str(Path(script).resolve().parent),
        )


def snakemake_from_command_line(script: str):
    """For a script's ``__main__`` block: ``script.py OUTPUT [--configfile FILE ...]``."""
    parser = argparse.ArgumentParser(
        description=f"Run the job of {Path(script).name} that writes OUTPUT, as Snakemake would."
    )
    parser.add_argument("output", help="an output file of the job, e.g. results/demo/fits/k6.nc")
    parser.add_argument(
        "--configfile", nargs="*", default=[], help="the config files of the run (config.yaml is read first)"
    )
    args = parser.parse_args()
    return mock_snakemake(script, args.output, args.configfile)

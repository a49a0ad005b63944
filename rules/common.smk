# Config validation and what every stage shares: the models and k, path templates and helpers. The helpers of a
# single stage sit in rules/functions/<stage>.smk, included at the top of rules/<stage>.smk.
import functools
import os
import sys
from pathlib import Path

from snakemake.utils import validate

validate(config, "../schemas/config.schema.yaml", set_default=True)

# The workflow's own modules, found beside this file (a clone, or a module of another workflow: never the caller's
# folder). Parse time needs only Snakemake and the standard library (tomoclust.config, tomoclust.codedeps), so
# `snakemake --lint` runs where only Snakemake is installed; netCDF4 and pooch are imported in the functions below.
WORKFLOW_SCRIPTS = Path(str(workflow.current_basedir)).parent / "scripts"
sys.path.insert(0, str(WORKFLOW_SCRIPTS))

from tomoclust.codedeps import module_files
from tomoclust.config import (
    check_config,
    extraction_entry,
    k_chunks,
    k_per_job,
    pipeline_entry,
)

DEMO_MODEL_PATH = "resources/demo/wus_synthetic.nc"


check_config(config, DEMO_MODEL_PATH)

# A model given by `url` is read from where download_model puts it.
MODELS = {entry["name"]: pipeline_entry(entry) for entry in config["models"]}
# The k of the tables, the knee and labels.nc.
K_VALUES = list(range(config["k"]["min"], config["k"]["max"] + 1))
# Several k per job (an execution setting: `--config k_per_job=N`, the SLURM profile sets 1). Chunks never depend on
# k.max: the last one is whole, so fits and per-k figures are made for every k of it (K_FITTED).
K_PER_JOB = k_per_job(config["k_per_job"], config["fit"]["metric"])
K_CHUNKS = k_chunks(config["k"]["min"], config["k"]["max"], K_PER_JOB)
K_FITTED = [k for chunk in K_CHUNKS for k in chunk]
MAP_K_VALUES = (
    K_FITTED if config["maps"]["k"] == "all" else sorted(set(config["maps"]["k"]))
)
COMPARISONS = {entry["name"]: entry for entry in config["compare"]}
# What draws a map, and nothing else: a change here redraws maps, never refits.
MAP_STYLE = {
    key: config["maps"][key]
    for key in ("projection", "basemap_dir", "resolution", "overlays", "allow_download")
}


wildcard_constraints:
    model="[A-Za-z0-9][A-Za-z0-9_.-]*",
    name="[A-Za-z0-9][A-Za-z0-9_.-]*",
    k="[0-9]+",


# The k of each job: chunks of k, or the {k} wildcard of one fit_kmeans, plot_maps and plot_profiles (k_per_job 1).
K_JOBS = K_CHUNKS if K_PER_JOB > 1 else [["{k}"]]
# The fits, written by rules made in a loop (fit_kmeans_k2_13... or fit_kmeans): one template for every stage.
FIT = "results/{model}/fits/k{k}.nc"
# Snakemake would read a line starting with `report` as its directive.
in_report = report


def chunk_label(ks):
    """k3-10 for a chunk of k = 3..10, k{k} for one k per job: file names of a job's log and benchmark."""
    return f"k{ks[0]}" if len(ks) == 1 else f"k{ks[0]}-{ks[-1]}"


def chunk_rule(stage, ks):
    """fit_kmeans_k3_14 for a chunk of k; fit_kmeans, one rule of every k, with one k per job."""
    return stage if ks == ["{k}"] else f"{stage}_{chunk_label(ks).replace('-', '_')}"


def memory_mb(base, per_input_mb):
    """mem_mb from the job's input size, doubled on a second attempt (a retry after an out-of-memory kill)."""
    return lambda wildcards, input, attempt: attempt * int(
        base + per_input_mb * input.size_mb + 1
    )


def runtime_minutes(minutes):
    """runtime that grows with the attempt (a retry after a time-out)."""
    return lambda wildcards, attempt: minutes * attempt


def script_modules(script):
    """The tomoclust source files a script of scripts/ runs (tomoclust.codedeps), as a rule's input: editing one
    marks outdated the outputs of exactly the rules whose scripts run it, as editing the script does.

    An input function, so that a script is read only when the DAG holds a job that runs it. Otherwise every
    Snakemake command would first read the scripts of every stage (the comparisons, the classification...).
    """
    return lambda wildcards: modules_of_script(script)


@functools.cache  # read once per script and Snakemake process
def modules_of_script(script):
    """The workflow's own files wherever it is (a clone, or a module of another workflow), relative to the working
    directory: a finished run moved or renamed with its clone keeps the same inputs, and reruns nothing.
    """
    return [os.path.relpath(path) for path in module_files(WORKFLOW_SCRIPTS / script)]


def model_path(wildcards):
    return MODELS[wildcards.model]["path"]


def fit_files(wildcards):
    """The fits of k.min..k.max of a model."""
    return expand(FIT, model=wildcards.model, k=K_VALUES)


def citation_of(name):
    """params: whom to cite for the model(s) a figure shows, read from the job's input `name` (one file or
    several) when the job runs, once those files exist (a params function of input)."""

    def citation(wildcards, input):
        from tomoclust.io import read_citation  # netCDF4: no parse-time need

        value = getattr(input, name)
        paths = [value] if isinstance(value, str) else list(value)
        return "\n".join(dict.fromkeys(read_citation(path) for path in paths))

    return citation

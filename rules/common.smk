# Config validation and the helpers every stage uses.
import sys
from pathlib import Path

from snakemake.utils import validate

validate(config, "../schemas/config.schema.yaml", set_default=True)

# The workflow's own modules: the config checks below, and the warm worker started in onstart.
sys.path.insert(0, str(Path(workflow.basedir) / "scripts"))

from tomoclust.config import check_config


DEMO_MODEL_PATH = "resources/demo/wus_synthetic.nc"


check_config(config, DEMO_MODEL_PATH)

MODELS = {entry["name"]: entry for entry in config["models"]}
K_VALUES = list(range(config["k"]["min"], config["k"]["max"] + 1))
MAP_K_VALUES = K_VALUES if config["maps"]["k"] == "all" else sorted(set(config["maps"]["k"]))
COMPARISONS = {entry["name"]: entry for entry in config["compare"]}


# A local run shares one warm worker process for the heavy imports
# (scripts/tomoclust/warm.py); cluster jobs and dry runs never start one.
_warm_worker = None


onstart:
    global _warm_worker
    if config["warm_worker"] and workflow.local_exec and workflow.is_main_process:
        from tomoclust.warm import start_worker

        _warm_worker = start_worker()


onsuccess:
    from tomoclust.warm import stop_worker

    stop_worker(_warm_worker)


onerror:
    from tomoclust.warm import stop_worker

    stop_worker(_warm_worker)


wildcard_constraints:
    model="[A-Za-z0-9][A-Za-z0-9_.-]*",
    name="[A-Za-z0-9][A-Za-z0-9_.-]*",
    k="[0-9]+",


def model_entry(wildcards):
    return MODELS[wildcards.model]


def model_path(wildcards):
    return MODELS[wildcards.model]["path"]


def comparison_entry(wildcards):
    return COMPARISONS[wildcards.name]


def compared_labels(wildcards):
    return expand("results/{model}/labels.nc", model=COMPARISONS[wildcards.name]["models"])


def fit_files(wildcards):
    return expand("results/{model}/fits/k{k}.nc", model=wildcards.model, k=K_VALUES)


def fits_up_to(wildcards):
    """Fits of k.min..k: what a figure of k needs to colour categories by their lineage."""
    return expand("results/{model}/fits/k{k}.nc", model=wildcards.model, k=[k for k in K_VALUES if k <= int(wildcards.k)])


def final_outputs():
    per_model = [
        "results/{model}/profiles.nc",
        "results/{model}/inertia.csv",
        "results/{model}/k_selection.json",
        "results/{model}/labels.nc",
        "results/{model}/figures/elbow.png",
        "results/{model}/figures/elbow.pdf",
        "results/{model}/criteria.csv",
        "results/{model}/figures/k_selection.png",
        "results/{model}/figures/k_selection.pdf",
        "results/{model}/lineage.csv",
        "results/{model}/categories.csv",
        "results/{model}/figures/lineage.png",
        "results/{model}/figures/lineage.pdf",
        "results/{model}/figures/summary.pdf",
        "results/{model}/figures/summary.png",
    ]
    per_k = [
        "results/{model}/figures/maps/k{k}.png",
        "results/{model}/figures/maps/k{k}.pdf",
        "results/{model}/figures/profiles/k{k}.png",
        "results/{model}/figures/profiles/k{k}.pdf",
    ]
    per_comparison = [
        "results/compare/{name}/labels.nc",
        "results/compare/{name}/agreement.csv",
        "results/compare/{name}/vote.nc",
        "results/compare/{name}/figures/agreement.png",
        "results/compare/{name}/figures/agreement.pdf",
    ]
    votes = [
        path
        for name, entry in COMPARISONS.items()
        for k in entry["vote_k"]
        for path in expand("results/compare/{name}/figures/vote_k{k}.{ext}", name=name, k=k, ext=["png", "pdf"])
    ]
    return (
        expand(per_model, model=list(MODELS))
        + expand(per_k, model=list(MODELS), k=MAP_K_VALUES)
        + expand(per_comparison, name=list(COMPARISONS))
        + votes
    )

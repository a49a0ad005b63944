# Config validation and the helpers every stage uses.
import sys
from pathlib import Path

from snakemake.utils import validate

validate(config, "../schemas/config.schema.yaml", set_default=True)

# The workflow's own modules, for the few checks done at parse time.
sys.path.insert(0, str(Path(workflow.basedir) / "scripts"))


def _check_config(config):
    names = [m["name"] for m in config["models"]]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ValueError(f"config: model names must be unique; duplicated in `models`: {duplicated}")
    k_min, k_max = config["k"]["min"], config["k"]["max"]
    if k_min > k_max:
        raise ValueError(f"config: `k.min` ({k_min}) is larger than `k.max` ({k_max})")
    for key, value in (("maps.k", config["maps"]["k"]), ("figure_k", config["figure_k"])):
        outside = [] if isinstance(value, str) else [k for k in value if not k_min <= k <= k_max]
        if outside:
            raise ValueError(f"config: `{key}` lists k = {outside}, outside k.min..k.max = {k_min}..{k_max}")


_check_config(config)

MODELS = {entry["name"]: entry for entry in config["models"]}
K_VALUES = list(range(config["k"]["min"], config["k"]["max"] + 1))
MAP_K_VALUES = K_VALUES if config["maps"]["k"] == "all" else sorted(set(config["maps"]["k"]))


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
    k="[0-9]+",


def model_entry(wildcards):
    return MODELS[wildcards.model]


def model_path(wildcards):
    return MODELS[wildcards.model]["path"]


def fit_files(wildcards):
    return expand("results/{model}/fits/k{k}.nc", model=wildcards.model, k=K_VALUES)


def final_outputs():
    per_model = [
        "results/{model}/profiles.nc",
        "results/{model}/inertia.csv",
        "results/{model}/k_selection.json",
        "results/{model}/labels.nc",
        "results/{model}/figures/elbow.png",
        "results/{model}/figures/elbow.pdf",
        "results/{model}/figures/summary.pdf",
        "results/{model}/figures/summary.png",
    ]
    per_k = [
        "results/{model}/figures/maps/k{k}.png",
        "results/{model}/figures/maps/k{k}.pdf",
        "results/{model}/figures/profiles/k{k}.png",
        "results/{model}/figures/profiles/k{k}.pdf",
    ]
    return expand(per_model, model=list(MODELS)) + expand(per_k, model=list(MODELS), k=MAP_K_VALUES)

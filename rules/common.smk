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
    if config["k"]["min"] > config["k"]["max"]:
        raise ValueError(f"config: `k.min` ({config['k']['min']}) is larger than `k.max` ({config['k']['max']})")


_check_config(config)

MODELS = {entry["name"]: entry for entry in config["models"]}
K_VALUES = list(range(config["k"]["min"], config["k"]["max"] + 1))


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
    ]
    return expand(per_model, model=list(MODELS))

# Config validation and the helpers every stage uses.
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
    MODEL_DOWNLOAD_DIR,
    check_config,
    check_chunk_counts,
    check_k_counts,
    extraction_entry,
    k_chunks,
    k_per_job,
    model_downloads,
    pdf_k_values,
    pipeline_entry,
)

DEMO_MODEL_PATH = "resources/demo/wus_synthetic.nc"


check_config(config, DEMO_MODEL_PATH)

# A model given by `url` is read from where download_model puts it.
MODELS = {entry["name"]: pipeline_entry(entry) for entry in config["models"]}
MODEL_DOWNLOADS = model_downloads(config["models"])
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
# One k per job: one rule per stage with a {k} wildcard, whose outputs are the same for every k (PDF included).
PDF_K_VALUES = MAP_K_VALUES if K_PER_JOB == 1 else pdf_k_values(config, MAP_K_VALUES)
COMPARISONS = {entry["name"]: entry for entry in config["compare"]}
CLASSIFICATIONS = {entry["name"]: entry for entry in config["classify"]}
# What draws a map, and nothing else: a change here redraws maps, never refits.
MAP_STYLE = {
    key: config["maps"][key]
    for key in ("projection", "basemap_dir", "resolution", "overlays", "allow_download")
}
# Which settings decide a figure's colours (besides its own fits): the colours of k
# come from the fits of k.min..k, by this scheme.
COLOR_SETTINGS = {"scheme": config["maps"]["colors"], "from_k": config["k"]["min"]}


wildcard_constraints:
    model="[A-Za-z0-9][A-Za-z0-9_.-]*",
    name="[A-Za-z0-9][A-Za-z0-9_.-]*",
    k="[0-9]+",


# The k of each job: chunks of k, or the {k} wildcard of a single rule for each stage (k_per_job: 1).
K_JOBS = K_CHUNKS if K_PER_JOB > 1 else [["{k}"]]
# The k of each figure job: those of maps.k in each chunk.
FIGURE_K_JOBS = [
    ks
    for ks in (
        [[k for k in chunk if k in MAP_K_VALUES] for chunk in K_CHUNKS]
        if K_PER_JOB > 1
        else K_JOBS
    )
    if ks
]


def chunk_label(ks):
    """k3-10 for a chunk of k = 3..10, k{k} for one k per job: file names of a job's log and benchmark."""
    return f"k{ks[0]}" if len(ks) == 1 else f"k{ks[0]}-{ks[-1]}"


def chunk_rule(stage, ks):
    """fit_kmeans_k3_14 for a chunk of k; fit_kmeans, one rule of every k, with one k per job."""
    return stage if ks == ["{k}"] else f"{stage}_{chunk_label(ks).replace('-', '_')}"


def memory_mb(base, per_input_mb):
    """mem_mb from the job's input size, doubled on a second attempt (a retry after an out-of-memory kill)."""
    return (
        lambda wildcards, input, attempt: (base + per_input_mb * input.size_mb)
        * attempt
    )


def runtime_minutes(minutes):
    """runtime that grows with the attempt (a retry after a time-out)."""
    return lambda wildcards, attempt: minutes * attempt


def chunk_priority(ks):
    """Larger k first, so that no long job is left running alone at the end (none with a {k} wildcard)."""
    return 0 if ks == ["{k}"] else ks[-1]


def read_attributes(path, names):
    """Global attributes of a netCDF file, at DAG time (tomoclust.io, imported here: netCDF4 is no parse-time need)."""
    from tomoclust.io import read_attributes

    return read_attributes(path, names)


def read_citation(path):
    """The model_citation an output carries, when a job runs (tomoclust.io, imported here)."""
    from tomoclust.io import read_citation

    return read_citation(path)


def fetch_model(destination, source, log_path):
    """The download_model rule's code (tomoclust.io, imported here: pooch is needed only to download)."""
    from tomoclust.io import fetch_model

    fetch_model(destination, source, log_path)


def script_modules(script):
    """The tomoclust source files a script of scripts/ runs (tomoclust.codedeps), as a rule's input: editing one
    marks outdated the outputs of exactly the rules whose scripts run it, as editing the script does.

    The workflow's own files wherever it is (a clone, or a module of another workflow), relative to the working
    directory: a finished run moved or renamed with its clone keeps the same inputs, and reruns nothing.
    """
    return [os.path.relpath(path) for path in module_files(WORKFLOW_SCRIPTS / script)]


def model_entry(wildcards):
    return MODELS[wildcards.model]


def model_path(wildcards):
    return MODELS[wildcards.model]["path"]


def extracted_profiles(wildcards):
    """profiles.nc once the extraction checkpoint has run; a k.max its profiles cannot hold stops the run here,
    before any fit job starts (with the count and the key to change)."""
    path = checkpoints.extract_profiles.get(model=wildcards.model).output.profiles
    counts = read_attributes(path, ("n_fit_profiles", "n_profiles"))
    check_k_counts(
        K_VALUES,
        int(counts["n_fit_profiles"]),
        int(counts["n_profiles"]),
        wildcards.model,
        path,
    )
    check_chunk_counts(K_CHUNKS, int(counts["n_fit_profiles"]), wildcards.model, path)
    return path


def model_citation(wildcards, input):
    """Whom to cite for the model(s) a figure shows, from an earlier stage's output the job reads.

    A params function of input: Snakemake calls it when the job runs, once that file exists.
    """
    sources = ("profiles", "selection", "votes", "matched", "joint", "labels")
    for name in sources:
        if hasattr(input, name):
            value = getattr(input, name)
            paths = [value] if isinstance(value, str) else list(value)
            return "\n".join(dict.fromkeys(read_citation(path) for path in paths))
    raise ValueError(f"model_citation: the job reads none of {sources}: {input}")


def classification_reference(wildcards):
    return CLASSIFICATIONS[wildcards.name]["reference"]


def reference_file(pattern):
    """An output of the reference model of a classification: pattern with {model} and {k}."""

    def path(wildcards):
        reference = classification_reference(wildcards)
        return pattern.format(model=reference["model"], k=reference["k"])

    return path


def comparison_entry(wildcards):
    return COMPARISONS[wildcards.name]


def compared_labels(wildcards):
    return expand(
        "results/{model}/labels.nc", model=COMPARISONS[wildcards.name]["models"]
    )


def fit_files(wildcards):
    return expand("results/{model}/fits/k{k}.nc", model=wildcards.model, k=K_VALUES)


def fitted_files(wildcards):
    """Every fit of a model, K_FITTED: the whole last chunk."""
    return expand("results/{model}/fits/k{k}.nc", model=wildcards.model, k=K_FITTED)


# Snakemake would read a line starting with `report` as its directive.
in_report = report


def per_k_figures(kind, ks, caption, category):
    """The PNG (in the report) of every k of a chunk, and the PDF of those in maps.pdf (of every k with one k per job)."""
    pngs = [
        in_report(
            f"results/{{model}}/figures/{kind}/k{k}.png",
            caption=caption,
            category=category,
            subcategory="{model}",
            labels={"model": "{model}", "k": str(k), "figure": kind.rstrip("s")},
        )
        for k in ks
    ]
    pdfs = [
        f"results/{{model}}/figures/{kind}/k{k}.pdf"
        for k in ks
        if K_PER_JOB == 1 or k in PDF_K_VALUES
    ]
    return pngs + pdfs


def joint_figures():
    """The figure of every k in maps.k of a joint fit (PNG in the report)."""
    return [
        in_report(
            f"results/{{model}}/joint/figures/k{k}.png",
            caption="../report/joint.rst",
            category="Joint fits of several variables",
            subcategory="{model}",
            labels={"model": "{model}", "k": str(k), "figure": "joint"},
        )
        for k in MAP_K_VALUES
    ]


def final_outputs():
    per_model = [
        "results/{model}/profiles.nc",
        "results/{model}/inertia.csv",
        "results/{model}/k_selection.json",
        "results/{model}/labels.nc",
        "results/{model}/confidence.nc",
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
        "results/{model}/figures/confidence/k{k}.png",
        "results/{model}/figures/profiles/k{k}.png",
    ]
    per_k_pdf = [
        "results/{model}/figures/maps/k{k}.pdf",
        "results/{model}/figures/confidence/k{k}.pdf",
        "results/{model}/figures/profiles/k{k}.pdf",
    ]
    per_comparison = [
        "results/compare/{name}/labels.nc",
        "results/compare/{name}/agreement.csv",
        "results/compare/{name}/vote.nc",
        "results/compare/{name}/matched.nc",
        "results/compare/{name}/figures/agreement.png",
        "results/compare/{name}/figures/agreement.pdf",
    ]
    votes = [
        path
        for name, entry in COMPARISONS.items()
        for k in entry["vote_k"]
        for path in expand(
            "results/compare/{name}/figures/{figure}_k{k}.{ext}",
            name=name,
            figure=["vote", "matched"],
            k=k,
            ext=["png", "pdf"],
        )
    ]
    joint = [
        path
        for name, entry in MODELS.items()
        if entry.get("variables")
        for path in [
            f"results/{name}/joint/joint.nc",
            *[f"results/{name}/joint/figures/k{k}.png" for k in MAP_K_VALUES],
        ]
    ]
    windows = [
        path
        for name, entry in MODELS.items()
        if entry.get("depth_windows")
        for path in [
            f"results/{name}/depth_windows.csv",
            f"results/{name}/figures/depth_windows.png",
            f"results/{name}/figures/depth_windows.pdf",
        ]
    ]
    classified = [
        path
        for name, entry in CLASSIFICATIONS.items()
        for path in [
            f"results/classify/{name}/agreement.csv",
            f"results/classify/{name}/figures/agreement.png",
            *expand(
                "results/classify/{name}/figures/{target}.{ext}",
                name=name,
                target=entry["targets"],
                ext=["png", "pdf"],
            ),
        ]
    ]
    return (
        joint
        + windows
        + classified
        + expand(per_model, model=list(MODELS))
        + expand(per_k, model=list(MODELS), k=MAP_K_VALUES)
        + expand(per_k_pdf, model=list(MODELS), k=PDF_K_VALUES)
        + expand(per_comparison, name=list(COMPARISONS))
        + votes
    )

# Stage 7: the offline explore pages. One self-contained HTML file per model (and per
# comparison) to slide through every k in a browser, made from the gathered tables, the
# fits' centres and profiles.nc; BokehJS and every array inline, so it opens offline.
# Cheap single jobs: they run beside Snakemake on a cluster (localrules).
# The shipped basemap of the workflow's own files (a clone, or a module of another workflow: never the caller's folder).
BASEMAP_DIR = os.path.relpath(
    WORKFLOW_SCRIPTS.parent / "resources/basemap/shapefiles/natural_earth"
)


localrules:
    explore_model,
    explore_comparison,


def explore_basemap(wildcards):
    """The shipped coastlines and borders, at 1:110m for a (near) global model, else 1:50m."""
    scale = "50m"
    for name in explore_models(wildcards):
        region = MODELS[name].get("region") or {}
        lon = region.get("lon")
        if lon is None or abs(lon[1] - lon[0]) >= 90:
            scale = "110m"
    return [
        f"{BASEMAP_DIR}/physical/ne_{scale}_coastline.shp",
        f"{BASEMAP_DIR}/cultural/ne_{scale}_admin_0_boundary_lines_land.shp",
    ]


def explore_models(wildcards):
    if hasattr(wildcards, "model"):
        return [wildcards.model]
    return COMPARISONS[wildcards.name]["models"]


def explore_outputs():
    """The explore page of every model and every comparison (in rule all)."""
    return expand("results/{model}/explore.html", model=list(MODELS)) + expand(
        "results/compare/{name}/explore.html", name=list(COMPARISONS)
    )


rule explore_model:
    input:
        profiles="results/{model}/profiles.nc",
        fits=fit_files,
        labels="results/{model}/labels.nc",
        confidence="results/{model}/confidence.nc",
        criteria="results/{model}/criteria.csv",
        selection="results/{model}/k_selection.json",
        categories="results/{model}/categories.csv",
        basemap=explore_basemap,
        code=script_modules("explore_model.py"),
    output:
        page=report(
            "results/{model}/explore.html",
            caption="../report/explore.rst",
            category="Explore every k",
            subcategory="{model}",
            labels={"model": "{model}", "figure": "explore page"},
        ),
    log:
        "results/{model}/logs/explore_model.log",
    benchmark:
        "results/{model}/benchmarks/explore_model.tsv"
    conda:
        "../envs/explore.yaml"
    resources:
        mem_mb=lambda wildcards, input: 1000 + 4 * input.size_mb,
        runtime=10,
    params:
        max_mb=config["explore"]["max_mb"],
        confidence=config["confidence"],
        citation=model_citation,
    script:
        "../scripts/explore_model.py"


rule explore_comparison:
    input:
        labels="results/compare/{name}/labels.nc",
        votes="results/compare/{name}/vote.nc",
        agreement="results/compare/{name}/agreement.csv",
        categories=lambda wildcards: expand(
            "results/{model}/categories.csv", model=explore_models(wildcards)
        ),
        criteria=lambda wildcards: expand(
            "results/{model}/criteria.csv", model=explore_models(wildcards)
        ),
        selections=lambda wildcards: expand(
            "results/{model}/k_selection.json", model=explore_models(wildcards)
        ),
        basemap=explore_basemap,
        code=script_modules("explore_comparison.py"),
    output:
        page=report(
            "results/compare/{name}/explore.html",
            caption="../report/explore.rst",
            category="Explore every k",
            subcategory="{name}",
            labels={"comparison": "{name}", "figure": "explore page"},
        ),
    log:
        "results/compare/{name}/logs/explore_comparison.log",
    benchmark:
        "results/compare/{name}/benchmarks/explore_comparison.tsv"
    conda:
        "../envs/explore.yaml"
    resources:
        mem_mb=lambda wildcards, input: 1000 + 8 * input.size_mb,
        runtime=10,
    params:
        models=explore_models,
        max_mb=config["explore"]["max_mb"],
        citation=model_citation,
    script:
        "../scripts/explore_comparison.py"

# Stage 7: the offline explore pages. One self-contained HTML file per model (and per
# comparison) to slide through every k in a browser, made from the gathered tables, the
# fits' centres and profiles.nc; BokehJS and every array inline, so it opens offline.
# Cheap single jobs: they run beside Snakemake on a cluster (localrules).


include: "functions/explore.smk"


localrules:
    explore_model,
    explore_comparison,


rule explore_model:
    input:
        profiles=rules.extract_profiles.output.profiles,
        fits=fit_files,
        labels=rules.gather_fits.output.labels,
        confidence=rules.gather_fits.output.confidence,
        criteria=rules.gather_fits.output.criteria,
        selection=rules.gather_fits.output.selection,
        categories=rules.gather_fits.output.categories,
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
        citation=citation_of("profiles"),
    script:
        "../scripts/explore_model.py"


rule explore_comparison:
    input:
        labels=rules.regrid_labels.output.labels,
        votes=rules.compare_models.output.votes,
        agreement=rules.compare_models.output.agreement,
        categories=each_explored_model(rules.gather_fits.output.categories),
        criteria=each_explored_model(rules.gather_fits.output.criteria),
        selections=each_explored_model(rules.gather_fits.output.selection),
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
        citation=citation_of("votes"),
    script:
        "../scripts/explore_comparison.py"

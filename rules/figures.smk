# Stage 4: figures. The elbow, criteria and lineage of each model; a category map and a
# profile figure for every k in maps.k, drawn by chunks of k (the chunks of the fits);
# the manuscript panel. All of them in the Snakemake report with captions.


include: "functions/figures.smk"


localrules:
    plot_choosing_k,


rule plot_choosing_k:
    input:
        criteria=rules.gather_fits.output.criteria,
        selection=rules.gather_fits.output.selection,
        lineage=rules.gather_fits.output.lineage,
        categories=rules.gather_fits.output.categories,
        code=script_modules("plot_choosing_k.py"),
    output:
        elbow_png=report(
            "results/{model}/figures/elbow.png",
            caption="../report/elbow.rst",
            category="Choosing k",
            subcategory="{model}",
            labels={"model": "{model}", "figure": "elbow"},
        ),
        elbow_pdf="results/{model}/figures/elbow.pdf",
        criteria_png=report(
            "results/{model}/figures/k_selection.png",
            caption="../report/k_selection.rst",
            category="Criteria for k",
            subcategory="{model}",
            labels={"model": "{model}", "figure": "criteria"},
        ),
        criteria_pdf="results/{model}/figures/k_selection.pdf",
        lineage_png=report(
            "results/{model}/figures/lineage.png",
            caption="../report/lineage.rst",
            category="Lineage across k",
            subcategory="{model}",
            labels={"model": "{model}", "figure": "lineage"},
        ),
        lineage_pdf="results/{model}/figures/lineage.pdf",
    log:
        "results/{model}/logs/plot_choosing_k.log",
    benchmark:
        "results/{model}/benchmarks/plot_choosing_k.tsv"
    conda:
        "../envs/plot.yaml"
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        lineage_k_span=config["lineage"]["figure_k_span"],
        citation=citation_of("selection"),
    script:
        "../scripts/plot_choosing_k.py"


# categories.csv is rewritten whenever k.max grows, while the colours of k depend only
# on the fits of k.min..k (inputs here) and on COLOR_SETTINGS (params): ancient() keeps a
# larger k.max from redrawing every figure.
for ks in FIGURE_K_JOBS:

    rule:
        name:
            chunk_rule("plot_maps", ks)
        input:
            profiles=rules.extract_profiles.output.profiles,
            fits=expand(FIT, k=ks, allow_missing=True),
            categories=ancient_copy(rules.gather_fits.output.categories),
            code=script_modules("plot_maps.py"),
        output:
            maps=per_k_figures("maps", ks, "../report/map.rst", "Category maps"),
            confidence=per_k_figures(
                "confidence", ks, "../report/confidence.rst", "Confidence maps"
            ),
        log:
            f"results/{{model}}/logs/maps/{chunk_label(ks)}.log",
        benchmark:
            f"results/{{model}}/benchmarks/maps/{chunk_label(ks)}.tsv"
        group:
            "figures"
        conda:
            "../envs/plot.yaml"
        resources:
            mem_mb=memory_mb(1500, 4),
            runtime=runtime_minutes(5 + len(ks)),
        params:
            style=MAP_STYLE,
            colors=COLOR_SETTINGS,
            confidence=config["confidence"],
            citation=citation_of("profiles"),
        script:
            "../scripts/plot_maps.py"

    rule:
        name:
            chunk_rule("plot_profiles", ks)
        input:
            profiles=rules.extract_profiles.output.profiles,
            fits=expand(FIT, k=ks, allow_missing=True),
            categories=ancient_copy(rules.gather_fits.output.categories),
            code=script_modules("plot_profiles.py"),
        output:
            per_k_figures("profiles", ks, "../report/profiles.rst", "Cluster profiles"),
        log:
            f"results/{{model}}/logs/profiles/{chunk_label(ks)}.log",
        benchmark:
            f"results/{{model}}/benchmarks/profiles/{chunk_label(ks)}.tsv"
        group:
            "figures"
        conda:
            "../envs/plot.yaml"
        resources:
            mem_mb=memory_mb(1500, 4),
            runtime=runtime_minutes(5 + len(ks)),
        params:
            colors=COLOR_SETTINGS,
            envelopes=config["profiles"]["envelopes"],
            citation=citation_of("profiles"),
        script:
            "../scripts/plot_profiles.py"


rule plot_summary:
    input:
        table=rules.gather_fits.output.table,
        selection=rules.gather_fits.output.selection,
        categories=rules.gather_fits.output.categories,
        profiles=rules.extract_profiles.output.profiles,
        fits=fit_files,
        code=script_modules("plot_summary.py"),
    output:
        pdf=report(
            "results/{model}/figures/summary.pdf",
            caption="../report/summary.rst",
            category="Manuscript panel",
            subcategory="{model}",
            labels={"model": "{model}", "figure": "summary (PDF)"},
        ),
        png=report(
            "results/{model}/figures/summary.png",
            caption="../report/summary.rst",
            category="Manuscript panel",
            subcategory="{model}",
            labels={"model": "{model}", "figure": "summary"},
        ),
    log:
        "results/{model}/logs/plot_summary.log",
    benchmark:
        "results/{model}/benchmarks/plot_summary.tsv"
    conda:
        "../envs/plot.yaml"
    resources:
        mem_mb=lambda wildcards, input: 2000 + 4 * input.size_mb,
        runtime=10,
    params:
        style=MAP_STYLE,
        figure_k=config["figure_k"],
        confidence=config["confidence"],
        citation=citation_of("profiles"),
    script:
        "../scripts/plot_summary.py"

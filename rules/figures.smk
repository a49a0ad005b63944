# Stage 4: figures. The elbow, one category map and one profile figure per k,
# and the manuscript panel; all of them in the Snakemake report with captions.


rule plot_elbow:
    input:
        table="results/{model}/inertia.csv",
        selection="results/{model}/k_selection.json",
    output:
        png=report(
            "results/{model}/figures/elbow.png",
            caption="../report/elbow.rst",
            category="Choosing k",
            subcategory="{model}",
            labels={"model": "{model}", "figure": "elbow"},
        ),
        pdf="results/{model}/figures/elbow.pdf",
    log:
        "results/{model}/logs/plot_elbow.log",
    benchmark:
        "results/{model}/benchmarks/plot_elbow.tsv"
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/plot.yaml"
    script:
        "../scripts/plot_elbow.py"


rule plot_k_selection:
    input:
        criteria="results/{model}/criteria.csv",
        selection="results/{model}/k_selection.json",
    output:
        png=report(
            "results/{model}/figures/k_selection.png",
            caption="../report/k_selection.rst",
            category="Criteria for k",
            subcategory="{model}",
            labels={"model": "{model}", "figure": "criteria"},
        ),
        pdf="results/{model}/figures/k_selection.pdf",
    log:
        "results/{model}/logs/plot_k_selection.log",
    benchmark:
        "results/{model}/benchmarks/plot_k_selection.tsv"
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/plot.yaml"
    script:
        "../scripts/plot_k_selection.py"


rule plot_lineage:
    input:
        lineage="results/{model}/lineage.csv",
        categories="results/{model}/categories.csv",
        selection="results/{model}/k_selection.json",
    output:
        png=report(
            "results/{model}/figures/lineage.png",
            caption="../report/lineage.rst",
            category="Lineage across k",
            subcategory="{model}",
            labels={"model": "{model}", "figure": "lineage"},
        ),
        pdf="results/{model}/figures/lineage.pdf",
    params:
        figure_k_span=config["lineage"]["figure_k_span"],
    log:
        "results/{model}/logs/plot_lineage.log",
    benchmark:
        "results/{model}/benchmarks/plot_lineage.tsv"
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/plot.yaml"
    script:
        "../scripts/plot_lineage.py"


rule plot_map:
    input:
        profiles="results/{model}/profiles.nc",
        fit="results/{model}/fits/k{k}.nc",
        lineage=fits_up_to,
    output:
        png=report(
            "results/{model}/figures/maps/k{k}.png",
            caption="../report/map.rst",
            category="Category maps",
            subcategory="{model}",
            labels={"model": "{model}", "k": "{k}", "figure": "map"},
        ),
        pdf="results/{model}/figures/maps/k{k}.pdf",
    params:
        maps=config["maps"],
    log:
        "results/{model}/logs/maps/k{k}.log",
    benchmark:
        "results/{model}/benchmarks/maps/k{k}.tsv"
    resources:
        mem_mb=lambda wildcards, input: 1500 + 4 * input.size_mb,
        runtime=10,
    conda:
        "../envs/plot.yaml"
    script:
        "../scripts/plot_map.py"


rule plot_profiles:
    input:
        profiles="results/{model}/profiles.nc",
        fit="results/{model}/fits/k{k}.nc",
        lineage=fits_up_to,
    output:
        png=report(
            "results/{model}/figures/profiles/k{k}.png",
            caption="../report/profiles.rst",
            category="Cluster profiles",
            subcategory="{model}",
            labels={"model": "{model}", "k": "{k}", "figure": "profiles"},
        ),
        pdf="results/{model}/figures/profiles/k{k}.pdf",
    params:
        maps=config["maps"],
    log:
        "results/{model}/logs/profiles/k{k}.log",
    benchmark:
        "results/{model}/benchmarks/profiles/k{k}.tsv"
    resources:
        mem_mb=lambda wildcards, input: 1500 + 4 * input.size_mb,
        runtime=10,
    conda:
        "../envs/plot.yaml"
    script:
        "../scripts/plot_profiles.py"


rule plot_summary:
    input:
        table="results/{model}/inertia.csv",
        selection="results/{model}/k_selection.json",
        profiles="results/{model}/profiles.nc",
        fits=fit_files,
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
    params:
        maps=config["maps"],
        figure_k=config["figure_k"],
    log:
        "results/{model}/logs/plot_summary.log",
    benchmark:
        "results/{model}/benchmarks/plot_summary.tsv"
    resources:
        mem_mb=lambda wildcards, input: 2000 + 4 * input.size_mb,
        runtime=10,
    conda:
        "../envs/plot.yaml"
    script:
        "../scripts/plot_summary.py"

# Stage 5: several models side by side. Labels regridded to a common grid, their
# agreement (adjusted Rand index) at every k, and vote maps of the slowest category.


localrules:
    plot_agreement,


rule regrid_labels:
    input:
        labels=compared_labels,
    output:
        labels="results/compare/{name}/labels.nc",
    log:
        "results/compare/{name}/logs/regrid_labels.log",
    benchmark:
        "results/compare/{name}/benchmarks/regrid_labels.tsv"
    conda:
        "../envs/io.yaml"
    resources:
        mem_mb=lambda wildcards, input: 1000 + 4 * input.size_mb,
        runtime=10,
    params:
        comparison=comparison_entry,
    script:
        "../scripts/regrid_labels.py"


rule compare_models:
    input:
        labels="results/compare/{name}/labels.nc",
    output:
        agreement="results/compare/{name}/agreement.csv",
        votes="results/compare/{name}/vote.nc",
        matched="results/compare/{name}/matched.nc",
    log:
        "results/compare/{name}/logs/compare_models.log",
    benchmark:
        "results/compare/{name}/benchmarks/compare_models.tsv"
    conda:
        "../envs/fit.yaml"
    resources:
        mem_mb=lambda wildcards, input: 1000 + 4 * input.size_mb,
        runtime=10,
    params:
        comparison=comparison_entry,
    script:
        "../scripts/compare_models.py"


rule plot_vote_map:
    input:
        votes="results/compare/{name}/vote.nc",
    output:
        png=report(
            "results/compare/{name}/figures/vote_k{k}.png",
            caption="../report/vote.rst",
            category="Model comparison",
            subcategory="{name}",
            labels={"comparison": "{name}", "k": "{k}", "figure": "vote map"},
        ),
        pdf="results/compare/{name}/figures/vote_k{k}.pdf",
    log:
        "results/compare/{name}/logs/vote_k{k}.log",
    benchmark:
        "results/compare/{name}/benchmarks/vote_k{k}.tsv"
    conda:
        "../envs/plot.yaml"
    resources:
        mem_mb=1500,
        runtime=10,
    params:
        style=MAP_STYLE,
        citation=model_citation,
    script:
        "../scripts/plot_vote_map.py"


rule plot_matched_categories:
    input:
        matched="results/compare/{name}/matched.nc",
    output:
        png=report(
            "results/compare/{name}/figures/matched_k{k}.png",
            caption="../report/matched.rst",
            category="Model comparison",
            subcategory="{name}",
            labels={
                "comparison": "{name}",
                "k": "{k}",
                "figure": "matched categories",
            },
        ),
        pdf="results/compare/{name}/figures/matched_k{k}.pdf",
    log:
        "results/compare/{name}/logs/matched_k{k}.log",
    benchmark:
        "results/compare/{name}/benchmarks/matched_k{k}.tsv"
    conda:
        "../envs/plot.yaml"
    resources:
        mem_mb=1500,
        runtime=10,
    params:
        style=MAP_STYLE,
        citation=model_citation,
    script:
        "../scripts/plot_matched_categories.py"


rule plot_agreement:
    input:
        agreement="results/compare/{name}/agreement.csv",
        labels="results/compare/{name}/labels.nc",  # whom to cite, in its attributes
    output:
        png=report(
            "results/compare/{name}/figures/agreement.png",
            caption="../report/agreement.rst",
            category="Model comparison",
            subcategory="{name}",
            labels={"comparison": "{name}", "k": "all", "figure": "agreement"},
        ),
        pdf="results/compare/{name}/figures/agreement.pdf",
    log:
        "results/compare/{name}/logs/plot_agreement.log",
    benchmark:
        "results/compare/{name}/benchmarks/plot_agreement.tsv"
    conda:
        "../envs/plot.yaml"
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        citation=model_citation,
    script:
        "../scripts/plot_agreement.py"

# Stage 6: a regionalisation applied to other models. The centres of one model's fit at k
# classify the profiles of each target model (nearest centre, with its margin); each target
# gets a map, and the classification a table and a figure of the agreement with the targets'
# own fits at the same k.


include: "functions/classify.smk"


localrules:
    gather_classification,


rule classify_model:
    input:
        reference=reference_file(rules.extract_profiles.output.profiles),
        centers=reference_file(FIT),
        profiles=target_file(rules.extract_profiles.output.profiles),
        own_fit=target_file(FIT),
        code=script_modules("classify_model.py"),
    output:
        labels="results/classify/{name}/{target}/labels.nc",
    log:
        "results/classify/{name}/logs/classify_{target}.log",
    benchmark:
        "results/classify/{name}/benchmarks/classify_{target}.tsv"
    wildcard_constraints:
        target=TARGET_PATTERN,
    conda:
        "../envs/fit.yaml"
    resources:
        mem_mb=lambda wildcards, input: 1500 + 8 * input.size_mb,
        runtime=10,
    params:
        reference=classification_reference,
        metric=config["fit"]["metric"],
        metric_params=config["fit"]["metric_params"],
    script:
        "../scripts/classify_model.py"


rule plot_classified:
    input:
        labels=rules.classify_model.output.labels,
        categories=ancient(reference_file(rules.gather_fits.output.categories)),
        code=script_modules("plot_classified.py"),
    output:
        png=report(
            "results/classify/{name}/figures/{target}.png",
            caption="../report/classified.rst",
            category="Classification with saved centres",
            subcategory="{name}",
            labels={"classification": "{name}", "target": "{target}", "figure": "map"},
        ),
        pdf="results/classify/{name}/figures/{target}.pdf",
    log:
        "results/classify/{name}/logs/plot_{target}.log",
    benchmark:
        "results/classify/{name}/benchmarks/plot_{target}.tsv"
    wildcard_constraints:
        target=TARGET_PATTERN,
    conda:
        "../envs/plot.yaml"
    resources:
        mem_mb=1500,
        runtime=10,
    params:
        style=MAP_STYLE,
        citation=citation_of("labels"),
    script:
        "../scripts/plot_classified.py"


rule gather_classification:
    input:
        labels=lambda wildcards: expand(
            rules.classify_model.output.labels,
            name=wildcards.name,
            target=CLASSIFICATIONS[wildcards.name]["targets"],
        ),
        code=script_modules("gather_classification.py"),
    output:
        table="results/classify/{name}/agreement.csv",
        png=report(
            "results/classify/{name}/figures/agreement.png",
            caption="../report/classified_agreement.rst",
            category="Classification with saved centres",
            subcategory="{name}",
            labels={
                "classification": "{name}",
                "target": "all",
                "figure": "agreement",
            },
        ),
        pdf="results/classify/{name}/figures/agreement.pdf",
    log:
        "results/classify/{name}/logs/gather_classification.log",
    benchmark:
        "results/classify/{name}/benchmarks/gather_classification.tsv"
    conda:
        "../envs/plot.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        citation=citation_of("labels"),
    script:
        "../scripts/gather_classification.py"

# Stage 3: all fits of a model -> inertia and criteria tables, knee and preferred k, labels cube.


rule gather_inertia:
    input:
        fits=fit_files,
    output:
        table="results/{model}/inertia.csv",
        criteria="results/{model}/criteria.csv",
        selection="results/{model}/k_selection.json",
    params:
        sensitivity=config["knee"]["sensitivity"],
    log:
        "results/{model}/logs/gather_inertia.log",
    benchmark:
        "results/{model}/benchmarks/gather_inertia.tsv"
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        "../envs/io.yaml"
    script:
        "../scripts/gather_inertia.py"


rule gather_labels:
    input:
        profiles="results/{model}/profiles.nc",
        fits=fit_files,
    output:
        labels="results/{model}/labels.nc",
    log:
        "results/{model}/logs/gather_labels.log",
    benchmark:
        "results/{model}/benchmarks/gather_labels.tsv"
    resources:
        mem_mb=lambda wildcards, input: 1000 + 4 * input.size_mb,
        runtime=10,
    conda:
        "../envs/io.yaml"
    script:
        "../scripts/gather_labels.py"



rule gather_lineage:
    input:
        fits=fit_files,
    output:
        lineage="results/{model}/lineage.csv",
        categories="results/{model}/categories.csv",
    log:
        "results/{model}/logs/gather_lineage.log",
    benchmark:
        "results/{model}/benchmarks/gather_lineage.tsv"
    resources:
        mem_mb=lambda wildcards, input: 1000 + 2 * input.size_mb,
        runtime=10,
    conda:
        "../envs/io.yaml"
    script:
        "../scripts/gather_lineage.py"

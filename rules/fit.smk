# Stage 2: one TimeSeriesKMeans fit per model and k, as independent jobs.


rule fit_kmeans:
    input:
        profiles="results/{model}/profiles.nc",
    output:
        fit="results/{model}/fits/k{k}.nc",
    params:
        k=lambda wildcards: int(wildcards.k),
        fit=config["fit"],
        criteria=config["criteria"],
        stability=config["stability"],
    log:
        "results/{model}/logs/fit/k{k}.log",
    benchmark:
        "results/{model}/benchmarks/fit/k{k}.tsv"
    threads: 1
    resources:
        mem_mb=lambda wildcards, input: 1500 + 12 * input.size_mb,
        runtime=lambda wildcards: 60 if config["fit"]["metric"] == "euclidean" else 600,
    conda:
        "../envs/fit.yaml"
    script:
        "../scripts/fit_kmeans.py"

# Stage 2: TimeSeriesKMeans fits, one file per model and k, several k per job.
# One rule per chunk of k (K_CHUNKS, aligned on k.min): the chunk's fits share one
# process start and one read of profiles.nc; chunks run in parallel, the costliest
# (largest k) first, so that no long job is left running alone at the end.


for ks in K_CHUNKS:

    rule:
        name:
            chunk_rule("fit_kmeans", ks)
        input:
            profiles=extracted_profiles,
        output:
            fits=expand("results/{{model}}/fits/k{k}.nc", k=ks),
        log:
            f"results/{{model}}/logs/fit/{chunk_label(ks)}.log",
        benchmark:
            f"results/{{model}}/benchmarks/fit/{chunk_label(ks)}.tsv"
        priority: ks[-1]
        conda:
            "../envs/fit.yaml"
        threads: 1
        resources:
            mem_mb=lambda wildcards, input: 1500 + 12 * input.size_mb,
            runtime=(10 if config["fit"]["metric"] == "euclidean" else 600) * len(ks),
        params:
            fit=config["fit"],
            criteria=config["criteria"],
            stability=config["stability"],
        script:
            "../scripts/fit_kmeans.py"

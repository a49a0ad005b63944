# Stage 2: k-means fits, one file per model and k (tslearn or scikit-learn, `fit.engine`).
# Chunks of k per job (K_JOBS, aligned on k.min, never depending on k.max): the chunk's fits share one
# process start and one read of profiles.nc; chunks run in parallel, the costliest (largest k) first.
# With one k per job (k_per_job: 1, the SLURM profile) it is one rule, fit_kmeans, with a {k} wildcard.


include: "functions/fit.smk"


for ks in K_JOBS:

    rule:
        name:
            chunk_rule("fit_kmeans", ks)
        input:
            profiles=extracted_profiles,
            code=script_modules("fit_kmeans.py"),
        output:
            fits=expand(FIT, k=ks, allow_missing=True),
        log:
            f"results/{{model}}/logs/fit/{chunk_label(ks)}.log",
        benchmark:
            f"results/{{model}}/benchmarks/fit/{chunk_label(ks)}.tsv"
        priority: chunk_priority(ks)
        conda:
            "../envs/fit.yaml"
        threads: 1
        resources:
            mem_mb=memory_mb(1500, 12),
            runtime=runtime_minutes(
                (10 if config["fit"]["metric"] == "euclidean" else 600) * len(ks)
            ),
        params:
            fit=config["fit"],
            criteria=config["criteria"],
            stability=config["stability"],
        script:
            "../scripts/fit_kmeans.py"

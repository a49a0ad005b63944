# Stage 7: moving depth windows (models with `depth_windows`). One job per model cuts every
# window out of profiles.nc and fits it at the few k asked (small fits: one process start for
# all of them), and gives the slowest category's area per window and its volume share.


include: "functions/windows.smk"


rule depth_windows:
    input:
        profiles=rules.extract_profiles.output.profiles,
        code=script_modules("depth_windows.py"),
    output:
        table="results/{model}/depth_windows.csv",
        png=report(
            "results/{model}/figures/depth_windows.png",
            caption="../report/depth_windows.rst",
            category="Depth windows",
            subcategory="{model}",
            labels={"model": "{model}", "figure": "depth windows"},
        ),
        pdf="results/{model}/figures/depth_windows.pdf",
    log:
        "results/{model}/logs/depth_windows.log",
    benchmark:
        "results/{model}/benchmarks/depth_windows.tsv"
    conda:
        "../envs/fit.yaml"
    resources:
        mem_mb=lambda wildcards, input: 1500 + 12 * input.size_mb,
        runtime=60,
    params:
        windows=lambda wildcards: MODELS[wildcards.model]["depth_windows"],
        fit=config["fit"],
        citation=citation_of("profiles"),
    script:
        "../scripts/depth_windows.py"

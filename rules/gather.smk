# Stage 3: all fits of a model -> tables, knee and preferred k, labels and confidence cubes, lineage and colours.
# One job reads every fit once; on a cluster it runs beside Snakemake (localrules).


include: "functions/gather.smk"


localrules:
    gather_fits,


rule gather_fits:
    input:
        profiles=rules.extract_profiles.output.profiles,
        fits=fitted_files,
        code=script_modules("gather_fits.py"),
    output:
        table="results/{model}/inertia.csv",
        criteria="results/{model}/criteria.csv",
        selection="results/{model}/k_selection.json",
        labels="results/{model}/labels.nc",
        lineage="results/{model}/lineage.csv",
        categories="results/{model}/categories.csv",
        confidence="results/{model}/confidence.nc",
    log:
        "results/{model}/logs/gather_fits.log",
    benchmark:
        "results/{model}/benchmarks/gather_fits.tsv"
    conda:
        "../envs/io.yaml"
    resources:
        mem_mb=lambda wildcards, input: 1000 + 4 * input.size_mb,
        runtime=10,
    params:
        k_range=[config["k"]["min"], config["k"]["max"]],
        sensitivity=config["knee"]["sensitivity"],
        colors=config["maps"]["colors"],
        confidence=config["confidence"],
    script:
        "../scripts/gather_fits.py"

# Stage 1: model file -> canonical stack of complete depth profiles.
# A checkpoint: once it has run, the fit jobs' input (extracted_profiles) checks that the
# profiles can hold k.max, so a k range the data cannot hold stops the run before any fit.


include: "functions/extract.smk"


checkpoint extract_profiles:
    input:
        model=model_path,
        code=script_modules("extract_profiles.py"),
    output:
        profiles="results/{model}/profiles.nc",
    log:
        "results/{model}/logs/extract_profiles.log",
    benchmark:
        "results/{model}/benchmarks/extract_profiles.tsv"
    conda:
        "../envs/io.yaml"
    resources:
        mem_mb=lambda wildcards, input: 1000
        + 2 * input.size_mb
        + 4 * config["extract"]["block_mb"],
        runtime=30,
    params:
        # Only the keys that change profiles.nc: a new key of the entry (depth_windows, sha256) reruns nothing.
        model=lambda wildcards: extraction_entry(MODELS[wildcards.model]),
        # A check of the input file, not a setting: derived from the input (Snakemake tracks no such params), so
        # adding the checksum of the file in use reruns nothing.
        sha256=lambda wildcards, input: MODELS[wildcards.model].get("sha256"),
        block_mb=config["extract"]["block_mb"],
    script:
        "../scripts/extract_profiles.py"

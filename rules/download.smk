# Stage 0: models given by `url` are downloaded once into resources/models/ (pooch: checksum, no partial file).
# On a cluster the download runs beside Snakemake (localrules): compute nodes are often offline.


localrules:
    download_model,


rule download_model:
    output:
        model=f"{MODEL_DOWNLOAD_DIR}/{{filename}}",
    log:
        f"{MODEL_DOWNLOAD_DIR}/logs/{{filename}}.log",
    wildcard_constraints:
        filename="[^/]+",
    conda:
        "../envs/io.yaml"
    params:
        source=lambda wildcards: MODEL_DOWNLOADS[wildcards.filename],
    script:
        "../scripts/download_model.py"

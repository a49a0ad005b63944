# Stage 0: models given by `url` are downloaded once into resources/models/ (pooch: checksum, no partial file).
# On a cluster the download runs beside Snakemake (localrules): compute nodes are often offline.
#
# A run block, not a script: Snakemake reruns a script rule whenever its script file is newer than
# the output, and deletes the output before rerunning. A model put in resources/models/ by hand on
# an offline machine would be deleted by the first `git pull` that touched the script. A run block
# reruns only when its own text, the URL or the checksum change. It runs in Snakemake's process
# (no conda env of its own): pooch comes with the workflow's requirements.


include: "functions/download.smk"


localrules:
    download_model,


rule download_model:
    output:
        model=f"{MODEL_DOWNLOAD_DIR}/{{filename}}",
    log:
        f"{MODEL_DOWNLOAD_DIR}/logs/{{filename}}.log",
    wildcard_constraints:
        filename="[^/]+",
    params:
        # What the file is: its URL. The checksum and the models reading the file are derived from the output
        # (Snakemake tracks no such params): adding the file's own `sha256`, or a second model on the same URL,
        # reruns nothing; pooch checks the checksum whenever the file is downloaded.
        url=lambda wildcards: MODEL_DOWNLOADS[wildcards.filename]["url"],
        sha256=lambda wildcards, output: MODEL_DOWNLOADS[wildcards.filename]["sha256"],
        models=lambda wildcards, output: MODEL_DOWNLOADS[wildcards.filename]["models"],
    run:
        fetch_model(
            output.model,
            {"url": params.url, "sha256": params.sha256, "models": params.models},
            log[0],
        )

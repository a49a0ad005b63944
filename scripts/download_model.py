"""Rule download_model (rules/download.smk): a model file given by `url`, fetched once into resources/models/."""
from tomoclust.io import DownloadError, download_file
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.mock import snakemake_from_command_line


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    source = dict(snakemake.params.source)
    models = ", ".join(source["models"])
    log.info("models %s: downloading %s to %s", models, source["url"], snakemake.output.model)
    try:
        digest = download_file(source["url"], snakemake.output.model, source.get("sha256"))
    except DownloadError as error:
        keys = " / ".join(f"`models[name={name}].url`" for name in source["models"])
        raise DownloadError(f"models {models} ({keys}): {error}") from None
    if source.get("sha256"):
        log.info("checksum verified: sha256 %s", digest)
    else:
        log.warning("no `sha256` in the config for models %s; this file's is %s: add `sha256: %s` to pin it",
                    models, digest, digest)


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

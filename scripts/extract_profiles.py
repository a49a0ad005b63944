"""Rule extract_profiles (rules/extract.smk): model file -> profiles.nc, the canonical stack of complete profiles."""

from tomoclust.extract import ModelInputError, ModelSpec, extract_model
from tomoclust.io import write_netcdf
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.mock import snakemake_from_command_line
from tomoclust.provenance import provenance_attrs


def main(snakemake):
    setup_logging(log_path_of(snakemake))
    entry, sha256 = dict(snakemake.params.model), snakemake.params.sha256
    provenance = provenance_attrs(entry, inputs={"source": snakemake.input.model})
    if sha256 and provenance["source_sha256"] != sha256:
        raise ModelInputError(
            f"model '{entry['name']}': file {snakemake.input.model} has sha256 {provenance['source_sha256']}, not the "
            f"{sha256} the config names (a different data revision, or a damaged copy). Replace the file, "
            f"or fix `models[name={entry['name']}].sha256`"
        )
    profiles = extract_model(ModelSpec.from_config(entry), block_mb=snakemake.params.block_mb)
    profiles.attrs.update(provenance)
    write_netcdf(profiles, snakemake.output.profiles)


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

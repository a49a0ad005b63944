"""Rule extract_profiles (rules/extract.smk): model file -> profiles.nc, the canonical stack of complete profiles."""
from tomoclust.extract import ModelSpec, extract_model
from tomoclust.io import write_netcdf
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.provenance import provenance_attrs


def main(snakemake):
    setup_logging(log_path_of(snakemake))
    entry = dict(snakemake.params.model)
    profiles = extract_model(ModelSpec.from_config(entry), block_mb=snakemake.params.block_mb)
    profiles.attrs.update(provenance_attrs(entry, inputs={"source": snakemake.input.model}))
    write_netcdf(profiles, snakemake.output.profiles)


if __name__ == "__main__":
    if "snakemake" not in globals():  # run by hand: python scripts/THIS.py OUTPUT [--configfile ...]
        from tomoclust.mock import snakemake_from_command_line

        snakemake = snakemake_from_command_line(__file__)
    main(snakemake)  # noqa: F821 (Snakemake defines it when it runs the rule)

"""Rule extract_profiles: model file -> results/{model}/profiles.nc."""
from tomoclust.extract import ModelSpec, extract_model
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.provenance import provenance_attrs, write_netcdf


def main(snakemake):
    setup_logging(log_path_of(snakemake))
    spec = ModelSpec.from_config(snakemake.params.model)
    profiles = extract_model(spec, block_mb=snakemake.params.block_mb)
    profiles.attrs.update(provenance_attrs(dict(snakemake.params.model), inputs={"source": snakemake.input.model}))
    write_netcdf(profiles, snakemake.output.profiles)


if __name__ == "__main__":
    main(snakemake)  # noqa: F821 (injected by Snakemake)

"""Rule demo_model (rules/demo.smk): the synthetic Western-US demo model, made on the fly."""
from tomoclust.demo import make_demo_model
from tomoclust.io import write_netcdf
from tomoclust.logs import log_path_of, setup_logging


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    ds = make_demo_model()
    log.info("demo model: %d grid points, %d complete profiles, %d depths",
             ds["province"].size, int((ds["province"] >= 0).sum()), ds.sizes["depth"])
    write_netcdf(ds, snakemake.output.model)


if __name__ == "__main__":
    if "snakemake" not in globals():  # run by hand: python scripts/THIS.py OUTPUT [--configfile ...]
        from tomoclust.mock import snakemake_from_command_line

        snakemake = snakemake_from_command_line(__file__)
    main(snakemake)  # noqa: F821 (Snakemake defines it when it runs the rule)

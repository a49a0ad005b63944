"""Rule demo_model (rules/demo.smk): the synthetic Western-US demo model, made on the fly."""

from tomoclust.demo import make_demo_model
from tomoclust.io import write_netcdf
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.mock import snakemake_from_command_line


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    ds = make_demo_model()
    log.info(
        "demo model: %d grid points, %d complete profiles, %d depths",
        ds["province"].size,
        int((ds["province"] >= 0).sum()),
        ds.sizes["depth"],
    )
    write_netcdf(ds, snakemake.output.model)


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

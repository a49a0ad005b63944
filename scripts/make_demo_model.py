"""Rule demo_model: write the synthetic Western-US model."""
from tomoclust.demo import make_demo_model
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.provenance import write_netcdf


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    ds = make_demo_model()
    n_complete = int((ds["province"] >= 0).sum())
    log.info("demo model: %s profiles, %d complete, %d depths", ds["province"].size, n_complete, ds.sizes["depth"])
    write_netcdf(ds, snakemake.output.model)


if __name__ == "__main__":
    main(snakemake)  # noqa: F821 (injected by Snakemake)

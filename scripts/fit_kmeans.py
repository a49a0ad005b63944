"""Rule fit_kmeans: profiles.nc -> fits/k{k}.nc for one k."""
import logging

import xarray as xr

from tomoclust.fit import fit_dataset, fit_kmeans
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.provenance import provenance_attrs, write_netcdf


def main(snakemake):
    setup_logging(log_path_of(snakemake))
    log = logging.getLogger("tomoclust.fit")
    k = snakemake.params.k
    fit_params = dict(snakemake.params.fit)
    with xr.open_dataset(snakemake.input.profiles) as profiles_ds:
        profiles_ds = profiles_ds.load()
    result = fit_kmeans(profiles_ds["profiles"].values, profiles_ds["depth"].values, k, **fit_params)
    log.info(
        "model %s k=%d: inertia %.6g after %d iterations; cluster sizes %s",
        profiles_ds.attrs.get("model"), k, result.inertia, result.n_iter,
        sorted(int(n) for n in (result.labels[:, None] == range(k)).sum(axis=0)),
    )
    fit = fit_dataset(result, profiles_ds, k, fit_params)
    fit.attrs.update(provenance_attrs({"k": k, "fit": fit_params}, inputs={"profiles": snakemake.input.profiles}))
    fit.attrs["source_sha256"] = profiles_ds.attrs.get("source_sha256", "")
    write_netcdf(fit, snakemake.output.fit)


if __name__ == "__main__":
    main(snakemake)  # noqa: F821 (injected by Snakemake)

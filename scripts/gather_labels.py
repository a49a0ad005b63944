"""Rule gather_labels: fits + profiles.nc -> labels.nc (k, latitude, longitude)."""
import xarray as xr

from tomoclust.gather import labels_cube
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.provenance import provenance_attrs, write_netcdf


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    with xr.open_dataset(snakemake.input.profiles) as profiles_ds:
        cube = labels_cube(profiles_ds.load(), snakemake.input.fits)
    cube.attrs.update(provenance_attrs({"model": snakemake.wildcards.model}))
    cube.attrs["source_sha256"] = profiles_ds.attrs.get("source_sha256", "")
    log.info("labels for k=%s on a %d x %d grid", cube["k"].values.tolist(), cube.sizes["latitude"], cube.sizes["longitude"])
    write_netcdf(cube, snakemake.output.labels)


if __name__ == "__main__":
    main(snakemake)  # noqa: F821 (injected by Snakemake)

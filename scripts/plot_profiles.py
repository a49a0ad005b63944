"""Rule plot_profiles: fits/k{k}.nc + profiles.nc -> figures/profiles/k{k}.png/.pdf."""
import xarray as xr

from tomoclust.logs import log_path_of, setup_logging
from tomoclust.plotting import display_units, save_figure
from tomoclust.profile_plots import plot_cluster_profiles


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    with xr.open_dataset(snakemake.input.profiles) as profiles_ds, xr.open_dataset(snakemake.input.fit) as fit:
        k = int(fit["k"])
        fig = plot_cluster_profiles(
            profiles_ds["profiles"].values, fit["labels"].values, fit["centers"].values, profiles_ds["depth"].values, k,
            units=display_units(fit["centers"].attrs.get("units", "")),
            title=f"{snakemake.wildcards.model}: cluster profiles at k = {k}",
        )
    save_figure(fig, snakemake.output.png, snakemake.output.pdf)
    log.info("profile figure of %d categories written", k)


if __name__ == "__main__":
    main(snakemake)  # noqa: F821 (injected by Snakemake)

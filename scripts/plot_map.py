"""Rule plot_map: fits/k{k}.nc + profiles.nc -> figures/maps/k{k}.png/.pdf."""
import xarray as xr

from tomoclust.gather import labels_on_grid
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.maps import MapStyle, plot_category_map
from tomoclust.plotting import display_units, save_figure


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    with xr.open_dataset(snakemake.input.profiles) as profiles_ds, xr.open_dataset(snakemake.input.fit) as fit:
        k = int(fit["k"])
        labels2d = labels_on_grid(profiles_ds, fit["labels"].values)
        units = display_units(fit["centers"].attrs.get("units", ""))
        fig = plot_category_map(
            profiles_ds["latitude"].values, profiles_ds["longitude"].values, labels2d, k,
            fit["center_depth_mean"].values, fit["cluster_size"].values, units,
            title=f"{snakemake.wildcards.model}: k = {k} categories ({fit.attrs.get('fit_metric', '')})",
            style=MapStyle.from_config(snakemake.params.maps),
        )
    save_figure(fig, snakemake.output.png, snakemake.output.pdf)
    log.info("map of %d categories written", k)


if __name__ == "__main__":
    main(snakemake)  # noqa: F821 (injected by Snakemake)

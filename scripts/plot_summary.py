"""Rule plot_summary: the manuscript panel figures/summary.pdf."""
import json

import pandas as pd
import xarray as xr

from tomoclust.gather import labels_on_grid
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.maps import MapStyle
from tomoclust.plotting import display_units, save_figure
from tomoclust.summary import choose_figure_k, plot_summary


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    table = pd.read_csv(snakemake.input.table)
    with open(snakemake.input.selection) as handle:
        selection = json.load(handle)
    fit_paths = {int(str(p).rsplit("/k", 1)[1].removesuffix(".nc")): p for p in snakemake.input.fits}
    ks = choose_figure_k(snakemake.params.figure_k, selection.get("knee"), list(fit_paths))
    log.info("manuscript panel shows k = %s", ks)
    with xr.open_dataset(snakemake.input.profiles) as profiles_ds:
        profiles_ds = profiles_ds.load()
    fits = {}
    for k in ks:
        with xr.open_dataset(fit_paths[k]) as fit:
            labels = fit["labels"].values
            fits[k] = (labels_on_grid(profiles_ds, labels), labels, fit["centers"].values,
                       fit["center_depth_mean"].values, fit["cluster_size"].values)
    fig = plot_summary(
        table, selection, profiles_ds["latitude"].values, profiles_ds["longitude"].values, fits,
        profiles_ds["profiles"].values, profiles_ds["depth"].values,
        display_units(profiles_ds["profiles"].attrs.get("units", "")), snakemake.wildcards.model,
        MapStyle.from_config(snakemake.params.maps),
    )
    save_figure(fig, snakemake.output.png, snakemake.output.pdf, dpi=300)


if __name__ == "__main__":
    main(snakemake)  # noqa: F821 (injected by Snakemake)

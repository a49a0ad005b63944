"""Rule plot_summary (rules/figures.smk): the manuscript panel: elbow, then map and centre profiles of a few k."""

from tomoclust.colors import colors_of
from tomoclust.confidence import uncertain_on_grid
from tomoclust.grid import labels_on_grid
from tomoclust.io import k_of_path, read_dataset, read_fits, read_json, read_table
from tomoclust.joint import variable_blocks
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.maps import MapStyle
from tomoclust.mock import snakemake_from_command_line
from tomoclust.plotting import save_figure
from tomoclust.preprocess import preprocessing_label
from tomoclust.summary import choose_figure_k, plot_summary
from tomoclust.units import display_units


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    table, selection = read_table(snakemake.input.table), read_json(snakemake.input.selection)
    categories = read_table(snakemake.input.categories)
    fit_paths = {k_of_path(path): path for path in snakemake.input.fits}
    figure_k = snakemake.params.figure_k
    ks = choose_figure_k(
        figure_k if isinstance(figure_k, str) else list(figure_k), selection.get("knee"), list(fit_paths)
    )
    log.info("manuscript panel shows k = %s", ks)
    # The grid and where each profile sits on it, not the profile matrix: the fits hold the members' spread.
    profiles = read_dataset(
        snakemake.input.profiles, ["profile_status", "profile_lat_index", "profile_lon_index", "depth"]
    )
    fits = read_fits([fit_paths[k] for k in ks])
    panels = {
        k: (labels_on_grid(profiles, fit["labels"].values), fit["centers"].values, fit["member_std"].values)
        for k, fit in fits.items()
    }
    units = next(iter(fits.values()))["centers"].attrs.get("units", "")
    figure = plot_summary(
        table,
        selection,
        profiles["latitude"].values,
        profiles["longitude"].values,
        panels,
        variable_blocks(profiles, units),
        display_units(units),
        f"{snakemake.wildcards.model} ({preprocessing_label(profiles.attrs)})",
        MapStyle.from_config(dict(snakemake.params.style)),
        colors={k: colors_of(categories, k) for k in ks},
        uncertain={k: uncertain_on_grid(profiles, fit, dict(snakemake.params.confidence)) for k, fit in fits.items()},
    )
    # The PDF is the manuscript's vector figure; its metadata say which model it shows and whom to cite.
    save_figure(
        figure,
        snakemake.output.png,
        snakemake.output.pdf,
        citation=snakemake.params.citation,
        title=f"{snakemake.wildcards.model}: k-means categories of the depth profiles",
    )


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

"""Rules plot_maps_k{first}_{last} (rules/figures.smk): the category map and the confidence map of each k of one chunk.

One canvas for the chunk: the projection, mesh, basemap, gridlines and layout are
set up once; for each k the mesh shows the categories, then the margins, with
their colours, dots, colour bar and title.
"""

import numpy as np

from tomoclust.colors import color_source, colors_of
from tomoclust.confidence import uncertain_on_grid, uncertainty_note
from tomoclust.grid import labels_on_grid, on_grid
from tomoclust.io import read_figure_inputs
from tomoclust.joint import ordering_variable
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.maps import CategoryMapCanvas, MapStyle, category_labels
from tomoclust.mock import snakemake_from_command_line
from tomoclust.plotting import figure_paths
from tomoclust.preprocess import preprocessing_label
from tomoclust.units import display_units


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    model = snakemake.wildcards.model
    profiles, fits, categories = read_figure_inputs(
        snakemake.input.profiles, snakemake.input.fits, snakemake.input.categories
    )
    style, thresholds = MapStyle.from_config(dict(snakemake.params.style)), dict(snakemake.params.confidence)
    lat, lon, area = profiles["latitude"].values, profiles["longitude"].values, profiles["profile_area"].values
    canvas = CategoryMapCanvas(lat, lon, style)
    # Several variables joined: the colours follow the first one's velocity, and the colour bar says so.
    ordered_by = ordering_variable(profiles)
    confidence_paths = figure_paths(snakemake.output.confidence)
    for k, paths in figure_paths(snakemake.output.maps).items():
        fit = fits[k]
        note = uncertainty_note(fit, area, thresholds)
        uncertain = uncertain_on_grid(profiles, fit, thresholds)
        canvas.draw(
            labels_on_grid(profiles, fit["labels"].values),
            k,
            colors_of(categories, k),
            category_labels(
                fit["center_depth_mean"].values,
                fit["cluster_area_percent"].values,
                display_units(fit["center_depth_mean"].attrs.get("units", "")),
            ),
            title=f"{model}: k = {k}, {fit.attrs.get('fit_metric', '')}\n({preprocessing_label(fit.attrs)})\n{note}",
            uncertain=uncertain,
            ordered_by=ordered_by,
        )
        canvas.save(*paths, citation=snakemake.params.citation, title=f"{model}: category map, k = {k}")
        # The confidence map of the same k on the same mesh: other data, colours and dots.
        canvas.draw_values(
            on_grid(profiles, fit["margin"].values, np.nan),
            title=f"{model}: k = {k}, margin to the second-nearest centre\n{note}",
            colorbar_label="margin (d2 - d1) / (d2 + d1): 0 on a boundary, 1 on a centre",
        )
        canvas.mark(uncertain, color="white")  # low margins are dark here
        canvas.save(*confidence_paths[k], citation=snakemake.params.citation, title=f"{model}: confidence map, k = {k}")
        log.info("k=%d: %s", k, note.replace("\n", " "))
    canvas.close()
    log.info(
        "maps and confidence maps of k = %s written; %s",
        sorted(figure_paths(snakemake.output.maps)),
        color_source(snakemake.params.colors),
    )


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

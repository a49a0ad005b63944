"""Rules plot_maps_k{first}_{last} (rules/figures.smk): the category map and the confidence map of each k of one chunk.

The projection, basemap, gridlines and colour bar are set up once per kind of
map; only the categories (or margins), colours, dots, legend and title change
from one k to the next.
"""
import numpy as np

from tomoclust.confidence import uncertain_on_grid, uncertainty_note
from tomoclust.gather import labels_on_grid, on_grid
from tomoclust.io import read_figure_inputs
from tomoclust.lineage import colors_of, colour_source
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.maps import CategoryMapCanvas, MapStyle, category_labels
from tomoclust.mock import snakemake_from_command_line
from tomoclust.plotting import display_units, figure_paths, save_figure
from tomoclust.preprocess import preprocessing_label


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    model = snakemake.wildcards.model
    profiles, fits, categories = read_figure_inputs(snakemake.input.profiles, snakemake.input.fits,
                                                    snakemake.input.categories)
    style, thresholds = MapStyle.from_config(dict(snakemake.params.style)), dict(snakemake.params.confidence)
    lat, lon, area = profiles["latitude"].values, profiles["longitude"].values, profiles["profile_area"].values
    canvas = CategoryMapCanvas(lat, lon, style)
    for k, paths in figure_paths(snakemake.output.maps).items():
        fit = fits[k]
        note = uncertainty_note(fit, area, thresholds)
        figure = canvas.draw(
            labels_on_grid(profiles, fit["labels"].values), k, colors_of(categories, k),
            category_labels(fit["center_depth_mean"].values, fit["cluster_area_percent"].values,
                            display_units(fit["center_depth_mean"].attrs.get("units", ""))),
            title=f"{model}: k = {k}, {fit.attrs.get('fit_metric', '')}\n({preprocessing_label(fit.attrs)})\n{note}",
            uncertain=uncertain_on_grid(profiles, fit, thresholds),
        )
        save_figure(figure, *paths, close=False, bbox_inches=canvas.bbox_inches(), citation=snakemake.params.citation,
                    title=f"{model}: category map, k = {k}")
        log.info("k=%d: %s", k, note.replace("\n", " "))
    canvas.close()
    canvas = CategoryMapCanvas(lat, lon, style)
    for k, paths in figure_paths(snakemake.output.confidence).items():
        fit = fits[k]
        margin = on_grid(profiles, fit["margin"].values, np.nan)
        figure = canvas.draw_values(
            margin, title=f"{model}: k = {k}, margin to the second-nearest centre\n{uncertainty_note(fit, area, thresholds)}",
            colorbar_label="margin (d2 - d1) / (d2 + d1): 0 on a boundary, 1 on a centre")
        canvas.mark(uncertain_on_grid(profiles, fit, thresholds), color="white")  # low margins are dark here
        save_figure(figure, *paths, close=False, bbox_inches=canvas.bbox_inches(), citation=snakemake.params.citation,
                    title=f"{model}: confidence map, k = {k}")
    canvas.close()
    log.info("maps and confidence maps of k = %s written; %s", sorted(figure_paths(snakemake.output.maps)),
             colour_source(snakemake.params.colors))


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

"""Rules plot_maps_k{first}_{last} (rules/figures.smk): the category map of each k of one chunk.

The projection, basemap, gridlines and colour bar are set up once; only the
categories, colours, legend and title change from one k to the next.
"""
from tomoclust.gather import labels_on_grid
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
    canvas = CategoryMapCanvas(profiles["latitude"].values, profiles["longitude"].values,
                               MapStyle.from_config(dict(snakemake.params.style)))
    for k, paths in figure_paths(snakemake.output).items():
        fit = fits[k]
        figure = canvas.draw(
            labels_on_grid(profiles, fit["labels"].values), k, colors_of(categories, k),
            category_labels(fit["center_depth_mean"].values, fit["cluster_area_percent"].values,
                            display_units(fit["center_depth_mean"].attrs.get("units", ""))),
            title=f"{model}: k = {k}, {fit.attrs.get('fit_metric', '')}\n({preprocessing_label(fit.attrs)})",
        )
        save_figure(figure, *paths, close=False, bbox_inches=canvas.bbox_inches(), citation=snakemake.params.citation,
                    title=f"{model}: category map, k = {k}")
    canvas.close()
    log.info("maps of k = %s written; %s", sorted(figure_paths(snakemake.output)), colour_source(snakemake.params.colors))


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

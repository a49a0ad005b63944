"""Rules plot_maps_k{first}_{last} (rules/figures.smk): the category map of each k of one chunk.

The projection, basemap, gridlines and colour bar are set up once; only the
categories, colours, legend and title change from one k to the next.
"""
from tomoclust.gather import labels_on_grid
from tomoclust.io import read_fits, read_profiles, read_table
from tomoclust.lineage import colors_of
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.maps import CategoryMapCanvas, MapStyle, category_labels
from tomoclust.plotting import display_units, figure_paths, save_figure
from tomoclust.preprocess import preprocessing_label


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    model = snakemake.wildcards.model
    profiles = read_profiles(snakemake.input.profiles)
    fits = read_fits(snakemake.input.fits)
    categories = read_table(snakemake.input.categories)
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
        save_figure(figure, *paths, close=False, bbox_inches=canvas.bbox_inches())
    canvas.close()
    colors = snakemake.params.colors
    log.info("maps of k = %s written; colours from categories.csv (%s, lineage from k=%s)",
             sorted(figure_paths(snakemake.output)), colors["scheme"], colors["from_k"])


if __name__ == "__main__":
    if "snakemake" not in globals():  # run by hand: python scripts/THIS.py OUTPUT [--configfile ...]
        from tomoclust.mock import snakemake_from_command_line

        snakemake = snakemake_from_command_line(__file__)
    main(snakemake)  # noqa: F821 (Snakemake defines it when it runs the rule)

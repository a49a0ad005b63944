"""Rules plot_profiles_k{first}_{last} (rules/figures.smk): the cluster profile figure of each k of one chunk."""
from tomoclust.io import read_fits, read_profiles, read_table
from tomoclust.lineage import colors_of
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.plotting import display_units, figure_paths, save_figure
from tomoclust.preprocess import preprocessing_label
from tomoclust.profile_plots import plot_cluster_profiles


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    model = snakemake.wildcards.model
    profiles = read_profiles(snakemake.input.profiles)
    fits = read_fits(snakemake.input.fits)
    categories = read_table(snakemake.input.categories)
    values, depth = profiles["profiles"].values, profiles["depth"].values
    for k, paths in figure_paths(snakemake.output).items():
        fit = fits[k]
        figure = plot_cluster_profiles(
            values, fit["labels"].values, fit["centers"].values, depth, k,
            units=display_units(fit["centers"].attrs.get("units", "")),
            title=f"{model}: cluster profiles at k = {k}\n({preprocessing_label(fit.attrs)})",
            colors=colors_of(categories, k), area_percent=fit["cluster_area_percent"].values,
        )
        save_figure(figure, *paths, bbox_inches=None)  # laid out with margins in inches
    colors = snakemake.params.colors
    log.info("profile figures of k = %s written; colours from categories.csv (%s, lineage from k=%s)",
             sorted(figure_paths(snakemake.output)), colors["scheme"], colors["from_k"])


if __name__ == "__main__":
    if "snakemake" not in globals():  # run by hand: python scripts/THIS.py OUTPUT [--configfile ...]
        from tomoclust.mock import snakemake_from_command_line

        snakemake = snakemake_from_command_line(__file__)
    main(snakemake)  # noqa: F821 (Snakemake defines it when it runs the rule)

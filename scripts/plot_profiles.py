"""Rules plot_profiles_k{first}_{last} (rules/figures.smk): the cluster profile figure of each k of one chunk."""

from tomoclust.colors import color_source, colors_of
from tomoclust.io import read_figure_inputs
from tomoclust.joint import variable_blocks
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.mock import snakemake_from_command_line
from tomoclust.plotting import figure_paths, save_figure
from tomoclust.preprocess import preprocessing_label
from tomoclust.profile_plots import ProfileFigures, plot_cluster_profiles, value_range_of


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    model = snakemake.wildcards.model
    profiles, fits, categories = read_figure_inputs(
        snakemake.input.profiles, snakemake.input.fits, snakemake.input.categories
    )
    values, blocks = profiles["profiles"].values, variable_blocks(profiles)
    panel_ranges = [value_range_of(block.values(values)) for block in blocks]
    paths_of_k = figure_paths(snakemake.output)
    # The chunk's figures, each laid out once and redrawn for every k of its layout (and the overview beyond).
    figures = ProfileFigures(blocks)
    for k, paths in paths_of_k.items():
        fit = fits[k]
        figure = plot_cluster_profiles(
            values,
            fit["labels"].values,
            fit["centers"].values,
            blocks,
            k,
            title=f"{model}: cluster profiles at k = {k}\n({preprocessing_label(fit.attrs)})",
            colors=colors_of(categories, k),
            area_percent=fit["cluster_area_percent"].values,
            envelopes=tuple(snakemake.params.envelopes),
            member_std=fit["member_std"].values,
            member_quantiles=fit["member_quantiles"].values,
            value_ranges=panel_ranges,
            figures=figures,
        )
        save_figure(
            figure,
            *paths,
            close=False,
            bbox_inches=None,  # laid out with margins in inches
            citation=snakemake.params.citation,
            title=f"{model}: cluster profiles, k = {k}",
        )
    figures.close()
    log.info(
        "profile figures of k = %s written; %s",
        sorted(paths_of_k),
        color_source(snakemake.params.colors),
    )


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

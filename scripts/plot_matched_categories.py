"""Rule plot_matched_categories (rules/compare.smk): matched.nc -> consensus, agreement count and per-category
votes at one k."""

from tomoclust.compare import matched_agreement
from tomoclust.compare_plots import plot_matched_categories
from tomoclust.io import read_dataset
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.maps import MapStyle
from tomoclust.mock import snakemake_from_command_line
from tomoclust.plotting import save_figure


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    k = int(snakemake.wildcards.k)
    matched = read_dataset(snakemake.input.matched)
    share = matched_agreement(matched, k)
    title = (
        f"{snakemake.wildcards.name}: matched categories of {matched.attrs['n_models_compared']} models at k = {k} "
        f"({matched.attrs['models']}); all agree on {100 * share:.0f}% of the area"
    )
    log.info("k=%d: every model gives the same matched category on %.1f%% of the area they all cover", k, 100 * share)
    figure = plot_matched_categories(matched, k, title, MapStyle.from_config(dict(snakemake.params.style)))
    save_figure(figure, snakemake.output.png, snakemake.output.pdf, citation=snakemake.params.citation, title=title)


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

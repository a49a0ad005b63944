"""Rule plot_vote3d_area (rules/compare.smk): vote3d_area.csv and vote3d_volume.csv -> the slow area against depth at
one k, one line per model and one per vote threshold (>= m of n), with their volumes in the legend."""

from tomoclust.io import read_table
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.mock import snakemake_from_command_line
from tomoclust.plotting import save_figure
from tomoclust.vote3d_plots import plot_slow_area


def main(snakemake):
    setup_logging(log_path_of(snakemake))
    k = int(snakemake.wildcards.k)
    area, volume = read_table(snakemake.input.area), read_table(snakemake.input.volume)
    title = f"{snakemake.wildcards.name}: slowest category through depth at k = {k}"
    save_figure(
        plot_slow_area(area, volume, k, title),
        snakemake.output.png,
        snakemake.output.pdf,
        citation=snakemake.params.citation,
        title=title,
    )


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

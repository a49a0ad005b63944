"""Rule plot_agreement (rules/compare.smk): agreement.csv -> ARI of every pair of models against k."""

from tomoclust.compare_plots import plot_agreement
from tomoclust.io import read_table
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.mock import snakemake_from_command_line
from tomoclust.plotting import save_figure


def main(snakemake):
    setup_logging(log_path_of(snakemake))
    table = read_table(snakemake.input.agreement)
    title = f"{snakemake.wildcards.name}: agreement between models"
    save_figure(
        plot_agreement(table, title),
        snakemake.output.png,
        snakemake.output.pdf,
        citation=snakemake.params.citation,
        title=title,
    )


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

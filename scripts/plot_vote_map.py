"""Rule plot_vote_map (rules/compare.smk): vote.nc -> the vote map of one k."""

from tomoclust.compare_plots import plot_vote_map
from tomoclust.io import read_dataset
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.maps import MapStyle
from tomoclust.mock import snakemake_from_command_line
from tomoclust.plotting import save_figure


def main(snakemake):
    setup_logging(log_path_of(snakemake))
    k = int(snakemake.wildcards.k)
    votes = read_dataset(snakemake.input.votes)
    title = (
        f"{snakemake.wildcards.name}: slowest category of {votes.attrs['n_models_compared']} models at k = {k}\n"
        f"({votes.attrs['models']})"
    )
    figure = plot_vote_map(votes, k, title, MapStyle.from_config(dict(snakemake.params.style)))
    save_figure(figure, snakemake.output.png, snakemake.output.pdf, citation=snakemake.params.citation, title=title)


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

"""Rule plot_vote3d_maps (rules/compare.smk): vote3d.nc -> maps of the slow votes at a few window depths, at one k
(`vote_depths` of the comparison; default the shallowest, middle and deepest window)."""

from tomoclust.io import read_dataset
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.maps import MapStyle
from tomoclust.mock import snakemake_from_command_line
from tomoclust.plotting import save_figure
from tomoclust.vote3d import vote_map_depths
from tomoclust.vote3d_plots import plot_vote_maps


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    k = int(snakemake.wildcards.k)
    votes = read_dataset(snakemake.input.votes)
    depths = vote_map_depths(votes["depth"].values, snakemake.params.depths)
    log.info("vote maps at the windows of mid-depth %s km (asked: %s)", depths, snakemake.params.depths or "auto")
    title = (
        f"{snakemake.wildcards.name}: slowest category of {votes.attrs['n_models_compared']} models at k = {k}, "
        f"through depth\n({votes.attrs['models']})"
    )
    figure = plot_vote_maps(votes, k, depths, title, MapStyle.from_config(dict(snakemake.params.style)))
    save_figure(figure, snakemake.output.png, snakemake.output.pdf, citation=snakemake.params.citation, title=title)


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

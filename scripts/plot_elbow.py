"""Rule plot_elbow: inertia.csv + k_selection.json -> figures/elbow.png/.pdf."""
import json

import pandas as pd

from tomoclust.logs import log_path_of, setup_logging
from tomoclust.plotting import plot_elbow, save_figure


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    table = pd.read_csv(snakemake.input.table)
    with open(snakemake.input.selection) as handle:
        selection = json.load(handle)
    fig = plot_elbow(table, selection, snakemake.wildcards.model, units=selection.get("units", ""))
    save_figure(fig, snakemake.output.png, snakemake.output.pdf)
    log.info("elbow figure with knee k=%s", selection.get("knee"))


if __name__ == "__main__":
    main(snakemake)  # noqa: F821 (injected by Snakemake)

"""Rule depth_windows (rules/windows.smk): profiles.nc -> the slowest category's area and volume in moving depth
windows.

Every window cuts the depths it spans out of the model's profiles (transformed over the whole range) and is fitted
here at the few k asked: many small fits in one job.
"""

import pandas as pd

from tomoclust.io import read_dataset, write_table
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.mock import snakemake_from_command_line
from tomoclust.plotting import save_figure
from tomoclust.windows import fit_window, slowest_category_rows, volume_shares, window_ranges
from tomoclust.windows_plots import plot_depth_windows


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    model, windows = snakemake.wildcards.model, dict(snakemake.params.windows)
    profiles = read_dataset(snakemake.input.profiles)
    depth = profiles["depth"].values
    rows = []
    for top, bottom in window_ranges([depth.min(), depth.max()], windows["width"], windows["step"]):
        where = f"model '{model}', depth window {top:g}-{bottom:g} km"
        labels = {k: fit_window(profiles, top, bottom, k, dict(snakemake.params.fit), where) for k in windows["k"]}
        rows += slowest_category_rows(profiles, labels, top, bottom, windows["step"])
        log.info(
            "%s: slowest category on %s of the area",
            where,
            ", ".join(f"{row['slow_area_percent']:.1f}% (k={row['k']})" for row in rows[-len(labels) :]),
        )
    table = pd.DataFrame(rows)
    for k, share in volume_shares(table).items():
        log.info(
            "model %s, k=%d: the slowest category fills %.1f%% of the volume of the windows' shells", model, k, share
        )
    write_table(table, snakemake.output.table, float_format="%.6g")
    save_figure(
        plot_depth_windows(table, model),
        snakemake.output.png,
        snakemake.output.pdf,
        citation=snakemake.params.citation,
        title=f"{model}: slowest category through depth",
    )


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

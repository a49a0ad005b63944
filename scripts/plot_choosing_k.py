"""Rule plot_choosing_k (rules/figures.smk): the gathered tables -> the elbow, all criteria against k, and the
clustergram of how categories split as k grows."""

from tomoclust.io import read_json, read_table
from tomoclust.lineage_plots import plot_lineage
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.mock import snakemake_from_command_line
from tomoclust.plotting import plot_elbow, plot_k_selection, save_figure
from tomoclust.preprocess import preprocessing_label
from tomoclust.units import display_units


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    model, out = snakemake.wildcards.model, snakemake.output
    selection = read_json(snakemake.input.selection)
    criteria = read_table(snakemake.input.criteria)
    title = model + (f" ({preprocessing_label(selection['preprocessing'])})" if selection.get("preprocessing") else "")
    save_figure(
        plot_elbow(criteria, selection, title, units=selection.get("units", "")),
        out.elbow_png,
        out.elbow_pdf,
        citation=snakemake.params.citation,
        title=f"{model}: inertia against k",
    )
    log.info("elbow figure with knee k=%s", selection.get("knee"))
    save_figure(
        plot_k_selection(criteria, selection, model),
        out.criteria_png,
        out.criteria_pdf,
        citation=snakemake.params.citation,
        title=f"{model}: criteria for k",
    )

    edges, categories = read_table(snakemake.input.lineage), read_table(snakemake.input.categories)
    k_last = categories["k"].min() + snakemake.params.lineage_k_span - 1
    edges, categories = edges[edges["k_next"] <= k_last], categories[categories["k"] <= k_last]
    figure = plot_lineage(
        edges, categories, categories[["k", "category", "color"]], model, display_units(selection.get("units", ""))
    )
    save_figure(
        figure,
        out.lineage_png,
        out.lineage_pdf,
        citation=snakemake.params.citation,
        title=f"{model}: lineage of the categories across k",
    )
    log.info("lineage figure for k=%d..%d", categories["k"].min(), categories["k"].max())


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

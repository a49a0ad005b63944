"""Rule gather_classification (rules/classify.smk): every target of a classification -> agreement.csv and its figure."""

import pandas as pd

from tomoclust.classify_plots import plot_classification_agreement
from tomoclust.io import read_attributes, write_table
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.mock import snakemake_from_command_line
from tomoclust.plotting import save_figure

COLUMNS = (
    "target_model",
    "reference_model",
    "k",
    "ari_with_own_fit",
    "agreement_area_percent",
    "own_category_matching",
)


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    table = pd.DataFrame([read_attributes(path, COLUMNS) for path in snakemake.input.labels]).rename(
        columns={"target_model": "target", "reference_model": "reference"}
    )
    log.info("classification %s:\n%s", snakemake.wildcards.name, table.to_string(index=False))
    write_table(table, snakemake.output.table, float_format="%.6g")
    title = f"{snakemake.wildcards.name}: {table['reference'].iloc[0]} centres at k = {int(table['k'].iloc[0])}"
    save_figure(
        plot_classification_agreement(table, title),
        snakemake.output.png,
        snakemake.output.pdf,
        citation=snakemake.params.citation,
        title=title,
    )


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

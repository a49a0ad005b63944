"""Rule explore_comparison (rules/explore.smk): a comparison's labels.nc, vote.nc and agreement.csv, and each
model's categories.csv, criteria.csv and k_selection.json -> explore.html, one self-contained page showing the
models side by side at the k of a slider, with the vote (how many models put a point in their slowest category)."""

from tomoclust.explore import comparison_page_data
from tomoclust.explore_page import comparison_page_html
from tomoclust.io import read_dataset, read_json, read_shapefile_lines, read_table, write_text
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.mock import snakemake_from_command_line


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    inputs = snakemake.input
    models = list(snakemake.params.models)
    by_model = lambda paths: dict(zip(models, paths))  # noqa: E731  inputs listed in the order of the models
    page = comparison_page_data(
        snakemake.wildcards.name,
        read_dataset(inputs.labels),
        read_dataset(inputs.votes),
        {m: read_table(p) for m, p in by_model(inputs.categories).items()},
        {m: read_table(p) for m, p in by_model(inputs.criteria).items()},
        {m: read_json(p) for m, p in by_model(inputs.selections).items()},
        read_table(inputs.agreement),
        [line for path in inputs.basemap for line in read_shapefile_lines(path)],
        snakemake.params.max_mb,
        citation=snakemake.params.citation,
    )
    if page.note:
        log.warning("%s", page.note)
    text = comparison_page_html(page)
    write_text(text, snakemake.output.page)
    log.info(
        "comparison page of %d models, %d points x %d k: %.1f MB",
        len(models),
        page.points.lat.size,
        len(page.ks),
        len(text.encode()) / 1e6,
    )


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

"""Rule explore_model (rules/explore.smk): the gathered tables, the fits' centres and profiles.nc -> explore.html,
one self-contained page (BokehJS and every array inline) to slide through k: elbow and criteria with the knee,
the map of the categories (or the margin) with the uncertain points, the centres with their envelopes, and a
hovered point's profile over its centre."""

from tomoclust.explore import model_page_data
from tomoclust.explore_page import model_page_html
from tomoclust.io import read_dataset, read_fits, read_json, read_shapefile_lines, read_table, write_text
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.mock import snakemake_from_command_line


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    inputs, params = snakemake.input, snakemake.params
    profiles = read_dataset(inputs.profiles)
    fits = read_fits(inputs.fits)
    lines = [line for path in inputs.basemap for line in read_shapefile_lines(path)]
    page = model_page_data(
        snakemake.wildcards.model,
        profiles,
        {k: fit["centers"].values for k, fit in fits.items()},
        read_dataset(inputs.labels),
        read_dataset(inputs.confidence),
        read_table(inputs.criteria),
        read_json(inputs.selection),
        read_table(inputs.categories),
        lines,
        params.max_mb,
        citation=params.citation,
        thresholds=params.confidence,
    )
    if page.note:  # a warning when the map leaves points out
        (log.warning if page.points.decimated else log.info)("%s", page.note)
    text = model_page_html(page)
    write_text(text, snakemake.output.page)
    log.info(
        "explore page of %d points x %d k (%d depths): %.1f MB (estimated %.1f MB), stride %d",
        page.points.lat.size,
        len(page.ks),
        page.depth.size,
        len(text.encode()) / 1e6,
        page.estimated_mb,
        page.points.stride,
    )


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

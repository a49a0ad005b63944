"""Rule plot_classified (rules/classify.smk): the map of a target model classified with a reference's centres."""

from tomoclust.colors import colors_of
from tomoclust.io import read_dataset, read_table
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.maps import CategoryMapCanvas, MapStyle
from tomoclust.mock import snakemake_from_command_line


def main(snakemake):
    setup_logging(log_path_of(snakemake))
    cube = read_dataset(snakemake.input.labels)
    k, reference = int(cube.attrs["k"]), cube.attrs["reference_model"]
    canvas = CategoryMapCanvas(
        cube["latitude"].values, cube["longitude"].values, MapStyle.from_config(dict(snakemake.params.style))
    )
    differs = (cube["own_labels_matched"].values != cube["labels"].values) & (cube["labels"].values >= 0)
    title = (
        f"{snakemake.wildcards.target} classified with the k = {k} centres of {reference}\n"
        f"ARI with its own k = {k} fit {cube.attrs['ari_with_own_fit']:.2f}; same category on "
        f"{cube.attrs['agreement_area_percent']:.0f}% of the area\ndots: its own fit differs"
    )
    canvas.draw(
        cube["labels"].values,
        k,
        colors_of(read_table(snakemake.input.categories), k),
        [f"{reference} {c}" for c in range(k)],
        title=title,
        uncertain=differs,
        colorbar_label=f"category of {reference} (0 = slowest)",
    )
    canvas.save(
        snakemake.output.png, snakemake.output.pdf, citation=snakemake.params.citation, title=title.split("\n")[0]
    )


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

"""Rule regrid_labels (rules/compare.smk): labels.nc of the compared models -> compare/{name}/labels.nc on a
common grid."""

from tomoclust.compare import labels_on_common_grid
from tomoclust.io import read_dataset, write_netcdf
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.mock import snakemake_from_command_line
from tomoclust.provenance import provenance_attrs


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    name, comparison = snakemake.wildcards.name, dict(snakemake.params.comparison)
    cubes = {model: read_dataset(path) for model, path in zip(comparison["models"], snakemake.input.labels)}
    common = labels_on_common_grid(cubes, comparison["grid"])
    common.attrs.update(
        title=f"Labels of models {', '.join(cubes)} on a common grid (comparison {name})",
        **provenance_attrs(comparison),
    )
    # Whom to cite for each model: one line per model, "name: citation".
    common.attrs["model_citation"] = "\n".join(
        f"{model}: {cube.attrs.get('model_citation', '')}" for model, cube in cubes.items()
    )
    log.info(
        "comparison %s: %d models, k = %s, common grid %d x %d (%s)",
        name,
        len(cubes),
        common["k"].values.tolist(),
        common.sizes["latitude"],
        common.sizes["longitude"],
        common.attrs["common_grid"],
    )
    write_netcdf(common, snakemake.output.labels)


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

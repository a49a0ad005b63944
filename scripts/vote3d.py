"""Rule vote3d (rules/compare.smk): the compared models' window labels -> vote3d.nc (the 3-D vote: per k, window
mid-depth and point of the common grid, how many models call it slowest; categories matched across models),
vote3d_area.csv (slow area per window, each model and each threshold >= m of n) and vote3d_volume.csv (slow volume,
% of the whole mantle and of the lower mantle, each window standing for its shell)."""

from tomoclust.io import read_dataset, write_netcdf, write_table
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.mock import snakemake_from_command_line
from tomoclust.provenance import provenance_attrs
from tomoclust.vote3d import slow_area_table, slow_volume_table, vote3d_dataset, windows_on_common_grid


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    name, models = snakemake.wildcards.name, list(snakemake.params.models)
    windows = dict(snakemake.params.windows)
    cubes = {model: read_dataset(path) for model, path in zip(models, snakemake.input.labels)}
    common = windows_on_common_grid(cubes, snakemake.params.grid)
    votes = vote3d_dataset(common, windows["step"])
    votes.attrs.update(
        title=f"3-D vote of comparison {name}: models in their slowest category, per depth window",
        **provenance_attrs({"models": models, "grid": snakemake.params.grid, "depth_windows": windows}),
    )
    # Whom to cite for each model: one line per model, "name: citation" (as compare/{name}/labels.nc).
    votes.attrs["model_citation"] = "\n".join(
        f"{model}: {cube.attrs.get('model_citation', '')}" for model, cube in cubes.items()
    )
    area = slow_area_table(votes)
    volume = slow_volume_table(area, windows["step"])
    log.info(
        "comparison %s: %d models, %d windows (%s), common grid %d x %d (%s)",
        name,
        len(models),
        votes.sizes["depth"],
        windows,
        votes.sizes["latitude"],
        votes.sizes["longitude"],
        votes.attrs["common_grid"],
    )
    for row in volume.itertuples():
        log.info(
            "k=%d, %s: slow %.2f%% of the whole mantle, %.2f%% of the lower mantle, %.1f%% of the shells %g-%g km%s",
            row.k,
            row.curve,
            row.percent_of_whole_mantle,
            row.percent_of_lower_mantle,
            row.percent_of_shells,
            row.shells_top_km,
            row.shells_bottom_km,
            " (majority)" if row.majority else "",
        )
    write_table(area, snakemake.output.area, float_format="%.6g")
    write_table(volume, snakemake.output.volume, float_format="%.6g")
    write_netcdf(votes, snakemake.output.votes)


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

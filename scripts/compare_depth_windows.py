"""Rule compare_depth_windows (rules/compare.smk): one compared model's profiles.nc ->
compare/{name}/windows/{model}.nc, the model clustered in the comparison's moving depth windows (labels per k and
window mid-depth, on its own grid).

Every model of a comparison gets the same windows: they move through the models' common `depth` range.
"""

from tomoclust.io import read_dataset, write_netcdf
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.mock import snakemake_from_command_line
from tomoclust.provenance import provenance_attrs
from tomoclust.vote3d import window_labels


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    name, model = snakemake.wildcards.name, snakemake.wildcards.model
    windows = dict(snakemake.params.windows)
    profiles = read_dataset(snakemake.input.profiles)
    depth = profiles["depth"].values
    depth_range = snakemake.params.depth or [float(depth.min()), float(depth.max())]
    cube = window_labels(profiles, windows, depth_range, dict(snakemake.params.fit), model)
    cube.attrs.update(
        title=f"{cube.attrs['title']} (comparison {name})",
        **provenance_attrs({"depth_windows": windows, "fit": dict(snakemake.params.fit), "depth": list(depth_range)}),
    )
    for k in cube["k"].values:
        slow = (cube["labels"].sel(k=k) == 0).sum(("latitude", "longitude")).values
        log.info(
            "comparison %s, model %s, k=%d: %d windows %g-%g km, slowest category on %s grid points",
            name,
            model,
            k,
            cube.sizes["depth"],
            cube["depth_bounds"].values[0, 0],
            cube["depth_bounds"].values[-1, 1],
            slow.tolist(),
        )
    write_netcdf(cube, snakemake.output.labels)


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

"""Rule gather_fits (rules/gather.smk): all fits of a model -> inertia and criteria tables, the knee and
preferred k, the labels cube on the model grid, the lineage across k and every category's colour."""

from tomoclust.colors import categories_table
from tomoclust.confidence import confidence_cube
from tomoclust.gather import INERTIA_COLUMNS, fit_table, k_selection, labels_cube
from tomoclust.io import read_dataset, read_fits, write_json, write_netcdf, write_table
from tomoclust.lineage import lineage_edges
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.mock import snakemake_from_command_line
from tomoclust.preprocess import PREPROCESSING_ATTRS
from tomoclust.provenance import carried_citation, provenance_attrs


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    model = snakemake.wildcards.model
    every_fit = read_fits(snakemake.input.fits)
    # The tables, the knee, labels and confidence cover k.min..k.max; colours and lineage every fitted k (the last
    # chunk of k is fitted and drawn whole).
    k_min, k_max = snakemake.params.k_range
    fits = {k: fit for k, fit in every_fit.items() if k_min <= k <= k_max}
    # The grid and where each profile sits on it; not the profile matrix (1 GB RSS at 10^6 profiles otherwise).
    profiles = read_dataset(
        snakemake.input.profiles, ["profile_status", "profile_lat_index", "profile_lon_index", "profile_area"]
    )

    table = fit_table(fits)
    selection = k_selection(table, snakemake.params.sensitivity)
    selection["model"] = model
    selection["model_citation"] = profiles.attrs.get("model_citation", "")
    log.info("preferred k: %s", selection["preferred"])
    write_table(table[INERTIA_COLUMNS], snakemake.output.table)
    write_table(table.drop(columns=["units", *PREPROCESSING_ATTRS]), snakemake.output.criteria)
    write_json(selection, snakemake.output.selection)

    cube = labels_cube(profiles, fits)
    cube.attrs.update(provenance_attrs({"model": model}))
    cube.attrs["source_sha256"] = profiles.attrs.get("source_sha256", "")
    cube.attrs.update(carried_citation(profiles.attrs))
    log.info(
        "labels for k=%s on a %d x %d grid", cube["k"].values.tolist(), cube.sizes["latitude"], cube.sizes["longitude"]
    )
    write_netcdf(cube, snakemake.output.labels)

    confidence = confidence_cube(profiles, fits, dict(snakemake.params.confidence))
    confidence.attrs.update(provenance_attrs({"model": model, "confidence": dict(snakemake.params.confidence)}))
    confidence.attrs.update(carried_citation(profiles.attrs))
    log.info(
        "uncertain share of the area by k: %s",
        ", ".join(
            f"{k}: {share:.0f}%"
            for k, share in zip(confidence["k"].values, confidence["uncertain_area_percent"].values)
        ),
    )
    write_netcdf(confidence, snakemake.output.confidence)

    edges = lineage_edges({k: fit["labels"].values for k, fit in every_fit.items()})
    splits = edges[(edges["share_of_category"] < 0.95) & (edges["share_of_next"] > 0.5)]
    log.info(
        "lineage over k=%d..%d: %d links, %d categories that split; colours by %s",
        min(every_fit),
        max(every_fit),
        len(edges),
        splits.groupby(["k", "category"]).ngroups,
        snakemake.params.colors,
    )
    write_table(edges, snakemake.output.lineage, float_format="%.6g")
    write_table(categories_table(every_fit, snakemake.params.colors), snakemake.output.categories, float_format="%.6g")


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

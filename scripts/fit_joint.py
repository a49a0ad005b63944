"""Rule fit_joint (rules/joint.smk): several variables of one model -> one k-means fit of their joined profiles,
every k."""

from tomoclust.extract import ModelSpec, extract_model
from tomoclust.io import write_netcdf
from tomoclust.joint import fit_joint, join_variables, joint_dataset
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.mock import snakemake_from_command_line
from tomoclust.provenance import carried_citation, provenance_attrs


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    entry, model = dict(snakemake.params.model), snakemake.wildcards.model
    datasets = {
        name: extract_model(ModelSpec.from_config({**entry, "variable": name}), block_mb=snakemake.params.block_mb)
        for name in entry["variables"]
    }
    joined = join_variables(datasets)
    log.info(
        "model %s: %d profiles complete in every variable of %s; scales (depth-weighted RMS) %s",
        model,
        joined["profiles"].shape[0],
        list(datasets),
        {n: round(s, 6) for n, s in joined["scales"].items()},
    )
    fits = {k: fit_joint(joined, datasets, k, dict(snakemake.params.fit)) for k in snakemake.params.k_values}
    cube = joint_dataset(joined, datasets, fits, model)
    cube.attrs.update(
        provenance_attrs({"model": entry, "fit": dict(snakemake.params.fit)}, inputs={"source": snakemake.input.model})
    )
    cube.attrs.update(carried_citation(next(iter(datasets.values())).attrs))
    write_netcdf(cube, snakemake.output.joint)
    log.info("model %s: joint fits of k = %s written", model, list(fits))


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

"""Rule fit_kmeans (one k per job) or fit_kmeans_k{first}_{last} (a chunk of k; rules/fit.smk):
profiles.nc -> fits/k{k}.nc.

Each k is fitted, judged (criteria, restart stability, member envelopes) and written on its own;
the profiles are read, the engine imported and the silhouette's subsample distances computed once for the chunk.
"""

from tomoclust.fit import check_k_range, fit_inputs, fit_profiles
from tomoclust.io import k_of_path, read_dataset, write_netcdf
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.mock import snakemake_from_command_line
from tomoclust.provenance import carried_citation, provenance_attrs


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    profiles = read_dataset(snakemake.input.profiles)
    targets = {k_of_path(path): path for path in snakemake.output.fits}
    check_k_range(list(targets), profiles, snakemake.wildcards.model, snakemake.input.profiles)
    fit_params = dict(snakemake.params.fit)
    criteria, stability = dict(snakemake.params.criteria), dict(snakemake.params.stability)
    inputs = fit_inputs(profiles, fit_params, criteria)
    log.info(
        "model %s: %s engine; area weighting: %s", snakemake.wildcards.model, fit_params["engine"], inputs.weighting
    )
    for k, path in targets.items():
        fit = fit_profiles(profiles, k, fit_params, criteria, stability, inputs)
        fit.attrs.update(
            provenance_attrs(
                {"k": k, "fit": fit_params, "criteria": criteria, "stability": stability},
                inputs={"profiles": snakemake.input.profiles},
            )
        )
        fit.attrs["source_sha256"] = profiles.attrs.get("source_sha256", "")
        fit.attrs.update(carried_citation(profiles.attrs))
        write_netcdf(fit, path)
    log.info("model %s: fits of k = %s written", snakemake.wildcards.model, list(targets))


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

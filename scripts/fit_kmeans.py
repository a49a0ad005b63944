"""Rules fit_kmeans_k{first}_{last} (rules/fit.smk): profiles.nc -> fits/k{k}.nc for each k of one chunk.

Each k is fitted, judged (criteria, restart stability) and written on its own;
the profiles are read and tslearn imported once for the chunk.
"""
from tomoclust.fit import check_k_range, fit_profiles
from tomoclust.io import k_of_path, read_profiles, write_netcdf
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.mock import snakemake_from_command_line
from tomoclust.provenance import carried_citation, provenance_attrs


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    profiles = read_profiles(snakemake.input.profiles)
    targets = {k_of_path(path): path for path in snakemake.output.fits}
    check_k_range(list(targets), profiles, snakemake.wildcards.model, snakemake.input.profiles)
    fit_params = dict(snakemake.params.fit)
    criteria, stability = dict(snakemake.params.criteria), dict(snakemake.params.stability)
    for k, path in targets.items():
        fit = fit_profiles(profiles, k, fit_params, criteria, stability)
        fit.attrs.update(provenance_attrs({"k": k, "fit": fit_params, "criteria": criteria, "stability": stability},
                                          inputs={"profiles": snakemake.input.profiles}))
        fit.attrs["source_sha256"] = profiles.attrs.get("source_sha256", "")
        fit.attrs.update(carried_citation(profiles.attrs))
        write_netcdf(fit, path)
    log.info("model %s: fits of k = %s written", snakemake.wildcards.model, list(targets))


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

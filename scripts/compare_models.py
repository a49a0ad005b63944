"""Rule compare_models (rules/compare.smk): labels on the common grid -> agreement.csv (ARI per pair and k) and
vote.nc (how many models put each point in their slowest category)."""

from tomoclust.compare import agreement_table, matched_agreement, matched_dataset, vote_dataset, vote_shares
from tomoclust.io import read_dataset, write_netcdf, write_table
from tomoclust.logs import log_path_of, setup_logging
from tomoclust.mock import snakemake_from_command_line
from tomoclust.provenance import provenance_attrs


def main(snakemake):
    log = setup_logging(log_path_of(snakemake))
    comparison = dict(snakemake.params.comparison)
    common = read_dataset(snakemake.input.labels)
    table = agreement_table(common)
    for row in table.itertuples():
        log.info(
            "k=%d: ARI %s vs %s = %.3f on %d equal-area points (%.3f on all %d)",
            row.k,
            row.model_a,
            row.model_b,
            row.ari,
            row.n_points,
            row.ari_all_points,
            row.n_points_all,
        )
    votes = vote_dataset(common, list(comparison["vote_k"]))
    votes.attrs.update(title=f"Vote map of comparison {snakemake.wildcards.name}", **provenance_attrs(comparison))
    votes.attrs["model_citation"] = common.attrs.get("model_citation", "")
    for k in comparison["vote_k"]:
        shares = vote_shares(votes, k)
        log.info(
            "k=%d, area covered by every model: %.1f%% slowest in all, %.1f%% split, %.1f%% slowest in none",
            k,
            100 * shares["all_slowest"],
            100 * shares["split"],
            100 * shares["none_slowest"],
        )
    matched = matched_dataset(common, list(comparison["vote_k"]))
    matched.attrs.update(
        title=f"Matched categories of comparison {snakemake.wildcards.name}", **provenance_attrs(comparison)
    )
    matched.attrs["model_citation"] = common.attrs.get("model_citation", "")
    for k in comparison["vote_k"]:
        log.info(
            "k=%d, matched categories (%s): every model agrees on %.1f%% of the area they all cover; matching %s",
            k,
            matched.attrs["method"].split(" (")[0],
            100 * matched_agreement(matched, k),
            matched["category_matching"].sel(k=k).values.tolist(),
        )
    write_netcdf(matched, snakemake.output.matched)
    write_table(table, snakemake.output.agreement, float_format="%.6g")
    write_netcdf(votes, snakemake.output.votes)


if __name__ == "__main__":  # by Snakemake, or by hand: python scripts/<rule>.py OUTPUT [--configfile ...]
    main(snakemake if "snakemake" in globals() else snakemake_from_command_line(__file__))  # noqa: F821

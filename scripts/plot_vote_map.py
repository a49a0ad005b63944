"""Rule plot_vote_map: compare/{name}/vote.nc -> figures/vote_k{k}.png/.pdf."""
# The work is in tomoclust.jobs.plot_vote_map; run_job runs it in the warm worker when one is up.
from tomoclust.warm import run_job

run_job("plot_vote_map", snakemake)  # noqa: F821 (injected by Snakemake)

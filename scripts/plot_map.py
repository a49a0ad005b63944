"""Rule plot_map: fits/k{k}.nc + profiles.nc -> figures/maps/k{k}.png/.pdf."""
# The work is in tomoclust.jobs.plot_map; run_job runs it in the warm worker when one is up.
from tomoclust.warm import run_job

run_job("plot_map", snakemake)  # noqa: F821 (injected by Snakemake)

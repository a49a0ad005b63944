"""Rule plot_profiles: fits/k{k}.nc + profiles.nc -> figures/profiles/k{k}.png/.pdf."""
# The work is in tomoclust.jobs.plot_profiles; run_job runs it in the warm worker when one is up.
from tomoclust.warm import run_job

run_job("plot_profiles", snakemake)  # noqa: F821 (injected by Snakemake)

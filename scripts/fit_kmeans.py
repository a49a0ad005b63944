"""Rule fit_kmeans: profiles.nc -> fits/k{k}.nc for one k."""
# The work is in tomoclust.jobs.fit_kmeans; run_job runs it in the warm worker when one is up.
from tomoclust.warm import run_job

run_job("fit_kmeans", snakemake)  # noqa: F821 (injected by Snakemake)

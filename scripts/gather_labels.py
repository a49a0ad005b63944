"""Rule gather_labels: fits + profiles.nc -> labels.nc (k, latitude, longitude)."""
# The work is in tomoclust.jobs.gather_labels; run_job runs it in the warm worker when one is up.
from tomoclust.warm import run_job

run_job("gather_labels", snakemake)  # noqa: F821 (injected by Snakemake)

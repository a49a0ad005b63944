"""Rule regrid_labels: labels.nc of the compared models -> compare/{name}/labels.nc (common grid)."""
# The work is in tomoclust.jobs.regrid_labels; run_job runs it in the warm worker when one is up.
from tomoclust.warm import run_job

run_job("regrid_labels", snakemake)  # noqa: F821 (injected by Snakemake)

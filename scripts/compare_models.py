"""Rule compare_models: compare/{name}/labels.nc -> agreement.csv + vote.nc."""
# The work is in tomoclust.jobs.compare_models; run_job runs it in the warm worker when one is up.
from tomoclust.warm import run_job

run_job("compare_models", snakemake)  # noqa: F821 (injected by Snakemake)

"""Rule plot_agreement: compare/{name}/agreement.csv -> figures/agreement.png/.pdf."""
# The work is in tomoclust.jobs.plot_agreement; run_job runs it in the warm worker when one is up.
from tomoclust.warm import run_job

run_job("plot_agreement", snakemake)  # noqa: F821 (injected by Snakemake)

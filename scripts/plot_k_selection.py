"""Rule plot_k_selection: criteria.csv + k_selection.json -> figures/k_selection.png/.pdf."""
# The work is in tomoclust.jobs.plot_k_selection; run_job runs it in the warm worker when one is up.
from tomoclust.warm import run_job

run_job("plot_k_selection", snakemake)  # noqa: F821 (injected by Snakemake)

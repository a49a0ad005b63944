"""Rule plot_elbow: inertia.csv + k_selection.json -> figures/elbow.png/.pdf."""
# The work is in tomoclust.jobs.plot_elbow; run_job runs it in the warm worker when one is up.
from tomoclust.warm import run_job

run_job("plot_elbow", snakemake)  # noqa: F821 (injected by Snakemake)

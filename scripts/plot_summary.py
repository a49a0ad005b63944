"""Rule plot_summary: the manuscript panel figures/summary.pdf."""
# The work is in tomoclust.jobs.plot_summary; run_job runs it in the warm worker when one is up.
from tomoclust.warm import run_job

run_job("plot_summary", snakemake)  # noqa: F821 (injected by Snakemake)

"""Rule plot_lineage: lineage.csv + categories.csv -> figures/lineage.png/.pdf (the clustergram)."""
# The work is in tomoclust.jobs.plot_lineage; run_job runs it in the warm worker when one is up.
from tomoclust.warm import run_job

run_job("plot_lineage", snakemake)  # noqa: F821 (injected by Snakemake)

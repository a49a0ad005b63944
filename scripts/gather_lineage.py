"""Rule gather_lineage: all fits -> lineage.csv (splits between consecutive k) and categories.csv (sizes, colours)."""
# The work is in tomoclust.jobs.gather_lineage; run_job runs it in the warm worker when one is up.
from tomoclust.warm import run_job

run_job("gather_lineage", snakemake)  # noqa: F821 (injected by Snakemake)

"""Rule demo_model: write the synthetic Western-US model."""
# The work is in tomoclust.jobs.demo_model; run_job runs it in the warm worker when one is up.
from tomoclust.warm import run_job

run_job("demo_model", snakemake)  # noqa: F821 (injected by Snakemake)

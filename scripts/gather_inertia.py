"""Rule gather_inertia: fits -> inertia.csv and k_selection.json (the knee)."""
# The work is in tomoclust.jobs.gather_inertia; run_job runs it in the warm worker when one is up.
from tomoclust.warm import run_job

run_job("gather_inertia", snakemake)  # noqa: F821 (injected by Snakemake)

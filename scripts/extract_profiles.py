"""Rule extract_profiles: model file -> results/{model}/profiles.nc."""
# The work is in tomoclust.jobs.extract_profiles; run_job runs it in the warm worker when one is up.
from tomoclust.warm import run_job

run_job("extract_profiles", snakemake)  # noqa: F821 (injected by Snakemake)

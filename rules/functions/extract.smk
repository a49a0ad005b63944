# The helpers of rules/extract.smk.


def extract_targets():
    """profiles.nc of every model (in the default target)."""
    return expand(rules.extract_profiles.output, model=list(MODELS))

# The helpers of rules/gather.smk.


def fitted_files(wildcards):
    """Every fit of a model, K_FITTED: the whole last chunk."""
    return expand(FIT, model=wildcards.model, k=K_FITTED)


def gather_targets():
    """The tables, labels and confidence of every model (in the default target)."""
    return expand(rules.gather_fits.output, model=list(MODELS))

# The helpers of rules/windows.smk.


def windows_targets():
    """The depth windows of every model with `depth_windows` (in the default target)."""
    models = [name for name, entry in MODELS.items() if entry.get("depth_windows")]
    return expand(rules.depth_windows.output, model=models)

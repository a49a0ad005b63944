# The helpers of rules/compare.smk.


def comparison_entry(wildcards):
    return COMPARISONS[wildcards.name]


def compared_labels(wildcards):
    return expand(
        rules.gather_fits.output.labels, model=COMPARISONS[wildcards.name]["models"]
    )


def compared_windows(wildcards):
    return expand(
        rules.compare_depth_windows.output.labels,
        name=wildcards.name,
        model=COMPARISONS[wildcards.name]["models"],
    )


def compare_targets():
    """Every output of every comparison, and of the 3-D vote of those with `depth_windows` (in the default target)."""
    tables = [*rules.regrid_labels.output, *rules.compare_models.output]
    per_k = [*rules.plot_vote_map.output, *rules.plot_matched_categories.output]
    per_k_3d = [*rules.plot_vote3d_area.output, *rules.plot_vote3d_maps.output]
    targets = expand([*tables, *rules.plot_agreement.output], name=list(COMPARISONS))
    for name, entry in COMPARISONS.items():
        targets += expand(per_k, name=name, k=entry["vote_k"])
        if entry.get("depth_windows"):
            windows = rules.compare_depth_windows.output
            targets += expand(windows, name=name, model=entry["models"])
            targets += expand(rules.vote3d.output, name=name)
            targets += expand(per_k_3d, name=name, k=entry["depth_windows"]["k"])
    return targets

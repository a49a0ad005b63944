# The helpers of rules/joint.smk.


def joint_figures():
    """The figure of every k in maps.k of a joint fit (PNG in the report)."""
    return [
        in_report(
            f"results/{{model}}/joint/figures/k{k}.png",
            caption="../report/joint.rst",
            category="Joint fits of several variables",
            subcategory="{model}",
            labels={"model": "{model}", "k": str(k), "figure": "joint"},
        )
        for k in MAP_K_VALUES
    ]


def joint_targets():
    """The joint fit and its figures of every model with `variables` (in the default target)."""
    models = [name for name, entry in MODELS.items() if entry.get("variables")]
    return expand([*rules.fit_joint.output, *rules.plot_joint.output], model=models)

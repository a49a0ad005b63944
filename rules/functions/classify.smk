# The helpers of rules/classify.smk.
import re

CLASSIFICATIONS = {entry["name"]: entry for entry in config["classify"]}
# The {target} of the classify rules: a model a classification names, so that figures/agreement.png (the gathered
# figure) is never read as the map of a target called "agreement" (check_config refuses such a target).
TARGET_PATTERN = (
    "|".join(
        re.escape(target)
        for target in sorted(
            {t for entry in CLASSIFICATIONS.values() for t in entry["targets"]}
        )
    )
    or "(?!)"
)


def classification_reference(wildcards):
    return CLASSIFICATIONS[wildcards.name]["reference"]


def reference_file(path):
    """An output of the reference model of a classification: path with {model} and {k}, at the reference's k."""

    def reference_path(wildcards):
        reference = classification_reference(wildcards)
        return path.format(model=reference["model"], k=reference["k"])

    return reference_path


def target_file(path):
    """An output of a classification's target model: path with {model} and {k}, at the reference's k."""

    def target_path(wildcards):
        k = classification_reference(wildcards)["k"]
        return path.format(model=wildcards.target, k=k)

    return target_path


def classify_targets():
    """The maps of every target and the agreement table and figure of every classification (in the default
    target; the agreement PDF is written with them)."""
    agreement = [
        rules.gather_classification.output.table,
        rules.gather_classification.output.png,
    ]
    return [
        path
        for name, entry in CLASSIFICATIONS.items()
        for path in expand(agreement, name=name)
        + expand(rules.plot_classified.output, name=name, target=entry["targets"])
    ]

# Tomography k-means workflow: cluster the depth profiles of 3D seismic
# tomography models for a range of k and regenerate the paper's figures.
# This file is the table of contents: config, one include per stage, the target.
from snakemake.utils import min_version

min_version("9.11")


configfile: "config.yaml"


report: "report/workflow.rst"


include: "rules/common.smk"
include: "rules/demo.smk"
include: "rules/download.smk"
include: "rules/extract.smk"
include: "rules/fit.smk"
include: "rules/gather.smk"
include: "rules/figures.smk"
include: "rules/compare.smk"
include: "rules/classify.smk"
include: "rules/windows.smk"
include: "rules/explore.smk"


# The final outputs of every stage, from its rules' outputs (rules/functions/<stage>.smk).
rule all:
    default_target: True
    input:
        extract_targets(),
        gather_targets(),
        figures_targets(),
        compare_targets(),
        classify_targets(),
        windows_targets(),
        explore_targets(),

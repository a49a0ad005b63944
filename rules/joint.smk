# Stage 8: several variables in one fit (models with `variables`). One job extracts every
# variable, joins their profiles so that none dominates (tomoclust.joint) and fits every k;
# one job draws, for each k in maps.k, the joint categories and every variable's centres.


include: "functions/joint.smk"


rule fit_joint:
    input:
        model=model_path,
        code=script_modules("fit_joint.py"),
    output:
        joint="results/{model}/joint/joint.nc",
    log:
        "results/{model}/logs/fit_joint.log",
    benchmark:
        "results/{model}/benchmarks/fit_joint.tsv"
    conda:
        "../envs/fit.yaml"
    resources:
        mem_mb=lambda wildcards, input: 1500 + 12 * input.size_mb,
        runtime=60,
    params:
        model=lambda wildcards: extraction_entry(MODELS[wildcards.model], "variables"),
        k_values=K_VALUES,
        fit=config["fit"],
        block_mb=config["extract"]["block_mb"],
    script:
        "../scripts/fit_joint.py"


rule plot_joint:
    input:
        joint=rules.fit_joint.output.joint,
        code=script_modules("plot_joint.py"),
    output:
        joint_figures(),
    log:
        "results/{model}/logs/plot_joint.log",
    benchmark:
        "results/{model}/benchmarks/plot_joint.tsv"
    conda:
        "../envs/plot.yaml"
    resources:
        mem_mb=1500,
        runtime=10,
    params:
        style=MAP_STYLE,
        citation=citation_of("joint"),
    script:
        "../scripts/plot_joint.py"

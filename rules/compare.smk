# Stage 5: several models side by side. Labels regridded to a common grid, their
# agreement (adjusted Rand index) at every k, and vote maps of the slowest category.


include: "functions/compare.smk"


localrules:
    plot_agreement,


rule regrid_labels:
    input:
        labels=compared_labels,
        code=script_modules("regrid_labels.py"),
    output:
        labels="results/compare/{name}/labels.nc",
    log:
        "results/compare/{name}/logs/regrid_labels.log",
    benchmark:
        "results/compare/{name}/benchmarks/regrid_labels.tsv"
    conda:
        "../envs/io.yaml"
    resources:
        mem_mb=lambda wildcards, input: 1000 + 4 * input.size_mb,
        runtime=10,
    params:
        comparison=comparison_entry,
    script:
        "../scripts/regrid_labels.py"


rule compare_models:
    input:
        labels=rules.regrid_labels.output.labels,
        code=script_modules("compare_models.py"),
    output:
        agreement="results/compare/{name}/agreement.csv",
        votes="results/compare/{name}/vote.nc",
        matched="results/compare/{name}/matched.nc",
    log:
        "results/compare/{name}/logs/compare_models.log",
    benchmark:
        "results/compare/{name}/benchmarks/compare_models.tsv"
    conda:
        "../envs/fit.yaml"
    resources:
        mem_mb=lambda wildcards, input: 1000 + 4 * input.size_mb,
        runtime=10,
    params:
        comparison=comparison_entry,
    script:
        "../scripts/compare_models.py"


rule plot_vote_map:
    input:
        votes=rules.compare_models.output.votes,
        code=script_modules("plot_vote_map.py"),
    output:
        png=report(
            "results/compare/{name}/figures/vote_k{k}.png",
            caption="../report/vote.rst",
            category="Model comparison",
            subcategory="{name}",
            labels={"comparison": "{name}", "k": "{k}", "figure": "vote map"},
        ),
        pdf="results/compare/{name}/figures/vote_k{k}.pdf",
    log:
        "results/compare/{name}/logs/vote_k{k}.log",
    benchmark:
        "results/compare/{name}/benchmarks/vote_k{k}.tsv"
    conda:
        "../envs/plot.yaml"
    resources:
        mem_mb=1500,
        runtime=10,
    params:
        style=MAP_STYLE,
        citation=citation_of("votes"),
    script:
        "../scripts/plot_vote_map.py"


rule plot_matched_categories:
    input:
        matched=rules.compare_models.output.matched,
        code=script_modules("plot_matched_categories.py"),
    output:
        png=report(
            "results/compare/{name}/figures/matched_k{k}.png",
            caption="../report/matched.rst",
            category="Model comparison",
            subcategory="{name}",
            labels={
                "comparison": "{name}",
                "k": "{k}",
                "figure": "matched categories",
            },
        ),
        pdf="results/compare/{name}/figures/matched_k{k}.pdf",
    log:
        "results/compare/{name}/logs/matched_k{k}.log",
    benchmark:
        "results/compare/{name}/benchmarks/matched_k{k}.tsv"
    conda:
        "../envs/plot.yaml"
    resources:
        mem_mb=1500,
        runtime=10,
    params:
        style=MAP_STYLE,
        citation=citation_of("matched"),
    script:
        "../scripts/plot_matched_categories.py"


rule plot_agreement:
    input:
        agreement=rules.compare_models.output.agreement,
        labels=rules.regrid_labels.output.labels,  # whom to cite, in its attributes
        code=script_modules("plot_agreement.py"),
    output:
        png=report(
            "results/compare/{name}/figures/agreement.png",
            caption="../report/agreement.rst",
            category="Model comparison",
            subcategory="{name}",
            labels={"comparison": "{name}", "k": "all", "figure": "agreement"},
        ),
        pdf="results/compare/{name}/figures/agreement.pdf",
    log:
        "results/compare/{name}/logs/plot_agreement.log",
    benchmark:
        "results/compare/{name}/benchmarks/plot_agreement.tsv"
    conda:
        "../envs/plot.yaml"
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        citation=citation_of("labels"),
    script:
        "../scripts/plot_agreement.py"


# The 3-D vote (comparisons with `depth_windows`, after Cottaar & Lekic 2016): every compared model
# clustered in the same moving depth windows, the windows' labels on the common grid, matched and
# counted at each window; the slow area per window and the slow volume.


rule compare_depth_windows:
    input:
        profiles=rules.extract_profiles.output.profiles,
        code=script_modules("compare_depth_windows.py"),
    output:
        labels="results/compare/{name}/windows/{model}.nc",
    log:
        "results/compare/{name}/logs/windows_{model}.log",
    benchmark:
        "results/compare/{name}/benchmarks/windows_{model}.tsv"
    conda:
        "../envs/fit.yaml"
    resources:
        mem_mb=lambda wildcards, input: 1500 + 12 * input.size_mb,
        runtime=60,
    params:
        windows=lambda wildcards: COMPARISONS[wildcards.name]["depth_windows"],
        depth=lambda wildcards: MODELS[wildcards.model].get("depth"),
        fit=config["fit"],
    script:
        "../scripts/compare_depth_windows.py"


rule vote3d:
    input:
        labels=compared_windows,
        code=script_modules("vote3d.py"),
    output:
        votes="results/compare/{name}/vote3d.nc",
        area="results/compare/{name}/vote3d_area.csv",
        volume="results/compare/{name}/vote3d_volume.csv",
    log:
        "results/compare/{name}/logs/vote3d.log",
    benchmark:
        "results/compare/{name}/benchmarks/vote3d.tsv"
    conda:
        "../envs/fit.yaml"
    resources:
        mem_mb=lambda wildcards, input: 1000 + 8 * input.size_mb,
        runtime=10,
    params:
        models=lambda wildcards: COMPARISONS[wildcards.name]["models"],
        grid=lambda wildcards: COMPARISONS[wildcards.name]["grid"],
        windows=lambda wildcards: COMPARISONS[wildcards.name]["depth_windows"],
    script:
        "../scripts/vote3d.py"


rule plot_vote3d_area:
    input:
        area=rules.vote3d.output.area,
        volume=rules.vote3d.output.volume,
        votes=rules.vote3d.output.votes,  # whom to cite, in its attributes
        code=script_modules("plot_vote3d_area.py"),
    output:
        png=report(
            "results/compare/{name}/figures/vote3d_area_k{k}.png",
            caption="../report/vote3d_area.rst",
            category="Model comparison",
            subcategory="{name}",
            labels={
                "comparison": "{name}",
                "k": "{k}",
                "figure": "3-D vote: slow area",
            },
        ),
        pdf="results/compare/{name}/figures/vote3d_area_k{k}.pdf",
    log:
        "results/compare/{name}/logs/vote3d_area_k{k}.log",
    benchmark:
        "results/compare/{name}/benchmarks/vote3d_area_k{k}.tsv"
    conda:
        "../envs/plot.yaml"
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        citation=citation_of("votes"),
    script:
        "../scripts/plot_vote3d_area.py"


rule plot_vote3d_maps:
    input:
        votes=rules.vote3d.output.votes,
        code=script_modules("plot_vote3d_maps.py"),
    output:
        png=report(
            "results/compare/{name}/figures/vote3d_maps_k{k}.png",
            caption="../report/vote3d_maps.rst",
            category="Model comparison",
            subcategory="{name}",
            labels={"comparison": "{name}", "k": "{k}", "figure": "3-D vote: maps"},
        ),
        pdf="results/compare/{name}/figures/vote3d_maps_k{k}.pdf",
    log:
        "results/compare/{name}/logs/vote3d_maps_k{k}.log",
    benchmark:
        "results/compare/{name}/benchmarks/vote3d_maps_k{k}.tsv"
    conda:
        "../envs/plot.yaml"
    resources:
        mem_mb=1500,
        runtime=10,
    params:
        style=MAP_STYLE,
        depths=lambda wildcards: COMPARISONS[wildcards.name].get("vote_depths"),
        citation=citation_of("votes"),
    script:
        "../scripts/plot_vote3d_maps.py"

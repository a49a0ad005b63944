# The embedded demo model: a synthetic Western-US model made on the fly, so the
# default run needs no download.


rule demo_model:
    input:
        code=script_modules("make_demo_model.py"),
    output:
        model=DEMO_MODEL_PATH,
    log:
        "resources/demo/logs/demo_model.log",
    benchmark:
        "resources/demo/benchmarks/demo_model.tsv"
    conda:
        "../envs/io.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/make_demo_model.py"

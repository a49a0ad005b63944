# The helpers of rules/figures.smk.
from tomoclust.config import pdf_k_values

# One k per job: one plot_maps and one plot_profiles with a {k} wildcard, whose outputs are the same for every k
# (PDF included).
PDF_K_VALUES = MAP_K_VALUES if K_PER_JOB == 1 else pdf_k_values(config, MAP_K_VALUES)
# Which settings decide a figure's colours (besides its own fits): the colours of k
# come from the fits of k.min..k, by this scheme.
COLOR_SETTINGS = {"scheme": config["maps"]["colors"], "from_k": config["k"]["min"]}
# The k of each figure job: those of maps.k in each chunk.
FIGURE_K_JOBS = [
    ks
    for ks in (
        [[k for k in chunk if k in MAP_K_VALUES] for chunk in K_CHUNKS]
        if K_PER_JOB > 1
        else K_JOBS
    )
    if ks
]
# The per-k figures, written by rules made in a loop (plot_maps_k2_13... or plot_maps): one template.
PER_K_FIGURE = "results/{model}/figures/{kind}/k{k}.{ext}"


def per_k_figures(kind, ks, caption, category):
    """The PNG (in the report) of every k of a chunk, and the PDF of those in maps.pdf (of every k with one k per job)."""
    pngs = [
        in_report(
            PER_K_FIGURE.format(model="{model}", kind=kind, k=k, ext="png"),
            caption=caption,
            category=category,
            subcategory="{model}",
            labels={"model": "{model}", "k": str(k), "figure": kind.rstrip("s")},
        )
        for k in ks
    ]
    pdfs = [
        PER_K_FIGURE.format(model="{model}", kind=kind, k=k, ext="pdf")
        for k in ks
        if K_PER_JOB == 1 or k in PDF_K_VALUES
    ]
    return pngs + pdfs


def ancient_copy(path):
    """ancient() of a copy of path, its flags kept: ancient() of rules.<rule>.output.<name> itself would flag that
    shared object, and so the file in every rule that reads it."""
    (copy,) = expand(path, allow_missing=True)
    return ancient(copy)


def figures_targets():
    """Every figure of every model (in the default target): a PDF of the per-k figures for the k of maps.pdf."""
    per_k = dict(model=list(MODELS), kind=["maps", "confidence", "profiles"])
    return (
        expand(rules.plot_choosing_k.output, model=list(MODELS))
        + expand(rules.plot_summary.output, model=list(MODELS))
        + expand(PER_K_FIGURE, **per_k, k=MAP_K_VALUES, ext="png")
        + expand(PER_K_FIGURE, **per_k, k=PDF_K_VALUES, ext="pdf")
    )

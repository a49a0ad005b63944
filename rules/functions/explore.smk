# The helpers of rules/explore.smk.

# The shipped basemap of the workflow's own files (a clone, or a module of another workflow: never the caller's folder).
BASEMAP_DIR = os.path.relpath(
    WORKFLOW_SCRIPTS.parent / "resources/basemap/shapefiles/natural_earth"
)


def explore_models(wildcards):
    if hasattr(wildcards, "model"):
        return [wildcards.model]
    return COMPARISONS[wildcards.name]["models"]


def explore_basemap(wildcards):
    """The shipped coastlines and borders, at 1:110m for a (near) global model, else 1:50m."""
    scale = "50m"
    for name in explore_models(wildcards):
        region = MODELS[name].get("region") or {}
        lon = region.get("lon")
        if lon is None or abs(lon[1] - lon[0]) >= 90:
            scale = "110m"
    return [
        f"{BASEMAP_DIR}/physical/ne_{scale}_coastline.shp",
        f"{BASEMAP_DIR}/cultural/ne_{scale}_admin_0_boundary_lines_land.shp",
    ]


def each_explored_model(path):
    """path (with {model}) for each model an explore page shows."""
    return lambda wildcards: expand(path, model=explore_models(wildcards))


def explore_targets():
    """The explore page of every model and every comparison (in the default target)."""
    return expand(rules.explore_model.output, model=list(MODELS)) + expand(
        rules.explore_comparison.output, name=list(COMPARISONS)
    )

"""What each rule does, given its inputs, outputs, params and log.

``job`` is Snakemake's ``snakemake`` object or a :class:`tomoclust.warm.JobSpec`
with the same attributes (input, output, params, wildcards, log, threads), so a
job runs the same in a script process, in the warm worker, or in a test.
Heavy imports stay inside the functions: a light job never pays for tslearn
or cartopy.
"""
from __future__ import annotations

import json
import logging

from .logs import setup_logging


def _log_path(job) -> str | None:
    return str(job.log[0]) if len(job.log) else None


def demo_model(job):
    from .demo import make_demo_model
    from .provenance import write_netcdf

    log = setup_logging(_log_path(job))
    ds = make_demo_model()
    log.info("demo model: %d grid points, %d complete profiles, %d depths",
             ds["province"].size, int((ds["province"] >= 0).sum()), ds.sizes["depth"])
    write_netcdf(ds, job.output.model)


def extract_profiles(job):
    from .extract import ModelSpec, extract_model
    from .provenance import provenance_attrs, write_netcdf

    setup_logging(_log_path(job))
    spec = ModelSpec.from_config(dict(job.params.model))
    profiles = extract_model(spec, block_mb=job.params.block_mb)
    profiles.attrs.update(provenance_attrs(dict(job.params.model), inputs={"source": job.input.model}))
    write_netcdf(profiles, job.output.profiles)


def fit_kmeans(job):
    import numpy as np
    import xarray as xr

    from .criteria import restart_stability, validity_criteria
    from .fit import fit_dataset, fit_kmeans as fit
    from .provenance import provenance_attrs, write_netcdf

    setup_logging(_log_path(job))
    log = logging.getLogger("tomoclust.fit")
    k = int(job.params.k)
    fit_params = dict(job.params.fit)
    with xr.open_dataset(job.input.profiles) as profiles_ds:
        profiles_ds = profiles_ds.load()
    X, depth = profiles_ds["profiles"].values, profiles_ds["depth"].values
    weight = profiles_ds["depth_weight"].values
    fit_mask = profiles_ds["in_fit_subset"].values.astype(bool)
    n_fitted = int(fit_mask.sum())
    if k > n_fitted:
        raise ValueError(
            f"model '{job.wildcards.model}': k={k} is more than the {n_fitted} complete profiles"
            f"{'' if n_fitted == X.shape[0] else f' of the equal-area subset (of {X.shape[0]})'} in "
            f"{job.input.profiles}; lower `k.max` to at most {n_fitted} (or widen the model's region/depth)"
        )
    if fit_params["metric"] != "euclidean" and not np.allclose(weight, 1.0):
        log.warning("model %s: depth weights scale the values before %s, which also warps along depth; "
                    "`depth_weighting: resample` is the natural choice for %s", profiles_ds.attrs.get("model"),
                    fit_params["metric"], fit_params["metric"])
    order_values = profiles_ds["profile_depth_mean"].values if "profile_depth_mean" in profiles_ds else None
    result = fit(X, depth, k, **fit_params, depth_weight=weight, fit_mask=fit_mask, order_values=order_values)
    sizes = sorted(int((result.labels == c).sum()) for c in range(k))
    log.info("model %s k=%d: inertia %.6g after %d iterations on %d of %d profiles; cluster sizes %s",
             profiles_ds.attrs.get("model"), k, result.inertia, result.n_iter, n_fitted, X.shape[0], sizes)
    # Criteria and stability judge the fit where it was made: fitted profiles, depth-weighted distances.
    scale = np.sqrt(weight)
    X_fit, labels_fit = X[fit_mask] * scale, result.labels[fit_mask]
    criteria, stability = dict(job.params.criteria), dict(job.params.stability)
    scores = validity_criteria(X_fit, labels_fit, result.centers * scale, criteria["silhouette_sample"], criteria["random_state"])
    scores.update(restart_stability(X_fit, depth, labels_fit, k, fit_params, stability["restarts"], stability["subsample"],
                                    stability["random_state"]))
    log.info("model %s k=%d: %s", profiles_ds.attrs.get("model"), k, ", ".join(f"{n} {v:.4g}" for n, v in scores.items()))
    fit_ds = fit_dataset(result, profiles_ds, k, fit_params, scores)
    fit_ds.attrs.update(provenance_attrs({"k": k, "fit": fit_params, "criteria": criteria, "stability": stability},
                                         inputs={"profiles": job.input.profiles}))
    fit_ds.attrs["source_sha256"] = profiles_ds.attrs.get("source_sha256", "")
    write_netcdf(fit_ds, job.output.fit)


def gather_inertia(job):
    from .gather import INERTIA_COLUMNS, fit_table, k_selection
    from .preprocess import PREPROCESSING_ATTRS
    from .provenance import write_text

    log = setup_logging(_log_path(job))
    table = fit_table(list(job.input.fits))
    selection = k_selection(table, job.params.sensitivity)
    selection["model"] = job.wildcards.model
    log.info("preferred k: %s", selection["preferred"])
    write_text(table[INERTIA_COLUMNS].to_csv(index=False), job.output.table)
    write_text(table.drop(columns=["units", *PREPROCESSING_ATTRS]).to_csv(index=False), job.output.criteria)
    write_text(json.dumps(selection, indent=2) + "\n", job.output.selection)


def gather_labels(job):
    import xarray as xr

    from .gather import labels_cube
    from .provenance import provenance_attrs, write_netcdf

    log = setup_logging(_log_path(job))
    with xr.open_dataset(job.input.profiles) as profiles_ds:
        cube = labels_cube(profiles_ds.load(), list(job.input.fits))
    cube.attrs.update(provenance_attrs({"model": job.wildcards.model}))
    cube.attrs["source_sha256"] = profiles_ds.attrs.get("source_sha256", "")
    log.info("labels for k=%s on a %d x %d grid", cube["k"].values.tolist(), cube.sizes["latitude"], cube.sizes["longitude"])
    write_netcdf(cube, job.output.labels)


def gather_lineage(job):
    import pandas as pd
    import xarray as xr

    from .lineage import colors_table, lineage_edges, lineage_positions
    from .provenance import write_text

    log = setup_logging(_log_path(job))
    labels, nodes = {}, []
    for path in job.input.fits:
        with xr.open_dataset(path) as fit:
            k = int(fit["k"])
            labels[k] = fit["labels"].values
            nodes += [{"k": k, "category": c, "size": int(fit["cluster_size"][c]),
                       "area_percent": float(fit["cluster_area_percent"][c]),
                       "center_depth_mean": float(fit["center_depth_mean"][c])} for c in range(k)]
    edges = lineage_edges(labels)
    categories = pd.DataFrame(nodes).merge(colors_table(lineage_positions(labels)), on=["k", "category"])
    splits = edges[(edges["share_of_category"] < 0.95) & (edges["share_of_next"] > 0.5)]
    log.info("lineage over k=%d..%d: %d links, %d categories that split", min(labels), max(labels), len(edges),
             splits.groupby(["k", "category"]).ngroups)
    write_text(edges.to_csv(index=False, float_format="%.6g"), job.output.lineage)
    write_text(categories.to_csv(index=False, float_format="%.6g"), job.output.categories)


def plot_lineage(job):
    import pandas as pd

    from .lineage import plot_lineage as plot
    from .plotting import display_units, save_figure

    setup_logging(_log_path(job))
    with open(job.input.selection) as handle:
        units = display_units(json.load(handle).get("units", ""))
    edges = pd.read_csv(job.input.lineage)
    categories = pd.read_csv(job.input.categories)
    k_max = categories["k"].min() + job.params.figure_k_span - 1
    edges = edges[edges["k_next"] <= k_max]
    categories = categories[categories["k"] <= k_max]
    fig = plot(edges, categories, categories[["k", "category", "color"]], job.wildcards.model, units)
    save_figure(fig, job.output.png, job.output.pdf)


def plot_elbow(job):
    import pandas as pd

    from .plotting import plot_elbow as plot, save_figure
    from .preprocess import preprocessing_label

    log = setup_logging(_log_path(job))
    table = pd.read_csv(job.input.table)
    with open(job.input.selection) as handle:
        selection = json.load(handle)
    title = job.wildcards.model
    if selection.get("preprocessing"):
        title += f" ({preprocessing_label(selection['preprocessing'])})"
    save_figure(plot(table, selection, title, units=selection.get("units", "")), job.output.png, job.output.pdf)
    log.info("elbow figure with knee k=%s", selection.get("knee"))


def plot_k_selection(job):
    import pandas as pd

    from .plotting import plot_k_selection as plot, save_figure

    setup_logging(_log_path(job))
    table = pd.read_csv(job.input.criteria)
    with open(job.input.selection) as handle:
        selection = json.load(handle)
    save_figure(plot(table, selection, job.wildcards.model), job.output.png, job.output.pdf)


def _per_k_figure(job, draw) -> int:
    """The common part of the per-k figures: read the profiles and the fit, colour by lineage, save PNG + PDF."""
    import xarray as xr

    from .lineage import figure_colors
    from .plotting import display_units, save_figure

    with xr.open_dataset(job.input.profiles) as profiles_ds, xr.open_dataset(job.input.fit) as fit:
        k = int(fit["k"])
        colors = figure_colors(list(job.input.lineage), [k], job.params.maps["colors"])[k]
        fig = draw(profiles_ds, fit, k, colors, display_units(fit["centers"].attrs.get("units", "")))
    save_figure(fig, job.output.png, job.output.pdf)
    return k


def plot_map(job):
    from .gather import labels_on_grid
    from .maps import MapStyle, plot_category_map
    from .plotting import display_units
    from .preprocess import preprocessing_label

    log = setup_logging(_log_path(job))

    def draw(profiles_ds, fit, k, colors, units):
        return plot_category_map(
            profiles_ds["latitude"].values, profiles_ds["longitude"].values, labels_on_grid(profiles_ds, fit["labels"].values), k,
            fit["center_depth_mean"].values, fit["cluster_area_percent"].values,
            display_units(fit["center_depth_mean"].attrs.get("units", "")),
            title=f"{job.wildcards.model}: k = {k}, {fit.attrs.get('fit_metric', '')}\n({preprocessing_label(fit.attrs)})",
            style=MapStyle.from_config(dict(job.params.maps)), colors=colors,
        )

    k = _per_k_figure(job, draw)
    log.info("map of %d categories written (%s colours)", k, job.params.maps["colors"])


def plot_profiles(job):
    from .preprocess import preprocessing_label
    from .profile_plots import plot_cluster_profiles

    log = setup_logging(_log_path(job))

    def draw(profiles_ds, fit, k, colors, units):
        return plot_cluster_profiles(
            profiles_ds["profiles"].values, fit["labels"].values, fit["centers"].values, profiles_ds["depth"].values, k,
            units=units, title=f"{job.wildcards.model}: cluster profiles at k = {k}\n({preprocessing_label(fit.attrs)})",
            colors=colors, area_percent=fit["cluster_area_percent"].values,
        )

    k = _per_k_figure(job, draw)
    log.info("profile figure of %d categories written", k)


def plot_summary(job):
    import pandas as pd
    import xarray as xr

    from .gather import labels_on_grid
    from .lineage import figure_colors
    from .maps import MapStyle
    from .plotting import display_units, save_figure
    from .preprocess import preprocessing_label
    from .summary import choose_figure_k, plot_summary as plot

    log = setup_logging(_log_path(job))
    table = pd.read_csv(job.input.table)
    with open(job.input.selection) as handle:
        selection = json.load(handle)
    fit_paths = {int(str(p).rsplit("/k", 1)[1].removesuffix(".nc")): p for p in job.input.fits}
    figure_k = job.params.figure_k if isinstance(job.params.figure_k, str) else list(job.params.figure_k)
    ks = choose_figure_k(figure_k, selection.get("knee"), list(fit_paths))
    log.info("manuscript panel shows k = %s", ks)
    with xr.open_dataset(job.input.profiles) as profiles_ds:
        profiles_ds = profiles_ds.load()
    fits = {}
    for k in ks:
        with xr.open_dataset(fit_paths[k]) as fit:
            labels = fit["labels"].values
            fits[k] = (labels_on_grid(profiles_ds, labels), labels, fit["centers"].values,
                       fit["center_depth_mean"].values, fit["cluster_size"].values)
    fig = plot(
        table, selection, profiles_ds["latitude"].values, profiles_ds["longitude"].values, fits,
        profiles_ds["profiles"].values, profiles_ds["depth"].values,
        display_units(profiles_ds["profiles"].attrs.get("units", "")),
        f"{job.wildcards.model} ({preprocessing_label(profiles_ds.attrs)})",
        MapStyle.from_config(dict(job.params.maps)),
        colors=figure_colors(list(job.input.fits), ks, job.params.maps["colors"]),
    )
    save_figure(fig, job.output.png, job.output.pdf, dpi=300)


def regrid_labels(job):
    import xarray as xr

    from .compare import labels_on_common_grid
    from .provenance import provenance_attrs, write_netcdf

    log = setup_logging(_log_path(job))
    comparison = dict(job.params.comparison)
    cubes = {}
    for name, path in zip(comparison["models"], job.input.labels):
        with xr.open_dataset(path) as cube:
            cubes[name] = cube.load()
    common = labels_on_common_grid(cubes, comparison["grid"])
    common.attrs.update(title=f"Labels of models {', '.join(cubes)} on a common grid (comparison {job.wildcards.name})",
                        **provenance_attrs(comparison))
    log.info("comparison %s: %d models, k = %s, common grid %d x %d (%s)", job.wildcards.name, len(cubes),
             common["k"].values.tolist(), common.sizes["latitude"], common.sizes["longitude"], common.attrs["common_grid"])
    write_netcdf(common, job.output.labels)


def compare_models(job):
    import xarray as xr

    from .compare import agreement_table, vote_dataset, vote_shares
    from .provenance import provenance_attrs, write_netcdf, write_text

    log = setup_logging(_log_path(job))
    comparison = dict(job.params.comparison)
    with xr.open_dataset(job.input.labels) as common:
        common = common.load()
    table = agreement_table(common)
    for row in table.itertuples():
        log.info("k=%d: ARI %s vs %s = %.3f on %d equal-area points (%.3f on all %d)",
                 row.k, row.model_a, row.model_b, row.ari, row.n_points, row.ari_all_points, row.n_points_all)
    votes = vote_dataset(common, list(comparison["vote_k"]))
    votes.attrs.update(title=f"Vote map of comparison {job.wildcards.name}", **provenance_attrs(comparison))
    for k in comparison["vote_k"]:
        shares = vote_shares(votes, k)
        log.info("k=%d, area covered by every model: %.1f%% slowest in all, %.1f%% split, %.1f%% slowest in none",
                 k, 100 * shares["all_slowest"], 100 * shares["split"], 100 * shares["none_slowest"])
    write_text(table.to_csv(index=False, float_format="%.6g"), job.output.agreement)
    write_netcdf(votes, job.output.votes)


def plot_vote_map(job):
    import xarray as xr

    from .compare import plot_vote_map as plot
    from .maps import MapStyle
    from .plotting import save_figure

    setup_logging(_log_path(job))
    k = int(job.wildcards.k)
    with xr.open_dataset(job.input.votes) as votes:
        title = (f"{job.wildcards.name}: slowest category of {votes.attrs['n_models_compared']} models at k = {k}\n"
                 f"({votes.attrs['models']})")
        fig = plot(votes.load(), k, title, MapStyle.from_config(dict(job.params.maps)))
    save_figure(fig, job.output.png, job.output.pdf)


def plot_agreement(job):
    import pandas as pd

    from .compare import plot_agreement as plot
    from .plotting import save_figure

    setup_logging(_log_path(job))
    table = pd.read_csv(job.input.agreement)
    save_figure(plot(table, f"{job.wildcards.name}: agreement between models"), job.output.png, job.output.pdf)


JOBS = {
    job.__name__: job
    for job in (demo_model, extract_profiles, fit_kmeans, gather_inertia, gather_labels,
                gather_lineage, plot_lineage, plot_elbow, plot_k_selection, plot_map, plot_profiles, plot_summary,
                regrid_labels, compare_models, plot_vote_map, plot_agreement)
}

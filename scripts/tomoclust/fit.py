"""One k-means fit of the depth profiles: tslearn's TimeSeriesKMeans or scikit-learn's KMeans (``fit.engine``)."""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import numpy as np
import xarray as xr

from .config import check_engine
from .criteria import nearest_center_margin
from .joint import is_joint, ordering_variable
from .preprocess import depth_average, preprocessing_attrs

METRICS = ("euclidean", "dtw", "softdtw")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FitResult:
    labels: np.ndarray  # (n_profiles,) int, ordered slowest category first
    centers: np.ndarray  # (k, n_depth)
    inertia: float
    n_iter: int
    depth_mean_of_centers: np.ndarray  # (k,) the ordering key
    margin: np.ndarray | None = None  # (n_profiles,) (d2 - d1) / (d2 + d1) to the nearest and second-nearest centre
    engine_inertia: float | None = None  # the inertia as the engine reported it
    nearest_distance: np.ndarray | None = (
        None  # (n_profiles,) distance to the own centre, in the fit's metric and depth weights
    )


def velocity_order(
    labels: np.ndarray, centers: np.ndarray, depth: np.ndarray, member_values: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(order, key): the categories sorted slowest first (argsort of the key), and the key of each category.

    The key is the centre's depth average (0 is then the slowest centre); the same rule at every k makes colours
    comparable from one k to the next. With ``member_values`` (one value per profile) a category's key is instead
    the mean over its members: standardized profiles all average 0 over depth, so they are ordered by the depth
    average they had before standardizing.
    """
    if member_values is None:
        key = depth_average(centers, depth)
    else:
        counts = np.bincount(labels, minlength=centers.shape[0])
        key = np.bincount(labels, weights=member_values, minlength=centers.shape[0]) / np.maximum(counts, 1)
    return np.argsort(key, kind="stable"), key


def center_distances(
    series: np.ndarray, centers: np.ndarray, metric: str = "euclidean", metric_params: dict | None = None
) -> np.ndarray:
    """(n_profiles, k) distances of (depth-scaled) profiles to (depth-scaled) centres in the fit's metric.

    The one place distances to centres are computed: the fit's final assignment and margin, and the
    classification of other models with saved centres, so both give the same answer on the same profiles.
    """
    series, centers = np.asarray(series, dtype=np.float64), np.asarray(centers, dtype=np.float64)
    if metric == "euclidean":
        from scipy.spatial.distance import cdist

        return cdist(series, centers)
    from tslearn.metrics import cdist_dtw, cdist_soft_dtw

    if metric == "dtw":
        return cdist_dtw(series[:, :, None], centers[:, :, None], **(metric_params or {}))
    return cdist_soft_dtw(series[:, :, None], centers[:, :, None], **(metric_params or {}))


def cache_tslearn_kernels() -> int:
    """Let numba keep tslearn's compiled DTW kernels on disk; returns how many kernels were switched on.

    tslearn compiles them at their first call in every process (6.09 s, ``benchmarks/run_benchmark.py
    --components``) without numba's ``cache=True``. Numba's own cache, switched on here for tslearn's
    kernels, compiles them once per machine; every later job loads them. The machine code is the same either way.
    """
    import sys

    from numba.core.caching import NullCache
    from numba.core.dispatcher import Dispatcher

    enabled = 0
    for name, module in list(sys.modules.items()):
        if not name.startswith("tslearn") or module is None:
            continue
        for kernel in vars(module).values():
            if isinstance(kernel, Dispatcher) and isinstance(kernel._cache, NullCache):
                kernel.enable_caching()
                enabled += 1
    return enabled


def engine_centers(
    fitted: np.ndarray,
    k: int,
    engine: str,
    metric: str,
    max_iter: int,
    n_init: int,
    random_state: int,
    tol: float | None,
    metric_params: dict | None,
    sample_weight: np.ndarray | None,
):
    """(centres, inertia as the engine reports it, iterations) of one k-means fit of the (n, n_depth) rows ``fitted``.

    The one place an engine is called: ``tslearn`` (TimeSeriesKMeans, any metric, no sample weights) or
    ``sklearn`` (KMeans, euclidean, k-means++ and Lloyd's algorithm, with ``sample_weight``). ``tol`` None keeps the
    engine's own default (tslearn: absolute change of inertia 1e-6; scikit-learn: 1e-4 relative to the data's variance).
    """
    if engine == "sklearn":
        from sklearn.cluster import KMeans
        from threadpoolctl import threadpool_limits

        model = KMeans(
            n_clusters=k,
            init="k-means++",
            n_init=n_init,
            max_iter=max_iter,
            random_state=random_state,
            algorithm="lloyd",
            **({} if tol is None else {"tol": tol}),
        )
        # One thread: a fit job is one core of the run, and its numbers do not depend on the machine's core count.
        with threadpool_limits(limits=1):
            model.fit(fitted, sample_weight=sample_weight)
        return model.cluster_centers_, float(model.inertia_), int(model.n_iter_)
    if sample_weight is not None:
        raise ValueError("tslearn's TimeSeriesKMeans takes no sample weights; set `fit.engine: sklearn`")
    with warnings.catch_warnings():
        # tslearn warns at import when h5py (only for its own model files) is absent.
        warnings.simplefilter("ignore", UserWarning)
        from tslearn.clustering import TimeSeriesKMeans
    if metric != "euclidean":
        cache_tslearn_kernels()
    model = TimeSeriesKMeans(
        n_clusters=k,
        metric=metric,
        max_iter=max_iter,
        n_init=n_init,
        random_state=random_state,
        metric_params=metric_params or None,
        **({} if tol is None else {"tol": tol}),
    )
    model.fit(fitted[:, :, np.newaxis])
    return model.cluster_centers_[:, :, 0], float(model.inertia_), int(model.n_iter_)


def fit_kmeans(
    profiles: np.ndarray,
    depth: np.ndarray,
    k: int,
    metric: str = "euclidean",
    max_iter: int = 50,
    n_init: int = 1,
    random_state: int = 0,
    metric_params: dict | None = None,
    engine: str = "tslearn",
    tol: float | None = None,
    depth_weight: np.ndarray | None = None,
    fit_mask: np.ndarray | None = None,
    sample_weight: np.ndarray | None = None,
    order_values: np.ndarray | None = None,
    with_margin: bool = False,
) -> FitResult:
    """One seeded k-means fit (``engine``: tslearn or scikit-learn); categories ordered slowest first.

    ``depth_weight`` (one weight per depth) scales each depth by its square
    root before the fit, so squared euclidean distances weigh depths by it;
    centres are scaled back to the profiles' units. With ``fit_mask`` only
    those profiles are fitted (e.g. an equal-area subset) and the others are
    assigned to their nearest centre; ``labels`` then covers every profile.
    ``sample_weight`` (one per profile, scikit-learn only): each fitted profile counts by its weight (a cell area).
    ``order_values`` (one per profile) orders categories by their members'
    mean instead of the centres' depth average (see velocity_order).
    ``with_margin``: also the margin of every profile between its nearest and second-nearest centre, in the
    fit's metric and depth weights (from the distances of the final assignment).

    ``inertia`` has one definition whatever the engine: the (sample-weighted) mean squared distance of the fitted
    profiles to their nearest final centre. ``engine_inertia`` is what the engine itself reported.
    """
    if metric not in METRICS:
        raise ValueError(f"fit.metric '{metric}' is not one of {METRICS}")
    check_engine(engine, metric)
    scale = np.ones(profiles.shape[1]) if depth_weight is None else np.sqrt(np.asarray(depth_weight, dtype=np.float64))
    unscaled = bool(np.all(scale == 1.0))  # profiles scaled already (restarts), or no depth weights
    series = np.ascontiguousarray(profiles if unscaled else np.asarray(profiles, dtype=np.float64) * scale, np.float64)
    in_fit = np.ones(series.shape[0], dtype=bool) if fit_mask is None else np.asarray(fit_mask, dtype=bool)
    fitted = series[in_fit]
    weights = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)[in_fit]
    n_fitted = fitted.shape[0]
    if not 2 <= k <= n_fitted:
        raise ValueError(f"k={k} must be between 2 and the number of profiles fitted ({n_fitted})")
    fitted_centers, engine_inertia, n_iter = engine_centers(
        fitted, k, engine, metric, max_iter, n_init, random_state, tol, metric_params, weights
    )
    # Every profile (fitted or not) is assigned to its nearest final centre, as scikit-learn's KMeans and tslearn's
    # labels_ do, so labels, centres, margins and a later classification with the saved centres agree.
    distances = center_distances(series, fitted_centers, metric, metric_params)
    nearest = distances.argmin(axis=1)
    order, key = velocity_order(nearest, fitted_centers / scale, depth, order_values)
    centers, key = (fitted_centers / scale)[order], key[order]
    if metric == "euclidean" and not unscaled:
        # The distances again from the centres as saved (scaled back and forth: not the same bits), so that a later
        # classification with the saved centres is exact.
        distances = center_distances(series, centers * scale, metric, metric_params)
    else:  # the same distances, columns in the new category order (unscaled: the saved centres are the fitted ones)
        distances = distances[:, order]
    labels = distances.argmin(axis=1)
    nearest_squared = distances[np.arange(labels.size), labels][in_fit] ** 2
    inertia = float(np.average(nearest_squared, weights=weights))
    return FitResult(
        labels=labels.astype(np.int32),
        centers=centers,
        inertia=inertia,
        n_iter=n_iter,
        depth_mean_of_centers=key,
        margin=nearest_center_margin(distances) if with_margin else None,
        engine_inertia=engine_inertia,
        nearest_distance=distances[np.arange(labels.size), labels],
    )


CRITERIA_DESCRIPTIONS = {
    "distortion": "mean euclidean distance of a profile to its centre",
    "silhouette": "mean silhouette coefficient (scikit-learn) on a fixed-seed subsample",
    "calinski_harabasz": "Calinski-Harabasz index (scikit-learn's definition) of the fitted profiles",
    "davies_bouldin": "Davies-Bouldin index (scikit-learn's definition) of the fitted profiles",
    "stability_ari_mean": "mean pairwise adjusted Rand index between the fit and its restarts on a subsample",
    "stability_ari_min": "smallest pairwise adjusted Rand index between the fit and its restarts",
    "stability_inertia_spread": "(max - min) / min of the restarts' inertia",
}


# A fit file's title names the class that fitted it (fit.engine).
ENGINE_TITLES = {"tslearn": "tslearn TimeSeriesKMeans", "sklearn": "scikit-learn KMeans"}


def fit_dataset(
    result: FitResult,
    profiles_ds: xr.Dataset,
    k: int,
    params: dict,
    scores: dict | None = None,
    agreement: np.ndarray | None = None,
    fit_mask: np.ndarray | None = None,
    weighting: str = "",
    envelopes: dict | None = None,
) -> xr.Dataset:
    """The self-describing contents of ``fits/k{k}.nc``; ``scores`` adds per-k criteria, ``agreement`` the
    per-profile co-assignment of the restarts, ``envelopes`` the members' std and quantiles at every depth.
    ``fit_mask``: the profiles the fit used (default: profiles.nc's ``in_fit_subset``)."""
    value_attrs = {
        a: v for a, v in profiles_ds["profiles"].attrs.items() if a in ("units", "long_name", "display_name")
    }
    k_ids = np.arange(k, dtype=np.int32)
    sizes = np.bincount(result.labels, minlength=k).astype(np.int64)
    if is_joint(profiles_ds):  # several variables: ordered by the first one's depth average
        key_attrs = {
            "long_name": "mean over the members of the "
            + profiles_ds["profile_depth_mean"].attrs["long_name"]
            + " (ordering key)",
            **{a: v for a, v in profiles_ds["profile_depth_mean"].attrs.items() if a == "units"},
        }
    elif "profile_depth_mean" in profiles_ds:  # standardized profiles: ordered by their depth average before
        key_attrs = {
            "long_name": "mean over the members of their depth average before standardizing (ordering key)",
            **{a: v for a, v in profiles_ds["profile_depth_mean"].attrs.items() if a == "units"},
        }
    else:
        key_attrs = {**value_attrs, "long_name": "thickness-weighted depth average of the centre (ordering key)"}
    cluster_area = np.bincount(result.labels, weights=profiles_ds["profile_area"].values, minlength=k)
    fitted = profiles_ds["in_fit_subset"].values.astype(bool) if fit_mask is None else np.asarray(fit_mask, dtype=bool)
    ds = xr.Dataset(
        data_vars={
            "labels": (
                ("profile",),
                result.labels,
                {
                    "long_name": "cluster category of each profile",
                    "flag_values": k_ids,
                    "comment": "0 is the slowest centre (lowest thickness-weighted depth average"
                    + (f" of {ordering_variable(profiles_ds)}" if is_joint(profiles_ds) else "")
                    + "), k-1 the fastest",
                },
            ),
            "centers": (("cluster", "depth"), result.centers, {**value_attrs, "long_name": "cluster centre profile"}),
            "center_depth_mean": (("cluster",), result.depth_mean_of_centers, key_attrs),
            "cluster_size": (("cluster",), sizes, {"long_name": "number of profiles in the cluster"}),
            "cluster_size_fitted": (
                ("cluster",),
                np.bincount(result.labels[fitted], minlength=k).astype(np.int64),
                {"long_name": "number of fitted profiles in the cluster"},
            ),
            "cluster_area": (
                ("cluster",),
                cluster_area,
                {"long_name": "area of the grid cells in the cluster", "units": "km2"},
            ),
            "cluster_area_percent": (
                ("cluster",),
                100.0 * cluster_area / max(cluster_area.sum(), 1e-300),
                {
                    "long_name": "share of the region's area (cells with a complete profile) in the cluster",
                    "units": "percent",
                },
            ),
            "inertia": (
                (),
                result.inertia,
                {
                    "long_name": "mean squared distance of the fitted profiles to their nearest final centre",
                    "comment": "depth-weighted, in the fit's metric; "
                    "weighted by cell area where the fit is (fit_weighting); "
                    "the same definition for every engine",
                },
            ),
            "n_fit_profiles": (
                (),
                np.int64(fitted.sum()),
                {"long_name": "profiles the k-means fit used (the rest assigned to the nearest centre)"},
            ),
            "n_iter": ((), np.int32(result.n_iter), {"long_name": "iterations run"}),
        },
        coords={
            "k": ((), np.int32(k), {"long_name": "number of clusters"}),
            "cluster": ("cluster", k_ids),
            "depth": profiles_ds["depth"],
            "profile_latitude": profiles_ds["profile_latitude"],
            "profile_longitude": profiles_ds["profile_longitude"],
        },
        attrs={
            "title": f"{ENGINE_TITLES.get(params.get('engine', 'tslearn'), 'k-means')} fit of model "
            f"{profiles_ds.attrs.get('model', '?')} at k={k}",
            "model": profiles_ds.attrs.get("model", ""),
            "Conventions": "CF-1.8",
            **{f"fit_{name}": str(value) for name, value in params.items()},
            "fit_weighting": weighting,
            **preprocessing_attrs(profiles_ds.attrs),
        },
    )
    if result.engine_inertia is not None:
        ds["engine_inertia"] = (
            (),
            result.engine_inertia,
            {
                "long_name": "inertia as the engine reported it "
                "(tslearn: mean over the last assignment before the final centre update; "
                "scikit-learn: sum of the weighted squared distances)"
            },
        )
    for name, value in (scores or {}).items():
        ds[name] = ((), float(value), {"long_name": CRITERIA_DESCRIPTIONS.get(name, name)})
    if envelopes is not None:
        from .envelopes import QUANTILES

        ds = ds.assign_coords(quantile=("quantile", np.asarray(QUANTILES), {"long_name": "quantile of the members"}))
        ds["member_std"] = (
            ("cluster", "depth"),
            envelopes["std"],
            {**value_attrs, "long_name": "standard deviation of the members at each depth"},
        )
        ds["member_quantiles"] = (
            ("cluster", "quantile", "depth"),
            envelopes["quantiles"],
            {**value_attrs, "long_name": "quantiles of the members at each depth"},
        )
    if result.margin is not None:
        ds["margin"] = (
            ("profile",),
            result.margin,
            {
                "long_name": "margin between the nearest and second-nearest centre, (d2 - d1) / (d2 + d1)",
                "comment": "0: on the boundary between two centres; 1: on a centre. "
                "Distances in the fit's metric and depth weights",
                "units": "1",
            },
        )
    if agreement is not None:
        ds["coassignment"] = (
            ("profile",),
            agreement,
            {
                "long_name": "share of the restarts that put the profile in the category matched to its own",
                "comment": "restart categories matched to the fit's by maximum overlap (Hungarian assignment)",
                "units": "1",
            },
        )
    return ds


def check_k_range(ks, profiles_ds: xr.Dataset, model: str, where: str) -> None:
    """Refuse, before any fit, a k larger than the number of profiles the fit would use."""
    from .config import check_k_counts

    check_k_counts(
        ks, int(profiles_ds["in_fit_subset"].values.astype(bool).sum()), profiles_ds.sizes["profile"], model, where
    )


@dataclass(frozen=True)
class FitInputs:
    """What every k of a fit job shares: the profiles as fitted, which of them the fit uses and how they count."""

    profiles: np.ndarray  # (n_profiles, n_depth) in the model's units
    depth: np.ndarray
    depth_weight: np.ndarray
    fit_mask: np.ndarray  # the profiles the fit uses (the rest are assigned to the nearest centre)
    sample_weight: np.ndarray | None  # cell areas when the fit weighs every profile by its area
    weighting: str  # how the fit accounts for cell areas, recorded in every fit
    order_values: np.ndarray | None
    silhouette: object  # criteria.SilhouetteSample of the fitted profiles


def fit_inputs(profiles_ds: xr.Dataset, fit_params: dict, criteria: dict) -> FitInputs:
    """The inputs of every k of one job. Area weighting (profiles.nc ``area_weighting: on``) is an equal-area subset
    with tslearn, which takes no sample weights, and every profile weighted by its cell area with scikit-learn."""
    from .criteria import silhouette_sample

    check_engine(fit_params.get("engine", "tslearn"), fit_params["metric"])
    X, weight = profiles_ds["profiles"].values, profiles_ds["depth_weight"].values
    subset = profiles_ds["in_fit_subset"].values.astype(bool)
    area_weighted = profiles_ds.attrs.get("area_weighting") == "on"
    if area_weighted and fit_params.get("engine", "tslearn") == "sklearn":
        fit_mask, sample_weight = np.ones(X.shape[0], dtype=bool), profiles_ds["profile_area"].values.astype(np.float64)
        weighting = "cell-area sample weights on every profile (scikit-learn sample_weight)"
    elif area_weighted:
        fit_mask, sample_weight = subset, None
        weighting = f"equal-area subset: {int(subset.sum())} of {subset.size} profiles fitted, the rest assigned"
    else:
        fit_mask, sample_weight = np.ones(X.shape[0], dtype=bool), None
        weighting = "none: every profile counts the same"
    scaled = X[fit_mask] * np.sqrt(weight)
    sample = silhouette_sample(
        scaled,
        criteria["silhouette_sample"],
        criteria["random_state"],
        None if sample_weight is None else sample_weight[fit_mask],
    )
    order_values = profiles_ds["profile_depth_mean"].values if "profile_depth_mean" in profiles_ds else None
    return FitInputs(X, profiles_ds["depth"].values, weight, fit_mask, sample_weight, weighting, order_values, sample)


def fit_profiles(
    profiles_ds: xr.Dataset, k: int, fit_params: dict, criteria: dict, stability: dict, inputs: FitInputs | None = None
) -> xr.Dataset:
    """One k: the fit, its criteria, restart stability and member envelopes, as the contents of ``fits/k{k}.nc``.

    ``inputs``: from :func:`fit_inputs`, made once for all the k of a job (the silhouette's distances among them).
    """
    from .criteria import coassignment, restart_fits, stability_scores, validity_criteria
    from .envelopes import cluster_quantiles, cluster_statistics

    inputs = fit_inputs(profiles_ds, fit_params, criteria) if inputs is None else inputs
    model = profiles_ds.attrs.get("model", "")
    X, depth, weight, fit_mask = inputs.profiles, inputs.depth, inputs.depth_weight, inputs.fit_mask
    if fit_params["metric"] != "euclidean" and not np.allclose(weight, 1.0):
        log.warning(
            "model %s: depth weights scale the values before %s, which also warps along depth; "
            "`depth_weighting: resample` is the natural choice for %s",
            model,
            fit_params["metric"],
            fit_params["metric"],
        )
    result = fit_kmeans(
        X,
        depth,
        k,
        **fit_params,
        depth_weight=weight,
        fit_mask=fit_mask,
        sample_weight=inputs.sample_weight,
        order_values=inputs.order_values,
        with_margin=True,
    )
    sizes = sorted(int((result.labels == c).sum()) for c in range(k))
    log.info(
        "model %s k=%d: %s fit, inertia %.6g after %d iterations on %d of %d profiles (%s); cluster sizes %s",
        model,
        k,
        fit_params.get("engine", "tslearn"),
        result.inertia,
        result.n_iter,
        int(fit_mask.sum()),
        X.shape[0],
        inputs.weighting,
        sizes,
    )
    # Criteria and stability judge the fit where it was made: fitted profiles, depth-weighted distances, cell areas.
    scale = np.sqrt(weight)
    fitted_weight = None if inputs.sample_weight is None else inputs.sample_weight[fit_mask]
    scores = validity_criteria(
        X[fit_mask] * scale, result.labels[fit_mask], result.centers * scale, inputs.silhouette, fitted_weight
    )
    # Restarts are fitted on a subsample of the fitted profiles and then assign every profile: stability and
    # per-point co-assignment from the same fits.
    chosen, restarts = restart_fits(
        X * scale,
        depth,
        k,
        fit_params,
        stability["restarts"],
        stability["subsample"],
        stability["random_state"],
        candidates=fit_mask,
        sample_weight=inputs.sample_weight,
    )
    scores.update(stability_scores(result.labels, chosen, restarts))
    agreement = coassignment(result.labels, [r.labels for r in restarts], k)
    log.info(
        "model %s k=%d: %s; margin median %.3g%s",
        model,
        k,
        ", ".join(f"{n} {v:.4g}" for n, v in scores.items()),
        float(np.median(result.margin)),
        "" if agreement is None else f", co-assignment median {float(np.median(agreement)):.3g}",
    )
    _, std, _ = cluster_statistics(X, result.labels, k)
    envelopes = {"std": std, "quantiles": cluster_quantiles(X, result.labels, k)}
    return fit_dataset(
        result,
        profiles_ds,
        k,
        fit_params,
        scores,
        agreement,
        fit_mask=fit_mask,
        weighting=inputs.weighting,
        envelopes=envelopes,
    )

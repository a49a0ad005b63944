"""One k-means fit of the depth profiles with tslearn's TimeSeriesKMeans."""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import xarray as xr

METRICS = ("euclidean", "dtw", "softdtw")


@dataclass(frozen=True)
class FitResult:
    labels: np.ndarray  # (n_profiles,) int, ordered slowest category first
    centers: np.ndarray  # (k, n_depth)
    inertia: float
    n_iter: int
    depth_mean_of_centers: np.ndarray  # (k,) the ordering key


def depth_average(values: np.ndarray, depth: np.ndarray) -> np.ndarray:
    """Thickness-weighted mean over the last axis (trapezoid rule), so irregular
    depth sampling does not bias the average toward densely sampled depths."""
    depth = np.asarray(depth, dtype=float)
    span = depth[-1] - depth[0]
    if span <= 0:
        return np.mean(values, axis=-1)
    return np.trapezoid(values, depth, axis=-1) / span


def order_by_velocity(labels: np.ndarray, centers: np.ndarray, depth: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Renumber categories so 0 is the slowest centre (lowest depth-averaged value).

    The same rule at every k makes colours comparable from one k to the next.
    """
    key = depth_average(centers, depth)
    order = np.argsort(key, kind="stable")
    new_id = np.empty_like(order)
    new_id[order] = np.arange(order.size)
    return new_id[labels], centers[order], key[order]


def fit_kmeans(
    profiles: np.ndarray,
    depth: np.ndarray,
    k: int,
    metric: str = "euclidean",
    max_iter: int = 50,
    n_init: int = 1,
    random_state: int = 0,
    metric_params: dict | None = None,
) -> FitResult:
    """Fit TimeSeriesKMeans with a fixed seed; categories ordered slowest first."""
    if metric not in METRICS:
        raise ValueError(f"fit.metric '{metric}' is not one of {METRICS}")
    n_profiles = profiles.shape[0]
    if not 2 <= k <= n_profiles:
        raise ValueError(f"k={k} must be between 2 and the number of profiles ({n_profiles})")
    with warnings.catch_warnings():
        # tslearn warns at import when h5py (only for its own model files) is absent.
        warnings.simplefilter("ignore", UserWarning)
        from tslearn.clustering import TimeSeriesKMeans

    model = TimeSeriesKMeans(
        n_clusters=k,
        metric=metric,
        max_iter=max_iter,
        n_init=n_init,
        random_state=random_state,
        metric_params=metric_params or None,
    )
    series = np.ascontiguousarray(profiles, dtype=np.float64)[:, :, np.newaxis]
    model.fit(series)
    labels, centers, key = order_by_velocity(np.asarray(model.labels_), model.cluster_centers_[:, :, 0], depth)
    return FitResult(
        labels=labels.astype(np.int32),
        centers=centers,
        inertia=float(model.inertia_),
        n_iter=int(model.n_iter_),
        depth_mean_of_centers=key,
    )


CRITERIA_DESCRIPTIONS = {
    "distortion": "mean euclidean distance of a profile to its centre",
    "silhouette": "mean silhouette coefficient (scikit-learn) on a fixed-seed subsample",
    "calinski_harabasz": "Calinski-Harabasz index (scikit-learn)",
    "davies_bouldin": "Davies-Bouldin index (scikit-learn)",
    "stability_ari_mean": "mean pairwise adjusted Rand index between the fit and its restarts on a subsample",
    "stability_ari_min": "smallest pairwise adjusted Rand index between the fit and its restarts",
    "stability_inertia_spread": "(max - min) / min of the restarts' inertia",
}


def fit_dataset(result: FitResult, profiles_ds: xr.Dataset, k: int, params: dict, scores: dict | None = None) -> xr.Dataset:
    """The self-describing contents of ``fits/k{k}.nc``; ``scores`` adds per-k criteria."""
    value_attrs = {a: v for a, v in profiles_ds["profiles"].attrs.items() if a in ("units", "long_name", "display_name")}
    k_ids = np.arange(k, dtype=np.int32)
    ds = xr.Dataset(
        data_vars={
            "labels": (
                ("profile",),
                result.labels,
                {
                    "long_name": "cluster category of each profile",
                    "flag_values": k_ids,
                    "comment": "0 is the slowest centre (lowest thickness-weighted depth average), k-1 the fastest",
                },
            ),
            "centers": (("cluster", "depth"), result.centers, {**value_attrs, "long_name": "cluster centre profile"}),
            "center_depth_mean": (("cluster",), result.depth_mean_of_centers, {**value_attrs, "long_name": "thickness-weighted depth average of the centre (ordering key)"}),
            "cluster_size": (("cluster",), np.bincount(result.labels, minlength=k).astype(np.int64), {"long_name": "number of profiles in the cluster"}),
            "inertia": ((), result.inertia, {"long_name": "mean squared distance of profiles to their centre (tslearn inertia_)"}),
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
            "title": f"TimeSeriesKMeans fit of model {profiles_ds.attrs.get('model', '?')} at k={k}",
            "model": profiles_ds.attrs.get("model", ""),
            "Conventions": "CF-1.8",
            **{f"fit_{name}": str(value) for name, value in params.items()},
        },
    )
    for name, value in (scores or {}).items():
        ds[name] = ((), float(value), {"long_name": CRITERIA_DESCRIPTIONS.get(name, name)})
    return ds

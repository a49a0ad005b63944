"""How good is a k? Internal validity criteria and restart stability, per k.

Computed in the per-k fit job, so they run in parallel with the fits.
The criteria are scikit-learn's definitions on the profiles the fit
used (the equal-area subset, or every profile weighted by its cell area) as
vectors, euclidean with the fit's depth weights, whatever metric the fit used:
the silhouette estimated on a fixed-seed subsample (O(s²) instead of O(n²)),
Calinski-Harabasz and Davies-Bouldin exactly, from the members' means, and the
"distortion" of the SageMaker k-means write-up: the mean distance of a profile
to its centre.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

# Which way each criterion points, for "preferred k".
BEST = {"silhouette": "max", "calinski_harabasz": "max", "davies_bouldin": "min"}


@dataclass(frozen=True)
class SilhouetteSample:
    """The fixed-seed subsample the silhouette is estimated on, and its pairwise euclidean distances.

    Drawn once per fit job and shared by every k of the job: the distances do not depend on k.
    """

    index: np.ndarray
    distances: np.ndarray


def silhouette_sample(
    profiles: np.ndarray, size: int, seed: int = 0, weights: np.ndarray | None = None
) -> SilhouetteSample:
    """Unweighted: the subsample ``silhouette_score(sample_size=size, random_state=seed)`` draws, so the estimate is
    scikit-learn's. With ``weights`` (cell areas) profiles are drawn in proportion to them: an equal-area sample."""
    from sklearn.metrics import pairwise_distances

    X = np.asarray(profiles, dtype=np.float64)
    size = min(int(size), X.shape[0])
    if weights is None:
        index = np.random.RandomState(seed).permutation(X.shape[0])[:size]
    else:
        p = np.asarray(weights, dtype=np.float64)
        index = np.random.default_rng(seed).choice(X.shape[0], size=size, replace=False, p=p / p.sum())
    return SilhouetteSample(index=index, distances=pairwise_distances(X[index]))


def validity_criteria(
    profiles: np.ndarray,
    labels: np.ndarray,
    centers: np.ndarray,
    sample: SilhouetteSample,
    weights: np.ndarray | None = None,
) -> dict[str, float]:
    """Distortion, Calinski-Harabasz and Davies-Bouldin on every fitted profile, the silhouette on ``sample``.

    Calinski-Harabasz and Davies-Bouldin follow scikit-learn's definitions (means of the members, euclidean), computed
    from the members' means in one pass instead of scikit-learn's per-cluster passes; ``weights`` count a profile by
    its weight (cell area), as if it were repeated. The silhouette needs the pairwise distances of its subsample.
    """
    from scipy.sparse import coo_matrix
    from sklearn.metrics import silhouette_score

    X = np.asarray(profiles, dtype=np.float64)
    w = np.ones(X.shape[0]) if weights is None else np.asarray(weights, dtype=np.float64)
    distortion = float(np.average(np.linalg.norm(X - centers[labels], axis=1), weights=w))
    present, labels_present = np.unique(labels, return_inverse=True)
    n_clusters = present.size
    nan = {"silhouette": np.nan, "calinski_harabasz": np.nan, "davies_bouldin": np.nan}
    if n_clusters < 2 or n_clusters >= X.shape[0]:
        return {"distortion": distortion, **nan}
    members = coo_matrix((w, (labels_present, np.arange(X.shape[0]))), shape=(n_clusters, X.shape[0])).tocsr()
    cluster_weight = np.asarray(members.sum(axis=1)).ravel()
    means = (members @ X) / cluster_weight[:, None]
    overall = (cluster_weight @ means) / cluster_weight.sum()
    residual = np.linalg.norm(X - means[labels_present], axis=1)
    extra = float(cluster_weight @ ((means - overall) ** 2).sum(axis=1))
    intra = float(w @ residual**2)
    n_total = float(w.sum())
    calinski_harabasz = 1.0 if intra == 0 else extra * (n_total - n_clusters) / (intra * (n_clusters - 1.0))
    spread = (members @ residual) / cluster_weight
    between = np.linalg.norm(means[:, None, :] - means[None, :, :], axis=-1)
    if np.allclose(spread, 0) or np.allclose(between, 0):
        davies_bouldin = 0.0
    else:
        between[between == 0] = np.inf
        davies_bouldin = float(np.mean(np.max((spread[:, None] + spread[None, :]) / between, axis=1)))
    sample_labels = labels[sample.index]
    n_sampled = np.unique(sample_labels).size
    silhouette = (
        float(silhouette_score(sample.distances, sample_labels, metric="precomputed"))
        if 2 <= n_sampled < sample_labels.size
        else np.nan
    )
    return {
        "distortion": distortion,
        "silhouette": silhouette,
        "calinski_harabasz": float(calinski_harabasz),
        "davies_bouldin": davies_bouldin,
    }


def restart_fits(
    profiles: np.ndarray,
    depth: np.ndarray,
    k: int,
    fit_params: dict,
    restarts: int,
    subsample: int,
    seed: int = 0,
    candidates: np.ndarray | None = None,
    sample_weight: np.ndarray | None = None,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """``restarts`` extra fits with seeds random_state+1.. on one fixed-seed subsample of ``subsample`` profiles
    (drawn among ``candidates``, a mask, when given; weighted by ``sample_weight`` as the fit is); each restart then
    assigns every profile to its nearest centre.
    Returns the subsample's indices and each restart's labels of all profiles."""
    from .fit import fit_kmeans

    pool = np.arange(profiles.shape[0]) if candidates is None else np.flatnonzero(candidates)
    if restarts <= 0:
        return np.array([], dtype=int), []
    rng = np.random.default_rng(seed)
    chosen = np.sort(pool[rng.choice(pool.size, size=min(int(subsample), pool.size), replace=False)])
    if chosen.size <= k:
        return chosen, []
    in_subsample = np.zeros(profiles.shape[0], dtype=bool)
    in_subsample[chosen] = True
    base_seed = int(fit_params.get("random_state", 0))
    labelings = [
        fit_kmeans(
            profiles,
            depth,
            k,
            **{**fit_params, "random_state": base_seed + restart},
            fit_mask=in_subsample,
            sample_weight=sample_weight,
        )
        for restart in range(1, restarts + 1)
    ]
    return chosen, labelings


def stability_scores(labels: np.ndarray, chosen: np.ndarray, restarts: list) -> dict[str, float]:
    """Mean and minimum pairwise adjusted Rand index of the fit and its restarts on the subsample, and the relative
    spread of the restarts' inertia ((max - min) / min)."""
    from sklearn.metrics import adjusted_rand_score

    if not restarts:
        return {}
    labelings = [labels[chosen]] + [result.labels[chosen] for result in restarts]
    aris = [adjusted_rand_score(a, b) for a, b in itertools.combinations(labelings, 2)]
    inertias = np.asarray([result.inertia for result in restarts])
    return {
        "stability_ari_mean": float(np.mean(aris)),
        "stability_ari_min": float(np.min(aris)),
        "stability_inertia_spread": float((inertias.max() - inertias.min()) / inertias.min())
        if inertias.min() > 0
        else 0.0,
    }


def coassignment(labels: np.ndarray, restart_labels: list[np.ndarray], k: int) -> np.ndarray | None:
    """Per profile, the share of restarts that put it with the same neighbours as the reported fit.

    Each restart's categories are matched to the fit's by the assignment that keeps the most profiles together
    (tomoclust.lineage.match_categories); a profile agrees when its matched category is its own. None without restarts.
    """
    from .lineage import match_categories

    if not restart_labels:
        return None
    agree = np.zeros(labels.size, dtype=np.float64)
    for other in restart_labels:
        agree += match_categories(labels, other, k)[other] == labels
    return (agree / len(restart_labels)).astype(np.float32)


def nearest_center_margin(distances: np.ndarray) -> np.ndarray:
    """(d2 - d1) / (d2 + d1) of each profile's nearest (d1) and second-nearest (d2) centre: 0 on the boundary
    between two centres, 1 on a centre."""
    two = np.partition(np.asarray(distances, dtype=np.float64), 1, axis=1)[:, :2]
    total = two.sum(axis=1)
    return np.where(total > 0, (two[:, 1] - two[:, 0]) / np.where(total > 0, total, 1.0), 1.0).astype(np.float32)


def preferred_k(table) -> dict[str, int | None]:
    """The k each criterion prefers (argmax / argmin over the table's k)."""
    preferred = {}
    for column, direction in BEST.items():
        if column in table and table[column].notna().any():
            series = table.set_index("k")[column].dropna()
            preferred[column] = int(series.idxmax() if direction == "max" else series.idxmin())
    return preferred

"""How good is a k? Internal validity criteria and restart stability, per k.

Computed in the per-k fit job, so they run in parallel with the fits.
The criteria are scikit-learn's implementations on the profiles the fit
used (the equal-area subset when area weighting is on) as vectors, euclidean
with the fit's depth weights, whatever metric the fit used:
silhouette on a fixed-seed subsample (O(n·s) instead of O(n²)),
Calinski-Harabasz, Davies-Bouldin, and the "distortion" of the SageMaker
k-means write-up: the mean distance of a profile to its centre.
"""
from __future__ import annotations

import itertools

import numpy as np

# Which way each criterion points, for "preferred k".
BEST = {"silhouette": "max", "calinski_harabasz": "max", "davies_bouldin": "min"}


def validity_criteria(profiles: np.ndarray, labels: np.ndarray, centers: np.ndarray,
                      silhouette_sample: int = 3000, seed: int = 0) -> dict[str, float]:
    from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score

    X = np.asarray(profiles, dtype=np.float64)
    distortion = float(np.linalg.norm(X - centers[labels], axis=1).mean())
    n_clusters = np.unique(labels).size
    if n_clusters < 2 or n_clusters >= X.shape[0]:
        return {"distortion": distortion, "silhouette": np.nan, "calinski_harabasz": np.nan, "davies_bouldin": np.nan}
    sample = min(int(silhouette_sample), X.shape[0])
    return {
        "distortion": distortion,
        "silhouette": float(silhouette_score(X, labels, sample_size=sample, random_state=seed)),
        "calinski_harabasz": float(calinski_harabasz_score(X, labels)),
        "davies_bouldin": float(davies_bouldin_score(X, labels)),
    }


def restart_fits(profiles: np.ndarray, depth: np.ndarray, k: int, fit_params: dict, restarts: int, subsample: int,
                 seed: int = 0, candidates: np.ndarray | None = None) -> tuple[np.ndarray, list[np.ndarray]]:
    """``restarts`` extra fits with seeds random_state+1.. on one fixed-seed subsample of ``subsample`` profiles
    (drawn among ``candidates``, a mask, when given); each restart then assigns every profile to its nearest centre.
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
    labelings = [fit_kmeans(profiles, depth, k, **{**fit_params, "random_state": base_seed + restart},
                            fit_mask=in_subsample) for restart in range(1, restarts + 1)]
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
        "stability_inertia_spread": float((inertias.max() - inertias.min()) / inertias.min()) if inertias.min() > 0 else 0.0,
    }


def restart_stability(profiles: np.ndarray, depth: np.ndarray, labels: np.ndarray, k: int, fit_params: dict,
                      restarts: int, subsample: int, seed: int = 0) -> dict[str, float]:
    """Would another random start give the same categories? (restart_fits, then stability_scores)

    The reported fit (restricted to the subsample) is compared with the restarts; it is not changed.
    """
    chosen, fits = restart_fits(profiles, depth, k, fit_params, restarts, subsample, seed)
    return stability_scores(labels, chosen, fits)


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


def nearest_centre_margin(distances: np.ndarray) -> np.ndarray:
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

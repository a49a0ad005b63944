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


def restart_stability(profiles: np.ndarray, depth: np.ndarray, labels: np.ndarray, k: int, fit_params: dict,
                      restarts: int, subsample: int, seed: int = 0) -> dict[str, float]:
    """Would another random start give the same categories?

    ``restarts`` extra fits with seeds random_state+1.. on one fixed-seed
    subsample of ``subsample`` profiles; the reported fit (restricted to the
    subsample) is compared with them. Returns the mean and minimum pairwise
    adjusted Rand index and the relative spread of the restarts' inertia
    ((max - min) / min). The reported fit itself is not changed.
    """
    from sklearn.metrics import adjusted_rand_score

    from .fit import fit_kmeans

    if restarts <= 0:
        return {}
    rng = np.random.default_rng(seed)
    n = profiles.shape[0]
    chosen = np.sort(rng.choice(n, size=min(int(subsample), n), replace=False))
    if chosen.size <= k:
        return {}
    base_seed = int(fit_params.get("random_state", 0))
    labelings, inertias = [labels[chosen]], []
    for restart in range(1, restarts + 1):
        params = {**fit_params, "random_state": base_seed + restart}
        result = fit_kmeans(profiles[chosen], depth, k, **params)
        labelings.append(result.labels)
        inertias.append(result.inertia)
    aris = [adjusted_rand_score(a, b) for a, b in itertools.combinations(labelings, 2)]
    inertias = np.asarray(inertias)
    return {
        "stability_ari_mean": float(np.mean(aris)),
        "stability_ari_min": float(np.min(aris)),
        "stability_inertia_spread": float((inertias.max() - inertias.min()) / inertias.min()) if inertias.min() > 0 else 0.0,
    }


def preferred_k(table) -> dict[str, int | None]:
    """The k each criterion prefers (argmax / argmin over the table's k)."""
    preferred = {}
    for column, direction in BEST.items():
        if column in table and table[column].notna().any():
            series = table.set_index("k")[column].dropna()
            preferred[column] = int(series.idxmax() if direction == "max" else series.idxmin())
    return preferred

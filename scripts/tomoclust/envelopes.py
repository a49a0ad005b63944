"""What the members of each category look like at every depth: mean, standard deviation and quantiles.

Computed once per k in the fit job, where the labels are made, and stored in ``fits/k{k}.nc``; the profile
figures and the manuscript panel only draw them.
"""

from __future__ import annotations

import numpy as np

QUANTILES = (0.05, 0.25, 0.75, 0.95)


def cluster_statistics(profiles: np.ndarray, labels: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, std, size) of each cluster's member profiles."""
    from scipy.sparse import csr_matrix

    profiles = np.asarray(profiles, dtype=np.float64)
    members = csr_matrix((np.ones(labels.size), (labels, np.arange(labels.size))), shape=(k, labels.size))
    sizes = np.bincount(labels, minlength=k)
    mean = (members @ profiles) / np.maximum(sizes, 1)[:, None]
    std = np.sqrt((members @ (profiles - mean[labels]) ** 2) / np.maximum(sizes, 1)[:, None])
    return mean, std, sizes


def cluster_quantiles(profiles: np.ndarray, labels: np.ndarray, k: int, quantiles=QUANTILES) -> np.ndarray:
    """(k, len(quantiles), n_depth): the quantiles of each cluster's members at every depth (NaN for an empty one)."""
    result = np.full((k, len(quantiles), profiles.shape[1]), np.nan)
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(k + 1))
    for c in range(k):
        # Depth by depth along contiguous rows: the same numbers as along the columns, in less time on many members.
        members = np.ascontiguousarray(profiles[order[bounds[c] : bounds[c + 1]]].T)
        if members.shape[1]:
            result[c] = np.quantile(members, quantiles, axis=1)
    return result

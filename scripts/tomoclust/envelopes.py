"""What the members of each category look like at every depth: mean, standard deviation and quantiles.

Computed once per k in the fit job, where the labels are made, and stored in ``fits/k{k}.nc``; the profile
figures and the manuscript panel only draw them.
"""
from __future__ import annotations

import numpy as np

QUANTILES = (0.05, 0.25, 0.75, 0.95)


def cluster_statistics(profiles: np.ndarray, labels: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, std, size) of each cluster's member profiles."""
    sizes = np.bincount(labels, minlength=k)
    sums = np.zeros((k, profiles.shape[1]))
    np.add.at(sums, labels, profiles)
    mean = sums / np.maximum(sizes, 1)[:, None]
    sq = np.zeros_like(sums)
    np.add.at(sq, labels, (profiles - mean[labels]) ** 2)
    std = np.sqrt(sq / np.maximum(sizes, 1)[:, None])
    return mean, std, sizes


def cluster_quantiles(profiles: np.ndarray, labels: np.ndarray, k: int, quantiles=QUANTILES) -> np.ndarray:
    """(k, len(quantiles), n_depth): the quantiles of each cluster's members at every depth (NaN for an empty one)."""
    result = np.full((k, len(quantiles), profiles.shape[1]), np.nan)
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(k + 1))
    for c in range(k):
        members = profiles[order[bounds[c]:bounds[c + 1]]]
        if members.shape[0]:
            result[c] = np.quantile(members, quantiles, axis=0)
    return result

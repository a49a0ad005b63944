"""Cluster profile figures: members faint, centre bold, ±1σ envelope, depth down."""
from __future__ import annotations

import math

import numpy as np

from .maps import category_colors
from .plotting import plt

MAX_MEMBERS_DRAWN = 150


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


def draw_cluster_profiles(axes, profiles, labels, centers, depth, k, units, seed: int = 0, colors=None, area_percent=None):
    """One panel per category on the given axes (at least k of them); titles give the count and share of the area."""
    colors = category_colors(k) if colors is None else colors
    _, std, sizes = cluster_statistics(profiles, labels, k)
    if area_percent is None:
        area_percent = 100.0 * sizes / max(int(sizes.sum()), 1)
    rng = np.random.default_rng(seed)
    spans_zero = np.nanmin(profiles) < 0.0 < np.nanmax(profiles)
    for c in range(k):
        ax = axes[c]
        members = np.flatnonzero(labels == c)
        if members.size > MAX_MEMBERS_DRAWN:
            members = np.sort(rng.choice(members, MAX_MEMBERS_DRAWN, replace=False))
        if members.size:
            ax.plot(profiles[members].T, depth, color=colors[c], alpha=0.12, lw=0.4, rasterized=True)
        ax.fill_betweenx(depth, centers[c] - std[c], centers[c] + std[c], color=colors[c], alpha=0.35, lw=0, label="±1σ")
        ax.plot(centers[c], depth, color="k", lw=2.2)
        ax.plot(centers[c], depth, color=colors[c], lw=1.4, label="centre")
        if spans_zero:
            ax.axvline(0.0, color="0.5", lw=0.5, ls=":")
        ax.set_title(f"{c}: n = {sizes[c]}\n{area_percent[c]:.0f}% of the area", fontsize=8, color="k")
        ax.grid(alpha=0.25, lw=0.4)
    axes[0].set_ylim(depth.max(), depth.min())  # depth increases downward
    return sizes


def plot_cluster_profiles(profiles, labels, centers, depth, k, units, title, max_columns: int = 6, colors=None, area_percent=None):
    n_cols = min(k, max_columns)
    n_rows = math.ceil(k / n_cols)
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(1.35 * n_cols + 0.8, 2.3 * n_rows + 0.6), sharex=True, sharey=True, squeeze=False)
    flat = axes.ravel()
    draw_cluster_profiles(flat, profiles, labels, centers, depth, k, units, colors=colors, area_percent=area_percent)
    for ax in flat[k:]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel("depth (km)")
    for ax in axes[-1, :]:
        ax.set_xlabel(units)
    for c in range(k, n_rows * n_cols):  # bottom row may be partly hidden: label the last visible row too
        above = c - n_cols
        if 0 <= above < k:
            flat[above].xaxis.set_tick_params(labelbottom=True)
            flat[above].set_xlabel(units)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig

"""The figure of a classification (tomoclust.classify): each target's agreement with its own fit."""

from __future__ import annotations

import numpy as np

from .plotting import plt


def plot_classification_agreement(table, title: str):
    """ARI and share of the area agreeing with each target's own fit, one pair of bars per target."""
    fig, ax = plt.subplots(figsize=(4.8, 1.9 + 0.55 * max(len(table), 1)))
    y = np.arange(len(table))
    bars = [
        (table["ari_with_own_fit"].to_numpy(), -0.18, "0.35", "adjusted Rand index"),
        (
            table["agreement_area_percent"].to_numpy() / 100.0,
            0.18,
            "#4575b4",
            "share of the area, own categories matched",
        ),
    ]
    for values, offset, color, label in bars:
        ax.barh(y + offset, values, height=0.34, color=color, label=label)
        for row, value in zip(y, values):
            ax.text(min(value, 0.97) + 0.01, row + offset, f"{value:.2f}", va="center", fontsize=7)
    ax.set_yticks(y, table["target"])
    ax.set_xlim(0, 1.08)
    ax.invert_yaxis()
    ax.set_xlabel("agreement with the target's own fit at the same k")
    ax.legend(frameon=False, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.45), ncol=1)
    ax.grid(axis="x", alpha=0.3, lw=0.4)
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return fig

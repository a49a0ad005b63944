"""The colours of categories, computed here only: red (slow) - yellow - blue (fast).

Imports matplotlib's colour maps, not pyplot, so a job that only assigns
colours (gathering categories.csv) starts fast.
"""
from __future__ import annotations

import numpy as np


def palette_colors(positions) -> np.ndarray:
    """RGBA on the red (slow, 0) - yellow - blue (fast, 1) palette."""
    from matplotlib import colormaps

    return colormaps["RdYlBu"](0.04 + 0.92 * np.asarray(positions, dtype=float))


def category_colors(k: int) -> np.ndarray:
    """RGBA of each category id by rank, slow (red) to fast (blue).

    Ids are ordered slowest first at every k, so k = 3 reads red / yellow / blue
    (slow / neutral / fast). tomoclust.lineage refines this so that a category
    persisting from k-1 keeps its colour.
    """
    return palette_colors(np.linspace(0.0, 1.0, k) if k > 1 else [0.5])

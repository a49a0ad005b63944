"""Colours, computed here only: the categories' red (slow) - yellow - blue (fast), the vote counts' yellow - red.

The ColorBrewer ramps (Brewer & Harrower, colorbrewer2.org) are sampled here as matplotlib samples its colour
maps of the same names (a 256-entry table, linear between the ramp's colours), to the same numbers, with no
matplotlib: a job that only assigns colours (gathering categories.csv) needs numpy alone, and every figure takes
its colours from here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .lineage import lineage_positions, rank_positions

# The ramps' colours (RGB in 0..1), evenly spaced from position 0 to 1, as matplotlib's _cm module holds them.
RAMPS = {
    "RdYlBu": (
        (0.6470588235294118, 0.0, 0.14901960784313725),
        (0.8431372549019608, 0.18823529411764706, 0.15294117647058825),
        (0.9568627450980393, 0.42745098039215684, 0.2627450980392157),
        (0.9921568627450981, 0.6823529411764706, 0.3803921568627451),
        (0.996078431372549, 0.8784313725490196, 0.5647058823529412),
        (1.0, 1.0, 0.7490196078431373),
        (0.8784313725490196, 0.9529411764705882, 0.9725490196078431),
        (0.6705882352941176, 0.8509803921568627, 0.9137254901960784),
        (0.4549019607843137, 0.6784313725490196, 0.8196078431372549),
        (0.27058823529411763, 0.4588235294117647, 0.7058823529411765),
        (0.19215686274509805, 0.21176470588235294, 0.5843137254901961),
    ),
    "YlOrRd": (
        (1.0, 1.0, 0.8),
        (1.0, 0.9294117647058824, 0.6274509803921569),
        (0.996078431372549, 0.8509803921568627, 0.4627450980392157),
        (0.996078431372549, 0.6980392156862745, 0.2980392156862745),
        (0.9921568627450981, 0.5529411764705883, 0.23529411764705882),
        (0.9882352941176471, 0.3058823529411765, 0.16470588235294117),
        (0.8901960784313725, 0.10196078431372549, 0.10980392156862745),
        (0.7411764705882353, 0.0, 0.14901960784313725),
        (0.5019607843137255, 0.0, 0.14901960784313725),
    ),
    "Greys": (
        (1.0, 1.0, 1.0),
        (0.9411764705882353, 0.9411764705882353, 0.9411764705882353),
        (0.8509803921568627, 0.8509803921568627, 0.8509803921568627),
        (0.7411764705882353, 0.7411764705882353, 0.7411764705882353),
        (0.5882352941176471, 0.5882352941176471, 0.5882352941176471),
        (0.45098039215686275, 0.45098039215686275, 0.45098039215686275),
        (0.3215686274509804, 0.3215686274509804, 0.3215686274509804),
        (0.1450980392156863, 0.1450980392156863, 0.1450980392156863),
        (0.0, 0.0, 0.0),
    ),
}
TABLE_SIZE = 256  # entries of a ramp's lookup table, as matplotlib's colour maps (rcParams image.lut)
_TABLES: dict[str, np.ndarray] = {}


def _table(name: str) -> np.ndarray:
    """(TABLE_SIZE, 4) RGBA of a ramp: matplotlib's LinearSegmentedColormap.from_list(name, colours, 256) table."""
    if name not in _TABLES:
        colors = np.asarray(RAMPS[name], dtype=float)
        x = np.linspace(0, 1, len(colors)) * (TABLE_SIZE - 1)
        xind = (TABLE_SIZE - 1) * np.linspace(0, 1, TABLE_SIZE)
        ind = np.searchsorted(x, xind)[1:-1]
        distance = (xind[1:-1] - x[ind - 1]) / (x[ind] - x[ind - 1])
        channels = [
            np.clip(np.concatenate([[y[0]], distance * (y[ind] - y[ind - 1]) + y[ind - 1], [y[-1]]]), 0.0, 1.0)
            for y in colors.T
        ]
        _TABLES[name] = np.column_stack([*channels, np.ones(TABLE_SIZE)])
    return _TABLES[name]


def ramp_colors(name: str, positions) -> np.ndarray:
    """RGBA at ``positions`` (0..1) along a ramp of RAMPS, as matplotlib's ``colormaps[name](positions)``."""
    index = np.asarray(positions, dtype=float) * TABLE_SIZE
    index = np.where(index == TABLE_SIZE, TABLE_SIZE - 1, index)  # position 1 is the last entry, not past it
    return _table(name)[np.clip(index, 0, TABLE_SIZE - 1).astype(int)]


def palette_colors(positions) -> np.ndarray:
    """RGBA on the red (slow, 0) - yellow - blue (fast, 1) palette."""
    return ramp_colors("RdYlBu", 0.04 + 0.92 * np.asarray(positions, dtype=float))


def category_colors(k: int) -> np.ndarray:
    """RGBA of each category id by rank, slow (red) to fast (blue).

    Ids are ordered slowest first at every k, so k = 3 reads red / yellow / blue
    (slow / neutral / fast). categories_table refines this (tomoclust.lineage)
    so that a category persisting from k-1 keeps its colour.
    """
    return palette_colors(rank_positions([k])[k])


def vote_colors(n_models: int) -> np.ndarray:
    """0 of n .. n of n votes: light yellow to dark red, the colours of every vote map (2-D and 3-D)."""
    return ramp_colors("YlOrRd", np.linspace(0.05, 0.95, n_models + 1))


def grey_colors(n: int, lightest: float = 0.15, darkest: float = 0.9) -> np.ndarray:
    """``n`` greys, light to dark (counts of agreeing models; the single models' curves of the 3-D vote)."""
    return ramp_colors("Greys", np.linspace(lightest, darkest, n))


def categories_table(fits: dict, scheme: str = "lineage") -> pd.DataFrame:
    """``categories.csv``: every category of every k with its size, area share, centre average and colour.

    The colours of every figure come from here (``scheme``: lineage or rank, tomoclust.lineage's positions).
    """
    labels = {k: fit["labels"].values for k, fit in fits.items()}
    positions = lineage_positions(labels) if scheme == "lineage" else rank_positions(labels)
    rows = []
    for k, fit in sorted(fits.items()):
        sizes, areas = fit["cluster_size"].values, fit["cluster_area_percent"].values
        means = fit["center_depth_mean"].values
        for category, (p, rgba) in enumerate(zip(positions[k], palette_colors(positions[k]))):
            rows.append(
                {
                    "k": k,
                    "category": category,
                    "size": int(sizes[category]),
                    "area_percent": float(areas[category]),
                    "center_depth_mean": float(means[category]),
                    "position": round(float(p), 6),
                    "color": to_hex(rgba),
                }
            )
    return pd.DataFrame(rows)


def color_source(settings: dict) -> str:
    """How a figure's colours were chosen, for its log (settings: rules/common.smk's COLOR_SETTINGS)."""
    return f"colours from categories.csv ({settings['scheme']}, lineage from k={settings['from_k']})"


def to_hex(rgba) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(int(round(255 * c)) for c in rgba[:3]))


def from_hex(colors) -> np.ndarray:
    """(n, 4) RGBA of ``#rrggbb`` colours (categories.csv's), as matplotlib's to_rgba_array reads them."""
    rgba = []
    for color in colors:
        text = str(color)
        if len(text) != 7 or text[0] != "#":
            raise ValueError(f"colour {color!r} is not #rrggbb")
        rgba.append([int(text[i : i + 2], 16) / 255 for i in (1, 3, 5)] + [1.0])
    return np.array(rgba, dtype=float).reshape(-1, 4)


def colors_of(categories: pd.DataFrame, k: int) -> np.ndarray:
    """RGBA of the categories of k, in category order, from ``categories.csv``."""
    rows = categories[categories["k"] == k].sort_values("category")
    if len(rows) != k:
        raise ValueError(f"categories.csv has {len(rows)} categories for k={k}, expected {k}")
    return from_hex(rows["color"].tolist())

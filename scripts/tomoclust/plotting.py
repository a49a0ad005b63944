"""Shared matplotlib set-up: a non-interactive backend, journal-friendly defaults,
and saving one figure as PNG and vector PDF with fonts embedded."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .io import atomic_path, k_of_path  # noqa: E402
from .units import display_units  # noqa: E402

STYLE = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "pdf.fonttype": 42,  # TrueType: fonts embedded and editable in the PDF
    "ps.fonttype": 42,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
plt.rcParams.update(STYLE)


def save_figure(
    fig,
    png_path: str | os.PathLike,
    pdf_path: str | os.PathLike | None = None,
    dpi: int = 200,
    close: bool = True,
    bbox_inches="tight",
    citation: str = "",
    title: str = "",
) -> None:
    """PNG (and vector PDF, fonts embedded) of a figure; ``close=False`` keeps a figure that is redrawn for the next k.

    ``citation`` (the model and whom to cite) and ``title`` go into the files' metadata (PDF Subject/Title, PNG text).
    """
    for path in (png_path, pdf_path):
        if path is None:
            continue
        # zlib level 3: PNGs a tenth larger than at the default 6, written in two thirds of the time.
        kwargs = {"dpi": dpi, "pil_kwargs": {"compress_level": 3}} if str(path).endswith(".png") else {}
        with atomic_path(path) as tmp:
            fig.savefig(
                tmp,
                format=str(path).rsplit(".", 1)[-1],
                metadata=_metadata(path, citation, title),
                bbox_inches=bbox_inches,
                **kwargs,
            )
    if close:
        plt.close(fig)


def figure_paths(paths) -> dict[int, tuple[str, str | None]]:
    """{k: (png, pdf or None)} of the per-k figures ``.../k{k}.png`` (and ``.pdf``) a job writes, by k."""
    by_k: dict[int, dict[str, str]] = {}
    for path in paths:
        by_k.setdefault(k_of_path(path, ("png", "pdf")), {})[Path(path).suffix[1:]] = str(path)
    return {k: (files["png"], files.get("pdf")) for k, files in sorted(by_k.items())}


def _metadata(path, citation: str = "", title: str = "") -> dict:
    if str(path).endswith(".pdf"):
        metadata = {"Creator": "tomography k-means workflow", "CreationDate": None}
        named = {"Title": title, "Subject": f"Model: {citation}" if citation else ""}
    else:
        metadata = {"Software": "tomography k-means workflow"}
        named = {"Title": title, "Source": citation}
    return {**metadata, **{key: value for key, value in named.items() if value}}


def plot_elbow(table, selection: dict, model: str, units: str = ""):
    """Inertia against k with the knee marked; returns the figure."""
    fig, ax = plt.subplots(figsize=(4.5, 3.2))
    ax.plot(table["k"], table["inertia"], "o-", color="0.2", ms=3.5, lw=1.2)
    knee = selection.get("knee")
    if knee is not None and (table["k"] == knee).any():
        y = float(table.loc[table["k"] == knee, "inertia"].iloc[0])
        ax.axvline(knee, color="tab:red", lw=0.9, ls="--")
        ax.plot([knee], [y], "o", color="tab:red", ms=6, zorder=3)
        ax.annotate(f"knee: k = {knee}", (knee, y), xytext=(8, 12), textcoords="offset points", color="tab:red")
    units = display_units(units)
    squared = f" [({units})²]" if units else ""
    ax.set_xlabel("number of clusters k")
    ax.set_ylabel(f"inertia (mean squared distance){squared}")
    ax.set_title(f"{model}:\ninertia against k", fontsize=10)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.grid(alpha=0.3, lw=0.5)
    return fig


K_SELECTION_PANELS = (
    ("inertia", "inertia", "inertia_knee"),
    ("distortion", "distortion", "distortion_knee"),
    ("silhouette", "silhouette ↑", "silhouette"),
    ("calinski_harabasz", "Calinski–Harabasz ↑", "calinski_harabasz"),
    ("davies_bouldin", "Davies–Bouldin ↓", "davies_bouldin"),
    ("stability_ari_mean", "restart stability (ARI) ↑", None),
)


def plot_k_selection(table, selection: dict, model: str):
    """Every criterion against k on a shared x axis, the knee and each preferred k marked."""
    panels = [p for p in K_SELECTION_PANELS if p[0] in table and table[p[0]].notna().any()]
    fig, axes = plt.subplots(len(panels), 1, figsize=(4.8, 1.35 * len(panels) + 0.6), sharex=True, squeeze=False)
    preferred = selection.get("preferred", {})
    knee = selection.get("knee")
    for ax, (column, label, preferred_key) in zip(axes[:, 0], panels):
        ax.plot(table["k"], table[column], "o-", color="0.25", ms=2.5, lw=1.0)
        if column == "stability_ari_mean" and "stability_ari_min" in table:
            ax.fill_between(
                table["k"], table["stability_ari_min"], table[column], color="0.6", alpha=0.3, lw=0, label="min–mean"
            )
            ax.set_ylim(top=1.02)
        if knee is not None:
            ax.axvline(knee, color="tab:red", lw=0.8, ls="--")
        best = preferred.get(preferred_key) if preferred_key else None
        if best is not None and (table["k"] == best).any():
            ax.plot(
                [best], [float(table.loc[table["k"] == best, column].iloc[0])], "s", color="tab:blue", ms=5, zorder=3
            )
            ax.annotate(
                f"k = {best}",
                (best, float(table.loc[table["k"] == best, column].iloc[0])),
                xytext=(5, 4),
                textcoords="offset points",
                color="tab:blue",
                fontsize=7,
            )
        ax.set_ylabel(label, fontsize=7)
        ax.grid(alpha=0.3, lw=0.5)
    axes[-1, 0].set_xlabel("number of clusters k")
    axes[-1, 0].xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    axes[0, 0].set_title(f"{model}: criteria against k (knee dashed, preferred k ■)")
    fig.align_ylabels(axes[:, 0])
    return fig

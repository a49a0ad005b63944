"""Shared matplotlib set-up: a non-interactive backend, journal-friendly defaults,
and saving one figure as PNG and vector PDF with fonts embedded."""
from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .provenance import atomic_path  # noqa: E402

STYLE = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "savefig.bbox": "tight",
    "pdf.fonttype": 42,  # TrueType: fonts embedded and editable in the PDF
    "ps.fonttype": 42,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
plt.rcParams.update(STYLE)


UNIT_LABELS = {"percent": "%", "%": "%", "kmps": "km/s", "km/s": "km/s", "km s-1": "km/s", "m/s": "m/s"}


def display_units(units: str) -> str:
    """Readable label for a file's ``units`` attribute ('percent' -> '%', 'kmps' -> 'km/s')."""
    return UNIT_LABELS.get(str(units).strip().lower(), str(units).strip())


def save_figure(fig, png_path: str | os.PathLike, pdf_path: str | os.PathLike | None = None, dpi: int = 200) -> None:
    for path, kwargs in ((png_path, {"dpi": dpi}), (pdf_path, {})):
        if path is None:
            continue
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format=str(path).rsplit(".", 1)[-1], metadata=_metadata(path), **kwargs)
    plt.close(fig)


def _metadata(path) -> dict:
    if str(path).endswith(".pdf"):
        return {"Creator": "tomography k-means workflow", "CreationDate": None}
    return {"Software": "tomography k-means workflow"}


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
    ax.set_title(f"{model}: inertia against k")
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.grid(alpha=0.3, lw=0.5)
    return fig

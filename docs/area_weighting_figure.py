"""README figure: SEMum's upper mantle clustered with and without area weighting, side by side.

Reads the outputs of ``snakemake --cores all --configfile examples/global_mantle.yaml``
(results/SEMum_um and results/SEMum_um_unweighted) and writes
docs/figures/semum_area_weighting.png:

    .venv/bin/python docs/area_weighting_figure.py [k]
"""

import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "scripts"))

from tomoclust.colors import category_colors  # noqa: E402
from tomoclust.grid import labels_on_grid  # noqa: E402
from tomoclust.io import read_dataset  # noqa: E402
from tomoclust.maps import MapStyle, add_category_colorbar, category_labels, draw_category_map  # noqa: E402
from tomoclust.plotting import plt, save_figure  # noqa: E402


def main(k: int = 5) -> None:
    import cartopy.crs as ccrs

    style = MapStyle.from_config({})
    fig = plt.figure(figsize=(7.0, 7.6))
    runs = (
        ("SEMum_um", "area-weighted (equal-area fit, the default for a global model)"),
        ("SEMum_um_unweighted", "unweighted (every 2° cell counts once)"),
    )
    for row, (model, how) in enumerate(runs):
        results = PROJECT / "results" / model
        profiles, fit = read_dataset(results / "profiles.nc"), read_dataset(results / "fits" / f"k{k}.nc")
        grid = labels_on_grid(profiles, fit["labels"].values)
        ax = fig.add_subplot(2, 1, row + 1, projection=ccrs.Robinson())
        mesh = draw_category_map(
            ax, profiles["latitude"].values, profiles["longitude"].values, grid, k, style, category_colors(k)
        )
        add_category_colorbar(
            fig,
            mesh,
            ax,
            k,
            category_labels(fit["center_depth_mean"].values, fit["cluster_area_percent"].values, "km/s"),
        )
        ax.set_title(f"SEMum 80–350 km, demean, k = {k}\n{how}", fontsize=9)
    out = PROJECT / "docs" / "figures" / "semum_area_weighting.png"
    fig.subplots_adjust(left=0.03, right=0.86, top=0.94, bottom=0.03, hspace=0.25)
    save_figure(fig, out, dpi=110)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))

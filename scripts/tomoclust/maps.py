"""Geographic category maps with cartopy, working with no network.

cartopy downloads Natural Earth data the first time a feature is drawn; on
an offline machine that fails. The project ships the basemap it draws
(resources/basemap, see SOURCES.md there): Natural Earth coastlines, lakes
and land borders at 1:110m and 1:50m, and US state lines. A feature is drawn
only when its shapefile is on disk; otherwise the map is drawn without it and
the log says so once.
"""
from __future__ import annotations

import logging
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap

from .colors import category_colors
from .plotting import plt
from .preprocess import cell_edges

log = logging.getLogger(__name__)

# The basemap in the repository: a cartopy data directory (shapefiles/natural_earth/...) plus named overlays.
SHIPPED_BASEMAP = Path(__file__).resolve().parents[2] / "resources" / "basemap"
SHIPPED_OVERLAYS = {"us_states": SHIPPED_BASEMAP / "us_census" / "us_state_lines_cb2017.shp"}
NATURAL_EARTH = {
    "coastline": ("physical", "coastline"),
    "lakes": ("physical", "lakes"),
    "borders": ("cultural", "admin_0_boundary_lines_land"),
}
BASEMAP_LINES = {
    "coastline": {"lw": 0.6, "edgecolor": "0.15"},
    "lakes": {"lw": 0.4, "edgecolor": "0.15"},
    "borders": {"lw": 0.4, "edgecolor": "0.35"},
}
# Wider than this (degrees of longitude), 1:50m lines are finer than the map shows: 1:110m instead.
REGIONAL_MAX_LON_SPAN = 100.0
# An overlay whose bounding box covers less of a map's extent than this is left off that map.
OVERLAY_MIN_SHARE = 0.1
_warned: set[str] = set()
NO_CATEGORY = -1
MAX_NAMED_CATEGORIES = 16  # colour-bar ticks name each category's centre and area up to this k


@dataclass
class MapStyle:
    """What the config's ``maps`` section decides about every map."""

    projection: str = "auto"
    basemap_dirs: list[str] = field(default_factory=list)
    resolution: str = "auto"
    overlays: list[str] = field(default_factory=list)
    allow_download: bool = False

    @classmethod
    def from_config(cls, maps: dict) -> "MapStyle":
        dirs = [maps["basemap_dir"]] if maps.get("basemap_dir") else []
        return cls(
            projection=maps.get("projection", "auto"),
            basemap_dirs=dirs,
            resolution=maps.get("resolution", "auto"),
            overlays=list(maps.get("overlays", [])),
            allow_download=bool(maps.get("allow_download", False)),
        )


def _warn_once(message: str, *args, level: int = logging.WARNING) -> None:
    text = message % args
    if text not in _warned:
        _warned.add(text)
        log.log(level, text)


def _info_once(message: str, *args) -> None:
    _warn_once(message, *args, level=logging.INFO)


def basemap_resolution(style: MapStyle, lon_span: float) -> str:
    """The Natural Earth scale of a map: the configured one, or for auto 1:50m on a regional map, 1:110m wider."""
    if style.resolution != "auto":
        return style.resolution
    return "50m" if lon_span <= REGIONAL_MAX_LON_SPAN else "110m"


def overlay_path(overlay: str) -> Path:
    """A named overlay of the shipped basemap (us_states), or the shapefile path as given."""
    return SHIPPED_OVERLAYS.get(overlay, Path(overlay))


def natural_earth_file(kind: str, style: MapStyle, resolution: str | None = None) -> Path | None:
    """The on-disk shapefile of a Natural Earth feature, or None (never downloads).

    Looked for in maps.basemap_dir, then the shipped basemap, then cartopy's own data directories.
    """
    import cartopy

    category, name = NATURAL_EARTH[kind]
    scale = resolution or (style.resolution if style.resolution != "auto" else "110m")
    relative = Path("shapefiles", "natural_earth", category, f"ne_{scale}_{name}.shp")
    candidates = [*style.basemap_dirs, SHIPPED_BASEMAP, os.environ.get("CARTOPY_DATA_DIR"),
                  cartopy.config.get("pre_existing_data_dir"), cartopy.config.get("data_dir")]
    for directory in candidates:
        if directory and (Path(directory) / relative).is_file():
            return Path(directory) / relative
    return None


def choose_projection(lon_min: float, lon_max: float, lat_min: float, lat_max: float, name: str = "auto"):
    """A projection suited to the extent, or the named cartopy CRS.

    Global (≥ 300° of longitude): Robinson. Polar caps: polar stereographic.
    Otherwise Lambert conformal with standard parallels at 1/6 and 5/6 of the
    latitude span (Mercator for a band straddling the equator).
    """
    import cartopy.crs as ccrs

    central_lon = 0.5 * (lon_min + lon_max)
    if name != "auto":
        projection = getattr(ccrs, name, None)
        if projection is None:
            raise ValueError(f"maps.projection '{name}' is not a cartopy.crs projection (e.g. Robinson, LambertConformal, PlateCarree)")
        try:
            return projection(central_longitude=central_lon)
        except TypeError:
            return projection()
    if lon_max - lon_min >= 300.0:
        return ccrs.Robinson(central_longitude=0.0 if lon_min < 0 else 180.0)
    if lat_min >= 55.0:
        return ccrs.NorthPolarStereo(central_longitude=central_lon)
    if lat_max <= -55.0:
        return ccrs.SouthPolarStereo(central_longitude=central_lon)
    if lat_min < 0.0 < lat_max and max(abs(lat_min), abs(lat_max)) < 30.0:
        return ccrs.Mercator(central_longitude=central_lon)
    span = lat_max - lat_min
    parallels = (lat_min + span / 6.0, lat_max - span / 6.0)
    if parallels[0] < 0.0 < parallels[1]:
        return ccrs.PlateCarree(central_longitude=central_lon)
    return ccrs.LambertConformal(central_longitude=central_lon, central_latitude=0.5 * (lat_min + lat_max), standard_parallels=parallels)


def overlay_share(overlay_bounds, extent) -> float:
    """The share of a map's extent (lon0, lon1, lat0, lat1, degrees) that an overlay's bounding box covers."""
    west, south, east, north = overlay_bounds
    lon0, lon1, lat0, lat1 = extent
    if lon0 >= 0.0 and west < 0.0:  # a map in 0..360 longitudes: the overlay in the same convention
        west, east = west + 360.0, east + 360.0
    width = max(0.0, min(east, lon1) - max(west, lon0))
    height = max(0.0, min(north, lat1) - max(south, lat0))
    return width * height / max((lon1 - lon0) * (lat1 - lat0), 1e-12)


def draw_basemap(ax, style: MapStyle, extent=(-180.0, 180.0, -90.0, 90.0)) -> list[str]:
    """Coastlines, lakes, borders and overlays that are on disk; returns what was drawn (and logs it once).

    An overlay is drawn only on a map it covers a good part of (OVERLAY_MIN_SHARE of the extent): US state lines
    belong on a map of the United States, not on a global one.
    """
    import cartopy.crs as ccrs
    import cartopy.io.shapereader as shpreader

    resolution = basemap_resolution(style, extent[1] - extent[0])
    drawn = []
    for kind, kwargs in BASEMAP_LINES.items():
        path = natural_earth_file(kind, style, resolution)
        if path is not None:
            ax.add_geometries(shpreader.Reader(str(path)).geometries(), ccrs.PlateCarree(), facecolor="none", **kwargs)
            drawn.append(f"{kind} ({path})")
        elif style.allow_download:
            import cartopy.feature as cfeature

            feature = {"coastline": cfeature.COASTLINE, "lakes": cfeature.LAKES, "borders": cfeature.BORDERS}[kind]
            ax.add_feature(feature.with_scale(resolution), facecolor="none", **kwargs)
            drawn.append(f"{kind} (cartopy download)")
        else:
            _warn_once(
                "no Natural Earth %s at %s resolution on disk (looked in maps.basemap_dir, the shipped %s, CARTOPY_DATA_DIR "
                "and cartopy's data dirs); drawing without it. Set maps.resolution to 110m or 50m (shipped), maps.basemap_dir "
                "to a cartopy data directory that has it, or maps.allow_download: true on a machine with internet",
                kind, resolution, SHIPPED_BASEMAP,
            )
    for overlay in style.overlays:
        path = overlay_path(overlay)
        if not path.is_file():
            _warn_once("overlay %s not found (%s); drawing without it (maps.overlays takes %s or shapefile paths)",
                       overlay, path, ", ".join(SHIPPED_OVERLAYS))
            continue
        geometries = list(shpreader.Reader(str(path)).geometries())
        bounds = np.array([g.bounds for g in geometries if not g.is_empty])
        share = overlay_share((bounds[:, 0].min(), bounds[:, 1].min(), bounds[:, 2].max(), bounds[:, 3].max()), extent) \
            if bounds.size else 0.0
        if share < OVERLAY_MIN_SHARE:
            _info_once("overlay %s covers %.0f%% of this map's extent (< %.0f%%): not drawn", overlay, 100 * share,
                       100 * OVERLAY_MIN_SHARE)
            continue
        ax.add_geometries(geometries, ccrs.PlateCarree(), facecolor="none", edgecolor="0.3", lw=0.35)
        drawn.append(f"overlay ({path})")
    _info_once("basemap at %s: %s", resolution, "; ".join(drawn) or "nothing")
    return drawn


def draw_category_map(ax, lat, lon, labels2d: np.ndarray, k: int, style: MapStyle, colors=None, grid_labels: bool = True):
    """Categories as filled grid cells on a cartopy GeoAxes; returns the mesh. ``grid_labels``: label the gridlines."""
    import cartopy.crs as ccrs

    cmap = ListedColormap(category_colors(k) if colors is None else colors)
    norm = BoundaryNorm(np.arange(-0.5, k + 0.5), k)
    masked = np.ma.masked_less(labels2d, 0)
    # Cells reaching past a pole make cartopy re-project them one polygon at a
    # time (seconds for a global grid); clipped at ±90° they stay one fast mesh.
    lon_edges, lat_edges = cell_edges(lon), np.clip(cell_edges(lat), -90.0, 90.0)
    mesh = ax.pcolormesh(lon_edges, lat_edges, masked, cmap=cmap, norm=norm, transform=ccrs.PlateCarree(), rasterized=True)
    if lon_edges[-1] - lon_edges[0] < 359.0:
        ax.set_extent([lon_edges[0], lon_edges[-1], lat_edges[0], lat_edges[-1]], crs=ccrs.PlateCarree())
    else:
        ax.set_global()
    draw_basemap(ax, style, (float(lon_edges[0]), float(lon_edges[-1]), float(lat_edges[0]), float(lat_edges[-1])))
    with warnings.catch_warnings():
        # auto_update=False (deprecated, still honoured): the extent is fixed, so gridlines and their labels are
        # placed once, not again at every save of a figure that is redrawn for several k.
        warnings.filterwarnings("ignore", "The auto_update parameter", DeprecationWarning)
        gl = ax.gridlines(draw_labels=grid_labels, lw=0.3, color="0.5", alpha=0.6, x_inline=False, y_inline=False,
                          auto_update=False)
    gl.top_labels = gl.right_labels = False
    gl.xlabel_style = gl.ylabel_style = {"size": 7}
    return mesh


def category_labels(center_means: np.ndarray, area_percent: np.ndarray, units: str) -> list[str]:
    return [f"{i}: {m:+.2f} {units}, {share:.0f}%" for i, (m, share) in enumerate(zip(center_means, area_percent))]


def add_category_colorbar(fig, mesh, ax, k: int, names: list[str] | None = None, cax=None, label: str | None = None,
                          first_on_top: bool = True):
    """Discrete colour bar, category 0 (slowest) on top unless ``first_on_top`` is false; ``names`` label the ticks."""
    if cax is None:
        cbar = fig.colorbar(mesh, ax=ax, ticks=np.arange(k), shrink=0.85, pad=0.03, fraction=0.04)
    else:
        cbar = fig.colorbar(mesh, cax=cax, ticks=np.arange(k))
    named = names is not None and k <= MAX_NAMED_CATEGORIES
    if named:
        cbar.ax.set_yticklabels(names, fontsize=7)
    else:  # beyond a legend's reach: every category's id would not fit either, so every fifth and the last
        ticks = np.arange(k) if k <= 25 else np.unique(np.r_[np.arange(0, k, 5), k - 1])
        cbar.set_ticks(ticks, labels=[str(i) for i in ticks], fontsize=7 if k <= 16 else 6)
    if label is not None:
        cbar.set_label(label, fontsize=7)
    elif named:
        cbar.set_label("category: depth-averaged centre, area share (0 = slowest)", fontsize=7)
    else:
        cbar.set_label("category (0 slowest)", fontsize=7)
    if first_on_top:
        cbar.ax.invert_yaxis()
    return cbar


def dot_size(n_columns: int, map_width_in: float = 6.4) -> float:
    """Marker area (pt²) of the dots on uncertain cells: small against a cell, so its colour still reads around it."""
    cell_inches = map_width_in / max(n_columns, 1)
    return float(np.clip((0.4 * cell_inches * 72.0) ** 2, 0.3, 4.0))


def draw_dots(ax, lat, lon, points2d, map_width_in: float = 6.4, color: str = "0.05"):
    """Dots on the grid cells where ``points2d`` is true, on a map drawn once (the canvas keeps its own for speed)."""
    import cartopy.crs as ccrs

    lat_index, lon_index = np.nonzero(np.asarray(points2d, dtype=bool))
    return ax.scatter(np.asarray(lon)[lon_index], np.asarray(lat)[lat_index], s=dot_size(np.size(lon), map_width_in),
                      c=color, marker="o", linewidths=0, zorder=3, rasterized=True, transform=ccrs.PlateCarree())


class CategoryMapCanvas:
    """One map figure drawn once (projection, basemap, gridlines, colour bar axes) and redrawn per k.

    The figures of several k of one model share everything but the categories,
    their colours and names, so only those change from one k to the next.
    """

    def __init__(self, lat, lon, style: MapStyle, figsize=(6.4, 4.6)):
        self.lat, self.lon = np.asarray(lat), np.asarray(lon)
        projection = choose_projection(float(np.min(lon)), float(np.max(lon)), float(np.min(lat)), float(np.max(lat)), style.projection)
        log.info("map projection: %s", type(projection).__name__)
        self.fig = plt.figure(figsize=figsize)
        self.ax = self.fig.add_subplot(1, 1, 1, projection=projection)
        empty = np.full((self.lat.size, self.lon.size), NO_CATEGORY, dtype=np.int32)
        self.mesh = draw_category_map(self.ax, self.lat, self.lon, empty, 2, style)
        self.colorbar = None
        self._map_bbox = None
        self._cell_xy = None
        self.dots = None

    def mark(self, points2d, color: str = "0.05"):
        """Dots on the grid cells where ``points2d`` is true (uncertain points); None or all false: no dots.

        Cell centres are projected once per canvas; each k only picks which of them get a dot.
        """
        if self._cell_xy is None:
            import cartopy.crs as ccrs

            lon2d, lat2d = np.meshgrid(self.lon, self.lat)
            self._cell_xy = self.ax.projection.transform_points(ccrs.PlateCarree(), lon2d, lat2d)[..., :2]
            # A dot small against the cell, so the category's colour still reads around it.
            cell_inches = 6.4 / max(self.lon.size, 1)
            size = float(np.clip((0.4 * cell_inches * 72.0) ** 2, 0.3, 4.0))
            self.dots = self.ax.scatter([], [], s=size, marker="o", linewidths=0, zorder=3, rasterized=True)
        self.dots.set_color(color)
        chosen = np.zeros(self._cell_xy.shape[:2], dtype=bool) if points2d is None else np.asarray(points2d, dtype=bool)
        self.dots.set_offsets(self._cell_xy[chosen & np.isfinite(self._cell_xy).all(axis=-1)])

    def draw_values(self, values2d, title: str, colorbar_label: str, cmap="viridis", vmin: float = 0.0, vmax: float = 1.0):
        """A continuous field (confidence) instead of categories, on the same projection, basemap and gridlines."""
        from matplotlib.colors import Normalize

        self.mesh.set_cmap(cmap)
        self.mesh.set_norm(Normalize(vmin, vmax))
        self.mesh.set_array(np.ma.masked_invalid(values2d))
        if self.colorbar is None:
            self.colorbar = self.fig.colorbar(self.mesh, ax=self.ax, shrink=0.7, pad=0.03, fraction=0.04)
            self.colorbar.set_label(colorbar_label, fontsize=7)
            self.colorbar.ax.tick_params(labelsize=7)
        self.ax.set_title(title, fontsize=10)
        return self.fig

    def draw(self, labels2d, k: int, colors, names: list[str] | None, title: str, colorbar_label: str | None = None,
             first_on_top: bool = True, uncertain=None):
        """The categories of k (and dots on the ``uncertain`` cells, when given)."""
        if self.dots is not None or uncertain is not None:
            self.mark(uncertain)
        if self.colorbar is not None:
            self.mesh.callbacks.disconnect(self.mesh.colorbar_cid)
        self.mesh.set_cmap(ListedColormap(colors))
        self.mesh.set_norm(BoundaryNorm(np.arange(-0.5, k + 0.5), k))
        self.mesh.set_array(np.ma.masked_less(labels2d, 0))
        if self.colorbar is None:
            self.colorbar = add_category_colorbar(self.fig, self.mesh, self.ax, k, names, label=colorbar_label,
                                                  first_on_top=first_on_top)
        else:  # a new colour bar in the same axes; the old one stopped listening to the mesh above
            self.colorbar.ax.clear()
            self.colorbar = add_category_colorbar(self.fig, self.mesh, self.ax, k, names, cax=self.colorbar.ax,
                                                  label=colorbar_label, first_on_top=first_on_top)
        self.ax.set_title(title, fontsize=10)
        return self.fig

    def bbox_inches(self):
        """What ``bbox_inches="tight"`` would give, without re-projecting the map for every figure.

        The map (mesh, coastlines, gridlines and their labels) keeps its extent from one k to the next; only the
        colour bar and the title change. The map's box is measured once, theirs at every k (they are cheap).
        """
        from matplotlib.transforms import Bbox

        renderer = self.fig.canvas.get_renderer()
        if self._map_bbox is None:
            self.fig.draw_without_rendering()  # places the gridline labels
            self._map_bbox = self.ax.get_tightbbox(renderer)
        boxes = [self._map_bbox, self.colorbar.ax.get_tightbbox(renderer), self.ax.title.get_window_extent(renderer)]
        pad = plt.rcParams["savefig.pad_inches"]
        return Bbox.union(boxes).transformed(self.fig.dpi_scale_trans.inverted()).padded(pad)

    def close(self):
        plt.close(self.fig)


def plot_category_map(lat, lon, labels2d, k, center_means, area_percent, units, title, style: MapStyle, colors=None):
    """A complete single-map figure."""
    projection = choose_projection(float(np.min(lon)), float(np.max(lon)), float(np.min(lat)), float(np.max(lat)), style.projection)
    log.info("map projection: %s", type(projection).__name__)
    fig = plt.figure(figsize=(6.4, 4.6))
    ax = fig.add_subplot(1, 1, 1, projection=projection)
    mesh = draw_category_map(ax, lat, lon, labels2d, k, style, colors)
    add_category_colorbar(fig, mesh, ax, k, category_labels(center_means, area_percent, units))
    ax.set_title(title, fontsize=10)
    return fig

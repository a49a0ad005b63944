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
import textwrap
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from matplotlib.artist import Artist
from matplotlib.colors import BoundaryNorm, ListedColormap

from .colors import category_colors
from .grid import NO_PROFILE
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
    candidates = [
        *style.basemap_dirs,
        SHIPPED_BASEMAP,
        os.environ.get("CARTOPY_DATA_DIR"),
        cartopy.config.get("pre_existing_data_dir"),
        cartopy.config.get("data_dir"),
    ]
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
            raise ValueError(
                f"maps.projection '{name}' is not a cartopy.crs projection "
                "(e.g. Robinson, LambertConformal, PlateCarree)"
            )
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
    return ccrs.LambertConformal(
        central_longitude=central_lon, central_latitude=0.5 * (lat_min + lat_max), standard_parallels=parallels
    )


def overlay_share(overlay_bounds, extent) -> float:
    """The share of a map's extent (lon0, lon1, lat0, lat1, degrees) that an overlay's bounding box covers."""
    west, south, east, north = overlay_bounds
    lon0, lon1, lat0, lat1 = extent
    if lon0 >= 0.0 and west < 0.0:  # a map in 0..360 longitudes: the overlay in the same convention
        west, east = west + 360.0, east + 360.0
    width = max(0.0, min(east, lon1) - max(west, lon0))
    height = max(0.0, min(north, lat1) - max(south, lat0))
    return width * height / max((lon1 - lon0) * (lat1 - lat0), 1e-12)


def within_extent(geometries, extent, margin: float = 0.15) -> list:
    """The parts of the basemap's lines near a regional map's extent (lon0, lon1, lat0, lat1, degrees), so that
    cartopy projects those alone rather than every coastline of the globe; a (near) global map keeps them whole."""
    import shapely

    geometries = np.asarray(list(geometries), dtype=object)
    lon0, lon1, lat0, lat1 = extent
    if lon1 - lon0 >= 300.0:
        return list(geometries)
    pad_lon, pad_lat = margin * (lon1 - lon0) + 1.0, margin * (lat1 - lat0) + 1.0
    south, north = max(lat0 - pad_lat, -90.0), min(lat1 + pad_lat, 90.0)
    west, east = lon0 - pad_lon, lon1 + pad_lon
    # Shapefiles are in -180..180; a map in 0..360 (or past the antimeridian) is cut in two boxes.
    boxes = [(max(west, -180.0), min(east, 180.0))]
    if east > 180.0:
        boxes.append((-180.0, east - 360.0))
    if west < -180.0:
        boxes.append((west + 360.0, 180.0))
    parts = [
        shapely.clip_by_rect(geometries, box_west, south, box_east, north)
        for box_west, box_east in boxes
        if box_east > box_west
    ]
    return [g for clipped in parts for g in clipped if not g.is_empty]


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
            ax.add_geometries(
                within_extent(shpreader.Reader(str(path)).geometries(), extent),
                ccrs.PlateCarree(),
                facecolor="none",
                **kwargs,
            )
            drawn.append(f"{kind} ({path})")
        elif style.allow_download:
            import cartopy.feature as cfeature

            feature = {"coastline": cfeature.COASTLINE, "lakes": cfeature.LAKES, "borders": cfeature.BORDERS}[kind]
            ax.add_feature(feature.with_scale(resolution), facecolor="none", **kwargs)
            drawn.append(f"{kind} (cartopy download)")
        else:
            _warn_once(
                "no Natural Earth %s at %s resolution on disk "
                "(looked in maps.basemap_dir, the shipped %s, CARTOPY_DATA_DIR and cartopy's data dirs); "
                "drawing without it. Set maps.resolution to 110m or 50m (shipped), "
                "maps.basemap_dir to a cartopy data directory that has it, "
                "or maps.allow_download: true on a machine with internet",
                kind,
                resolution,
                SHIPPED_BASEMAP,
            )
    for overlay in style.overlays:
        path = overlay_path(overlay)
        if not path.is_file():
            _warn_once(
                "overlay %s not found (%s); drawing without it (maps.overlays takes %s or shapefile paths)",
                overlay,
                path,
                ", ".join(SHIPPED_OVERLAYS),
            )
            continue
        geometries = list(shpreader.Reader(str(path)).geometries())
        bounds = np.array([g.bounds for g in geometries if not g.is_empty])
        share = (
            overlay_share((bounds[:, 0].min(), bounds[:, 1].min(), bounds[:, 2].max(), bounds[:, 3].max()), extent)
            if bounds.size
            else 0.0
        )
        if share < OVERLAY_MIN_SHARE:
            _info_once(
                "overlay %s covers %.0f%% of this map's extent (< %.0f%%): not drawn",
                overlay,
                100 * share,
                100 * OVERLAY_MIN_SHARE,
            )
            continue
        ax.add_geometries(
            within_extent(geometries, extent), ccrs.PlateCarree(), facecolor="none", edgecolor="0.3", lw=0.35
        )
        drawn.append(f"overlay ({path})")
    _info_once("basemap at %s: %s", resolution, "; ".join(drawn) or "nothing")
    return drawn


def draw_category_map(
    ax, lat, lon, labels2d: np.ndarray, k: int, style: MapStyle, colors=None, grid_labels: bool = True
):
    """Categories as filled grid cells on a cartopy GeoAxes; returns the mesh. ``grid_labels``: label the gridlines."""
    import cartopy.crs as ccrs

    cmap = ListedColormap(category_colors(k) if colors is None else colors)
    norm = BoundaryNorm(np.arange(-0.5, k + 0.5), k)
    masked = np.ma.masked_less(labels2d, 0)
    # Cells reaching past a pole make cartopy re-project them one polygon at a
    # time (seconds for a global grid); clipped at ±90° they stay one fast mesh.
    lon_edges, lat_edges = cell_edges(lon), np.clip(cell_edges(lat), -90.0, 90.0)
    mesh = ax.pcolormesh(
        lon_edges, lat_edges, masked, cmap=cmap, norm=norm, transform=ccrs.PlateCarree(), rasterized=True
    )
    if lon_edges[-1] - lon_edges[0] < 359.0:
        ax.set_extent([lon_edges[0], lon_edges[-1], lat_edges[0], lat_edges[-1]], crs=ccrs.PlateCarree())
    else:
        ax.set_global()
    draw_basemap(ax, style, (float(lon_edges[0]), float(lon_edges[-1]), float(lat_edges[0]), float(lat_edges[-1])))
    with warnings.catch_warnings():
        # auto_update=False (deprecated, still honoured): the extent is fixed, so gridlines and their labels are
        # placed once, not again at every save of a figure that is redrawn for several k.
        warnings.filterwarnings("ignore", "The auto_update parameter", DeprecationWarning)
        gl = ax.gridlines(
            draw_labels=grid_labels, lw=0.3, color="0.5", alpha=0.6, x_inline=False, y_inline=False, auto_update=False
        )
    gl.top_labels = gl.right_labels = False
    gl.xlabel_style = gl.ylabel_style = {"size": 7}
    return mesh


def category_labels(center_means: np.ndarray, area_percent: np.ndarray, units: str) -> list[str]:
    return [f"{i}: {m:+.2f} {units}, {share:.0f}%" for i, (m, share) in enumerate(zip(center_means, area_percent))]


def add_category_colorbar(
    fig,
    mesh,
    ax,
    k: int,
    names: list[str] | None = None,
    cax=None,
    label: str | None = None,
    first_on_top: bool = True,
    ordered_by: str | None = None,
):
    """Discrete colour bar, category 0 (slowest) on top unless ``first_on_top`` is false; ``names`` label the ticks
    (``ordered_by``: see :func:`category_ticks`)."""
    if cax is None:
        cbar = fig.colorbar(mesh, ax=ax, ticks=np.arange(k), shrink=0.85, pad=0.03, fraction=0.04)
    else:
        cbar = fig.colorbar(mesh, cax=cax, ticks=np.arange(k))
    ticks, labels, label = category_ticks(k, names, label, ordered_by)
    cbar.set_ticks(ticks, labels=labels, fontsize=7 if k <= MAX_NAMED_CATEGORIES else 6)
    cbar.set_label(label, fontsize=7)
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
    return ax.scatter(
        np.asarray(lon)[lon_index],
        np.asarray(lat)[lat_index],
        s=dot_size(np.size(lon), map_width_in),
        c=color,
        marker="o",
        linewidths=0,
        zorder=3,
        rasterized=True,
        transform=ccrs.PlateCarree(),
    )


class PixelOverlay(Artist):
    """An RGBA image of the figure's own size (rows from the top), drawn pixel for pixel (no resampling); over
    everything else unless another ``zorder`` is given."""

    def __init__(self, rgba: np.ndarray, zorder: float = 10):
        super().__init__()
        self.rgba = np.ascontiguousarray(rgba[::-1])  # the renderer's rows run upward
        self.set_zorder(zorder)

    def draw(self, renderer):
        if not self.get_visible():
            return
        gc = renderer.new_gc()
        renderer.draw_image(gc, 0, 0, self.rgba)
        gc.restore()


def _cell_index(edges: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The index of the cell between consecutive ``edges`` (ascending or descending) holding each value; -1 outside."""
    ascending = edges[-1] >= edges[0]
    ordered = edges if ascending else edges[::-1]
    inside = np.isfinite(values) & (values >= ordered[0]) & (values < ordered[-1])
    index = np.clip(np.searchsorted(ordered, np.where(inside, values, ordered[0]), side="right") - 1, 0, edges.size - 2)
    index = index if ascending else edges.size - 2 - index
    return np.where(inside, index, -1)


class MeshPixels(PixelOverlay):
    """The map's grid cells in a PNG: each pixel of the figure takes the colour of the cell under its centre.

    Which cell lies under which pixel is worked out once per canvas (the projection inverted at every pixel); each
    map is then a lookup of its cells' colours, at the cost of the figure's pixels whatever the grid's size (Agg would
    draw every cell of the mesh). Pixels off the map, or over a cell without a value, stay transparent. The dots on
    marked cells are pixels of the same image (:meth:`show_dots`), at the same cost: a marker per cell would cost as
    many markers as the grid has marked cells.
    """

    def __init__(self, cells: np.ndarray, shape: tuple[int, int]):
        """``cells``: the flat index of the grid cell under each pixel, rows from the top, -1 off the grid."""
        super().__init__(np.zeros((*shape, 4), dtype=np.uint8), zorder=1)  # where the mesh is: under the basemap
        self.width = shape[1]
        in_row_order = cells[::-1].reshape(-1)  # the renderer's row order, as the image is
        self.grid_pixels = np.flatnonzero(in_row_order >= 0)
        self.grid_cells = in_row_order[self.grid_pixels]
        self.shown = self.rgba.reshape(-1, 4)[self.grid_pixels]  # the cells' colours, under any dots
        self._dots = None  # (pixels, their cells, coverage) of every cell's dot, in grid_pixels' order
        self._dotted = np.zeros(0, dtype=np.intp)  # which of them show a dot now

    def pixel_centers(self) -> np.ndarray:
        """The display coordinates (pixels from the bottom left) of the centres of the on-grid pixels, in order."""
        return np.column_stack([self.grid_pixels % self.width + 0.5, self.grid_pixels // self.width + 0.5])

    def set_dot_pixels(self, coverage: np.ndarray) -> None:
        """How much of each on-grid pixel (in :meth:`pixel_centers`' order) its cell's dot covers, 0 to 1."""
        index = np.flatnonzero(coverage > 0)
        self._dots = index, self.grid_cells[index], coverage[index, None].astype(np.float32)

    @property
    def has_dot_pixels(self) -> bool:
        return self._dots is not None

    def show(self, values2d, cmap, norm) -> None:
        """A field's values (NaN: no value) in ``cmap`` through ``norm``."""
        self._show(cmap(norm(np.ma.masked_invalid(np.asarray(values2d).ravel()[self.grid_cells])), bytes=True))

    def show_categories(self, labels2d, cmap, norm, k: int) -> None:
        """Categories 0..k-1 (negative: no profile) in ``cmap``: each pixel indexes the k colours (and the colour
        of no value), with no masked array and no norm on every pixel."""
        colors = cmap(norm(np.ma.masked_less(np.arange(-1, k), 0)), bytes=True)  # [no value, 0, ..., k - 1]
        labels = np.asarray(labels2d).ravel()[self.grid_cells]
        self._show(colors[np.clip(labels, -1, k - 1) + 1])

    def _show(self, colors) -> None:
        self.shown = colors
        self.rgba.reshape(-1, 4)[self.grid_pixels] = colors
        self._dotted = np.zeros(0, dtype=np.intp)
        self.stale = True

    def show_dots(self, points2d, color) -> None:
        """Dots of ``color`` on the cells where ``points2d`` is true, over the colours last shown; None: no dots."""
        from matplotlib.colors import to_rgba

        flat = self.rgba.reshape(-1, 4)
        flat[self.grid_pixels[self._dotted]] = self.shown[self._dotted]
        self._dotted = np.zeros(0, dtype=np.intp)
        if points2d is not None:
            pixels, cells, coverage = self._dots
            chosen = np.asarray(points2d, dtype=bool).ravel()[cells]
            self._dotted, coverage = pixels[chosen], coverage[chosen]
            dot = np.array(to_rgba(color), dtype=np.float32) * 255
            flat[self.grid_pixels[self._dotted]] = np.round(dot).astype(np.uint8)
            edge = coverage[:, 0] < 1  # antialiased: the dot's colour blended with the cell's
            blended = (1 - coverage[edge]) * self.shown[self._dotted[edge]] + coverage[edge] * dot
            flat[self.grid_pixels[self._dotted[edge]]] = np.round(blended).astype(np.uint8)
        self.stale = True


class CategoryMapCanvas:
    """One map figure laid out once and redrawn for every k, category maps and confidence maps alike.

    The figures of several k of one model share the projection, the mesh of grid cells, the basemap, the gridlines
    and the frame; only the data of the mesh, its colours, the dots, the colour bar and the title change. The layout
    is fixed in inches when the canvas is made (no tight bounding box measured per figure), and the basemap and
    gridlines, which do not change, are rendered once, when the canvas is made, into a transparent image laid over the
    mesh of every PNG (the PDFs draw them as vectors).
    """

    # Room around the map (inches) before the gridline labels are measured; the title's above, the colour bar's right.
    LEFT, BOTTOM, TOP, RIGHT = 0.6, 0.5, 0.85, 1.85
    DPI = 200

    def __init__(self, lat, lon, style: MapStyle, width_in: float = 6.4, max_height_in: float = 4.6):
        self.lat, self.lon = np.asarray(lat), np.asarray(lon)
        projection = choose_projection(
            float(np.min(lon)), float(np.max(lon)), float(np.min(lat)), float(np.max(lat)), style.projection
        )
        log.info("map projection: %s", type(projection).__name__)
        self.fig = plt.figure(figsize=(width_in, max_height_in), dpi=self.DPI)
        map_width = width_in - self.LEFT - self.RIGHT
        self.ax = self.fig.add_axes(
            [
                self.LEFT / width_in,
                self.BOTTOM / max_height_in,
                map_width / width_in,
                (max_height_in - self.BOTTOM - self.TOP) / max_height_in,
            ],
            projection=projection,
        )
        empty = np.full((self.lat.size, self.lon.size), NO_PROFILE, dtype=np.int32)
        self.mesh = draw_category_map(self.ax, self.lat, self.lon, empty, 2, style)
        self._fit_figure_to_map(width_in, max_height_in)
        from cartopy.mpl.feature_artist import FeatureArtist
        from cartopy.mpl.gridliner import Gridliner

        # The basemap and gridlines. Not the mesh, nor the cells of a global grid that cartopy draws apart where they
        # wrap round the map's edge: they show each k's data, and take the mesh's colours (_color_mesh).
        self.static = [a for a in self.ax.artists + self.ax.collections if isinstance(a, (FeatureArtist, Gridliner))]
        self.mesh_parts = [a for a in self.ax.collections if not isinstance(a, FeatureArtist)]
        # The projection's own axes carry no ticks (the gridlines label the map), and the colour bar is vertical.
        for axis in (self.ax.xaxis, self.ax.yaxis, self.cax.xaxis):
            axis.set_visible(False)
        self._overlay = None
        self.colorbar = None
        self.dots = None  # the markers of a PDF (_vector_dots)
        self._marked = None  # (cells, colour) of the last mark()
        self._mesh_data = None  # makes what the mesh shows in a PDF, only when one is drawn
        self._cell_xy = None
        self.map_width_in = map_width
        self.pixels = self.ax.add_artist(self._mesh_pixels())
        self._render_overlay()

    def _fit_figure_to_map(self, width_in: float, max_height_in: float) -> None:
        """Once per canvas: the map's aspect, and room for its gridline labels measured in one draw; the figure cut
        to fit, and the colour bar placed beside the map."""
        from cartopy.mpl.gridliner import Gridliner
        from matplotlib.transforms import Bbox

        self.ax.apply_aspect()
        box = self.ax.get_position()
        map_w, map_h = box.width * width_in, box.height * max_height_in
        renderer = self.fig.canvas.get_renderer()
        self.fig.draw_without_rendering()  # places the gridline labels
        frame = self.ax.get_window_extent(renderer)
        # The gridlines' labels alone: the axes' own tight box would measure every coastline again.
        gridliners = [a for a in self.ax.artists if isinstance(a, Gridliner)]
        drawn = Bbox.union([frame, *(gl.get_tightbbox(renderer) for gl in gridliners)])
        frame, drawn = (b.transformed(self.fig.dpi_scale_trans.inverted()) for b in (frame, drawn))
        pad = 0.08
        left = max(frame.x0 - drawn.x0, 0.0) + pad
        bottom = max(frame.y0 - drawn.y0, 0.0) + pad
        above = max(drawn.y1 - frame.y1, 0.0)  # labels above the frame, under the title
        right_labels = max(drawn.x1 - frame.x1, 0.0)
        width = left + map_w + right_labels + self.RIGHT
        height = bottom + map_h + above + self.TOP
        self.fig.set_size_inches(width, height)
        self.ax.set_position([left / width, bottom / height, map_w / width, map_h / height])
        bar_x = left + map_w + right_labels + 0.15
        self.cax = self.fig.add_axes(
            [bar_x / width, (bottom + 0.08 * map_h) / height, 0.13 / width, 0.84 * map_h / height]
        )

    def _mesh_pixels(self) -> MeshPixels:
        """Once per canvas, with the layout fixed: the grid cell under the centre of each pixel of the PNG."""
        import cartopy.crs as ccrs

        width, height = (int(round(size * self.DPI)) for size in self.fig.get_size_inches())
        x, y = np.meshgrid(np.arange(width) + 0.5, height - np.arange(height) - 0.5)  # rows from the top
        xy = np.column_stack([x.ravel(), y.ravel()])
        frame = self.ax.patch.get_path().transformed(self.ax.patch.get_transform())
        on_map = frame.contains_points(xy)
        projected = self.ax.transData.inverted().transform(xy[on_map])
        lon, lat = ccrs.PlateCarree().transform_points(self.ax.projection, projected[:, 0], projected[:, 1])[:, :2].T
        lon_edges, lat_edges = cell_edges(self.lon), np.clip(cell_edges(self.lat), -90.0, 90.0)
        first = float(np.min(lon_edges))
        lon_index = _cell_index(lon_edges, np.where(np.isfinite(lon), (lon - first) % 360.0 + first, np.nan))
        lat_index = _cell_index(lat_edges, lat)
        cells = np.full(width * height, -1, dtype=np.int64)
        cells[on_map] = np.where((lon_index >= 0) & (lat_index >= 0), lat_index * self.lon.size + lon_index, -1)
        return MeshPixels(cells.reshape(height, width), (height, width))

    def _show_static(self, vector: bool) -> None:
        """The basemap and gridlines as vectors (PDF, or to render the overlay), or as the overlay image (PNG).

        A cartopy Gridliner draws its lines and labels whatever its own visibility: it leaves the axes instead.
        """
        from cartopy.mpl.gridliner import Gridliner

        for artist in self.static:
            if not isinstance(artist, Gridliner):
                artist.set_visible(vector)
            elif vector and artist not in self.ax.artists:
                self.ax.add_artist(artist)
            elif not vector and artist in self.ax.artists:
                artist.remove()
        self.ax.spines["geo"].set_visible(vector)
        if self._overlay is not None:
            self._overlay.set_visible(not vector)
        # The mesh's cells and the dots: drawn by the mesh and markers in a PDF, looked up pixel by pixel in a PNG.
        if vector and self._mesh_data is not None:
            self.mesh.set_array(self._mesh_data())
            self._vector_dots()
        for part in [*self.mesh_parts, *([self.dots] if self.dots is not None else [])]:
            part.set_visible(vector)
        self.pixels.set_visible(not vector)

    def _render_overlay(self) -> None:
        """The static layer (basemap, gridlines and their labels, the map's frame) alone, at the PNG's resolution."""
        hidden = [
            *self.mesh_parts,
            self.pixels,
            self.cax,
            self.ax.title,
            *([self.dots] if self.dots is not None else []),
        ]
        visible = [artist.get_visible() for artist in hidden]
        for artist in hidden:
            artist.set_visible(False)
        self.fig.patch.set_alpha(0.0)
        self.ax.patch.set_alpha(0.0)
        self.fig.canvas.draw()
        image = np.asarray(self.fig.canvas.buffer_rgba()).copy()
        self.fig.patch.set_alpha(1.0)
        self.ax.patch.set_alpha(1.0)
        for artist, shown in zip(hidden, visible):
            artist.set_visible(shown)
        self._overlay = PixelOverlay(image)
        self.fig.add_artist(self._overlay)

    def save(self, png_path, pdf_path=None, citation: str = "", title: str = "") -> None:
        """The PNG with the overlay image, the PDF (if asked) with the basemap and gridlines as vectors."""
        from .plotting import save_figure

        self._show_static(vector=False)
        save_figure(
            self.fig, png_path, None, dpi=self.DPI, close=False, bbox_inches=None, citation=citation, title=title
        )
        if pdf_path is not None:
            self._show_static(vector=True)
            save_figure(self.fig, pdf_path, None, close=False, bbox_inches=None, citation=citation, title=title)
            self._show_static(vector=False)

    def mark(self, points2d, color: str = "0.05"):
        """Dots on the grid cells where ``points2d`` is true (uncertain points); None or all false: no dots.

        In the PNG a dot is the pixels its disc covers around its cell's centre (:func:`dot_size`), found once per
        canvas; in a PDF, a marker per cell (:meth:`_vector_dots`). Call it after the data of the map are drawn.
        """
        self._marked = None if points2d is None else (np.asarray(points2d, dtype=bool), color)
        if self._marked is not None and not self.pixels.has_dot_pixels:
            self.pixels.set_dot_pixels(self._dot_pixels())
        self.pixels.show_dots(points2d, color)

    def _dot_pixels(self) -> np.ndarray:
        """Once per canvas: how much of each on-grid pixel of the PNG the dot of its cell covers (a disc around the
        pixel at the cell's centre, its edge antialiased, as Agg draws a marker)."""
        import cartopy.crs as ccrs

        cells = self.pixels.grid_cells
        lon, lat = self.lon[cells % self.lon.size], self.lat[cells // self.lon.size]
        projected = self.ax.projection.transform_points(ccrs.PlateCarree(), lon, lat)[:, :2]
        centers = np.floor(self.ax.transData.transform(projected)) + 0.5  # on a pixel's centre, as Agg snaps markers
        # Half the marker's width (the square root of its size in pt²), in pixels.
        radius = 0.5 * np.sqrt(dot_size(self.lon.size, self.map_width_in)) * self.DPI / 72.0
        distance = np.sqrt(np.sum((self.pixels.pixel_centers() - centers) ** 2, axis=1))
        return np.clip(radius + 0.5 - distance, 0.0, 1.0)

    def _vector_dots(self) -> None:
        """The dots of the last :meth:`mark` as markers (a PDF): cell centres projected once per canvas."""
        if self._cell_xy is None:
            import cartopy.crs as ccrs

            lon2d, lat2d = np.meshgrid(self.lon, self.lat)
            self._cell_xy = self.ax.projection.transform_points(ccrs.PlateCarree(), lon2d, lat2d)[..., :2]
            size = dot_size(self.lon.size, self.map_width_in)
            self.dots = self.ax.scatter([], [], s=size, marker="o", linewidths=0, zorder=3, rasterized=True)
        chosen, color = self._marked if self._marked is not None else (np.zeros(self._cell_xy.shape[:2], bool), "k")
        self.dots.set_color(color)
        self.dots.set_offsets(self._cell_xy[chosen & np.isfinite(self._cell_xy).all(axis=-1)])

    def _color_mesh(self, cmap, norm) -> None:
        """The colours of the mesh and of its wrapped cells: cartopy passes their data on, not their colours."""
        for part in self.mesh_parts:
            part.set_cmap(cmap)
            part.set_norm(norm)

    def _colorbar(self, norm, cmap, ticks, labels, label: str, first_on_top: bool, fontsize: float = 7):
        """One colour bar in the canvas's fixed axes, redrawn for new colours, classes and labels."""
        from matplotlib.cm import ScalarMappable

        # A new mappable each time: changing the norm and colours of the bar's own mappable would redraw the bar at
        # each change (its callbacks), and once more here.
        mappable = ScalarMappable(norm=norm, cmap=cmap)
        if self.colorbar is None:
            self.colorbar = self.fig.colorbar(mappable, cax=self.cax)
        else:
            self.colorbar.update_normal(mappable)
        self.colorbar.set_ticks(ticks, labels=labels, fontsize=fontsize)
        self.colorbar.minorticks_off()
        # Written along the bar, a label longer than the bar would run off the short map of the globe: lines of the
        # bar's length (characters about 0.6 of the font size wide).
        bar_points = self.cax.get_position().height * self.fig.get_figheight() * 72
        self.colorbar.set_label(textwrap.fill(label, max(int(bar_points / (0.6 * 7)), 20)), fontsize=7)
        if first_on_top != self.cax.yaxis_inverted():
            self.cax.invert_yaxis()

    def draw_values(
        self, values2d, title: str, colorbar_label: str, cmap="viridis", vmin: float = 0.0, vmax: float = 1.0
    ):
        """A continuous field (confidence) instead of categories, on the same mesh, basemap and gridlines."""
        from matplotlib.colors import Normalize
        from matplotlib.ticker import MaxNLocator

        norm, colormap = Normalize(vmin, vmax), plt.get_cmap(cmap)
        self._color_mesh(colormap, norm)
        self._mesh_data = lambda: np.ma.masked_invalid(values2d)
        self.pixels.show(values2d, colormap, norm)
        self._marked = None  # dots: mark() after
        ticks = MaxNLocator(6).tick_values(vmin, vmax)
        ticks = ticks[(ticks >= vmin) & (ticks <= vmax)]
        self._colorbar(norm, colormap, ticks, [f"{t:g}" for t in ticks], colorbar_label, first_on_top=False)
        self.ax.set_title(title, fontsize=10)
        return self.fig

    def draw(
        self,
        labels2d,
        k: int,
        colors,
        names: list[str] | None,
        title: str,
        colorbar_label: str | None = None,
        first_on_top: bool = True,
        uncertain=None,
        ordered_by: str | None = None,
    ):
        """The categories of k (and dots on the ``uncertain`` cells, when given; ``ordered_by``: see
        :func:`category_ticks`)."""
        cmap, norm = ListedColormap(colors), BoundaryNorm(np.arange(-0.5, k + 0.5), k)
        self._color_mesh(cmap, norm)
        self._mesh_data = lambda: np.ma.masked_less(labels2d, 0)
        self.pixels.show_categories(labels2d, cmap, norm, k)
        self.mark(uncertain)
        ticks, labels, label = category_ticks(k, names, colorbar_label, ordered_by)
        self._colorbar(norm, cmap, ticks, labels, label, first_on_top, fontsize=7 if k <= MAX_NAMED_CATEGORIES else 6)
        self.ax.set_title(title, fontsize=10)
        return self.fig

    def bbox_inches(self):
        """The figure as laid out (fixed in inches when the canvas was made): nothing to measure per figure."""
        return None

    def close(self):
        plt.close(self.fig)


def category_ticks(
    k: int, names: list[str] | None, label: str | None = None, ordered_by: str | None = None
) -> tuple[np.ndarray, list[str], str]:
    """Ticks, their labels and the label of a category colour bar: named categories up to MAX_NAMED_CATEGORIES,
    beyond that every fifth id and the last (a legend of 50 would not fit, and neither would 50 ids).
    ``ordered_by``: the variable that orders the categories when several are joined (its name goes in the label)."""
    named = names is not None and k <= MAX_NAMED_CATEGORIES
    if named:
        ticks, labels = np.arange(k), list(names)
    else:
        ticks = np.arange(k) if k <= 25 else np.unique(np.r_[np.arange(0, k, 5), k - 1])
        labels = [str(i) for i in ticks]
    if label is None and ordered_by:
        label = (
            f"category: depth-averaged {ordered_by} of the centre, area share (0 = slowest in {ordered_by})"
            if named
            else f"category (0 slowest in {ordered_by})"
        )
    elif label is None:
        label = "category: depth-averaged centre, area share (0 = slowest)" if named else "category (0 slowest)"
    return ticks, labels, label

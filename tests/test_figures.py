"""Maps, profile figures and the manuscript panel, offline."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from conftest import PROJECT
from tomoclust.colors import category_colors
from tomoclust.envelopes import cluster_quantiles, cluster_statistics
from tomoclust.joint import VariableBlock
from tomoclust.maps import (
    SHIPPED_BASEMAP,
    SHIPPED_OVERLAYS,
    CategoryMapCanvas,
    MapStyle,
    basemap_resolution,
    category_labels,
    category_ticks,
    choose_projection,
    natural_earth_file,
)
from tomoclust.plotting import plt, save_figure
from tomoclust.profile_plots import ProfileFigures, plot_cluster_profiles
from tomoclust.summary import choose_figure_k


def profile_figure(profiles, labels, centers, depth, k, units, title, **options):
    """The profile figure of one variable with the members' envelopes a fit job stores (fits/k{k}.nc)."""
    return plot_cluster_profiles(
        profiles,
        labels,
        centers,
        [VariableBlock("v", slice(0, len(depth)), np.asarray(depth), 1.0, units)],
        k,
        title,
        member_std=cluster_statistics(profiles, labels, k)[1],
        member_quantiles=cluster_quantiles(profiles, labels, k),
        **options,
    )


def test_colors_run_slow_red_to_fast_blue():
    for k in (2, 3, 6, 20):
        colors = category_colors(k)
        assert colors.shape == (k, 4)
        assert colors[0, 0] > colors[0, 2], "category 0 (slowest) is red"
        assert colors[-1, 2] > colors[-1, 0], "category k-1 (fastest) is blue"
    assert len({tuple(c) for c in category_colors(12)}) == 12


def test_colors_are_matplotlibs_color_maps_to_the_bit():
    """tomoclust.colors samples the ColorBrewer ramps without matplotlib, to the same numbers as its colour maps
    (categories.csv, every map and every vote map keep their colours)."""
    from matplotlib import colormaps
    from matplotlib.colors import to_rgba_array

    from tomoclust.colors import from_hex, grey_colors, ramp_colors, to_hex, vote_colors

    positions = np.concatenate([np.linspace(0.0, 1.0, 10_001), [-0.1, 1.2], np.random.default_rng(0).random(1000)])
    for name in ("RdYlBu", "YlOrRd", "Greys"):
        np.testing.assert_array_equal(ramp_colors(name, positions), colormaps[name](positions), err_msg=name)
    for n in (1, 2, 3, 7, 20, 50):
        np.testing.assert_array_equal(
            category_colors(n),
            colormaps["RdYlBu"](0.04 + 0.92 * (np.linspace(0.0, 1.0, n) if n > 1 else np.array([0.5]))),
        )
        np.testing.assert_array_equal(vote_colors(n), colormaps["YlOrRd"](np.linspace(0.05, 0.95, n + 1)))
        np.testing.assert_array_equal(grey_colors(n), colormaps["Greys"](np.linspace(0.15, 0.9, n)))
        hexes = [to_hex(c) for c in category_colors(n)]
        np.testing.assert_array_equal(from_hex(hexes), to_rgba_array(hexes))


def test_projection_suits_the_extent():
    assert type(choose_projection(-125, -100, 30, 50)).__name__ == "LambertConformal"
    assert type(choose_projection(-180, 178, -90, 90)).__name__ == "Robinson"
    assert type(choose_projection(0, 358, -90, 90)).__name__ == "Robinson"
    assert type(choose_projection(-40, 40, 60, 88)).__name__ == "NorthPolarStereo"
    assert type(choose_projection(100, 160, -10, 10)).__name__ == "Mercator"
    assert type(choose_projection(-125, -100, 30, 50, "PlateCarree")).__name__ == "PlateCarree"
    with pytest.raises(ValueError, match="maps.projection 'Nonsense'"):
        choose_projection(-125, -100, 30, 50, "Nonsense")


def test_cluster_statistics():
    profiles = np.array([[0.0, 1.0], [2.0, 3.0], [10.0, 10.0]])
    mean, std, sizes = cluster_statistics(profiles, np.array([0, 0, 1]), 2)
    np.testing.assert_allclose(mean, [[1.0, 2.0], [10.0, 10.0]])
    np.testing.assert_allclose(std, [[1.0, 1.0], [0.0, 0.0]])
    np.testing.assert_array_equal(sizes, [2, 1])


def test_choose_figure_k():
    ks = list(range(2, 21))
    assert choose_figure_k("auto", 6, ks) == [5, 6, 7]
    assert choose_figure_k("auto", 2, ks) == [2, 3, 4]
    assert choose_figure_k("auto", 20, ks) == [18, 19, 20]
    assert choose_figure_k("auto", None, [2, 3, 4]) == [2, 3, 4]
    assert choose_figure_k([3, 8, 30], 6, ks) == [3, 8]


def _single_map(lat, lon, labels, k, names, title, style):
    """One category map in its own figure, as the summary panel and the comparisons' figures draw theirs."""
    from tomoclust.maps import add_category_colorbar, draw_category_map
    from tomoclust.plotting import plt

    projection = choose_projection(
        float(np.min(lon)), float(np.max(lon)), float(np.min(lat)), float(np.max(lat)), style.projection
    )
    fig = plt.figure(figsize=(6.4, 4.6))
    ax = fig.add_subplot(1, 1, 1, projection=projection)
    mesh = draw_category_map(ax, lat, lon, labels, k, style)
    add_category_colorbar(fig, mesh, ax, k, names)
    ax.set_title(title, fontsize=10)
    return fig


def _small_map_inputs():
    lat = np.arange(30.0, 50.1, 1.0)
    lon = np.arange(-125.0, -99.9, 1.0)
    labels = (np.add.outer(np.arange(lat.size), np.arange(lon.size)) % 3).astype(np.int32)
    labels[:2, :3] = -1
    return lat, lon, labels


def test_map_and_profile_figures_are_written(tmp_path):
    lat, lon, labels = _small_map_inputs()
    names = category_labels(np.array([-1.0, 0.0, 1.0]), np.array([10, 20, 30]), "%")
    save_figure(_single_map(lat, lon, labels, 3, names, "t", MapStyle()), tmp_path / "map.png", tmp_path / "map.pdf")
    assert (tmp_path / "map.png").read_bytes()[:4] == b"\x89PNG"
    pdf = (tmp_path / "map.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf, "vector PDF with embedded TrueType fonts"

    rng = np.random.default_rng(0)
    profiles = rng.normal(size=(60, 8))
    fig = profile_figure(profiles, np.arange(60) % 4, rng.normal(size=(4, 8)), np.linspace(50, 400, 8), 4, "%", "t")
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert len(axes) == 4
    bottom, top = axes[0].get_ylim()
    assert bottom > top, "depth increases downward"
    save_figure(fig, tmp_path / "profiles.png")


def test_the_shipped_basemap_is_complete_and_unaltered():
    """Every layer at both scales reads with cartopy's reader, and every file matches the checksum in SOURCES.md."""
    import hashlib
    import re

    import cartopy.io.shapereader as shpreader

    assert SHIPPED_BASEMAP == PROJECT / "resources" / "basemap"
    for resolution in ("110m", "50m"):
        for kind in ("coastline", "lakes", "borders"):
            path = natural_earth_file(kind, MapStyle(), resolution)
            assert path is not None and path.is_relative_to(SHIPPED_BASEMAP), (kind, resolution)
            geometries = list(shpreader.Reader(str(path)).geometries())
            assert geometries and not any(g.is_empty for g in geometries)  # drawn as outlines: validity is moot
    states = list(shpreader.Reader(str(SHIPPED_OVERLAYS["us_states"])).geometries())
    west, south, east, north = states[0].bounds
    assert west < -120 and east > -71 and south < 30 and north > 48, "state lines of the contiguous US"
    table = dict(re.findall(r"\| `([^`]+)` \| `([0-9a-f]{64})` \|", (SHIPPED_BASEMAP / "SOURCES.md").read_text()))
    shipped = {
        str(p.relative_to(SHIPPED_BASEMAP)) for p in SHIPPED_BASEMAP.rglob("*") if p.suffix in {".shp", ".shx", ".dbf"}
    }
    assert set(table) == shipped
    for name, digest in table.items():
        assert hashlib.sha256((SHIPPED_BASEMAP / name).read_bytes()).hexdigest() == digest, name


def test_basemap_scale_follows_the_map_extent():
    assert basemap_resolution(MapStyle(), lon_span=25.0) == "50m"
    assert basemap_resolution(MapStyle(), lon_span=360.0) == "110m"
    assert basemap_resolution(MapStyle(resolution="110m"), lon_span=25.0) == "110m"
    assert (
        natural_earth_file("coastline", MapStyle(), "50m")
        == SHIPPED_BASEMAP / "shapefiles/natural_earth/physical/ne_50m_coastline.shp"
    )
    assert natural_earth_file("coastline", MapStyle(), "10m") is None or "10m" in str(
        natural_earth_file("coastline", MapStyle(), "10m")
    )


OFFLINE_MAP_SCRIPT = textwrap.dedent(
    """
    import logging, socket, sys
    import numpy as np

    def no_network(*args, **kwargs):
        raise OSError("network disabled by the test")

    socket.socket.connect = no_network
    socket.create_connection = no_network
    sys.path.insert(0, sys.argv[1])
    logging.basicConfig(level=logging.WARNING, stream=sys.stdout)
    import cartopy
    from pathlib import Path
    from tomoclust import maps
    from tomoclust.plotting import plt, save_figure

    out, mode = sys.argv[2], sys.argv[3]
    if mode == "no basemap":  # as if the repository had none: only cartopy's (empty) data dirs are left
        maps.SHIPPED_BASEMAP = Path(out, "nowhere")
        maps.SHIPPED_OVERLAYS = {}
    style = maps.MapStyle(projection="PlateCarree", overlays=["us_states"] if mode == "shipped" else [])
    if mode == "no basemap":
        assert maps.natural_earth_file("coastline", style) is None, cartopy.config
    # The western US with the Pacific coast, every cell without a category: only the basemap is drawn inside the frame.
    lat = np.arange(30.0, 50.1, 1.0); lon = np.arange(-130.0, -99.9, 1.0)
    labels = np.full((lat.size, lon.size), -1, dtype=np.int32)
    # A single map as the summary panel and the comparisons' figures draw theirs.
    fig = plt.figure(figsize=(6.4, 4.6))
    projection = maps.choose_projection(float(lon.min()), float(lon.max()), float(lat.min()), float(lat.max()),
                                        style.projection)
    ax = fig.add_subplot(1, 1, 1, projection=projection)
    mesh = maps.draw_category_map(ax, lat, lon, labels, 3, style)
    names = maps.category_labels(np.array([-1.0, 0.0, 1.0]), np.array([1, 1, 1]), "%")
    maps.add_category_colorbar(fig, mesh, ax, 3, names)
    ax.set_title(mode, fontsize=10)
    fig.canvas.draw()
    x0, y0, x1, y1 = ax.get_window_extent().extents
    rgb = np.asarray(fig.canvas.buffer_rgba())[::-1, :, :3]  # row 0 at the bottom, as display coordinates
    inside = rgb[int(y0) + 4:int(y1) - 4, int(x0) + 4:int(x1) - 4]
    print("DARK PIXELS", int((inside.max(axis=2) < 200).sum()))  # basemap lines; the gridlines are lighter
    save_figure(fig, out + "/offline.png", out + "/offline.pdf")
    print("RENDERED")
    """
)


def _render_offline(tmp_path, mode: str) -> subprocess.Popen:
    """Start rendering a map in a fresh process with sockets disabled, no CARTOPY_DATA_DIR and an empty home."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "CARTOPY_DATA_DIR"}
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"), MPLCONFIGDIR=str(tmp_path / "mpl"))
    script = tmp_path / "offline_map.py"
    script.write_text(OFFLINE_MAP_SCRIPT)
    return subprocess.Popen(
        [sys.executable, str(script), str(PROJECT / "scripts"), str(tmp_path), mode],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(scope="module")
def offline_maps(tmp_path_factory) -> dict[str, tuple[str, int]]:
    """{mode: (log, dark pixels inside the frame)} of the map rendered offline with the shipped basemap, with its
    coastline alone, and with no basemap at all: three processes at once."""
    root = tmp_path_factory.mktemp("offline")
    modes = {"shipped": root / "shipped", "coast only": root / "coast", "no basemap": root / "bare"}
    running = {mode: _render_offline(folder, mode) for mode, folder in modes.items()}
    rendered = {}
    for mode, process in running.items():
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stdout + stderr
        assert "RENDERED" in stdout and (modes[mode] / "offline.png").stat().st_size > 10_000
        rendered[mode] = stdout, int(stdout.split("DARK PIXELS")[1].split()[0])
    return rendered


def test_maps_draw_the_shipped_coastline_and_state_lines_offline(offline_maps):
    """The shipped basemap alone (no network, no cartopy data) puts coastline and state-line pixels inside the frame."""
    shipped_log, shipped_dark = offline_maps["shipped"]
    _, coast_only_dark = offline_maps["coast only"]
    _, bare_dark = offline_maps["no basemap"]
    assert "no Natural Earth" not in shipped_log and "not found" not in shipped_log, shipped_log
    assert bare_dark < 50, "nothing dark inside the frame without a basemap"
    assert coast_only_dark > 1500, f"Pacific coastline, lakes and borders drawn ({coast_only_dark} dark pixels)"
    assert shipped_dark > coast_only_dark + 1000, "the state lines add their own pixels"


def test_maps_render_with_no_network_and_no_basemap(offline_maps):
    """Without any basemap on disk the map is still drawn, with one clear warning per missing layer."""
    log, _ = offline_maps["no basemap"]
    assert log.count("no Natural Earth coastline") == 1, "one clear warning"
    assert "maps.basemap_dir" in log


def _global_map_inputs():
    """A 4-degree global grid from 0 to 356 degrees east: its cells at the map's edge wrap round it."""
    lat, lon = np.arange(-88.0, 88.1, 4.0), np.arange(0.0, 359.0, 4.0)
    labels = ((np.arange(lon.size) // 6 + np.arange(lat.size)[:, None] // 8) % 3).astype(np.int32)
    return lat, lon, labels


@pytest.mark.parametrize("inputs", [_small_map_inputs, _global_map_inputs], ids=["region", "globe"])
def test_a_map_redrawn_for_another_k_equals_a_map_drawn_afresh(tmp_path, inputs):
    """The chunk's canvas keeps projection, mesh, basemap, gridlines and layout and swaps the data: no trace of the
    previous k or of the confidence map drawn between (on the globe, in the cells that wrap round the map's edge
    too), and nothing drawn outside the fixed frame (on the short map of the globe, the colour bar's label too)."""
    from matplotlib.image import imread

    lat, lon, labels = inputs()
    style = MapStyle(overlays=[]) if inputs is _global_map_inputs else MapStyle()
    five = np.where(labels >= 0, (labels + 1 + np.arange(lon.size)) % 5, -1)  # other data in every column

    def draw(canvas, grid, k, path):
        names = category_labels(np.linspace(-1, 1, k), np.full(k, 100.0 / k), "%")
        canvas.draw(grid, k, category_colors(k), names, f"k = {k}\nsecond line\nthird line\nfourth line")
        canvas.save(path)

    reused = CategoryMapCanvas(lat, lon, style)
    draw(reused, five, 5, tmp_path / "first.png")
    reused.draw_values(np.where(labels >= 0, 0.5, np.nan), "margin", "margin")
    reused.mark(labels == 1, color="white")
    reused.save(tmp_path / "margin.png")
    reused.mark(None)
    draw(reused, labels, 3, tmp_path / "reused.png")
    fresh = CategoryMapCanvas(lat, lon, style)
    draw(fresh, labels, 3, tmp_path / "fresh.png")
    np.testing.assert_array_equal(imread(tmp_path / "reused.png"), imread(tmp_path / "fresh.png"))
    assert not np.array_equal(imread(tmp_path / "first.png"), imread(tmp_path / "fresh.png"))
    renderer = fresh.fig.canvas.get_renderer()
    fresh._show_static(vector=True)
    drawn = fresh.fig.get_tightbbox(renderer)
    frame = fresh.fig.bbox_inches
    assert drawn.x0 >= -0.02 and drawn.y0 >= -0.02, "gridline labels inside the figure"
    assert drawn.x1 <= frame.x1 + 0.02 and drawn.y1 <= frame.y1 + 0.02, "colour bar labels and title inside the figure"


@pytest.mark.parametrize("inputs", [_small_map_inputs, _global_map_inputs], ids=["region", "globe"])
def test_the_png_dots_sit_where_the_pdf_draws_its_markers(tmp_path, inputs):
    """The PNG's dots on uncertain cells are pixels of the looked-up mesh; the PDF draws a marker per cell. Both put
    about as much dot on the same cells, and no dot stays once the next map marks nothing."""
    from matplotlib.image import imread
    from scipy.ndimage import binary_dilation

    lat, lon, labels = inputs()
    canvas = CategoryMapCanvas(lat, lon, MapStyle(overlays=[]))
    uncertain = labels == 1

    def dark(path):
        return (imread(path)[..., :3] < 0.12).all(axis=-1)

    def render(name, marked):
        canvas.draw(labels, 3, category_colors(3), None, "k = 3", uncertain=marked)
        canvas.save(tmp_path / f"{name}_lookup.png")
        canvas._show_static(vector=True)  # the mesh and markers, as the PDF draws them
        canvas.fig.savefig(tmp_path / f"{name}_mesh.png", dpi=canvas.DPI)
        canvas._show_static(vector=False)
        return dark(tmp_path / f"{name}_lookup.png"), dark(tmp_path / f"{name}_mesh.png")

    lookup_dots, mesh_dots = render("dots", uncertain)
    lookup_bare, mesh_bare = render("bare", None)
    lookup_dots, mesh_dots = lookup_dots & ~lookup_bare, mesh_dots & ~mesh_bare  # the coastline is dark too
    assert mesh_dots.sum() > 3 * uncertain.sum(), "a marker on every uncertain cell"
    assert 0.7 < lookup_dots.sum() / mesh_dots.sum() < 1.3, (lookup_dots.sum(), mesh_dots.sum())
    near = binary_dilation(mesh_dots, iterations=2)
    assert lookup_dots[near].sum() > 0.95 * lookup_dots.sum(), "the PNG's dots sit on the markers' cells"
    _, _ = render("again", None)
    np.testing.assert_array_equal(imread(tmp_path / "again_lookup.png"), imread(tmp_path / "bare_lookup.png"))


def test_many_categories_get_an_overview_instead_of_a_panel_each():
    from tomoclust.profile_plots import MAX_PANELS

    rng = np.random.default_rng(0)
    k = MAX_PANELS + 8
    profiles = rng.normal(size=(400, 10))
    fig = profile_figure(profiles, np.arange(400) % k, rng.normal(size=(k, 10)), np.linspace(50, 500, 10), k, "%", "t")
    assert len(fig.axes) <= 4, "centres, centre image, area-share bars, colour bar"
    lines = fig.axes[0].collections[0]
    assert len(lines.get_segments()) == k, "every centre drawn, as one collection"
    fig = profile_figure(profiles, np.arange(400) % 4, rng.normal(size=(4, 10)), np.linspace(50, 500, 10), 4, "%", "t")
    assert all(len(ax.collections) >= 1 for ax in fig.axes), "members drawn as one (rasterised) collection per panel"
    assert all(c.get_rasterized() for ax in fig.axes for c in ax.collections if len(c.get_paths()) > 10)


@pytest.mark.parametrize("variables", [1, 2], ids=["one variable", "two variables"])
def test_an_overview_redrawn_for_another_k_equals_one_drawn_afresh(tmp_path, variables):
    """A job's overview figure, redrawn from k = 30 (absolute velocities) to k = 20 (perturbations), holds no trace
    of k = 30: its image, bars, limits, colour bar and title are those of a figure made for k = 20 alone; and the
    colour bars' labels stay inside the figure."""
    from matplotlib.image import imread

    from tomoclust.profile_plots import CenterOverview

    rng = np.random.default_rng(1)
    depth = np.linspace(50.0, 600.0, 12)
    blocks = [
        VariableBlock(f"v{i}", slice(12 * i, 12 * (i + 1)), depth, 1.0, "%" if i == 0 else "km/s")
        for i in range(variables)
    ]

    def draw(overview, k, path, offset):
        centers = rng.normal(size=(k, 12 * variables)) + offset
        overview.draw(centers, k, f"k = {k}\nsecond line", category_colors(k), np.full(k, 100.0 / k))
        save_figure(overview.fig, tmp_path / path, close=False, bbox_inches=None)
        return centers

    figures = ProfileFigures(blocks)  # a job's
    reused = figures.overview()
    draw(reused, 30, "first.png", offset=4.0)
    rng = np.random.default_rng(2)
    draw(reused, 20, "reused.png", offset=0.0)
    rng = np.random.default_rng(2)
    centers = draw(CenterOverview(blocks), 20, "fresh.png", offset=0.0)
    np.testing.assert_array_equal(imread(tmp_path / "reused.png"), imread(tmp_path / "fresh.png"))
    assert not np.array_equal(imread(tmp_path / "first.png"), imread(tmp_path / "fresh.png"))
    assert len(reused.fig.axes) == 3 * variables, "the centres, their image and its colour bar per variable"
    assert len(reused.fig.axes[0].collections[0].get_segments()) == 20
    labels = np.arange(200) % 20
    blocks_figure = plot_cluster_profiles(
        np.zeros((200, 12 * variables)), labels, centers, blocks, 20, "t", None, None, figures=figures
    )
    assert blocks_figure is reused.fig, "the overview redrawn, with each category's share of the profiles"
    np.testing.assert_allclose([bar.get_height() for bar in reused.share_ax.patches], 5.0)
    assert reused.rows[0]["colorbar"].mappable.norm.vmin == -np.abs(centers[:, :12]).max(), "centred on zero"
    assert {ax.get_xlim() for ax in [reused.share_ax] + [row["image_ax"] for row in reused.rows]} == {(-0.5, 19.5)}
    drawn = reused.fig.get_tightbbox(reused.fig.canvas.get_renderer())
    frame = reused.fig.bbox_inches
    assert drawn.x0 >= 0 and drawn.y0 >= 0 and drawn.x1 <= frame.x1 and drawn.y1 <= frame.y1, "colour bars inside"


@pytest.mark.parametrize("variables", [1, 2], ids=["one variable", "two variables"])
def test_a_panel_figure_redrawn_for_another_k_equals_one_drawn_afresh(tmp_path, variables):
    """A job's figure of panels, redrawn from k = 12 to k = 8 (the same two rows of six), holds no trace of k = 12:
    its members, bands, centres, legend, value-axis labels, hidden panels and title are those of a figure made for
    k = 8 alone. Another layout (k = 5, one row) gets its own figure, and the one left is closed."""
    from matplotlib.image import imread

    rng = np.random.default_rng(3)
    depth = np.linspace(50.0, 600.0, 12)
    blocks = [
        VariableBlock(f"v{i}", slice(12 * i, 12 * (i + 1)), depth, 1.0, "%" if i == 0 else "km/s")
        for i in range(variables)
    ]
    profiles = rng.normal(size=(600, 12 * variables))

    def draw(figures, k, path, offset):
        labels = np.arange(600) % k
        centers = np.stack([profiles[labels == c].mean(axis=0) for c in range(k)]) + offset
        figure = plot_cluster_profiles(
            profiles + offset,
            labels,
            centers,
            blocks,
            k,
            f"k = {k}\nsecond line",
            member_std=np.stack([profiles[labels == c].std(axis=0) for c in range(k)]),
            member_quantiles=np.stack(
                [np.percentile(profiles[labels == c], [5, 25, 75, 95], axis=0) for c in range(k)]
            ),
            value_ranges=[(-3.0 + offset, 3.0 + offset)] * variables,
            figures=figures,
        )
        save_figure(figure, tmp_path / path, close=False, bbox_inches=None)
        return figure

    job = ProfileFigures(blocks)
    first = draw(job, 12, "first.png", offset=2.0)
    reused = draw(job, 8, "reused.png", offset=0.0)
    fresh_figures = ProfileFigures(blocks)
    draw(fresh_figures, 8, "fresh.png", offset=0.0)
    assert reused is first, "k = 8 and k = 12 share the layout, and the figure"
    np.testing.assert_array_equal(imread(tmp_path / "reused.png"), imread(tmp_path / "fresh.png"))
    assert not np.array_equal(imread(tmp_path / "first.png"), imread(tmp_path / "fresh.png"))
    shown = [ax for ax in reused.axes if ax.get_visible()]
    assert len(shown) == 8 * variables and len(reused.axes) == 12 * variables
    assert sum(ax.get_legend() is not None for ax in reused.axes) == variables, "one legend per variable's band"
    assert all(len(ax.collections) == 3 for ax in shown), "members and two bands, once"
    assert sum(bool(ax.get_xlabel()) for ax in shown) == 6 * variables, "the last panel of each column"
    other = draw(job, 5, "five.png", offset=0.0)
    assert other is not reused and not plt.fignum_exists(reused.number), "the layout left is closed"
    job.close()
    fresh_figures.close()
    assert not plt.fignum_exists(other.number)


def test_per_k_figure_paths_are_grouped_by_k():
    from tomoclust.plotting import figure_paths

    paths = ["r/m/figures/maps/k3.png", "r/m/figures/maps/k10.png", "r/m/figures/maps/k3.pdf"]
    assert figure_paths(paths) == {
        3: ("r/m/figures/maps/k3.png", "r/m/figures/maps/k3.pdf"),
        10: ("r/m/figures/maps/k10.png", None),
    }
    with pytest.raises(ValueError, match="not a per-k figure"):
        figure_paths(["r/m/figures/maps/summary.png"])


def test_quantile_envelopes_are_the_members_quantiles_and_robust_to_an_outlier():
    rng = np.random.default_rng(1)
    profiles = rng.normal(size=(300, 6))
    labels = np.arange(300) % 3
    profiles[0] = 1e6  # one wild profile in category 0
    ranges = cluster_quantiles(profiles, labels, 3)
    assert ranges.shape == (3, 4, 6)
    for c in range(3):
        np.testing.assert_allclose(ranges[c], np.quantile(profiles[labels == c], [0.05, 0.25, 0.75, 0.95], axis=0))
    assert np.all(ranges[0, 3] < 5.0), "the 95 % quantile ignores one outlier of 100; the standard deviation does not"
    mean, std, _ = cluster_statistics(profiles, labels, 3)
    assert np.all(std[0] > 1e4)


@pytest.mark.parametrize(
    "envelopes, bands, dashed", [(("quantiles", "std"), 2, 2), (("quantiles",), 2, 0), (("std",), 1, 0), ((), 0, 0)]
)
def test_profile_figure_envelopes(envelopes, bands, dashed):
    rng = np.random.default_rng(0)
    profiles = rng.normal(size=(80, 8))
    fig = profile_figure(
        profiles, np.arange(80) % 4, rng.normal(size=(4, 8)), np.linspace(50, 400, 8), 4, "%", "t", envelopes=envelopes
    )
    ax = fig.axes[0]
    filled = [c for c in ax.collections if type(c).__name__ in ("PolyCollection", "FillBetweenPolyCollection")]
    assert len(filled) == bands
    assert sum(1 for line in ax.lines if line.get_linestyle() == "--") == dashed
    labels = [t.get_text() for t in ax.get_legend().get_texts()] if ax.get_legend() else []
    assert ("5–95 %" in labels) == ("quantiles" in envelopes) and ("±1σ" in labels) == ("std" in envelopes)


def test_overlays_are_drawn_only_on_maps_they_cover():
    from tomoclust.maps import OVERLAY_MIN_SHARE, overlay_share

    us = (-124.7, 24.5, -66.9, 49.4)
    assert overlay_share(us, (-125.0, -100.0, 30.0, 50.0)) > 0.5, "the demo's western US"
    assert overlay_share(us, (-180.0, 180.0, -90.0, 90.0)) < OVERLAY_MIN_SHARE, "a global map"
    assert overlay_share(us, (0.0, 360.0, -90.0, 90.0)) < OVERLAY_MIN_SHARE, "a global map in 0..360"
    assert overlay_share(us, (230.0, 260.0, 30.0, 50.0)) > 0.5, "the western US in 0..360 longitudes"
    assert overlay_share(us, (100.0, 160.0, -10.0, 10.0)) == 0.0


def test_a_global_map_has_no_us_state_lines_and_says_why(caplog):
    lat, lon = np.arange(-88.0, 89.0, 4.0), np.arange(-178.0, 179.0, 4.0)
    labels = (np.add.outer(np.arange(lat.size), np.arange(lon.size)) % 3).astype(np.int32)
    with caplog.at_level("INFO"):
        _single_map(lat, lon, labels, 3, None, "global", MapStyle(overlays=["us_states"]))
    assert "overlay us_states covers" in caplog.text and "not drawn" in caplog.text
    assert "us_census" not in caplog.text


# --- Every other kind of figure, made from small inputs (the workflow runs draw them from real outputs) -------------


def _written(fig, path) -> int:
    """Bytes of the figure's PNG, drawn at a low resolution (the layout and every artist are drawn all the same)."""
    save_figure(fig, path, dpi=40, bbox_inches=None)
    return path.stat().st_size


def _closed(fig) -> None:
    """A map figure closed unrendered: cartopy projects its lines when drawn (the workflow runs draw them all)."""
    from tomoclust.plotting import plt

    plt.close(fig)


SMALL_MAPS = MapStyle(resolution="110m")


def test_the_comparison_figures(tmp_path):
    import xarray as xr

    from tomoclust.compare import agreement_table, labels_on_common_grid, matched_dataset, vote_dataset
    from tomoclust.compare_plots import plot_agreement, plot_matched_categories, plot_vote_map

    lat, lon, labels = _small_map_inputs()
    other = np.where(labels >= 0, (labels + np.arange(lon.size) // 9) % 3, -1)
    cubes = {
        name: xr.Dataset(
            {
                "labels": (
                    ("k", "latitude", "longitude"),
                    np.stack([np.where(grid >= 0, grid % 2, -1), grid]).astype(np.int32),
                )
            },
            coords={"k": [2, 3], "latitude": lat, "longitude": lon},
        )
        for name, grid in (("a", labels), ("b", other))
    }
    common, style = labels_on_common_grid(cubes), SMALL_MAPS
    fig = plot_vote_map(vote_dataset(common, [3]), 3, "votes", style)
    assert len(fig.axes) == 2, "the map and its colour bar"
    assert [t.get_text() for t in fig.axes[1].get_yticklabels()] == ["0 of 2", "1 of 2", "2 of 2"]
    _closed(fig)
    fig = plot_agreement(agreement_table(common), "agreement")
    assert [line.get_label() for line in fig.axes[0].lines] == ["a vs b"]
    assert _written(fig, tmp_path / "agreement.png") > 1_000
    fig = plot_matched_categories(matched_dataset(common, [2]), 2, "matched", style)
    assert len(fig.axes) == 2 * (2 + 2), "consensus, agreement count and one vote map per category, each with its bar"
    _closed(fig)


def test_the_classification_depth_window_and_lineage_figures(tmp_path):
    import pandas as pd
    import xarray as xr

    from tomoclust.classify_plots import plot_classification_agreement
    from tomoclust.colors import categories_table
    from tomoclust.lineage import lineage_edges
    from tomoclust.lineage_plots import plot_lineage
    from tomoclust.windows import slowest_category_rows
    from tomoclust.windows_plots import plot_depth_windows

    table = pd.DataFrame(
        {"target": ["a", "b"], "ari_with_own_fit": [1.0, 0.4], "agreement_area_percent": [100.0, 55.0]}
    )
    fig = plot_classification_agreement(table, "classified")
    assert len(fig.axes[0].patches) == 4, "two bars per target"
    assert _written(fig, tmp_path / "classified.png") > 1_000

    profiles = xr.Dataset({"profile_area": (("profile",), np.array([100.0, 100.0, 200.0]))})
    rows = [
        row
        for top, labels in ((1000.0, [0, 1, 0]), (1100.0, [0, 1, 1]))
        for row in slowest_category_rows(profiles, {2: np.array(labels)}, top, top + 300.0, 100.0)
    ]
    fig = plot_depth_windows(pd.DataFrame(rows), "m")
    assert len(fig.axes[0].lines) == 1 and "of the volume" in fig.axes[0].lines[0].get_label()
    assert _written(fig, tmp_path / "windows.png") > 1_000

    def fit(labels, k):
        sizes = np.bincount(labels, minlength=k)
        return xr.Dataset(
            {
                "labels": ("profile", labels),
                "cluster_size": ("cluster", sizes),
                "cluster_area_percent": ("cluster", 100.0 * sizes / sizes.sum()),
                "center_depth_mean": ("cluster", np.arange(k, dtype=float)),
            }
        )

    fits = {2: fit(np.array([0, 0, 1, 1]), 2), 3: fit(np.array([0, 0, 1, 2]), 3)}
    categories = categories_table(fits)
    edges = lineage_edges({k: f["labels"].values for k, f in fits.items()})
    fig = plot_lineage(edges, categories, categories[["k", "category", "color"]], "m", "%")
    assert len(fig.axes[0].collections[0].get_offsets()) == 5, "every category of k = 2 and 3"
    assert _written(fig, tmp_path / "lineage.png") > 1_000


def test_profile_figures_and_the_summary_panel_show_every_joined_variable():
    import pandas as pd

    from tomoclust.summary import plot_summary

    lat, lon, labels = _small_map_inputs()
    depth = np.linspace(50.0, 400.0, 8)
    blocks = [
        VariableBlock("dvs", slice(0, 8), depth, 2.0, "percent"),
        VariableBlock("vp", slice(8, 16), depth, 0.1, "km/s"),
    ]
    rng = np.random.default_rng(0)
    profiles = rng.normal(size=(60, 16))
    members = np.arange(60) % 3
    centers = np.stack([profiles[members == c].mean(axis=0) for c in range(3)])
    fig = plot_cluster_profiles(
        profiles,
        members,
        centers,
        blocks,
        3,
        "joint",
        member_std=cluster_statistics(profiles, members, 3)[1],
        member_quantiles=cluster_quantiles(profiles, members, 3),
    )
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == 6, "a row of panels per variable"
    assert {ax.get_xlabel() for ax in shown} == {"dvs (%)", "vp (km/s)"}
    low, high = shown[3].get_xlim()
    assert high - low < 2.0, "vp in its own units (scaled back by 0.1)"
    _closed(fig)
    overview = plot_cluster_profiles(
        profiles, np.arange(60) % 15, rng.normal(size=(15, 16)), blocks, 15, "joint", None, None
    )
    assert sum(ax.get_xlabel() in ("dvs (%)", "vp (km/s)") for ax in overview.axes) == 2, "a row per variable"
    _closed(overview)

    table = pd.DataFrame({"k": [2, 3, 4], "inertia": [3.0, 1.5, 1.2]})
    panels = {k: (np.where(labels >= 0, labels % k, -1), centers[:k], np.full((k, 16), 0.2)) for k in (2, 3)}
    fig = plot_summary(
        table, {"knee": 3}, lat, lon, panels, blocks, "1", "m", SMALL_MAPS, uncertain={k: labels == 1 for k in panels}
    )
    assert len(fig.axes) == 1 + 3 * len(panels), "the elbow; per k a map (its colour bar inset) and two centre panels"
    assert [ax.get_xlabel() for ax in fig.axes[2:4]] == ["dvs (%)", "vp (km/s)"]
    _closed(fig)
    named, unnamed = (
        category_ticks(3, ["a", "b", "c"], ordered_by="dvs")[2],
        category_ticks(30, None, ordered_by="dvs")[2],
    )
    assert "depth-averaged dvs" in named and "slowest in dvs" in named and unnamed == "category (0 slowest in dvs)"


@pytest.mark.parametrize("inputs", [_small_map_inputs, _global_map_inputs], ids=["region", "globe"])
def test_the_png_looks_its_cells_up_where_the_mesh_draws_them(tmp_path, inputs):
    """A PNG takes each pixel's colour from the grid cell under it; the same figure drawn by the mesh itself (as the
    PDF is) shows the same cells: pixels differ only along cell edges (the mesh joins projected corners by straight
    lines, the lookup follows the projection)."""
    from matplotlib.image import imread

    lat, lon, labels = inputs()
    canvas = CategoryMapCanvas(lat, lon, MapStyle(overlays=[]))
    canvas.draw(labels, 3, category_colors(3), None, "k = 3")
    canvas.save(tmp_path / "lookup.png")
    canvas._show_static(vector=True)  # the mesh, basemap and gridlines as the PDF draws them
    canvas.fig.savefig(tmp_path / "mesh.png", dpi=canvas.DPI)
    lookup, mesh = imread(tmp_path / "lookup.png"), imread(tmp_path / "mesh.png")
    colored = (np.abs(mesh[..., :3] - mesh[..., :3].mean(axis=-1, keepdims=True)).sum(axis=-1) > 0.1).sum()
    differ = (np.abs(lookup - mesh).sum(axis=-1) > 0.05).sum()
    assert colored > 20_000, "the map's cells are drawn"
    assert differ < 0.05 * colored, f"{differ} of {colored} coloured pixels differ"

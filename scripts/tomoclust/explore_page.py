"""The explore pages, drawn: Bokeh layouts with inline BokehJS and CustomJS callbacks, written as one HTML file.

Takes the arrays of ``tomoclust.explore`` (ModelPage, ComparisonPage) and returns the page's HTML text. All
data sit in ColumnDataSources: per k one column of category bytes (bit 7: uncertain) and one of margin bytes;
the slider's callback rebuilds the shown colours, uncertain dots and centres from them in the browser, so
moving k needs no server.
"""

from __future__ import annotations

import html

import numpy as np

from .explore import MARGIN_STEPS, NO_VALUE, ComparisonPage, ModelPage, criteria_columns, normalized

MAP_WIDTH = 520
NO_DATA_COLOR = "#00000000"
DOT_COLOR = "#1a1a1a"
CRITERIA_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f")

# Inline: each Div lives in its own shadow DOM.
SWATCH = "display:inline-block;width:12px;height:12px;margin:0 3px 0 6px;vertical-align:middle;"
# Shared by the callbacks: the rows of categories (k, category, color...) of one k, and a slice as an Array.
JS_HELPERS = """
const rows_of = (table, k, m) => {
  const ks = table.data.k, ms = table.data.model;
  let start = -1, count = 0;
  for (let i = 0; i < ks.length; i++) {
    if (ks[i] == k && (m === undefined || ms[i] == m)) { if (start < 0) start = i; count++; }
  }
  return [start, count];
};
const part = (a, s, e) => { const r = new Array(e - s); for (let i = s; i < e; i++) r[i - s] = a[i]; return r; };
"""

# The map at k (numbers through a colour mapper: no colour strings to parse), then the other panels.
MODEL_MAP = (
    JS_HELPERS
    + """
const k = slider.value, margin_mode = mode.active == 1;
const n = cells.data.x.length, code = store.data["c" + k], marg = store.data["m" + k];
const [start, count] = rows_of(cats, k);
const val = new Float32Array(n), cat = new Int8Array(n), margin = new Float32Array(n), dx = [], dy = [];
for (let i = 0; i < n; i++) {
  const c = code[i] & 127, m = marg[i];
  cat[i] = c;
  margin[i] = m == NO_VALUE ? NaN : m / STEPS;
  val[i] = margin_mode ? margin[i] : c;
  if (!margin_mode && code[i] >> 7) { dx.push(cells.data.x[i]); dy.push(cells.data.y[i]); }
}
if (margin_mode) { mapper.palette = mpal; mapper.high = 1; } \
else { mapper.palette = part(cats.data.color, start, start + count); mapper.high = count; }
cells.data = Object.assign({}, cells.data, {val: val, cat: cat, margin: margin});
dots.data = {x: dx, y: dy};
colorbar.visible = margin_mode;
"""
)

MODEL_PANELS = (
    JS_HELPERS
    + """
const k = slider.value;
const [start, count] = rows_of(cats, k);
const pal = part(cats.data.color, start, start + count);
const nd = depth.length, cv = curves.data.v;
const cx = [], cy = [], cc = [], bx = [], by = [], bc = [], ba = [];
const up = depth.slice().reverse();
let legend = "";
for (let j = 0; j < count; j++) {
  const base = (start + j) * 5 * nd;
  cx.push(part(cv, base, base + nd)); cy.push(depth); cc.push(pal[j]);
  for (const [lo, hi, alpha] of [[1, 4, 0.10], [2, 3, 0.22]]) {
    const l = part(cv, base + lo * nd, base + (lo + 1) * nd), h = part(cv, base + hi * nd, base + (hi + 1) * nd);
    if (isNaN(l[0])) continue;
    bx.push(l.concat(h.reverse())); by.push(depth.concat(up)); bc.push(pal[j]); ba.push(alpha);
  }
  const row = start + j;
  legend += `<span class="swatch" style="${SWATCH} background:${pal[j]}"></span>` +
    `<span class="entry" data-category="${j}" data-color="${pal[j]}">${j}: ${cats.data.center[row].toFixed(2)}, ` +
    `${cats.data.area[row].toFixed(1)}%</span> `;
}
centres.data = {xs: cx, ys: cy, color: cc};
bands.data = {xs: bx, ys: by, color: bc, alpha: ba};
for (const span of spans) span.location = k;
legend_div.text = `<div class="legend" style="font-size:12px;line-height:18px"><b>k = ${k}</b> (category: centre's ` +
  `depth average ${units}, share of the area)<br>${legend}</div>`;
status.text = `<b>k = ${k}</b> of ${slider.start}..${slider.end}` + \
(knee === null ? "" : `, knee of the elbow at k = ${knee}`) +
  `; uncertain points (dots): ${uncertain[k].toFixed(0)}% of the area (${rule})`;
"""
)

MODEL_HOVER = (
    JS_HELPERS
    + """
const idx = cb_data.index.indices;
if (!idx.length) return;
const i = idx[0], k = slider.value, nd = depth.length;
const c = store.data["c" + k][i] & 127, m = store.data["m" + k][i];
const pv = profiles.data.v, px = new Array(nd);
for (let j = 0; j < nd; j++) {
  const s = pv[i * nd + j];
  px[j] = s == -32768 ? NaN : offset + scale * s;
}
const [start] = rows_of(cats, k);
const base = (start + c) * 5 * nd, cv = curves.data.v, color = cats.data.color[start + c];
point.data = {x: px, y: depth};
centre.data = {x: part(cv, base, base + nd), y: depth, color: new Array(nd).fill(color)};
const lo = part(cv, base + 2 * nd, base + 3 * nd), hi = part(cv, base + 3 * nd, base + 4 * nd);
band.data = {xs: [lo.concat(hi.reverse())], ys: [depth.concat(depth.slice().reverse())], color: [color]};
const lat = cells.data.y[i], lon = cells.data.x[i];
info.text = `<div class="hovered" data-category="${c}">lat ${lat.toFixed(2)}, lon ${lon.toFixed(2)}: ` +
  `<b>category ${c}</b> at k = ${k}, margin ${m == NO_VALUE ? "none" : (m / STEPS).toFixed(2)}</div>`;
"""
)

COMPARISON_UPDATE = (
    JS_HELPERS
    + """
const k = slider.value, n = cells.data.x.length, update = {};
for (let m = 0; m < n_models; m++) {
  const code = store.data[`c${m}_${k}`];
  const [start, count] = rows_of(cats, k, m);
  const pal = part(cats.data.color, start, start + count);
  const color = new Array(n), cat = new Array(n);
  for (let i = 0; i < n; i++) {
    const c = code[i];
    color[i] = c == NO_VALUE ? NO_DATA : pal[c];
    cat[i] = c == NO_VALUE ? NaN : c;
  }
  update[`color${m}`] = color; update[`cat${m}`] = cat;
}
const votes = store.data[`v${k}`], vcolor = new Array(n), vote = new Array(n);
for (let i = 0; i < n; i++) { vote[i] = votes[i]; vcolor[i] = vpal[votes[i]]; }
update.vote = vote; update.vote_color = vcolor;
cells.data = Object.assign({}, cells.data, update);
for (const span of spans) span.location = k;
status.text = `<b>k = ${k}</b> of ${slider.start}..${slider.end}; knees: ${knees}` +
  (vote_k.includes(k) ? ` (k = ${k} is a vote map of the comparison, vote.nc)` : "");
"""
)

COMPARISON_HOVER = """
const idx = cb_data.index.indices;
if (!idx.length) return;
const i = idx[0], k = slider.value;
let text = `lat ${cells.data.y[i].toFixed(2)}, lon ${cells.data.x[i].toFixed(2)} at k = ${k}: `;
for (let m = 0; m < n_models; m++) {
  const c = cells.data[`cat${m}`][i];
  text += `<span class="hovered" data-model="${models[m]}" data-category="${isNaN(c) ? "" : c}">` +
    `${models[m]} <b>category ${isNaN(c) ? "none" : c}</b></span>; `;
}
info.text = text + `slowest category in ${cells.data.vote[i]} of ${n_models} models`;
"""

TAP_SELECTS_K = """
const i = source.selected.indices;
if (i.length) { slider.value = source.data.k[i[0]]; source.selected.indices = []; }
"""


def _map_figure(points, coastlines, title: str, name: str, width: int = MAP_WIDTH):
    from bokeh.models import Range1d
    from bokeh.plotting import figure

    dlat, dlon = points.cell
    x0, x1 = float(points.lon.min()) - dlon / 2, float(points.lon.max()) + dlon / 2
    y0, y1 = float(points.lat.min()) - dlat / 2, float(points.lat.max()) + dlat / 2
    aspect = (y1 - y0) / max(x1 - x0, 1e-6) / max(np.cos(np.radians(0.5 * (y0 + y1))), 0.3)
    if x1 - x0 > 300:  # global: plate carrée, 2:1
        aspect = (y1 - y0) / (x1 - x0)
    height = int(min(max(width * aspect, 220), 520)) + 60
    fig = figure(
        width=width,
        height=height,
        title=title,
        name=name,
        x_range=Range1d(x0, x1),
        y_range=Range1d(y0, y1),
        tools="pan,wheel_zoom,box_zoom,reset,save",
        active_scroll="wheel_zoom",
        x_axis_label="longitude (°)",
        y_axis_label="latitude (°)",
        toolbar_location="right",
    )
    fig.grid.visible = False
    fig.background_fill_color = "#ffffff"
    return fig


def _depth_figure(x_range, depth, units: str, title: str, name: str, height: int, **tools):
    """A profile panel: values across, depth down (the y axis points down)."""
    from bokeh.models import Range1d
    from bokeh.plotting import figure

    return figure(
        x_range=Range1d(*x_range),
        y_range=Range1d(max(depth), min(depth)),
        width=400,
        height=height,
        title=title,
        name=name,
        x_axis_label=units,
        y_axis_label="depth (km)",
        **tools,
    )


def _coastlines(fig, coastlines):
    from bokeh.models import ColumnDataSource

    if coastlines:
        source = ColumnDataSource(
            {"xs": [line[:, 0] for line in coastlines], "ys": [line[:, 1] for line in coastlines]}
        )
        fig.multi_line("xs", "ys", source=source, line_color="#333333", line_width=0.9, name="coastlines")


def _k_slider(ks, initial):
    from bokeh.models import Slider

    return Slider(
        start=min(ks), end=max(ks), step=1, value=initial, title="k (number of categories)", width=400, name="k_slider"
    )


def _spans(figures, initial):
    from bokeh.models import Span

    spans = []
    for fig in figures:
        span = Span(
            location=initial,
            dimension="height",
            line_color="#555555",
            line_width=2,
            line_alpha=0.5,
            name=f"k_span_{fig.name}",
        )
        fig.add_layout(span)
        spans.append(span)
    return spans


def _mark_knee(fig, k, y, label, name, color="#d62728"):
    from bokeh.models import Span

    fig.add_layout(Span(location=k, dimension="height", line_color=color, line_dash="dashed", line_width=1.5))
    fig.scatter([k], [y], marker="star", size=18, color=color, legend_label=label, name=name)


def _tap_selects_k(fig, renderer, slider):
    from bokeh.models import CustomJS, TapTool

    fig.add_tools(TapTool(renderers=[renderer]))
    renderer.data_source.selected.js_on_change(
        "indices", CustomJS(args={"source": renderer.data_source, "slider": slider}, code=TAP_SELECTS_K)
    )


def _html_text(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _write(layout, title: str, on_ready=None) -> str:
    """The page's HTML: BokehJS inline (no request leaves the file); ``on_ready`` runs once the page is drawn."""
    from bokeh.document import Document
    from bokeh.embed import file_html
    from bokeh.resources import INLINE

    doc = Document()
    doc.add_root(layout)
    if on_ready is not None:
        doc.js_on_event("document_ready", on_ready)
    return file_html(doc, resources=INLINE, title=title)


def _elbow_figure(page: ModelPage, slider):
    from bokeh.models import ColumnDataSource, HoverTool
    from bokeh.plotting import figure

    criteria = page.criteria
    source = ColumnDataSource({"k": criteria["k"].to_numpy(), "inertia": criteria["inertia"].to_numpy()})
    fig = figure(
        width=420,
        height=260,
        title="Elbow: inertia against k (click a k to select it)",
        name="elbow",
        tools="reset",
        x_axis_label="k",
        y_axis_label="inertia",
        toolbar_location=None,
    )
    fig.line("k", "inertia", source=source, line_color="#333333")
    dots = fig.scatter(
        "k",
        "inertia",
        source=source,
        size=9,
        color="#333333",
        name="elbow_points",
        nonselection_alpha=1.0,
        selection_color="#333333",
    )
    fig.add_tools(HoverTool(renderers=[dots], tooltips=[("k", "@k"), ("inertia", "@inertia{0.000}")]))
    _tap_selects_k(fig, dots, slider)
    if page.knee is not None and page.knee in page.ks:
        _mark_knee(
            fig,
            page.knee,
            float(criteria.loc[criteria["k"] == page.knee, "inertia"].iloc[0]),
            f"knee k = {page.knee}",
            "knee_marker",
        )
        fig.legend.location = "top_right"
    return fig


def _criteria_figure(page: ModelPage, slider):
    from bokeh.models import ColumnDataSource, HoverTool
    from bokeh.plotting import figure

    criteria = page.criteria
    fig = figure(
        width=420,
        height=260,
        title="Other criteria, each scaled 0..1 over k (dot: the k it prefers)",
        name="criteria",
        tools="reset",
        x_axis_label="k",
        y_axis_label="scaled value",
        toolbar_location=None,
    )
    for name, color in zip(criteria_columns(criteria), CRITERIA_COLORS):
        source = ColumnDataSource(
            {
                "k": criteria["k"].to_numpy(),
                "scaled": normalized(criteria[name].to_numpy()),
                "value": criteria[name].to_numpy(dtype=float),
            }
        )
        fig.line("k", "scaled", source=source, line_color=color, legend_label=name)
        dots = fig.scatter("k", "scaled", source=source, size=5, color=color, legend_label=name, nonselection_alpha=1.0)
        fig.add_tools(
            HoverTool(renderers=[dots], tooltips=[("criterion", name), ("k", "@k"), ("value", "@value{0.000}")])
        )
        _tap_selects_k(fig, dots, slider)
        best = page.preferred.get(name)
        if best in page.ks:
            row = criteria.index[criteria["k"] == best][0]
            fig.scatter([best], [source.data["scaled"][row]], size=12, fill_color=None, line_color=color, line_width=2)
    if fig.legend:
        fig.legend.location = "top_right"
        fig.legend.label_text_font_size = "8pt"
        fig.legend.click_policy = "hide"
        fig.legend.background_fill_alpha = 0.6
    return fig


def model_page_html(page: ModelPage) -> str:
    """The page of one model: elbow and criteria with the knee, k slider, map (categories or margin), centres."""
    from bokeh.layouts import column, row
    from bokeh.models import (
        ColorBar,
        ColumnDataSource,
        CustomJS,
        Div,
        HoverTool,
        LinearColorMapper,
        RadioButtonGroup,
    )
    from bokeh.palettes import Viridis256

    k0, points = page.initial_k, page.points
    slider = _k_slider(page.ks, k0)
    mode = RadioButtonGroup(labels=["categories", "margin"], active=0, name="mode")
    elbow, criteria = _elbow_figure(page, slider), _criteria_figure(page, slider)

    colors = page.categories
    cats = ColumnDataSource(
        {
            "k": colors["k"].to_numpy(),
            "category": colors["category"].to_numpy(),
            "color": colors["color"].tolist(),
            "area": colors["area_percent"].to_numpy(dtype=float),
            "center": colors["center_depth_mean"].to_numpy(dtype=float),
        },
        name="categories",
    )
    store = ColumnDataSource(
        {**{f"c{k}": page.codes[k] for k in page.ks}, **{f"m{k}": page.margins[k] for k in page.ks}}, name="store"
    )
    profiles = ColumnDataSource({"v": page.profiles.ravel()}, name="profiles")
    curves = ColumnDataSource({"v": page.curves.ravel()}, name="curves")
    pal0 = colors.loc[colors["k"] == k0].sort_values("category")["color"].tolist()
    code0, margin0 = page.codes[k0], page.margins[k0]
    cells = ColumnDataSource(
        {
            "x": points.lon,
            "y": points.lat,
            "val": (code0 & 127).astype(np.float32),
            "cat": (code0 & 127).astype(np.int8),
            "margin": np.where(margin0 == NO_VALUE, np.nan, margin0 / MARGIN_STEPS).astype(np.float32),
        },
        name="cells",
    )
    uncertain0 = (code0 >> 7).astype(bool)
    dots = ColumnDataSource({"x": points.lon[uncertain0], "y": points.lat[uncertain0]}, name="uncertain")
    mapper = LinearColorMapper(palette=pal0, low=0, high=len(pal0), nan_color="#cccccc", name="map_mapper")

    map_fig = _map_figure(points, page.coastlines, f"{page.model}: categories at the selected k (plate carrée)", "map")
    dlat, dlon = points.cell
    rects = map_fig.rect(
        "x",
        "y",
        width=dlon,
        height=dlat,
        source=cells,
        line_color=None,
        name="map_cells",
        dilate=True,
        fill_color={"field": "val", "transform": mapper},
    )
    map_fig.scatter("x", "y", source=dots, size=2.5, color=DOT_COLOR, name="uncertain_dots")
    _coastlines(map_fig, page.coastlines)
    mpal = [Viridis256[i] for i in np.linspace(0, 255, 11).astype(int)]
    colorbar = ColorBar(
        color_mapper=LinearColorMapper(palette=mpal, low=0, high=1),
        title="margin (0: between two centres, 1: on a centre)",
        visible=False,
        location=(0, 0),
        name="margin_colorbar",
    )
    map_fig.add_layout(colorbar, "below")

    depth = page.depth.tolist()
    low, high = float(np.nanmin(page.curves[:, 1])), float(np.nanmax(page.curves[:, 4]))
    pad = 0.05 * (high - low or 1.0)
    prof = _depth_figure(
        (low - pad, high + pad),
        depth,
        page.units,
        "Centres; 25–75 % and 5–95 % of members",
        "profiles",
        440,
        tools="pan,wheel_zoom,reset",
        toolbar_location="right",
    )
    bands = ColumnDataSource({"xs": [], "ys": [], "color": [], "alpha": []}, name="bands")
    centers = ColumnDataSource({"xs": [], "ys": [], "color": []}, name="centres")
    prof.patches("xs", "ys", source=bands, fill_color="color", fill_alpha="alpha", line_color=None)
    prof.multi_line("xs", "ys", source=centers, line_color="color", line_width=2.5)
    values = page.profile_offset + page.profile_scale * page.profiles[page.profiles > -32768]
    point_low, point_high = min(low, float(values.min())), max(high, float(values.max()))
    point_fig = _depth_figure(
        (point_low - pad, point_high + pad),
        depth,
        page.units,
        "Hovered point: its profile (black) over its centre",
        "point",
        300,
        tools="",
        toolbar_location=None,
    )
    point = ColumnDataSource({"x": [], "y": []}, name="point_profile")
    center = ColumnDataSource({"x": [], "y": [], "color": []}, name="point_center")
    band = ColumnDataSource({"xs": [], "ys": [], "color": []}, name="point_band")
    point_fig.patches("xs", "ys", source=band, fill_color="color", fill_alpha=0.25, line_color=None)
    point_fig.line("x", "y", source=center, line_color="#777777", line_width=3)
    point_fig.scatter("x", "y", source=center, color="color", size=4)
    point_fig.line("x", "y", source=point, line_color="black", line_width=1.5)

    legend_div = Div(text="", name="legend", width=MAP_WIDTH)
    status = Div(text="", name="status", width=900)
    info = Div(text="Hover a grid point of the map.", name="hover_info", width=400)
    spans = _spans([elbow, criteria], k0)
    rule = f"margin < {page.thresholds.get('margin')}"
    if page.thresholds.get("coassignment") is not None and "coassignment" in page.criteria.columns:
        rule += f" or co-assignment < {page.thresholds['coassignment']}"
    map_args = {
        "slider": slider,
        "mode": mode,
        "cells": cells,
        "dots": dots,
        "store": store,
        "cats": cats,
        "mapper": mapper,
        "colorbar": colorbar,
        "mpal": mpal,
        "NO_VALUE": NO_VALUE,
        "STEPS": MARGIN_STEPS,
    }
    args = {
        "slider": slider,
        "cats": cats,
        "curves": curves,
        "centres": centers,
        "bands": bands,
        "spans": spans,
        "legend_div": legend_div,
        "status": status,
        "depth": depth,
        "units": page.units,
        "knee": page.knee,
        "uncertain": {str(k): v for k, v in page.uncertain_percent.items()},
        "rule": rule,
        "SWATCH": SWATCH,
    }
    draw_map, draw_panels = CustomJS(args=map_args, code=MODEL_MAP), CustomJS(args=args, code=MODEL_PANELS)
    slider.js_on_change("value", draw_map, draw_panels)
    mode.js_on_change("active", draw_map)
    hover_args = {
        "slider": slider,
        "store": store,
        "cats": cats,
        "curves": curves,
        "profiles": profiles,
        "cells": cells,
        "point": point,
        "centre": center,
        "band": band,
        "info": info,
        "depth": depth,
        "scale": page.profile_scale,
        "offset": page.profile_offset,
        "NO_VALUE": NO_VALUE,
        "STEPS": MARGIN_STEPS,
    }
    map_fig.add_tools(
        HoverTool(
            renderers=[rects],
            callback=CustomJS(args=hover_args, code=MODEL_HOVER),
            tooltips=[("lat, lon", "@y{0.00}, @x{0.00}"), ("category", "@cat"), ("margin", "@margin{0.00}")],
        )
    )

    header = Div(
        text=(
            f"<h2>{html.escape(page.model)}: explore every k ({min(page.ks)}..{max(page.ks)})</h2>"
            f"<p class='knee'>Knee of the elbow: <b>k = {page.knee if page.knee is not None else 'none found'}</b>. "
            "Move the slider, or click a k on the elbow or the criteria, to map its categories (colours as in the "
            "report's figures: a persisting category keeps its colour from k to k + 1, so the splits show). Dots mark "
            "uncertain points. Hover the map for a point's profile.</p>"
            + (f"<p class='decimated'><b>Decimated map.</b> {html.escape(page.note)}</p>" if page.note else "")
        ),
        name="header",
        width=1400,
    )
    citation = Div(
        text=f"<p class='citation'><b>Model and whom to cite:</b> {_html_text(page.citation)}</p>",
        name="citation",
        width=1400,
    )
    # The initial k drawn by the same code as the slider's: run once when the page is ready.
    layout = column(
        header,
        status,
        row(column(elbow, criteria, slider, mode), column(map_fig, legend_div), column(prof, point_fig, info)),
        citation,
    )
    return _write(layout, f"{page.model}: explore every k", draw_panels)  # the map of the first k is drawn already


def comparison_page_html(page: ComparisonPage) -> str:
    """The page of a comparison: every model's categories side by side at one k, the vote, elbows and agreement."""
    from bokeh.layouts import column, row
    from bokeh.models import ColumnDataSource, CustomJS, Div, HoverTool
    from bokeh.palettes import YlOrRd9
    from bokeh.plotting import figure

    k0, points, n = page.initial_k, page.points, len(page.models)
    slider = _k_slider(page.ks, k0)
    elbow = figure(
        width=440,
        height=280,
        title="Elbows: inertia / inertia at the smallest k (click a k)",
        name="elbow",
        tools="reset",
        x_axis_label="k",
        y_axis_label="relative inertia",
        toolbar_location=None,
    )
    for m, (model, color) in enumerate(zip(page.models, CRITERIA_COLORS)):
        table = page.elbows[model]
        table = table[table["k"].isin(page.ks)]
        relative = table["inertia"].to_numpy() / table["inertia"].to_numpy()[0]
        source = ColumnDataSource({"k": table["k"].to_numpy(), "inertia": relative})
        elbow.line("k", "inertia", source=source, line_color=color, legend_label=model)
        dots = elbow.scatter(
            "k", "inertia", source=source, color=color, size=8, nonselection_alpha=1.0, legend_label=model
        )
        _tap_selects_k(elbow, dots, slider)
        knee = page.knees.get(model)
        if knee in page.ks:
            _mark_knee(
                elbow,
                knee,
                float(relative[list(table["k"]).index(knee)]),
                f"{model} knee k = {knee}",
                f"knee_marker_{m}",
                color,
            )
    elbow.legend.label_text_font_size = "8pt"
    agreement = figure(
        width=440,
        height=280,
        title="Agreement (adjusted Rand index) against k",
        name="agreement",
        tools="reset",
        x_axis_label="k",
        y_axis_label="ARI",
        toolbar_location=None,
    )
    for (a, b), rows in page.agreement.groupby(["model_a", "model_b"]):
        source = ColumnDataSource({"k": rows["k"].to_numpy(), "ari": rows["ari"].to_numpy()})
        agreement.line("k", "ari", source=source, legend_label=f"{a} vs {b}", line_color="#333333")
        dots = agreement.scatter("k", "ari", source=source, size=7, color="#333333", nonselection_alpha=1.0)
        _tap_selects_k(agreement, dots, slider)
    if agreement.legend:
        agreement.legend.label_text_font_size = "8pt"

    cats = ColumnDataSource(
        {
            key: np.concatenate(values) if key != "color" else sum(values, [])
            for key, values in {
                "model": [np.full(len(page.colors[m]), i) for i, m in enumerate(page.models)],
                "k": [page.colors[m]["k"].to_numpy() for m in page.models],
                "category": [page.colors[m]["category"].to_numpy() for m in page.models],
                "color": [page.colors[m]["color"].tolist() for m in page.models],
            }.items()
        },
        name="categories",
    )
    store = ColumnDataSource(
        {
            **{f"c{m}_{k}": page.codes[(m, k)] for m in range(n) for k in page.ks},
            **{f"v{k}": page.votes[k] for k in page.ks},
        },
        name="store",
    )
    vpal = ["#f0f0f0"] + [YlOrRd9[::-1][int(i)] for i in np.linspace(1, 8, n)] if n > 1 else ["#f0f0f0", "#bd0026"]
    cells = ColumnDataSource(
        {
            "x": points.lon,
            "y": points.lat,
            "vote": page.votes[k0],
            "vote_color": [vpal[v] for v in page.votes[k0]],
            **{f"color{m}": [NO_DATA_COLOR] * points.lat.size for m in range(n)},
            **{f"cat{m}": np.full(points.lat.size, np.nan, dtype=np.float32) for m in range(n)},
        },
        name="cells",
    )
    info = Div(text="Hover a grid point of a map.", name="hover_info", width=1300)
    status = Div(text="", name="status", width=1300)
    dlat, dlon = points.cell
    width = min(MAP_WIDTH, max(360, 1320 // min(n + 1, 3)))
    maps, hover_args = [], {"slider": slider, "cells": cells, "info": info, "n_models": n, "models": page.models}
    tooltips = [
        ("lat, lon", "@y{0.00}, @x{0.00}"),
        *[(m, f"@cat{i}") for i, m in enumerate(page.models)],
        ("slowest in", f"@vote of {n}"),
    ]
    for m, model in enumerate([*page.models, None]):
        title = (
            f"{model}: categories at the selected k"
            if model
            else f"Vote: models whose slowest category holds the point (0..{n})"
        )
        fig = _map_figure(points, page.coastlines, title, f"map_{m}" if model else "vote_map", width)
        rects = fig.rect(
            "x",
            "y",
            width=dlon,
            height=dlat,
            source=cells,
            fill_color=f"color{m}" if model else "vote_color",
            line_color=None,
            dilate=True,
            name=f"map_cells_{m}" if model else "vote_cells",
        )
        _coastlines(fig, page.coastlines)
        fig.add_tools(
            HoverTool(renderers=[rects], tooltips=tooltips, callback=CustomJS(args=hover_args, code=COMPARISON_HOVER))
        )
        maps.append(fig)
    for fig in maps[1:]:
        fig.x_range, fig.y_range = maps[0].x_range, maps[0].y_range
    spans = _spans([elbow, agreement], k0)
    knees = ", ".join(f"{m} {page.knees.get(m)}" for m in page.models)
    args = {
        "slider": slider,
        "cells": cells,
        "store": store,
        "cats": cats,
        "spans": spans,
        "status": status,
        "n_models": n,
        "vpal": vpal,
        "NO_VALUE": NO_VALUE,
        "NO_DATA": NO_DATA_COLOR,
        "knees": knees,
        "vote_k": page.vote_k,
    }
    slider.js_on_change("value", CustomJS(args=args, code=COMPARISON_UPDATE))
    vote_legend = " ".join(
        f"<span class='swatch' style='{SWATCH} background:{c}'></span>{v} of {n}" for v, c in enumerate(vpal)
    )
    header = Div(
        text=(
            f"<h2>Comparison {html.escape(page.name)}: {html.escape(', '.join(page.models))} side by side</h2>"
            f"<p class='knee'>Knees of the elbows: {html.escape(knees)}. Labels on the comparison's common grid; each "
            "model in the colours of its own categories.csv; the vote counts the models whose slowest category (0) "
            f"holds the point (vote.nc holds k = {', '.join(map(str, page.vote_k))}; "
            "the same count at every k here).</p>"
            + (f"<p class='decimated'><b>Decimated map.</b> {html.escape(page.note)}</p>" if page.note else "")
        ),
        name="header",
        width=1400,
    )
    legend = Div(text=f"<div class='legend' style='font-size:12px'>vote: {vote_legend}</div>", name="legend", width=600)
    citation = Div(
        text=f"<p class='citation'><b>Models and whom to cite:</b> {_html_text(page.citation)}</p>",
        name="citation",
        width=1400,
    )
    map_rows = [row(*maps[i : i + 3]) for i in range(0, len(maps), 3)]
    layout = column(header, status, row(elbow, agreement, column(slider, legend)), *map_rows, info, citation)
    return _write(layout, f"Comparison {page.name}: explore every k", CustomJS(args=args, code=COMPARISON_UPDATE))

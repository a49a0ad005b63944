"""Cluster profile figures: members faint, centre bold, ±1σ envelope, depth down.

Their margins are set in inches (``set_margins``), so they are saved as laid out, without the extra draw of a
tight bounding box.

Up to ``MAX_PANELS`` categories get one panel each. Beyond that a grid of
panels is too small to read (k = 50 would be 50 thumbnails), so the figure
shows what a reader can still compare: every centre on one depth axis, and
the centres as an image (category against depth) with each category's share
of the area.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.ticker import FixedLocator, MaxNLocator

from .colors import category_colors
from .plotting import plt
from .preprocess import cell_edges
from .units import display_units

MAX_MEMBERS_DRAWN = 150
MAX_PANELS = 12


ENVELOPES = ("std", "quantiles")


def drawn_members(labels: np.ndarray, k: int, seed: int = 0) -> list[np.ndarray]:
    """At most MAX_MEMBERS_DRAWN member indices per category, a fixed-seed sample."""
    rng = np.random.default_rng(seed)
    members = []
    for c in range(k):
        index = np.flatnonzero(labels == c)
        if index.size > MAX_MEMBERS_DRAWN:
            index = np.sort(rng.choice(index, MAX_MEMBERS_DRAWN, replace=False))
        members.append(index)
    return members


def draw_cluster_profiles(
    axes,
    profiles,
    labels,
    centers,
    depth,
    k,
    units,
    member_std,
    member_quantiles,
    seed: int = 0,
    colors=None,
    area_percent=None,
    envelopes=ENVELOPES,
    value_range=None,
):
    """One panel per category on the given axes (at least k of them); titles give the count and share of the area.

    ``envelopes``: ``quantiles`` shades the 5-95 % and 25-75 % ranges of the members at each depth (robust to
    outliers); ``std`` the centre ± 1 standard deviation (dashed lines beside quantiles, a band alone).
    ``member_std`` (k, depth) and ``member_quantiles`` (k, 4, depth) come from the fit (``fits/k{k}.nc``).
    """
    colors = category_colors(k) if colors is None else colors
    sizes = np.bincount(labels, minlength=k)
    std = member_std
    ranges = member_quantiles if "quantiles" in envelopes else None
    if area_percent is None:
        area_percent = _share_of_profiles(labels, k)
    low, high = value_range_of(profiles) if value_range is None else value_range
    spans_zero = low < 0.0 < high
    for c, members in enumerate(drawn_members(labels, k, seed)):
        ax = axes[c]
        if members.size:
            # One collection per panel, rasterised: a vector PDF stays small and quick to open.
            lines = np.stack([profiles[members], np.broadcast_to(depth, (members.size, depth.size))], axis=-1)
            ax.add_collection(LineCollection(lines, colors=[colors[c]], alpha=0.12, linewidths=0.4, rasterized=True))
        if ranges is not None:
            ax.fill_betweenx(depth, ranges[c, 0], ranges[c, 3], color=colors[c], alpha=0.22, lw=0, label="5–95 %")
            ax.fill_betweenx(depth, ranges[c, 1], ranges[c, 2], color=colors[c], alpha=0.45, lw=0, label="25–75 %")
        if "std" in envelopes and ranges is not None:
            for side in (-1.0, 1.0):
                ax.plot(
                    centers[c] + side * std[c], depth, color="0.15", lw=0.6, ls="--", label="±1σ" if side > 0 else None
                )
        elif "std" in envelopes:
            ax.fill_betweenx(
                depth, centers[c] - std[c], centers[c] + std[c], color=colors[c], alpha=0.35, lw=0, label="±1σ"
            )
        ax.plot(centers[c], depth, color="k", lw=2.2)
        ax.plot(centers[c], depth, color=colors[c], lw=1.4, label="centre")
        if spans_zero:
            ax.axvline(0.0, color="0.5", lw=0.5, ls=":")
        # y given: the title sits at the top of its panel, with no layout pass to dodge tick labels.
        ax.set_title(f"{c}: n = {sizes[c]}\n{area_percent[c]:.0f}% of the area", fontsize=8, color="k", y=1.0, pad=4)
    if envelopes:
        axes[0].legend(fontsize=5.5, loc="lower left", frameon=False, handlelength=1.4)
    axes[0].set_ylim(depth.max(), depth.min())  # depth increases downward
    return sizes


def plot_cluster_profiles(
    profiles,
    labels,
    centers,
    blocks,
    k,
    title,
    member_std,
    member_quantiles,
    max_columns: int = 6,
    colors=None,
    area_percent=None,
    envelopes=ENVELOPES,
    value_ranges=None,
    figures: ProfileFigures | None = None,
):
    """The panels of every category, one band of rows per variable of ``blocks`` (tomoclust.joint.variable_blocks:
    one block for a single variable). ``value_ranges``: each block's (low, high) from :func:`value_range_of` (once per
    job). Beyond ``MAX_PANELS`` categories, the overview. Drawn on a new figure, or redrawn on the figure of ``figures``
    (a job's, kept open) that has this k's layout."""
    figures = ProfileFigures(blocks, max_columns) if figures is None else figures
    if k > MAX_PANELS:
        overview = figures.overview()
        area_percent = _share_of_profiles(labels, k) if area_percent is None else area_percent
        overview.draw(centers, k, title, category_colors(k) if colors is None else colors, area_percent)
        return overview.fig
    if value_ranges is None:
        value_ranges = [value_range_of(block.values(profiles)) for block in blocks]
    panels = figures.panels(k)
    panels.draw(
        profiles, labels, centers, k, title, member_std, member_quantiles, colors, area_percent, envelopes, value_ranges
    )
    return panels.fig


class ProfileFigures:
    """A job's profile figures, each laid out once and redrawn for every k that takes it: the figure of panels of the
    current layout (k = 2..6: one row of k; k = 7..12: two rows of six) and the overview (k > ``MAX_PANELS``).

    The k of a job come in increasing order, so a panel layout once left is not needed again: its figure is closed
    when the next layout's is made. A figure returned stays open until then, or until :meth:`close`.
    """

    def __init__(self, blocks, max_columns: int = 6):
        self.blocks, self.max_columns = blocks, max_columns
        self._panels: ProfilePanels | None = None
        self._overview: CenterOverview | None = None

    def layout(self, k: int) -> tuple[int, int]:
        """Rows and columns of the panels of k categories (per variable)."""
        n_cols = min(k, self.max_columns)
        return math.ceil(k / n_cols), n_cols

    def panels(self, k: int) -> ProfilePanels:
        if self._panels is None or (self._panels.n_rows, self._panels.n_cols) != self.layout(k):
            if self._panels is not None:
                plt.close(self._panels.fig)
            self._panels = ProfilePanels(self.blocks, *self.layout(k))
        return self._panels

    def overview(self) -> CenterOverview:
        if self._overview is None:
            self._overview = CenterOverview(self.blocks)
        return self._overview

    def close(self) -> None:
        for figure in (self._panels, self._overview):
            if figure is not None:
                plt.close(figure.fig)


class ProfilePanels:
    """The figure of a panel per category for one layout (``n_rows`` × ``n_cols`` per variable), laid out once and
    redrawn for each k that takes it.

    The axes, their ticks, grid and depth labels and the margins are made once; each k removes the previous k's lines,
    bands and legend and draws its own, with its limits, value-axis labels and title. Panels beyond k are hidden.
    """

    def __init__(self, blocks, n_rows: int, n_cols: int):
        self.blocks, self.n_rows, self.n_cols = blocks, n_rows, n_cols
        band_height = 2.3 * n_rows + (0.45 if len(blocks) > 1 else 0.0)
        self.fig, self.axes = plt.subplots(
            n_rows * len(blocks), n_cols, figsize=(1.35 * n_cols + 0.8, band_height * len(blocks) + 0.6), squeeze=False
        )
        for ax in self.axes.flat:
            ax.grid(alpha=0.25, lw=0.4)
            ax.set_autoscale_on(False)
        # The first column carries the depth axis. (Tick labels are on by default: only those to hide are touched,
        # each touch costs a tick update; the value axis's are touched per k, where they change.)
        for ax in self.axes[:, 0]:
            ax.set_ylabel("depth (km)")
        for ax in self.axes[:, 1:].flat:
            ax.yaxis.set_tick_params(labelleft=False)
        self.value_labels_on = np.ones(self.axes.shape, dtype=bool)
        self.title = self.fig.suptitle("", fontsize=10)
        # Several variables: a wider gap between rows, for the value axis that closes each variable's band.
        set_margins(
            self.fig,
            left=0.65,
            right=0.15,
            bottom=0.5,
            top=1.05,
            wspace=0.12,
            hspace=0.75 if len(blocks) == 1 else 0.95,
        )

    def draw(
        self,
        profiles,
        labels,
        centers,
        k,
        title,
        member_std,
        member_quantiles,
        colors,
        area_percent,
        envelopes,
        value_ranges,
    ) -> None:
        for ax in self.axes.flat:
            for artist in [*ax.lines, *ax.collections, *ax.patches, *([ax.get_legend()] if ax.get_legend() else [])]:
                artist.remove()
        for band, (block, (low, high)) in enumerate(zip(self.blocks, value_ranges)):
            band_axes = self.axes[band * self.n_rows : (band + 1) * self.n_rows]
            flat = band_axes.ravel()
            block_centers, depth, label = block.values(centers), block.depth, axis_label(block, len(self.blocks))
            pad = 0.05 * (high - low)
            x_range = (min(low, block_centers.min()) - pad, max(high, block_centers.max()) + pad)
            # Limits and ticks fixed on every panel before drawing: no autoscaling after every band and line, and no
            # shared axes to keep in step.
            x_ticks = MaxNLocator(4).tick_values(*x_range)
            depth_ticks = MaxNLocator(5).tick_values(depth.min(), depth.max())
            for ax in flat:
                ax.set_xlim(*x_range)
                ax.set_ylim(depth.max(), depth.min())
                ax.xaxis.set_major_locator(FixedLocator(x_ticks))
                ax.yaxis.set_major_locator(FixedLocator(depth_ticks))
            draw_cluster_profiles(
                flat,
                block.values(profiles),
                labels,
                block_centers,
                depth,
                k,
                label,
                block.values(member_std),
                block.values(member_quantiles),
                colors=colors,
                area_percent=area_percent,
                envelopes=envelopes,
                value_range=(low, high),
            )
            labels_on = self.value_labels_on[band * self.n_rows : (band + 1) * self.n_rows].reshape(-1)
            for c, ax in enumerate(flat):
                # The last visible panel of each column carries the value axis.
                ax.set_visible(c < k)
                last_in_column = c < k <= c + self.n_cols
                ax.set_xlabel(label if last_in_column else "")
                if c < k and labels_on[c] != last_in_column:
                    ax.xaxis.set_tick_params(labelbottom=last_in_column)
                    labels_on[c] = last_in_column
        self.title.set_text(title)


def axis_label(block, n_blocks: int) -> str:
    """The value axis of a block: its units, and its variable's name when the figure shows several."""
    units = display_units(block.units)
    return f"{block.name} ({units})" if n_blocks > 1 else units


def value_range_of(profiles) -> tuple[float, float]:
    """The 0.5 and 99.5 percentiles of every value: the profile panels' common range, without a few outliers."""
    low, high = np.nanpercentile(profiles, [0.5, 99.5])
    return float(low), float(high)


def set_margins(fig, left: float, right: float, bottom: float, top: float, wspace: float, hspace: float) -> None:
    """Subplot margins in inches, whatever the figure's size (tight_layout costs a draw per figure)."""
    width, height = fig.get_size_inches()
    fig.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        bottom=bottom / height,
        top=1 - top / height,
        wspace=wspace,
        hspace=hspace,
    )


class CenterOverview:
    """The overview figure laid out once and redrawn for every k of a job (k > ``MAX_PANELS``).

    Axes, colour bars, margins and labels are made once; each k swaps the centres' lines, the image, the area-share
    bars, the axis limits and the title. A figure made afresh for each k would build its axes and their ticks again.
    """

    def __init__(self, blocks):
        self.blocks = blocks
        self.fig, axes = plt.subplots(
            len(blocks), 2, figsize=(7.6, 4.4 * len(blocks)), gridspec_kw={"width_ratios": [1.0, 1.7]}, squeeze=False
        )
        self.rows = []
        for block, (lines_ax, image_ax) in zip(blocks, axes):
            units = axis_label(block, len(blocks))
            lines_ax.set_xlabel(units)
            lines_ax.set_ylabel("depth (km)")
            lines_ax.set_title("centres (colour as on the map)", fontsize=8)
            lines_ax.grid(alpha=0.25, lw=0.4)
            lines = LineCollection([], linewidths=1.0)
            lines_ax.add_collection(lines)
            image_ax.set_xlabel("category (0 = slowest)")
            image_ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
            depth_edges = cell_edges(block.depth)
            image_ax.set_ylim(depth_edges[-1], depth_edges[0])
            lines_ax.set_ylim(block.depth.max(), block.depth.min())
            colorbar = self.fig.colorbar(_image_mappable(-1.0, 1.0), ax=image_ax, label=units, fraction=0.05, pad=0.02)
            self.rows.append({"lines": lines, "image_ax": image_ax, "edges": depth_edges, "colorbar": colorbar})
        first_image_ax = self.rows[0]["image_ax"]
        self.share_ax = first_image_ax.inset_axes([0.0, 1.06, 1.0, 0.14], sharex=first_image_ax)
        self.share_ax.set_ylabel("%", fontsize=7)
        self.share_ax.tick_params(labelbottom=False, labelsize=6)
        self.share_ax.spines[["top", "right"]].set_visible(False)
        self.share_ax.set_title("each category: share of the area (bars), centre profile (image)", fontsize=8)
        self.title = self.fig.suptitle("", fontsize=10)
        set_margins(
            self.fig, left=0.7, right=0.8, bottom=0.55, top=1.35, wspace=0.25, hspace=0.0 if len(blocks) == 1 else 0.35
        )
        self.drawn = []  # this k's image meshes and bars, removed before the next k

    def draw(self, centers, k: int, title: str, colors, area_percent) -> None:
        for artist in self.drawn:
            artist.remove()
        self.drawn = []
        for block, row in zip(self.blocks, self.rows):
            block_centers, depth = block.values(centers), block.depth
            row["lines"].set_segments(np.stack([block_centers, np.broadcast_to(depth, block_centers.shape)], axis=-1))
            row["lines"].set_color(colors)
            pad = 0.05 * (block_centers.max() - block_centers.min())
            row["lines"].axes.set_xlim(block_centers.min() - pad, block_centers.max() + pad)
            # Centred on zero for perturbations (the colour map's middle where the model is its reference), the data's
            # range otherwise.
            if block_centers.min() < 0.0 < block_centers.max():
                limit = float(np.abs(block_centers).max())
                vmin, vmax = -limit, limit
            else:
                vmin, vmax = float(block_centers.min()), float(block_centers.max())
            mappable = _image_mappable(vmin, vmax)
            image = row["image_ax"].pcolormesh(
                np.arange(k + 1) - 0.5, row["edges"], block_centers.T, cmap=mappable.cmap, norm=mappable.norm
            )
            image.set_rasterized(True)
            row["colorbar"].update_normal(mappable)
            row["image_ax"].set_xlim(-0.5, k - 0.5)  # the bars' axes share the first row's
            self.drawn.append(image)
        self.drawn.append(self.share_ax.bar(np.arange(k), area_percent, color=colors, width=0.85))
        self.share_ax.relim()
        self.share_ax.autoscale_view(scalex=False)
        self.title.set_text(title)


def _share_of_profiles(labels, k: int) -> np.ndarray:
    """Each category's share of the profiles (%), where no areas are given."""
    sizes = np.bincount(labels, minlength=k)
    return 100.0 * sizes / max(int(sizes.sum()), 1)


def _image_mappable(vmin: float, vmax: float) -> ScalarMappable:
    return ScalarMappable(norm=Normalize(vmin, vmax), cmap="RdYlBu")

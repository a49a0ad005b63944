"""A regionalisation applied to other models: classify their profiles with one model's saved centres.

Lekic & Romanowicz (2011) and Schaeffer & Lebedev's regionalisations give
tectonic types as centre profiles; applied to another model they show where
models agree on the types without re-clustering each. Here a target model's
profiles (from its own profiles.nc, made with the same transform) are
interpolated to the reference's depths within the range both cover, weighted
by the reference's depth weights, and given the nearest reference centre, with
the margin of tomoclust.criteria. The agreement figure is tomoclust.classify_plots.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from .criteria import nearest_center_margin
from .fit import center_distances
from .joint import is_joint, variable_blocks
from .units import display_units


class ClassifyError(ValueError):
    """A target that cannot be classified with the reference's centres; the message names the key to fix."""


def shared_depths(reference_depth: np.ndarray, target_depth: np.ndarray) -> np.ndarray:
    """Mask of the reference depths inside the depth range the target covers too."""
    return (reference_depth >= target_depth.min() - 1e-6) & (reference_depth <= target_depth.max() + 1e-6)


def interpolate_profiles(profiles: np.ndarray, depth: np.ndarray, new_depth: np.ndarray) -> np.ndarray:
    """Each profile (rows) linearly interpolated from ``depth`` (ascending) to ``new_depth`` (inside its range)."""
    upper = np.clip(np.searchsorted(depth, new_depth, side="left"), 1, depth.size - 1)
    lower = upper - 1
    span = depth[upper] - depth[lower]
    t = np.where(span > 0, (new_depth - depth[lower]) / np.where(span > 0, span, 1.0), 0.0)
    return profiles[:, lower] * (1.0 - t) + profiles[:, upper] * t


def check_compatible(reference: xr.Dataset, target: xr.Dataset, where: str) -> None:
    """The same transform and the same units, or a ClassifyError naming what differs."""
    if reference.attrs.get("transform") != target.attrs.get("transform"):
        raise ClassifyError(
            f"{where}: the reference was extracted with transform '{reference.attrs.get('transform')}', "
            f"the target with '{target.attrs.get('transform')}'; give the target model the same `transform`"
        )
    reference_blocks, target_blocks = variable_blocks(reference), variable_blocks(target)
    if is_joint(reference) or is_joint(target):
        names = ([b.name for b in reference_blocks], [b.name for b in target_blocks])
        if names[0] != names[1]:
            raise ClassifyError(
                f"{where}: the reference's profiles join the variables {names[0]}, the target's {names[1]}; "
                f"give the target model the same `variables`, in the same order"
            )
    for ours, theirs in zip(reference_blocks, target_blocks):
        if display_units(ours.units) != display_units(theirs.units):  # 'kmps' and 'km/s' are the same units
            raise ClassifyError(
                f"{where}: the reference's profiles are in '{ours.units}', the target's in '{theirs.units}'; "
                f"centres and profiles must be in the same units (a `transform` can make them so)"
            )


def classify_profiles(
    reference: xr.Dataset,
    reference_fit: xr.Dataset,
    target: xr.Dataset,
    metric: str = "euclidean",
    metric_params: dict | None = None,
    where: str = "classification",
) -> dict:
    """The nearest reference centre of every target profile, its margin, and the depths used.

    ``reference`` and ``target`` are profiles.nc datasets, ``reference_fit`` the reference's fits/k{k}.nc.
    """
    check_compatible(reference, target, where)
    depths, series, centers = [], [], []
    # Variable by variable (one block for a single variable): the target in its own units, interpolated to the
    # reference's depths and scaled as the reference's joined profiles are.
    for ours, theirs in zip(variable_blocks(reference), variable_blocks(target)):
        used = shared_depths(ours.depth, theirs.depth)
        if used.sum() < 2:
            raise ClassifyError(
                f"{where}: the reference depths {ours.depth.min():g}-{ours.depth.max():g} km and "
                f"the target's {theirs.depth.min():g}-{theirs.depth.max():g} km share fewer than 2 depths; "
                f"give the models overlapping `depth` ranges"
            )
        scale = np.sqrt(reference["depth_weight"].values[ours.columns][used])
        target_values = theirs.values(target["profiles"].values)
        series.append(interpolate_profiles(target_values, theirs.depth, ours.depth[used]) / ours.scale * scale)
        centers.append(reference_fit["centers"].values[:, ours.columns][:, used] * scale)
        depths.append(ours.depth[used])
    depth, series, centers = np.concatenate(depths), np.hstack(series), np.hstack(centers)
    distances = center_distances(series, centers, metric, metric_params)
    return {
        "labels": distances.argmin(axis=1).astype(np.int32),
        "margin": nearest_center_margin(distances),
        "depth": depth,
    }


def classification_dataset(
    target: xr.Dataset, own_fit: xr.Dataset, result: dict, reference_name: str, k: int
) -> xr.Dataset:
    """``classify/{name}/{target}/labels.nc``: the classified categories on the target's grid, their margin, the
    target's own categories at the same k (as fitted, and renamed to the reference's by maximum overlap), and the
    agreement between the two (ARI over the profiles, share of the area)."""
    from sklearn.metrics import adjusted_rand_score

    from .grid import labels_on_grid, on_grid
    from .lineage import match_categories

    labels, own = result["labels"], own_fit["labels"].values
    area = target["profile_area"].values
    mapping = match_categories(labels, own, k, area)
    own_matched = mapping[own]
    agree_percent = 100.0 * float(area[own_matched == labels].sum()) / max(float(area.sum()), 1e-300)
    ari = float(adjusted_rand_score(own, labels))
    dims = ("latitude", "longitude")
    return xr.Dataset(
        data_vars={
            "labels": (
                dims,
                labels_on_grid(target, labels),
                {
                    "long_name": f"nearest centre of {reference_name} at k={k} (its category ids, 0 = slowest)",
                    "comment": "-1 where the grid point has no complete profile",
                },
            ),
            "margin": (
                dims,
                on_grid(target, result["margin"], np.nan),
                {
                    "long_name": "margin between the nearest and second-nearest reference centre, "
                    "(d2 - d1) / (d2 + d1)",
                    "units": "1",
                },
            ),
            "own_labels": (dims, labels_on_grid(target, own), {"long_name": f"the target's own categories at k={k}"}),
            "own_labels_matched": (
                dims,
                labels_on_grid(target, own_matched),
                {"long_name": "the target's own categories renamed to the reference's by maximum area overlap"},
            ),
            "depth_used": (
                ("depth_used",),
                result["depth"],
                {"long_name": "reference depths both models cover", "units": "km"},
            ),
        },
        coords={"latitude": target["latitude"], "longitude": target["longitude"]},
        attrs={
            "title": f"Model {target.attrs.get('model', '?')} classified with the centres of {reference_name} at k={k}",
            "Conventions": "CF-1.8",
            "reference_model": reference_name,
            "k": k,
            "target_model": target.attrs.get("model", ""),
            "ari_with_own_fit": ari,
            "agreement_area_percent": agree_percent,
            "own_category_matching": ", ".join(f"{own_id}->{ref_id}" for own_id, ref_id in enumerate(mapping)),
        },
    )

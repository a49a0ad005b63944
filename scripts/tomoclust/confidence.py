"""How sure is each point of its category? Margin and restart co-assignment, and what counts as uncertain.

The fit job stores, per profile and k, the margin between the nearest and
second-nearest centre and (where restarts run) the share of restarts that keep
the profile with the same neighbours. Here they are put on the model grid
(``confidence.nc``) and judged against the config's ``confidence`` thresholds,
the one place that decides which points the maps mark as uncertain.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from .grid import NO_PROFILE, on_grid


def uncertain_profiles(fit: xr.Dataset, thresholds: dict) -> np.ndarray:
    """Per profile: margin below ``thresholds['margin']`` or co-assignment below ``thresholds['coassignment']``."""
    uncertain = fit["margin"].values < thresholds["margin"]
    if "coassignment" in fit:
        uncertain |= fit["coassignment"].values < thresholds["coassignment"]
    return uncertain


def uncertain_on_grid(profiles_ds: xr.Dataset, fit: xr.Dataset, thresholds: dict) -> np.ndarray:
    """The uncertain points of a fit on the (latitude, longitude) grid (False where no profile): the maps' dots."""
    return on_grid(profiles_ds, uncertain_profiles(fit, thresholds), False)


def uncertain_area_percent(fit: xr.Dataset, profile_area: np.ndarray, thresholds: dict) -> float:
    """Share of the region's area (cells with a profile) whose points are uncertain at this k."""
    total = float(profile_area.sum())
    return 100.0 * float(profile_area[uncertain_profiles(fit, thresholds)].sum()) / total if total > 0 else 0.0


def uncertainty_note(fit: xr.Dataset, profile_area: np.ndarray, thresholds: dict) -> str:
    """The legend lines of a map: how much of the area the dots cover, and what they mean."""
    rule = f"margin < {thresholds['margin']:g}"
    if "coassignment" in fit:
        rule += f" or co-assignment < {thresholds['coassignment']:g}"
    return f"dots: uncertain, {uncertain_area_percent(fit, profile_area, thresholds):.0f}% of the area\n({rule})"


def confidence_cube(profiles_ds: xr.Dataset, fits: dict[int, xr.Dataset], thresholds: dict) -> xr.Dataset:
    """``confidence.nc``: margin, co-assignment (where restarts ran) and the uncertain flag on
    (k, latitude, longitude)."""
    ks = sorted(fits)
    area = profiles_ds["profile_area"].values
    dims = ("k", "latitude", "longitude")
    data = {
        "margin": (
            dims,
            np.stack([on_grid(profiles_ds, fits[k]["margin"].values, np.nan) for k in ks]),
            {
                **fits[ks[0]]["margin"].attrs,
                "comment": "NaN where the grid point has no complete profile. "
                + fits[ks[0]]["margin"].attrs.get("comment", ""),
            },
        ),
        "uncertain": (
            dims,
            np.stack(
                [on_grid(profiles_ds, uncertain_profiles(fits[k], thresholds).astype(np.int8), NO_PROFILE) for k in ks]
            ),
            {
                "long_name": "the point's category is uncertain at this k",
                "flag_values": np.array([NO_PROFILE, 0, 1], dtype=np.int8),
                "flag_meanings": "no_profile certain uncertain",
                "comment": f"margin < {thresholds['margin']:g} or co-assignment < {thresholds['coassignment']:g} "
                "(config key confidence)",
            },
        ),
        "uncertain_area_percent": (
            ("k",),
            np.array([uncertain_area_percent(fits[k], area, thresholds) for k in ks]),
            {"long_name": "share of the region's area whose points are uncertain", "units": "percent"},
        ),
    }
    if all("coassignment" in fits[k] for k in ks):
        data["coassignment"] = (
            dims,
            np.stack([on_grid(profiles_ds, fits[k]["coassignment"].values, np.nan) for k in ks]),
            dict(fits[ks[0]]["coassignment"].attrs),
        )
    return xr.Dataset(
        data_vars=data,
        coords={
            "k": ("k", np.asarray(ks, dtype=np.int32), {"long_name": "number of clusters"}),
            "latitude": profiles_ds["latitude"],
            "longitude": profiles_ds["longitude"],
        },
        attrs={
            "title": f"Confidence of the k-means categories of model {profiles_ds.attrs.get('model', '?')}",
            "model": profiles_ds.attrs.get("model", ""),
            "Conventions": "CF-1.8",
            "margin_threshold": float(thresholds["margin"]),
            "coassignment_threshold": float(thresholds["coassignment"]),
        },
    )

"""A regionalisation applied to other models (issue 16, item 2): classification with saved centres."""

import numpy as np
import pytest
import xarray as xr

from tomoclust.classify import ClassifyError, check_compatible, interpolate_profiles, shared_depths


def test_interpolation_keeps_shared_depths_exactly_and_is_linear_between():
    depth = np.array([10.0, 20.0, 40.0])
    profiles = np.array([[1.0, 2.0, 6.0], [0.0, -1.0, 1.0]])
    np.testing.assert_array_equal(interpolate_profiles(profiles, depth, depth), profiles)
    np.testing.assert_allclose(interpolate_profiles(profiles, depth, np.array([15.0, 30.0])), [[1.5, 4.0], [-0.5, 0.0]])
    np.testing.assert_array_equal(shared_depths(np.array([0.0, 10.0, 25.0, 50.0]), depth), [False, True, True, False])


def test_different_transforms_or_units_are_refused_with_the_key():
    def profiles(transform, units):
        return xr.Dataset(
            {"profiles": (("profile", "depth"), np.zeros((1, 2)), {"units": units})}, attrs={"transform": transform}
        )

    with pytest.raises(ClassifyError, match="give the target model the same `transform`"):
        check_compatible(profiles("demean", "km/s"), profiles("none", "km/s"), "c")
    with pytest.raises(ClassifyError, match="'percent', the target's in 'km/s'"):
        check_compatible(profiles("none", "percent"), profiles("none", "km/s"), "c")
    check_compatible(profiles("demean", "kmps"), profiles("demean", "km/s"), "c")  # the same units, spelled two ways

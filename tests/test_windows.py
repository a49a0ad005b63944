"""Moving depth windows (issue 16, item 3): the slowest category's area and volume through depth."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from tomoclust.preprocess import EARTH_RADIUS_KM
from tomoclust.windows import slowest_category_rows, volume_shares, window_ranges


def test_windows_move_through_the_depth_range():
    assert window_ranges([1000, 2800], 300, 100)[:2] == [(1000.0, 1300.0), (1100.0, 1400.0)]
    assert (
        window_ranges([1000, 2800], 300, 100)[-1] == (2500.0, 2800.0)
        and len(window_ranges([1000, 2800], 300, 100)) == 16
    )
    assert window_ranges([2800, 1000], 300, 100) == window_ranges([1000, 2800], 300, 100)


def test_area_at_mid_depth_and_volume_of_the_shells():
    profiles = xr.Dataset({"profile_area": (("profile",), np.array([100.0, 100.0, 200.0]))})
    rows = slowest_category_rows(profiles, {2: np.array([0, 1, 0])}, 1000.0, 1300.0, 100.0)
    shrink = ((EARTH_RADIUS_KM - 1150.0) / EARTH_RADIUS_KM) ** 2
    assert rows[0]["slow_area_km2"] == pytest.approx(300.0 * shrink) and rows[0]["slow_area_percent"] == pytest.approx(
        75.0
    )
    assert rows[0]["slow_volume_km3"] == pytest.approx(300.0 * shrink * 100.0)
    table = pd.DataFrame(rows + slowest_category_rows(profiles, {2: np.array([0, 1, 1])}, 1100.0, 1400.0, 100.0))
    shrink2 = ((EARTH_RADIUS_KM - 1250.0) / EARTH_RADIUS_KM) ** 2
    expected = (300 * shrink + 100 * shrink2) / (400 * shrink + 400 * shrink2) * 100
    assert volume_shares(table)[2] == pytest.approx(expected)

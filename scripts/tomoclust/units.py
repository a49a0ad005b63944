"""Units as the files spell them ('percent', 'kmps'), read as one: for the figures' labels and the checks that
two datasets' values can be compared."""

from __future__ import annotations

UNIT_LABELS = {"percent": "%", "%": "%", "kmps": "km/s", "km/s": "km/s", "km s-1": "km/s", "m/s": "m/s", "1": ""}


def display_units(units: str) -> str:
    """Readable label for a file's ``units`` attribute ('percent' -> '%', 'kmps' -> 'km/s')."""
    return UNIT_LABELS.get(str(units).strip().lower(), str(units).strip())

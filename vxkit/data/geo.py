"""Simplified world boundaries: Natural Earth admin-0, computed once and cached as GeoJSON.

Full detail is about 550,000 vertices (megabytes in every notebook that maps it); simplified
to 0.1 degree (about 10 km) on a 0.01 degree grid, the world is about 600 KB and looks the
same at world and continent zoom.
"""

from __future__ import annotations

import contextlib
import json
from functools import cache
from typing import Any

from ..files import atomic_write
from .countries import _MISSING_ISO3, get_country
from .sources import cache_dir, source_path

TOLERANCE = 0.1  # degrees
GRID = 0.01  # degrees
CACHE_VERSION = 2


def _cache_name(tolerance: float) -> str:
    return f"boundaries-ne-t{tolerance:g}-g{GRID:g}-v{CACHE_VERSION}.geojson"


def compute_boundaries(tolerance: float | None = TOLERANCE) -> dict[str, Any]:
    """The world's countries as a GeoJSON FeatureCollection (``tolerance`` None: full detail).

    Each feature's properties are ``iso3``, ``iso2`` and ``name`` (English).
    """
    import shapefile
    import shapely
    from shapely.geometry import MultiPolygon, Polygon, mapping, shape

    # some countries have several records (Brazil's islands, Australia's territories):
    # one feature per ISO code, so a map colours every part of a country
    parts: dict[str, list[Any]] = {}
    with shapefile.Reader(str(source_path("natural_earth")), encoding="utf-8") as reader:
        for item in reader.iterShapeRecords(fields=["ISO_A3_EH", "ISO_A2_EH"]):
            iso2 = item.record["ISO_A2_EH"]
            iso3 = item.record["ISO_A3_EH"]
            if iso3 == "-99":
                iso3 = _MISSING_ISO3.get(iso2, "-99")
            if iso3 == "-99" or iso2 == "-99":
                continue
            geom = shape(item.shape.__geo_interface__)
            if tolerance is not None:
                geom = shapely.set_precision(geom.simplify(tolerance), GRID)
            polygons = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon)]
            if polygons:
                parts.setdefault(iso3, []).extend(polygons)
    features = []
    for iso3, polygons in parts.items():
        country = get_country(iso3)
        geom = polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
        features.append(
            {
                "type": "Feature",
                "properties": {"iso3": iso3, "iso2": country.iso2, "name": country.name},
                "geometry": mapping(geom),
            }
        )
    return {"type": "FeatureCollection", "features": features}


@cache
def _cached(tolerance: float) -> str:
    path = cache_dir() / _cache_name(tolerance)
    if path.exists():
        try:
            text = path.read_text(encoding="utf-8")
            json.loads(text)
            return text
        except (OSError, ValueError):
            pass  # a damaged cache file is recomputed
    text = json.dumps(compute_boundaries(tolerance), separators=(",", ":"))
    # a read-only cache (a sandboxed kernel's, not pre-warmed): computed each time
    with contextlib.suppress(OSError):
        atomic_write(path, text)
    return text


def boundaries(tolerance: float = TOLERANCE) -> dict[str, Any]:
    """Simplified world boundaries (GeoJSON dict), computed on first use and cached on disk.

    The cache lives in ``$VXKIT_CACHE_DIR`` or the user's cache folder; each call returns a
    fresh dict, so callers may change it.
    """
    return json.loads(_cached(float(tolerance)))

"""The world map: vxkit's ExchangeMap next to the straightforward folium map, in one run.

Both show CO2 per person by country for one year and the three demo partner schools.
The stock version is what a notebook would do with folium alone: ``folium.Choropleth`` on the
full-detail Natural Earth GeoJSON, ``folium.Marker`` popups, default tiles and CDN assets.

Measured for each: the notebook output size (``_repr_html_``, what every partner receives),
the time to build it in Python, and Chromium's time from navigation to every country drawn.
Chromium runs with the network blocked; for the stock map, the CDN copies of Leaflet,
jQuery and d3 are answered from the installed xstatic packages (the stock map would be blank
otherwise) and everything else it links (tiles, Bootstrap, fonts) is refused.

    .venv/bin/python bench/maps.py [--runs 5] [--no-browser]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import folium

from vxkit import data
from vxkit.data.geo import compute_boundaries
from vxkit.data.sources import source_path
from vxkit.exchange import Exchange, parse_exchange
from vxkit.widgets.maps import ExchangeMap
from vxkit.workspace import template_text

INDICATOR = "co2_per_person"
YEAR = 2010
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]


def demo() -> Exchange:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return parse_exchange(tomllib.loads(template_text("demo_exchange.toml")))


def stock_map(exchange: Exchange, world: dict) -> folium.Map:
    """The map as folium's documentation would have us write it."""
    frame = data.indicator(INDICATOR, years=YEAR)
    fmap = folium.Map(location=[20, 10], zoom_start=2)
    folium.Choropleth(
        geo_data=world,
        data=frame,
        columns=["iso3", "value"],
        key_on="feature.properties.iso3",
        fill_color="YlGnBu",
        legend_name="CO2 per person (t)",
    ).add_to(fmap)
    points = []
    for cls in exchange.classes:
        point = (cls.latitude, cls.longitude)
        points.append(point)
        folium.Marker(
            point, popup=folium.Popup(f"{cls.school}<br>{cls.city}"), tooltip=cls.school
        ).add_to(fmap)
    folium.PolyLine(points + points[:1], dash_array="6 6").add_to(fmap)
    return fmap


def timed(func, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def browser_times(pages: dict[str, Path], runs: int) -> dict[str, float | None]:
    """Median ms from navigation to all countries drawn, per page (None: never drawn)."""
    from playwright.sync_api import sync_playwright

    xstatic = source_path("leaflet_js").parents[2]  # .../xstatic/pkg
    local = {
        "leaflet.js": source_path("leaflet_js").read_bytes(),
        "leaflet.css": source_path("leaflet_css").read_bytes(),
        "jquery": (xstatic / "jquery/data/jquery.min.js").read_bytes(),
        "d3.min.js": (xstatic / "d3/data/d3.js").read_bytes(),  # folium's legend needs d3
    }

    def route(request_route) -> None:
        url = request_route.request.url
        if url.startswith(("file:", "data:")):
            request_route.continue_()
            return
        for key, body in local.items():
            if key in url and "leaflet.awesome" not in url:
                kind = "text/css" if key.endswith(".css") else "application/javascript"
                request_route.fulfill(status=200, body=body, content_type=kind)
                return
        request_route.abort()

    out: dict[str, float | None] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, path in pages.items():
            times = []
            for _ in range(runs):
                page = browser.new_page(viewport={"width": 1200, "height": 700})
                page.route("**/*", route)
                start = time.perf_counter()
                page.goto(path.as_uri(), wait_until="commit")
                try:
                    page.wait_for_function(
                        "document.querySelectorAll('path.leaflet-interactive').length > 200",
                        timeout=60_000,
                        polling=10,
                    )
                    times.append((time.perf_counter() - start) * 1000)
                except Exception:  # the page never drew the countries
                    times = []
                    page.close()
                    break
                page.close()
            out[name] = statistics.median(times) if times else None
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium timings")
    args = parser.parse_args()
    exchange = demo()

    full = compute_boundaries(None)
    vertices = sum(
        len(ring)
        for f in full["features"]
        for poly in (
            [f["geometry"]["coordinates"]]
            if f["geometry"]["type"] == "Polygon"
            else f["geometry"]["coordinates"]
        )
        for ring in poly
    )
    data.boundaries()  # our cache, computed once, as in use

    ours_time, ours_html = timed(
        lambda: ExchangeMap(exchange, INDICATOR, YEAR)._repr_html_(), args.runs
    )
    stock_time, stock_html = timed(lambda: stock_map(exchange, full)._repr_html_(), args.runs)
    ours_size, stock_size = len(str(ours_html).encode()), len(str(stock_html).encode())

    print(f"full Natural Earth boundaries: {len(full['features'])} features, {vertices} vertices")
    print(f"{'':28}{'vxkit':>14}{'stock folium':>16}{'ratio':>10}")
    print(
        f"{'notebook output (bytes)':28}{ours_size:>14,}{stock_size:>16,}"
        f"{ours_size / stock_size:>10.3f}"
    )
    print(
        f"{'build + render (s, median)':28}{ours_time:>14.3f}{stock_time:>16.3f}"
        f"{ours_time / stock_time:>10.3f}"
    )
    if args.no_browser:
        return
    with tempfile.TemporaryDirectory() as tmp:
        ours_file = Path(tmp) / "ours.html"
        stock_file = Path(tmp) / "stock.html"
        ExchangeMap(exchange, INDICATOR, YEAR).save(ours_file)
        stock_map(exchange, full).save(str(stock_file))
        times = browser_times({"vxkit": ours_file, "stock": stock_file}, args.runs)
    ours_ms, stock_ms = times["vxkit"], times["stock"]
    shown = [f"{t:.0f}" if t is not None else "never" for t in (ours_ms, stock_ms)]
    ratio = f"{ours_ms / stock_ms:.3f}" if ours_ms and stock_ms else "-"
    print(f"{'Chromium: countries drawn (ms)':28}{shown[0]:>14}{shown[1]:>16}{ratio:>10}")


if __name__ == "__main__":
    main()

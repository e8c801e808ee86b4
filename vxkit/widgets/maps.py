"""ExchangeMap: the partner schools, the lines between them and an indicator, on one offline map.

Built from folium elements (``MacroElement`` subclasses with jinja templates), rendered
offline: Leaflet's script and stylesheet are inlined from the ``xstatic-leaflet`` package,
no tiles are loaded unless asked for (the country polygons are the base map), and nothing
else is linked. A world choropleth with every partner is a few hundred kilobytes, because a
map's output is synced to every partner of a co-edited notebook.

Everything a person typed (school, city, profile, indicator title) is escaped as HTML and
then passed to the page as JSON, so it shows as text wherever it lands.
"""

from __future__ import annotations

import base64
import html
import itertools
import json
import math
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from ..errors import VxkitError
from ..exchange import Exchange, PartnerClass
from ..files import atomic_write
from ..i18n import first, say, tr

#: ColorBrewer YlGnBu, 7 classes: readable in greyscale and for colour-blind readers.
PALETTE = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84")
NO_DATA = "#d9d9d9"
SCALE = 100  # boundaries are on a 0.01 degree grid: coordinates travel as integers


class _Raw(Element):
    """Text placed in the page as it is.

    branca compiles the output of a ``MacroElement``'s macros as a new jinja template; our
    output holds text people typed, so ``{{ ... }}`` in a school's name would run as template
    code. Our elements add their output through this class instead.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _VxElement(MacroElement):
    """A folium element whose rendered macros are never templated a second time."""

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise VxkitError("A map element can only be rendered inside a map.")
        module = self._template.module.__dict__
        for part, target in (
            ("header", figure.header),
            ("html", figure.html),
            ("script", figure.script),
        ):
            macro = module.get(part)
            if macro is not None:
                target.add_child(_Raw(str(macro(self, kwargs))), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


def _package_file(relative: str) -> Path:
    from ..data.sources import source_path

    return source_path("leaflet_images").parent / relative


@cache
def _leaflet_assets() -> tuple[str, str]:
    """Leaflet's CSS (with its images as data URIs) and JS, from the installed xstatic package."""
    from ..data.sources import source_path

    css = source_path("leaflet_css").read_text(encoding="utf-8")
    for image in ("layers-2x.png", "layers.png", "marker-icon.png"):
        data = base64.b64encode(_package_file(f"images/{image}").read_bytes()).decode()
        css = css.replace(f"url(images/{image})", f"url(data:image/png;base64,{data})")
    js = source_path("leaflet_js").read_text(encoding="utf-8")
    # a script's text must not close its own <script> element
    return css.replace("</", "<\\/"), js.replace("</", "<\\/")


class OfflineAssets(_VxElement):
    """Leaflet's stylesheet and script, inlined in the page header."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        <script>{{ this.js }}</script>
        <style>
          .vx-legend, .vx-year { background: #fff; padding: 6px 8px; border-radius: 4px;
            box-shadow: 0 1px 4px rgba(0,0,0,.3); font: 12px/1.4 sans-serif; }
          .vx-legend i { display: inline-block; width: 14px; height: 12px; margin-right: 6px;
            vertical-align: middle; border: 1px solid #999; }
          .vx-legend .vx-title { font-weight: bold; margin-bottom: 4px; max-width: 220px; }
          .vx-year input { width: 180px; vertical-align: middle; }
          .vx-year b { display: inline-block; min-width: 3em; }
          .leaflet-container { background: #cfe3f3; }
        </style>
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "OfflineAssets"
        self.css, self.js = _leaflet_assets()


class _OfflineMap(folium.Map):
    """A folium map that links nothing: its assets come from ``OfflineAssets``."""

    default_js: list[tuple[str, str]] = []  # noqa: RUF012 - folium's own class attribute
    default_css: list[tuple[str, str]] = []  # noqa: RUF012


def _encode_ring(ring: list[list[float]]) -> list[int]:
    """A ring as integer deltas: ``[x0, y0, dx1, dy1, ...]`` in hundredths of a degree."""
    out: list[int] = []
    px = py = 0
    for lon, lat in ring:
        x, y = round(lon * SCALE), round(lat * SCALE)
        out += [x - px, y - py]
        px, py = x, y
    return out


def _encode_geometry(geometry: dict[str, Any]) -> list[list[list[int]]]:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return [[_encode_ring(ring) for ring in polygon] for polygon in polygons]


def _js(obj: Any) -> str:
    """Compact JSON that is safe inside a <script> element (as jinja's ``tojson``)."""
    text = json.dumps(obj, separators=(",", ":"), allow_nan=False)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(char, code)
    return text


def _fmt(value: float) -> str:
    """A number short enough for a legend: 3 significant digits, k/M/B for large ones."""
    magnitude = abs(value)
    for limit, suffix in ((1e9, " B"), (1e6, " M"), (1e3, " k")):
        if magnitude >= limit * 10:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}"


def _round3(value: float) -> float:
    if value == 0 or not math.isfinite(value):
        return 0.0
    digits = 2 - math.floor(math.log10(abs(value)))
    return round(value, max(digits, 0)) if digits > 0 else float(round(value, digits))


class CountryChoropleth(_VxElement):
    """Country polygons coloured by an indicator, one year at a time (``setYear`` in JS)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function (map) {
          var codes = {{ this.codes|tojson }};
          var shapes = {{ this.shapes_json }};
          var names = {{ this.names|tojson }};
          var values = {{ this.values_json }};
          var breaks = {{ this.breaks|tojson }};
          var colours = {{ this.colours|tojson }};
          var unit = {{ this.unit_html|tojson }};
          var layers = {};
          function ring(a) {
            var out = [], x = 0, y = 0;
            for (var i = 0; i < a.length; i += 2) {
              x += a[i]; y += a[i + 1];
              out.push([y / {{ this.scale }}, x / {{ this.scale }}]);
            }
            return out;
          }
          function colour(v) {
            if (v === null || v === undefined) return {{ this.no_data|tojson }};
            for (var i = 0; i < breaks.length; i++) { if (v < breaks[i]) return colours[i]; }
            return colours[colours.length - 1];
          }
          function fmt(v) {
            if (v === null || v === undefined) return {{ this.no_data_text|tojson }};
            return Number(v).toLocaleString(undefined, {maximumSignificantDigits: 3});
          }
          var group = L.featureGroup().addTo(map);
          codes.forEach(function (code, i) {
            var latlngs = shapes[i].map(function (poly) { return poly.map(ring); });
            var layer = L.polygon(latlngs, {
              weight: 0.6, color: "#666", fillOpacity: 0.85, className: "vx-country"
            });
            layer.vxCode = code;
            layer.addTo(group);
            layers[code] = layer;
          });
          var api = {
            year: null,
            setYear: function (year) {
              var row = values[String(year)] || [];
              api.year = year;
              codes.forEach(function (code, i) {
                var v = row[i];
                layers[code].setStyle({fillColor: colour(v)});
                layers[code].unbindTooltip();
                layers[code].bindTooltip(
                  names[i] + "<br>" + year + ": " + fmt(v) + (v == null ? "" : " " + unit),
                  {sticky: true}
                );
              });
            },
            group: group
          };
          api.setYear({{ this.year|tojson }});
          return api;
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        world: dict[str, Any],
        values: dict[int, dict[str, float]],
        year: int,
        unit: str,
        locale: str = "en",
    ) -> None:
        super().__init__()
        self._name = "CountryChoropleth"
        self.no_data_text = tr("no data", locale)
        self.scale = SCALE
        self.no_data = NO_DATA
        features = world["features"]
        self.codes = [f["properties"]["iso3"] for f in features]
        self.names = [html.escape(f["properties"]["name"] or "") for f in features]
        self.shapes_json = _js([_encode_geometry(f["geometry"]) for f in features])
        self.values_json = _js(
            {
                str(y): [_round3(row[c]) if c in row else None for c in self.codes]
                for y, row in values.items()
            }
        )
        self.year = year
        self.unit_html = html.escape(unit)
        every = sorted(v for row in values.values() for v in row.values())
        self.breaks = _quantile_breaks(every, len(PALETTE))
        self.colours = list(PALETTE[: len(self.breaks) + 1])


def _colour(value: float, breaks: list[float], colours: list[str]) -> str:
    """The colour of ``value`` in a key of ``breaks`` (upper bounds) and ``colours``, as the
    choropleth's script picks it."""
    index = next((i for i, bound in enumerate(breaks) if value < bound), len(colours) - 1)
    return colours[min(index, len(colours) - 1)]


def _quantile_breaks(values: list[float], classes: int) -> list[float]:
    """Upper bounds of ``classes`` - 1 quantile classes, rounded for a legend, increasing."""
    if not values:
        return []
    breaks: list[float] = []
    for i in range(1, classes):
        value = _round3(values[min(len(values) - 1, int(len(values) * i / classes))])
        if not breaks or value > breaks[-1]:
            breaks.append(value)
    return breaks


class ChoroplethLegend(_VxElement):
    """The colour key of a choropleth: title, unit, one swatch per class and "no data"."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
          var legend = L.control({position: "bottomleft"});
          legend.onAdd = function () {
            var div = L.DomUtil.create("div", "vx-legend");
            div.innerHTML = {{ this.inner_html|tojson }};
            return div;
          };
          legend.addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        title: str,
        unit: str,
        breaks: list[float],
        colours: list[str],
        locale: str = "en",
    ) -> None:
        super().__init__()
        self._name = "ChoroplethLegend"
        rows = [
            f'<div class="vx-title">{html.escape(title)}<br><small>{html.escape(unit)}'
            "</small></div>"
        ]
        bounds = [None, *breaks, None]
        for colour, (low, high) in zip(colours, itertools.pairwise(bounds), strict=False):
            if low is None:
                label = (
                    tr("below {value}", locale).format(value=_fmt(high))
                    if high is not None
                    else tr("all values", locale)
                )
            elif high is None:
                label = tr("{value} and more", locale).format(value=_fmt(low))
            else:
                label = f"{_fmt(low)} – {_fmt(high)}"
            rows.append(f'<div><i style="background:{colour}"></i>{html.escape(label)}</div>')
        no_data = html.escape(tr("no data", locale))
        rows.append(f'<div><i style="background:{NO_DATA}"></i>{no_data}</div>')
        self.inner_html = "".join(rows)


class YearControl(_VxElement):
    """A slider on the map that steps the choropleth through its years."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, layer) {
          var years = {{ this.years|tojson }};
          var control = L.control({position: "topright"});
          control.onAdd = function () {
            var div = L.DomUtil.create("div", "vx-year");
            var label = L.DomUtil.create("b", "", div);
            var input = L.DomUtil.create("input", "", div);
            input.type = "range"; input.min = 0; input.max = years.length - 1; input.step = 1;
            input.value = years.indexOf({{ this.year|tojson }});
            input.setAttribute("aria-label", {{ this.aria_label|tojson }});
            label.textContent = {{ this.year|tojson }};
            input.addEventListener("input", function () {
              var year = years[Number(input.value)];
              label.textContent = year;
              layer.setYear(year);
            });
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
          };
          control.addTo(map);
        })({{ this._parent.get_name() }}, {{ this.layer.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self, layer: CountryChoropleth, years: list[int], year: int, locale: str = "en"
    ) -> None:
        super().__init__()
        self._name = "YearControl"
        self.aria_label = tr("year", locale)
        self.layer = layer
        self.years = years
        self.year = year


def school_popup_html(
    cls: PartnerClass, now: datetime | None = None, locale: str = "en", extra: str = ""
) -> str:
    """The popup of a school marker: school, city and country, local time, and ``extra``
    (a line of text, such as the class's measurement); all escaped."""
    local = cls.local_now(now)
    more = f"<br>{html.escape(extra)}" if extra else ""
    return (
        '<div class="vx-popup">'
        f"<b>{html.escape(cls.school)}</b><br>"
        f"{html.escape(cls.city)}, {html.escape(cls.country_name(first(locale)))}<br>"
        f"{html.escape(tr('Local time:', locale))} "
        f'<span class="vx-time" data-tz="{html.escape(cls.timezone)}">'
        f"{local:%a %H:%M}</span>{more}"
        "</div>"
    )


class SchoolMarkers(_VxElement):
    """One circle marker per partner school; the popup's local time is refreshed on opening."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
          var schools = {{ this.schools|tojson }};
          function localTime(tz) {
            try {
              return new Intl.DateTimeFormat(undefined, {
                timeZone: tz, weekday: "short", hour: "2-digit", minute: "2-digit",
                hourCycle: "h23"
              }).format(new Date());
            } catch (e) { return null; }
          }
          schools.forEach(function (s) {
            var marker = L.circleMarker([s.lat, s.lon], {
              radius: 9, color: "#222", weight: 2, fillColor: s.colour, fillOpacity: 1,
              className: "vx-school"
            }).addTo(map);
            marker.bindPopup(s.popup);
            marker.bindTooltip(s.label);
            marker.on("popupopen", function (e) {
              var span = e.popup.getElement().querySelector(".vx-time");
              var now = span && localTime(span.getAttribute("data-tz"));
              if (now) span.textContent = now;
            });
          });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, schools: list[dict[str, Any]]) -> None:
        super().__init__()
        self._name = "SchoolMarkers"
        self.schools = schools


class PartnerLines(_VxElement):
    """Dashed lines between every pair of partner schools."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
          {{ this.lines|tojson }}.forEach(function (line) {
            L.polyline(line, {color: "#333", weight: 2, opacity: 0.7, dashArray: "6 6",
                              className: "vx-line", interactive: false}).addTo(map);
          });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, points: list[tuple[float, float]]) -> None:
        super().__init__()
        self._name = "PartnerLines"
        self.lines = [[list(a), list(b)] for a, b in itertools.combinations(points, 2)]


def _country_point(world: dict[str, Any], iso3: str) -> tuple[float, float]:
    """A point inside the largest part of a country, as (latitude, longitude)."""
    import shapely
    from shapely.geometry import shape

    for feature in world["features"]:
        if feature["properties"]["iso3"] == iso3:
            geom = shapely.make_valid(shape(feature["geometry"]))
            parts = [g for g in getattr(geom, "geoms", [geom]) if g.area > 0]
            point = max(parts, key=lambda g: g.area).representative_point()
            return round(point.y, 2), round(point.x, 2)
    raise VxkitError(f"There is no map of the country {iso3}: give the school a latitude.")


class ExchangeMap:
    """The map of an exchange: partner schools, lines between them, and an indicator.

    ``exchange`` is an ``Exchange`` (None: the workspace around the notebook);
    ``indicator`` an id from ``vxkit.data.list_indicators()`` (None: no choropleth);
    ``year`` the year shown first (None: the latest); ``years`` the years the year control
    offers (None: every year of the indicator); ``tiles`` a folium tile name such as
    "OpenStreetMap" (None: no tiles, so the map works offline); ``measurements`` a value per
    class id (a class's own data, such as its mean noon temperature), shown in each school's
    colour key and popup under the title ``measured`` in ``unit``; ``locale`` the language of
    the labels (several, comma-separated, for a team); ``observations`` a table of a data
    contribution (``vxkit.widgets.observations``): each class's mean, titled and in the unit
    of the observation kind.
    """

    def __init__(
        self,
        exchange: Exchange | None = None,
        indicator: str | None = None,
        year: int | None = None,
        *,
        years: range | list[int] | None = None,
        tiles: str | None = None,
        locale: str = "en",
        height: str = "480px",
        now: datetime | None = None,
        measurements: dict[str, float] | None = None,
        measured: str = "",
        unit: str = "",
        observations: Any = None,
    ) -> None:
        if exchange is None:
            from ..workspace import find_workspace

            exchange = find_workspace().load()
        self.exchange = exchange
        self.indicator = indicator
        self.tiles = tiles
        self.locale = locale
        self.height = height
        self.now = now
        if observations is not None and len(observations):
            from .contribution import KINDS

            kind = KINDS.get(str(observations["kind"].iloc[0]))
            rows = observations[observations["kind"] == observations["kind"].iloc[0]]
            measurements = rows.groupby("class_id")["value"].mean().round(1).to_dict()
            label = kind.label if kind else str(observations["kind"].iloc[0])
            measured = measured or say("{label} (mean)", locale, {"label": label})
            unit = unit or (tr(kind.unit, locale) if kind else str(rows["unit"].iloc[0]))
        self.measurements = {}
        for class_id, value in (measurements or {}).items():
            number = float(value)
            if not math.isfinite(number):
                raise VxkitError(f"measurements: {class_id} has no number ({value!r}).")
            self.measurements[str(class_id)] = number
        self.measured = measured
        self.unit = unit
        self.years: list[int] = []
        self.year: int | None = None
        if indicator is not None:
            self._choose_years(indicator, year, years)
        elif year is not None:
            raise VxkitError("Choose an indicator to show a year: ExchangeMap(indicator=...).")

    def _choose_years(
        self, indicator_id: str, year: int | None, years: range | list[int] | None
    ) -> None:
        from ..data import get_indicator

        ind = get_indicator(indicator_id)
        available = sorted(set(self._frame(indicator_id)["year"]))
        wanted = available if years is None else [y for y in years if y in set(available)]
        if not wanted:
            raise VxkitError(
                f"{ind.id} has no values for the years asked for; it has {available[0]} to "
                f"{available[-1]}."
            )
        if year is None:
            # the latest year most countries report (the very last years are often sparse)
            counts = self._frame(indicator_id).groupby("year")["iso3"].count()
            full = counts.max() * 0.8
            year = max((y for y in wanted if counts.get(y, 0) >= full), default=wanted[-1])
        if year not in wanted:
            raise VxkitError(
                f"{ind.id} has no values for {year}; choose a year from {wanted[0]} to "
                f"{wanted[-1]}."
            )
        self.years, self.year = wanted, year

    @staticmethod
    def _frame(indicator_id: str) -> Any:
        from ..data import indicator as load_indicator

        return load_indicator(indicator_id)

    def set_year(self, year: int) -> ExchangeMap:
        """Show another year of the indicator (the map is rendered again when displayed)."""
        if self.indicator is None:
            raise VxkitError("This map shows no indicator: create it with indicator=...")
        self._choose_years(self.indicator, year, self.years)
        return self

    def build(self) -> folium.Map:
        """The folium map, with every vxkit element added."""
        from ..data import boundaries, get_indicator

        world = boundaries()
        fmap = _OfflineMap(
            location=[20, 10],
            zoom_start=2,
            min_zoom=1,
            tiles=self.tiles,
            height=self.height,
            world_copy_jump=False,
        )
        fmap.add_child(OfflineAssets())
        if self.indicator is not None and self.year is not None:
            ind = get_indicator(self.indicator)
            frame = self._frame(self.indicator)
            frame = frame[frame["year"].isin(self.years)]
            values: dict[int, dict[str, float]] = {y: {} for y in self.years}
            for iso3, year, value in zip(frame["iso3"], frame["year"], frame["value"], strict=True):
                values[int(year)][iso3] = float(value)
            unit = tr(ind.unit, self.locale)
            layer = CountryChoropleth(world, values, self.year, unit, self.locale)
            fmap.add_child(layer)
            title = tr(ind.title, self.locale)
            fmap.add_child(ChoroplethLegend(title, unit, layer.breaks, layer.colours, self.locale))
            if len(self.years) > 1:
                fmap.add_child(YearControl(layer, self.years, self.year, self.locale))
        else:
            shapes = CountryChoropleth(world, {}, 0, "", self.locale)
            fmap.add_child(shapes)
        measured = sorted(self.measurements.values())
        breaks = _quantile_breaks(measured, min(len(measured), len(PALETTE)))
        colours = list(PALETTE[: len(breaks) + 1])
        if self.measurements:
            fmap.add_child(ChoroplethLegend(self.measured, self.unit, breaks, colours, self.locale))
        schools, points = [], []
        for cls in self.exchange.classes:
            if cls.latitude is not None and cls.longitude is not None:
                point = (cls.latitude, cls.longitude)
            else:
                from ..data import to_iso3

                point = _country_point(world, to_iso3(cls.country))
            points.append(point)
            colour, extra = cls.colour, ""
            if self.measurements:
                value = self.measurements.get(cls.id)
                colour = NO_DATA if value is None else _colour(value, breaks, colours)
                shown = tr("no data", self.locale) if value is None else f"{value:g} {self.unit}"
                extra = f"{self.measured}: {shown}"
            schools.append(
                {
                    "lat": point[0],
                    "lon": point[1],
                    "colour": colour,
                    "popup": school_popup_html(cls, self.now, self.locale, extra),
                    "label": html.escape(f"{cls.school} ({cls.city})"),
                }
            )
        fmap.add_child(PartnerLines(points))
        fmap.add_child(SchoolMarkers(schools))
        if points:
            lats = [p[0] for p in points]
            lons = [p[1] for p in points]
            fmap.fit_bounds([[min(lats) - 15, min(lons) - 25], [max(lats) + 15, max(lons) + 25]])
        return fmap

    def to_html(self) -> str:
        """The map as a complete HTML page that works with no network."""
        return self.build().get_root().render()

    def save(self, path: str | Path) -> Path:
        """Write the map as an HTML file (opens in any browser, offline)."""
        target = Path(path)
        atomic_write(target, self.to_html())
        return target

    def _repr_html_(self) -> str:
        return self.build()._repr_html_()

    def __repr__(self) -> str:
        shown = f"{self.indicator} {self.year}" if self.indicator else "schools only"
        return f"<ExchangeMap {self.exchange.id}: {shown}>"


__all__ = [
    "ChoroplethLegend",
    "CountryChoropleth",
    "ExchangeMap",
    "OfflineAssets",
    "PartnerLines",
    "SchoolMarkers",
    "YearControl",
]

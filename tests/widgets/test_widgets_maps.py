"""ExchangeMap rendered offline and inspected: assets inlined, small, escaped, year control."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.widgets.samples import EVIL, TEMPLATE_CODE, demo_tables
from vxkit import data
from vxkit.errors import VxkitError
from vxkit.exchange import Exchange, parse_exchange
from vxkit.widgets import ExchangeMap

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=timezone.utc)


def script_value(page: str, name: str) -> object:
    """The JSON literal assigned to ``var name = ...;`` in the page."""
    match = re.search(rf"var {name} = (.*?);\n", page)
    assert match, f"no var {name} in the page"
    return json.loads(match.group(1))


def links_outside(page: str) -> list[str]:
    """Everything the page would load from the network (scripts, styles, images, frames)."""
    found = re.findall(
        r"<(?:script|link|img|iframe)[^>]+(?:src|href)=[\"']?(https?:[^\"' >]+)", page
    )
    found += re.findall(r"url\(\s*[\"']?(https?:[^)\"']+)", page)
    return found


@pytest.fixture
def world_map(demo_exchange: Exchange) -> ExchangeMap:
    return ExchangeMap(demo_exchange, "co2_per_person", now=NOW)


def test_renders_offline_with_leaflet_inlined(world_map: ExchangeMap) -> None:
    page = world_map.to_html()
    assert links_outside(page) == []
    assert "<script src" not in page
    assert "tile.openstreetmap" not in page
    assert 'version="1.9.3"' in page or "1.9.3" in page  # Leaflet itself is in the page
    assert "L.map(" in page
    assert "data:image/png;base64," in page  # Leaflet's CSS images too


def test_world_choropleth_with_markers_is_under_1_mb(world_map: ExchangeMap) -> None:
    output = world_map._repr_html_()
    assert output.startswith("<div") and "<iframe srcdoc=" in output
    assert len(output.encode()) <= 1_000_000
    assert len(output.encode()) > 200_000  # the world really is in it


def test_choropleth_has_every_country_and_values(world_map: ExchangeMap) -> None:
    page = world_map.to_html()
    codes = script_value(page, "codes")
    assert isinstance(codes, list) and len(codes) > 230
    assert {"FRA", "KEN", "CHL"} <= set(codes)
    values = script_value(page, "values")
    assert isinstance(values, dict)
    assert set(values) == {str(y) for y in range(1950, 2013)}
    france_2010 = values["2010"][codes.index("FRA")]
    expected = data.indicator("co2_per_person", ["FR"], 2010)["value"].iloc[0]
    assert france_2010 == pytest.approx(expected, rel=0.01)
    breaks = script_value(page, "breaks")
    assert breaks == sorted(breaks) and len(breaks) == 6


def legend_html(page: str) -> str:
    match = re.search(r"div.innerHTML = (.*?);\n", page)
    assert match, "no legend in the page"
    return json.loads(match.group(1))


def test_legend_names_indicator_unit_and_classes(world_map: ExchangeMap) -> None:
    legend = legend_html(world_map.to_html())
    assert "CO₂ emissions per person" in legend
    assert "tonnes of CO₂ per person per year" in legend
    assert legend.count("<i style=") == 8  # 7 classes and "no data"
    assert "no data" in legend and "and more" in legend


def test_year_control_offers_the_years_and_starts_at_the_chosen_one(
    demo_exchange: Exchange,
) -> None:
    fmap = ExchangeMap(demo_exchange, "gdp_per_capita", 1992)
    page = fmap.to_html()
    assert script_value(page, "years") == list(range(1952, 2008, 5))
    assert "api.setYear(1992)" in page
    assert 'input.type = "range"' in page
    assert "api.setYear(2002)" in fmap.set_year(2002).to_html()


def test_year_errors_are_sentences(demo_exchange: Exchange) -> None:
    with pytest.raises(VxkitError, match=r"no values for 1993; choose a year from 1952 to 2007"):
        ExchangeMap(demo_exchange, "gdp_per_capita", 1993)
    with pytest.raises(VxkitError, match='no indicator "gdp"'):
        ExchangeMap(demo_exchange, "gdp")
    with pytest.raises(VxkitError, match="Choose an indicator"):
        ExchangeMap(demo_exchange, year=2000)


def test_markers_lines_and_popups(world_map: ExchangeMap) -> None:
    page = world_map.to_html()
    schools = script_value(page, "schools")
    assert isinstance(schools, list) and len(schools) == 3
    lyon = schools[0]
    assert (lyon["lat"], lyon["lon"]) == (45.76, 4.84)
    assert "Collège Jean Moulin" in lyon["popup"]
    assert "Lyon, France" in lyon["popup"]
    # 12:00 UTC on 1 March 2027 is 13:00 in Lyon (winter time)
    assert "Mon 13:00" in lyon["popup"]
    assert 'data-tz="Europe/Paris"' in lyon["popup"]
    assert "Mon 15:00" in schools[1]["popup"]  # Nairobi, UTC+3
    assert page.count('className: "vx-line"') == 1
    lines = re.search(r"\(function \(map\) \{\n\s*(\[\[\[.*?\]\]\])\.forEach", page)
    assert lines and len(json.loads(lines.group(1))) == 3  # three schools, three pairs


def test_no_indicator_still_draws_the_countries(demo_exchange: Exchange) -> None:
    page = ExchangeMap(demo_exchange).to_html()
    assert len(script_value(page, "codes")) > 230  # type: ignore[arg-type]
    assert "vx-legend" not in page.split("</style>")[-1]
    assert "vx-year" not in page.split("</style>")[-1]


def test_school_without_coordinates_sits_in_its_country() -> None:
    tables = demo_tables()
    for cls in tables["classes"]:
        cls.pop("latitude")
        cls.pop("longitude")
    page = ExchangeMap(parse_exchange(tables)).to_html()
    schools = script_value(page, "schools")
    assert isinstance(schools, list)
    lat, lon = schools[1]["lat"], schools[1]["lon"]  # Kenya
    assert -5 < lat < 5 and 33 < lon < 42


def test_tiles_only_when_asked(demo_exchange: Exchange) -> None:
    page = ExchangeMap(demo_exchange, tiles="OpenStreetMap").to_html()
    assert "tile.openstreetmap.org" in page


def test_save_writes_a_standalone_file(world_map: ExchangeMap, tmp_path: Path) -> None:
    target = world_map.save(tmp_path / "map.html")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert links_outside(text) == []


def test_typed_text_is_escaped_in_popups_and_tooltips(evil_exchange: Exchange) -> None:
    page = ExchangeMap(evil_exchange, "life_expectancy", now=NOW).to_html()
    assert EVIL not in page
    assert "onerror=alert(1)>" not in page
    schools = script_value(page, "schools")
    assert isinstance(schools, list)
    assert html.escape(EVIL) in schools[0]["popup"]
    assert html.escape(EVIL) in schools[0]["label"]
    # branca re-templates macro output: text that looks like jinja stays text
    assert TEMPLATE_CODE in schools[0]["popup"]
    assert "49" not in schools[0]["popup"]


def test_escaped_in_the_notebook_output(evil_exchange: Exchange) -> None:
    output = ExchangeMap(evil_exchange).to_html()
    srcdoc = ExchangeMap(evil_exchange)._repr_html_()
    assert EVIL not in output and EVIL not in srcdoc
    assert "<script>alert" not in srcdoc


def test_teacher_indicator_title_is_escaped_in_the_legend(
    demo_exchange: Exchange, tmp_path: Path
) -> None:
    csv = tmp_path / "x.csv"
    csv.write_text("iso2,year,value\nFR,2026,1\nKE,2026,2\nCL,2026,3\n", encoding="utf-8")
    data.register_csv(csv, id="evil_indicator", unit=EVIL, source="us", title=EVIL)
    try:
        page = ExchangeMap(demo_exchange, "evil_indicator").to_html()
    finally:
        data.unregister("evil_indicator")
    assert EVIL not in page
    assert legend_html(page).count(html.escape(EVIL)) == 2

"""IndicatorExplorer as a traitlets model, driven and inspected without a kernel."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from traitlets import TraitError

from tests.widgets.samples import EVIL
from vxkit import data
from vxkit.exchange import Exchange
from vxkit.widgets import IndicatorExplorer
from vxkit.widgets.charts import line_chart, nice_ticks


@pytest.fixture
def explorer(demo_exchange: Exchange) -> IndicatorExplorer:
    return IndicatorExplorer(exchange=demo_exchange)


def test_defaults_to_the_partner_countries(explorer: IndicatorExplorer) -> None:
    assert explorer.indicator == "life_expectancy"
    assert explorer.countries == ["FRA", "KEN", "CHL"]
    assert explorer.years == (1964, 2013)
    picker = explorer.country_picker.get_state()
    labels = picker["_options_labels"]
    assert [labels[i] for i in picker["index"]] == ["France", "Kenya", "Chile"]
    assert tuple(explorer.year_picker.get_state()["value"]) == (1964, 2013)


def test_chart_and_table_follow_a_change_of_indicator(explorer: IndicatorExplorer) -> None:
    explorer.indicator_picker.value = "gdp_per_capita"  # what a click in the browser does
    assert explorer.indicator == "gdp_per_capita"
    assert explorer.years == (1952, 2007)
    chart = explorer.chart.get_state()["value"]
    table = explorer.table.get_state()["value"]
    assert "GDP per person" in chart
    assert chart.count('class="vx-series"') == 3
    assert "<th>Kenya</th>" in table and "<th>2007</th>" in table
    assert "<th>1964</th>" not in table  # gdp is every five years from 1952
    expected = data.indicator("gdp_per_capita", ["CHL"], 2007)["value"].iloc[0]
    assert f"{expected:,.0f}" in table


def test_chart_and_table_follow_countries_and_years(explorer: IndicatorExplorer) -> None:
    explorer.country_picker.value = ("KEN",)
    explorer.year_picker.value = (2000, 2005)
    assert explorer.countries == ["KEN"]
    assert explorer.years == (2000, 2005)
    table = explorer.table.get_state()["value"]
    assert re.findall(r"<th>(\d{4})</th>", table) == [str(y) for y in range(2000, 2006)]
    assert "France" not in table
    chart = explorer.chart.get_state()["value"]
    assert chart.count('class="vx-series"') == 1 and "Kenya" in chart


def test_model_changes_move_the_pickers(explorer: IndicatorExplorer) -> None:
    explorer.countries = ["de", "JP"]
    assert explorer.countries == ["DEU", "JPN"]
    assert explorer.country_picker.value == ("DEU", "JPN")
    explorer.years = (1990, 1995)
    assert explorer.year_picker.value == (1990, 1995)


def test_invariants_are_enforced(explorer: IndicatorExplorer) -> None:
    with pytest.raises(TraitError, match='no indicator "co2_per_persn"'):
        explorer.indicator = "co2_per_persn"
    with pytest.raises(TraitError, match='"XXX" is not a country code'):
        explorer.countries = ["XXX"]
    with pytest.raises(TraitError, match="from 1964 to 2013, not 1900 to 2000"):
        explorer.years = (1900, 2000)
    with pytest.raises(TraitError, match="comes after"):
        explorer.years = (2000, 1990)
    assert explorer.indicator == "life_expectancy"


def test_countries_without_data_are_dropped_with_a_message(
    demo_exchange: Exchange,
) -> None:
    explorer = IndicatorExplorer(exchange=demo_exchange, countries=["FR", "EE"])
    assert explorer.countries == ["FRA", "EST"]
    explorer.indicator = "gdp_per_capita"  # Gapminder's GDP table has no Estonia
    assert explorer.countries == ["FRA"]
    assert "no data for Estonia" in explorer.status.get_state()["value"]
    assert "EST" not in explorer.country_picker.get_state()["_options_labels"]


def test_no_country_shows_a_hint(explorer: IndicatorExplorer) -> None:
    explorer.country_picker.value = ()
    assert "Pick one or more countries" in explorer.table.value
    assert "No data for this choice" in explorer.chart.value


def test_teacher_indicator_is_escaped_in_chart_and_table(
    demo_exchange: Exchange, tmp_path: Path
) -> None:
    csv = tmp_path / "x.csv"
    csv.write_text("iso2,year,value\nFR,2025,1\nFR,2026,2\nKE,2026,3\n", encoding="utf-8")
    data.register_csv(csv, id="evil_series", unit=EVIL, source=EVIL, title=EVIL)
    try:
        explorer = IndicatorExplorer("evil_series", exchange=demo_exchange)
        chart, table = explorer.chart.value, explorer.table.value
    finally:
        data.unregister("evil_series")
    assert EVIL not in chart and EVIL not in table
    assert html.escape(EVIL) in chart and html.escape(EVIL) in table


def test_chart_labels_are_escaped() -> None:
    svg = line_chart({EVIL: [(2000, 1.0), (2001, 2.0)]}, title=EVIL, unit=EVIL)
    assert EVIL not in svg
    assert svg.count(html.escape(EVIL)) >= 3


@pytest.mark.parametrize(
    ("low", "high"), [(0, 1), (0.0013, 0.0097), (1964, 2013), (0, 1.4e9), (-5, 5), (3, 3)]
)
def test_nice_ticks_cover_the_range(low: float, high: float) -> None:
    ticks = nice_ticks(low, high)
    assert ticks[0] <= low and ticks[-1] >= high
    assert 2 <= len(ticks) <= 12
    assert ticks == sorted(ticks)


def test_status_message_is_escaped(explorer: IndicatorExplorer) -> None:
    explorer.message = EVIL
    status = explorer.status.get_state()["value"]
    assert EVIL not in status and html.escape(EVIL) in status

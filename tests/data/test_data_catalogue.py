"""The indicator catalogue, countries and boundaries, read from the installed packages."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from vxkit import data
from vxkit.data import geo as boundaries_module
from vxkit.data.sources import SOURCES, source_path
from vxkit.errors import VxkitError

REQUIRED = {
    "co2_per_person",
    "life_expectancy",
    "gdp_per_capita",
    "population",
    "population_projection",
    "fertility",
}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_file_we_read_is_installed(name: str) -> None:
    path = source_path(name)
    assert path.exists()
    if path.is_file():
        assert path.stat().st_size > 500


def test_a_missing_package_is_a_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(SOURCES, "nothing", ("vxkit_no_such_package", "x.csv"))
    with pytest.raises(VxkitError, match=r'"vxkit_no_such_package" is not installed.*pip install'):
        source_path("nothing")


def test_catalogue_lists_the_required_indicators() -> None:
    by_id = {i.id: i for i in data.list_indicators()}
    assert set(by_id) >= REQUIRED
    for ind in by_id.values():
        assert ind.title and ind.unit and ind.source and ind.licence
        assert len(ind.years) > 5
    assert by_id["population_projection"].last_year == 2100


@pytest.mark.parametrize("indicator_id", sorted(REQUIRED))
def test_each_indicator_is_a_tidy_frame(indicator_id: str) -> None:
    df = data.indicator(indicator_id)
    assert list(df.columns) == ["iso3", "country", "year", "value"]
    assert df["iso3"].str.fullmatch(r"[A-Z]{3}").all()
    assert not df.duplicated(["iso3", "year"]).any()
    assert df["value"].notna().all()
    assert pd.api.types.is_integer_dtype(df["year"])
    assert df["iso3"].nunique() >= 130
    assert df.attrs["id"] == indicator_id
    assert {"unit", "source", "licence", "title"} <= set(df.attrs)
    # the partner countries of the demo exchange all have data
    assert {"FRA", "KEN", "CHL"} <= set(df["iso3"])


def test_values_are_plausible() -> None:
    life = data.indicator("life_expectancy", ["FR"], 2010)
    assert 75 < life["value"].iloc[0] < 90
    co2 = data.indicator("co2_per_person", ["US", "KE"], 2010).set_index("iso3")["value"]
    assert co2["USA"] > 10 > co2["KEN"]
    gdp = data.indicator("gdp_per_capita", ["CHL"], (2007, 2007))
    assert 5_000 < gdp["value"].iloc[0] < 30_000
    projection = data.indicator("population_projection", ["NGA"], range(2020, 2101, 80))
    assert list(projection["year"]) == [2020, 2100]
    assert projection["value"].iloc[1] > projection["value"].iloc[0] > 150e6
    france = data.indicator("population", ["FRA"], 2000)["value"].iloc[0]
    assert 55e6 < france < 65e6


def test_countries_as_iso2_or_iso3_and_years_as_range_or_pair() -> None:
    a = data.indicator("fertility", ["fr", "KE"], (2000, 2004))
    b = data.indicator("fertility", ["FRA", "KEN"], range(2000, 2005))
    pd.testing.assert_frame_equal(a, b)
    assert sorted(a["iso3"].unique()) == ["FRA", "KEN"]
    assert a["year"].min() == 2000 and a["year"].max() == 2004
    assert set(a["country"]) == {"France", "Kenya"}


def test_unknown_indicator_suggests_a_close_match() -> None:
    with pytest.raises(VxkitError, match=r'no indicator "life_expectency".*"life_expectancy"'):
        data.indicator("life_expectency")
    with pytest.raises(VxkitError, match=r'"co2".*"co2_per_person"'):
        data.indicator("co2")


def test_unknown_country_names_the_value_and_suggests() -> None:
    with pytest.raises(VxkitError, match=r'"FRX" is not a country code.*FRA'):
        data.indicator("fertility", ["FRX"])
    with pytest.raises(VxkitError, match=r'"Kenya" is not a country code.*"KE" or "KEN"'):
        data.indicator("fertility", ["Kenya"])


def test_known_country_without_data_is_named() -> None:
    with pytest.raises(VxkitError, match=r"gdp_per_capita has no data for Kosovo \(XKX\)"):
        data.indicator("gdp_per_capita", ["XK"])


def test_year_outside_the_data_is_named() -> None:
    with pytest.raises(VxkitError, match=r"from 1964 to 2013: the year 1900 is outside"):
        data.indicator("fertility", years=(1900, 2000))
    with pytest.raises(VxkitError, match="comes after"):
        data.indicator("fertility", years=(2000, 1990))
    with pytest.raises(VxkitError, match="years must be"):
        data.indicator("fertility", years="2000")  # type: ignore[arg-type]


def test_country_names_in_partner_languages() -> None:
    assert data.country_name("DEU", "fr") == "Allemagne"
    assert data.country_name("DE", "sw") == "Ujerumani"
    assert data.country_name("CL", "es") == "Chile"
    assert data.country_name("KEN") == "Kenya"
    assert data.to_iso3("na") == "NAM"  # Namibia's code is not "missing"
    assert data.to_iso2("NOR") == "NO"  # Natural Earth's plain ISO field is -99 for Norway
    assert data.to_iso3("FR") == "FRA"


def test_boundaries_are_small_and_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VXKIT_CACHE_DIR", str(tmp_path))
    boundaries_module._cached.cache_clear()
    world = data.boundaries()
    files = list(tmp_path.glob("boundaries-*.geojson"))
    assert len(files) == 1
    assert files[0].stat().st_size < 800_000
    codes = {f["properties"]["iso3"] for f in world["features"]}
    assert {"FRA", "KEN", "CHL", "NOR", "NAM", "XKX"} <= codes
    assert len(codes) > 230

    # computed once: a new process (cache cleared) reads the file instead of recomputing
    boundaries_module._cached.cache_clear()

    def fail(*args: object) -> None:
        raise AssertionError("recomputed")

    monkeypatch.setattr(boundaries_module, "compute_boundaries", fail)
    assert data.boundaries() == world
    boundaries_module._cached.cache_clear()


def test_damaged_boundary_cache_is_recomputed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VXKIT_CACHE_DIR", str(tmp_path))
    boundaries_module._cached.cache_clear()
    (tmp_path / boundaries_module._cache_name(1.0)).write_text("{not json")
    world = data.boundaries(1.0)
    assert len(world["features"]) > 200
    json.loads((tmp_path / boundaries_module._cache_name(1.0)).read_text())
    boundaries_module._cached.cache_clear()


def test_population_by_age_of_any_country_matches_the_curriculum_file():
    """The UN age groups vxkit.data reads for an exchange's country are those the
    population_futures unit ships for its reference countries (same source, same sums)."""
    shipped = Path(__file__).resolve().parents[2] / "curriculum/population_futures/data"
    csv = pd.read_csv(shipped / "population_by_age.csv", keep_default_na=False)
    read = data.population_by_age(["FR", "KEN", "POL"])
    assert sorted(read["iso3"].unique()) == ["FRA", "KEN", "POL"]
    assert set(read["age_group"]) == {"0-14", "15-64", "65+"}
    ours = read[read["iso3"] != "POL"].reset_index(drop=True)
    theirs = csv[csv["iso3"].isin(["FRA", "KEN"])].reset_index(drop=True)
    columns = ["iso3", "year", "age_group", "people"]
    assert ours[columns].astype(str).equals(theirs[columns].astype(str))
    assert read[read["iso3"] == "POL"]["country"].iloc[0] == "Poland"

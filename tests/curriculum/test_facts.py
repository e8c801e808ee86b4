"""The numbers the curriculum states in prose agree with the data and the time-zone rules."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from vxkit import data
from vxkit.workspace import language_blocks

from .conftest import CURRICULUM, read_notebook, units


def _prose(unit: str) -> str:
    """Every cell of a unit's notebooks (facts also sit in example tables), and its guide."""
    texts = [(CURRICULUM / unit / "teacher_guide.md").read_text(encoding="utf-8")]
    for path in sorted((CURRICULUM / unit).glob("*.ipynb")):
        cells = read_notebook(path)["cells"]
        texts += ["".join(c["source"]) for c in cells]
    return "\n".join(texts)


def _gap(zone_a: str, zone_b: str, month: int) -> float:
    moment = datetime(2027, month, 15, 12, tzinfo=timezone.utc)
    offset = [
        moment.astimezone(ZoneInfo(z)).utcoffset().total_seconds() / 3600 for z in (zone_a, zone_b)
    ]
    return offset[0] - offset[1]


def test_time_gaps_stated_in_meet_partners_and_publish():
    assert "4 hours apart in January and 6 hours apart in July" in _prose("meet_partners")
    assert _gap("Europe/Paris", "America/Santiago", 1) == 4
    assert _gap("Europe/Paris", "America/Santiago", 7) == 6
    assert "2 hours apart in winter and 1 in summer" in _prose("meet_partners")
    assert _gap("Africa/Nairobi", "Europe/Paris", 1) == 2
    assert _gap("Africa/Nairobi", "Europe/Paris", 7) == 1
    assert "4 hours behind Lyon in January and 6 hours behind in July" in _prose("publish")


def test_co2_facts():
    co2 = data.indicator("co2_per_person", countries=["USA", "KEN", "CHN"], years=(1950, 2012))
    assert data.get_indicator("co2_per_person").last_year == 2012
    assert "stop in 2012" in _prose("climate_co2")
    by = co2[co2["year"] == 2010].set_index("iso3")["value"]
    assert "about 57 times more CO2" in _prose("publish")
    assert round(by["USA"] / by["KEN"]) == 57
    assert "far below the USA's" in _prose("climate_co2")
    assert by["CHN"] < by["USA"] / 2


def test_population_facts():
    assert "about 10.3 billion" in _prose("population_futures") and "mid-2080s" in _prose(
        "population_futures"
    )
    ages = pd.read_csv(CURRICULUM / "population_futures" / "data" / "population_by_age.csv")
    world = ages[ages["iso3"] == "WLD"].groupby("year")["people"].sum()
    assert world.idxmax() == 2085
    assert round(world.max() / 1e9, 1) == 10.3
    projection = data.indicator("population_projection", countries=["KEN"])
    totals = ages[ages["iso3"] == "KEN"].groupby("year")["people"].sum()
    merged = projection.set_index("year")["value"]
    assert (abs(merged - totals) / totals).max() < 0.001, "the CSV agrees with vxkit.data"


def test_local_data_typo_claim():
    raw = pd.read_csv(CURRICULUM / "local_data" / "data" / "example_measurements.csv")
    a = raw[raw["class_id"] == "class_a"]["temperature_c"]
    assert (a.mean() - a[a < 60].mean()) > 20
    assert "more than 20 degrees" in _prose("local_data")


@pytest.mark.parametrize("unit", units())
def test_every_resources_section_names_its_sources(unit: str):
    for path in sorted((CURRICULUM / unit).glob("*.ipynb")):
        last = "".join(read_notebook(path)["cells"][-1]["source"])
        # the shared team notebook has the section once per language
        for text in language_blocks(last).values() if path.name == "team.ipynb" else [last]:
            assert text.startswith("## ") and "https://" in text, path.name


def test_population_csv_is_what_the_extractor_makes_from_the_un_data():
    import extract_data  # curriculum/tools, put on sys.path by conftest

    committed = (CURRICULUM / extract_data.POPULATION_CSV).read_text(encoding="utf-8")
    assert extract_data.population_by_age() == committed

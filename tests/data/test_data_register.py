"""A teacher's own CSV as an indicator: accepted when valid, every problem named when not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from vxkit import data
from vxkit.errors import VxkitError


@pytest.fixture(autouse=True)
def _forget() -> Iterator[None]:
    yield
    data.unregister("school_rain")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rain.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_register_and_read(tmp_path: Path) -> None:
    path = write(tmp_path, 'iso2,year,value\nFR,2026,61.5\nKE,2026,80\nNA,2026,"3,5"\n')
    ind = data.register_csv(path, id="school_rain", unit="mm per month", source="our classes")
    assert ind.years == range(2026, 2027)
    assert "school_rain" in {i.id for i in data.list_indicators()}
    df = data.indicator("school_rain", ["NAM", "FRA"])
    assert list(df["iso3"]) == ["FRA", "NAM"]
    assert list(df["value"]) == [61.5, 3.5]
    assert df.attrs["unit"] == "mm per month"
    assert df.attrs["source"] == "our classes"


def test_every_bad_row_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "country,year,value\nFR,20x6,1\nZZZ,2026,2\nKE,2026,lots\nKE,2026,1\n")
    with pytest.raises(VxkitError) as err:
        data.register_csv(path, id="school_rain", unit="mm", source="us")
    message = str(err.value)
    assert 'row 2, year: "20x6" is not a year' in message
    assert 'row 3, country: "ZZZ" is not a country code' in message
    assert 'row 4, value: "lots" is not a number' in message
    assert "school_rain" not in {i.id for i in data.list_indicators()}


def test_duplicate_rows_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "iso3,year,value\nFRA,2026,1\nFRA,2026,2\n")
    with pytest.raises(VxkitError, match=r"row 3: FRA 2026 is already on row 2"):
        data.register_csv(path, id="school_rain", unit="mm", source="us")


def test_missing_column_lists_the_columns_it_has(tmp_path: Path) -> None:
    path = write(tmp_path, "iso3,when,value\nFRA,2026,1\n")
    with pytest.raises(VxkitError, match=r'no column "year" \(its columns: iso3, when, value\)'):
        data.register_csv(path, id="school_rain", unit="mm", source="us")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"id": "Rain Fall", "unit": "mm", "source": "us"}, '"Rain Fall" is not a valid'),
        ({"id": "population", "unit": "mm", "source": "us"}, "built-in indicator"),
        ({"id": "school_rain", "unit": " ", "source": "us"}, "Say the unit"),
    ],
)
def test_bad_arguments(tmp_path: Path, kwargs: dict[str, str], message: str) -> None:
    path = write(tmp_path, "iso3,year,value\nFRA,2026,1\n")
    with pytest.raises(VxkitError, match=message):
        data.register_csv(path, **kwargs)


def test_missing_or_non_utf8_file(tmp_path: Path) -> None:
    with pytest.raises(VxkitError, match="There is no file"):
        data.register_csv(tmp_path / "nope.csv", id="school_rain", unit="mm", source="us")
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("iso3,year,value\nFRA,2026,1\n# été\n".encode("latin-1"))
    with pytest.raises(VxkitError, match="not UTF-8"):
        data.register_csv(bad, id="school_rain", unit="mm", source="us")

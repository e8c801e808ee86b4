"""Local solar noon, checked against published figures."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from vxkit.errors import VxkitError
from vxkit.solar import clock_hours, equation_of_time, solar_noon, solar_noon_utc

LONDON = -0.1278  # degrees east (Trafalgar Square)


@pytest.mark.parametrize(
    ("day", "published"),
    [
        # timeanddate.com's solar noon for London (UTC, to the minute), as astral's tests cite it
        (date(2015, 12, 1), datetime(2015, 12, 1, 11, 49)),
        (date(2015, 12, 2), datetime(2015, 12, 2, 11, 49)),
        (date(2015, 12, 3), datetime(2015, 12, 3, 11, 50)),
        (date(2015, 12, 12), datetime(2015, 12, 12, 11, 54)),
        (date(2015, 12, 25), datetime(2015, 12, 25, 12, 0)),
    ],
)
def test_solar_noon_in_london_matches_the_published_minute(day: date, published: datetime):
    noon = solar_noon_utc(LONDON, day)
    shown = published.replace(tzinfo=timezone.utc)
    # the table shows the minute the noon falls in
    assert shown <= noon < shown + timedelta(minutes=1), noon


@pytest.mark.parametrize(
    ("day", "minutes"),
    [
        # the equation of time's four turning points, as almanacs give them (min and s)
        (date(2027, 2, 11), -(14 + 15 / 60)),
        (date(2027, 5, 14), 3 + 41 / 60),
        (date(2027, 7, 26), -(6 + 30 / 60)),
        (date(2027, 11, 3), 16 + 25 / 60),
    ],
)
def test_equation_of_time_at_its_turning_points(day: date, minutes: float):
    assert equation_of_time(day) == pytest.approx(minutes, abs=0.25)


def test_summer_time_moves_the_clock_time_of_solar_noon_by_one_hour():
    # Lyon: summer time starts on 28 March 2027; solar noon itself moves by seconds a day,
    # so its clock time jumps by one hour (the minutes are this module's own figures)
    before = solar_noon(4.84, "Europe/Paris", date(2027, 3, 27))
    after = solar_noon(4.84, "Europe/Paris", date(2027, 3, 28))
    assert (before.hour, before.minute) == (12, 46)
    assert (after.hour, after.minute) == (13, 45)
    assert before.utcoffset() == timedelta(hours=1) and after.utcoffset() == timedelta(hours=2)
    # Valparaíso: Chile's summer time ends on 4 April 2027 (southern autumn)
    summer = solar_noon(-71.62, "America/Santiago", date(2027, 4, 3))
    winter = solar_noon(-71.62, "America/Santiago", date(2027, 4, 4))
    assert (summer.hour, summer.minute) == (13, 49)
    assert (winter.hour, winter.minute) == (12, 49)


def test_clock_hours_counts_hours_after_midnight():
    noon = solar_noon(4.84, "Europe/Paris", date(2027, 3, 28))
    assert clock_hours(noon) == pytest.approx(13 + 45 / 60 + 44 / 3600)


def test_solar_noon_comes_four_minutes_earlier_per_degree_east():
    day = date(2027, 1, 11)
    west, east = solar_noon_utc(10.0, day), solar_noon_utc(11.0, day)
    assert (west - east).total_seconds() == pytest.approx(240, abs=1)


@pytest.mark.parametrize("bad", [181, -200.5, float("nan"), "4.84", None, True])
def test_a_bad_longitude_is_a_sentence_naming_it(bad: object):
    with pytest.raises(VxkitError, match="longitude"):
        solar_noon_utc(bad, date(2027, 1, 11))  # type: ignore[arg-type]


def test_an_unknown_time_zone_is_a_sentence_naming_it():
    with pytest.raises(VxkitError, match='timezone: "Europe/Lyon"'):
        solar_noon(4.84, "Europe/Lyon", date(2027, 1, 11))

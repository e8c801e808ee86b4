"""Local solar noon: the moment the Sun is highest at a school, in the school's clock time.

Partner classes that measure "at noon" measure at the same height of the Sun only if each
measures at its own solar noon, which is rarely 12:00 on the clock: the clock follows a time
zone (and summer time) while the Sun follows the longitude, and the Earth's tilted, elliptical
orbit moves solar noon by up to a quarter of an hour across the year (the equation of time).

The equation of time is the NOAA solar calculator's, from Jean Meeus, *Astronomical
Algorithms* (2nd ed., 1998), chapters 25 and 28: accurate to a few seconds for 1900-2100.
Time zones come from the standard library's ``zoneinfo`` (no download).
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import VxkitError

_J2000 = 2451545.0  # Julian day of 2000-01-01 12:00 (terrestrial time, taken as UTC here)
_UNIX_EPOCH_JD = 2440587.5  # Julian day of 1970-01-01 00:00 UTC


def _julian_century(moment: datetime) -> float:
    """Julian centuries since J2000 of the aware ``moment``."""
    days = moment.astimezone(timezone.utc).timestamp() / 86400 + _UNIX_EPOCH_JD
    return (days - _J2000) / 36525


def _eot_minutes(t: float) -> float:
    """The equation of time, in minutes, at ``t`` Julian centuries since J2000."""
    mean_longitude = math.radians((280.46646 + t * (36000.76983 + t * 0.0003032)) % 360)
    mean_anomaly = math.radians(357.52911 + t * (35999.05029 - 0.0001537 * t))
    eccentricity = 0.016708634 - t * (0.000042037 + 0.0000001267 * t)
    seconds = 21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))
    obliquity = (
        23 + (26 + seconds / 60) / 60 + 0.00256 * math.cos(math.radians(125.04 - 1934.136 * t))
    )
    y = math.tan(math.radians(obliquity) / 2) ** 2
    e, m, l0 = eccentricity, mean_anomaly, mean_longitude
    radians = (
        y * math.sin(2 * l0)
        - 2 * e * math.sin(m)
        + 4 * e * y * math.sin(m) * math.cos(2 * l0)
        - 0.5 * y * y * math.sin(4 * l0)
        - 1.25 * e * e * math.sin(2 * m)
    )
    return 4 * math.degrees(radians)


def equation_of_time(day: date) -> float:
    """How many minutes a sundial is ahead of a clock on mean solar time on ``day`` (at
    12:00 UTC): positive in early November (about +16), negative in mid-February (about -14)."""
    return _eot_minutes(_julian_century(datetime.combine(day, time(12), timezone.utc)))


def _check_longitude(longitude: float) -> float:
    if isinstance(longitude, bool) or not isinstance(longitude, (int, float)):
        raise VxkitError(f"longitude: {longitude!r} is not a number of degrees (east positive).")
    if not math.isfinite(longitude) or not -180 <= longitude <= 180:
        raise VxkitError(
            f"longitude: {longitude!r} is not between -180 and 180 degrees (east positive)."
        )
    return float(longitude)


def solar_noon_utc(longitude: float, day: date) -> datetime:
    """The moment of solar noon on ``day`` at ``longitude`` (degrees, east positive), in UTC.

    ``day`` is the date at the place; the result is aware (UTC), to the second.
    """
    lon = _check_longitude(longitude)
    midnight = datetime.combine(day, time(0), timezone.utc)
    minutes = 720 - 4 * lon  # mean solar noon; the equation of time is taken at that moment
    for _ in range(2):
        moment = midnight + timedelta(minutes=minutes)
        minutes = 720 - 4 * lon - _eot_minutes(_julian_century(moment))
    return (midnight + timedelta(minutes=minutes)).replace(microsecond=0)


def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name``; a sentence naming the field and value if it is unknown."""
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise VxkitError(
            f'timezone: "{name}" is not an IANA time zone name, like "Europe/Paris".'
        ) from None


def solar_noon(longitude: float, timezone_name: str, day: date) -> datetime:
    """Solar noon on ``day`` at ``longitude`` in the clock time of ``timezone_name`` (an IANA
    name such as "America/Santiago"), summer time included: an aware datetime."""
    return solar_noon_utc(longitude, day).astimezone(zone(timezone_name))


def clock_hours(moment: datetime) -> float:
    """The clock time of ``moment`` as hours after midnight (13:30 -> 13.5)."""
    return moment.hour + moment.minute / 60 + moment.second / 3600

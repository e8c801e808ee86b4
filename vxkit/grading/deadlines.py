"""Deadlines in each class's own time zone, daylight saving time included.

A teacher writes "2027-03-28 18:00" and means six in the evening at *their* school. The
same words give a different moment in each partner class's zone, and on a day the clocks
change the UTC offset differs from the day before: ``zoneinfo`` resolves both.
nbgrader keeps one due date per assignment; vxkit stores the earliest class deadline there
and gives each student's submission an extension equal to how much later their own class's
deadline falls, so nbgrader's own lateness (formgrader, late penalties) is per class.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from ..errors import VxkitError
from ..exchange import Exchange

LOCAL_PATTERN = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})\s*$")


def parse_local(text: str, zone: ZoneInfo, field: str) -> datetime:
    """The aware moment of local wall-clock ``text`` ("YYYY-MM-DD HH:MM") in ``zone``.

    A time the clocks skip (spring forward) is refused; a time that happens twice (fall
    back) means the later of the two, so no student is late because of the clock change.
    """
    match = LOCAL_PATTERN.match(text or "")
    if not match:
        raise VxkitError(
            f'{field}: "{text}" is not a deadline; write it as YYYY-MM-DD HH:MM, like '
            '"2027-03-28 18:00" (local time at the school).'
        )
    try:
        naive = datetime.strptime(f"{match.group(1)} {match.group(2)}", "%Y-%m-%d %H:%M")
    except ValueError:
        raise VxkitError(f'{field}: "{text}" is not a real date and time.') from None
    later = naive.replace(tzinfo=zone, fold=1)
    roundtrip = later.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None)
    if roundtrip != naive:
        raise VxkitError(
            f'{field}: "{text}" does not exist in {zone.key}: the clocks skip that hour when '
            "daylight saving time starts. Pick a time outside the skipped hour."
        )
    return later


def class_deadlines(exchange: Exchange, deadlines: dict[str, str]) -> dict[str, datetime]:
    """Each class's deadline as an aware UTC moment (classes without a deadline left out)."""
    out = {}
    for cls in exchange.classes:
        text = deadlines.get(cls.id)
        if text:
            local = parse_local(text, cls.zone, f"deadline of {cls.id}")
            out[cls.id] = local.astimezone(timezone.utc)
    return out


def resolve_deadlines(
    exchange: Exchange, due: str | None, per_class: dict[str, str] | None = None
) -> dict[str, str]:
    """Local deadline texts per class: ``due`` for every class, ``per_class`` overriding.

    Every text is checked now, so a mistake is reported when the unit is assigned.
    """
    texts = {cls.id: due for cls in exchange.classes if due}
    for class_id, text in (per_class or {}).items():
        exchange.get_class(class_id)  # a clear error for an unknown class
        texts[class_id] = text
    normalised = {}
    for class_id, text in texts.items():
        cls = exchange.get_class(class_id)
        local = parse_local(text, cls.zone, f"deadline of {class_id}")
        normalised[class_id] = local.strftime("%Y-%m-%d %H:%M")
    return normalised


def assignment_duedate(moments: dict[str, datetime]) -> datetime | None:
    """The due date nbgrader stores: the earliest class deadline, as naive UTC."""
    if not moments:
        return None
    return min(moments.values()).astimezone(timezone.utc).replace(tzinfo=None)


def extension_for(moments: dict[str, datetime], class_id: str | None) -> timedelta | None:
    """How much later than the assignment's due date ``class_id``'s deadline falls."""
    if not moments or class_id not in moments:
        return None
    delta = moments[class_id] - min(moments.values())
    return delta if delta > timedelta(0) else None


def seconds_late(submitted: datetime, deadline: datetime) -> float:
    """Seconds after ``deadline`` that ``submitted`` happened (0 when on time); both aware."""
    return max(0.0, (submitted - deadline).total_seconds())

"""TimeZonePlanner: overlaps across DST changes, holidays, classes that never meet, .ics export."""

from __future__ import annotations

import base64
import html
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from traitlets import TraitError

from tests.widgets.samples import EVIL
from vxkit.errors import VxkitError
from vxkit.exchange import Exchange, PartnerClass
from vxkit.widgets import TimeZonePlanner
from vxkit.widgets.planner import common_slots, slot_ics, timeline_html

UTC = timezone.utc


def school(cid: str, city: str, tz: str, hours: tuple[int, int], **kw: object) -> PartnerClass:
    return PartnerClass(
        id=cid,
        school=f"School of {city}",
        city=city,
        country=kw.pop("country", "FR"),  # type: ignore[arg-type]
        timezone=tz,
        hours=(time(hours[0]), time(hours[1])),
        **kw,  # type: ignore[arg-type]
    )


PARIS = school("paris", "Paris", "Europe/Paris", (8, 17))
NEW_YORK = school("nyc", "New York", "America/New_York", (8, 15), country="US")
NAIROBI = school("nairobi", "Nairobi", "Africa/Nairobi", (8, 15), country="KE")
LOS_ANGELES = school("la", "Los Angeles", "America/Los_Angeles", (8, 15), country="US")
TOKYO = school("tokyo", "Tokyo", "Asia/Tokyo", (8, 15), country="JP")


def monday(year: int, month: int, day: int) -> datetime:
    start = datetime(year, month, day, tzinfo=UTC)
    assert start.weekday() == 0
    return start


def first_slot(start: datetime) -> tuple[datetime, datetime]:
    slots, complete = common_slots([PARIS, NEW_YORK], start, days=1)
    assert complete and len(slots) == 1
    return slots[0].start, slots[0].end


def test_both_on_summer_time() -> None:
    begin, end = first_slot(monday(2027, 10, 25))
    # Paris UTC+2 closes at 15:00 UTC; New York UTC-4 opens at 12:00 UTC
    assert (begin, end) == (
        datetime(2027, 10, 25, 12, tzinfo=UTC),
        datetime(2027, 10, 25, 15, tzinfo=UTC),
    )


def test_week_when_europe_has_switched_and_america_has_not() -> None:
    begin, end = first_slot(monday(2027, 11, 1))
    # Europe left summer time on 31 October, the US leaves it on 7 November:
    # Paris (UTC+1) closes at 16:00 UTC, New York (still UTC-4) opens at 12:00 UTC
    assert (begin, end) == (
        datetime(2027, 11, 1, 12, tzinfo=UTC),
        datetime(2027, 11, 1, 16, tzinfo=UTC),
    )
    slots, _ = common_slots([PARIS, NEW_YORK], monday(2027, 11, 1), days=5)
    assert [s.minutes for s in slots] == [240] * 5
    lesson = slots[0]
    assert lesson.start.astimezone(PARIS.zone).time() == time(13)
    assert lesson.start.astimezone(NEW_YORK.zone).time() == time(8)


def test_both_on_winter_time() -> None:
    begin, end = first_slot(monday(2027, 11, 8))
    assert (begin, end) == (
        datetime(2027, 11, 8, 13, tzinfo=UTC),
        datetime(2027, 11, 8, 16, tzinfo=UTC),
    )


def test_weekends_and_holidays_are_excluded() -> None:
    paris = school("paris", "Paris", "Europe/Paris", (8, 17), holidays=[date(2027, 11, 3)])
    slots, complete = common_slots([paris, NEW_YORK], monday(2027, 11, 1), days=7)
    assert complete
    days = [s.start.date() for s in slots]
    assert days == [date(2027, 11, d) for d in (1, 2, 4, 5)]


def test_classes_that_never_overlap_get_the_best_partial_overlaps() -> None:
    slots, complete = common_slots([PARIS, NAIROBI, LOS_ANGELES], monday(2027, 12, 6), days=7)
    assert not complete
    assert slots and all(set(s.class_ids) == {"paris", "nairobi"} for s in slots)
    assert slots[0].minutes == max(s.minutes for s in slots)


def test_no_two_classes_ever_in_school_together() -> None:
    slots, complete = common_slots([PARIS, LOS_ANGELES, TOKYO], monday(2027, 12, 6), days=7)
    assert not complete
    assert all(len(s.class_ids) == 1 for s in slots)
    planner = TimeZonePlanner(classes=[PARIS, LOS_ANGELES, TOKYO], start=monday(2027, 12, 6))
    assert planner.complete is False
    assert "never all in school at once" in planner.summary.get_state()["value"]


def test_widget_state_lists_slots_and_draws_the_timeline(demo_exchange: Exchange) -> None:
    planner = TimeZonePlanner(demo_exchange, start=datetime(2027, 3, 1, tzinfo=UTC))
    assert planner.complete is True
    picker = planner.picker.get_state()
    assert picker["index"] == 0
    assert picker["_options_labels"][0] == (
        "90 min: Lyon Mon 01 Mar 12:00–13:30; Nairobi Mon 01 Mar 14:00–15:30; "
        "Valparaíso Mon 01 Mar 08:00–09:30"
    )
    timeline = planner.timeline.get_state()["value"]
    assert timeline.count('class="vx-school-hours"') == 3
    assert 'class="vx-slot"' in timeline
    assert "Lyon (UTC+1)" in timeline and "Valparaíso (UTC-3)" in timeline
    planner.picker.value = 1  # a partner picks the next slot
    assert planner.chosen == 1
    assert "Tuesday 02 March 2027" in planner.timeline.value


def test_changing_the_start_searches_again(demo_exchange: Exchange) -> None:
    planner = TimeZonePlanner(demo_exchange, start=datetime(2027, 3, 1, tzinfo=UTC))
    first = planner.slots[0]
    planner.start = datetime(2027, 3, 8, tzinfo=UTC)
    assert planner.slots[0].start == first.start + timedelta(days=7)


def test_invariants(demo_exchange: Exchange) -> None:
    planner = TimeZonePlanner(demo_exchange, start=datetime(2027, 3, 1, tzinfo=UTC))
    with pytest.raises(TraitError, match="days must be from 1 to 120"):
        planner.days = 0
    with pytest.raises(TraitError, match="time zone"):
        planner.start = datetime(2027, 3, 1)
    with pytest.raises(TraitError, match="no slot number 99"):
        planner.chosen = 99
    with pytest.raises(VxkitError, match="at least two partner classes"):
        TimeZonePlanner(classes=[PARIS])


def test_ics_invitation(demo_exchange: Exchange, tmp_path: Path) -> None:
    planner = TimeZonePlanner(demo_exchange, start=datetime(2027, 3, 1, tzinfo=UTC))
    planner.title = "Rivers; lesson, 1"
    text = planner.ics(now=datetime(2027, 2, 1, tzinfo=UTC))
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "DTSTART:20270301T110000Z" in lines
    assert "DTEND:20270301T123000Z" in lines
    assert "SUMMARY:Rivers\\; lesson\\, 1" in lines
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "Collège Jean Moulin (Lyon): Monday 01 March 12:00–13:30 Europe/Paris" in unfolded
    target = planner.export_ics(tmp_path / "lesson.ics")
    assert target.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")


def test_export_button_offers_a_download(demo_exchange: Exchange) -> None:
    planner = TimeZonePlanner(demo_exchange, start=datetime(2027, 3, 1, tzinfo=UTC))
    planner.export_button.click()
    link = planner.download.get_state()["value"]
    assert 'download="exchange-lesson-20270301-1100.ics"' in link
    payload = link.split("base64,", 1)[1].split('"', 1)[0]
    assert "DTSTART:20270301T110000Z" in base64.b64decode(payload).decode()


def test_typed_text_is_escaped_in_timeline_and_invitation() -> None:
    evil = school("evil", EVIL, "Europe/Paris", (8, 17))
    svg = timeline_html([evil, NEW_YORK], date(2027, 11, 1))
    assert EVIL not in svg and html.escape(EVIL) in svg
    slots, _ = common_slots([evil, NEW_YORK], monday(2027, 11, 1), days=1)
    ics = slot_ics(slots[0], [evil, NEW_YORK], "x\nDTSTART:19990101T000000Z")
    assert "\r\nDTSTART:1999" not in ics  # a title cannot add a property


#: 200 characters a teacher might paste: accents, Arabic, CJK, an emoji, and every character
#: RFC 5545 escapes (comma, semicolon, backslash, a line break)
NOTE = (
    "Préparez vos relevés de la rivière, s'il vous plaît; traed los datos del río\\n "
    "(no es un salto).\nمرحبا بالجميع، 河川のデータ 🌊 — À bientôt, équipe «Rhône–Aconcagua»; "
    "ça va? Ñandú, ça coule! Øresund ǅ ĳ. Fin"
)


def parse_invitation(text: str):  # -> icalendar.Event
    from icalendar import Calendar

    calendar = Calendar.from_ical(text)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_invitation_escapes_folds_and_parses_back_field_by_field() -> None:
    lyon = school("lyon", "Lyon", "Europe/Paris", (8, 17))
    lyon.school = "Lycée Jean-Moulin, 4e B; groupe 2"
    assert len(NOTE) == 200
    slots, _ = common_slots([lyon, NEW_YORK], monday(2027, 11, 1), days=1)
    slot = slots[0]
    # a lone CR is a line end to some calendar apps: it must not start a LOCATION property
    title = "Rivières, séance 2; préparation\r\nDTSTART:19990101T000000Z\rLOCATION:x\x00\x07"
    stamp = datetime(2027, 10, 20, 9, 30, tzinfo=UTC)
    text = slot_ics(slot, [lyon, NEW_YORK], title, stamp, description=NOTE)

    # the octets: CRLF line ends only, at most 75 octets a line, no control characters,
    # and nothing a title or a note says becomes a property of its own
    raw = text.encode("utf-8")
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"") and b"\r" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert len(lines) > 12  # the note was folded onto several lines
    assert not any(0 <= b < 32 and b != 9 for line in lines for b in line)
    names = [line.split(b":")[0].split(b";")[0] for line in lines if not line.startswith(b" ")]
    assert names.count(b"DTSTART") == 1 and b"DTSTAMP" in names and b"UID" in names
    assert b"LOCATION" not in names
    unfolded = text.replace("\r\n ", "")
    assert "Lycée Jean-Moulin\\, 4e B\\; groupe 2 (Lyon)" in unfolded

    calendar, event = parse_invitation(text)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["METHOD"]) == "PUBLISH"
    assert str(event["SUMMARY"]) == (
        "Rivières, séance 2; préparation\nDTSTART:19990101T000000Z\nLOCATION:x"
    )
    # the slot in UTC, the one time every calendar app places the same; Paris had left summer
    # time on 31 October, New York had not: 13:00 in Lyon is 08:00 in New York
    assert event.decoded("DTSTART") == slot.start == datetime(2027, 11, 1, 12, tzinfo=UTC)
    assert event.decoded("DTEND") == slot.end == datetime(2027, 11, 1, 16, tzinfo=UTC)
    assert event.decoded("DTSTAMP") == stamp
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    # the note as written, then every class's local time (the note's "\n" text stays text)
    assert str(event["DESCRIPTION"]) == (
        NOTE + "\n\n"
        "Lycée Jean-Moulin, 4e B; groupe 2 (Lyon): Monday 01 November 13:00–17:00 Europe/Paris\n"
        "School of New York (New York): Monday 01 November 08:00–12:00 America/New_York"
    )
    # the same slot exported again (later, with another note) updates the same event
    again = slot_ics(slot, [lyon, NEW_YORK], title, stamp + timedelta(days=1))
    assert parse_invitation(again)[1]["UID"] == event["UID"]
    assert str(event["UID"]).endswith("@vxkit")
    other = slot_ics(slots[0], [lyon, NEW_YORK], "Another lesson", stamp)
    assert parse_invitation(other)[1]["UID"] != event["UID"]


def test_planner_invitation_carries_the_teachers_note(demo_exchange: Exchange) -> None:
    planner = TimeZonePlanner(demo_exchange, start=datetime(2027, 3, 1, tzinfo=UTC))
    planner.description = NOTE
    _, event = parse_invitation(planner.ics(now=datetime(2027, 2, 1, tzinfo=UTC)))
    description = str(event["DESCRIPTION"])
    assert description.startswith(NOTE + "\n\n")
    assert "Collège Jean Moulin (Lyon): Monday 01 March 12:00–13:30 Europe/Paris" in description

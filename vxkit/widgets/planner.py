"""TimeZonePlanner: when are all partner classes in school at once? And an .ics invitation.

Every class's school hours are local times in its own time zone, on its own school days,
minus its holidays (``PartnerClass.in_school``), so daylight saving time is handled per
date: in the week when Europe has left summer time and America has not, the overlap moves.
"""

from __future__ import annotations

import base64
import hashlib
import html
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from traitlets import Bool, Instance, Int, List, TraitError, Unicode, observe, validate

from ..errors import VxkitError
from ..exchange import Exchange, PartnerClass
from ..files import atomic_write
from ..i18n import tr

UTC = timezone.utc


@dataclass(frozen=True)
class Slot:
    """A stretch of time (aware, UTC) when the listed classes are all in school."""

    start: datetime
    end: datetime
    class_ids: tuple[str, ...]

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    def describe(self, classes: list[PartnerClass]) -> str:
        """A one-line description with each class's local time, e.g. for a picker."""
        parts = []
        for cls in classes:
            if cls.id in self.class_ids:
                a, b = self.start.astimezone(cls.zone), self.end.astimezone(cls.zone)
                parts.append(f"{cls.city} {a:%a %d %b %H:%M}–{b:%H:%M}")
        return f"{self.minutes} min: " + "; ".join(parts)


def _aligned(moment: datetime, step: timedelta) -> datetime:
    moment = moment.astimezone(UTC).replace(second=0, microsecond=0)
    minutes = int(step.total_seconds() // 60)
    extra = moment.minute % minutes
    return moment + timedelta(minutes=(minutes - extra) % minutes)


def overlaps(
    classes: list[PartnerClass],
    start: datetime,
    days: int = 14,
    step_minutes: int = 15,
) -> list[Slot]:
    """Every stretch from ``start`` over ``days`` when at least one class is in school.

    Consecutive steps with the same set of classes in school are merged into one slot;
    slots come in time order.
    """
    if start.tzinfo is None:
        raise VxkitError("The planner needs a start time with a time zone (an aware datetime).")
    step = timedelta(minutes=step_minutes)
    moment = _aligned(start, step)
    end = moment + timedelta(days=days)
    slots: list[Slot] = []
    current: tuple[str, ...] = ()
    since = moment
    while moment < end:
        inside = tuple(c.id for c in classes if c.in_school(moment))
        if inside != current:
            if current:
                slots.append(Slot(since, moment, current))
            current, since = inside, moment
        moment += step
    if current:
        slots.append(Slot(since, moment, current))
    return slots


def common_slots(
    classes: list[PartnerClass], start: datetime, days: int = 14, limit: int = 10
) -> tuple[list[Slot], bool]:
    """The next slots when every class is in school, or else the best partial overlaps.

    Returns ``(slots, complete)``; ``complete`` is False when no slot has every class, and
    then the slots are the ones with the most classes, longest first.
    """
    every = overlaps(classes, start, days)
    full = [s for s in every if len(s.class_ids) == len(classes)]
    if full:
        return full[:limit], True
    partial = [s for s in every if len(s.class_ids) >= 2] or every
    partial.sort(key=lambda s: (-len(s.class_ids), -s.minutes, s.start))
    return partial[:limit], False


#: C0 controls and DEL: RFC 5545 TEXT has no room for them (tab and line breaks aside), and a
#: NUL or a bell pasted into a title breaks some calendar apps
_CONTROLS = dict.fromkeys(c for c in (*range(32), 127) if chr(c) not in "\t\n")


def _plain(text: str) -> str:
    # a lone CR is a line end to some calendar apps: make every line break a LF, which
    # icalendar escapes (older icalendar releases let a lone CR through)
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROLS)


def slot_ics(
    slot: Slot,
    classes: list[PartnerClass],
    title: str,
    now: datetime | None = None,
    description: str = "",
) -> str:
    """An iCalendar (RFC 5545) invitation for a slot, as text with CRLF line ends.

    The event is in UTC, the one time every calendar app places the same; the description
    gives every class's local time (after ``description``, the teacher's note, if any), so a
    reader sees their school's hours without converting. The UID is the same for the same
    title, slot and classes: exporting again updates the event instead of adding one.
    Escaping and line folding are icalendar's.
    """
    from icalendar import Calendar, Event

    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    local = [
        f"{c.school} ({c.city}): {slot.start.astimezone(c.zone):%A %d %B %H:%M}"
        f"–{slot.end.astimezone(c.zone):%H:%M} {c.timezone}"
        for c in classes
        if c.id in slot.class_ids
    ]
    note = _plain(description).strip()
    uid = hashlib.sha256(f"{title}|{slot.start.isoformat()}|{slot.class_ids}".encode()).hexdigest()
    event = Event()
    event.add("uid", f"{uid[:32]}@vxkit")
    event.add("dtstamp", stamp)
    event.add("dtstart", slot.start.astimezone(UTC))
    event.add("dtend", slot.end.astimezone(UTC))
    event.add("summary", _plain(title))
    event.add("description", _plain("\n\n".join(filter(None, [note, "\n".join(local)]))))
    calendar = Calendar()
    calendar.add("prodid", "-//vxkit//TimeZonePlanner//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def _utc_offset(cls: PartnerClass, day: date) -> str:
    offset = datetime.combine(day, time(12), cls.zone).utcoffset() or timedelta(0)
    hours = offset.total_seconds() / 3600
    return f"UTC{hours:+g}"


def timeline_html(classes: list[PartnerClass], day: date, slot: Slot | None = None) -> str:
    """One UTC day as rows of bars: each class's school hours, labelled in its local time."""
    width = 720
    left = 170
    scale = (width - left - 10) / 24
    day_start = datetime.combine(day, time(0), UTC)
    rows = []
    for index, cls in enumerate(classes):
        y = 26 + index * 30
        label = html.escape(f"{cls.city} ({_utc_offset(cls, day)})")
        rows.append(f'<text x="4" y="{y + 14}">{label}</text>')
        # a class's school day can start the UTC day before or end the day after
        for offset in (-1, 0, 1):
            local_day = day + timedelta(days=offset)
            begin = datetime.combine(local_day, cls.hours[0], cls.zone).astimezone(UTC)
            end = datetime.combine(local_day, cls.hours[1], cls.zone).astimezone(UTC)
            if not cls.in_school(begin):
                continue
            a = max((begin - day_start).total_seconds() / 3600, 0)
            b = min((end - day_start).total_seconds() / 3600, 24)
            if b <= a:
                continue
            text = html.escape(f"{cls.hours[0]:%H:%M}–{cls.hours[1]:%H:%M} local")
            rows.append(
                f'<rect class="vx-school-hours" x="{left + a * scale:.1f}" y="{y}" '
                f'width="{(b - a) * scale:.1f}" height="20" fill="{html.escape(cls.colour)}" '
                f'opacity="0.8"><title>{html.escape(cls.school)}: {text}</title></rect>'
                f'<text x="{left + a * scale + 4:.1f}" y="{y + 14}" fill="#fff">{text}</text>'
            )
    height = 36 + len(classes) * 30
    if slot is not None:
        a = max((slot.start - day_start).total_seconds() / 3600, 0)
        b = min((slot.end - day_start).total_seconds() / 3600, 24)
        if b > a:
            rows.insert(
                0,
                f'<rect class="vx-slot" x="{left + a * scale:.1f}" y="18" '
                f'width="{(b - a) * scale:.1f}" height="{height - 18}" fill="#ffd54f" '
                'opacity="0.6"/>',
            )
    ticks = "".join(
        f'<text x="{left + h * scale:.1f}" y="12" text-anchor="middle">{h:02d}</text>'
        f'<line x1="{left + h * scale:.1f}" x2="{left + h * scale:.1f}" y1="16" '
        f'y2="{height}" stroke="#eee"/>'
        for h in range(0, 25, 3)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="vx-timeline" width="{width}" '
        f'height="{height}" style="font:12px sans-serif">{ticks}{"".join(rows)}</svg>'
        f"<div><small>{day:%A %d %B %Y}, hours in UTC along the top.</small></div>"
    )


class TimeZonePlanner(widgets.VBox):
    """School hours of all partner classes on one timeline, and the next shared slots."""

    start = Instance(
        datetime,
        allow_none=True,
        help="Aware time the search starts from; None means now.",
    )
    days = Int(14, help="How many days ahead to search, in days (1 to 120).")
    title = Unicode("Exchange lesson", help="Title of the exported invitation.")
    description = Unicode(
        "",
        help="A note at the top of the invitation's description (what to prepare, a link); "
        "empty means only each class's local time.",
    )
    slots = List(help="The slots found (vxkit.widgets.planner.Slot), best first.")
    complete = Bool(False, help="True when every class is in school in the slots found.")
    chosen = Int(0, help="Index in ``slots`` of the slot to export.")
    locale = Unicode(
        "en", help='Language of labels and sentences ("fr", "es"; "fr,es" for each of two).'
    )

    def __init__(
        self,
        exchange: Exchange | None = None,
        *,
        classes: list[PartnerClass] | None = None,
        start: datetime | None = None,
        days: int = 14,
        locale: str = "en",
        **kwargs: Any,
    ) -> None:
        if classes is None:
            if exchange is None:
                from ..workspace import find_workspace

                exchange = find_workspace().load()
            classes = exchange.classes
        if len(classes) < 2:
            raise VxkitError("The planner needs at least two partner classes.")
        self.classes = list(classes)
        self.timeline = widgets.HTML()
        self.summary = widgets.HTML()
        self.picker = widgets.Dropdown(description=tr("Slot", locale), layout={"width": "640px"})
        self.export_button = widgets.Button(
            description=tr("Invitation (.ics)", locale), icon="calendar"
        )
        self.download = widgets.HTML()
        super().__init__(**kwargs)
        self.locale = locale
        self.children = [
            self.summary,
            self.picker,
            self.timeline,
            widgets.HBox([self.export_button, self.download]),
        ]
        self.picker.observe(self._picked, "value")
        self.export_button.on_click(lambda _: self._export_clicked())
        self.days = days
        self.start = start
        self.search()
        self._ready = True

    @validate("days")
    def _valid_days(self, proposal: dict[str, Any]) -> int:
        value = proposal["value"]
        if not 1 <= value <= 120:
            raise TraitError(f"days must be from 1 to 120, not {value}.")
        return value

    @validate("start")
    def _valid_start(self, proposal: dict[str, Any]) -> datetime | None:
        value = proposal["value"]
        if value is not None and value.tzinfo is None:
            raise TraitError("start must have a time zone, e.g. datetime(..., tzinfo=UTC).")
        return value

    @validate("chosen")
    def _valid_chosen(self, proposal: dict[str, Any]) -> int:
        value = proposal["value"]
        if self.slots and not 0 <= value < len(self.slots):
            raise TraitError(f"There is no slot number {value}: {len(self.slots)} were found.")
        return value

    @observe("start", "days")
    def _inputs_changed(self, change: dict[str, Any]) -> None:
        if getattr(self, "_ready", False):
            self.search()

    def search(self) -> list[Slot]:
        """Find the slots again (from ``start``, or now) and update the view."""
        start = self.start or datetime.now(UTC)
        slots, complete = common_slots(self.classes, start, self.days)
        self.complete = complete
        self.slots = slots
        self.chosen = 0
        self.picker.options = [(s.describe(self.classes), i) for i, s in enumerate(slots)]
        if slots:
            self.picker.value = 0
        if not slots:
            text = tr("No class is in school in the next {days} days.", self.locale)
        elif complete:
            text = tr("Every class is in school at these times (next {days} days):", self.locale)
        else:
            text = tr(
                "The classes are never all in school at once in the next {days} days. "
                "The best partial overlaps:",
                self.locale,
            )
        text = text.format(days=self.days)
        self.summary.value = f"<p>{html.escape(text)}</p>"
        self._draw()
        return slots

    def _picked(self, change: dict[str, Any]) -> None:
        if change["new"] is not None:
            self.chosen = change["new"]
            self._draw()

    def _draw(self) -> None:
        slot = self.slots[self.chosen] if self.slots else None
        day = slot.start.date() if slot else (self.start or datetime.now(UTC)).date()
        self.timeline.value = timeline_html(self.classes, day, slot)

    def ics(self, index: int | None = None, now: datetime | None = None) -> str:
        """The invitation for slot ``index`` (default: the chosen one) as iCalendar text."""
        if not self.slots:
            raise VxkitError("There is no slot to invite to: widen the search (days=...).")
        slot = self.slots[self.chosen if index is None else index]
        return slot_ics(slot, self.classes, self.title, now, self.description)

    def export_ics(self, path: str | Path | None = None, index: int | None = None) -> Path:
        """Write the invitation to ``path`` (default: exchange-lesson-<date>.ics here)."""
        text = self.ics(index)
        slot = self.slots[self.chosen if index is None else index]
        target = Path(path) if path else Path(f"exchange-lesson-{slot.start:%Y%m%d-%H%M}.ics")
        atomic_write(target, text)
        return target

    def _export_clicked(self) -> None:
        try:
            text = self.ics()
        except VxkitError as err:
            self.download.value = f"<span>{html.escape(str(err))}</span>"
            return
        data = base64.b64encode(text.encode()).decode()
        slot = self.slots[self.chosen]
        name = f"exchange-lesson-{slot.start:%Y%m%d-%H%M}.ics"
        self.download.value = (
            f'<a download="{name}" href="data:text/calendar;base64,{data}">'
            f"{html.escape(tr('Download', self.locale))} {html.escape(name)}</a>"
        )

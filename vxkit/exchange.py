"""The exchange model: partner classes, rosters, mixed teams and units, read from exchange.toml.

Loading checks everything and reports every problem at once, each with the path of the field
and the value that is wrong, so a teacher can fix the whole file in one go.
"""

from __future__ import annotations

import difflib
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, available_timezones

from .errors import VxkitError
from .files import atomic_write

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

EXCHANGE_FILE = "exchange.toml"
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
HOURS_PATTERN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = {
    name: DAYS[i]
    for i, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}
PALETTE = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")
MAX_NAME_LENGTH = 40
NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "ZZ"}

EXCHANGE_KEYS = ("id", "title", "description", "start", "end", "units")
CLASS_KEYS = (
    "id",
    "school",
    "city",
    "country",
    "timezone",
    "languages",
    "school_days",
    "hours",
    "holidays",
    "teacher",
    "students",
    "latitude",
    "longitude",
    "colour",
    "profile",
)
TEAM_KEYS = ("id", "name", "members")


class Problem(NamedTuple):
    """One thing wrong in an exchange file: where, what value, and why."""

    field: str
    value: Any
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ExchangeError(VxkitError):
    """The exchange file has problems; ``problems`` lists all of them."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        count = len(problems)
        lines = "\n".join(f"  - {p}" for p in problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{source} has {count} {noun}:\n{lines}")


@dataclass(frozen=True)
class Student:
    """A student on a class roster: a first name or nickname, and a stable id derived from it."""

    name: str
    id: str
    class_id: str


@dataclass
class PartnerClass:
    """One partner class at one school."""

    id: str
    school: str
    city: str
    country: str
    timezone: str
    teacher: str = ""
    languages: list[str] = field(default_factory=lambda: ["en"])
    school_days: list[str] = field(default_factory=lambda: list(DAYS[:5]))
    hours: tuple[time, time] = (time(8, 0), time(15, 0))
    holidays: list[date] = field(default_factory=list)
    students: list[str] = field(default_factory=list)
    latitude: float | None = None
    longitude: float | None = None
    colour: str = PALETTE[0]
    profile: str = ""

    @property
    def zone(self) -> ZoneInfo:
        """The school's time zone."""
        return ZoneInfo(self.timezone)

    @property
    def roster(self) -> list[Student]:
        """The students with their ids, in roster order."""
        return [Student(name, student_id(self.id, name), self.id) for name in self.students]

    def local_now(self, now: datetime | None = None) -> datetime:
        """The time at the school now (or at the aware ``now`` given)."""
        moment = now or datetime.now(timezone.utc)
        return moment.astimezone(self.zone)

    def in_school(self, moment: datetime) -> bool:
        """Whether the aware ``moment`` falls in this class's school hours (holidays excluded)."""
        local = moment.astimezone(self.zone)
        if DAYS[local.weekday()] not in self.school_days or local.date() in self.holidays:
            return False
        return self.hours[0] <= local.time() < self.hours[1]

    def country_name(self, locale: str = "en") -> str:
        """The country's name in the given language (falls back to English, then the code)."""
        return country_name(self.country, locale)


@dataclass
class Team:
    """A mixed team: students from at least two partner classes."""

    id: str
    name: str
    members: dict[str, list[str]]

    def students(self) -> list[Student]:
        """The team's students, class by class, as ``Student`` records."""
        out = []
        for class_id, names in self.members.items():
            out.extend(Student(n, student_id(class_id, n), class_id) for n in names)
        return out


@dataclass
class Exchange:
    """A whole exchange: what ``exchange.toml`` describes."""

    id: str
    title: str
    start: date
    end: date
    classes: list[PartnerClass]
    teams: list[Team] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    description: str = ""
    path: Path | None = None

    def get_class(self, class_id: str) -> PartnerClass:
        """The partner class with this id; a clear error when there is none."""
        for cls in self.classes:
            if cls.id == class_id:
                return cls
        known = ", ".join(c.id for c in self.classes)
        raise VxkitError(f'There is no class "{class_id}" in this exchange (classes: {known}).')

    def get_team(self, team_id: str) -> Team:
        """The team with this id; a clear error when there is none."""
        for team in self.teams:
            if team.id == team_id:
                return team
        known = ", ".join(t.id for t in self.teams) or "none yet"
        raise VxkitError(f'There is no team "{team_id}" in this exchange (teams: {known}).')

    def team_of(self, class_id: str, name: str) -> Team | None:
        """The team a student belongs to, if any."""
        for team in self.teams:
            if name in team.members.get(class_id, ()):
                return team
        return None

    def students(self) -> list[Student]:
        """Every student of every class."""
        return [s for cls in self.classes for s in cls.roster]

    def to_toml_dict(self) -> dict[str, Any]:
        """The exchange as the plain tables written to ``exchange.toml``."""
        head: dict[str, Any] = {"id": self.id, "title": self.title}
        if self.description:
            head["description"] = self.description
        head.update(start=self.start, end=self.end, units=list(self.units))
        classes = []
        for cls in self.classes:
            entry: dict[str, Any] = {
                "id": cls.id,
                "school": cls.school,
                "city": cls.city,
                "country": cls.country,
                "timezone": cls.timezone,
                "teacher": cls.teacher,
                "languages": list(cls.languages),
                "school_days": list(cls.school_days),
                "hours": format_hours(cls.hours),
                "holidays": list(cls.holidays),
                "students": list(cls.students),
                "colour": cls.colour,
            }
            if cls.latitude is not None and cls.longitude is not None:
                entry.update(latitude=cls.latitude, longitude=cls.longitude)
            if cls.profile:
                entry["profile"] = cls.profile
            classes.append(entry)
        teams = [
            {"id": t.id, "name": t.name, "members": {k: list(v) for k, v in t.members.items()}}
            for t in self.teams
        ]
        return {"exchange": head, "classes": classes, "teams": teams}


def student_id(class_id: str, name: str) -> str:
    """A stable, path-safe id for a student: ``<class id>-<name in plain letters>``.

    Names in scripts with no Latin transliteration keep a hex form, so ids never collide
    silently; the exchange check reports two names of one class that give the same id.
    """
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")
    if not slug:
        slug = "u" + name.strip().encode("utf-8").hex()[:16]
    return f"{class_id}-{slug}"


def format_hours(hours: tuple[time, time]) -> str:
    """School hours as written in exchange.toml, e.g. ``08:00-15:30``."""
    return f"{hours[0]:%H:%M}-{hours[1]:%H:%M}"


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


@cache
def _territories() -> dict[str, str]:
    from babel import Locale

    return {
        code: name
        for code, name in Locale("en").territories.items()
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    }


def country_name(code: str, locale: str = "en") -> str:
    """The name of the country with ISO 3166 alpha-2 ``code`` in ``locale`` (e.g. "sw", "fr")."""
    from babel import Locale, UnknownLocaleError

    try:
        names = Locale.parse(locale.replace("-", "_")).territories
    except (UnknownLocaleError, ValueError):
        names = {}
    return names.get(code) or _territories().get(code, code)


def _country_zones(code: str) -> set[str]:
    from babel.core import get_global

    return set(get_global("territory_zones").get(code, ()))


def _canonical_zone(name: str) -> str:
    from babel.core import get_global

    return get_global("zone_aliases").get(name, name)


def _suggest(value: str, options: Iterable[str]) -> str:
    match = difflib.get_close_matches(value, list(options), n=1, cutoff=0.75)
    if not match:
        lowered = {o.lower(): o for o in options}
        if value.lower() in lowered:
            match = [lowered[value.lower()]]
    return f' (did you mean "{match[0]}"?)' if match else ""


class _Checker:
    """Collects problems while turning parsed TOML into model objects."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, value: Any, message: str) -> None:
        self.problems.append(Problem(path, value, message))

    def keys(self, table: Mapping[str, Any], allowed: tuple[str, ...], path: str) -> None:
        for key in table:
            if key not in allowed:
                hint = _suggest(key, allowed)
                self.add(f"{path}.{key}" if path else key, key, f'unknown field "{key}"{hint}')

    def text(
        self,
        table: Mapping[str, Any],
        key: str,
        path: str,
        *,
        required: bool = True,
        default: str = "",
    ) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.add(f"{path}.{key}", None, "is missing")
            return default
        if not isinstance(value, str):
            self.add(f"{path}.{key}", value, f"must be text in quotes, not {value!r}")
            return default
        if required and not value.strip():
            self.add(f"{path}.{key}", value, "must not be empty")
        return value.strip()

    def ident(self, table: Mapping[str, Any], key: str, path: str) -> str:
        value = self.text(table, key, path)
        if value and not ID_PATTERN.match(value):
            self.add(
                f"{path}.{key}",
                value,
                f'"{value}" is not a valid id: use lowercase letters, digits and _, starting '
                'with a letter, at most 40 characters (for example "lyon_4b")',
            )
        return value

    def text_list(
        self, table: Mapping[str, Any], key: str, path: str, default: list[str]
    ) -> list[str]:
        value = table.get(key, default)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(f"{path}.{key}", value, 'must be a list of texts in quotes, like ["a", "b"]')
            return list(default)
        return [v.strip() for v in value]

    def day(self, value: Any, path: str) -> date | None:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.add(path, value, f"{value!r} is not a date; write it as YYYY-MM-DD, like 2027-03-15")
        return None


def parse_exchange(data: Mapping[str, Any], source: str = EXCHANGE_FILE) -> Exchange:
    """Build an ``Exchange`` from parsed TOML tables, or raise ``ExchangeError`` with every problem."""
    ck = _Checker()
    ck.keys(data, ("exchange", "classes", "teams"), "")
    head = data.get("exchange")
    if not isinstance(head, Mapping):
        ck.add("exchange", head, "is missing: add an [exchange] table with a title, start and end")
        head = {}
    ck.keys(head, EXCHANGE_KEYS, "exchange")
    title = ck.text(head, "title", "exchange")
    ex_id = head.get("id")
    if ex_id is None:
        ex_id = re.sub(r"[^a-z0-9]+", "_", student_id("x", title or "exchange")[2:]).strip("_")
        ex_id = ex_id if ID_PATTERN.match(ex_id or "") else "exchange"
    else:
        ex_id = ck.ident(head, "id", "exchange")
    start = ck.day(head["start"], "exchange.start") if "start" in head else None
    end = ck.day(head["end"], "exchange.end") if "end" in head else None
    if "start" not in head:
        ck.add("exchange.start", None, "is missing (the first day of the exchange, YYYY-MM-DD)")
    if "end" not in head:
        ck.add("exchange.end", None, "is missing (the last day of the exchange, YYYY-MM-DD)")
    if start and end and end < start:
        ck.add("exchange.end", end, f"the exchange ends ({end}) before it starts ({start})")
    units = ck.text_list(head, "units", "exchange", [])
    seen_units: set[str] = set()
    for i, unit in enumerate(units):
        if not ID_PATTERN.match(unit):
            ck.add(
                f"exchange.units[{i}]",
                unit,
                f'"{unit}" is not a valid unit id (lowercase, digits, _)',
            )
        if unit in seen_units:
            ck.add(f"exchange.units[{i}]", unit, f'unit "{unit}" is listed twice')
        seen_units.add(unit)

    raw_classes = data.get("classes", [])
    if not isinstance(raw_classes, list) or not raw_classes:
        ck.add("classes", raw_classes, "no partner classes: add at least two [[classes]] tables")
        raw_classes = []
    elif len(raw_classes) < 2:
        ck.add("classes", len(raw_classes), "an exchange needs at least two partner classes")
    classes = []
    for i, raw in enumerate(raw_classes):
        cls = _parse_class(ck, raw, f"classes[{i}]", i)
        if cls is not None:
            classes.append(cls)
    ids = [c.id for c in classes]
    for i, cls in enumerate(classes):
        if cls.id and ids.index(cls.id) != i:
            ck.add(f"classes[{i}].id", cls.id, f'class id "{cls.id}" is used by two classes')

    teams = _parse_teams(ck, data.get("teams", []), {c.id: c for c in classes})

    if ck.problems:
        raise ExchangeError(source, ck.problems)
    assert start is not None and end is not None
    return Exchange(
        id=ex_id,
        title=title,
        start=start,
        end=end,
        classes=classes,
        teams=teams,
        units=units,
        description=ck.text(head, "description", "exchange", required=False),
    )


def _parse_class(ck: _Checker, raw: Any, path: str, index: int) -> PartnerClass | None:
    if not isinstance(raw, Mapping):
        ck.add(path, raw, "must be a table of fields ([[classes]])")
        return None
    ck.keys(raw, CLASS_KEYS, path)
    cid = ck.ident(raw, "id", path)
    school = ck.text(raw, "school", path)
    city = ck.text(raw, "city", path)
    teacher = ck.text(raw, "teacher", path, required=False)
    profile = ck.text(raw, "profile", path, required=False)

    country = ck.text(raw, "country", path)
    if country and country.upper() not in _territories():
        names = {n.lower(): c for c, n in _territories().items()}
        hint = f' (did you mean "{names[country.lower()]}"?)' if country.lower() in names else ""
        ck.add(
            f"{path}.country",
            country,
            f'"{country}" is not an ISO 3166 country code like "KE" or "FR"{hint}',
        )
    country = country.upper()

    tz = ck.text(raw, "timezone", path)
    if tz and tz not in _timezones():
        ck.add(
            f"{path}.timezone",
            tz,
            f'"{tz}" is not a known time zone{_suggest(tz, _timezones())}; use an IANA name '
            'like "Europe/Paris"',
        )
    elif tz and country in _territories():
        zones = _country_zones(country)
        if zones and _canonical_zone(tz) not in zones and tz not in zones:
            ck.add(
                f"{path}.timezone",
                tz,
                f'"{tz}" is not a time zone of {country_name(country)} ({country}); '
                f"expected one of: {', '.join(sorted(zones))}",
            )

    languages = ck.text_list(raw, "languages", path, ["en"])
    for j, lang in enumerate(languages):
        if not _known_language(lang):
            ck.add(
                f"{path}.languages[{j}]",
                lang,
                f'"{lang}" is not a language code like "en", "fr" or "pt-BR"',
            )

    days = []
    for j, day in enumerate(ck.text_list(raw, "school_days", path, list(DAYS[:5]))):
        key = day.lower()
        key = DAY_NAMES.get(key, key)
        if key not in DAYS:
            ck.add(
                f"{path}.school_days[{j}]",
                day,
                f'"{day}" is not a day; use mon, tue, wed, thu, fri, sat or sun',
            )
        elif key not in days:
            days.append(key)

    hours = (time(8, 0), time(15, 0))
    if "hours" in raw:
        hours = _parse_hours(ck, raw["hours"], f"{path}.hours") or hours

    holidays: list[date] = []
    raw_holidays = raw.get("holidays", [])
    if not isinstance(raw_holidays, list):
        ck.add(f"{path}.holidays", raw_holidays, "must be a list of dates or date ranges")
        raw_holidays = []
    for j, item in enumerate(raw_holidays):
        holidays.extend(_parse_holiday(ck, item, f"{path}.holidays[{j}]"))

    students = ck.text_list(raw, "students", path, [])
    seen: dict[str, str] = {}
    for j, name in enumerate(students):
        sub = f"{path}.students[{j}]"
        problem = name_problem(name)
        if problem:
            ck.add(sub, name, problem)
            continue
        sid = student_id(cid or "x", name)
        if sid in seen:
            what = (
                "is on the roster twice"
                if seen[sid] == name
                else (
                    f'is too close to "{seen[sid]}" to tell apart; add an initial, like "{name} B"'
                )
            )
            ck.add(sub, name, f'"{name}" {what}')
        seen[sid] = name

    lat, lon = raw.get("latitude"), raw.get("longitude")
    for key, val, limit in (("latitude", lat, 90), ("longitude", lon, 180)):
        if val is None:
            continue
        if isinstance(val, bool) or not isinstance(val, (int, float)):
            ck.add(f"{path}.{key}", val, f"must be a number in degrees, not {val!r}")
        elif not -limit <= val <= limit:
            ck.add(f"{path}.{key}", val, f"{val} is outside -{limit}..{limit} degrees")
    if (lat is None) != (lon is None):
        ck.add(
            f"{path}.{'longitude' if lon is None else 'latitude'}",
            None,
            "give both latitude and longitude, or neither",
        )

    colour = ck.text(raw, "colour", path, required=False, default=PALETTE[index % len(PALETTE)])
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        ck.add(f"{path}.colour", colour, f'"{colour}" is not a colour like "#1b9e77"')

    coords_ok = isinstance(lat, (int, float)) and isinstance(lon, (int, float))
    return PartnerClass(
        id=cid,
        school=school,
        city=city,
        country=country,
        timezone=tz,
        teacher=teacher,
        languages=languages,
        school_days=days,
        hours=hours,
        holidays=holidays,
        students=students,
        latitude=float(lat) if coords_ok else None,
        longitude=float(lon) if coords_ok else None,
        colour=colour,
        profile=profile,
    )


def name_problem(name: str) -> str | None:
    """Why ``name`` can't be a student's name on a roster, or None if it can.

    Rosters hold first names or nicknames only: no e-mail addresses, nothing over 40
    characters. Any other text is allowed (and escaped wherever it is shown).
    """
    if not name:
        return "a student's name must not be empty"
    if len(name) > MAX_NAME_LENGTH:
        return f"is {len(name)} characters long; use a first name or nickname (at most {MAX_NAME_LENGTH})"
    if "@" in name:
        return f'"{name}" looks like an e-mail address; rosters hold first names or nicknames only'
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        return "contains invisible control characters"
    return None


def _known_language(code: str) -> bool:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def _parse_hours(ck: _Checker, value: Any, path: str) -> tuple[time, time] | None:
    match = HOURS_PATTERN.match(value) if isinstance(value, str) else None
    if not match:
        ck.add(path, value, f'{value!r} is not school hours; write them like "08:00-15:30"')
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        ck.add(path, value, f'"{value}" has a time that does not exist; use 00:00 to 23:59')
        return None
    begin, finish = time(h1, m1), time(h2, m2)
    if finish <= begin:
        ck.add(path, value, f"school ends ({finish:%H:%M}) before it starts ({begin:%H:%M})")
        return None
    return begin, finish


def _parse_holiday(ck: _Checker, item: Any, path: str) -> list[date]:
    if isinstance(item, str) and ".." in item:
        first_raw, last_raw = item.split("..", 1)
        first, last = ck.day(first_raw, path), ck.day(last_raw, path)
        if first is None or last is None:
            return []
        if last < first:
            ck.add(path, item, f"the holiday ends ({last}) before it starts ({first})")
            return []
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]
    single = ck.day(item, path)
    return [single] if single else []


def _parse_teams(ck: _Checker, raw_teams: Any, classes: dict[str, PartnerClass]) -> list[Team]:
    if not isinstance(raw_teams, list):
        ck.add("teams", raw_teams, "must be a list of [[teams]] tables")
        return []
    teams: list[Team] = []
    placed: dict[tuple[str, str], str] = {}
    for i, raw in enumerate(raw_teams):
        path = f"teams[{i}]"
        if not isinstance(raw, Mapping):
            ck.add(path, raw, "must be a table of fields ([[teams]])")
            continue
        ck.keys(raw, TEAM_KEYS, path)
        tid = ck.ident(raw, "id", path)
        if tid and any(t.id == tid for t in teams):
            ck.add(f"{path}.id", tid, f'team id "{tid}" is used by two teams')
        name = ck.text(raw, "name", path, required=False) or tid
        members_raw = raw.get("members", {})
        if not isinstance(members_raw, Mapping) or not members_raw:
            ck.add(
                f"{path}.members",
                members_raw,
                'must list students by class, like { lyon_4b = ["Chloé"], nairobi_7 = ["Amani"] }',
            )
            members_raw = {}
        members: dict[str, list[str]] = {}
        for class_id, names in members_raw.items():
            sub = f"{path}.members.{class_id}"
            if class_id not in classes:
                ck.add(
                    sub, class_id, f'there is no class "{class_id}"{_suggest(class_id, classes)}'
                )
                continue
            names = ck.text_list(members_raw, class_id, f"{path}.members", [])
            roster = classes[class_id].students
            for j, student in enumerate(names):
                if student not in roster:
                    ck.add(
                        f"{sub}[{j}]",
                        student,
                        f'"{student}" is not on the roster of {class_id}{_suggest(student, roster)}',
                    )
                    continue
                if (class_id, student) in placed:
                    ck.add(
                        f"{sub}[{j}]",
                        student,
                        f'"{student}" of {class_id} is already in team "{placed[class_id, student]}"',
                    )
                    continue
                placed[class_id, student] = tid
            if names:
                members[class_id] = names
        if members_raw and len(members_raw) < 2:
            ck.add(
                f"{path}.members",
                list(members_raw),
                "a team mixes students from at least two partner classes",
            )
        teams.append(Team(id=tid, name=name, members=members))
    return teams


def load_exchange(path: str | Path) -> Exchange:
    """Read and check ``exchange.toml`` (or the folder holding it)."""
    target = Path(path)
    if target.is_dir():
        target = target / EXCHANGE_FILE
    source = str(target)
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        raise VxkitError(
            f"There is no exchange file at {source}. Create a workspace with `vxkit new DIR`."
        ) from None
    except OSError as err:
        raise VxkitError(f"Cannot read {source}: {err.strerror}.") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        where = f"{source}, line {line}, column {column}"
        raise ExchangeError(
            source, [Problem(where, None, f"is not UTF-8 text ({err.reason})")]
        ) from None
    exchange = parse_exchange_text(text, source)
    exchange.path = target
    return exchange


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def read_toml(text: str, source: str = EXCHANGE_FILE) -> dict[str, Any]:
    """The tables of TOML ``text``; an ``ExchangeError`` naming the file, the line and the
    column when it is not TOML at all."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        reason = str(err)
        found = _TOML_POSITION.search(reason)
        where = source
        line_text = None
        if found:
            line, column = int(found.group(1)), int(found.group(2))
            reason = reason[: found.start()]
            where = f"{source}, line {line}, column {column}"
            lines = text.splitlines()
            line_text = lines[line - 1] if 0 < line <= len(lines) else None
        message = f"is not valid TOML: {reason[:1].lower()}{reason[1:]}"
        raise ExchangeError(source, [Problem(where, line_text, message)]) from None


def parse_exchange_text(text: str, source: str = EXCHANGE_FILE) -> Exchange:
    """Check the TOML ``text`` of an exchange file and build the ``Exchange``, or raise
    ``ExchangeError`` with every problem (what ``vxkit check`` and the setup form report)."""
    return parse_exchange(read_toml(text, source), source)


def dump_exchange(exchange: Exchange) -> str:
    """The TOML text of an exchange."""
    import tomli_w

    header = "# vxkit exchange: edit, then run `vxkit check` to validate.\n\n"
    return header + tomli_w.dumps(exchange.to_toml_dict())


def save_exchange(exchange: Exchange, path: str | Path | None = None) -> Path:
    """Check and write the exchange atomically; the old file stays whole if anything fails."""
    target = Path(path) if path is not None else exchange.path
    if target is None:
        raise VxkitError("Say where to save the exchange: it was not loaded from a file.")
    if target.is_dir():
        target = target / EXCHANGE_FILE
    text = dump_exchange(exchange)
    parse_exchange_text(text, str(target))  # never write a file that would not load
    atomic_write(target, text)
    exchange.path = target
    return target

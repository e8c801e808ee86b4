"""What of the exchange a kernel may see: the exchange as one area sees it.

Kernels read the exchange (the curriculum's notebooks and the widgets show partner classes,
clocks and the team). The whole exchange.toml holds every class's roster and the teachers'
names, so a sandboxed kernel never reads it: it gets this view instead, written into its
private folder and named by ``$VXKIT_EXCHANGE`` (``Workspace.load`` reads it there).
"""

from __future__ import annotations

import contextlib
import copy
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .areas import Area, area_of
from .errors import VxkitError
from .exchange import Exchange, PartnerClass, Team
from .i18n import N_, language, tr


def team_exchange(exchange: Exchange, team: Team | None) -> Exchange:
    """The exchange as one team may see it: every class, only this team's students (none
    without a team), no teachers' names."""
    scoped = copy.deepcopy(exchange)
    for cls in scoped.classes:
        cls.students = list(team.members.get(cls.id, [])) if team else []
        cls.teacher = ""  # teachers' names carry surnames: they stay out of students' files
    scoped.teams = [copy.deepcopy(team)] if team else []
    scoped.path = None
    return scoped


def exchange_view(exchange: Exchange, area: Area) -> Exchange:
    """The exchange as a kernel of ``area`` may see it: a team's kernel its own team, a
    student's kernel that student's team, any other kernel no students at all."""
    team = None
    if area.kind == "team":
        team = next((t for t in exchange.teams if t.id == area.key), None)
    elif area.kind == "student":
        student = next((s for s in exchange.students() if s.id == area.key), None)
        if student is not None:
            team = exchange.team_of(student.class_id, student.name)
    return team_exchange(exchange, team)


@dataclass(frozen=True)
class NotebookCountries:
    """The countries a graded notebook works on: its class's own and its partners', as ISO
    alpha-3 codes of countries the indicator has data for."""

    mine: str  # the notebook's class's country (a partner's if its own has no data)
    partner: str  # the first partner class's country with data (``mine`` if there is none)
    exchange: list[str]  # every class's country with data, in the exchange's order
    notes: list[str]  # one sentence per country the indicator has no data for


def notebook_class(exchange: Exchange, folder: str | os.PathLike[str]) -> PartnerClass:
    """The class a notebook in ``folder`` belongs to: the student's in a student's folder or
    hand-in (``students/<id>/``, ``course/submitted/<id>/<unit>/``), else the first class
    (a teacher's source or release notebook)."""
    if not exchange.classes:
        raise VxkitError("The exchange has no classes: add one to exchange.toml.")
    from .workspace import find_workspace

    area = Area("other")
    with contextlib.suppress(VxkitError, ValueError):
        root = find_workspace(folder).root
        area = area_of(root, Path(folder).resolve().relative_to(root.resolve()).as_posix())
    student = ""
    if area.kind == "student":
        student = area.key or ""
    elif area.kind == "submission":  # "submitted/<student id>/<unit>"
        student = (area.key or "").split("/")[1]
    class_id = student.split("-", 1)[0]  # a student id is "<class id>-<name>"
    return next((c for c in exchange.classes if c.id == class_id), exchange.classes[0])


def notebook_classes(
    folder: str | os.PathLike[str] | None = None, exchange: Exchange | None = None
) -> tuple[PartnerClass, list[PartnerClass]]:
    """The class of a notebook in ``folder`` (default: the working folder) and its partner
    classes, from the exchange the kernel sees (``Workspace.load``).

    The partners come in the exchange's order, never by team: a grading kernel's view has no
    teams, and a student's own kernel and the kernel grading the hand-in must name the same
    partner.
    """
    from .workspace import find_workspace

    here = Path(folder or os.getcwd())
    exchange = exchange or find_workspace(here).load()
    mine = notebook_class(exchange, here)
    return mine, [c for c in exchange.classes if c is not mine]


def notebook_countries(
    indicator: str | Iterable[str],
    folder: str | os.PathLike[str] | None = None,
    exchange: Exchange | None = None,
    locale: str | None = None,
) -> NotebookCountries:
    """The exchange's countries for a notebook in ``folder`` (default: the working folder),
    from the exchange the kernel sees (``Workspace.load``: its view in a sandboxed kernel).

    ``indicator`` is an indicator id of ``vxkit.data`` or the ISO alpha-3 codes a notebook's
    own data covers. A class whose country has no data is left out, with a sentence in
    ``notes`` instead of a failure, in ``locale`` (default: the class's first language).
    """
    from . import data

    mine_cls, partners = notebook_classes(folder, exchange)
    covered = set(data.countries_with_data(indicator) if isinstance(indicator, str) else indicator)
    locale = locale or next(iter(mine_cls.languages), "en")
    ordered = [mine_cls, *partners]
    codes, notes = [], []
    for cls in ordered:
        iso3 = data.to_iso3(cls.country)
        if iso3 not in covered:
            english = N_("No data for {country} ({code}): the class {class_id} is left out.")
            note = tr(english, locale)
            # the country named in the sentence's language (English where it is untranslated)
            name = cls.country_name(language(locale) if note != english else "en")
            notes.append(note.format(country=name, code=cls.country, class_id=cls.id))
        elif iso3 not in codes:
            codes.append(iso3)
    if not codes:
        raise VxkitError(
            "None of the exchange's countries has data here: "
            + " ".join(notes)
            + " Choose a country to work on with your teacher."
        )
    own = data.to_iso3(mine_cls.country)
    mine = own if own in codes else codes[0]
    partner = next((c for c in codes if c != mine), mine)
    return NotebookCountries(mine, partner, codes, notes)


def team_table(classes: list[PartnerClass], team: Team | None, locale: str = "en") -> Any:
    """The team notebook's table of the team's classes and members (pandas), its headers in
    each of ``locale``'s languages ("fr,es"), country names in the first."""
    import pandas as pd

    from .i18n import first

    headers = [
        tr("class", locale),
        tr("school", locale),
        tr("city", locale),
        tr("country", locale),
        tr("team members", locale),
    ]
    rows = [
        [
            c.id,
            c.school,
            c.city,
            c.country_name(first(locale)),
            ", ".join(team.members.get(c.id, [])) if team else "",
        ]
        for c in classes
    ]
    return pd.DataFrame(rows, columns=headers)


def measuring_times(
    classes: list[PartnerClass], start: date | None = None, days: int = 14, locale: str = "en"
) -> Any:
    """When each class measures "at noon": its school's solar noon in its own clock time on
    the first and the last day of ``days`` from ``start`` (default: today), as a table
    (pandas) with headers in ``locale``. A class without coordinates in exchange.toml gets a
    sentence saying so instead of a time."""
    import pandas as pd

    from .solar import solar_noon

    first_day = start or date.today()
    last_day = first_day + timedelta(days=max(days, 1) - 1)
    rows = []
    for c in classes:
        if c.longitude is None:
            missing = tr("add latitude and longitude to exchange.toml", locale)
            times = [missing, missing]
        else:
            times = [
                f"{solar_noon(c.longitude, c.timezone, d):%H:%M}" for d in (first_day, last_day)
            ]
        rows.append([c.id, c.city, c.timezone, *times])
    headers = [
        tr("class", locale),
        tr("city", locale),
        tr("time zone", locale),
        tr("solar noon on {day}", locale).format(day=first_day.isoformat()),
        tr("solar noon on {day}", locale).format(day=last_day.isoformat()),
    ]
    return pd.DataFrame(rows, columns=headers)

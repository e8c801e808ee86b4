"""The teacher's and the students' nbgrader steps, run in process on a workspace.

Teachers: ``assign`` (generate + release, deadlines per class), ``collect``, ``feedback``
(generate + release), ``grades``. Students, as the server's signed-in identity:
``fetch_assignment``, ``submit``, ``fetch_feedback``, ``own_grades``. ``vxkit grade`` lives
in ``autograde.py``.

On one server every student is the same Unix user, so nbgrader can't tell them apart by
itself: each call here names the nbgrader id explicitly (the student's roster id, or the
team's id for team work) and gives it its own submission cache, because nbgrader's
``fetch_feedback`` hands out whatever feedback matches the cache it is given.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import shutil
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import VxkitError
from ..exchange import Exchange, Student, _suggest
from ..files import atomic_write
from ..progress import Progress
from ..workspace import Workspace, find_unit, sync_units
from . import config as cfg
from .deadlines import assignment_duedate, class_deadlines, extension_for, resolve_deadlines

LOG = logging.getLogger("vxkit.grading")


# ---------------------------------------------------------------------------------------------
# who submits: a student alone, or their team


@dataclass(frozen=True)
class Submitter:
    """The nbgrader id under which work is fetched and submitted, and where it lives."""

    nbgrader_id: str
    folder: Path
    students: tuple[Student, ...]
    team_id: str | None = None

    @property
    def label(self) -> str:
        names = ", ".join(f"{s.name} ({s.class_id})" for s in self.students)
        return f"team {self.team_id}: {names}" if self.team_id else names


def student_folder(ws: Workspace, student_id: str) -> Path:
    """A student's own folder, where their individual assignments are fetched."""
    return ws.root / "students" / student_id


def find_student(exchange: Exchange, student_id: str) -> Student:
    """The roster entry with this id; a clear error when nobody has it."""
    for student in exchange.students():
        if student.id == student_id:
            return student
    raise VxkitError(f'There is no student with the id "{student_id}" in this exchange.')


def submitter_for(ws: Workspace, exchange: Exchange, unit: str, student_id: str) -> Submitter:
    """Who submits ``unit`` for this student: the team (team units) or the student alone."""
    student = find_student(exchange, student_id)
    record = cfg.load_unit(ws, unit)
    team = exchange.team_of(student.class_id, student.name) if record.team else None
    if team is not None:
        return Submitter(team.id, ws.team_dir(team.id), tuple(team.students()), team.id)
    return Submitter(student.id, student_folder(ws, student.id), (student,))


def submitters(ws: Workspace, exchange: Exchange, unit: str) -> list[Submitter]:
    """Everyone expected to submit ``unit``: teams for team units, plus students in none."""
    record = cfg.load_unit(ws, unit)
    out: list[Submitter] = []
    placed: set[str] = set()
    if record.team:
        for team in exchange.teams:
            members = tuple(team.students())
            out.append(Submitter(team.id, ws.team_dir(team.id), members, team.id))
            placed.update(s.id for s in members)
    for student in exchange.students():
        if student.id not in placed:
            out.append(Submitter(student.id, student_folder(ws, student.id), (student,)))
    return out


def cache_dir(ws: Workspace, nbgrader_id: str) -> Path:
    """The submission cache of one student or team (never shared: see PITFALLS)."""
    return ws.state_dir / "nbgrader_cache" / nbgrader_id


_LOCKS: dict[tuple[Path, str], threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def submitter_lock(ws: Workspace, nbgrader_id: str) -> threading.Lock:
    """One lock per student or team: two team partners pressing "Get it" or "Hand in" at the
    same moment take turns instead of copying into the same folder at once."""
    with _LOCKS_GUARD:
        return _LOCKS.setdefault((ws.root, nbgrader_id), threading.Lock())


# ---------------------------------------------------------------------------------------------
# teacher steps


@dataclass
class AssignSummary:
    """What ``assign`` did, for the teacher."""

    unit: str
    team: bool
    deadlines: dict[str, datetime]  # class id -> aware local deadline
    students: int
    notebooks: list[str]
    installed: list[str] = field(default_factory=list)  # units installed first, as sentences

    def lines(self) -> list[str]:
        kind = "team work" if self.team else "individual work"
        out = [
            *self.installed,
            f"Assigned {self.unit} ({kind}; notebooks: {', '.join(self.notebooks)}) "
            f"to {self.students} students.",
        ]
        for class_id, local in self.deadlines.items():
            utc = local.astimezone(timezone.utc)
            out.append(
                f"  {class_id}: due {local:%A %d %B %Y %H:%M} {local.tzname()} "
                f"({local.tzinfo}; {utc:%H:%M} UTC)"
            )
        if not self.deadlines:
            out.append("  No deadline: nothing will be marked late.")
        return out


def assign(
    ws: Workspace,
    unit: str,
    due: str | None = None,
    per_class: dict[str, str] | None = None,
    team: bool = False,
) -> AssignSummary:
    """Generate and release ``unit`` for every class; deadlines are local to each class."""
    exchange = ws.load()
    sync = sync_units(ws, exchange)  # a unit added to exchange.toml since the last start
    source = ws.source_dir / unit
    if not source.is_dir():
        if find_unit(ws, unit) is not None:
            hint = (
                f'add "{unit}" to units in exchange.toml, and it is installed from the curriculum.'
            )
        else:
            hint = (
                f"{source} does not exist and the curriculum has no such unit"
                f"{_suggest(unit, sync.available)}. Units available: "
                f"{', '.join(sync.available) or 'none'}."
            )
        raise VxkitError(f'There is no unit "{unit}" to assign: {hint}')
    if team and not exchange.teams:
        raise VxkitError(f'"{unit}" can\'t be team work: this exchange has no teams yet.')
    texts = resolve_deadlines(exchange, due, per_class)
    moments = class_deadlines(exchange, texts)
    config = cfg.load_config(ws, exchange)
    config.ExchangeReleaseAssignment.force = True  # assigning again (a new deadline) re-releases
    cfg.ensure_gradebook(config)
    api = cfg.make_api(ws, config)
    register_students(api, exchange, team)
    cfg.check(api.generate_assignment(unit), f'generate the student version of "{unit}"')
    with api.gradebook as gb:
        gb.update_or_create_assignment(unit, duedate=assignment_duedate(moments))
    cfg.check(api.release_assignment(unit), f'release "{unit}" to the exchange')
    cfg.save_unit(ws, cfg.UnitRecord(unit=unit, team=team, deadlines=texts))
    release = ws.course_dir / "release" / unit
    notebooks = sorted(p.name for p in release.glob("*.ipynb"))
    local = {c: moments[c].astimezone(exchange.get_class(c).zone) for c in moments}
    return AssignSummary(
        unit, team, local, len(exchange.students()), notebooks, sync.install_lines()
    )


def register_students(api: Any, exchange: Exchange, teams: bool) -> None:
    """Put every roster student (and, for team work, every team) in the gradebook."""
    with api.gradebook as gb:
        for cls in exchange.classes:
            for student in cls.roster:
                gb.update_or_create_student(student.id, first_name=student.name, last_name=cls.id)
        if teams:
            for team in exchange.teams:
                gb.update_or_create_student(team.id, first_name=team.name, last_name="(team)")


@dataclass
class CollectSummary:
    """What ``collect`` found in the exchange."""

    unit: str
    collected: list[Submitter]
    missing: list[Submitter]
    strangers: list[str]
    late: dict[str, float] = field(default_factory=dict)  # student id -> seconds late

    def lines(self) -> list[str]:
        out = [f"Collected {len(self.collected)} submissions of {self.unit}."]
        for sub in self.collected:
            lateness = [
                f"{s.name} {format_late(self.late[s.id])}"
                for s in sub.students
                if self.late.get(s.id)
            ]
            note = f" (late: {', '.join(lateness)})" if lateness else ""
            out.append(f"  {sub.label}{note}")
        if self.missing:
            names = "; ".join(s.label for s in self.missing)
            out.append(f"Not submitted yet: {names}.")
        for name in self.strangers:
            out.append(f"Ignored a submission from {name!r}: not a student or team here.")
        return out


def format_late(seconds: float) -> str:
    """A lateness a teacher reads at a glance, e.g. "2 h 05 min late"."""
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{max(minutes, 1)} min late"
    return f"{minutes // 60} h {minutes % 60:02d} min late"


def collect(ws: Workspace, unit: str) -> CollectSummary:
    """Collect the newest submission of every student and team into course/submitted/."""
    exchange = ws.load()
    record = cfg.load_unit(ws, unit)
    api = cfg.make_api(ws)
    cfg.check(api.collect(unit), f'collect the submissions of "{unit}"')
    expected = {s.nbgrader_id: s for s in submitters(ws, exchange, unit)}
    found = submitted_ids(ws, unit)
    strangers = sorted(set(found) - set(expected))
    moments = class_deadlines(exchange, record.deadlines)
    late: dict[str, float] = {}
    collected = [expected[i] for i in found if i in expected]
    for sub in collected:
        stamp = submission_time(ws, sub.nbgrader_id, unit)
        for student in sub.students:
            deadline = moments.get(student.class_id)
            if stamp and deadline and stamp > deadline:
                late[student.id] = (stamp - deadline).total_seconds()
    missing = [s for i, s in expected.items() if i not in found]
    return CollectSummary(unit, collected, missing, strangers, late)


def submitted_ids(ws: Workspace, unit: str) -> list[str]:
    """nbgrader ids with a collected submission of ``unit``."""
    root = ws.course_dir / "submitted"
    return sorted(p.parent.name for p in root.glob(f"*/{unit}") if p.is_dir())


def submission_time(ws: Workspace, nbgrader_id: str, unit: str) -> datetime | None:
    """When a collected submission was made (aware UTC), from nbgrader's timestamp.txt."""
    from nbgrader.utils import parse_utc

    path = ws.course_dir / "submitted" / nbgrader_id / unit / "timestamp.txt"
    try:
        return parse_utc(path.read_text(encoding="utf-8").strip()).replace(tzinfo=timezone.utc)
    except (OSError, ValueError, OverflowError):
        return None


def apply_extensions(ws: Workspace, exchange: Exchange, unit: str, gb: Any) -> None:
    """Give every submission of ``unit`` its class's extra time over the earliest deadline."""
    from nbgrader.api import MissingEntry

    record = cfg.load_unit(ws, unit)
    moments = class_deadlines(exchange, record.deadlines)
    for student in exchange.students():
        try:
            submission = gb.find_submission(unit, student.id)
        except MissingEntry:
            continue
        submission.extension = extension_for(moments, student.class_id)
    gb.db.commit()


@dataclass
class FeedbackSummary:
    """What ``feedback`` generated and released."""

    unit: str
    released: list[str]
    problems: dict[str, str] = field(default_factory=dict)  # nbgrader id -> why not

    def lines(self) -> list[str]:
        if not self.released and not self.problems:
            return [f"No graded submissions of {self.unit}: run `vxkit grade {self.unit}` first."]
        out = [
            f"Released feedback on {self.unit} to {len(self.released)} submitters: "
            + (", ".join(self.released) or "none")
            + "."
        ]
        out.extend(f"  No feedback for {i}: {why}" for i, why in self.problems.items())
        return out


def feedback(ws: Workspace, unit: str, progress: Progress | None = None) -> FeedbackSummary:
    """Generate feedback on each graded submission and release it to the exchange.

    One submission whose feedback can't be made is reported; the others are released.
    """
    from .teams import propagate_team_grades

    exchange = ws.load()
    cfg.load_unit(ws, unit)
    api = cfg.make_api(ws)
    # teachers may have changed team grades in formgrader since `vxkit grade`
    with api.gradebook as gb:
        propagate_team_grades(ws, exchange, unit, gb)
    graded = sorted(p.parent.name for p in (ws.course_dir / "autograded").glob(f"*/{unit}"))
    if not graded:
        return FeedbackSummary(unit, [])
    summary = FeedbackSummary(unit, [])
    for n, nbgrader_id in enumerate(graded, 1):
        try:
            cfg.check(api.generate_feedback(unit, nbgrader_id), "generate the feedback")
        except VxkitError as err:
            summary.problems[nbgrader_id] = str(err)
        else:
            summary.released.append(nbgrader_id)
        if progress:
            progress(n, len(graded), nbgrader_id)
    if summary.released:
        cfg.check(api.release_feedback(unit), f'release the feedback on "{unit}"')
    return summary


# ---------------------------------------------------------------------------------------------
# grades


@dataclass(frozen=True)
class GradeRow:
    """One student's result on one unit."""

    student_id: str
    name: str
    class_id: str
    unit: str
    score: float | None
    max_score: float
    seconds_late: float
    team_id: str | None = None
    #: False when the submission could not be graded (see `vxkit grade`'s report)
    graded: bool = True

    @property
    def status(self) -> str:
        if self.score is None:
            return "not submitted"
        if not self.graded:
            return "not graded"
        return format_late(self.seconds_late) if self.seconds_late > 0 else "on time"

    def as_dict(self) -> dict[str, Any]:
        return {
            "student_id": self.student_id,
            "name": self.name,
            "class_id": self.class_id,
            "unit": self.unit,
            "score": self.shown_score,
            "max_score": self.max_score,
            "seconds_late": self.seconds_late,
            "team": self.team_id,
            "status": self.status,
        }

    @property
    def shown_score(self) -> float | None:
        """The score, or None while there is none to show."""
        return self.score if self.graded else None


LANGUAGE_SUFFIX = re.compile(r"\.[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")


def variant_total(scores: dict[str, float | None]) -> float:
    """A unit's score when notebooks come in several languages: the best variant counts.

    ``individual.ipynb`` and ``individual.fr.ipynb`` are one exercise in two languages; a
    student answers one of them, so their score (and the maximum) is the best of the
    variants, not the sum. Notebooks with different base names still add up.
    """
    best: dict[str, float] = {}
    for name, score in scores.items():
        base = LANGUAGE_SUFFIX.sub("", name)
        best[base] = max(best.get(base, 0.0), float(score or 0))
    return sum(best.values())


def grades(
    ws: Workspace, class_id: str | None = None, student_id: str | None = None
) -> list[GradeRow]:
    """Grades from the gradebook, per student and unit; filtered by class or student."""
    from nbgrader.api import MissingEntry

    exchange = ws.load()
    if class_id is not None:
        exchange.get_class(class_id)
    students = [
        s
        for s in exchange.students()
        if (class_id is None or s.class_id == class_id)
        and (student_id is None or s.id == student_id)
    ]
    if student_id is not None and not students:
        find_student(exchange, student_id)  # a clear error for an unknown id
    units = cfg.assigned_units(ws)
    if not units:
        return []
    records = {unit: cfg.load_unit(ws, unit) for unit in units}
    api = cfg.make_api(ws)
    rows = []
    with api.gradebook as gb:
        for unit in units:
            try:
                assignment = gb.find_assignment(unit)
            except MissingEntry:
                continue
            max_score = variant_total({nb.name: nb.max_score for nb in assignment.notebooks})
            for student in students:
                team = exchange.team_of(student.class_id, student.name)
                team_id = team.id if team and records[unit].team else None
                try:
                    sub = gb.find_submission(unit, student.id)
                except MissingEntry:
                    score, late = None, 0.0
                else:
                    score = variant_total({nb.name: nb.score for nb in sub.notebooks})
                    late = float(sub.total_seconds_late)
                graded = (ws.course_dir / "autograded" / (team_id or student.id) / unit).is_dir()
                rows.append(
                    GradeRow(
                        student.id,
                        student.name,
                        student.class_id,
                        unit,
                        score,
                        max_score,
                        late,
                        team_id,
                        graded,
                    )
                )
    return rows


def grades_table(rows: list[GradeRow]) -> list[str]:
    """The rows as an aligned text table."""
    if not rows:
        return ["No grades yet."]
    head = ("student", "class", "unit", "score", "team", "status")
    body = [
        (
            r.name,
            r.class_id,
            r.unit,
            "-" if r.shown_score is None else f"{r.shown_score:g} / {r.max_score:g}",
            r.team_id or "",
            r.status,
        )
        for r in rows
    ]
    widths = [max(len(str(x[i])) for x in (head, *body)) for i in range(len(head))]
    return [
        "  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(line)).rstrip()
        for line in (head, *body)
    ]


def write_grades_csv(rows: list[GradeRow], path: str | Path) -> Path:
    """Write the rows as CSV (atomically); returns the path written."""
    buffer = io.StringIO()
    fields = list(GradeRow("", "", "", "", None, 0, 0).as_dict())
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    for row in rows:
        writer.writerow(row.as_dict())
    target = Path(path)
    try:
        atomic_write(target, buffer.getvalue())
    except OSError as err:
        raise VxkitError(f"Cannot write the grades to {target}: {err.strerror}.") from None
    return target


# ---------------------------------------------------------------------------------------------
# student steps (the server calls these with the signed-in identity's student id)


def fetch_assignment(ws: Workspace, unit: str, student_id: str) -> tuple[Path, bool]:
    """Copy the released ``unit`` into the student's (or their team's) folder.

    Returns the folder and whether it was fetched now (False: it was already there,
    e.g. a team partner fetched it first). Missing files are restored either way.
    """
    from nbgrader.utils import temp_attrs

    exchange = ws.load()
    sub = submitter_for(ws, exchange, unit, student_id)
    sub.folder.mkdir(parents=True, exist_ok=True)
    target = sub.folder / unit
    api = cfg.make_api(
        ws,
        **{
            "Exchange.assignment_dir": str(sub.folder),
            "Exchange.cache": str(cache_dir(ws, sub.nbgrader_id)),
            "ExchangeFetchAssignment.replace_missing_files": True,
        },
    )
    with (
        submitter_lock(ws, sub.nbgrader_id),
        temp_attrs(api.coursedir, assignment_id=unit, student_id=sub.nbgrader_id),
    ):
        existed = target.is_dir()
        app = api.exchange.FetchAssignment(
            coursedir=api.coursedir, authenticator=api.authenticator, parent=api
        )
        cfg.check(_run(app), f'fetch "{unit}"')
    return target, not existed


def submit(ws: Workspace, unit: str, student_id: str) -> tuple[Submitter, str]:
    """Submit the student's (or their team's) copy of ``unit`` under their own id."""
    from nbgrader.utils import temp_attrs

    exchange = ws.load()
    sub = submitter_for(ws, exchange, unit, student_id)
    if not (sub.folder / unit).is_dir():
        raise VxkitError(f'There is nothing to submit: fetch "{unit}" first.')
    api = cfg.make_api(
        ws,
        **{
            "Exchange.assignment_dir": str(sub.folder),
            "Exchange.cache": str(cache_dir(ws, sub.nbgrader_id)),
        },
    )
    with (
        submitter_lock(ws, sub.nbgrader_id),
        temp_attrs(api.coursedir, assignment_id=unit, student_id=sub.nbgrader_id),
    ):
        app = api.exchange.Submit(
            coursedir=api.coursedir, authenticator=api.authenticator, parent=api
        )
        cfg.check(_run(app), f'submit "{unit}"')
    return sub, app.timestamp


def fetch_feedback(ws: Workspace, unit: str, student_id: str) -> list[Path]:
    """Copy the released feedback on the student's own (or team's) submissions of ``unit``."""
    from nbgrader.utils import temp_attrs

    exchange = ws.load()
    sub = submitter_for(ws, exchange, unit, student_id)
    if not (ws.nbgrader_exchange / exchange.id / "feedback").is_dir():
        return []  # no feedback returned to anyone yet
    api = cfg.make_api(
        ws,
        **{
            "Exchange.assignment_dir": str(sub.folder),
            "Exchange.cache": str(cache_dir(ws, sub.nbgrader_id)),
        },
    )
    with temp_attrs(api.coursedir, assignment_id=unit, student_id=sub.nbgrader_id):
        app = api.exchange.FetchFeedback(
            coursedir=api.coursedir, authenticator=api.authenticator, parent=api
        )
        cfg.check(_run(app), f'fetch the feedback on "{unit}"')
        files = [Path(dest) for dest in _fetched_feedback(app)]
    return sorted(files)


def _fetched_feedback(app: Any) -> list[str]:
    import os

    return [
        os.path.join(app.dest_path, timestamp, f"{notebook_id}.html")
        for notebook_id, timestamp, _ in app.feedback_files
    ]


def _run(app: Any) -> dict[str, Any]:
    from nbgrader.utils import capture_log

    return capture_log(app)


def remove_tree(path: Path) -> None:
    """Delete a folder if it exists (used for re-grading)."""
    if path.is_dir():
        shutil.rmtree(path)


def last_submission(ws: Workspace, nbgrader_id: str, unit: str) -> str | None:
    """The timestamp of the newest submission of ``unit`` in this submitter's own cache."""
    from .config import load_config

    course = load_config(ws).CourseDirectory.course_id
    folder = cache_dir(ws, nbgrader_id) / course
    stamps = [p.name.split("+")[2] for p in folder.glob(f"*+{unit}+*") if p.name.count("+") >= 2]
    return max(stamps) if stamps else None

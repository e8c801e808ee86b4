"""Server endpoints where students fetch, submit and get feedback as their signed-in selves.

On one server every student is the same Unix user, so the student is always taken from
the signed-in identity (``identity_of(handler.current_user)``), never from anything the
browser sends: a request body naming another student is ignored. Each student (or team)
gets their own folder and their own nbgrader submission cache, so feedback and grades
reach only the person (or team) they belong to.

Routes, relative to the server's base_url:

- ``GET  /vxkit/api/assignments``: assigned units with the signed-in student's deadline;
- ``POST /vxkit/api/assignments/UNIT/fetch``: copy the unit into the student's (team's) folder;
- ``POST /vxkit/api/assignments/UNIT/submit``: submit it under the student's (team's) id;
- ``POST /vxkit/api/assignments/UNIT/feedback``: fetch the feedback on their own submission;
- ``GET  /vxkit/api/grades``: a student's own grades; teachers see everyone's (``?class=``).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from tornado import web

from ..errors import VxkitError
from ..exchange import Exchange
from ..extensions.handlers import VxkitAPIHandler
from ..extensions.identity import Identity, identity_of
from ..workspace import Workspace
from . import config as cfg
from . import workflow
from .deadlines import class_deadlines

UNIT = r"(?P<unit>[a-z][a-z0-9_]{0,39})"


class _GradingHandler(VxkitAPIHandler):
    """Shared plumbing: the workspace, the signed-in identity, errors as sentences."""

    @property
    def ws(self) -> Workspace:
        return self.settings["vxkit_workspace"]

    def identity(self) -> Identity:
        return identity_of(self.current_user)

    def student(self, exchange: Exchange) -> Identity | None:
        """The signed-in student, or None after answering 403 for anyone else."""
        who = self.identity()
        if who.role != "student" or not who.student_id:
            self.write_problem(
                403, "Only a signed-in student can do this: open your class's join link first."
            )
            return None
        if who.student_id not in {s.id for s in exchange.students()}:
            self.write_problem(403, f'"{who.name}" is no longer on a class roster.')
            return None
        return who

    def relative(self, path: Path) -> str:
        """A path as the contents API and JupyterLab name it (relative to root_dir)."""
        root = Path(self.settings.get("server_root_dir", self.ws.root)).expanduser().resolve()
        try:
            return path.resolve().relative_to(root).as_posix()
        except ValueError:
            return path.resolve().as_posix()

    def load(self) -> Exchange | None:
        try:
            return self.ws.load()
        except VxkitError as err:
            self.write_problem(409, str(err).splitlines()[0])
            return None


class AssignmentsHandler(_GradingHandler):
    """``GET /vxkit/api/assignments``: the units assigned, with the caller's deadline."""

    @web.authenticated
    async def get(self) -> None:
        exchange = self.load()
        if exchange is None:
            return
        who = self.identity()
        if who.role not in ("student", "teacher"):
            self.write_problem(403, "Only students and teachers of this exchange can see this.")
            return
        units = []
        for unit in cfg.assigned_units(self.ws):
            record = cfg.load_unit(self.ws, unit)
            moments = class_deadlines(exchange, record.deadlines)
            entry: dict[str, Any] = {"unit": unit, "team_work": record.team}
            if who.role == "student":
                student = await self._student_unit(exchange, who, unit, moments)
                if student is None:
                    return
                entry.update(student)
            else:
                entry["deadlines"] = {
                    c: {"local": record.deadlines[c], "utc": m.isoformat()}
                    for c, m in moments.items()
                }
            units.append(entry)
        self.finish(json.dumps({"assignments": units}))

    async def _student_unit(
        self, exchange: Exchange, who: Identity, unit: str, moments: dict[str, Any]
    ) -> dict[str, Any] | None:
        if self.student(exchange) is None:
            return None
        sub = workflow.submitter_for(self.ws, exchange, unit, who.student_id or "")
        record = cfg.load_unit(self.ws, unit)
        deadline = moments.get(who.class_id or "")
        return {
            "team": sub.team_id,
            "deadline": (
                {"local": record.deadlines[who.class_id or ""], "utc": deadline.isoformat()}
                if deadline
                else None
            ),
            "fetched": (sub.folder / unit).is_dir(),
            "path": self.relative(sub.folder / unit),
            "submitted": workflow.last_submission(self.ws, sub.nbgrader_id, unit),
        }


class AssignmentActionHandler(_GradingHandler):
    """``POST /vxkit/api/assignments/UNIT/(fetch|submit|feedback)`` as the signed-in student."""

    @web.authenticated
    async def post(self, unit: str, action: str) -> None:
        exchange = self.load()
        if exchange is None:
            return
        who = self.student(exchange)
        if who is None:
            return
        student_id = who.student_id or ""
        try:
            if action == "fetch":
                folder, fresh = await asyncio.to_thread(
                    workflow.fetch_assignment, self.ws, unit, student_id
                )
                body: dict[str, Any] = {"path": self.relative(folder), "fetched_now": fresh}
            elif action == "submit":
                sub, stamp = await asyncio.to_thread(workflow.submit, self.ws, unit, student_id)
                body = {
                    "timestamp": stamp,
                    "submitted_for": [s.name for s in sub.students],
                    "team": sub.team_id,
                }
            else:
                files = await asyncio.to_thread(workflow.fetch_feedback, self.ws, unit, student_id)
                body = {"files": [self.relative(f) for f in files]}
        except VxkitError as err:
            self.write_problem(400, str(err))
            return
        self.finish(json.dumps(body))


class GradesHandler(_GradingHandler):
    """``GET /vxkit/api/grades``: students get their own rows only; teachers everyone's."""

    @web.authenticated
    async def get(self) -> None:
        exchange = self.load()
        if exchange is None:
            return
        who = self.identity()
        class_id = self.get_query_argument("class", None)
        try:
            if who.role == "teacher":
                rows = await asyncio.to_thread(workflow.grades, self.ws, class_id)
            else:
                # whatever the query says, a student sees their own grades and nobody else's
                if self.student(exchange) is None:
                    return
                rows = await asyncio.to_thread(workflow.grades, self.ws, None, who.student_id)
        except VxkitError as err:
            self.write_problem(400, str(err))
            return
        self.finish(json.dumps({"grades": [r.as_dict() for r in rows]}))


GRADING_HANDLERS: list[tuple[str, type]] = [
    (r"/vxkit/api/assignments", AssignmentsHandler),
    (rf"/vxkit/api/assignments/{UNIT}/(?P<action>fetch|submit|feedback)", AssignmentActionHandler),
    (r"/vxkit/api/grades", GradesHandler),
]

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
import html
import json
from datetime import timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from tornado import web

from ..errors import VxkitError
from ..exchange import Exchange
from ..server.classroom import save_all_open_documents
from ..server.events import notify
from ..server.handlers import VxkitAPIHandler, server_path
from ..server.i18n import locale_of_languages, translator
from ..server.identity import Identity, identity_of
from ..server.join import page
from ..workspace import Workspace
from . import config as cfg
from . import workflow
from .deadlines import class_deadlines

UNIT = r"(?P<unit>[a-z][a-z0-9_]{0,39})"


#: what a browser that picked a name but never entered that student's personal code is told
def N_(text: str) -> str:
    """Mark a sentence for the server's catalogue; it is translated where it is shown."""
    return text


NOT_VERIFIED = N_(
    "To see your grades and feedback or hand in, enter the personal code from your card once "
    "on this browser: open vxkit/verify (your teacher has your card)."
)


class _GradingHandler(VxkitAPIHandler):
    """Shared plumbing: the workspace, the signed-in identity, errors as sentences."""

    @property
    def ws(self) -> Workspace:
        return self.settings["vxkit_workspace"]

    def identity(self) -> Identity:
        """The signed-in person (the gate lets nobody unknown this far)."""
        who = identity_of(self.current_user)
        if who is None:
            raise web.HTTPError(403, "Sign in first: open your class's join link again.")
        return who

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
        if not getattr(self.current_user, "verified", False):
            # the one sentence the panel shows a student of every class: in her class's language
            cls = exchange.get_class(who.class_id or "")
            sentence = translator(locale_of_languages(list(cls.languages)))(NOT_VERIFIED)
            self.write_problem(403, sentence, reason="personal_code")
            return None
        return who

    def relative(self, path: Path) -> str:
        return server_path(self.settings, self.ws, path)

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
        if who.role == "student" and self.student(exchange) is None:
            return
        units = []
        try:
            for unit in cfg.assigned_units(self.ws):
                record = cfg.load_unit(self.ws, unit)
                moments = class_deadlines(exchange, record.deadlines)
                entry: dict[str, Any] = {"unit": unit, "team_work": record.team}
                if who.role == "student":
                    entry.update(self._student_unit(exchange, who, record, moments))
                else:
                    entry["deadlines"] = {
                        c: {"local": record.deadlines[c], "utc": m.isoformat()}
                        for c, m in moments.items()
                    }
                units.append(entry)
        except VxkitError as err:
            self.write_problem(409, str(err))
            return
        self.finish(json.dumps({"assignments": units}))

    def _student_unit(
        self, exchange: Exchange, who: Identity, record: cfg.UnitRecord, moments: dict[str, Any]
    ) -> dict[str, Any]:
        unit = record.unit
        student = workflow.find_student(exchange, who.student_id or "")
        sub = workflow.submitter_for(self.ws, exchange, unit, student.id)
        deadline = moments.get(student.class_id)
        return {
            "team": sub.team_id,
            "deadline": (
                {"local": record.deadlines[student.class_id], "utc": deadline.isoformat()}
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
                # the hand-in copies files from disk: write the team's latest live edits first
                await save_all_open_documents(self.serverapp, self.log)
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
        notify(self.settings, "units")  # the teachers' fetched / handed-in counts moved
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


PAGE_STYLE = """<style>
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #ddd; }
td button { font-size: .95rem; padding: .3rem .7rem; margin: .1rem; }
#status { min-height: 1.5rem; font-weight: bold; }
</style>"""

PAGE_SCRIPT = """<script>
(() => {
  const {base, xsrf} = document.getElementById("vx").dataset;
  const status = document.getElementById("status");
  const done = {fetch: "Done: open it from the file browser.", submit: "Handed in.",
                feedback: "Feedback copied to your folder."};
  for (const button of document.querySelectorAll("button[data-action]")) {
    button.addEventListener("click", async () => {
      status.textContent = "Working...";
      const url = base + "vxkit/api/assignments/" + button.dataset.unit + "/" + button.dataset.action;
      try {
        const reply = await fetch(url, {method: "POST", credentials: "same-origin",
                                        headers: {"X-XSRFToken": xsrf}});
        const data = await reply.json();
        status.textContent = reply.ok ? done[button.dataset.action] : data.message;
        if (reply.ok) setTimeout(() => location.reload(), 1200);
      } catch (err) {
        status.textContent = "The server did not answer: check your connection and try again.";
      }
    });
  }
})();
</script>"""


def _local_time(stamp: str | None, zone: Any) -> str | None:
    """An nbgrader timestamp (UTC text) as the student's local wall-clock time."""
    if not stamp or zone is None:
        return stamp
    from nbgrader.utils import parse_utc

    try:
        moment = parse_utc(stamp).replace(tzinfo=timezone.utc).astimezone(zone)
    except (ValueError, OverflowError):
        return stamp
    return moment.strftime("%Y-%m-%d %H:%M")


class AssignmentsPageHandler(ExtensionHandlerMixin, JupyterHandler):
    """``GET /vxkit/assignments``: a student's assignments, deadlines, grades and feedback,
    with one button each to fetch, hand in and get feedback; teachers see every grade."""

    @property
    def ws(self) -> Workspace:
        return self.settings["vxkit_workspace"]

    @web.authenticated
    async def get(self) -> None:
        try:
            exchange = self.ws.load()
        except VxkitError as err:
            raise web.HTTPError(409, str(err).splitlines()[0]) from None
        who = identity_of(self.current_user)
        if who is None:
            raise web.HTTPError(403, "Sign in first: open your class's join link again.")
        if who.role == "teacher":
            rows = await asyncio.to_thread(workflow.grades, self.ws)
            body = self._teacher(rows)
        elif who.role == "student" and who.student_id in {s.id for s in exchange.students()}:
            if not getattr(self.current_user, "verified", False):
                raise web.HTTPError(403, NOT_VERIFIED)
            body = await asyncio.to_thread(self._student, exchange, who)
        else:
            raise web.HTTPError(403, "Only the students and teachers of this exchange see this.")
        self.finish(page("Assignments", PAGE_STYLE + body))

    def _student(self, exchange: Exchange, who: Identity) -> str:
        esc = html.escape
        sid = who.student_id or ""
        cls = exchange.get_class(workflow.find_student(exchange, sid).class_id)
        scores = {r.unit: r for r in workflow.grades(self.ws, None, sid)}
        lines = []
        for unit in cfg.assigned_units(self.ws):
            record = cfg.load_unit(self.ws, unit)
            sub = workflow.submitter_for(self.ws, exchange, unit, sid)
            deadline = record.deadlines.get(cls.id)
            row = scores.get(unit)
            if row is not None and row.shown_score is not None:
                score = f"{row.shown_score:g} / {row.max_score:g} · {row.status}"
            else:
                score = "not graded yet"
            handed = _local_time(
                workflow.last_submission(self.ws, sub.nbgrader_id, unit),
                cls.zone,
            )
            feedback = sorted((sub.folder / unit / "feedback").glob("*/*.html"))
            links = " ".join(
                f'<a href="{esc(self.base_url)}files/{esc(quote(self._rel(f)))}" '
                f'target="_blank">{esc(f.stem)}</a>'
                for f in feedback
            )
            buttons = "".join(
                f'<button data-unit="{esc(unit)}" data-action="{a}">{label}</button>'
                for a, label in (
                    ("fetch", "Get it"),
                    ("submit", "Hand in"),
                    ("feedback", "Get feedback"),
                )
            )
            lines.append(
                "<tr>"
                f"<td>{esc(unit)}{' (team)' if sub.team_id else ''}</td>"
                f"<td>{esc(deadline or 'no deadline')}</td>"
                f"<td>{esc(self._rel(sub.folder / unit))}</td>"
                f"<td>{esc(handed or 'not yet')}</td>"
                f"<td>{esc(score)}</td>"
                f"<td>{links or '-'}</td><td>{buttons}</td></tr>"
            )
        table = (
            "<table><tr><th>unit</th><th>due (your time)</th><th>folder</th><th>handed in</th>"
            "<th>score</th><th>feedback</th><th></th></tr>" + "".join(lines) + "</table>"
            if lines
            else "<p>Nothing has been assigned yet.</p>"
        )
        return (
            f'<h1>My assignments</h1><p class="who">{esc(who.name)} · {esc(cls.id)}'
            f'</p>{table}<p id="status" role="status"></p>'
            f'<div hidden id="vx" data-base="{esc(self.base_url)}" '
            f'data-xsrf="{esc(self.xsrf_token.decode())}"></div>{PAGE_SCRIPT}'
        )

    def _teacher(self, rows: list[workflow.GradeRow]) -> str:
        esc = html.escape
        body = "".join(
            "<tr>" + "".join(f"<td>{esc(str(cell))}</td>" for cell in line) + "</tr>"
            for line in (
                (
                    r.name,
                    r.class_id,
                    r.unit,
                    "-" if r.shown_score is None else f"{r.shown_score:g} / {r.max_score:g}",
                    r.team_id or "",
                    r.status,
                )
                for r in rows
            )
        )
        head = "".join(
            f"<th>{h}</th>" for h in ("student", "class", "unit", "score", "team", "status")
        )
        return f"<h1>Grades</h1><table><tr>{head}</tr>{body}</table>"

    def _rel(self, path: Path) -> str:
        return server_path(self.settings, self.ws, path)


GRADING_HANDLERS: list[tuple[str, type]] = [
    (r"/vxkit/api/assignments", AssignmentsHandler),
    (rf"/vxkit/api/assignments/{UNIT}/(?P<action>fetch|submit|feedback)", AssignmentActionHandler),
    (r"/vxkit/api/grades", GradesHandler),
    (r"/vxkit/assignments", AssignmentsPageHandler),
]

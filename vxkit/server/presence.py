"""Who is online: the whole classroom for teachers (documents, contributions, join links),
and for a student their own team only."""

from __future__ import annotations

import json
from typing import Any

from tornado import web

from ..errors import VxkitError
from .contributions import report
from .handlers import VxkitAPIHandler, server_path
from .identity import Identity, identity_of
from .links import TEACHER_KEY, VISITOR_KEY, join_url, revoke


class TeacherAPIHandler(VxkitAPIHandler):
    """A JSON endpoint for teachers only (403 with a sentence for everyone else)."""

    def require_teacher(self) -> bool:
        """True for teachers; answers 403 with a sentence for everyone else."""
        identity = identity_of(self.current_user)
        if identity is not None and identity.is_teacher:
            return True
        self.write_problem(403, "Only teachers can see this.")
        return False


class PresenceHandler(TeacherAPIHandler):
    """``GET /vxkit/api/presence``: who is connected to which document, now."""

    @web.authenticated
    def get(self) -> None:
        """The open connections, one row per person and document."""
        if not self.require_teacher():
            return
        presence = self.settings.get("vxkit_presence")
        rows = presence.snapshot() if presence is not None else []
        self.finish(json.dumps({"connections": rows}))


def team_view(settings: dict[str, Any], who: Identity | None) -> dict[str, Any]:
    """My own team with who of it is online and which team notebooks they have open (for a
    student); ``{"team": None, "members": []}`` for anyone else. The team is the signed-in
    person's, looked up in the current exchange; a VxkitError when exchange.toml is broken."""
    ws = settings["vxkit_workspace"]
    body: dict[str, Any] = {"team": None, "members": []}
    if who is None or not who.is_student or not who.team_id:
        return body
    exchange = ws.load()
    team = next((t for t in exchange.teams if t.id == who.team_id), None)
    if team is None:  # her team was taken out of exchange.toml: no team (and no team list)
        return body
    folder = server_path(settings, ws, ws.team_dir(team.id))
    members = [(s.id, s.name, s.class_id) for s in team.students()]
    presence = settings.get("vxkit_presence")
    rows = presence.team(members, folder) if presence is not None else []
    return {"team": team.id, "folder": folder, "members": rows}


class TeamPresenceHandler(VxkitAPIHandler):
    """``GET /vxkit/api/team``: the asker's own team, who of it is online now and which team
    notebooks they have open (``team_view``). Nothing the browser sends chooses another team
    (a student never learns who is online in other teams). Teachers and visitors have no
    team: an empty answer."""

    @web.authenticated
    def get(self) -> None:
        """The members of my team with ``online`` and ``documents``."""
        try:
            body = team_view(self.settings, identity_of(self.current_user))
        except VxkitError as err:
            self.write_problem(409, str(err).splitlines()[0])
            return
        self.finish(json.dumps(body))


class ContributionsHandler(TeacherAPIHandler):
    """``GET /vxkit/api/contributions``: edits per team, class, student, document and cell."""

    @web.authenticated
    def get(self) -> None:
        """The contribution report of this server's record."""
        if not self.require_teacher():
            return
        log = self.settings.get("vxkit_contributions")
        if log is None:
            self.write_problem(404, "The contribution record is not kept on this server.")
            return
        self.finish(json.dumps(report(log.data)))


class LinksHandler(TeacherAPIHandler):
    """``GET /vxkit/api/links``: each class's join link, the visitor link and the teacher
    link, on the address other computers reach (teachers only: these links sign people in)."""

    @web.authenticated
    def get(self) -> None:
        """The links of the exchange, creating any missing code (as ``vxkit links`` does)."""
        if not self.require_teacher():
            return
        try:
            body = self.extensionapp.class_links(self.request)
        except VxkitError as err:
            self.write_problem(409, str(err).splitlines()[0])
            return
        for link in [*body["classes"], body["visitor"], body["teacher"]]:
            link["qr"] = qr_data_uri(link["url"])
        self.finish(json.dumps(body))


class LinkRevokeHandler(TeacherAPIHandler):
    """``POST /vxkit/api/links/KEY``: a new code for a class (or ``visitor``): the old link
    stops working and the sessions opened with it end."""

    @web.authenticated
    def post(self, key: str) -> None:
        """Revoke the link; answers the new code."""
        if not self.require_teacher():
            return
        ws = self.settings["vxkit_workspace"]
        if self.extensionapp.hub_login:
            self.write_problem(
                400,
                "On the hub nobody joins by link: the hub's class groups say who may come in "
                "(vxkit hub-config).",
            )
            return
        if key in ("teacher", TEACHER_KEY):
            self.write_problem(400, "The teacher link is revoked from the command line only.")
            return
        try:
            links = revoke(ws, key)
        except VxkitError as err:
            self.write_problem(400, str(err).splitlines()[0])
            return
        wanted = VISITOR_KEY if key in ("visitor", "visitors") else key
        url = join_url(self.extensionapp.public_url(self.request), links.code(wanted))
        self.finish(json.dumps({"code": links.code(wanted), "url": url, "qr": qr_data_uri(url)}))


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG data URI (for an ``<img>``)."""
    import segno

    return segno.make(text, error="m").svg_data_uri(scale=4)

"""HTTP handlers of the vxkit server extension. Every one is authenticated."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from tornado import web

from ..errors import VxkitError
from ..exchange import Exchange, ExchangeError, format_hours
from ..workspace import Workspace
from .identity import Identity, identity_of


def server_path(settings: dict[str, Any], ws: Workspace, path: Path) -> str:
    """A path as the contents API and JupyterLab name it (relative to the server's root)."""
    root = Path(settings.get("server_root_dir", ws.root)).expanduser().resolve()
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.resolve().as_posix()


class VxkitAPIHandler(ExtensionHandlerMixin, APIHandler):
    """Base for vxkit's JSON endpoints: errors come back as sentences, never tracebacks."""

    def write_problem(
        self,
        status: int,
        message: str,
        problems: list[dict[str, Any]] | None = None,
        reason: str = "",
    ):
        """Answer ``status`` with a sentence; ``reason`` is a stable word the front end can
        act on whatever language the sentence is in."""
        self.set_status(status)
        body = {"message": message, "problems": problems or []}
        if reason:
            body["reason"] = reason
        self.finish(json.dumps(body))


def exchange_summary(exchange: Exchange, now: datetime | None = None) -> dict[str, Any]:
    """The exchange as JSON-ready data, with the local time now at each school."""
    moment = now or datetime.now(timezone.utc)
    classes = []
    for cls in exchange.classes:
        local = cls.local_now(moment)
        classes.append(
            {
                "id": cls.id,
                "school": cls.school,
                "city": cls.city,
                "country": cls.country,
                "country_name": cls.country_name(),
                "timezone": cls.timezone,
                "local_time": local.isoformat(timespec="minutes"),
                "utc_offset_hours": local.utcoffset().total_seconds() / 3600,
                "in_school_now": cls.in_school(moment),
                "languages": cls.languages,
                "school_days": cls.school_days,
                "hours": format_hours(cls.hours),
                "holidays": [day.isoformat() for day in cls.holidays],
                "teacher": cls.teacher,
                "colour": cls.colour,
                "students": [s.name for s in cls.roster],
                "coordinates": (
                    [cls.latitude, cls.longitude] if cls.latitude is not None else None
                ),
            }
        )
    teams = [
        {
            "id": team.id,
            "name": team.name,
            "members": [{"name": s.name, "class": s.class_id} for s in team.students()],
        }
        for team in exchange.teams
    ]
    return {
        "id": exchange.id,
        "title": exchange.title,
        "start": exchange.start.isoformat(),
        "end": exchange.end.isoformat(),
        "units": exchange.units,
        "classes": classes,
        "teams": teams,
    }


def exchange_for(identity: Identity | None, summary: dict[str, Any]) -> dict[str, Any]:
    """The exchange summary as ``identity`` may see it: visitors get no rosters and no team
    members (first names of minors stay with their classes). Without the classroom (None:
    the server's own user) the whole summary."""
    if identity is None or not identity.is_visitor:
        return summary
    classes = [{**c, "students": []} for c in summary["classes"]]
    teams = [{**t, "members": []} for t in summary["teams"]]
    return {**summary, "classes": classes, "teams": teams}


class ExchangeHandler(VxkitAPIHandler):
    """``GET /vxkit/api/exchange``: classes with their local time now, teams and units."""

    @web.authenticated
    def get(self) -> None:
        try:
            exchange = self.extensionapp.load_exchange()
        except ExchangeError as err:
            problems = [{"field": p.field, "message": p.message} for p in err.problems]
            self.write_problem(409, str(err).splitlines()[0], problems)
            return
        except VxkitError as err:
            self.write_problem(404, str(err))
            return
        identity = identity_of(self.current_user)
        self.finish(json.dumps(exchange_for(identity, exchange_summary(exchange))))

"""What of the exchange a kernel may see: the exchange as one area sees it.

Kernels read the exchange (the curriculum's notebooks and the widgets show partner classes,
clocks and the team). The whole exchange.toml holds every class's roster and the teachers'
names, so a sandboxed kernel never reads it: it gets this view instead, written into its
private folder and named by ``$VXKIT_EXCHANGE`` (``Workspace.load`` reads it there).
"""

from __future__ import annotations

import copy

from .areas import Area
from .exchange import Exchange, Team


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

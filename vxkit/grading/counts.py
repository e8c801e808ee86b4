"""How far each class got with each unit, for the teacher's dashboard.

Counted per student (a team's hand-in counts for each member, in their own class), from the
folders nbgrader and vxkit write, without starting nbgrader: fetched (the student's or team's
copy exists), handed in (a submission in their own cache), late (handed in after their
class's deadline), graded (autograded) and returned (feedback generated).
"""

from __future__ import annotations

from datetime import timezone
from typing import Any

from ..exchange import Exchange
from ..workspace import Workspace
from . import config as cfg
from .deadlines import class_deadlines
from .workflow import last_submission, submitters

STAGES = ("fetched", "handed_in", "late", "graded", "returned")


def unit_counts(ws: Workspace, exchange: Exchange, unit: str) -> dict[str, Any]:
    """``{"unit", "team_work", "classes": {class id: {"students", "fetched", ...}}}``."""
    from nbgrader.utils import parse_utc

    record = cfg.load_unit(ws, unit)
    moments = class_deadlines(exchange, record.deadlines)
    classes = {c.id: dict.fromkeys(("students", *STAGES), 0) for c in exchange.classes}
    for sub in submitters(ws, exchange, unit):
        stamp = last_submission(ws, sub.nbgrader_id, unit)
        handed = None
        if stamp:
            try:
                handed = parse_utc(stamp).replace(tzinfo=timezone.utc)
            except (ValueError, OverflowError):
                handed = None
        facts = {
            "fetched": (sub.folder / unit).is_dir(),
            "handed_in": stamp is not None,
            "graded": (ws.course_dir / "autograded" / sub.nbgrader_id / unit).is_dir(),
            "returned": (ws.course_dir / "feedback" / sub.nbgrader_id / unit).is_dir(),
        }
        for student in sub.students:
            row = classes[student.class_id]
            row["students"] += 1
            for stage, yes in facts.items():
                row[stage] += int(yes)
            deadline = moments.get(student.class_id)
            row["late"] += int(bool(handed and deadline and handed > deadline))
    return {"unit": unit, "team_work": record.team, "classes": classes}


def all_unit_counts(ws: Workspace) -> list[dict[str, Any]]:
    """``unit_counts`` of every assigned unit, in the order they were assigned."""
    exchange = ws.load()
    return [unit_counts(ws, exchange, unit) for unit in cfg.assigned_units(ws)]

"""Team work: one co-edited notebook, submitted once, graded once, a score for every member.

A team submits under its own id (team ids never contain a dash, student ids always do),
so nbgrader collects, grades and returns feedback on that one submission. vxkit then
records the team's grades as a submission of each member, whatever their class, with the
member's own class deadline for lateness, so every teacher sees their students' scores.
"""

from __future__ import annotations

from typing import Any

from ..exchange import Exchange
from ..workspace import Workspace
from . import config as cfg


def propagate_team_grades(ws: Workspace, exchange: Exchange, unit: str, gb: Any) -> int:
    """Copy each team's grades and comments on ``unit`` to its members; returns members done.

    Runs after ``vxkit grade`` and again before ``vxkit feedback``, so grades a teacher
    changed by hand on the team's submission (formgrader) reach the members too.
    """
    from nbgrader.api import MissingEntry

    from .deadlines import class_deadlines, extension_for

    record = cfg.load_unit(ws, unit)
    if not record.team:
        return 0
    moments = class_deadlines(exchange, record.deadlines)
    done = 0
    for team in exchange.teams:
        try:
            source = gb.find_submission(unit, team.id)
        except MissingEntry:
            continue
        for student in team.students():
            gb.update_or_create_student(
                student.id, first_name=student.name, last_name=student.class_id
            )
            copy = gb.update_or_create_submission(unit, student.id, timestamp=source.timestamp)
            copy.extension = extension_for(moments, student.class_id)
            _copy_scores(source, copy)
            done += 1
    gb.db.commit()
    return done


def _copy_scores(source: Any, target: Any) -> None:
    notebooks = {nb.name: nb for nb in target.notebooks}
    for src_nb in source.notebooks:
        dst_nb = notebooks.get(src_nb.name)
        if dst_nb is None:
            continue
        grades = {g.name: g for g in dst_nb.grades}
        for grade in src_nb.grades:
            twin = grades.get(grade.name)
            if twin is not None:
                twin.auto_score = grade.auto_score
                twin.manual_score = grade.manual_score
                twin.extra_credit = grade.extra_credit
                twin.needs_manual_grade = grade.needs_manual_grade
        comments = {c.name: c for c in dst_nb.comments}
        for comment in src_nb.comments:
            twin = comments.get(comment.name)
            if twin is not None:
                twin.auto_comment = comment.auto_comment
                twin.manual_comment = comment.manual_comment
        dst_nb.flagged = src_nb.flagged

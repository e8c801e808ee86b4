"""nbgrader glue: assign, collect, parallel autograde, team submissions, feedback, grades.

Every step runs nbgrader's Python API in process on a workspace (see ``config.py`` for how
the configuration is built). Teachers use it through ``vxkit assign|collect|grade|feedback|
grades``; students through the server endpoints in ``handlers.py``.
"""

from __future__ import annotations

from .autograde import GradeSummary, Outcome, grade
from .config import UnitRecord, VxkitGrader, load_config, load_unit, make_api
from .workflow import (
    GradeRow,
    assign,
    collect,
    feedback,
    fetch_assignment,
    fetch_feedback,
    grades,
    grades_table,
    submit,
    write_grades_csv,
)

__all__ = [
    "GradeRow",
    "GradeSummary",
    "Outcome",
    "UnitRecord",
    "VxkitGrader",
    "assign",
    "collect",
    "feedback",
    "fetch_assignment",
    "fetch_feedback",
    "grade",
    "grades",
    "grades_table",
    "load_config",
    "load_unit",
    "make_api",
    "submit",
    "write_grades_csv",
]

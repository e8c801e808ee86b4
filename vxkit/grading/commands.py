"""What ``vxkit assign|collect|grade|feedback|grades|peer-review`` do: options and output.

``vxkit/cli.py`` registers each subcommand with a one-line function calling these.
"""

from __future__ import annotations

import argparse
import contextlib
import warnings
from collections.abc import Iterator
from pathlib import Path

from ..errors import VxkitError
from ..workspace import Workspace, find_workspace


def _workspace_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dir", default=".", help="the exchange workspace (default: here)")


def _unit_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("unit", metavar="UNIT", help="the unit (nbgrader assignment) id")
    _workspace_option(parser)


def assign_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``vxkit assign``."""
    _unit_arguments(parser)
    parser.add_argument(
        "--due",
        metavar="'YYYY-MM-DD HH:MM'",
        help="deadline, in each class's own local time (e.g. '2027-03-28 18:00')",
    )
    parser.add_argument(
        "--due-class",
        action="append",
        default=[],
        metavar="CLASS='YYYY-MM-DD HH:MM'",
        help="a different local deadline for one class (repeat for more classes)",
    )
    parser.add_argument(
        "--team",
        action="store_true",
        help="team work: each team submits one co-edited notebook, graded once for all",
    )


def unit_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the commands that take just a unit."""
    _unit_arguments(parser)


def grade_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``vxkit grade``."""
    _unit_arguments(parser)
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="notebooks run at the same time (default: one per CPU core)",
    )


def grades_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``vxkit grades``."""
    _workspace_option(parser)
    parser.add_argument("--class", dest="class_id", metavar="CLASS", help="only this class")
    parser.add_argument(
        "--student", metavar="STUDENT_ID", help="only this student (their roster id)"
    )
    parser.add_argument("--csv", metavar="FILE", help="also write the grades to this CSV file")


@contextlib.contextmanager
def quiet_nbgrader() -> Iterator[None]:
    """nbgrader's gradebook emits SQLAlchemy warnings a teacher can do nothing about."""
    from sqlalchemy.exc import SAWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        yield


def _ws(args: argparse.Namespace) -> Workspace:
    return find_workspace(args.dir)


def _parse_due_class(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        class_id, sep, text = item.partition("=")
        if not sep or not class_id.strip():
            raise VxkitError(
                f"--due-class: \"{item}\" should look like lyon_4b='2027-03-28 18:00'."
            )
        out[class_id.strip()] = text.strip().strip("'\"")
    return out


def run_assign(args: argparse.Namespace) -> int:
    """``vxkit assign UNIT``."""
    from .workflow import assign

    with quiet_nbgrader():
        summary = assign(
            _ws(args), args.unit, args.due, _parse_due_class(args.due_class), args.team
        )
    print("\n".join(summary.lines()))
    return 0


def run_collect(args: argparse.Namespace) -> int:
    """``vxkit collect UNIT``."""
    from .workflow import collect

    with quiet_nbgrader():
        summary = collect(_ws(args), args.unit)
    print("\n".join(summary.lines()))
    return 0


def run_grade(args: argparse.Namespace) -> int:
    """``vxkit grade UNIT``: exit status 1 when a submission could not be graded."""
    from ..progress import terminal
    from .autograde import grade

    if args.workers is not None and args.workers < 1:
        raise VxkitError(f"--workers must be 1 or more, not {args.workers}.")
    with quiet_nbgrader(), terminal(f"Grading {args.unit}") as progress:
        summary = grade(_ws(args), args.unit, args.workers, progress=progress)
    print("\n".join(summary.lines()))
    return 0 if all(o.graded for o in summary.outcomes) else 1


def run_feedback(args: argparse.Namespace) -> int:
    """``vxkit feedback UNIT``."""
    from ..progress import terminal
    from .workflow import feedback

    with quiet_nbgrader(), terminal(f"Feedback on {args.unit}") as progress:
        summary = feedback(_ws(args), args.unit, progress)
    print("\n".join(summary.lines()))
    return 1 if summary.problems else 0


def run_grades(args: argparse.Namespace) -> int:
    """``vxkit grades``."""
    from .workflow import grades, grades_table, write_grades_csv

    with quiet_nbgrader():
        rows = grades(_ws(args), args.class_id, args.student)
    print("\n".join(grades_table(rows)))
    if args.csv:
        path = write_grades_csv(rows, Path(args.csv))
        print(f"Wrote {len(rows)} rows to {path}.")
    return 0


def peer_review_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``vxkit peer-review``."""
    _unit_arguments(parser)
    parser.add_argument(
        "--rubric",
        metavar="FILE",
        help="a text file with one review question per line (default: four general questions)",
    )
    parser.add_argument(
        "--return",
        dest="give_back",
        action="store_true",
        help="hand the written reviews to the reviewed teams and file them for the teachers",
    )


def run_peer_review(args: argparse.Namespace) -> int:
    """``vxkit peer-review UNIT [--return]``."""
    from .peer import collect_reviews, hand_out

    ws = _ws(args)
    if args.give_back:
        summary = collect_reviews(ws, args.unit)
    else:
        rubric = None
        if args.rubric:
            try:
                text = Path(args.rubric).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as err:
                raise VxkitError(f"--rubric: cannot read {args.rubric} ({err}).") from None
            rubric = tuple(line.strip() for line in text.splitlines() if line.strip())
            if not rubric:
                raise VxkitError(f"--rubric: {args.rubric} has no questions (one per line).")
        summary = hand_out(ws, args.unit, rubric)
    print("\n".join(summary.lines()))
    return 0

"""A teacher's grading step run as its own process, for the classroom dashboard.

``python -m vxkit.grading.jobs ACTION UNIT --dir WORKSPACE [--due ...] [--team]`` runs the same
workflow function as ``vxkit assign|collect|grade|feedback`` and reports on stdout, one JSON
object a line (``vxkit.progress.JsonLines``): its progress while it works (grading and
feedback report each submission), then the summary the CLI prints, or a sentence saying why it
could not do the step.

The server (``vxkit.server.jobs``) starts it, so nbgrader's process-wide patches and its
kernels never run inside the server.
"""

from __future__ import annotations

import argparse
import sys

from ..errors import VxkitError
from ..progress import JsonLines, Progress
from ..workspace import find_workspace

ACTIONS = ("assign", "collect", "grade", "feedback")


def run(args: argparse.Namespace, progress: Progress) -> tuple[list[str], bool]:
    """Do one step; returns the summary lines and whether everything went through."""
    from .commands import quiet_nbgrader

    ws = find_workspace(args.dir)
    with quiet_nbgrader():
        if args.action == "assign":
            from .workflow import assign

            progress(0, 1, args.unit)
            summary = assign(ws, args.unit, args.due or None, None, args.team)
            progress(1, 1, args.unit)
            return summary.lines(), True
        if args.action == "collect":
            from .workflow import collect

            progress(0, 1, args.unit)
            collected = collect(ws, args.unit)
            progress(1, 1, args.unit)
            return collected.lines(), True
        if args.action == "grade":
            from .autograde import grade

            graded = grade(ws, args.unit, None, progress=progress)
            return graded.lines(), all(o.graded for o in graded.outcomes)
        from .workflow import feedback

        returned = feedback(ws, args.unit, progress)
        return returned.lines(), not returned.problems


def parser() -> argparse.ArgumentParser:
    """The job's command line."""
    parse = argparse.ArgumentParser(prog="python -m vxkit.grading.jobs")
    parse.add_argument("action", choices=ACTIONS)
    parse.add_argument("unit")
    parse.add_argument("--dir", default=".", help="the exchange workspace")
    parse.add_argument("--due", default="", help="assign: the deadline, local to each class")
    parse.add_argument("--team", action="store_true", help="assign: team work")
    return parse


def main(argv: list[str] | None = None) -> int:
    """Run a job; exit status 0 when it did everything, 1 otherwise."""
    args = parser().parse_args(argv)
    out = JsonLines()
    try:
        lines, ok = run(args, out)
    except VxkitError as err:
        out.error(str(err))
        return 1
    out.done(lines, ok)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

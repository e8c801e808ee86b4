"""How far a long teacher step (grading, feedback) got, shown wherever it runs.

A reporter is any callable ``progress(done, total, label)``: the grading code calls it after
each submission and knows nothing about where it shows. Two places show it:

- the classroom dashboard: the step runs as a job process (``python -m vxkit.grading.jobs``)
  whose ``JsonLines`` writes one JSON object a line on stdout, and the server reads them back
  with ``read_line`` (the format lives here, on both sides);
- a terminal (``vxkit grade``, ``vxkit feedback``): ``terminal(title)`` draws a rich progress
  bar when the stream is an interactive terminal, and plain ``title: 3/10 label`` lines when it
  is not (a CI log, a pipe), so logs stay readable.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any, TextIO

#: ``progress(done, total, label)``: ``done`` of ``total`` steps, the last one named ``label``
Progress = Callable[[int, int, str], None]


class JsonLines:
    """The job's side of the dashboard's progress: one JSON object a line on ``stream``.

    ``{"progress": [done, total, label]}`` while it works, then ``{"done": {"lines": [...],
    "ok": bool}}`` or ``{"error": "sentence"}`` at the end.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def __call__(self, done: int, total: int, label: str = "") -> None:
        self._emit({"progress": [done, total, label]})

    def done(self, lines: list[str], ok: bool) -> None:
        """The step finished: the summary the CLI prints, and whether all went through."""
        self._emit({"done": {"lines": lines, "ok": ok}})

    def error(self, sentence: str) -> None:
        """The step could not be done, and why (nothing follows)."""
        self._emit({"error": sentence})

    def _emit(self, message: dict[str, Any]) -> None:
        # flushed at once: the server shows each line as it comes
        self.stream.write(json.dumps(message) + "\n")
        self.stream.flush()


def read_line(raw: bytes | str) -> dict[str, Any] | None:
    """The server's side: one line of a job's stdout, checked and typed, in the shape
    ``JsonLines`` wrote it; None for anything else (a stray print from a library, a malformed
    line)."""
    try:
        message = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(message, dict):
        return None
    try:
        if "progress" in message:
            done, total, label = message["progress"]
            return {"progress": [int(done), int(total), str(label)]}
        if "done" in message:
            body = message["done"]
            lines = [str(line) for line in body.get("lines", [])]
            return {"done": {"lines": lines, "ok": bool(body.get("ok"))}}
        if "error" in message:
            return {"error": str(message["error"])}
    except (TypeError, ValueError, AttributeError):
        return None
    return None


class PlainLines:
    """A reporter for logs and pipes: each step is one line, ``Grading squares: 3/10 chloe``."""

    def __init__(self, title: str, stream: TextIO | None = None) -> None:
        self.title = title
        self.stream = stream or sys.stderr

    def __call__(self, done: int, total: int, label: str = "") -> None:
        self.stream.write(f"{self.title}: {done}/{total} {label}".rstrip() + "\n")
        self.stream.flush()


def interactive(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal a bar can be redrawn on (not a pipe, a file or a
    ``TERM=dumb`` console)."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM", "") != "dumb"


@contextlib.contextmanager
def terminal(title: str, stream: TextIO | None = None) -> Iterator[Progress]:
    """A reporter for the terminal while the ``with`` block runs: a rich progress bar (title,
    bar, done/total, elapsed time, the last label) on an interactive ``stream`` (default
    stderr), plain lines otherwise. The bar is finished and the cursor given back on exit,
    also when the step fails."""
    stream = stream or sys.stderr
    if not interactive(stream):
        yield PlainLines(title, stream)
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import (
        Progress as RichProgress,
    )

    bar = RichProgress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[label]}"),
        console=Console(file=stream, force_terminal=True, force_interactive=True),
    )
    task = bar.add_task(title, total=None, label="")

    def report(done: int, total: int, label: str = "") -> None:
        bar.update(task, completed=done, total=total, label=label)

    with bar:
        yield report

"""A small progress bar for long grading steps (no dependency)."""

from __future__ import annotations

import sys
from typing import TextIO


class ProgressBar:
    """Call it with (done, total, label); draws ``[#####.....] 3/10 label`` on one line.

    On a terminal the line is redrawn in place; in a log file each step is its own line.
    """

    def __init__(self, title: str, stream: TextIO | None = None, width: int = 30) -> None:
        self.title = title
        self.stream = stream or sys.stderr
        self.width = width
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, done: int, total: int, label: str = "") -> None:
        filled = self.width * done // total if total else self.width
        bar = "#" * filled + "." * (self.width - filled)
        line = f"{self.title} [{bar}] {done}/{total} {label}".rstrip()
        if self.tty:
            end = "\n" if done >= total else ""
            self.stream.write("\r\033[K" + line + end)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

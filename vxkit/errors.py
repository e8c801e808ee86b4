"""Errors that vxkit shows to people as sentences, never as tracebacks."""

from __future__ import annotations


class VxkitError(Exception):
    """A problem a teacher or student can fix; ``str()`` of it is a full sentence."""

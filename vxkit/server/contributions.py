"""Who changed what: a record per document and cell of which student (and class) edited it.

The collaboration room tells ``ContributionLog`` who sent each document update; a deep
observer on the notebook's cells turns the update into the cells it touched. Counts are
kept in memory and written to ``.vxkit/contributions.json`` (atomically) a moment after the
last edit and when the server stops. ``report`` groups them per team, class and student.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pycrdt import Array, Doc, Map, Text

from ..errors import VxkitError
from ..files import atomic_write
from ..workspace import Workspace
from .identity import Identity

CONTRIBUTIONS_FILE = "contributions.json"
WHOLE_DOCUMENT = "(document)"
DELETED_CELLS = "(deleted cells)"


def person_key(identity: Identity) -> str:
    """How a person is keyed in the record: the student id, or role and name."""
    return identity.student_id or f"{identity.role}:{identity.name}"


class ContributionLog:
    """Edit counts per document, cell and person, persisted in the workspace state folder."""

    def __init__(self, path: Path, flush_delay: float = 2.0) -> None:
        self.path = path
        self.flush_delay = flush_delay
        self.data: dict[str, Any] = load_record(path)
        self._dirty = False
        self._flusher: asyncio.TimerHandle | None = None
        self._observed: dict[str, tuple[Any, Any]] = {}
        #: called after every recorded edit (the event stream's hook, which throttles), or None
        self.on_change: Callable[[], None] | None = None

    def record(
        self, document: str, cell_id: str, identity: Identity, when: float | None = None
    ) -> None:
        """Count one change to ``cell_id`` of ``document`` by ``identity``."""
        when = when or time.time()
        people = self.data["people"]
        key = person_key(identity)
        people[key] = {k: v for k, v in identity.as_dict().items() if v is not None}
        cells = self.data["documents"].setdefault(document, {})
        entry = cells.setdefault(cell_id, {}).setdefault(
            key, {"edits": 0, "first": when, "last": when}
        )
        entry["edits"] += 1
        entry["last"] = when
        self._schedule()
        if self.on_change is not None:
            self.on_change()

    def _schedule(self) -> None:
        self._dirty = True
        if self._flusher is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                return
            self._flusher = loop.call_later(self.flush_delay, self.flush)

    def flush(self) -> None:
        """Write the record now if anything changed."""
        self._flusher = None
        if not self._dirty:
            return
        self._dirty = False
        atomic_write(self.path, json.dumps(self.data, ensure_ascii=False, indent=1) + "\n")

    def attach(self, ydoc: Doc, document: str, author: Any) -> None:
        """Observe ``ydoc`` (a room's document); ``author()`` says who sent the current update."""

        def on_cells(events: Iterable[Any]) -> None:
            who = author()
            if who is None:
                return  # the server itself (loading the file, out-of-band reloads)
            touched: set[str] = set()
            for event in events:
                path = list(event.path)
                if path and isinstance(path[0], int):
                    try:
                        touched.add(str(cells[path[0]].get("id") or f"#{path[0]}"))
                    except (IndexError, KeyError, TypeError):
                        touched.add(WHOLE_DOCUMENT)
                    continue
                for part in getattr(event, "delta", None) or []:
                    for item in part.get("insert", []) if isinstance(part, dict) else []:
                        if isinstance(item, Map):
                            touched.add(str(item.get("id") or WHOLE_DOCUMENT))
                    if isinstance(part, dict) and "delete" in part:
                        touched.add(DELETED_CELLS)
            for cell_id in touched or {WHOLE_DOCUMENT}:
                self.record(document, cell_id, who)

        def on_text(event: Any) -> None:
            who = author()
            if who is not None:
                self.record(document, WHOLE_DOCUMENT, who)

        # the observed shared types must stay referenced, or their observers go with them
        if "cells" in ydoc:
            cells = ydoc.get("cells", type=Array)
            self._observed[document] = (cells, cells.observe_deep(on_cells))
        elif "source" in ydoc:
            text = ydoc.get("source", type=Text)
            self._observed[document] = (text, text.observe(on_text))


def load_record(path: Path) -> dict[str, Any]:
    """The stored record (empty if none yet)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"documents": {}, "people": {}}
    except (OSError, ValueError) as err:
        raise VxkitError(f"The contribution record {path} cannot be read ({err}).") from None
    data.setdefault("documents", {})
    data.setdefault("people", {})
    return data


def _team_of_document(document: str) -> str | None:
    parts = document.strip("/").split("/")
    return parts[1] if len(parts) >= 3 and parts[0] == "projects" else None


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="seconds")


def report(data: dict[str, Any]) -> dict[str, Any]:
    """The record grouped per student, per class and per team (documents in its folder)."""
    people = data.get("people", {})
    students: dict[str, dict[str, Any]] = {}
    for document, cells in data.get("documents", {}).items():
        team = _team_of_document(document)
        for cell_id, by_person in cells.items():
            for key, entry in by_person.items():
                who = people.get(key, {"role": "unknown", "name": key})
                row = students.setdefault(
                    key,
                    {
                        "person": key,
                        "name": who.get("name"),
                        "role": who.get("role"),
                        "class_id": who.get("class_id"),
                        "team_id": who.get("team_id"),
                        "edits": 0,
                        "cells": set(),
                        "documents": set(),
                        "last": 0.0,
                    },
                )
                row["edits"] += entry["edits"]
                row["cells"].add((document, cell_id))
                row["documents"].add(document)
                row["last"] = max(row["last"], entry["last"])
                if team:
                    row.setdefault("teams_edited", set()).add(team)
    per_student = []
    for row in sorted(students.values(), key=lambda r: (-r["edits"], r["person"])):
        per_student.append(
            {
                "person": row["person"],
                "name": row["name"],
                "role": row["role"],
                "class_id": row["class_id"],
                "team_id": row["team_id"],
                "edits": row["edits"],
                "cells": len(row["cells"]),
                "documents": sorted(row["documents"]),
                "last_edit": _iso(row["last"]),
            }
        )
    per_class: dict[str, dict[str, Any]] = {}
    per_team: dict[str, dict[str, Any]] = {}
    for row in per_student:
        if row["class_id"]:
            c = per_class.setdefault(row["class_id"], {"class_id": row["class_id"], "edits": 0})
            c["edits"] += row["edits"]
            c.setdefault("students", []).append(row["name"])
    for document, cells in data.get("documents", {}).items():
        team = _team_of_document(document)
        if not team:
            continue
        t = per_team.setdefault(team, {"team_id": team, "edits": 0, "by_class": {}})
        for by_person in cells.values():
            for key, entry in by_person.items():
                t["edits"] += entry["edits"]
                cls = people.get(key, {}).get("class_id") or "(teachers and visitors)"
                t["by_class"][cls] = t["by_class"].get(cls, 0) + entry["edits"]
    documents = {
        document: {
            cell_id: {key: dict(entry, last=_iso(entry["last"])) for key, entry in by.items()}
            for cell_id, by in cells.items()
        }
        for document, cells in data.get("documents", {}).items()
    }
    return {
        "students": per_student,
        "classes": sorted(per_class.values(), key=lambda c: c["class_id"]),
        "teams": sorted(per_team.values(), key=lambda t: t["team_id"]),
        "documents": documents,
    }


def workspace_report(ws: Workspace) -> dict[str, Any]:
    """The contribution report of a workspace, from its stored record."""
    return report(load_record(ws.state_dir / CONTRIBUTIONS_FILE))


def report_csv(rep: dict[str, Any]) -> str:
    """The per-student rows of a report as CSV text."""
    out = io.StringIO()
    fields = ["person", "name", "role", "class_id", "team_id", "edits", "cells", "last_edit"]
    writer = csv.DictWriter(out, fieldnames=[*fields, "documents"])
    writer.writeheader()
    for row in rep["students"]:
        writer.writerow({**{f: row[f] for f in fields}, "documents": " ".join(row["documents"])})
    return out.getvalue()


def report_text(rep: dict[str, Any]) -> str:
    """The report as a few readable tables."""
    if not rep["students"]:
        return (
            "No edits recorded yet: contributions are counted while people co-edit in JupyterLab."
        )
    lines = ["Per team:"]
    for t in rep["teams"]:
        by = ", ".join(f"{c} {n}" for c, n in sorted(t["by_class"].items()))
        lines.append(f"  {t['team_id']:<20} {t['edits']:>6} edits  ({by})")
    lines.append("Per class:")
    for c in rep["classes"]:
        lines.append(f"  {c['class_id']:<20} {c['edits']:>6} edits  by {len(c['students'])} people")
    lines.append("Per person:")
    for s in rep["students"]:
        where = s["class_id"] or s["role"]
        lines.append(
            f"  {s['name'] or s['person']:<20} {where:<16} {s['edits']:>6} edits in "
            f"{s['cells']} cells, last {s['last_edit']}"
        )
    return "\n".join(lines)

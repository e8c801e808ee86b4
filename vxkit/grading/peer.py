"""Peer review across partner classes: each team (or student) reviews another's work.

``vxkit peer-review UNIT`` (after the deadline) gives every submitter a copy of another
submitter's collected notebook with names removed, and a review notebook with the rubric
questions. Pairs are rotated so nobody reviews themselves and, for individual work,
neighbours come from different classes. ``vxkit peer-review UNIT --return`` hands each
review to the reviewed team (without the reviewers' names) and files every review, with
who wrote it, under ``course/peer_reviews/UNIT/`` for the teachers of all classes.
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from ..errors import VxkitError
from ..exchange import Exchange
from ..files import atomic_write
from ..workspace import Workspace
from . import config as cfg
from .deadlines import class_deadlines
from .workflow import Submitter, submitted_ids, submitters

DEFAULT_RUBRIC = (
    "What does this work do well? Name one thing and say why.",
    "Is the question the work answers clear? What would make it clearer?",
    "Do the code and results support the answer? Point to one cell.",
    "Give one concrete suggestion to improve the work.",
)
REDACTED = "[name removed]"
ANSWER_PLACEHOLDER = "_Write your answer here._"


@dataclass(frozen=True)
class Pairing:
    """One reviewer reviewing one piece of work, known to them only by ``code``."""

    reviewer: str
    reviewee: str
    code: str


@dataclass
class PeerSummary:
    """What ``peer-review`` did, for the teacher."""

    unit: str
    pairings: list[Pairing]
    labels: dict[str, str]
    returned: dict[str, int] = field(default_factory=dict)  # reviewer -> answers written
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        if self.returned or not self.pairings:
            out = [f"Returned {len(self.returned)} peer reviews of {self.unit}."]
        else:
            out = [f"Handed out {len(self.pairings)} peer reviews of {self.unit}."]
        for p in self.pairings:
            answered = (
                f" ({self.returned[p.reviewer]} answers)" if p.reviewer in self.returned else ""
            )
            out.append(
                f"  {self.labels[p.reviewer]} reviews {self.labels[p.reviewee]} "
                f"(shown as work {p.code}){answered}"
            )
        out.extend(self.notes)
        return out


def review_dir(sub: Submitter, unit: str) -> Path:
    """Where a reviewer finds the work to review and their review notebook."""
    return sub.folder / f"{unit}_peer_review"


def reviews_dir(sub: Submitter, unit: str) -> Path:
    """Where reviewed work receives its reviews."""
    return sub.folder / f"{unit}_reviews"


def _record_path(ws: Workspace, unit: str) -> Path:
    return cfg.grading_dir(ws) / f"{unit}.peer.json"


def _order(subs: list[Submitter], exchange: Exchange) -> list[Submitter]:
    """Interleave classes, so each reviewer's neighbour is from a partner class."""
    by_class: dict[str, list[Submitter]] = {}
    for sub in subs:
        by_class.setdefault(sub.students[0].class_id, []).append(sub)
    if any(s.team_id for s in subs):
        return sorted(subs, key=lambda s: s.nbgrader_id)  # teams already mix classes
    queues = [by_class[c.id] for c in exchange.classes if c.id in by_class]
    out: list[Submitter] = []
    while any(queues):
        for queue in queues:
            if queue:
                out.append(queue.pop(0))
    return out


def _names(exchange: Exchange) -> re.Pattern[str]:
    words = {s.name for s in exchange.students()} | {s.id for s in exchange.students()}
    for team in exchange.teams:
        words |= {team.name, team.id}
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if w)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def anonymise(nb: nbformat.NotebookNode, pattern: re.Pattern[str]) -> nbformat.NotebookNode:
    """The notebook with every student and team name removed (cells, outputs, metadata)."""
    keep = {k: nb.metadata[k] for k in ("kernelspec", "language_info") if k in nb.metadata}
    nb.metadata = nbformat.NotebookNode(keep)
    for cell in nb.cells:
        cell.source = pattern.sub(REDACTED, cell.source)
        cell.metadata = nbformat.NotebookNode()
        cell.pop("attachments", None)
        for output in cell.get("outputs", []):
            if "text" in output:
                output.text = pattern.sub(REDACTED, "".join(output.text))
            for mime, value in list(output.get("data", {}).items()):
                if mime.startswith("text/") or mime.endswith("json"):
                    text = value if isinstance(value, str) else json.dumps(value)
                    cleaned = pattern.sub(REDACTED, text)
                    output.data[mime] = cleaned if isinstance(value, str) else json.loads(cleaned)
                else:
                    del output.data[mime]  # images may show names: leave them out
            if "traceback" in output:
                output.traceback = [pattern.sub(REDACTED, line) for line in output.traceback]
    return nb


def review_notebook(unit: str, code: str, rubric: tuple[str, ...]) -> nbformat.NotebookNode:
    """The rubric as a notebook: a question cell, then an answer cell, for each question."""
    from nbformat.v4 import new_markdown_cell, new_notebook

    cells = [
        new_markdown_cell(
            f"# Peer review of work {code} ({unit})\n\n"
            f"Read the notebook `work_{code}_*.ipynb` in this folder, then answer each "
            "question in the cell below it. Be kind, specific and helpful: the authors, in "
            "a partner class, will read your answers."
        )
    ]
    for n, question in enumerate(rubric, 1):
        cells.append(new_markdown_cell(f"**Question {n}.** {question}"))
        answer = new_markdown_cell(ANSWER_PLACEHOLDER)
        answer.metadata["vxkit"] = {"review_question": n}
        cells.append(answer)
    return new_notebook(cells=cells, metadata={"vxkit": {"peer_review": unit, "work": code}})


def _write(path: Path, nb: nbformat.NotebookNode) -> None:
    atomic_write(path, nbformat.writes(nb) + "\n")


def hand_out(
    ws: Workspace,
    unit: str,
    rubric: tuple[str, ...] | None = None,
    now: datetime | None = None,
) -> PeerSummary:
    """Give each submitter another's anonymised work and a review notebook."""
    exchange = ws.load()
    record = cfg.load_unit(ws, unit)
    moment = now or datetime.now(timezone.utc)
    for class_id, deadline in class_deadlines(exchange, record.deadlines).items():
        if moment < deadline:
            local = deadline.astimezone(exchange.get_class(class_id).zone)
            raise VxkitError(
                f"Peer review starts after the deadline: {class_id}'s deadline "
                f"({local:%Y-%m-%d %H:%M} {local.tzname()}) has not passed yet."
            )
    expected = {s.nbgrader_id: s for s in submitters(ws, exchange, unit)}
    subs = [expected[i] for i in submitted_ids(ws, unit) if i in expected]
    if len(subs) < 2:
        raise VxkitError(
            f'Peer review needs at least two collected submissions of "{unit}"; there are '
            f"{len(subs)}. Run `vxkit collect {unit}` first."
        )
    ordered = _order(subs, exchange)
    codes = iter(string.ascii_uppercase * 10)
    pattern = _names(exchange)
    pairings, notes = [], []
    for k, reviewer in enumerate(ordered):
        reviewee = ordered[(k + 1) % len(ordered)]
        code = next(codes) + ("" if k < 26 else str(k // 26))
        folder = review_dir(reviewer, unit)
        source = ws.course_dir / "submitted" / reviewee.nbgrader_id / unit
        for path in sorted(source.glob("*.ipynb")):
            try:
                nb = nbformat.read(path, as_version=4)
            except Exception:
                notes.append(f"Left out {path.name} of {reviewee.label}: it is not a notebook.")
                continue
            _write(folder / f"work_{code}_{path.name}", anonymise(nb, pattern))
        _write(
            folder / f"review_{code}.ipynb", review_notebook(unit, code, rubric or DEFAULT_RUBRIC)
        )
        pairings.append(Pairing(reviewer.nbgrader_id, reviewee.nbgrader_id, code))
    data = [p.__dict__ for p in pairings]
    atomic_write(_record_path(ws, unit), json.dumps({"pairings": data}, indent=1) + "\n")
    labels = {s.nbgrader_id: s.label for s in subs}
    return PeerSummary(unit, pairings, labels, notes=notes)


def collect_reviews(ws: Workspace, unit: str) -> PeerSummary:
    """Hand each review to the reviewed submitter and file all of them for the teachers."""
    exchange = ws.load()
    try:
        data = json.loads(_record_path(ws, unit).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise VxkitError(
            f'No peer review of "{unit}" was handed out: run `vxkit peer-review {unit}` first.'
        ) from None
    pairings = [Pairing(**p) for p in data["pairings"]]
    expected = {s.nbgrader_id: s for s in submitters(ws, exchange, unit)}
    summary = PeerSummary(unit, pairings, {i: s.label for i, s in expected.items()})
    teachers = ws.course_dir / "peer_reviews" / unit
    for p in pairings:
        reviewer, reviewee = expected.get(p.reviewer), expected.get(p.reviewee)
        if reviewer is None or reviewee is None:
            summary.notes.append(f"Skipped work {p.code}: its authors left the exchange.")
            continue
        path = review_dir(reviewer, unit) / f"review_{p.code}.ipynb"
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception:
            summary.notes.append(f"The review of work {p.code} by {reviewer.label} is missing.")
            continue
        answered = sum(
            1
            for cell in nb.cells
            if cell.metadata.get("vxkit", {}).get("review_question")
            and cell.source.strip() not in ("", ANSWER_PLACEHOLDER)
        )
        _write(reviews_dir(reviewee, unit) / f"review_of_your_work_{p.code}.ipynb", nb)
        _write(teachers / f"{p.reviewee}_reviewed_by_{p.reviewer}.ipynb", nb)
        summary.returned[p.reviewer] = answered
    return summary

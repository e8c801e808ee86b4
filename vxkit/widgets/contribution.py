"""DataContribution: a form through which each class adds local observations to a shared CSV.

Values are checked by type, unit and plausible range before anything is written. Each row
records who added it (class, student) from the identity the server stamped on the click,
never from a name typed in the form, and when. Rows from many students and processes are
appended under a file lock, and the file is replaced atomically, so two students submitting
at the same moment both land and a reader never sees half a row.
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from traitlets import Dict, TraitError, Unicode, validate

from ..errors import VxkitError
from ..files import atomic_write
from ..i18n import N_, say, tr
from .identity import current_identity

COLUMNS = (
    "recorded_at",
    "class_id",
    "student_id",
    "student_name",
    "role",
    "observed_on",
    "kind",
    "value",
    "unit",
    "note",
)
UNKNOWN = "unknown"
MAX_NOTE = 200
LOCK_TIMEOUT = 10.0  # seconds


@dataclass(frozen=True)
class ObservationKind:
    """Something a class can measure: its unit and the range of plausible values."""

    id: str
    label: str
    unit: str
    low: float
    high: float
    integer: bool = False


KINDS = {
    kind.id: kind
    for kind in (
        ObservationKind("temperature", N_("Air temperature at noon"), "°C", -60, 60),
        ObservationKind("rainfall", N_("Rainfall in the last 24 hours"), "mm", 0, 500),
        ObservationKind("waste", N_("Waste collected by the class"), "kg", 0, 1000),
        ObservationKind(
            "commute", N_("Time to get to school"), N_("minutes"), 0, 240, integer=True
        ),
        ObservationKind("screen_time", N_("Screen time yesterday"), N_("hours"), 0, 24),
    )
}


def parse_value(kind: ObservationKind, text: str, locale: str = "en") -> float:
    """The number typed for ``kind``; a sentence naming the field and value if it is wrong,
    in ``locale``."""
    cleaned = str(text).strip().replace(",", ".")
    terms = {"unit": kind.unit, "label": kind.label}
    if not cleaned:
        raise VxkitError(say('Value: type a number of {unit} for "{label}".', locale, terms))
    try:
        value = float(cleaned)
    except ValueError:
        said = N_('Value: "{text}" is not a number; type the "{label}" in {unit}, like 12.5.')
        raise VxkitError(say(said, locale, terms, text=text)) from None
    if not math.isfinite(value):
        raise VxkitError(say('Value: "{text}" is not a number.', locale, text=text))
    if kind.integer and value != int(value):
        said = N_('Value: "{text}" must be a whole number of {unit}.')
        raise VxkitError(say(said, locale, terms, text=text))
    if not kind.low <= value <= kind.high:
        said = N_(
            'Value: {value} {unit} is not a plausible "{label}" (expected {low} to {high} '
            "{unit}). Check the unit."
        )
        shown = {"value": f"{value:g}", "low": f"{kind.low:g}", "high": f"{kind.high:g}"}
        raise VxkitError(say(said, locale, terms, **shown))
    return value


def _cell(text: str) -> str:
    """Text safe in a spreadsheet: a leading = + - @ would make it a formula."""
    text = " ".join(str(text).split())
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@contextlib.contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold an exclusive lock on ``.<name>.lock`` beside ``path`` across processes (waits up to ``timeout``)."""
    import time

    lock_path = path.with_name(f".{path.name}.lock")  # hidden in the file browser
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_path, "a+b")  # noqa: SIM115 - closed in the finally below
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                _lock(handle)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise VxkitError(
                        f"{path.name} is busy: another contribution is being saved. "
                        "Try again in a moment."
                    ) from None
                time.sleep(0.02)
        try:
            yield
        finally:
            _unlock(handle)
    finally:
        handle.close()


if os.name == "nt":  # pragma: no cover - Windows

    def _lock(handle: Any) -> None:
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: Any) -> None:
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:

    def _lock(handle: Any) -> None:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: Any) -> None:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def append_row(path: Path, row: dict[str, str]) -> None:
    """Append one row to the contributions CSV, creating it with a header if needed."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    with locked(path):
        existing = path.read_text(encoding="utf-8") if path.exists() else ""
        if not existing:
            writer.writeheader()
        elif not existing.endswith("\n"):
            existing += "\n"
        writer.writerow(row)
        atomic_write(path, existing + buffer.getvalue())


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a contributions CSV (an empty list when there is none yet)."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def default_path(team: str | None = None) -> Path:
    """``projects/<team>/observations.csv`` of the workspace around the notebook."""
    from ..workspace import find_workspace

    here = Path.cwd()
    ws = find_workspace(here)
    if team is None:
        try:
            team = here.resolve().relative_to(ws.projects_dir.resolve()).parts[0]
        except (ValueError, IndexError):
            return ws.shared_dir / "observations.csv"
    return ws.team_dir(team) / "observations.csv"


class DataContribution(widgets.VBox):
    """A form for one local observation; submitted rows carry the signed-in student's name."""

    path = Unicode(help="The CSV file observations are appended to (created if missing).")
    class_id = Unicode(
        "",
        help="Class recorded when the server stamped no identity (a teacher's notebook); "
        "'' means unknown.",
    )
    kinds = Dict(help="The observation kinds offered: id -> ObservationKind.")
    last_row = Dict(help="The last row saved by this form, as written to the CSV.")
    message = Unicode("", help="The last message shown under the form, as plain text.")
    locale = Unicode(
        "en",
        help='The language of the labels and messages ("fr", or several: "fr,es"); English '
        "where a catalogue has no translation.",
    )

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        team: str | None = None,
        kinds: dict[str, ObservationKind] | None = None,
        class_id: str = "",
        locale: str = "en",
        **kwargs: Any,
    ) -> None:
        self.kind_picker = widgets.Dropdown(description=tr("Measured", locale))
        self.value_input = widgets.Text(
            description=tr("Value", locale), placeholder=tr("a number", locale)
        )
        self.unit_label = widgets.Label()
        self.date_input = widgets.DatePicker(description=tr("Day", locale), value=date.today())
        self.note_input = widgets.Text(
            description=tr("Note", locale), placeholder=tr("optional, short", locale)
        )
        self.submit_button = widgets.Button(
            description=tr("Add observation", locale), button_style="primary", icon="plus"
        )
        self.feedback = widgets.HTML()
        super().__init__(**kwargs)
        self.kinds = dict(kinds or KINDS)
        self.path = str(path) if path is not None else str(default_path(team))
        self.class_id = class_id
        self.locale = locale
        self.kind_picker.options = [(tr(k.label, locale), k.id) for k in self.kinds.values()]
        self.kind_picker.value = next(iter(self.kinds))
        self.kind_picker.observe(self._kind_changed, "value")
        self._kind_changed({"new": self.kind_picker.value})
        self.submit_button.on_click(lambda _: self._clicked())
        self.children = [
            self.kind_picker,
            widgets.HBox([self.value_input, self.unit_label]),
            self.date_input,
            self.note_input,
            self.submit_button,
            self.feedback,
        ]

    @validate("kinds")
    def _valid_kinds(self, proposal: dict[str, Any]) -> dict[str, ObservationKind]:
        value = proposal["value"]
        if not value or not all(isinstance(k, ObservationKind) for k in value.values()):
            raise TraitError("kinds must map ids to at least one ObservationKind.")
        return value

    @validate("path")
    def _valid_path(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if not value.endswith(".csv"):
            raise TraitError(f'The contributions file must be a .csv file, not "{value}".')
        return value

    def _kind_changed(self, change: dict[str, Any]) -> None:
        kind = self.kinds.get(change["new"]) if change["new"] else None
        self.unit_label.value = tr(kind.unit, self.locale) if kind else ""

    def submit(
        self,
        kind: str,
        value: str | float,
        observed_on: date | None = None,
        note: str = "",
        now: datetime | None = None,
    ) -> dict[str, str]:
        """Check one observation and append it with its provenance; returns the row written."""
        if kind not in self.kinds:
            said = N_('Measured: "{kind}" is not one of the observations of this form ({kinds}).')
            raise VxkitError(say(said, self.locale, kind=kind, kinds=", ".join(self.kinds)))
        spec = self.kinds[kind]
        number = parse_value(spec, str(value), self.locale)
        moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
        day = observed_on or moment.date()
        # a day ahead of UTC is "today" somewhere (Nairobi, Tokyo): only later days are refused
        if day > moment.date() + timedelta(days=1):
            raise VxkitError(say("Day: {day} is in the future.", self.locale, day=day.isoformat()))
        if len(note) > MAX_NOTE:
            said = N_("Note: keep it under {most} characters ({typed} typed).")
            raise VxkitError(say(said, self.locale, most=MAX_NOTE, typed=len(note)))
        who = current_identity() or {}
        row = {
            "recorded_at": moment.isoformat(timespec="seconds"),
            "class_id": _cell(who.get("class_id") or self.class_id or UNKNOWN),
            "student_id": _cell(who.get("student_id") or UNKNOWN),
            "student_name": _cell(who.get("name") or UNKNOWN),
            "role": _cell(who.get("role") or UNKNOWN),
            "observed_on": day.isoformat(),
            "kind": spec.id,
            "value": f"{number:g}",
            "unit": spec.unit,
            "note": _cell(note),
        }
        append_row(Path(self.path), row)
        self.last_row = row
        return row

    def _clicked(self) -> None:
        try:
            row = self.submit(
                self.kind_picker.value,
                self.value_input.value,
                self.date_input.value,
                self.note_input.value,
            )
        except VxkitError as err:
            self._show(str(err), ok=False)
            return
        self.value_input.value = ""
        self.note_input.value = ""
        spec = self.kinds[row["kind"]]
        name = row["student_name"]
        if name == UNKNOWN:
            said = N_('Thank you: {value} {unit} ("{label}") added for {day}.')
        else:
            said = N_('Thank you, {name}: {value} {unit} ("{label}") added for {day}.')
        terms = {"unit": spec.unit, "label": spec.label}
        shown = {"name": name, "value": row["value"], "day": row["observed_on"]}
        self._show(say(said, self.locale, terms, **shown), ok=True)

    def _show(self, text: str, ok: bool) -> None:
        self.message = text
        colour = "#1b5e20" if ok else "#a00"
        self.feedback.value = f'<p style="color:{colour}">{html.escape(text)}</p>'


def observations(path: str | os.PathLike[str], kind: str | None = None) -> Any:
    """The observations of a contributions CSV as a table (pandas): ``class_id``,
    ``observed_on``, ``kind``, ``value`` (a number), ``unit``, one row per class, day and kind
    (the last entered wins: a class corrects a value by entering it again); only ``kind``'s
    rows when given. An empty table before the first contribution."""
    import pandas as pd

    columns = ["class_id", "observed_on", "kind", "value", "unit"]
    rows = [r for r in read_rows(Path(path)) if kind is None or r.get("kind") == kind]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))[columns]
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    frame = frame.dropna(subset=["value"])
    frame = frame.drop_duplicates(["class_id", "observed_on", "kind"], keep="last")
    return frame.sort_values(["observed_on", "class_id"]).reset_index(drop=True)


def observations_chart(
    frame: Any,
    classes: list[Any],
    kind: str = "temperature",
    locale: str = "en",
) -> Any:
    """The classes' observations of ``kind`` (a table from ``observations``), day by day,
    one bar per class side by side in the class's colour and named by its city: an SVG
    shown as HTML (kept in the saved notebook and the portfolio)."""
    from IPython.display import HTML

    from .charts import bar_chart

    spec = KINDS.get(kind)
    rows = frame[frame["kind"] == kind] if len(frame) else frame
    days = sorted(set(rows["observed_on"]))
    series = {}
    colours = {}
    for cls in classes:
        mine = rows[rows["class_id"] == cls.id]
        label = f"{cls.city} ({cls.id})"
        series[label] = dict(zip(mine["observed_on"], mine["value"].astype(float), strict=True))
        colours[label] = cls.colour
    title = tr(spec.label, locale) if spec else kind
    unit = tr(spec.unit, locale) if spec else ""
    empty = tr("No measurement yet: enter the first one above.", locale)
    svg = bar_chart(
        days, series, title=title, unit=unit, colours=colours, empty=empty, locale=locale
    )
    return HTML(svg)

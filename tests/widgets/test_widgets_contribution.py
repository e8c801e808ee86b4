"""DataContribution: validation, provenance from the stamped identity, concurrent appends."""

from __future__ import annotations

import csv
import subprocess
import sys
import textwrap
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.widgets.samples import EVIL
from vxkit.errors import VxkitError
from vxkit.widgets import DataContribution, current_identity
from vxkit.widgets.contribution import COLUMNS, read_rows
from vxkit.workspace import Workspace


@pytest.fixture
def form(tmp_path: Path) -> DataContribution:
    return DataContribution(tmp_path / "team" / "observations.csv")


def test_a_valid_observation_is_appended_with_provenance(form: DataContribution) -> None:
    now = datetime(2027, 3, 1, 9, 30, tzinfo=timezone.utc)
    row = form.submit("temperature", "12,5", date(2027, 3, 1), "sunny", now=now)
    assert row["value"] == "12.5" and row["unit"] == "°C"
    assert row["recorded_at"] == "2027-03-01T09:30:00+00:00"
    rows = read_rows(Path(form.path))
    assert rows == [row]
    # no kernel, so no stamped identity: the row says so instead of trusting anything typed
    assert (row["student_name"], row["student_id"], row["class_id"]) == ("unknown",) * 3
    assert Path(form.path).read_text(encoding="utf-8").splitlines()[0] == ",".join(COLUMNS)


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("temperature", "warm", 'Value: "warm" is not a number'),
        ("temperature", "", "Value: type a number of °C"),
        ("temperature", "300", '300 °C is not a plausible "Air temperature at noon"'),
        ("rainfall", "-2", '-2 mm is not a plausible "Rainfall'),
        ("commute", "12.5", "must be a whole number of minutes"),
        ("temperature", "nan", "is not a number"),
        ("snow", "1", 'Measured: "snow" is not one of the observations'),
    ],
)
def test_invalid_values_are_named(
    form: DataContribution, kind: str, value: str, message: str
) -> None:
    with pytest.raises(VxkitError, match=message):
        form.submit(kind, value)
    assert not Path(form.path).exists()


def test_future_day_and_long_note_are_refused(form: DataContribution) -> None:
    with pytest.raises(VxkitError, match=r"Day: .* is in the future"):
        form.submit("temperature", "10", date.today() + timedelta(days=2))
    with pytest.raises(VxkitError, match="Note: keep it under 200"):
        form.submit("temperature", "10", note="x" * 201)


def test_the_form_shows_errors_and_thanks(form: DataContribution) -> None:
    form.kind_picker.value = "rainfall"
    assert form.unit_label.get_state()["value"] == "mm"
    form.value_input.value = "lots"
    form.submit_button.click()
    feedback = form.feedback.get_state()["value"]
    assert "Value: &quot;lots&quot; is not a number" in feedback and "#a00" in feedback
    form.value_input.value = "4"
    form.note_input.value = EVIL
    form.submit_button.click()
    assert "4 mm" in form.feedback.get_state()["value"]
    assert form.value_input.value == ""  # ready for the next one
    assert read_rows(Path(form.path))[0]["note"] == EVIL  # stored as typed, CSV-quoted


def test_typed_text_is_escaped_in_the_feedback(form: DataContribution) -> None:
    form.value_input.value = EVIL
    form.submit_button.click()
    feedback = form.feedback.get_state()["value"]
    assert EVIL not in feedback and "&lt;img src=x onerror=alert(1)&gt;" in feedback


def test_spreadsheet_formulas_are_defused(form: DataContribution) -> None:
    form.submit("waste", "3", note='=HYPERLINK("http://x")')
    assert read_rows(Path(form.path))[0]["note"].startswith("'=")


def test_default_path_is_the_team_folder(
    demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = demo_workspace.team_dir("team_rivers")
    team.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(team)
    assert Path(DataContribution().path) == team / "observations.csv"
    assert Path(DataContribution(team="team_forests").path) == (
        demo_workspace.team_dir("team_forests") / "observations.csv"
    )


def test_no_identity_outside_a_kernel() -> None:
    assert current_identity() is None


WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from vxkit.widgets import DataContribution

    path, who, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    form = DataContribution(path)
    (go.parent / f"ready-{who}").touch()
    deadline = time.monotonic() + 30
    while not go.exists():  # both processes start writing at the same moment
        if time.monotonic() > deadline:
            sys.exit("never told to go")
        time.sleep(0.002)
    for i in range(10):
        form.submit("temperature", str(i), note=f"{who}-{i}, with a comma")
    """
)


def test_twenty_contributions_from_two_processes(tmp_path: Path) -> None:
    path = tmp_path / "observations.csv"
    go = tmp_path / "go"
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), who, str(go)])
        for who in ("a", "b")
    ]
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"ready-{who}").exists() for who in "ab"):
        assert time.monotonic() < deadline, "the writers did not start"
        assert all(p.poll() is None for p in procs), "a writer died"
        time.sleep(0.01)
    go.touch()
    for proc in procs:
        assert proc.wait(timeout=60) == 0
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    assert header == list(COLUMNS)
    assert len(rows) == 20
    assert all(len(r) == len(COLUMNS) for r in rows)
    notes = sorted(r[COLUMNS.index("note")] for r in rows)
    assert notes == sorted(f"{w}-{i}, with a comma" for w in "ab" for i in range(10))
    assert not list(tmp_path.glob(".observations.csv.*.tmp"))  # no temporary file left

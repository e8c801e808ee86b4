"""The vxkit command as a teacher runs it: real subprocesses, exit codes and sentences."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from vxkit.cli import lab_argv
from vxkit.workspace import Workspace, scaffold, template_text


def vxkit(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "vxkit.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_help_lists_every_command():
    result = vxkit("--help")
    assert result.returncode == 0
    for name in ("new", "check", "lab", "demo"):
        assert name in result.stdout


@pytest.mark.parametrize("name", ["new", "check", "lab", "demo"])
def test_each_command_has_help(name):
    result = vxkit(name, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: vxkit " + name)


def test_new_then_check(tmp_path: Path):
    result = vxkit("new", str(tmp_path / "ws"))
    assert result.returncode == 0, result.stderr
    ws = Workspace(tmp_path / "ws")
    assert ws.exchange_file.is_file()
    assert (ws.root / "nbgrader_config.py").is_file()
    assert (ws.team_dir("team_rivers") / "meet_partners.ipynb").is_file()
    assert (ws.course_dir / "source").is_dir()
    assert "# First names or nicknames only" in ws.exchange_file.read_text(encoding="utf-8")
    check = vxkit("check", str(ws.root))
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith(
        "OK: exchange 'Our first virtual exchange': 2 classes, 8 students"
    )


def test_new_refuses_to_overwrite_an_exchange(tmp_path: Path):
    assert vxkit("new", str(tmp_path)).returncode == 0
    again = vxkit("new", str(tmp_path))
    assert again.returncode == 1
    assert "already holds an exchange" in again.stderr
    assert "Traceback" not in again.stderr


def test_check_lists_every_problem_and_exits_1(tmp_path: Path):
    vxkit("new", str(tmp_path))
    path = tmp_path / "exchange.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('"Europe/Paris"', '"Europe/Pariss"').replace('"KE"', '"Kenya"')
    text = text.replace('units = ["meet_partners"]', 'units = ["meet_partners", "space_race"]')
    path.write_text(text, encoding="utf-8")
    result = vxkit("check", str(tmp_path))
    assert result.returncode == 1
    assert "2 problems found:" in result.stderr
    assert 'classes[0].timezone: "Europe/Pariss" is not a known time zone' in result.stderr
    assert 'classes[1].country: "Kenya" is not an ISO 3166 country code' in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("text", "where", "reason"),
    [
        (b"this is not toml\n", "line 1, column 6", "expected '=' after a key"),
        (b'[exchange]\ntitle = "x"\nend = \n', "line 3, column 7", "invalid value"),
        (b'[exchange]\ntitle = "caf\xe9"\n', "line 2, column 13", "is not UTF-8 text"),
    ],
)
def test_check_on_a_file_that_is_not_toml_names_the_file_and_the_line(
    tmp_path: Path, text: bytes, where: str, reason: str
):
    vxkit("new", str(tmp_path))
    path = tmp_path / "exchange.toml"
    path.write_bytes(text)
    result = vxkit("check", str(tmp_path))
    assert result.returncode == 1
    assert f"  - {path}, {where}: " in result.stderr, result.stderr
    assert reason in result.stderr
    assert "(file)" not in result.stderr and "Traceback" not in result.stderr


def test_check_reports_units_missing_from_the_curriculum(tmp_path: Path):
    vxkit("new", str(tmp_path))
    path = tmp_path / "exchange.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('["meet_partners"]', '["meet_partners", "space_race"]'), "utf-8")
    result = vxkit("check", str(tmp_path))
    assert result.returncode == 1
    assert 'Unit "space_race" is listed in exchange.toml but is neither installed' in result.stderr


def test_check_outside_a_workspace_is_a_sentence(tmp_path: Path):
    result = vxkit("check", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.startswith("vxkit: There is no exchange.toml in")
    assert "vxkit new" in result.stderr


def test_lab_refuses_a_broken_exchange_before_starting(tmp_path: Path):
    vxkit("new", str(tmp_path))
    path = tmp_path / "exchange.toml"
    path.write_text(path.read_text("utf-8").replace('hours = "08:00-17:00"', 'hours = "8 to 5"'))
    result = vxkit("lab", str(tmp_path), "--no-browser")
    assert result.returncode == 1
    assert "classes[0].hours: '8 to 5' is not school hours; write them like \"08:00-15:30\"" in (
        result.stderr
    )


def test_usage_errors_exit_2():
    assert vxkit("lab", "--port", "eighty").returncode == 2
    assert vxkit().returncode == 2


def test_scaffold_twice_keeps_student_work(tmp_path: Path):
    ws, created = scaffold(tmp_path / "demo", template_text("demo_exchange.toml"))
    assert created
    notebook = ws.team_dir("team_rivers") / "meet_partners.ipynb"
    nb = json.loads(notebook.read_text("utf-8"))
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "Hola from Josefa"})
    notebook.write_text(json.dumps(nb), "utf-8")
    (ws.shared_dir / "rain.csv").write_text("day,mm\n1,3\n", "utf-8")
    ws.exchange_file.write_text(ws.exchange_file.read_text("utf-8") + "\n# edited\n", "utf-8")

    _, created_again = scaffold(tmp_path / "demo", template_text("demo_exchange.toml"))
    assert created_again == []
    assert "Hola from Josefa" in notebook.read_text("utf-8")
    assert (ws.shared_dir / "rain.csv").read_text("utf-8") == "day,mm\n1,3\n"
    assert ws.exchange_file.read_text("utf-8").endswith("# edited\n")


def test_team_notebook_carries_the_team_name_in_metadata(demo_workspace: Workspace):
    nb = json.loads((demo_workspace.team_dir("team_forests") / "meet_partners.ipynb").read_text())
    # the demo classes speak French, English, Swahili and Spanish: the unit's three stay
    assert nb["metadata"]["vxkit"] == {"team": "Forests", "languages": ["en", "fr", "es"]}


def test_lab_keeps_collaboration_state_inside_the_workspace(demo_workspace: Workspace):
    argv = lab_argv(demo_workspace, 9999, "127.0.0.1", open_browser=False)
    state = str(demo_workspace.state_dir)
    stores = [a for a in argv if "db_path" in a or "session_store_path" in a]
    assert len(stores) == 3
    assert all(a.split("=", 1)[1].startswith(state) for a in stores)
    assert f"--ServerApp.root_dir={demo_workspace.root}" in argv

"""Binder: repo2docker accepts binder/, and binder/start serves the demo exchange for real."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import parse_qs, unquote, urlsplit
from urllib.request import Request, urlopen

import pytest

from tests.conftest import copy_tracked_files
from vxkit.binder import binder_link, curriculum_units
from vxkit.cli import main
from vxkit.errors import VxkitError
from vxkit.testing import free_port, stop_process_group

REPO = Path(__file__).resolve().parent.parent
BINDER = REPO / "binder"
LANGUAGE_PACKS = ("es-ES", "fr-FR", "pt-BR", "ar-SA", "zh-CN")
TOKEN = "binder-test-token"


def test_link_opens_the_unit_notebook():
    link = binder_link("meet_partners", repo="school/vxkit-fork", ref="v1.0")
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "https://mybinder.org/v2/gh/school/vxkit-fork/v1.0"
    )
    assert parts.query == "urlpath=lab%2Ftree%2Fprojects%2Fteam_rivers%2Fmeet_partners.ipynb"
    assert parse_qs(parts.query)["urlpath"] == ["lab/tree/projects/team_rivers/meet_partners.ipynb"]
    forests = binder_link("meet_partners", repo="a/b", ref="feature/x", team="team_forests")
    assert "/a/b/feature%2Fx?" in forests and "team_forests" in unquote(forests)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"unit": "meet_partner"}, 'There is no unit "meet_partner" in the curriculum (units: '),
        ({"unit": "meet_partners", "repo": "not a repo"}, '"not a repo" is not a GitHub'),
        ({"unit": "meet_partners", "ref": "a b"}, '"a b" is not a git branch'),
        ({"unit": "meet_partners", "team": "team_lakes"}, 'There is no team "team_lakes"'),
    ],
)
def test_link_mistakes_are_sentences(kwargs, message):
    with pytest.raises(VxkitError) as info:
        binder_link(**kwargs)
    assert str(info.value).startswith(message)


def test_cli_prints_the_link(capsys):
    assert main(["binder-link", "meet_partners", "--repo", "o/n", "--ref", "main"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == binder_link("meet_partners", repo="o/n", ref="main")
    assert main(["binder-link", "nope"]) == 1
    assert "There is no unit" in capsys.readouterr().err


def test_language_packs_for_partner_languages():
    lines = (BINDER / "requirements.txt").read_text(encoding="utf-8").splitlines()
    packages = [line.split(">")[0] for line in lines if line and not line.startswith("#")]
    assert packages == [f"jupyterlab-language-pack-{code}" for code in LANGUAGE_PACKS]
    # vxkit's own dependencies have one home, pyproject.toml: postBuild installs from it
    assert "python -m pip install --no-cache-dir .\n" in (BINDER / "postBuild").read_text()


def test_repo2docker_accepts_the_repository(tmp_path: Path):
    r2d = Path(sys.executable).parent / "repo2docker"  # from the test extra
    clone = copy_tracked_files(tmp_path / "repo")  # only what git tracks, as Binder clones it
    result = subprocess.run(
        [str(r2d), "--no-build", "--no-run", "--debug", str(clone)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    dockerfile = result.stdout + result.stderr
    assert "Building conda environment for python=3.11" in dockerfile
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in dockerfile
    assert "RUN ./binder/postBuild" in dockerfile
    assert 'ENV R2D_ENTRYPOINT="${REPO_DIR}/binder/start"' in dockerfile


def _request(url: str, method: str = "GET", body: dict | None = None) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    req = Request(url, data=data, method=method, headers={"Authorization": f"token {TOKEN}"})
    try:
        with urlopen(req, timeout=10) as resp:
            return resp.status, resp.read()
    except HTTPError as err:
        return err.code, err.read()


@pytest.fixture(scope="module")
def fresh_binder_venv(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A new virtual environment set up by the Binder steps, as repo2docker runs them.

    ``binder/requirements.txt`` first, then ``binder/postBuild`` (which installs vxkit from this
    repository with pip, no cache) with the new environment's python first on PATH and HOME
    where Binder's user would have it. Returns the environment's bin folder and that HOME.
    """
    root = tmp_path_factory.mktemp("binder")
    venv, home = root / "venv", root / "home"
    home.mkdir()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    env = {
        **os.environ,
        "HOME": str(home),
        "VIRTUAL_ENV": str(venv),
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    steps = [
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "-r",
            "binder/requirements.txt",
        ],
        ["bash", "binder/postBuild"],
    ]
    for step in steps:
        done = subprocess.run(step, cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, (
            f"{' '.join(step)} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}"
        )
    return venv / "bin", home


@pytest.fixture(params=["this-venv", "fresh-venv"])
def binder_env(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Path]:
    """Where `jupyter` comes from and the HOME the server runs with."""
    if request.param == "fresh-venv":
        return request.getfixturevalue("fresh_binder_venv")
    return Path(sys.executable).parent, tmp_path


def test_binder_start_serves_the_demo_with_collaboration(tmp_path: Path, binder_env):
    """binder/start as Binder runs it (its command appended): a real server, in this venv and
    in a fresh one that only the Binder steps set up."""
    bin_dir, home = binder_env
    port = free_port()
    env = {
        **os.environ,
        "HOME": str(home),
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "JUPYTER_CONFIG_DIR": str(tmp_path / ".jupyter"),
        "JUPYTER_DATA_DIR": str(tmp_path / ".local/share/jupyter"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    command = [str(BINDER / "start"), "jupyter", "lab", "--no-browser", f"--port={port}"]
    command += [f"--IdentityProvider.token={TOKEN}", "--ip=127.0.0.1", "--allow-root"]
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "server.log").read_text()[-3000:]
            try:
                if _request(base + "api/status")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the Binder server did not start within 60 s"
            time.sleep(0.2)

        demo = home / "vxkit-demo"
        for unit in curriculum_units():  # every unit, in every team folder
            for team in ("team_rivers", "team_forests"):
                assert (demo / "projects" / team / f"{unit}.ipynb").is_file()
        urlpath = parse_qs(urlsplit(binder_link("meet_partners")).query)["urlpath"][0]
        status, page = _request(base + urlpath)
        assert status == 200 and b"JupyterLab" in page
        notebook_path = urlpath.removeprefix("lab/tree/")
        status, body = _request(base + "api/contents/" + notebook_path)
        assert status == 200 and json.loads(body)["type"] == "notebook"

        status, body = _request(
            base + "api/collaboration/session/" + notebook_path,
            "PUT",
            {"format": "json", "type": "notebook"},
        )
        assert status in (200, 201) and json.loads(body)["fileId"]  # collaboration is on
        assert (demo / ".vxkit" / "file_id.db").is_file()  # stores kept inside the workspace

        status, body = _request(base + "vxkit/api/exchange")
        assert status == 200, body
        assert json.loads(body)["title"].startswith("Our World in Data")
        # the server really ran from the environment under test
        served_from = f"JupyterLab extension loaded from {bin_dir.parent}"
        assert served_from in (tmp_path / "server.log").read_text()
    finally:
        stop_process_group(server)
        log.close()


def test_readme_badge_is_the_link_of_the_first_unit():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"({binder_link('meet_partners')})" in readme


def test_start_leaves_hub_users_alone():
    """The Binder image also serves school hubs: there the demo settings must stay off."""
    show = [str(BINDER / "start"), "sh", "-c", 'echo "${JUPYTER_CONFIG_PATH:-none}"']
    binder = subprocess.run(show, capture_output=True, text=True, check=True).stdout.strip()
    assert binder.split(":")[0] == str(BINDER / "jupyter-config")
    env = {**os.environ, "VXKIT_HUB": "vx-rivers_2027"}  # as vxkit hub-config sets it
    env.pop("JUPYTER_CONFIG_PATH", None)
    hub = subprocess.run(show, capture_output=True, text=True, check=True, env=env).stdout
    assert hub.strip() == "none"

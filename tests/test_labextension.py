"""The JupyterLab extension (extensions/vxkit) ships prebuilt in the wheel: a plain
``pip install`` of the wheel is enough for JupyterLab to load it, and the development install
(``make venv``) serves the build from the checkout."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

BIN = Path(sys.executable).parent
LABEXT = "vxkit-0.1.0.data/data/share/jupyter/labextensions/vxkit/"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def labextension_list(env: dict[str, str] | None = None) -> str:
    """What ``jupyter labextension list`` prints, without colours."""
    out = subprocess.run(
        [str(BIN / "jupyter"), "labextension", "list"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    return ANSI.sub("", out.stdout + out.stderr)


def test_the_wheel_ships_the_prebuilt_extension(vxkit_wheel):
    wheel, seconds = vxkit_wheel
    print(f"wheel with the extension built from scratch in {seconds:.0f} s")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        meta = json.loads(archive.read(LABEXT + "package.json"))
        install = json.loads(archive.read(LABEXT + "install.json"))
    assert meta["name"] == "vxkit"
    entry = meta["jupyterlab"]["_build"]["load"]
    assert LABEXT + entry in names  # static/remoteEntry.<hash>.js
    assert LABEXT + "schemas/vxkit/plugin.json" in names
    assert install["packageName"] == "vxkit"
    # the front end's translations, and the entry point JupyterLab finds them by
    assert "vxkit/locale/fr_FR/LC_MESSAGES/vxkit.json" in names
    with zipfile.ZipFile(wheel) as archive:
        points = archive.read("vxkit-0.1.0.dist-info/entry_points.txt").decode()
    assert "[jupyterlab.locale]\nvxkit = vxkit" in points
    # the build output only, never the sources or npm's packages
    assert not [n for n in names if "node_modules" in n or n.endswith(".ts")]


def test_a_plain_pip_install_of_the_wheel_has_it_enabled_and_ok(vxkit_wheel, tmp_path):
    wheel, _ = vxkit_wheel
    # a throwaway environment of its own (pip --prefix would uninstall the dev install)
    env_dir = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", env_dir], check=True)
    pip = [sys.executable, "-m", "pip", "--python", env_dir / "bin" / "python"]
    subprocess.run(
        [*pip, "install", "--quiet", "--no-deps", wheel],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = {"PATH": str(BIN), "JUPYTER_PATH": str(env_dir / "share" / "jupyter")}
    listing = labextension_list(env)
    assert re.search(r"^\s+vxkit v0\.1\.0 enabled OK \(python, vxkit\)$", listing, re.M), listing


def test_the_development_install_serves_the_checkouts_build():
    """``make venv`` links the venv's labextension folder to the build in the checkout."""
    listing = labextension_list()
    assert re.search(r"^\s+vxkit v0\.1\.0 enabled OK", listing, re.M), listing
    linked = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "vxkit"
    repo = Path(__file__).resolve().parent.parent
    assert linked.resolve() == (repo / "vxkit" / "labextension").resolve()

"""What a sandboxed kernel is granted, which mechanism is chosen, and the launcher's errors."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from vxkit import sandbox
from vxkit.areas import area_of
from vxkit.sandbox import landlock, mechanisms, seccomp
from vxkit.workspace import Workspace

from .conftest import require


def _grants(ws: Workspace, tmp_path: Path) -> sandbox.Grants:
    return sandbox.grants_for(
        ws.root,
        area_of(ws.root, "projects/team_rivers"),
        private=tmp_path / "private",
        connection_file=str(tmp_path / "runtime" / "kernel-1.json"),
        ports=(5001,),
    )


def test_a_team_kernel_writes_its_folder_and_reads_shared_release_and_python(
    demo_workspace: Workspace, tmp_path: Path
) -> None:
    ws = demo_workspace
    grants = _grants(ws, tmp_path)
    assert str(ws.team_dir("team_rivers")) in grants.write
    assert str(tmp_path / "private") in grants.write
    for path in (ws.shared_dir, ws.course_dir / "release", sys.base_prefix):
        assert str(path) in grants.read
    assert str(ws.exchange_file) not in grants.read  # every roster: kernels get their view
    assert str(tmp_path / "runtime" / "kernel-1.json") in grants.read
    everything = [Path(p) for p in (*grants.read, *grants.write)]
    for secret in (ws.course_dir, ws.state_dir, ws.team_dir("team_forests"), tmp_path / "runtime"):
        assert not any(p == secret or p in secret.parents for p in everything), secret
    assert grants.bind_ports == (5001,)


def test_python_paths_that_would_open_the_workspace_or_home_are_left_out(
    demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = demo_workspace
    venv = ws.root / ".venv"
    (venv / "lib").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    # a server started from course/ (or with odd PYTHONPATHs) has these on sys.path
    odd = [str(ws.course_dir), str(ws.root), "/", str(Path.home()), str(ws.state_dir)]
    monkeypatch.setattr(sys, "path", [*sys.path, *odd, str(venv / "lib")])
    grants = _grants(ws, tmp_path)
    for path in odd:
        assert os.path.realpath(path) not in grants.read, path
    assert str(venv / "lib") in grants.read


def test_older_landlock_abis_get_the_rights_they_know() -> None:
    assert landlock.fs_rights(1) & landlock.REFER == 0
    assert landlock.fs_rights(2) & landlock.REFER
    assert landlock.fs_rights(3) & landlock.TRUNCATE
    assert landlock.fs_rights(4) & landlock.IOCTL_DEV == 0
    assert landlock.fs_rights(7) & landlock.IOCTL_DEV


def test_rules_made_for_abi_1_confine_files_but_not_the_network(tmp_path: Path) -> None:
    """On an old kernel (ABI 1, as Linux 5.13) files are confined; TCP can't be."""
    require("landlock")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    (tmp_path / "secret").write_text("x", encoding="utf-8")
    code = f"""
import socket, sys
from vxkit.sandbox import landlock, mechanisms
landlock.restrict(landlock.Rules(read=tuple(sys.path) + ("/usr", "/lib", {sys.base_prefix!r})), abi=1)
try:
    open({str(tmp_path / "secret")!r})
    print("read")
except PermissionError:
    print("denied")
socket.create_connection(("127.0.0.1", {server.getsockname()[1]})).close()
print("connected")
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd="/"
    )
    server.close()
    assert done.stdout.split() == ["denied", "connected"], done.stderr


def test_the_mechanism_is_chosen_and_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    assert sandbox.choose("none").mechanism is None
    with pytest.raises(ValueError, match="VXKIT_SANDBOX='sandboxy' is not a sandbox mechanism"):
        sandbox.choose("sandboxy")
    monkeypatch.setattr(landlock, "abi_version", lambda: 0)
    monkeypatch.setattr(mechanisms, "bubblewrap_works", lambda: False)
    monkeypatch.setattr(mechanisms.shutil, "which", lambda name: None)
    status = sandbox.choose("auto")
    assert status.mechanism is None
    assert str(status).startswith("Kernels can't be sandboxed on this machine: ")
    assert "bubblewrap" in str(status)
    assert str(sandbox.choose("bubblewrap")) == (
        "Kernels can't be sandboxed with bubblewrap: bwrap is not installed."
    )
    monkeypatch.setattr(landlock, "abi_version", lambda: 3)
    old = sandbox.choose("auto")
    assert old.mechanism == "landlock"
    assert "can't stop their TCP connections and signals" in str(old)
    monkeypatch.setattr(landlock, "abi_version", lambda: 7)
    monkeypatch.setenv("VXKIT_SANDBOX", "landlock")
    assert "(Landlock ABI 7)" in str(sandbox.sandbox_status())


def test_the_launcher_says_what_went_wrong() -> None:
    launcher = [sys.executable, "-m", "vxkit.sandbox"]
    missing = subprocess.run([*launcher, "--mechanism", "landlock"], capture_output=True, text=True)
    assert missing.returncode == 2
    assert "the kernel command is missing after --" in missing.stderr
    if landlock.abi_version() >= 1:
        gone = subprocess.run(
            [*launcher, "--mechanism", "landlock", "--", "/no/such/kernel"],
            capture_output=True,
            text=True,
        )
        assert gone.returncode == 70
        assert gone.stderr.startswith("vxkit: the kernel could not be sandboxed (landlock): ")


def test_the_kernel_environment_is_an_allowlist(tmp_path: Path) -> None:
    from jupyter_client.kernelspec import KernelSpec

    from vxkit.sandbox.provisioner import VxkitSandboxProvisioner

    spec = KernelSpec(argv=["python"], language="python", env={"MY_KERNEL_SETTING": "1"})
    prov = VxkitSandboxProvisioner(kernel_id="k", kernel_spec=spec, parent=None)
    env = prov.kernel_env(
        {
            "PATH": "/usr/bin",
            "LANG": "fr_FR.UTF-8",
            "LC_ALL": "fr_FR.UTF-8",
            "JPY_SESSION_NAME": "projects/team_rivers/a.ipynb",
            "JUPYTERHUB_API_TOKEN": "secret",
            "JUPYTER_TOKEN": "secret",
            "AWS_SECRET_ACCESS_KEY": "secret",
            "HOME": "/root",
            "MY_KERNEL_SETTING": "1",
        },
        tmp_path,
    )
    assert "secret" not in env.values()
    assert env["HOME"] == str(tmp_path / "home") and env["TMPDIR"] == str(tmp_path / "tmp")
    assert env["LC_ALL"] == "fr_FR.UTF-8" and env["MY_KERNEL_SETTING"] == "1"
    assert env["JPY_SESSION_NAME"] == "projects/team_rivers/a.ipynb"
    assert env["VXKIT_CACHE_DIR"] == str(sandbox.data_cache_dir())


def _system_with_a_curriculum(tmp_path: Path) -> tuple[Path, Path]:
    """A made-up ``/usr`` whose ``local/share/vxkit/curriculum`` holds a solution, with a
    symbolic link to the curriculum and one back up to ``/usr`` itself."""
    usr = tmp_path / "usr"
    curriculum = usr / "local" / "share" / "vxkit" / "curriculum"
    (curriculum / "unit").mkdir(parents=True)
    (curriculum / "unit" / "individual.ipynb").write_text("### BEGIN SOLUTION")
    (usr / "local" / "share" / "vxkit" / "templates").mkdir()
    (usr / "lib").mkdir()
    (usr / "lib" / "module.py").write_text("print('imported')")
    (usr / "local" / "bin").mkdir()
    (usr / "shortcut").symlink_to(curriculum)
    (usr / "local" / "share" / "up").symlink_to(usr)
    return usr, curriculum


def _confined(
    mechanism: str,
    tmp_path: Path,
    probe: str,
    read: tuple[str, ...] = (),
    listed: tuple[str, ...] = (),
) -> subprocess.CompletedProcess:
    """``probe`` (Python) run by the launcher with a team kernel's grants under ``tmp_path``
    as its workspace, plus ``read`` and ``listed``."""
    grants = sandbox.grants_for(
        tmp_path,
        area_of(tmp_path, "projects/a"),
        private=tmp_path / "private",
        connection_file=str(tmp_path / "kernel.json"),
    )
    args = ["--mechanism", mechanism, "--chdir", str(tmp_path)]
    for path in [*grants.read, *read]:
        args += ["--read", path]
    for path in [*grants.listed, *listed]:
        args += ["--list", path]
    return subprocess.run(
        [sys.executable, "-m", "vxkit.sandbox", *args, "--", sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_hidden_folder_is_cut_out_of_the_folder_that_holds_it(tmp_path: Path) -> None:
    usr, curriculum = _system_with_a_curriculum(tmp_path)
    read, listed = sandbox.grants.around([str(usr), str(curriculum / "unit")], [curriculum])
    assert str(usr / "lib") in read and str(usr / "local" / "bin") in read
    assert str(usr / "local" / "share" / "vxkit" / "templates") in read
    assert not [p for p in read if os.path.realpath(p).startswith(str(curriculum))], read
    assert str(usr) not in read and str(usr) in listed  # listed only: Python's importer
    assert listed == [
        str(usr),
        *(str(usr / p) for p in ("local", "local/share", "local/share/vxkit")),
    ]
    assert sandbox.grants.around([str(usr / "lib")], [curriculum]) == ([str(usr / "lib")], [])


def test_the_kits_curriculum_is_out_of_a_kernels_reach(mechanism: str, tmp_path: Path) -> None:
    usr, curriculum = _system_with_a_curriculum(tmp_path)
    read, listed = sandbox.grants.around([str(usr)], [curriculum])
    probe = (
        "import os, sys\n"
        f"sys.path.insert(0, {str(usr / 'lib')!r})\n"
        "import module\n"
        f"print(sorted(os.listdir({str(usr)!r})))\n"
        f"for path in ({str(curriculum / 'unit' / 'individual.ipynb')!r}, "
        f"{str(usr / 'shortcut' / 'unit' / 'individual.ipynb')!r}):\n"
        "    try:\n"
        "        print('READ', open(path).read())\n"
        "    except OSError as err:\n"
        "        print('DENIED', type(err).__name__)\n"
    )
    done = _confined(mechanism, tmp_path, probe, tuple(read), tuple(listed))
    assert "imported" in done.stdout, (done.stdout, done.stderr)
    assert "'lib'" in done.stdout  # the folder around it can be listed
    assert done.stdout.count("DENIED") == 2 and "SOLUTION" not in done.stdout, done.stdout


def test_a_landlock_kernel_opens_no_unix_socket(tmp_path: Path) -> None:
    """Landlock doesn't cover named unix sockets: a confined kernel would talk to what
    listens on one (a local PostgreSQL gradebook, Docker's socket) as the server's user. A
    socketpair, as asyncio makes, still works."""
    require("landlock")
    if not seccomp.supported():
        pytest.skip("no seccomp filter for this architecture")
    place = tmp_path / "run"
    place.mkdir()
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(place / "gradebook.sock"))
    listener.listen(1)
    probe = (
        "import socket\n"
        "a, b = socket.socketpair(); a.sendall(b'x'); print('PAIR', b.recv(1))\n"
        "try:\n"
        "    s = socket.socket(socket.AF_UNIX)\n"
        f"    s.connect({str(place / 'gradebook.sock')!r})\n"
        "    print('CONNECTED')\n"
        "except OSError as err:\n"
        "    print('REFUSED', err.errno)\n"
    )
    try:
        done = _confined("landlock", tmp_path, probe)
    finally:
        listener.close()
    assert "PAIR b'x'" in done.stdout, (done.stdout, done.stderr)
    assert "CONNECTED" not in done.stdout and "REFUSED 13" in done.stdout, done.stdout

"""A student's kernel tries to get at what isn't theirs: every attempt fails when sandboxed.

Real kernels started by jupyter_client's KernelManager through the ``vxkit-sandbox``
provisioner, on the demo workspace; the same attacks on a stock kernel succeed (so these
tests can fail). The test process plays the server (its pid, a listening port, its runtime
folder of connection files).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import SECRET, SECRET_ENV, Classroom, require, run

ATTACKS = """
import json, os, signal, socket

def attempt(fn):
    try:
        fn()
        return "OK"
    except Exception as err:
        return f"{{type(err).__name__}}: {{err}}"

def read(path):
    with open(path, "rb") as handle:
        return handle.read()

def see_in(folder, name):
    if name not in os.listdir(folder):
        raise FileNotFoundError(f"{{name}} is not in {{folder}}")

def abstract(name):
    sock = socket.socket(socket.AF_UNIX)
    sock.settimeout(5)
    sock.connect("\\0" + name)
    sock.close()

def write(path):
    with open(path, "w") as handle:
        handle.write("taken over")

results = {{
    "read the solutions": attempt(lambda: os.listdir({source!r})),
    "read the gradebook": attempt(lambda: read({gradebook!r})),
    "write into course/": attempt(lambda: write({course_file!r})),
    "read the join secrets": attempt(lambda: read({links!r})),
    "write into .vxkit/": attempt(lambda: write({state_file!r})),
    "list another team": attempt(lambda: os.listdir({other_team!r})),
    "read another team": attempt(lambda: read({other_notes!r})),
    "write into another team": attempt(lambda: write({other_file!r})),
    "list other kernels in the runtime folder": attempt(lambda: see_in({runtime!r}, {other_name!r})),
    "read another kernel's connection file": attempt(lambda: read({other_connection!r})),
    "read the server's environment": attempt(lambda: read("/proc/{pid}/environ")),
    "connect to the server's port": attempt(
        lambda: socket.create_connection(("127.0.0.1", {port}), timeout=5).close()
    ),
    "signal the server": attempt(lambda: os.kill({pid}, 0)),
    # a hard link can't be told from the file: the HTTP doors would serve it as the team's
    "hard-link the gradebook into the own folder": attempt(
        lambda: os.link({gradebook!r}, "gradebook-copy.db")
    ),
    "rename a file of another team into the own folder": attempt(
        lambda: os.rename({other_notes!r}, "taken.txt")
    ),
    "connect to the server's abstract unix socket": attempt(lambda: abstract({abstract!r})),
    "see the server's secrets in the environment": (
        "OK" if os.environ.get({secret_env!r}) == {secret!r} else "KeyError: not inherited"
    ),
}}
print(json.dumps(results))
"""


def attacks(classroom: Classroom) -> str:
    """The attack code, aimed at this classroom; it prints attack -> "OK" or the error."""
    ws = classroom.ws
    code = ATTACKS.format(
        source=str(ws.course_dir / "source"),
        gradebook=str(ws.course_dir / "gradebook.db"),
        course_file=str(ws.course_dir / "source" / "planted.py"),
        links=str(ws.state_dir / "links.json"),
        state_file=str(ws.state_dir / "planted.json"),
        other_team=str(ws.team_dir("team_forests")),
        other_notes=str(ws.team_dir("team_forests") / "notes.txt"),
        other_file=str(ws.team_dir("team_forests") / "planted.txt"),
        runtime=str(classroom.runtime),
        other_connection=str(classroom.other_connection_file),
        other_name=classroom.other_connection_file.name,
        pid=os.getpid(),
        port=classroom.server_port,
        abstract=classroom.abstract_name,
        secret_env=SECRET_ENV,
        secret=SECRET,
    )
    return code


FAILS_WITH = (
    "PermissionError",
    "FileNotFoundError",
    "ConnectionRefusedError",
    "ProcessLookupError",
    "KeyError",
    # Landlock's answer to a link or rename across the folders it grants (EXDEV)
    "OSError: [Errno 18] Invalid cross-device link",
)


def test_a_sandboxed_team_kernel_reaches_nothing_of_anyone_else(
    classroom: Classroom, kernel, mechanism: str
) -> None:
    name = classroom.kernel_spec(
        "sandboxed", "vxkit-sandbox", workspace_root=str(classroom.ws.root), mechanism=mechanism
    )
    kc = kernel(name, classroom.ws.team_dir("team_rivers"))
    results = json.loads(run(kc, attacks(classroom)))
    succeeded = {k: v for k, v in results.items() if not v.startswith(FAILS_WITH)}
    assert succeeded == {}
    assert len(results) == 17
    assert not (classroom.ws.team_dir("team_rivers") / "gradebook-copy.db").exists()
    assert (classroom.ws.team_dir("team_forests") / "notes.txt").exists()
    planted = [
        classroom.ws.course_dir / "source" / "planted.py",
        classroom.ws.state_dir / "planted.json",
        classroom.ws.team_dir("team_forests") / "planted.txt",
    ]
    assert not any(p.exists() for p in planted)


def test_the_same_attacks_succeed_on_a_stock_kernel(classroom: Classroom, kernel) -> None:
    name = classroom.kernel_spec("stock", "local-provisioner")
    kc = kernel(name, classroom.ws.team_dir("team_rivers"))
    results = json.loads(run(kc, attacks(classroom)))
    assert results == dict.fromkeys(results, "OK")
    assert (classroom.ws.state_dir / "planted.json").read_text() == "taken over"


def test_a_teachers_kernel_is_not_confined(classroom: Classroom, kernel, mechanism: str) -> None:
    """A notebook in course/source (teacher only) gets a stock kernel from the same spec."""
    name = classroom.kernel_spec(
        "sandboxed", "vxkit-sandbox", workspace_root=str(classroom.ws.root), mechanism=mechanism
    )
    kc = kernel(name, classroom.ws.course_dir / "source")
    results = json.loads(run(kc, attacks(classroom)))
    assert results == dict.fromkeys(results, "OK")


def test_the_sandboxed_kernel_has_its_own_folder_shared_and_a_private_home(
    classroom: Classroom, kernel, mechanism: str
) -> None:
    ws = classroom.ws
    (ws.shared_dir / "facts.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    name = classroom.kernel_spec(
        "sandboxed", "vxkit-sandbox", workspace_root=str(ws.root), mechanism=mechanism
    )
    kc = kernel(name, ws.team_dir("team_rivers"))
    out = run(
        kc,
        "import os, pathlib, tempfile\n"
        "pathlib.Path('ours.txt').write_text('ours')\n"
        f"print(open({str(ws.shared_dir / 'facts.csv')!r}).read().splitlines()[1])\n"
        "home = pathlib.Path.home(); (home / 'history').write_text('x')\n"
        "print(oct(home.parent.stat().st_mode & 0o777), tempfile.gettempdir().startswith(str(home.parent)))\n"
        f"print(os.path.realpath({str(ws.root)!r}) not in str(home))\n"
        "import glob\n"
        "print(len(glob.glob(os.environ['MPLCONFIGDIR'] + '/fontlist-*.json')))\n"
        "try:\n"
        f"    open({str(ws.shared_dir / 'planted.csv')!r}, 'w')\n"
        "except OSError as err:\n"
        "    print(type(err).__name__)\n",
    )
    # matplotlib's font list comes pre-built (vxkit.sandbox.prewarm)
    assert out.split() == ["1,2", "0o700", "True", "True", "1", out.split()[-1]]
    assert out.split()[-1] in ("PermissionError", "OSError")
    assert (ws.team_dir("team_rivers") / "ours.txt").read_text() == "ours"


def test_numpy_pandas_widgets_and_maps_work_in_a_sandboxed_team_notebook(
    classroom: Classroom, mechanism: str
) -> None:
    """The demo's team notebook (pandas, ExchangeMap, PartnerBoard, TimeZonePlanner) runs
    top to bottom in a sandboxed kernel, maps read from the pre-warmed cache."""
    ws = classroom.ws
    name = classroom.kernel_spec(
        "sandboxed", "vxkit-sandbox", workspace_root=str(ws.root), mechanism=mechanism
    )
    path = ws.team_dir("team_rivers") / "meet_partners.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "import numpy, os, time\n"
            "from vxkit.data.geo import boundaries\n"
            "from vxkit.data.sources import cache_dir\n"
            "def writable(folder):\n"
            "    try:\n"
            "        (folder / 'planted').write_text('x')\n"
            "        return True\n"
            "    except OSError:\n"
            "        return False\n"
            "t = time.perf_counter(); world = boundaries()\n"
            "print('SANDBOX', len(world['features']) > 150, time.perf_counter() - t < 5,"
            " writable(cache_dir()), float(numpy.arange(4).sum()))"
        )
    )
    km = classroom.manager(name)
    client = NotebookClient(
        nb,
        km=km,
        timeout=180,
        startup_timeout=60,
        resources={"metadata": {"path": str(path.parent)}},
    )
    started = time.perf_counter()
    try:
        client.execute()
    finally:
        km.shutdown_kernel(now=True)
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert errors == []
    last = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    assert last.split() == ["SANDBOX", "True", "True", "False", "6.0"]
    html = json.dumps([c.outputs for c in nb.cells if c.cell_type == "code"])
    assert "leaflet" in html.lower()  # the map was drawn
    assert time.perf_counter() - started < 170


def test_without_any_sandbox_students_kernels_are_refused(
    classroom: Classroom, kernel, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = classroom.kernel_spec(
        "nothing", "vxkit-sandbox", workspace_root=str(classroom.ws.root), mechanism="none"
    )
    with pytest.raises(RuntimeError, match="--unsafe-kernels"):
        kernel(name, classroom.ws.team_dir("team_rivers"))


def test_the_provisioner_refuses_to_guess_the_workspace(
    classroom: Classroom, kernel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VXKIT_WORKSPACE_ROOT", raising=False)
    name = classroom.kernel_spec("rootless", "vxkit-sandbox")
    with pytest.raises(RuntimeError, match="VXKIT_WORKSPACE_ROOT"):
        kernel(name, classroom.ws.team_dir("team_rivers"))


def test_an_exchange_toml_planted_in_a_team_folder_changes_nothing(
    classroom: Classroom, kernel, mechanism: str
) -> None:
    """A student who makes their folder look like a workspace root is still confined."""
    ws = classroom.ws
    team = ws.team_dir("team_rivers")
    (team / "exchange.toml").write_text(ws.exchange_file.read_text())
    name = classroom.kernel_spec(
        "sandboxed", "vxkit-sandbox", workspace_root=str(ws.root), mechanism=mechanism
    )
    kc = kernel(name, team)
    results = json.loads(run(kc, attacks(classroom)))
    assert [v for v in results.values() if not v.startswith(FAILS_WITH)] == []


def reply_to(get: Callable[..., dict], msg_id: str, match: Callable[[dict], bool] = bool) -> dict:
    """The next message from ``get`` answering request ``msg_id`` that ``match`` accepts."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        msg = get(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") == msg_id and match(msg):
            return msg
    raise AssertionError(f"no reply to {msg_id} in 30 s")


def test_a_sandboxed_kernel_can_be_interrupted_and_restarted(
    classroom: Classroom, mechanism: str
) -> None:
    """As the server does it: SIGINT to the kernel's process group, then a restart."""
    name = classroom.kernel_spec(
        "sandboxed", "vxkit-sandbox", workspace_root=str(classroom.ws.root), mechanism=mechanism
    )
    km = classroom.manager(name)
    km.start_kernel(cwd=str(classroom.ws.team_dir("team_rivers")))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        # stop_on_error=False: the next request isn't aborted for the interrupted one's error
        msg_id = kc.execute("import time; time.sleep(60)", stop_on_error=False)
        # interrupt only once the cell runs, and read its own reply: under load
        # wait_for_ready may leave extra kernel_info replies ("ok") on the shell channel
        reply_to(kc.get_iopub_msg, msg_id, lambda m: m["content"].get("execution_state") == "busy")
        time.sleep(0.5)
        km.interrupt_kernel()
        reply = reply_to(kc.get_shell_msg, msg_id)
        assert reply["content"]["status"] == "error"
        assert reply["content"]["ename"] == "KeyboardInterrupt"
        assert km.is_alive()
        assert run(kc, "print(6 * 7)").strip() == "42"
        km.restart_kernel(now=True)
        kc.wait_for_ready(timeout=60)
        out = run(kc, attacks(classroom))
        assert all(v.startswith(FAILS_WITH) for v in json.loads(out).values())
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert km.provisioner is None or not getattr(km.provisioner, "private_dir", None)


def test_code_planted_in_the_team_folder_never_runs_before_the_sandbox(
    classroom: Classroom, kernel, mechanism: str
) -> None:
    """The launcher starts in the team folder: a planted ``vxkit`` package (or any module it
    imports) there must not be imported by it, or it would run unconfined."""
    ws = classroom.ws
    team = ws.team_dir("team_rivers")
    loot = ws.team_dir("team_rivers") / "loot.txt"
    steal = f"open({str(loot)!r}, 'w').write(open({str(ws.state_dir / 'links.json')!r}).read())\n"
    for module in ("vxkit/__init__.py", "vxkit/sandbox/__init__.py", "vxkit/sandbox/__main__.py"):
        (team / module).parent.mkdir(parents=True, exist_ok=True)
        (team / module).write_text(steal, encoding="utf-8")
    for module in ("argparse", "ctypes", "shutil", "dataclasses", "functools", "subprocess"):
        (team / f"{module}.py").write_text(steal, encoding="utf-8")
    name = classroom.kernel_spec(
        "sandboxed", "vxkit-sandbox", workspace_root=str(ws.root), mechanism=mechanism
    )
    try:
        kc = kernel(name, team)
        run(kc, "print(1)")
    except RuntimeError:
        pass  # a kernel that can't start because of the planted files is fine too
    assert not loot.exists()


def test_a_notebook_reached_through_a_symlink_in_a_team_folder_stays_confined(
    classroom: Classroom, kernel, mechanism: str
) -> None:
    """A kernel can make a symlink in its own folder to course/; a notebook opened through it
    would otherwise have a teacher's (unconfined) kernel."""
    ws = classroom.ws
    link = ws.team_dir("team_rivers") / "answers"
    link.symlink_to(ws.course_dir / "source")
    name = classroom.kernel_spec(
        "sandboxed", "vxkit-sandbox", workspace_root=str(ws.root), mechanism=mechanism
    )
    try:
        kc = kernel(name, link)
    except RuntimeError:
        return  # refused outright: fine
    results = json.loads(run(kc, attacks(classroom)))
    assert [v for v in results.values() if not v.startswith(FAILS_WITH)] == []


def test_a_landlock_kernel_may_connect_to_its_own_shell_port_only(
    classroom: Classroom, kernel
) -> None:
    """ipykernel's debugger connects to the kernel's own shell socket (measured with strace:
    the only TCP connection a kernel makes); every other port stays closed."""
    require("landlock")
    name = classroom.kernel_spec(
        "sandboxed", "vxkit-sandbox", workspace_root=str(classroom.ws.root), mechanism="landlock"
    )
    kc = kernel(name, classroom.ws.team_dir("team_rivers"))
    out = run(
        kc,
        "import json, socket\n"
        "from ipykernel import get_connection_info\n"
        "info = json.loads(get_connection_info())\n"
        "socket.create_connection(('127.0.0.1', info['shell_port'])).close()\n"
        "try:\n"
        "    socket.create_connection(('127.0.0.1', info['iopub_port'])).close()\n"
        "except PermissionError:\n"
        "    print('iopub denied')\n",
    )
    assert out.strip() == "iopub denied"


def test_a_python_reached_through_a_symlinked_folder_still_runs(
    classroom: Classroom, kernel, mechanism: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A kernelspec naming ``/some/link/bin/python`` (a prefix under a symlink, as conda
    installs often are): bubblewrap mounts the path as spelt, not only the resolved one."""
    import sys

    link = tmp_path_factory.mktemp("elsewhere") / "python-env"
    link.symlink_to(Path(sys.prefix))
    name = classroom.kernel_spec(
        "linked", "vxkit-sandbox", workspace_root=str(classroom.ws.root), mechanism=mechanism
    )
    spec = json.loads((classroom.kernel_dirs / name / "kernel.json").read_text())
    spec["argv"][0] = str(link / "bin" / "python")
    (classroom.kernel_dirs / name / "kernel.json").write_text(json.dumps(spec))
    kc = kernel(name, classroom.ws.team_dir("team_rivers"))
    assert run(kc, "import sys, pandas; print(sys.executable)").strip() == spec["argv"][0]


def test_a_team_kernel_sees_its_team_in_the_exchange_and_no_other_pupil(
    classroom: Classroom, kernel, mechanism: str
) -> None:
    """The widgets read the exchange: a team's kernel gets the exchange as its team sees it
    (its own members, every class), never exchange.toml with every roster."""
    ws = classroom.ws
    exchange = ws.load()
    team = next(t for t in exchange.teams if t.id == "team_rivers")
    mine = sorted(n for names in team.members.values() for n in names)
    others = sorted({s.name for s in exchange.students()} - set(mine))
    name = classroom.kernel_spec(
        "sandboxed", "vxkit-sandbox", workspace_root=str(ws.root), mechanism=mechanism
    )
    kc = kernel(name, ws.team_dir("team_rivers"))
    code = (
        "import json\n"
        "from vxkit.workspace import find_workspace\n"
        "ex = find_workspace().load()\n"
        "print(json.dumps({'pupils': sorted(s.name for s in ex.students()),"
        " 'classes': len(ex.classes), 'teachers': [c.teacher for c in ex.classes]}))\n"
        "try:\n"
        f"    open({str(ws.exchange_file)!r}).read(); print('READ')\n"
        "except OSError as err:\n"
        "    print(type(err).__name__)\n"
    )
    lines = run(kc, code).strip().splitlines()
    seen = json.loads(lines[0])
    assert seen["pupils"] == mine
    assert not set(others) & set(seen["pupils"])
    assert seen["classes"] == len(exchange.classes)
    assert set(seen["teachers"]) == {""}
    assert lines[1] != "READ"

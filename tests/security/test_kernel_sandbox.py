"""Kernel reads from inside a student's own kernel: Chloé runs code in her team notebook's
kernel (which she may use) to reach what the server keeps from her.

These attacks fail only once the kernel sandbox (issue 10, "Sandboxed kernels") lands; every
test name here contains ``sandbox``: select them with ``-k sandbox``, leave them out with
``-k "not sandbox"``."""

from __future__ import annotations

import pytest

from .conftest import (
    GRADEBOOK,
    LINKS_FILE,
    SOLUTION_MARKER,
    SOURCE_NOTEBOOK,
    TEAM_A,
    TEAM_B,
    TEAM_B_MARKER,
    Browser,
    Server,
    run_code,
)


def probe_read(path: str) -> str:
    return (
        "try:\n"
        f"    data = open({path!r}, 'rb').read()\n"
        "    print('READ', len(data), data[:4000])\n"
        "except Exception as err:\n"
        "    print('DENIED', type(err).__name__, err)\n"
    )


async def in_own_kernel(chloe: Browser, session: dict, code: str) -> str:
    output = await run_code(chloe, session["kernel"]["id"], code)
    assert output is not None, "Chloé's own kernel did not answer: the attack tested nothing"
    return output


async def test_sandbox_own_folder_still_works(server: Server, chloe: Browser, team_a_session: dict):
    """Not an attack: the kernel reads and writes its own team folder and imports pandas."""
    path = server.root / TEAM_A / "sandbox_ok.txt"
    code = (
        f"open({str(path)!r}, 'w').write('ok')\n"
        "import pandas\n"
        f"print(open({str(path)!r}).read(), pandas.DataFrame({{'a': [1, 2]}}).a.sum())\n"
    )
    output = await in_own_kernel(chloe, team_a_session, code)
    assert "ok 3" in output, output


@pytest.mark.parametrize(
    ("target", "marker"),
    [
        (SOURCE_NOTEBOOK, SOLUTION_MARKER),
        (GRADEBOOK, "SQLite format 3"),
        (f"{TEAM_B}/secret_plan.txt", TEAM_B_MARKER),
        ("exchange.toml", "Chlo"),
    ],
    ids=["course-source", "gradebook", "other-team", "exchange-toml"],
)
async def test_sandbox_kernel_cannot_read_teacher_files(
    server: Server, chloe: Browser, team_a_session: dict, target: str, marker: str
):
    """Door: five lines of Python in Chloé's kernel read the solutions, the gradebook, team
    B's folder or the roster file."""
    output = await in_own_kernel(chloe, team_a_session, probe_read(str(server.root / target)))
    assert "DENIED" in output and marker not in output, output[:300]


async def test_sandbox_kernel_cannot_read_workspace_secret(
    server: Server, chloe: Browser, team_a_session: dict
):
    """Door: Chloé's kernel reads `.vxkit/links.json` (the teacher code and the secret that
    signs identities)."""
    output = await in_own_kernel(chloe, team_a_session, probe_read(str(server.root / LINKS_FILE)))
    for marker in server.links_secret_markers():
        assert marker not in output, "the kernel read the workspace secret"
    assert "DENIED" in output, output[:300]


async def test_sandbox_kernel_cannot_read_runtime_folder(
    server: Server, chloe: Browser, team_a_session: dict
):
    """Door: Chloé's kernel lists the runtime folder and reads the cookie key and the server
    info file (token included)."""
    code = (
        "import os, glob\n"
        f"rt = {str(server.runtime_dir)!r}\n"
        "for p in [os.path.join(rt, 'jupyter_cookie_secret')] + glob.glob(rt + '/jpserver-*'):\n"
        "    try:\n"
        "        print('READ', p, open(p).read())\n"
        "    except Exception as err:\n"
        "        print('DENIED', type(err).__name__)\n"
        "try:\n"
        "    print('LIST', os.listdir(rt))\n"
        "except Exception as err:\n"
        "    print('DENIED listing', type(err).__name__)\n"
    )
    output = await in_own_kernel(chloe, team_a_session, code)
    assert server.token not in output, "the kernel read the server's token"
    assert server.cookie_key.decode().strip() not in output, "the kernel read the cookie key"
    assert "READ" not in output and "LIST" not in output, output[:300]


async def test_sandbox_kernel_cannot_read_other_kernels_connection_file(
    server: Server, chloe: Browser, team_a_session: dict, team_b_session: dict
):
    """Door: Chloé's kernel reads team B's kernel connection file (its ZeroMQ key), then
    talks to Lucas's kernel directly."""
    path = server.runtime_dir / f"kernel-{team_b_session['kernel']['id']}.json"
    output = await in_own_kernel(chloe, team_a_session, probe_read(str(path)))
    assert "DENIED" in output and '"key"' not in output, output[:300]


async def test_sandbox_kernel_cannot_read_server_environment(
    server: Server, chloe: Browser, team_a_session: dict
):
    """Door: Chloé's kernel reads /proc/<server pid>/environ (JUPYTER_TOKEN), and its own
    environment, inherited from the server."""
    assert server.pid, "the harness did not find the server's pid"
    code = probe_read(f"/proc/{server.pid}/environ") + (
        "import os\nprint('ENV', {k: v for k, v in os.environ.items() if 'TOKEN' in k})\n"
    )
    output = await in_own_kernel(chloe, team_a_session, code)
    assert server.token not in output, "the kernel read the server's token"


async def test_sandbox_kernel_cannot_write_other_team_or_course(
    server: Server, chloe: Browser, team_a_session: dict
):
    """Door: Chloé's kernel writes into team B's folder and the nbgrader source."""
    targets = [server.root / TEAM_B / "from_chloe.txt", server.root / "course" / "from_chloe.txt"]
    code = "".join(
        f"try:\n    open({str(t)!r}, 'w').write('x')\nexcept Exception as err:\n"
        "    print('DENIED', type(err).__name__)\n"
        for t in targets
    )
    await in_own_kernel(chloe, team_a_session, code)
    assert not [t for t in targets if t.exists()]


async def test_sandbox_kernel_cannot_connect_to_the_server(
    server: Server, chloe: Browser, team_a_session: dict
):
    """Door: Chloé's kernel opens a TCP connection to the Jupyter server (with a stolen
    token, or to reach 127.0.0.1-only doors)."""
    code = (
        "import socket\n"
        "try:\n"
        f"    socket.create_connection(('127.0.0.1', {server.port}), timeout=3).close()\n"
        "    print('CONNECTED')\n"
        "except Exception as err:\n"
        "    print('DENIED', type(err).__name__)\n"
    )
    output = await in_own_kernel(chloe, team_a_session, code)
    assert "CONNECTED" not in output, output


async def test_sandbox_kernel_cannot_signal_the_server(
    server: Server, chloe: Browser, team_a_session: dict, teacher: Browser
):
    """Door: Chloé's kernel sends a signal to the server process (0 here: "may I?"; SIGSTOP
    would freeze the lesson)."""
    assert server.pid, "the harness did not find the server's pid"
    code = (
        "import os\n"
        "try:\n"
        f"    os.kill({server.pid}, 0)\n"
        "    print('SIGNALLED')\n"
        "except Exception as err:\n"
        "    print('DENIED', type(err).__name__)\n"
    )
    output = await in_own_kernel(chloe, team_a_session, code)
    assert "SIGNALLED" not in output, output
    assert teacher.get("api/status").status_code == 200

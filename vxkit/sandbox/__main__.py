"""The sandbox launcher: confine this process, then exec the kernel in its place.

    python -m vxkit.sandbox --mechanism landlock --read DIR ... --write DIR ... --list DIR ...
        --bind-port N ... --chdir DIR -- <kernel argv>

The Jupyter server is threaded, so the confinement is applied here, in a process of its
own, and never in a ``preexec_fn``. With Landlock the kernel keeps this process's id; with
bubblewrap this process becomes ``bwrap``, which runs the kernel in new namespaces.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys

from . import landlock, seccomp


def bwrap_argv(args: argparse.Namespace) -> list[str]:
    """The ``bwrap`` command that runs ``args.argv`` with only the granted folders mounted.

    Everything else is an empty tmpfs; the kernel gets new user, PID (so no server /proc),
    IPC and network namespaces: its ZMQ sockets are unix sockets in its private folder,
    which the server reaches from outside, and loopback TCP to the server doesn't exist.
    """
    out = [
        shutil.which("bwrap") or "bwrap",
        "--unshare-user",
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--unshare-net",
        "--die-with-parent",
        "--cap-drop",
        "ALL",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--tmpfs",
        "/tmp",
    ]
    for path in args.read:
        if os.path.islink(path) and os.path.dirname(path) == "/":
            out += ["--symlink", os.readlink(path), path]  # /bin -> usr/bin (merged /usr)
        elif os.path.exists(path) and not path.startswith(("/proc/", "/dev/")):
            out += ["--ro-bind", path, path]
    for path in args.write:
        if os.path.exists(path) and not path.startswith("/dev/"):
            out += ["--bind", path, path]
    out += ["--chdir", args.chdir, "--", *args.argv]
    return out


def parse(argv: list[str]) -> argparse.Namespace:
    """The launcher's arguments; the kernel's own argv follows ``--``."""
    parser = argparse.ArgumentParser(prog="python -m vxkit.sandbox", description=__doc__)
    parser.add_argument("--mechanism", choices=("landlock", "bubblewrap"), required=True)
    parser.add_argument("--read", action="append", default=[], help="a path to read")
    parser.add_argument("--write", action="append", default=[], help="a path to read and write")
    parser.add_argument(
        "--list",
        action="append",
        default=[],
        help="a folder whose entries may be listed, not read (bubblewrap lists what it mounts)",
    )
    parser.add_argument(
        "--bind-port", action="append", type=int, default=[], help="a TCP port to listen on"
    )
    parser.add_argument(
        "--connect-port", action="append", type=int, default=[], help="a TCP port to connect to"
    )
    parser.add_argument("--chdir", default=os.getcwd(), help="the kernel's working folder")
    parser.add_argument("argv", nargs=argparse.REMAINDER, help="-- then the kernel command")
    args = parser.parse_args(argv)
    if args.argv[:1] == ["--"]:
        args.argv = args.argv[1:]
    if not args.argv:
        parser.error("the kernel command is missing after --")
    return args


def main(argv: list[str] | None = None) -> None:
    """Confine, then exec the kernel; exit 70 with a sentence when confinement fails."""
    args = parse(sys.argv[1:] if argv is None else argv)
    try:
        if args.mechanism == "bubblewrap":
            # in its PID namespace the kernel's parent is bwrap's init: its parent poller would
            # take that for the server's death and quit; 1 turns the poller off, and
            # --die-with-parent does its job
            os.environ["JPY_PARENT_PID"] = "1"
            # an interrupt goes to the whole process group: bwrap must outlive it (the kernel
            # sets its own SIGINT handler while it runs code)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            cmd = bwrap_argv(args)
            os.execv(cmd[0], cmd)
        # this process's /proc entry (the kernel keeps its pid across exec), nobody else's
        own = (f"/proc/{os.getpid()}",)
        rules = landlock.Rules(
            read=(*args.read, *own),
            write=tuple(args.write),
            listed=tuple(args.list),
            bind_ports=tuple(args.bind_port),
            connect_ports=tuple(args.connect_port),
        )
        landlock.restrict(rules)
        if seccomp.supported():  # Landlock leaves named unix sockets open
            seccomp.refuse_unix_sockets()
        os.chdir(args.chdir)
        os.execvp(args.argv[0], args.argv)
    except OSError as err:
        print(
            f"vxkit: the kernel could not be sandboxed ({args.mechanism}): {err}", file=sys.stderr
        )
        sys.exit(70)


if __name__ == "__main__":
    main()

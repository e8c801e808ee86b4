"""Which sandbox this machine has: Landlock (and its ABI), bubblewrap, or none and why."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from . import landlock

#: ``VXKIT_SANDBOX``: auto (default), landlock, bubblewrap or none
MECHANISM_ENV = "VXKIT_SANDBOX"
MECHANISMS = ("auto", "landlock", "bubblewrap", "none")
#: the Landlock ABI from which auto prefers Landlock: TCP rules (4) and signal scoping (6)
FULL_LANDLOCK_ABI = 6


@dataclass(frozen=True)
class SandboxStatus:
    """Which mechanism confines kernels on this machine, and a sentence for the teacher."""

    mechanism: str | None  # "landlock", "bubblewrap" or None
    landlock_abi: int
    sentence: str

    def __str__(self) -> str:
        return self.sentence


@functools.cache
def bubblewrap_works() -> bool:
    """Whether ``bwrap`` is installed and can make an unprivileged sandbox here."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return False
    try:
        done = subprocess.run(
            [
                bwrap,
                "--unshare-user",
                "--unshare-pid",
                "--unshare-net",
                "--ro-bind",
                "/",
                "/",
                "true",
            ],
            capture_output=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def choose(preference: str | None = None) -> SandboxStatus:
    """The mechanism to use for ``preference`` (default: ``$VXKIT_SANDBOX`` or auto)."""
    preference = (preference or os.environ.get(MECHANISM_ENV) or "auto").strip().lower()
    if preference not in MECHANISMS:
        raise ValueError(
            f"{MECHANISM_ENV}={preference!r} is not a sandbox mechanism: use one of "
            + ", ".join(MECHANISMS)
            + "."
        )
    abi = landlock.abi_version()
    bwrap = preference in ("auto", "bubblewrap") and bubblewrap_works()
    if preference == "none":
        return SandboxStatus(None, abi, f"Kernels are not sandboxed ({MECHANISM_ENV}=none).")
    if preference in ("auto", "landlock") and abi >= FULL_LANDLOCK_ABI:
        return SandboxStatus(
            "landlock",
            abi,
            f"Students' kernels are sandboxed to their own area (Landlock ABI {abi}).",
        )
    if bwrap:
        return SandboxStatus(
            "bubblewrap", abi, "Students' kernels are sandboxed to their own area (bubblewrap)."
        )
    if preference in ("auto", "landlock") and abi >= 1:
        missing = "TCP connections and signals" if abi < 4 else "signals"
        return SandboxStatus(
            "landlock",
            abi,
            f"Students' kernels are sandboxed to their own area's files (Landlock ABI {abi}); "
            f"this Linux kernel can't stop their {missing} (Linux 6.12 or bubblewrap can).",
        )
    if preference == "bubblewrap":
        why = (
            "bwrap is not installed"
            if shutil.which("bwrap") is None
            else ("bwrap can't create a user namespace here")
        )
        return SandboxStatus(None, abi, f"Kernels can't be sandboxed with bubblewrap: {why}.")
    if sys.platform != "linux":
        why = f"Landlock and bubblewrap exist only on Linux, and this is {sys.platform}"
    elif abi == 0:
        why = "this Linux kernel has no Landlock and bubblewrap (Debian package bubblewrap) is missing or can't create a user namespace"
    else:
        why = "Landlock is switched off"
    return SandboxStatus(None, abi, f"Kernels can't be sandboxed on this machine: {why}.")


def sandbox_status() -> SandboxStatus:
    """Which mechanism confines kernels here: "landlock ABI n", "bubblewrap", or None and why.

    For the server to print at start; the choice follows ``$VXKIT_SANDBOX``.
    """
    return choose()


def kernel_env_for_workspace(ws_root: str | os.PathLike[str]) -> dict[str, str]:
    """Environment that makes jupyter_client in this process start sandboxed kernels.

    For processes that start kernels themselves (``vxkit grade``'s workers): every kernel gets
    the ``vxkit-sandbox`` provisioner, confined to the area of its working folder. Where
    nothing can sandbox, kernels run unconfined, as they did before (say so to the teacher).
    """
    # every setting explicit: a forkserver's workers inherit its environment, from whenever
    # it started, not this process's current one
    mechanism = choose().mechanism
    return {
        "JUPYTER_DEFAULT_PROVISIONER_NAME": "vxkit-sandbox",
        "VXKIT_WORKSPACE_ROOT": str(Path(ws_root).resolve()),
        MECHANISM_ENV: mechanism or "none",
        "VXKIT_UNSAFE_KERNELS": "1" if mechanism is None else "",
    }

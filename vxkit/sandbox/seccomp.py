"""No new unix sockets in a Landlock sandbox: a seccomp filter refuses ``socket(AF_UNIX)``.

Landlock (up to ABI 7) confines files, TCP and signals, but not connecting to a named unix
socket: a confined kernel could talk to whatever listens on one by a well-known path (a local
PostgreSQL gradebook with peer authentication, Docker's socket, a Jupyter server started with
``--sock``), as the server's own user. The filter makes ``socket(AF_UNIX, ...)`` fail with
EACCES; ``socketpair`` (what Python's asyncio and multiprocessing use in-process) still works.
Syscalls of another ABI than the machine's (i386 or x32 on x86-64) are refused outright, so
the filter can't be stepped around.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct

_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_LD_ABS_W = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_RET_K = 0x06  # BPF_RET | BPF_K
_AF_UNIX = 1
_X32_BIT = 0x40000000
#: machine -> (AUDIT_ARCH value, number of the socket syscall)
ARCHES = {
    "x86_64": (0xC000003E, 41),
    "aarch64": (0xC00000B7, 198),
}


class _Filter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint),
    ]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter))]


def program(arch: int, socket_nr: int) -> list[tuple[int, int, int, int]]:
    """The filter as (code, jump if true, jump if false, k): 7 is allow, 8 refuse."""
    deny = _RET_ERRNO | errno.EACCES
    return [
        (_LD_ABS_W, 0, 0, 4),  # 0: the syscall's ABI
        (_JEQ_K, 0, 6, arch),  # 1: another ABI: refuse
        (_LD_ABS_W, 0, 0, 0),  # 2: the syscall number
        (_JGE_K, 4, 0, _X32_BIT),  # 3: an x32 syscall: refuse
        (_JEQ_K, 0, 2, socket_nr),  # 4: not socket(): allow
        (_LD_ABS_W, 0, 0, 16),  # 5: its first argument, the family (low 32 bits)
        (_JEQ_K, 1, 0, _AF_UNIX),  # 6: AF_UNIX: refuse
        (_RET_K, 0, 0, _RET_ALLOW),  # 7
        (_RET_K, 0, 0, deny),  # 8
    ]


def supported() -> bool:
    """Whether this machine's architecture has a filter here."""
    return platform.machine() in ARCHES and struct.calcsize("P") == 8


def refuse_unix_sockets() -> None:
    """Install the filter in this process (and what it execs). Needs no_new_privs set (the
    Landlock launcher sets it first). Raises OSError when the kernel refuses the filter."""
    arch, socket_nr = ARCHES[platform.machine()]
    insns = program(arch, socket_nr)
    filters = (_Filter * len(insns))(*(_Filter(*i) for i in insns))
    prog = _Program(len(insns), filters)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"seccomp: {os.strerror(err)}")

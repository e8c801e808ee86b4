"""Linux Landlock through its three system calls (ctypes, no root needed).

``restrict`` confines the calling process (and everything it execs or forks) for good.
Rights the running kernel's Landlock ABI lacks are masked off, so the same rules work on
older kernels with less protection; ``abi_version`` says what the kernel has.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import sys
from collections.abc import Iterable

# system call numbers (the same on every architecture's generic table since Linux 5.13)
_SYS_CREATE_RULESET = 444
_SYS_ADD_RULE = 445
_SYS_RESTRICT_SELF = 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_RULE_NET_PORT = 2
_PR_SET_NO_NEW_PRIVS = 38

# filesystem rights (ABI in which each appeared)
EXECUTE = 1 << 0
WRITE_FILE = 1 << 1
READ_FILE = 1 << 2
READ_DIR = 1 << 3
REMOVE_DIR = 1 << 4
REMOVE_FILE = 1 << 5
MAKE_CHAR = 1 << 6
MAKE_DIR = 1 << 7
MAKE_REG = 1 << 8
MAKE_SOCK = 1 << 9
MAKE_FIFO = 1 << 10
MAKE_BLOCK = 1 << 11
MAKE_SYM = 1 << 12
REFER = 1 << 13  # ABI 2
TRUNCATE = 1 << 14  # ABI 3
IOCTL_DEV = 1 << 15  # ABI 5
_FS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
#: rights that apply to a file (the rest only to folders)
FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV

# network rights (ABI 4) and scopes (ABI 6)
NET_BIND_TCP = 1 << 0
NET_CONNECT_TCP = 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0
SCOPE_SIGNAL = 1 << 1

READ = EXECUTE | READ_FILE | READ_DIR
WRITE = (
    READ_FILE
    | READ_DIR
    | WRITE_FILE
    | REMOVE_DIR
    | REMOVE_FILE
    | MAKE_DIR
    | MAKE_REG
    | MAKE_SOCK
    | MAKE_FIFO
    | MAKE_SYM
    | REFER
    | TRUNCATE
)


class _RulesetAttr(ctypes.Structure):
    _fields_ = (
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    )


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = (("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32))


class _NetPortAttr(ctypes.Structure):
    _fields_ = (("allowed_access", ctypes.c_uint64), ("port", ctypes.c_uint64))


@functools.cache
def _libc() -> ctypes.CDLL:
    """The C library (loaded on first use: vxkit imports this module on every system)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return libc


def _syscall(number: int, *args: object) -> int:
    result = _libc().syscall(ctypes.c_long(number), *args)
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return int(result)


def abi_version() -> int:
    """The kernel's Landlock ABI version; 0 when Landlock is missing or switched off."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        return _syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), _CREATE_RULESET_VERSION)
    except OSError as err:
        if err.errno in (errno.ENOSYS, errno.EOPNOTSUPP, errno.EPERM):
            return 0
        raise


def fs_rights(abi: int) -> int:
    """Every filesystem right the ABI knows."""
    best = max((v for v in _FS_BY_ABI if v <= abi), default=0)
    return _FS_BY_ABI.get(best, 0)


class Rules:
    """What a confined process may still reach; everything else is denied.

    ``read`` and ``write`` are folders (or files, which get the file rights only);
    ``listed`` folders may be listed (their subfolders too), their files not read;
    ``bind_ports`` are the TCP ports it may listen on, ``connect_ports`` those it may connect
    to. Other TCP connections are denied, and so are signals and abstract unix sockets to
    processes outside the sandbox, where the ABI can.
    """

    # a plain class, not a dataclass: the launcher imports this at every kernel start

    def __init__(
        self,
        read: Iterable[str] = (),
        write: Iterable[str] = (),
        bind_ports: Iterable[int] = (),
        connect_ports: Iterable[int] = (),
        listed: Iterable[str] = (),
    ) -> None:
        self.read = tuple(read)
        self.write = tuple(write)
        self.listed = tuple(listed)
        self.bind_ports = tuple(bind_ports)
        self.connect_ports = tuple(connect_ports)


def restrict(rules: Rules, abi: int | None = None) -> int:
    """Confine this process to ``rules`` (Landlock); returns the ABI used.

    Paths that don't exist are skipped. Raises OSError when Landlock is unavailable.
    """
    abi = abi_version() if abi is None else abi
    if abi < 1:
        raise OSError(errno.EOPNOTSUPP, "Landlock is not available in this Linux kernel")
    handled_fs = fs_rights(abi)
    attr = _RulesetAttr(handled_fs, 0, 0)
    size = 8
    if abi >= 4:
        attr.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP
        size = 16
    if abi >= 6:
        attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL
        size = 24
    ruleset = _syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), 0)
    try:
        _add_paths(ruleset, rules.read, READ & handled_fs)
        _add_paths(ruleset, rules.write, WRITE & handled_fs)
        _add_paths(ruleset, rules.listed, READ_DIR & handled_fs)
        if abi >= 4:
            for access, ports in (
                (NET_BIND_TCP, rules.bind_ports),
                (NET_CONNECT_TCP, rules.connect_ports),
            ):
                for port in ports:
                    net = _NetPortAttr(access, port)
                    _syscall(_SYS_ADD_RULE, ruleset, _RULE_NET_PORT, ctypes.byref(net), 0)
        _syscall_prctl_no_new_privs()
        _syscall(_SYS_RESTRICT_SELF, ruleset, 0)
    finally:
        os.close(ruleset)
    return abi


def _add_paths(ruleset: int, paths: Iterable[str], access: int) -> None:
    for path in paths:
        try:
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        except OSError:
            continue  # a folder this system doesn't have
        try:
            allowed = access if os.path.isdir(path) else access & FILE_RIGHTS
            rule = _PathBeneathAttr(allowed, fd)
            _syscall(_SYS_ADD_RULE, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule), 0)
        finally:
            os.close(fd)


def _syscall_prctl_no_new_privs() -> None:
    if _libc().prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))

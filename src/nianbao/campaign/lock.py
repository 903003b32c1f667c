"""The workspace lock: one process at a time changes a workspace.

Two ``ingest`` runs at once each see the ledger as it was when they started and print a log that is
not true ("接收 30 个", "X 取代 X") although the ledger itself stays right. Every command that
changes a workspace (ingest, templates, aggregate; later the web front end) holds this lock; a second
process waits, saying so, and gives up with a clear message after ``timeout`` seconds.

On POSIX the lock is ``fcntl.flock`` on ``DIR/.nianbao.lock``: the system releases it when the
holder dies, so a killed run never leaves a stale lock. Elsewhere the lock file is created with
``O_CREAT | O_EXCL`` and holds the owner's pid; a lock whose process is gone is stale and taken over.
The lock is re-entrant within a process (a command may call another locked function).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from nianbao.errors import NianbaoError, OutputError, os_reason
from nianbao.messages import message

LOCK_NAME = ".nianbao.lock"
LOCK_TIMEOUT = 600.0  # seconds a second process waits before giving up
_POLL = 0.1

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

_held: dict[str, tuple[int, int]] = {}  # lock path → (fd, depth) held by this process
_guard = threading.Lock()


class WorkspaceLocked(NianbaoError):
    """Another process holds the workspace (exit code 2)."""


def lock_path(root: str | os.PathLike[str]) -> Path:
    return Path(root) / LOCK_NAME


@contextmanager
def workspace_lock(root: str | os.PathLike[str], *, timeout: float = LOCK_TIMEOUT,
                   on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the workspace at ``root`` for the duration of the block.

    When another process holds it, ``on_wait`` is told once (default: a line on stderr) and this
    process waits up to ``timeout`` seconds, then raises ``WorkspaceLocked``.
    """
    path = lock_path(root)
    key = str(path.resolve())
    with _guard:
        if key in _held:
            fd, depth = _held[key]
            _held[key] = (fd, depth + 1)
            reentered = True
        else:
            reentered = False
    if not reentered:
        fd = _acquire(path, timeout, on_wait or _tell_stderr)
        with _guard:
            _held[key] = (fd, 1)
    try:
        yield
    finally:
        with _guard:
            fd, depth = _held[key]
            if depth > 1:
                _held[key] = (fd, depth - 1)
            else:
                del _held[key]
                _release(path, fd)


def _tell_stderr(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _acquire(path: Path, timeout: float, on_wait: Callable[[str], None]) -> int:
    deadline = time.monotonic() + timeout
    told = False
    while True:
        fd = _try_lock(path)
        if fd is not None:
            _write_pid(fd)
            return fd
        pid = _read_pid(path)
        if not told:
            on_wait(message("WS-LOCK-WAIT", path=str(path.parent), pid=pid or "?"))
            told = True
        if time.monotonic() >= deadline:
            raise WorkspaceLocked("E-WS-LOCKED", path=str(path.parent), pid=pid or "?", seconds=f"{timeout:g}",
                                  lock=str(path))
        time.sleep(_POLL)


def _try_lock(path: Path) -> int | None:
    """A file descriptor holding the lock, or None when another process holds it."""
    if fcntl is not None:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError("E-WRITE", path=str(path), reason=os_reason(exc)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return None
        return fd
    try:  # pragma: no cover - Windows
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:  # pragma: no cover
        pid = _read_pid(path)
        if pid is not None and not _alive(pid):
            path.unlink(missing_ok=True)  # stale: its process is gone
        return None
    except OSError as exc:  # pragma: no cover
        raise OutputError("E-WRITE", path=str(path), reason=os_reason(exc)) from None


def _release(path: Path, fd: int) -> None:
    try:
        if fcntl is not None:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        else:  # pragma: no cover - Windows
            os.close(fd)
            path.unlink(missing_ok=True)
    except OSError:
        pass


def _write_pid(fd: int) -> None:
    try:
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, str(os.getpid()).encode("ascii"))
    except OSError:
        pass


def _read_pid(path: Path) -> int | None:
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _alive(pid: int) -> bool:  # pragma: no cover - the O_EXCL fallback only (Windows)
    if os.name == "nt":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

"""One exception root. Every exception carries a Chinese message for the user and an exit code."""

from __future__ import annotations

from typing import Any

from nianbao.messages import message


class NianbaoError(Exception):
    """Base of every error nianbao raises on purpose; ``str(err)`` is the Chinese message."""

    exit_code = 2

    def __init__(self, code: str, **fields: Any) -> None:
        self.code = code
        self.fields = fields
        super().__init__(message(code, **fields))


class UnusableInput(NianbaoError, ValueError):
    """The input cannot be read at all (exit code 2)."""


class DataFileError(UnusableInput):
    """A JSON data file that is not a valid nianbao data file."""


class OutputError(NianbaoError, OSError):
    """A result could not be written (nothing partial is left behind)."""


_OS_REASONS = {
    "EACCES": "OS-EACCES", "EPERM": "OS-EACCES", "ENOENT": "OS-ENOENT", "EISDIR": "OS-EISDIR",
    "ENOTDIR": "OS-ENOTDIR", "ENOSPC": "OS-ENOSPC", "EDQUOT": "OS-ENOSPC", "EROFS": "OS-EROFS",
    "EEXIST": "OS-EEXIST", "ENAMETOOLONG": "OS-ENAMETOOLONG", "EINVAL": "OS-EINVAL", "EBUSY": "OS-EBUSY",
    "ETXTBSY": "OS-EBUSY", "EIO": "OS-EIO",
}
_WINDOWS_SHARING = (32, 33)  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: Excel or WPS has the file open


def os_reason(exc: OSError) -> str:
    """Why an operating-system call failed, in Chinese (never the system's English text)."""
    import errno

    if getattr(exc, "winerror", None) in _WINDOWS_SHARING:
        return message("OS-EBUSY")
    name = errno.errorcode.get(exc.errno or 0, "")
    code = _OS_REASONS.get(name)
    if code is None:
        return message("OS-OTHER", errno=exc.errno if exc.errno is not None else "?")
    return message(code)

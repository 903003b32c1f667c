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


_JSON_REASONS = (
    ("Expecting property name", "JSON-NAME"), ("Expecting value", "JSON-VALUE"),
    ("Expecting ',' delimiter", "JSON-COMMA"), ("Expecting ':' delimiter", "JSON-COLON"),
    ("Unterminated string", "JSON-STRING"), ("Extra data", "JSON-EXTRA"),
    ("Invalid control character", "JSON-CONTROL"), ("Invalid \\escape", "JSON-ESCAPE"),
    ("Invalid \\u", "JSON-ESCAPE"),
)


def json_reason(msg: str) -> str:
    """The reason of a ``json.JSONDecodeError`` (its ``msg``) in Chinese."""
    for start, code in _JSON_REASONS:
        if msg.startswith(start):
            return message(code)
    return message("JSON-OTHER")


def exc_reason(exc: BaseException) -> str:
    """Why reading something failed, in Chinese, whatever raised: never a library's English text."""
    import json

    if isinstance(exc, NianbaoError):
        return str(exc)
    if isinstance(exc, OSError):
        return os_reason(exc)
    if isinstance(exc, json.JSONDecodeError):
        return message("JSON-AT", line=exc.lineno, col=exc.colno, reason=json_reason(exc.msg))
    if isinstance(exc, UnicodeDecodeError):
        return message("TEXT-NOT-UTF8")
    text = str(exc)
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return text  # our own Chinese reason
    return message("FORMAT-BAD")

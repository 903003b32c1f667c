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

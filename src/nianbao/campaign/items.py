"""What ``ingest`` collects before reading anything: the files to take as returns, and those it
will not take (both made by ``ingest``'s walk of folders and zips, and by ``mail.eml`` for a mail file)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Skipped:
    """A file that was not taken as a return, and why (listed, never recorded)."""

    path: Path
    message: str


@dataclass(frozen=True)
class Item:
    """A file to take as a return: where to read it, its name for people and the ledger, its order."""

    path: Path
    name: str
    raw_name: bytes | None
    order: tuple[float, str]
    shown: Path  # what the log names (the zip and its member for a member of a zip)

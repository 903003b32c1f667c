"""Open any report source by what it is: a JSON data file or a returned workbook."""

from __future__ import annotations

import os
from pathlib import Path

from nianbao.errors import DataFileError, UnusableInput
from nianbao.model import Loaded, load_report

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ett", ".xltx", ".ods", ".csv", ".docx")


def load_source(path: str | os.PathLike[str]) -> Loaded:
    """Read a data file (``.json``) or a returned workbook into a report and its reading findings.

    A file that is neither is refused with a message naming it (exit code 2).
    """
    p = Path(path)
    if not p.exists():
        raise DataFileError("E-FILE-MISSING", path=str(p))
    suffix = p.suffix.lower()
    if suffix == ".json":
        return load_report(p)
    if suffix in WORKBOOK_SUFFIXES or _looks_like_zip_or_ole(p):
        from nianbao.workbook.reader import read_workbook

        return read_workbook(p)
    raise UnusableInput("E-UNSUPPORTED-SOURCE", path=str(p))


def _looks_like_zip_or_ole(p: Path) -> bool:
    try:
        with p.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return False
    return head.startswith(b"PK") or head.startswith(b"\xd0\xcf\x11\xe0")

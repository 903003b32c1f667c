"""Open any report source by what it is: a JSON data file or a returned workbook."""

from __future__ import annotations

import os
from pathlib import Path

from nianbao.errors import UnusableInput
from nianbao.findings import error
from nianbao.layout import normalise_label
from nianbao.model import Loaded, load_report

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ett", ".xltx", ".ods", ".csv", ".docx")


def load_source(path: str | os.PathLike[str], *, expect_year: int | None = None,
                expect_unit: str | None = None) -> Loaded:
    """Read a data file (``.json``) or a returned workbook into a report and its reading findings.

    ``expect_year``/``expect_unit``: what the file should be (a mismatch is an error finding).
    A file that is neither a data file nor a workbook is refused naming it (exit code 2).
    """
    from nianbao.files import require_regular_file

    p = Path(path)
    require_regular_file(p)  # missing, or a FIFO / device (never opened: reading one blocks)
    suffix = p.suffix.lower()
    if suffix == ".json":
        loaded = load_report(p)
        report = loaded.report
        if expect_year is not None and report.year != expect_year:
            loaded.findings.append(error("META-YEAR", expected=expect_year, actual=report.year))
        if expect_unit and normalise_label(expect_unit) not in {
                normalise_label(report.unit.name), normalise_label(report.unit.code)}:
            loaded.findings.append(error("META-UNIT", expected=expect_unit, actual=report.unit.name))
        return loaded
    if suffix in WORKBOOK_SUFFIXES or _looks_like_zip_or_ole(p):
        from nianbao.workbook.reader import read_workbook

        return read_workbook(p, expect_year=expect_year, expect_unit=expect_unit)
    raise UnusableInput("E-UNSUPPORTED-SOURCE", path=str(p))


def _looks_like_zip_or_ole(p: Path) -> bool:
    try:
        with p.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return False
    return head.startswith(b"PK") or head.startswith(b"\xd0\xcf\x11\xe0")

"""Open any report source by what it is: a data file, a returned workbook, or a published report.

``load_source`` is the one loading function of ``check``, ``report``, ``export``, ``init --previous``
and ``template --data``: a ``.json`` data file, a returned workbook (``.xlsx``), or a published report
in any form (``.html``/``.htm``/``.mhtml``, ``.docx``, ``.pdf``, ``.ods``/``.xls``, ``.txt``), which is
read through the logical grid (``nianbao.sources.grid``) and the one locator (``sources.locate``).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from nianbao.errors import UnusableInput
from nianbao.findings import error
from nianbao.model import Loaded, load_report, unit_key
from nianbao.sources.grid import Document
from nianbao.sources.locate import Imported
from nianbao.sources.locate import locate as locate_document

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".et", ".ett", ".xltx", ".csv")
IMPORT_SUFFIXES = (".html", ".htm", ".mhtml", ".mht", ".shtml", ".docx", ".pdf", ".ods", ".xls", ".txt", ".text")


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
        if expect_unit and unit_key(expect_unit) not in {unit_key(report.unit.name), unit_key(report.unit.code)}:
            loaded.findings.append(error("META-UNIT", expected=expect_unit, actual=report.unit.name))
        return loaded
    if suffix in (".xls", ".ods"):
        published = _published_spreadsheet(p, expect_year, expect_unit)
        if published is not None:
            return published.loaded
        from nianbao.workbook.reader import read_workbook  # a return: today's rules (save as .xlsx)

        return read_workbook(p, expect_year=expect_year, expect_unit=expect_unit)
    if suffix in IMPORT_SUFFIXES:
        return import_source(p, year=expect_year, unit=expect_unit).loaded
    if suffix in WORKBOOK_SUFFIXES or _looks_like_zip_or_ole(p):
        from nianbao.workbook.reader import read_workbook

        return read_workbook(p, expect_year=expect_year, expect_unit=expect_unit)
    raise UnusableInput("E-UNSUPPORTED-SOURCE-ANY", path=str(p))


def _published_spreadsheet(p: Path, year: int | None, unit: str | None) -> Imported | None:
    """An .xls/.ods holding a published report, read; None for a return made from the template
    (those keep today's rule: refused with "save as .xlsx") or a file whose tables are not found
    (the workbook reader then says what it is)."""
    from nianbao.workbook.meta import META_SHEET

    try:
        data = p.read_bytes()
        if _kind(p.suffix.lower(), data) not in ("xls", "ods"):
            return None
        from python_calamine import CalamineWorkbook

        if META_SHEET in CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names:
            return None
        return import_source(p, year=year, unit=unit)
    except Exception:  # unreadable or no tables: the workbook reader says why, as today
        return None


def _looks_like_zip_or_ole(p: Path) -> bool:
    try:
        with p.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return False
    return head.startswith(b"PK") or head.startswith(b"\xd0\xcf\x11\xe0")


def read_document(path: str | os.PathLike[str]) -> Document:
    """A published report in any form as a :class:`Document` of paragraphs and logical grids."""
    from nianbao.files import require_regular_file

    p = Path(path)
    require_regular_file(p)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise UnusableInput("E-IMPORT-UNREADABLE", path=str(p), reason=exc.strerror or str(exc)) from None
    suffix = p.suffix.lower()
    kind = _kind(suffix, data)
    try:
        if kind == "html":
            from nianbao.sources.html import read_html

            return read_html(data, str(p))
        if kind == "docx":
            from nianbao.sources.docx import read_docx

            return read_docx(data, str(p))
        if kind == "pdf":
            from nianbao.sources.pdf import read_pdf

            return read_pdf(data, str(p))
        if kind in ("xlsx", "ods", "xls"):
            from nianbao.sources.xlsx import read_spreadsheet

            return read_spreadsheet(data, str(p), kind)
        from nianbao.sources.text import read_text

        return read_text(data, str(p))
    except UnusableInput:
        raise
    except Exception as exc:  # a reader's library raises many types for a damaged file
        raise UnusableInput("E-IMPORT-UNREADABLE", path=str(p), reason=type(exc).__name__) from None


def _kind(suffix: str, data: bytes) -> str:
    """What a file is, by its content first (a .xls that is really a web page is common)."""
    head = data[:2048].lstrip().lower()
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK"):
        if suffix == ".docx" or b"word/" in data[:4096]:
            return "docx"
        if suffix == ".ods" or b"opendocument.spreadsheet" in data[:200]:
            return "ods"
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if suffix in (".mhtml", ".mht") or head.startswith(b"mime-version") or b"<html" in head or \
            b"<!doctype html" in head or b"<table" in data[:65536].lower() or suffix in (".html", ".htm", ".shtml"):
        return "html"
    return "text"


def import_source(path: str | os.PathLike[str], *, layout: str | None = None, year: int | None = None,
                  unit: str | None = None) -> Imported:
    """Read a published report (any form) into a report, its findings and what was read where."""
    doc = read_document(path)
    return locate_document(doc, layout_id=layout, year=year, unit=unit)


def is_import_source(path: str | os.PathLike[str]) -> bool:
    return Path(path).suffix.lower() in IMPORT_SUFFIXES


def data_file(imported: Imported) -> dict[str, object]:
    """The ``nianbao/1`` data file of an imported report: values as published (a blank stays blank,
    a note stays with its number, an unread cell keeps its raw text), text and headings by section."""
    from nianbao.sources.locate import data_values

    doc = imported.loaded.report.to_json(with_totals=False)
    doc["values"] = data_values(imported)
    return doc


def write_data_file(imported: Imported, path: str | os.PathLike[str]) -> None:
    import json

    from nianbao.model import write_atomic

    text = json.dumps(data_file(imported), ensure_ascii=False, indent=2) + "\n"
    write_atomic(Path(path), text.encode("utf-8"))

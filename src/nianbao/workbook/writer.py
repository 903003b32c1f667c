"""Write the locked workbook a department fills in.

The statutory tables come from :mod:`nianbao.layout`, everything around them from
:mod:`nianbao.workbook.form`. The file is built in memory with XlsxWriter, given workbook-structure
protection (which XlsxWriter lacks) by rewriting ``xl/workbook.xml`` (the other members copied
as they are), and written atomically.

Totals and checks are formulas whose cached result is empty: Excel and WPS recalculate on load
(XlsxWriter sets ``fullCalcOnLoad``), and LibreOffice, which by default does not recalculate xlsx
files on load, computes every formula cell that has no cached value (shared/guides/pitfalls.md,
"Formula totals and cached values"; tests/test_workbook_lo.py checks it). So a prefilled template
never shows stale zeros.

Regenerate the blank workbooks of ``templates/`` with::

    python -m nianbao.workbook.writer --refresh-templates
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import io
import json
import math
import re
import struct
import sys
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from nianbao.display import wrap
from nianbao.errors import DataFileError, NianbaoError, json_reason, os_reason
from nianbao.findings import Severity, rule_name
from nianbao.layout import (
    FIRST_REPORT_YEAR,
    LAYOUT_IDS,
    LAYOUTS,
    T2_HEADER_LABEL,
    Equation,
    Kind,
    Layout,
    Table,
    cells_in_range,
    col_letter,
    default_layout_id,
    get_layout,
    is_report_year,
    split_ref,
)
from nianbao.messages import message
from nianbao.model import Report, Unit, report_from_json, write_atomic
from nianbao.values import show
from nianbao.workbook import form
from nianbao.workbook.meta import MEMBERS_SHEET, META_SHEET, PROPERTY_PREFIX, TemplateMeta

__all__ = ["BLANK_UNIT", "TEMPLATE_FILES", "TEMPLATE_YEAR", "blank_template_id", "build_template", "load_prefill",
           "refresh_templates", "template_bytes", "template_from_options", "write_template"]

FONT = "宋体"
FONT_SIZE = 11
INPUT_FILL = "#FFF2CC"  # light yellow: type here
TOTAL_FILL = "#EDEDED"  # light grey: computed
HEADER_FILL = "#DDEBF7"
BAD_FILL = "#FFC7CE"
BAD_FONT = "#9C0006"
OK_FILL = "#C6EFCE"
OK_FONT = "#006100"
A4 = 9

# Ready blank workbooks of templates/ (python -m nianbao.workbook.writer --refresh-templates).
TEMPLATE_YEAR = 2025
BLANK_UNIT = Unit(message("TEMPLATE-BLANK-UNIT"))
TEMPLATE_FILES = {layout_id: message("TEMPLATE-BLANK-FILE", layout=layout_id) for layout_id in LAYOUT_IDS}
# The committed blank workbooks are files of the repository (its templates/ folder), not of the
# installed package: ``--refresh-templates`` is a developer's command, run from the repository's root.
TEMPLATES_DIR = Path("templates")

# The workbook's default font sets the unit of column widths. Arial 10 has the same digit width in
# Excel (7 px) as XlsxWriter's default Calibri 11, and LibreOffice has its metric twin (Liberation
# Sans), so both programs give a column the same width and wrap text alike; with Calibri, a
# LibreOffice lacking Carlito measures columns a third wider and prints every sheet at 80 %.
WORKBOOK_DEFAULT_FONT: dict[str, Any] = {
    "default_format_properties": {"font_name": "Arial", "font_size": 10},
    "default_row_height": 17, "default_column_width": 64,
}

_DEFAULT_ROW_HEIGHT = 15.0
_HEADING_ROW_HEIGHT = 22.0
_LINE_HEIGHT = 14.5  # points per wrapped line at 11 pt
_MIN_ROW_HEIGHT = 20.0
_SIGNED_LIMIT = 1_000_000_000
_EXACT_LIMIT = 10**15  # a spreadsheet holds whole numbers exactly up to about 2^53
_INFO_MAX_CHARS = 200  # the editable cells of 基本信息
_INFO_POSITIONS = tuple((cell, (split_ref(cell.ref)[0] - 1, split_ref(cell.ref)[1] - 1)) for cell in form.INFO_CELLS)


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def write_template(
    path: str | Path,
    *,
    layout_id: str,
    year: int,
    unit: Unit,
    report: Report | None = None,
    password: str | None = None,
    campaign: str = "",
    deadline: str = "",
    contact: str = "",
    members: list[Unit] | None = None,
    left_out: list[Unit] | None = None,
    template_id: str | None = None,
    info: dict[str, str] | None = None,
) -> TemplateMeta:
    """Write the fill-in workbook to ``path`` (atomically) and return its hidden identity.

    ``report`` prefills inputs (``report.values``; totals are always formulas) and text
    (``report.text``); it must use ``layout_id``. ``template_id`` defaults to a random id.
    ``members`` and ``left_out``: for a consolidated workbook, the units summed and those left out.
    ``info``: what the editable cells of 基本信息 hold (``filler``, ``phone``, ``date``), e.g. in feedback.
    Raises :class:`~nianbao.errors.NianbaoError` (exit code 2) for unusable arguments.
    """
    data, meta = template_bytes(layout_id=layout_id, year=year, unit=unit, report=report, password=password,
                                campaign=campaign, deadline=deadline, contact=contact, members=members,
                                left_out=left_out, template_id=template_id, info=info)
    write_atomic(Path(path), data)
    return meta


def template_bytes(
    *,
    layout_id: str,
    year: int,
    unit: Unit,
    report: Report | None = None,
    password: str | None = None,
    campaign: str = "",
    deadline: str = "",
    contact: str = "",
    members: list[Unit] | None = None,
    left_out: list[Unit] | None = None,
    template_id: str | None = None,
    info: dict[str, str] | None = None,
) -> tuple[bytes, TemplateMeta]:
    """The workbook as bytes, and its identity (see :func:`write_template`)."""
    layout = _check_args(layout_id, year, unit, report)
    if report is not None:
        from nianbao.model import check_text_lengths

        check_text_lengths(report, message("TEMPLATE-DATA-WHERE"))
    extra: dict[str, Any] = {"template_id": template_id} if template_id else {}
    meta = TemplateMeta(
        layout=layout.id, year=year, unit_name=unit.name, unit_code=unit.code, campaign=campaign,
        members="|".join(m.code or m.name for m in members or []),
        left_out="|".join(u.name for u in left_out or []), **extra,
    )
    raw = build_template(layout, meta, report=report, password=password, deadline=deadline, contact=contact,
                         info=info)
    return raw, meta


def build_template(layout: Layout, meta: TemplateMeta, *, report: Report | None = None,
                   password: str | None = None, deadline: str = "", contact: str = "",
                   info: dict[str, str] | None = None) -> bytes:
    """The workbook's bytes, workbook structure locked."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False,
                                   "strings_to_formulas": False, "strings_to_urls": False,
                                   **WORKBOOK_DEFAULT_FONT})
    TemplateWriter(wb, layout, meta, report, password, deadline, contact, info or {}).write()
    wb.close()
    return _lock_structure(buf.getvalue(), password)


_MAX_PROPERTY_CHARS = 255


def _lock_structure(data: bytes, password: str | None) -> bytes:
    """Add ``<workbookProtection lockStructure="1"/>`` (which XlsxWriter does not write) to
    ``xl/workbook.xml`` of the finished package, right after ``<workbookPr>`` where CT_Workbook
    wants it. Every other member is copied as XlsxWriter compressed it (its local header and data
    byte for byte, only the offsets in the central directory change): no member is inflated or
    deflated again but the one rewritten."""
    attrs = f' workbookPassword="{_legacy_hash(password)}"' if password else ""
    element = f'<workbookProtection{attrs} lockStructure="1"/>'.encode()
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        infos = zin.infolist()
        book = zin.read("xl/workbook.xml")
    m = re.search(rb"<workbookPr\b[^>]*/>", book)
    at = m.end() if m else book.index(b"<bookViews")
    book = book[:at] + element + book[at:]
    return _replace_member(data, infos, "xl/workbook.xml", book)


_LOCAL = struct.Struct("<4s5H3L2H")  # zip local file header (APPNOTE 4.3.7)
_CENTRAL = struct.Struct("<4s4B4H3L5H2L")  # central directory header (4.3.12)
_END = struct.Struct("<4s4H2LH")  # end of central directory record (4.3.16)


def _replace_member(data: bytes, infos: list[zipfile.ZipInfo], name: str, content: bytes) -> bytes:
    """The zip ``data`` with member ``name`` holding ``content`` (deflated), the others copied raw.
    Written for XlsxWriter's packages (no data descriptors, no zip64, no extra fields)."""
    out = bytearray()
    central = bytearray()
    for info in infos:
        off = info.header_offset
        (sig, version, flags, method, mtime, mdate, crc, csize, usize, nlen, elen) = _LOCAL.unpack_from(data, off)
        if sig != b"PK\x03\x04" or flags & 0x8 or elen or info.extra or csize != info.compress_size:
            raise ValueError(f"unexpected zip member {info.filename}")  # not what XlsxWriter writes
        raw_name = data[off + _LOCAL.size: off + _LOCAL.size + nlen]
        new_off = len(out)
        if info.filename == name:
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            body = packer.compress(content) + packer.flush()
            crc, csize, usize, method = zlib.crc32(content), len(body), len(content), zipfile.ZIP_DEFLATED
            out += _LOCAL.pack(sig, version, flags, method, mtime, mdate, crc, csize, usize, nlen, 0)
            out += raw_name + body
        else:
            out += data[off: off + _LOCAL.size + nlen + csize]
        central += _CENTRAL.pack(b"PK\x01\x02", info.create_version, info.create_system, version, 0, flags,
                                 method, mtime, mdate, crc, csize, usize, nlen, 0, 0, 0, info.internal_attr,
                                 info.external_attr, new_off)
        central += raw_name
    cd_off = len(out)
    out += central
    out += _END.pack(b"PK\x05\x06", 0, 0, len(infos), len(infos), len(central), cd_off, 0)
    return bytes(out)


def template_from_options(
    path: str | Path,
    *,
    year: int,
    unit_name: str,
    unit_code: str = "",
    layout_id: str | None = None,
    data: str | Path | None = None,
    password: str | None = None,
) -> TemplateMeta:
    """What ``nianbao template`` does: resolve the layout, load the prefill data, write the workbook.

    The layout is ``layout_id``, else the data file's, else the default of the year. Nothing is
    written when the data file is unusable.
    """
    report = load_prefill(data) if data is not None else None
    if layout_id is None:
        layout_id = report.layout.id if report is not None else default_layout_id(year)
    return write_template(path, layout_id=layout_id, year=year, unit=Unit(unit_name.strip(), unit_code.strip()),
                          report=report, password=password)


def load_prefill(path: str | Path) -> Report:
    """A data file (datapoints.md) whose inputs may be partial: the values it has prefill a template.

    Raises :class:`~nianbao.errors.DataFileError` for a file that is not a valid data file, and
    ``E-PREFILL-VALUE`` for a value that is not a number of its kind.
    """
    from nianbao.files import require_regular_file

    p = Path(path)
    require_regular_file(p)  # missing, or a FIFO / device (never opened)
    if p.suffix.lower() != ".json":  # a workbook or a published report: the one loading function
        from nianbao.sources import load_source

        loaded = load_source(p)
        # a number that reads wrong refuses the prefill; a cell left unread is simply not prefilled
        errors = [f for f in loaded.findings if f.severity is Severity.ERROR and f.rule.startswith("VALUE-")]
        if errors:
            raise NianbaoError("E-PREFILL-VALUE", path=str(p), detail="；".join(f.message for f in errors[:3]))
        report = loaded.report
        for key in [k for k in report.values if report.layout.fields[k].is_total]:
            del report.values[key]
        return report
    try:
        doc = json.loads(p.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise DataFileError("E-FILE-READ", path=str(p), reason=os_reason(exc)) from None
    except UnicodeDecodeError:
        raise DataFileError("E-JSON", path=str(p), line=1, col=1, reason=message("E-JSON-NOT-UTF8")) from None
    except json.JSONDecodeError as exc:
        raise DataFileError("E-JSON", path=str(p), line=exc.lineno, col=exc.colno, reason=json_reason(exc.msg)) from None
    except RecursionError:
        raise DataFileError("E-JSON-DEPTH", path=str(p)) from None
    missing: list[str] = []
    if isinstance(doc, dict) and isinstance(doc.get("values"), dict) and str(doc.get("layout")) in LAYOUTS:
        # report_from_json requires every input: stand in for the absent ones, then drop them again
        layout = get_layout(str(doc["layout"]))
        missing = [k for k in layout.inputs if k not in doc["values"]]
        doc = {**doc, "values": {**doc["values"], **dict.fromkeys(missing, 0)}}
    loaded = report_from_json(doc, str(p))
    errors = [f for f in loaded.findings if f.severity is Severity.ERROR]
    if errors:
        raise NianbaoError("E-PREFILL-VALUE", path=str(p), detail="；".join(f.message for f in errors[:3]))
    report = loaded.report
    for key in missing:
        report.values.pop(key, None)
    for key in [k for k in report.values if report.layout.fields[k].is_total]:
        del report.values[key]
    return report


def refresh_templates(directory: str | Path | None = None) -> list[Path]:
    """(Re)write the blank workbooks (into :data:`TEMPLATES_DIR` by default); their template id is derived,
    not random."""
    out_dir = Path(directory) if directory else TEMPLATES_DIR
    written = []
    for layout_id, name in TEMPLATE_FILES.items():
        path = out_dir / name
        write_template(path, layout_id=layout_id, year=TEMPLATE_YEAR, unit=BLANK_UNIT,
                       template_id=blank_template_id(layout_id))
        written.append(path)
    return written


def blank_template_id(layout_id: str) -> str:
    """The fixed template id of a committed blank workbook (so a refresh is reproducible)."""
    seed = f"nianbao-blank|{layout_id}|{TEMPLATE_YEAR}|{BLANK_UNIT.name}"
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:32]


# ---------------------------------------------------------------------------------------------
# Arguments
# ---------------------------------------------------------------------------------------------


def _check_args(layout_id: str, year: int, unit: Unit, report: Report | None) -> Layout:
    try:
        layout = get_layout(str(layout_id))
    except KeyError:
        raise NianbaoError("E-TEMPLATE-LAYOUT-ID", actual=layout_id) from None
    if not is_report_year(year):
        raise NianbaoError("E-TEMPLATE-YEAR", actual=year)
    if year < FIRST_REPORT_YEAR:
        raise NianbaoError("E-TEMPLATE-YEAR-EARLY", actual=year, first=FIRST_REPORT_YEAR)
    if not unit.name.strip():
        raise NianbaoError("E-TEMPLATE-UNIT")
    if report is not None and report.layout.id != layout.id:
        raise NianbaoError("E-TEMPLATE-DATA-LAYOUT", actual=report.layout.id, layout=layout.id)
    return layout


# ---------------------------------------------------------------------------------------------
# Text measurement (row heights: no spreadsheet program autofits them on open)
# ---------------------------------------------------------------------------------------------


def text_units(text: str) -> float:
    """Display width of one line of text in Excel character units (a CJK character ≈ 2.1)."""
    return sum(2.1 if unicodedata.east_asian_width(ch) in "WF" else 1.15 for ch in text)


@functools.lru_cache(maxsize=8192)  # line breaking measures the same prefixes in every template
def print_units(text: str) -> float:
    """Like :func:`text_units`, but a mark of ambiguous width (“”、…) counts as wide, as a CJK font
    prints it: the upper bound used where text is broken into lines ahead of the program."""
    return sum(2.1 if unicodedata.east_asian_width(ch) in "WFA" else 1.15 for ch in text)


@functools.lru_cache(maxsize=4096)  # the same labels and notes in every template of a layout
def line_count(text: str, width: float) -> int:
    """Wrapped lines of ``text`` in a cell ``width`` units wide."""
    usable = max(width - 1.5, 1.0)
    return sum(max(1, math.ceil(text_units(part) / usable)) for part in (text or "").split("\n"))


def row_height(lines: int) -> float:
    return max(_MIN_ROW_HEIGHT, lines * _LINE_HEIGHT + 6)


# ---------------------------------------------------------------------------------------------
# Formula helpers
# ---------------------------------------------------------------------------------------------


def _quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def compress_refs(refs: Sequence[str]) -> list[str]:
    """Cells as few ranges as possible: consecutive cells of one row or one column become a range."""
    return list(_compress_refs(tuple(refs)))


@functools.lru_cache(maxsize=4096)  # the same few hundred cell lists in every workbook of a layout
def _compress_refs(refs: tuple[str, ...]) -> tuple[str, ...]:

    def runs(by_row: bool) -> list[str]:
        cells = sorted((split_ref(r) for r in refs), key=lambda rc: (rc[0], rc[1]) if by_row else (rc[1], rc[0]))
        out: list[list[tuple[int, int]]] = []
        for r, c in cells:
            if out:
                lr, lc = out[-1][-1]
                if (by_row and r == lr and c == lc + 1) or (not by_row and c == lc and r == lr + 1):
                    out[-1].append((r, c))
                    continue
            out.append([(r, c)])
        texts = []
        for run in out:
            (r1, c1), (r2, c2) = run[0], run[-1]
            first, last = f"{col_letter(c1)}{r1}", f"{col_letter(c2)}{r2}"
            texts.append(first if first == last else f"{first}:{last}")
        return texts

    a, b = runs(True), runs(False)
    return tuple(a if len(a) <= len(b) else b)


def rectangles(refs: Iterable[str]) -> list[str]:
    """Cells as rectangles: runs within a row, merged with identical runs of the rows below."""
    by_row: dict[int, list[int]] = {}
    for ref in refs:
        r, c = split_ref(ref)
        by_row.setdefault(r, []).append(c)
    row_runs: list[tuple[int, int, int]] = []  # (row, first col, last col)
    for r in sorted(by_row):
        cols = sorted(by_row[r])
        start = prev = cols[0]
        for c in cols[1:]:
            if c != prev + 1:
                row_runs.append((r, start, prev))
                start = c
            prev = c
        row_runs.append((r, start, prev))
    rects: list[list[int]] = []  # [r1, r2, c1, c2]
    for r, c1, c2 in row_runs:
        for rect in rects:
            if rect[1] == r - 1 and rect[2] == c1 and rect[3] == c2:
                rect[1] = r
                break
        else:
            rects.append([r, r, c1, c2])
    out = []
    for r1, r2, c1, c2 in rects:
        first, last = f"{col_letter(c1)}{r1}", f"{col_letter(c2)}{r2}"
        out.append(first if first == last else f"{first}:{last}")
    return out


def sum_expr(refs: Sequence[str], sheet: str | None = None) -> str:
    prefix = f"{_quote(sheet)}!" if sheet else ""
    return "SUM(" + ",".join(prefix + r for r in compress_refs(refs)) + ")"


# ---------------------------------------------------------------------------------------------
# Drawings: what is the same in every template of a layout, drawn once per process
# ---------------------------------------------------------------------------------------------
#
# Most of a template (the labels, merges, formulas, formats, validations, highlights and print
# set-up of every sheet but 填报说明) depends on the layout only. It is drawn once per process onto a
# _Drawing, a list of worksheet calls with cells as row and column numbers (so XlsxWriter parses no
# A1 reference) and formats as _FormatRefs, and each workbook replays the list onto its own sheets
# before writing what is its own: the unit, the year, the numbers and the text.

_BASE_FORMAT: dict[str, Any] = {"font_name": FONT, "font_size": FONT_SIZE, "valign": "vcenter"}
_FormatKey = tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class _FormatRef:
    """A format of a drawing: an index into the layout's :class:`_Formats`."""

    index: int


class _Formats:
    """The cell formats of a layout's drawings, each a property dict; every workbook makes them its
    own XlsxWriter formats, in this order (:class:`TemplateWriter`)."""

    def __init__(self) -> None:
        self.keys: list[_FormatKey] = []
        self._index: dict[_FormatKey, int] = {}

    def ref(self, props: dict[str, Any]) -> _FormatRef:
        key = tuple(sorted(props.items()))
        at = self._index.get(key)
        if at is None:
            at = self._index[key] = len(self.keys)
            self.keys.append(key)
        return _FormatRef(at)


def _cell_args(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """``("B7", …)`` as ``(6, 1, …)``: XlsxWriter's zero-based row and column."""
    if args and isinstance(args[0], str):
        r, c = split_ref(args[0])
        return (r - 1, c - 1, *args[1:])
    return args


def _range_args(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """``("B3:D4", …)`` (or one cell) as ``(2, 1, 3, 3, …)``."""
    if args and isinstance(args[0], str):
        first, _, last = args[0].partition(":")
        r1, c1 = split_ref(first)
        r2, c2 = split_ref(last or first)
        return (r1 - 1, c1 - 1, r2 - 1, c2 - 1, *args[1:])
    return args


def _format_at(args: tuple[Any, ...]) -> tuple[tuple[Any, ...], int | None]:
    """``args`` with a _FormatRef as its index, and where it is: its position, -1 for the
    ``"format"`` of an options dict (the last argument), ``None`` for no format."""
    for i, arg in enumerate(args):
        if isinstance(arg, _FormatRef):
            return (*args[:i], arg.index, *args[i + 1:]), i
    last = args[-1] if args else None
    if isinstance(last, dict) and isinstance(last.get("format"), _FormatRef):
        return (*args[:-1], {**last, "format": last["format"].index}), -1
    return args, None


class _Drawing:
    """Worksheet calls recorded once and replayed onto each workbook's sheet (see above). It has the
    methods of XlsxWriter's ``Worksheet`` that the drawing code uses, with the same arguments."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...], int | None]] = []  # method, arguments, format at

    def _add(self, method: str, args: tuple[Any, ...]) -> None:
        self.calls.append((method, *_format_at(args)))

    def replay(self, ws: Worksheet, formats: Sequence[Format]) -> None:
        for method, args, at in self.calls:
            if at is None:
                getattr(ws, method)(*args)
            elif at >= 0:
                getattr(ws, method)(*args[:at], formats[args[at]], *args[at + 1:])
            else:
                options = args[-1]
                getattr(ws, method)(*args[:-1], {**options, "format": formats[options["format"]]})

    # cells
    def write_string(self, *args: Any) -> None:
        self._add("write_string", _cell_args(args))

    def write_number(self, *args: Any) -> None:
        self._add("write_number", _cell_args(args))

    def write_formula(self, *args: Any) -> None:
        self._add("write_formula", _cell_args(args))

    def write_blank(self, *args: Any) -> None:
        self._add("write_blank", _cell_args(args))

    def merge_range(self, *args: Any) -> None:
        self._add("merge_range", _range_args(args))

    def data_validation(self, *args: Any) -> None:
        self._add("data_validation", _range_args(args))

    def conditional_format(self, *args: Any) -> None:
        self._add("conditional_format", _range_args(args))

    # rows, columns, view and print
    def set_row(self, *args: Any) -> None:
        self._add("set_row", args)

    def set_column(self, *args: Any) -> None:
        self._add("set_column", args)

    def freeze_panes(self, *args: Any) -> None:
        self._add("freeze_panes", args)

    def repeat_rows(self, *args: Any) -> None:
        self._add("repeat_rows", args)

    def print_area(self, *args: Any) -> None:
        self._add("print_area", args)

    def hide_gridlines(self, *args: Any) -> None:
        self._add("hide_gridlines", args)

    def set_paper(self, *args: Any) -> None:
        self._add("set_paper", args)

    def set_portrait(self) -> None:
        self._add("set_portrait", ())

    def set_landscape(self) -> None:
        self._add("set_landscape", ())

    def fit_to_pages(self, *args: Any) -> None:
        self._add("fit_to_pages", args)

    def center_horizontally(self) -> None:
        self._add("center_horizontally", ())

    def set_margins(self, **margins: float) -> None:
        self._add("set_margins", tuple(margins[k] for k in ("left", "right", "top", "bottom")))


_Sheet = Any  # what the shared drawing helpers draw on: a Worksheet or a _Drawing (XlsxWriter has no types)


def _print_setup(ws: _Sheet, *, landscape: bool = False, one_page: bool = False) -> None:
    """A4, centred, the margins of every sheet; one page wide (and, with ``one_page``, one page high).
    The header and footer are the workbook's own (:meth:`TemplateWriter._header_footer`)."""
    ws.set_paper(A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 1 if one_page else 0)
    ws.center_horizontally()
    ws.set_margins(**form.PAGE_MARGINS)


def _widths(ws: _Sheet, widths: Sequence[float]) -> None:
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)


def _single_column_area(ws: _Sheet, last_row: int) -> None:
    """Print area of a one-column sheet: column A and a narrow empty column B.

    LibreOffice prints a sheet whose only used column is A across the whole paper, margins
    ignored; with a second column in the print area it keeps to the margins.
    """
    ws.set_column(1, 1, form.PAD_COLUMN_WIDTH)
    ws.print_area(0, 0, last_row, 1)


@dataclass(frozen=True)
class _TableCells:
    """What a workbook writes on a table sheet itself: its inputs and its unit mark (0-based)."""

    inputs: tuple[tuple[int, int, str], ...]  # (row, column, key)
    unit_mark: tuple[int, int]


@dataclass(frozen=True)
class _TextCells:
    """What a workbook writes on 文字部分 itself: each section's text, its row height, page breaks."""

    cells: tuple[tuple[int, int, form.TextCell], ...]  # (row, column, cell)
    heights: dict[int, float]  # the rows of the drawing (0-based), for the page breaks
    blocks: tuple[tuple[int, int], ...]  # (heading row, text row)


@dataclass
class _LayoutDrawings:
    """Everything of a layout's templates that is the same in every workbook (:func:`_drawings`)."""

    formats: _Formats
    sheets: dict[str, _Drawing]
    tables: dict[str, _TableCells]  # by sheet name
    text: _TextCells
    bad: _FormatRef  # conditional: a broken check
    ok: _FormatRef  # conditional: all checks pass


@functools.cache
def _drawings(layout_id: str) -> _LayoutDrawings:
    """The drawings of a layout, made once per process."""
    return _LayoutDrawer(get_layout(layout_id)).draw()


class _LayoutDrawer:
    """Draws what every template of a layout shares: 基本信息 and 文字部分 but their values, the
    statutory tables but their numbers, and 校验 (all but the page header and footer)."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.formats = _Formats()
        self.bad = self.formats.ref({"bg_color": BAD_FILL, "font_color": BAD_FONT})
        self.ok = self.formats.ref({"bg_color": OK_FILL, "font_color": OK_FONT})
        self.check_status = f"{_quote(form.CHECK_SHEET)}!${form.STATUS_REF[0]}${form.STATUS_REF[1:]}"

    def fmt(self, **props: Any) -> _FormatRef:
        return self.formats.ref({**_BASE_FORMAT, **props})

    @property
    def f_label(self) -> _FormatRef:
        return self.fmt(border=1, text_wrap=True, align="center")

    @property
    def f_row_label(self) -> _FormatRef:
        return self.fmt(border=1, text_wrap=True, align="left")

    @property
    def f_input(self) -> _FormatRef:
        return self.fmt(border=1, align="center", locked=False, bg_color=INPUT_FILL)

    @property
    def f_total(self) -> _FormatRef:
        return self.fmt(border=1, align="center", bg_color=TOTAL_FILL)

    def draw(self) -> _LayoutDrawings:
        sheets: dict[str, _Drawing] = {}
        tables: dict[str, _TableCells] = {}
        sheets[form.INFO_SHEET] = d = _Drawing()
        self._info(d)
        sheets[form.TEXT_SHEET] = d = _Drawing()
        text = self._text(d)
        for table in self.layout.tables:
            sheets[table.sheet] = d = _Drawing()
            tables[table.sheet] = self._table(d, table)
        sheets[form.CHECK_SHEET] = d = _Drawing()
        self._checks(d)
        return _LayoutDrawings(self.formats, sheets, tables, text, self.bad, self.ok)

    # 基本信息 and 文字部分 ------------------------------------------------------------------

    def _info(self, d: _Drawing) -> None:
        widths = form.SHEET_COLUMN_WIDTHS[form.INFO_SHEET]
        _widths(d, widths)
        d.hide_gridlines(2)
        d.set_row(0, 30)
        d.merge_range(f"{form.INFO_TITLE_REF}:B1", form.INFO_TITLE, self.fmt(bold=True, font_size=16, align="center"))
        label = self.fmt(border=1, bold=True, align="center", bg_color=HEADER_FILL, text_wrap=True)
        for cell in form.INFO_CELLS:
            d.write_string(cell.label_ref, cell.label, label)
            if cell.editable:  # the value's row height is the workbook's (TemplateWriter._info)
                d.set_row(split_ref(cell.ref)[0] - 1, row_height(line_count("", widths[1])))
                d.data_validation(cell.ref, {"validate": "length", "criteria": "<=", "value": _INFO_MAX_CHARS,
                                             "input_title": cell.label, "input_message": cell.prompt,
                                             "error_title": form.ERROR_TITLE,
                                             "error_message": message("TEMPLATE-INFO-TOO-LONG",
                                                                      limit=_INFO_MAX_CHARS)})
        note_row, _ = split_ref(form.INFO_NOTE_REF)
        d.set_row(note_row - 1, row_height(line_count(form.INFO_NOTE, sum(widths))))
        d.merge_range(f"{form.INFO_NOTE_REF}:B{note_row}", form.INFO_NOTE, self.fmt(text_wrap=True, font_color="#595959"))
        _print_setup(d)

    def _text(self, d: _Drawing) -> _TextCells:
        width = form.SHEET_COLUMN_WIDTHS[form.TEXT_SHEET][0]
        _widths(d, (width,))
        d.hide_gridlines(2)
        heights: dict[int, float] = {0: 30.0, 1: row_height(line_count(form.TEXT_NOTE, width))}
        d.write_string(form.TEXT_TITLE_REF, form.TEXT_TITLE, self.fmt(bold=True, font_size=16, align="center"))
        d.write_string(form.TEXT_NOTE_REF, form.TEXT_NOTE, self.fmt(text_wrap=True, font_color="#595959"))
        heading = self.fmt(bold=True, font_size=12, valign="bottom")
        guidance = self.fmt(text_wrap=True, italic=True, font_color="#595959", valign="top")
        cells: list[tuple[int, int, form.TextCell]] = []
        blocks: list[tuple[int, int]] = []  # (heading row, text row), 0-based
        for tc in form.text_cells(self.layout):
            h_row, g_row, t_row = (split_ref(r)[0] - 1 for r in (tc.heading_ref, tc.guidance_ref, tc.ref))
            heights[h_row] = _HEADING_ROW_HEIGHT
            d.write_string(tc.heading_ref, tc.heading, heading)
            heights[g_row] = row_height(line_count(tc.guidance, width))
            d.write_string(tc.guidance_ref, tc.guidance, guidance)
            cells.append((t_row, split_ref(tc.ref)[1] - 1, tc))
            blocks.append((h_row, t_row))
        # one prompt for every text cell (a validation that allows anything)
        refs = [tc.ref for _, _, tc in cells]
        d.data_validation(refs[0], {"validate": "any", "input_title": form.TEXT_PROMPT_TITLE,
                                    "input_message": form.TEXT_PROMPT, "multi_range": " ".join(refs)})
        for row, h in heights.items():
            d.set_row(row, h)
        _single_column_area(d, blocks[-1][1])
        _print_setup(d)
        return _TextCells(tuple(cells), heights, tuple(blocks))

    # the statutory tables -------------------------------------------------------------------

    def _table(self, d: _Drawing, table: Table) -> _TableCells:
        widths = form.TABLE_COLUMN_WIDTHS[table.id]
        _widths(d, widths)
        side = table.n_cols + 1  # 0-based index of the check column
        d.set_column(table.n_cols, table.n_cols, 2)
        d.set_column(side, side, form.CHECK_COLUMN_WIDTH)
        self._table_grid(d, table, widths)
        inputs = []
        for fl in table.fields:
            if fl.is_input:
                r, c = split_ref(fl.ref)
                inputs.append((r - 1, c - 1, fl.key))
            else:
                refs = [self.layout.fields[p].ref for p in fl.parts]
                d.write_formula(fl.ref, "=" + sum_expr(refs), self.f_total, "")
        self._validations(d, table)
        place = form.table_placement(self.layout, table.sheet)
        self._table_checks(d, place)
        mark_row, mark_col = split_ref(place.unit_mark_ref)
        d.set_column(mark_col - 1, mark_col - 1, None, None, {"hidden": True})
        self._table_print(d, table)
        return _TableCells(tuple(inputs), (mark_row - 1, mark_col - 1))

    def _table_grid(self, d: _Drawing, table: Table, widths: Sequence[float]) -> None:
        """The labels and merges of the statutory grid, and row heights that show every label whole."""
        heights: dict[int, float] = {}
        tall: list[tuple[int, int, float]] = []  # multi-row merges: first row, last row, needed height
        header_fmt = self.fmt(border=1, text_wrap=True, align="center", bold=True, bg_color=HEADER_FILL)
        merge_at = {rng.split(":")[0]: rng for rng in table.merges}
        for lb in table.labels:
            row, col = split_ref(lb.ref)
            rng = merge_at.get(lb.ref, lb.ref)
            first, _, last = rng.partition(":")
            r2, c2 = split_ref(last or first)
            width = sum(widths[c - 1] for c in range(col, c2 + 1))
            f = self._label_format(table, row, col, header_fmt)
            need = row_height(line_count(lb.text, width))
            if rng == lb.ref:
                d.write_string(lb.ref, lb.text, f)
            else:
                d.merge_range(rng, lb.text, f)
            if r2 == row:
                heights[row] = max(heights.get(row, _MIN_ROW_HEIGHT), need)
            else:
                tall.append((row, r2, need))
        # merged ranges without a label, and merged number cells (表二 B7:D7 etc.)
        labelled = {lb.ref for lb in table.labels}
        fields = table.field_by_ref
        for rng in table.merges:
            first = rng.split(":")[0]
            if first in labelled:
                continue
            if first in fields:
                is_input = fields[first].is_input
                d.merge_range(rng, "", self.f_input if is_input else self.f_total)
                rest = self.fmt(border=1, bg_color=INPUT_FILL) if is_input else self.f_total
                for ref in cells_in_range(rng)[1:]:  # only the top-left cell of a merge is editable
                    d.write_blank(ref, None, rest)
            else:
                d.merge_range(rng, "", self.f_label)
        for row in range(1, table.n_rows + 1):
            heights.setdefault(row, _MIN_ROW_HEIGHT)
        for r1, r2, need in tall:
            have = sum(heights[r] for r in range(r1, r2 + 1))
            if have < need:
                extra = (need - have) / (r2 - r1 + 1)
                for r in range(r1, r2 + 1):
                    heights[r] += extra
        for row, h in heights.items():
            d.set_row(row - 1, h)

    def _label_format(self, table: Table, row: int, col: int, header_fmt: _FormatRef) -> _FormatRef:
        if row <= table.header_rows or _is_t2_header(table, row):
            return header_fmt
        if table.merge_of(f"A{row}") and col == 1 and not any(split_ref(f.ref)[0] == row for f in table.fields):
            # a 表二 section row such as 第二十条第（一）项
            return self.fmt(border=1, bold=True, align="left", bg_color=HEADER_FILL, text_wrap=True)
        return self.f_row_label

    def _validations(self, d: _Drawing, table: Table) -> None:
        by_kind: dict[Kind, list[str]] = {}
        for fl in table.fields:
            if fl.is_input:
                by_kind.setdefault(fl.kind, []).append(fl.ref)
        for kind, refs in by_kind.items():
            ranges = rectangles(refs)
            opts: dict[str, Any] = {
                "input_title": form.INPUT_TITLE[kind], "input_message": form.INPUT_PROMPT[kind],
                "error_title": form.ERROR_TITLE, "error_message": form.ERROR_MESSAGE[kind],
                "error_type": "stop", "ignore_blank": True, "multi_range": " ".join(ranges),
            }
            if kind is Kind.COUNT:
                opts.update(validate="integer", criteria=">=", value=0)
            elif kind is Kind.SIGNED:
                opts.update(validate="integer", criteria="between", minimum=-_SIGNED_LIMIT, maximum=_SIGNED_LIMIT)
            else:
                opts.update(validate="decimal", criteria=">=", value=0)
            d.data_validation(ranges[0], opts)

    def _table_checks(self, d: _Drawing, place: form.TablePlacement) -> None:
        """The live checks beside and below the table, their highlights and the status mirror."""
        lay = self.layout
        check_fmt = self.fmt(border=1, align="center", font_size=10)
        note_fmt = self.fmt(font_size=10, font_color="#595959")
        if place.beside_header_ref:
            d.write_string(place.beside_header_ref, form.BESIDE_HEADER, self.fmt(bold=True, align="center",
                                                                                 font_size=10, text_wrap=True))
        for ref, rule in place.below_labels:
            d.write_string(ref, form.BELOW_LABEL.format(rule=form.RULE_TEXT[rule]), note_fmt)
        for row in {split_ref(ref)[0] for ref, _ in place.below_labels}:
            d.set_row(row - 1, _MIN_ROW_HEIGHT)
        for chk in place.checks:
            lhs = [lay.fields[k].ref for k in chk.equation.lhs]
            rhs = [lay.fields[k].ref for k in chk.equation.rhs]
            d.write_formula(chk.ref, _check_formula(sum_expr(lhs), sum_expr(rhs)), check_fmt, "")
        self._check_highlights(d, place.checks)
        d.write_string(place.status_label_ref, form.STATUS_MIRROR_LABEL, self.fmt(bold=True, align="right"))
        self._status_cell(d, place.status_ref, "=" + self.check_status)

    def _table_print(self, d: _Drawing, table: Table) -> None:
        """Each statutory table on one page, its header rows repeated and frozen."""
        _print_setup(d, landscape=table.id in form.LANDSCAPE_TABLES, one_page=True)
        d.print_area(0, 0, table.n_rows - 1, table.n_cols - 1)
        if table.header_rows:
            d.repeat_rows(0, table.header_rows - 1)
        first_input_col = min(split_ref(fl.ref)[1] for fl in table.fields)
        if table.header_rows:
            d.freeze_panes(table.header_rows, first_input_col - 1 if first_input_col > 1 else 0)

    def _check_highlights(self, d: _Drawing, checks: Sequence[form.TableCheck]) -> None:
        """The cells of each equation, and its check cell, turn red while the check shows ✗.

        A check beside its row (all its cells in that row) and a check below its column (all its
        cells in that column) are each one rule for all such checks, with a relative reference:
        ``=$L5="✗"`` applied to every row-checked cell reads the check of the cell's own row,
        ``=D$28="✗"`` the check of the cell's own column. References are relative to the top-left
        cell of the rule's range (Excel: of its first range; LibreOffice: of the ranges' bounding box),
        so the first range is put where both agree. The check cell is in its own rule's range (it
        reads itself). Any other check gets a rule of its own. A check with no input cell behind it
        joins the rule of its column of checks beside the table, or of its row of checks below it,
        where it reads itself; only one in neither has a rule of its own.
        """
        lay = self.layout
        by_row: dict[int, set[str]] = {}  # check column → cells (row checks)
        by_col: dict[int, set[str]] = {}  # check row → cells (column checks)
        alone: list[str] = []
        for chk in checks:
            # the input cells whose sum disagrees (a total cannot be edited: the inputs summed into it)
            cells = {lay.fields[k].ref for k in _inputs_behind(lay.id, chk.equation.keys)}
            r, c = split_ref(chk.ref)
            if not cells:
                alone.append(chk.ref)
                continue
            positions = [split_ref(x) for x in cells]
            if all(pr == r for pr, _ in positions):
                by_row.setdefault(c, set()).update(cells | {chk.ref})
            elif all(pc == c for _, pc in positions):
                by_col.setdefault(r, set()).update(cells | {chk.ref})
            else:
                first = sorted(cells | {chk.ref}, key=split_ref)
                d.conditional_format(first[0], {
                    "type": "formula", "criteria": f'=${col_letter(c)}${r}="{form.CHECK_BAD}"',
                    "format": self.bad, "multi_range": " ".join(compress_refs(first))})
        left_out = []
        for ref in alone:  # a check cell alone reads itself in the rule of its column or row of checks
            r, c = split_ref(ref)
            if c in by_row:
                by_row[c].add(ref)
            elif r in by_col:
                by_col[r].add(ref)
            else:
                left_out.append(ref)
        for c, cells in by_row.items():
            top = min(split_ref(x)[0] for x in cells)
            self._relative_rule(d, cells, f'=${col_letter(c)}{top}="{form.CHECK_BAD}"', by_rows=True)
        for r, cells in by_col.items():
            left = min(split_ref(x)[1] for x in cells)
            self._relative_rule(d, cells, f'={col_letter(left)}${r}="{form.CHECK_BAD}"', by_rows=False)
        if left_out:  # a check cell outside every highlight rule: red when it shows ✗
            d.conditional_format(left_out[0], {"type": "cell", "criteria": "==", "value": f'"{form.CHECK_BAD}"',
                                               "format": self.bad, "multi_range": " ".join(left_out)})

    def _relative_rule(self, d: _Drawing, cells: set[str], criteria: str, *, by_rows: bool) -> None:
        ranges = compress_refs(sorted(cells, key=split_ref))
        # first the range holding the top row (row rules) or the leftmost column (column rules)
        ranges = sorted(ranges, key=lambda rng: split_ref(rng.split(":")[0]) if by_rows
                        else split_ref(rng.split(":")[0])[::-1])
        d.conditional_format(ranges[0], {"type": "formula", "criteria": criteria, "format": self.bad,
                                         "multi_range": " ".join(ranges)})

    def _status_cell(self, d: _Drawing, ref: str, formula: str) -> None:
        """The status: green while it shows that all checks pass, red otherwise. Both are conditional:
        a red fill of its own would read as a problem mark of the feedback workbook."""
        d.write_formula(ref, formula, self.fmt(bold=True, align="left"), "")
        r, c = split_ref(ref)
        abs_ref = f"${col_letter(c)}${r}"
        d.conditional_format(ref, {"type": "formula", "criteria": f'={abs_ref}="{form.STATUS_OK}"', "format": self.ok})
        d.conditional_format(ref, {"type": "formula", "criteria": f'={abs_ref}<>"{form.STATUS_OK}"', "format": self.bad})

    # 校验 --------------------------------------------------------------------------------------

    def _checks(self, d: _Drawing) -> None:
        widths = form.SHEET_COLUMN_WIDTHS[form.CHECK_SHEET]
        _widths(d, widths)
        d.set_row(0, 28)
        d.write_string("A1", form.CHECK_TITLE, self.fmt(bold=True, font_size=14))
        self._check_status(d, len(widths))
        header = self.fmt(bold=True, border=1, align="center", bg_color=HEADER_FILL, text_wrap=True)
        for i, name in enumerate(form.CHECK_COLUMNS):
            d.write_string(form.CHECK_HEADER_ROW - 1, i, name, header)
        rows = form.check_rows(self.layout)
        self._check_rows(d, rows, widths)
        first, last = rows[0].row, rows[-1].row
        res_col = split_ref(rows[0].result_ref)[1]
        d.conditional_format(f"A{first}:{col_letter(res_col)}{last}", {
            "type": "formula", "criteria": f'=${col_letter(res_col)}{first}="{form.CHECK_BAD}"', "format": self.bad})
        d.freeze_panes(form.CHECK_HEADER_ROW, 0)
        d.repeat_rows(form.CHECK_HEADER_ROW - 1)
        _print_setup(d, landscape=True)  # eight columns: readable at full size only across the page

    def _check_status(self, d: _Drawing, n_cols: int) -> None:
        """The overall status, the count of inputs still empty, and the note under them."""
        lay = self.layout
        for ref, label in ((form.STATUS_LABEL_REF, form.STATUS_LABEL), (form.EMPTY_COUNT_LABEL_REF,
                                                                        form.EMPTY_COUNT_LABEL)):
            d.merge_range(f"{ref}:B{ref[1:]}", label, self.fmt(bold=True))
        bad_count = f'COUNTIF({form.check_range(lay)},"{form.CHECK_BAD}")'
        empty = form.EMPTY_COUNT_REF
        status = (f'=IF({bad_count}>0,"{form.status_bad(chr(34) + "&" + bad_count + "&" + chr(34))}",'
                  f'IF({empty}>0,"{form.status_empty(chr(34) + "&" + empty + "&" + chr(34))}","{form.STATUS_OK}"))')
        self._status_cell(d, form.STATUS_REF, status)
        blanks = []
        for table in lay.tables:
            refs = [fl.ref for fl in table.fields if fl.is_input]
            blanks += [f"COUNTBLANK({_quote(table.sheet)}!{r})" for r in rectangles(refs)]
        d.write_formula(empty, "=" + "+".join(blanks), self.fmt(bold=True, align="left", num_format="0"), "")
        note = message("CHECK-SHEET-NOTE")
        d.merge_range(f"{form.CHECK_NOTE_REF}:{col_letter(n_cols)}{form.CHECK_NOTE_REF[1:]}", note,
                      self.fmt(text_wrap=True, font_color="#595959"))

    def _check_rows(self, d: _Drawing, rows: Sequence[form.CheckRow], widths: Sequence[float]) -> None:
        """One row per equation: number, rule, description, cells, both sides, difference, result."""
        lay = self.layout
        text_fmt = self.fmt(border=1, text_wrap=True)
        num_fmt = self.fmt(border=1, align="center")
        for n, cr in enumerate(rows, start=1):
            eq = cr.equation
            sheet = lay.table_by_id[lay.fields[eq.keys[0]].table].sheet
            desc = _describe(lay, cr.equation)
            where = f"{sheet} " + "、".join(compress_refs([lay.fields[k].ref for k in eq.keys]))
            lines = max(line_count(desc, widths[2]), line_count(where, widths[3]))
            d.set_row(cr.row - 1, row_height(lines))
            d.write_number(cr.row - 1, 0, n, num_fmt)
            d.write_string(cr.row - 1, 1, rule_name(eq.rule), text_fmt)
            d.write_string(cr.row - 1, 2, desc, text_fmt)
            d.write_string(cr.row - 1, 3, where, text_fmt)
            lhs = sum_expr([lay.fields[k].ref for k in eq.lhs], sheet)
            rhs = sum_expr([lay.fields[k].ref for k in eq.rhs], sheet)
            d.write_formula(cr.lhs_ref, "=" + lhs, num_fmt, "")
            d.write_formula(cr.rhs_ref, "=" + rhs, num_fmt, "")
            d.write_formula(cr.diff_ref, f"={cr.lhs_ref}-{cr.rhs_ref}", num_fmt, "")
            d.write_formula(cr.result_ref, f'=IF(ROUND({cr.diff_ref},6)=0,"{form.CHECK_OK}","{form.CHECK_BAD}")',
                            num_fmt, "")


# ---------------------------------------------------------------------------------------------
# The writer of one workbook
# ---------------------------------------------------------------------------------------------


class TemplateWriter:
    """Writes one template workbook: replays the layout's drawings (:func:`_drawings`) onto its
    sheets and adds what is this workbook's own (unit, year, numbers, text, identity, protection)."""

    def __init__(self, wb: xlsxwriter.Workbook, layout: Layout, meta: TemplateMeta, report: Report | None,
                 password: str | None, deadline: str, contact: str, info: dict[str, str] | None = None) -> None:
        self.wb = wb
        self.info = info or {}
        self.layout = layout
        self.meta = meta
        self.report = report
        self.password = password or ""
        self.deadline = deadline
        self.contact = contact
        self.drawings = _drawings(layout.id)
        # the drawings' formats first, in their order; then any this workbook adds (fmt)
        self.formats = [wb.add_format(dict(key)) for key in self.drawings.formats.keys]
        self.fmt_cache: dict[_FormatKey, Format] = dict(zip(self.drawings.formats.keys, self.formats, strict=True))

    # formats ------------------------------------------------------------------------------

    def fmt(self, **props: Any) -> Format:
        key = tuple(sorted({**_BASE_FORMAT, **props}.items()))
        found = self.fmt_cache.get(key)
        if found is None:
            found = self.fmt_cache[key] = self.wb.add_format(dict(key))
        return found

    @property
    def f_input(self) -> Format:
        return self.fmt(border=1, align="center", locked=False, bg_color=INPUT_FILL)

    def write(self) -> None:
        lay = self.layout
        self._properties()
        sheets = {name: self.wb.add_worksheet(name) for name in form.sheet_names(lay)}
        rollup = self.report is not None and bool(self.report.members or self.report.left_out)
        if rollup:
            sheets[MEMBERS_SHEET] = self.wb.add_worksheet(MEMBERS_SHEET)
        meta_ws = self.wb.add_worksheet(META_SHEET)
        for name, drawing in self.drawings.sheets.items():
            drawing.replay(sheets[name], self.formats)
        self._instructions(sheets[form.INSTRUCTIONS_SHEET])
        self._info(sheets[form.INFO_SHEET])
        self._text(sheets[form.TEXT_SHEET])
        for table in lay.tables:
            self._table(sheets[table.sheet], table)
        self._header_footer(sheets[form.CHECK_SHEET], form.CHECK_SHEET)
        if rollup:
            self._members(sheets[MEMBERS_SHEET])
        self._meta(meta_ws)
        for ws in [*sheets.values(), meta_ws]:
            ws.protect(self.password, {"format_columns": True, "format_rows": True,
                                       "select_locked_cells": True, "select_unlocked_cells": True})
        sheets[form.INSTRUCTIONS_SHEET].activate()

    def _properties(self) -> None:
        self.wb.set_properties({
            "title": message("TEMPLATE-PROPERTY-TITLE", unit=self.meta.unit_name, year=self.meta.year),
            "subject": message("TEMPLATE-PROPERTY-SUBJECT"),
            "author": "nianbao",
            "comments": message("TEMPLATE-PROPERTY-COMMENTS"),
            "created": datetime(self.meta.year + 1, 1, 1, tzinfo=UTC).replace(tzinfo=None),
        })
        for name, value in self.meta.as_pairs():
            # Excel keeps at most 255 characters of a property's text (a consolidated workbook's member
            # list is longer): such a value is kept on the hidden sheet only, where the reader finds it.
            if len(value.encode("utf-16-le")) // 2 <= _MAX_PROPERTY_CHARS:
                self.wb.set_custom_property(PROPERTY_PREFIX + name, value)

    # page set-up --------------------------------------------------------------------------

    def _portrait(self, ws: Worksheet, header: str) -> None:
        _print_setup(ws)
        self._header_footer(ws, header)

    def _header_footer(self, ws: Worksheet, header: str) -> None:
        """Header and footer of every sheet: the sheet, the year, the unit and the page number (all
        printed text at least 15 mm from each edge of the paper, with the margins of _print_setup)."""
        ws.set_header(self._header_text(header), {"margin": form.HEADER_MARGIN})
        ws.set_footer(self._footer_text(), {"margin": form.HEADER_MARGIN})

    def _single_column_area(self, ws: Worksheet, last_row: int) -> None:
        _single_column_area(ws, last_row)

    def _header_text(self, text: str) -> str:
        return f'&C&"{FONT},Bold"&12{text.replace("&", "&&")}&R' + message("TEMPLATE-HEADER-YEAR", year=self.meta.year)

    def _footer_text(self) -> str:
        unit = self.meta.unit_name
        if len(unit) > 24:
            unit = unit[:23] + "…"
        return f"&L{unit.replace('&', '&&')}&R" + message("TEMPLATE-FOOTER-PAGE")

    def _widths(self, ws: Worksheet, widths: Sequence[float]) -> None:
        _widths(ws, widths)

    # sheets -------------------------------------------------------------------------------

    def _instructions(self, ws: Worksheet) -> None:
        widths = form.SHEET_COLUMN_WIDTHS[form.INSTRUCTIONS_SHEET]
        self._widths(ws, widths)
        ws.hide_gridlines(2)
        lines = form.instructions(self.layout, year=self.meta.year, unit_name=self.meta.unit_name,
                                  deadline=self.deadline, contact=self.contact, campaign=self.meta.campaign)
        styles = {
            "title": self.fmt(bold=True, font_size=16, align="center", text_wrap=True),
            "heading": self.fmt(bold=True, text_wrap=True, valign="bottom"),
            "text": self.fmt(text_wrap=True, valign="top"),
        }
        for i, (style, text) in enumerate(lines):
            size = 16 if style == "title" else FONT_SIZE
            # broken here, a little short of the cell's width, so that no program breaks them again
            # and every line has exactly the height given: the same gap under every paragraph
            broken = wrap(text, widths[0] * FONT_SIZE / size - 1.5, print_units, hang=2.1)
            height = len(broken) * _LINE_HEIGHT * size / FONT_SIZE + 4
            ws.set_row(i, height + (8 if style != "text" else 0))
            ws.write_string(i, 0, "\n".join(broken), styles[style])
        self._single_column_area(ws, len(lines) - 1)
        self._portrait(ws, form.INSTRUCTIONS_SHEET)


    def _info(self, ws: Worksheet) -> None:
        """The values of 基本信息 (its labels, prompts and note are the layout's drawing)."""
        width = form.SHEET_COLUMN_WIDTHS[form.INFO_SHEET][1]
        values: dict[str, Any] = {
            "unit_name": self.meta.unit_name,
            "unit_code": self.meta.unit_code,
            "year": self.meta.year,
            "layout": form.layout_text(self.layout),
        }
        for cell, (row, col) in _INFO_POSITIONS:
            if cell.editable:
                editable = self.fmt(border=1, text_wrap=True, align="left", locked=False, bg_color=INPUT_FILL)
                if self.info.get(cell.name):
                    ws.write_string(row, col, self.info[cell.name][:_INFO_MAX_CHARS], editable)
                else:
                    ws.write_blank(row, col, None, editable)
                continue
            value = values[cell.name]
            ws.set_row(row, row_height(line_count(str(value), width)))
            if isinstance(value, int):
                ws.write_number(row, col, value, self.fmt(border=1, align="left", num_format="0"))
            else:
                ws.write_string(row, col, value, self.fmt(border=1, text_wrap=True, align="left"))
        self._header_footer(ws, form.INFO_SHEET)

    def _text(self, ws: Worksheet) -> None:
        """The text of 文字部分 (its headings and guidance are the layout's drawing), row heights to
        show it, and page breaks that keep each heading with its box."""
        plan = self.drawings.text
        width = form.SHEET_COLUMN_WIDTHS[form.TEXT_SHEET][0]
        cell_fmt = self.fmt(text_wrap=True, valign="top", align="left", border=1, locked=False, bg_color=INPUT_FILL)
        texts = self.report.text if self.report else {}
        heights = dict(plan.heights)
        for row, col, tc in plan.cells:
            text = texts.get(tc.section, "")
            heights[row] = max(tc.height, min(409.0, row_height(line_count(text, width))))
            ws.set_row(row, heights[row])
            if text:
                ws.write_string(row, col, text, cell_fmt)
            else:
                ws.write_blank(row, col, None, cell_fmt)
        ws.set_h_pagebreaks(keep_blocks_together(heights, list(plan.blocks), form.printable_height()))
        self._header_footer(ws, form.TEXT_SHEET)

    def _table(self, ws: Worksheet, table: Table) -> None:
        """A table's numbers (prefilled or blank), its unit mark, its page header and footer."""
        cells = self.drawings.tables[table.sheet]
        values = self.report.values if self.report else {}
        f_input = self.f_input
        for row, col, key in cells.inputs:
            value = values.get(key)
            if value is None:
                ws.write_blank(row, col, None, f_input)
            elif abs(Decimal(value)) >= _EXACT_LIMIT:  # beyond a spreadsheet's numbers: shown as text, flagged on return
                ws.write_string(row, col, show(value), f_input)
            else:
                ws.write_number(row, col, _num(value), f_input)
        ws.write_string(*cells.unit_mark, form.unit_mark(self.meta.unit_code, self.meta.unit_name),
                        self.fmt(font_color="#808080"))
        self._header_footer(ws, f"{table.sheet}  {table.title}")

    def _members(self, ws: Worksheet) -> None:
        """A consolidated workbook's members: every unit of the roster, included or left out, and why."""
        assert self.report is not None
        r = self.report
        self._portrait(ws, MEMBERS_SHEET)
        self._widths(ws, (16, 44, 30))
        ws.merge_range(0, 0, 0, 2, message("MEMBERS-TITLE", office=self.meta.unit_name, year=self.meta.year),
                       self.fmt(bold=True, font_size=14, align="center"))
        ws.set_row(0, 28)
        head = self.fmt(border=1, bold=True, align="center", bg_color=HEADER_FILL)
        for col, code in enumerate(("MEMBERS-HEADER-CODE", "MEMBERS-HEADER-NAME", "MEMBERS-HEADER-STATE")):
            ws.write_string(1, col, message(code), head)
        plain = self.fmt(border=1, align="left")
        bad = self.fmt(border=1, align="left", bg_color=BAD_FILL, font_color=BAD_FONT)
        rows = [*((u, "MEMBERS-INCLUDED", plain) for u in r.members),
                *((u, "MEMBERS-MISSING", bad) for u in r.missing),
                *((u, "MEMBERS-EXCLUDED", bad) for u in r.excluded)]
        for i, (unit, state, f) in enumerate(rows, start=2):
            ws.write_string(i, 0, unit.code, f)
            ws.write_string(i, 1, unit.name, f)
            ws.write_string(i, 2, message(state), f)
        ws.write_string(len(rows) + 3, 0, message("MEMBERS-SUMMARY", included=len(r.members),
                                                  left_out=len(r.left_out)), self.fmt(bold=True))
        ws.repeat_rows(1)

    def _meta(self, ws: Worksheet) -> None:
        for i, (name, value) in enumerate(self.meta.as_pairs()):
            ws.write_string(i, 0, name)
            ws.write_string(i, 1, value)
        ws.very_hidden()


def keep_blocks_together(heights: dict[int, float], blocks: list[tuple[int, int]], page: float) -> list[int]:
    """Manual page breaks (0-based rows that start a page) so that no block of rows (a heading,
    its guidance and its box) is split across pages when it fits on one page."""
    breaks: list[int] = []
    used = 0.0
    row = 0
    for first, last in blocks:
        while row < first:
            used += heights.get(row, _DEFAULT_ROW_HEIGHT)
            row += 1
        block = sum(heights.get(r, _DEFAULT_ROW_HEIGHT) for r in range(first, last + 1))
        if used + block > page and used > 0 and block <= page:
            breaks.append(first)
            used = 0.0
        used += block
        row = last + 1
        while used > page:  # a block taller than a page: continues on the next
            used -= page
    return breaks


@functools.lru_cache(maxsize=1024)
def _inputs_behind(layout_id: str, keys: tuple[str, ...]) -> tuple[str, ...]:
    """:func:`form.inputs_behind`'s keys, once per layout and equation."""
    return tuple(form.inputs_behind(get_layout(layout_id), keys))


def _is_t2_header(table: Table, row: int) -> bool:
    """A 表二 row of column headers: it holds labels but no numbers, and starts with
    :data:`~nianbao.layout.T2_HEADER_LABEL`."""
    first = table.label_by_ref.get(f"A{row}")
    return first is not None and first.text == T2_HEADER_LABEL


def _check_formula(lhs: str, rhs: str) -> str:
    return f'=IF(ROUND({lhs}-{rhs},6)=0,"{form.CHECK_OK}","{form.CHECK_BAD}")'


def _describe(layout: Layout, eq: Equation) -> str:
    """A check row's description: the rule and the cell it is about."""
    key = eq.lhs[0]
    f = layout.fields[key]
    table = layout.table_by_id[f.table]
    if eq.rule == "T3-BALANCE" or eq.rule == "T3-OUTCOME-TOTAL":
        where = message("TEMPLATE-CHECK-COLUMN", sheet=table.sheet, label=f.col_label)
    elif eq.rule == "T3-ROW-TOTAL":
        where = message("TEMPLATE-CHECK-ROW", sheet=table.sheet, label=f.row_label)
    else:
        where = message("TEMPLATE-CHECK-CELL", sheet=table.sheet, label=f.row_label)
    return message("TEMPLATE-CHECK-DESCRIPTION", where=where, rule=form.RULE_TEXT.get(eq.rule, rule_name(eq.rule)))


def _num(value: int | Decimal) -> int | float:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# ---------------------------------------------------------------------------------------------
# Password hash of the workbook structure lock (written by _lock_structure)
# ---------------------------------------------------------------------------------------------


def _legacy_hash(password: str) -> str:
    """Excel's 16-bit legacy password hash (ECMA-376-4 §18.2.29), the one XlsxWriter uses for sheets."""
    digest = 0
    for char in password[::-1]:
        digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
        digest ^= ord(char)
    digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
    digest ^= len(password)
    digest ^= 0xCE4B
    return f"{digest:X}"


# ---------------------------------------------------------------------------------------------
# python -m nianbao.workbook.writer --refresh-templates
# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nianbao.workbook.writer",
                                     description="Regenerate the blank workbooks of templates/.")
    parser.add_argument("--refresh-templates", action="store_true", help="rewrite templates/*.xlsx")
    parser.add_argument("--dir", default=None, help="output directory (default: templates/ of the current directory, "
                        "the repository's root)")
    args = parser.parse_args(argv)
    if not args.refresh_templates:
        parser.print_help()
        return 2
    if args.dir is None and not TEMPLATES_DIR.is_dir():
        parser.error(f"no {TEMPLATES_DIR}/ folder here: run this from the repository's root, or pass --dir")
    for path in refresh_templates(args.dir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

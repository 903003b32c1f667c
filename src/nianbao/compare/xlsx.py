"""The comparison as a workbook: a summary sheet, then details (figures, text, copies, hierarchy).

Chinese headers, A4 landscape, one page wide, header rows repeated; every text cell escaped
against formula injection.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from nianbao.compare.run import Comparison
from nianbao.compare.similarity import NOTE, WARNING
from nianbao.display import display_width
from nianbao.findings import _jsonable
from nianbao.messages import message

LEVEL_TEXT = {WARNING: message("COMPARE-LEVEL-warning"), NOTE: message("COMPARE-LEVEL-note"), "none": ""}


def flag_text(flag: str, previous: Any) -> str:
    from nianbao.values import show

    return message(f"FIGURE-FLAG-{flag}", previous=show(previous))


def unit_label(u: Any) -> str:
    return u.unit.name + (message("COMPARE-ROLLUP") if u.rollup else "")


def _headings(*codes: str) -> list[str]:
    return [message(f"COMPARE-COL-{code}") for code in codes]


class _Book:
    """The workbook being written: its formats, and sheets whose rows grow for wrapped text."""

    def __init__(self, buf: io.BytesIO) -> None:
        import xlsxwriter

        wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                       "strings_to_numbers": False})
        self.wb = wb
        self.head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                   "valign": "vcenter"})
        self.cell = wb.add_format({"border": 1, "text_wrap": True, "valign": "top"})
        self.warn = wb.add_format({"border": 1, "text_wrap": True, "valign": "top", "bg_color": "#F8CBAD"})
        self.note = wb.add_format({"border": 1, "text_wrap": True, "valign": "top", "bg_color": "#FFE699"})
        self.pct = wb.add_format({"border": 1, "num_format": "0.0", "valign": "top"})
        self.widths_of: dict[str, list[int]] = {}

    def sheet(self, name_code: str, header: list[str], widths: list[int]) -> Any:
        """A landscape A4 sheet, one page wide, its header row repeated on every page and frozen."""
        ws = self.wb.add_worksheet(message(f"COMPARE-SHEET-{name_code}"))
        self.widths_of[ws.name] = widths
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.write_row(0, 0, header, self.head)
        for i, w in enumerate(widths):
            ws.set_column(i, i, w)
        ws.freeze_panes(1, 0)
        return ws

    def put(self, ws: Any, row: int, values: list[Any], fmt: Any = None) -> None:
        """One row; every text escaped against formula injection."""
        from nianbao.display import escape_cell

        fmt = self.cell if fmt is None else fmt
        # LibreOffice and Excel do not grow a row for wrapped text written by a program: set its height
        lines = 1
        for value, width in zip(values, self.widths_of[ws.name], strict=False):
            if isinstance(value, str):
                lines = max(lines, sum(-(-display_width(part) // max(1, width - 1)) or 1
                                       for part in value.split("\n")))
        if lines > 1:
            ws.set_row(row, 15 * lines)
        for col, value in enumerate(values):
            value = _jsonable(value)
            if value is None:
                ws.write_blank(row, col, None, fmt)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                ws.write_number(row, col, value, fmt)
            else:
                ws.write_string(row, col, escape_cell(str(value)), fmt)


def comparison_bytes(result: Comparison) -> bytes:
    buf = io.BytesIO()
    book = _Book(buf)
    _summary_sheet(book, result)
    _figures_sheet(book, result)
    _text_sheet(book, result)
    _copies_sheet(book, result)
    _hierarchy_sheet(book, result)
    book.wb.close()
    return buf.getvalue()


def _summary_sheet(book: _Book, result: Comparison) -> None:
    from nianbao.display import escape_cell

    summary = book.sheet("SUMMARY", [*_headings("UNIT", "CURRENT", "PREVIOUS", "ITEM", "CHANGED", "CHECK"),
                                     LEVEL_TEXT[WARNING], LEVEL_TEXT[NOTE], *_headings("TOP-PCT")],
                         [40, 8, 8, 8, 8, 8, 10, 10, 14])
    for i, u in enumerate(result.units, start=1):
        top = max((s.percent for s in u.similarity), default=None)
        fmt = book.warn if u.level(WARNING) else book.note if u.level(NOTE) else book.cell
        book.put(summary, i, [unit_label(u), u.year, u.previous_year, len(u.figures), len(u.changed),
                              len(u.flagged), len(u.level(WARNING)), len(u.level(NOTE)), top], fmt)
    row = len(result.units) + 2
    if result.without_previous:
        summary.write_string(row, 0, escape_cell(message(
            "COMPARE-NO-PREVIOUS-UNITS", units="、".join(u.name for u in result.without_previous))))


def _figures_sheet(book: _Book, result: Comparison) -> None:
    figures = book.sheet("FIGURES", _headings("UNIT", "TABLE", "ROW", "COLUMN", "PREVIOUS", "CURRENT", "CHANGE",
                                              "CHANGE-PCT-PAREN", "CHECK"),
                         [24, 6, 44, 22, 10, 10, 10, 10, 36])
    r = 1
    for u in result.units:
        for f in u.figures:
            flags = "；".join([*(flag_text(x, f.previous) for x in f.flags if x != "stock"), *f.notes])
            book.put(figures, r, [unit_label(u), f.table, f.row_label, f.col_label, f.previous, f.current, f.change,
                                  None, flags], book.warn if f.flags else book.cell)
            if f.change_pct is not None:
                figures.write_number(r, 7, f.change_pct, book.pct)
            r += 1


def _text_sheet(book: _Book, result: Comparison) -> None:
    text = book.sheet("TEXT", _headings("UNIT", "SECTION", "SIMILARITY-PCT", "LEVEL", "PASSAGES"),
                      [28, 24, 10, 10, 90])
    r = 1
    for u in result.units:
        for s in u.similarity:
            fmt = book.warn if s.level == WARNING else book.note if s.level == NOTE else book.cell
            book.put(text, r, [unit_label(u), s.heading, s.percent, LEVEL_TEXT[s.level], "\n".join(s.passages)],
                     fmt)
            r += 1


def _copies_sheet(book: _Book, result: Comparison) -> None:
    copies = book.sheet("COPIES", _headings("UNIT", "SECTION", "OTHER-UNIT", "SECTION", "SIMILARITY-PCT",
                                            "PASSAGES"), [28, 12, 28, 12, 10, 70])
    for i, c in enumerate(result.copies, start=1):
        book.put(copies, i, [c.unit_a.name, _section(c.section_a), c.unit_b.name, _section(c.section_b),
                             c.percent, c.passage], book.warn)


def _hierarchy_sheet(book: _Book, result: Comparison) -> None:
    hier = book.sheet("HIERARCHY", _headings("PARENT", "ITEM", "STATED", "CHILDREN-SUM", "LEVEL",
                                             "MISSING-CHILDREN"), [28, 50, 12, 12, 12, 40])
    line = 1
    for h in result.hierarchy:
        missing = "、".join(m.name for m in h.missing)
        if not h.rows:
            book.put(hier, line, [h.parent.name, "", None, None, message("COMPARE-HIER-SAME"), missing])
            line += 1
        for item in h.rows:
            verdict = "COMPARE-HIER-DIFFERENT" if item.status == "mismatch" else "COMPARE-HIER-UNSURE"
            book.put(hier, line, [h.parent.name, item.where, item.stated, item.children_sum, message(verdict),
                                  missing], book.warn if item.status == "mismatch" else book.note)
            line += 1


def copy_text(c: Any) -> str:
    """The Chinese sentence saying that two units' sections are alike."""
    return message("TEXT-COPIED-UNIT", unit_a=c.unit_a.name, section_a=_section(c.section_a), unit_b=c.unit_b.name,
                   section_b=_section(c.section_b), percent=c.percent, passage=c.passage)


def _section(section: str) -> str:
    from nianbao.layout import LAYOUT_2021, get_layout

    if section == "preface":
        return message("COMPARE-PREFACE")
    return get_layout(LAYOUT_2021).section_by_id[section].heading  # the same headings in both layouts


def write_comparison_xlsx(result: Comparison, path: str | Path) -> None:
    from nianbao.model import write_atomic

    write_atomic(Path(path), comparison_bytes(result))

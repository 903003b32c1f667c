"""The feedback workbook: a fresh template for the same unit, prefilled with what was read back,
each problem cell marked red with the message as a comment, and a 问题清单 sheet listing every finding.

The returned file is only ever read. The fresh template comes from the writer (XlsxWriter); the
marks are added afterwards with openpyxl, which keeps the writer's protection, data validations,
conditional formats, document properties and the very hidden meta sheet (``tests/test_feedback.py``
checks each), and which empties no cached value that matters: the writer leaves every formula's
cache empty anyway.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl.utils import get_column_letter

from nianbao.findings import CheckResult, Finding, Severity, rule_name, severity_text
from nianbao.layout import Layout
from nianbao.messages import message
from nianbao.model import Loaded, Report
from nianbao.present import EQUATION_RULES, consequences
from nianbao.rules import check_report
from nianbao.workbook.reader import FEEDBACK_SHEET

MARK_FILL = "FFC7CE"
MARK_FONT = "9C0006"
AUTHOR = "nianbao"
FONT = "宋体"  # as the template's own sheets
HEADER_ROW = 5  # rows 1–3: title, unit / deadline / contact, what to do; row 5: the column names
COLUMNS = (("序号", 5), ("级别", 6), ("问题", 16), ("单元格", 20), ("说明", 70), ("如何处理", 24), ("代码", 13))
# What the fresh copy itself puts right: the form (labels, formulas, sheets, protection, identity).
RESTORED_RULES = frozenset({
    "LABEL-ALTERED", "LABEL-VARIANT", "FORMULA-ALTERED", "TOTAL-STALE", "INPUT-FORMULA", "PROTECTION-OFF",
    "CELL-UNLOCKED", "MERGE-ALTERED", "SHEET-RENAMED", "SHEET-EXTRA", "SHEET-ORDER", "TABLE-MOVED",
    "CONTENT-OUTSIDE", "INFO-ALTERED", "WB-MACRO", "META-MISSING", "META-CONFLICT", "META-FINGERPRINT",
    "META-LAYOUT", "NUMBER-AS-TEXT",
})


def feedback_bytes(loaded: Loaded, result: CheckResult, *, deadline: str = "", contact: str = "",
                   previous: Report | None = None) -> bytes:
    from nianbao.workbook.writer import template_bytes

    report = _prefill(loaded.report)
    meta = loaded.meta
    info = {k: meta[k] for k in ("filler", "phone", "date") if meta.get(k)}  # the clerk's own 填报人, 联系电话
    raw, _ = template_bytes(layout_id=report.layout.id, year=report.year, unit=report.unit, report=report,
                            campaign=meta.get("campaign", ""), info=info, deadline=deadline, contact=contact)
    remaining = check_report(report, previous)
    return annotate(raw, report, result.findings, deadline=deadline, contact=contact, remaining=remaining.findings)


def _prefill(report: Report) -> Report:
    """Inputs and text only: the fresh template's totals are formulas again."""
    values = {k: v for k, v in report.values.items() if report.layout.fields[k].is_input}
    return Report(report.layout, report.year, report.unit, values, dict(report.text), dict(report.headings),
                  report.title, report.date, list(report.members), list(report.missing), list(report.excluded),
                  dict(report.unreadable))


def restored(findings: list[Finding], layout: Layout, remaining: list[Finding] | None) -> set[int]:
    """Indexes of the findings the fresh copy puts right by itself: the form's (labels, formulas,
    sheets …), and the equation findings that follow from an altered formula and are gone in the copy."""
    again = {(f.rule, f.keys) for f in remaining} if remaining is not None else None
    out = {i for i, f in enumerate(findings) if f.rule in RESTORED_RULES}
    for cause, after in consequences(findings, layout).items():
        if cause in out:
            out.update(j for j in after if again is not None and (findings[j].rule, findings[j].keys) not in again)
    return out


def marked_cells(f: Finding, layout: Layout) -> dict[str, str]:
    """The input cells to mark for a finding, each with what it feeds (empty for the key itself).

    A total cannot be edited: for an equation finding, the inputs summed into each of its column
    totals are marked instead, with the total they feed (:func:`form.inputs_behind`)."""
    from nianbao.workbook import form

    keys = tuple(k for k in f.keys if k in layout.fields)
    if f.rule not in EQUATION_RULES:
        return {k: "" for k in keys if layout.fields[k].is_input}
    return {k: "" if total is None else message("FEEDBACK-FEEDS", cell=layout.cell(total), what=layout.describe(total))
            for k, total in form.inputs_behind(layout, keys).items()}


def annotate(template: bytes, report: Report, findings: list[Finding], *, deadline: str = "", contact: str = "",
             remaining: list[Finding] | None = None) -> bytes:
    """Mark the input cells of each finding (at the template's own positions) and add 问题清单."""
    import warnings

    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(io.BytesIO(template))
    done = restored(findings, report.layout, remaining)
    notes = _cell_notes(findings, report.layout, done)
    _mark_cells(wb, notes)
    ws = wb.create_sheet(FEEDBACK_SHEET, 0)
    all_restored = not notes and bool(findings) and len(done) == len(findings)
    _issue_heading(ws, report, deadline, contact, all_restored)
    _issue_rows(ws, report, findings, done)
    _issue_page_setup(ws, report)
    wb.active = 0
    for other in wb.worksheets[1:]:
        other.sheet_view.tabSelected = False
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell_notes(findings: list[Finding], layout: Layout, done: set[int]) -> dict[tuple[str, str], list[str]]:
    """(sheet, cell) → the lines of its comment: each finding the fresh copy does not put right."""
    notes: dict[tuple[str, str], list[str]] = {}
    for i, f in enumerate(findings):
        if i in done:
            continue
        for key, feeds in marked_cells(f, layout).items():
            sheet, ref = layout.cell(key).split("!")
            line = f"【{severity_text(f.severity)}】{f.message}" + (f"\n{feeds}" if feeds else "")
            lines = notes.setdefault((sheet, ref), [])
            if line not in lines:
                lines.append(line)
    return notes


def _mark_cells(wb: Any, notes: dict[tuple[str, str], list[str]]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    fill = PatternFill("solid", start_color=MARK_FILL, end_color=MARK_FILL)
    for (sheet, ref), lines in notes.items():
        cell = wb[sheet][ref]
        cell.fill = fill
        comment = Comment("\n".join(lines), AUTHOR)
        comment.width = 360
        comment.height = min(400, 60 + 18 * sum(1 + len(x) // 24 for x in lines))
        cell.comment = comment


def _issue_heading(ws: Any, report: Report, deadline: str, contact: str, all_restored: bool) -> None:
    """问题清单's rows 1–3 (title; unit, deadline, contact; what to do) and the column names."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    from nianbao.workbook import form

    last_col = get_column_letter(len(COLUMNS))
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(f"A1:{last_col}1")
    ws["A1"] = message("FEEDBACK-TITLE", unit=report.unit.name, year=report.year)
    ws["A1"].font = Font(name=FONT, bold=True, size=14)
    ws.row_dimensions[1].height = 24
    parts = [message("FEEDBACK-UNIT", unit=report.unit.name)]
    if deadline:
        parts.append(message("FEEDBACK-DEADLINE", deadline=form.chinese_date(deadline)))
    if contact:
        parts.append(message("FEEDBACK-CONTACT", contact=contact))
    todo_all = "FEEDBACK-ALL-RESTORED" if all_restored else "FEEDBACK-WHAT-TO-DO"
    for line_no, text in ((2, "　　".join(parts)), (3, message(todo_all))):
        ws.merge_cells(f"A{line_no}:{last_col}{line_no}")
        ws.cell(line_no, 1, text).alignment = wrap
        ws.row_dimensions[line_no].height = 32
    ws["A2"].font = Font(name=FONT)
    ws["A3"].font = Font(name=FONT, bold=True, color=MARK_FONT)
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, (name, width) in enumerate(COLUMNS, start=1):
        c = ws.cell(HEADER_ROW, col, name)
        c.font = Font(name=FONT, bold=True)
        c.border = box
        c.fill = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
        ws.column_dimensions[get_column_letter(col)].width = width


def _issue_rows(ws: Any, report: Report, findings: list[Finding], done: set[int]) -> None:
    """One row per finding under the column names: what, where, what to do (or that it is put right)."""
    from openpyxl.styles import Alignment, Border, Font, Side

    from nianbao.workbook.writer import line_count

    layout = report.layout
    wrap = Alignment(wrap_text=True, vertical="top")
    number = Alignment(horizontal="center", vertical="top")
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    small = Font(size=8, color="808080")
    cause_of = {j: c for c, after in consequences(findings, layout).items() for j in after}
    for i, f in enumerate(findings, start=1):
        todo = message("FEEDBACK-RESTORED") if i - 1 in done else (
            message("FEEDBACK-FIX-CELLS") if marked_cells(f, layout) else message("FEEDBACK-CHECK"))
        if i - 1 in cause_of:
            todo = message("FEEDBACK-CAUSED-BY", no=cause_of[i - 1] + 1) + todo
        where = list(f.cells) if i - 1 in done else _cells(f, report)
        row: list[Any] = [i, severity_text(f.severity), rule_name(f.rule), "、".join(where),
                          f.message, todo, f.rule]
        r = HEADER_ROW + i
        for col, value in enumerate(row, start=1):
            c = ws.cell(r, col, value)
            c.alignment = number if col == 1 else wrap
            c.border = box
            c.font = Font(name=FONT)
            if col == 2 and f.severity is Severity.ERROR:
                c.font = Font(name=FONT, color=MARK_FONT, bold=True)
            if col == len(COLUMNS):
                c.font = small
        # Neither Excel nor LibreOffice grows a row to its wrapped text on open: size it here (the
        # code, in the last column, is in small type and left out)
        n_lines = max(line_count(str(v), w) for v, (_, w) in zip(row[:-1], COLUMNS[:-1], strict=True))
        ws.row_dimensions[r].height = 15 * n_lines + 5
    if not findings:
        ws.cell(HEADER_ROW + 1, 5, message("FEEDBACK-NONE"))


def _issue_page_setup(ws: Any, report: Report) -> None:
    """Printable like the other sheets: A4 landscape, one page wide, the heading row on every page."""
    from openpyxl.worksheet.page import PageMargins

    from nianbao.workbook import form

    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    m = form.PAGE_MARGINS
    ws.page_margins = PageMargins(left=m["left"], right=m["right"], top=m["top"], bottom=m["bottom"],
                                  header=form.HEADER_MARGIN, footer=form.HEADER_MARGIN)
    ws.oddHeader.center.text = FEEDBACK_SHEET
    ws.oddFooter.left.text = report.unit.name.replace("&", "&&")
    ws.oddFooter.right.text = message("FEEDBACK-PAGE-FOOTER")
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.protection.sheet = True


def _cells(f: Finding, report: Report) -> list[str]:
    """Where to look in the feedback workbook: the cells marked, else the keys' template cells,
    else the cells as found."""
    from nianbao.layout import split_ref
    from nianbao.workbook.writer import rectangles

    marked = marked_cells(f, report.layout)
    if marked and f.rule in EQUATION_RULES:
        by_sheet: dict[str, list[str]] = {}
        for key in marked:
            sheet, ref = report.layout.cell(key).split("!")
            by_sheet.setdefault(sheet, []).append(ref)
        return [f"{sheet}!" + "、".join(rectangles(sorted(refs, key=split_ref))) for sheet, refs in by_sheet.items()]
    if f.keys and all(k in report.layout.fields for k in f.keys):
        return [report.layout.cell(k) for k in f.keys]
    return list(f.cells)


__all__ = ["FEEDBACK_SHEET", "annotate", "feedback_bytes"]

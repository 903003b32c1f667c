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
import os
from pathlib import Path
from typing import Any

from nianbao.findings import CheckResult, Finding, Severity, severity_text
from nianbao.model import Loaded, Report, write_atomic
from nianbao.rules import check_loaded
from nianbao.sources import load_source
from nianbao.workbook.reader import FEEDBACK_SHEET

MARK_FILL = "FFC7CE"
MARK_FONT = "9C0006"
AUTHOR = "nianbao"
COLUMNS = (("序号", 6), ("级别", 6), ("规则", 18), ("单元格", 22), ("说明", 90))


def write_feedback(source: str | os.PathLike[str], out: str | os.PathLike[str], *,
                   previous: str | os.PathLike[str] | None = None) -> CheckResult:
    """Check ``source`` (a returned workbook or a data file) and write the feedback workbook to ``out``."""
    from nianbao.files import check_output

    check_output(out, [source, previous], force=True)  # never onto an input
    loaded = load_source(source)
    prev = load_source(previous).report if previous else None
    result = check_loaded(loaded, prev)
    data = feedback_bytes(loaded, result)
    write_atomic(Path(out), data)
    return result


def feedback_bytes(loaded: Loaded, result: CheckResult) -> bytes:
    from nianbao.workbook.writer import template_bytes

    report = _prefill(loaded.report)
    meta = loaded.meta
    info = {k: meta[k] for k in ("filler", "phone", "date") if meta.get(k)}  # the clerk's own 填报人, 联系电话
    raw, _ = template_bytes(layout_id=report.layout.id, year=report.year, unit=report.unit, report=report,
                            campaign=meta.get("campaign", ""), info=info)
    return annotate(raw, report, result.findings)


def _prefill(report: Report) -> Report:
    """Inputs and text only: the fresh template's totals are formulas again."""
    values = {k: v for k, v in report.values.items() if report.layout.fields[k].is_input}
    return Report(report.layout, report.year, report.unit, values, dict(report.text), dict(report.headings),
                  report.title, report.date, list(report.members), list(report.missing), list(report.excluded))


def annotate(template: bytes, report: Report, findings: list[Finding]) -> bytes:
    """Mark the cells of each finding (by key, at the template's own positions) and add 问题清单."""
    import warnings

    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(io.BytesIO(template))
    layout = report.layout
    notes: dict[tuple[str, str], list[str]] = {}
    for f in findings:
        for key in f.keys:
            if key in layout.fields:
                sheet, ref = layout.cell(key).split("!")
                notes.setdefault((sheet, ref), [])
                line = f"【{severity_text(f.severity)}】{f.message}"
                if line not in notes[(sheet, ref)]:
                    notes[(sheet, ref)].append(line)
    fill = PatternFill("solid", start_color=MARK_FILL, end_color=MARK_FILL)
    for (sheet, ref), lines in notes.items():
        cell = wb[sheet][ref]
        cell.fill = fill
        text = "\n".join(lines)
        comment = Comment(text, AUTHOR)
        comment.width = 360
        comment.height = min(400, 60 + 18 * sum(1 + len(x) // 24 for x in lines))
        cell.comment = comment

    ws = wb.create_sheet(FEEDBACK_SHEET, 0)
    bold = Font(bold=True)
    for col, (name, width) in enumerate(COLUMNS, start=1):
        ws.cell(1, col, name).font = bold
        ws.column_dimensions[chr(64 + col)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, f in enumerate(findings, start=1):
        row: list[Any] = [i, severity_text(f.severity), f.rule, "、".join(_cells(f, report)), f.message]
        for col, value in enumerate(row, start=1):
            c = ws.cell(i + 1, col, value)
            c.alignment = wrap
            if col == 2 and f.severity is Severity.ERROR:
                c.font = Font(color=MARK_FONT, bold=True)
        # Neither Excel nor LibreOffice grows a row to its wrapped text on open: size it here
        # (a CJK character is about two width units).
        n_lines = max(1 + 2 * len(str(v)) // max(1, w - 2) for v, (_, w) in zip(row, COLUMNS, strict=True))
        ws.row_dimensions[i + 1].height = 15 * n_lines
    if not findings:
        ws.cell(2, 5, "未发现问题。")
    ws.freeze_panes = "A2"
    # Printable like the other sheets: A4 landscape, one page wide, the heading row on every page.
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.protection.sheet = True
    wb.active = 0
    for other in wb.worksheets[1:]:
        other.sheet_view.tabSelected = False
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cells(f: Finding, report: Report) -> list[str]:
    """Where to look in the feedback workbook: the key's template cell, else the cell as found."""
    if f.keys and all(k in report.layout.fields for k in f.keys):
        return [report.layout.cell(k) for k in f.keys]
    return list(f.cells)


__all__ = ["FEEDBACK_SHEET", "annotate", "feedback_bytes", "write_feedback"]

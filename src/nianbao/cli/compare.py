"""``nianbao compare``: this year against last year (figures, flags, narrative), copies between units."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from nianbao.api import (
    LEVEL_TEXT,
    NOTE,
    WARN_AT,
    WARNING,
    Comparison,
    UnitComparison,
    Workspace,
    compare_reports,
    copy_text,
    show,
    unit_label,
    write_comparison,
)
from nianbao.cli._campaign import WorkspaceOption
from nianbao.cli.common import command, out
from nianbao.errors import UnusableInput
from nianbao.files import check_output
from nianbao.messages import message

_LEVEL_STYLE = {WARNING: "red", NOTE: "yellow", "none": ""}


def register(app: typer.Typer) -> None:
    @command(app, "compare", "与上一年度比较：每个数据项的上年数、本年数、增减和增减百分比，异常变化标记，"
             "文字部分与上年的相似度（去除标点、空格和年份后按字比较）。指定两个文件时比较这两份报告；"
             "否则比较工作区中每个单位和汇总数据与上年的差异，并查找单位之间高度雷同的文字、核对汇总表与下级单位报表。")
    def compare(
        this: Annotated[Optional[Path], typer.Argument(  # noqa: UP045 - typer needs Optional
            help="本年度的数据文件或工作簿。", metavar="本年文件")] = None,
        previous: Annotated[Optional[Path], typer.Argument(  # noqa: UP045
            help="上一年度的数据文件或工作簿。", metavar="上年文件")] = None,
        workspace: WorkspaceOption = Path("."),
        xlsx: Annotated[Optional[Path], typer.Option(  # noqa: UP045
            "--xlsx", help="同时将对比结果保存为 Excel 工作簿（汇总表和明细表，A4 横向）。", metavar="文件")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="以 JSON 格式输出。")] = False,
        full: Annotated[bool, typer.Option(
            "--all", help="工作区模式下也列出每个单位的全部数据项（默认只列需核对的）。")] = False,
    ) -> None:
        if xlsx is not None:
            check_output(xlsx, [this, previous], force=True)  # never onto an input
        if this is not None:
            if previous is None:
                raise UnusableInput("COMPARE-USAGE")
            result = compare_reports(this, previous)
            every_figure = True
        else:
            ws = Workspace.open(workspace)
            if not ws.config.previous and not as_json:
                out.print(message("COMPARE-NO-PREVIOUS"))
            result = ws.comparison()
            every_figure = full
        if xlsx is not None:
            write_comparison(result, xlsx)
        if as_json:
            sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
            return
        for u in result.units:
            _print_unit(u, every_figure)
        _print_campaign(result)
        if xlsx is not None:
            out.print(message("COMPARE-XLSX", path=str(xlsx)))


def _print_unit(u: UnitComparison, every_figure: bool) -> None:
    out.print(message("COMPARE-TITLE", unit=unit_label(u), year=u.year, previous_year=u.previous_year), style="bold")
    rows = u.figures if every_figure else u.flagged
    if rows:
        table = Table()
        table.add_column(message("COMPARE-COL-ITEM"), overflow="fold", ratio=1)
        for code in ("COMPARE-COL-PREVIOUS", "COMPARE-COL-CURRENT", "COMPARE-COL-CHANGE", "COMPARE-COL-CHANGE-PCT"):
            table.add_column(message(code), justify="right", no_wrap=True)
        table.add_column(message("COMPARE-COL-CHECK"), no_wrap=True)
        for f in rows:
            pct = "" if f.change_pct is None else f"{f.change_pct:+.1f}%"
            change = "" if f.change is None else (f"+{show(f.change)}" if f.change > 0 else show(f.change))
            flags = "、".join(message(f"FIGURE-FLAG-SHORT-{x}") for x in f.flags)
            where = f"{f.table} {f.row_label}" + (f"／{f.col_label}" if f.col_label else "")
            table.add_row(where, show(f.previous), show(f.current), change, pct, Text(flags, style="red"))
        out.print(table)
    for finding in u.stock:
        out.print(Text.assemble((message("CLI-NOTE-LABEL"), "yellow"), finding.message))
    if u.similarity:
        table = Table()
        table.add_column(message("COMPARE-COL-SECTION"), overflow="fold")
        table.add_column(message("COMPARE-COL-SIMILARITY"), justify="right", no_wrap=True)
        table.add_column(message("COMPARE-COL-LEVEL"), no_wrap=True)
        table.add_column(message("COMPARE-COL-PASSAGES"), overflow="fold")
        for s in u.similarity:
            table.add_row(s.heading, f"{s.percent}%", Text(LEVEL_TEXT[s.level], style=_LEVEL_STYLE[s.level]),
                          "\n".join(s.passages))
        out.print(table)
    for s in u.level(WARNING):
        out.print(Text.assemble((message("CLI-NOTE-LABEL"), "red"), message(
            "TEXT-SIMILAR-PREVIOUS", heading=s.heading, percent=s.percent, threshold=int(WARN_AT * 100),
            passage=s.passages[0] if s.passages else "")))
    for s in u.level(NOTE):
        out.print(Text.assemble((message("CLI-CAUTION-LABEL"), "yellow"), message("TEXT-SIMILAR-NOTE", heading=s.heading,
                                                            percent=s.percent)))
    out.print(message("COMPARE-SUMMARY", figures=len(u.figures), changed=len(u.changed), flagged=len(u.flagged),
                      warnings=len(u.level(WARNING)), notes=len(u.level(NOTE))))
    out.print()


def _print_campaign(result: Comparison) -> None:
    if result.without_previous:
        out.print(message("COMPARE-NO-PREVIOUS-UNITS", units="、".join(u.name for u in result.without_previous)))
    if len(result.units) > 1 or result.copies:
        if result.copies:
            out.print(message("COMPARE-COPIES-TITLE", count=len(result.copies)), style="bold")
            for c in result.copies:
                out.print("  " + copy_text(c))
        else:
            out.print(message("COMPARE-NO-COPIES"))
    for h in result.hierarchy:
        if not h.rows and not h.missing:
            out.print(message("COMPARE-HIER-OK", parent=h.parent.name, count=len(h.present)))
            continue
        out.print(message("COMPARE-HIER-TITLE", parent=h.parent.name), style="bold")
        if h.missing:
            out.print("  " + message("HIER-MISSING", parent=h.parent.name, units="、".join(m.name for m in h.missing)))
        for row in h.rows:
            code = "HIER-MISMATCH" if row.status == "mismatch" else "HIER-UNCERTAIN"
            out.print("  " + message(code, parent=h.parent.name, where=row.where, stated=show(row.stated),
                                     children_sum=show(row.children_sum)))

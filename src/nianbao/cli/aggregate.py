"""``nianbao aggregate``: the office's figures, workbook and report from the accepted returns."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from nianbao.api import Workspace, empty_sections
from nianbao.cli._campaign import WorkspaceOption
from nianbao.cli.common import command, err, out
from nianbao.messages import message


def register(app: typer.Typer) -> None:
    @command(app, "aggregate", "汇总：各单位最近一次通过校验的报表逐项相加，生成汇总数据文件、汇总工作簿"
             "（可报送上一级）和年度报告（.docx），存放在 reports/。有单位未报送或有错误时不汇总，"
             "除非加 --allow-incomplete。")
    def aggregate(
        workspace: WorkspaceOption = Path("."),
        allow_incomplete: Annotated[bool, typer.Option(
            "--allow-incomplete", help="有单位未报送或有错误时仍然汇总（报告标注为草稿）。")] = False,
        text: Annotated[Optional[Path], typer.Option(  # noqa: UP045 - typer needs Optional
            "--text", help="提供年度报告文字部分（一、五、六等）的数据文件（.json）或工作簿。", metavar="文件")] = None,
        date: Annotated[Optional[str], typer.Option(  # noqa: UP045
            "--date", help="年度报告的成文日期，写作 年-月-日，例如 2026-01-31（默认取工作区配置中的 date）。",
            metavar="日期")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="以 JSON 格式输出汇总结果。")] = False,
    ) -> None:
        result = Workspace.open(workspace).aggregate(allow_incomplete=allow_incomplete, text=text, date=date)
        empty = empty_sections(result.report)
        undated = not result.report.date
        excluded = result.missing + result.with_errors
        if as_json:
            doc = {"included": [{"code": u.code, "name": u.name} for u in result.included],
                   "missing": [{"code": u.code, "name": u.name} for u in result.missing],
                   "with_errors": [{"code": u.code, "name": u.name} for u in result.with_errors],
                   "draft": bool(excluded), "data_file": str(result.data_file), "workbook": str(result.workbook),
                   "docx": str(result.docx), "empty_sections": empty, "undated": undated}
            sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
            return
        for note in result.notes:
            err.print(note, highlight=False, markup=False)
        out.print(message("AGG-DONE", count=len(result.included)), highlight=False)
        if excluded:
            err.print(message("AGG-EXCLUDED", units="、".join(u.name for u in excluded)), highlight=False)
            err.print(message("CLI-AGG-DRAFT"), highlight=False)
        out.print(message("CLI-AGG-OUT", data=result.data_file, workbook=result.workbook, docx=result.docx),
                  highlight=False)
        if empty:
            err.print(message("AGG-EMPTY-SECTIONS", sections="、".join(empty)), highlight=False)
        if undated:
            err.print(message("AGG-UNDATED"), highlight=False)

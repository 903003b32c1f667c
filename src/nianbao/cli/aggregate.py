"""``nianbao aggregate``: the office's figures, workbook and report from the accepted returns."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from nianbao.campaign.aggregate import roll_up
from nianbao.campaign.workspace import open_workspace
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
    ) -> None:
        from nianbao.campaign.workspace import check_report_date

        ws = open_workspace(workspace)
        result = roll_up(ws, allow_incomplete=allow_incomplete, text_source=text,
                         date=check_report_date(date) if date is not None else None)
        for note in result.notes:
            err.print(note, highlight=False, markup=False)
        out.print(message("AGG-DONE", count=len(result.included)), highlight=False)
        excluded = result.missing + result.with_errors
        if excluded:
            err.print(message("AGG-EXCLUDED", units="、".join(u.name for u in excluded)), highlight=False)
            err.print(message("CLI-AGG-DRAFT"), highlight=False)
        out.print(message("CLI-AGG-OUT", data=result.data_file, workbook=result.workbook, docx=result.docx),
                  highlight=False)
